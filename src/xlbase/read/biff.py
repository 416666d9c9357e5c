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


def hidden_lines(data: bytes, offset: int) -> tuple[frozenset[int], frozenset[int], bool]:
    """The 0-based rows and columns the sheet at `offset` hides, and whether an autofilter hides rows of it
    (FILTERMODE: the filter then hides them, not the clerk)."""
    rows: set[int] = set()
    cols: set[int] = set()
    filtered = False
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
    return frozenset(rows), frozenset(cols), filtered
