"""read_grids (the 校验 button's entry point) reads in-memory values like read_workbook reads the file."""

from __future__ import annotations

import pandas as pd
from openpyxl import load_workbook

import messy
from xlbase.read import Sheet, read_grids, read_workbook


def _grids(path) -> list[Sheet]:
    """What xlwings hands over: each sheet's values from A1, None for empty cells."""
    wb = load_workbook(path, data_only=True)
    return [Sheet(ws.title, [["" if v is None else v for v in r] for r in ws.iter_rows(values_only=True)],
                  ws.sheet_state == "visible") for ws in wb.worksheets]


def test_grids_give_the_same_tables_and_cells_as_the_file(tmp_path):
    path = tmp_path / "app.xlsx"
    messy.applicant_workbook(path)
    from_file = read_workbook(path)
    from_grid = read_grids("app.xlsx", _grids(path))
    assert [(t.form_id, t.sheet, t.header_row) for t in from_grid.tables] == \
           [(t.form_id, t.sheet, t.header_row) for t in from_file.tables]
    for a, b in zip(from_file.tables, from_grid.tables):
        pd.testing.assert_frame_equal(a.data.reset_index(drop=True), b.data.reset_index(drop=True), check_dtype=False)
        assert a.columns == b.columns and a.record == b.record and a.record_cells == b.record_cells
    assert sorted((p.rule, p.sheet, p.cell) for p in from_grid.problems) == \
           sorted((p.rule, p.sheet, p.cell) for p in from_file.problems if p.rule != "formula-no-value")
    assert {p.file for p in from_grid.problems} <= {"app.xlsx"}


def test_grids_without_forms_are_reported_not_raised():
    read = read_grids("空白.xlsx", [Sheet("Sheet1", [["hello"]])])
    assert not read.ok and read.problems[0].rule == "file-unusable" and "空白.xlsx" in read.problems[0].message
