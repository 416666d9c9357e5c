"""What a worksheet's XML says besides its values: how far its filled cells reach, which rows and columns it
hides (and which an autofilter hides, with the filter's criteria), its merged ranges, and which cells hold a
formula without a cached value or an error. Streamed or regex-scanned bytes of the zip's parts, capped, never a
parsed tree of a sheet: read.grid asks it before calamine allocates a sheet, and after, for what calamine
does not report.
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
from collections.abc import Iterator
from operator import itemgetter
from typing import IO, NamedTuple

import defusedxml.ElementTree as SafeET

from .. import sheet_names
from .limits import DEFAULT_LIMITS, Limits
from .sniff import ZipMemberTooLarge, check_xml_safe, read_zip_member_capped

class SheetTooLarge(ValueError):
    """A sheet whose used area (first to last filled cell) is too big to hold as a grid."""

    def __init__(self, part: str, cells: int) -> None:
        super().__init__(f"{part}: {cells} cells")
        self.part, self.cells = part, cells



# the start tag of a filled cell: only <c> carries r="<letters><digits>" (<row r> is digits only), and
# <c r="A1" s="1"/> is styled but empty; possessive so a self-closed tag fails without backtracking
_FILLED_CELL = re.compile(rb'\sr="([A-Z]{1,3})([0-9]{1,7})"[^>]*+(?<!/)>')
_COLS, _ROWS = itemgetter(0), itemgetter(1)
# a row start tag that holds cells (not self-closed) and is hidden: <row r="7" ... hidden="1">
_HIDDEN_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\shidden="(?:1|true)"[^>]*+(?<!/)>')
_ROW_NUMBER = re.compile(rb'\sr="([0-9]{1,7})"')
# a hidden column span: <col min="11" max="12" width="0" hidden="1"/>
_HIDDEN_COL = re.compile(rb'<(?:\w+:)?col\b[^>]*?\shidden="(?:1|true)"[^>]*>')
_COL_MIN, _COL_MAX = re.compile(rb'\smin="([0-9]{1,5})"'), re.compile(rb'\smax="([0-9]{1,5})"')
MAX_COLUMNS = 16384     # XFD: a <col> span claiming more is cut there
# a worksheet's autofilter (after sheetData) and a criterion of it: rows it hides are the filter's doing
_AUTOFILTER = re.compile(rb'<(?:\w+:)?autoFilter\b[^>]*?\sref="([A-Z]{1,3})([0-9]{1,7})(?::[A-Z]{1,3}([0-9]{1,7}))?"')
_FILTER_TAG = re.compile(rb'<(/?)(?:\w+:)?(filterColumn|filter|customFilters|top10|dynamicFilter|colorFilter|iconFilter)'
                         rb'\b([^>]*)>')
_COL_ID, _VAL = re.compile(rb'\scolId="([0-9]{1,5})"'), re.compile(rb'\sval="([^"]*)"')


class Hidden(NamedTuple):
    """The 0-based rows holding cells and the columns a worksheet part hides; `filtered`: the hidden rows inside
    an autofilter with a criterion set (the filter hides them; they are not in `rows`)."""
    rows: frozenset[int]
    cols: frozenset[int]
    filtered: frozenset[int] = frozenset()
    shows: tuple[tuple[int, frozenset[str] | None], ...] = ()    # Sheet.filter_shows


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _tag_aligned_blocks(fh: IO[bytes], part: str, cap: int) -> Iterator[bytes]:
    """The member in ~1 MB pieces cut before a '<', so no tag is split; refuses more than `cap` bytes."""
    tail, seen = b"", 0
    while True:
        block = fh.read(1 << 20)
        seen += len(block)
        if seen > cap:
            raise ZipMemberTooLarge(part)
        if not block:
            if tail:
                yield tail
            return
        buf = tail + block if tail else block
        cut = buf.rfind(b"<")
        if cut < 0:
            cut = len(buf)
        if cut:
            yield buf[:cut]
        tail = buf[cut:]


def _used_area(fh: IO[bytes], part: str, cap: int, count_cells: bool = True) -> tuple[int, Hidden]:
    """Cells in the rectangle from A1 (row 0 if a cell claims it) to the last filled row and column
    (0 when not `count_cells`), and the 0-based rows with cells and the columns that are hidden.

    One findall per block; the per-cell work is C (sets of the distinct row numbers and
    column letters), only those few distinct values go through int() in Python. Hidden rows
    cost a substring test per block unless there are some.
    """
    lo_r, hi_r, hi_c = 1, 0, 0
    hidden: set[int] = set()
    cols: set[int] = set()
    autofilter: tuple[int, int, int] | None = None     # its rows, 0-based, below its header row; its first column
    shows: dict[int, set[str] | None] = {}            # its criteria: filterColumn colId -> the values it shows
    at: int | None = None
    for buf in _tag_aligned_blocks(fh, part, cap):
        filled = _FILLED_CELL.findall(buf) if count_cells else None
        if filled:
            rows = [int(r) for r in set(map(_ROWS, filled))]
            lo_r, hi_r = min(lo_r, min(rows)), max(hi_r, max(rows))
            hi_c = max(hi_c, max(map(_col_number, set(map(_COLS, filled)))))
        if b' hidden="' in buf:
            for tag in _HIDDEN_ROW.findall(buf):
                m = _ROW_NUMBER.search(tag)
                if m:
                    hidden.add(int(m.group(1)) - 1)
            for tag in _HIDDEN_COL.findall(buf):
                lo, hi = _COL_MIN.search(tag), _COL_MAX.search(tag)
                if lo and hi:
                    cols.update(range(int(lo.group(1)) - 1, min(int(hi.group(1)), MAX_COLUMNS)))
        if b"utoFilter" in buf or autofilter is not None:
            m = _AUTOFILTER.search(buf)
            if m:
                autofilter = (int(m.group(2)), int(m.group(3) or m.group(2)) - 1, _col_number(m.group(1)) - 1)
            if autofilter is not None:
                at = _filter_criteria(buf, shows, at)
    shows = {c: v for c, v in shows.items() if v is None or v}     # a filterColumn with no criterion filters nothing
    filtered = {r for r in hidden if autofilter and shows and autofilter[0] <= r <= autofilter[1]}
    said = tuple((autofilter[2] + c, frozenset(v) if v is not None else None) for c, v in shows.items()) \
        if autofilter and filtered else ()
    return ((hi_r - lo_r + 1) * hi_c if hi_r else 0), Hidden(frozenset(hidden - filtered), frozenset(cols),
                                                             frozenset(filtered), said)


def _filter_criteria(buf: bytes, shows: dict[int, set[str] | None], at: int | None) -> int | None:
    """Add the autofilter's criteria in `buf` to `shows` (colId -> the values a value-list filter shows, None for
    any other criterion); `at`: the filterColumn open across blocks. Returns the one open at the end."""
    for closing, name, attrs in _FILTER_TAG.findall(buf):
        if name == b"filterColumn":
            if closing:
                at = None
            else:
                c = _COL_ID.search(attrs)
                at = int(c.group(1)) if c else None
                if at is not None:
                    shows.setdefault(at, set())
        elif at is not None and not closing:
            v = _VAL.search(attrs) if name == b"filter" else None
            if v is not None and shows.get(at) is not None:
                shows[at].add(html.unescape(v.group(1).decode("utf-8", "replace")).strip())   # type: ignore[union-attr]
            elif name != b"filter":
                shows[at] = None
    return at


def _mentions_hidden(fh: IO[bytes], part: str, cap: int) -> bool:
    """Whether the part says hidden=" anywhere: most sheets do not, and then nothing else is looked for."""
    tail, seen = b"", 0
    while True:
        block = fh.read(1 << 20)
        if not block:
            return False
        seen += len(block)
        if seen > cap:
            raise ZipMemberTooLarge(part)
        if b' hidden="' in tail + block[:16] or b' hidden="' in block:
            return True
        tail = block[-16:]


