"""A 附件10 typed vertically: its labels down one column, each base's values in a column beside them.

Clerks who copy the one-row form into a narrow page turn it: 基地名称 | 值 on each line. The
sheet is read through its transpose (labels become a header row, each value column a data
row) with the same column matcher, then every cell address is turned back, so problems point
at the cells the clerk typed. Table.transposed makes Table.cell() answer in the sheet's own
orientation.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..ooxml.refs import col_index, col_letters
from ..problems import INFO, Problem
from ..problem_codes import UNKNOWN_COLUMN
from ..forms.roles import BASE_FORM
from .grid import Sheet
from .tables import FoundTable, find_tables

VERTICAL_FAMILIES = (BASE_FORM,)
MAX_ROWS, MAX_COLUMNS = 150, 60
_A1 = re.compile(r"(?<![A-Za-z0-9])([A-Z]{1,3})([0-9]{1,7})(?![0-9])")


def transpose(sheet: Sheet) -> Sheet:
    """The sheet with rows and columns swapped ('' where a row was short)."""
    width = max((len(r) for r in sheet.rows), default=0)
    rows = [[row[c] if c < len(row) else "" for row in sheet.rows] for c in range(width)]
    return Sheet(sheet.name, rows, sheet.visible)


def find_vertical(sheet: Sheet) -> tuple[Sheet, list[FoundTable]] | None:
    """The transposed sheet and the vertical tables on it, when the sheet holds no table the usual way."""
    if not sheet.rows or sheet.n_rows > MAX_ROWS or max((len(r) for r in sheet.rows), default=0) > MAX_COLUMNS:
        return None          # a vertical 附件10 is ~25 lines by a few bases: a bigger sheet is no such thing
                             # (and costly to turn)
    turned = transpose(sheet)
    found = [ft for ft in find_tables(turned) if ft.family in VERTICAL_FAMILIES and ft.data_rows]
    return (turned, found) if found else None


def swap_a1(text: str) -> str:
    """Every A1 address in a text with row and column swapped: 'C2' on the transpose is 'B3' on the sheet."""
    return _A1.sub(lambda m: f"{col_letters(int(m.group(2)))}{col_index(m.group(1))}", text)


def turned_back(problems: list[Problem]) -> list[Problem]:
    """Problems found on the transpose, addressed to the sheet the clerk typed. A "column" of the transpose
    with nothing beside its label is a line of the sheet (the title, 填报单位, a note): no column, so nothing
    is said of it; one with values is a line the clerk filled, said as a line (该行, not 该列)."""
    out = []
    for p in problems:
        if p.rule == UNKNOWN_COLUMN and p.severity == INFO:
            continue
        message = swap_a1(p.message)
        if p.rule == UNKNOWN_COLUMN:
            message = message.replace("表头“", "栏目“").replace("该列", "该行")
        out.append(replace(p, cell=swap_a1(p.cell), message=message))
    return out
