"""Every generic programme's templates print like the paper form, as Shanxi's do (test_templates_libreoffice):
the applicant's workbook, blank and typed with the programme's clean case answers, and the blank 汇总表,
printed to PDF by LibreOffice — every page A4 landscape, no text under 7 pt on paper, each table's official
columns on one page with its first column (nothing cut off sideways). The programmes are listed from the
shipped ones (tests/fixtures/every_template.py): a new programme is printed without a test edit."""

from __future__ import annotations

import warnings
from pathlib import Path

import openpyxl
import pytest

from conftest import soffice_convert_all
from every_template import generic_programmes
from pdf_pages import page_sizes, page_texts, words

pytestmark = [pytest.mark.libreoffice, pytest.mark.filterwarnings("ignore:Print area cannot be set")]

A4_LANDSCAPE = (841.89, 595.3)
KINDS = ("blank", "filled", "summary")


@pytest.fixture(scope="module")
def printed(tmp_path_factory, programme_templates) -> dict[tuple[str, str], tuple[Path, Path]]:
    """(programme, kind) -> (the workbook, its PDF), all printed in one LibreOffice run."""
    from programme_inbox import fill, load_cases
    from xlbase.forms.programmes import load_programme
    from xlbase.templates.programme import applicant_name, summary_name
    d = tmp_path_factory.mktemp("programme_print")
    cases = {c.name: c for c in load_cases()}
    sources = {}
    for name in generic_programmes():
        p = load_programme(name)
        blank = programme_templates / name / f"{applicant_name(p)}.xlsx"
        sources[(name, "blank")] = blank
        sources[(name, "summary")] = programme_templates / name / f"{summary_name(p)}.xlsx"
        filled = d / f"{name}_filled.xlsx"
        answers = cases[name].answers({}) if name in cases else {}
        fill(blank, filled, p, answers, "填报单位")
        sources[(name, "filled")] = filled
    keys = list(sources)
    pdfs = soffice_convert_all([sources[k] for k in keys], "pdf", d / "pdf", timeout=600)
    return {k: (sources[k], pdf) for k, pdf in zip(keys, pdfs)}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("programme", generic_programmes())
def test_every_page_is_a4_landscape(printed, programme, kind):
    sizes = page_sizes(printed[(programme, kind)][1])
    assert sizes
    for w, h in sizes:
        assert abs(w - A4_LANDSCAPE[0]) < 2 and abs(h - A4_LANDSCAPE[1]) < 2, (programme, kind, w, h)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("programme", generic_programmes())
def test_text_prints_at_least_7pt(printed, programme, kind, box_per_pt):
    pdf = printed[(programme, kind)][1]
    for page in range(1, len(page_sizes(pdf)) + 1):
        found = words(pdf, page)
        if not found:
            continue
        small = min(found, key=lambda w: w[3] - w[1])
        size = (small[3] - small[1]) / box_per_pt
        assert size >= 7.0, (programme, kind, page, round(size, 2), small[4])