def template_helper_parts(path: str) -> dict[str, str]:
    """Our template's hidden helper sheets (sheet_names.is_template_helper) -> their worksheet parts, from the
    workbook's own list of sheets; a part another sheet also names is left out. {} on any doubt: then every
    sheet is scanned and loaded as any other."""
    try:
        with zipfile.ZipFile(path) as zf:
            wb = read_zip_member_capped(zf, "xl/workbook.xml")
            if wb[:1] == b"<" and wb[1:2] != b"\0" and b"state" not in wb:
                return {}       # no sheet is hidden (an 8-bit text without the attribute): nothing to parse
            check_xml_safe(wb)
            states = {str(el.get("name")): el.get("state") or "visible" for el in SafeET.fromstring(wb).iter()
                      if el.tag.rsplit("}", 1)[-1] == "sheet" and el.get("name") is not None}
            parts = _sheet_part_map(zf)
    except Exception:
        return {}
    names = list(states)
    helpers = {n: parts[n] for n, state in states.items()
               if state in ("hidden", "veryHidden") and n in parts and sheet_names.is_template_helper(n, names)}
    shared = {p for n, p in parts.items() if n not in helpers}
    return {n: p for n, p in helpers.items() if p not in shared}


def check_sheet_extents(path: str, limits: Limits = DEFAULT_LIMITS,
                        skip: frozenset[str] | set[str] = frozenset()) -> dict[str, Hidden]:
    """Refuse an OOXML file with a sheet whose filled cells span more than `max_sheet_cells`;
    return the hidden rows and columns (0-based) of each worksheet part that has some.

    calamine allocates the dense rectangle from the first to the last filled cell
    *before* Python sees anything, so one value at XFD1048576 asks for ~500 GB and
    aborts the whole process. The sheet XML is streamed (never held whole) and only
    start tags of non-empty cells count; blank styled rows and the <dimension> claim
    cost nothing. Non-ZIP files (.xls) are left to calamine. With
    `limits.scan_sheet_extents` off (a reader process whose memory is capped: its death is
    caught and the file read again by openpyxl) only the hidden rows are looked for: the
    cell count is a tenth of a county file's read time. `skip`: worksheet parts not scanned (our template's
    helper sheets, which calamine does not load: load_sheets).
    """
    hidden: dict[str, Hidden] = {}
    if not zipfile.is_zipfile(path):
        return hidden
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            name = info.filename.lstrip("/").lower()
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")) or info.filename.lstrip("/") in skip:
                continue
            if not limits.scan_sheet_extents:
                with zf.open(info) as fh:
                    if not _mentions_hidden(fh, info.filename, limits.max_member_bytes):
                        continue
            with zf.open(info) as fh:
                cells, seen = _used_area(fh, info.filename, limits.max_member_bytes, limits.scan_sheet_extents)
            if cells > limits.max_sheet_cells:
                raise SheetTooLarge(info.filename, cells)
            if seen.rows or seen.cols or seen.filtered:
                hidden[info.filename.lstrip("/")] = seen
    return hidden


