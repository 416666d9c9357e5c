"""Sheets as grids of cell values (python-calamine), plus the one metadata check we need.

calamine is several times faster than openpyxl for values (bench/README.md) and reads
.xlsx/.xlsm/.xls alike. It cannot tell a formula without a cached value from an empty
cell (or an error value such as #REF!), so `unread_cells` looks into the sheet XML — only for the cells the
caller found empty, only for OOXML files.
"""

from __future__ import annotations

import contextlib
import html
import io
import os
import posixpath
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from operator import itemgetter
from typing import IO, Any, NamedTuple

import defusedxml.ElementTree as SafeET

from .. import sheet_names
from ..cell_refs import col_letters

from .limits import DEFAULT_LIMITS, Limits
from .sniff import ZipMemberTooLarge, check_xml_safe, read_zip_member_capped


@dataclass
class Sheet:
    name: str
    rows: list[list[Any]]   # rows[0][0] is A1; '' for empty cells
    visible: bool = True
    hidden_rows: frozenset[int] = frozenset()   # 0-based rows with content the clerk hid (xlsx, xls, ods)
    hidden_cols: frozenset[int] = frozenset()   # 0-based columns hidden in the sheet (xlsx, xls, ods)
    filtered_rows: frozenset[int] = frozenset()  # 0-based rows an autofilter hides at the moment (not in hidden_rows)
    # the autofilter's criteria, (0-based column, the values it shows or None for another kind of criterion):
    # a hidden row the filter would show was hidden by the clerk (read.tables)
    filter_shows: tuple[tuple[int, frozenset[str] | None], ...] = ()
    # merged ranges as (first row, first col, last row, last col), 0-based, inclusive: a merged cell shows its
    # value over the whole range, the grid holds it in the first cell only (calamine and xlrd give them)
    merged: tuple[tuple[int, int, int, int], ...] = ()

    def merged_from(self, r: int, c: int) -> tuple[int, int] | None:
        """The first cell of the merged range covering (r, c) when it is not that cell itself, else None."""
        for r1, c1, r2, c2 in self.merged:
            if r1 <= r <= r2 and c1 <= c <= c2 and (r, c) != (r1, c1):
                return r1, c1
        return None

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    def get(self, r: int, c: int) -> Any:
        """0-based access; '' outside the used area."""
        if 0 <= r < len(self.rows):
            row = self.rows[r]
            if 0 <= c < len(row):
                return row[c]
        return ""


def a1(r: int, c: int) -> str:
    """A1 address of 0-based (row, col)."""
    return f"{col_letters(c + 1)}{r + 1}"


class SheetTooLarge(ValueError):
    """A sheet whose used area (first to last filled cell) is too big to hold as a grid."""

    def __init__(self, part: str, cells: int) -> None:
        super().__init__(f"{part}: {cells} cells")
        self.part, self.cells = part, cells


class NotApplicable(Exception):
    """This reader is not for this file (a transitional workbook is not Strict, an Excel 95 file in a
    Chinese code page is not for calamine): the next reader of its format tries, unmentioned."""


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


def _enum_name(value: Any) -> str:
    """'Hidden' of SheetVisibleEnum.Hidden ('' for None): the enum's class name contains 'Visible'
    itself, so a substring test would call a hidden sheet visible."""
    return "" if value is None else str(value).rsplit(".", 1)[-1]


#: the name calamine must see to open each kind: it picks its parser by the extension, and by trying
#: each in turn (keeping no error) for any other name
CALAMINE_SUFFIX = {"xlsx": ".xlsx", "xlsm": ".xlsm", "xls": ".xls", "xlsb": ".xlsb", "ods": ".ods"}


def load_sheets(path: str, kind: str = "xlsx", limits: Limits = DEFAULT_LIMITS) -> list[Sheet]:
    """Every worksheet's values by calamine, opened as the `kind` the sniffer found (not as its name says);
    raises on a file calamine cannot parse, SheetTooLarge on a grid too large to hold (the caller tries another reader)."""
    from python_calamine import CalamineWorkbook

    ooxml = kind in ("xlsx", "xlsm")
    # our template's hidden helper sheets: neither scanned nor loaded, the same names both times
    helpers = template_helper_parts(path) if ooxml else {}
    hidden = check_sheet_extents(path, limits, skip=set(helpers.values())) if ooxml else {}
    biff_hidden = check_biff_extents(path, limits) if kind == "xls" else []
    with _named_as(path, CALAMINE_SUFFIX[kind]) as named:
        wb = CalamineWorkbook.from_path(named)
    out = calamine_sheets(wb, limits, skip=set(helpers) if ooxml else None)
    if kind == "ods":
        with_ods_merges(path, out, limits)
    if biff_hidden:
        with_biff_hidden(out, biff_hidden)
    if hidden:
        _put_hidden(path, out, hidden)
    return out


