"""Which base each 附件3 row goes to once the bases are decided: an application's own list, a list
attached by merge.attach, or a list whose base has no row (kept, with a warning)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from ..cell_refs import col_letters

from ..forms.roles import (BASE_FORM, BASE_NAME, CITY, COUNTY, FIRM_CODE, FIRM_FORM, OPERATOR)
from ..problems import WARNING, Problem
from ..table import Table, WorkbookRead
from .places import DIVISIONS, Places
from .lower import origin
from .revision import revision_rank
from ..problem_codes import (BASE_WITHOUT_ROW, FIRMS_LIST_REPEATED)
from .rows import APPLICANT, BaseRow, FirmRow, firm_keys
from .table_rows import cleaned_columns, column_cells, is_text, row_numbers, tidy_name
from .row_places import base_place


@dataclass
class FirmTable:
    """A 附件3 table waiting for its bases to be decided: cleaned columns and each row's base key."""

    path: str
    table: Table
    columns: dict[Any, list]
    keys: list[str]


def firm_table(t: Table, path: str, rekey: dict[str, str]) -> FirmTable:
    """Each row belongs to the table's base, or to its own `_base` (rows of a 汇总表's 附件3)."""
    cols = cleaned_columns(t.data)
    bkey = str(t.base.get("key") or "")
    keys = [str(b) if b else bkey for b in cols["_base"]] if "_base" in cols else [bkey] * len(t.data)
    return FirmTable(path, t, cols, [rekey.get(k, k) for k in keys])


def attach_firms(ft: FirmTable, names: dict[str, str | None]) -> list[FirmRow]:
    """The rows whose base `names` gives (key -> the base's name, None: not merged), as FirmRows."""
    if all(names.get(k) is None for k in set(ft.keys)):
        return []
    t, n = ft.table, len(ft.keys)
    blank = [None] * n
    values = zip(*(ft.columns.get(k, blank) for k in firm_keys()))
    if "_src" not in ft.columns:
        rows = row_numbers(t, ft.columns.get("_row"), n)
        cells = column_cells(t, FIRM_CODE, rows)
        return [FirmRow(v, k, name, ft.path, t.sheet, r, c)
                for v, k, r, c in zip(values, ft.keys, rows, cells) if (name := names.get(k)) is not None]
    # a lower level's 汇总表: each row keeps its original file, sheet, row and cell
    files = {s: origin(ft.path, s) for s in set(ft.columns["_src"])}
    where = zip([files[s] for s in ft.columns["_src"]], ft.columns.get("_src_sheet", blank),
                ft.columns.get("_src_row", blank), ft.columns.get("_src_cell", blank))
    return [FirmRow(v, k, name, f, s or "", r or 0, c or "")
            for v, k, (f, s, r, c) in zip(values, ft.keys, where) if (name := names.get(k)) is not None]


