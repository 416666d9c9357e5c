"""One hostile or broken file in an inbox of good ones: named problem, batch completes, nothing lost.

Each case runs `xlbase merge` as a child process with a timeout (the time bound)
and checks its peak RSS (the memory bound), the named problem, and that the two
good applicant workbooks are merged in full.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import openpyxl
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import hostile_files as H  # noqa: E402

TIMEOUT = 60          # seconds: a hang or a blow-up fails here
MAX_RSS_MB = 500


@pytest.fixture(scope="module")
def good_dir(tmp_path_factory) -> tuple[Path, list[dict]]:
    d = tmp_path_factory.mktemp("good")
    return d, H.good_inbox(d)


def make_inbox(tmp_path: Path, good_dir) -> tuple[Path, list[dict]]:
    src, goods = good_dir
    inbox = tmp_path / "inbox"
    shutil.copytree(src, inbox, symlinks=True)
    return inbox, [{**g, "path": inbox / g["path"].name} for g in goods]


def assert_batch_complete(run: H.Run, goods: list[dict]) -> None:
    """Exit 0/1, no traceback, both good bases in 附件11, their firms in 入驻企业, rows accounted."""
    assert run.proc.returncode in (0, 1), (run.proc.returncode, run.proc.stderr[-2000:])
    assert "Traceback" not in run.proc.stderr
    assert run.peak_rss_mb < MAX_RSS_MB, run.peak_rss_mb
    wb = openpyxl.load_workbook(run.out, read_only=True)
    a11 = {str(v) for row in wb["附件11"].iter_rows(min_row=5, values_only=True) for v in row[1:2] if v}
    firms = {str(v) for row in wb["入驻企业"].iter_rows(values_only=True) for v in row if isinstance(v, str)}
    for g in goods:
        assert g["base"]["base_name"] in a11, (g["base"]["base_name"], a11)
        for f in g["firms"]:
            assert f["firm_name"] in firms, f["firm_name"]
    rep = run.report
    assert rep is not None
    for acc in rep["inputs"]:
        assert acc["rows_read"] == acc["rows_merged"] + acc["rows_rejected"], acc
    by_file = {Path(a["file"]).name: a for a in rep["inputs"]}
    for g in goods:
        acc = by_file[g["path"].name]
        assert acc["status"] == "ok" and acc["rows_merged"] == 1 + len(g["firms"]), acc
    s = rep["summary"]
    assert s["rows_read"] == s["rows_merged"] + s["rows_rejected"]


def unusable_codes(run: H.Run, name: str) -> list[str]:
    return [p["value"] for p in run.report["problems"]
            if p["rule"] == "file-unusable" and Path(p["file"]).name == name]


CASES = {
    # name: (builder(inbox, goods) -> file name, expected file-unusable code or None when it must be READ)
    "zip-bomb-1GB": (lambda d, g: H.zip_bomb(d / "炸弹.xlsx", 1024).name, "zip-bomb"),
    "zip-bomb-lying-sizes": (lambda d, g: H.zip_bomb_lying(d / "炸弹2.xlsx").name, "corrupt-zip"),
    "billion-laughs-sheet": (lambda d, g: H.xml_bomb(d / "笑.xlsx", "sheet").name, "xml-bomb"),
    "billion-laughs-sharedStrings": (lambda d, g: H.xml_bomb(d / "笑.xlsx", "sst").name, "xml-bomb"),
    "billion-laughs-behind-comment": (lambda d, g: H.xml_bomb_behind_comment(d / "笑.xlsx").name, "xml-bomb"),
    "encrypted": (lambda d, g: H.encrypted(d / "加密.xlsx").name, "encrypted"),
    "truncated": (lambda d, g: H.truncated(d / "半截.xlsx", g[0]["path"]).name, "truncated"),
    "zero-byte": (lambda d, g: H.zero_byte(d / "空.xlsx").name, "empty"),
    "renamed-csv": (lambda d, g: H.renamed_csv(d / "表.xlsx").name, "no-form"),   # read as CSV: no official table
    "renamed-word": (lambda d, g: H.renamed_word(d / "表.xlsx").name, "word-file"),
    "renamed-pdf": (lambda d, g: H.renamed_pdf(d / "表.xls").name, "pdf-file"),
    "symlink-loop": (lambda d, g: H.symlink_loop(d / "环.xlsx").name, "symlink-loop"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_file_refused_batch_completes(case, tmp_path, good_dir):
    build, code = CASES[case]
    inbox, goods = make_inbox(tmp_path, good_dir)
    name = build(inbox, goods)
    before = H.tree_hashes(inbox)
    run = H.merge(inbox, tmp_path, TIMEOUT)
    assert_batch_complete(run, goods)
    assert code in unusable_codes(run, name), run.report["problems"]
    assert run.proc.returncode == 1
    assert H.tree_hashes(inbox) == before  # no input touched


BIG = {
    "dimension-A1:XFD1048576": lambda d: H.huge_dimension(d / "巨表.xlsx"),
    "million-blank-styled-rows": lambda d: H.blank_styled_rows(d / "巨表.xlsx"),
    "ten-thousand-columns": lambda d: H.ten_thousand_columns(d / "巨表.xlsx"),
    # calamine would hold A1:XFD1048576 dense (17 billion cells): openpyxl reads the rows that exist
    "stray-value-at-XFD1048576": lambda d: H.huge_dimension(d / "巨表.xlsx", far_cell=True),
}


@pytest.mark.parametrize("case", list(BIG))
def test_huge_looking_sheet_read_by_real_content(case, tmp_path, good_dir):
    inbox, goods = make_inbox(tmp_path, good_dir)
    BIG[case](inbox)
    run = H.merge(inbox, tmp_path, TIMEOUT)
    assert_batch_complete(run, goods)
    acc = next(a for a in run.report["inputs"] if a["file"].endswith("巨表.xlsx"))
    assert acc["rows_read"] == 1 and acc["rows_merged"] == 1, acc
    wb = openpyxl.load_workbook(run.out, read_only=True)
    assert any(r[1] == H.BIG_BASE for r in wb["附件11"].iter_rows(min_row=5, values_only=True))


def test_directory_named_xlsx(tmp_path, good_dir):
    inbox, goods = make_inbox(tmp_path, good_dir)
    H.directory_named_xlsx(inbox / "目录.xlsx")
    run = H.merge(inbox, tmp_path, TIMEOUT)          # inside a folder: walked, holds nothing
    assert_batch_complete(run, goods)
    out2 = tmp_path / "o2"
    proc, _ = H.run_xlbase("merge", *[g["path"] for g in goods], inbox / "目录.xlsx", "-o", out2 / "x.xlsx",
                           "--json", out2 / "r.json", timeout=TIMEOUT)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr   # given by name: a folder, walked
    import json
    rep = json.loads((out2 / "r.json").read_text("utf-8"))
    inside = [i for i in rep["inputs"] if i["file"].endswith("inside.txt")]
    assert [i["status"] for i in inside] == ["not-spreadsheet"]       # every file in it is named in the report
    assert any(p["rule"] == "file-not-spreadsheet" and p["file"].endswith("inside.txt") for p in rep["problems"])


def test_file_name_not_utf8(tmp_path, good_dir):
    """A name with bytes that are not UTF-8 (Python: lone surrogates) is read, linked safely, reported."""
    inbox, goods = make_inbox(tmp_path, good_dir)
    extra = H.write_good(tmp_path / "src.xlsx", "代县", "雁门双创基地", "代县雁门有限公司", 5)
    bad = H.bad_utf8_name(inbox, extra["path"])
    run = H.merge(inbox, tmp_path, TIMEOUT)
    assert_batch_complete(run, goods + [{**extra, "path": bad}])
