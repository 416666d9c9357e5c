"""A county sends one .zip of its forms: the workbooks inside are read as if the folder had been sent, each named
`县.zip!/folder/x.xlsx` in every problem; the archive is never unpacked beside the inputs, nor changed.

Inputs as strangers make them (tests/fixtures/strangers.py: a city inbox of hand-made files, one folder per
county), each county folder zipped as a Chinese Windows does (GBK names without the UTF-8 flag, a folder inside,
Thumbs.db, a Mac's __MACOSX/ twins), one with the UTF-8 flag; and members a hostile sender builds, each refused
alone with a Chinese message while the rest is read.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import example, given, settings, strategies as st

import messy
import strangers
from zip_archives import DEFLATE64, folder_files, windows_zip, with_method, with_password_flag
from xlbase.read import expand_inputs, read_workbook
from xlbase.read.archive import normal
from xlbase.read.limits import Limits

REPO = Path(__file__).resolve().parents[2]
CLUTTER = [("Thumbs.db", b"\x00" * 64), ("__MACOSX/._a.xlsx", b"\x00\x05\x16\x07")]


def _merge(inbox: Path, out: Path) -> dict:
    proc = subprocess.run([sys.executable, "-m", "xlbase", "merge", str(inbox), "-o", str(out / "汇总表.xlsx"),
                           "--json", str(out / "r.json"), "--quiet"], capture_output=True, text=True,
                          encoding="utf-8", cwd=REPO, timeout=900)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads((out / "r.json").read_text(encoding="utf-8"))


def _digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def inboxes(tmp_path_factory):
    """(the strangers' city inbox as folders, the same inbox as one zip per county)."""
    root = tmp_path_factory.mktemp("zip")
    folders = root / "folders"
    strangers.inbox(folders, 31)
    zips = root / "zips"
    counties = sorted(p for p in folders.iterdir() if p.is_dir())
    for i, county in enumerate(counties):
        # a county zips its folder (the folder itself inside), WinRAR/Windows: GBK names; one tool sets UTF-8
        encoding = "utf-8-flag" if i == 1 else "gbk"
        windows_zip(zips / f"{county.name}.zip", folder_files(county, f"{county.name}/") + CLUTTER, encoding=encoding)
    return folders, zips


def _same(problem: dict, root: Path) -> tuple:
    """A problem with its file said the same way for both inboxes: 屯留区.zip!/屯留区/x.xlsx and 屯留区/x.xlsx."""
    def plain(text: str) -> str:
        text = text.replace(str(root) + "/", "")
        return re.sub(r"[^\s/“”：:，,（(]+\.zip!/", "", text)
    return (problem["rule"], problem["severity"], plain(problem["file"] or ""), problem["sheet"], problem["cell"],
            re.sub(r"文件“[^”]*/", "文件“", plain(problem["message"])))


def test_a_zip_per_county_reads_as_the_folders_would(inboxes, tmp_path):
    folders, zips = inboxes
    before = _digests(zips)
    by_folder, by_zip = _merge(folders, tmp_path / "f"), _merge(zips, tmp_path / "z")
    assert _digests(zips) == before                        # nothing unpacked beside the inputs, nothing changed
    assert by_zip["summary"] == by_folder["summary"]
    assert by_zip["summary"]["bases"] > 5
    files = [i["file"] for i in by_zip["inputs"]]
    assert all(".zip!/" in f for f in files)               # every input is a member, named inside its archive
    assert not any("Thumbs.db" in f or "__MACOSX" in f for f in files)
    assert sorted(_same(p, zips) for p in by_zip["problems"]) == sorted(_same(p, folders) for p in by_folder["problems"])
    for p in by_zip["problems"]:
        if p["file"]:
            assert ".zip!/" in p["file"], p
    # the 附件11 the officer sends up is the same, row for row
    rows = []
    for out in (tmp_path / "f", tmp_path / "z"):
        ws = openpyxl.load_workbook(out / "汇总表.xlsx", read_only=True)["附件11"]
        rows.append([r[:20] for r in ws.iter_rows(values_only=True)])
    assert rows[0] == rows[1]


def test_gbk_names_nested_folders_and_each_problem_naming_its_member(inboxes):
    _, zips = inboxes
    county = sorted(zips.glob("*.zip"))[0]
    with zipfile.ZipFile(county) as zf:
        assert not any(i.flag_bits & 0x800 for i in zf.infolist())      # GBK, as WinRAR writes it
    files, problems = expand_inputs([str(county)])
    assert not problems and files
    for f in files:
        inner = str(f).split(".zip!/", 1)[1]
        assert inner.startswith(county.stem + "/") and "�" not in inner
        wr = read_workbook(f)
        for p in wr.problems:
            assert p.file == str(f)
            if p.rule == "file-unusable":
                assert f"{county.name}!/" in p.message


def _hostile(tmp_path: Path) -> Path:
    good = tmp_path / "good.xlsx"
    messy.applicant_workbook(good)
    data = good.read_bytes()
    zips = tmp_path / "收件"
    windows_zip(zips / "平顺县.zip", [("平顺县/申报表.xlsx", data), ("../../../逃出去.xlsx", data),
                                     ("/etc/绝对路径.xlsx", data), ("平顺县/里面的.zip", b"PK\x05\x06" + bytes(18))])
    with_password_flag(windows_zip(zips / "加密.zip", [("平顺县/加密的.xlsx", data)]))
    windows_zip(zips / "deflate64.zip", [("黎城县/表.xlsx", data)], method=zipfile.ZIP_STORED)
    with_method(zips / "deflate64.zip", DEFLATE64)
    windows_zip(zips / "炸弹.zip", [("大.xlsx", bytes(70 * 1024 * 1024))])     # 70 MB of zeros: 1000:1
    windows_zip(zips / "空的.zip", [("文件夹/", b"")])
    (zips / "壶关县.rar").write_bytes(b"Rar!\x1a\x07\x01\x00" + bytes(64))
    (zips / "长子县.7z").write_bytes(b"7z\xbc\xaf\x27\x1c" + bytes(64))
    return zips


def test_hostile_members_are_refused_one_by_one_with_a_chinese_message(tmp_path):
    zips = _hostile(tmp_path)
    before = _digests(zips)
    report = _merge(zips, tmp_path / "out")
    assert _digests(zips) == before
    said = {}
    for p in report["problems"]:
        said.setdefault(p["file"].replace(str(zips) + "/", ""), []).append(p)
    status = {i["file"].replace(str(zips) + "/", ""): i["status"] for i in report["inputs"]}

    def one(name: str, severity: str, *words: str) -> None:
        [p] = [p for p in said[name] if p["rule"] in ("file-unusable", "file-archive")]
        assert p["severity"] == severity, p
        for w in words:
            assert w in p["message"], (w, p["message"])

    one("平顺县.zip!/../../../逃出去.xlsx", "error", "平顺县.zip!/../../../逃出去.xlsx", "压缩包以外")
    one("平顺县.zip!/etc/绝对路径.xlsx", "error", "压缩包以外")
    one("加密.zip!/平顺县/加密的.xlsx", "error", "密码")
    one("平顺县.zip!/平顺县/里面的.zip", "warning", "压缩包里的压缩包")
    one("deflate64.zip!/黎城县/表.xlsx", "error", "压缩方式")
    one("炸弹.zip!/大.xlsx", "error", "压缩炸弹")
    one("空的.zip", "warning", "没有文件")
    one("壶关县.rar", "warning", "RAR", "zip")
    one("长子县.7z", "warning", "7z", "zip")
    assert status["平顺县.zip!/平顺县/申报表.xlsx"] in ("ok", "partial")        # the rest of the archive is read
    assert not list(tmp_path.glob("逃出去*")) and not (zips.parent.parent / "逃出去.xlsx").exists()


def test_a_member_larger_than_the_limit_is_refused_before_it_is_inflated(tmp_path):
    zips = tmp_path / "收件"
    windows_zip(zips / "县.zip", [("县/表.xlsx", bytes(2048))])
    [member] = expand_inputs([str(zips / "县.zip")])[0]
    wr = read_workbook(member, limits=Limits(max_file_bytes=1024))
    assert wr.status == "too-large" and "县.zip!/县/表.xlsx" in wr.problems[0].message


def test_a_workbook_named_zip_is_read_as_the_workbook_it_is(tmp_path):
    path = tmp_path / "附件.zip"
    wb = openpyxl.Workbook()
    wb.active.append(["说明"])
    wb.save(path)
    files, _ = expand_inputs([str(path)])
    assert files == [path]


_NAME_CHARS = st.one_of(st.sampled_from("忻府区寿阳县附件三入驻企业名单申报表（）【】—_-年月日第号 ·、鑫淼犇"),
                        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
                        st.sampled_from("abcXYZ0123456789 ()[]-_."))


@settings(max_examples=60, deadline=None)
@example(["一"], "gbk")           # D2 BB: UTF-8 reads it as the Cyrillic һ
@given(st.lists(st.text(_NAME_CHARS, min_size=1, max_size=12).map(str.strip).filter(
    lambda s: s and not s.startswith(".")), min_size=1, max_size=3),   # a hidden folder is skipped as in a folder
       st.sampled_from(["gbk", "utf-8", "utf-8-flag"]))
def test_a_member_name_reads_back_as_its_writer_meant_it(folders, encoding):
    """Names in GBK without the UTF-8 flag (WinRAR, Windows), UTF-8 without it (some Linux/macOS tools) or with
    it (zipfile, 7-Zip) read back as typed, folders and all."""
    name = "/".join(folders) + ".xlsx"
    try:
        name.encode("gbk")
    except UnicodeEncodeError:      # a character GBK lacks: no Windows tool could have written it so
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = windows_zip(Path(tmp) / "县.zip", [(name, b"x")], encoding=encoding)
        assert [str(m).split("县.zip!/", 1)[1] for m in expand_inputs([str(path)])[0]] == [normal(name)]


@pytest.mark.parametrize("name", ["平遥.xlsx", "一.xlsx", "平遥/一.xlsx", "平遥县/平遥.xlsx"])
def test_a_short_gbk_name_that_is_valid_utf8_reads_as_chinese(tmp_path, name):
    """平遥 in GBK (C6 BD D2 A3) is valid UTF-8 ("ƽң"): WinRAR's zip of 平遥.xlsx was listed under that name."""
    path = windows_zip(tmp_path / "县.zip", [(name, b"x")], encoding="gbk")
    assert [str(m).split("县.zip!/", 1)[1] for m in expand_inputs([str(path)])[0]] == [name]
