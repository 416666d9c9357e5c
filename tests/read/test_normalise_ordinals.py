"""A digit typed as an ordinal or in another script (①, ⑴, ⒈, ¹, 𝟏, ٣) is no figure: the reader reads no
number or date from a value holding one, as the templates' in-sheet reads do not (templates.numbers,
templates.dates take ASCII and full-width digits only; issue 14: the sheet and validate agree). The clerk
is told why. Digits typed as digits — ASCII, full width, and the ² of ㎡ — are read as before."""

from __future__ import annotations

import unicodedata

from hypothesis import example, given
from hypothesis import strategies as st

from xlbase.forms import get_form
from xlbase.read.normalise import UNPARSEABLE, parse_date, parse_number

NUMBER_FIELDS = [f for fid in ("附件2", "附件3", "附件10") for f in get_form(fid).fields if f.is_numeric]
DATE_FIELDS = [get_form("附件3").field("entered_on"), get_form("附件2").field("built_on")]
assert DATE_FIELDS[1].period

#: a Unicode number character that is no digit typed as one: not ASCII, not full width, not a unit's ²
ordinals = st.characters(categories=("Nd", "No")).filter(
    lambda c: not c.isascii() and not "０" <= c <= "９" and c != "²"
    and (c.isdigit() or any(d.isdigit() and d.isascii() for d in unicodedata.normalize("NFKC", c))))


@given(ordinals, st.integers(min_value=0, max_value=10**6), st.sampled_from(["", "人", "万元", "户", " "]),
       st.sampled_from(NUMBER_FIELDS), st.integers(min_value=0, max_value=7))
@example("①", 0, "", get_form("附件2").field("tutors"), 0)
@example("⒉", 5, "人", get_form("附件2").field("tutors"), 0)
@example("٣", 12, "", get_form("附件10").field("employees"), 1)
def test_a_number_holding_an_ordinal_digit_is_not_read(c, n, unit, field, at):
    text = str(n)
    at = min(at, len(text))
    typed = text[:at] + c + text[at:] + unit
    got = parse_number(typed, field)
    assert got.value is None and got.note == UNPARSEABLE, (typed, got)
    assert "阿拉伯数字" in got.detail


@given(ordinals, st.sampled_from(["{}年3月", "2019年{}月", "2019.3.{}", "{}", "2019年{}月至今", "{}019-03-15"]),
       st.sampled_from(DATE_FIELDS))
@example("③", "2019年{}月", DATE_FIELDS[1])
def test_a_date_holding_an_ordinal_digit_is_not_read(c, pattern, field):
    typed = pattern.format(c)
    got = parse_date(typed, field)
    assert got.value is None and got.note == UNPARSEABLE, (typed, got)


def test_digits_typed_as_digits_are_read_as_before():
    tutors = get_form("附件2").field("tutors")
    area = next(f for f in NUMBER_FIELDS if f.unit == "平方米")
    assert parse_number("１２", tutors).value == 12
    assert parse_number("12人", tutors).value == 12
    assert parse_number("1,200㎡", area).value == 1200
    assert parse_number("35m²", area).value == 35
    assert parse_date("２０１９年３月", DATE_FIELDS[0]).value.isoformat() == "2019-03-01"
