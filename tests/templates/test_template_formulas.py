"""Every formula in the templates is one Excel 2010, WPS and LibreOffice evaluate alike: the committed
templates and every generic programme's (tests/fixtures/every_template.py: a new programme is scanned
without a test edit).

Cell formulas, conditional-format rules, data-validation rules and defined names are listed from the
files' XML; each function must be on the allow-list below with the reason it is safe, and nothing
newer than Excel 2010 may appear (no dynamic arrays, LET, LAMBDA, XLOOKUP, FILTER: Excel writes those
with an _xlfn./_xlws. prefix or as array/spill metadata; no structured table references).
"""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

import pytest

from every_template import TEMPLATE_IDS, template_path

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((REPO / "workbook_templates").glob("*.xls[xm]"))


@pytest.fixture
def path(request, programme_templates) -> Path:
    """A template by its id: a committed file's name, or PROGRAMME/FILE generated for the session."""
    return template_path(request.param, programme_templates)

#: function -> why every office suite computes it the same way
ALLOWED = {
    "SUM": "Excel 1.0 arithmetic; blank and text cells ignored alike in WPS and LibreOffice",
    "COUNTA": "counts non-empty cells; a formula returning \"\" counts in all three, so it is only used on input columns",
    "COUNT": "counts numbers; text and blanks ignored alike",
    "COUNTIF": "Excel 2000; criteria strings compared case-insensitively in all three",
    "COUNTIFS": "Excel 2007; evaluated alike by WPS and LibreOffice",
    "SUMPRODUCT": "Excel 2000; multiplies arrays without array entry (no Ctrl+Shift+Enter) in all three",
    "IF": "core logic", "AND": "core logic", "OR": "core logic", "NOT": "core logic",
    "IFERROR": "Excel 2007; WPS and LibreOffice 4+",
    "ISNUMBER": "core information function", "ISBLANK": "core information function",
    "ISERROR": "core information function", "ISNA": "core information function (MATCH found nothing)",
    "MMULT": "matrix product of numeric arrays (Excel 1.0); inside SUMPRODUCT it takes per-row arrays without "
             "array entry in all three (the 表内检查 counts, recalculated by LibreOffice in the agreement test)",
    "ROW": "row numbers of a range, an array inside SUMPRODUCT (first occurrence of a value with MATCH)",
    "MAX": "largest number of a range (a by-year list's latest row, templates.places); text and blanks ignored alike",
    "ABS": "arithmetic", "MOD": "arithmetic", "ROUND": "arithmetic", "INT": "arithmetic",
    "VLOOKUP": "exact match (FALSE) into the hidden lists sheet; same in all three",
    "MATCH": "exact match (0) into a named list; same in all three",
    "INDEX": "core lookup",
    "INDIRECT": "only in the county dropdown's list source, on a defined name built from MATCH; "
                "Excel, WPS and LibreOffice resolve names alike",
    "LEN": "characters, not bytes, in all three (LENB would differ)",
    "LEFT": "characters", "RIGHT": "characters", "MID": "characters",
    "FIND": "case-sensitive position of a character, same in all three",
    "SUBSTITUTE": "text replacement", "TRIM": "removes spaces alike", "UPPER": "ASCII letters",
    "LOWER": "ASCII letters (a unit word typed as KM or M2, templates.numbers); Chinese characters unchanged",
    "REPT": "a text repeated (zeros padding a number's digits so MID never starts before it, templates.numbers)",
    "DATE": "date serials from 1900 (LibreOffice reads xlsx with the 1899-12-30 epoch like Excel)",
    "YEAR": "date parts", "MONTH": "date parts", "DAY": "date parts",
    "EDATE": "built into Excel since 2007 (Analysis ToolPak before), WPS and LibreOffice",
    "AVERAGE": "arithmetic mean, blanks ignored alike",
    "SIGN": "arithmetic (1 where a sum of flags is positive), element-wise inside SUMPRODUCT",
    "ASC": "full-width ASCII to ASCII (ｙｅｓ, Ａ类, （ ), as NFKC reads it. Excel: since Excel 2000 (support.microsoft.com "
           "ASC function: full-width to half-width in double-byte languages — a Chinese Excel); WPS: its ET object model "
           "documents WorksheetFunction.Asc alike (airsheet.wps.cn); LibreOffice: computes it in every locale, measured "
           "in test_template_choice_folding (also 。、 to ｡､ and ‘ to `, which the sheet drops alike). Where it changes "
           "nothing (a Western Excel) a full-width letter is a character the sheet cannot fold: 请核实, never 不符合 "
           "(templates.checks.unfolded)",
    "CHAR": "CHAR(9), CHAR(10), CHAR(13): the tab, line feed and carriage return a typed text may hold",
    "LOOKUP": "only as LOOKUP(1,0/(condition),result): the last row where the condition holds, the idiom "
              "Excel, WPS and LibreOffice evaluate without array entry (templates.sizes)",
}

#: Excel's limits (Excel 2007 and later; WPS keeps Excel's): a longer or deeper formula is refused on load
MAX_FORMULA_CHARS = 8192
MAX_NESTING = 64
MAX_VALIDATION_CHARS = 255    # a data-validation formula (Excel's dialog and its file limit)

#: what Excel 2010, WPS or LibreOffice would not evaluate the same way
FORBIDDEN = {
    "_xlfn.": "a function newer than Excel 2010 (XLOOKUP, FILTER, LET, LAMBDA, …)",
    "_xlws.": "a worksheet function newer than Excel 2010 (FILTER, SORT)",
    "_xlpm.": "a LAMBDA/LET parameter",
    "[#": "a structured table reference",
    "#": "a spill reference or a literal error",
}

_TAGS = ("f", "formula", "formula1", "formula2", "xm:f", "definedName")


