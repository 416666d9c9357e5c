"""One table's columns typed on two sheets of a workbook: the parts of one table, not two tables.

A clerk who runs out of page width types 附件10/11 as two sheets — 基本情况 (序号, 基地名称 … 建筑面积) and
运营及服务情况 (基地名称 again, 营业收入 … 获得政府支持资金金额) — each with a title and a units line. Read alone,
each sheet "lacked" the other's columns (错误 缺少栏目 on both) and each base became two half-empty rows of the
汇总表 (probe r4, session 15).

Two tables of one form on different sheets are parts of one when both have the base-name column, their base
names are the same (as a set, folded), and they share no other column the form has: each then lacks only
what neither has (Table.missing_fields, its missing-column problems made again for that), names the other's
sheet (Table.parts), and one info says how they were read. merge joins each base's rows of the parts.
"""

from __future__ import annotations

from itertools import combinations

from ..forms import get_form
from ..forms.roles import BASE_NAME, CITY, COUNTY
from ..problem_codes import MISSING_COLUMN, TABLE_PARTS
from ..problems import INFO, Problem
from ..table import Table
from ..text import fold
from .sheet_tables import missing_columns

#: columns two parts may both have: what names the row, not a figure of it
_SHARED = (BASE_NAME, CITY, COUNTY)


def join_parts(path: str, tables: list[Table], problems: list[Problem]) -> list[Problem]:
    """Find the parts among `tables` (module docstring), set their `missing_fields` and `parts`, and return
    `problems` with their missing-column problems made again and one info per pair."""
    out = list(problems)
    for a, b in combinations([t for t in tables if t.form.kind == "table" and BASE_NAME in t.columns], 2):
        if not _parts(a, b):
            continue
        a.parts, b.parts = (*a.parts, b.sheet), (*b.parts, a.sheet)
        for t, other in ((a, b), (b, a)):
            before = [p for p in out if p.rule == MISSING_COLUMN and p.sheet == t.sheet and p.form == t.form_id]
            t.missing_fields = [k for k in t.missing_fields if k not in other.columns]
            absent = [f for f in t.form.table_fields if f.key in t.missing_fields and f.official]
            header = before[0].cell if before else ""
            out = [p for p in out if p not in before]
            if before:
                out += missing_columns(path, t.sheet, header, t.form_id, absent, list(t.extra_columns))
        out.append(Problem(TABLE_PARTS, INFO,
                           f"{a.form_id}的栏目分在工作表“{a.sheet}”和“{b.sheet}”两处，两处的基地名称相同（{len(a.data)} 个）："
                           f"按同一基地的一行读取，合并时两处的数字归入同一行。", path, b.sheet,
                           b.cell(BASE_NAME, int(b.data["_row"].iloc[0])) if len(b.data) else "", b.form_id, BASE_NAME))
    return out


def _parts(a: Table, b: Table) -> bool:
    if a.form_id != b.form_id or a.sheet == b.sheet or a.data.empty or b.data.empty:
        return False
    shared = set(a.columns) & set(b.columns)
    if not shared <= set(_SHARED):
        return False
    fields = {f.key for f in get_form(a.form_id).table_fields}
    if not (set(a.columns) - shared) & fields or not (set(b.columns) - shared) & fields:
        return False
    names = _names(a)
    return names is not None and names == _names(b)


def _names(t: Table) -> frozenset[str] | None:
    names = [fold(v) for v in t.data[BASE_NAME] if isinstance(v, str) and v.strip()]
    return frozenset(names) if names and len(names) == len(t.data) else None
