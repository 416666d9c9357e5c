"""Build Tables by hand for rule tests (the reader is someone else's stage)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from openpyxl.utils.cell import get_column_letter

from xlbase.forms import get_form
from xlbase.table import Table

BASE = {"key": "b1", "name": "忻州市忻府区测试双创基地", "operator": "测试运营公司", "city": "忻州市",
        "county": "忻府区", "base_type": "楼宇型"}
HEADER_ROW = 4


def table(form_id: str, rows: list[dict], base: dict | None = None, file: str = "申报.xlsx") -> Table:
    """A table form with every field in official column order, data from row HEADER_ROW+1."""
    form = get_form(form_id)
    keys = [f.key for f in form.table_fields]
    data = pd.DataFrame([{k: r.get(k) for k in keys} for r in rows], columns=keys)
    data["_row"] = range(HEADER_ROW + 1, HEADER_ROW + 1 + len(rows))
    raw = data.drop(columns="_row").map(lambda v: None if v is None else str(v))
    for r_i, r in enumerate(rows):  # raw text the reader could not parse
        for k, v in (r.get("_raw") or {}).items():
            raw.loc[r_i, k] = v
    return Table(form_id=form_id, file=file, sheet=form.sheet, header_row=HEADER_ROW, data=data, raw=raw,
                 columns={k: i + 1 for i, k in enumerate(keys)}, base=dict(base or BASE))


def record(form_id: str, values: dict, base: dict | None = None, file: str = "申报.xlsx",
           rows: list[dict] | None = None) -> Table:
    """A record form: field i sits in B{i+3}; mixed forms (附件4) get table rows too."""
    form = get_form(form_id)
    rec_fields = form.record_fields
    cells = {f.key: f"B{i + 3}" for i, f in enumerate(rec_fields)}
    t = table(form_id, rows or [], base, file) if form.kind == "mixed" else Table(
        form_id=form_id, file=file, sheet=form.sheet, base=dict(base or BASE))
    if form.kind == "mixed":
        t.header_row = HEADER_ROW + 6
        t.data["_row"] = t.data["_row"] + 6
    t.record = {f.key: values.get(f.key) for f in rec_fields}
    t.record_raw = {k: (None if v is None else str(v)) for k, v in t.record.items()}
    t.record_cells = cells
    return t


def col(form_id: str, key: str) -> str:
    keys = [f.key for f in get_form(form_id).table_fields]
    return get_column_letter(keys.index(key) + 1)


def a10_row(**over) -> dict:
    row = dict(base_name=BASE["name"], operator=BASE["operator"], registered_on=dt.date(2020, 3, 1),
               independent_legal_person=True, service_staff=12, resident_firms=3, employees=30,
               floor_area=5000.0, revenue=800.0, taxes=20.0, investment_completed=100.0, partner_orgs=6,
               service_sessions=20, smes_served=50, service_events=8, incubated_firms=1, contest_firms=1,
               upgraded_firms=0, specialised_firms=0, hightech_firms=0, gov_funding=10.0,
               city="忻州市", county="忻府区", base_type="楼宇型")
    row.update(over)
    return row


CODES = ["91140900MA0K2XJJ7Y", "91140900MA0K2XJK5G", "91140900MA0K2XJL3R"]


def a3_rows(n: int = 3, **over) -> list[dict]:
    from stdnum.cn import uscc
    rows = []
    for i in range(n):
        body = f"9114090{i:010d}"[:17]
        code = body + uscc.calc_check_digit(body)
        rows.append(dict(firm_name=f"测试企业{i + 1}有限公司", credit_code=code, entered_on=dt.date(2022, 5, 1),
                         area=100.0, employees=10, revenue=100.0, profit=5.0, taxes=1.0, **over))
    return rows
