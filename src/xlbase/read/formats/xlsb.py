"""Excel binary workbooks (.xlsb) calamine cannot parse: an Excel 2007 beta's sheet list rewritten, and pyxlsb.

pyxlsb reads no number formats, so a date arrives as its serial number; the normaliser reads
serials in date fields (from 1950 on) as dates.

Excel 2007 Beta 2 wrote each sheet's record in the workbook part (BrtBundleSh) with one 4-byte
field more than the released format, ahead of the sheet's relationship id: calamine panicked
("no entry found for key") and pyxlsb took a character count for the id (KeyError), so a
workbook with a sentence in A1 was called damaged, and LibreOffice, which opens it, dropped the
cell. The records are rewritten to the released layout in memory and read by calamine.
"""

from __future__ import annotations

import struct
import zipfile

from ..grid import NotApplicable, Sheet, load_sheets, load_sheets_from
from ..limits import DEFAULT_LIMITS, Limits
from ..sniff import read_zip_member_capped
from ..xlsb_parts import records as _records, with_xlsb_hidden
from . import cells
from .ooxml import rewritten

BUNDLE_SHEET = 0x9C      # BrtBundleSh: one sheet of the workbook ([MS-XLSB] 2.4.304)
WORKBOOK_PART = "xl/workbook.bin"


def read_calamine_xlsb(path: str, kind: str, limits: Limits = DEFAULT_LIMITS) -> list[Sheet]:
    """An .xlsb by calamine, with the rows and columns each sheet hides (read.xlsb_parts; calamine reports none)."""
    return with_xlsb_hidden(path, load_sheets(path, kind, limits), limits)


def read_pyxlsb(path: str, kind: str, limits: Limits = DEFAULT_LIMITS) -> list[Sheet]:
    from pyxlsb import open_workbook

    sheets = []
    with open_workbook(path) as wb:
        for name in wb.sheets:
            with wb.get_sheet(name) as sh:
                found = ((c.r, c.c, cells.cell(c.v)) for row in sh.rows(sparse=True) for c in row)
                sheets.append(Sheet(name=name, rows=cells.place(found)))
    return with_xlsb_hidden(path, sheets, limits)


def read_beta_xlsb(path: str, kind: str, limits: Limits = DEFAULT_LIMITS) -> list[Sheet]:
    """An Excel 2007 beta .xlsb, its sheet records in the released layout, read by calamine; NotApplicable
    for any other .xlsb."""
    with zipfile.ZipFile(path) as zf:
        part = next((i for i in zf.infolist() if i.filename.lstrip("/").lower() == WORKBOOK_PART), None)
        if part is None:
            raise NotApplicable("no xl/workbook.bin")
        released = released_sheet_records(read_zip_member_capped(zf, part, limits.max_member_bytes))
    if released is None:
        raise NotApplicable("not an Excel 2007 beta workbook")
    return with_xlsb_hidden(path, load_sheets_from(rewritten(path, limits, {part.filename: released}), limits), limits)


def released_sheet_records(workbook: bytes) -> bytes | None:
    """The workbook part with every beta BrtBundleSh in the released layout; None when a sheet record is in the
    released layout already, or none is in the beta one (nothing to rewrite)."""
    out, beta = bytearray(), False
    for rtype, head, body in _records(workbook):
        if rtype == BUNDLE_SHEET:
            if _strings_fit(body, 8):
                return None
            if not _strings_fit(body, 12):
                return None
            body = body[:4] + body[8:]          # hsState, iTabID, then the two strings
            head = varint(rtype, 2) + varint(len(body), 4)
            beta = True
        out += head + body
    return bytes(out) if beta else None


def _strings_fit(body: bytes, at: int) -> bool:
    """Two XLWideStrings (a 4-byte character count, UTF-16) start at `at` and end the record exactly."""
    for _ in range(2):
        if at + 4 > len(body):
            return False
        at += 4 + 2 * struct.unpack_from("<I", body, at)[0]
    return at == len(body)


def varint(n: int, max_bytes: int) -> bytes:
    """A record type (2 bytes at most) or size (4) as .xlsb writes it: 7 bits a byte, low first, high bit = more."""
    out = bytearray()
    for _ in range(max_bytes):
        byte = n & 0x7F
        n >>= 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            break
    return bytes(out)
