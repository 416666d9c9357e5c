"""The reports a clerk reads and prints: `validate --xlsx` and the 汇总表's 问题清单.

File names relative to the inputs (never a cut-off absolute path), the full path kept in a
later column; Chinese statuses; a title with the rule pack and 基准日期; one page wide.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from conftest import require_soffice, soffice_convert
from pdf_pages import line_sizes, page_sizes
from xlbase.commands.merge import merge_command
from xlbase.commands.validate import validate_command
from xlbase.reports.problems import FILE_STATUS, PROBLEM_COLUMNS, file_status

ENGLISH = set(FILE_STATUS) - {""}


@pytest.fixture(scope="module")
def inbox(tmp_path_factory, generated_counties) -> Path:
    root = tmp_path_factory.mktemp("reports") / "counties"
    shutil.copytree(generated_counties, root)
    return root.resolve()                       # absolute, as a clerk's file manager gives it


@pytest.fixture(scope="module")
def report(inbox, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("rep") / "问题.xlsx"
    validate_command([str(inbox)], xlsx_out=out)
    return out


def _column(ws, title: str, header_row: int = 3) -> list:
    col = next(c for c in range(1, ws.max_column + 1) if ws.cell(header_row, c).value == title)
    return [ws.cell(r, col).value for r in range(header_row + 1, ws.max_row + 1)]


def test_problem_list_names_files_relative_to_the_input(report, inbox):
    ws = openpyxl.load_workbook(report)["问题清单"]
    assert ws["A1"].value and "shanxi-2024-base" in ws["A2"].value and "基准日期：2024-08-25" in ws["A2"].value
    assert tuple(c.value for c in ws[3]) == PROBLEM_COLUMNS
    names = [v for v in _column(ws, "文件") if v]
    full = [v for v in _column(ws, "文件完整路径") if v]
    assert names and not any(v.startswith(str(inbox)) or v.startswith("/") for v in names)
    assert any("/" in v for v in names)                         # the county folder stays: 忻府区/…
    assert all(Path(v).is_absolute() for v in full) and len(full) == len(names)
    assert {Path(f).name for f in full} == {Path(n).name for n in names}
    # the full path is there on screen, not on paper
    area = ws.print_area[0] if isinstance(ws.print_area, list) else ws.print_area
    assert area.split("!")[-1].replace("$", "").startswith("A1:K")


def test_statuses_and_values_are_chinese(report):
    wb = openpyxl.load_workbook(report)
    files = wb["文件"]
    assert files["A1"].value and "shanxi-2024-base" in files["A2"].value and "2024-08-25" in files["A2"].value
    statuses = [v for v in _column(files, "状态") if v]
    assert statuses and not set(statuses) & ENGLISH
    assert "无法读取：文件不完整" in statuses                          # the sample's cut-off 补充材料
    names = [v for v in _column(files, "文件") if v]
    assert len(names) == len(statuses) and not any(v.startswith("/") for v in names)
    values = _column(wb["问题清单"], "值")
    assert not set(v for v in values if isinstance(v, str)) & ENGLISH
    for ws in (files, wb["问题清单"]):
        assert ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage


def test_file_status_labels():
    assert file_status("ok") == "已读取" and file_status("truncated") == "无法读取：文件不完整"
    assert file_status("new-code") == "无法读取（new-code）" and file_status(None) == ""


def test_merged_problem_list_shows_relative_names(inbox, tmp_path):
    out = tmp_path / "汇总表.xlsx"
    merge_command([str(inbox)], out=out, quiet=True)
    ws = openpyxl.load_workbook(out)["问题清单"]
    assert "基准日期" in ws["A2"].value and "shanxi-2024-base" in ws["A2"].value
    names = [v for v in _column(ws, "文件") if v]
    assert names and not any(v.startswith("/") for v in names)


@pytest.mark.libreoffice
def test_printed_file_list_keeps_names_beside_their_hashes(report, tmp_path):
    require_soffice()
    one = tmp_path / "文件.xlsx"
    wb = openpyxl.load_workbook(report)
    del wb["问题清单"]
    wb.save(one)
    pdf = soffice_convert(one, "pdf", tmp_path)
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    with_hash = [p for p in pages if "SHA-256" in p]
    assert with_hash and all(".xlsx" in p for p in with_hash)    # not a page of hashes without names


#: the smallest type on paper (issue 14's measure, kept for every printed report)
MIN_PT = 7.0


@pytest.mark.libreoffice
def test_the_problem_list_prints_at_7pt(report, tmp_path, box_per_pt):
    """The 问题清单 is the return slip a county reads on paper: every line of it, title, report line, header and
    each problem, at 7 pt or more (its eleven printed columns were 214 width units, fitted to A4 at 5.5 pt)."""
    require_soffice()
    one = tmp_path / "问题清单.xlsx"
    wb = openpyxl.load_workbook(report)
    for name in wb.sheetnames:
        if name != "问题清单":
            del wb[name]
    wb.save(one)
    pdf = soffice_convert(one, "pdf", tmp_path)
    sizes = [(size, p, text) for p in range(1, len(page_sizes(pdf)) + 1) for size, text in line_sizes(pdf, p, box_per_pt)]
    assert len(sizes) > 10
    small = [(round(size, 2), p, text[:40]) for size, p, text in sizes if size < MIN_PT]
    assert not small, small[:10]
