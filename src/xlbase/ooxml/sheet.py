"""One worksheet's XML: cells found or created (rows and cells without r= numbered as Excel does),
restyled and restored; merged ranges; small sheets generated with inline strings (sharedStrings
stays untouched)."""

from __future__ import annotations

import re
from typing import Iterable, Mapping, Sequence

from lxml import etree

from .package import MAIN_NS, REL_NS, parse_xml, root_namespace, to_xml
from ..cell_refs import col_index, col_letters, parse_ref

CREATED_CELL, CREATED_ROW = 1, 2


class SheetDoc:
    """A worksheet's XML with row/cell lookup; rows or cells without r= get implicit numbers."""

    def __init__(self, data: bytes) -> None:
        self.root = parse_xml(data)
        self.ns = root_namespace(self.root)
        self.data = self.root.find(self._q("sheetData"))
        if self.data is None:
            self.data = etree.Element(self._q("sheetData"))
            anchor = next((e for e in self.root if etree.QName(e).localname not in
                           ("sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols")), None)
            if anchor is not None:
                anchor.addprevious(self.data)
            else:
                self.root.append(self.data)
        self.rows: dict[int, etree._Element] = {}
        n = 0
        for row in self.data:
            if not isinstance(row.tag, str):
                continue
            r = row.get("r")
            n = int(r) if r and r.isdigit() else n + 1
            self.rows[n] = row
        self._cols: list[tuple[int, int, int]] | None = None
        self._merges: list[tuple[int, int, int, int]] | None = None

    def _q(self, tag: str) -> str:
        return f"{{{self.ns}}}{tag}"

    def merged_range(self, row: int, col: int) -> str | None:
        """The merged range ('D5:D7') holding the cell, None when it is in none."""
        if self._merges is None:
            self._merges = []
            el = self.root.find(self._q("mergeCells"))
            for m in (el if el is not None else []):
                ends = [parse_ref(e) for e in (m.get("ref") or "").split(":")]
                if len(ends) == 2 and (first := ends[0]) and (last := ends[1]):
                    (r1, c1), (r2, c2) = first, last
                    self._merges.append((min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
        for r1, c1, r2, c2 in self._merges:
            if r1 <= row <= r2 and c1 <= col <= c2 and (r1, c1) != (r2, c2):
                return f"{col_letters(c1)}{r1}:{col_letters(c2)}{r2}"
        return None

    def _cells(self, row: etree._Element) -> list[tuple[int, etree._Element]]:
        out, n = [], 0
        for c in row:
            if not isinstance(c.tag, str) or etree.QName(c).localname != "c":
                continue
            pos = parse_ref(c.get("r") or "")
            n = pos[1] if pos else n + 1
            out.append((n, c))
        return out

    def find(self, row: int, col: int) -> etree._Element | None:
        el = self.rows.get(row)
        if el is None:
            return None
        return next((c for n, c in self._cells(el) if n == col), None)

    def default_style(self, row: int, col: int) -> int:
        """Style an absent cell shows: its row's (customFormat) else its column's else 0."""
        el = self.rows.get(row)
        if el is not None and el.get("customFormat") in ("1", "true") and (el.get("s") or "").isdigit():
            return int(el.get("s"))
        if self._cols is None:
            self._cols = []
            cols = self.root.find(self._q("cols"))
            for c in (cols if cols is not None else []):
                try:
                    self._cols.append((int(c.get("min")), int(c.get("max")), int(c.get("style") or 0)))
                except (TypeError, ValueError):
                    continue
        for lo, hi, style in self._cols:
            if lo <= col <= hi:
                return style
        return 0

    def ensure(self, row: int, col: int) -> tuple[etree._Element, int, int]:
        """The cell element, its current style, and CREATED_* flags when we had to add it."""
        cell = self.find(row, col)
        if cell is not None:
            s = cell.get("s")
            return cell, int(s) if s and s.isdigit() else 0, 0
        style = self.default_style(row, col)
        created = CREATED_CELL
        row_el = self.rows.get(row)
        if row_el is None:
            created = CREATED_ROW
            row_el = etree.Element(self._q("row"), r=str(row))
            after = [n for n in self.rows if n < row]
            if after:
                self.rows[max(after)].addnext(row_el)
            else:
                self.data.insert(0, row_el)
            self.rows[row] = row_el
        cell = etree.Element(self._q("c"), r=f"{col_letters(col)}{row}")
        prev = [c for n, c in self._cells(row_el) if n < col]
        if prev:
            prev[-1].addnext(cell)
        else:
            row_el.insert(0, cell)
        self._widen_spans(row_el, col)
        self._widen_dimension(row, col)
        return cell, style, created

    def _widen_dimension(self, row: int, col: int) -> None:
        dim = self.root.find(self._q("dimension"))
        m = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?", (dim.get("ref") or "") if dim is not None else "")
        if not m:
            return
        try:
            c1, r1 = col_index(m.group(1)), int(m.group(2))
            c2, r2 = (col_index(m.group(3)), int(m.group(4))) if m.group(3) else (c1, r1)
        except ValueError:      # four letters or more: no cell of ours is beyond it, nothing to widen
            return
        c2, r2 = max(c2, col), max(r2, row)
        dim.set("ref", f"{col_letters(min(c1, col))}{min(r1, row)}:{col_letters(c2)}{r2}")

    @staticmethod
    def _widen_spans(row_el: etree._Element, col: int) -> None:
        spans = row_el.get("spans")
        m = re.fullmatch(r"(\d+):(\d+)", spans or "")
        if m:
            lo, hi = int(m.group(1)), int(m.group(2))
            row_el.set("spans", f"{min(lo, col)}:{max(hi, col)}")

    def restore(self, row: int, col: int, style: int, created: int) -> bool:
        """Undo one mark; a cell we created goes again unless someone has filled it since."""
        cell = self.find(row, col)
        if cell is None:
            return False
        if created and len(cell) == 0 and cell.get("t") is None:
            row_el = cell.getparent()
            row_el.remove(cell)
            if created == CREATED_ROW and len(row_el) == 0:
                self.data.remove(row_el)
                self.rows.pop(row, None)
            return True
        if style:
            cell.set("s", str(style))
        elif "s" in cell.attrib:
            del cell.attrib["s"]
        return True

    def tobytes(self) -> bytes:
        return to_xml(self.root)


def read_cell_texts(data: bytes, shared: list[str] | None) -> list[list[str]]:
    """Rows of a small sheet as text (inline strings, shared strings, numbers): to read our records back."""
    doc = SheetDoc(data)
    out: list[list[str]] = []
    for r in sorted(doc.rows):
        cells = doc._cells(doc.rows[r])
        width = max((n for n, _ in cells), default=0)
        vals = [""] * width
        for n, c in cells:
            t = c.get("t")
            if t == "inlineStr":
                vals[n - 1] = "".join(c.itertext())
            else:
                v = c.find(doc._q("v"))
                text = v.text if v is not None and v.text else ""
                if t == "s" and shared is not None and text.isdigit() and int(text) < len(shared):
                    text = shared[int(text)]
                vals[n - 1] = text
        out.append(vals)
    return out


def _esc(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;"))


def sheet_xml(rows: Iterable[Sequence[tuple[str | int | float | None, int]]], *, widths: Sequence[float] = (),
              links: Iterable[tuple[str, str, str]] = (), merges: Iterable[str] = (),
              freeze_row: int = 0, tab_rgb: str | None = None,
              print_fit: tuple[int, Mapping[str, float]] | None = None) -> bytes:
    """A worksheet from rows of (value, style id); links are (ref, location, display).

    print_fit: (paper size, margins in inches): landscape, one page wide (as many pages tall as
    needed), a list that prints readably.
    """
    parts = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">']
    if tab_rgb or print_fit:
        parts.append("<sheetPr>" + (f'<tabColor rgb="{tab_rgb}"/>' if tab_rgb else "")
                     + ('<pageSetUpPr fitToPage="1"/>' if print_fit else "") + "</sheetPr>")
    if freeze_row:
        parts.append(f'<sheetViews><sheetView workbookViewId="0"><pane ySplit="{freeze_row}" '
                     f'topLeftCell="A{freeze_row + 1}" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>')
    if widths:
        parts.append("<cols>" + "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                                        for i, w in enumerate(widths, 1)) + "</cols>")
    parts.append("<sheetData>")
    for r, row in enumerate(rows, 1):
        parts.append(f'<row r="{r}">')
        for c, (value, style) in enumerate(row, 1):
            ref = f"{col_letters(c)}{r}"
            s = f' s="{style}"' if style else ""
            if value is None or value == "":
                if style:
                    parts.append(f'<c r="{ref}"{s}/>')
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                parts.append(f'<c r="{ref}"{s}><v>{value}</v></c>')
            else:
                parts.append(f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{_esc(str(value))}</t></is></c>')
        parts.append("</row>")
    parts.append("</sheetData>")
    merges = list(merges)
    if merges:
        parts.append(f'<mergeCells count="{len(merges)}">' + "".join(f'<mergeCell ref="{m}"/>' for m in merges) + "</mergeCells>")
    links = list(links)
    if links:
        parts.append("<hyperlinks>" + "".join(f'<hyperlink ref="{ref}" location="{_esc(loc)}" display="{_esc(disp)}"/>'
                                              for ref, loc, disp in links) + "</hyperlinks>")
    if print_fit:
        paper, m = print_fit
        parts.append(f'<pageMargins left="{m["left"]}" right="{m["right"]}" top="{m["top"]}" bottom="{m["bottom"]}" '
                     f'header="0.3" footer="0.3"/><pageSetup paperSize="{paper}" orientation="landscape" '
                     'fitToWidth="1" fitToHeight="0"/>')
    parts.append("</worksheet>")
    return "".join(parts).encode("utf-8")
