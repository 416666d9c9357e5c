"""Cell formats and text measures shared by the template writers.

xlsxwriter needs one Format object per distinct style; `Styles` caches them so
every writer asks by properties and two runs create formats in the same order
(deterministic output).
"""

from __future__ import annotations

import math
import unicodedata
from typing import Any

from xlsxwriter.workbook import Workbook

from ..forms import Field

FONT = "宋体"
DATE_FORMAT = "yyyy-mm-dd"
GREY = "#D9D9D9"        # header fill of our (non-official) columns
LIGHT = "#F2F2F2"       # locked cells that carry a formula
INPUT = "#FFFFFF"

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

    def formula(self, field: Field | None = None, *, bold: bool = False):
        fmt = num_format(field) if field is not None else None
        if fmt == "@":
            fmt = None     # a text-formatted cell would show the formula, not its result
        return self.get(border=1, locked=True, num_format=fmt, bg_color=LIGHT, bold=bold or None,
                        text_wrap=True)

    def note(self):
        return self.get(text_wrap=True, valign="top")


def display_width(text: str) -> int:
    """Width in Excel column units: CJK and full-width characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def lines_needed(text: str, width: float) -> int:
    """How many wrapped lines `text` takes in a column `width` characters wide."""
    usable = max(width - 1.0, 2.0)
    # renderers fit fewer CJK glyphs than the nominal width: keep a margin
    return sum(max(1, math.ceil(display_width(part) * 1.15 / usable)) for part in text.split("\n"))


def row_height(lines: int, font_size: int = 10) -> float:
    return round(lines * (font_size + 4.5) + 4, 1)


def clip(text: str, limit: int) -> str:
    """Excel's hard limits (prompt title 32, message 255): cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
