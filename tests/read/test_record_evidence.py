"""A programme's record form is recognised on the evidence that it is this form — its title, its sheet's name, the
lines it shows and how much they tell it from other calls' forms — not on a fraction of all its lines.

Before: an 8-line 衡阳 申请表 typed by a base (its core lines, its own words) got "没有找到…的表格" because
programme_sheets._belongs wanted half of the form's 24 labels; the 16-line one was read. Now the form cut to its
required lines, to a third of its lines, or typed under its title alone is read, and each required line it lacks is
its own problem; another call's form, or a sheet that shows only lines every form has (联系人, 联系电话, 地址), is not
taken for it.
"""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stranger_records import line_rows, record_forms, save_record
from xlbase.check import check, pack_for
from xlbase.forms.programmes import load_programme, using
from xlbase.read import read_workbook

FORM_OF = {f.id: f for _, f in record_forms()}
PROGRAMME_FORMS = [(p, f) for p, f in record_forms() if load_programme(p).generic]
THIRDS = [(p, f) for p, f in PROGRAMME_FORMS if len(f.record_fields) // 3 >= 3]


def _forms_read(path, programme: str) -> set[str]:
    with using(load_programme(programme)):
        return {t.form_id for t in read_workbook(str(path)).tables}


def test_there_are_forms_to_cut():
    assert {f.id for _, f in THIRDS} >= {"衡阳申请表", "太原申请表"}


@pytest.mark.parametrize("programme, form", PROGRAMME_FORMS, ids=[f.id for _, f in PROGRAMME_FORMS])
def test_cut_to_its_required_lines_it_is_recognised(programme, form, tmp_path):
    rng = random.Random(form.id)
    rows = line_rows(form, [f for f in form.record_fields if f.required and f.official], rng)
    assert form.id in _forms_read(save_record(tmp_path / "a.xlsx", rows), programme)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=st.sampled_from(THIRDS), seed=st.integers(0, 10**6))
def test_a_random_third_of_its_lines_is_recognised(tmp_path_factory, case, seed):
    programme, form = case
    rng = random.Random(seed)
    lines = rng.sample(list(form.record_fields), len(form.record_fields) // 3)
    lines.sort(key=list(form.record_fields).index)
    path = save_record(tmp_path_factory.mktemp("third") / "a.xlsx", line_rows(form, lines, rng))
    assert form.id in _forms_read(path, programme), [f.key for f in lines]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=st.sampled_from(PROGRAMME_FORMS), seed=st.integers(0, 10**6))
def test_under_its_title_a_line_or_two_are_the_form(tmp_path_factory, case, seed):
    programme, form = case
    rng = random.Random(seed)
    lines = rng.sample([f for f in form.record_fields if f.official], rng.randint(1, 2))
    path = save_record(tmp_path_factory.mktemp("title") / "a.xlsx", line_rows(form, lines, rng),
                       title=form.title.replace("{year}", ""))
    assert form.id in _forms_read(path, programme)


def test_a_short_application_in_a_bases_own_words_is_read_and_each_missing_line_said(tmp_path):
    rows = [["耒阳市众创产业园基地申报情况"],
            ["基地名称", "耒阳市众创产业园"], ["运营单位地址", "耒阳市蔡子池街道五一路66号"], ["负责人", "周海涛"],
            ["成立日期", "2018年4月"], ["房屋总面积", "32000平方米"], ["自持部分", "9000平方米"], ["员工总数", "45人"],
            ["专职服务人员", "8人"]]
    path = save_record(tmp_path / "a.xlsx", rows)
    p = load_programme("hengyang-2023")
    with using(p):
        wr = read_workbook(str(path))
        problems = check([wr], pack_for(None, None, p), programme=p).problems
    (t,) = [t for t in wr.tables if t.form_id == "衡阳申请表"]
    assert t.record["base_name"] == "耒阳市众创产业园" and t.record["floor_area"] == 32000
    said = [x.field for x in problems if x.rule == "required" and "没有找到" in x.message]
    form = p.forms["衡阳申请表"]
    lacking = [f.key for f in form.record_fields if f.required and f.official and f.key in t.missing_fields]
    assert sorted(said) == sorted(lacking) and len(lacking) >= 5


OTHER_CALLS = [("hengyang-2023", "太原申请表"), ("hengyang-2023", "附件2"), ("taiyuan-2023", "衡阳申请表"),
               ("taiyuan-2023", "附件2"), ("hengyang-2023", "太原推荐表")]


@pytest.mark.parametrize("programme, other", OTHER_CALLS)
def test_another_calls_form_is_not_taken_for_this_ones(programme, other, tmp_path):
    """Another call's form typed without its title (its required lines, as a clerk copies them) shares some lines
    with this programme's record forms (基地名称, 法人代表, 联系电话…) but is more of its own: not read as them."""
    form = FORM_OF[other]
    rows = line_rows(form, [f for f in form.record_fields if f.official], random.Random(other))
    mine = {f.id for f in load_programme(programme).forms.values() if f.kind == "record"}
    assert not _forms_read(save_record(tmp_path / "a.xlsx", rows), programme) & mine


UNRELATED = {
    "contact": [["联系人", "王芳"], ["联系电话", "0734-8857006"], ["地址", "衡阳市蒸湘区解放大道18号"],
                ["电子邮箱", "wangfang@example.com"]],
    "notes": [["关于报送申报材料的说明"], ["一、本单位已按通知要求准备材料。"], ["二、纸质材料一式两份。"],
              ["联系人：王芳", "电话：13907341234"]],
    "meeting": [["会议名称", "2023年创业服务工作会"], ["时间", "2023年5月6日"], ["地点", "市工信局三楼会议室"],
                ["参会人员", "各县市区工信部门负责人"]],
}


@pytest.mark.parametrize("programme", ["hengyang-2023", "taiyuan-2023"])
@pytest.mark.parametrize("sheet", sorted(UNRELATED))
def test_an_unrelated_sheet_is_no_record_form(programme, sheet, tmp_path):
    mine = {f.id for f in load_programme(programme).forms.values() if f.kind == "record"}
    assert not _forms_read(save_record(tmp_path / "a.xlsx", UNRELATED[sheet]), programme) & mine


def test_a_line_typed_as_its_kind_is_read_as_a_value(tmp_path):
    """The generator's values are values, not labels: every line of a form typed whole is read, each value where
    it was typed (else the tests above would prove nothing)."""
    for programme, form in PROGRAMME_FORMS:
        rng = random.Random(1)
        fields = [f for f in form.record_fields if f.official]
        path = save_record(tmp_path / f"{form.id}.xlsx", line_rows(form, fields, rng),
                           title=form.title.replace("{year}", ""))
        with using(load_programme(programme)):
            (t,) = [t for t in read_workbook(str(path)).tables if t.form_id == form.id]
        found = [f.key for f in fields if f.key in t.record_cells]
        assert len(found) >= math.ceil(0.9 * len(fields)), (form.id, [f.key for f in fields if f.key not in found])
