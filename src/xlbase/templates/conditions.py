"""Conditional formats whose formulas reach other sheets only through defined names.

Excel 2007 refuses a conditional-format formula that refers to another worksheet ("references to other
worksheets or workbooks" may not be used in conditional formatting criteria); WPS Spreadsheets, built to
behave as Excel, has been reported to do the same in versions still used in offices. A defined name that
holds the reference is the documented way round it and is evaluated alike by Excel 2007+, WPS and
LibreOffice. So every sheet-qualified reference of a mark's condition ('基本情况'!$G$5, 'xl_dates'!$T6) is
replaced by a name `xl_ref_<n>`: an absolute reference as it is, a relative one counted from A1 the way a
name's relative references are (its offset from the area's first cell), which is how the date reads of
templates.dates already use names.
"""

from __future__ import annotations

import re
from typing import Any

from xlsxwriter.utility import xl_cell_to_rowcol, xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

PREFIX = "xl_ref_"
_STRING = re.compile(r'"(?:[^"]|"")*"')
_CELL = r"\$?[A-Z]{1,3}\$?\d+"
_REF = re.compile(rf"((?:'(?:[^']|'')+'|[A-Za-z_][\w.]*)!)({_CELL}(?::{_CELL})?)")
_PART = re.compile(r"(\$?)([A-Z]{1,3})(\$?)(\d+)")


def _rebased(cells: str, anchor: tuple[int, int]) -> str:
    """`cells` with its relative rows and columns counted from A1 instead of `anchor` (0-based)."""
    def one(m: re.Match) -> str:
        col_abs, col, row_abs, row = m.groups()
        r, c = xl_cell_to_rowcol(col + row)
        if not row_abs:
            r -= anchor[0]
        if not col_abs:
            c -= anchor[1]
        if r < 0 or c < 0:
            raise ValueError(f"{cells}: a relative reference above or left of the formatted area")
        return f"{col_abs}{xl_col_to_name(c)}{row_abs}{r + 1}"
    return _PART.sub(one, cells)


def _name_for(wb: Workbook, target: str) -> str:
    """The workbook's name holding `target` (a sheet-qualified reference), defined on first use."""
    ours = [(name, formula) for name, _, formula, _ in wb.defined_names if name.startswith(PREFIX)]
    for name, formula in ours:
        if formula == target:
            return name
    name = f"{PREFIX}{len(ours) + 1}"
    wb.define_name(name, "=" + target)
    return name


def sheet_local(wb: Workbook, formula: str, anchor: tuple[int, int]) -> str:
    """`formula` (a condition of the area whose first cell is `anchor`) with each reference to another
    sheet replaced by a defined name; string literals are left alone."""
    out, last = [], 0
    for lit in [*_STRING.finditer(formula), None]:
        end = lit.start() if lit else len(formula)
        out.append(_REF.sub(lambda m: _name_for(wb, m.group(1) + _rebased(m.group(2), anchor)), formula[last:end]))
        if lit:
            out.append(lit.group())
            last = lit.end()
    return "".join(out)


def formula_format(wb: Workbook, ws: Worksheet, area: tuple[int, int, int, int], condition: str, fmt: Any) -> None:
    """A conditional format on `area` of `ws`, applied where `condition` (no "=") holds."""
    ws.conditional_format(*area, {"type": "formula", "criteria": "=" + sheet_local(wb, condition, area[:2]),
                                  "format": fmt})
