"""A programme's applicant sheet runs in the paper's order: each `heading` block of its workbook.yaml
(the notice's section lines: 太原's “二、运营管理情况（单位：万元）”, 衡阳's 近两年运营情况 …) is a line of its own
across the printed width, above the block that follows it, and a filled workbook with those lines is read
without a row lost or invented (the tests of tests/programmes read every case through them)."""

from __future__ import annotations

import openpyxl
import pytest

from every_template import generic_programmes
from xlbase.forms.programmes import load_programme
from xlbase.templates.programme import applicant_name

pytestmark = pytest.mark.filterwarnings("ignore:Print area cannot be set")


@pytest.mark.parametrize("name", generic_programmes())
def test_section_lines_stand_where_the_paper_prints_them(programme_templates, name):
    p = load_programme(name)
    wb = openpyxl.load_workbook(programme_templates / name / f"{applicant_name(p)}.xlsx")
    for sheet in p.layout("workbook.yaml")["sheets"]:
        blocks = sheet.get("blocks") or []
        headings = [(i, b["heading"]) for i, b in enumerate(blocks) if "heading" in b]
        ws = wb[sheet["sheet"]]
        rows = {c.value: c.row for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
        last = 0
        for i, text in headings:
            assert text in rows, (name, text)
            r = rows[text]
            assert r > last, (name, text, "out of order")
            merged = [m for m in ws.merged_cells.ranges if m.min_row == r == m.max_row and m.min_col == 1]
            assert merged and merged[0].max_col >= 3, (name, text, "not a line across the page")
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            if nxt and "table" in nxt:       # the table's header is the next line
                form = p.form(nxt["table"])
                first = form.table_fields[0].label
                below = [c.value for c in ws[r + 1] if isinstance(c.value, str)]
                assert any(first.replace("\n", "") in str(v).replace("\n", "") for v in below) or \
                    any(form.field(f.key).label[:2] in str(v) for v in below for f in form.table_fields), (name, text, below)
            last = r
    assert any("heading" in b for s in p.layout("workbook.yaml")["sheets"] for b in s.get("blocks") or [])


@pytest.mark.parametrize("name", generic_programmes())
def test_a_list_repeats_its_header_and_its_rows_grow_to_their_text(programme_templates, name):
    """Printed over several pages, a list that opens its sheet (太原's 服务企业名单, with its 上一年度共服务企业
    line under it) shows its header on every page; its blank rows hold no fixed height, so a name that
    wraps in its column grows the row in Excel, WPS and LibreOffice instead of being cut off on paper."""
    p = load_programme(name)
    wb = openpyxl.load_workbook(programme_templates / name / f"{applicant_name(p)}.xlsx")
    for sheet in p.layout("workbook.yaml")["sheets"]:
        blocks = sheet.get("blocks") or [{"table": sheet["form"]}]
        if "table" not in blocks[0]:
            continue
        ws = wb[sheet["sheet"]]
        assert ws.print_title_rows, (name, sheet["sheet"])
        form = p.form(blocks[0]["table"])
        header_last = int(ws.print_title_rows.split(":")[1].lstrip("$"))
        blank = range(header_last + 1, header_last + 1 + form.template_rows)
        total = [r for r in blank if form.total_label and any(c.value == form.total_label for c in ws[r])]
        assert len(total) <= 1 and total in ([], [header_last + 1]), (name, total)    # the 合计 under the header
        fixed = [r for r in blank if ws.row_dimensions[r].customHeight and r not in total]
        assert not fixed, (name, sheet["sheet"], fixed[:5])
