"""An .xlsx/.xlsm zip as parts: read (inflated under a cap, XML prolog vetted), replaced, removed, added,
and saved with every untouched entry byte-identical."""

from __future__ import annotations

import posixpath
import zipfile

from lxml import etree

from .zip import check_xml_safe, read_zip_member_capped

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
WORKSHEET_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
WORKSHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
OFFICE_DOC_SUFFIX = "/officeDocument"
STYLES_SUFFIX = "/styles"

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_blank_text=False)


class PackageError(ValueError):
    """The package lacks a part marking needs (workbook, styles, a sheet)."""


def parse_xml(data: bytes) -> etree._Element:
    check_xml_safe(data[:65536], truncated=len(data) > 65536)
    return etree.fromstring(data, _PARSER)


XML_DECL = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'


def to_xml(root: etree._Element) -> bytes:
    return XML_DECL + etree.tostring(root, encoding="UTF-8")


def root_namespace(root: etree._Element) -> str:
    """The namespace of a part's root element (strict OOXML has its own), the main one when it has none."""
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


def rels_part_of(part: str) -> str:
    """The relationships part of `part` (xl/workbook.xml -> xl/_rels/workbook.xml.rels)."""
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def resolve_target(source_part: str, target: str) -> str:
    """A relationship target as a part name: absolute (/xl/…) or relative to the source part's folder."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))
