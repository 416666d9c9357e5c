"""Patch an .xlsx/.xlsm package at the XML level, touching only what marking needs.

Why not openpyxl: a load/save round trip drops x14 (cross-sheet) data
validations and a VBA button's drawing, and rewrites every part. Here the
package is copied entry by entry; only styles.xml, the sheets holding marked
cells, workbook.xml, its .rels and [Content_Types].xml are re-serialised
(lxml keeps unknown elements, extLst and namespace declarations), and two
sheets are added. Every other entry (vbaProject.bin, drawings, VML, printer
settings…) is written back with identical bytes.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from typing import Iterable, Sequence

from lxml import etree

from xlbase.read.sniff import check_xml_safe, read_zip_member_capped
from xlbase.write.template_print import A4, MARGINS

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
WORKSHEET_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
WORKSHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
OFFICE_DOC_SUFFIX = "/officeDocument"
STYLES_SUFFIX = "/styles"

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_blank_text=False)
_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?([1-9][0-9]{0,6})$")
MAX_ROW, MAX_COL = 1_048_576, 16_384


class PackageError(ValueError):
    """The package lacks a part marking needs (workbook, styles, a sheet)."""


# ---------------------------------------------------------------------------
# cell references
# ---------------------------------------------------------------------------


def col_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def col_letters(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def parse_ref(ref: str) -> tuple[int, int] | None:
    """'B7' / '$B$7' -> (row 7, col 2); None for anything else or out of the grid."""
    m = _REF.match(ref.strip())
    if not m:
        return None
    row, col = int(m.group(2)), col_index(m.group(1))
    if row > MAX_ROW or col > MAX_COL:
        return None
    return row, col


def expand_cells(cell: str, limit: int = 1000) -> list[str]:
    """A problem's cell text -> normalised A1 refs ('B7', 'B7:C8', 'B7,C9'); ranges capped."""
    out: list[str] = []
    for part in re.split(r"[,，;；\s]+", cell or ""):
        if not part:
            continue
        ends = part.split(":")
        pos = [parse_ref(e) for e in ends]
        if len(ends) == 1 and (one := pos[0]):
            r, c = one
            out.append(f"{col_letters(c)}{r}")
        elif len(ends) == 2 and (first := pos[0]) and (last := pos[1]):
            (r1, c1), (r2, c2) = first, last
            for r in range(min(r1, r2), max(r1, r2) + 1):
                for c in range(min(c1, c2), max(c1, c2) + 1):
                    out.append(f"{col_letters(c)}{r}")
                    if len(out) >= limit:
                        return out
    return list(dict.fromkeys(out))


# ---------------------------------------------------------------------------
# package I/O
# ---------------------------------------------------------------------------


def parse_xml(data: bytes) -> etree._Element:
    check_xml_safe(data[:65536], truncated=len(data) > 65536)
    return etree.fromstring(data, _PARSER)


XML_DECL = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'


def to_xml(root: etree._Element) -> bytes:
    return XML_DECL + etree.tostring(root, encoding="UTF-8")


def _ns(root: etree._Element) -> str:
    return etree.QName(root).namespace or MAIN_NS


class Package:
    """A read-only zip plus the parts we replaced, removed or added."""

    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.zf = zf
        self.infos = [i for i in zf.infolist() if not i.is_dir()]
        self.names = {i.filename for i in self.infos}
        self.changed: dict[str, bytes] = {}
        self.removed: set[str] = set()

    def has(self, name: str) -> bool:
        return name in self.changed or (name in self.names and name not in self.removed)

    def read(self, name: str) -> bytes:
        if name in self.changed:
            return self.changed[name]
        if name not in self.names or name in self.removed:
            raise PackageError(f"missing part {name}")
        return read_zip_member_capped(self.zf, name)

    def write(self, name: str, data: bytes) -> None:
        self.changed[name] = data
        self.removed.discard(name)

    def remove(self, name: str) -> None:
        self.changed.pop(name, None)
        self.removed.add(name)

    def save(self, out: zipfile.ZipFile) -> None:
        """Original entries in their order (unchanged ones byte-identical), then new parts."""
        for info in self.infos:
            name = info.filename
            if name in self.removed:
                continue
            data = self.changed[name] if name in self.changed else read_zip_member_capped(self.zf, info)
            new = zipfile.ZipInfo(name, date_time=info.date_time)
            new.compress_type = info.compress_type if info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) else zipfile.ZIP_DEFLATED
            new.external_attr = info.external_attr
            out.writestr(new, data)
        for name, data in self.changed.items():
            if name not in self.names:
                out.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data, compress_type=zipfile.ZIP_DEFLATED)


