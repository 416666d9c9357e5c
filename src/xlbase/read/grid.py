"""Sheets as grids of cell values (python-calamine): the Sheet every reader gives, and loading it.

calamine is several times faster than openpyxl for values (bench/README.md) and reads
.xlsx/.xlsm/.xls alike. What it does not report — a sheet's hidden rows and columns, an autofilter, how far an
OOXML sheet's filled cells reach before the grid is allocated, formulas without a cached value — comes from the
sheet XML (read.sheet_xml) or the BIFF stream (here, through read.biff).
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import IO, Any

from .. import sheet_names
from ..cell_refs import col_letters

from .limits import DEFAULT_LIMITS, Limits
from .percent_cells import with_percent_cells
from .sheet_xml import Hidden, SheetTooLarge, _sheet_parts, check_sheet_extents, template_helper_parts


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


class NotApplicable(Exception):
    """This reader is not for this file (a transitional workbook is not Strict, an Excel 95 file in a
    Chinese code page is not for calamine): the next reader of its format tries, unmentioned."""


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
    if ooxml:
        with_percent_cells(path, out, limits)     # 0.69 shown as 69%: read as the clerk sees it
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
