"""What the records of a legacy Excel (BIFF) stream say before any reader parses its cells.

Two facts are needed before choosing a reader: whether the workbook is encrypted (a FILEPASS
record in its globals: XOR obfuscation, RC4 or CryptoAPI; msoffcrypto-tool only knows BIFF8,
and Excel 95 files are BIFF5), and how large a grid each sheet declares (its DIMENSIONS):
calamine holds a sheet as a dense rectangle, so four cells at A1 and IV65536 of a 41 KB file
cost it 16.7 million cells; such a sheet is read by xlrd, whose rows hold only their cells.
Records are walked by their 4-byte headers only; nothing here decodes a cell.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

BOF_TYPES = (0x0009, 0x0209, 0x0409, 0x0809)   # BIFF2, 3, 4, 5/8 beginning-of-file records
EOF = 0x000A
FILEPASS = 0x002F
BOUNDSHEET = 0x0085
DIMENSIONS = (0x0000, 0x0200)                  # BIFF2, BIFF3-8
#: how far into the globals a FILEPASS may come: it follows the BOF (and WRITEPROT) at once
FILEPASS_REACH = 64


def records(data: bytes, start: int = 0) -> Iterator[tuple[int, int, bytes]]:
    """(offset, record type, body) from `start` until the data ends or a header runs past it."""
    i, n = start, len(data)
    while i + 4 <= n:
        rtype, size = struct.unpack_from("<HH", data, i)
        if i + 4 + size > n:
            return
        yield i, rtype, data[i + 4:i + 4 + size]
        i += 4 + size


def is_biff_stream(head: bytes) -> bool:
    """A BIFF stream's first record is a BOF of 4 to 20 bytes (also raw BIFF2-4 files outside any OLE container)."""
    if len(head) < 8:
        return False
    rtype, size = struct.unpack_from("<HH", head, 0)
    return rtype in BOF_TYPES and 4 <= size <= 20


def is_encrypted(data: bytes) -> bool:
    """A FILEPASS record among the first records of the workbook globals."""
    for n, (_, rtype, _) in enumerate(records(data)):
        if rtype == FILEPASS:
            return True
        if rtype == EOF or n >= FILEPASS_REACH:
            return False
    return False


#: Windows code pages of two bytes a character (Japanese, Simplified Chinese, Korean, Traditional Chinese)
DBCS_CODEPAGES = frozenset({932, 936, 949, 950})
CODEPAGE = 0x0042


def is_dbcs_biff5(data: bytes) -> bool:
    """A BIFF5 (Excel 5.0/95) workbook whose globals declare a double-byte code page such as 936 (GBK)."""
    version = None
    for _, rtype, body in records(data):
        if version is None:
            if rtype != 0x0809 or len(body) < 2:
                return False
            version = struct.unpack_from("<H", body, 0)[0]
            if version != 0x0500:
                return False
        elif rtype == CODEPAGE and len(body) >= 2:
            return struct.unpack_from("<H", body, 0)[0] in DBCS_CODEPAGES
        elif rtype == EOF:
            return False
    return False


def declared_areas(data: bytes) -> list[int]:
    """Cells each sheet's DIMENSIONS declares from A1 (rows × columns), for the sheets the globals list.

    Best effort: a sheet whose offset or record is unreadable is left out (the reader that
    opens it is still bounded by its worker's memory cap).
    """
    offsets = []
    for _, rtype, body in records(data):
        if rtype == BOUNDSHEET and len(body) >= 4:
            offsets.append(struct.unpack_from("<I", body, 0)[0])
        elif rtype == EOF:
            break
    areas = []
    for off in offsets:
        if off >= len(data):
            continue
        for n, (_, rtype, body) in enumerate(records(data, off)):
            if rtype in DIMENSIONS:
                areas.append(_area(body))
                break
            if rtype == EOF or n > 256:
                break
    return areas


def _area(body: bytes) -> int:
    if len(body) >= 14:     # BIFF8: first row, last row + 1 (32 bit), first column, last column + 1
        _, rows, _, cols = struct.unpack_from("<IIHH", body, 0)
    elif len(body) >= 8:    # BIFF2-5: 16-bit rows
        _, rows, _, cols = struct.unpack_from("<HHHH", body, 0)
    else:
        return 0
    return rows * cols


ROW = 0x0208                  # BIFF3-8; its option flags at byte 12, bit 5 (fDyZero): the row is hidden
COLINFO = 0x007D              # a span of columns' width and options, bit 0 of the options: hidden
FILTERMODE = 0x009B           # in a sheet whose autofilter hides rows at the moment


def sheet_names_and_offsets(data: bytes) -> list[tuple[str, int]]:
    """(name, stream offset) of each worksheet the globals list (BOUNDSHEET, in order; chart and macro sheets
    left out). A BIFF8 name is latin-1 or UTF-16; a BIFF5 name is bytes of the workbook's code page, given as
    latin-1 (it then only serves as order)."""
    out = []
    biff8 = False
    for n, (_, rtype, body) in enumerate(records(data)):
        if n == 0:
            biff8 = rtype == 0x0809 and len(body) >= 2 and struct.unpack_from("<H", body, 0)[0] == 0x0600
        elif rtype == BOUNDSHEET and len(body) >= 7:
            offset, kind, size = struct.unpack_from("<I", body, 0)[0], body[5], body[6]
            if kind != 0:
                continue
            wide = biff8 and len(body) > 7 and body[7] & 1
            start = 8 if biff8 else 7
            raw = body[start:start + size * (2 if wide else 1)]
            out.append((raw.decode("utf-16-le", "replace") if wide else raw.decode("latin-1"), offset))
        elif rtype == EOF:
            break
    return out


