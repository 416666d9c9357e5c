"""Yes/no answers and 万 counts as clerks write them in hand-made tables."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from xlbase.forms import get_form
from xlbase.read.normalise import CONVERTED, UNPARSEABLE, parse_number, parse_yesno

LEGAL = get_form("附件10").field("independent_legal_person")
EMPLOYEES = get_form("附件10").field("employees")


def test_answers_to_is_it_an_independent_legal_person():
    for text, want in (("独立法人", True), ("是独立法人", True), ("具有独立法人资格", True), ("是（企业法人）", True),
                       ("√（是）", True), ("非独立法人", False), ("不是独立法人", False), ("否(分公司)", False),
                       ("无独立法人资格", False)):
        p = parse_yesno(text, LEGAL)
        assert p.value is want and p.note is None, (text, p)


def test_a_word_that_is_not_the_questions_subject_stays_unreadable():
    for text in ("法人", "独立", "独立法人代表", "事业单位"):
        assert parse_yesno(text, LEGAL) == parse_yesno(text, LEGAL).__class__(None, UNPARSEABLE), text


@given(st.text(alphabet="独立法人资格企业分支机构是否非不无有", min_size=1, max_size=6),
       st.text(min_size=0, max_size=10))
def test_answers_never_raise_and_are_bool_or_none(subject, answer):
    field = replace(LEGAL, label="是否" + subject)
    p = parse_yesno(answer, field)
    assert p.value in (True, False, None)
    assert (p.value is None) or p.note is None


@given(st.integers(1, 999), st.integers(0, 99), st.sampled_from(["万", "万人", "万户"]))
def test_wan_in_a_count_field_is_ten_thousand(whole, frac, unit):
    text = f"{whole}.{frac:02d}{unit}"
    p = parse_number(text, EMPLOYEES)
    assert p.value == whole * 10_000 + frac * 100 and p.note == CONVERTED, (text, p)
