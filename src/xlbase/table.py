"""Table: what was read of one form in one place, with provenance for every value.

A reader returns Tables; rules and merge work on `stack(tables, form_id)`, one
DataFrame per form across every file, so each rule runs once, vectorised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from .forms import Form, get_form
from .cell_refs import col_letters, parse_ref
from .problems import Problem

# Provenance columns carried by every stacked frame. `_table` indexes the list of
# Tables the frame was stacked from; `_row` is the 1-based sheet row (0 for records).
PROVENANCE = ("_file", "_sheet", "_table", "_row", "_base")
NOT_READ = ("not-spreadsheet", "archive")   # statuses of files set aside, not broken: a .docx, a .zip beside the submissions


_EMPTY_FRAME = pd.DataFrame()


def _empty_frame() -> pd.DataFrame:
    """A new empty frame: a shallow copy of one built once, ~6 µs instead of pd.DataFrame()'s ~35 µs; a reader
    makes two per Table it finds. Nothing is shared that a caller could change (an empty frame has no data)."""
    return _EMPTY_FRAME.copy(deep=False)


@dataclass
class Table:
    """One form found in one sheet of one file.

    data      one row per data record (table forms) with a column per field found, values
              normalised to their field type (numbers as float/int, dates as datetime.date,
              yes/no as bool, text as str, missing as None); plus `_row`, the sheet row.
    raw       same shape as data: the clerk's text of cells where no value was read (blank words,
              unparseable text: what messages quote); None where data holds a value.
    columns   field key -> 1-based sheet column where that field was found.
    record    record forms (附件2, 附件4 head): field key -> normalised value.
    record_raw / record_cells: field key -> original text / A1 cell of the value.
    totals    rows labelled 合计/汇总/小计: kept to cross-check sums, never added in.
    extra_columns  header texts that match no field (kept, reported as unknown).
    missing_fields field keys the form has but the sheet lacks.
    base      identity of the base this table belongs to (applicant workbooks): the
              assembler fills it, see xlbase.read.
    org_line  the 填报单位 line above the table as typed ("填报单位（盖章）：五台县工信局"): where
              the base names and forms say nothing of the place, it often does.
    heading   the lines between the previous table and this one's header, as (A1 of the line's first
              text, its texts joined): the title a clerk typed ("XX双创基地入驻企业基本情况表"), the
              填报单位 and units lines. A firm list sent apart from its base names the base there
              (merge.attach).
    """

    form_id: str
    file: str
    sheet: str
    header_row: int = 0
    data: pd.DataFrame = field(default_factory=_empty_frame)
    raw: pd.DataFrame = field(default_factory=_empty_frame)
    columns: dict[str, int] = field(default_factory=dict)
    record: dict[str, Any] = field(default_factory=dict)
    record_raw: dict[str, str] = field(default_factory=dict)
    record_cells: dict[str, str] = field(default_factory=dict)
    totals: list[dict[str, Any]] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)
    missing_fields: list[str] = field(default_factory=list)
    base: dict[str, Any] = field(default_factory=dict)
    org_line: str = ""
    heading: tuple[tuple[str, str], ...] = ()
    transposed: bool = False     # a 附件10 typed vertically: `columns` holds sheet rows, `_row` sheet columns
    #: field -> factor to the field's unit of the unit its column's header or the table's unit line states
    #: ("营收（元）": 1/10000): figures read from the column are scaled already; a typed range is scaled by it
    scales: dict[str, Fraction] = field(default_factory=dict)
    #: a record form's line it lacks -> the words of the record we could not place that might be it (their kind
    #: the line's, standing where it would: read.sheet_tables.line_words): it is then asked about, not missing
    line_words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: the other sheets holding the rest of this table's columns, row for row by base name (read.table_parts):
    #: merge joins each base's rows of them into one
    parts: tuple[str, ...] = ()
    #: a vertical 附件10 typed as pairs side by side (read.vertical.unfold_pairs): the A1 of the unfolded sheet -> the
    #: cell the clerk typed; cell() answers with the latter
    cell_map: dict[str, str] = field(default_factory=dict)

    @property
    def form(self) -> Form:
        return get_form(self.form_id)

    def record_corner(self) -> str:
        """The top-left of the cells a record form's lines were read from (B2): where a problem about a line it
        lacks points — one cell, so a marked copy colours the form's corner, not every value it holds."""
        at = [p for p in map(parse_ref, self.record_cells.values()) if p]
        return f"{col_letters(min(c for _, c in at))}{min(r for r, _ in at)}" if at else ""

    def cell(self, key: str, row: int | None = None) -> str:
        """A1 address of a field's value: a record cell, or `key`'s column at sheet `row`."""
        if row is None or row == 0:
            return self.record_cells.get(key, "")
        col = self.columns.get(key)
        if self.transposed:
            at = f"{col_letters(row)}{col}" if col else ""
            return self.cell_map.get(at, at) if self.cell_map else at
        return f"{col_letters(col)}{row}" if col else ""

    @property
    def n_rows(self) -> int:
        return len(self.data)