def _tables(programme: str, xlsx: Path) -> list[tuple[str, list[str], list[str], list[str]]]:
    """(sheet, official headers, our headers, the form's notes) of every table the workbook's sheets hold: each header's first
    line, as printed, read from the cells the layout names (templates.programme)."""
    from xlbase.forms.programmes import load_programme
    from xlbase.templates.programme import write_applicant, write_summary_template
    p = load_programme(programme)
    probe = xlsx.parent / f"{xlsx.stem}.layout.xlsx"
    if "汇总" in xlsx.stem or xlsx.stem.endswith("汇总表"):
        lay = write_summary_template(p, probe)
        cells = {lay.form.id: {"layout": lay}}
    else:
        cells = write_applicant(p, probe)
    where = {}        # form -> its sheet, as the workbook layout places it (templates.programme)
    for sheet in p.layout("workbook.yaml").get("sheets") or []:
        form = p.form(sheet["form"])
        for b in sheet.get("blocks") or [{"table" if form.kind == "table" else "record": form.id}]:
            if "heading" not in b:      # a section line holds no form
                where[b.get("record") or b.get("table")] = sheet.get("sheet") or form.sheet
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(xlsx)
    out = []
    for form_id, got in cells.items():
        lay = got.get("layout") if isinstance(got, dict) else None
        if lay is None:
            continue
        ws = wb[where.get(form_id, lay.form.sheet)]
        heads: dict[bool, list[str]] = {True: [], False: []}
        for f in lay.form.table_fields:
            if f.merge_only or f.key not in lay.cols:
                continue
            value = ws.cell(lay.header_top + 1 + (1 if f.group else 0), lay.cols[f.key] + 1).value
            if value:
                heads[f.official].append(str(value).split("\n")[0].replace(" ", ""))
        out.append((ws.title, heads[True], heads[False], [n.replace(" ", "") for n in lay.form.notes]))
    return out


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("programme", generic_programmes())
def test_each_tables_official_columns_print_on_one_page(printed, programme, kind):
    """Some page holds every official column's header (a table cut sideways would spread them over two),
    and no page of the form shows one of our own columns."""
    xlsx, pdf = printed[(programme, kind)]
    pages = [t.replace(" ", "") for t in page_texts(pdf, len(page_sizes(pdf)))]
    from xlbase.templates.check_sheet import CHECK_SHEET
    from xlbase.templates.field_guide import FIELDS_SHEET
    from xlbase.templates.guide import GUIDE_SHEET
    forms_pages = [t for t in pages if not t.lstrip().startswith((GUIDE_SHEET, CHECK_SHEET, FIELDS_SHEET, "表格栏目"))]
    tables = _tables(programme, xlsx)
    assert tables, programme
    for sheet, official, ours, notes in tables:
        assert official, (programme, sheet)
        assert any(all(h in page for h in official) for page in forms_pages), (programme, kind, sheet, official)
        for h in ours:     # the form's printed notes may name the figure (服务人员数、入驻企业数 …)
            assert not any(h in _without(page, notes) for page in forms_pages), (programme, kind, sheet, h)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("programme", generic_programmes())
def test_our_record_lines_and_totals_stay_off_the_page(printed, programme, kind):
    """Our own lines of a record form (衡阳 所在县市区, 重点服务活动场次; 太原 所在县（市、区）: official: false) stay on
    screen and off the page, as our columns do; a 合计 line prints only under a printed column it totals (衡阳's
    推荐汇总表 prints five text columns: no 合计 on paper)."""
    from xlbase.forms.programmes import load_programme
    p = load_programme(programme)
    xlsx, pdf = printed[(programme, kind)]
    flat = "".join(page_texts(pdf, len(page_sizes(pdf)))).replace(" ", "").replace("\n", "")
    from xlbase.templates.guide import GUIDE_SHEET
    forms_text = flat.split(GUIDE_SHEET)[0]       # the forms print before the 填表说明
    ours = {f.label for form in p.forms.values() if form.kind == "record" for f in form.record_fields if not f.official}
    labels = {f.label for form in p.forms.values() for f in form.fields if f.official}
    for label in ours - labels:
        if kind != "summary":
            assert label.replace(" ", "") not in forms_text, (programme, kind, label)
    summary = p.form(p.layout("summary.yaml")["form"])
    if kind == "summary" and summary.total_label and not any(f.official and f.is_numeric for f in summary.table_fields):
        assert summary.total_label not in forms_text, (programme, forms_text[-200:])


