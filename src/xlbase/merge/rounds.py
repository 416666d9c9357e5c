"""Round over round: which of each unit's errors are gone, still there, or new since the last 汇总表.

An officer merges, sends the return pack back, and merges again when corrections arrive. Every
汇总表 records, per unit, the errors it found (rule, base, form, field) in its machine record
(xlbase.summary_record, key "round"); the next merge over the same `-o`, or with `--previous`,
reads only that record and compares. Errors are compared as counts per key, not by cell or file:
a resubmission is a new file ("…（修改）.xlsx"), and a fixed row may move.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..problems import ERROR, Problem
from ..text import fold

ROUND_KEY = "round"


class PreviousError(ValueError):
    """A --previous file that cannot be used."""


@dataclass(frozen=True)
class Change:
    """One unit's errors against the previous round."""

    before: int     # errors in the previous 汇总表
    fixed: int      # of those, gone now
    still: int      # of those, still there
    new: int        # errors now that were not there before


def error_keys(result, problems: list[Problem], level: str) -> dict[str, list[list[str]]]:
    """unit -> one key per error-severity problem, for the record (attributed as in 各县情况)."""
    from .level import problem_units
    out: dict[str, list[list[str]]] = {}
    for p, units in zip(problems, problem_units(result, problems, level)):
        if p.severity == ERROR:
            for u in units:
                out.setdefault(u, []).append([p.rule, fold(p.base), p.form, p.field])
    return out


def round_record(result, problems: list[Problem], level: str) -> dict[str, Any]:
    return {"level": level, "errors": error_keys(result, problems, level)}


def compare(previous: dict[str, Any], current: dict[str, Any]) -> dict[str, Change]:
    """unit -> Change, for every unit of either round (a round record each, as `round_record` makes)."""
    before, now = previous.get("errors") or {}, current.get("errors") or {}
    out = {}
    for unit in set(before) | set(now):
        a = Counter(tuple(k) for k in before.get(unit, ()))
        b = Counter(tuple(k) for k in now.get(unit, ()))
        out[unit] = Change(sum(a.values()), sum((a - b).values()), sum((a & b).values()), sum((b - a).values()))
    return out


def read_previous(path: Path, *, required: bool) -> dict[str, Any] | None:
    """The round record of a previous 汇总表, read from its record sheet alone (not its 58 000 firm rows).

    None when the file has none (not written by xlbase, or by a version before this record); a file
    that cannot be opened raises PreviousError when `required` (--previous), else is None too.
    """
    from .. import sheet_names, summary_record
    from ..read.sniff import inspect_file
    path = Path(path)
    if not path.is_file():
        if required:
            raise PreviousError(f"找不到上次的汇总表：{path}")
        return None
    check = inspect_file(path)
    if not check.ok:
        if required:
            raise _unreadable(path, check.message)
        return None
    try:
        from python_calamine import CalamineWorkbook
        book = CalamineWorkbook.from_path(str(path))
        if sheet_names.SUMMARY_RECORD not in book.sheet_names:
            return None
        rows = book.get_sheet_by_name(sheet_names.SUMMARY_RECORD).to_python()
    except Exception as exc:   # calamine's own errors have no common base class
        if required:
            raise _unreadable(path, exc) from exc
        return None
    record = summary_record.from_cells(rows)
    found = (record or {}).get(ROUND_KEY)
    return found if isinstance(found, dict) and isinstance(found.get("errors"), dict) else None


def _unreadable(path: Path, why: object) -> PreviousError:
    return PreviousError(f"上次的汇总表 {path} 无法读取：{why}")


def not_compared_text(previous: Path) -> str:
    """Why a merge named a last round (--previous, or its own output path) but compared nothing with it."""
    return f"上次的汇总表 {previous} 中没有可比较的记录（不是 xlbase 生成的、版本较早或汇总层级不同），本次未与上次比较。"


def change_text(c: Change) -> str:
    return f"上次错误 {c.before}：已改正 {c.fixed}，仍有 {c.still}；新增 {c.new}"
