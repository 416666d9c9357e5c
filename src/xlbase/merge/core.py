"""Merge core: base rows and firm rows from many reads into one deduplicated set.

Pure data in, data out (no files written, nothing printed), so it is tested on
hand-built Tables. Every data row read ends either merged or rejected with a
Problem that names it; `MergeResult.check_accounting()` asserts that.

Which rows count (`row_tables`, the one definition; `xlbase validate` reports the same
rows_read): base rows are 附件10 rows of applicant workbooks (or, when an applicant
workbook has no 附件10, its 附件2 record) and 附件11 rows of summary tables; firm rows
are 附件3 rows (of a lower level's 汇总表 of ours: its 入驻企业 rows). 附件4 comparables,
and a 附件2 next to a 附件10, are supporting evidence for validation: not merged, not counted.

Rows of a lower level's 汇总表 of ours keep their original file, sheet and row
(`BaseRow.origin`, `FirmRow.file` = “汇总表 ← 原来源文件”, see merge.lower), so that
merging counties' 汇总表s gives the problems merging their sources would give.

Duplicate rule (the same `identity.base_key(name, operator)` from two rows, a base spelled
with and without its place counting as one, see `same_base_aliases`):
  1. a row from an applicant workbook beats a row of a 附件11 汇总表;
  2. then the resubmission, by its file name (“…(修改)”, “…0820”, “Re_…”, “…v2”; a “（1）”
     or “副本” copy loses to its original; see merge.revision);
  3. then the row in the list of the base's own county (a base a neighbour listed by mistake);
  4. then the more complete row (more official columns filled);
  5. then the file whose path sorts last, then the later row in that file.
The losers are rejected with a `duplicate-base` warning naming both sources; the problems
found in what was not adopted become notes (`superseded_problems`).
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import PurePath
from typing import Any, Iterable

from functools import lru_cache

import numpy as np
from xlsxwriter.utility import xl_col_to_name

from ..forms.roles import (BASE_FORM, BASE_NAME, BASE_TYPE, CITY, COUNTY, FIRM_CODE, FIRM_FORM, FIRM_NAME, OPERATOR,
                           RECORD_FORM, SOURCE_FILE)
from ..forms import SUMMARY_FORM, divisions, get_form, reporting_units
from ..forms.programmes import DEFAULT_NOUN
from ..identity import base_key, split_place, unit_hint, zone_name
from ..problems import ERROR, INFO, WARNING, Problem
from ..read.labels import section_title
from ..table import Table, WorkbookRead
from ..text import fold
from .conflicts import base_conflicts
from .places import DIVISIONS, UNKNOWN_UNIT, Places, places_for
from .lower import MISSING, ORIGIN_SEP, origin
from .revision import revision_rank
from ..problem_codes import (BASE_WITHOUT_ROW, DUPLICATE_BASE, DUPLICATE_ENTERPRISE, FIRMS_LIST_REPEATED,
                             INCOMPLETE_TOTAL, MERGE_FIRMS_UNATTACHED, MERGE_SAMPLE_ROW, MERGE_UNNAMED_BASE,
                             PLACE_FOLDER_DIFFERS)

APPLICANT = "applicant"
SUMMARY = "summary"
LEVELS = ("county", "city", "province")
# found again by every merge over the rows a lower level's 汇总表 carries, so not carried as problems (a base
# without a base row is found again from the carried firms)
RECOMPUTED_RULES = frozenset({DUPLICATE_ENTERPRISE, INCOMPLETE_TOTAL, BASE_WITHOUT_ROW})


def clean(v: Any) -> Any:
    """pandas hands back NaN/NaT for blanks; the merge wants None."""
    t = type(v)
    if t is str:                    # the common cases first: no pandas, no hasattr
        return v if v.strip() else None
    if t is int or t is bool:
        return v
    if t is float:
        return None if v != v else v
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    try:
        import pandas as pd
        if v is pd.NaT or (not isinstance(v, (str, bytes, list, dict, tuple)) and pd.isna(v)):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        try:
            return v.item()
        except (AttributeError, ValueError):
            pass
    if isinstance(v, str) and not v.strip():
        return None
    return v


@dataclass
class BaseRow:
    """One candidate row of the merged 附件11."""

    key: str
    values: dict[str, Any]
    city: str
    county: str
    file: str
    sheet: str
    row: int
    kind: str                   # APPLICANT or SUMMARY
    file_order: int
    carried_source: str = ""    # the original file a lower level's 汇总表 took this row from
    cell: str = ""
    reporter: str | None = None  # county of the office whose file holds the row (its 填报单位 line or folder)
    at: tuple[str, int] = ("", 0)  # sheet and row of the row in `file` itself (sheet/row say where it came from)
    unit: str = ""              # county unknown: who sent it, from the 填报单位 line or path (identity.unit_hint)
    lacking: tuple[str, ...] = ()  # official numeric columns its table does not have: their 汇总 is incomplete
    columns: dict[str, int] | None = None      # the table's field -> column (shared, not copied), for cell_of
    record_cells: dict[str, str] | None = None  # a 附件2 record standing in for 附件10: field -> cell

    @property
    def form_id(self) -> str:
        """The form the row was read from: an applicant's 附件10 (or its 附件2 standing in), a 汇总表's 附件11."""
        if self.kind != APPLICANT:
            return SUMMARY_FORM
        return RECORD_FORM if self.record_cells is not None else BASE_FORM

    def cell_of(self, key: str) -> tuple[str, str]:
        """(sheet, A1) of field `key` of this row in `file` itself ('' when the row has no such cell)."""
        if self.record_cells is not None:
            return self.sheet, self.record_cells.get(key, "")
        col = (self.columns or {}).get(key)
        return (self.at[0], f"{xl_col_to_name(col - 1)}{self.at[1]}") if col and self.at[1] else (self.at[0], "")

    @property
    def origin(self) -> str:
        """Where the row comes from: the file, or “汇总表 ← 原来源文件” for a lower level's row."""
        return origin(self.file, self.carried_source)

    @property
    def name(self) -> str:
        return str(self.values.get(BASE_NAME) or "")

    @property
    def completeness(self) -> int:
        return sum(1 for f in get_form(SUMMARY_FORM).official_table_fields if self.values.get(f.key) is not None)

    def where(self, display: str) -> str:
        return f"{display}（{self.sheet}第{self.row}行）" if self.row else f"{display}（{self.sheet}）"


