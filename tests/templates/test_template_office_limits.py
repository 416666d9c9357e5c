"""Every template keeps to the limits Excel 2010 enforces on load (and WPS, which copies Excel's file
format and dialogs, is expected to enforce alike): what LibreOffice computes anyway, so that no
recalculation test sees it. WPS cannot be run here; each limit below is documented for Excel, with its
source, and checked on the committed templates and every programme's (tests/fixtures/every_template.py).
test_template_formulas.py holds the function allow-list, formula length and nesting, the 255-character
validation formula and the cross-sheet rule of conditional formats; this file holds the rest.

Sources (read 2026-12-06):
- Excel specifications and limits, as restated by Aspose ("Excel specifications and limits",
  docs.aspose.com/cells/net/excel-specifications-and-limits): 32,767 characters in a cell, 253 line feeds
  per cell, 255 characters in a header or footer, 64,000 unique cell formats in Excel 2010 (65,490 later).
- String constants in a formula: at most 255 characters; Excel refuses a longer one (DevExpress,
  SpreadsheetCompatibilityOptions.TruncateLongStringsInFormulas, "Microsoft Excel does not allow users to
  create formulas that contain string constants longer than 255 characters").
- Arguments of one function: at most 255 (Excel specifications "Arguments in a function: 255"; DevExpress
  TdxSpreadSheetCustomFormula.Validate refuses "more than 254 parameters" after the function's first).
- Defined names (MS-XLSB 2.5.166 XLNameWideString; Microsoft KB Q111393 "Some Names Are Reserved, Can't Be
  Used as Defined Names"): at most 255 characters; a letter, _ or \\ first, then letters, digits, _ . ? \\;
  not TRUE/FALSE; not an A1 cell reference (A1..XFD1048576) and not beginning with an R1C1 one (R, C, RC,
  R1C1, C2…); not one of the names Excel gives a purpose (Print_Area, Database, Criteria, Extract,
  Auto_Open, …: MS-XLS 2.5.198.98 RevLblName) unless written as a built-in (_xlnm.); unique per scope,
  upper and lower case alike.
- Data validation (MS-OI29500 2.1.613, Office's limits on dataValidation): prompt at most 255 characters,
  promptTitle and errorTitle at most 32, error at most 224, sqref at most 32,767 references. Excel's
  dialog refuses a list source that is not a delimited list or a reference to a single row or column
  ("The list source must be a delimited list, or a reference to single row or column").
- Sheet names: at most 31 characters, none of : \\ / ? * [ ], no apostrophe first or last, unique, and not
  "History", which Excel reserves (Bizzdesign knowledge base, "Limitations on names of Excel mappings",
  applying to Excel 2007–2016).
"""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

import pytest

from every_template import TEMPLATE_IDS, template_path
from test_template_formulas import ALLOWED, formulas

MAX_CELL_CHARS = 32767
MAX_LINE_FEEDS = 253
MAX_HEADER_CHARS = 255
MAX_CELL_FORMATS = 64000             # Excel 2010
MAX_STRING_CONSTANT = 255
MAX_ARGUMENTS = 255
MAX_NAME_CHARS = 255
MAX_PROMPT, MAX_PROMPT_TITLE, MAX_ERROR, MAX_ERROR_TITLE = 255, 32, 224, 32
MAX_SQREF_REFS = 32767
MAX_SHEET_NAME = 31
RESERVED_NAMES = {"consolidate_area", "auto_open", "auto_close", "extract", "database", "criteria",
                  "print_area", "print_titles", "recorder", "data_form", "auto_activate", "auto_deactivate",
                  "sheet_title", "_filterdatabase"}
RESERVED_SHEETS = {"history"}


@pytest.fixture
def path(request, programme_templates) -> Path:
    return template_path(request.param, programme_templates)


def _parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")}


def string_constants(formula: str) -> list[str]:
    return [s.replace('""', '"') for s in re.findall(r'"((?:[^"]|"")*)"', formula)]


