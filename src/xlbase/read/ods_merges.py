"""The merged ranges of an OpenDocument spreadsheet, which calamine does not report (its merged_cell_ranges is
None for an .ods) and odfpy shows only as covered cells.

A county typed once and merged down its bases' rows is what places each of them (read.tables reads
Sheet.merged); without the ranges an .ods saved by LibreOffice, WPS or a web system put every base but the
first in the folder's county. content.xml says a merge on its first cell (table:number-rows-spanned,
table:number-columns-spanned); the cells it covers follow as covered-table-cell. The scan is the sniffer's
(a streamed regular expression over the bytes, repeats counted, with the patterns of read.odf_tags), so a file
the sniffer let through costs no more here.
"""

from __future__ import annotations

import html
import re
from typing import IO

from .odf_tags import COLS_REPEATED, ROWS_REPEATED, tag_pattern

_TAG = tag_pattern("table", "table-row", "table-cell", "covered-table-cell")
_ROWS_SPANNED = re.compile(rb"""number-rows-spanned\s*=\s*["']\s*(\d+)""")
_COLS_SPANNED = re.compile(rb"""number-columns-spanned\s*=\s*["']\s*(\d+)""")
_NAME = re.compile(rb"""(?:^|\s)(?:[\w.-]+:)?name\s*=\s*["']([^"']*)["']""")

Range = tuple[int, int, int, int]


def merged_ranges(fh: IO[bytes], cap: int) -> list[tuple[str, tuple[Range, ...]]]:
    """(table name, merged ranges as (first row, first col, last row, last col), 0-based, inclusive) per table of
    content.xml, in order; reads at most `cap` bytes (a longer part ends the scan: what was seen is kept)."""
    out: list[tuple[str, list[Range]]] = []
    depth = 0                       # nested tables (a table inside a cell) are not sheets: skipped
    row = col = row_repeat = 0
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
                        row = 0
                continue
            if depth != 1:
                continue
            if name == b"table-row":
                if closing:
                    row += row_repeat
                else:
                    n = ROWS_REPEATED.search(attrs)
                    row_repeat, col = (int(n.group(1)) if n else 1), 0
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
    return [(name, tuple(ranges)) for name, ranges in out]
