"""Two guarantees every writer relies on: no formula from a submission, no half-written file.

`cell_text` cleans text for a cell (control characters, lone surrogates, Excel's
32 767-character limit). Text that a spreadsheet would run as a formula or DDE
command (OWASP formula injection: = + - @, tab or CR first) is written as a
string cell with Excel's quotePrefix style (`is_formula_like` tells when): the
value stays exactly what the clerk typed, and it stays text even if re-edited.
`atomic_output` writes to a temporary file in the target folder and renames it
into place, so a crash leaves either the old file or the complete new one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path
from typing import Iterator

# the writers' one import for cell text; defined below every layer (the merge reads it back too)
from .cell_text import EXCEL_MAX_TEXT as EXCEL_MAX_TEXT, FORMULA_TRIGGERS as FORMULA_TRIGGERS
from .cell_text import cell_text as cell_text, is_formula_like as is_formula_like


def is_rich_text_lookalike(text: str) -> bool:
    """xlsxwriter writes a string shaped '<r>…</r>' as raw rich-text XML, unescaped."""
    return text.startswith("<r>") and text.endswith("</r>")


def write_text(ws, row: int, col: int, text: str, fmt=None) -> int:
    """Write cleaned submission text (from `cell_text`) to an xlsxwriter sheet as plain text.

    write_string for everything, except a '<r>…</r>' lookalike, which xlsxwriter
    would copy into the XML as markup: that one goes as a rich string of three
    plain fragments, which xlsxwriter escapes, and reads back as the same text.
    """
    if is_rich_text_lookalike(text):
        return ws.write_rich_string(row, col, text[:1], text[1:2], text[2:], fmt)
    return ws.write_string(row, col, text, fmt)


class OutputPathError(ValueError):
    """An output path that must not be written (it is an input, or unusable)."""


_ERRNO_TEXT = {
    errno.ENOENT: "路径不存在，或该位置不允许新建文件", errno.EACCES: "没有写入权限", errno.EPERM: "不允许写入",
    errno.EROFS: "是只读的位置", errno.ENOSPC: "磁盘空间不足", errno.ENAMETOOLONG: "文件名或路径过长",
    errno.ENOTDIR: "路径中有一段是文件而不是文件夹", errno.EISDIR: "是一个文件夹", errno.EDQUOT: "超出磁盘配额",
    errno.EEXIST: "已存在同名文件", errno.EINVAL: "名称不可用",
}


def os_error_text(exc: OSError) -> str:
    """An OSError's reason in Chinese (the system's own wording in brackets, for searching)."""
    zh = _ERRNO_TEXT.get(exc.errno or -1)
    reason = exc.strerror or str(exc)
    return f"{zh}（{reason}）" if zh else reason


def _existing_folder(path: Path) -> Path:
    """The nearest folder of `path` (itself included) that exists: where the missing ones would be made."""
    folder = path
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def _probe(folder: Path, shown: Path) -> None:
    """Create and remove a file in `folder`: the only test that holds for root, /proc, read-only mounts
    and network shares (os.access says yes to root everywhere)."""
    if not folder.is_dir():
        raise OutputPathError(f"输出路径 {shown} 无法使用：{folder} 是一个文件而不是文件夹，请换一个输出位置")
    try:
        fd, name = tempfile.mkstemp(prefix=".xlbase-probe-", dir=folder)
        os.close(fd)
        os.unlink(name)
    except OSError as exc:
        raise OutputPathError(f"输出文件夹 {folder} 无法写入：{os_error_text(exc)}，请换一个输出位置") from exc


def check_output_path(out: Path, inputs: list[Path] | tuple[Path, ...] = ()) -> Path | None:
    """Refuse an output that is one of the inputs, a folder, or in a folder we cannot write.

    Returns the first folder of the path that does not exist yet (atomic_output creates it, and the
    command says so), or None.
    """
    out = Path(out)
    try:
        if out.is_dir():
            raise OutputPathError(f"输出路径 {out} 是一个文件夹，请给出文件名，如 out/汇总表.xlsx")
        target = out.resolve()
    except (OSError, RuntimeError, ValueError) as exc:  # RuntimeError: symlink loop; ValueError: NUL in the name
        raise OutputPathError(f"输出路径 {out} 无法使用：{exc}") from exc
    folder = _existing_folder(out.parent)
    _probe(folder, out)
    for p in inputs:
        try:
            if Path(p).resolve() == target:
                raise OutputPathError(f"输出文件 {out} 与输入文件相同；为保护原件，请换一个输出文件名")
        except (OSError, RuntimeError):
            continue
    return _first_missing(out.parent, folder)


def check_output_dir(out_dir: Path) -> Path | None:
    """An output folder (templates, return pack) that exists and can be written, or can be made.

    Returns the first folder that does not exist yet, or None.
    """
    out_dir = Path(out_dir)
    try:
        if out_dir.exists() and not out_dir.is_dir():
            raise OutputPathError(f"输出路径 {out_dir} 是一个文件而不是文件夹，请给出文件夹")
        out_dir.resolve()
    except (OSError, RuntimeError, ValueError) as exc:
        raise OutputPathError(f"输出路径 {out_dir} 无法使用：{exc}") from exc
    folder = _existing_folder(out_dir)
    _probe(folder, out_dir)
    return _first_missing(out_dir, folder)


def _first_missing(path: Path, existing: Path) -> Path | None:
    """The child of `existing` on the way to `path` (the first folder that will be created)."""
    if path == existing:
        return None
    while path.parent != existing and path != path.parent:
        path = path.parent
    return path


def _set_mode(tmp: Path, out: Path) -> None:
    """mkstemp creates 0600 files; give the output the mode a normal save would."""
    try:
        mode = out.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    with contextlib.suppress(OSError):
        os.chmod(tmp, mode)


@contextlib.contextmanager
def atomic_output(out: Path | str, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path beside `out`; on success rename it onto `out`.

    The folder is created if missing. On any exception the temporary file is
    removed and `out` is left exactly as it was.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=suffix or out.suffix + ".tmp", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        _set_mode(tmp, out)
        os.replace(tmp, out)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
