"""One normaliser for every typed place (text.place_key): the cell a clerk typed (read.normalise), the 填报单位
line and the folder's name (identity.locate), and the places typed under a programme with no place list
(merge.places) read "忻\u200b府 区", "忻府区\u00a0" and "忻府区" as one place. Before, merge.places and locate
kept a zero-width space a copy from a web page leaves inside a name, and the county was not found."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from xlbase.forms import divisions, get_form
from xlbase.identity import locate
from xlbase.merge.places import Typed, place_text
from xlbase.read.base import path_location
from xlbase.read.normalise import parse_value
from xlbase.text import place_key

NOISE = ["\u200b", "\u200c", "\ufeff", "\u00ad", "\u2060", "\u00a0", "\u3000", " ", "\n", "\t", "\u202a"]
PLACES = sorted((city, county) for city, counties in divisions()["cities"].items() for county in counties)
COUNTY = get_form("附件10").field("county")
CITY = get_form("附件10").field("city")


@st.composite
def noisy(draw, text: str) -> str:
    """`text` with invisible characters and every kind of space put between its characters, and some of its
    characters full-width where they have a full-width form (digits, letters, brackets)."""
    out = []
    for ch in text:
        if draw(st.booleans()) and "!" <= ch <= "~":
            ch = chr(ord(ch) + 0xFEE0)
        out.append(ch)
        out.append("".join(draw(st.lists(st.sampled_from(NOISE), max_size=2))))
    return "".join(draw(st.lists(st.sampled_from(NOISE), max_size=2))) + "".join(out)


@st.composite
def a_place(draw):
    city, county = draw(st.sampled_from(PLACES))
    return city, county, draw(noisy(city)), draw(noisy(county))


@given(a_place())
def test_a_place_typed_with_invisible_characters_and_spaces_is_the_place(place):
    city, county, typed_city, typed_county = place
    assert place_key(typed_county) == county and place_key(typed_city) == city
    assert parse_value(typed_county, COUNTY).value == county          # the cell, as read
    assert parse_value(typed_city, CITY).value == city
    assert place_text(typed_county) == county                          # the merge's typed places
    assert locate(typed_city + typed_county) == (city, county)         # a 填报单位 line, a base's name
    assert locate(f"填报单位：{typed_city}{typed_county}工业和信息化局") == (city, county)
    assert path_location(f"/inbox/{typed_city}/{typed_county}/汇总表.xlsx") == (city, county)   # folders
    typed = Typed([(typed_city, typed_county)])
    assert typed.known(city, county) == (city, county)
    assert typed.locate(f"{city}{county}某某双创基地") == (city, county)


@given(st.text(max_size=30))
def test_place_key_is_idempotent_and_leaves_no_space_or_invisible_character(text):
    once = place_key(text)
    assert place_key(once) == once
    assert not any(ch.isspace() or ch in "\u200b\u200c\u200d\ufeff\u00ad\u2060" for ch in once)


@given(st.text(alphabet="忻州市府区县（）()、 \u3000", max_size=12))
def test_place_key_keeps_what_names_a_place(text):
    """Brackets and the 、 of 县（市、区） are the callers' to read: only spaces and invisible characters go."""
    assert place_key(text) == "".join(ch for ch in text if not ch.isspace()).replace("（", "(").replace("）", ")")