def _rels_name(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def _resolve(source_part: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))


# ---------------------------------------------------------------------------
# workbook: sheets, relationships, content types
# ---------------------------------------------------------------------------


@dataclass
class SheetRef:
    name: str
    part: str
    element: etree._Element


class Workbook:
    """workbook.xml + its rels + [Content_Types].xml, parsed once, written back on save()."""

    def __init__(self, pkg: Package) -> None:
        self.pkg = pkg
        root_rels = parse_xml(pkg.read("_rels/.rels"))
        part = next((r.get("Target") for r in root_rels if (r.get("Type") or "").endswith(OFFICE_DOC_SUFFIX)), None)
        if not part:
            raise PackageError("no officeDocument relationship")
        self.part = _resolve("", part)
        self.root = parse_xml(pkg.read(self.part))
        self.ns = _ns(self.root)
        self.rels_part = _rels_name(self.part)
        self.rels = parse_xml(pkg.read(self.rels_part))
        self.ct = parse_xml(pkg.read("[Content_Types].xml"))
        self.rel_ns = self.root.nsmap.get("r") or REL_NS
        self.dirty = False

    def _q(self, tag: str) -> str:
        return f"{{{self.ns}}}{tag}"

    @property
    def sheets_el(self) -> etree._Element:
        el = self.root.find(self._q("sheets"))
        if el is None:
            raise PackageError("workbook has no <sheets>")
        return el

    def _targets(self) -> dict[str, str]:
        return {r.get("Id"): _resolve(self.part, r.get("Target") or "") for r in self.rels}

    def sheets(self) -> list[SheetRef]:
        targets = self._targets()
        out = []
        for el in self.sheets_el:
            if etree.QName(el).localname != "sheet":
                continue
            rid = el.get(f"{{{self.rel_ns}}}id")
            if rid in targets:
                out.append(SheetRef(el.get("name") or "", targets[rid], el))
        return out

    def find_sheet(self, name: str) -> SheetRef | None:
        sheets = self.sheets()
        for s in sheets:
            if s.name == name:
                return s
        key = name.strip().casefold()
        for s in sheets:
            if s.name.strip().casefold() == key:
                return s
        return None

    def styles_part(self) -> str:
        for r in self.rels:
            if (r.get("Type") or "").endswith(STYLES_SUFFIX):
                return _resolve(self.part, r.get("Target") or "")
        raise PackageError("workbook has no styles part")

    def add_sheet(self, name: str, xml: bytes, state: str | None = None) -> str:
        used = self.pkg.names | set(self.pkg.changed)
        n = 1
        while f"xl/worksheets/sheet{n}.xml" in used:
            n += 1
        part = f"xl/worksheets/sheet{n}.xml"
        ids = {r.get("Id") for r in self.rels}
        k = 1
        while f"rId{k}" in ids:
            k += 1
        rid = f"rId{k}"
        rel = etree.SubElement(self.rels, f"{{{PKG_REL_NS}}}Relationship")
        rel.set("Id", rid)
        rel.set("Type", WORKSHEET_REL)
        rel.set("Target", posixpath.relpath(part, posixpath.dirname(self.part)))
        ov = etree.SubElement(self.ct, f"{{{CT_NS}}}Override")
        ov.set("PartName", "/" + part)
        ov.set("ContentType", WORKSHEET_CT)
        ids_used = [int(el.get("sheetId") or 0) for el in self.sheets_el]
        el = etree.SubElement(self.sheets_el, self._q("sheet"))
        el.set("name", name)
        el.set("sheetId", str(max(ids_used, default=0) + 1))
        if state:
            el.set("state", state)
        el.set(f"{{{self.rel_ns}}}id", rid)
        self.pkg.write(part, xml)
        self.dirty = True
        return part

    def remove_sheet(self, ref: SheetRef) -> None:
        """Drop a sheet we added; keep definedNames' and bookViews' sheet indexes right."""
        index = list(self.sheets_el).index(ref.element)
        rid = ref.element.get(f"{{{self.rel_ns}}}id")
        self.sheets_el.remove(ref.element)
        for r in list(self.rels):
            if r.get("Id") == rid:
                self.rels.remove(r)
        for ov in list(self.ct):
            if (ov.get("PartName") or "").lstrip("/") == ref.part:
                self.ct.remove(ov)
        self.pkg.remove(ref.part)
        if self.pkg.has(_rels_name(ref.part)):
            self.pkg.remove(_rels_name(ref.part))
        names = self.root.find(self._q("definedNames"))
        if names is not None:
            for dn in list(names):
                local = dn.get("localSheetId")
                if local is None or not local.isdigit():
                    continue
                if int(local) == index:
                    names.remove(dn)
                elif int(local) > index:
                    dn.set("localSheetId", str(int(local) - 1))
            if len(names) == 0:
                self.root.remove(names)
        last = max(len(self.sheets_el) - 1, 0)
        for view in self.root.iter(self._q("workbookView")):
            for attr in ("activeTab", "firstSheet"):
                v = view.get(attr)
                if v and v.isdigit() and int(v) > last:
                    view.set(attr, str(last))
        self.dirty = True

    def save(self) -> None:
        if self.dirty:
            self.pkg.write(self.part, to_xml(self.root))
            self.pkg.write(self.rels_part, to_xml(self.rels))
            self.pkg.write("[Content_Types].xml", to_xml(self.ct))


