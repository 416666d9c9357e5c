"""Cell formats and text measures shared by the template writers.

xlsxwriter needs one Format object per distinct style; `Styles` caches them so
every writer asks by properties and two runs create formats in the same order
(deterministic output).
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import TYPE_CHECKING, Any

from ..forms import Field
from ..read.normalise import MIN_SERIAL

if TYPE_CHECKING:
    from xlsxwriter.workbook import Workbook

FONT = "宋体"
# A date cell shows a date as a date, and a number typed as one (2019.03, 2019, 20190315) as typed: a
# plain date format would show 2019.03 as 1905-07-11. Below the first serial the reader takes for a date
# (1950-01-01) and past 9999-12-31 the number shows as it is; validate reads both as the clerk meant them.
DATE_FORMAT = f"[<{MIN_SERIAL}]General;[<2958466]yyyy\\-mm\\-dd;General"
GREY = "#D9D9D9"        # header fill of our (non-official) columns
LIGHT = "#F2F2F2"       # locked cells that carry a formula
INPUT = "#FFFFFF"
INCOMPLETE = "#FFEB9C"  # a total some rows could not add to (the 问题清单's warning colour), its figure marked *

_BASE = {"font_name": FONT, "font_size": 10, "valign": "vcenter"}


def num_format(field: Field) -> str | None:
    """The number format a field's input cell carries."""
    if field.type == "integer":
        return "0"
    if field.type in ("money", "area", "decimal"):
        return "0.00"
    if field.type == "date":
        return DATE_FORMAT
    if field.type in ("credit_code", "phone"):
        return "@"     # stored as text: an 18-character code must never become a number
    return None


class Styles:
    """A cache of xlsxwriter formats keyed by their properties."""

    def __init__(self, workbook: Workbook) -> None:
        self.workbook = workbook
        self._cache: dict[tuple, Any] = {}

    def get(self, **props: Any):
        merged = {**_BASE, **{k: v for k, v in props.items() if v is not None}}
        key = tuple(sorted(merged.items()))
        if key not in self._cache:
            self._cache[key] = self.workbook.add_format(merged)
        return self._cache[key]

    def cf(self, **props: Any):
        """A conditional-format (DXF) format: only the properties that change."""
        key = ("cf",) + tuple(sorted(props.items()))
        if key not in self._cache:
            self._cache[key] = self.workbook.add_format(props)
        return self._cache[key]

    # the handful of roles the writers use
    def title(self):
        return self.get(bold=True, font_size=16, align="center", font_name="黑体")

    def line(self, align: str = "left"):
        return self.get(align=align)

    def header(self, official: bool = True):
        return self.get(bold=True, align="center", text_wrap=True, border=1,
                        bg_color=None if official else GREY, locked=True)

    def label(self, align: str = "center"):
        return self.get(align=align, text_wrap=True, border=1, locked=True)

    def input(self, field: Field | None = None, *, quote: bool = False, border: int = 1):
        fmt = num_format(field) if field is not None else None
        align = "left" if field is None or not field.is_numeric else None
        return self.get(border=border or None, locked=False, num_format=fmt, text_wrap=True,
                        align=align, quote_prefix=True if quote else None)

    def formula(self, field: Field | None = None, *, bold: bool = False, incomplete: bool = False):
        fmt = num_format(field) if field is not None else None
        if fmt == "@":
            fmt = None     # a text-formatted cell would show the formula, not its result
        if incomplete:     # a total that lacks some rows' figures: never a quietly lower sum
            fmt = f'{fmt or "General"}"*"'
        return self.get(border=1, locked=True, num_format=fmt, bg_color=INCOMPLETE if incomplete else LIGHT,
                        bold=bold or None, text_wrap=True)

    def note(self):
        return self.get(text_wrap=True, valign="top")


# A CJK character of the 10-point body font is about 13.4 px wide; a column of width w is
# 7w + 5 px with ~6 px of padding (Excel's measure; LibreOffice fits a little more).
_CJK_PX, _PAD_PX = 13.4, 6


def chars_per_line(width: float) -> int:
    """Full-width characters a wrapped cell of `width` surely fits on one line, in every spreadsheet."""
    return max(1, int((7 * width + 5 - _PAD_PX) // _CJK_PX))


def width_for(chars: int) -> float:
    """The column width that fits `chars` full-width characters a line (inverse of chars_per_line)."""
    return round((chars * _CJK_PX + _PAD_PX - 5) / 7 + 0.05, 1)


_CLOSING = "）)、，,。：:"
_TOKENS = re.compile(rf"[（(][^（()）]*[）)][{_CLOSING}]*|.[{_CLOSING}]*", re.S)


def balanced_lines(text: str, width: float | None) -> str:
    """`text` in even lines that fit `width`: "培育专\n精特新\n企业数", "所在县\n（市、区）".

    A bracketed part stays whole when it fits a line, and a line never starts with
    closing punctuation.
    """
    cap = 2 * chars_per_line(width) if width else 0
    total = display_width(text)
    if not cap or total <= cap or "\n" in text:
        return text
    tokens = []
    for t in _TOKENS.findall(text):
        if display_width(t) <= cap:
            tokens.append(t)
        else:   # a bracketed part too long for a line: the bracket stays with its first character
            rest = _TOKENS.findall(t[1:])
            tokens += [t[0] + rest[0], *rest[1:]]
    ends, w = [], 0
    for t in tokens:
        w += display_width(t)
        ends.append(w)
    # the fewest lines that fit, broken at the token boundaries nearest to 1/n, 2/n … of the
    # text, so lines differ by about a character
    for n in range(-(-total // cap), len(tokens) + 1):
        cuts = sorted({min(range(len(ends) - 1), key=lambda j: (abs(ends[j] - total * i / n), -j))
                       for i in range(1, n)})
        lines = ["".join(tokens[a + 1:b + 1]) for a, b in zip([-1, *cuts], [*cuts, len(tokens) - 1])]
        if all(display_width(line) <= cap for line in lines):
            return "\n".join(lines)
    return "\n".join(_greedy(tokens, cap))


def _greedy(tokens: list[str], cap: int) -> list[str]:
    lines, cur, w = [], "", 0
    for t in tokens:
        tw = display_width(t)
        if cur and w + tw > cap:
            lines.append(cur)
            cur, w = "", 0
        cur, w = cur + t, w + tw
    return lines + [cur]


def header_label(field: Field, width: float | None = None) -> str:
    """A column header as printed: the label in even lines for `width`, the unit on a line of its own.

    Wrapped by the spreadsheet instead, a narrow column breaks mid-word and leaves
    "）" alone on the last line ("营业收入（万元\n）").
    """
    text = field.header_text
    tail = f"（{field.unit}）" if field.unit else ""
    if tail and text.endswith(tail) and len(text) > len(tail):
        return balanced_lines(text[: -len(tail)], width) + "\n" + tail
    return balanced_lines(text, width)


def display_width(text: str) -> int:
    """Width in Excel column units: CJK and full-width characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def lines_needed(text: str, width: float) -> int:
    """How many wrapped lines `text` takes in a column `width` characters wide (`chars_per_line`'s measure)."""
    cap = 2 * chars_per_line(width)
    return sum(max(1, math.ceil(display_width(part) / cap)) for part in text.split("\n"))


def row_height(lines: int, font_size: int = 10) -> float:
    return round(lines * (font_size + 4.5) + 4, 1)


def clip(text: str, limit: int) -> str:
    """Excel's hard limits (prompt title 32, message 255): cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
