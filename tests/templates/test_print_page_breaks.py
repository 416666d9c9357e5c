"""No printed page of any programme's templates holds only a header, a note or one line: every page that continues
a sheet (one not opening with a sheet's title) prints at least two ruled rows of its own under the header rows it
repeats — measured in the PDF LibreOffice prints (tests/fixtures/pdf_pages.rows_of_its_own: the rules drawn on the
rendered page), blank and filled, the applicant's workbook and the 汇总表, for every shipped programme
(`xlbase programmes`), so a new programme is checked without a test edit.

Found so: 太原's blank 服务企业名单 printed its 上一年度共服务企业 line alone under the repeated header on a page
of its own; Shanxi's 表内检查 printed its 21st rule alone with the note on its second page."""

from __future__ import annotations

import random
import re
import warnings
from pathlib import Path

import openpyxl
import pytest

from conftest import soffice_convert_all
from pdf_pages import rows_of_its_own
from xlbase.forms.programmes import list_programmes, load_programme

pytestmark = [pytest.mark.libreoffice, pytest.mark.filterwarnings("ignore:Print area cannot be set")]

MIN_ROWS = 2       # a page continuing a sheet with fewer ruled rows of its own holds a header, a note or one line
PROGRAMMES = list_programmes()
KINDS = ("blank", "filled", "summary")


def _cli_templates(name: str, out: Path) -> list[Path]:
    from programme_inbox import make_templates
    return sorted(make_templates(name, out).glob("*.xlsx"))


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[tuple[str, str], tuple[Path, Path]]:
    """(programme, kind) -> (workbook, its PDF), all printed in one LibreOffice run: the templates `xlbase
    templates --programme` writes, and the applicant's filled — a generic programme's with its clean case
    (tests/programmes/cases), Shanxi's forms with a base of 40 firms (past 附件3's ruled block)."""
    from programme_inbox import fill, load_cases
    from template_clerk import base_for
    from xlbase.templates.programme import applicant_name, summary_name
    from xlbase.templates.workbooks import write_applicant_workbook
    d = tmp_path_factory.mktemp("page_breaks")
    cases = {c.name: c for c in load_cases()}
    sources: dict[tuple[str, str], Path] = {}
    shanxi_filled: Path | None = None
    for name in PROGRAMMES:
        p = load_programme(name)
        made = _cli_templates(name, d / name)
        applicant = next(x for x in made if x.stem == (applicant_name(p) if p.generic else "双创基地申报表"))
        summary = next(x for x in made if x != applicant)
        assert not p.generic or summary.stem == summary_name(p)
        sources[(name, "blank")], sources[(name, "summary")] = applicant, summary
        filled = d / f"{name}_filled.xlsx"
        if p.generic:
            fill(applicant, filled, p, cases[name].answers({}) if name in cases else {}, "晋阳科创")
        elif shanxi_filled is None:   # the same workbook for every programme of Shanxi's forms: written, printed once
            base, _, comps = base_for(40)
            from sample_generator import GEN
            firms = GEN.firms_for(random.Random(14), 40, "忻府区")
            shanxi_filled = write_applicant_workbook(filled, base=base, firms=firms, comparables=comps, year=2024)
        sources[(name, "filled")] = filled if p.generic else shanxi_filled
    unique = list(dict.fromkeys(sources.values()))
    pdf_of = dict(zip(unique, soffice_convert_all(unique, "pdf", d / "pdf", timeout=900)))
    return {k: (src, pdf_of[src]) for k, src in sources.items()}


