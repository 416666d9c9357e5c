"""The 汇总表 record: any record survives the trip through cells; anything else is no record, never an error."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from xlbase import summary_record as sr

text = st.text(max_size=40)
scalar = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | text
problem = st.fixed_dictionaries({"rule": text, "severity": st.sampled_from(["error", "warning", "info"]),
                                 "message": st.text(max_size=400), "file": text, "value": scalar})
record = st.fixed_dictionaries({
    "level": st.sampled_from(["county", "city", "province"]), "unit": text,
    "sources": st.lists(st.fixed_dictionaries({"file": text, "sha256": st.none() | text, "status": text}), max_size=5),
    "bases": st.lists(st.fixed_dictionaries({"key": text, "name": text, "file": text, "row": st.integers()}),
                      max_size=5),
    "firm_columns": st.lists(st.lists(text, min_size=3, max_size=3), max_size=5),
    "problems": st.lists(problem, max_size=80),
    "digest": st.text("0123456789abcdef", min_size=32, max_size=32),
})


@settings(max_examples=60, deadline=None)
@given(record)
def test_round_trip_through_cells(rec):
    cells = sr.to_cells(rec)
    assert all(len(c) <= sr.CHUNK and c.isascii() for c in cells)   # fits a cell, nothing to clean
    back = sr.from_cells([[c] for c in cells])
    assert back == {"magic": sr.MAGIC, "version": sr.VERSION, **rec}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.none() | st.integers() | st.text(max_size=60), max_size=3), max_size=6))
def test_anything_else_is_no_record(rows):
    got = sr.from_cells(rows)
    assert got is None or got.get("magic") == sr.MAGIC


def test_damaged_or_foreign_records_are_ignored():
    good = sr.to_cells({"sources": [], "bases": [], "firm_columns": [], "problems": []})
    assert sr.from_cells([[c] for c in good]) is not None
    assert sr.from_cells([[good[0][:-1]]]) is None                                  # cut short
    assert sr.from_cells([[json.dumps({"magic": sr.MAGIC, "version": 99})]]) is None   # a future version
    wrong = json.dumps({"magic": sr.MAGIC, "version": sr.VERSION, "sources": {}, "bases": [], "firm_columns": [],
                        "problems": []})
    assert sr.from_cells([[wrong]]) is None                                         # a section of the wrong shape
    assert sr.from_cells([["{}"]]) is None and sr.from_cells([]) is None


def test_written_record_is_very_hidden_and_last(tmp_path):
    import xlsxwriter
    from python_calamine import CalamineWorkbook
    path = tmp_path / "x.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("附件11")
    rec = {"sources": [], "bases": [], "firm_columns": [], "problems": [{"message": "=1+1" * 10000}]}
    sr.add_record_sheet(wb, rec)
    wb.close()
    book = CalamineWorkbook.from_path(str(path))
    meta = {m.name: str(m.visible) for m in book.sheets_metadata}
    assert book.sheet_names[-1] == sr.SUMMARY_RECORD and "VeryHidden" in meta[sr.SUMMARY_RECORD]
    rows = book.get_sheet_by_name(sr.SUMMARY_RECORD).to_python()
    assert len(rows) > 1 and sr.from_cells(rows)["problems"] == rec["problems"]
