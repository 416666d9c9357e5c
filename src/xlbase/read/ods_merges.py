"""The merged ranges and the hidden rows and columns of an OpenDocument spreadsheet, which calamine does not report (its merged_cell_ranges is
None for an .ods) and odfpy shows only as covered cells.

A county typed once and merged down its bases' rows is what places each of them (read.tables reads
Sheet.merged); without the ranges an .ods saved by LibreOffice, WPS or a web system put every base but the
first in the folder's county. content.xml says a merge on its first cell (table:number-rows-spanned,
table:number-columns-spanned); the cells it covers follow as covered-table-cell. The scan is the sniffer's
(a streamed regular expression over the bytes, repeats counted, with the patterns of read.odf_tags), so a file
the sniffer let through costs no more here. A row or column says it is hidden by table:visibility: "collapse"
(the clerk hid it) or "filter" (a row in a filtered range). LibreOffice writes "filter" for a row the clerk hid
inside an autofilter's range even when no criterion is set: a table whose database range holds no
filter-condition has no filter hiding rows, so its "filter" rows are the clerk's.
"""

from __future__ import annotations

import html
import re
from typing import IO, NamedTuple

from ..cell_refs import col_index
from .odf_tags import COLS_REPEATED, ROWS_REPEATED, tag_pattern

_TAG = tag_pattern("table", "table-row", "table-cell", "covered-table-cell", "table-column", "database-range",
                   "filter-condition", "filter-set-item")
_TARGET = re.compile(rb"""target-range-address\s*=\s*["']\$?'?([^"'.]*)'?\.\$?([A-Z]{1,3})""")
_FIELD = re.compile(rb"""field-number\s*=\s*["']\s*(\d+)""")
_VALUE = re.compile(rb"""(?:^|\s)(?:[\w.-]+:)?value\s*=\s*["']([^"']*)["']""")
_OPERATOR = re.compile(rb"""operator\s*=\s*["']([^"']*)["']""")
_VISIBILITY = re.compile(rb"""visibility\s*=\s*["']\s*(collapse|filter)""")
_ROWS_SPANNED = re.compile(rb"""number-rows-spanned\s*=\s*["']\s*(\d+)""")
_COLS_SPANNED = re.compile(rb"""number-columns-spanned\s*=\s*["']\s*(\d+)""")
_NAME = re.compile(rb"""(?:^|\s)(?:[\w.-]+:)?name\s*=\s*["']([^"']*)["']""")

Range = tuple[int, int, int, int]


class OdsTable(NamedTuple):
    """One table of content.xml: its name, merged ranges as (first row, first col, last row, last col), 0-based,
    inclusive, and its hidden rows (by the clerk; by a filter) and columns, 0-based."""
    name: str
    merged: tuple[Range, ...]
    hidden_rows: frozenset[int] = frozenset()
    filtered_rows: frozenset[int] = frozenset()
    hidden_cols: frozenset[int] = frozenset()
    filter_shows: tuple[tuple[int, frozenset[str] | None], ...] = ()   # grid.Sheet.filter_shows


#: a hidden span repeated further than this (a blank tail to the sheet's end) is cut here
MAX_HIDDEN_SPAN = 10_000


