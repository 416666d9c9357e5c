"""What every fallback reader does to its cells so that the grid looks like calamine's.

calamine gives '' for an empty cell, a float for a number, a `date` for a date without a
time and a `datetime` otherwise; the table finder and the normaliser expect exactly that, so
another reader's None, whole-number datetimes and trailing empty cells are turned into it.
Rows are ragged (a row holds up to its last filled cell), which keeps a sheet with a stray
cell far away as small as its content.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, cast

# One shared empty row: a tuple, so no reader can grow it; typed as the rows (lists) it stands among.
EMPTY_ROW = cast("list[Any]", ())


def cell(v: Any) -> Any:
    if v is None:
        return ""
    if type(v) is dt.datetime and v.hour == v.minute == v.second == v.microsecond == 0:
        return v.date()
    return v


def row(values: Iterable[Any]) -> list[Any]:
    """One row as calamine's values, trailing empty cells dropped (the shared empty tuple when none is left)."""
    out = [cell(v) for v in values]
    while out and out[-1] == "":
        out.pop()
    return out or EMPTY_ROW


def place(cells: Iterable[tuple[int, int, Any]]) -> list[Any]:
    """Rows from (row, column, value) triples in any order, 0-based; values already as calamine gives them."""
    grid: dict[int, dict[int, Any]] = {}
    for r, c, v in cells:
        if v != "" and v is not None:
            grid.setdefault(r, {})[c] = v
    if not grid:
        return []
    out: list[Any] = [EMPTY_ROW] * (max(grid) + 1)
    for r, by_col in grid.items():
        line = [""] * (max(by_col) + 1)
        for c, v in by_col.items():
            line[c] = v
        out[r] = line
    return out
