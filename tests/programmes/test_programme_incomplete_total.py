"""A programme 汇总表's 合计 over rows that do not all give a figure: a county's own 推荐汇总表 has the notice's five
columns, an application gives 服务人员数, 面积, 入驻企业数… too. The 合计 of those columns summed the applications
only and looked complete. Now each such 合计 is marked * with a line under it, and the county's file gets one
note naming its rows' missing figures (an info: the notice's form does not ask for them)."""

from __future__ import annotations

import json

import openpyxl
import pytest

from hengyang_inbox import retyped_applicant
from programme_inbox import load_case, read_summary, xlbase

CASE = load_case("hengyang-2023")
NAME = "耒阳市双创基地"
ANSWERS = CASE.answers({"衡阳申请表": {"county": "耒阳市"}, "衡阳企业名单": {"repeat": 5}})


def _county_list(path) -> None:
    """衡南县's own list, typed by its clerk from the notice: its five columns, the 简要 stating two figures."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["衡阳市中小微企业创新创业基地推荐汇总表"], ["填报单位：衡南县工业和信息化局"],
                ["序号", "单位名称", "联系人", "联系电话", "基地基本情况（简要）"],
                [1, "衡南县云集众创空间", "刘明", "13907341234", "服务人员12人，入驻企业36家"],
                [2, "衡南县车江创业基地", "陈芳", "0734-8812345", "服务人员8人，入驻企业52户"]):
        ws.append(row)
    wb.save(path)


@pytest.mark.parametrize("with_county_list", [True, False])
def test_a_total_some_rows_lack_is_marked(tmp_path, with_county_list):
    inbox = tmp_path / "收件"
    inbox.mkdir()
    retyped_applicant(inbox / "耒阳双创.xlsx", ANSWERS, NAME)
    if with_county_list:
        _county_list(inbox / "衡南县推荐汇总表.xlsx")
    out = tmp_path / "汇总表.xlsx"
    res = xlbase("merge", str(inbox), "--programme", CASE.name, "-o", str(out), "--json", str(tmp_path / "r.json"))
    assert res.returncode in (0, 1), res.stdout + res.stderr
    said = [p for p in json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["problems"]
            if p["rule"] == "incomplete-total"]
    rows, total = read_summary(out, CASE.programme)
    form = CASE.programme.form(CASE.programme.layout("summary.yaml")["form"])
    grey = [f for f in form.table_fields if f.is_numeric and not f.official and not f.merge_only]
    ws = openpyxl.load_workbook(out).worksheets[0]
    total_row = next(r for r in ws.iter_rows() if r[0].value == form.total_label)
    marked = {c.column for c in total_row if str(c.number_format).endswith('"*"')}
    if not with_county_list:
        assert not said and not marked
        return
    assert len(rows) == 3
    [one] = said
    assert one["severity"] == "info" and one["file"].endswith("衡南县推荐汇总表.xlsx") and one["value"] == 2
    # the 简要 states 服务人员 and 入驻企业 of both rows (read.text_figures): those columns are whole
    from_text = {"service_staff": 12 + 8, "firms": 36 + 52}
    lacking = [f for f in grey if f.key not in from_text]
    assert all(f"“{f.label}”" in one["message"] for f in lacking[:6])
    assert not any(f"“{f.label}”" in one["message"] for f in grey if f.key in from_text)
    assert len(marked) == len(lacking)                    # every figure the county list lacks, and only those
    assert total["listed_firms"] == 5                     # the sum is what it is, marked
    assert total["service_staff"] == ANSWERS["衡阳申请表"]["service_staff"] + from_text["service_staff"]
    below = [c.value for c in ws[total_row[0].row + 1] if c.value]
    assert below and "带 * 的合计不完整" in below[0]
