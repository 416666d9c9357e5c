"""The 基地类型 a clerk typed, read once on the hidden sheet xl_types: its key folded as the sheet folds
(checks.type_key) and whether the sheet cannot read it (checks.type_unread), beside each typed cell or each row of a
list's type column. Every threshold looked up by type refers to these two cells instead of repeating the folding,
which would pass Excel's 64 nesting levels and 8192 characters."""

from __future__ import annotations

from xlsxwriter.utility import xl_col_to_name

from .checks import UNTYPED, type_key, type_unread
from .lists import ListSheet, hidden_sheet

TYPE_SHEET = "xl_types"


def _columns(lists: ListSheet, source: str, heading: str) -> tuple[int, bool]:
    """(the first of the two columns reading `source`, whether they are new)."""
    ws, _ = hidden_sheet(lists.workbook, TYPE_SHEET)
    if source in lists.type_reads:
        return lists.type_reads[source], False
    col = 2 * len(lists.type_reads)
    lists.type_reads[source] = col
    ws.write_string(0, col, heading)
    ws.write_string(0, col + 1, "无法识别")
    return col, True


def _write(lists: ListSheet, row: int, col: int, typed: str) -> None:
    ws, _ = hidden_sheet(lists.workbook, TYPE_SHEET)
    key = f"'{TYPE_SHEET}'!${xl_col_to_name(col)}${row + 1}"
    ws.write_formula(row, col, "=" + type_key(typed), None, UNTYPED)      # cached: a blank form's
    ws.write_formula(row, col + 1, "=" + type_unread(key, lists), None, False)


def type_cell_reads(lists: ListSheet, cell: str) -> tuple[str, str]:
    """(folded key, cannot-read flag) of the type typed in `cell` (sheet-qualified, absolute): absolute references
    on xl_types (row 2: row 1 holds the headings)."""
    col, new = _columns(lists, cell, cell)
    if new:
        _write(lists, 1, col, cell)
    return f"'{TYPE_SHEET}'!${xl_col_to_name(col)}$2", f"'{TYPE_SHEET}'!${xl_col_to_name(col + 1)}$2"


def type_column_reads(lists: ListSheet, sheet: str, col_letter: str, first: int, last: int) -> tuple[str, str]:
    """The same for each row `first`..`last` (0-based) of a list's type column (`col_letter` on `sheet`), on the
    list's own rows of xl_types: the column letters (key, flag), for references relative to a row."""
    col, new = _columns(lists, f"'{sheet}'!${col_letter}", f"{sheet} {col_letter}")
    if new:
        if first < 1:
            raise ValueError("a list's rows start below the heading row")
        for row in range(first, last + 1):
            _write(lists, row, col, f"'{sheet}'!${col_letter}{row + 1}")
    return xl_col_to_name(col), xl_col_to_name(col + 1)
