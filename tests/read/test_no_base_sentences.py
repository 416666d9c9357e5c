"""A county's "no base" answer said as a sentence: how it was found out, the answer, a closing 特此说明 — or
as the one word 零报告. Each such sheet is the answer (0 bases, one info), never "no table found" (an error)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from xlbase.read import read_workbook
from xlbase.read.labels import is_no_base_text

LEAD_INS = ["经摸底排查", "经核实", "根据通知要求", "经认真排查", "按照市局通知", "通过摸排", "依据文件精神"]
ANSWERS = ["我县今年没有符合条件的小微企业双创基地申报", "本县暂无申报", "我区无符合条件的申报主体", "无",
           "今年暂无推荐的基地", "零报告", "本县零申报", "我县2024年度为零报告",
           # what there is none of, in the clerk's own order of words (data: names.yaml no_base_words)
           "我县今年无符合申报条件的双创基地", "本县不具备申报条件", "暂不申报", "我区暂无可推荐的项目",
           "没有达到申报标准的基地", "无满足条件的申报主体（已电话说明）"]
CLOSES = ["特此说明", "特此报告"]
NAMES = ["云中双创基地", "无限创意双创基地", "经开区创业园", "平阳电商产业园双创基地", "零点科技有限公司",
         "无忧创业园", "不夜城双创基地", "未来科技城基地", "无锡路电商产业园"]
STOPS = ["，", ",", "；", "。", ""]


@given(st.lists(st.sampled_from(LEAD_INS), max_size=2), st.sampled_from(ANSWERS),
       st.lists(st.sampled_from(CLOSES), max_size=1), st.sampled_from(STOPS[:3]), st.sampled_from(STOPS))
def test_an_answer_opened_by_how_it_was_found_and_closed_is_an_answer(leads, answer, closes, comma, end):
    assert is_no_base_text(comma.join([*leads, answer, *closes]) + end)


@given(st.lists(st.sampled_from(LEAD_INS), max_size=2), st.sampled_from(NAMES),
       st.lists(st.sampled_from(CLOSES), max_size=1), st.sampled_from(STOPS[:3]))
def test_a_base_named_after_a_lead_in_is_no_answer(leads, name, closes, comma):
    assert not is_no_base_text(comma.join([*leads, name, *closes]))


@given(st.sampled_from(ANSWERS), st.sampled_from(["经核实（含开发区）我县有两个基地", "我县推荐如下", "详见附表"]))
def test_an_answer_followed_by_more_than_a_close_is_no_answer(answer, more):
    assert not is_no_base_text(f"{answer}，{more}")


def test_a_sheet_saying_it_in_a_sentence_is_read_as_the_answer(tmp_path):
    for i, words in enumerate(["经摸底排查，我县今年没有符合条件的小微企业双创基地申报。", "零报告"]):
        wb = Workbook()
        ws = wb.active
        ws.append(["安泽县2024年省级小微企业双创基地基本情况汇总表"])
        ws.append(["填报单位：安泽县工业和信息化局"])
        ws.append([words])
        ws.append([])
        ws.append(["联系人：刘敏  电话：0357-5521000"])
        path = tmp_path / f"{i}.xlsx"
        wb.save(path)
        wr = read_workbook(str(path))
        assert not [p for p in wr.problems if p.severity == "error"], wr.problems
        assert [p.rule for p in wr.problems] == ["no-base"]
        assert [t.n_rows for t in wr.tables] == [0]


def test_a_table_whose_one_row_says_it_is_the_answer(tmp_path):
    """The official header typed, then the answer in the first cell under it (祁县 in a stranger's city inbox):
    no table of bases, no 'no table found' error."""
    wb = Workbook()
    ws = wb.active
    ws.append(["2024年省级小微企业双创基地基本情况汇总表"])
    ws.append(["填报单位：祁县工业和信息化局"])
    ws.append(["序号", "基地名称", "项目运营单位名称", "注册时间", "是否独立法人", "基地服务人员数", "已入驻企业数"])
    ws.append(["经排查，我县今年无符合申报条件的双创基地。"])
    path = tmp_path / "祁县附件11.xlsx"
    wb.save(path)
    wr = read_workbook(str(path))
    assert not [p for p in wr.problems if p.severity == "error"], wr.problems
    assert "no-base" in [p.rule for p in wr.problems]
