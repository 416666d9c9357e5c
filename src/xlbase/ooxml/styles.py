"""styles.xml: fills, fonts and cellXfs found or appended (never duplicated), e.g. a cell style's
clone filled in a severity's colour."""

from __future__ import annotations

from lxml import etree

from .package import parse_xml, root_namespace, to_xml


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
        self.ns = root_namespace(self.root)
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
