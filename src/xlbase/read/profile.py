"""What the cells under a header hold, and how well that fits a field.

A clerk's header may say only "名称" or "金额"; the column below says more: dates, 是/否,
18-character credit codes, names ending in 公司 or 基地, whole numbers or amounts with
decimals. `profile` counts those kinds over a sample of a column, `fit` says (0..1) how
well a profile fits a field's type, so the column matcher can tell 基地名称 from 项目运营单位名称
and a money column from a count.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from typing import Any, Iterable

from ..forms import Field, name_words, value_list
from ..forms.roles import BASE_NAME, OPERATOR
from ..text import fold
from .normalise import BLANK_TOKENS

# a date typed as text: a year of this or the last century and a month 1..12 ("8983.56" is an amount)
_DATE_TEXT = re.compile(r"^(?:19|20)\d{2}\s*[年./\-]\s*(?:0?[1-9]|1[0-2])(\s*[月./\-]\s*\d{1,2}\s*日?|\s*月?)$")
# 2021.3, 1966.8: a year and a month, or an amount typed as text with one or two decimals — both fit
_YEAR_DOT_MONTH = re.compile(r"^(?:19|20)\d{2}\.(?:0?[1-9]|1[0-2])$")
_CODE = re.compile(r"^[0-9A-Z]{15}$|^[0-9A-Z]{18}$")
# a mobile number, or a landline with its area code: seven or eight bare digits are as often an amount typed
# as text ("2263800" 元) as a local number, and an amount must not lose its column
_PHONE = re.compile(r"^(?:1\d{10}|0\d{2,3}-?\d{7,8}(?:-\d{1,4})?)$")
_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_BRACKETED = re.compile(r"\([^()]*\)")
_YES_NO = frozenset({"是", "否", "√", "×", "✓", "✗", "有", "y", "n", "yes", "no", "是的", "不是"})
# endings of names: a base (a place people work in) and an organisation (who runs it / a firm): data/names.yaml
BASE_ENDINGS = tuple(name_words()["base_endings"])
ORG_ENDINGS = tuple(name_words()["org_endings"])

KINDS = ("date", "ym", "yesno", "code", "phone", "int", "serial", "dec", "base", "org", "city", "county", "choice", "text")
SERIAL_FIRST, SERIAL_LAST = 18264, 54788      # Excel serials of 1950-01-01 and 2049-12-31

PROFILE_ROWS = 25    # cells sampled per column: enough to see the kind, cheap at province scale


@lru_cache(maxsize=2)
def _places(level: str) -> frozenset[str]:
    """The names of the programme's cities or counties, folded."""
    return frozenset(fold(v) for v in value_list(level))


@lru_cache(maxsize=1)
def _choices() -> frozenset[str]:
    words: set[str] = set()
    for name in ("base_type", "size_class", "industry"):
        words |= {fold(v) for v in value_list(name)}
    return frozenset(words)


# full-width ASCII (ＡＢＣ１２３．) as typed with a Chinese input method in full-width mode: the same code, date or
# number (only that block: NFKC would also read ① as 1, which the normaliser refuses as a figure)
_HALF_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


@lru_cache(maxsize=65536)
def _text_kind(s: str) -> str | None:
    t = s.translate(_HALF_WIDTH).strip()
    k = fold(t)
    if not k or k in BLANK_TOKENS:
        return None
    if _YEAR_DOT_MONTH.match(t):
        return "ym"
    if _DATE_TEXT.match(t):
        return "date"
    if k in _YES_NO or _BRACKETED.sub("", k) in _YES_NO:      # "是（企业法人）"
        return "yesno"
    up = re.sub(r"[\s\-]", "", t).upper()
    if _CODE.match(up) and sum(ch.isdigit() for ch in up) >= 6:
        return "code"
    if _PHONE.match(t.replace(" ", "")):
        return "phone"
    n = unicodedata.normalize("NFKC", t).replace(" ", "")        # not folded: fold drops the decimal point ("1,200.5" is no int)
    m = _NUMBER.match(n)
    if m and len(n) - m.end() <= 4:      # "25户", "1,200", "12.5万元"
        return "dec" if "." in m.group(0) else "int"
    if k in _places("county"):       # 城区 or a county named like its city: the lower level is the likelier column
        return "county"
    if k in _places("city"):
        return "city"
    if k in _choices():
        return "choice"
    if k.endswith(BASE_ENDINGS) and len(k) >= 4:
        return "base"
    if k.endswith(ORG_ENDINGS) and len(k) >= 4:
        return "org"
    return "text"


