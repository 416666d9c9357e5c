"""Property tests on every normaliser: no crash on any input, numbers survive their disguises."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from xlbase.forms import get_form
from xlbase.read.normalise import (CONVERTED, ESTIMATE, NONE_ZERO, NOT_WHOLE, PRECISION_LOST, UNPARSEABLE, normalise_column,
                                   parse_credit_code, parse_date, parse_number, parse_phone, parse_text,
                                   parse_value, parse_yesno)

A10 = get_form("附件10")
FIELDS = [f for fid in ("附件2", "附件3", "附件4", "附件10") for f in get_form(fid).fields]
INT = A10.field("resident_firms")      # 户
MONEY = A10.field("revenue")           # 万元
AREA = A10.field("floor_area")         # 平方米
FULL = str.maketrans("0123456789.,", "０１２３４５６７８９．，")

anything = st.one_of(st.text(), st.integers(), st.floats(allow_nan=True), st.booleans(), st.none(),
                     st.dates(), st.datetimes())


@settings(max_examples=300)
@given(anything, st.sampled_from(FIELDS))
@example("−", A10.field("service_staff"))
def test_no_crash_and_no_silent_nan(v, f):
    p = parse_value(v, f)
    # NONE_ZERO: "/", "—", "−", "无" in a number cell mean none, read as 0 and said once per table (issue 12)
    assert p.note in (None, UNPARSEABLE, NOT_WHOLE, PRECISION_LOST, CONVERTED, NONE_ZERO)
    if isinstance(p.value, float):
        assert p.value == p.value
    if p.value is None and isinstance(v, str) and v.strip() and p.note is None:
        pass  # a blank token ("无", "—", "/") is blank by decision


@given(st.text())
def test_each_parser_total(s):
    for fn in (parse_date, parse_yesno, parse_credit_code, parse_phone, parse_text):
        fn(s)
    parse_number(s, MONEY)
    parse_number(s, INT)


def _grouped(n: int) -> str:
    return f"{n:,}"


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["", "户", " 户", "家", "个"]),
       st.booleans(), st.booleans())
def test_integers_survive_separators_units_full_width(n, unit, grouped, full):
    s = (_grouped(n) if grouped else str(n)) + unit
    if full:
        s = s.translate(FULL)
    p = parse_number(s, INT)
    assert p.value == n and p.note is None


@given(st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False),
       st.sampled_from(["", "万元", "万"]), st.booleans())
def test_money_survives_units(d, unit, full):
    s = f"{d:,}{unit}"
    if full:
        s = s.translate(FULL)
    p = parse_number(s, MONEY)
    assert p.value is not None and abs(p.value - float(d)) < 1e-6


@given(st.integers(min_value=0, max_value=10**9))
def test_yuan_in_wanyuan_field_is_converted(n):
    p = parse_number(f"{n}元", MONEY)
    assert p.note == CONVERTED and abs(p.value - n / 10000) < 1e-9


@given(st.decimals(min_value=0, max_value=10**6, places=1, allow_nan=False), st.sampled_from(["平方米", "㎡", "m2", "平米"]))
def test_area_units(d, unit):
    assert abs(parse_number(f"{d}{unit}", AREA).value - float(d)) < 1e-9


@given(st.integers(min_value=0, max_value=1000), st.integers(min_value=1, max_value=99))
def test_integer_must_be_whole(n, frac):
    p = parse_number(f"{n}.{frac:02d}", INT)
    assert p.value is None and p.note == NOT_WHOLE


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_dates_in_every_spelling(d):
    for s in (f"{d.year}年{d.month}月{d.day}日", f"{d.year}.{d.month:02d}.{d.day:02d}", f"{d.year}/{d.month}/{d.day}",
              d.isoformat(), f"{d.year}{d.month:02d}{d.day:02d}"):
        assert parse_date(s).value == d, s
    serial = (d - dt.date(1899, 12, 30)).days
    assert parse_date(float(serial)).value == d
    p = parse_date(f"{d.year}-{d.month:02d}")
    assert p.value == d.replace(day=1) and p.note == CONVERTED


def test_yesno_words():
    for s, want in (("是", True), ("否", False), ("√", True), ("×", False), ("Y", True), ("n", False),
                    ("有", True), ("无", False), ("", None), ("—", None)):
        assert parse_yesno(s).value is want, s
    assert parse_yesno("也许").note == UNPARSEABLE


@given(st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=18, max_size=18))
def test_credit_codes_folded(code):
    messy = " " + code.lower().translate(str.maketrans("0123456789", "０１２３４５６７８９")) + "\u3000"
    assert parse_credit_code(messy).value == code


def test_credit_code_numbers():
    assert parse_credit_code(9.14e17).note == PRECISION_LOST
    assert parse_credit_code("9.11409E+17").note == PRECISION_LOST
    assert parse_credit_code(140902600123456.0).value == "140902600123456"


def test_unparseable_is_never_zero():
    for s in ("待定", "1,2", "十二", "12..5"):
        p = parse_number(s, MONEY)
        assert p.value is None and p.note == UNPARSEABLE, s
    p = parse_number("约100", MONEY)        # an estimate: a range the rules judge (read.estimates), no value either
    assert p.value is None and p.note == ESTIMATE


@given(st.lists(st.one_of(st.floats(allow_nan=False, allow_infinity=False, width=32), st.text(max_size=8), st.none()),
                max_size=30))
def test_column_matches_cell_by_cell(values):
    for f in (INT, MONEY, A10.field("registered_on"), A10.field("base_name")):
        out, notes = normalise_column(values, f)
        for v, o, n in zip(values, out, notes):
            p = parse_value(v, f) if v not in (None, "") else None
            assert o == (p.value if p else None) or (o is None and p is None)
            assert (n.note if n else None) == (p.note if p else None)     # the same note, fast path or not


# one field of each type: the fast paths are chosen by type
BY_TYPE = {f.type: f for f in reversed(FIELDS)}
_cell = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.floats(min_value=-1e6, max_value=1e6).map(round),
                  st.just(""), st.none(), st.booleans(), st.dates(), st.datetimes(), st.text(max_size=8),
                  st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXYabcENUL", max_size=20),
                  st.sampled_from(["NA", "NULL", "1E17", "9E+15", "无", "—", " 2019-03 ", "\u3000文字\u00a0"]))
# homogeneous columns too, so that every whole-column fast path is exercised
_column = st.one_of(st.lists(_cell, max_size=12), *(st.lists(s, min_size=1, max_size=12) for s in (
    st.floats(allow_nan=True, allow_infinity=True), st.floats(min_value=-1e16, max_value=1e16).map(round).map(float),
    st.dates(), st.text(max_size=8), st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXYabcENUL", max_size=20),
    st.sampled_from(["91140902MA0K12345X", "123", "NA", "NULL", "NONE", "NAN", "1E17", "2E5", "E5"]))))


@pytest.mark.parametrize("ftype", sorted(BY_TYPE))
@settings(max_examples=150)
@given(values=_column)
@example(values=["91140902MA0K12345X", "1E17"]).via("scientific notation among clean codes")
@example(values=["91140902MA0K12345X", "NA"]).via("a blank word among clean codes")
@example(values=["91140902MA0K12345X", "91-1409"]).via("a dash among clean codes")
@example(values=[1.0, 2.5, float("nan"), 1e15]).via("floats out of range or not whole")
@example(values=["山西某某有限公司", "", "N/A", "na"]).via("a text column: blank cell, blank words in any case")
@example(values=["山西 某某", "\u3000文字", "名\u200b称", "a\u00a0b", "无"]).via("texts to trim, 无 as an answer")
@example(values=["91140902MA0K12345X", "91140902ma0k12345x", "NA", "1E17", ""]).via("codes cell by cell")
def test_column_fast_paths_equal_parse_value(ftype, values):
    """normalise_column == parse_value cell by cell: same values, same types, same notes."""
    f = BY_TYPE[ftype]
    out, notes = normalise_column(values, f)
    assert len(out) == len(notes) == len(values)
    for v, o, n in zip(values, out, notes):
        p = parse_value(v, f) if v not in (None, "") else None
        want = p.value if p else None
        assert type(o) is type(want) and (o == want or o != o and want != want), (v, o, want)
        assert n == (p if p and p.note else None), (v, n, p)
