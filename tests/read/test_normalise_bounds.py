"""A number typed as a bound or a round figure (≥18, 不少于10, 30户以上, 300余人, 50多家) is no number: it stays unread,
as the sheet's own read leaves it (templates.numbers), and the message says what is wrong with it — before,
"≥18" got only "无法识别为整数". A number spelt the usual ways is read as before."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from typed_numbers import spelling
from xlbase.forms import get_form
from xlbase.read.normalise import UNPARSEABLE, parse_number

A10 = get_form("附件10")
FIELDS = [f for f in A10.table_fields if f.is_numeric]
BEFORE = ["≥", "≤", ">", "<", "不少于", "不低于", "不超过", "超过", "不足", "至少", ">=", "＞"]
AFTER = ["以上", "以下", "以内", "左右", "余", "多"]


@given(st.sampled_from(FIELDS), st.integers(1, 99999), st.sampled_from(BEFORE), st.sampled_from(["", "人", "户", "个"]))
def test_a_lower_or_upper_bound_is_unread_and_said(field, n, word, unit):
    p = parse_number(f"{word}{n}{unit}", field)
    assert p.value is None and p.note == UNPARSEABLE
    assert "表示范围" in p.detail and "确切数字" in p.detail


@given(st.sampled_from(FIELDS), st.integers(1, 99999), st.sampled_from(AFTER), st.sampled_from(["", "人", "户", "家"]))
def test_a_figure_followed_by_a_bound_word_is_unread_and_said(field, n, word, unit):
    text = f"{n}{word}{unit}" if word in ("余", "多") else f"{n}{unit}{word}"
    p = parse_number(text, field)
    assert p.value is None and p.note == UNPARSEABLE and word in p.detail


@given(st.sampled_from(FIELDS), st.integers(0, 99999), st.randoms(use_true_random=False))
def test_numbers_spelt_the_usual_ways_are_still_read(field, n, rnd):
    text = spelling(n, field, random.Random(rnd.random()))
    p = parse_number(text, field)
    assert p.note != UNPARSEABLE, text
