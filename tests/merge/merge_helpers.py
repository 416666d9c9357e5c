"""Build Tables and WorkbookReads by hand, so the merge core is tested without the reader."""

from __future__ import annotations

import pandas as pd

from xlbase.identity import base_key, locate
from xlbase.table import Table, WorkbookRead


def base_row(name, operator, *, firms=30, employees=300, area=5000.0, revenue=100.0, **extra):
    city, county = locate(name)
    row = {"base_name": name, "operator": operator, "registered_on": None, "independent_legal_person": True,
           "service_staff": 12, "resident_firms": firms, "employees": employees, "floor_area": area,
           "revenue": revenue, "taxes": 10.0, "investment_completed": 50.0, "partner_orgs": 6,
           "service_sessions": 20, "smes_served": 40, "service_events": 8, "incubated_firms": 2,
           "contest_firms": 1, "upgraded_firms": 1, "specialised_firms": 0, "hightech_firms": 1,
           "gov_funding": 20.0, "city": city, "county": county, "base_type": "楼宇型"}
    row.update(extra)
    return row


def identity(row):
    return {"key": base_key(row["base_name"], row["operator"]), "name": row["base_name"],
            "operator": row["operator"], "city": row.get("city"), "county": row.get("county"),
            "base_type": row.get("base_type")}


def applicant_read(path, row, firm_rows=()):
    """An applicant workbook: one 附件10 row and its 附件3 rows."""
    ident = identity(row)
    a10 = pd.DataFrame([{**row, "_row": 5}])
    t10 = Table("附件10", str(path), "附件10", header_row=4, data=a10, columns={"base_name": 2}, base=ident)
    a3 = pd.DataFrame([{**f, "_row": 5 + i} for i, f in enumerate(firm_rows)])
    t3 = Table("附件3", str(path), "附件3", header_row=4, data=a3, columns={"credit_code": 3}, base=ident)
    return WorkbookRead(str(path), "ok", [t10, t3], [], "0" * 64)


def summary_read(path, rows):
    """A 附件11 汇总表 with a per-row `_base` key."""
    df = pd.DataFrame([{**r, "_row": 5 + i, "_base": base_key(r["base_name"], r["operator"])}
                       for i, r in enumerate(rows)])
    t = Table("附件11", str(path), "附件11", header_row=4, data=df, columns={"base_name": 2}, base={})
    return WorkbookRead(str(path), "ok", [t], [], "1" * 64)


def firm(name, code, employees=10):
    return {"firm_name": name, "credit_code": code, "entered_on": None, "area": 100.0, "employees": employees,
            "revenue": 50.0, "profit": 5.0, "taxes": 1.0}
