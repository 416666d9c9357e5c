"""Blank is not always missing: breakdown cells and 时间 fields worded as a period (form spec flags)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, strategies as st

from test_rules_engine import PACK, good_a2, only
from xlbase.forms import get_form
from xlbase.read.normalise import CONVERTED, UNPARSEABLE, parse_value
from xlbase.read.periods import period_start
from xlbase.rules import validate

A2 = get_form("附件2")


def test_spec_marks_breakdowns_and_periods():
    parts = {f.key: f.part_of for f in A2.fields if f.part_of}
    assert parts == {"staff_bachelor": "service_staff", "staff_technical": "service_staff",
                     "fund_self": "total_investment", "fund_loan": "total_investment",
                     "fund_gov": "total_investment", "fund_other": "total_investment"}
    assert [f.key for f in A2.fields if f.period] == ["built_on"]


def test_blank_funding_parts_are_none_not_missing():
    t = good_a2(total_investment=1000.0, fund_self=1000.0, fund_loan=None, fund_gov=None, fund_other=None,
                staff_bachelor=None)
    problems = validate([t], PACK)
    assert only(problems, "required") == []
    assert only(problems, "funding-sum") == []          # 1000 = 1000 with the blank parts as none


def test_blank_parts_still_count_in_the_sum():
    t = good_a2(total_investment=1000.0, fund_self=600.0, fund_loan=None, fund_gov=None, fund_other=None)
    (p,) = only(validate([t], PACK), "funding-sum")
    assert p.severity == "error" and "600" in p.message


def test_all_parts_blank_with_a_total_is_a_warning_at_the_first_part():
    t = good_a2(total_investment=1000.0, fund_self=None, fund_loan=None, fund_gov=None, fund_other=None)
    (p,) = only(validate([t], PACK), "required")
    assert p.severity == "warning"
    assert p.cell == t.record_cells["fund_self"]
    assert "自筹" in p.message and "其他" in p.message and "1000" in p.message


def test_all_parts_blank_and_no_total_leaves_only_the_total_missing():
    t = good_a2(total_investment=None, fixed_investment=None, fixed_completed=None,
                fund_self=None, fund_loan=None, fund_gov=None, fund_other=None)
    ps = only(validate([t], PACK), "required")
    assert {p.field for p in ps} == {A2.field(k).label for k in ("total_investment", "fixed_investment",
                                                                  "fixed_completed")}
    assert all(p.severity == "error" for p in ps)


def test_other_required_cells_stay_errors():
    (p,) = only(validate([good_a2(legal_rep=None)], PACK), "required")
    assert p.severity == "error" and p.cell == good_a2().record_cells["legal_rep"]


SEPARATORS = ["—", "——", "-", "–", "~", "～", "至", "到", " - ", "－"]


@given(st.integers(1990, 2030), st.integers(0, 8), st.sampled_from(SEPARATORS), st.booleans(), st.booleans())
def test_a_period_reads_as_its_first_day(start, span, sep, with_nian, full_width):
    end = start + span
    text = f"{start}年{sep}{end}年" if with_nian else f"{start}{sep}{end}"
    if full_width:
        text = text.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    p = parse_value(text, A2.field("built_on"))
    assert (p.value, p.note) == (dt.date(start, 1, 1), CONVERTED)
    # a 时间 the notice does not word as a period keeps asking for a date
    assert parse_value(text, A2.field("registered_on")).note == UNPARSEABLE


def test_period_spellings():
    assert period_start("2012年至今") == dt.date(2012, 1, 1)
    assert period_start("2015.3-2017.6") == dt.date(2015, 3, 1)
    assert period_start("2012年") == dt.date(2012, 1, 1)
    assert period_start(2016.0) == dt.date(2016, 1, 1)
    for not_a_period in ("2016—2012", "正在建设", "2012年至某年", "", None, True, 2016.5, "12-16"):
        assert period_start(not_a_period) is None, not_a_period
    # a full date is read by the date parser, not as a period
    assert parse_value("2012年3月15日", A2.field("built_on")).value == dt.date(2012, 3, 15)


def test_a_none_word_in_a_number_cell_is_an_answer_not_a_blank():
    from rules_kit import a10_row, table
    row = a10_row(partner_orgs=None, service_events=None, contest_firms=None)
    row["_raw"] = {"partner_orgs": "无", "service_events": "/"}
    ps = only(validate([table("附件10", [row])], PACK), "required")
    assert [(p.field, p.severity) for p in ps] == [("参加创客大赛企业数", "warning")]   # blank, and may be a 0
    assert "请填 0" in ps[0].message


def test_a_blank_count_that_may_be_zero_is_asked_about_not_called_missing():
    from rules_kit import a10_row, table
    ps = only(validate([table("附件10", [a10_row(gov_funding=None, service_staff=None)])], PACK), "required")
    assert {(p.field, p.severity) for p in ps} == {("获得政府支持资金金额", "warning"), ("基地服务人员数", "error")}


def test_comparables_without_a_distance_are_undecided_not_missing():
    from test_rules_engine import a4
    (p,) = only(validate([a4(sites=((1.0, 60.0), (2.0, 60.0), (None, 60.0)))], PACK), "comparables-min")
    assert p.severity == "warning" and "距离" in p.message          # 2 within 3 km, 1 unknown: maybe 3
    (p,) = only(validate([a4(sites=((1.0, 60.0), (None, 60.0)))], PACK), "comparables-min")
    assert p.severity == "error"                                    # even with the unknown one only 2


def test_a_firm_count_is_no_proven_error_where_firm_rows_were_not_read():
    from xlbase.check import unproven_where_rows_unread
    from xlbase.problems import Problem
    ps = [Problem("firm-count-match", "error", "附件10 已入驻企业数填 25 户，附件3 列出 20 户企业，不一致", "a.xlsx", "附件10", "G5"),
          Problem("firm-count-match", "error", "…", "b.xlsx", "附件10", "G5"),
          Problem("unread-sheet", "warning", "工作表“Sheet2”有 5 行内容…", "a.xlsx", "Sheet2", "A1"),
          Problem("required", "error", "…", "a.xlsx", "附件3", "B7")]
    got = unproven_where_rows_unread(ps, PACK)
    assert [p.severity for p in got] == ["warning", "error", "warning", "error"]
    assert "未能读取的工作表" in got[0].message