def argument_counts(formula: str) -> list[tuple[str, int]]:
    """(function, number of arguments) of every call in the formula (string literals left out)."""
    plain = re.sub(r'"(?:[^"]|"")*"', '""', formula)
    out: list[tuple[str, int]] = []
    stack: list[list] = []          # [function or None, commas, anything inside]
    for m in re.finditer(r"([A-Za-z_][A-Za-z0-9_.]*)?\(|\)|,|[^(),]", plain):
        tok = m.group(0)
        if tok.endswith("("):
            stack.append([m.group(1), 0, False])
        elif tok == ")":
            fn, commas, inside = stack.pop()
            if fn:
                out.append((fn, commas + 1 if inside or commas else 0))
            if stack:
                stack[-1][2] = True
        elif tok == ",":
            if stack:
                stack[-1][1] += 1
        elif stack and not tok.isspace():
            stack[-1][2] = True
    return out


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def name_problem(name: str) -> str | None:
    """Why Excel would refuse or misread a defined name, or None."""
    if name.lower().startswith("_xlnm."):
        return None                     # a built-in (Print_Area, Print_Titles, _FilterDatabase), as Excel writes it
    if not name or len(name) > MAX_NAME_CHARS:
        return "length"
    if not re.fullmatch(r"[A-Za-z_\\\u0080-\U0010ffff][A-Za-z0-9_.?\\\u0080-\U0010ffff]*", name):
        return "characters"
    if name.upper() in ("TRUE", "FALSE"):
        return "a logical value"
    a1 = re.fullmatch(r"([A-Za-z]{1,3})(\d+)", name)
    if a1 and _column_number(a1.group(1)) <= 16384 and 1 <= int(a1.group(2)) <= 1048576:
        return "an A1 cell reference"
    if re.fullmatch(r"(?i)r\d*c?\d*|c\d*", name) or re.match(r"(?i)[rc]\d", name):
        return "an R1C1 reference"
    if name.lower() in RESERVED_NAMES:
        return "a name Excel reserves"
    if name.upper() in ALLOWED:
        return "a worksheet function's name"
    return None


def sheet_name_problem(name: str) -> str | None:
    if not name or len(name) > MAX_SHEET_NAME:
        return "length"
    if re.search(r"[:\\/?*\[\]]", name):
        return "characters"
    if name.startswith("'") or name.endswith("'"):
        return "apostrophe"
    if name.lower() in RESERVED_SHEETS:
        return "reserved"
    return None


@pytest.mark.parametrize("path", TEMPLATE_IDS, indirect=True)
def test_formulas_keep_excels_string_and_argument_limits(path):
    for part, f in formulas(path):
        for s in string_constants(f):
            assert len(s) <= MAX_STRING_CONSTANT, (part, len(s), s[:80])
        for fn, n in argument_counts(f):
            assert n <= MAX_ARGUMENTS, (part, fn, n, f[:120])


@pytest.mark.parametrize("path", TEMPLATE_IDS, indirect=True)
def test_defined_names_are_names_excel_accepts(path):
    xml = _parts(path)["xl/workbook.xml"]
    names = []
    for attrs in re.findall(r"<definedName ([^>]*)>", xml):
        name = html.unescape(re.search(r'\bname="([^"]*)"', attrs).group(1))
        scope = (re.search(r'\blocalSheetId="(\d+)"', attrs) or [None, ""])[1]
        names.append((name, scope))
    assert names, path.name
    bad = [(n, why) for n, _ in names if (why := name_problem(n))]
    assert not bad, bad
    seen = [(n.lower(), scope) for n, scope in names]
    assert len(seen) == len(set(seen)), sorted({s for s in seen if seen.count(s) > 1})


@pytest.mark.parametrize("path", TEMPLATE_IDS, indirect=True)
def test_sheet_names_are_names_excel_accepts(path):
    xml = _parts(path)["xl/workbook.xml"]
    sheets = [html.unescape(s) for s in re.findall(r'<sheet [^>]*\bname="([^"]*)"', xml)]
    assert sheets
    assert not [(s, why) for s in sheets if (why := sheet_name_problem(s))]
    assert len({s.lower() for s in sheets}) == len(sheets)


def _defined(xml: str) -> dict[str, str]:
    return {html.unescape(n): html.unescape(v) for n, v in
            re.findall(r'<definedName [^>]*\bname="([^"]*)"[^>]*>([^<]*)</definedName>', xml)}


