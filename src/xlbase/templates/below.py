"""What a clerk types below a list's rows, where the 表内检查 does not reach.

A list's rows are the only cells open to typing (templates.table), but a clerk who removes the sheet's protection
can type under them, and `xlbase validate` reads what it finds there while the in-sheet checks' ranges end with
the list. The 表内检查 counts what stands in a bounded block under each list's sheet (BELOW_ROWS rows of the
list's columns, under everything the template wrote), says so above its table and gives 请核实, never 通过, for
the rules about that list (templates.check_sheet).
"""

from __future__ import annotations

from xlsxwriter.utility import xl_rowcol_to_cell

from .places import Places

BELOW_ROWS = 500        # rows under a list the sheet looks at: a block typed below, not a second list far away


def below_formula(wb, places: Places, form_id: str) -> str | None:
    """Excel (no "="): how many cells hold something in the list's columns under everything the template wrote on
    its sheet (a list's notes, a 合计 line, the record lines after a table on a mixed sheet: what a clerk fills
    there is no list row); None when the form is not a list of the workbook."""
    if form_id not in places.tables and form_id not in places.one_row:
        return None
    sheet, layout = places.tables.get(form_id) or places.one_row[form_id]
    if any(_row_of(ref) > layout.last_row for cells in places.cells.values() for ref in cells.values()
           if ref.startswith(f"'{sheet}'!")):
        return None     # a record's lines follow the list (太原's 推荐表): the reader's table ends at their labels
    ws = wb.get_worksheet_by_name(sheet)
    cols = [*layout.cols.values(), *([layout.number_col] if layout.number_col is not None else [])]
    r0 = max(layout.last_row, *ws.table) + 1
    area = (f"'{sheet}'!{xl_rowcol_to_cell(r0, min(cols), True, True)}:"
            f"{xl_rowcol_to_cell(r0 + BELOW_ROWS - 1, max(cols), True, True)}")
    return f"COUNTA({area})"


def _row_of(ref: str) -> int:
    """The 0-based row of an absolute A1 reference ('sheet'!$B$5)."""
    return int(ref.rsplit("$", 1)[1]) - 1


def below_total(wb, places: Places, form_ids) -> str | None:
    """The sum of below_formula over `form_ids` (the lists among them), or None."""
    terms = list(dict.fromkeys(f for fid in form_ids if (f := below_formula(wb, places, fid))))   # a sheet once
    return "+".join(terms) if terms else None
