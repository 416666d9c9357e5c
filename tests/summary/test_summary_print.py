"""The merged 汇总表 as a clerk prints it: 附件11 title and unit lines inside the printed columns,
a legible one-page-wide layout, headers that wrap at sensible places, 入驻企业 headers that show,
and an integer 基地数 axis whose labels do not collide."""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, strategies as st
from openpyxl.utils import column_index_from_string, get_column_letter

from conftest import number_heights, require_cjk_font, require_soffice, soffice_convert
from xlbase.forms import SUMMARY_FORM, get_form
from xlbase.commands.merge import merge_command
from xlbase.templates.styles import balanced_lines, chars_per_line, display_width, lines_needed, row_height

A11 = get_form(SUMMARY_FORM)
PRINTED = len(A11.official_table_fields) + 1            # 序号 + the official columns: A:V


@pytest.fixture(scope="module")
def merged(tmp_path_factory, generated_counties) -> Path:
    root = tmp_path_factory.mktemp("print")
    shutil.copytree(generated_counties, root / "counties")
    out = root / "汇总表.xlsx"
    merge_command([str(root / "counties")], out=out, quiet=True)
    return out


def _print_cols(ws) -> tuple[int, int]:
    ref = str(ws.print_area[0] if isinstance(ws.print_area, list) else ws.print_area).split("!")[-1]
    a, b = ref.replace("$", "").split(":")
    return column_index_from_string(re.sub(r"\d", "", a)), column_index_from_string(re.sub(r"\d", "", b))


def test_title_and_unit_lines_sit_over_the_printed_columns(merged):
    ws = openpyxl.load_workbook(merged)["附件11"]
    first, last = _print_cols(ws)
    assert (first, last) == (1, PRINTED)
    merges = {str(m) for m in ws.merged_cells.ranges}
    end = get_column_letter(last)
    assert f"A1:{end}1" in merges                                   # title centred over what prints
    unit = next(m for m in ws.merged_cells.ranges if m.min_row == 2 and ws.cell(2, m.min_col).value == A11.unit_line)
    assert unit.max_col == last                                     # right-aligned unit line ends on the page
    assert ws["A2"].value.startswith(A11.org_line)


def _widths(ws) -> dict[int, float]:
    """Column widths as stored (openpyxl keeps a <col min max> group under its first letter only)."""
    out = {}
    for dim in ws.column_dimensions.values():
        for c in range(dim.min, dim.max + 1):
            out[c] = dim.width
    return out


def test_a11_is_legible_on_one_page_wide(merged):
    """Fit to width shrinks by the printed width: 序号 + 21 columns must stay near A4's ~150 at 100 %."""
    ws = openpyxl.load_workbook(merged)["附件11"]
    stored = _widths(ws)
    widths = [stored[c] for c in range(1, PRINTED + 1)]
    assert sum(widths) <= 200, widths                               # the spec widths summed to 244 (~4.5 pt print)
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
    heads = [ws.cell(r, c).value for r in (3, 4) for c in range(1, PRINTED + 1) if ws.cell(r, c).value]
    for h in heads:
        lines = h.split("\n")
        assert not any(re.fullmatch(r"[）)、]+", line) for line in lines), h
        for line in lines[:-1]:
            assert not line.endswith(("（", "(")), h
    # a wrapped base name gets the height it needs: rows do not grow by themselves on open
    # (stored widths carry xlsxwriter's 0.71 of padding over the width asked for)
    for r in range(5, ws.max_row):
        v = ws.cell(r, 2).value
        if isinstance(v, str) and ws.cell(r, 1).value != A11.total_label:
            assert ws.row_dimensions[r].height >= row_height(lines_needed(v, stored[2] - 0.71)) - 0.5


def test_firm_sheet_header_row_fits_its_labels(merged):
    ws = openpyxl.load_workbook(merged)["入驻企业"]
    head = 3                                          # under the title and 填报单位 lines
    height = ws.row_dimensions[head].height
    assert height is not None
    for c in range(1, ws.max_column + 1):
        text = ws.cell(head, c).value
        # broken to fit its column (lines_needed counts 1 a line), and the row holds every line
        assert lines_needed(text, _widths(ws)[c] - 0.71) == text.count("\n") + 1, text
        assert height >= row_height(text.count("\n") + 1) - 0.5, text   # stored in whole pixels
    labels = [ws.cell(head, c).value.replace("\n", "") for c in range(1, ws.max_column + 1)]
    assert "所在县（市、区）" in labels and "营业收入（万元）" in labels


def test_units_chart_has_whole_number_axis_and_apart_labels(merged):
    with zipfile.ZipFile(merged) as zf:
        xml = next(zf.read(n).decode() for n in zf.namelist() if n.startswith("xl/charts/chart"))
    first_axis = xml[xml.index("<c:valAx>"):xml.index("</c:valAx>")]
    assert re.search(r'<c:majorUnit val="\d+"/>', first_axis) and '<c:min val="0"/>' in first_axis
    positions = re.findall(r'<c:dLblPos val="(\w+)"/>', xml)
    assert set(positions) == {"inBase", "t"}                       # bars' labels at their feet, the line's above


@given(st.text(alphabet="基地服务人员数企业（）、abc()1", min_size=1, max_size=30), st.floats(3, 30))
def test_balanced_lines_keeps_text_and_fits(text, width):
    out = balanced_lines(text, width)
    assert out.replace("\n", "") == text
    cap = 2 * chars_per_line(width)
    if "\n" in out:
        for line in out.split("\n"):
            # a line only overflows when a single character (with its trailing punctuation) does
            assert display_width(line) <= cap or len(line.rstrip("）)、，,。：:")) <= 2, (out, cap)
        for line in out.split("\n")[1:]:
            assert not line.startswith(("）", ")", "、")), out


# ---------------------------------------------------------------- printed through LibreOffice


@pytest.mark.libreoffice
def test_printed_a11_shows_unit_line_at_a_readable_size(merged, tmp_path):
    require_soffice()
    require_cjk_font()
    pdf = soffice_convert(merged, "pdf", tmp_path)
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout.replace(" ", "")
    assert A11.unit_line in text and A11.org_line.rstrip("：") in text
    cached = openpyxl.load_workbook(merged, data_only=True)["附件11"]
    total = next(r for r in range(5, cached.max_row + 1) if cached.cell(r, 1).value == A11.total_label)
    assert f"{cached.cell(total, PRINTED).value:.2f}" in text         # the last official column is on the page
    heights = number_heights(pdf, 1)
    assert heights and statistics.median(heights) >= 7.0          # digits' boxes: 5.6 pt before (about 4.5 pt type)
