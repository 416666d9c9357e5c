"""Build the VBA project of a macro-enabled (.xlsm) xlbase template, on Linux.

Why this module exists: clerks press a 校验 button in the workbook, which
runs a VBA macro that hands over to Python through xlwings' ``RunPython``.
A VBA project (``xl/vbaProject.bin``) is a binary CFB container that only
Office writes natively.  Keeping a binary blob checked in would hide the
macro source from review and drift from xlwings upgrades, so the project
is generated from plain-text sources instead:

* ``macros/XlbaseButton.bas`` (repository top level, shipped inside the
  wheel as the ``xlbase._macros`` package): the button macros;
* ``xlwings.bas`` and ``addin/Dictionary.cls`` taken from the *installed*
  xlwings package at build time, the same two files ``xlwings quickstart
  --standalone`` imports, so the workbook needs no xlwings add-in.  Their
  licence notices (xlwings: BSD-3-Clause; Dictionary: MIT, Tim Hall) are
  part of the module text and are embedded unchanged.

pyOpenVBA (pure Python, no Office needed) does the binary work: it only
*adds* a project to an existing .xlsm, so :func:`build_vba_project` writes
a throwaway skeleton workbook with the right sheet code names, lets
pyOpenVBA add the project and modules exactly as Excel would for a first
macro (ThisWorkbook + one document module per sheet, from a template
captured from real Excel), and extracts ``xl/vbaProject.bin``.  pyOpenVBA
zeroes the compiled ``_VBA_PROJECT`` cache, so Excel recompiles the source
on open; that keeps the project independent of the Excel version/bitness.

The result is byte-for-byte reproducible: the CFB has no timestamps and
the project GUIDs come from pyOpenVBA's fixed template.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import xlsxwriter
from pyopenvba import ExcelFile, VBAModuleKind
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

if TYPE_CHECKING:
    from importlib.abc import Traversable

#: Module holding the button macros (``macros/XlbaseButton.bas``).
XLBASE_MODULE = "XlbaseButton"
VALIDATE_MACRO = "XlbaseValidate"
CLEAR_MARKS_MACRO = "XlbaseClearMarks"

#: Sheet xlwings reads its per-workbook settings from (keys in column A from A1).
XLWINGS_CONF_SHEET = "xlwings.conf"

#: Settings written to the hidden ``xlwings.conf`` sheet by default.  A key
#: present on the sheet *overrides* the user's ``%USERPROFILE%\\.xlwings\\
#: xlwings.conf`` and an ``xlwings.conf`` next to the workbook, even when its
#: value is blank (xlwings' GetConfig checks the key exists).  So only keys
#: with a deliberate value are written:
#:
#: * ``Use UDF Server`` False: run each RunPython call as ``python -c ...``
#:   (a fresh process); the COM server mode keeps a process alive and needs a
#:   registered pywin32 COM server, which a plain ``pip install`` does not give.
#: * ``Show Console`` False: no black console window flashing on each click.
#: * ``ADD_WORKBOOK_TO_PYTHONPATH`` "false": xlbase is imported from the
#:   installed package, not from the workbook's folder; this also avoids
#:   xlwings failing to map OneDrive/SharePoint URLs to local folders and a
#:   stray ``xlbase.py`` in Downloads shadowing the real package.  Written
#:   as text because xlwings compares the string "true" on the Python side.
#:
#: ``Interpreter_Win`` is deliberately absent: xlwings then falls back to the
#: legacy ``Interpreter`` key and finally to ``python`` on PATH, and IT can set
#: it per machine in the user-level xlwings.conf.  Pass
#: ``{"Interpreter_Win": r"C:\\...\\python.exe"}`` to pin one per workbook.
DEFAULT_XLWINGS_SETTINGS: dict[str, object] = {
    "Use UDF Server": False,
    "Show Console": False,
    "ADD_WORKBOOK_TO_PYTHONPATH": "false",
}


def xlwings_settings(python: str | None = None) -> dict[str, object]:
    """The conf-sheet settings, with ``Interpreter_Win`` pinned to ``python`` when given."""
    return {**DEFAULT_XLWINGS_SETTINGS, "Interpreter_Win": python} if python else dict(DEFAULT_XLWINGS_SETTINGS)

_CLASS_PREAMBLE = "VERSION 1.0 CLASS"


# ---------------------------------------------------------------------------
# Module sources
# ---------------------------------------------------------------------------


def _read_text(data: bytes, origin: str) -> str:
    """Decode VBA source as ASCII: a VBA project stores text in the ANSI code
    page of the PC that opens it, so anything beyond ASCII would turn into
    mojibake on a Chinese (cp936) Windows.  Chinese text belongs in Python."""
    try:
        return data.decode("ascii")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{origin}: VBA source must be ASCII-only ({exc})") from None


def _macros_dir() -> Traversable:
    """Where the packaged .bas/.cls live.

    Installed (wheel or fresh editable install): the ``xlbase._macros``
    package, which setuptools maps to the top-level ``macros/`` folder.
    Fallback for a source checkout whose editable install predates that
    mapping: ``<repo>/macros`` next to ``src/``.
    """
    try:
        return resources.files("xlbase._macros")
    except ModuleNotFoundError:
        repo_macros = Path(__file__).resolve().parents[3] / "macros"
        if repo_macros.is_dir():
            return repo_macros
        raise


def xlbase_modules() -> dict[str, str]:
    """The xlbase VBA modules (``macros/*.bas`` and ``*.cls``), by module name."""
    folder = _macros_dir()
    found = sorted(
        (entry for entry in folder.iterdir() if entry.name.lower().endswith((".bas", ".cls"))),
        key=lambda entry: entry.name,
    )
    return {Path(entry.name).stem: _read_text(entry.read_bytes(), entry.name) for entry in found}


def xlwings_modules() -> dict[str, str]:
    """xlwings' standalone VBA module and the Dictionary class it uses on Mac,
    read from the installed xlwings so the VBA is the version the generator
    was tested with (on a Mac the AppleScript name depends on it; Windows
    does not check).  Licence headers stay intact."""
    import xlwings

    root = Path(xlwings.__file__).parent
    sources = {"xlwings": root / "xlwings.bas", "Dictionary": root / "addin" / "Dictionary.cls"}
    missing = [str(path) for path in sources.values() if not path.is_file()]
    if missing:
        raise FileNotFoundError(f"xlwings {xlwings.__version__} does not ship {missing}")
    return {name: _read_text(path.read_bytes(), str(path)) for name, path in sources.items()}


def default_modules() -> dict[str, str]:
    """Everything a 校验 workbook needs: xlwings (standalone) + the xlbase buttons."""
    return {**xlwings_modules(), **xlbase_modules()}


# ---------------------------------------------------------------------------
# vbaProject.bin
# ---------------------------------------------------------------------------


def _crlf(source: str) -> str:
    """VBA stores CRLF; sources may come from a checkout with LF endings."""
    return source.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")


def _declared_name(source: str) -> str | None:
    """The ``Attribute VB_Name`` of a module source, which the VBE treats as
    the module's real name (not the file name)."""
    for line in source.splitlines():
        if line.startswith("Attribute VB_Name"):
            return line.split("=", 1)[1].strip().strip('"')
    return None


def _is_class(source: str) -> bool:
    return source.lstrip().startswith(_CLASS_PREAMBLE)


def _skeleton_xlsm(path: Path, sheet_names: Sequence[str], workbook_codename: str) -> None:
    """An empty workbook whose code names are the ones the real workbook gets,
    so pyOpenVBA creates matching document modules (it derives them from
    ``codeName`` on ``workbookPr`` and each ``sheetPr``)."""
    skeleton = xlsxwriter.Workbook(str(path))
    skeleton.set_vba_name(workbook_codename)
    for codename in sheet_names:
        skeleton.add_worksheet().set_vba_name(codename)
    skeleton.close()


def build_vba_project(
    modules: Mapping[str, str] | None = None,
    sheet_names: Sequence[str] = ("Sheet1",),
    workbook_codename: str = "ThisWorkbook",
) -> bytes:
    """Return ``vbaProject.bin`` bytes holding ``modules`` plus the document modules.

    ``modules`` maps module name to source text (.bas or .cls export form,
    ASCII, any line endings); ``None`` means :func:`default_modules`.  Order
    is kept.  ``sheet_names`` are the sheets' VBA *code names* in sheet
    order (xlsxwriter's default is Sheet1..SheetN, whatever the tab caption
    is); Excel expects one document module per sheet plus the workbook's.
    Same input gives the same bytes.
    """
    modules = default_modules() if modules is None else modules
    if len({name.casefold() for name in sheet_names}) != len(sheet_names):
        raise ValueError(f"duplicate sheet code names: {list(sheet_names)}")
    with tempfile.TemporaryDirectory(prefix="xlbase_vba_") as tmp:
        skeleton, built = Path(tmp) / "skeleton.xlsm", Path(tmp) / "built.xlsm"
        _skeleton_xlsm(skeleton, sheet_names, workbook_codename)
        with ExcelFile(skeleton) as book:
            project = book.add_vba_project()
            for name, text in modules.items():
                source = _crlf(_read_text(text.encode("utf-8"), f"module {name!r}"))
                declared = _declared_name(source)
                if declared is not None and declared != name:
                    raise ValueError(f"module {name!r} declares Attribute VB_Name = {declared!r}")
                kind = VBAModuleKind.other if _is_class(source) else VBAModuleKind.standard
                project.add_module(name, source, kind=kind)
            book.save(built)
        with zipfile.ZipFile(built) as package:
            return package.read("xl/vbaProject.bin")


# ---------------------------------------------------------------------------
# xlsxwriter helpers
# ---------------------------------------------------------------------------


def add_xlwings_conf_sheet(
    workbook: Workbook, settings: Mapping[str, object] | None = None
) -> Worksheet:
    """Add the hidden ``xlwings.conf`` sheet (key in column A, value in B, from A1).

    ``settings`` defaults to :data:`DEFAULT_XLWINGS_SETTINGS`; a ``None``
    value leaves the key out so the user-level config still applies.  Call
    before :func:`add_macros`: the sheet needs a document module too.
    """
    settings = DEFAULT_XLWINGS_SETTINGS if settings is None else settings
    sheet = workbook.add_worksheet(XLWINGS_CONF_SHEET)
    row = 0
    for key, value in settings.items():
        if value is None:
            continue
        sheet.write_string(row, 0, key)
        if isinstance(value, bool):
            sheet.write_boolean(row, 1, value)
        else:
            sheet.write_string(row, 1, str(value))
        row += 1
    sheet.hide()
    return sheet


def add_macros(workbook: Workbook, modules: Mapping[str, str] | None = None) -> bytes:
    """Attach a generated VBA project to an xlsxwriter workbook; return its bytes.

    Call after every sheet has been added: the project's document modules
    are made for the sheets present now, and their code names are pinned
    here so xlsxwriter writes the same ones.  The workbook file name must end
    in ``.xlsm`` for Excel to load the macros.
    """
    sheets = workbook.worksheets()
    if not sheets:
        raise ValueError("add the worksheets before add_macros()")
    if any(sheet.is_chartsheet for sheet in sheets):
        raise ValueError("chart sheets need a Chart document module, which is not supported")
    for sheet in sheets:
        if sheet.vba_codename is None:
            sheet.set_vba_name()  # Sheet<N>, xlsxwriter's own default
    codename = workbook.vba_codename or "ThisWorkbook"
    workbook.set_vba_name(codename)
    project = build_vba_project(modules, [sheet.vba_codename for sheet in sheets], codename)
    workbook.add_vba_project(io.BytesIO(project), is_stream=True)
    return project


def add_validate_buttons(workbook: Workbook, sheet: Worksheet, python: str | None = None,
                         cell: str = "A2") -> None:
    """What makes a workbook an .xlsm with the 校验 / 清除标记 buttons on `sheet`: the buttons, the hidden
    xlwings.conf sheet (python: the python.exe they run) and the VBA project. Call after every other sheet."""
    insert_validate_button(sheet, cell)
    add_xlwings_conf_sheet(workbook, xlwings_settings(python))
    add_macros(workbook)


def insert_validate_button(
    worksheet: Worksheet,
    cell: str,
    caption: str = "校验",
    macro: str = VALIDATE_MACRO,
    *,
    clear_caption: str | None = "清除标记",
    clear_macro: str = CLEAR_MARKS_MACRO,
    width: int = 80,
    height: int = 28,
) -> None:
    """Put the 校验 button at ``cell`` and, unless ``clear_caption`` is None,
    a 清除标记 button just right of it.

    Captions live in the sheet's VML drawing (UTF-8), not in VBA, so they
    can be Chinese; only the macro names must match the .bas module.
    """
    worksheet.insert_button(
        cell, {"macro": macro, "caption": caption, "width": width, "height": height}
    )
    if clear_caption is not None:
        worksheet.insert_button(
            cell,
            {
                "macro": clear_macro,
                "caption": clear_caption,
                "width": width,
                "height": height,
                "x_offset": width + 8,
            },
        )
