"""What a workbook we write pre-filled shows when it is opened must be true. LibreOffice opens an .xlsx with its
default setting (Recalculation on file load, Excel 2007 and newer: never recalculate) and shows every result the
file caches; our blank template caches the blank form's results, so a sample written from it printed three correct
附件2 dates red until recalculated (templates.on_open). The committed samples and each programme's 汇总表 written
with rows are converted to PDF as LibreOffice opens them — its default settings, nothing forced from our side —
and after a full recalculation: every page renders the same (pdftoppm), so what a clerk sees on opening is what
the recalculated sheet says, which the agreement tests (test_template_rules_agree, test_programme_summary_agree)
hold to validate's verdicts. The form sheets keep the results computed from the values given, which readers read."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from conftest import soffice_convert_all
from saved_values import sheet_values
from every_template import REPO, generic_programmes
from pdf_pages import page_sizes

SAMPLES = REPO / "samples"


def _ours(path: Path) -> bool:
    """A sample our code wrote from a template (the others: a clerk's retyped 汇总表, a corrupt download, an .xls)."""
    from xlbase.templates.check_sheet import CHECK_SHEET
    if path.suffix != ".xlsx" or not zipfile.is_zipfile(path):
        return False
    return CHECK_SHEET in openpyxl.load_workbook(path, read_only=True).sheetnames


def _pages(pdf: Path) -> list[bytes]:
    return [subprocess.run(["pdftoppm", "-r", "40", "-gray", "-f", str(i), "-l", str(i), str(pdf)],
                           capture_output=True, check=True).stdout for i in range(1, len(page_sizes(pdf)) + 1)]


def _opened_as_recalculated(books: list[Path], tmp_path: Path) -> dict[str, list[int]]:
    """book name -> the pages that print otherwise as opened than recalculated ([0]: a different page count)."""
    opened = soffice_convert_all(books, "pdf", tmp_path / "opened", timeout=900)
    recalculated = soffice_convert_all(books, "pdf", tmp_path / "recalculated", timeout=900, recalc=True)
    out = {}
    for book, a, b in zip(books, opened, recalculated):
        pa, pb = _pages(a), _pages(b)
        out[book.name] = [0] if len(pa) != len(pb) else [i + 1 for i, (x, y) in enumerate(zip(pa, pb)) if x != y]
    return out


@pytest.mark.libreoffice
def test_the_committed_samples_open_as_they_recalculate(tmp_path):
    books = [p for p in sorted(SAMPLES.rglob("*.xlsx")) if _ours(p)]
    assert len(books) >= 4, books
    differ = {name: pages for name, pages in _opened_as_recalculated(books, tmp_path).items() if pages}
    assert not differ, f"pages printed otherwise as opened than recalculated: {differ}"


def _row(form, n: int) -> dict:
    from xlbase.forms import value_list
    row = {}
    for f in form.table_fields:
        if f.merge_only:
            continue
        if f.type == "choice":
            row[f.key] = value_list(f.choices)[0] if f.choices and value_list(f.choices) else f"选项{n}"
        elif f.is_numeric:
            row[f.key] = "12人" if n == 2 else (f.min - 1 if n == 3 and f.min is not None else 10)
        else:
            row[f.key] = {"date": "2018.3.15" if n == 2 else dt.date(2018, 1, 1), "phone": "13800000000",
                          "yesno": "是"}.get(f.type, f"第{n}单位")
    return row


@pytest.mark.libreoffice
def test_a_programmes_filled_summary_opens_as_it_recalculates(tmp_path):
    """A 汇总表 written with rows (a typed figure with its unit, a date with dots, a figure under its bound: reads and
    marks that differ from the blank form's) shows on opening what it shows recalculated."""
    from xlbase.forms.programmes import load_programme, using
    from xlbase.rules.programme import load_generic_pack
    from xlbase.templates.programme import write_summary_template
    books = []
    for name in generic_programmes():
        programme = load_programme(name)
        with using(programme):
            form = programme.form(programme.layout("summary.yaml")["form"])
            path = tmp_path / f"{name}.xlsx"
            write_summary_template(programme, path, pack=load_generic_pack(programme),
                                   rows=[_row(form, n) for n in range(1, 5)])
        books.append(path)
    differ = {name: pages for name, pages in _opened_as_recalculated(books, tmp_path).items() if pages}
    assert not differ, f"pages printed otherwise as opened than recalculated: {differ}"


def test_a_prefilled_workbook_caches_no_blank_form_result_and_keeps_the_forms(tmp_path):
    """Written pre-filled, the formulas of the hidden helper sheets and of the 表内检查 cache no result (each suite
    computes them on opening), while the form sheets keep what was computed from the values given: 附件10's base
    name, taken from 附件2 by a formula, is read from the file as typed."""
    from xlbase.forms import get_form
    from xlbase.templates.check_sheet import CHECK_SHEET
    from xlbase.templates.workbooks import write_applicant_workbook
    base = {"base_name": "忻州市五台县测试双创基地", "operator": "五台县测试运营有限公司", "registered_on": "2019.3"}
    path = write_applicant_workbook(tmp_path / "填好.xlsx", base=base)
    blank = write_applicant_workbook(tmp_path / "空白.xlsx")
    with zipfile.ZipFile(path) as z, zipfile.ZipFile(blank) as zb:
        names = dict(re.findall(r'<sheet name="([^"]+)"[^>]*r:id="(rId\d+)"', z.read("xl/workbook.xml").decode()))
        hidden = set(re.findall(r'<sheet name="([^"]+)"[^>]*state="hidden"', z.read("xl/workbook.xml").decode()))
        rels = {rid: target for target, rid in
                re.findall(r'Target="([^"]+)"[^>]*Id="(rId\d+)"', z.read("xl/_rels/workbook.xml.rels").decode())}
        rels.update(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]+)"', z.read("xl/_rels/workbook.xml.rels").decode()))
        for sheet in [*hidden, CHECK_SHEET]:
            part = "xl/" + rels[names[sheet]].removeprefix("/xl/")
            cached = re.findall(r"</f><v>([^<]+)</v>", z.read(part).decode())
            assert not cached, (sheet, cached[:3])
            assert re.findall(r"</f><v>([^<]+)</v>", zb.read(part).decode()) or sheet == "lists", sheet
    a10 = get_form("附件10")
    assert base["base_name"] in sheet_values(path, a10.sheet).cells.values(), "附件10 reads the name typed"
