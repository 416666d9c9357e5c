"""The 汇总表 writer on hand-built merges: layout from the model, SUM formulas with cached values, atomicity."""

from __future__ import annotations

import openpyxl
import pytest

from merge_helpers import applicant_read, base_row, firm, summary_read
from xlbase.forms import get_form
from xlbase.merge.core import merge_reads
from xlbase.summary import workbook as summary_mod
from xlbase.summary.workbook import write_summary_workbook

A = "忻州市忻府区云中双创基地"
B = "忻州市原平市原平创业园双创基地"


def stub_problems_sheet(wb, problems):
    ws = wb.add_worksheet("问题清单")
    for i, p in enumerate(problems):
        ws.write_string(i, 0, p.message)


def _merge():
    app = applicant_read("in/a.xlsx", base_row(A, "云中公司", firms=2, revenue=12.5),
                         [firm("甲", "91140900MA0K000001"), firm("=HYPERLINK(\"x\")", "91140900MA0K000002")])
    summ = summary_read("in/s.xlsx", [base_row(B, "原平公司", firms=40, revenue=0.25)])
    return merge_reads([app, summ])


def test_a11_layout_totals_and_cached_values(tmp_path):
    out = tmp_path / "汇总表.xlsx"
    res = _merge()
    write_summary_workbook(out, res, res.problems, level="city", year=2024, unit="忻州市",
                           add_problems_sheet=stub_problems_sheet)
    form = get_form("附件11")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["附件11", "问题清单", "各县情况", "入驻企业"]
    ws = wb["附件11"]
    assert ws["A1"].value == form.title_for(2024)
    assert "忻州市" in ws["A2"].value
    labels = [(ws.cell(4, c).value or ws.cell(3, c).value).replace("\n", "") for c in range(2, 2 + len(form.table_fields))]
    assert labels == [f.header_text for f in form.table_fields]
    assert [ws.cell(r, 2).value for r in (5, 6)] == [A, B]  # stable order: city, county, name (忻府区 < 原平市)
    total_row = 7
    assert ws.cell(total_row, 1).value == "汇总"
    cached = openpyxl.load_workbook(out, data_only=True)["附件11"]
    for c, f in enumerate(form.table_fields, start=2):
        if f.is_numeric:
            assert ws.cell(total_row, c).value.startswith("=SUM(")
            assert cached.cell(total_row, c).value == pytest.approx(res.totals()[f.key])
    col = 2 + list(form.table_fields).index(form.field("resident_firms"))
    assert cached.cell(total_row, col).value == 42
    assert ws.print_title_rows.replace("$", "") == "3:4"
    firms = wb["入驻企业"]
    assert firms.cell(5, 5).value == "=HYPERLINK(\"x\")" and firms.cell(5, 5).data_type == "s"   # the 2nd firm
    units = wb["各县情况"]
    assert [units.cell(r, 2).value for r in (5, 6)] == ["忻府区", "原平市"]


def test_failure_mid_write_keeps_old_output(tmp_path, monkeypatch):
    out = tmp_path / "汇总表.xlsx"
    out.write_bytes(b"old output")
    res = _merge()

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(summary_mod, "write_firms_sheet", boom)
    with pytest.raises(RuntimeError):
        write_summary_workbook(out, res, [], level="city", year=2024, unit="", add_problems_sheet=stub_problems_sheet)
    assert out.read_bytes() == b"old output"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["汇总表.xlsx"]


def test_same_merge_same_bytes(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1723000000")
    res = _merge()
    for name in ("1.xlsx", "2.xlsx"):
        write_summary_workbook(tmp_path / name, res, res.problems, level="city", year=2024, unit="忻州市",
                               add_problems_sheet=stub_problems_sheet)
    assert (tmp_path / "1.xlsx").read_bytes() == (tmp_path / "2.xlsx").read_bytes()
