"""Excel binary workbooks (.xlsb) calamine cannot parse, by pyxlsb (the reader pandas uses for them).

pyxlsb reads no number formats, so a date arrives as its serial number; the normaliser reads
serials in date fields (from 1950 on) as dates.
"""

from __future__ import annotations

from ..grid import Sheet
from ..limits import DEFAULT_LIMITS, Limits
from . import cells


def read_pyxlsb(path: str, kind: str, limits: Limits = DEFAULT_LIMITS) -> list[Sheet]:
    from pyxlsb import open_workbook

    sheets = []
    with open_workbook(path) as wb:
        for name in wb.sheets:
            with wb.get_sheet(name) as sh:
                found = ((c.r, c.c, cells.cell(c.v)) for row in sh.rows(sparse=True) for c in row)
                sheets.append(Sheet(name=name, rows=cells.place(found)))
    return sheets
