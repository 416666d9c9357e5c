"""Tests for xlbase.templates.vba: a macro-enabled workbook built on Linux.

What is checked here is everything short of running the macros: the VBA
source round-trips through oletools (an independent reader of the binary
format), the button binding, the package content type, reproducibility,
and that LibreOffice opens the file and maps the buttons to the imported
module.  No test can prove that Excel compiles and runs the project: that
needs Excel on Windows (and LibreOffice cannot run xlwings' RunPython).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from xlbase.templates import vba

REPO = Path(__file__).resolve().parents[2]
MACRO_SOURCE = REPO / "macros" / "XlbaseButton.bas"
MACRO_ENABLED_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def _normalised(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n")


def build_workbook(path: Path) -> Path:
    """The workbook shape a template uses: two sheets, buttons, config sheet, macros."""
    workbook = xlsxwriter.Workbook(str(path))
    form = workbook.add_worksheet("基本信息")
    workbook.add_worksheet("团队成员")
    form.write("A1", "企业名称")
    vba.insert_validate_button(form, "D2")
    vba.add_xlwings_conf_sheet(workbook)
    vba.add_macros(workbook)
    workbook.close()
    return path


def vba_project_of(path: Path) -> bytes:
    with zipfile.ZipFile(path) as package:
        return package.read("xl/vbaProject.bin")


@pytest.fixture(scope="module")
def xlsm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_workbook(tmp_path_factory.mktemp("vba") / "template.xlsm")


@pytest.fixture(scope="module")
def macros(xlsm: Path) -> dict[str, str]:
    """Module name -> source, as oletools reads them back."""
    from oletools.olevba import VBA_Parser

    parser = VBA_Parser(str(xlsm))
    try:
        return {name.rsplit(".", 1)[0]: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


# --- the source itself -------------------------------------------------------


def test_button_module_is_ascii_and_calls_the_xlbase_entry_points() -> None:
    text = MACRO_SOURCE.read_bytes().decode("ascii")
    assert text.startswith('Attribute VB_Name = "XlbaseButton"')
    assert 'RunPython "import xlbase.excel; xlbase.excel.validate_caller()"' in text
    assert 'RunPython "import xlbase.excel; xlbase.excel.clear_marks_caller()"' in text
    assert "Sub XlbaseValidate()" in text and "Sub XlbaseClearMarks()" in text


def test_every_xlbase_module_the_macros_name_exists() -> None:
    """The button module names the Python it runs and the code that builds it (a comment): a module that
    moved (xlbase.write.vba became xlbase.templates.vba) must be renamed here too, and the templates rebuilt."""
    import importlib.util
    import re

    named = set(re.findall(r"\bxlbase(?:\.[a-z_]+)+", MACRO_SOURCE.read_text("ascii")))
    modules = {n.rsplit(".", 1)[0] if n.endswith("_caller") else n for n in named}   # RunPython's functions
    assert {"xlbase.excel", "xlbase.templates.vba"} <= modules, modules
    for module in modules:
        assert importlib.util.find_spec(module) is not None, f"the macros name {module}, which does not exist"


def test_packaged_modules_come_from_macros_folder() -> None:
    assert _normalised(vba.xlbase_modules()["XlbaseButton"]) == _normalised(
        MACRO_SOURCE.read_text("ascii")
    )


# --- round trip through oletools --------------------------------------------


def test_olevba_reads_button_module_intact(macros: dict[str, str]) -> None:
    assert _normalised(macros["XlbaseButton"]) == _normalised(MACRO_SOURCE.read_text("ascii"))


def test_xlwings_standalone_modules_embedded_with_licences(macros: dict[str, str]) -> None:
    assert "Function RunPython(" in macros["xlwings"]
    assert "xlwings is distributed under a BSD 3-clause license" in macros["xlwings"]
    assert "(c) Tim Hall" in macros["Dictionary"]
    assert "@license: MIT" in macros["Dictionary"]
    # Class module: stored without the VERSION preamble, with its VB_Base.
    assert macros["Dictionary"].startswith('Attribute VB_Name = "Dictionary"')
    assert "Attribute VB_Base" in macros["Dictionary"]


def test_one_document_module_per_sheet(xlsm: Path, macros: dict[str, str]) -> None:
    """Three sheets (two forms + xlwings.conf) -> Sheet1..Sheet3, matching the
    code names xlsxwriter writes into the sheets."""
    assert {"ThisWorkbook", "Sheet1", "Sheet2", "Sheet3"} <= set(macros)
    with zipfile.ZipFile(xlsm) as package:
        assert 'codeName="ThisWorkbook"' in package.read("xl/workbook.xml").decode()
        for index in (1, 2, 3):
            sheet = package.read(f"xl/worksheets/sheet{index}.xml").decode()
            assert f'codeName="Sheet{index}"' in sheet


# --- package parts ------------------------------------------------------------


def test_buttons_bound_to_macros_with_chinese_captions(xlsm: Path) -> None:
    with zipfile.ZipFile(xlsm) as package:
        vml = package.read("xl/drawings/vmlDrawing1.vml").decode("utf-8")
    assert "<x:FmlaMacro>[0]!XlbaseValidate</x:FmlaMacro>" in vml
    assert "<x:FmlaMacro>[0]!XlbaseClearMarks</x:FmlaMacro>" in vml
    assert "校验" in vml and "清除标记" in vml


def test_content_types_declare_macro_enabled_workbook(xlsm: Path) -> None:
    with zipfile.ZipFile(xlsm) as package:
        types = package.read("[Content_Types].xml").decode()
    assert MACRO_ENABLED_MAIN in types
    assert 'ContentType="application/vnd.ms-office.vbaProject"' in types


def test_xlwings_conf_sheet_is_hidden_and_starts_at_a1(xlsm: Path) -> None:
    import openpyxl

    book = openpyxl.load_workbook(xlsm)
    sheet = book[vba.XLWINGS_CONF_SHEET]
    assert sheet.sheet_state == "hidden"
    rows = {key: value for key, value in sheet.iter_rows(values_only=True)}
    assert rows == {"Use UDF Server": False, "Show Console": False, "ADD_WORKBOOK_TO_PYTHONPATH": "false"}


# --- reproducibility ------------------------------------------------------------


def test_two_builds_are_byte_identical(xlsm: Path, tmp_path: Path) -> None:
    again = build_workbook(tmp_path / "again.xlsm")
    assert vba_project_of(again) == vba_project_of(xlsm)


def test_build_is_identical_across_processes() -> None:
    """Hash randomisation or a clock must not leak into the bytes."""
    script = (
        "import hashlib; from xlbase.templates.vba import build_vba_project; "
        "print(hashlib.sha256(build_vba_project(sheet_names=['Sheet1', 'Sheet2'])).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True, text=True, check=True,
        ).stdout.strip()
        for seed in ("1", "2")
    }
    here = hashlib.sha256(vba.build_vba_project(sheet_names=["Sheet1", "Sheet2"])).hexdigest()
    assert digests == {here}


# --- input checks -------------------------------------------------------------------


def test_non_ascii_vba_is_refused() -> None:
    with pytest.raises(ValueError, match="ASCII"):
        vba.build_vba_project({"Bad": 'Attribute VB_Name = "Bad"\nSub X()\n MsgBox "校验"\nEnd Sub\n'})


def test_module_name_must_match_vb_name() -> None:
    with pytest.raises(ValueError, match="VB_Name"):
        vba.build_vba_project({"Other": 'Attribute VB_Name = "Bad"\nSub X()\nEnd Sub\n'})


def test_add_macros_needs_sheets_first() -> None:
    workbook = xlsxwriter.Workbook("unused.xlsm", {"in_memory": True})
    with pytest.raises(ValueError, match="worksheets"):
        vba.add_macros(workbook)


# --- packaging ------------------------------------------------------------------------


def test_every_source_package_is_listed() -> None:
    """pyproject lists packages explicitly (find cannot map top-level macros/
    into xlbase._macros), so a new subpackage under src/ must be added there."""
    tomllib = pytest.importorskip("tomllib")
    config = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    listed = set(config["packages"])
    assert config["package-dir"]["xlbase._macros"] == "macros"
    assert "*.bas" in config["package-data"]["xlbase._macros"]
    src = REPO / "src"
    with_code = {
        ".".join(path.parent.relative_to(src).parts)
        for path in (src / "xlbase").rglob("*.py")
        if "__pycache__" not in path.parts
    }
    assert with_code <= listed, f"add to [tool.setuptools] packages: {sorted(with_code - listed)}"


# --- LibreOffice ----------------------------------------------------------------------


def _soffice(exe: str, args: list[str], profile: Path) -> subprocess.CompletedProcess[str]:
    """Run soffice headless with a private profile, so concurrent test runs do
    not fight over the user profile lock."""
    return subprocess.run(
        [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", *args],
        capture_output=True, text=True, timeout=180,
    )


@pytest.mark.libreoffice
def test_libreoffice_opens_workbook_and_imports_the_vba(soffice: str, xlsm: Path, tmp_path: Path) -> None:
    """LibreOffice is an independent consumer of the file: it must open it
    (PDF export) and import the VBA into a Basic library named VBAProject
    with one module per VBA module, and bind the buttons to
    VBAProject.XlbaseButton.<macro>.  It cannot run the macros: RunPython
    needs Windows Excel with xlwings, so this says nothing about runtime."""
    profile = tmp_path / "lo_profile"
    out = tmp_path / "out"
    for target in ("pdf", "ods"):
        result = _soffice(soffice, ["--convert-to", target, "--outdir", str(out), str(xlsm)], profile)
        assert result.returncode == 0, result.stderr
        assert (out / f"{xlsm.stem}.{target}").stat().st_size > 0, result.stdout + result.stderr

    with zipfile.ZipFile(out / f"{xlsm.stem}.ods") as ods:
        names = set(ods.namelist())
        library = ods.read("Basic/VBAProject/script-lb.xml").decode()
        module = ods.read("Basic/VBAProject/XlbaseButton.xml").decode()
        content = ods.read("content.xml").decode()
    for name in ("XlbaseButton", "xlwings", "Dictionary", "ThisWorkbook", "Sheet1"):
        assert f"Basic/VBAProject/{name}.xml" in names
        assert f'library:name="{name}"' in library
    assert "Sub XlbaseValidate()" in module
    assert "vnd.sun.star.script:VBAProject.XlbaseButton.XlbaseValidate?" in content
    assert "vnd.sun.star.script:VBAProject.XlbaseButton.XlbaseClearMarks?" in content
