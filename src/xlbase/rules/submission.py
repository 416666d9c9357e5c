"""One submission (the tables read from one file) as a programme's rules see it, and the problem a rule
reports on it at the cell the clerk typed.

The Shanxi engine judges its forms stacked over every file (rules.context); a programme with its own
forms is judged file by file, through the same kinds (rules/kinds/: `Kind.check_submission`). This
module holds what those checks share: a field's values with their cells, and the problem renderer.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace
from typing import Any

from ..forms import get_form
from ..problems import Problem
from ..table import Table
from .rule import Rule, RulePack


ROW_BASE = "_base_name"      # a table column naming each row's base (read.workbook's provenance of 入驻企业)


@dataclass
class Value:
    """A field's value in a record (row 0) or in a table's data row, with its cell."""

    value: Any
    cell: str
    table: Table
    row: int = 0              # sheet row (0: a record value)
    row_label: str = ""       # the row's first column (2022年), for messages on a table row
    base: str = ""            # the base the row names as its own (a lower 汇总表's 入驻企业: 所属基地), else ""


class Submission:
    """The tables read from one file."""

    def __init__(self, file: str, tables: list[Table]) -> None:
        self.file = file
        self.tables = tables
        self.base = next((str(t.base.get("name")) for t in tables if t.base.get("name")), "")

    def of(self, form_id: str) -> list[Table]:
        return [t for t in self.tables if t.form_id == form_id]

    @property
    def applicant(self) -> bool:
        """A base's own submission: it holds a record form (not a unit's 汇总表 alone)."""
        return any(t.form.kind == "record" for t in self.tables)

    def values(self, form_id: str, key: str, row: str | None = None) -> list[Value]:
        """`key`'s values: the record's, or each data row's; with `row: last` only the latest filled row's: of
        the rows where `key` is filled, the one whose first column names the latest year (year_of), in sheet
        order among equals (a by-year table typed newest first, or a year added below, is still read at
        its latest year)."""
        out = []
        for t in self.of(form_id):
            if t.form.kind == "record" or key in t.record:
                out.append(Value(t.record.get(key), t.cell(key), t))
                continue
            if key not in t.data.columns:
                continue
            label_key = t.form.table_fields[0].key
            rows = list(t.data.index)
            if row == "last":
                filled = [i for i in rows if t.data.at[i, key] is not None]
                years = t.data[label_key] if label_key in t.data.columns else None
                rows = [max(filled, key=lambda i: (year_of(years.at[i]) if years is not None else 0,
                                                   filled.index(i)))] if filled else rows[-1:]
            own_base = t.data[ROW_BASE] if ROW_BASE in t.data.columns else None
            for i in rows:
                r = int(t.data.at[i, "_row"])
                lab = t.data.at[i, label_key] if label_key in t.data.columns else None
                base = own_base.at[i] if own_base is not None else None
                out.append(Value(t.data.at[i, key], t.cell(key, r), t, r, f"{lab}" if lab not in (None, "") else "",
                                 base if isinstance(base, str) else ""))
        return out


def year_of(label: Any) -> int:
    """The year a by-year table's row names, from the first four characters of its label (2022年, 2022年度,
    2022): ASCII digits only, as the templates' in-sheet read (places.Places.at_row) takes them; 0 when
    they are not a year."""
    head = str(int(label) if isinstance(label, float) and label.is_integer() else label or "").strip(" ")[:4]
    return int(head) if len(head) == 4 and all("0" <= ch <= "9" for ch in head) else 0


def number(v: Any) -> float | None:
    """A value read as a number (None for text, blanks, 是/否, NaN)."""
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float)) and not (isinstance(v, float) and math.isnan(v)):
        return float(v)
    return None


def shown(v: Any) -> str:
    """A value as a programme's message shows it: 3.0 as 3, 2.50 as 2.5, a date ISO."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, float):
        return f"{v:.2f}".rstrip("0").rstrip(".")
    if isinstance(v, dt.date):
        return v.isoformat()
    return "" if v is None else str(v)


def is_blank(v: Value) -> bool:
    return v.value is None or (isinstance(v.value, str) and not v.value.strip())


def raw_typed(v: Value, key: str) -> bool:
    """The clerk typed something the reader could not take (the reader reported it)."""
    return bool((raw_text_of(v, key) or "").strip())


def raw_text_of(v: Value, key: str) -> str | None:
    """The clerk's text of `v`'s cell where the reader took no value from it (Table.raw / record_raw), else None."""
    t = v.table
    if v.row == 0:
        return t.record_raw.get(key)
    if key in t.raw.columns:
        i = t.data.index[t.data["_row"] == v.row]
        text = t.raw.at[i[0], key] if len(i) else None
        return text if isinstance(text, str) and text else None
    return None


@dataclass
class SubmissionContext:
    """The pack and the problem renderer the kinds' `check_submission` share."""

    pack: RulePack

    @property
    def as_of(self) -> dt.date:
        return self.pack.as_of

    def problem(self, rule: Rule, sub: Submission, v: Value | None, key: str, *, severity: str | None = None,
                message: str | None = None, table: Table | None = None, cell: str = "", **extra: Any) -> Problem:
        """A problem of `rule` at `v`'s cell (or `cell` of `table`), its message rendered from the rule's
        template (or `message`) with the common variables and `extra`."""
        t = v.table if v is not None else table
        form = t.form if t is not None else get_form(rule.form)
        fld = form.field(key) if key and form.has_field(key) else None
        value = v.value if v is not None else extra.pop("value", None)
        threshold = extra.pop("threshold", rule.threshold)
        said = replace(rule, message=message) if message else rule
        text = said.render(value=shown(value), raw_value=value, threshold=shown(threshold),
                           label=extra.pop("label", None) or (fld.label if fld else ""),
                           unit=(fld.unit or "") if fld else "", base=sub.base, base_type="", form=form.title,
                           as_of=self.as_of.isoformat(), cell=v.cell if v else cell,
                           row_label=v.row_label if v else "", **{k: shown(x) for k, x in extra.items()})
        return Problem(rule.id, severity or rule.severity, text, t.file if t is not None else sub.file,
                       t.sheet if t is not None else "",
                       v.cell if v is not None else cell, form.id, key, sub.base, value, threshold)
