"""OpenDocument spreadsheets calamine cannot parse (odfpy), and flat .fods files (made an .ods in memory).

calamine expects content.xml as LibreOffice writes it; an .ods pretty-printed by another tool
(whitespace between cells) stops it, and odfpy reads it. A flat .fods holds the same
elements in one XML document: its root is renamed to content.xml's and zipped in memory,
then read like any .ods. The sniffer has already bounded what repeats may expand to
(`max_sheet_cells`) in an .ods; a .fods is checked the same way here before it is read.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator

from ..grid import Sheet, load_sheets_from, with_ods_merges
from ..limits import DEFAULT_LIMITS, Limits
from . import cells

OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def read_odfpy(path: str | io.BytesIO, kind: str = "ods", limits: Limits = DEFAULT_LIMITS) -> list[Sheet]:
    """Every table of an .ods by odfpy, covered (merged) cells empty as in calamine, with the merged ranges."""
    from odf.opendocument import load

    doc = load(path)
    sheets: list[Sheet] = []
    for table in _elements(doc.body, "table"):   # doc.spreadsheet is whatever came first in the body: whitespace, in a pretty-printed file
        sheets.append(Sheet(name=str(table.getAttribute("name") or f"Sheet{len(sheets) + 1}"),
                            rows=_rows(table, limits.max_sheet_cells)))
    if isinstance(path, io.BytesIO):
        path.seek(0)
    with_ods_merges(path, sheets, limits)
    return sheets


def _local(node) -> str | None:
    qname = getattr(node, "qname", None)
    return qname[1] if qname else None


def _elements(node, local: str) -> Iterator:
    """Descendant elements of that local name, not inside another of them (odfpy's getElementsByType
    stops at the whitespace text nodes a pretty-printed file has)."""
    for child in getattr(node, "childNodes", ()):
        if _local(child) == local:
            yield child
        elif getattr(child, "childNodes", None):
            yield from _elements(child, local)


def _rows(table, max_cells: int) -> list:
    """The rows of one table, repeats written out only where content follows (trailing repeats are padding)."""
    out: list = []
    pending = 0            # empty rows seen but not yet written: written only when a filled row follows
    for row in _table_rows(table):
        repeat = int(row.getAttribute("numberrowsrepeated") or 1)
        line = _cells(row)
        if not line:
            pending += repeat
            continue
        if (len(out) + pending + repeat) * max(len(line), 1) > max_cells * 4:
            raise MemoryError("OpenDocument table repeats past max_sheet_cells")
        out.extend([cells.EMPTY_ROW] * pending)
        pending = 0
        out.extend([line] * repeat)   # the same list: nothing downstream changes a row
    return out


def _table_rows(table) -> Iterator:
    """table-row elements in order, also inside table-header-rows and table-row-group."""
    for child in table.childNodes:
        local = _local(child)
        if local == "table-row":
            yield child
        elif local in ("table-header-rows", "table-rows", "table-row-group"):
            yield from _table_rows(child)


def _cells(row) -> list:
    line: list = []
    for c in row.childNodes:
        local = _local(c)
        if local not in ("table-cell", "covered-table-cell"):
            continue
        repeat = int(c.getAttribute("numbercolumnsrepeated") or 1)
        value = _value(c) if local == "table-cell" else ""
        if value == "" and repeat > 1:
            line.extend([""] * min(repeat, 16_384))
        else:
            line.extend([value] * min(repeat, 16_384))
    while line and line[-1] == "":
        line.pop()
    return line


def _value(c):
    from odf import teletype

    kind = c.getAttribute("valuetype")
    try:
        if kind in ("float", "percentage", "currency"):
            return float(c.getAttribute("value"))
        if kind == "date":
            text = c.getAttribute("datevalue")
            return cells.cell(dt.datetime.fromisoformat(text)) if "T" in text else dt.date.fromisoformat(text)
        if kind == "boolean":
            return c.getAttribute("booleanvalue") == "true"
    except (TypeError, ValueError):
        pass
    paragraphs = [teletype.extractText(p) for p in c.childNodes if _local(p) == "p"]
    return "\n".join(paragraphs)


def fods_as_ods(path: str, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The .fods as an .ods package (mimetype + content.xml) in memory; the repeats bounded as the sniffer bounds an .ods'."""
    from lxml import etree

    from ..sniff import SniffError, _ods_extent

    with open(path, "rb") as fh:
        cells_, spaces = _ods_extent(fh, limits.max_member_bytes)
    if cells_ > limits.max_sheet_cells:
        from ..sheet_xml import SheetTooLarge
        raise SheetTooLarge("content", cells_)
    if spaces > 1_000_000:
        raise SniffError("text:s spaces")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    root = etree.parse(path, parser).getroot()
    if root.tag != f"{{{OFFICE}}}document":
        raise ValueError("not a flat OpenDocument file")
    root.tag = f"{{{OFFICE}}}document-content"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE)
        zf.writestr("content.xml", etree.tostring(root, xml_declaration=True, encoding="UTF-8"),
                    compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml",
                    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                    '<manifest:file-entry manifest:full-path="/" manifest:media-type="'
                    + MIMETYPE.decode() + '"/><manifest:file-entry manifest:full-path="content.xml" '
                    'manifest:media-type="text/xml"/></manifest:manifest>', compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def read_fods(path: str, kind: str = "fods", limits: Limits = DEFAULT_LIMITS) -> list[Sheet]:
    """A flat .fods by calamine, as an .ods."""
    return load_sheets_from(fods_as_ods(path, limits), limits)


def read_fods_odfpy(path: str, kind: str = "fods", limits: Limits = DEFAULT_LIMITS) -> list[Sheet]:
    """A flat .fods by odfpy, as an .ods (when calamine will not read it)."""
    return read_odfpy(io.BytesIO(fods_as_ods(path, limits)), kind, limits)