def formulas(path: Path) -> list[tuple[str, str]]:
    """(part, formula) for every formula the workbook holds."""
    out = []
    with zipfile.ZipFile(path) as z:
        for part in z.namelist():
            if not part.endswith(".xml"):
                continue
            xml = z.read(part).decode("utf-8")
            for tag in _TAGS:
                for text in re.findall(rf"<{tag}(?: [^>]*)?>([^<]*)</{tag}>", xml):
                    out.append((part, html.unescape(text)))
    return out


def _strip_strings(formula: str) -> str:
    """The formula without its string literals (a "（未填）" is no function call)."""
    return re.sub(r'"[^"]*"', '""', formula)


def functions(formula: str) -> set[str]:
    return set(re.findall(r"(?<![A-Za-z0-9_.$'])([A-Za-z_][A-Za-z0-9_.]*)\(", _strip_strings(formula)))


def test_the_programmes_templates_are_scanned_too():
    from every_template import generic_programmes
    assert {"hengyang-2023", "taiyuan-2023"} <= set(generic_programmes())
    assert {i.split("/")[0] for i in TEMPLATE_IDS if "/" in i} == set(generic_programmes())


def test_the_committed_templates_are_there():
    assert {p.name for p in TEMPLATES} >= {"双创基地申报表.xlsx", "双创基地申报表.xlsm",
                                         "附件11_基本情况汇总表.xlsx", "附件11_基本情况汇总表.xlsm"}


@pytest.mark.parametrize("path", TEMPLATE_IDS, indirect=True)
def test_every_function_is_allowed(path):
    found = formulas(path)
    assert len(found) > 20, path.name                  # the checks, totals and dropdowns are there
    unknown = sorted({(fn, f) for part, f in found for fn in functions(f) if fn.upper() not in ALLOWED})
    assert not unknown, "\n".join(f"{fn}: {f}" for fn, f in unknown)


@pytest.mark.parametrize("path", TEMPLATE_IDS, indirect=True)
def test_nothing_newer_than_excel_2010(path):
    for part, f in formulas(path):
        plain = _strip_strings(f)
        for mark, why in FORBIDDEN.items():
            assert mark not in plain, (part, f, why)
    with zipfile.ZipFile(path) as z:
        assert "xl/metadata.xml" not in z.namelist()      # dynamic-array (spill) cell metadata
        for part in z.namelist():
            if part.startswith("xl/worksheets/") and part.endswith(".xml"):
                xml = z.read(part).decode("utf-8")
                assert 't="array"' not in xml, part       # Ctrl+Shift+Enter arrays: WPS and LO differ
                assert not re.search(r'<c [^>]*\bcm="', xml), part


def _depth(formula: str) -> int:
    depth = most = 0
    for ch in _strip_strings(formula):
        depth += (ch == "(") - (ch == ")")
        most = max(most, depth)
    return most


def _conditions(path: Path, tag: str) -> list[tuple[str, str]]:
    """(part, formula) of one kind: "formula" (conditional formats) or "formula1"/"formula2" (validations)."""
    out = []
    with zipfile.ZipFile(path) as z:
        for part in z.namelist():
            if part.startswith("xl/worksheets/") and part.endswith(".xml"):
                xml = z.read(part).decode("utf-8")
                out += [(part, html.unescape(t)) for t in re.findall(rf"<{tag}(?: [^>]*)?>([^<]*)</{tag}>", xml)]
    return out


@pytest.mark.parametrize("path", TEMPLATE_IDS, indirect=True)
def test_every_formula_is_within_excels_limits(path):
    """Excel (and WPS) refuse a formula over 8192 characters or 64 nested calls, and a data-validation
    formula over 255 characters; LibreOffice would compute them, so only this test sees it."""
    for part, f in formulas(path):
        assert len(f) <= MAX_FORMULA_CHARS, (part, len(f), f[:200])
        assert _depth(f) <= MAX_NESTING, (part, _depth(f), f[:200])
    for tag in ("formula1", "formula2"):
        for part, f in _conditions(path, tag):
            assert len(f) <= MAX_VALIDATION_CHARS, (part, len(f), f)


def _other_sheets(formula: str) -> list[str]:
    return re.findall(r"(?:'(?:[^']|'')+'|[A-Za-z_][\w.]*)!\$?[A-Z]{1,3}\$?\d+", _strip_strings(formula))


@pytest.mark.parametrize("path", TEMPLATE_IDS, indirect=True)
def test_conditions_reach_other_sheets_by_name(path):
    """Excel 2007, and WPS versions built like it, refuse a conditional-format or data-validation formula
    referring to another sheet; a defined name is the way every suite accepts (templates.conditions)."""
    for tag in ("formula", "formula1", "formula2"):
        for part, f in _conditions(path, tag):
            assert not _other_sheets(f), (part, f)


def test_the_checker_finds_what_it_must_refuse():
    """The listing is no blind spot: newer functions and structured references are caught."""
    assert functions('=_xlfn.XLOOKUP(A1,B:B,C:C)') == {"_xlfn.XLOOKUP"}
    assert functions('=IF(A1="SUM(",1,LET(x,1,x))') == {"IF", "LET"}
    assert "LET" not in ALLOWED and "_xlfn.XLOOKUP" not in ALLOWED and "FILTER" not in ALLOWED
    assert "[#" in FORBIDDEN and any(m in "=SUM(Table1[#Data])" for m in FORBIDDEN)
    assert _other_sheets("AND(ISNUMBER('附件10'!$G$5),xl_dates!$T6=\"x!A1\")") == ["'附件10'!$G$5", "xl_dates!$T6"]
    assert _depth('IF(A1="((",SUM((1)),0)') == 3
