"""Legacy Excel (BIFF2 to BIFF8) by xlrd: what calamine cannot read, or should not hold dense.

calamine reads BIFF5/8 in an OLE container only; Excel 2.x-4.0 wrote a bare BIFF stream, and
some writers of Excel 95 files use code pages calamine does not know. xlrd reads them all,
and with `ragged_rows` a row holds only up to its last cell, so a sheet with four cells at its
corners costs four cells, not 16.7 million.
"""

from __future__ import annotations

import io

from ..grid import Sheet, read_biff_hidden
from ..limits import DEFAULT_LIMITS, Limits
from . import cells


def read_xlrd(path: str, kind: str, limits: Limits = DEFAULT_LIMITS) -> list[Sheet]:
    import xlrd

    try:        # formatting_info gives the merged ranges (a county merged down its bases' rows)
        book = xlrd.open_workbook(path, ragged_rows=True, on_demand=True, logfile=io.StringIO(), formatting_info=True)
    except Exception:       # a writer's formatting records xlrd cannot parse: the values still count
        book = xlrd.open_workbook(path, ragged_rows=True, on_demand=True, logfile=io.StringIO())
    try:
        sheets = []
        for i in range(book.nsheets):
            sh = book.sheet_by_index(i)
            rows = [cells.row(_value(book, t, v) for t, v in zip(sh.row_types(r), sh.row_values(r)))
                    for r in range(sh.nrows)]
            merged = tuple((r1, c1, r2 - 1, c2 - 1) for r1, r2, c1, c2 in getattr(sh, "merged_cells", None) or ())
            sheets.append(Sheet(name=sh.name, rows=rows, visible=getattr(sh, "visibility", 0) == 0, merged=merged))
            book.unload_sheet(i)
        read_biff_hidden(path, sheets, limits)
        return sheets
    finally:
        book.release_resources()


def _value(book, ctype: int, value):
    import xlrd

    if ctype == xlrd.XL_CELL_DATE:
        try:
            return cells.cell(xlrd.xldate_as_datetime(value, book.datemode))
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return value
    if ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    if ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""   # calamine shows error values as empty too
    return value
