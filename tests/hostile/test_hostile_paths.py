"""Output path tricks, files that vanish or cannot be read mid-run.

Path tricks run the real CLI (exit 2, Chinese message, inputs byte-identical).
Vanishing/unreadable files are simulated in-process with monkeypatch: as root,
chmod 000 does not stop reads (see tests/read/test_sniff.py).
"""

from __future__ import annotations

import errno
import re
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import hostile_files as H  # noqa: E402

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def goods(tmp_path_factory):
    d = tmp_path_factory.mktemp("paths")
    return d, H.good_inbox(d / "inbox")


def _trick(kind: str, root: Path, inbox: Path) -> Path:
    if kind == "input-file":
        return next(inbox.glob("*.xlsx"))
    if kind == "under-a-file":               # a "read-only location" even for root
        f = root / "somefile.txt"
        f.write_text("x")
        return f / "out.xlsx"
    if kind == "existing-dir":
        (root / "已有文件夹.xlsx").mkdir(exist_ok=True)
        return root / "已有文件夹.xlsx"
    raise AssertionError(kind)


@pytest.mark.parametrize("command", ["merge", "validate", "mark"])
@pytest.mark.parametrize("kind", ["input-file", "under-a-file", "existing-dir"])
def test_bad_output_path_exit_2_inputs_untouched(kind, command, goods, tmp_path):
    src, _ = goods
    inbox = tmp_path / "inbox"
    shutil.copytree(src / "inbox", inbox)
    out = _trick(kind, tmp_path, inbox)
    before = H.tree_hashes(inbox)
    if command == "merge":
        args = ("merge", inbox, "-o", out)
    elif command == "validate":
        args = ("validate", inbox, "--xlsx", out)
    else:
        args = ("mark", next(inbox.glob("*.xlsx")), "-o", out)
    proc, _ = H.run_xlbase(*args, timeout=120)
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    assert CJK.search(proc.stderr), proc.stderr
    assert H.tree_hashes(inbox) == before


def test_output_into_missing_folder_is_created(goods, tmp_path):
    src, good = goods
    out = tmp_path / "新建" / "子目录" / "汇总表.xlsx"
    before = H.tree_hashes(src / "inbox")
    proc, _ = H.run_xlbase("merge", src / "inbox", "-o", out, timeout=120)
    assert proc.returncode in (0, 1) and out.is_file(), proc.stderr
    assert H.tree_hashes(src / "inbox") == before


def _merge_inprocess(inbox: Path, out: Path):
    from xlbase.commands.merge import merge_command
    return merge_command([str(inbox)], out=out, json_out=out.with_suffix(".json"), jobs=1, quiet=True)


def _merge_unusable(inbox: Path, out: Path, name: str) -> tuple[dict, list]:
    """Merge in process (exit 1 expected); the JSON report and the file-unusable codes given for `name`."""
    import json
    assert _merge_inprocess(inbox, out).exit_code == 1
    rep = json.loads(out.with_suffix(".json").read_text("utf-8"))
    return rep, [p["value"] for p in rep["problems"] if p["rule"] == "file-unusable" and p["file"].endswith(name)]


def test_file_disappears_between_listing_and_reading(goods, tmp_path, monkeypatch):
    import xlbase.read as read_pkg
    src, good = goods
    inbox = tmp_path / "inbox"
    shutil.copytree(src / "inbox", inbox)
    gone = H.write_good(inbox / "代县_消失_申报表.xlsx", "代县", "消失双创基地", "代县消失有限公司", 4)["path"]
    real = read_pkg.expand_inputs

    def expand_then_delete(args):
        paths, problems = real(args)
        gone.unlink()                       # the mail client moved it away mid-run
        return paths, problems

    monkeypatch.setattr(read_pkg, "expand_inputs", expand_then_delete)
    rep, codes = _merge_unusable(inbox, tmp_path / "汇总表.xlsx", gone.name)
    assert codes == ["not-found"]
    assert rep["summary"]["bases"] == 2


def test_unreadable_file(goods, tmp_path, monkeypatch):
    from xlbase.read import sniff
    src, good = goods
    inbox = tmp_path / "inbox"
    shutil.copytree(src / "inbox", inbox)
    locked = H.write_good(inbox / "代县_无权限_申报表.xlsx", "代县", "无权限双创基地", "代县锁定有限公司", 4)["path"]
    real_open = sniff.os.open

    def deny(path, flags, *a, **k):
        if str(path).endswith(locked.name):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *a, **k)

    monkeypatch.setattr(sniff.os, "open", deny)
    rep, codes = _merge_unusable(inbox, tmp_path / "汇总表.xlsx", locked.name)
    assert codes == ["unreadable"]
    assert rep["summary"]["bases"] == 2
    names = {Path(a["file"]).name: a for a in rep["inputs"]}
    for g in good:
        assert names[g["path"].name]["rows_merged"] == 1 + len(g["firms"])
