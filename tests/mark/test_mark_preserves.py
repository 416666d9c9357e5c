"""Marking keeps the VBA project, the button, and LibreOffice's x14 cross-sheet validations."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lxml import etree

from conftest import soffice_convert
from mark_fixtures import NS, applicant_workbook, cell_styles, element_xml, parts, sheet_part, values
from xlbase.problems import Problem
from xlbase.mark.marks import MARK_RGB
from xlbase.mark.copy import clear_marks, mark_workbook

PROBLEMS = [
    Problem("r1", "error", "职工人数不是数字", sheet="附件3", cell="F4"),
    Problem("r2", "error", "基地类型不在列表中", sheet="附件2", cell="B2"),
    Problem("r3", "warning", "按钮所在表", sheet="校验", cell="A1"),
]


def test_xlsm_keeps_vba_project_and_button(tmp_path: Path) -> None:
    book = applicant_workbook(tmp_path / "申报表.xlsm", macros=True)
    res = mark_workbook(book, PROBLEMS)
    out = res.out
    assert out.name == "申报表.校验.xlsm" and len(res.marked) == 3
    before, after = parts(book), parts(out)
    assert after["xl/vbaProject.bin"] == before["xl/vbaProject.bin"]
    for name, data in before.items():  # drawings, VML, rels of the button sheet: byte-identical
        if "vml" in name.lower() or "drawing" in name.lower() or name.endswith("vbaProject.bin"):
            assert after[name] == data, name
    btn = sheet_part(out, "校验")
    assert after[btn.replace("worksheets/", "worksheets/_rels/") + ".rels"] == \
        before[btn.replace("worksheets/", "worksheets/_rels/") + ".rels"]
    assert element_xml(out, "校验", "legacyDrawing") == element_xml(book, "校验", "legacyDrawing") != []
    ct = after["[Content_Types].xml"].decode()
    assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in ct
    assert "vbaProject" in ct
    assert b"XlbaseValidate" in b"".join(v for k, v in after.items() if "vml" in k.lower())
    cleared = clear_marks(out, tmp_path / "c.xlsm").out
    assert parts(cleared)["xl/vbaProject.bin"] == before["xl/vbaProject.bin"]
    for sheet in ("附件2", "附件3", "校验"):
        assert cell_styles(cleared, sheet) == cell_styles(book, sheet)


@pytest.mark.libreoffice
def test_libreoffice_saved_cross_sheet_validations_survive(tmp_path: Path) -> None:
    src = applicant_workbook(tmp_path / "ours.xlsx")
    lo_dir = tmp_path / "lo"
    lo_dir.mkdir()
    lo = soffice_convert(src, "xlsx", lo_dir)   # LibreOffice's own serialisation of the cross-sheet lists
    x14_before = element_xml(lo, "附件3", "dataValidations")
    assert x14_before, "LibreOffice wrote no validations"
    problems = [Problem("r", "error", "错", sheet="附件3", cell="F4"), Problem("r", "error", "错", sheet="附件2", cell="B2")]
    out = mark_workbook(lo, problems, tmp_path / "lo.校验.xlsx").out
    for sheet in ("附件2", "附件3"):
        assert element_xml(out, sheet, "dataValidations") == element_xml(lo, sheet, "dataValidations")
        assert element_xml(out, sheet, "extLst") == element_xml(lo, sheet, "extLst")
        assert element_xml(out, sheet, "mergeCell") == element_xml(lo, sheet, "mergeCell")
    v_lo, v_out = values(lo), values(out)
    assert all(v_out[k] == v for k, v in v_lo.items())
    # LibreOffice opens the marked file, and re-saving it keeps the red fill on the marked cell
    pdf_dir = tmp_path / "pdf"
    pdf_dir.mkdir()
    assert soffice_convert(out, "pdf", pdf_dir).stat().st_size > 0
    back_dir = tmp_path / "back"
    back_dir.mkdir()
    copy = tmp_path / "resaved.xlsx"
    shutil.copy(out, copy)
    back = soffice_convert(copy, "xlsx", back_dir)
    from openpyxl import load_workbook

    ws = load_workbook(back)["附件3"]
    assert (ws["F4"].fill.fgColor.rgb or "").upper().endswith(MARK_RGB[2:])
    assert not (ws["F5"].fill.fgColor.rgb or "").upper().endswith(MARK_RGB[2:])
    # and clearing a LibreOffice round-tripped marked file still finds our record
    cleared = clear_marks(back, tmp_path / "c.xlsx")
    assert cleared.cleared == 2
    assert "校验结果" not in [n for n in values(cleared.out)]


@pytest.mark.libreoffice
def test_libreoffice_opens_marked_xlsm(tmp_path: Path) -> None:
    book = applicant_workbook(tmp_path / "申报表.xlsm", macros=True)
    out = mark_workbook(book, PROBLEMS).out
    pdf_dir = tmp_path / "pdf"
    pdf_dir.mkdir()
    assert soffice_convert(out, "pdf", pdf_dir).stat().st_size > 0


X14 = (b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
       b'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
       b'<x14:dataValidations count="1" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
       b'<x14:dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1">'
       b'<x14:formula1><xm:f>lists!$B$1:$B$3</xm:f></x14:formula1><xm:sqref>K4:K50</xm:sqref>'
       b'</x14:dataValidation></x14:dataValidations></ext></extLst>')


def test_excel_x14_cross_sheet_validations_survive(tmp_path: Path) -> None:
    """Excel 2010+ stores a list from another sheet as x14:dataValidation in extLst; openpyxl drops it."""
    import zipfile

    book = applicant_workbook(tmp_path / "a.xlsx", n_firms=5)
    x14 = tmp_path / "x14.xlsx"
    part = sheet_part(book, "附件3")
    with zipfile.ZipFile(book) as zin, zipfile.ZipFile(x14, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == part:
                data = data.replace(b"</worksheet>", X14 + b"</worksheet>")
            zout.writestr(info, data)
    before = element_xml(x14, "附件3", "extLst")
    assert len(before) == 1
    out = mark_workbook(x14, [Problem("r", "error", "错", sheet="附件3", cell="K4")]).out
    assert element_xml(out, "附件3", "extLst") == before
    assert element_xml(out, "附件3", "dataValidations") == element_xml(x14, "附件3", "dataValidations")
    cleared = clear_marks(out, tmp_path / "c.xlsx").out
    assert element_xml(cleared, "附件3", "extLst") == before
    assert cell_styles(cleared, "附件3") == cell_styles(x14, "附件3")


def test_xml_declared_entities_are_refused(tmp_path: Path) -> None:
    import zipfile

    from xlbase.read.sniff import XmlBombError

    book = applicant_workbook(tmp_path / "a.xlsx", n_firms=2)
    evil = tmp_path / "evil.xlsx"
    with zipfile.ZipFile(book) as zin, zipfile.ZipFile(evil, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/styles.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY a "aaaa">]>', 1)
            zout.writestr(info, data)
    with pytest.raises(XmlBombError):
        mark_workbook(evil, PROBLEMS[:1])
    assert not (tmp_path / "evil.校验.xlsx").exists()
    assert etree  # lxml parser is configured without entity resolution
    assert NS
