"""SpreadsheetML 2003 (Excel 2003's "XML 表格", often saved as .xls): parsed with lxml, nothing fetched or expanded.

Each <Worksheet> is a sheet; <Row ss:Index> and <Cell ss:Index> may skip ahead, <Cell
ss:MergeAcross/MergeDown> cover cells (empty in the grid, as calamine shows a merged range),
<Data ss:Type> says Number, DateTime, Boolean or String.
"""

from __future__ import annotations

import datetime as dt

from ..grid import Sheet
from ..sheet_xml import SheetTooLarge
from ..limits import DEFAULT_LIMITS, Limits
from . import cells

SS = "urn:schemas-microsoft-com:office:spreadsheet"


def _q(name: str) -> str:
    return f"{{{SS}}}{name}"


def read_xml2003(path: str, kind: str = "xml2003", limits: Limits = DEFAULT_LIMITS) -> list[Sheet]:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True, remove_pis=True)
    root = etree.parse(path, parser).getroot()
    sheets: list[Sheet] = []
    for ws in root.iter(_q("Worksheet")):
        found = []
        table = ws.find(_q("Table"))
        if table is not None:
            r = -1
            for row in table.iter(_q("Row")):
                r = _index(row, r)
                c = -1
                for cell in row.iter(_q("Cell")):
                    c = _index(cell, c)
                    found.append((r, c, _value(cell)))
                    c += int(cell.get(_q("MergeAcross")) or 0)
                r += int(row.get(_q("Span")) or 0)
                if r > 1_048_576 or c > 16_384:
                    raise SheetTooLarge(ws.get(_q("Name")) or "", (r + 1) * (c + 1))
        sheets.append(Sheet(name=ws.get(_q("Name")) or f"Sheet{len(sheets) + 1}", rows=cells.place(found),
                            visible=_visible(ws)))
    return sheets


def _index(el, previous: int) -> int:
    """ss:Index is 1-based and only ever moves forward; without it the element follows the previous one."""
    try:
        i = int(el.get(_q("Index")) or 0) - 1
    except ValueError:
        i = -1
    return i if i > previous else previous + 1


def _value(cell):
    data = cell.find(_q("Data"))
    if data is None:
        return ""
    text = "".join(data.itertext())
    typ = data.get(_q("Type"))
    try:
        if typ == "Number":
            return float(text)
        if typ == "Boolean":
            return text.strip() in ("1", "true", "TRUE")
        if typ == "DateTime":
            return cells.cell(dt.datetime.fromisoformat(text.strip().rstrip("Z")))
    except ValueError:
        pass
    return text


def _visible(ws) -> bool:
    options = ws.find("{urn:schemas-microsoft-com:office:excel}WorksheetOptions")
    return options is None or options.find("{urn:schemas-microsoft-com:office:excel}Visible") is None
