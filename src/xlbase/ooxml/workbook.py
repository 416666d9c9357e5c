"""workbook.xml with its relationships and [Content_Types].xml: find, add and remove sheets; the shared strings."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from lxml import etree

from .package import (CT_NS, OFFICE_DOC_SUFFIX, PKG_REL_NS, REL_NS, STYLES_SUFFIX, WORKSHEET_CT, WORKSHEET_REL, Package,
                      PackageError, parse_xml, rels_part_of, resolve_target, root_namespace, to_xml)


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
        self.part = resolve_target("", part)
        self.root = parse_xml(pkg.read(self.part))
        self.ns = root_namespace(self.root)
        self.rels_part = rels_part_of(self.part)
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
        return {r.get("Id"): resolve_target(self.part, r.get("Target") or "") for r in self.rels}

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
                return resolve_target(self.part, r.get("Target") or "")
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
        if self.pkg.has(rels_part_of(ref.part)):
            self.pkg.remove(rels_part_of(ref.part))
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


def read_shared_strings(pkg: Package, wb: Workbook) -> list[str] | None:
    for r in wb.rels:
        if (r.get("Type") or "").endswith("/sharedStrings"):
            part = resolve_target(wb.part, r.get("Target") or "")
            if pkg.has(part):
                root = parse_xml(pkg.read(part))
                ns = root_namespace(root)
                return ["".join(t.text or "" for t in si.iter(f"{{{ns}}}t")
                                if etree.QName(t.getparent()).localname != "rPh") for si in root]
    return None
