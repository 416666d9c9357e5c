"""A legacy .xls whose four filled corners (A1, IV1, A65536, IV65536) span 16.7 million cells: read by the cells it
has (xlrd), within the memory bound, its table merged. calamine held the whole rectangle: a 41 KB file took 1.2 GB.
The .xls is made by LibreOffice from an .xlsx written here (no Python library writes BIFF8)."""

from __future__ import annotations

import sys
from pathlib import Path

import openpyxl
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import hostile_files as H  # noqa: E402
from test_hostile_inbox import MAX_RSS_MB, TIMEOUT, assert_batch_complete  # noqa: E402

from conftest import soffice_convert  # noqa: E402
from table_layouts import a11_block, workbook  # noqa: E402

BASE = ("忻州市代县四角双创基地", "代县四角运营有限公司")


@pytest.mark.libreoffice
def test_four_corner_xls_is_read_by_its_cells(tmp_path):
    src = tmp_path / "src" / "四角.xlsx"
    src.parent.mkdir()
    workbook(src, {"附件11": [a11_block([BASE])]})
    wb = openpyxl.load_workbook(src)
    ws = wb["附件11"]
    for ref in ("IV1", "A65536", "IV65536"):
        ws[ref] = "角"
    wb.save(src)
    xls = soffice_convert(src, "xls", tmp_path / "src")
    inbox = tmp_path / "inbox"
    goods = H.good_inbox(inbox)
    (inbox / "四角.xls").write_bytes(xls.read_bytes())
    run = H.merge(inbox, tmp_path, TIMEOUT)
    assert_batch_complete(run, goods)
    assert run.peak_rss_mb < MAX_RSS_MB
    acc = next(a for a in run.report["inputs"] if a["file"].endswith("四角.xls"))
    assert acc["status"] in ("ok", "partial") and acc["rows_read"] == 1, acc
    notes = [p for p in run.report["problems"] if p["rule"] == "file-reader" and p["file"].endswith("四角.xls")]
    assert len(notes) == 1 and "xlrd" in notes[0]["message"]
    out = openpyxl.load_workbook(run.out, read_only=True)
    assert any(r[1] == BASE[0] for r in out["附件11"].iter_rows(min_row=5, values_only=True))
