"""cell_text / is_formula_like on anything a submission can carry, and a sheet written from it.

Lone surrogates cannot live in a valid .xlsx, but they do reach xlbase (file names that are
not UTF-8, Python strings built by readers): whatever arrives, the cell text written is valid.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from xlbase.problems import ERROR, Problem
from xlbase.reports.problems import add_problems_sheet
from xlbase.safe_output import EXCEL_MAX_TEXT, cell_text, is_formula_like

anything = st.text(st.characters(), max_size=200) | st.text(st.sampled_from("=+-@\t\r\x00\x01\ud800\udfff长"),
                                                             max_size=50)


@settings(max_examples=40, deadline=None)
@given(s=anything)
def test_cell_text_always_storable(s):
    t = cell_text(s)
    t.encode("utf-8")                                  # no lone surrogates
    assert all(ch in "\t\n\r" or ord(ch) >= 32 for ch in t)
    assert len(t) <= EXCEL_MAX_TEXT
    assert is_formula_like(t) == t.startswith(("=", "+", "-", "@", "\t", "\r", "\n"))


def test_cell_text_cuts_long_text_visibly():
    t = cell_text("长" * 40_000)
    assert len(t) == EXCEL_MAX_TEXT and t.endswith("…")


def test_problems_sheet_with_surrogates_and_payloads(tmp_path: Path):
    path = tmp_path / "问题清单.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    probs = [Problem("unparseable", ERROR, "坏\ud800字", file=str(tmp_path / "\udcff名.xlsx"), sheet="附件11",
                     cell="B2", value="=cmd|' /C calc'!A0"),
             Problem("unparseable", ERROR, "x" * 40_000, file="http://evil.example/a.xlsx", value="@SUM(1)")]
    add_problems_sheet(wb, probs)
    wb.close()
    with zipfile.ZipFile(path) as zf:
        assert not any("hyperlink" in zf.read(n).decode() for n in zf.namelist() if n.endswith(".rels"))
    ws = openpyxl.load_workbook(path).active
    values = [c for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    payloads = [c for c in values if c.value.startswith(("=", "@"))]
    assert len(payloads) == 2 and all(c.data_type == "s" and c.quotePrefix for c in payloads)
    assert any("坏?字" == c.value for c in values)
