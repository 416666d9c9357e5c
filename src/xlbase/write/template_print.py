"""Print setup, frozen panes and sheet protection for a template sheet.

A4 landscape, one page wide (as many pages tall as needed), header rows
repeated on every page, page numbers in the footer; sheets protected without a
password so locked labels and formulas stay put while clerks can still resize
columns and rows.
"""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

A4 = 9
FOOTER = "&C第 &P 页，共 &N 页"
#: page margins in inches of the template sheets (and of 校验结果 in marked copies)
MARGINS = {"left": 0.4, "right": 0.4, "top": 0.5, "bottom": 0.6}
PROTECT_OPTIONS = {
    "format_cells": False,
    "format_columns": True,
    "format_rows": True,
    "autofilter": True,
    "sort": False,
    "select_locked_cells": True,
    "select_unlocked_cells": True,
}


def setup_sheet(ws: Worksheet, *, last_row: int, last_col: int, repeat: tuple[int, int] | None = None,
                freeze_row: int | None = None, open_ended: bool = False, protect: bool = True,
                one_page: bool = False) -> None:
    ws.set_paper(A4)
    ws.set_landscape()
    ws.fit_to_pages(1, 1 if one_page else 0)   # a record form is one sheet of paper
    ws.center_horizontally()
    ws.set_margins(**MARGINS)
    ws.set_footer(FOOTER)
    ws.print_area(0, 0, last_row, last_col)
    if repeat is not None:
        ws.repeat_rows(*repeat)
    if freeze_row is not None:
        ws.freeze_panes(freeze_row, 0)
    if protect:
        ws.protect("", PROTECT_OPTIONS)