@lru_cache(maxsize=None)
def firm_keys() -> tuple[str, ...]:
    """The 附件3 table fields, in the order of `FirmRow.values`."""
    return tuple(f.key for f in get_form(FIRM_FORM).table_fields)


@lru_cache(maxsize=None)
def _firm_index() -> dict[str, int]:
    return {k: i for i, k in enumerate(firm_keys())}


@dataclass(slots=True)
class FirmRow:
    """One 附件3 row, tied to the base of its workbook.

    `values` is a tuple in `firm_keys()` order, not a dict: ~900 000 rows at national
    scale, where a dict per row was the merge's largest memory item.
    """

    values: tuple
    base_key: str
    base_name: str
    file: str
    sheet: str
    row: int
    cell: str = ""

    def get(self, key: str) -> Any:
        """The value of field `key` (None when the sheet lacked that column)."""
        return self.values[_firm_index()[key]]


@dataclass
class FileAccount:
    """Per input file: what was read and where each row went."""

    file: str
    status: str
    sha256: str | None
    rows_read: int = 0
    rows_merged: int = 0
    rows_rejected: int = 0
    units: set[str] = field(default_factory=set)
    kinds: set[str] = field(default_factory=set)


@dataclass
class MergeResult:
    bases: list[BaseRow]
    firms: list[FirmRow]
    problems: list[Problem]
    accounts: list[FileAccount]
    display: dict[str, str]           # file path -> name shown in 来源文件 / 问题清单
    firm_columns: dict[tuple[str, str], str] = field(default_factory=dict)   # (file, sheet) -> credit-code column
    superseded: list[BaseRow] = field(default_factory=list)   # base rows not adopted (a duplicate won)
    firm_only: list[BaseRow] = field(default_factory=list)    # bases with firms but no base row (not in 附件11)
    places: Places = DIVISIONS        # where the bases are: the division list, or the typed places (merge.places)

    def shown(self, file: str) -> str:
        """The name shown for a file, or for “汇总表 ← 原来源文件” the 汇总表's shown name ← the original."""
        if file in self.display or ORIGIN_SEP not in file:
            return self.display.get(file, file)
        head, tail = file.split(ORIGIN_SEP, 1)
        return f"{self.display.get(head, head)}{ORIGIN_SEP}{tail}"

    def totals(self) -> dict[str, float | int]:
        """Sum of every numeric official column over the merged bases (the 汇总 row)."""
        out: dict[str, float | int] = {}
        for f in get_form(SUMMARY_FORM).table_fields:
            if not f.is_numeric:
                continue
            vals = [b.values.get(f.key) for b in self.bases]
            nums = [v for v in vals if isinstance(v, (int, float)) and not isinstance(v, bool)]
            total = sum(nums) if nums else 0
            if isinstance(total, float) and total.is_integer() and f.type == "integer":
                total = int(total)
            out[f.key] = round(total, 6) if isinstance(total, float) else total
        return out

    def incomplete(self) -> dict[str, list[BaseRow]]:
        """Official numeric columns whose 汇总 misses some merged base's value because its table lacks the
        column: field key -> those bases."""
        out: dict[str, list[BaseRow]] = {}
        for b in self.bases:
            for key in b.lacking:
                out.setdefault(key, []).append(b)
        return out

    def check_accounting(self) -> None:
        """read = merged + rejected per file, and merged rows are exactly the output rows."""
        for a in self.accounts:
            assert a.rows_read == a.rows_merged + a.rows_rejected, f"row accounting broken for {a.file}: {a}"
        merged = sum(a.rows_merged for a in self.accounts)
        assert merged == len(self.bases) + len(self.firms), (
            f"merged rows {merged} != output rows {len(self.bases)} + {len(self.firms)}")


