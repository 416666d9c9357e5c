"""太原's 测评 table prints 对所受服务的总体评价 as three tick columns (很满意 | 基本满意 | 不满意); a county clerk types
one 评价 column holding the words instead. The rows under the header hold those words as values: they are the
table's rows, never a second header row (the whole table was lost: its 11 rows swallowed into the header band,
evaluation-sample-min said the file had no list)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


SCALES = {   # one clerk's words for the three answers, top to bottom
    "printed": ["很满意", "基本满意", "不满意"],
    "everyday": ["满意", "一般", "不满意"],
    "other": ["非常满意", "比较满意", "不太满意"],
}
KEYS = ["very_satisfied", "satisfied", "unsatisfied"]


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(sorted(SCALES)), st.lists(st.integers(0, 2), min_size=10, max_size=14),
       st.sampled_from(["评价", "总体评价", "满意度", "对所受服务的评价"]))
def test_one_column_of_answer_words_is_read_into_the_forms_tick_columns(scale, picks, head):
    words = [SCALES[scale][i] for i in picks]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "推荐表.xlsx"
        _recommendation(path, ["企业名称", "受访人", "职务", "电话", "接受的服务", head], words)
        read = read_workbook(str(path))
    (sample,) = [t for t in read.tables if t.form_id == "太原测评企业"]
    assert sample.n_rows == len(words)
    for i, pick in enumerate(picks):       # each row ticked in the column its word names, and only there
        assert [sample.data.at[i, k] for k in KEYS] == ["√" if j == pick else None for j in range(3)], (scale, i)
    assert {sample.cell(k, 6) for k in KEYS} == {"F6"}          # a problem about a tick points at the clerk's cell
    said = [p for p in read.problems if p.form == "太原测评企业" and p.rule in ("column-read-as", "unknown-column")]
    assert [(p.rule, p.cell) for p in said if p.cell == "F5"] == [("column-read-as", "F5")]
    assert not [p for p in read.problems if p.severity != "info"], [p.message for p in read.problems]


def test_a_word_that_cannot_be_told_is_left_unread_and_said(tmp_path):
    """满意 beside 很满意 may be the middle answer: not guessed."""
    path = tmp_path / "推荐表.xlsx"
    _recommendation(path, ["企业名称", "受访人", "职务", "电话", "接受的服务", "评价"], WORDS[:-1] + ["满意"])
    read = read_workbook(str(path))
    (sample,) = [t for t in read.tables if t.form_id == "太原测评企业"]
    assert [sample.data.at[len(WORDS) - 1, k] for k in KEYS] == [None, None, None]
    (p,) = [p for p in read.problems if p.severity == "warning"]
    assert p.cell == f"F{5 + len(WORDS)}" and "满意" in p.message


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.sampled_from(["√", "✓", "✔", "1", 1, "是", "☑"])), min_size=10,
                max_size=12))
def test_ticks_typed_the_clerks_way_are_ticks(rows):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "推荐表.xlsx"
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "推荐表"
        ws.append(["太原市中小企业公共服务示范平台推荐表"])
        ws.append(["示范平台承担单位名称：", "山西晋汇企业服务有限公司"])
        ws.append(["推荐单位组织测评情况（随机抽取，不少于10家）"])
        ws.append(["抽样企业名称", "被访人员姓名", "职务", "联系电话", "接受服务内容", "对所受服务的总体评价", None, None])
        ws.append([None, None, None, None, None, "很满意", "基本满意", "不满意"])
        for i, (col, mark) in enumerate(rows):
            ws.append([f"太原市晋{i}商贸有限公司", f"李{i}", "会计", f"0351-20{i:05d}", "财税代理",
                       *[mark if j == col else None for j in range(3)]])
        wb.save(path)
        read = read_workbook(str(path))
    (sample,) = [t for t in read.tables if t.form_id == "太原测评企业"]
    for i, (col, _) in enumerate(rows):
        assert [sample.data.at[i, k] for k in KEYS] == ["√" if j == col else None for j in range(3)]
    assert not [p for p in read.problems if p.severity != "info"]
    converted = [p for p in read.problems if p.rule == "value-converted"]
    assert bool(converted) == any(mark != "√" for _, mark in rows)
