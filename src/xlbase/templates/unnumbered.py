"""Rows a clerk types past a list's ruled block, left without their 序号.

An open-ended list (附件3, 太原's 服务企业名单) numbers and rules only its first rows — as many as the first page
holds — and the 填表说明 asks the clerk to number on past them (templates.guide). The spare rows are not numbered
in advance: a number or a formula in each would be a cell in use, and a print area of whole columns prints to the
last cell in use — every one of an open-ended list's spare rows, on blank pages. So the 表内检查's top line counts
the rows in use past the block whose 序号 is blank, and says why they have none.
"""

from __future__ import annotations

from xlsxwriter.utility import xl_rowcol_to_cell

from .places import Places

#: the verdict line's sentence after the count of such rows
UNNUMBERED_TEXT = (" 行写在预先编号的行以下、没有序号（备用行不预先编号，以免打印出空白页），"
                   "请在序号栏接着编号；")


def unnumbered_formula(places: Places) -> str | None:
    """Excel (no "="): how many rows past the ruled block of the workbook's open-ended lists hold something typed
    (what the reader reads as a row: templates.places.rows_in_use) and no 序号; None when no list has
    spare rows."""
    terms = []
    for sheet, layout in places.tables.values():
        if layout.number_col is None or not layout.open_ended or layout.ruled_rows >= layout.n_rows:
            continue
        top = layout.first_row + layout.ruled_rows
        spare = [f"'{sheet}'!{xl_rowcol_to_cell(top, c, True, True)}:{xl_rowcol_to_cell(layout.last_row, c, True, True)}"
                 for c in (layout.number_col, *(layout.cols[f.key] for f in layout.form.table_fields if not f.merge_only))]
        terms.append(f'SUMPRODUCT((({"&".join(spare[1:])})<>"")*(TRIM({spare[0]})=""))')
    return "+".join(terms) if terms else None
