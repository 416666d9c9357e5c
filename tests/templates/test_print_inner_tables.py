"""A table inside a form (a programme's 申请表: 衡阳's 合作服务机构情况 and 服务情况 under its lines) prints as the notice's
form does: across the form's width, not in its first columns under a heading line that runs the whole width, and
the form prints no page holding only its last few lines. Every generic programme's applicant workbook (`xlbase
programmes`), blank and filled, printed by LibreOffice to PDF.

Found so (session 15): 衡阳's 申请表 printed 合作服务机构情况's three columns in 3 of the form's 7 (the rest of the
page white beside them), 合作服务机构情况 alone on page 2 and the form's last line (基地为入驻企业提供优惠政策) alone on
page 4.

The measure: a copy gets a tag in the first cell of every printed row of each sheet that holds a record form and
tables (fs<n>r<row>), right-aligned tags in the form's title, merged across its width (fs<n>edge), and in each
table's last printed header cell (fs<n>t<k>end); pdftotext -bbox says where they print."""

from __future__ import annotations

import re
from contextlib import ExitStack
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Alignment

from conftest import soffice_convert_all
from pdf_pages import lines, page_sizes, words
from xlbase.forms.programmes import list_programmes, load_programme

pytestmark = [pytest.mark.libreoffice, pytest.mark.filterwarnings("ignore:Print area cannot be set"),
              pytest.mark.filterwarnings("ignore:Data Validation extension")]

GENERIC = [n for n in list_programmes() if load_programme(n).generic]
KINDS = ("blank", "filled")
#: the share of a page a form's page fills at least (its last page included)
FILLED = 0.25


def _mixed_sheets(p) -> list[str]:
    """The applicant workbook's sheets holding a record form and tables (workbook.yaml blocks)."""
    out = []
    for sheet in p.layout("workbook.yaml")["sheets"]:
        blocks = sheet.get("blocks") or []
        if any("record" in b for b in blocks) and any("table" in b for b in blocks):
            out.append(sheet["sheet"])
    return out


def _anchor(ws, row: int, col: int):
    """The cell a value shows in at (row, col), 1-based: the merge's first cell when one covers it."""
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= row <= rng.max_row and rng.min_col <= col <= rng.max_col:
            return ws.cell(rng.min_row, rng.min_col)
    return ws.cell(row, col)


def _tag(cell, tag: str, right: bool = False) -> None:
    cell.value = f"{tag} {'' if cell.value is None else cell.value}" if not right else \
        f"{'' if cell.value is None else cell.value} {tag}"
    cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="right" if right else "left")


def _tagged(src: Path, out: Path, sheets: list[str], placed: list[tuple[str, object]]) -> tuple[Path, dict]:
    """A tagged copy of `src`; {sheet index: number of its tables}."""
    wb = openpyxl.load_workbook(src)
    tables: dict[int, int] = {}
    for n, name in enumerate(sheets):
        ws = wb[name]
        # each table once (templates_for writes the .xlsx and the .xlsm: the same layouts twice)
        ours = list({lay.header_top: lay for s, lay in placed if s == name}.values())
        tables[n] = len(ours)
        for k, lay in enumerate(ours):
            printed = max(c for key, c in lay.cols.items() if lay.form.field(key).official)
            _tag(_anchor(ws, lay.header_top + 1, printed + 1), f"fs{n}t{k}end", right=True)
        _tag(_anchor(ws, 1, 1), f"fs{n}edge", right=True)      # the title, merged across the form's width
        for r in range(2, ws.max_row + 1):
            cell = _anchor(ws, r, 1)
            if cell.row == r and not str(cell.value or "").startswith(f"fs{n}"):
                _tag(cell, f"fs{n}r{r}")
    wb.save(out)
    return out, tables


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[tuple[str, str], tuple[Path, dict]]:
    from programme_inbox import fill, load_cases
    from test_print_tables_whole import _recording
    from xlbase.check import pack_for
    from xlbase.templates.programme import applicant_name, templates_for
    d = tmp_path_factory.mktemp("inner_tables")
    cases = {c.name: c for c in load_cases()}
    tagged: dict[tuple[str, str], tuple[Path, dict]] = {}
    for name in GENERIC:
        p = load_programme(name)
        with ExitStack() as stack:
            placed = _recording(stack)
            made, _ = templates_for(p, d / name, pack_for(programme=p))
        applicant = next(x for x in made if x.stem == applicant_name(p) and x.suffix == ".xlsx")
        filled = d / f"{name}_filled.xlsx"
        fill(applicant, filled, p, cases[name].answers({}) if name in cases else {}, "晋阳科创")
        sheets = _mixed_sheets(p)
        for kind, src in (("blank", applicant), ("filled", filled)):
            tagged[(name, kind)] = _tagged(src, d / f"tagged_{name}_{kind}.xlsx", sheets, placed)
    keys = list(tagged)
    pdfs = soffice_convert_all([tagged[k][0] for k in keys], "pdf", d / "pdf", timeout=900)
    return {k: (pdf, tagged[k][1]) for k, pdf in zip(keys, pdfs)}


def _where(pdf: Path) -> dict[str, tuple[int, tuple[float, float, float, float]]]:
    """tag -> (page, its box)."""
    out = {}
    for page in range(1, len(page_sizes(pdf)) + 1):
        for x0, y0, x1, y1, w in words(pdf, page):
            for tag in re.findall(r"fs\d+(?:t\d+end|edge|r\d+)", w):
                out.setdefault(tag, (page, (x0, y0, x1, y1)))
    return out


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("programme", GENERIC)
def test_a_table_inside_a_form_spans_its_width(printed, programme, kind):
    """Each table's last printed column ends where the form's lines end (within 3 % of the form's width)."""
    pdf, tables = printed[(programme, kind)]
    where = _where(pdf)
    for n, count in tables.items():
        edge = where[f"fs{n}edge"][1]
        left = min(box[0] for tag, (_, box) in where.items() if tag.startswith(f"fs{n}r"))
        for k in range(count):
            end = where[f"fs{n}t{k}end"][1]
            assert end[2] >= edge[2] - 0.03 * (edge[2] - left), (programme, kind, n, k, end, edge)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("programme", GENERIC)
def test_no_page_of_a_form_is_mostly_empty(printed, programme, kind):
    """Every page a form prints on is filled to at least a quarter of its height (its lines, under the page footer)."""
    pdf, tables = printed[(programme, kind)]
    where = _where(pdf)
    sizes = page_sizes(pdf)
    for n in tables:
        pages = sorted({page for tag, (page, _) in where.items() if tag.startswith(f"fs{n}")})
        for page in pages:
            bottom = max(b for _, b, _ in lines(pdf, page))
            assert bottom >= FILLED * sizes[page - 1][1], (programme, kind, n, page, bottom, sizes[page - 1][1])