def merge_cells_of(zf: zipfile.ZipFile, part: str, limits: Limits = DEFAULT_LIMITS) -> tuple[tuple[int, int, int, int], ...]:
    """The <mergeCell ref="A2:A4"/> ranges of one worksheet part, 0-based inclusive (openpyxl's read-only mode
    shows none)."""
    from ..cell_refs import parse_ref

    data = read_zip_member_capped(zf, part, limits.max_member_bytes)
    out = []
    for m in _MERGE_CELL.finditer(data):
        a, b = parse_ref(m.group(1).decode("ascii")), parse_ref(m.group(2).decode("ascii"))
        if a and b:
            out.append((a[0] - 1, a[1] - 1, b[0] - 1, b[1] - 1))
    return tuple(out)


_MERGE_CELL = re.compile(rb"""<(?:\w+:)?mergeCell\b[^>]*?\bref\s*=\s*["']\$?([A-Z]{1,3}\$?\d+):\$?([A-Z]{1,3}\$?\d+)["']""")


_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]+\d+)"')
_HAS_F = re.compile(rb"<(?:\w+:)?f\b")
_V = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_IS_ERROR = re.compile(rb'\bt="e"')


def _sheet_part_map(zf: zipfile.ZipFile) -> dict[str, str]:
    """sheet name -> its worksheet part ("xl/worksheets/sheet1.xml")."""
    wb = read_zip_member_capped(zf, "xl/workbook.xml")
    check_xml_safe(wb)
    rels = read_zip_member_capped(zf, "xl/_rels/workbook.xml.rels")
    check_xml_safe(rels)
    rids: dict[str | None, str] = {}
    for el in SafeET.fromstring(wb).iter():
        name = el.get("name")
        if el.tag.rsplit("}", 1)[-1] == "sheet" and name is not None:
            rid = next((v for k, v in el.attrib.items() if k.rsplit("}", 1)[-1] == "id"), None)
            rids.setdefault(rid, name)
    out: dict[str, str] = {}
    for el in SafeET.fromstring(rels).iter():
        if el.tag.rsplit("}", 1)[-1] == "Relationship" and el.get("Id") in rids:
            target = el.get("Target") or ""
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            out.setdefault(rids[el.get("Id")], part)
    return out


def _sheet_part(zf: zipfile.ZipFile, sheet_name: str) -> str | None:
    return _sheet_part_map(zf).get(sheet_name)


def _sheet_parts(path: str) -> dict[str, str]:
    """Best effort: {} on any doubt (hidden rows are then not reported)."""
    try:
        with zipfile.ZipFile(path) as zf:
            return _sheet_part_map(zf)
    except Exception:
        return {}


def unread_cells(path: str, sheet_name: str, cells: set[str]) -> dict[str, str | None]:
    """Of `cells` (A1) that calamine read as empty, those that were not: A1 -> the error value
    (#REF!, #DIV/0!, … stored with t="e"), or None for a formula with no cached value.

    calamine reads both as ''. Best effort: {} on any doubt.
    """
    if not cells:
        return {}
    try:
        with zipfile.ZipFile(path) as zf:
            part = _sheet_part(zf, sheet_name)
            if part is None:
                return {}
            data = read_zip_member_capped(zf, part)
    except Exception:
        return {}
    wanted = {c.encode() for c in cells}
    found: dict[str, str | None] = {}
    for m in _CELL.finditer(data):
        body = m.group(3)
        if not body:
            continue
        ref = _REF.search(m.group(1))
        if not ref or ref.group(1) not in wanted:
            continue
        v = _V.search(body)
        value = v.group(1).strip() if v is not None else b""
        if _IS_ERROR.search(m.group(1)) and value:
            found[ref.group(1).decode()] = value.decode("utf-8", "replace")
        elif not value and _HAS_F.search(body):
            found[ref.group(1).decode()] = None
    return found
