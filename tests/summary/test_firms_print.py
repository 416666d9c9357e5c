"""The 入驻企业 sheet prints as a document: a title and 填报单位 line, A4 landscape one page wide, the
header row on every page, the columns an officer checks on paper (来源文件, 工作表, 行号 stay on screen),
and type of at least 7 pt as LibreOffice prints it."""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import column_index_from_string

from conftest import number_heights, require_cjk_font, require_soffice, soffice_convert
from xlbase.forms import get_form
from xlbase.commands.merge import merge_command

A3 = get_form("附件3")
BOOKKEEPING = ("来源文件", "工作表", "行号")


@pytest.fixture(scope="module")
def merged(tmp_path_factory, generated_counties) -> Path:
    root = tmp_path_factory.mktemp("firms_print")
    shutil.copytree(generated_counties, root / "counties")
    out = root / "汇总表.xlsx"
    merge_command([str(root / "counties")], out=out, unit="忻州市工业和信息化局", quiet=True)
    return out


def _heads(ws, row: int) -> list[str]:
    return [str(ws.cell(row, c).value or "").replace("\n", "") for c in range(1, ws.max_column + 1)]


def test_title_unit_line_and_header_repeated(merged):
    ws = openpyxl.load_workbook(merged)["入驻企业"]
    assert A3.title in ws["A1"].value
    assert ws["A2"].value.startswith(A3.org_line) and "忻州市工业和信息化局" in ws["A2"].value
    heads = _heads(ws, 3)
    assert heads[:2] == ["序号", "所属基地"] and "企业名称" in heads
    assert ws.print_title_rows.replace("$", "") == "3:3"
    assert ws.freeze_panes == "C4" and ws.auto_filter.ref.startswith("A3:")
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize in (9, "9")
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0


def test_bookkeeping_columns_are_off_the_print_area(merged):
    ws = openpyxl.load_workbook(merged)["入驻企业"]
    area = str(ws.print_area[0] if isinstance(ws.print_area, list) else ws.print_area).split("!")[-1]
    a, b = area.replace("$", "").split(":")
    last_col = column_index_from_string(re.sub(r"\d", "", b))
    assert a.startswith("A1") or re.sub(r"\d", "", a) == "A"
    assert int(re.sub(r"\D", "", b)) == ws.max_row                       # every firm row prints
    heads = _heads(ws, 3)
    printed, off = heads[:last_col], heads[last_col:]
    assert not set(BOOKKEEPING) & set(printed) and set(BOOKKEEPING) <= set(off)
    for f in A3.official_table_fields:                                   # every official column is on paper
        assert any(h.startswith(f.label) for h in printed), f.label
    merged_title = next(m for m in ws.merged_cells.ranges if m.min_row == 1)
    assert merged_title.max_col == last_col                               # the title is centred on the page


@pytest.mark.libreoffice
def test_printed_firm_list_is_legible(merged, tmp_path):
    require_soffice()
    require_cjk_font()
    pdf = soffice_convert(merged, "pdf", tmp_path)
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    n = int(re.search(r"Pages:\s+(\d+)", pages).group(1))
    firm_pages = []
    for page in range(1, n + 1):
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout.replace(" ", "")
        if "所属基地" in text and "企业名称" in text:
            firm_pages.append((page, text))
    assert firm_pages
    first = firm_pages[0][1]
    assert A3.title in first and "忻州市工业和信息化局" in first
    for page, text in firm_pages:
        assert "来源文件" not in text and ".xlsx" not in text              # bookkeeping stays on screen
        assert "所属基地" in text                                         # the header on every page
        heights = number_heights(pdf, page)
        assert heights and statistics.median(heights) >= 7.0, (page, statistics.median(heights))