def firm_owners(firm_tables: list[FirmTable], winner_of: dict[str, BaseRow], rejected: set[str],
                 display: dict[str, str], places: Places = DIVISIONS) -> tuple[list[dict[str, str | None]], list[BaseRow], list[Problem]]:
    """Per firm table, key -> the name of the base its rows go to (None: not merged); the bases that have
    firms but no base row (`firm_only`); and the problems of both.

    A table of an applicant's workbook goes to its base when that base won with a row of this same file
    (a copy that lost is not counted twice). A list attached by merge.attach goes to its base wherever the
    base's row is, unless the base has a list of its own there, or another file's list for it ranks higher
    (resubmission by file name, then the later path): that list is set aside with a warning. A list of a
    base that has no row in the batch (named only by the list, or a lower 汇总表's such base) keeps its
    firms under that base, and the base gets one warning. Keys of rows rejected as samples or unnamed stay
    without a base.
    """
    own: set[str] = set()
    for ft in firm_tables:
        if not ft.table.base.get("attached"):
            own |= {k for k in set(ft.keys) if k in winner_of and winner_of[k].file == ft.path}
    by_key: dict[str, list[FirmTable]] = {}
    for ft in firm_tables:
        if ft.table.base.get("attached") and ft.keys:
            by_key.setdefault(ft.keys[0], []).append(ft)
    taken: dict[int, bool] = {}
    problems: list[Problem] = []
    for key, lists in by_key.items():
        ranked = sorted(lists, key=lambda ft: (revision_rank(PurePath(ft.path).name), ft.path), reverse=True)
        first = next((ft for ft in firm_tables if not ft.table.base.get("attached") and key in own
                      and ft.path == winner_of[key].file and key in ft.keys), None)
        keep_path = None if first is not None else ranked[0].path
        for ft in lists:
            taken[id(ft)] = ft.path == keep_path
            if ft.path != keep_path:
                other = first if first is not None else ranked[0]
                problems.append(Problem(
                    FIRMS_LIST_REPEATED, WARNING,
                    f"附件3（{display[ft.path]} {ft.table.sheet}，{len(ft.keys)} 行）{ft.table.base['attached']}归入基地"
                    f"“{ft.table.base.get('name') or ''}”，但该基地已有入驻企业名单（{display[other.path]} "
                    f"{other.table.sheet}），这份名单未重复计入汇总；请核实哪一份是准确的，删去另一份后重新报送。",
                    file=ft.path, sheet=ft.table.sheet, form=FIRM_FORM, base=str(ft.table.base.get("name") or ""),
                    value=len(ft.keys)))
    firm_only: dict[str, BaseRow] = {}
    counts: Counter = Counter()
    out = []
    for ft in firm_tables:
        t = ft.table
        attached, alone = bool(t.base.get("attached")), bool(t.base.get("firm_only"))
        per_row = dict(zip(ft.keys, ft.columns["_base_name"])) if "_base_name" in ft.columns else {}
        names: dict[str, str | None] = {}
        for k, n in Counter(ft.keys).items():
            w = winner_of.get(k)
            if w is not None:       # an application's own list, or a list attached to a base with a row
                names[k] = w.name if (taken.get(id(ft), False) if attached else w.file == ft.path) else None
                continue
            name = t.base.get("name") if attached else per_row.get(k)
            if (attached and not (alone and taken.get(id(ft)))) or not k or k == "|" or k in rejected \
                    or not is_text(name):
                names[k] = None
                continue
            if k not in firm_only:
                vals = {BASE_NAME: tidy_name(name), OPERATOR: t.base.get(OPERATOR) if alone else None,
                        CITY: t.base.get(CITY) if alone else None, COUNTY: t.base.get(COUNTY) if alone else None}
                city, county = base_place(vals, t, ft.path, places)
                vals[CITY], vals[COUNTY] = city, county
                firm_only[k] = BaseRow(k, vals, city, county, ft.path, t.sheet, 0, APPLICANT, 0)
            names[k] = firm_only[k].name
            counts[k] += n
        out.append(names)
    for k, b in firm_only.items():
        problems.append(Problem(
            BASE_WITHOUT_ROW, WARNING,
            f"基地“{b.name}”有入驻企业名单（{display.get(b.file, b.file)} {b.sheet}，{counts[k]} 户，已计入入驻企业），"
            "但本批材料中没有该基地的附件10（基本情况表），也没有汇总表中的行：汇总表附件11中没有该基地，"
            "其已入驻企业数、吸纳就业人数等未计入汇总；请补报该基地的附件10（或在县汇总表中补列该基地）。",
            file=b.file, sheet=b.sheet, form=BASE_FORM, base=b.name, value=counts[k]))
    return out, list(firm_only.values()), problems


def firm_columns(reads: list[WorkbookRead], firm_tables: list[FirmTable]) -> dict[tuple[str, str], str]:
    """(file, sheet) -> the credit-code column of each 附件3 sheet merged, also those behind a lower 汇总表."""
    out: dict[tuple[str, str], str] = {}
    for ft in firm_tables:
        col = ft.table.columns.get(FIRM_CODE)
        if "_src" not in ft.columns and col:
            out[(ft.path, ft.table.sheet)] = col_letters(col)
    for wr in reads:
        for entry in (wr.record or {}).get("firm_columns", ()):
            if len(entry) == 3 and all(isinstance(x, str) for x in entry):
                out[(origin(wr.path, entry[0]), entry[1])] = entry[2]
    return out