@pytest.mark.parametrize("programme", generic_programmes())
def test_a_filled_list_prints_its_rows_not_the_templates_blank_ones(printed, programme):
    """A list longer than a page (太原's 服务企业名单, 100 rows; its 设备清单 and 人员名单, 30) rules and numbers
    only the rows of its first page; a filled one prints the rows typed, not every blank ruled row of the
    template (a filled 服务企业名单 of 25 firms printed 100 rows over four pages, a 设备清单 of 2 items two
    pages). In the filled workbook nothing is written or ruled below the typed rows and the first page's block,
    and LibreOffice prints a 设备清单 of two items on one page."""
    from xlbase.forms.programmes import load_programme
    from xlbase.templates.programme import write_applicant
    p = load_programme(programme)
    xlsx, pdf = printed[(programme, "filled")]
    cells = write_applicant(p, xlsx.parent / f"{xlsx.stem}.probe.xlsx")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(xlsx)
    where = {b.get("table"): sheet.get("sheet") for sheet in p.layout("workbook.yaml").get("sheets") or []
             for b in sheet.get("blocks") or [{"table": sheet["form"]}]}
    checked = 0
    for form_id, got in cells.items():
        lay = got.get("layout") if isinstance(got, dict) else None
        if lay is None or lay.form.total_label or lay.n_rows <= lay.ruled_rows:
            continue
        ws = wb[where.get(form_id) or lay.form.sheet]
        typed = [i for i in range(lay.n_rows) if any(ws.cell(lay.first_row + i + 1, c + 1).value not in (None, "")
                                                     for c in lay.cols.values())]
        end = max(lay.ruled_rows, (typed[-1] + 1) if typed else 0)
        assert lay.total_row is None, (programme, form_id, lay.total_row)     # no 合计 of its own: none written
        for r in range(lay.first_row + lay.n_rows + 1, ws.max_row + 1):      # no sums under the list's rows
            assert not any(str(ws.cell(r, c + 1).value or "").startswith("=") for c in lay.cols.values()), \
                (programme, form_id, r)
        for i in range(end, lay.n_rows):
            r = lay.first_row + i + 1
            for c in [*lay.cols.values(), *([lay.number_col] if lay.number_col is not None else [])]:
                cell = ws.cell(r, c + 1)
                assert cell.value in (None, "") and not cell.border.bottom.style, (programme, form_id, cell.coordinate)
        checked += 1
    if programme == "taiyuan-2023":
        assert checked >= 3, checked
        from xlbase.templates.guide import GUIDE_SHEET
        texts = [t.replace(" ", "") for t in page_texts(pdf, len(page_sizes(pdf)))]
        forms_pages = texts[:next(i for i, t in enumerate(texts) if t.lstrip().startswith(GUIDE_SHEET))]
        pages = [t for t in forms_pages if "购买时间" in t]
        assert len(pages) == 1, len(pages)


def _without(page: str, notes: list[str]) -> str:
    flat = page.replace("\n", "")
    for note in notes:
        flat = flat.replace(note, "")
    return flat


@pytest.mark.parametrize("kind", ["blank", "filled"])
@pytest.mark.parametrize("programme", generic_programmes())
def test_the_guide_is_one_page_from_the_model_and_pack(printed, programme, kind):
    """The 填表说明 prints on one page and says only what is true: how many rules the 表内检查 sheet judges (as
    many as it lists; their numbers are on that sheet, quoted from the pack — the note restated every title,
    ~440 characters for 衡阳, and named the 市级 where a programme's next level is the 上级) and, by the pack's
    titles, the rules left to the 汇总 (templates.guide, as Shanxi's)."""
    from xlbase.forms.programmes import load_programme
    from xlbase.rules.programme import load_generic_pack
    from xlbase.templates.check_sheet import CHECK_SHEET, title
    from xlbase.templates.guide import GUIDE_SHEET
    book, pdf = printed[(programme, kind)]
    pages = [t.replace(" ", "").replace("\n", "") for t in page_texts(pdf, len(page_sizes(pdf)))]
    guide = [t for t in pages if t.startswith(GUIDE_SHEET)]
    assert len(guide) == 1, (programme, kind, len(guide))
    check = openpyxl.load_workbook(book)[CHECK_SHEET]
    judged = {r[6] for r in check.iter_rows(min_row=4, values_only=True) if len(r) > 6 and r[6]}
    assert judged
    assert f"逐项计算{len(judged)}项检查" in guide[0], programme
    assert "上级汇总的结论一致" in guide[0] and "市级汇总" not in guide[0], programme
    pack = load_generic_pack(load_programme(programme))
    rest = guide[0].split("三、")[1]
    for rule in pack.rules:
        assert (rule.id in judged) != (title(rule).replace(" ", "") in rest), (programme, rule.id, title(rule))
    note = next(line for line in openpyxl.load_workbook(book)[GUIDE_SHEET]["A"] if "逐项计算" in str(line.value))
    assert len(note.value) < 200, note.value
    assert "由上级汇总时检查" in guide[0]



