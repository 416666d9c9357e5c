"""Which cell a formula cell shows: the cell the clerk typed, when a rule read a copy of it.

Our one-row base table pulls its identity from the application form (`=IF(xl_id_registered_on="","",
xl_id_registered_on)`, a defined name for a cell of that sheet), and hand-made workbooks do the same with
`=申请表!C9`. A problem found
on the formula cell must send the clerk to the cell they can change. This module reads, for the few
cells problems point at, their formula text (sheet XML of .xlsx/.xlsm; the open book behind the 校验
button hands its own) and finds the one cell a formula refers to. Reading values stays calamine's
job (read.grid); this runs after validation, only for cells that have a problem.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from typing import IO, Iterable


from ..cell_refs import col_index, col_letters
from . import archive
from .sheet_xml import _sheet_part
from .sniff import check_xml_safe, read_zip_member_capped

# a reference: optional sheet ('附件 2'!, 附件2!), then a cell with optional $ — not part of a longer name
_SHEET = r"(?:'((?:[^']|'')+)'|([^\s!'\"(),;=&+\-*/<>^:{}]+))!"
_REF = re.compile(rf"(?<![\w.$])(?:{_SHEET})?(\$?)([A-Z]{{1,3}})(\$?)([0-9]{{1,7}})(?![\w(!.:])")
_RANGE = re.compile(rf"(?:{_SHEET})?\$?[A-Z]{{1,3}}\$?[0-9]{{1,7}}:\$?[A-Z]{{1,3}}\$?[0-9]{{1,7}}")
_STRING = re.compile(r'"(?:[^"]|"")*"')
_NAME = re.compile(r"(?<![\w.$!'])([A-Za-z_\u4e00-\u9fff][\w.\u4e00-\u9fff]*)(?![\w(!])")
MAX_HOPS = 4


def _strip_strings(formula: str) -> str:
    return _STRING.sub('""', formula)


def references(formula: str, sheet: str, names: dict[str, str] | None = None) -> set[tuple[str, str]]:
    """(sheet, A1) of every single cell `formula` refers to (defined names resolved, ranges counted as
    themselves: a formula with a range refers to more than one cell)."""
    text = _strip_strings(formula.lstrip("="))
    out: set[tuple[str, str]] = set()
    if _RANGE.search(text):
        out.add(("", "<range>"))
    for m in _REF.finditer(text):
        ref_sheet = (m.group(1) or "").replace("''", "'") or m.group(2) or sheet
        out.add((ref_sheet, f"{m.group(4)}{m.group(6)}"))
    for m in _NAME.finditer(_REF.sub("", text)):
        target = (names or {}).get(m.group(1))
        if target is not None:
            out |= references(target, sheet, None) or {("", "<name>")}
    return out


def single_reference(formula: str, sheet: str, names: dict[str, str] | None = None) -> tuple[str, str] | None:
    """The one cell `formula` shows, or None when it refers to none, several, or a range
    (=附件2!C9, =IF(附件2!C9="","",附件2!C9), =xl_id_registered_on with that name on one cell)."""
    refs = references(formula, sheet, names)
    if len(refs) != 1:
        return None
    (ref,) = refs
    return ref if not ref[1].startswith("<") else None


def follow(sheet: str, cell: str, formula_of, names: dict[str, str]) -> tuple[str, str] | None:
    """The input cell behind a formula cell, following copies of copies; None when `cell` is no such copy."""
    seen = {(sheet, cell)}
    at = None
    for _ in range(MAX_HOPS):
        formula = formula_of(sheet, cell)
        if not formula:
            break
        nxt = single_reference(formula, sheet, names)
        if nxt is None or nxt in seen:
            break
        seen.add(nxt)
        at = sheet, cell = nxt
    return at


# --- formula texts from a file ----------------------------------------------------------------------

_DEFINED = re.compile(rb'<(?:\w+:)?definedName\b([^>]*)>([^<]*)</(?:\w+:)?definedName>')
_ATTR_NAME = re.compile(rb'\bname="([^"]*)"')
_LOCAL = re.compile(rb'\blocalSheetId="')
_F = re.compile(rb"<(?:\w+:)?f\b([^>]*?)(?:/>|>([^<]*)</(?:\w+:)?f>)")
_SI = re.compile(rb'\bsi="(\d+)"')
_SHARED = re.compile(rb'\bt="shared"')


def _xml_text(b: bytes) -> str:
    """Element text as XML stores it: entities and character references (&#38468; for 附) resolved."""
    return html.unescape(b.decode("utf-8", "replace"))


class FileFormulas:
    """Formula texts of an .xlsx/.xlsm, read lazily per sheet and only for asked cells; best effort
    (any doubt: no formula)."""

    def __init__(self, path: str | IO[bytes]) -> None:
        self.path = path            # a file, or the bytes of an archive's member (read.archive)
        self._sheets: dict[str, bytes | None] = {}
        self._names: dict[str, str] | None = None

    @property
    def names(self) -> dict[str, str]:
        if self._names is None:
            self._names = {}
            try:
                with zipfile.ZipFile(self.path) as zf:
                    data = read_zip_member_capped(zf, "xl/workbook.xml")
                check_xml_safe(data)
            except Exception:
                return self._names
            for attrs, body in _DEFINED.findall(data):
                m = _ATTR_NAME.search(attrs)
                if m and not _LOCAL.search(attrs):
                    self._names[_xml_text(m.group(1))] = _xml_text(body)
        return self._names

    def _sheet(self, sheet: str) -> bytes | None:
        if sheet not in self._sheets:
            data = None
            try:
                with zipfile.ZipFile(self.path) as zf:
                    part = _sheet_part(zf, sheet)
                    if part is not None:
                        data = read_zip_member_capped(zf, part)
            except Exception:
                data = None
            self._sheets[sheet] = data
        return self._sheets[sheet]

    def formula(self, sheet: str, cell: str) -> str | None:
        """The formula of `cell` ('=…'), None when it holds none (or the sheet cannot be read)."""
        data = self._sheet(sheet)
        if not data:
            return None
        at = data.find(f' r="{cell}"'.encode())
        if at < 0:
            return None
        start = data.rfind(b"<", 0, at)
        end = data.find(b"</c>", at)
        close = data.find(b"/>", at)
        if end < 0 or (0 <= close < data.find(b">", at) + 1):   # <c r="D5" s="1"/>: empty
            return None
        m = _F.search(data, start, end)
        if m is None:
            return None
        attrs, body = m.group(1), m.group(2)
        if body:
            return "=" + _xml_text(body)
        si = _SI.search(attrs)
        if si and _SHARED.search(attrs):
            return self._shared(data, si.group(1), cell)
        return None

    def _shared(self, data: bytes, si: bytes, cell: str) -> str | None:
        """A shared formula's follower: the master's text with relative references moved by the offset."""
        for m in _F.finditer(data):
            attrs, body = m.group(1), m.group(2)
            own = _SI.search(attrs)
            if not body or not _SHARED.search(attrs) or own is None or own.group(1) != si:
                continue
            start = data.rfind(b"<c ", 0, m.start())
            ref = re.search(rb'\br="([A-Z]+\d+)"', data[start:m.start()])
            if ref is None:
                return None
            return "=" + shift(_xml_text(body), ref.group(1).decode(), cell)
        return None


def shift(formula: str, origin: str, to: str) -> str:
    """`formula` written in `origin` as Excel shows it in `to`: relative rows and columns moved."""
    (r0, c0), (r1, c1) = _rowcol(origin), _rowcol(to)
    dr, dc = r1 - r0, c1 - c0

    def move(m: re.Match) -> str:
        head = m.group(0)[: m.start(3) - m.start(0)]
        col_abs, col, row_abs, row = m.group(3), m.group(4), m.group(5), int(m.group(6))
        r, c = row - 1, col_index(col) - 1
        r = r if row_abs else r + dr
        c = c if col_abs else c + dc
        if r < 0 or c < 0:
            return m.group(0)
        return f"{head}{col_abs}{col_letters(c + 1)}{row_abs}{r + 1}"

    parts = re.split(r'("(?:[^"]|"")*")', formula)
    return "".join(p if i % 2 else _REF.sub(move, p) for i, p in enumerate(parts))


_CELL = re.compile(r"(\$?)([A-Z]{1,3})(\$?)(\d+)")


def _rowcol(cell: str) -> tuple[int, int]:
    """0-based (row, column) of an A1 reference at the start of `cell`; (0, 0) for none (as xlsxwriter's
    xl_cell_to_rowcol, without importing the writer on every validate)."""
    m = _CELL.match(cell)
    return (int(m.group(4)) - 1, col_index(m.group(2)) - 1) if m else (0, 0)


def formula_files(paths: Iterable[str]) -> dict[str, FileFormulas]:
    """A lazy reader per OOXML file (by content: a ZIP; a member of a county's .zip from its bytes, in memory);
    other files hold no formula we can read."""
    out = {}
    for p in paths:
        try:
            if archive.is_member(p):
                data = archive.member_bytes(p)
                if isinstance(data, bytes) and zipfile.is_zipfile(io.BytesIO(data)):
                    out[p] = FileFormulas(io.BytesIO(data))
            elif zipfile.is_zipfile(p):
                out[p] = FileFormulas(p)
        except OSError:
            continue
    return out
