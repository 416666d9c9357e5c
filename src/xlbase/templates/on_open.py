"""What a pre-filled workbook shows when it is opened, before anyone recalculates it.

A blank template caches the results of its in-sheet reads and checks as the blank form has them (nothing typed,
nothing to check): true, and what a suite that shows cached results prints. A workbook we write pre-filled (the
samples, a programme's filled case) would carry those same blank-form results under typed values: LibreOffice
opens an .xlsx with its default "Recalculation on file load: never recalculate" for Excel 2007 and newer, showing
every cached result, whatever `fullCalcOnLoad` says (measured with LibreOffice 7.4: a formula cell caching 999
opens as 999) — three correct 附件2 dates of a sample printed red. It computes a formula cell that caches no
result at all (an empty `<v>`) on load, even so, and the cells depending on it (xlsxwriter's documentation says
the same: "set a blank result in the formula, which will also force recalculation"). Excel and WPS recalculate
the whole workbook on load (`fullCalcOnLoad`, which xlsxwriter writes). So the formulas whose blank-form results
would be untrue — those of our hidden helper sheets (the reads of dates, numbers, types, sizes) and of the
表内检查 — are written without a result; the form sheets' formulas keep the results we compute from the values
given (an identity 附件10 takes from 附件2, a 合计), which readers of the file read.
"""

from __future__ import annotations

from collections.abc import Set

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import CellArrayFormulaTuple, CellFormulaTuple


def computed_on_open(wb: Workbook, sheets: Set[str]) -> int:
    """Drop the cached result of every formula on the workbook's hidden sheets and on `sheets` (names), before
    wb.close(): each suite computes them on opening. Returns how many formulas were so written."""
    n = 0
    for ws in wb.worksheets():
        if not ws.hidden and ws.name not in sheets:
            continue
        for cells in ws.table.values():
            for col, cell in cells.items():
                if isinstance(cell, (CellFormulaTuple, CellArrayFormulaTuple)):
                    cells[col] = cell._replace(value="")
                    n += 1
    return n