def merged_ranges(fh: IO[bytes], cap: int) -> list[OdsTable]:
    """Each table of content.xml, in order, with its merged ranges and hidden rows and columns; reads at most
    `cap` bytes (a longer part ends the scan: what was seen is kept)."""
    out: list[tuple[str, list[Range]]] = []
    hidden: list[tuple[set[int], set[int], set[int]]] = []     # per table: collapsed rows, filtered rows, columns
    depth = 0                       # nested tables (a table inside a cell) are not sheets: skipped
    row = col = row_repeat = column = 0
    filtering: dict[str, dict[int, set[str] | None]] = {}   # table -> its filter: column -> the values it shows
    target: str | None = None       # the table of the database range being read
    first_col = 0                   # that range's first column
    field: int | None = None        # the filter-condition being read
    seen, tail = 0, b""
    while True:
        block = fh.read(1 << 20)
        seen += len(block)
        buf = tail + block
        cut = len(buf) if not block or seen > cap else buf.rfind(b"<")
        if cut < 0:
            cut = len(buf)
        for m in _TAG.finditer(buf, 0, cut):
            closing, name, attrs = m.group(1), m.group(2), m.group(3)
            empty = attrs.rstrip().endswith(b"/")
            if name == b"table":
                if closing:
                    depth -= 1
                elif not empty:
                    depth += 1
                    if depth == 1:
                        n = _NAME.search(attrs)
                        out.append((html.unescape(n.group(1).decode("utf-8", "replace")) if n else "", []))
                        hidden.append((set(), set(), set()))
                        row = column = 0
                continue
            if name == b"database-range":
                t = _TARGET.search(attrs) if not closing else None
                target = html.unescape(t.group(1).decode("utf-8", "replace")) if t and not empty else None
                first_col = col_index(t.group(2).decode()) - 1 if t else 0     # _TARGET: 1-3 letters A-Z
                continue
            if name == b"filter-condition":
                field = _condition(attrs, filtering.setdefault(target, {}), first_col) \
                    if target is not None and not closing else None
                continue
            if name == b"filter-set-item":
                shows = filtering.get(target or "", {})
                v = _VALUE.search(attrs)
                if field is not None and v and shows.get(field) is not None:
                    shows[field].add(html.unescape(v.group(1).decode("utf-8", "replace")).strip())  # type: ignore[union-attr]
                continue
            if depth != 1:
                continue
            if name == b"table-column":
                if not closing:
                    n = COLS_REPEATED.search(attrs)
                    width = int(n.group(1)) if n else 1
                    v = _VISIBILITY.search(attrs) if b"visibility" in attrs else None
                    if v:
                        hidden[-1][2].update(range(column, column + min(width, MAX_HIDDEN_SPAN)))
                    column += width
                continue
            if name == b"table-row":
                if closing:
                    row += row_repeat
                else:
                    n = ROWS_REPEATED.search(attrs)
                    row_repeat, col = (int(n.group(1)) if n else 1), 0
                    v = _VISIBILITY.search(attrs) if b"visibility" in attrs else None
                    if v:
                        hidden[-1][0 if v.group(1) == b"collapse" else 1].update(
                            range(row, row + min(row_repeat, MAX_HIDDEN_SPAN)))
                    if empty:
                        row += row_repeat
            elif not closing:        # a cell or a covered cell
                n = COLS_REPEATED.search(attrs)
                width = int(n.group(1)) if n else 1
                if name == b"table-cell":
                    rs, cs = _ROWS_SPANNED.search(attrs), _COLS_SPANNED.search(attrs)
                    down, across = (int(rs.group(1)) if rs else 1), (int(cs.group(1)) if cs else 1)
                    if down > 1 or across > 1:
                        out[-1][1].append((row, col, row + down - 1, col + across - 1))
                col += width
        if not block or seen > cap:
            break
        tail = buf[cut:]
    return [OdsTable(name, tuple(ranges), frozenset(rows), frozenset(filtered), frozenset(cols),
                     tuple((c, frozenset(v) if v is not None else None) for c, v in filtering[name].items()))
            if name in filtering else OdsTable(name, tuple(ranges), frozenset(rows | filtered), frozenset(), frozenset(cols))
            for (name, ranges), (rows, filtered, cols) in zip(out, hidden)]


def _condition(attrs: bytes, shows: dict[int, set[str] | None], first_col: int) -> int | None:
    """One filter-condition into `shows` (sheet column -> the values it shows; None for a condition other than
    equality, which we cannot evaluate); the column, for its filter-set-items (a list of values)."""
    f = _FIELD.search(attrs)
    if f is None:
        return None
    col = first_col + int(f.group(1))
    op = _OPERATOR.search(attrs)
    v = _VALUE.search(attrs)
    if op is None or op.group(1) != b"=" or v is None or shows.get(col, set()) is None:
        shows[col] = None
        return col
    shows.setdefault(col, set()).add(html.unescape(v.group(1).decode("utf-8", "replace")).strip())  # type: ignore[union-attr]
    return col
