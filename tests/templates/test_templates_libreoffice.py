"""LibreOffice converts every template to PDF, and each form prints one A4 page wide."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import require_soffice, soffice_convert_all
from pdf_pages import page_sizes as _page_sizes, page_texts as _page_texts, pgm, words as _words
from xlbase.commands.templates import templates_command

pytestmark = pytest.mark.libreoffice
A4_LANDSCAPE = (841.89, 595.3)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    require_soffice()
    d = tmp_path_factory.mktemp("lo")
    templates_command(d, year=2024)
    out = {}
    for suffix in sorted({p.suffix for p in d.glob("*.xls*")}):   # one LibreOffice run per suffix (stems repeat)
        sources = sorted(d.glob(f"*{suffix}"))
        target = d / suffix.lstrip(".")
        target.mkdir(exist_ok=True)
        for p, pdf in zip(sources, soffice_convert_all(sources, "pdf", target, timeout=600)):
            out[p.stem if p.suffix == ".xlsx" else p.name] = pdf
    return out


def test_every_template_converts_to_a4_landscape(pdfs):
    assert {"双创基地申报表", "附件11_基本情况汇总表", "双创基地申报表.xlsm", "附件11_基本情况汇总表.xlsm"} <= set(pdfs)
    for name, pdf in pdfs.items():
        sizes = _page_sizes(pdf)
        assert sizes, name
        for w, h in sizes:
            assert abs(w - A4_LANDSCAPE[0]) < 2 and abs(h - A4_LANDSCAPE[1]) < 2, (name, w, h)


def test_each_form_prints_one_page_wide(pdfs):
    """One page wide: every page holds a form's first column (序号 or its first label) —
    a form split across pages sideways would leave pages without it, and the
    title and header appear once per form on its first page."""
    from xlbase.forms import get_form
    pdf = pdfs["双创基地申报表"]
    texts = _page_texts(pdf, len(_page_sizes(pdf)))
    a2 = get_form("附件2")
    assert a2.title in texts[0].replace(" ", "")
    # 附件2 fits one page (a record form is one sheet of paper)
    assert a2.title not in "".join(texts[1:]).replace(" ", "")
    joined = [t.replace(" ", "") for t in texts]
    for fid in ("附件3", "附件4", "附件10"):
        form = get_form(fid)
        pages = [i for i, t in enumerate(joined) if form.title_for(2024).replace(" ", "") in t]
        assert len(pages) == 1, (fid, pages)
        page = joined[pages[0]]
        # the last printed column's header is on the same page as the first: nothing cut off sideways
        last = _header_lines(pdf, form)[form.official_table_fields[-1].key]
        assert last in page, (fid, last)
    summary = [t.replace(" ", "") for t in _page_texts(pdfs["附件11_基本情况汇总表"], 1)][0]
    a11 = get_form("附件11")
    assert a11.title_for(2024).replace(" ", "") in summary
    last = _header_lines(pdfs["附件11_基本情况汇总表"], a11)[a11.official_table_fields[-1].key]
    assert last in summary


# ---------------------------------------------------------------- printed like the paper form

BASE = {"base_name": "忻州市原平市同川经济开发区小微企业双创基地", "operator": "原平市同川园区运营管理有限公司",
        "city": "忻州市", "county": "原平市", "base_type": "工业园区型", "service_staff": 12, "resident_firms": 40,
        "employees": 500, "floor_area": 32000.5, "gov_funding": 120.5}


@pytest.fixture(scope="module")
def filled_pdfs(tmp_path_factory) -> dict[str, Path]:
    """The templates pre-filled: 40 firms (past the ruled block) and a 附件11 of three bases."""
    import random
    from sample_generator import GEN
    from xlbase.templates.workbooks import write_applicant_workbook, write_summary_workbook
    require_soffice()
    d = tmp_path_factory.mktemp("filled")
    firms = GEN.firms_for(random.Random(14), 40, "原平市")
    comps = [{"site_name": f"同川{i}号园区", "distance_km": 1.5 + i, "rent": 150.0 + i, "contact": "王工",
              "phone": "0350-3334025"} for i in range(3)]
    a = write_applicant_workbook(d / "双创基地申报表.xlsx", base=BASE, firms=firms, comparables=comps, year=2024)
    s = write_summary_workbook(d / "附件11_基本情况汇总表.xlsx", year=2024,
                               rows=[dict(BASE, base_name=f"{BASE['base_name'][:-4]}{i}号基地") for i in range(3)])
    return {"firms": firms, **{p.stem: pdf for p, pdf in zip((a, s), soffice_convert_all([a, s], "pdf", d))}}


def _titles() -> list[str]:
    from xlbase.forms import APPLICANT_FORMS, SUMMARY_FORM, get_form
    from xlbase.templates.check_sheet import CHECK_SHEET
    from xlbase.templates.guide import GUIDE_SHEET
    return [get_form(f).title_for(2024).replace(" ", "") for f in (*APPLICANT_FORMS, SUMMARY_FORM)] + \
        [GUIDE_SHEET, CHECK_SHEET]


def _sheet_pages(pdf: Path) -> list[tuple[str, str, list]]:
    """(title of the sheet the page belongs to, page text without spaces, words) per page: a sheet's first
    page carries its title, its further pages repeat only the header."""
    out, title = [], None
    for i, text in enumerate(_page_texts(pdf, len(_page_sizes(pdf))), start=1):
        flat = text.replace(" ", "")
        head = flat.strip().split("\n")[0] if flat.strip() else ""
        title = next((t for t in _titles() if head == t or head.startswith(t + "（")), title)   # 表内检查（规则包：…）
        out.append((title, flat, _words(pdf, i)))
    return out




def _smallest_pt(pages: list[tuple[str, str, list]], box_per_pt: float) -> list[tuple[str, float, str]]:
    """Per page, the smallest text as printed, in points (its word box over the font's box per point)."""
    out = []
    for title, _, words in pages:
        small = min(words, key=lambda w: w[3] - w[1])
        out.append((title, (small[3] - small[1]) / box_per_pt, small[4]))
    return out


@pytest.mark.parametrize("kind", ["blank", "filled"])
def test_text_prints_at_least_7pt(kind, pdfs, filled_pdfs, box_per_pt):
    """Every page of both templates, blank and filled: the smallest text on paper is 7 pt or more
    (附件10/11 printed their grey columns too and came out near 4.5 pt)."""
    source = pdfs if kind == "blank" else filled_pdfs
    for name in ("双创基地申报表", "附件11_基本情况汇总表"):
        pages = _sheet_pages(source[name])
        assert all(t for t, _, _ in pages), name
        for title, size, word in _smallest_pt(pages, box_per_pt):
            assert size >= 7.0, (kind, name, title, round(size, 2), word)


def _pages_of(pdf: Path, form_id: str) -> list[str]:
    from xlbase.forms import get_form
    title = get_form(form_id).title_for(2024).replace(" ", "")
    return [flat for t, flat, _ in _sheet_pages(pdf) if t == title]


def _header_lines(pdf: Path, form) -> dict[str, str]:
    """Each column's header as the sheet printed to `pdf` shows its first line (field key -> text)."""
    import warnings
    import openpyxl
    from xlbase.templates.table import column_plan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")          # openpyxl cannot keep a whole-column print area
        xlsx = next(p for p in (pdf.with_suffix(".xlsx"), pdf.parent.parent / f"{pdf.stem}.xlsx") if p.exists())
        ws = openpyxl.load_workbook(xlsx)[form.sheet]
    top = next(r for r in range(1, 10) if ws.cell(r, 1).value == form.number_label)
    _, cols, _ = column_plan(form)
    return {f.key: ws.cell(top + (1 if f.group else 0), cols[f.key] + 1).value.split("\n")[0]
            for f in form.table_fields}


@pytest.mark.parametrize("kind", ["blank", "filled"])
def test_official_columns_print_ours_stay_on_screen(kind, pdfs, filled_pdfs):
    from xlbase.forms import get_form
    source = pdfs if kind == "blank" else filled_pdfs
    for name, form_ids in (("双创基地申报表", ("附件3", "附件4", "附件10")), ("附件11_基本情况汇总表", ("附件11",))):
        for fid in form_ids:
            form = get_form(fid)
            pages = _pages_of(source[name], fid)
            assert pages, (name, fid)
            first = pages[0]
            heads = _header_lines(source[name], form)
            for f in form.table_fields:
                assert (heads[f.key] in first) == f.official, (kind, fid, f.label, heads[f.key])


def test_blank_a3_prints_a_ruled_numbered_table(pdfs):
    """A blank 附件3 is one page: header, 合计 line and numbered rows, each under a rule across the
    printed width, down to ≥ 80 % of the printable height (at Excel's scale: pdf_pages.excel_fill) — a form a
    clerk can fill by hand, as every programme's lists (test_programme_templates_print)."""
    import openpyxl
    from pdf_pages import excel_fill
    from xlbase.forms import get_form
    from xlbase.templates.table import DEFAULT_WIDTH, NUMBER_WIDTH, printed_sizes
    pdf = pdfs["双创基地申报表"]
    a3 = get_form("附件3")
    pages = [i for i, (t, _, _) in enumerate(_sheet_pages(pdf), start=1)
             if t == a3.title_for(2024).replace(" ", "")]
    assert len(pages) == 1
    assert a3.total_label in _sheet_pages(pdf)[pages[0] - 1][1]
    words = _words(pdf, pages[0])
    numbers = [int(w[4]) for w in words if w[4].isdigit() and w[0] < 100]
    n = max(numbers)
    assert numbers == list(range(1, n + 1)) and n >= 15, numbers
    ws = openpyxl.load_workbook(pdf.parent.parent / "双创基地申报表.xlsx")[a3.sheet]
    sizes = printed_sizes(a3)     # the widths templates.table gives the printed columns
    widths = [sizes.get("", NUMBER_WIDTH)] + [sizes.get(f.key) or f.width or DEFAULT_WIDTH
                                              for f in a3.official_table_fields]
    assert excel_fill(pdf, pages[0], ws, widths) >= 0.8
    rules = _horizontal_rules(pdf, pages[0])
    ys = [(w[1] + w[3]) / 2 for w in words if w[4].isdigit() and w[0] < 100]
    # a rule between each two numbers, and under the last one
    for above, below in zip(ys, ys[1:] + [ys[-1] + (ys[-1] - ys[-2])]):
        assert any(above < y < below for y in rules), (above, below)


def _horizontal_rules(pdf: Path, page: int, dpi: int = 72) -> list[float]:
    """y (points) of the dark lines running across most of the page's table, from a greyscale render."""
    out = subprocess.run(["pdftoppm", "-f", str(page), "-l", str(page), "-r", str(dpi), "-gray", str(pdf)],
                         capture_output=True, check=True).stdout
    magic, w, h, maxval, data = pgm(out)
    rows = []
    for y in range(h):
        line = data[y * w:(y + 1) * w]
        dark = sum(1 for px in line if px < maxval // 2)
        if dark > 0.6 * w:
            rows.append(y * 72 / dpi)
    return rows


def test_filled_a3_prints_every_firm(filled_pdfs):
    """Rows typed past the ruled block print too (the print area is the official columns, whole)."""
    text = "".join(_pages_of(filled_pdfs["双创基地申报表"], "附件3"))
    for firm in filled_pdfs["firms"]:
        assert firm["firm_name"] in text, firm["firm_name"]


@pytest.mark.parametrize("kind", ["blank", "filled"])
def test_the_guide_is_one_page(kind, pdfs, filled_pdfs):
    from xlbase.templates.guide import GUIDE_SHEET
    source = pdfs if kind == "blank" else filled_pdfs
    for name in ("双创基地申报表", "附件11_基本情况汇总表"):
        pages = [flat for t, flat, _ in _sheet_pages(source[name]) if t == GUIDE_SHEET]
        assert len(pages) == 1, (kind, name, len(pages))
        assert "由市级汇总时检查" in pages[0] or "由上级汇总时检查" in pages[0]
