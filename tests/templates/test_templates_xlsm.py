"""The macro-enabled templates: same forms, a 校验 button bound to our macro, a hidden xlwings.conf."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from xlbase.templates import vba
from xlbase.templates.guide import GUIDE_SHEET
from xlbase.commands.templates import templates_command

MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("xlsm")
    result = templates_command(d, year=2024)
    assert result.exit_code == 0 and not result.errors, result.errors
    return d


@pytest.mark.parametrize("name", ["双创基地申报表", "附件11_基本情况汇总表"])
def test_xlsm_has_the_xlsx_sheets_plus_conf(out, name):
    xlsx = openpyxl.load_workbook(out / f"{name}.xlsx")
    xlsm = openpyxl.load_workbook(out / f"{name}.xlsm", keep_vba=True)
    assert xlsm.sheetnames == xlsx.sheetnames + [vba.XLWINGS_CONF_SHEET]
    assert xlsm[vba.XLWINGS_CONF_SHEET].sheet_state == "hidden"
    with zipfile.ZipFile(out / f"{name}.xlsm") as z:
        types = z.read("[Content_Types].xml").decode()
        assert MACRO_MAIN in types and "xl/vbaProject.bin" in z.namelist()


@pytest.mark.parametrize("name", ["双创基地申报表", "附件11_基本情况汇总表"])
def test_button_on_guide_sheet_calls_validate(out, name):
    path = out / f"{name}.xlsm"
    wb = openpyxl.load_workbook(path, keep_vba=True)
    index = wb.sheetnames.index(GUIDE_SHEET) + 1
    with zipfile.ZipFile(path) as z:
        rels = z.read(f"xl/worksheets/_rels/sheet{index}.xml.rels").decode()
        vml_name = re.search(r'Target="\.\./drawings/(vmlDrawing\d+\.vml)"', rels).group(1)
        vml = z.read(f"xl/drawings/{vml_name}").decode("utf-8")
    assert f"[0]!{vba.VALIDATE_MACRO}" in vml and "校验" in vml


def test_olevba_reads_our_module(out):
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(out / "双创基地申报表.xlsm"))
    try:
        modules = {name.rsplit(".", 1)[0]: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()
    assert vba.XLBASE_MODULE in modules and "xlwings" in modules
    assert f"Sub {vba.VALIDATE_MACRO}()" in modules[vba.XLBASE_MODULE]


def _conf(path: Path) -> dict:
    ws = openpyxl.load_workbook(path, keep_vba=True)[vba.XLWINGS_CONF_SHEET]
    return {r[0]: r[1] for r in ws.iter_rows(values_only=True)}


def test_python_option_pins_the_buttons_interpreter(tmp_path, out):
    exe = r"C:\Program Files\Python311\python.exe"
    cli = subprocess.run([sys.executable, "-m", "xlbase", "templates", "-o", str(tmp_path), "--python", exe],
                         capture_output=True, text=True)
    assert cli.returncode == 0, cli.stderr
    for name in ("双创基地申报表", "附件11_基本情况汇总表"):
        assert _conf(tmp_path / f"{name}.xlsm")["Interpreter_Win"] == exe
        assert "Interpreter_Win" not in _conf(out / f"{name}.xlsm")   # default: the python on PATH
        assert _conf(tmp_path / f"{name}.xlsm")["Use UDF Server"] is False
