"""sheet_xml.check_sheet_extents against a plain statement of its rule, and its caps.

The rule: the used area runs from A1 (row 0 when a cell claims it) to the last row and
the last column of any *filled* cell (a start tag with r="<letters><digits>" that is not
self-closed); more than `max_sheet_cells` is refused. The check streams the XML in
blocks, so the reference works on the whole text and the XML is made to cross blocks.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from xlbase.read.sheet_xml import SheetTooLarge, check_sheet_extents
from xlbase.read.limits import Limits
from xlbase.read.sniff import ZipMemberTooLarge

_TAG = re.compile(rb'\sr="([A-Z]{1,3})([0-9]{1,7})"[^>]*?(/?)>')


def reference_cells(xml: bytes) -> int:
    """Used-area cells of the whole XML, one match at a time."""
    filled = [(col, int(row)) for col, row, empty in _TAG.findall(xml) if not empty]
    if not filled or not max(row for _, row in filled):
        return 0
    cols = [sum((ch - 64) * 26 ** i for i, ch in enumerate(reversed(col))) for col, _ in filled]
    rows = [row for _, row in filled]
    return (max(rows) - min(min(rows), 1) + 1) * (max(cols) - min(min(cols), 1) + 1)


def sheet_zip(path: Path, xml: bytes, name: str = "xl/worksheets/sheet1.xml") -> str:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(name, xml)
    return str(path)


def measured_cells(path: str, **caps) -> int:
    """The cells check_sheet_extents counts (it refuses anything above a cap of 0)."""
    try:
        check_sheet_extents(path, Limits(max_sheet_cells=0, **caps))
    except SheetTooLarge as exc:
        return exc.cells
    return 0


COLUMN = st.sampled_from(["A", "B", "J", "Z", "AA", "XFD", "ZZZ"])
ROW = st.sampled_from(["0", "1", "7", "007", "42", "1048576", "9999999"])
SPACE = st.sampled_from([" ", "\n", "\t", "\r\n "])
CELL = st.builds(
    lambda sp, col, row, attrs, kind: (f'<c{sp}r="{col}{row}"{attrs}' + kind).encode(),
    SPACE, COLUMN, ROW, st.sampled_from(["", ' s="3"', ' t="inlineStr"', ' s="1" ']),
    st.sampled_from(["/>", " />", "></c>", "><v>1</v></c>", '><is><t>a r="B9"/ x</t></is></c>']))
NOISE = st.sampled_from([b'<row r="5">', b"</row>", b'<row r="3" spans="1:2"/>', b'<dimension ref="A1:XFD1048576"/>',
                         b'<mergeCell ref="A1:J1"/>', b'<selection activeCell="C3" sqref="C3"/>', b"<x:c r=\"B2\">"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(CELL, NOISE), max_size=30), st.integers(0, 3))
@example([b'<c r="A0">', b'<c r="B0"/>'], 0)
@example([b'<c r="XFD1048576"/>', b'<c r="A1"><v>1</v></c>'], 0)
def test_used_area_matches_the_rule(tmp_path, parts, pad_blocks):
    xml = b"<worksheet><sheetData>" + b"".join(parts) + b"</sheetData></worksheet>"
    # padding moves the cells across the 1 MB block boundary at different offsets
    xml = b"<a>" + b"." * (pad_blocks * 349_525) + b"</a>" + xml
    assert measured_cells(sheet_zip(tmp_path / "s.xlsx", xml)) == reference_cells(xml)


def test_many_cells_across_blocks(tmp_path):
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c><c r="K%d" s="2"/><c r="C%d" t="inlineStr"><is><t>x</t></is></c></row>'
                    % (r, r, r, r) for r in range(1, 40_001))
    xml = b"<worksheet><sheetData>" + rows + b'<row r="50000"><c r="D50000"/></row></sheetData></worksheet>'
    assert len(xml) > 3 << 20
    assert measured_cells(sheet_zip(tmp_path / "s.xlsx", xml)) == reference_cells(xml) == 40_000 * 3


def test_far_value_refused_styled_far_cell_not(tmp_path):
    far = b'<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="1048576">%s</row></sheetData></worksheet>'
    with pytest.raises(SheetTooLarge) as exc:
        check_sheet_extents(sheet_zip(tmp_path / "far.xlsx", far % b'<c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c>'))
    assert exc.value.cells == 16_384 * 1_048_576
    check_sheet_extents(sheet_zip(tmp_path / "styled.xlsx", far % b'<c r="XFD1048576" s="1"/>'))


def test_only_worksheet_parts_count(tmp_path):
    xml = b'<c r="XFD1048576"><v>1</v></c>'
    check_sheet_extents(sheet_zip(tmp_path / "other.xlsx", xml, "xl/sharedStrings.xml"))
    with pytest.raises(SheetTooLarge):
        check_sheet_extents(sheet_zip(tmp_path / "upper.xlsx", xml, "/XL/Worksheets/Sheet9.XML"))


def test_member_cap_trips_while_streaming(tmp_path):
    xml = b"<worksheet>" + b"<row/>" * 400_000 + b"</worksheet>"
    path = sheet_zip(tmp_path / "big.xlsx", xml)
    with pytest.raises(ZipMemberTooLarge):
        check_sheet_extents(path, Limits(max_member_bytes=len(xml) - 1))
    check_sheet_extents(path, Limits(max_member_bytes=len(xml)))


def test_not_a_zip_is_left_to_calamine(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    check_sheet_extents(str(path))


def _with_far_sheet(path: Path, sheets: list[str], far: str) -> str:
    """An .xlsx of `sheets` (those starting xl_ hidden) whose sheet `far` holds a value at XFD1048576."""
    from openpyxl import Workbook
    wb = Workbook()
    wb.active.title = sheets[0]
    for name in sheets[1:]:
        wb.create_sheet(name)
    for ws in wb.worksheets:
        ws["A1"] = ws.title
        if ws.title.startswith("xl_"):
            ws.sheet_state = "hidden"
    wb.save(path)
    part = f"xl/worksheets/sheet{sheets.index(far) + 1}.xml"
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    members[part] = members[part].replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return str(path)


def test_our_templates_helper_sheets_are_neither_scanned_nor_loaded(tmp_path):
    """A hidden sheet named as our template's helpers, in a workbook with our 填表说明, is not counted and not
    loaded (load_sheets returns it without rows); the same sheet in a clerk's workbook is refused as any."""
    from xlbase.read.grid import load_sheets
    from xlbase.read.sheet_xml import template_helper_parts
    ours = _with_far_sheet(tmp_path / "ours.xlsx", ["附件3", "填表说明", "xl_far"], "xl_far")
    assert set(template_helper_parts(ours)) == {"xl_far"}
    sheets = {s.name: s for s in load_sheets(ours)}
    assert sheets["xl_far"].rows == [] and not sheets["xl_far"].visible and sheets["附件3"].rows == [["附件3"]]
    clerk = _with_far_sheet(tmp_path / "clerk.xlsx", ["附件3", "说明页", "xl_far"], "xl_far")
    assert template_helper_parts(clerk) == {}
    with pytest.raises(SheetTooLarge):
        load_sheets(clerk)
    visible = _with_far_sheet(tmp_path / "visible.xlsx", ["附件3", "填表说明", "xl_far"], "附件3")
    with pytest.raises(SheetTooLarge):     # a form sheet of ours is counted as ever
        load_sheets(visible)
