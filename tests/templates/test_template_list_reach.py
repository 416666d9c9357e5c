"""A list typed past its ruled rows, down to the last row the template opens to typing, is judged by the
表内检查 as `xlbase validate` judges it, once LibreOffice has recalculated it: Shanxi's 附件3 and every list of
every generic programme (tests/programmes/cases). The row under that last one is locked
(tests/templates/test_template_typing_reach.py), so nothing the reader reads lies outside the sheet's ranges.

Before, an open-ended list's columns were open to the end of the sheet: a 设备清单 row typed at D36, under
太原's 30 template rows, was an equipment-date error for validate and nothing for the sheet.
"""

from __future__ import annotations

import json
import random
from collections import Counter

import openpyxl
import pytest
from openpyxl.utils import column_index_from_string, get_column_letter

from conftest import soffice_convert_all
from programme_inbox import fill, load_cases, make_templates, sheet_of, xlbase
from sample_generator import GEN
from template_clerk import sheet_counts, validate_counts
from xlbase.rules.programme import load_generic_pack
from xlbase.templates.workbooks import write_applicant_workbook

pytestmark = [pytest.mark.libreoffice, pytest.mark.filterwarnings("ignore:Print area cannot be set")]

CASES = load_cases()


def _last_open_row(ws, col: int, row: int) -> int:
    """The last row of the open run of cells in `col` starting at `row` (the list's rows a clerk can type),
    up to another block's line (a record's label under the list: 上一年度共服务企业)."""
    def open_row(r: int) -> bool:
        cell = ws.cell(r, col)
        labelled = any(isinstance(c.value, str) and c.value.strip() and c.protection.locked for c in ws[r])
        return cell.has_style and not cell.protection.locked and not labelled
    while open_row(row + 1):
        row += 1
    return row


def _copy_row_to_the_end(ws, cells: dict[str, str]) -> int | None:
    """Type the values of one typed row (label -> address) again in the list's last open row; that row, or
    None when the list has no open row under its typed ones."""
    refs = {ref: openpyxl.utils.cell.coordinate_from_string(ref) for ref in cells.values()}
    first_col = min(column_index_from_string(c) for c, _ in refs.values())
    row = max(r for _, r in refs.values())
    last = _last_open_row(ws, first_col, row)
    if last == row:
        return None
    for ref, (col, _) in refs.items():
        ws[f"{col}{last}"] = ws[ref].value
    return last


@pytest.fixture(scope="module", params=CASES, ids=[c.name for c in CASES])
def programme_lists(request, tmp_path_factory):
    case = request.param
    d = tmp_path_factory.mktemp(f"reach-{case.name}")
    templates = make_templates(case.name, d / "templates")
    (d / "src").mkdir()
    path = d / "src" / "extended.xlsx"
    where = fill(templates / case.applicant_file, path, case.programme, case.answers(), "甲单位")
    wb = openpyxl.load_workbook(path)
    extended = {}
    for form_id, given in case.answers().items():
        form = case.programme.forms.get(form_id)
        if form is None or form.kind != "table" or not isinstance(given, (list, dict)):
            continue
        first = {k.split("@")[0]: ref for k, ref in where.items() if k.startswith(f"{form_id}.") and k.endswith("@1")}
        if not first:
            continue
        ws = wb[sheet_of(case.programme, form_id)]
        if (row := _copy_row_to_the_end(ws, first)) is not None:
            extended[form_id] = row
    wb.save(path)
    res = xlbase("validate", str(path), "--programme", case.name, "--json", str(d / "r.json"))
    assert res.returncode in (0, 1), res.stdout + res.stderr
    problems = json.loads((d / "r.json").read_text(encoding="utf-8"))["problems"]
    pack = load_generic_pack(case.programme)
    found = Counter(p["rule"] for p in problems
                    if pack.has_rule(p["rule"]) and p["severity"] == pack.rule(p["rule"]).severity)
    rows = {p["cell"] for p in problems}
    book = soffice_convert_all([path], "xlsx", d / "lo")[0]
    return case, extended, found, rows, book


