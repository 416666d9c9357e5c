"""A 附件1 cover written in Word (.docx) beside the county's workbook: read for its 基地类型 like a workbook's.

The notice prints 附件1 as a Word page, so clerks fill it in Word: "基地类型：☑楼宇型 □园区型" in a
paragraph, or a table of label | value. The paragraphs and table rows of word/document.xml become the
rows of one grid in document order (a table row's cells side by side, a paragraph one cell), so
read.cover finds the cover as it finds it on a sheet; its place is said as Word shows it (第3段,
表格1第2行第2格), a Word file having no cells.

lxml parses the one part, read with the sniffer's caps and refused with a DTD (no entity, no fetch),
so a .docx costs no more than a workbook. python-docx would open the whole package uncapped, and it
repeats a merged cell's text in every grid cell it spans (the label then stands beside itself).
"""

from __future__ import annotations

import zipfile
from dataclasses import replace


from ..cell_refs import parse_ref
from ..ooxml.zip import SniffError, check_xml_safe, read_zip_member_capped
from .cover import Cover, find_cover
from .grid import Sheet
from .limits import DEFAULT_LIMITS, Limits

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DOCUMENT = "word/document.xml"
SHEET_NAME = "Word 正文"
MAX_ROWS = 2000          # a cover is one page: a longer document is no cover (and not worth a grid)


def _text(el) -> str:
    """The text of a paragraph or cell as Word shows it: runs joined, tabs as spaces, paragraphs as lines."""
    lines = []
    for p in el.iter(f"{W}p"):
        parts = []
        for node in p.iter(f"{W}t", f"{W}tab", f"{W}br"):
            parts.append(node.text or "" if node.tag == f"{W}t" else " " if node.tag == f"{W}tab" else "\n")
        lines.append("".join(parts))
    return "\n".join(lines).strip()


def docx_grid(data: bytes) -> tuple[Sheet, dict[tuple[int, int], str]]:
    """The document's paragraphs and table rows as a grid, and where each filled cell is in Word's words."""
    from lxml import etree      # here, not at import: a Word file is rare, and lxml is a slow import of every start
    check_xml_safe(data)
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))
    body = root.find(f"{W}body")
    rows: list[list[str]] = []
    places: dict[tuple[int, int], str] = {}
    paragraphs = tables = 0

    def walk(parent) -> None:
        nonlocal paragraphs, tables
        for el in parent:
            if len(rows) >= MAX_ROWS:
                return
            if el.tag == f"{W}p":
                paragraphs += 1
                text = _text(el)
                if text:
                    places[(len(rows), 0)] = f"第{paragraphs}段"
                    rows.append([text])
            elif el.tag == f"{W}tbl":
                tables += 1
                for i, tr in enumerate(el.findall(f"{W}tr"), 1):
                    cells = [_text(tc) for tc in tr.findall(f"{W}tc")]
                    for j, text in enumerate(cells, 1):
                        if text:
                            places[(len(rows), j - 1)] = f"表格{tables}第{i}行第{j}格"
                    rows.append(cells)
            elif el.tag == f"{W}sdt":                   # a content control around paragraphs or a table
                walk(el.find(f"{W}sdtContent") if el.find(f"{W}sdtContent") is not None else [])

    walk(body if body is not None else [])
    return Sheet(SHEET_NAME, rows), places


def read_docx_cover(path: str, limits: Limits = DEFAULT_LIMITS) -> Cover | None:
    """The cover in a .docx, its cell said as Word shows it; None for any other Word file or one that
    cannot be read (it is then set aside as a document, as before)."""
    from lxml import etree
    try:
        with zipfile.ZipFile(path) as zf:
            data = read_zip_member_capped(zf, DOCUMENT, limits.max_member_bytes)
        sheet, places = docx_grid(data)
    except (zipfile.BadZipFile, KeyError, OSError, SniffError, etree.XMLSyntaxError, ValueError):
        return None
    cover = find_cover([sheet], [], alone=True)
    if cover is None:
        return None
    at = parse_ref(cover.cell)
    place = places.get((at[0] - 1, at[1] - 1), "") if at else ""
    return replace(cover, cell=place)