def _put_hidden(path: str, sheets: list[Sheet], hidden: dict[str, Hidden]) -> None:
    """Each sheet's hidden rows and columns and its filter's criteria, from check_sheet_extents' parts."""
    parts = _sheet_parts(path)
    for sheet in sheets:
        seen = hidden.get(parts.get(sheet.name, ""))
        if seen is not None:
            sheet.hidden_rows, sheet.hidden_cols, sheet.filtered_rows = seen.rows, seen.cols, seen.filtered
            sheet.filter_shows = seen.shows


def with_ooxml_hidden(path: str, sheets: list[Sheet], limits: Limits = DEFAULT_LIMITS) -> list[Sheet]:
    """`sheets` read from the OOXML file at `path` by another reader than calamine (openpyxl's read-only mode
    reports no hidden row) with the rows and columns each hides; best effort: a part that cannot be scanned
    leaves its sheet as read."""
    try:
        hidden = check_sheet_extents(path, replace(limits, scan_sheet_extents=False))
    except Exception:   # the file is damaged enough to need this reader: its hidden lines are not worth failing it
        return sheets
    if hidden:
        _put_hidden(path, sheets, hidden)
    return sheets


def with_ods_merges(path: str | IO[bytes], sheets: list[Sheet], limits: Limits = DEFAULT_LIMITS) -> None:
    """Fill each sheet's merged ranges and hidden rows and columns from the .ods' content.xml (calamine and odfpy
    report none); best effort: a file whose content.xml cannot be scanned keeps its sheets as read."""
    from .ods_merges import merged_ranges

    try:
        with zipfile.ZipFile(path) as zf, zf.open("content.xml") as fh:
            tables = merged_ranges(fh, limits.max_member_bytes)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return
    by_name = {t.name: t for t in tables}
    named = len(tables) == len(sheets) and all(s.name in by_name for s in sheets)
    for i, sheet in enumerate(sheets):
        table = by_name.get(sheet.name) if named else (tables[i] if len(tables) == len(sheets) else None)
        if table is None:
            continue
        if not sheet.merged:
            sheet.merged = table.merged or ()
        sheet.hidden_rows, sheet.filtered_rows, sheet.hidden_cols = table.hidden_rows, table.filtered_rows, \
            table.hidden_cols
        sheet.filter_shows = table.filter_shows


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


def load_sheets_from(data: bytes, limits: Limits = DEFAULT_LIMITS) -> list[Sheet]:
    """calamine on a workbook held in memory (a decrypted or converted file); it detects the format itself."""
    from python_calamine import CalamineWorkbook

    return calamine_sheets(CalamineWorkbook.from_filelike(io.BytesIO(data)), limits)


def calamine_sheets(wb, limits: Limits = DEFAULT_LIMITS, skip: set[str] | None = None) -> list[Sheet]:
    """The worksheets of an open calamine workbook (chart, macro and dialog sheets skipped), closed after;
    SheetTooLarge for a sheet whose grid from A1 exceeds `max_sheet_cells` (before Python lists are made of it).
    `skip`: the sheets returned hidden and without rows, not loaded (template_helper_parts, which
    check_sheet_extents did not scan either); None: our template's hidden helper sheets as calamine sees them."""
    try:
        visible: dict[str, bool | None] = {}     # None: a chart, macro or dialog sheet
        for meta in getattr(wb, "sheets_metadata", []) or []:
            visible[meta.name] = _enum_name(getattr(meta, "visible", None)) in ("Visible", "")
            if _enum_name(getattr(meta, "typ", None)) not in ("WorkSheet", ""):
                visible[meta.name] = None  # chart sheets: skip
        out = []
        names = list(wb.sheet_names)
        for name in names:
            if visible.get(name, True) is None:
                continue
            if (name in skip) if skip is not None else \
                    (visible.get(name) is False and sheet_names.is_template_helper(name, names)):
                # our template's hidden helper sheet, never read as a form (read.workbook): its cells are not
                # loaded (xl_numbers, lists, xl_dates, xl_sizes took ~120 ms of a filled template's read)
                out.append(Sheet(name=name, rows=[], visible=False))
                continue
            sheet = wb.get_sheet_by_name(name)
            end = sheet.end
            if end is not None and (end[0] + 1) * (end[1] + 1) > limits.max_sheet_cells:
                raise SheetTooLarge(name, (end[0] + 1) * (end[1] + 1))
            rows = sheet.to_python(skip_empty_area=False)
            merged = tuple((a[0], a[1], b[0], b[1]) for a, b in (getattr(sheet, "merged_cell_ranges", None) or ()))
            out.append(Sheet(name=name, rows=rows, visible=bool(visible.get(name, True)), merged=merged))
        return out
    finally:
        close = getattr(wb, "close", None)
        if close:
            close()