def _titles(xlsx: Path) -> set[str]:
    """The first text of each sheet's first row (its title, as printed), without spaces."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(xlsx, read_only=True)
    out = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows(min_row=1, max_row=1, values_only=True):
            first = next((v for v in row if v not in (None, "")), None)
            if first is not None:
                out.add(str(first).replace(" ", "").replace("\n", ""))
    return out


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("programme", PROGRAMMES)
def test_no_page_holds_only_a_header_a_note_or_one_line(printed, programme, kind):
    xlsx, pdf = printed[(programme, kind)]
    for page, rows, own in rows_of_its_own(pdf, _titles(xlsx)):
        assert rows >= MIN_ROWS, (programme, kind, page, rows, own[:4])


def _rows_book(path: Path, n: int) -> Path:
    """A ruled list of `n` numbered rows under a title and a header repeated on every page."""
    import xlsxwriter
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("表")
    ruled = wb.add_format({"border": 1})
    ws.merge_range(0, 0, 0, 3, "标题", wb.add_format({"bold": True, "align": "center"}))
    for c in range(4):
        ws.write_string(1, c, f"栏目{c}", ruled)
    for r in range(n):
        for c in range(4):
            ws.write_string(2 + r, c, f"第{r + 1}行" if c == 0 else "", ruled)
    ws.set_column(0, 3, 30)
    ws.set_landscape()
    ws.set_paper(9)
    ws.repeat_rows(1, 1)
    ws.fit_to_pages(1, 0)
    wb.close()
    return path


def test_the_measure_sees_a_lone_line(tmp_path):
    """The measure itself: a list whose last row falls alone on a page under its repeated header is caught; one
    leaving several rows on its last page passes. (How many rows a page holds is read from a first print.)"""
    from conftest import soffice_convert
    from pdf_pages import page_texts
    probe = soffice_convert(_rows_book(tmp_path / "probe.xlsx", 120), "pdf", tmp_path / "probe")
    first = max(int(n) for n in re.findall(r"第(\d+)行", page_texts(probe, 1)[0]))
    found = {}
    for n in range(first + 1, first + 4):       # the first list that spills onto a second page spills one row
        pdf = soffice_convert(_rows_book(tmp_path / f"rows{n}.xlsx", n), "pdf", tmp_path / f"pdf{n}")
        found[n] = [rows for _, rows, _ in rows_of_its_own(pdf, {"标题"})]
        if found[n]:
            break
    assert found[n] == [1], found
    pdf = soffice_convert(_rows_book(tmp_path / "more.xlsx", n + 5), "pdf", tmp_path / "more")
    assert [rows for _, rows, _ in rows_of_its_own(pdf, {"标题"})] == [6]


def _sheets(xlsx: Path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return openpyxl.load_workbook(xlsx).worksheets


def _printed_widths(ws) -> list[float]:
    """The widths asked for of the columns a sheet prints (its print area's; without xlsxwriter's padding)."""
    from openpyxl.utils import column_index_from_string
    last = column_index_from_string(re.search(r":\$?([A-Z]+)", str(ws.print_area)).group(1))
    widths = {c: d.width - 5 / 7 for d in ws.column_dimensions.values() if d.width
              for c in range(d.min, d.max + 1)}
    return [widths[c] for c in range(1, last + 1)]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("programme", PROGRAMMES)
def test_manual_breaks_hold_in_excel_too(printed, programme, kind):
    """Excel (and WPS) ignore manual page breaks on a sheet set to fit to page: a sheet with breaks (the 表内检查's
    balanced pages, a form's sheet keeping a table whole) has none of fitToPage and an explicit scale — the one at
    which its columns print one page wide in LibreOffice's wider layout too (printing.print_scale), keeping 10-point
    text at 7 pt or more."""
    from xlbase.templates.printing import MIN_SCALE, print_scale
    xlsx, _ = printed[(programme, kind)]
    for ws in _sheets(xlsx):
        if not ws.row_breaks.brk:
            continue
        assert not ws.sheet_properties.pageSetUpPr.fitToPage, (programme, kind, ws.title)
        assert ws.page_setup.scale, (programme, kind, ws.title)
        # at most the scale that prints the columns one page wide (a form whose last page would hold a few lines
        # prints a little smaller: templates.programme), never below MIN_SCALE
        assert MIN_SCALE <= int(ws.page_setup.scale) <= print_scale(_printed_widths(ws)), (programme, kind, ws.title)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("programme", PROGRAMMES)
def test_a_scaled_sheet_prints_its_columns_on_one_page_width(printed, programme, kind, box_per_pt):
    """The 表内检查 printed by LibreOffice at its explicit scale: as many pages as its manual breaks make (no column
    spilt onto pages of its own), each with the whole header (序号 … 规则编号) and no text under 7 pt."""
    from pdf_pages import page_texts, page_sizes, words
    from xlbase.templates.check_sheet import CHECK_SHEET
    xlsx, pdf = printed[(programme, kind)]
    breaks = sum(len(ws.row_breaks.brk) for ws in _sheets(xlsx) if ws.title == CHECK_SHEET)
    if not breaks:
        return
    texts = page_texts(pdf, len(page_sizes(pdf)))
    pages = [i for i, t in enumerate(texts, start=1) if "检查项目" in t.replace(" ", "")]
    assert len(pages) == breaks + 1, (programme, kind, pages, breaks)
    for i in pages:
        flat = texts[i - 1].replace(" ", "")
        assert "序号" in flat and "规则编号" in flat, (programme, kind, i)
        small = min(words(pdf, i), key=lambda w: w[3] - w[1])
        assert (small[3] - small[1]) / box_per_pt >= 7.0, (programme, kind, i, small)
