"""A table inside a form (a header over rows) never prints its header on one page and rows on the next without
the header there too: it starts a new page, or its header repeats. Every table of every programme's applicant
workbook (`xlbase programmes`, so a new programme is checked without a test edit), blank and filled, printed by
LibreOffice to PDF.

Found so: 衡阳's blank 申请表 printed 合作服务机构情况 and its header at the foot of page 1 and its rows at the
top of page 2; its 服务情况 table broke after 节能环保 onto page 3 without the header.

The measure: where each table landed is recorded as the workbook is written (write_table's layouts); a copy gets a
short tag in the first printed cell of the table's header (tbl<n>h) and of each of its printed rows (tbl<n>r<i>), and
pdftotext -layout reads each page: a page showing a row's tag shows its table's header tag too."""

from __future__ import annotations

import random
import re
from contextlib import ExitStack
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Alignment

from conftest import soffice_convert_all
from pdf_pages import page_sizes, page_texts
from xlbase.forms.programmes import list_programmes, load_programme

pytestmark = [pytest.mark.libreoffice, pytest.mark.filterwarnings("ignore:Print area cannot be set"),
              pytest.mark.filterwarnings("ignore:Data Validation extension")]

PROGRAMMES = list_programmes()
KINDS = ("blank", "filled")


def _recording(stack: ExitStack) -> list[tuple[str, object]]:
    """(sheet name, layout) of every table written while the stack is open."""
    from xlbase.templates import programme, workbooks
    placed: list[tuple[str, object]] = []
    mp = stack.enter_context(pytest.MonkeyPatch.context())
    for module in (programme, workbooks):
        def spy(ws, *args, _write=module.write_table, **kwargs):
            layout = _write(ws, *args, **kwargs)
            placed.append((ws.name, layout))
            return layout
        mp.setattr(module, "write_table", spy)
    return placed


def _printed_rows(layout) -> list[int]:
    """The rows of a table that print (a list's ruled ones, blank or not; its 合计)."""
    n = min(layout.n_rows, layout.ruled_rows) if layout.open_ended else layout.n_rows
    rows = [layout.first_row + i for i in range(n)]
    return rows + ([layout.total_row] if layout.total_row is not None else [])


def _tagged(src: Path, out: Path, placed: list[tuple[str, object]]) -> Path:
    """A copy of `src` with each table's header and printed rows tagged, in the widest printed column where the
    tag's cell is not covered by a merge (a narrow 序号 column would break the tag across lines)."""
    wb = openpyxl.load_workbook(src)
    for n, (sheet, lay) in enumerate(placed):
        ws = wb[sheet]
        printed = [c for key, c in lay.cols.items() if lay.form.field(key).official]     # ours stay off the page
        columns = sorted({*printed, *([lay.number_col] if lay.number_col is not None else [])},
                         key=lambda c: -lay.widths.get(c, 0))
        for row, tag in [(lay.header_top, f"tbl{n}h"), *((r, f"tbl{n}r{i}") for i, r in enumerate(_printed_rows(lay)))]:
            cell = next(ws.cell(row + 1, c + 1) for c in columns if type(ws.cell(row + 1, c + 1)).__name__ != "MergedCell")
            cell.value = f"{tag} {'' if cell.value is None else cell.value}"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    wb.save(out)
    return out


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[tuple[str, str], tuple[Path, int]]:
    """(programme, kind) -> (the tagged workbook's PDF, how many tables were tagged)."""
    from programme_inbox import fill, load_cases
    from template_clerk import base_for
    from xlbase.check import pack_for
    from xlbase.templates.programme import applicant_name, templates_for
    from xlbase.templates.workbooks import write_applicant_workbook
    d = tmp_path_factory.mktemp("tables_whole")
    cases = {c.name: c for c in load_cases()}
    sources: dict[tuple[str, str], tuple[Path, list]] = {}
    for name in PROGRAMMES:
        p = load_programme(name)
        if p.generic:
            with ExitStack() as stack:
                placed = _recording(stack)
                made, _ = templates_for(p, d / name, pack_for(programme=p))
            applicant = next(x for x in made if x.stem == applicant_name(p) and x.suffix == ".xlsx")
            placed = [(s, lay) for s, lay in placed if s in openpyxl.load_workbook(applicant, read_only=True).sheetnames]
            filled = d / f"{name}_filled.xlsx"
            fill(applicant, filled, p, cases[name].answers({}) if name in cases else {}, "晋阳科创")
            sources[(name, "blank")], sources[(name, "filled")] = (applicant, placed), (filled, placed)
            continue
        from sample_generator import GEN
        base, _, comps = base_for(40)
        for kind, given in (("blank", {}), ("filled", {"base": base, "comparables": comps,
                                                       "firms": GEN.firms_for(random.Random(14), 40, "忻府区")})):
            with ExitStack() as stack:
                placed = _recording(stack)
                path = write_applicant_workbook(d / f"{name}_{kind}.xlsx", year=2024, **given)
            sources[(name, kind)] = (path, placed)
    keys = list(sources)
    tagged = [_tagged(src, d / f"tagged_{i}.xlsx", placed) for i, (src, placed) in enumerate(sources[k] for k in keys)]
    pdfs = soffice_convert_all(tagged, "pdf", d / "pdf", timeout=900)
    return {k: (pdf, len(sources[k][1])) for k, pdf in zip(keys, pdfs)}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("programme", PROGRAMMES)
def test_a_tables_rows_print_under_its_header(printed, programme, kind):
    pdf, tables = printed[(programme, kind)]
    seen: set[int] = set()
    apart = []
    for page, text in enumerate(page_texts(pdf, len(page_sizes(pdf))), start=1):
        rows = {int(t) for t in re.findall(r"tbl(\d+)r\d+(?!\d)", text)}
        headers = {int(t) for t in re.findall(r"tbl(\d+)h", text)}
        seen |= rows | headers
        apart += [(page, t) for t in sorted(rows - headers)]
    assert tables and seen == set(range(tables)), (programme, kind, tables, sorted(seen))   # the tags printed
    assert not apart, (programme, kind, apart)


def test_the_measure_sees_a_table_split_from_its_header(tmp_path):
    """The measure itself: a table whose rows run past the page under a header that is not repeated is caught."""
    import xlsxwriter
    path = tmp_path / "split.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("表")
    ruled = wb.add_format({"border": 1})
    for r in range(30):                 # a form's lines, then a table of 10 rows across the page's foot
        ws.write_string(r, 0, f"栏目{r}", ruled)
        ws.set_row(r, 14)
    ws.write_string(30, 0, "tbl0h 表头", ruled)
    for i in range(10):
        ws.write_string(31 + i, 0, f"tbl0r{i} ", ruled)
        ws.set_row(31 + i, 20)
    ws.set_landscape()
    ws.set_paper(9)
    wb.close()
    pdf = soffice_convert_all([path], "pdf", tmp_path / "pdf")[0]
    texts = page_texts(pdf, len(page_sizes(pdf)))
    assert len(texts) == 2
    assert "tbl0h" in texts[0] and re.search(r"tbl0r\d+", texts[1]) and "tbl0h" not in texts[1]