@dataclass
class WorkbookRead:
    """Everything read from one input file."""

    path: str
    status: str                      # "ok", "partial" (read with problems) or a sniff code
    tables: list[Table] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sha256: str | None = None
    record: dict[str, Any] | None = None   # an xlbase 汇总表's machine record (xlbase.summary_record)
    programme: str | None = None           # the programme its forms were recognised as (xlbase.programmes)
    cover: Any = None                # a file holding only a 附件1 cover (read.cover.Cover): merge.attach ties it
    marked: bool = False             # it holds our marks record (sheet_names.holds_marks): a marked copy

    @property
    def ok(self) -> bool:
        return self.status in ("ok", "partial")


def stack(tables: list[Table], form_id: str, part: str = "table") -> pd.DataFrame:
    """All rows of one form across tables, with provenance columns.

    part="table": data rows; part="record": one row per table with its record values.
    `_table` is the index of the Table in `tables`, for Table.cell().
    Provenance is built once for the stacked frame (np.repeat), not set on a copy of
    every table: at province scale that was thousands of column inserts.
    """
    frames, picked = [], []
    for i, t in enumerate(tables):
        if t.form_id != form_id:
            continue
        if part == "record":
            if not t.record:
                continue
            df = pd.DataFrame([t.record])
            df["_row"] = 0
        else:
            if t.data.empty:
                continue
            df = t.data
        frames.append(df)
        picked.append(i)
    form = get_form(form_id)
    keys = [f.key for f in (form.record_fields if part == "record" else form.table_fields)]
    if not frames:
        return pd.DataFrame(columns=[*keys, *PROVENANCE])
    out = pd.concat(frames, ignore_index=True, sort=False)
    _add_provenance(out, tables, picked, frames)
    for k in keys:
        if k not in out.columns:
            out[k] = None
    return out


def _add_provenance(out: pd.DataFrame, tables: list[Table], picked: list[int], frames: list[pd.DataFrame]) -> None:
    """`_file`, `_sheet`, `_table` and `_base` for the rows stacked from `frames` (of tables[picked]).

    One repeat per column. A frame that carries its own `_base` per row (附件11) keeps it;
    the others get their table's base key.
    """
    lengths = [len(df) for df in frames]
    tables = [tables[i] for i in picked]

    def repeat(values: list) -> np.ndarray:
        return np.repeat(np.array(values, dtype=object), lengths)

    out["_file"] = _column(repeat([t.file for t in tables]))
    out["_sheet"] = _column(repeat([t.sheet for t in tables]))
    out["_table"] = np.repeat(np.array(picked, dtype=np.int64), lengths)
    keys = [t.base.get("key", "") for t in tables]
    own = ["_base" in df.columns for df in frames]
    if not any(own):
        out["_base"] = _column(repeat(keys))
    elif not all(own):  # rare (附件11 next to other tables): typed as the per-table columns concatenated
        parts = [df["_base"] if has else pd.Series([key] * len(df)) for df, has, key in zip(frames, own, keys)]
        out["_base"] = pd.concat(parts, ignore_index=True)


def _column(values: np.ndarray) -> np.ndarray | pd.Series:
    """Values as a column typed as a str scalar per table typed it: str when all are text, else object (None kept)."""
    return values if infer_dtype(values, skipna=False) == "string" else pd.Series(values, dtype=object)
