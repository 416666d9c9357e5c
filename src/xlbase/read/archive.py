"""A county's .zip of its forms: every file inside is an input of its own, named `县.zip!/folder/member.xlsx`.

The inputs are listed (`members`, from the archive's central directory only: nothing is inflated in the
command's process) when a command expands its arguments (read.files); each member is then read like any
other file, in a reader process with its limits (read.isolation), from a private temporary copy of its bytes
(`open_member`), never extracted beside the inputs. Every problem about it names it `县.zip!/folder/x.xlsx`.

A member's name is decoded as its writer meant it: the UTF-8 flag, else UTF-8 or GBK/GB18030 (WinRAR, 7-Zip and
Windows' own "send to compressed folder" on a Chinese Windows write names in the ANSI code page without the
flag), whichever reads the bytes into a name of Chinese, ASCII and their punctuation (UTF-8 on a tie: a short
GBK name is often valid UTF-8 too), else as zipfile read it (CP437). Per member, and only for that member:
a name leaving the archive (`../x.xlsx`, `/etc/x`, `C:\\x`), a member with a password, one of a compression
method zipfile cannot inflate (7-Zip's LZMA, Deflate64), one whose declared or actual size passes
`Limits.max_file_bytes` or whose ratio passes `Limits.max_entry_ratio` above `Limits.ratio_min_bytes`
(a zip bomb), or a damaged one is refused with a Chinese message. Folders, system files (Thumbs.db,
__MACOSX/…) and hidden files inside are skipped as in a folder. An archive that cannot be listed (damaged,
more than `Limits.max_entries` members, or holding no file) stays one input and its problem says why; RAR and
7z archives are named as what they are and the sender asked for a zip or the workbooks (no reader of them in
the standard library, and none in pure Python: rarfile runs the unrar program, py7zr needs compiled codecs).
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import TypeVar

from ..ooxml.zip import ZIP_ERRORS, SniffError, read_zip_member_capped
from .limits import DEFAULT_LIMITS, Limits
from .system_files import is_system_file

#: between an archive's path and a member's name inside it (a member of a member is not opened)
SEP = "!/"
_SPLIT = re.compile(r"!(?=[/\\])")
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
RAR_MAGIC = b"Rar!\x1a\x07"
SEVENZ_MAGIC = b"7z\xbc\xaf\x27\x1c"
GZIP_MAGIC = b"\x1f\x8b"
#: names a file sent as a spreadsheet or document goes by: never listed as an archive (a workbook is a zip too;
#: a broken one is the reader's to name)
_NOT_ARCHIVE = frozenset({".xlsx", ".xlsm", ".xltx", ".xltm", ".xlam", ".xlsb", ".et", ".ett", ".ods", ".ots",
                          ".docx", ".docm", ".dotx", ".pptx", ".odt", ".odp", ".wps", ".dps", ".numbers", ".jar",
                          ".apk", ".epub", ".ofd"})
#: what marks a zip as an Office/OpenDocument package, not an archive of files
_PACKAGE_PARTS = ("[Content_Types].xml", "mimetype", "META-INF/manifest.xml")
_UTF8_FLAG = 0x800
_ENCRYPTED_FLAG = 0x1
#: zipfile's compression methods it can inflate (bz2 and lzma only when Python was built with them)
_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}

T = TypeVar("T")


def split(path: str | os.PathLike) -> tuple[str, str] | None:
    """(archive path, member name) of an input inside an archive; None for a plain file."""
    s = os.fspath(path)
    for m in _SPLIT.finditer(s):
        archive = s[:m.start()]
        if os.path.isfile(archive):
            return archive, s[m.end() + 1:].replace("\\", "/")
    return None


def is_member(path: str | os.PathLike) -> bool:
    return split(path) is not None


def display_name(path: str | os.PathLike) -> str:
    """How a message names an input: its file name, or `县.zip!/folder/x.xlsx` for a member of an archive."""
    parts = split(path)
    if parts is None:
        return Path(path).name
    return f"{Path(parts[0]).name}{SEP}{parts[1]}"


def size_of(path: str | os.PathLike) -> int:
    """Bytes of an input: a member's declared size (for the memory its reader may take), else the file's."""
    parts = split(path)
    try:
        if parts is None:
            return os.path.getsize(path)
        info = _listing(parts[0], _mtime(parts[0]))[1].get(normal(parts[1]))
        return info.file_size if info is not None else 0
    except (OSError, ValueError):
        return 0


def kind_of(path: str | os.PathLike) -> str | None:
    """"zip", "rar", "7z", "gzip" for an archive by its first bytes (a zip only when it is no Office or
    OpenDocument package); None for anything else. Only files not named as a spreadsheet or document are
    looked at."""
    if Path(path).suffix.lower() in _NOT_ARCHIVE:
        return None
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError:
        return None
    if head.startswith(RAR_MAGIC):
        return "rar"
    if head.startswith(SEVENZ_MAGIC):
        return "7z"
    if head.startswith(GZIP_MAGIC):
        return "gzip"
    if not head.startswith(ZIP_MAGICS):
        return None
    if _too_many(path, DEFAULT_LIMITS):
        return "zip"
    try:
        names = _listing(os.fspath(path), _mtime(path))[2]
    except (OSError, *ZIP_ERRORS):
        return "zip"
    return None if any(p in names for p in _PACKAGE_PARTS) else "zip"


def members(path: str | os.PathLike, limits: Limits = DEFAULT_LIMITS) -> list[str] | None:
    """The inputs a zip archive holds, as `path!/member` strings in the archive's order, without folders,
    __MACOSX/ and hidden folders, and files no clerk sends (read.system_files); None when it
    is no zip archive or cannot be listed (it then stays one input, whose problem says why: `refusal`)."""
    if kind_of(path) != "zip" or _too_many(path, limits):     # the name first: most inputs are .xlsx
        return None
    try:
        entries = _listing(os.fspath(path), _mtime(path))[0]
    except (OSError, *ZIP_ERRORS):
        return None
    out = [f"{os.fspath(path)}{SEP}{name}" for name, info in entries if _is_file(name, info)]
    return out or None


def refusal(path: str | os.PathLike, limits: Limits = DEFAULT_LIMITS) -> str:
    """Why an archive was not opened, in Chinese (the whole message, naming it)."""
    name = display_name(path)
    kind = kind_of(path)
    inner = is_member(path)
    if inner:
        return (f"“{name}”是压缩包里的压缩包，未打开；请把其中的表格直接放进报送的压缩包（或收件文件夹）后重新报送。")
    if kind in ("rar", "7z", "gzip"):
        what = {"rar": "RAR", "7z": "7z", "gzip": "gzip"}[kind]
        return (f"文件“{name}”是 {what} 压缩包，本工具只打开 zip 压缩包；请改用 zip 格式压缩（WinRAR、7-Zip 压缩时选"
                "“ZIP”），或直接报送其中的表格文件。")
    if _too_many(path, limits):
        return (f"文件“{name}”是 zip 压缩包，其中的文件超过 {limits.max_entries:,} 个（或压缩包超过大小上限），"
                "疑似恶意构造，未读取；请直接报送其中的表格文件。")
    try:
        entries = _listing(os.fspath(path), _mtime(path))[0]
    except (OSError, *ZIP_ERRORS):
        return f"文件“{name}”是已损坏的 zip 压缩包（无法列出其中的文件），未读取；请重新压缩后报送，或直接报送其中的表格文件。"
    files = [n for n, i in entries if _is_file(n, i)]
    if files:      # asked of the archive itself (mark, read_workbook): validate, merge and read open it
        return (f"文件“{name}”是 zip 压缩包（其中有 {len(files)} 个文件），本命令只处理单个表格；请选择其中的表格文件，"
                "或用 validate、merge、read 读取整个压缩包。")
    return f"文件“{name}”是 zip 压缩包，其中没有文件（只有文件夹或系统文件），未读取；请核对后重新报送。"


@dataclass(frozen=True)
class Refused:
    """A member not read, and why: `code` (a key of sniff.MESSAGES, or one of this module's) and a message."""

    code: str
    message: str


def open_member(path: str, limits: Limits, read: Callable[[str], T]) -> T | Refused:
    """`read(local path)` over a private temporary copy of a member's bytes (removed after), or why not."""
    data = member_bytes(path, limits)
    if isinstance(data, Refused):
        return data
    name = (split(path) or ("", ""))[1]
    with tempfile.TemporaryDirectory(prefix="xlbase-zip-") as tmp:
        local = os.path.join(tmp, "member" + PurePosixPath(name).suffix[:16])
        with open(local, "wb") as fh:
            fh.write(data)
        return read(local)


def member_bytes(path: str, limits: Limits = DEFAULT_LIMITS) -> bytes | Refused:
    """A member's bytes, inflated no further than `limits.max_file_bytes`, or why it must not be read."""
    archive, name = split(path) or ("", "")
    shown = display_name(path)
    try:
        by_name = _listing(archive, _mtime(archive))[1]
    except (OSError, *ZIP_ERRORS):
        return Refused("corrupt-zip", f"压缩包“{Path(archive).name}”已损坏或已被移走，其中的“{name}”无法读取；"
                                      "请重新压缩后报送，或直接报送其中的表格文件。")
    info = by_name.get(normal(name))
    if info is None:
        return Refused("not-found", f"压缩包“{Path(archive).name}”中找不到“{name}”（压缩包在读取时被改动？）；请重新汇总。")
    why = _unsafe(_decoded(info).replace("\\", "/"), info, limits)
    if why is not None:
        return Refused(why[0], f"压缩包中的“{shown}”{why[1]}")
    try:
        with zipfile.ZipFile(archive) as zf:
            return read_zip_member_capped(zf, info, limits.max_file_bytes)
    except SniffError as exc:
        code = "zip-bomb" if "cap" in str(exc) else "corrupt-zip"
        what = ("解压后超过大小上限（疑似“压缩炸弹”），为安全起见未读取；请核实后重新报送" if code == "zip-bomb" else
                "已损坏（解压出错），无法读取；请重新压缩后报送，或直接报送该表格文件")
        return Refused(code, f"压缩包中的“{shown}”{what}。")
    except (OSError, *ZIP_ERRORS):
        return Refused("corrupt-zip", f"压缩包中的“{shown}”已损坏（解压出错），无法读取；请重新压缩后报送，或直接报送该表格文件。")


@contextlib.contextmanager
def local_copy(path: str | os.PathLike, limits: Limits = DEFAULT_LIMITS) -> Iterator[Path | None]:
    """The input as a file on disk: itself, or a private temporary copy of a member (None when it cannot be
    had); for what needs a real file (a marked copy of a member for the return pack)."""
    if not is_member(path):
        yield Path(path)
        return
    with tempfile.TemporaryDirectory(prefix="xlbase-zip-") as tmp:
        def keep(local: str) -> Path:
            out = Path(tmp) / ("copy" + Path(local).suffix)
            os.replace(local, out)
            return out
        got = open_member(os.fspath(path), limits, keep)
        yield got if isinstance(got, Path) else None


def _unsafe(name: str, info: zipfile.ZipInfo, limits: Limits) -> tuple[str, str] | None:
    """(code, the rest of the sentence) when a member must not be read."""
    parts = PurePosixPath(name).parts
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or ".." in parts:
        return ("unsafe-path", "的路径指向压缩包以外（含“..”或为绝对路径，疑似恶意构造），为安全起见未读取；"
                               "请重新压缩后报送，或直接报送该表格文件。")
    if info.flag_bits & _ENCRYPTED_FLAG:
        return ("encrypted", "设有解压密码，无法读取；请不加密码重新压缩后报送，或直接报送该表格文件。")
    if info.compress_type not in _METHODS:
        return ("zip-method", "的压缩方式本工具不支持（如 7-Zip 的 Deflate64、PPMd），无法读取；请用“ZIP”格式的标准压缩"
                              "重新压缩后报送，或直接报送该表格文件。")
    if info.file_size > limits.max_file_bytes:
        return ("too-large", f"解压后有 {info.file_size // (1024 * 1024)} MB，超过大小上限，为安全起见未读取；"
                             "请核实是否为正确的报表文件。")
    if info.file_size > limits.ratio_min_bytes and info.file_size > limits.max_entry_ratio * max(info.compress_size, 1):
        return ("zip-bomb", "解压后体积异常巨大（疑似“压缩炸弹”），为安全起见未读取；请核实文件来源后重新报送。")
    return None


def _is_file(name: str, info: zipfile.ZipInfo) -> bool:
    """A member that is a file a clerk put there: not a folder, not a system or hidden file, not in __MACOSX/."""
    if info.is_dir() or name.endswith("/"):
        return False
    parts = PurePosixPath(name).parts
    return bool(parts) and not is_system_file(parts[-1]) and not any(
        p.startswith(".") and p != ".." for p in parts[:-1]) and parts[0] != "__MACOSX"


_EOCD = b"PK\x05\x06"
_EOCD_SEARCH = 22 + 65535        # the end record and the longest comment it may carry


def _too_many(path: str | os.PathLike, limits: Limits) -> bool:
    """More entries than `limits.max_entries` by the end record (read before zipfile parses the whole central
    directory in this process), a ZIP64 count, or a file past `limits.max_file_bytes`."""
    try:
        size = os.path.getsize(path)
        if size > limits.max_file_bytes:
            return True
        with open(path, "rb") as fh:
            fh.seek(max(0, size - _EOCD_SEARCH))
            tail = fh.read()
    except OSError:
        return False
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) < at + 22:
        return False                       # no end record: zipfile will call it damaged
    total = int.from_bytes(tail[at + 10:at + 12], "little")
    return total == 0xFFFF or total > limits.max_entries


