"""Text a cell can hold, and when a spreadsheet would run it as a formula.

Below every layer that touches cells: the writers write `cell_text` with Excel's quotePrefix style
when `is_formula_like`, and the merge reads a lower level's 汇总表 rows back through the same
function, so a row it wrote and reads again compares equal.
"""

from __future__ import annotations

import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
EXCEL_MAX_TEXT = 32767
UNSAFE_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")  # what cell_text removes/replaces


def is_formula_like(text: str) -> bool:
    return bool(text) and text.startswith(FORMULA_TRIGGERS)


def cell_text(value: object) -> str:
    """Text storable in a cell: no control characters or lone surrogates, ≤ 32 767 chars.

    Writers write it with write_string (never write()), adding the quotePrefix
    format when `is_formula_like(text)`.
    """
    s = "" if value is None else str(value)
    if len(s) <= EXCEL_MAX_TEXT and not UNSAFE_CHARS.search(s):  # the common case: nothing to clean
        return s
    s = "".join(ch for ch in s if ch in "\t\n\r" or ord(ch) >= 32)
    s = s.encode("utf-8", "replace").decode("utf-8")  # lone surrogates -> '?'
    if len(s) > EXCEL_MAX_TEXT:
        s = s[: EXCEL_MAX_TEXT - 1] + "…"
    return s
