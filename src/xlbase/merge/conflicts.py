"""One base arriving twice with different values: a finding per field, at both cells.

A county 汇总表 row and the base's own application (or two submissions of one base) that state one
fact differently (吸纳就业人员数 2046 vs 2064) used to merge in silence: one value won, the other
vanished. Each official 附件11 field both rows state and that differs is now a `base-conflict`
warning at each of the two cells, naming both values and cells and which one the 汇总表 took by the
documented precedence (merge.dedupe: `why_adopted`, docs/merge.md). A fact only one row states is not
compared; the base's name and operator are what made the two rows one base, so they are not either.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any, Protocol

from ..forms.roles import BASE_NAME, OPERATOR
from ..forms import SUMMARY_FORM, get_form
from ..problems import WARNING, Problem
from ..text import fold
from ..problem_codes import BASE_CONFLICT


class ComparedRow(Protocol):
    """What base_conflicts needs of a candidate row (merge.rows.BaseRow), named here so that this module,
    which core imports, does not import core back."""

    values: dict[str, Any]
    file: str

    @property
    def name(self) -> str: ...

    @property
    def form_id(self) -> str: ...

    def cell_of(self, key: str) -> tuple[str, str]: ...


IDENTITY = (BASE_NAME, OPERATOR)


@lru_cache(maxsize=None)
def _compared_fields() -> tuple:
    return tuple(f for f in get_form(SUMMARY_FORM).official_table_fields
                 if not f.merge_only and f.key not in IDENTITY)


def same_value(a: Any, b: Any, numeric: bool) -> bool:
    """Two stated values of one field are one fact: numbers equal (to 1e-9 relative, what a 15-digit
    round trip keeps), dates by day, texts after `fold`."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if numeric and isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
    if isinstance(a, dt.date) and isinstance(b, dt.date):
        return _day(a) == _day(b)
    return fold(a) == fold(b)


def _day(d: dt.date) -> dt.date:
    """A date, or a datetime's date."""
    return d.date() if isinstance(d, dt.datetime) else d


def _shown(v: Any) -> str:
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def base_conflicts(win: ComparedRow, lose: ComparedRow, display: dict[str, str], why: str) -> list[Problem]:
    """A warning at each of the two cells for every field the two rows of one base state differently."""
    out: list[Problem] = []
    for f in _compared_fields():
        a, b = win.values.get(f.key), lose.values.get(f.key)
        if a is None or b is None or same_value(a, b, f.is_numeric):
            continue
        (ws, wc), (ls, lc) = win.cell_of(f.key), lose.cell_of(f.key)
        unit = f.unit or ""
        took, gave = (f"{display.get(r.file, r.file)}（{s}!{c}）" if c else display.get(r.file, r.file)
                      for r, s, c in ((win, ws, wc), (lose, ls, lc)))
        message = (f"基地“{win.name}”的“{f.label}”两份材料不一致：{took}填 {_shown(a)}{unit}，{gave}填 {_shown(b)}{unit}；"
                   f"汇总表采用了 {_shown(a)}{unit}（{why}）。请核实后把两份材料改为一致。")
        for row, (sheet, cell), value, other in ((win, (ws, wc), a, b), (lose, (ls, lc), b, a)):
            out.append(Problem(BASE_CONFLICT, WARNING, message, file=row.file, sheet=sheet, cell=cell,
                               form=row.form_id, field=f.label, base=win.name, value=value, threshold=other))
    return out
