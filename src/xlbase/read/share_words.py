"""A share said in words ("六成", "三成五", "八成以上", "过半", "三分之二", "百分之六十") as the percent it says
("60%", "35%", "80%以上", "超过50%", "66.66666666666667%", "60%"), for a cell of a field in %.

The words are data (data/share_words.yaml); Chinese numerals are written in digits as a date's are
(read.date_numerals.arabic: up to 九十九). What stays around the share (以上, 约, 近) is left for the figure's reader
(read.estimates), as around a typed "80%". A text with no share word, or whose share is not a number, is None.
"""

from __future__ import annotations

import re
from fractions import Fraction
from functools import lru_cache

from ..forms import share_words
from .date_numerals import arabic

_NUMBER = r"\d+(?:\.\d+)?"


@lru_cache(maxsize=None)
def _spec() -> tuple[tuple[tuple[str, str], ...], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    spec = share_words()
    words = tuple(sorted(((str(k), str(v)) for k, v in spec["words"].items()), key=lambda p: -len(p[0])))
    tenth = re.compile(rf"({_NUMBER}){re.escape(spec['tenth'])}(\d|{re.escape(spec['half'])})?(?!\d)")
    fraction = re.compile(rf"(\d+){re.escape(spec['fraction'])}({_NUMBER})")
    percent = re.compile(rf"{re.escape(spec['percent'])}({_NUMBER})")
    return words, tenth, fraction, percent


def _shown(x: Fraction) -> str:
    return str(x.numerator // x.denominator) if x.denominator == 1 else repr(float(x))


def _tenths(m: re.Match[str]) -> str:
    extra = m.group(2) or "0"
    return _shown(Fraction(m.group(1)) * 10 + (5 if not extra.isdigit() else int(extra))) + "%"


def _fraction(m: re.Match[str]) -> str:
    whole = int(m.group(1))
    return _shown(Fraction(m.group(2)) * 100 / whole) + "%" if whole else m.group(0)


@lru_cache(maxsize=4096)
def as_percent(text: str) -> str | None:
    """`text` (NFKC, no spaces) with its share words as a percent; None when it says no share in words."""
    words, tenth, fraction, percent = _spec()
    s = text
    for word, pct in words:
        s = s.replace(word, pct)
    s = arabic(s)
    s = percent.sub(lambda m: m.group(1) + "%", s)
    s = fraction.sub(_fraction, s)
    s = tenth.sub(_tenths, s)
    return None if s == text or s == arabic(text) else s