def _single_line(ref: str) -> bool:
    """A range of one row or one column ('sheet'!$A$2:$A$9), or one cell."""
    m = re.fullmatch(r"(?:(?:'(?:[^']|'')+'|[^!]+)!)?\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?", ref)
    return bool(m) and (m.group(3) is None or m.group(1) == m.group(3) or m.group(2) == m.group(4))


@pytest.mark.parametrize("path", TEMPLATE_IDS, indirect=True)
def test_data_validations_keep_excels_limits(path):
    parts = _parts(path)
    names = _defined(parts["xl/workbook.xml"])
    checked = 0
    for part, xml in parts.items():
        if not part.startswith("xl/worksheets/"):
            continue
        for attrs, body in re.findall(r"<dataValidation ([^>]*)>(.*?)</dataValidation>", xml, re.S):
            got = {k: html.unescape(v) for k, v in re.findall(r'\b(\w+)="([^"]*)"', attrs)}
            for key, most in (("prompt", MAX_PROMPT), ("promptTitle", MAX_PROMPT_TITLE), ("error", MAX_ERROR),
                              ("errorTitle", MAX_ERROR_TITLE)):
                assert len(got.get(key, "")) <= most, (part, key, len(got[key]), got[key])
            assert len(got["sqref"].split()) <= MAX_SQREF_REFS, (part, len(got["sqref"].split()))
            if got.get("type") == "list":
                source = html.unescape(re.search(r"<formula1>([^<]*)</formula1>", body).group(1))
                if not source.startswith('"'):        # an inline list: test_template_formulas checks its 255
                    target = names.get(source, source)
                    assert target.startswith("INDIRECT(") or _single_line(target), (part, source, target)
            checked += 1
    assert checked, path.name


@pytest.mark.parametrize("path", TEMPLATE_IDS, indirect=True)
def test_cells_headers_and_styles_keep_excels_limits(path):
    parts = _parts(path)
    texts = [html.unescape(t) for t in re.findall(r"<t(?: [^>]*)?>([^<]*)</t>", parts.get("xl/sharedStrings.xml", ""))]
    for part, xml in parts.items():
        if part.startswith("xl/worksheets/"):
            texts += [html.unescape(t) for t in re.findall(r"<is><t(?: [^>]*)?>([^<]*)</t></is>", xml)]
            for tag in ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter"):
                for hf in re.findall(rf"<{tag}>([^<]*)</{tag}>", xml):
                    assert len(html.unescape(hf)) <= MAX_HEADER_CHARS, (part, tag, hf[:80])
    assert texts
    for t in texts:
        assert len(t) <= MAX_CELL_CHARS and t.count("\n") <= MAX_LINE_FEEDS, (len(t), t[:80])
    xfs = re.search(r'<cellXfs count="(\d+)"', parts["xl/styles.xml"])
    assert xfs and int(xfs.group(1)) <= MAX_CELL_FORMATS


def test_the_checks_find_what_excel_refuses():
    """Each check refuses its documented counter-example and lets the templates' own shapes through."""
    assert string_constants('IF(A1="a""b",1,"' + "x" * 256 + '")') == ['a"b', "x" * 256]
    assert ("SUM", 300) in argument_counts("SUM(" + ",".join(["A1"] * 300) + ")")
    assert argument_counts('IF(ROW()=1,"a,b",SUM((A1),B1))') == [("ROW", 0), ("SUM", 2), ("IF", 3)]
    for bad in ("A1", "xfd1048576", "R", "c", "RC", "R1C1", "R2_x", "C7", "TRUE", "Print_Area", "Database",
                "1abc", "a b", "SUM", "x" * 256):
        assert name_problem(bad), bad
    for good in ("xl_thr_resident_firms", "xl_num1_value", "XFE1", "A1048577", "_xlnm.Print_Titles", "rc_x",
                 "区县列表"):
        assert name_problem(good) is None, good
    for bad in ("History", "a/b", "x" * 32, "'q"):
        assert sheet_name_problem(bad), bad
    assert sheet_name_problem("附件3") is None and sheet_name_problem("xl_dates") is None
    assert _single_line("lists!$A$2:$A$9") and _single_line("'区 县'!$C$2:$H$2") and not _single_line("lists!$A$2:$B$9")