def display_names(paths: Iterable[str]) -> dict[str, str]:
    """Names shown for files: relative to the inputs' common folder, '/'-separated, stable."""
    paths = list(dict.fromkeys(str(p) for p in paths))
    if not paths:
        return {}
    parents = [os.path.dirname(os.path.abspath(p)) for p in paths]
    try:
        common = os.path.commonpath(parents)
    except ValueError:  # different drives on Windows
        common = ""
    out = {}
    for p in paths:
        rel = os.path.relpath(os.path.abspath(p), common) if common else p
        out[p] = PurePath(rel).as_posix()
    return out


_CJK_SPACE = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s+|\s+(?=[\u3000-\u9fff\uff00-\uffef])")


def tidy_name(v: Any) -> Any:
    """Names as clerks retype them ('忻州市 原平市xx 双创基地'): drop spaces next to Chinese characters."""
    if not isinstance(v, str):
        return v
    return _CJK_SPACE.sub("", v.strip()) or None


def _is_text(v: Any) -> bool:
    return isinstance(v, str) and bool(fold(v)) and fold(v) not in ("0", "#ref!", "#name?", "#value!")


def _is_sample_name(name: str) -> bool:
    from ..read.labels import is_sample_text   # the reader's predicate: ×/✕/X/＊ placeholders alike
    return is_sample_text(name, get_form(SUMMARY_FORM).sample_row)


def _clean_column(values: list) -> list:
    """`clean` over one column, with its common cases inline (it runs once per cell read)."""
    return [v if ((t := type(v)) is str and v and not v.isspace()) or t is int or (t is float and v == v)
            or v is None or t is dt.date else clean(v) for v in values]


def _raw_columns(df) -> list[list]:
    """Each column of `df` as a list, as Series.tolist() gives it.

    Frames of plain numpy dtypes (what the reader builds) go through one to_numpy:
    a `df[c]` Series per column cost more than the merge's own work.
    """
    if all(isinstance(d, np.dtype) and d.kind in "Oifb" for d in df.dtypes):
        return df.to_numpy(dtype=object).T.tolist()
    if df.columns.is_unique:
        return [df[c].tolist() for c in df.columns]
    return [df.iloc[:, j].tolist() for j in range(len(df.columns))]


def _columns(df) -> dict[Any, list]:
    """Every column as a list of cleaned values; a repeated label keeps its last column."""
    return {c: _clean_column(vals) for c, vals in zip(df.columns, _raw_columns(df))}


def _records(table: Table) -> list[dict[str, Any]]:
    """Every data row as a cleaned dict, converted once per table (not one iloc per row)."""
    cols = _columns(table.data)
    return [dict(zip(cols, row)) for row in zip(*cols.values())] if cols else [{} for _ in range(len(table.data))]


def _row_values(rec: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in rec.items() if not str(k).startswith("_")}


def _sheet_rows(table: Table, marks: list | None, n: int) -> list[int]:
    """Sheet row of each data row: its `_row` mark, else counted from the header."""
    first = table.header_row + 1 if table.header_row else 1
    if marks is None:
        return list(range(first, first + n))
    return [int(v) if isinstance(v, (int, float)) else first + i for i, v in enumerate(marks)]


def _column_cells(table: Table, key: str, rows: list[int]) -> list[str]:
    """`table.cell(key, r)` for every row, the column letter computed once."""
    col = table.columns.get(key)
    if not col or table.transposed:
        return [table.cell(key, r) for r in rows]
    letter = xl_col_to_name(col - 1)
    return [f"{letter}{r}" if r else table.cell(key, r) for r in rows]


@dataclass
class _FirmTable:
    """A 附件3 table waiting for its bases to be decided: cleaned columns and each row's base key."""

    path: str
    table: Table
    columns: dict[Any, list]
    keys: list[str]


def _firm_table(t: Table, path: str, rekey: dict[str, str]) -> _FirmTable:
    """Each row belongs to the table's base, or to its own `_base` (rows of a 汇总表's 附件3)."""
    cols = _columns(t.data)
    bkey = str(t.base.get("key") or "")
    keys = [str(b) if b else bkey for b in cols["_base"]] if "_base" in cols else [bkey] * len(t.data)
    return _FirmTable(path, t, cols, [rekey.get(k, k) for k in keys])


def _attach_firms(ft: _FirmTable, names: dict[str, str | None]) -> list[FirmRow]:
    """The rows whose base `names` gives (key -> the base's name, None: not merged), as FirmRows."""
    if all(names.get(k) is None for k in set(ft.keys)):
        return []
    t, n = ft.table, len(ft.keys)
    blank = [None] * n
    values = zip(*(ft.columns.get(k, blank) for k in firm_keys()))
    if "_src" not in ft.columns:
        rows = _sheet_rows(t, ft.columns.get("_row"), n)
        cells = _column_cells(t, FIRM_CODE, rows)
        return [FirmRow(v, k, name, ft.path, t.sheet, r, c)
                for v, k, r, c in zip(values, ft.keys, rows, cells) if (name := names.get(k)) is not None]
    # a lower level's 汇总表: each row keeps its original file, sheet, row and cell
    files = {s: origin(ft.path, s) for s in set(ft.columns["_src"])}
    where = zip([files[s] for s in ft.columns["_src"]], ft.columns.get("_src_sheet", blank),
                ft.columns.get("_src_row", blank), ft.columns.get("_src_cell", blank))
    return [FirmRow(v, k, name, f, s or "", r or 0, c or "")
            for v, k, (f, s, r, c) in zip(values, ft.keys, where) if (name := names.get(k)) is not None]



