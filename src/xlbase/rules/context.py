"""What every rule kind reads: the tables stacked per form, each row's base and submission, and the
lookups from a stacked row back to its sheet cell and the clerk's own text.

A kind never loops over files: it asks `Context.frame(form)` for one DataFrame holding every file's
rows of that form (with `_file`, `_sheet`, `_table`, `_row`, `_base`, `_btype`, `_bname`, `_sub`) and
decides over whole columns.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..forms.roles import BASE_FORM, BASE_NAME, BASE_TYPE, RECORD_FORM
from ..forms import get_form
from ..table import Table, stack
from ..read.estimates import Estimate
from ..read.normalise import estimate_in
from .columns import blank_values, num_values
from .rule import Rule, RulePack, normalise_base_type


class Context:
    """The tables, the pack and cached stacked frames with each row's base name and type."""

    def __init__(self, tables: list[Table], pack: RulePack):
        self.tables = tables
        self.pack = pack
        self.as_of = pack.as_of
        self._stacks: dict[tuple[str, str], pd.DataFrame] = {}
        self._frames: dict[tuple[str, str], pd.DataFrame] = {}
        self._raw: dict[tuple[int, str], dict[Any, Any]] = {}
        self._arrays: dict[tuple[str, str, str, str], np.ndarray] = {}
        self._frame_tables: dict[tuple[str, str], tuple[np.ndarray, list[Table]]] = {}
        self._per_row_bases: np.ndarray | None = None
        # the file of each table's submission: its own, or for a firm list sent apart from its base (merge.attach)
        # the file of that base's row, so that its firms are counted with the base they were attached to
        self.homes = np.array([home_file(t) for t in tables], dtype=object)
        self.base_types: dict[str, str] = {}
        self.base_names: dict[str, str] = {}
        for t in tables:
            key = t.base.get("key") or ""
            if t.base.get("name"):
                self.base_names.setdefault(key, str(t.base["name"]))
            bt = normalise_base_type(t.base.get(BASE_TYPE))
            if bt:
                self.base_types.setdefault(key, bt)
        for form_id, part in ((BASE_FORM, "table"), (RECORD_FORM, "record")):
            df = self._stacked(form_id, part)
            if len(df) and BASE_TYPE in df:
                for k, v in zip(df["_base"], df[BASE_TYPE]):
                    bt = normalise_base_type(v)
                    if bt:
                        self.base_types.setdefault(k, bt)

    def _stacked(self, form_id: str, part: str) -> pd.DataFrame:
        """stack() once per form and part: the base types are read from the same frame frame() completes."""
        if (form_id, part) not in self._stacks:
            self._stacks[(form_id, part)] = stack(self.tables, form_id, part)
        return self._stacks[(form_id, part)]

    def frame(self, form_id: str, key: str | None = None) -> pd.DataFrame:
        """Stacked rows of a form (records for record fields), with `_btype` and `_bname`."""
        part = _part(form_id, key)
        if (form_id, part) not in self._frames:
            df = self._stacked(form_id, part)
            bases = df["_base"].to_numpy(dtype=object)
            # a row's own 基地类型 (a 汇总表's column), else its base's (read from any of its forms); NaN for none
            own_types = df[BASE_TYPE].to_numpy(dtype=object) if BASE_TYPE in df else [None] * len(df)
            df["_btype"] = _objects([t if t is not None else self.base_types.get(b, np.nan)
                                     for t, b in zip(map(normalise_base_type, own_types), bases)])
            # the name a clerk knows the base by; never the internal key (name|operator) of identity.base_key
            own_names = df[BASE_NAME].to_numpy(dtype=object) if BASE_NAME in df else [None] * len(df)
            df["_bname"] = _objects([n if not _missing(n) else self.base_names.get(b, "")
                                     for n, b in zip(own_names, bases)])
            df["_sub"] = _submission_keys(df, self.homes)
            self._frames[(form_id, part)] = df
        return self._frames[(form_id, part)]

    def column(self, form_id: str, key: str, what: str = "values") -> np.ndarray:
        """A column of frame(form_id, key) as an array, made once per context (a rule kind's per-field loop
        asks for the same columns as other kinds; a pandas call costs ~20-50 µs however few the rows):
        "values" (objects), "blank" (rules.columns.blank), "num" (rules.columns.num, floats), "has_field"
        and "has_cell" (which rows' tables have the field: has_field, has_cell), "sub" (each row's `_sub`)."""
        part = _part(form_id, key)
        got = self._arrays.get((form_id, part, key, what))
        if got is None:
            if what == "values":
                df = self.frame(form_id, key)
                got = df[key].to_numpy(dtype=object) if key in df else np.full(len(df), None, dtype=object)
            elif what == "sub":     # each row's submission (the frame's `_sub`), for the frame `key` is in
                got = self.frame(form_id, key)["_sub"].to_numpy(dtype=object)
            elif what == "blank":
                got = blank_values(self.column(form_id, key))
            elif what == "num":
                got = num_values(self.column(form_id, key))
            elif what in ("has_field", "has_cell"):
                # decided once per table, as has_field and has_cell do; the frame's tables are factorized once
                tables = self._frame_tables.get((form_id, part))
                if tables is None:
                    codes, each = pd.factorize(self.frame(form_id, key)["_table"].to_numpy(dtype=np.int64))
                    tables = self._frame_tables[(form_id, part)] = (codes, [self.tables[i] for i in each])
                has = _has_field if what == "has_field" else _has_cell
                got = np.array([has(t, key) for t in tables[1]] or [False], dtype=bool)[tables[0]]
            else:
                raise ValueError(what)
            self._arrays[(form_id, part, key, what)] = got
        return got

    def names_own_base(self, df: pd.DataFrame) -> np.ndarray:
        """Per row of a stacked frame: whether its table names a base per row (see names_bases_per_row)."""
        if self._per_row_bases is None:
            self._per_row_bases = np.fromiter((names_bases_per_row(t) for t in self.tables), dtype=bool,
                                              count=len(self.tables))
        return self._per_row_bases[df["_table"].to_numpy(dtype=np.int64)]

    def cell(self, table_index: Any, key: str, row: Any) -> str:
        try:
            return self.tables[int(table_index)].cell(key, int(row))
        except (ValueError, TypeError, IndexError):
            return ""

    def estimate(self, table_index: Any, key: str, text: Any) -> Estimate | None:
        """The range `text`, typed in `key`'s cell of the table at `table_index`, says (read.normalise.estimate_in:
        the column's header unit applied); None for no bound or estimate."""
        try:
            t = self.tables[int(table_index)]
        except (ValueError, TypeError, IndexError):
            return None
        return estimate_in(t, key, text)

    def raw(self, table_index: Any, key: str, row: Any) -> Any:
        """The clerk's own text for a cell, for messages; None when not kept."""
        try:
            t = self.tables[int(table_index)]
        except (ValueError, TypeError, IndexError):
            return None
        if int(row) == 0:
            return t.record_raw.get(key)
        if key in t.raw.columns and "_row" in t.data.columns:
            by_row = self._raw.get((id(t), key))
            if by_row is None:  # one dict per (table, field), not a boolean scan per cell; first row wins
                rows, texts = t.data["_row"].tolist(), t.raw[key].tolist()
                by_row = self._raw[(id(t), key)] = dict(zip(reversed(rows), reversed(texts)))
            try:
                return by_row.get(int(row))
            except TypeError:
                return None
        return None