@pytest.mark.parametrize("programme", ["shanxi", *generic_programmes()])
def test_a_blank_form_prints_the_same_before_and_after_recalculating(tmp_path, programme_templates, programme):
    """The blank applicant's workbook printed by LibreOffice as it opens it (the results cached in the file)
    and after a full recalculation: the same text on every page — a printed blank form shows no stale 0 or
    通过 where a recalculation shows nothing yet."""
    from conftest import soffice_convert
    from every_template import COMMITTED
    from xlbase.forms.programmes import load_programme
    from xlbase.templates.programme import applicant_name
    src = COMMITTED / "双创基地申报表.xlsx" if programme == "shanxi" else \
        programme_templates / programme / f"{applicant_name(load_programme(programme))}.xlsx"
    opened = soffice_convert(src, "pdf", tmp_path / "opened")
    recalculated = soffice_convert(src, "pdf", tmp_path / "recalculated", recalc=True)
    n = len(page_sizes(opened))
    assert n == len(page_sizes(recalculated))
    assert page_texts(opened, n) == page_texts(recalculated, n)


@pytest.mark.parametrize("programme", generic_programmes())
def test_a_blank_lists_notes_print_on_its_first_page(printed, programme):
    """A list that opens its sheet and rules its first page only (太原's 人员名单: 12 of 30 rows) printed its
    notes (备注：不少于12人) under all 30 rows: a blank form came out as a page of ruled rows and a second page
    with the header and the note alone. The notes print in the page footer, on the page of the list's title."""
    from xlbase.forms.programmes import load_programme
    p = load_programme(programme)
    _, pdf = printed[(programme, "blank")]
    texts = [t.replace(" ", "") for t in page_texts(pdf, len(page_sizes(pdf)))]
    checked = 0
    for sheet in p.layout("workbook.yaml").get("sheets") or []:
        form = p.form(sheet["form"])
        if sheet.get("blocks") or form.kind != "table" or not form.notes:
            continue
        title = form.title.replace(" ", "")
        pages = [t for t in texts if t.lstrip().startswith(title)]
        assert len(pages) == 1, (programme, form.id, len(pages))
        for note in form.notes:
            assert note.replace(" ", "") in pages[0], (programme, form.id, note)
        checked += 1
    if programme == "taiyuan-2023":
        assert checked, "太原's 人员名单 has a note"


def _lists(programme: str, kind: str, tmp_path: Path) -> list:
    """The layouts of the lists that open their sheet in a blank workbook (`kind` blank: the applicant's, whose
    record forms and lists under a record are no list a clerk extends; summary: the 汇总表), as written."""
    from xlbase.forms.programmes import load_programme
    from xlbase.templates.programme import write_applicant, write_summary_template
    p = load_programme(programme)
    if kind == "summary":
        return [write_summary_template(p, tmp_path / "layout.xlsx")]
    opening = {(sheet.get("blocks") or [{"table": sheet["form"]}])[0].get("table")
               for sheet in p.layout("workbook.yaml").get("sheets") or []}
    return [got["layout"] for fid, got in write_applicant(p, tmp_path / "layout.xlsx").items()
            if isinstance(got, dict) and "layout" in got and fid in opening]