NAME = 0x0018
AUTOFILTER = 0x009E           # one column's criteria of the sheet's autofilter (up to two conditions)
AUTOFILTER12 = 0x087E         # Excel 2007's criteria kept in an .xls (a longer value list, colours…): not decoded
FILTER_DATABASE = 0x0D        # the built-in name _FilterDatabase: the autofilter's range, one per sheet
PTG_AREA3D = (0x3B, 0x5B, 0x7B)


def filter_ranges(data: bytes) -> dict[int, tuple[int, int, int]]:
    """Sheet index (0-based, as the globals list the sheets) -> its autofilter's range as (header row, last row,
    first column), 0-based, from the BIFF8 _FilterDatabase names ({} for BIFF5 or none)."""
    out: dict[int, tuple[int, int, int]] = {}
    for n, (_, rtype, body) in enumerate(records(data)):
        if n == 0 and (rtype != 0x0809 or len(body) < 2 or struct.unpack_from("<H", body, 0)[0] != 0x0600):
            return out
        if rtype == EOF:
            break
        if rtype != NAME or len(body) < 16:
            continue
        grbit, _, cch, cce, _, itab = struct.unpack_from("<HBBHHH", body, 0)
        if not grbit & 0x20 or cch != 1 or not itab:        # fBuiltin, a one-character built-in name, a sheet's
            continue
        wide = body[14] & 1
        if (body[15] if not wide else struct.unpack_from("<H", body, 15)[0]) != FILTER_DATABASE:
            continue
        at = 15 + (2 if wide else 1)
        rgce = body[at:at + cce]
        if len(rgce) >= 11 and rgce[0] in PTG_AREA3D:
            _, first, last, left, _ = struct.unpack_from("<HHHHH", rgce, 1)
            out[itab - 1] = (first, last, left & 0x3FFF)
    return out


def _criterion(body: bytes) -> tuple[int, frozenset[str] | None] | None:
    """(column within the autofilter's range, the values it shows, None when it is not a list of values) of an
    AUTOFILTER record: one or two "equals" conditions joined by OR are a list of values; anything else (a
    comparison, top 10, two joined by AND) shows what cannot be told from a cell's value alone."""
    if len(body) < 24:
        return None
    entry, grbit = struct.unpack_from("<HH", body, 0)
    if grbit & 0x10:                                        # fTopN
        return entry, None
    opers = [body[4:14], body[14:24]]
    used = [op for op in opers if op[0] != 0]
    if not used or (len(used) == 2 and grbit & 0x3 != 1):   # wJoin 1: OR
        return entry, None
    values: set[str] = set()
    at = 24
    for op in opers:
        vt, sign = op[0], op[1]
        if vt == 6:                                         # a string: its characters follow the two conditions
            cch = op[6]
            if at >= len(body):
                return entry, None
            wide = body[at] & 1
            text = body[at + 1:at + 1 + cch * (2 if wide else 1)]
            at += 1 + cch * (2 if wide else 1)
            if sign != 2:
                return entry, None
            values.add((text.decode("utf-16-le", "replace") if wide else text.decode("latin-1")).strip())
        elif vt == 4 and sign == 2:                         # an IEEE number
            number = struct.unpack_from("<d", op, 2)[0]
            values.add(str(int(number)) if number.is_integer() else repr(number))
        elif vt != 0:
            return entry, None
    return entry, frozenset(values)


def sheet_lines(data: bytes, offset: int
                ) -> tuple[frozenset[int], frozenset[int], bool, tuple[tuple[int, frozenset[str] | None], ...]]:
    """The 0-based rows and columns the sheet at `offset` hides, whether an autofilter hides rows of it
    (FILTERMODE: the filter then hides those in its range, not the clerk), and the filter's criteria: (column
    within its range, the values it shows or None for another kind of criterion)."""
    rows: set[int] = set()
    cols: set[int] = set()
    filtered = False
    criteria: dict[int, frozenset[str] | None] = {}
    depth = 0                   # an embedded chart's BOF … EOF inside the sheet's
    for _, rtype, body in records(data, offset):
        if rtype in BOF_TYPES:
            depth += 1
        elif rtype == EOF:
            depth -= 1
            if depth <= 0:
                break
        elif depth > 1:
            continue
        elif rtype == ROW and len(body) >= 14:
            if struct.unpack_from("<H", body, 12)[0] & 0x20:
                rows.add(struct.unpack_from("<H", body, 0)[0])
        elif rtype == COLINFO and len(body) >= 10:
            first, last, _, _, options = struct.unpack_from("<HHHHH", body, 0)
            if options & 1:
                cols.update(range(first, min(last, 255) + 1))
        elif rtype == FILTERMODE:
            filtered = True
        elif rtype == AUTOFILTER:
            said = _criterion(body)
            if said is not None:
                criteria[said[0]] = said[1]
        elif rtype == AUTOFILTER12 and len(body) >= 14:
            criteria[struct.unpack_from("<H", body, 12)[0]] = None
    return frozenset(rows), frozenset(cols), filtered, tuple(criteria.items())
