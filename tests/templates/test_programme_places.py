"""A programme's place lists come from its own data, never another province's (issue 16).

聊城 runs on Shanxi's forms, whose 所在市 and 所在县（市、区） were dropdowns of Shanxi's 11 cities and 117
counties — a 聊城 clerk was offered 太原市, and typing 聊城市 was an error for validate. The manifest now says
whose divisions a programme's place lists hold (`places:`); 聊城's names none, so its place cells are typed,
with a prompt, judged by neither validate nor the 表内检查 against a list, and the workbook carries no Shanxi
place at all. Shanxi's own programmes keep their dropdowns.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from conftest import soffice_convert
from programme_inbox import make_templates
from template_clerk import Clerk, base_for, sheet_counts
from xlbase.forms import divisions
from xlbase.forms.programmes import load_programme, using

pytestmark = pytest.mark.filterwarnings("ignore:Print area cannot be set")

#: a Shanxi city named anywhere (太原, 忻州市…), or a cell holding exactly one of its county-level divisions
CITIES = re.compile("|".join(c[:-1] for c in divisions()["cities"]))
COUNTIES = {c for cs in divisions()["cities"].values() for c in cs}
PLACE_TITLES = ("所在市", "所在县（市、区）")


def _templates(name: str, out: Path) -> list[Path]:
    """What `xlbase templates --programme NAME` writes (programme_inbox.make_templates)."""
    return sorted(make_templates(name, out).glob("*.xls[xm]"))


def _place_validations(wb) -> list:
    return [(ws.title, dv) for ws in wb for dv in ws.data_validations.dataValidation if dv.promptTitle in PLACE_TITLES]


@pytest.mark.parametrize("name", ["liaocheng-2021", "hengyang-2023"])
def test_a_programme_outside_shanxi_carries_no_shanxi_place(name, tmp_path):
    """聊城 (Shanxi's forms, no places named; its hidden list sheet held Shanxi's 11 cities and 117 counties) and
    衡阳 (its own list of its units): not one Shanxi place in any cell, validation or defined name."""
    books = _templates(name, tmp_path / name)
    assert books
    for book in books:
        wb = openpyxl.load_workbook(book)
        shanxi = [(ws.title, c.coordinate, c.value) for ws in wb for row in ws.iter_rows() for c in row
                  if isinstance(c.value, str) and (CITIES.search(c.value) or c.value.strip() in COUNTIES)]
        assert not shanxi, (book.name, shanxi[:5])
        said = [t for ws in wb for dv in ws.data_validations.dataValidation
                for t in (dv.prompt, dv.error, dv.formula1) if t and CITIES.search(t)]
        assert not said, (book.name, said[:3])
        assert not [n for n in wb.defined_names if n.startswith(("xl_city", "xl_county", "xl_loc"))], book.name


def test_liaochengs_place_cells_are_typed_with_a_prompt(tmp_path):
    books = _templates("liaocheng-2021", tmp_path / "liaocheng")
    applicant = openpyxl.load_workbook(next(b for b in books if b.suffix == ".xlsx" and "申报表" in b.name))
    places = _place_validations(applicant)
    assert "附件2" in {sheet for sheet, _ in places}, places     # 附件10's are formulas taken from 附件2
    for sheet, dv in places:
        assert dv.type != "list" and "填写" in (dv.prompt or ""), (sheet, dv.type, dv.prompt)


def test_shanxis_templates_keep_their_place_dropdowns(tmp_path):
    book = next(b for b in _templates("shanxi-2024-base", tmp_path / "shanxi") if "申报表" in b.name)
    places = _place_validations(openpyxl.load_workbook(book))
    assert places and all(dv.type == "list" for _, dv in places), places


def _choice_requirements(book: Path) -> str:
    """The 要求 text of the 表内检查's choice line (选项为下拉列表中的值)."""
    ws = openpyxl.load_workbook(book)["表内检查"]
    return " ".join(str(v) for row in ws.iter_rows(values_only=True) if "选项为下拉列表中的值" in row
                    for v in row if isinstance(v, str))


@pytest.mark.parametrize("name, named", [("liaocheng-2021", False), ("shanxi-2024-base", True)])
def test_the_check_sheet_names_a_place_only_where_it_is_chosen_from_a_list(name, named, tmp_path):
    """聊城's 表内检查 said “所在市、所在县（市、区）从下拉列表选择” (and 附件11's: …填写列表外的值时为“请核实”) over
    place cells that are typed, with no list; Shanxi's, whose places are dropdowns, keeps naming them."""
    for book in (b for b in _templates(name, tmp_path / name) if b.suffix == ".xlsx"):
        text = _choice_requirements(book)
        assert text, book.name
        assert all((title in text) == named for title in PLACE_TITLES), (book.name, text)


@pytest.mark.libreoffice
def test_a_liaocheng_place_is_no_error_for_validate_or_the_sheet(tmp_path):
    """聊城市 / 东昌府区 typed in a 聊城 workbook: validate --programme liaocheng-2021 reports no choice problem
    (it said 不在下拉列表中, listing Shanxi's cities), and the recalculated 表内检查 counts none either."""
    from xlbase.templates.workbooks import write_applicant_workbook
    base, firms, comps = base_for(28)
    with using(load_programme("liaocheng-2021")):
        written = write_applicant_workbook(tmp_path / "t.xlsx", base=base, firms=firms, comparables=comps)
    path = tmp_path / "src" / "聊城.xlsx"
    path.parent.mkdir()
    shutil.copyfile(written, path)
    clerk = Clerk(path)
    for key, value in (("city", "聊城市"), ("county", "东昌府区")):
        clerk.record("附件2", key, value)
        cell = clerk.wb["附件10"][clerk.tables["附件10"].cell(key, int(clerk.tables["附件10"].data["_row"].iloc[0]))]
        if not str(cell.value or "").startswith("="):
            cell.value = value
    clerk.save()
    js = tmp_path / "r.json"
    done = subprocess.run([sys.executable, "-m", "xlbase", "validate", str(path), "--programme", "liaocheng-2021",
                           "--json", str(js)], capture_output=True, text=True, timeout=300)
    assert done.returncode in (0, 1), done.stderr
    problems = json.loads(js.read_text(encoding="utf-8"))["problems"]
    assert not [p for p in problems if p["rule"] == "choice"], [p["message"] for p in problems if p["rule"] == "choice"]
    assert not [p for p in problems if "太原" in p["message"]]
    recalculated = soffice_convert(path, "xlsx", tmp_path / "lo")
    assert sheet_counts(recalculated).get("choice", 0) == 0
