"""The reader reads every firm of a filled 附件3: the template of today (ruled, numbered rows with the
合计 line above them, rows typed past the ruled block) and the template committed before it
(tests/fixtures/old_templates.py), as clerks keep filling last year's download."""

from __future__ import annotations

import random
import warnings
from pathlib import Path

import openpyxl
import pytest

from old_templates import write_old_applicant
from sample_generator import GEN
from xlbase.forms import get_form
from xlbase.read import read_workbook
from xlbase.templates.table import column_plan
from xlbase.templates.workbooks import write_applicant_workbook

A3 = get_form("附件3")
N_FIRMS = 40                      # more than the ruled block: the clerk types on below it
BASE = {"base_name": "忻州市忻府区晨光楼宇双创基地", "operator": "忻州晨光企业管理有限公司", "city": "忻州市",
        "county": "忻府区", "base_type": "楼宇型", "service_staff": 12, "resident_firms": N_FIRMS, "employees": 400}


@pytest.fixture(scope="module")
def firms() -> list[dict]:
    return GEN.firms_for(random.Random(14), N_FIRMS, "忻府区")


def _firm_table(path: Path):
    read = read_workbook(path)
    tables = [t for t in read.tables if t.form_id == "附件3"]
    assert len(tables) == 1, [t.form_id for t in read.tables]
    return tables[0], read.problems


def _assert_every_firm(path: Path, firms: list[dict]) -> None:
    table, problems = _firm_table(path)
    assert list(table.data["firm_name"]) == [f["firm_name"] for f in firms]
    assert list(table.data["employees"]) == [f["employees"] for f in firms]
    assert list(table.data["credit_code"]) == [f["credit_code"] for f in firms]
    assert len(table.totals) == 1                      # the 合计 line, not a firm
    assert not [p for p in problems if p.severity in ("error", "warning")], [p.message for p in problems]


def _number_cells(ws) -> dict[int, object]:
    """序号 column: row -> value, from the header down."""
    return {r: ws.cell(r, 1).value for r in range(1, ws.max_row + 1)}


def test_a_clerk_types_past_the_ruled_block(firms, tmp_path):
    """Typed into the blank template as a clerk does: from 序号 1 down, numbering the rows past the
    ruled block by hand; every firm is read, the 合计 line is not."""
    path = write_applicant_workbook(tmp_path / "blank.xlsx")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")          # openpyxl cannot keep a whole-column print area
        wb = openpyxl.load_workbook(path)
    ws = wb[A3.sheet]
    numbers = _number_cells(ws)
    first = min(r for r, v in numbers.items() if v == 1)
    ruled = max(v for v in numbers.values() if isinstance(v, int))
    assert ruled < N_FIRMS                        # the list goes on past the printed block
    _, cols, _ = column_plan(A3)
    for i, firm in enumerate(firms):
        r = first + i
        if ws.cell(r, 1).value is None:
            ws.cell(r, 1, i + 1)
        for key, c in cols.items():
            if firm.get(key) is not None:
                ws.cell(r, c + 1, firm[key])
    wb.save(tmp_path / "typed.xlsx")
    _assert_every_firm(tmp_path / "typed.xlsx", firms)


def test_a_filled_copy_of_the_new_layout(firms, tmp_path):
    path = write_applicant_workbook(tmp_path / "filled.xlsx", base=BASE, firms=firms)
    _assert_every_firm(path, firms)


def test_a_blank_template_has_no_firm(tmp_path):
    """The numbered, ruled rows of a blank form are no firms (no required-field errors for them)."""
    path = write_applicant_workbook(tmp_path / "blank.xlsx")
    read = read_workbook(path)
    assert all(t.data.empty for t in read.tables if t.form_id == "附件3")
    assert not [p for p in read.problems if p.form == "附件3" or p.sheet == A3.sheet]
    assert not [p for p in read.problems if p.severity in ("error", "warning")], [p.message for p in read.problems]


def test_the_layout_committed_before(firms, tmp_path):
    path = write_old_applicant(tmp_path / "old.xlsx", BASE, firms)
    _assert_every_firm(path, firms)
    a10 = next(t for t in read_workbook(path).tables if t.form_id == "附件10")
    assert a10.data["base_name"].tolist() == [BASE["base_name"]]
    assert a10.data["resident_firms"].tolist() == [N_FIRMS]