# ---------------------------------------------------------------------------
# styles: red-filled clones of cellXfs
# ---------------------------------------------------------------------------


def _key(e: etree._Element) -> tuple:
    """Order- and namespace-declaration-blind identity of a style element."""
    return (etree.QName(e).localname, tuple(sorted(e.attrib.items())), (e.text or "").strip(),
            tuple(_key(c) for c in e if isinstance(c.tag, str)))


def _same(a: etree._Element, b: etree._Element) -> bool:
    return _key(a) == _key(b)


class Styles:
    """styles.xml with helpers that find-or-append fills, fonts and cellXfs (no duplicates)."""

    def __init__(self, data: bytes) -> None:
        self.root = parse_xml(data)
        self.ns = _ns(self.root)
        self.dirty = False

    def _q(self, tag: str) -> str:
        return f"{{{self.ns}}}{tag}"

    def _list(self, tag: str, before: tuple[str, ...] = ()) -> etree._Element:
        el = self.root.find(self._q(tag))
        if el is None:
            el = etree.Element(self._q(tag))
            anchor = next((self.root.find(self._q(t)) for t in before if self.root.find(self._q(t)) is not None), None)
            if anchor is not None:
                anchor.addprevious(el)
            else:
                self.root.append(el)
        return el

    def _find_or_add(self, list_tag: str, item: etree._Element, before: tuple[str, ...] = ()) -> int:
        lst = self._list(list_tag, before)
        items = [e for e in lst if isinstance(e.tag, str)]
        for i, e in enumerate(items):
            if _same(e, item):
                return i
        lst.append(item)
        lst.set("count", str(len(items) + 1))
        self.dirty = True
        return len(items)

    def xf(self, index: int) -> etree._Element:
        xfs = [e for e in self._list("cellXfs") if isinstance(e.tag, str)]
        if not xfs:
            base = etree.Element(self._q("xf"), numFmtId="0", fontId="0", fillId="0", borderId="0", xfId="0")
            self._list("cellXfs").append(base)
            xfs = [base]
        return xfs[index] if 0 <= index < len(xfs) else xfs[0]

    def fill_id(self, rgb: str) -> int:
        fill = etree.Element(self._q("fill"))
        pf = etree.SubElement(fill, self._q("patternFill"), patternType="solid")
        etree.SubElement(pf, self._q("fgColor"), rgb=rgb)
        etree.SubElement(pf, self._q("bgColor"), indexed="64")
        return self._find_or_add("fills", fill, ("borders", "cellStyleXfs", "cellXfs"))

    def font_id(self, base_font: int, *, bold: bool = False, link: bool = False) -> int:
        fonts = [e for e in self._list("fonts", ("fills", "borders", "cellXfs")) if isinstance(e.tag, str)]
        font = etree.Element(self._q("font"))
        if fonts:
            font = etree.fromstring(etree.tostring(fonts[min(base_font, len(fonts) - 1)]))
        for child in list(font):
            if etree.QName(child).localname in ({"b"} if bold else set()) | ({"u", "color"} if link else set()):
                font.remove(child)
        if bold:
            font.insert(0, etree.Element(self._q("b")))
        if link:
            font.insert(0, etree.Element(self._q("u")))
            font.insert(len(font), etree.Element(self._q("color"), rgb="FF0563C1"))
            _order_font(font)
        return self._find_or_add("fonts", font, ("fills", "borders", "cellXfs"))

    def clone_xf(self, index: int, **changes: str) -> int:
        """Index of an xf equal to cellXfs[index] with `changes` applied (appended if new)."""
        xf = etree.fromstring(etree.tostring(self.xf(index)))
        for k, v in changes.items():
            xf.set(k, v)
        return self._find_or_add("cellXfs", xf)

    def marked_xf(self, index: int, rgb: str) -> int:
        return self.clone_xf(index, fillId=str(self.fill_id(rgb)), applyFill="1")

    def count(self) -> int:
        return len([e for e in self._list("cellXfs") if isinstance(e.tag, str)])

    def tobytes(self) -> bytes:
        return to_xml(self.root)


