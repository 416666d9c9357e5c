"""A number typed as a bound or an estimate (≥18, 不少于10, 30户以上, 300余人, 50多家, 约300, 近百) is read as what it
says — the range the value lies in (read.estimates, words in data/estimates.yaml) — never as a figure: the cell
keeps no value (note ESTIMATE) and the rules judge the range. A year alone in a date field is the range of its
days. A number spelt the usual ways is read as before; words that contradict each other stay unread."""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import given
from hypothesis import strategies as st

from typed_numbers import spelling
from xlbase.forms import estimate_words, get_form
from xlbase.read.estimates import parse_estimate
from xlbase.read.normalise import ESTIMATE, UNPARSEABLE, estimate_of, parse_date, parse_number, year_of
from xlbase.read.units import cell_suffixes

A10 = get_form("附件10")
FIELDS = [f for f in A10.table_fields if f.is_numeric]
COUNTS = [f for f in FIELDS if f.type == "integer"]
WORDS = estimate_words()
BEFORE = [(w, kind) for kind, ws in WORDS["before"].items() for w in ws if w != "上"]
AFTER = [(w, kind) for kind, ws in WORDS["after"].items() for w in ws]
UNITS = ["", "人", "户", "个", "家"]


@given(st.sampled_from(COUNTS), st.integers(1, 99999), st.sampled_from(BEFORE), st.sampled_from(UNITS))
def test_a_word_before_the_figure_makes_it_a_bound_or_an_estimate(field, n, word_kind, unit):
    word, kind = word_kind
    text = f"{word}{n}{unit}"
    p = parse_number(text, field)
    assert p.value is None and p.note == ESTIMATE, (text, p)
    e = estimate_of(text, field)
    assert e is not None and e.figure == n
    if kind in ("at_least", "more_than"):
        assert e.low == n and e.high is None and e.at_least(n) and not e.below(n)
        assert e.low_open == (kind == "more_than")
    elif kind in ("at_most", "less_than"):
        assert e.high == n and e.low is None and e.at_most(n) and not e.above(n)
        assert e.below(n) == (kind == "less_than")
    else:                   # an estimate: n within its range, which decides only thresholds far from n
        assert e.about and e.low < n <= e.high and not e.at_least(n) and not e.below(n)


@given(st.sampled_from(COUNTS), st.integers(1, 99999), st.sampled_from(AFTER), st.sampled_from(UNITS))
def test_a_word_after_the_figure_and_its_unit_makes_it_a_bound_or_an_estimate(field, n, word_kind, unit):
    word, kind = word_kind
    text = f"{n}{unit}{word}"
    e = estimate_of(text, field)
    assert parse_number(text, field).note == ESTIMATE and e is not None, text
    if kind == "at_least":
        assert e.low == n and e.high is None
    elif kind == "at_most":
        assert e.high == n and e.low is None
    else:
        assert e.about and e.low < n < e.high


@given(st.sampled_from(COUNTS), st.integers(1, 9), st.integers(0, 3), st.sampled_from(WORDS["past_figure"]),
       st.sampled_from(UNITS))
def test_a_figure_followed_by_yu_or_duo_lies_below_the_next_at_its_last_digit(field, digit, zeros, word, unit):
    n = digit * 10 ** zeros
    e = estimate_of(f"{n}{word}{unit}", field)
    assert e is not None and e.low == n and e.high == n + 10 ** zeros and e.high_open
    assert e.at_least(n) and e.below(n + 10 ** zeros) and not e.below(n + 10 ** zeros - 1)


@given(st.integers(1, 9), st.sampled_from(sorted(WORDS["magnitudes"].items())), st.sampled_from(WORDS["past_figure"]))
def test_a_magnitude_word_scales_the_figure(digit, magnitude, word):
    mag_word, mag = magnitude
    field = COUNTS[0]
    e = estimate_of(f"{digit}{mag_word}{word}人", field)
    assert e is not None and e.low == digit * mag and e.high == (digit + 1) * mag


def test_a_money_estimate_takes_the_cell_unit_as_any_figure_does():
    money = next(f for f in FIELDS if f.unit == "万元")
    assert estimate_of("约3.5万元", money).figure == 3.5
    assert estimate_of("125000元左右", money).figure == 12.5
    assert estimate_of("2千多万元", money).low == 2000
    assert parse_number("300万", money).value == 300           # no estimate word: a figure, as before


@given(st.sampled_from(COUNTS), st.integers(1, 999), st.integers(1, 999))
def test_contradicting_words_or_a_range_upside_down_are_no_estimate(field, a, b):
    for text in (f"{a + b}-{a}", f"{a + b}~{a}", f"不少于{a}以下", f"约{a}以上", f"不足{a}多"):
        assert estimate_of(text, field) is None
        assert parse_number(text, field).note == UNPARSEABLE, text


@given(st.sampled_from(COUNTS), st.integers(1, 999), st.integers(0, 999))
def test_two_figures_from_low_to_high_are_that_range(field, a, b):
    """"20-30", "20至30户": from … to, both ends included (data/estimates.yaml between) — a range judged as one,
    not an unreadable cell (an error the clerk would be asked to fix for saying what they know)."""
    for text in (f"{a}-{a + b}", f"{a}~{a + b}", f"{a}至{a + b}"):
        e = estimate_of(text, field)
        assert e is not None and (e.lowest, e.highest) == (a, a + b), text
        assert parse_number(text, field).note == ESTIMATE, text


@given(st.sampled_from(FIELDS), st.integers(0, 99999), st.randoms(use_true_random=False))
def test_numbers_spelt_the_usual_ways_are_still_read(field, n, rnd):
    text = spelling(n, field, random.Random(rnd.random()))
    p = parse_number(text, field)
    assert p.note not in (UNPARSEABLE, ESTIMATE), text
    assert parse_estimate(text, cell_suffixes(field.unit)) is None


@given(st.integers(1950, 2099), st.sampled_from(["{y}年", "{y}", "{y} 年", "{y}.0"]))
def test_a_year_alone_in_a_date_field_is_the_range_of_its_days(year, shape):
    field = A10.field("registered_on")
    text = shape.format(y=year)
    p = parse_date(text, field)
    assert p.value is None and p.note == ESTIMATE and str(year) in p.detail
    assert year_of(text, field) == (dt.date(year, 1, 1), dt.date(year, 12, 31))
    assert parse_date(float(year), field).note == ESTIMATE             # typed as a number
    assert parse_date(f"{year}年3月", field).value == dt.date(year, 3, 1)   # a month still makes it a date


def _programme_units() -> list:
    from xlbase.forms.programmes import known_programmes
    seen: dict = {}
    for p in known_programmes():
        for form in p.forms.values():
            for f in form.fields:
                if f.is_numeric and f.unit:
                    seen.setdefault(f.unit, f)
    return sorted(seen.values(), key=lambda f: f.unit)


@given(st.sampled_from(_programme_units()), st.integers(0, 99999), st.sampled_from(["{n}{u}", "{n}（{u}）", "{n} {u}",
                                                                                   "{n}({u})"]))
def test_a_figure_typed_with_its_fields_own_unit_is_that_figure(field, n, shape):
    """Every numeric field's unit of every programme, typed after the figure, bracketed or not: 35台（套） and
    35（台（套）） are 35 (a unit holding brackets was cut to "台(套" before: an untrue 错误 on 太原's 设备数量)."""
    text = shape.format(n=n, u=field.unit)
    p = parse_number(text, field)
    assert p.value == n and p.note is None, (text, p)
