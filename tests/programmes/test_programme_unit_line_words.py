"""The line naming who sends a 汇总表 in the words the notices print for it — "推荐单位（盖章）：衡南县工业和信息化局"
(衡阳's and 太原's covers and forms), above the table or at its foot beside the date. Before: only 填报单位/填表单位/报送单位/
申报单位 lines were read, so the unit was taken from the file name or a base's name or left blank (warning, 各县情况
"（未填写）"), and a foot line was read as a data row (three 必填项 错误 on a row of nothing but the date). Now every
programme's own `org_line` word is a page line, when it is one: followed by a bracket, a colon or a blank to fill."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings, strategies as st

from programme_inbox import xlbase
from xlbase.forms import value_list
from xlbase.forms.programmes import list_programmes, load_programme, using
from xlbase.read.labels import line_kind
from xlbase.read.workbook import read_workbook

CITY_PROGRAMMES = ["hengyang-2023", "taiyuan-2023"]
WORDS = ["推荐单位", "填报单位", "申请单位"]


def _summary(programme, out: Path, line: str, foot: bool, names: list[str]) -> None:
    """The programme's 汇总表 as a clerk types it: title, the unit's line above the header or under the rows, a row per
    base with every official column filled in its kind."""
    layout = programme.layout("summary.yaml")
    form = programme.form(layout["form"])
    fields = [f for f in form.table_fields if f.official]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([form.title])
    if not foot:
        ws.append([line])
    ws.append([form.number_label or "序号", *(f.label for f in fields)])
    for i, name in enumerate(names, 1):
        ws.append([i, *(name if f.identity == "base_name" else _value(f, i) for f in fields)])
    if foot:
        ws.append([])
        ws.append([line, None, None, "2023年5月18日"])
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)


def _value(f, i: int):
    if f.type == "phone":
        return f"0734-88{i:05d}"
    if f.type in ("integer", "money", "area", "number"):
        return 10 + i
    if f.type == "date":
        return "2019年3月"
    if f.choices:
        return None
    return f"{f.label}{i}"


@pytest.mark.parametrize("name", CITY_PROGRAMMES)
@pytest.mark.parametrize("line, foot", [("推荐单位（盖章）：{unit}工业和信息化局", False),
                                        ("推荐单位（盖章）：{unit}工业和信息化局", True),
                                        ("推 荐 单 位：{unit}工信局", True)])
def test_the_recommending_units_line_names_the_unit(tmp_path, name, line, foot):
    """Two units' 汇总表s in folders that name nobody, the bases named without their place: each row's unit is the
    one its 推荐单位 line names, the merge is the city's, and no row is read from the foot line."""
    programme = load_programme(name)
    layout = programme.layout("summary.yaml")
    units = list(value_list(layout["units"]))
    inbox = tmp_path / "收件"
    for n, unit in enumerate(units[1:3]):
        _summary(programme, inbox / f"0{n + 4}" / "推荐汇总表（盖章版）.xlsx", line.format(unit=unit), foot,
                 [f"云集众创空间{n}{i}" for i in range(2)])
    out = tmp_path / "市汇总表.xlsx"
    res = xlbase("merge", str(inbox), "--programme", name, "-o", str(out), "--json", str(tmp_path / "r.json"))
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    problems = report["problems"]
    assert res.returncode == 0, [p["message"] for p in problems if p["severity"] == "error"]
    assert report["summary"]["level"] == "city"
    assert not [p for p in problems if p["rule"] == "unit-from-place"], problems
    form = programme.form(layout["form"])
    unit_label = form.field(layout["unit"]).label
    ws = openpyxl.load_workbook(out)[programme.form(layout["form"]).sheet]
    rows = [r for r in ws.iter_rows(values_only=True)]
    head = next(i for i, r in enumerate(rows) if unit_label in [str(v or "").replace("\n", "") for v in r])
    col = [str(v or "").replace("\n", "") for v in rows[head]].index(unit_label)
    got = {r[col] for r in rows[head + 1:] if isinstance(r[0], int)}
    assert got == set(units[1:3])
    assert sum(isinstance(r[0], int) for r in rows[head + 1:]) == 4


@given(word=st.sampled_from(WORDS), spaced=st.booleans(), bracket=st.sampled_from(["", "（盖章）", "(盖章)", "（公章）"]),
       after=st.sampled_from(["：", ":", "_____", "：衡南县工业和信息化局", ":  祁东县工信局"]))
@settings(max_examples=80, deadline=None)
def test_a_unit_line_is_a_page_line_in_any_spelling(word, spaced, bracket, after):
    typed = (" ".join(word) if spaced else word) + bracket + after
    assert line_kind(typed) == "org", typed


@given(word=st.sampled_from(["推荐单位", "申请单位"]),
       rest=st.sampled_from(["组织测评情况（随机抽取，不少于10家）", "名称", "意见", "", "数量", "基本情况表"]))
def test_the_word_opening_another_text_is_no_page_line(word, rest):
    """A title or label that opens with the word (推荐单位组织测评情况, 申请单位名称), or the word alone (太原's 推荐表 line,
    a column naming each row's unit), is not the unit's line."""
    assert line_kind(word + rest) != "org"


def test_the_words_are_the_form_models():
    """Each programme's own org_line word is read as one, whichever programme is in use."""
    for name in list_programmes():
        for form in load_programme(name).forms.values():
            if form.org_line:
                for other in list_programmes():
                    with using(load_programme(other)):
                        assert line_kind(form.org_line + "某县工信局") == "org", (name, form.id)


@pytest.mark.parametrize("between", [[], [["2023年5月18日"]], [["衡阳市中小微企业创新创业基地推荐汇总表"]]])
def test_a_line_heading_the_next_table_is_not_the_foot_of_the_first(tmp_path, between):
    """Two tables on one sheet, the first with no line of its own: the 填报单位 line under it heads the second table
    (a header follows it), so it is not the first's foot — the first's unit stays unknown, not the second's."""
    programme = load_programme("hengyang-2023")
    form = programme.form(programme.layout("summary.yaml")["form"])
    head = [form.number_label, *(f.label for f in form.table_fields if f.official)]
    rows = [[form.title], head, [1, "云集众创空间", "刘敏", "0734-8521234", "服务人员8人"], [], *between,
            ["填报单位：祁东县工业和信息化局"], head, [1, "归阳创新创业园", "周丽", "0734-6321234", "服务人员7人"]]
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(tmp_path / "两县.xlsx")
    with using(programme):
        read = read_workbook(tmp_path / "两县.xlsx")
    lines = [t.org_line for t in read.tables if t.form_id == form.id]
    assert lines == ["", "填报单位：祁东县工业和信息化局"]
