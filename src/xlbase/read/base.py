"""Which base each table belongs to: Table.base, and `_base` per row for 附件11.

In an applicant workbook 附件2/3/4/10 describe one base: its name and operator come
from 附件10's row, else 附件2's record, else 附件4's head. City and county fall back,
in order: the form's own columns, 附件2's 所在市县, the base name (identity.locate),
then the file's folder path (counties/忻州市/忻府区/x.xlsx, or a file named 忻府区.xlsx).
基地类型: 附件10's column, else 附件2's line, else the 附件1 cover (read.cover).
In 附件11 every row is a base: `_base`, `_city`, `_county` are added per row.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from ..identity import base_key, locate, locate_sender
from ..forms import APPLICANT_FORMS
from ..forms.roles import BASE_FORM, BASE_NAME, BASE_TYPE, CITY, COUNTY, OPERATOR, RECORD_FORM, RENT_FORM
from ..problems import Problem
from ..table import Table
from .cover import Cover, cover_problems

APPLICANT = APPLICANT_FORMS


def _first(*values: Any) -> Any:
    for v in values:
        if v not in (None, ""):
            return v
    return None


def path_location(path: str) -> tuple[str | None, str | None]:
    p = Path(path)
    parts = [*p.parent.parts[-3:], p.stem]
    return locate_sender("/".join(parts))


def _row0(t: Table | None, key: str) -> Any:
    if t is None or t.data.empty or key not in t.data.columns:
        return None
    return t.data[key].iloc[0]


def _lost_formula_value(v: Any) -> bool:
    """A formula result lost on the way: LibreOffice's .xls export stores 0 for text results."""
    if v is None or v == "":
        return True
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return v == 0
    if isinstance(v, str):
        return v.strip() in ("0", "0.0")
    if hasattr(v, "year"):
        return v.year <= 1900
    return False


def fill_identity_from_a2(tables: list[Table], problems: list[Problem]) -> list[Problem]:
    """Identity cells copied from 附件2 by formula (our template) that arrive empty or 0 get 附件2's value.

    Excel keeps the formula results; LibreOffice's .xls export writes 0 for text
    results, which would otherwise read as a base called "0" in city "0". The
    patched cells' own problems are dropped: the value the clerk typed is on 附件2.
    """
    a2 = next((t for t in tables if t.form_id == RECORD_FORM and t.record), None)
    if a2 is None:
        return problems
    patched: set[tuple[str, str]] = set()
    for t in tables:
        if t.form_id == RECORD_FORM:
            continue
        for f in t.form.fields:
            if not f.identity or (f.identity not in a2.record and f.identity not in a2.record_cells):
                continue
            typed = a2.record.get(f.identity)
            typed = None if typed == "" else typed
            if f.part == "record":
                if f.key in t.record_cells and _lost_formula_value(t.record.get(f.key)):
                    t.record[f.key] = typed
                    patched.add((t.sheet, t.record_cells[f.key]))
            elif len(t.data) == 1 and f.key in t.data.columns and _lost_formula_value(t.data[f.key].iloc[0]):
                t.data[f.key] = t.data[f.key].astype(object)
                t.data.at[t.data.index[0], f.key] = typed
                patched.add((t.sheet, t.cell(f.key, int(t.data["_row"].iloc[0]))))
    return [p for p in problems if (p.sheet, p.cell) not in patched]


def _place_fallback(tables: list[Table], path: str, operator: Any = None) -> tuple[str | None, str | None]:
    """Where a base is when its own name and columns do not say: the 填报单位 line above its
    tables ("五台县工信局"), then the folder path, then the operator's name ("五台县…有限公司").
    Each source fills only what the earlier ones left open, and only in the same city."""
    city = county = None
    sources = [t.org_line for t in tables if t.org_line]
    places = [locate_sender(s) for s in sources] + [path_location(path)] + ([locate(operator)] if operator else [])
    for c, k in places:
        if city is None and c:
            city = c
        if county is None and k and (city is None or c in (None, city)):
            county = k
            city = city or c
    return city, county


def assign_bases(tables: list[Table], problems: list[Problem], path: str, cover: Cover | None = None) -> list[Problem]:
    """Table.base for every table (module docstring). An application's 基地类型 comes from 附件10's row,
    else 附件2, else the 附件1 `cover` (read.cover), which then says how it was read or why it could not be."""
    problems = fill_identity_from_a2(tables, problems)
    by_form: dict[str, Table] = {}
    for t in tables:
        by_form.setdefault(t.form_id, t)
    a10, a2, a4 = by_form.get(BASE_FORM), by_form.get(RECORD_FORM), by_form.get(RENT_FORM)
    rec2 = a2.record if a2 else {}
    rec4 = a4.record if a4 else {}
    name = _first(_row0(a10, BASE_NAME), rec2.get(BASE_NAME), rec4.get(BASE_NAME))
    operator = _first(_row0(a10, OPERATOR), rec2.get(OPERATOR))
    pcity, pcounty = _place_fallback(tables, path, operator)
    ncity, ncounty = locate(name) if name else (None, None)
    city = _first(_row0(a10, CITY), rec2.get(CITY), ncity, pcity)
    county = _first(_row0(a10, COUNTY), rec2.get(COUNTY), ncounty if (ncounty and (not city or ncity == city)) else None,
                    pcounty if (not city or pcity == city) else None)
    base_type = _first(_row0(a10, BASE_TYPE), rec2.get(BASE_TYPE))
    if base_type is None and cover is not None and any(t.form_id in APPLICANT for t in tables):
        base_type = cover.base_type
        problems = problems + cover_problems(path, cover, str(name or ""))
    applicant = {"key": base_key(name, operator) if name else "", "name": name, OPERATOR: operator,
                 CITY: city, COUNTY: county, BASE_TYPE: base_type}
    ocity, ocounty = _place_fallback(tables, path)
    office = {"key": "", "name": None, OPERATOR: None, CITY: ocity, COUNTY: ocounty, BASE_TYPE: None}
    names: dict[tuple[str, str], str] = {}     # (sheet, row) -> the base's name, for the row's problems
    for t in tables:
        if t.form_id in APPLICANT:
            t.base = dict(applicant)
            continue
        t.base = dict(office)
        if t.data.empty:
            continue
        bases, cities, counties = [], [], []
        for _, row in t.data.iterrows():
            n, op = row.get(BASE_NAME), row.get(OPERATOR)
            bases.append(base_key(n, op) if n else "")
            lc, lk = locate(n) if n else (None, None)
            c = _first(row.get(CITY), lc, ocity)
            cities.append(c)
            counties.append(_first(row.get(COUNTY), lk if (lk and lc == c) else None,
                                   ocounty if ocity == c else None))
            names[(t.sheet, str(int(row["_row"])))] = str(n) if n else ""
        t.data["_base"] = bases
        t.data["_city"] = cities
        t.data["_county"] = counties
    out = []
    for p in problems:
        if p.base:
            out.append(p)
            continue
        owner = next((t for t in tables if t.sheet == p.sheet and t.form_id == p.form), None)
        if owner is None:
            out.append(p)
        elif owner.form_id in APPLICANT:   # Problem.base is the name people know, not the dedupe key
            out.append(replace(p, base=str(owner.base.get("name") or "")))
        else:
            digits = "".join(ch for ch in p.cell if ch.isdigit())
            out.append(replace(p, base=names.get((p.sheet, digits), "")))
    return out
