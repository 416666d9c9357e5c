"""A 时间 written as a period: “2012年—2016年”, “2012.3-2016”, “2015年至今”, or a bare year.

Some 时间 fields of the notice's forms describe something that spans years (附件2 建设时间: a
base is built over several). There a period, or a year alone, is a correct answer, not a date
the clerk failed to type; the spec says which fields (`Field.period`). The value kept is the
period's first day, so a rule that needs a date still has one; the reader says so in one info.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from .date_numerals import arabic

_YEAR = r"(?:19|20)\d{2}"
# one end of a period: a year, optionally a month and a day ("2012", "2012年3月", "2012.03.01")
_END = re.compile(rf"^({_YEAR})\s*(?:年度?|[./\-])?\s*(?:(\d{{1,2}})\s*(?:月份?|[./\-])?\s*(?:(\d{{1,2}})\s*日?)?)?$")
# what separates the two ends: dashes of every width, tildes, 至/到; a plain "-" only before a year
# (2012-03 is a month, 2012-2016 a period)
_SEPARATOR = re.compile(rf"\s*(?:[—–―─－~～]+|至|到|-(?=\s*{_YEAR}))\s*")
_OPEN_END = ("至今", "今", "现在", "目前", "以来", "起", "开始", "今年")


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _end(text: str) -> dt.date | None:
    """The first day of one end ("2012年" -> 2012-01-01, "2012年3月" -> 2012-03-01)."""
    m = _END.match(text.strip())
    if not m:
        return None
    year, month, day = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def period_start(value: Any) -> dt.date | None:
    """The first day of the period `value` states, or None when it states none.

    A period has a start and an end that is a year or an open end (至今); the end is not
    before the start. A year alone ("2012年", the number 2012) is a period of one year.
    A full date is not a period (the date parser reads it).
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        if value == value and float(value).is_integer() and 1900 <= value < 2101:
            return dt.date(int(value), 1, 1)
        return None
    if not isinstance(value, str):
        return None
    text = arabic(_nfkc(value)).replace(" ", "")     # 二〇一五年至今 (read.date_numerals)
    for word in ("建成", "建设", "期间", "左右"):
        text = text.replace(word, "")
    parts = _SEPARATOR.split(text, maxsplit=1)
    start = _end(parts[0])
    if start is None:
        return None
    if len(parts) == 1:    # a bare year (or year and month) is a period of its own
        m = _END.match(parts[0])
        return start if m and m.group(3) is None else None
    tail = parts[1].strip()
    if tail in _OPEN_END or any(tail.endswith(w) and not tail[: -len(w)] for w in _OPEN_END):
        return start
    end = _end(tail)
    return start if end is not None and end >= start else None
