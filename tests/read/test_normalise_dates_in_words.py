"""Dates as a formal document or a clerk's habit writes them: in Chinese numerals (二〇一九年五月六日), the day closed
by 号, the event after it (2019年5月6日成立), a full stop at the end. Each was "无法识别的日期" (an error on a
date the clerk had typed right)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, strategies as st

from xlbase.forms import get_form
from xlbase.read.normalise import UNPARSEABLE, parse_date

FIELD = get_form("附件10").field("registered_on")
CN = "〇一二三四五六七八九"


def _cn_small(n: int) -> str:
    """1..31 as a document writes a month or day: 五, 十, 十二, 二十, 三十一."""
    tens, ones = divmod(n, 10)
    return (CN[tens] if tens > 1 else "") + ("十" if tens else "") + (CN[ones] if ones else "")


@given(st.dates(dt.date(1950, 1, 1), dt.date(2099, 12, 31)), st.sampled_from(["〇", "零", "○"]),
       st.sampled_from(["日", "号"]))
def test_a_date_in_chinese_numerals_is_that_date(d, zero, day_word):
    typed = "".join(CN[int(c)] if c != "0" else zero for c in str(d.year)) + \
        f"年{_cn_small(d.month)}月{_cn_small(d.day)}{day_word}"
    assert parse_date(typed, FIELD).value == d, typed


@given(st.dates(dt.date(1950, 1, 1), dt.date(2099, 12, 31)), st.sampled_from(["日", "号", ""]),
       st.sampled_from(["", "成立", "注册", "登记", "开业"]), st.sampled_from(["", ".", "。"]),
       st.sampled_from(["{y}年{m}月{d}", "{y}.{m:02d}.{d:02d}", "{y}-{m}-{d}"]))
def test_a_date_closed_by_its_day_word_event_or_stop_is_that_date(d, day_word, event, stop, shape):
    typed = shape.format(y=d.year, m=d.month, d=d.day) + day_word + event + stop
    assert parse_date(typed, FIELD).value == d, typed


def test_what_is_not_one_date_stays_unread():
    for typed in ["二〇一九年二月三十日", "2019年13月1日", "2019年5月6日至今以后", "一九年五月", "2019年5月6日以后搬迁"]:
        assert parse_date(typed, FIELD).note == UNPARSEABLE, typed


@given(st.dates(dt.date(1950, 1, 1), dt.date(2099, 12, 31)), st.booleans(), st.booleans(), st.booleans(),
       st.sampled_from(["〇", "零", "○", "O", "Ｏ"]), st.sampled_from(["十", "〸", "⼗"]))
def test_numerals_and_digits_mixed_are_that_date(d, year_cn, month_cn, day_cn, zero, ten):
    """Any part in numerals, the others in digits (2019年五月六日, 二〇一九年5月6日), any zero and 十 typed
    (read.date_numerals: the same for validate and the sheet)."""
    year = "".join(CN[int(c)] if c != "0" else zero for c in str(d.year)) if year_cn else str(d.year)
    month = _cn_small(d.month).replace("十", ten) if month_cn else str(d.month)
    day = _cn_small(d.day).replace("十", ten) if day_cn else str(d.day)
    assert parse_date(f"{year}年{month}月{day}日", FIELD).value == d


@given(st.text(st.sampled_from("〇零○O一二三四五六七八九十〸⼆㊄年月日号.- 0123456789\ue000"), max_size=14))
def test_any_text_of_numerals_is_read_or_refused_never_a_crash(typed):
    """validate took 二〇一九年一二月 or 十十 for a numeral and failed (KeyError): any text of numerals is a date
    or unreadable, and one read as a date says the same in digits."""
    p = parse_date(typed, FIELD)
    assert p.value is None or isinstance(p.value, dt.date)
    if p.value is not None and p.note is None:
        assert 1900 <= p.value.year <= 2100


def test_a_circled_or_styled_numeral_is_no_figure():
    """㊄ and 𝐎 are ordinals or marks (as ① is, read.normalise.ordinal_digits); ⼆ (the Kangxi radical) and
    Ｏ (full width) are the numeral."""
    for typed in ["2019年㊄月六日", "二𝐎一九年五月六日", "二〇一九年五月🈔日"]:
        assert parse_date(typed, FIELD).note == UNPARSEABLE, typed
    for typed in ["⼆〇一九年五月六日", "二Ｏ一九年五月六日"]:
        assert parse_date(typed, FIELD).value == dt.date(2019, 5, 6), typed
