"""Chinese numerals in a typed date (二〇一九年五月六日, 二零一九年十二月三十一日, 2019年五月六日), written in
Arabic digits before the date is read: each digit of the table, then 十 as a date writes it (十五 15,
二十 20, 三十一 31, 十 alone 10).

The conversion is a list of plain replacements, applied in order (`arabic`): validate reads dates and
periods with it (read.normalise, read.periods), and the templates' in-sheet date read (templates.dates)
applies the same list as nested SUBSTITUTEs, so both read the same spellings to the same date and refuse
the same. What the result does not make a date (二〇一九年十三月, 2019年五月三十二日) stays unreadable.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

#: each Chinese numeral a date is written with, and its digit (〇 and the zeros typed for it: 零, ○, O)
DATE_NUMERALS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0", "O": "0"}
DATE_TEN = "十"
DIGITS = "0123456789"
#: a 十 with a digit after it, while the digit before it is looked at; a mark typed is first made another
#: character, so that no typed text becomes a digit through it
_MARK, _NOT_MARK = "\ue000", "\ue001"


@lru_cache(maxsize=1)
def numeral_steps() -> tuple[tuple[str, str], ...]:
    """The replacements, in order, that write a date's Chinese numerals in Arabic digits."""
    return (
        (_MARK, _NOT_MARK),
        *DATE_NUMERALS.items(),
        *((DATE_TEN + d, _MARK + d) for d in DIGITS),      # 十 before a digit: 十五, 二十五
        *((d + _MARK, d) for d in DIGITS),                 # ... and after one: 二十五 -> 25
        (_MARK, "1"),                                      # ... not after one: 十五 -> 15
        *((d + DATE_TEN, d + "0") for d in DIGITS),        # after a digit only: 二十 -> 20
        (DATE_TEN, "10"),                                  # alone: 十月 -> 10月
    )


_NUMERALS = frozenset(DATE_NUMERALS) | {DATE_TEN}
#: a numeral circled, squared, superscript or in a styled font (㊄, 🈔, ㆓, 𝐎) is an ordinal or a mark, not
#: a figure, as ① and ¹ are (read.normalise.ordinal_digits): a date holding one is unreadable. A numeral in
#: a compatibility form (⼆ the Kangxi radical, 零 the compatibility ideograph, Ｏ full width) is the numeral.
_STYLED = ("<circle>", "<font>", "<square>", "<super>", "<sub>")


def _other_form(c: str) -> bool:
    """True when `c` is not a numeral of the table but NFKC (what the readers apply first) makes it one."""
    return c not in _NUMERALS and not c.isascii() and unicodedata.normalize("NFKC", c) in _NUMERALS


def styled_numeral(text: str) -> bool:
    """True when `text` holds a numeral written as an ordinal or a mark (see _STYLED)."""
    return any(_other_form(c) and unicodedata.decomposition(c).startswith(_STYLED) for c in text)


@lru_cache(maxsize=1)
def numeral_forms() -> tuple[tuple[str, str], ...]:
    """Every other character that NFKC makes a numeral of the table, unstyled, and that numeral: what the
    sheet (which has no NFKC) replaces before numeral_steps."""
    return tuple((c, unicodedata.normalize("NFKC", c)) for c in map(chr, range(0x80, 0x110000))
                 if _other_form(c) and not unicodedata.decomposition(c).startswith(_STYLED))


def arabic(text: str) -> str:
    """`text` (NFKC-normalised, as the readers have it) with a date's Chinese numerals in Arabic digits."""
    if not any(c in DATE_NUMERALS or c == DATE_TEN or c == _MARK for c in text):
        return text
    for old, new in numeral_steps():
        text = text.replace(old, new)
    return text
