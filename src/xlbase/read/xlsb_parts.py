"""What an Excel binary workbook (.xlsb) says beyond its cells, read from its records ([MS-XLSB]): which rows
and columns each worksheet hides, and its autofilter's criteria — calamine and pyxlsb report neither.

A record is a type and a size, each a 7-bit varint (2 and 4 bytes at most), then its body. Hidden rows are the
BrtRowHdr with fDyZero, hidden columns the BrtColInfo with fHidden; the autofilter's range is BrtBeginAFilter and
each criterion a BrtBeginFilterColumn holding value lists (BrtFilter) or another kind of filter (custom, top 10,
dynamic, colour, icon: what it shows cannot be told). As for .xlsx (read.sheet_xml.Hidden), the hidden rows inside a
filtered range are the filter's.
"""

from __future__ import annotations

import re
import struct
import zipfile
from typing import Iterator

from .grid import Sheet
from .sheet_xml import Hidden
from .limits import DEFAULT_LIMITS, Limits
from .sniff import read_zip_member_capped

ROW_HDR, COL_INFO, BUNDLE_SHEET = 0x00, 0x3C, 0x9C
BEGIN_AFILTER, END_AFILTER, BEGIN_FILTER_COLUMN, END_FILTER_COLUMN = 161, 162, 163, 164
BEGIN_FILTERS, END_FILTERS, FILTER = 165, 166, 167
OTHER_FILTERS = frozenset({168, 169, 170, 171, 172})    # colour, icon, top 10, dynamic, custom
WORKBOOK_PART = "xl/workbook.bin"
_REL = re.compile(rb'<Relationship\b[^>]*?\bId="([^"]+)"[^>]*?\bTarget="([^"]+)"|'
                  rb'<Relationship\b[^>]*?\bTarget="([^"]+)"[^>]*?\bId="([^"]+)"')


def records(data: bytes) -> Iterator[tuple[int, bytes, bytes]]:
    """(type, header bytes, body) of each record: type and size are 7-bit varints of up to 2 and 4 bytes."""
    i = 0
    while i < len(data):
        start = i
        rtype, i = read_varint(data, i, 2)
        size, i = read_varint(data, i, 4)
        if i + size > len(data):
            raise ValueError("a record runs past the end of the part")
        yield rtype, data[start:i], data[i:i + size]
        i += size


def read_varint(data: bytes, i: int, max_bytes: int) -> tuple[int, int]:
    value = 0
    for k in range(max_bytes):
        if i >= len(data):
            raise ValueError("a record header runs past the end of the part")
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << (7 * k)
        if not byte & 0x80:
            break
    return value, i


def _wide(body: bytes, at: int) -> tuple[str | None, int]:
    """An XLWideString (or a null XLNullableWideString) at `at`, and where it ends."""
    if at + 4 > len(body):
        raise ValueError("a string runs past its record")
    n = struct.unpack_from("<I", body, at)[0]
    if n == 0xFFFFFFFF:
        return None, at + 4
    end = at + 4 + 2 * n
    if end > len(body):
        raise ValueError("a string runs past its record")
    return body[at + 4:end].decode("utf-16-le", "replace"), end


def sheet_hidden(data: bytes) -> Hidden:
    """The rows (0-based) and columns one worksheet part hides, the hidden rows inside its filtered autofilter
    range as `filtered`, and the criteria (Hidden.shows)."""
    rows: set[int] = set()
    cols: set[int] = set()
    area: tuple[int, int, int] | None = None        # first data row, last row, first column (0-based)
    shows: dict[int, set[str] | None] = {}
    at: int | None = None
    for rtype, _, body in records(data):
        if rtype == ROW_HDR and len(body) >= 12:
            if body[11] & 0x10:                      # fDyZero
                rows.add(struct.unpack_from("<I", body, 0)[0])
        elif rtype == COL_INFO and len(body) >= 18:
            first, last = struct.unpack_from("<II", body, 0)
            if struct.unpack_from("<H", body, 16)[0] & 1:      # fHidden
                cols.update(range(first, min(last, 16383) + 1))
        elif rtype == BEGIN_AFILTER and len(body) >= 16:
            top, bottom, left, _ = struct.unpack_from("<IIII", body, 0)
            area = (top + 1, bottom, left)
        elif rtype == BEGIN_FILTER_COLUMN and len(body) >= 4:
            at = struct.unpack_from("<I", body, 0)[0]
            shows.setdefault(at, set())
        elif rtype == END_FILTER_COLUMN:
            at = None
        elif rtype == FILTER and at is not None and shows.get(at) is not None:
            text, _ = _wide(body, 0)
            shows[at].add((text or "").strip())      # type: ignore[union-attr]
        elif rtype in OTHER_FILTERS and at is not None:
            shows[at] = None
    shows = {c: v for c, v in shows.items() if v is None or v}
    filtered = {r for r in rows if area and shows and area[0] <= r <= area[1]}
    said = tuple((area[2] + c, frozenset(v) if v is not None else None) for c, v in shows.items()) \
        if area and filtered else ()
    return Hidden(frozenset(rows - filtered), frozenset(cols), frozenset(filtered), said)


def workbook_hidden(path: str, limits: Limits = DEFAULT_LIMITS) -> dict[str, Hidden]:
    """Sheet name -> what it hides, for each worksheet of an .xlsb that hides a row or a column; best effort
    ({} for a workbook whose parts cannot be walked)."""
    out: dict[str, Hidden] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            names = {i.filename.lstrip("/").lower(): i for i in zf.infolist()}
            book = names.get(WORKBOOK_PART)
            rels = names.get("xl/_rels/workbook.bin.rels")
            if book is None or rels is None:
                return out
            targets = {}
            for m in _REL.finditer(read_zip_member_capped(zf, rels, limits.max_member_bytes)):
                rid, target = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
                targets[rid.decode("utf-8", "replace")] = target.decode("utf-8", "replace")
            for rtype, _, body in records(read_zip_member_capped(zf, book, limits.max_member_bytes)):
                if rtype != BUNDLE_SHEET or len(body) < 8:
                    continue
                rid, end = _wide(body, 8)
                name, _ = _wide(body, end)
                target = targets.get(rid or "", "")
                part = target.lstrip("/") if target.startswith("/") else "xl/" + target
                info = names.get(part.lower())
                if name is None or info is None:
                    continue
                seen = sheet_hidden(read_zip_member_capped(zf, info, limits.max_member_bytes))
                if seen.rows or seen.cols or seen.filtered:
                    out[name] = seen
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, struct.error):
        return {}
    return out


def with_xlsb_hidden(path: str, sheets: list[Sheet], limits: Limits = DEFAULT_LIMITS) -> list[Sheet]:
    """`sheets` (read from the .xlsb at `path`) with the rows and columns each hides and its filter's criteria."""
    hidden = workbook_hidden(path, limits)
    for sheet in sheets:
        seen = hidden.get(sheet.name)
        if seen is not None:
            sheet.hidden_rows, sheet.hidden_cols, sheet.filtered_rows = seen.rows, seen.cols, seen.filtered
            sheet.filter_shows = seen.shows
    return sheets