@pytest.mark.parametrize("kind", ["blank", "summary"])
@pytest.mark.parametrize("programme", generic_programmes())
def test_a_blank_list_prints_one_full_page_with_its_total(printed, programme, kind, tmp_path, box_per_pt):
    """Every list that opens its sheet (an applicant's 人员名单, 入驻企业名单, 设备清单…; the 汇总表) prints blank as ONE
    page: its header, its 合计 (where it has one on paper) and numbered ruled rows down to ≥ 80 % of the printable
    height, at ≥ 7 pt, and no later page repeats its header. 衡阳's blank 入驻企业名单 (30 rows + 合计) printed rows
    29-30 and the 合计 alone on a second page; its 人员名单 (12 rows) and 推荐汇总表 (10) ruled half a page;
    太原's 设备清单 ruled 11 rows on half a page (rows counted at a filled name's height). The height is measured
    in LibreOffice's PDF, then taken at the scale Excel prints the columns (LibreOffice lays them out wider here,
    without Calibri, and so shrinks the page more: pdf_pages.excel_fill)."""
    from pdf_pages import excel_fill, line_sizes, lines, ruled_rows
    xlsx, pdf = printed[(programme, kind)]
    n_pages = len(page_sizes(pdf))
    firsts = [lines(pdf, page) for page in range(1, n_pages + 1)]
    wb = openpyxl.load_workbook(xlsx)
    checked = 0
    for lay in _lists(programme, kind, tmp_path):
        title = lay.form.title.replace(" ", "")
        pages = [i + 1 for i, found in enumerate(firsts) if found and found[0][2].replace(" ", "") == title]
        assert len(pages) == 1, (programme, kind, lay.form.id, pages)
        page = pages[0]
        text = [ln[2] for ln in firsts[page - 1]]
        numbers = [t for t in text if t.isdigit()]
        ruled = lay.ruled_rows if lay.open_ended else lay.n_rows
        assert numbers == [str(i) for i in range(1, ruled + 1)], (programme, kind, lay.form.id, numbers)
        if lay.form.total_label and lay.total_row is not None and any(
                f.official and f.is_numeric for f in lay.form.table_fields):
            assert any(t.startswith(lay.form.total_label) for t in text), (programme, kind, lay.form.id, text)
        rows = ruled_rows(pdf, page)
        assert len(rows) >= ruled, (programme, kind, lay.form.id, len(rows), ruled)
        fill = excel_fill(pdf, page, wb[lay.form.sheet if kind == "summary" else _sheet_of(programme, lay.form.id)],
                          [lay.widths[c] for c in sorted(lay.widths) if c <= _printed_last(lay)])
        assert 0.8 <= fill <= 1.0, (programme, kind, lay.form.id, f"{fill:.0%}", len(rows))
        assert min(size for size, _ in line_sizes(pdf, page, box_per_pt)) >= 7.0, (programme, kind, lay.form.id)
        header = next(ln[2] for ln in firsts[page - 1] if (lay.form.number_label or "序号") in ln[2])
        later = [i + 1 for i, found in enumerate(firsts) if i + 1 != page and any(ln[2] == header for ln in found)]
        assert not later, (programme, kind, lay.form.id, header, later)
        checked += 1
    assert checked, (programme, kind, "no list opens a sheet")


def _sheet_of(programme: str, form_id: str) -> str:
    from xlbase.forms.programmes import load_programme
    p = load_programme(programme)
    return next(sheet.get("sheet") or p.form(sheet["form"]).sheet for sheet in p.layout("workbook.yaml")["sheets"]
                if form_id in {b.get("table") for b in sheet.get("blocks") or [{"table": sheet["form"]}]})


def _printed_last(lay) -> int:
    from xlbase.templates.table import printed_last_col
    return printed_last_col(lay.form)