def _decoded(info: zipfile.ZipInfo) -> str:
    """A member's name as its writer meant it (see the module's note)."""
    name = info.filename
    if info.flag_bits & _UTF8_FLAG:
        return name
    try:
        raw = name.encode("cp437")
    except UnicodeEncodeError:
        return name
    readings = []
    for codec in ("utf-8", "gb18030"):
        try:
            readings.append(raw.decode(codec))
        except UnicodeDecodeError:
            continue
    # Short GBK names are often valid UTF-8 too (一 is D2 BB, which UTF-8 reads as the Cyrillic һ): the reading
    # with fewer characters no file name on a Chinese desk holds wins, UTF-8 on a tie.
    return min(readings, key=_foreign_characters) if readings else name


def _foreign_characters(name: str) -> int:
    """Characters of `name` outside what a Chinese office's file names are typed in: ASCII, CJK ideographs and
    their punctuation, full-width forms, general punctuation and the middle dot."""
    return sum(1 for c in name if not _NAME_CHARACTER.match(c))


_NAME_CHARACTER = re.compile("[\x20-\x7e\u00b7\u2000-\u206f\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff"
                             "\uf900-\ufaff\uff00-\uffef]")


def _mtime(path: str | os.PathLike) -> float:
    return os.stat(path).st_mtime_ns


@lru_cache(maxsize=64)
def _listing(path: str, mtime: float) -> tuple[list[tuple[str, zipfile.ZipInfo]], dict[str, zipfile.ZipInfo],
                                                frozenset[str]]:
    """(decoded name, info) of every entry, by name, and the raw names (an Office package's parts); cached per
    file and modification time. Only the central directory is read."""
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
    entries = [(normal(_decoded(i)), i) for i in infos]
    return entries, {n: i for n, i in entries}, frozenset(i.filename for i in infos)


def normal(name: str) -> str:
    """A member's name as a path keeps it (one slash, none leading, no "."): how it is looked up again."""
    return PurePosixPath(re.sub(r"/+", "/", name.replace("\\", "/")).lstrip("/") or ".").as_posix()