def _objects(values: list) -> np.ndarray:
    """A list of scalars as a column's values (numpy would split a tuple into a dimension). `_btype` holds a
    canonical type or NaN, `_bname` a name or ""; the kinds read their values (isna, isinstance str), never
    their dtype, which is as pandas infers it on assignment."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and v != v)


def _part(form_id: str, key: str | None) -> str:
    """Which stacked frame holds `key` of the form: "record" (a record form, or a record field of a table
    form such as 附件4's own rent) or "table"."""
    form = get_form(form_id)
    if form.kind == "record" or (key and form.has_field(key) and form.field(key).part == "record"):
        return "record"
    return "table"


def names_bases_per_row(t: Table) -> bool:
    """A table whose rows each name their base (a 汇总表's 附件11; our 入驻企业 sheet, read as 附件3 with
    `_base` from the record and `_base_name` from 所属基地): a list of many bases, no applicant's form."""
    return bool({"_base", "_base_name"} & set(t.data.columns))


def home_file(t: Table) -> str:
    """The file whose submission a table belongs to: its own, or for a firm list merge.attach tied to a base
    read from another file, that base's file. A base named only by its list (`firm_only`) has none but its own."""
    return str(t.base.get("home") or t.file) if t.base.get("attached") else t.file


def _submission_keys(df: pd.DataFrame, homes: np.ndarray | None = None) -> pd.Series:
    """One key per submission: a base in one file (its home file, see home_file). Two copies of one base's
    workbook (a resubmission) are two submissions, each judged on its own rows; the merge reports the copy it
    did not take (duplicate-base)."""
    if not len(df):
        return pd.Series([], index=df.index, dtype=object)
    # the text is built once per (table, base) pair, not per row: a firm frame has 58 000 rows, ~1 000 pairs
    base_codes, bases = pd.factorize(df["_base"].fillna(""))
    pair_codes, _ = pd.factorize(df["_table"].to_numpy(dtype=np.int64) * (len(bases) + 1) + base_codes)
    first = np.zeros(pair_codes.max() + 1, dtype=np.int64)
    first[pair_codes] = np.arange(len(df))       # a row of each pair (any: they share file and base)
    files = df["_file"].to_numpy(dtype=object)[first] if homes is None else \
        homes[df["_table"].to_numpy(dtype=np.int64)[first]]
    keys = np.array([f"{f}\n{bases[base_codes[r]]}" for f, r in zip(files, first)], dtype=object)
    return pd.Series(keys[pair_codes], index=df.index, dtype=object)



def has_cell(ctx: Context, df: pd.DataFrame, key: str) -> np.ndarray:
    """Per row: whether its table has a cell for the field (a column, or a labelled record cell)."""
    has = np.zeros(len(ctx.tables), dtype=bool)
    for i in pd.unique(df["_table"]):
        has[i] = _has_cell(ctx.tables[i], key)
    return has[df["_table"].to_numpy()]


def has_field(ctx: Context, df: pd.DataFrame, key: str) -> np.ndarray:
    """Per row: whether its table has the field at all, decided once per table, not per row (a record's line the
    sheet lacks is in Table.record as None, and in missing_fields: the reader said it)."""
    has = np.zeros(len(ctx.tables), dtype=bool)
    for i in pd.unique(df["_table"]):
        has[i] = _has_field(ctx.tables[i], key)
    return has[df["_table"].to_numpy()]


def _has_cell(t: Table, key: str) -> bool:
    return key in t.columns or key in t.record_cells


def _has_field(t: Table, key: str) -> bool:
    return key in t.columns or key in t.record_cells or (key in t.record and key not in t.missing_fields)


def raw_texts(ctx: Context, df: pd.DataFrame, key: str, rows: pd.Series | np.ndarray) -> pd.Series:
    """The clerk's text of `key` for the `rows` (a mask) of `df`, None elsewhere; looked up per row only there."""
    raw = np.full(len(df), None, dtype=object)
    mask = np.asarray(rows, dtype=bool)
    if mask.any():
        at = np.flatnonzero(mask)
        for i, t, r in zip(at, df["_table"].to_numpy()[at], df["_row"].to_numpy()[at]):
            raw[i] = ctx.raw(t, key, r)
    return pd.Series(raw, index=df.index, dtype=object)


def thresholds(rule: Rule, df: pd.DataFrame) -> pd.Series:
    """The rule's threshold for each row, by the row's 基地类型 when the pack gives one per type."""
    if not rule.per_type:
        return pd.Series(rule.threshold, index=df.index, dtype=object)
    return df["_btype"].map(lambda bt: rule.threshold_for(bt) if isinstance(bt, str) else rule.threshold.get("default"))


def field_frames(ctx: Context, rule: Rule) -> list[tuple[str, pd.DataFrame]]:
    """(form id, stacked rows) for each form of a one-field rule that has rows, with the rule's fallback
    form standing in where those lack the value (see with_fallback)."""
    frames = [(form_id, ctx.frame(form_id, rule.field)) for form_id in rule.forms]
    return with_fallback(ctx, rule, rule.field, [(f, df) for f, df in frames if len(df)])


def with_fallback(ctx: Context, rule: Rule, key: str, frames: list[tuple[str, pd.DataFrame]]
                  ) -> list[tuple[str, pd.DataFrame]]:
    """`frames` plus the fallback form's rows (附件2) of the submissions whose rows in `frames` (附件10)
    give no value of `key`: the form is missing, or its cell is blank or unreadable.

    One fact stated on 附件10 and on 附件2 is judged once per submission, on 附件10 when it has it; a
    附件10 row without the value gives way to a 附件2 row that has it. When the two forms state different
    values, forms-agree says so.
    """
    if not rule.fallback:
        return frames
    fb = ctx.frame(rule.fallback, key)
    if not len(fb):
        return frames
    # sets of submission keys and masks over arrays: a handful of pandas calls per frame, whatever its rows
    subs = [df["_sub"].to_numpy(dtype=object) for _, df in frames]
    blanks = [blank_values(df[key].to_numpy(dtype=object)) for _, df in frames]
    stated = {s for sub, b in zip(subs, blanks) for s in sub[~b]}
    given = {s for sub in subs for s in sub}
    fb_subs, fb_blank = ctx.column(rule.fallback, key, "sub"), ctx.column(rule.fallback, key, "blank")
    # a row of its own where neither has it
    keep = np.fromiter((s not in stated and (not b or s not in given) for s, b in zip(fb_subs, fb_blank)),
                       dtype=bool, count=len(fb_subs))
    if not keep.any():
        return frames
    fb = fb[keep]
    replaced = set(fb_subs[keep & ~fb_blank])
    kept = []
    for (f, df), sub, b in zip(frames, subs, blanks):
        drop = b & np.fromiter((s in replaced for s in sub), dtype=bool, count=len(sub))
        kept.append((f, df[~drop]))
    return [(f, df) for f, df in kept if len(df)] + [(rule.fallback, fb)]
