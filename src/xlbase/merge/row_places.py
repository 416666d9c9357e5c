"""Where a base row is and who sent it: (所在市, 所在县) from its own columns, its table's office,
its name or its folder; a section row's place; the places typed in the batch; a typed county that its
folder contradicts."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any


from ..forms.roles import (BASE_FORM, BASE_NAME, CITY, COUNTY, RECORD_FORM)
from ..forms import SUMMARY_FORM
from ..identity import unit_hint, zone_name
from ..problems import WARNING, Problem
from ..read.labels import section_title
from ..table import Table, WorkbookRead
from .places import DIVISIONS, UNKNOWN_UNIT, Places
from ..problem_codes import (PLACE_FOLDER_DIFFERS)
from .rows import APPLICANT, SUMMARY, BaseRow


def base_place(values: dict, table: Table, path: str, places: Places = DIVISIONS) -> tuple[str, str]:
    """(city, county) of a base: its own columns, then the table's base, its name, its file path.

    In a 汇总表 the table's base is the reporting office (its 填报单位 line or folder), so there
    a row's own name ("忻州市原平市…") comes first: a county's list may hold a neighbour's base.
    Under typed places (merge.places) the office is the place its 填报单位 line names.
    """
    city, county = places.known(values.get(CITY), values.get(COUNTY))
    named = places.locate(values.get(BASE_NAME))
    office = places.known(table.base.get(CITY), table.base.get(COUNTY))
    if places.typed and table.form_id == SUMMARY_FORM and office == (None, None):
        office = places.named(table.org_line)
    for c, k in ((named, office) if table.form_id == SUMMARY_FORM else (office, named)):
        if city and county:
            break
        if c and (not city or city == c):
            city, county = c, county or k
        elif places.typed and k and not county and c is None:
            county = k
    if not county or not city:
        c3, k3 = places.path_place(path)
        if c3 and (not city or city == c3):
            city, county = c3, county or k3
        elif places.typed and k3 and not county and c3 is None:
            county = k3
    return str(city or UNKNOWN_UNIT), str(county or UNKNOWN_UNIT)


def section_place(values: dict, section: Any, places: Places = DIVISIONS) -> None:
    """A base listed under a section row of a city's table ("一、榆次区") is in that section's place, unless
    its own columns or name say otherwise."""
    if not isinstance(section, str) or (values.get(CITY) and values.get(COUNTY)):
        return
    city, county = places.named(section) if places.typed else places.locate(section)
    named = places.locate(values.get(BASE_NAME))
    if county and not named[1] and not values.get(COUNTY) and (not values.get(CITY) or values[CITY] == city):
        values[COUNTY] = county
        values[CITY] = values.get(CITY) or city


def typed_places(reads: list[WorkbookRead]) -> list[tuple[Any, Any]]:
    """Every (所在市, 所在县) typed in the batch's base tables and records: the place list of a programme
    that names none (merge.places.Typed)."""
    out: list[tuple[Any, Any]] = []
    for wr in reads:
        for t in wr.tables:
            if t.record:
                out.append((t.record.get(CITY), t.record.get(COUNTY)))
            if t.form_id in (BASE_FORM, SUMMARY_FORM) and not t.data.empty and CITY in t.data.columns:
                counties = t.data[COUNTY] if COUNTY in t.data.columns else [None] * len(t.data)
                out += list(zip(t.data[CITY], counties))
    return out


def folder_places(wr: WorkbookRead, bases: list[BaseRow], places: Places) -> list[Problem]:
    """A 警告 for each base row of `wr` whose typed county is not the place its folder names (filed under
    临清市/, typed 东昌府区): the typed place is kept, and the message names both — never one silently."""
    out = []
    typed_at = next(((t.sheet, t.record_cells[COUNTY]) for t in wr.tables
                     if t.form_id == RECORD_FORM and t.record_cells.get(COUNTY)), None)
    for b in bases:
        if b.file != wr.path or b.carried_source:
            continue
        folder = places.folder_disagrees(b.city, b.county, wr.path)
        if folder is None:
            continue
        sheet, cell = typed_at if b.kind == APPLICANT and typed_at else (b.sheet, b.cell_of(COUNTY)[1])
        out.append(Problem(
            PLACE_FOLDER_DIFFERS, WARNING,
            f"“{b.name}”的所在县（市、区）填写为“{b.county}”，而这份材料放在“{folder}”文件夹中：汇总表按填写的"
            f"“{b.county}”计入。请核实它属于“{b.county}”还是“{folder}”（以推荐单位的盖章为准），"
            "填错的改正所在县，放错的移到所属县的文件夹后重新汇总。",
            file=wr.path, sheet=sheet, cell=cell, form=SUMMARY_FORM, field=COUNTY, base=b.name,
            value=b.county, threshold=folder))
    return out


def reporter_of(t: Table, path: str, kind: str, places: Places = DIVISIONS) -> str | None:
    """The county that sent a row: a 汇总表's office (read.base puts it in the table's base; under typed places
    the one its 填报单位 line names), else the folder."""
    if kind == SUMMARY and t.base.get(COUNTY):
        return str(t.base[COUNTY])
    if places.typed and kind == SUMMARY and places.named(t.org_line)[1]:
        return places.named(t.org_line)[1]
    return places.path_place(path)[1]


def unit_of(county: str, t: Table, path: str, section: Any = None) -> str:
    """The unit that sent a base whose county is not known: a zone its section row names ("二、晋中开发区"
    in a city's table), or a zone or office its 填报单位 line or path names, so that 各县情况 never says
    （未注明） while a name is at hand."""
    if county != UNKNOWN_UNIT:
        return ""
    if isinstance(section, str):
        hint = zone_name(section_title(section))
        if hint:
            return hint
    p = PurePath(path)
    return unit_hint(t.org_line, "/".join([*p.parent.parts[-3:], p.stem])) or ""