def cell_kind(v: Any) -> str | None:
    """The kind of one cell, or None for a blank (or a blank word such as 无, —)."""
    t = type(v)
    if t is str:
        return _text_kind(v) if v else None
    if t is bool:
        return "yesno"
    if t is float or t is int:
        if v != v:
            return None
        if t is float and not v.is_integer():
            return "dec"
        n = abs(int(v))
        if 10**14 <= n < 10**18:
            return "code"
        if 10**10 <= n < 2 * 10**10:
            return "phone"
        if SERIAL_FIRST <= v <= SERIAL_LAST:
            return "serial"         # a whole number that is also an Excel date serial of 1950..2049
        return "int"
    if t is dt.date or t is dt.datetime:
        return "date"
    return None


SHARE_STEPS = 20     # shares kept in steps of 5 %: two files typed alike give one profile (and one cache entry)


def profile(values: Iterable[Any]) -> tuple[tuple[str, int], ...]:
    """Shares of cell kinds over the cells (blanks left out) in steps of 1/SHARE_STEPS, as a sorted tuple
    (hashable: the matcher's answers are cached on it); () for a column with no values."""
    c = Counter(k for k in map(cell_kind, values) if k is not None)
    n = sum(c.values())
    if not n:
        return ()
    return tuple(sorted((k, max(1, round(SHARE_STEPS * m / n))) for k, m in c.items()))


def _weights(field: Field, first_text: bool) -> dict[str, float]:
    """How well each kind of cell fits `field` (0: never such a value, 1: exactly what it holds)."""
    t = field.type
    if t in ("integer",):
        return {"int": 1.0, "serial": 1.0, "dec": 0.15, "ym": 0.15}
    if t in ("money", "area", "decimal"):
        return {"int": 0.9, "serial": 0.9, "dec": 1.0, "ym": 1.0}
    if t == "date":         # a date typed into a number cell shows as its serial (44287)
        return {"date": 1.0, "ym": 1.0, "serial": 0.8, "int": 0.3, "dec": 0.2}
    if t == "yesno":
        return {"yesno": 1.0}
    if t == "credit_code":
        return {"code": 1.0, "int": 0.2, "serial": 0.2, "text": 0.1}
    if t == "phone":
        return {"phone": 1.0, "int": 0.5, "serial": 0.5}
    if t == "choice":
        if field.choices in ("city", "county"):     # a column of county names is no column of cities
            return {"city": 0.3, "county": 0.3, "text": 0.4, field.choices: 1.0}
        return {"choice": 1.0, "text": 0.5}
    # text: a base's name, an organisation's, or anything written
    if field.identity == BASE_NAME:
        return {"base": 1.0, "org": 0.45, "text": 0.6, "city": 0.1, "county": 0.1}
    if field.identity == OPERATOR:
        return {"org": 1.0, "base": 0.6, "text": 0.6}
    if first_text:          # a list's names (附件3's firms): a column of base names is the list's base
        return {"org": 1.0, "text": 0.6, "base": 0.35}
    return {"text": 1.0, "org": 0.6, "base": 0.6, "city": 0.6, "county": 0.6, "choice": 0.6}


def fit(prof: tuple[tuple[str, int], ...], field: Field, first_text: bool = False) -> float | None:
    """Share-weighted fit of a column's profile to `field` (0..1); None for a column with no values."""
    n = sum(c for _, c in prof)
    if not n:
        return None
    w = _weights(field, first_text)
    return sum(w.get(k, 0.0) * c for k, c in prof) / n
