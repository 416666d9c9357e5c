"""太原's 测评 table prints 对所受服务的总体评价 as three tick columns (很满意 | 基本满意 | 不满意); a county clerk types
one 评价 column holding the words instead. The rows under the header hold those words as values: they are the
table's rows, never a second header row (the whole table was lost: its 11 rows swallowed into the header band,
evaluation-sample-min said the file had no list)."""

from __future__ import annotations

import openpyxl
import pytest

from xlbase.read import read_workbook

WORDS = ["很满意", "基本满意", "很满意", "不满意", "很满意", "基本满意", "很满意", "很满意", "基本满意", "很满意", "很满意"]


def _recommendation(path, head: list[str], answers: list[str | None]) -> None:
    """A 推荐表 typed by hand: the unit's lines, then the sampled firms with one answer column."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "推荐表"
    ws.append(["太原市中小企业公共服务示范平台推荐表"])
    ws.append(["示范平台承担单位名称：", "山西晋汇企业服务有限公司"])
    ws.append(["推荐单位：", "太原市小店区工业和信息化局", "填报日期：", "2023-03-25"])
    ws.append(["推荐单位组织测评情况（随机抽取，不少于10家）"])
    ws.append(head)
    for i, word in enumerate(answers):
        ws.append([f"太原市晋{i}科技有限公司", f"张{i}", "经理", f"1393510{i:04d}", "融资对接、政策咨询", word])
    ws.append(["对区域中小企业发展的影响和作用", "为区内三百余家中小企业提供融资和政策服务"])
    wb.save(path)


@pytest.mark.parametrize("answer_head", ["评价", "总体评价", "服务评价", "满意度"])
def test_rows_holding_the_forms_answer_words_are_rows_not_a_header(tmp_path, answer_head):
    path = tmp_path / "推荐表.xlsx"
    _recommendation(path, ["企业名称", "受访人", "职务", "电话", "接受的服务", answer_head], WORDS)
    read = read_workbook(str(path))
    (sample,) = [t for t in read.tables if t.form_id == "太原测评企业"]
    assert sample.n_rows == len(WORDS) and sample.header_row == 5
    assert sample.data["firm"].tolist() == [f"太原市晋{i}科技有限公司" for i in range(len(WORDS))]
    assert not [p for p in read.problems if p.rule == "evaluation-sample-min"]