_FONT_ORDER = ["b", "i", "strike", "condense", "extend", "outline", "shadow", "u", "vertAlign",
               "sz", "color", "name", "family", "charset", "scheme"]


def _order_font(font: etree._Element) -> None:
    """CT_Font is a sequence: keep children in schema order after edits."""
    kids = list(font)
    kids.sort(key=lambda e: _FONT_ORDER.index(etree.QName(e).localname) if etree.QName(e).localname in _FONT_ORDER else 99)
    for k in kids:
        font.append(k)


# ---------------------------------------------------------------------------
# one worksheet: find / create cells and set their style
# ---------------------------------------------------------------------------

CREATED_CELL, CREATED_ROW = 1, 2


class SheetDoc:
    """A worksheet's XML with row/cell lookup; rows or cells without r= get implicit numbers."""

    def __init__(self, data: bytes) -> None:
        self.root = parse_xml(data)
        self.ns = _ns(self.root)
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
        c1, r1 = col_index(m.group(1)), int(m.group(2))
        c2, r2 = (col_index(m.group(3)), int(m.group(4))) if m.group(3) else (c1, r1)
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


def read_shared_strings(pkg: Package, wb: Workbook) -> list[str] | None:
    for r in wb.rels:
        if (r.get("Type") or "").endswith("/sharedStrings"):
            part = _resolve(wb.part, r.get("Target") or "")
            if pkg.has(part):
                root = parse_xml(pkg.read(part))
                ns = _ns(root)
                return ["".join(t.text or "" for t in si.iter(f"{{{ns}}}t")
                                if etree.QName(t.getparent()).localname != "rPh") for si in root]
    return None


# ---------------------------------------------------------------------------
# generating small sheets (inline strings: sharedStrings stays untouched)
# ---------------------------------------------------------------------------


def _esc(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;"))


def sheet_xml(rows: Iterable[Sequence[tuple[str | int | float | None, int]]], *, widths: Sequence[float] = (),
              links: Iterable[tuple[str, str, str]] = (), merges: Iterable[str] = (),
              freeze_row: int = 0, tab_rgb: str | None = None, print_fit: bool = False) -> bytes:
    """A worksheet from rows of (value, style id); links are (ref, location, display).

    print_fit: A4 landscape, one page wide (as many pages tall as needed): a list that prints readably.
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
        m = MARGINS
        parts.append(f'<pageMargins left="{m["left"]}" right="{m["right"]}" top="{m["top"]}" bottom="{m["bottom"]}" '
                     f'header="0.3" footer="0.3"/><pageSetup paperSize="{A4}" orientation="landscape" '
                     'fitToWidth="1" fitToHeight="0"/>')
    parts.append("</worksheet>")
    return "".join(parts).encode("utf-8")
