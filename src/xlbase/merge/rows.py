"""The merge's rows and its result: a candidate base row, a firm row, each file's account, the
MergeResult every output reads; the official order of places the 汇总表 is sorted by."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import PurePath
from typing import Any, Iterable

from ..cell_refs import col_letters

from ..forms.roles import (BASE_FORM, BASE_NAME, FIRM_FORM, RECORD_FORM)
from ..forms import SUMMARY_FORM, divisions, get_form, reporting_units
from ..problems import Problem
from .places import DIVISIONS, Places
from .lower import ORIGIN_SEP, origin
from ..problem_codes import (BASE_WITHOUT_ROW, DUPLICATE_ENTERPRISE, INCOMPLETE_TOTAL)


APPLICANT = "applicant"


SUMMARY = "summary"


LEVELS = ("county", "city", "province")


# found again by every merge over the rows a lower level's 汇总表 carries, so not carried as problems (a base
# without a base row is found again from the carried firms)
RECOMPUTED_RULES = frozenset({DUPLICATE_ENTERPRISE, INCOMPLETE_TOTAL, BASE_WITHOUT_ROW})


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
    typed: dict[str, str] | None = None   # official numeric columns typed as a bound or an estimate ("30户以上"):
    # field -> the clerk's text, shown as typed in the 附件11; their 汇总 is incomplete too
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
        return (self.at[0], f"{col_letters(col)}{self.at[1]}") if col and self.at[1] else (self.at[0], "")

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
def firm_index() -> dict[str, int]:
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
        return self.values[firm_index()[key]]


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
    owners: list[BaseRow] = field(default_factory=list)   # the bases its firm rows went to


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
        column or its cell holds a bound or an estimate, not a figure: field key -> those bases."""
        out: dict[str, list[BaseRow]] = {}
        form = get_form(SUMMARY_FORM)
        figures = {f.key: f.is_numeric for f in form.fields}
        for b in self.bases:
            for key in (*b.lacking, *(k for k in b.typed or () if figures[k])):
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


def cell_row(cell: str) -> int:
    digits = "".join(ch for ch in (cell or "").split(":")[0] if ch.isdigit())
    return int(digits) if digits else 0


@lru_cache(maxsize=None)
def _division_rank() -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    cities = list(divisions()["cities"])
    counties = {(c, k): i for c in cities for i, k in enumerate(reporting_units(c))}
    return {c: i for i, c in enumerate(cities)}, counties


def place_order(city: str, county: str) -> tuple:
    """Official order of cities and counties (the division list), unknown places last."""
    cr, kr = _division_rank()
    return (cr.get(city, len(cr)), city, kr.get((city, county), 999), county)
