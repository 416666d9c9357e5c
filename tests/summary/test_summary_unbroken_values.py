"""Every programme's merged 汇总表, printed by LibreOffice, shows each date, phone number and credit code whole on
one line, and no text under 7 pt: a value with no place to break it gets a column as wide as it is
(templates.table.UNBROKEN_CHARS) — 太原's 联系电话, narrowed like a number, printed as "0351-" / "202023" / "8".
Measured in the PDF (pdftotext's lines and word boxes), of the 汇总表 and 入驻企业 sheets a round's merge writes:
a generic programme's three applicants filled from its clean case (tests/programmes/cases), Shanxi's forms from the
bundled county inbox (samples/generate.py) and 聊城's typed inbox (tests/fixtures/typed_places_inbox.py).

Every line those sheets print — title, 填报单位 and unit lines, header rows, data rows, 汇总 — is 7 pt or more, for
every programme (test_every_line_prints_at_7pt). Shanxi's merged 附件11, sized by its content (names up to 14
characters wide: summary.workbook.a11_widths), printed every line but its title at 6.3 pt in LibreOffice; its
official columns are now no wider than the paper form's (templates.table.printed_sizes) unless a number needs it."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import warnings
from pathlib import Path

import openpyxl
import pytest

from conftest import soffice_convert_all
from pdf_pages import line_sizes, lines, page_sizes
from xlbase import sheet_names
from xlbase.forms.programmes import list_programmes, load_programme

pytestmark = pytest.mark.libreoffice

PROGRAMMES = list_programmes()
#: what a date, a phone or a credit code looks like as a merged sheet shows it
UNBROKEN = re.compile(r"^(\d{4}-\d{2}-\d{2}|0\d{2,3}-\d{7,8}|1\d{10}|[0-9A-HJ-NPQRTUWXY]{18})$")
NAMES = ("甲单位服务中心", "乙单位服务中心", "丙单位服务中心")


@pytest.fixture(scope="module")
def merged(tmp_path_factory, generated_counties, liaocheng_inbox) -> dict[str, tuple[Path, Path]]:
    """programme -> (its merged 汇总表, the PDF LibreOffice prints of it), all printed in one run."""
    from programme_inbox import fill, load_cases, make_templates, xlbase
    d = tmp_path_factory.mktemp("unbroken")
    cases = {c.name: c for c in load_cases()}
    books = {}
    for name in PROGRAMMES:
        p = load_programme(name)
        inbox = d / name / "收件"
        if p.generic:
            templates = make_templates(name, d / name / "templates")
            inbox.mkdir(parents=True)
            for n in NAMES:
                fill(templates / cases[name].applicant_file, inbox / f"{n}.xlsx", p, cases[name].answers(), n)
        else:
            shutil.copytree({"liaocheng-2021": liaocheng_inbox}.get(name, generated_counties), inbox)
        out = d / name / f"{name}_汇总表.xlsx"      # one LibreOffice run: PDFs named apart
        done = xlbase("merge", str(inbox), "--programme", name, "-o", str(out), "--level", "city")
        assert done.returncode in (0, 1), done.stdout + done.stderr
        books[name] = out
    pdfs = soffice_convert_all(list(books.values()), "pdf", d / "pdf", timeout=900)
    return {name: (book, pdf) for (name, book), pdf in zip(books.items(), pdfs)}


def _shown(v) -> str | None:
    if isinstance(v, (dt.date, dt.datetime)):
        return f"{v:%Y-%m-%d}"
    return v.strip() if isinstance(v, str) and UNBROKEN.match(v.strip()) else None


def _sheet_pages(book: Path, pdf: Path) -> dict[str, list[int]]:
    """The pages each sheet printed on: a sheet's first page opens with its title (its first row's text)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(book, read_only=True)
    titles = {}
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        first = next((str(v) for row in ws.iter_rows(min_row=1, max_row=1, values_only=True) for v in row
                      if v not in (None, "")), None)
        if first:
            titles[first.replace(" ", "").replace("\n", "")] = ws.title
    out: dict[str, list[int]] = {}
    sheet = next(ws.title for ws in wb.worksheets if ws.sheet_state == "visible")      # the 汇总表 prints first
    for page in range(1, len(page_sizes(pdf)) + 1):
        found = lines(pdf, page)
        opening = found[0][2].replace(" ", "") if found else ""
        sheet = next((s for t, s in titles.items() if opening.startswith(t)), sheet)
        out.setdefault(sheet, []).append(page)
    return out


@pytest.mark.parametrize("programme", PROGRAMMES)
def test_dates_phones_and_codes_print_whole_on_one_line(merged, programme, box_per_pt):
    book, pdf = merged[programme]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(book)
    pages = _sheet_pages(book, pdf)
    summary = wb.worksheets[0].title
    checked = 0
    for sheet in (summary, sheet_names.FIRMS):
        if sheet not in wb.sheetnames:
            continue
        assert pages.get(sheet), (programme, sheet, pages)
        values = {s for row in wb[sheet].iter_rows(values_only=True) for v in row if (s := _shown(v))}
        printed = [ln[2] for p in pages[sheet] for ln in lines(pdf, p)]
        for v in values:
            assert any(v in line for line in printed), (programme, sheet, v)
            checked += 1
    assert checked, programme           # every round's 汇总表 holds at least its dates


#: the smallest type on paper (issue 14)
MIN_PT = 7.0


@pytest.mark.parametrize("programme", PROGRAMMES)
def test_every_line_prints_at_7pt(merged, programme, box_per_pt):
    """Each line of the 汇总表's and the 入驻企业 sheet's pages — title, 填报单位/unit lines, header, data, 汇总 — at
    7 pt or more: Shanxi's 附件11 printed all but its title at 6.3 pt before."""
    book, pdf = merged[programme]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        summary = openpyxl.load_workbook(book, read_only=True).worksheets[0].title
    pages = _sheet_pages(book, pdf)
    small = []
    measured = 0
    for sheet in (summary, sheet_names.FIRMS):
        for p in pages.get(sheet, []):
            for size, text in line_sizes(pdf, p, box_per_pt):
                measured += 1
                if size < MIN_PT:
                    small.append((sheet, p, round(size, 2), text[:40]))
    assert measured >= 5 and not small, (programme, small[:10])
