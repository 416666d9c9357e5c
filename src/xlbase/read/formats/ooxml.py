"""OOXML workbooks calamine cannot open: Strict OOXML and Excel 2007 beta (namespaces rewritten), and openpyxl.

Strict OOXML (ISO/IEC 29500 Strict, "Excel 工作簿（严格 Open XML）") is the transitional format
with other namespace names; calamine and openpyxl know only the transitional ones, so the XML
parts are renamed in memory and the result goes to calamine. openpyxl reads what calamine
refuses for reasons of its own: Excel 4.0 macro sheets beside the worksheets, an odd
relationship, a shared-string index or number it will not parse. openpyxl streams the sheet
(read-only mode) and its rows hold only their cells, so a stray value far away costs little.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Callable
from typing import Any

from ..grid import NotApplicable, Sheet, load_sheets_from, with_ooxml_hidden
from ..sheet_xml import _sheet_part_map, merge_cells_of
from ..limits import DEFAULT_LIMITS, Limits
from ..sniff import read_zip_member_capped
from . import cells

#: Strict namespace -> transitional namespace (ECMA-376 Part 1, and Part 4 transitional)
STRICT_NAMESPACES = (
    (b"http://purl.oclc.org/ooxml/spreadsheetml/main", b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"),
    (b"http://purl.oclc.org/ooxml/officeDocument/relationships",
     b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"),
    (b"http://purl.oclc.org/ooxml/officeDocument/sharedTypes",
     b"http://schemas.openxmlformats.org/officeDocument/2006/sharedTypes"),
    (b"http://purl.oclc.org/ooxml/officeDocument/extendedProperties",
     b"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"),
    (b"http://purl.oclc.org/ooxml/officeDocument/customProperties",
     b"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"),
    (b"http://purl.oclc.org/ooxml/drawingml/main", b"http://schemas.openxmlformats.org/drawingml/2006/main"),
    (b"http://purl.oclc.org/ooxml/drawingml/chart", b"http://schemas.openxmlformats.org/drawingml/2006/chart"),
    (b"http://purl.oclc.org/ooxml/drawingml/spreadsheetDrawing",
     b"http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"),
)
_STRICT_MARK = b"http://purl.oclc.org/ooxml/"
#: Excel 2007 beta 2 wrote SpreadsheetML under a namespace of its own, shared strings as <sstItem>
BETA_NAMESPACE = b"http://schemas.microsoft.com/office/excel/2006/2"
BETA_RENAMES = ((BETA_NAMESPACE, b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"),
                (b"<sstItem>", b"<si>"), (b"</sstItem>", b"</si>"), (b"<sstItem/>", b"<si/>"))
EXCEL_ROWS = 1_048_576


def is_strict(path: str, limits: Limits = DEFAULT_LIMITS) -> bool:
    with zipfile.ZipFile(path) as zf:
        rels = next((i for i in zf.infolist() if i.filename.lstrip("/").lower() == "_rels/.rels"), None)
        return rels is not None and _STRICT_MARK in read_zip_member_capped(zf, rels, limits.max_content_types_bytes)


def read_strict(path: str, kind: str, limits: Limits = DEFAULT_LIMITS) -> list[Sheet]:
    """A Strict OOXML workbook, its namespaces made transitional in memory, read by calamine."""
    if not is_strict(path, limits):
        raise NotApplicable("not Strict OOXML")
    return load_sheets_from(_renamed(path, limits, STRICT_NAMESPACES), limits)


def is_beta(path: str, limits: Limits = DEFAULT_LIMITS) -> bool:
    with zipfile.ZipFile(path) as zf:
        part = next((i for i in zf.infolist() if i.filename.lstrip("/").lower() == "xl/workbook.xml"), None)
        return part is not None and BETA_NAMESPACE in read_zip_member_capped(zf, part, limits.max_content_types_bytes)


def read_beta(path: str, kind: str, limits: Limits = DEFAULT_LIMITS) -> list[Sheet]:
    """A workbook saved by an Excel 2007 beta (main namespace .../office/excel/2006/2, shared strings in
    <sstItem>): renamed to the released format in memory and read by calamine. openpyxl finds no
    cell in it, and an empty read would be a false "the sheets are empty"."""
    if not is_beta(path, limits):
        raise NotApplicable("not an Excel 2007 beta workbook")
    return load_sheets_from(_renamed(path, limits, BETA_RENAMES), limits)


def _renamed(path: str, limits: Limits, renames: tuple[tuple[bytes, bytes], ...]) -> bytes:
    """The workbook as a ZIP in memory with `renames` applied to its XML parts (sizes capped as the sniffer caps them)."""
    def rename(name: str, data: bytes) -> bytes:
        if name.lower().endswith((".xml", ".rels")):
            for old, new in renames:
                data = data.replace(old, new)
        return data
    return rewritten(path, limits, rename)


def rewritten(path: str, limits: Limits, change: Callable[[str, bytes], bytes] | dict[str, bytes]) -> bytes:
    """The ZIP at `path` copied in memory, each part through `change(name, data)` (or replaced by `change[name]`);
    sizes capped as the sniffer caps them."""
    out = io.BytesIO()
    total = 0
    with zipfile.ZipFile(path) as zf, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in zf.infolist():
            data = read_zip_member_capped(zf, info, limits.max_member_bytes)
            total += len(data)
            if total > limits.max_total_uncompressed:
                raise MemoryError("workbook larger than max_total_uncompressed")
            if callable(change):
                data = change(info.filename, data)
            else:
                data = change.get(info.filename, data)
            dst.writestr(info.filename, data)
    return out.getvalue()


def read_openpyxl(path: str, kind: str, limits: Limits = DEFAULT_LIMITS) -> list[Sheet]:
    """Every worksheet by openpyxl (read-only, cached values), rows ragged; chart and macro sheets skipped."""
    import openpyxl

    with open(path, "rb") as fh, warnings.catch_warnings():
        warnings.simplefilter("ignore")   # openpyxl warns about every extension it does not know
        wb = openpyxl.load_workbook(fh, read_only=True, data_only=True, keep_links=False)
        try:
            sheets = []
            for ws in wb.worksheets:
                ws.reset_dimensions()    # a <dimension> claim is no reason to pad every row
                rows: list[list[Any]] = []
                for r in ws.iter_rows(values_only=True):
                    if len(rows) >= EXCEL_ROWS:   # a row number past Excel's grid: openpyxl would pad up to it
                        raise ValueError(f"{ws.title}: rows beyond {EXCEL_ROWS}")
                    rows.append(cells.row(r))
                sheets.append(Sheet(name=ws.title, rows=rows, visible=ws.sheet_state == "visible"))
        finally:
            wb.close()
    _with_merges(path, sheets, limits)
    return with_ooxml_hidden(path, sheets, limits)


def _with_merges(path: str, sheets: list[Sheet], limits: Limits) -> None:
    """The merged ranges of each sheet from its worksheet part (read-only openpyxl has none: a county merged down
    its bases' rows would place them in the folder's county); best effort, a part that cannot be read keeps none."""
    try:
        with zipfile.ZipFile(path) as zf:
            parts = _sheet_part_map(zf)
            for sheet in sheets:
                part = parts.get(sheet.name)
                if part:
                    sheet.merged = merge_cells_of(zf, part, limits)
    except Exception:   # a damaged part openpyxl read past: its merges are not worth failing the file
        return
