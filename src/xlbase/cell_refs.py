"""A1 cell references: 'B7' / '$B$7' to (row, column) and back, and a problem's cell text
('B7', 'B7:C8', 'B7,C9') to the cells it names.

Letters to a number and back are computed here rather than taken from openpyxl.utils or
xlsxwriter.utility: importing any openpyxl module runs openpyxl/__init__ (~0.1 s), any xlsxwriter
module the whole writer (~25 ms), of every merge/validate/read start-up, and this module is on the
reader's import path (read.vertical, table). It sits with the model (table.Table names cells with it), below ooxml."""

from __future__ import annotations

import re
from functools import lru_cache

_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?([1-9][0-9]{0,6})$")
MAX_ROW, MAX_COL = 1_048_576, 16_384     # Excel's grid: A1:XFD1048576


def col_index(letters: str) -> int:
    """'B' -> 2 (1-based); ValueError for anything but 1-3 letters A-Z (as openpyxl: up to ZZZ, past Excel's XFD)."""
    upper = letters.upper()
    if not 1 <= len(upper) <= 3 or not upper.isascii() or not upper.isalpha():
        raise ValueError(f"{letters!r} is not a valid column name")
    n = 0
    for ch in upper:
        n = n * 26 + ord(ch) - 64
    return n


@lru_cache(maxsize=4096)
def col_letters(n: int) -> str:
    """2 -> 'B' (1-based); "" for 0."""
    letters = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return letters


def parse_ref(ref: str) -> tuple[int, int] | None:
    """'B7' / '$B$7' -> (row 7, col 2); None for anything else or out of the grid."""
    m = _REF.match(ref.strip())
    if not m:
        return None
    row, col = int(m.group(2)), col_index(m.group(1))
    if row > MAX_ROW or col > MAX_COL:
        return None
    return row, col


def expand_cells(cell: str, limit: int = 1000) -> list[str]:
    """A problem's cell text -> normalised A1 refs ('B7', 'B7:C8', 'B7,C9'); ranges capped."""
    out: list[str] = []
    for part in re.split(r"[,，;；\s]+", cell or ""):
        if not part:
            continue
        ends = part.split(":")
        pos = [parse_ref(e) for e in ends]
        if len(ends) == 1 and (one := pos[0]):
            r, c = one
            out.append(f"{col_letters(c)}{r}")
        elif len(ends) == 2 and (first := pos[0]) and (last := pos[1]):
            (r1, c1), (r2, c2) = first, last
            for r in range(min(r1, r2), max(r1, r2) + 1):
                for c in range(min(c1, c2), max(c1, c2) + 1):
                    out.append(f"{col_letters(c)}{r}")
                    if len(out) >= limit:
                        return out
    return list(dict.fromkeys(out))
