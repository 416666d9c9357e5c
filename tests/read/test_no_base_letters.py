"""A county's "no base" answer as counties write it in their own words (probe r5, session 15): a 附件11 row whose
基地名称 cell says "本县2024年度无符合申报条件的双创基地，不予推荐" (before: a base of that name, 12 必填项 错误 and 8
warnings on its empty cells), and a letter typed into a sheet — title, "市工信局：", "根据《关于…2024年…的通知》要求，
我局对全县…进行了摸底，目前我县暂无达到省级认定条件的双创基地，本次不作推荐。", the office's name, the date (before:
错误 "没有找到可识别的表格", the county counted as sending an unusable file). Both are the answer: 0 bases, one info."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from xlbase.read import read_workbook
from xlbase.read.labels import is_no_base_text

WHEN = ["", "目前", "本次", "2024年度", "今年"]
WHO = ["", "我县", "本县", "我区", "全县"]
NONE_OF = ["无符合申报条件的双创基地", "暂无达到省级认定条件的双创基地", "没有符合条件的基地", "暂无可推荐的项目"]
AGAIN = ["不予推荐", "不作推荐", "本次不作推荐", "不再上报", "暂不申报"]
HOW = ["经摸底排查", "根据《关于组织开展2024年省级小微企业创业创新基地认定工作的通知》要求", "我局对全县小微企业双创基地进行了摸底",
       "按照市局通知", "我局会同各乡镇进行了认真排查", "经核实"]
NAMES = ["云中双创基地", "无限创意双创基地", "平阳电商产业园双创基地", "无作坊创业园", "不夜城双创基地"]


@st.composite
def _answers(draw):
    when, who = draw(st.sampled_from(WHEN)), draw(st.sampled_from(WHO))
    head = f"{when}{who}" if draw(st.booleans()) else f"{who}{when}"
    return head + draw(st.sampled_from(NONE_OF))


@given(st.lists(st.sampled_from(HOW), max_size=2), _answers(), st.lists(st.sampled_from(AGAIN), max_size=1),
       st.sampled_from(["，", "；", ","]), st.sampled_from(["。", "", "。特此说明。"]))
def test_an_answer_said_again_after_how_it_was_found_is_an_answer(how, answer, again, comma, end):
    assert is_no_base_text(comma.join([*how, answer, *again]) + end)


@given(st.lists(st.sampled_from(HOW), max_size=2), st.sampled_from(NAMES), st.lists(st.sampled_from(AGAIN), max_size=1))
def test_a_base_named_between_them_is_no_answer(how, name, again):
    assert not is_no_base_text("，".join([*how, name, *again]))


@given(_answers(), st.sampled_from(["我县推荐如下", "现推荐云中双创基地1家", "详见附表", "另有2家正在培育"]))
def test_an_answer_followed_by_another_statement_is_no_answer(answer, more):
    assert not is_no_base_text(f"{answer}，{more}")


def _head() -> list[str]:
    return ["序号", "基地名称", "项目运营单位名称", "注册时间", "是否独立法人", "基地服务人员数", "已入驻企业数", "吸纳就业人员数",
            "建筑面积", "营业收入", "上缴税金", "当年完成投资额", "合作机构数量", "服务次数", "年服务中小企业户数", "组织开展的服务活动",
            "孵化成功企业数", "参加创客大赛企业数", "培育小升规企业数", "培育专精特新企业数", "培育高新技术企业数", "获得政府支持资金金额"]


@settings(max_examples=20, deadline=None)
@given(_answers(), st.sampled_from(AGAIN), st.booleans())
def test_a_summary_row_saying_it_is_the_answer(tmp_path_factory, answer, again, merged):
    head = _head()
    wb = Workbook()
    ws = wb.active
    ws.append(["2024年省级小微企业双创基地基本情况汇总表"])
    ws.append(["填报单位（盖章）：天镇县工业和信息化局"])
    ws.append(head)
    ws.append([1, f"{answer}，{again}"])
    if merged:
        ws.merge_cells(start_row=4, start_column=2, end_row=4, end_column=len(head))
    path = tmp_path_factory.mktemp("no") / "天镇县附件11.xlsx"
    wb.save(path)
    wr = read_workbook(str(path))
    assert not [p for p in wr.problems if p.severity != "info"], wr.problems
    assert [p.rule for p in wr.problems] == ["no-base"]
    assert [t.n_rows for t in wr.tables] == [0]


@settings(max_examples=20, deadline=None)
@given(st.lists(st.sampled_from(HOW), min_size=1, max_size=2), _answers(), st.sampled_from(AGAIN),
       st.sampled_from(["广灵县工业和信息化局", "广灵县工信局（盖章）", "广灵县人民政府办公室"]),
       st.sampled_from(["2024年8月16日", "2024-08-16", "二〇二四年八月十六日"]))
def test_a_letter_saying_it_is_the_answer(tmp_path_factory, how, answer, again, office, date):
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "广灵县工业和信息化局关于2024年省级小微企业双创基地推荐情况的说明"
    ws["A3"] = "市工信局："
    ws["A4"] = "    " + "，".join([*how, answer, again]) + "。"
    ws["A6"] = office
    ws["A7"] = date
    path = tmp_path_factory.mktemp("no") / "广灵县情况说明.xlsx"
    wb.save(path)
    wr = read_workbook(str(path))
    assert [p.rule for p in wr.problems] == ["no-base"], wr.problems
    assert [p.cell for p in wr.problems] == ["A4"]
    assert [t.n_rows for t in wr.tables] == [0]


def test_a_letter_naming_a_base_is_no_answer(tmp_path):
    """The same letter recommending a base: not read as "no base" (the file's own reading says what it is)."""
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "广灵县工业和信息化局关于2024年省级小微企业双创基地推荐情况的说明"
    ws["A3"] = "市工信局："
    ws["A4"] = "经摸底排查，我县推荐广灵县壶流河创业园1家，其余暂无符合条件的基地。"
    ws["A6"] = "广灵县工业和信息化局"
    path = tmp_path / "说明.xlsx"
    wb.save(path)
    wr = read_workbook(str(path))
    assert "no-base" not in [p.rule for p in wr.problems]
