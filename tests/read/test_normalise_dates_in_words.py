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
