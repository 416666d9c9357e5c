"""The form model matches the official forms in seeds/000_57c0a8a30e3daff6.txt."""

from __future__ import annotations

import pytest

from xlbase.forms import APPLICANT_FORMS, FORM_IDS, all_forms, divisions, get_form, value_list
from xlbase.text import fold

A10_OFFICIAL = [
    "基地名称", "项目运营单位名称", "注册时间", "是否独立法人", "基地服务人员数", "已入驻企业数",
    "吸纳就业人员数", "建筑面积", "营业收入", "上缴税金", "当年完成投资额", "合作机构数量", "服务次数",
    "年服务中小企业户数", "组织开展的服务活动", "孵化成功企业数", "参加创客大赛企业数", "培育小升规企业数",
    "培育专精特新企业数", "培育高新技术企业数", "获得政府支持资金金额",
]


def test_a10_official_columns_in_official_order():
    assert [f.label for f in get_form("附件10").official_table_fields] == A10_OFFICIAL


def test_a10_groups_follow_the_paper_header():
    groups = [(g, len(fs)) for g, fs in get_form("附件10").header_groups()]
    assert groups[:3] == [("基本情况", 8), ("运营情况", 3), ("合作服务机构情况", 2)]
    assert ("孵化成果", 5) in groups


def test_a11_shares_a10_columns_with_its_own_spellings():
    a10, a11 = get_form("附件10"), get_form("附件11")
    assert [f.key for f in a11.official_table_fields] == [f.key for f in a10.official_table_fields]
    assert a11.field("employees").label == "吸纳就业人数"
    assert "吸纳就业人员数" in a11.field("employees").aliases
    assert a11.total_label == "汇总"


def test_our_columns_come_after_the_official_ones():
    for form in all_forms():
        flags = [f.official for f in form.table_fields]
        assert flags == sorted(flags, reverse=True), form.id


def test_a3_columns():
    labels = [f.label for f in get_form("附件3").official_table_fields]
    assert labels == ["企业名称", "营业执照注册号", "入驻时间", "厂房（场地）面积", "职工人数", "营业收入", "利润总额", "上缴税金"]
    assert get_form("附件3").field("profit").min is None  # losses are negative


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_labels_are_unambiguous_within_a_part(form_id):
    form = get_form(form_id)
    for part in ("record", "table"):
        seen: dict[str, str] = {}
        fields = [f for f in form.fields if f.part == part]
        for f in fields:
            k = fold(f.label)
            if f.section:  # record sub-labels (名称, 联系电话) are unique within their section
                k = fold(f.section) + "/" + k
            assert k not in seen, f"{form_id}: {f.key} and {seen[k]} share label {f.label}"
            seen[k] = f.key


def test_every_choice_field_has_a_list():
    for form in all_forms():
        for f in form.fields:
            if f.type in ("choice", "yesno"):
                assert value_list(f.choices or "yesno"), f.key


def test_prompts_fit_excel_limits():
    for form in all_forms():
        for f in form.fields:
            assert f.prompt and len(f.prompt) <= 255, (form.id, f.key)


def test_divisions_are_shanxi_11_cities_117_counties():
    cities = divisions()["cities"]
    assert list(cities)[:2] == ["太原市", "大同市"] and len(cities) == 11
    assert sum(len(v) for v in cities.values()) == 117
    assert len(value_list("base_type")) == 9


def test_applicant_workbook_sheet_order():
    assert APPLICANT_FORMS == ("附件2", "附件3", "附件4", "附件10")
    assert [get_form(i).sheet for i in APPLICANT_FORMS] == ["附件2", "附件3", "附件4", "附件10"]
