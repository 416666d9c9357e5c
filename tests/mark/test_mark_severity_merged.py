"""Marks a clerk can see: on a merged range's top-left cell, in a light fill by severity, and
problem locations without a dangling '!'."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import xlsxwriter

from mark_fixtures import applicant_workbook, values
from xlbase.problems import Problem
from xlbase.commands.mark import mark_command
from xlbase.mark.marks import MARK_FILLS, RESULT_SHEET, where
from xlbase.mark.copy import mark_workbook
from xlbase.reports.problems import SEVERITY_FILLS


def _merged_book(path: Path) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("附件3")
    ws.write_row(0, 0, ["序号", "企业名称", "入驻时间", "面积"])
    ws.merge_range("C2:C4", "2021-01-01")
    ws.merge_range("B5:D5", "")
    ws.write_string("B2", "甲公司")
    wb.close()
    return path


def _fill(ws, ref: str) -> str:
    cell = ws[ref]
    return (cell.fill.fgColor.rgb or "") if cell.fill and cell.fill.fill_type == "solid" else ""


def test_a_cell_in_a_merged_range_is_marked_on_the_range(tmp_path: Path) -> None:
    book = _merged_book(tmp_path / "合并.xlsx")
    problems = [Problem("required", "error", "入驻时间未填写", sheet="附件3", cell="C3"),
                Problem("required", "info", "按当月1日计", sheet="附件3", cell="D5"),
                Problem("required", "warning", "名称可疑", sheet="附件3", cell="B2")]
    res = mark_workbook(book, problems)
    assert sorted(res.marked) == [("附件3", "B2"), ("附件3", "B5"), ("附件3", "C2")]
    ws = openpyxl.load_workbook(res.out)["附件3"]
    assert _fill(ws, "C2") == MARK_FILLS["error"] and _fill(ws, "C3") == ""
    assert _fill(ws, "B5") == MARK_FILLS["info"] and _fill(ws, "B2") == MARK_FILLS["warning"]
    rows = values(res.out)[RESULT_SHEET]
    listed = {r[4]: r[3] for r in rows[3:]}
    assert listed["入驻时间未填写"] == "C2:C4" and listed["按当月1日计"] == "B5:D5" and listed["名称可疑"] == "B2"
    links = {c.coordinate: c.hyperlink.location for row in openpyxl.load_workbook(res.out)[RESULT_SHEET].iter_rows()
             for c in row if c.hyperlink}
    assert "'附件3'!C2" in links.values() and "'附件3'!B5" in links.values()


def test_fills_are_light_and_tell_severities_apart() -> None:
    assert len(set(MARK_FILLS.values())) == 3 and "FFFF0000" not in MARK_FILLS.values()
    for argb in MARK_FILLS.values():
        r, g, b = (int(argb[i:i + 2], 16) for i in (2, 4, 6))
        assert 0.299 * r + 0.587 * g + 0.114 * b > 180      # prints light grey, not near black
    assert {k: "FF" + v for k, v in SEVERITY_FILLS.items()} == MARK_FILLS   # the 问题清单 colours


def test_worst_severity_wins_on_a_shared_cell(tmp_path: Path) -> None:
    book = _merged_book(tmp_path / "合并.xlsx")
    res = mark_workbook(book, [Problem("a", "info", "提示", sheet="附件3", cell="C2"),
                               Problem("b", "error", "错误", sheet="附件3", cell="C4")])
    assert res.marked == [("附件3", "C2")]
    assert _fill(openpyxl.load_workbook(res.out)["附件3"], "C2") == MARK_FILLS["error"]


def test_problem_without_cell_has_no_bang(tmp_path: Path) -> None:
    assert where(Problem("x", "info", "m", sheet="附件11")) == "附件11"
    assert where(Problem("x", "info", "m", sheet="附件3", cell="B7")) == "附件3!B7"
    assert where(Problem("x", "info", "m")) == ""
    res = mark_command(applicant_workbook(tmp_path / "申报表.xlsx", n_firms=5))
    assert res.lines and not any(re.search(r"!(\s|$)", line) for line in res.lines)
