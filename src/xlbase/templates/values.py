"""Writing one value into an input cell, safely and with the field's format.

Submitted text always goes through `cell_text` and `write_string` (never
`write()`), with the quotePrefix style when it would otherwise run as a formula.
"""

from __future__ import annotations

import datetime as dt

from xlsxwriter.worksheet import Worksheet

from ..forms import Field
from ..safe_output import cell_text, is_formula_like, write_text
from .styles import Styles


def write_value(ws: Worksheet, row: int, col: int, field: Field | None, value: object,
                styles: Styles, *, border: int = 1) -> None:
    """Write `value` (or a blank input cell) at (row, col) in the field's input format."""
    fmt = styles.input(field, border=border)
    if value is None or (isinstance(value, str) and value == ""):
        ws.write_blank(row, col, None, fmt)
        return
    if isinstance(value, bool):
        yes, no = "是", "否"
        ws.write_string(row, col, yes if value else no, fmt)
        return
    if isinstance(value, (int, float)) and (field is None or field.type not in ("credit_code", "phone", "text")):
        if value != value:   # NaN from pandas: leave the cell empty
            ws.write_blank(row, col, None, fmt)
        else:
            ws.write_number(row, col, value, fmt)
        return
    if isinstance(value, (dt.date, dt.datetime)):
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            value = dt.datetime(value.year, value.month, value.day)
        ws.write_datetime(row, col, value, fmt)
        return
    text = cell_text(value)
    if is_formula_like(text):
        fmt = styles.input(field, quote=True, border=border)
    write_text(ws, row, col, text, fmt)


def cached(value: object) -> object:
    """The value a formula cell shows before recalculation (readers see it)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (dt.date, dt.datetime)):
        d = value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)
        return (d - dt.datetime(1899, 12, 30)).days
    if isinstance(value, (int, float)):
        return value
    return cell_text(value)