def test_a_programme_list_typed_to_its_last_row_is_judged_as_validate_judges_it(programme_lists):
    case, extended, found, cells, book = programme_lists
    assert extended, f"{case.name}: no list has open rows under the typed ones"
    sheet = sheet_counts(book)
    differ = {rule: (n, found.get(rule, 0)) for rule, n in sheet.items() if n != found.get(rule, 0)}
    assert not differ, f"{case.name} lists extended to rows {extended}: rule -> (sheet, validate): {differ}"
    assert any(c and int("".join(ch for ch in c if ch.isdigit()) or 0) in extended.values() for c in cells), \
        f"{case.name}: no problem at a row typed at the end of a list {extended}: the agreement means little"


def test_shanxi_firm_list_typed_to_its_last_row_is_judged_as_validate_judges_it(tmp_path):
    rng = random.Random(9)
    firms = GEN.firms_for(rng, 25, "忻府区")          # past the ruled block
    base = GEN.base_record(rng, county="忻府区", short="晨光", operator="忻州晨光企业管理有限公司",
                           base_type="楼宇型", firms=firms)
    path = write_applicant_workbook(tmp_path / "a.xlsx", base=base, firms=firms)
    wb = openpyxl.load_workbook(path)
    ws = wb["附件3"]
    name_col = next(c.column for row in ws.iter_rows(max_row=5) for c in row if c.value == "企业名称")
    first = next(r for r in range(1, 40) if ws.cell(r, name_col).value == firms[0]["firm_name"])
    last = _last_open_row(ws, name_col, first)
    assert last > first + len(firms), last
    for c in range(1, ws.max_column + 1):
        if ws.cell(first, c).has_style and not ws.cell(first, c).protection.locked:
            ws.cell(last, c).value = ws.cell(first, c).value       # the first firm again, in the last row
    wb.save(path)
    validate = validate_counts(path)
    assert any(validate.values()), "the repeated firm must break a rule: the agreement means little"
    book = soffice_convert_all([path], "xlsx", tmp_path / "lo")[0]
    sheet = sheet_counts(book)
    differ = {rule: (n, validate.get(rule, 0)) for rule, n in sheet.items() if n != validate.get(rule, 0)}
    assert not differ, f"附件3 typed at row {last} ({get_column_letter(name_col)}): rule -> (sheet, validate): {differ}"


def test_a_firm_repeated_in_another_spelling_is_judged_as_validate_judges_it(tmp_path):
    """firm-duplicate compares folded names (text.fold: brackets of any style, spaces, filler punctuation):
    晋新(太原)科技 under 晋新（太原）科技, 晋新·太原 科技 under 晋新太原科技 are repeats for validate — and for the sheet,
    whose key dropped only spaces before (sheet 1, validate 2)."""
    rng = random.Random(9)
    firms = GEN.firms_for(rng, 6, "忻府区")
    firms[0]["firm_name"], firms[1]["firm_name"] = "忻州晋新（太原）科技有限公司", "忻州晋新(太原)科技有限公司 "
    firms[2]["firm_name"], firms[3]["firm_name"] = "忻州晋新太原商贸有限公司", "忻州晋新·太原\u3000商贸有限公司"
    base = GEN.base_record(rng, county="忻府区", short="晨光", operator="忻州晨光企业管理有限公司",
                           base_type="楼宇型", firms=firms)
    path = write_applicant_workbook(tmp_path / "a.xlsx", base=base, firms=firms)
    validate = validate_counts(path)
    assert validate["firm-duplicate"] == 2, validate
    sheet = sheet_counts(soffice_convert_all([path], "xlsx", tmp_path / "lo", recalc=True)[0])
    differ = {rule: (n, validate.get(rule, 0)) for rule, n in sheet.items() if n != validate.get(rule, 0)}
    assert not differ, f"rule -> (sheet, validate): {differ}"