def _firm_owners(firm_tables: list[_FirmTable], winner_of: dict[str, BaseRow], rejected: set[str],
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
    by_key: dict[str, list[_FirmTable]] = {}
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
                    or not _is_text(name):
                names[k] = None
                continue
            if k not in firm_only:
                vals = {BASE_NAME: tidy_name(name), OPERATOR: t.base.get(OPERATOR) if alone else None,
                        CITY: t.base.get(CITY) if alone else None, COUNTY: t.base.get(COUNTY) if alone else None}
                city, county = _place(vals, t, ft.path, places)
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


def _firm_columns(reads: list[WorkbookRead], firm_tables: list[_FirmTable]) -> dict[tuple[str, str], str]:
    """(file, sheet) -> the credit-code column of each 附件3 sheet merged, also those behind a lower 汇总表."""
    out: dict[tuple[str, str], str] = {}
    for ft in firm_tables:
        col = ft.table.columns.get(FIRM_CODE)
        if "_src" not in ft.columns and col:
            out[(ft.path, ft.table.sheet)] = xl_col_to_name(col - 1)
    for wr in reads:
        for entry in (wr.record or {}).get("firm_columns", ()):
            if len(entry) == 3 and all(isinstance(x, str) for x in entry):
                out[(origin(wr.path, entry[0]), entry[1])] = entry[2]
    return out


def _place(values: dict, table: Table, path: str, places: Places = DIVISIONS) -> tuple[str, str]:
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


def _lacking(t: Table, carried: Any = None) -> tuple[str, ...]:
    """The official numeric 附件11 columns a base row's table lacks: a missing column of a 附件10/11, or the
    columns 附件2 has no line for when it stands in for a missing 附件10. Their 汇总 is incomplete. A row of
    a lower level's 汇总表 also lacks what its source lacked (`carried`, from that 汇总表's record)."""
    form = get_form(SUMMARY_FORM)
    if t.form_id == RECORD_FORM:
        have = set(t.form.keys)
        return tuple(f.key for f in form.official_table_fields if f.is_numeric and f.key not in have)
    missing = set(t.missing_fields) | set(carried if isinstance(carried, (tuple, list)) else ())
    return tuple(f.key for f in form.official_table_fields if f.is_numeric and f.key in missing)


def _section_place(values: dict, section: Any, places: Places = DIVISIONS) -> None:
    """A base listed under a section row of a city's table ("一、榆次区") is in that section's place, unless
    its own columns or name say otherwise."""
    if not isinstance(section, str) or (values.get(CITY) and values.get(COUNTY)):
        return
    city, county = places.named(section) if places.typed else places.locate(section)
    named = places.locate(values.get(BASE_NAME))
    if county and not named[1] and not values.get(COUNTY) and (not values.get(CITY) or values[CITY] == city):
        values[COUNTY] = county
        values[CITY] = values.get(CITY) or city


BASE_ROWS, BASE_RECORD, FIRM_ROWS = "base", "base-record", "firms"


def row_tables(wr: WorkbookRead) -> list[tuple[Table, str]]:
    """The tables whose rows a merge takes, base rows first: (table, BASE_ROWS | BASE_RECORD | FIRM_ROWS).

    The one definition of which rows are data rows (see the module docstring).
    """
    if not wr.ok:
        return []
    forms_here = {t.form_id for t in wr.tables}
    out = []
    for t in wr.tables:
        if t.form_id in (BASE_FORM, SUMMARY_FORM):
            out.append((t, BASE_ROWS))
        elif t.form_id == RECORD_FORM and BASE_FORM not in forms_here and t.record:
            out.append((t, BASE_RECORD))
    return out + [(t, FIRM_ROWS) for t in wr.tables if t.form_id == FIRM_FORM]


def data_rows(wr: WorkbookRead) -> int:
    """rows_read of one file: base rows (an applicant's 附件2 standing in for 附件10 is one) plus firm rows."""
    return sum(1 if role == BASE_RECORD else t.n_rows for t, role in row_tables(wr))


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


def _candidate_rows(reads: list[WorkbookRead], places: Places = DIVISIONS
                    ) -> tuple[list[BaseRow], list[_FirmTable], list[Problem]]:
    """Every base row and firm table read, and where a row's typed county and its folder disagree;
    `BaseRow.file_order` is set by the caller."""
    bases: list[BaseRow] = []
    problems: list[Problem] = []
    firms: list[_FirmTable] = []
    a11 = get_form(SUMMARY_FORM)
    a11_keys = set(a11.keys)
    for wr in reads:
        # identity from 附件2 of this workbook, for 附件10 cells that are formulas read as 0
        a2 = next((t.record for t in wr.tables if t.form_id == RECORD_FORM and _is_text(t.record.get(BASE_NAME))), {})
        a2_ident = {"name": tidy_name(a2.get(BASE_NAME)), OPERATOR: tidy_name(a2.get(OPERATOR)),
                    CITY: a2.get(CITY), COUNTY: a2.get(COUNTY), BASE_TYPE: a2.get(BASE_TYPE)}
        rekey: dict[str, str] = {}
        for t, role in row_tables(wr):  # base rows first (rekey)
            if role == BASE_ROWS:
                kind = APPLICANT if t.form_id == BASE_FORM else SUMMARY
                records = _records(t)
                sheet_rows = _sheet_rows(t, [rec.get("_row") for rec in records], len(records))
                for rec, row in zip(records, sheet_rows):
                    vals = {k: v for k, v in _row_values(rec).items() if k in a11_keys}
                    if kind == APPLICANT:  # the workbook's identity fills what 附件10 lacks
                        for k in (CITY, COUNTY, BASE_TYPE):
                            vals.setdefault(k, clean(t.base.get(k)))
                            if vals[k] is None:
                                vals[k] = clean(t.base.get(k))
                    for k in (BASE_NAME, OPERATOR):
                        vals[k] = tidy_name(vals.get(k))
                        if kind == APPLICANT and not _is_text(vals[k]):
                            # 附件10 names often are formulas on 附件2; a lost cache reads as 0
                            ident = "name" if k == BASE_NAME else k
                            for alt in (tidy_name(clean(t.base.get(ident))), a2_ident[ident]):
                                if _is_text(alt):
                                    vals[k] = alt
                                    break
                    if kind == APPLICANT:
                        for k in (CITY, COUNTY, BASE_TYPE):
                            if not _is_text(vals.get(k)) and _is_text(a2_ident[k]):
                                vals[k] = a2_ident[k]
                    vals.pop(SOURCE_FILE, None)
                    src = rec.get("_src")
                    carried = src if isinstance(src, str) else ""
                    key = rec.get("_base")
                    if not key or str(key) == "|":
                        key = t.base.get("key") if kind == APPLICANT and len(t.data) == 1 else None
                    if not key or str(key) == "|":
                        key = base_key(vals.get(BASE_NAME), vals.get(OPERATOR))
                    proper = base_key(vals.get(BASE_NAME), vals.get(OPERATOR))
                    if kind == APPLICANT and str(key) != proper and not _is_text(t.base.get("name")):
                        rekey[str(key)] = proper
                        key = proper
                    _section_place(vals, rec.get("_section"), places)
                    city, county = _place(vals, t, wr.path, places)
                    vals[CITY], vals[COUNTY] = city, county
                    where = (t.sheet, row, t.cell(BASE_NAME, row))
                    if carried:   # the place of the row the lower level took
                        where = (str(rec.get("_src_sheet") or ""), int(rec.get("_src_row") or 0),
                                 str(rec.get("_src_cell") or ""))
                    bases.append(BaseRow(str(key), vals, city, county, wr.path, where[0], where[1], kind,
                                         0, carried, where[2], _reporter(t, wr.path, kind, places), (t.sheet, row),
                                         _unit(county, t, wr.path, rec.get("_section")),
                                         lacking=_lacking(t, rec.get("_lacking")),
                                         columns=t.columns))
            elif role == BASE_RECORD:
                vals = {k: clean(v) for k, v in t.record.items() if k in a11_keys}
                for k in (BASE_NAME, OPERATOR, CITY, COUNTY, BASE_TYPE):
                    if vals.get(k) is None and clean(t.base.get(k)) is not None:
                        vals[k] = clean(t.base.get(k))
                for k in (BASE_NAME, OPERATOR):
                    vals[k] = tidy_name(vals.get(k))
                key = t.base.get("key") or base_key(vals.get(BASE_NAME), vals.get(OPERATOR))
                city, county = _place(vals, t, wr.path, places)
                vals[CITY], vals[COUNTY] = city, county
                bases.append(BaseRow(str(key), vals, city, county, wr.path, t.sheet, 0, APPLICANT,
                                     0, "", t.record_cells.get(BASE_NAME, ""), _reporter(t, wr.path, APPLICANT, places),
                                     unit=_unit(county, t, wr.path), lacking=_lacking(t),
                                     record_cells=t.record_cells))
            else:
                firms.append(_firm_table(t, wr.path, rekey))
        if places.typed:
            problems += _folder_places(wr, bases, places)
    return bases, firms, problems


def _folder_places(wr: WorkbookRead, bases: list[BaseRow], places: Places) -> list[Problem]:
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


def _compatible(a: tuple[str | None, str | None], b: tuple[str | None, str | None]) -> bool:
    """Two (city, county) that may be the same place: equal where both are known."""
    return all(x is None or y is None or x == y for x, y in zip(a, b))


def same_base_aliases(bases: list[BaseRow]) -> dict[str, str]:
    """Keys of one base spelled with and without its place ("原平市同川…", "同川…", "忻州市原平市同川…"),
    each mapped to the most specific spelling's key.

    Same operator and the same name after the place prefix, in places that do not contradict
    each other. A short spelling that fits two different bases (同川… run by one operator in two
    counties) is left alone: the officer sees both rows rather than one base swallowing another.
    """
    groups: dict[tuple[str, str], dict[str, tuple[int, str | None, str | None]]] = {}
    for b in bases:
        if not b.name:
            continue
        prefix, rest = split_place(b.name)
        seen = groups.setdefault((rest, fold(b.values.get(OPERATOR))), {})
        _, city, county = seen.get(b.key, (0, None, None))
        seen[b.key] = (len(prefix), city or b.city or None, county or b.county or None)
    alias: dict[str, str] = {}
    for keys in groups.values():
        if len(keys) < 2:
            continue
        canon: list[tuple[str, tuple[str | None, str | None]]] = []
        for key, (_, city, county) in sorted(keys.items(), key=lambda kv: (-kv[1][0], kv[0])):
            fits = [c for c in canon if _compatible(c[1], (city, county))]
            if not fits:
                canon.append((key, (city, county)))
            elif len(fits) == 1:
                alias[key] = fits[0][0]
    return alias


def superseded_note(noun: str = DEFAULT_NOUN) -> str:
    """The lead of a problem of material the merge did not adopt; `noun`: the programme's word (基地, 平台)."""
    return f"（该份材料未被采用：同一{noun}已采用另一份，本条仅供核对）"


SUPERSEDED_NOTE = superseded_note()


def superseded_problems(problems: list[Problem], result: MergeResult) -> list[Problem]:
    """Problems of material the merge did not adopt, as notes: they do not make a county's status.

    An applicant workbook whose base lost to a resubmission is outdated as a whole (its 附件2/3/4
    too); in a 汇总表 only the row that lost. The duplicate-base warning itself stays.
    """
    whole = {b.origin for b in result.superseded if b.kind == APPLICANT}
    if result.superseded:   # an applicant file adopted for another base keeps its problems
        whole -= {b.origin for b in result.bases}
    rows = {(b.origin, b.sheet, b.row) for b in result.superseded if b.kind != APPLICANT and b.row}
    rows |= {(b.file, *b.at) for b in result.superseded if b.kind != APPLICANT and b.at[1]}   # re-checked rows
    if not whole and not rows:
        return problems
    out = []
    for p in problems:
        stale = p.rule != DUPLICATE_BASE and p.severity != INFO and (
            p.file in whole or (p.file, p.sheet, cell_row(p.cell)) in rows)
        out.append(replace(p, severity=INFO, message=SUPERSEDED_NOTE + p.message) if stale else p)
    return out


def cell_row(cell: str) -> int:
    digits = "".join(ch for ch in (cell or "").split(":")[0] if ch.isdigit())
    return int(digits) if digits else 0


def _copied_from(row: BaseRow, source: BaseRow) -> bool:
    """A 汇总表 row carried from the very file that won (both in the batch): expected, not a conflict.
    Compared on the first file of each chain (“市汇总表 ← 县汇总表 ← 申报表” ends at the 申报表)."""
    if not row.carried_source:
        return False
    first = [PurePath(b.origin.split(ORIGIN_SEP)[-1]).name for b in (row, source)]
    return first[0] == first[1]


def _reporter(t: Table, path: str, kind: str, places: Places = DIVISIONS) -> str | None:
    """The county that sent a row: a 汇总表's office (read.base puts it in the table's base; under typed places
    the one its 填报单位 line names), else the folder."""
    if kind == SUMMARY and t.base.get(COUNTY):
        return str(t.base[COUNTY])
    if places.typed and kind == SUMMARY and places.named(t.org_line)[1]:
        return places.named(t.org_line)[1]
    return places.path_place(path)[1]


def _unit(county: str, t: Table, path: str, section: Any = None) -> str:
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


def _winner_sort_key(b: BaseRow) -> tuple:
    """Larger wins: an applicant's own workbook; a resubmission (by its file name) over the original;
    a county's list for its own base over a neighbour's; the fuller row; the later path and row."""
    source = b.carried_source or b.file
    return (b.kind == APPLICANT, revision_rank(PurePath(source).name), b.reporter == b.county,
            b.completeness, b.file_order, b.row)


def why_adopted(win: BaseRow, lose: BaseRow) -> str:
    """Which step of the duplicate rule (module docstring) chose `win` over `lose`, in the officer's words."""
    reasons = ("申报表优先于汇总表中的行", "重新报送的一份优先于原件", "基地所在县报来的一份优先",
               "填写更完整的一份优先", "文件路径排序靠后的一份优先", "同一文件中靠后的一行优先")
    for reason, a, b in zip(reasons, _winner_sort_key(win), _winner_sort_key(lose)):
        if a != b:
            return f"取舍规则：{reason}"
    return "取舍规则：两份相同时取后读到的一份"


def merge_reads(reads: list[WorkbookRead], missing: Iterable[str] = ()) -> MergeResult:
    """Merge what was read into distinct bases and their firms; never raises for bad input.

    `missing`: arguments that named no file; each gets an account (status "missing", no rows),
    so the accounting covers every argument.
    """
    paths = sorted({wr.path for wr in reads})
    missing = [m for m in dict.fromkeys(missing) if m not in paths]
    display = display_names(paths + missing)
    accounts = {wr.path: FileAccount(wr.path, wr.status, wr.sha256) for wr in reads}
    places = places_for(lambda: typed_places(reads))
    cands, firm_tables, problems = _candidate_rows(reads, places)
    alias = same_base_aliases(cands)
    if alias:   # one base, spelled with and without its place: one key, so the duplicate rule applies
        for b in cands:
            b.key = alias.get(b.key, b.key)
        for ft in firm_tables:
            ft.keys = [alias.get(k, k) for k in ft.keys]
    order = {o: i for i, o in enumerate(sorted({b.origin for b in cands}))}
    for b in cands:
        b.file_order = order[b.origin]
        accounts[b.file].kinds.add(b.kind)
        if b.carried_source:
            display[b.origin] = f"{display[b.file]}{ORIGIN_SEP}{b.carried_source}"
    for ft in firm_tables:
        for s in set(ft.columns.get("_src", ())):
            display.setdefault(origin(ft.path, s), f"{display[ft.path]}{ORIGIN_SEP}{s}")

    for wr in reads:     # a county that answered "no base" (an empty table) is still a county that reported
        for t in wr.tables:
            if t.form_id == SUMMARY_FORM and t.data.empty and t.base.get(COUNTY) and wr.path in accounts:
                accounts[wr.path].units.add(str(t.base[COUNTY]))
    groups: dict[str, list[BaseRow]] = {}
    for b in cands:
        acc = accounts[b.file]
        acc.rows_read += 1
        acc.units.add(b.county)
        if not b.name:
            acc.rows_rejected += 1
            problems.append(Problem(
                MERGE_UNNAMED_BASE, ERROR,
                f"{b.where(display[b.origin])}没有填写基地名称，该行未计入汇总表；请补填基地名称后重新报送。",
                file=b.origin, sheet=b.sheet, cell=b.cell, form=SUMMARY_FORM, field=BASE_NAME))
            continue
        if _is_sample_name(b.name):
            acc.rows_rejected += 1
            problems.append(Problem(
                MERGE_SAMPLE_ROW, WARNING,
                f"{b.where(display[b.origin])}是表格自带的示例行“{b.name}”，未计入汇总表；请删除该行。",
                file=b.origin, sheet=b.sheet, cell=b.cell, form=SUMMARY_FORM, field=BASE_NAME, value=b.name))
            continue
        groups.setdefault(b.key, []).append(b)

    winners: list[BaseRow] = []
    superseded: list[BaseRow] = []
    firms_per_base: dict[tuple[str, str], int] | None = None
    for key, rows in groups.items():
        ranked = sorted(rows, key=_winner_sort_key, reverse=True)
        win = ranked[0]
        winners.append(win)
        accounts[win.file].rows_merged += 1
        for lose in ranked[1:]:
            accounts[lose.file].rows_rejected += 1
            superseded.append(lose)
            if firms_per_base is None:   # counted once, and only when some base was submitted twice
                firms_per_base = Counter((ft.path, k) for ft in firm_tables for k in ft.keys)
            lost_firms = firms_per_base[(lose.file, key)]
            extra = f"；该文件中该基地的 {lost_firms} 行入驻企业也未重复计入" if lost_firms and lose.file != win.file else ""
            problems.append(Problem(
                DUPLICATE_BASE, INFO if _copied_from(lose, win) else WARNING,
                f"基地“{win.name}”重复报送：汇总表采用 {win.where(display[win.origin])}，"
                f"未采用 {lose.where(display[lose.origin])}{extra}。"
                "取舍规则：申报表优先于汇总表中的行，其次取填写更完整的一份，再次取文件名排序靠后的一份；请核实两份材料是否一致。",
                file=lose.origin, sheet=lose.sheet, cell=lose.cell, form=SUMMARY_FORM, field=BASE_NAME,
                base=win.name, value=display[win.origin]))
            problems += base_conflicts(win, lose, display, why_adopted(win, lose))

    winner_of = {b.key: b for b in winners}
    rejected = {b.key for b in cands if not b.name or _is_sample_name(b.name)}
    owners, firm_only, found = _firm_owners(firm_tables, winner_of, rejected, display, places)
    problems += found
    kept_firms: list[FirmRow] = []
    orphans: dict[tuple[str, str], int] = {}
    for ft, names in zip(firm_tables, owners):
        kept = _attach_firms(ft, names)
        acc = accounts[ft.path]
        acc.rows_read += len(ft.keys)
        acc.rows_merged += len(kept)
        acc.rows_rejected += len(ft.keys) - len(kept)
        kept_firms += kept
        n_orphans = 0 if ft.table.base.get("unattached") or ft.table.base.get("attached") else \
            sum(1 for k in ft.keys if names.get(k) is None and k not in winner_of)
        if n_orphans:
            where = (ft.path, ft.table.sheet)
            orphans[where] = orphans.get(where, 0) + n_orphans
    for (file, sheet), n in sorted(orphans.items()):
        problems.append(Problem(
            MERGE_FIRMS_UNATTACHED, ERROR,
            f"{display[file]}（{sheet}）的 {n} 行入驻企业找不到所属基地（附件10/附件2 的基地名称缺失或无效），未计入汇总；"
            "请补全基地名称后重新报送。", file=file, sheet=sheet, form=FIRM_FORM))

    winners.sort(key=lambda b: (place_order(b.city, b.county), fold(b.name), b.key))
    base_order = {b.key: (place_order(b.city, b.county), fold(b.name)) for b in (*winners, *firm_only)}
    kept_firms.sort(key=lambda f: (base_order[f.base_key], f.file, f.sheet, f.row))
    # on the sorted rows: which occurrence comes first must not depend on how the files were grouped
    # (four counties' workbooks, or one city 汇总表 holding them all)
    problems += duplicate_enterprises(kept_firms, display)
    problems += incomplete_totals(winners, display)
    result = MergeResult(winners, kept_firms, problems,
                         [accounts[p] for p in paths] + [FileAccount(m, MISSING, None) for m in missing], display,
                         _firm_columns(reads, firm_tables), superseded, firm_only, places)
    result.check_accounting()
    for wr in reads:
        assert accounts[wr.path].rows_read == data_rows(wr), f"rows_read of {wr.path} is not data_rows()"
    return result


def incomplete_totals(bases: list[BaseRow], display: dict[str, str]) -> list[Problem]:
    """One warning per table whose rows miss official columns of the 汇总: which columns, and why (the
    table has no such column, or a 附件2 stood in for a missing 附件10) — not one warning per column."""
    form = get_form(SUMMARY_FORM)
    order = {f.key: i for i, f in enumerate(form.official_table_fields)}
    by_table: dict[tuple[str, str], list[BaseRow]] = {}
    for b in bases:
        if b.lacking:
            by_table.setdefault((b.origin, b.sheet), []).append(b)
    out = []
    for (where, sheet), rows in by_table.items():
        keys = sorted({k for b in rows for k in b.lacking}, key=lambda k: order.get(k, len(order)))
        labels = [f"“{form.field(k).label}”" for k in keys]
        cols = "、".join(labels[:6]) + (f"等 {len(labels)} 项" if len(labels) > 6 else "")
        shown = f"{display.get(where, where)}（{sheet}）"
        if all(b.record_cells is not None for b in rows):     # a 附件2 record stood in for the 附件10
            why = f"{shown}没有{BASE_FORM}，基地按{RECORD_FORM}读取，{RECORD_FORM}没有{cols}"
            ask = f"请该单位补报{BASE_FORM}后重新汇总"
        else:
            why = f"{shown}没有{cols}" + ("这一列" if len(keys) == 1 else f"这 {len(keys)} 列")
            ask = "请该单位补报" + ("该列" if len(keys) == 1 else "这些列") + "后重新汇总"
        out.append(Problem(
            INCOMPLETE_TOTAL, WARNING,
            (f"{SUMMARY_FORM}{cols}的汇总数不完整：{why}，其中 {len(rows)} 个基地的该项未计入汇总（汇总行中该数以 * 标出）"
             if len(keys) == 1 else
             f"{SUMMARY_FORM}有 {len(keys)} 项的汇总数不完整：{why}，其中 {len(rows)} 个基地的这些项未计入汇总（汇总行中这些数以 * 标出）")
            + f"；{ask}。",
            file=rows[0].origin, sheet=rows[0].sheet, form=SUMMARY_FORM, field=keys[0], value=len(rows)))
    return out


@lru_cache(maxsize=None)
def _division_rank() -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    cities = list(divisions()["cities"])
    counties = {(c, k): i for c in cities for i, k in enumerate(reporting_units(c))}
    return {c: i for i, c in enumerate(cities)}, counties


def place_order(city: str, county: str) -> tuple:
    """Official order of cities and counties (the division list), unknown places last."""
    cr, kr = _division_rank()
    return (cr.get(city, len(cr)), city, kr.get((city, county), 999), county)


def _code_key(v: Any) -> str:
    """Credit codes compared folded and upper-case; a plain ASCII code folds to itself."""
    if type(v) is str and v.isascii() and v.isalnum():
        return v.upper()
    return fold(v).upper() if v is not None else ""


def duplicate_enterprises(firms: list[FirmRow], display: dict[str, str]) -> list[Problem]:
    """Same 统一社会信用代码 under two different bases: one warning per extra occurrence."""
    at = _firm_index()[FIRM_CODE]
    codes = [_code_key(f.values[at]) for f in firms]
    repeated = {code for code, n in Counter(codes).items() if n > 1 and len(code) >= 15}
    by_code: dict[str, list[FirmRow]] = {}
    for f, code in zip(firms, codes):
        if code in repeated:
            by_code.setdefault(code, []).append(f)
    out = []
    shared = [(code, rows) for code, rows in by_code.items() if len({r.base_key for r in rows}) > 1]
    for code, rows in sorted(shared):
        first = rows[0]
        for r in rows[1:]:
            if r.base_key == first.base_key:
                continue
            out.append(Problem(
                DUPLICATE_ENTERPRISE, WARNING,
                f"统一社会信用代码 {code}（{r.get(FIRM_NAME) or ''}）同时出现在基地“{first.base_name}”"
                f"（{display[first.file]} {first.sheet}第{first.row}行）和基地“{r.base_name}”"
                f"（{display[r.file]} {r.sheet}第{r.row}行）的入驻企业名单中；同一企业不应重复计入两个基地，请核实。",
                file=r.file, sheet=r.sheet, cell=r.cell, form=FIRM_FORM, field=FIRM_CODE,
                base=r.base_name, value=code))
    return out