@contextlib.contextmanager
def _named_as(path: str, suffix: str) -> Iterator[str]:
    """`path` itself when its name ends in `suffix` (and is valid UTF-8, which calamine needs), else a
    symbolic link so named in a private folder (a copy where links are not allowed)."""
    try:
        path.encode("utf-8")
        if path.endswith(suffix):
            yield path
            return
    except UnicodeEncodeError:
        pass
    with tempfile.TemporaryDirectory(prefix="xlbase-") as tmp:
        named = os.path.join(tmp, "book" + suffix)
        try:
            os.symlink(os.path.abspath(path), named)
        except (OSError, NotImplementedError):
            shutil.copyfile(path, named)
        yield named


def check_biff_extents(path: str, limits: Limits = DEFAULT_LIMITS) -> list[tuple[str, Hidden]]:
    """Refuse to hand calamine an .xls whose sheet declares a grid above `max_sheet_cells` (its DIMENSIONS
    record): calamine holds it dense, so four cells at A1 and IV65536 cost 16.7 million. Best effort:
    a sheet that lies about its size is still bounded by the reader's memory cap. An Excel 5.0/95
    file written in a Chinese (or other double-byte) code page goes to xlrd: calamine reads its text
    as garbage without failing. Returns each worksheet's name and hidden rows and columns (biff_hidden)."""
    from . import biff

    data = _biff_stream(path, limits)
    if data is None:
        return []
    cells = max(biff.declared_areas(data), default=0)
    if cells > limits.max_sheet_cells:
        raise SheetTooLarge("Workbook", cells)
    if biff.is_dbcs_biff5(data):
        raise NotApplicable("calamine decodes no double-byte code page in BIFF5 text (GBK 附件11 became mojibake)")
    return biff_hidden(data)


def _biff_stream(path: str, limits: Limits) -> bytes | None:
    """The Workbook (BIFF8) or Book (BIFF5) stream of an .xls, None when it cannot be had (the reader will say)."""
    import olefile

    try:
        with olefile.OleFileIO(path) as ole:
            name = next((n for n in ("Workbook", "Book") if ole.exists(n)), None)
            if name is None or ole.get_size(name) > min(os.path.getsize(path), limits.max_member_bytes):
                return None
            return ole.openstream(name).read()
    except Exception:   # calamine will say what is wrong with it
        return None


def biff_hidden(data: bytes) -> list[tuple[str, Hidden]]:
    """Each worksheet's name and the rows and columns it hides (ROW and COLINFO records); its hidden rows are
    the filter's (Hidden.filtered) when the sheet's autofilter hides rows (FILTERMODE)."""
    from . import biff

    out = []
    ranges = biff.filter_ranges(data)
    for i, (name, offset) in enumerate(biff.sheet_names_and_offsets(data)):
        if offset >= len(data):
            out.append((name, Hidden(frozenset(), frozenset())))
            continue
        rows, cols, filtered, criteria = biff.sheet_lines(data, offset)
        area = ranges.get(i)
        if not filtered:
            out.append((name, Hidden(rows, cols)))
        elif area is None:                 # the filter's range unknown (BIFF5): every hidden row is taken as its
            out.append((name, Hidden(frozenset(), cols, rows)))
        else:                              # hidden rows in its range are the filter's; its criteria tell the rest
            inside = frozenset(r for r in rows if area[0] < r <= area[1])
            shows = tuple((area[2] + c, v) for c, v in criteria)
            out.append((name, Hidden(rows - inside, cols, inside, shows)))
    return out


def with_biff_hidden(sheets: list[Sheet], hidden: list[tuple[str, Hidden]]) -> None:
    """Set each sheet's hidden rows and columns from biff_hidden: by name, else by order when the counts agree."""
    by_name = dict(hidden)
    named = all(s.name in by_name for s in sheets)
    if not named and len(hidden) != len(sheets):
        return
    for i, sheet in enumerate(sheets):
        seen = by_name[sheet.name] if named else hidden[i][1]
        sheet.hidden_rows, sheet.hidden_cols, sheet.filtered_rows = seen.rows, seen.cols, seen.filtered
        sheet.filter_shows = seen.shows


def read_biff_hidden(path: str, sheets: list[Sheet], limits: Limits = DEFAULT_LIMITS) -> None:
    """with_biff_hidden for a reader that did not walk the stream itself (xlrd)."""
    data = _biff_stream(path, limits)
    if data is not None:
        with_biff_hidden(sheets, biff_hidden(data))


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
