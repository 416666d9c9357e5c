"""Every formula of the templates computes in LibreOffice: the committed templates and every generic
programme's (tests/fixtures/every_template.py) blank, and templates pre-filled by the code or typed by a
clerk with a programme's case answers, recalculated in full on load (not the results the writer cached), leave no error
value (#NAME?, #VALUE!, #REF!, #DIV/0!, #N/A …, LibreOffice's Err:5xx saved as one of these) in any formula
cell of any sheet, hidden ones included. A function LibreOffice lacks, or an argument it reads otherwise,
shows here before a clerk sees it."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from conftest import formula_errors, soffice_convert, soffice_convert_all
from every_template import TEMPLATE_IDS, generic_programmes, template_path
from saved_values import sheet_formulas, sheet_names, sheet_values


# openpyxl cannot keep the whole-column print area of 附件3 (it warns; the scan does not need it)
pytestmark = [pytest.mark.libreoffice, pytest.mark.filterwarnings("ignore:Print area cannot be set")]


def count_formulas(path: Path) -> int:
    return sum(len(sheet_formulas(path, sheet, keep=False)) for sheet in sheet_names(path))


def _filled(d: Path) -> list[Path]:
    """An applicant's workbook pre-filled with generated data (past the ruled block of 附件3) and a 附件11
    of three bases, as `xlbase templates` would write them for a clerk."""
    from sample_generator import GEN
    from xlbase.templates.workbooks import write_applicant_workbook, write_summary_workbook
    rng = random.Random(6)
    firms = GEN.firms_for(rng, 60, "原平市")
    base = GEN.base_record(rng, county="原平市", short="同川", operator="原平同川企业管理有限公司",
                           base_type="工业园区型", firms=firms)
    a = write_applicant_workbook(d / "filled_申报表.xlsx", base=base, firms=firms,
                                 comparables=GEN.comparables(rng, "原平市"), year=2024)
    s = write_summary_workbook(d / "filled_汇总表.xlsx", year=2024, rows=[
        dict(base, base_name=f"{base['base_name'][:-4]}{i}号双创基地") for i in range(3)])
    return [a, s]


def _programme_filled(d: Path, programme_root: Path) -> dict[str, Path]:
    """Each programme's applicant workbook typed with its case file's clean answers (tests/programmes/cases),
    as a clerk fills it: "PROGRAMME/filled"."""
    from programme_inbox import fill, load_cases
    from xlbase.templates.programme import applicant_name
    out = {}
    for case in load_cases():
        if case.name not in generic_programmes():
            continue
        template = programme_root / case.name / f"{applicant_name(case.programme)}.xlsx"
        out[f"{case.name}/filled"] = d / f"{case.name}_filled.xlsx"
        fill(template, out[f"{case.name}/filled"], case.programme, case.answers({}), "填报单位")
    return out


BLANK_NAMES = TEMPLATE_IDS          # the committed templates and every generic programme's
FILLED_NAMES = ["filled_申报表.xlsx", "filled_汇总表.xlsx"] + [f"{name}/filled" for name in generic_programmes()]


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory, programme_templates) -> dict[str, tuple[Path, Path]]:
    """name -> (the workbook, as LibreOffice saved it after recalculating every formula): the templates
    blank and pre-filled ones, in one LibreOffice run."""
    d = tmp_path_factory.mktemp("recalc")
    sources = {}
    for name in BLANK_NAMES:        # .xlsx and .xlsm of one stem would convert to one name
        path = Path(name)
        sources[name] = d / f"{str(path.with_suffix('')).replace('/', '_')}_{path.suffix[1:]}{path.suffix}"
        shutil.copyfile(template_path(name, programme_templates), sources[name])
    sources.update(zip(FILLED_NAMES[:2], _filled(d)))
    sources.update(_programme_filled(d, programme_templates))
    done = soffice_convert_all(list(sources.values()), "xlsx", d / "lo", timeout=600, recalc=True)
    return {name: (src, out) for (name, src), out in zip(sources.items(), done)}


@pytest.mark.parametrize("name", BLANK_NAMES + FILLED_NAMES)
def test_templates_recalculate_without_errors(name, recalculated):
    src, out = recalculated[name]
    assert count_formulas(src) > 0
    assert formula_errors(out, src) == []


def test_the_scan_sees_an_error_libreoffice_computes(tmp_path):
    """The scan is no test that cannot fail: a formula with a cached 0 that LibreOffice computes as an
    error, and a function it does not know, are both found."""
    import xlsxwriter
    src = tmp_path / "bad.xlsx"
    wb = xlsxwriter.Workbook(src)
    ws = wb.add_worksheet("表")
    ws.write_formula("A1", "=1/0", None, 0)
    ws.write_formula("A2", "=NOSUCHFUNCTION(1)", None, 0)
    ws.write_formula("A3", "=1+1", None, 2)
    wb.close()
    out = soffice_convert(src, "xlsx", tmp_path / "lo", recalc=True)
    assert formula_errors(out, src) == ["表!A1: #DIV/0!", "表!A2: #NAME?"]


def _value(v):
    """A cell's value for comparison: blank and "" alike, numbers rounded."""
    if v is None:
        return ""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return round(float(v), 9)
    return v


@pytest.mark.parametrize("name", BLANK_NAMES)
def test_a_blank_template_caches_what_libreoffice_computes(name, recalculated):
    """A viewer that shows the results cached in the file (WPS and LibreOffice may, before recalculating)
    shows on a blank template exactly what a full recalculation gives: every formula cell of every sheet,
    hidden ones included — no stale 0 or 通过 on a printed blank form — and the file asks every suite to
    recalculate on load."""
    import zipfile
    src, out = recalculated[name]
    with zipfile.ZipFile(src) as z:
        assert 'fullCalcOnLoad="1"' in z.read("xl/workbook.xml").decode("utf-8")
    stale = []
    for sheet in sheet_names(src):
        cached, computed = sheet_values(src, sheet, keep=False), sheet_values(out, sheet, keep=False)
        stale += [(sheet, at, cached.cell(*at), computed.cell(*at))
                  for at in sorted(sheet_formulas(src, sheet, keep=False))
                  if _value(cached.cell(*at)) != _value(computed.cell(*at))]
    assert not stale, stale[:10]
