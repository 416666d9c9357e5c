"""A third clerk's 附件3 lists (tests/fixtures/stranger_a3.py: titles, 单位 lines, merged header bands, 合计
rows, blank lines, numbers as text with thousands separators, 元 and 亩, a base column, swapped columns)
merged by `xlbase merge` in a subprocess: the firm cells that reach 入驻企业 under their right column."""

from __future__ import annotations

import json
import subprocess
import sys

import openpyxl
import pytest

import stranger_a3
from output_cells import firm_rows, tally
from xlbase.read.grid import Sheet
from xlbase.read.workbook import read_grids

@pytest.mark.parametrize("seed", [2, 3, 4])
def test_firm_cells_of_a_strangers_lists_reach_their_columns(tmp_path, seed):
    firms, facts = stranger_a3.inbox(tmp_path / "inbox", seed)
    assert {f["money"] for f in facts} == {"元", "万元"} and len({f["layout"] for f in facts}) >= 3
    out, report = tmp_path / "汇总表.xlsx", tmp_path / "r.json"
    proc = subprocess.run([sys.executable, "-m", "xlbase", "merge", str(tmp_path / "inbox"), "-o", str(out),
                           "--json", str(report), "-q"], capture_output=True, text=True, timeout=600)
    assert proc.returncode in (0, 1), proc.stderr
    got = firm_rows(openpyxl.load_workbook(out, data_only=True)["入驻企业"])
    right, wrong, missed = tally((got.get(want["firm_name"], {}), want) for _, want in firms)
    share = right / (right + wrong + missed)
    print(f"firm cells under their right column: {right}/{right + wrong + missed} = {share:.4f}")
    assert share >= 0.98 and wrong == 0, (right, wrong, missed)
    problems = json.loads(report.read_text(encoding="utf-8"))["problems"]
    yuan = sum(1 for f in facts if f["money"] == "元")
    converted = {(p["file"], p["field"]) for p in problems if p["rule"] == "column-unit-converted"
                 and p["form"] == "附件3" and p["field"] in ("revenue", "profit", "taxes")}
    assert len(converted) == 3 * yuan


def _table(heads: list[str], rows: list[list]):
    sheet = Sheet("Sheet1", [["入驻企业名单"], ["序号", *heads], *[[i, *r] for i, r in enumerate(rows, 1)]])
    (t,) = [t for t in read_grids("t.xlsx", [sheet]).tables if t.form_id == "附件3"]
    return t


def test_a_base_column_and_the_code_before_the_name_do_not_take_the_firms_name():
    """所属基地 first (every cell the same base), then 信用代码 before 公司名称: the names come from 公司名称 —
    its words and its values outweigh the place the official order would give 企业名称."""
    heads = ["基地名称", "营业执照代码", "公司名称", "入驻日期", "面积", "员工人数", "营业收入", "利润", "纳税"]
    base = "忻州市忻府区云谷双创基地"
    rows = [[base, "91140702MA0062027K", "山西程丰科技有限公司", "2021-03-04", 100, 5, 10.5, 1.2, 0.3],
            [base, "91140702MA0062028N", "山西华鑫商贸有限公司", "2022-05-06", 80, 3, 20.1, 2.2, 0.5]]
    t = _table(heads, rows)
    assert t.columns["firm_name"] == 4 and t.columns["credit_code"] == 3      # 1-based: 序号 is column 1
    assert list(t.data["firm_name"]) == ["山西程丰科技有限公司", "山西华鑫商贸有限公司"]


def test_a_line_break_inside_a_bracket_is_no_unit():
    """"企业（单\\n位）全称": the wrapped 单位 is part of the words, not a unit 位 (persons) that would turn the
    column away from 企业名称."""
    heads = ["企业（单\n位）全称", "信用代码", "入驻日期", "面积", "员工人数", "营业收入", "利润", "纳税"]
    t = _table(heads, [["山西程丰科技有限公司", "91140702MA0062027K", "2021-03-04", 100, 5, 10.5, 1.2, 0.3]])
    assert t.columns["firm_name"] == 2 and list(t.data["firm_name"]) == ["山西程丰科技有限公司"]


def test_a_first_row_of_numbers_typed_as_text_is_data_not_a_header_line():
    """A two-row header (经济指标 over 营收 | 利润 | 纳税) and every number typed as text: the first firm's row,
    whose 备注 says 新入驻 (入驻 is a header word), is still the first data row, not a third header line."""
    sheet = Sheet("Sheet1", [
        ["入驻企业基本情况表"],
        ["序号", "名称", "社会信用代码", "入园时间", "备注", "从业人员（人）", "面积（㎡）", "经济指标", "", ""],
        ["", "", "", "", "", "", "", "营收", "利润", "纳税"],
        ["1", "山西鑫远商贸有限公司", "91140702MA0064021F", "2020.11.7", "新入驻", "64", "2650", "1,529.36", "86.19", "0.48"],
        ["2", "山西恒恒信息技术有限公司", "91140702MA0064022J", "2022.4.6", "", "32", "403", "1,039.6", "-12.84", "47.85"]])
    (t,) = [t for t in read_grids("t.xlsx", [sheet]).tables if t.form_id == "附件3"]
    assert list(t.data["firm_name"]) == ["山西鑫远商贸有限公司", "山西恒恒信息技术有限公司"]
    assert [float(v) for v in t.data["revenue"]] == [1529.36, 1039.6]


def test_an_empty_column_left_inside_the_table_does_not_end_it():
    """An empty column between 员工人数 and the group 上年经济指标 (a deleted column): the money columns past it
    are still this table's."""
    sheet = Sheet("Sheet1", [
        ["入驻企业名单"], ["", "", "单位：元"],
        ["序号", "企业名称", "注册号", "入园时间", "场地面积", "在职人数", "", "上年经济指标", "", ""],
        ["", "", "", "", "", "", "", "收入", "实现利润", "纳税总额"],
        [1, "山西达泰餐饮管理有限公司", "91140702MA0063033F", "2023年3月5日", 219, 68, "", "19,216,500", "662,500", "229,400"]])
    (t,) = [t for t in read_grids("t.xlsx", [sheet]).tables if t.form_id == "附件3"]
    assert [float(t.data[k].iloc[0]) for k in ("revenue", "profit", "taxes")] == [1921.65, 66.25, 22.94]


def test_a_column_repeating_one_base_name_is_not_the_firms_names():
    """基地名称 (the same base on every row) before 入驻单位 (the firms): a column that repeats one value names
    no row, so the firms' names come from 入驻单位 although its words say less; 纳税人识别号 is the code."""
    base = "忻州市忻府区云谷双创基地"
    heads = ["基地名称", "入驻单位", "纳税人识别号", "入驻年月", "面积", "职工总数", "营业收入", "利润", "纳税"]
    names = ["山西程丰科技有限公司", "山西华鑫商贸有限公司", "山西博远信息技术有限公司"]
    codes = ["91140702MA0062027K", "91140702MA0062028N", "91140702MA0062029R"]
    rows = [[base, n, c, "2021.3", 100 + i, 5, 10.5, 1.2, 0.3] for i, (n, c) in enumerate(zip(names, codes))]
    t = _table(heads, rows)
    assert list(t.data["firm_name"]) == names and list(t.data["credit_code"]) == codes
