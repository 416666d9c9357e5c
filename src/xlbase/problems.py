"""The Problem record: the one way every stage reports what is wrong.

Nothing below the CLI prints or raises for bad *input*; it returns Problems.
The field order here is the column order of 问题清单 and of the JSON report.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any, Iterable

from .problem_codes import ERROR, FILE_UNUSABLE, INFO, INPUT_MISSING, SEVERITIES, WARNING

SEVERITY_LABELS = {ERROR: "错误", WARNING: "警告", INFO: "提示"}
SEVERITY_RANK = {ERROR: 0, WARNING: 1, INFO: 2}


@dataclass(frozen=True)
class Problem:
    """One finding, pointing at a file, sheet and cell when it has one."""

    rule: str
    severity: str
    message: str
    file: str = ""
    sheet: str = ""
    cell: str = ""
    form: str = ""
    field: str = ""
    base: str = ""
    value: Any = None
    threshold: Any = None

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["value"] = _jsonable(self.value)
        d["threshold"] = _jsonable(self.threshold)
        return d

    @property
    def sort_key(self) -> tuple:
        """The order of every problem list: files that could not be used at all first, then errors, warnings,
        infos, each by file, sheet and cell (row, then column)."""
        return (self.rule not in UNUSABLE_RULES, SEVERITY_RANK[self.severity], self.file, self.sheet,
                _cell_order(self.cell), self.rule, self.field)


PROBLEM_FIELDS = tuple(f.name for f in fields(Problem))
#: problems that say a whole input could not be used: they head every list
UNUSABLE_RULES = frozenset({FILE_UNUSABLE, INPUT_MISSING})


def _cell_order(a1: str) -> tuple[int, str]:
    """(row, column) of a cell text's first cell ("B12", "B4,B5", "D5:D7")."""
    first = a1.replace(":", ",").split(",")[0]
    digits = "".join(ch for ch in first if ch.isdigit())
    letters = "".join(ch for ch in first if ch.isalpha())
    return (int(digits) if digits else 0, letters.rjust(3))


def _jsonable(v: Any) -> Any:
    """Values in a report must survive json.dumps: dates become ISO text, NaN None."""
    if v is None:
        return None
    if isinstance(v, (bool, int, str)):
        return v
    if isinstance(v, float):
        return None if v != v or v in (float("inf"), float("-inf")) else v
    if hasattr(v, "isoformat"):
        return v.isoformat()
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    try:  # numpy scalars
        return _jsonable(v.item())
    except Exception:
        return str(v)


def count_by_severity(problems: Iterable[Problem]) -> dict[str, int]:
    counts = {s: 0 for s in SEVERITIES}
    for p in problems:
        counts[p.severity] += 1
    return counts


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: p.sort_key)


def by_file(problems: Iterable[Problem]) -> list[Problem]:
    """Grouped by file (unusable ones first), each file's in the order of sort_problems: for listings that
    head each file's rows with its name (the terminal table)."""
    return sorted(problems, key=lambda p: (p.rule not in UNUSABLE_RULES, p.file, p.sort_key))
