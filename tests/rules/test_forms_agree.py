"""附件2 and 附件10 state the same facts: one check per fact, a warning where they differ (forms-agree),
and forms-missing only for an applicant's workbook. On workbooks written by tests/fixtures/submissions.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import given, settings, strategies as st

from submissions import A2_PAIRS, A10_KEYS, BASE_NAME, OPERATOR, applicant
from xlbase.forms import divisions, get_form
from xlbase.read import read_files
from xlbase.rules import PackError, list_packs, load_pack, parse_pack
from xlbase.rules.kinds.forms import same_base_name
from xlbase.rules.pack import packs_dir
from xlbase.text import fold
from xlbase.commands.validate import validate_reads

PACK = load_pack("shanxi-2024-base")


def check(*paths, pack=PACK):
    problems, _ = validate_reads(read_files([str(p) for p in paths], jobs=1), pack)
    return problems


def of(problems, rule):
    return [p for p in problems if p.rule == rule]


def a2_cell(key: str) -> str:
    """Where submissions.write_a2 (layout 2col) puts the value of `key`."""
    return f"B{3 + [k for _, k, _ in A2_PAIRS].index(key)}"


def a10_cell(key: str) -> str:
    return f"{chr(ord('A') + A10_KEYS.index(key))}3"


def test_a2_and_a10_disagreeing_on_counts_is_a_warning_naming_both_cells(tmp_path):
    # 附件10 and 附件3 agree on 26 firms and 390 employees; 附件2 says 30 and 999 (the application form is wrong)
    path = applicant(tmp_path / "a.xlsx", n_firms=26, a2_firms=30, a2={"employees": 999})
    problems = check(path)
    agree = sorted(of(problems, "forms-agree"), key=lambda p: p.cell)
    assert [(p.severity, p.sheet, p.cell, p.value, p.threshold) for p in agree] == [
        ("warning", "附件2", a2_cell("resident_firms"), 30, 26), ("warning", "附件2", a2_cell("employees"), 999, 390)]
    firms, staff = agree
    for text in ("附件2", "附件10", "30", "26", f"附件2!{a2_cell('resident_firms')}", f"附件10!{a10_cell('resident_firms')}"):
        assert text in firms.message, text
    assert "企业职工人数" in staff.message and "吸纳就业人员数" in staff.message and "999" in staff.message
    # 附件3 agrees with 附件10: the count rules are silent, the base is judged once
    assert of(problems, "firm-count-match") == [] and of(problems, "employee-sum-match") == []


def test_facts_that_agree_or_that_one_form_leaves_blank_give_nothing(tmp_path):
    assert of(check(applicant(tmp_path / "same.xlsx")), "forms-agree") == []
    # 附件10 leaves 吸纳就业人员数 blank: nothing to compare (required reports the blank)
    blank = check(applicant(tmp_path / "blank.xlsx", a10={"employees": None}))
    assert of(blank, "forms-agree") == []


@pytest.mark.parametrize("a2,a10,differs", [
    ({"resident_firms": "30户"}, {"resident_firms": 30}, False),                   # the reader's numbers compare
    ({"registered_on": "2018年5月10日"}, {"registered_on": dt.date(2018, 5, 10)}, False),
    ({"registered_on": dt.date(2018, 5, 10)}, {"registered_on": dt.date(2019, 5, 10)}, True),
    ({"operator": "忻州 晨光企业管理有限公司"}, {"operator": OPERATOR}, False),           # spaces and punctuation fold away
    ({"operator": "忻州晨光物业有限公司"}, {"operator": OPERATOR}, True),
    ({"base_name": "晨光楼宇双创基地"}, {"base_name": BASE_NAME}, False),                 # 附件10 names the place, 附件2 apart
    ({"base_name": "忻府区晨光楼宇双创基地"}, {"base_name": BASE_NAME}, False),
    ({"base_name": "忻州市原平市晨光楼宇双创基地"}, {"base_name": BASE_NAME}, True),        # another county
    ({"base_name": "忻州市忻府区晨曦楼宇双创基地"}, {"base_name": BASE_NAME}, True),
])
def test_each_fact_compares_as_its_type(tmp_path, a2, a10, differs):
    (key,) = a2
    problems = of(check(applicant(tmp_path / "x.xlsx", a2=a2, a10=a10)), "forms-agree")
    assert [(p.cell, p.form) for p in problems] == ([(a2_cell(key), "附件2")] if differs else [])


@pytest.mark.parametrize("a2,differs", [({"base_type": "楼宇"}, False), ({"base_type": "城市楼宇型"}, False),
                                        ({"base_type": "文创型"}, True)])
def test_a_type_compares_as_its_value_list_spells_it(tmp_path, a2, differs):
    # 附件10 has a 基地类型 column saying 楼宇型
    problems = of(check(applicant(tmp_path / "x.xlsx", a2=a2, a10_type_column=True)), "forms-agree")
    assert [p.cell for p in problems] == ([a2_cell("base_type")] if differs else [])
    assert all("文创型" in p.message and "楼宇型" in p.message for p in problems)


def test_a_fact_on_a2_and_a10_is_judged_once_on_a10(tmp_path):
    # both too few staff and both registered too recently: one error each, at 附件10 (not also at 附件2)
    young = dt.date(2024, 3, 1)
    both = check(applicant(tmp_path / "both.xlsx", a2={"service_staff": 8, "staff_bachelor": 4, "staff_technical": 3,
                                                       "tutors": 3, "registered_on": young},
                           a10={"service_staff": 8, "registered_on": young}))
    for rule, key in (("service-staff-min", "service_staff"), ("operator-age", "registered_on")):
        assert [(p.sheet, p.cell) for p in of(both, rule)] == [("附件10", a10_cell(key))], rule
    assert of(both, "forms-agree") == []
    # they differ: 附件10 is judged, the difference is a warning, no second error from 附件2
    differ = check(applicant(tmp_path / "differ.xlsx", a2={"service_staff": 8, "staff_bachelor": 4,
                                                            "staff_technical": 3, "tutors": 3}))
    assert of(differ, "service-staff-min") == []
    assert [p.cell for p in of(differ, "forms-agree")] == [a2_cell("service_staff")]


def test_a10_without_the_value_falls_back_to_a2(tmp_path):
    problems = check(applicant(tmp_path / "x.xlsx", a2={"service_staff": 8, "staff_bachelor": 4, "staff_technical": 3,
                                                        "tutors": 3}, a10={"service_staff": None}))
    assert [(p.sheet, p.cell, p.value) for p in of(problems, "service-staff-min")] == [("附件2", a2_cell("service_staff"), 8)]
    # 附件10 leaves 已入驻企业数 blank: 附件3's 12 firms are checked against 附件2's 30
    few = check(applicant(tmp_path / "few.xlsx", n_firms=12, a2_firms=30, a10={"resident_firms": None}))
    (count,) = of(few, "firm-count-match")
    assert (count.sheet, count.cell, count.value, count.threshold) == ("附件2", a2_cell("resident_firms"), 30, 12)


def _rules_on(pack, form_id, key):
    """Threshold rules (not the form model's bounds, not forms-agree) that read `key` on `form_id`."""
    return [r for r in pack.rules if r.kind in ("min", "max", "equals", "age-in-years") and key in r.fields
            and form_id in r.forms]


@pytest.mark.parametrize("pack_id", list_packs())
def test_every_pack_judges_a_shared_fact_once(pack_id):
    pack = load_pack(pack_id)
    a2, a10 = get_form("附件2"), get_form("附件10")
    shared = [k for k in a10.keys if a2.has_field(k)]
    for key in shared:
        on_a2, on_a10 = _rules_on(pack, "附件2", key), _rules_on(pack, "附件10", key)
        assert not (on_a2 and on_a10), (pack_id, key, [r.id for r in on_a2 + on_a10])
    (agree,) = [r for r in pack.rules if r.kind == "forms-agree"]
    assert agree.forms == ("附件2", "附件10") and agree.severity == "warning"
    # every fact a 附件10 rule falls back to 附件2 for is one the two forms must agree on
    for r in pack.rules:
        if r.fallback == "附件2":
            key = (r.params.get("target") or {}).get("field") or r.field
            assert key in agree.fields, (pack_id, r.id)


def test_the_pack_checks_what_the_template_checks_in_the_sheet():
    """The template's live checks are chosen from the pack by kind and field (rules.live), never by rule id:
    beside 附件3, the default pack's counts-match / sum-matches rules with forms-agree for the fallback form;
    red marks for its minimums."""
    from xlbase.rules.live import firm_totals, minimum_rules
    pack = load_pack()
    (agree,) = [r for r in pack.rules if r.kind == "forms-agree"]
    totals = firm_totals(pack)
    assert [(t.rule.kind, t.target, t.column) for t in totals] == [
        ("counts-match", "resident_firms", "firm_name"), ("sum-matches", "employees", "employees")]
    for t in totals:
        assert t.agreement == agree and t.target in agree.fields
        assert t.rule.form == "附件3" and "附件10" in t.rule.args.target.forms and t.rule.fallback == "附件2"
    marks = minimum_rules(pack)
    assert set(marks) == {"resident_firms", "service_staff", "tutors", "partner_orgs"}
    assert all(rule.kind == "min" and rule.field == key for key, rule in marks.items())
    # another pack's rules, not a list in the code: a pack without a firm-count rule has no such check
    fewer = replace(pack, rules=tuple(r for r in pack.rules if r.kind != "counts-match"))
    assert [t.rule.kind for t in firm_totals(fewer)] == ["sum-matches"]


_FIGURE = st.none() | st.integers(0, 700)


@settings(max_examples=150, deadline=None)
@given(firms=st.integers(1, 30), staff=st.integers(0, 20), a10_firms=_FIGURE, a2_firms=_FIGURE,
       a10_staff=_FIGURE, a2_staff=_FIGURE, near=st.floats(0.9, 1.1))
def test_the_sheets_verdicts_are_validates(firms, staff, a10_firms, a2_firms, a10_staff, a2_staff, near):
    """templates.checks judges 附件10's and 附件2's figures against 附件3 as validate does (the same
    rules, tolerances and fallback; the Excel formulas are checked against this in
    tests/templates/test_template_checks_agree.py): a tolerance or fallback that drifts fails here."""
    from rules_kit import a3_rows, a10_row, record, table
    from xlbase.rules import validate
    from xlbase.rules.live import firm_totals
    from xlbase.templates.checks import mismatch_values
    have = {"resident_firms": firms, "employees": firms * staff}
    if a10_staff is not None:          # often near the sum, where a tolerance decides
        a10_staff = round(have["employees"] * near)
    a10 = {"resident_firms": a10_firms, "employees": a10_staff}
    a2 = {"resident_firms": a2_firms, "employees": a2_staff}
    ts = [table("附件10", [a10_row(**a10)]), record("附件2", a2),
          table("附件3", [dict(r, employees=staff) for r in a3_rows(firms)])]
    # judged by the rules it looks at alone: the pack's others took two thirds of the time and report nothing here
    judges = {total.rule.id for total in firm_totals(PACK)} | {"forms-agree"}
    problems = validate(ts, replace(PACK, rules=tuple(r for r in PACK.rules if r.id in judges)))
    for total in firm_totals(PACK):
        rule, target = total.rule, total.target
        label = {f: get_form(f).field(target).label for f in ("附件2", "附件10")}
        found = {f: any(p.form == f and p.field == label[f] and p.rule in (rule.id, "forms-agree") for p in problems)
                 for f in ("附件10", "附件2")}
        assert mismatch_values(total, have[target], a10[target], a2[target]) == found, (target, problems)


@pytest.mark.parametrize("as_of,drop", [(None, False), (dt.date(2024, 8, 20), False), (dt.date(2024, 8, 20), True)])
def test_a_county_summary_of_ours_is_not_an_applicant_workbook(tmp_path, as_of, drop):
    """Checked with the pack it was written with (its tables are not validated again), and with another
    基准日期: then every rule runs on its 附件11 and on its 入驻企业 sheet (read as an 附件3 whose rows
    name their own base), and it holds neither 附件2 nor 附件10. With its 附件11 sheet deleted by hand, the
    入驻企业 sheet is still a firm list of many bases, not one applicant's 附件3."""
    from openpyxl import load_workbook

    from xlbase.commands.merge import merge_command
    inbox = tmp_path / "忻府区"
    inbox.mkdir()
    applicant(inbox / "晨光.xlsx")
    out = tmp_path / "汇总表.xlsx"
    merge_command([str(inbox)], out=out, level="county", rules=None, as_of=None, json_out=None, unit=None, jobs=1,
                  quiet=True)
    if drop:
        wb = load_workbook(out)
        del wb["附件11"]
        wb.save(out)
    problems = check(out, pack=load_pack(as_of=as_of))
    assert of(problems, "forms-missing") == []
    if as_of:   # the rules did run on its rows
        assert "lower-pack-differs" in {p.rule for p in problems}
    # an applicant's own 附件3 without 附件10 is still asked for it
    assert [p.form for p in of(check(applicant(tmp_path / "x.xlsx", forms=("附件2", "附件3", "附件4"))),
                               "forms-missing")] == ["附件10"]


def test_a_forms_agree_rule_needs_two_forms():
    text = packs_dir().joinpath("shanxi-2024-base.yaml").read_text(encoding="utf-8")
    one = text.replace("    forms: [附件2, 附件10]     #", "    forms: [附件2]     #", 1)
    assert one != text
    with pytest.raises(PackError, match=r"第 \d+ 行.*forms-agree"):
        parse_pack(one)
    missing = text.replace("fields: [base_name, operator,", "fields: [tutors, base_name, operator,", 1)
    with pytest.raises(PackError, match="附件10 没有字段“tutors”"):
        parse_pack(missing)


_PLACES = [(city, county) for city, counties in divisions()["cities"].items() for county in counties]
_REST = st.text(alphabet="晨光楼宇创客文旅科技园区电商双创基地中心", min_size=2, max_size=10).map(lambda s: s + "双创基地")


@settings(max_examples=200, deadline=None)
@given(rest=_REST, place=st.sampled_from(_PLACES), other=st.sampled_from(_PLACES))
def test_a_base_name_with_or_without_its_place_is_one_name(rest, place, other):
    city, county = place
    full = fold(f"{city}{county}{rest}")
    assert same_base_name(full, fold(rest)) and same_base_name(fold(f"{county}{rest}"), full)
    assert same_base_name(full, full)
    if other[1] != county:           # the same name in another county is another base
        assert not same_base_name(full, fold(f"{other[0]}{other[1]}{rest}"))


@pytest.mark.parametrize("a2,a10,differ", [(("忻州", "忻府区"), ("忻州市", "忻府区"), []),
                                           (("忻州市", "忻府"), ("忻州市", "忻府区"), ["所在县（市、区）"]),
                                           (("太原市", "小店区"), ("忻州市", "忻府区"), ["所在县（市、区）", "所在市"])])
def test_city_and_county_compare_as_places(a2, a10, differ):
    """The template's 附件10 has 所在市 / 所在县 columns (copied from 附件2 by formula); a clerk may retype them."""
    from rules_kit import a10_row, record, table
    from xlbase.rules import validate
    ts = [record("附件2", {"city": a2[0], "county": a2[1]}), table("附件10", [a10_row(city=a10[0], county=a10[1])])]
    assert sorted(p.field for p in of(validate(ts, PACK), "forms-agree")) == differ
