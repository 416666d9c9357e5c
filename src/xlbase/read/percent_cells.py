"""A number shown as a percentage is read as the clerk sees it: 0.69 in a cell formatted 0% is "69%".

A clerk who types 69% into Excel or WPS gets the number 0.69 with a percent format; calamine gives the
number alone, so 太原's 占总人数 read 0.69 (%) and its share-stated rule said "填 0.69%，算为 69.23%" — an
错误 the clerk cannot see (probe r12, session 15). The workbook's styles say which cell formats are
percentages (the built-in 0% and 0.00%, or a code with % outside its quoted text); each numeric cell in
such a format becomes the text it shows ("69%", "12.5%"), read then by the field's unit like a typed
"69%". Only OOXML workbooks (calamine's xlsx/xlsm); best effort: a part that cannot be read leaves the
sheets as they are.
"""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal, InvalidOperation
from typing import Any

from ..ooxml.zip import check_xml_safe, read_zip_member_capped
from .limits import DEFAULT_LIMITS, Limits
from .sheet_xml import _col_number, _sheet_part_map, _tag_aligned_blocks

PERCENT_BUILTIN = frozenset({9, 10})      # ECMA-376 18.8.30: 0% and 0.00%
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')
_NUMFMT = re.compile(rb'<(?:\w+:)?numFmt\b[^>]*?numFmtId="(\d+)"[^>]*?formatCode="([^"]*)"')
_CELL_XFS = re.compile(rb"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", re.S)
_XF = re.compile(rb"<(?:\w+:)?xf\b([^>]*)>")
_XF_FMT = re.compile(rb'numFmtId="(\d+)"')
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*)>")
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_STYLE = re.compile(rb'\bs="(\d+)"')


def with_percent_cells(path: str, sheets: list[Any], limits: Limits = DEFAULT_LIMITS) -> None:
    """Each numeric cell of `sheets` (read.grid.Sheet) whose style is a percentage, as the text it shows (module
    docstring)."""
    try:
        with zipfile.ZipFile(path) as zf:
            styles = _percent_styles(zf)
            if not styles:
                return
            parts = _sheet_part_map(zf)
            for sheet in sheets:
                part = parts.get(sheet.name)
                if part is not None:
                    _show(sheet, _cells(zf, part, styles, limits))
    except Exception:     # damaged styles or parts: the numbers stay as calamine read them
        return


def _percent_styles(zf: zipfile.ZipFile) -> frozenset[int]:
    """Indexes of the cell formats (cellXfs) whose number format is a percentage."""
    try:
        xml = read_zip_member_capped(zf, "xl/styles.xml")
    except KeyError:
        return frozenset()
    check_xml_safe(xml)
    percent = set(PERCENT_BUILTIN)
    for num_id, code in _NUMFMT.findall(xml):
        if "%" in _QUOTED.sub("", code.decode("utf-8", "replace").replace("&quot;", '"')):
            percent.add(int(num_id))
    block = _CELL_XFS.search(xml)
    if block is None:
        return frozenset()
    out = set()
    for i, attrs in enumerate(_XF.findall(block.group(1))):
        m = _XF_FMT.search(attrs)
        if m and int(m.group(1)) in percent:
            out.add(i)
    return frozenset(out)


def _cells(zf: zipfile.ZipFile, part: str, styles: frozenset[int], limits: Limits) -> list[tuple[int, int]]:
    """(row, column), 0-based, of the cells of `part` in one of `styles`."""
    out = []
    with zf.open(part) as fh:
        for block in _tag_aligned_blocks(fh, part, limits.max_member_bytes):
            for attrs in _CELL.findall(block):
                s = _STYLE.search(attrs)
                if s is None or int(s.group(1)) not in styles:
                    continue
                ref = _REF.search(attrs)
                if ref is not None:
                    out.append((int(ref.group(2)) - 1, _col_number(ref.group(1)) - 1))
    return out


def _show(sheet: Any, cells: list[tuple[int, int]]) -> None:
    for r, c in cells:
        if r < len(sheet.rows) and c < len(sheet.rows[r]) and type(sheet.rows[r][c]) in (int, float):
            row = sheet.rows[r] if isinstance(sheet.rows[r], list) else list(sheet.rows[r])
            row[c] = percent_text(row[c])
            sheet.rows[r] = row


def percent_text(v: float) -> str:
    """0.69 -> "69%", 0.125 -> "12.5%": the number a percent format shows, without binary noise."""
    try:
        d = (Decimal(repr(v)) * 100).normalize()
    except InvalidOperation:
        return f"{v * 100}%"
    text = format(d, "f")
    return f"{text}%"
