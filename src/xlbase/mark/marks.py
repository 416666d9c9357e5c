"""What a mark is, shared by the marked copy (mark.copy) and the 校验 button (commands/excel.py): the cells a
problem marks (a merged range's top-left cell, the most severe problem's fill), the fills by severity, the
校验结果 sheet's rows and the record of marked cells (`_xlbase_marks`). Nothing here opens a package, so the
button does not import the XML layer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Iterable

from xlbase import sheet_names
from xlbase.cell_refs import expand_cells, parse_ref
from xlbase.problems import ERROR, SEVERITY_LABELS, SEVERITY_RANK, Problem, sort_problems
from xlbase.reports.problems import SEVERITY_FILLS, counts_text

RESULT_SHEET = sheet_names.MARK_RESULTS
MARKS_SHEET = sheet_names.MARK_RECORD
#: cell fills by severity (ARGB), the colours of 问题清单 (reports.problems.SEVERITY_FILLS): light, so the
#: value stays readable on screen and in print, and an info-only cell does not look like an error
MARK_FILLS = {sev: "FF" + rgb for sev, rgb in SEVERITY_FILLS.items()}
MARK_RGB = MARK_FILLS[ERROR]
MARKS_HEADER = list(sheet_names.MARK_RECORD_HEADER)
RESULT_HEADER = ["序号", "严重程度", "工作表", "单元格", "问题说明"]


@dataclass
class MarkRecord:
    """One marked cell as stored in `_xlbase_marks` (shared with commands/excel.py)."""

    sheet: str
    cell: str
    style: int | None = None      # original cellXfs index (file route)
    created: int = 0              # 1 cell added, 2 row added (file route)
    mark_style: int | None = None
    fill: str = ""                # original fill colour (Excel route): "" none, "none", "#RRGGBB"

    def row(self) -> list:
        return [self.sheet, self.cell, "" if self.style is None else self.style, self.created,
                "" if self.mark_style is None else self.mark_style, self.fill]

    @classmethod
    def from_row(cls, row: list) -> "MarkRecord | None":
        row = [("" if v is None else str(v)).strip() for v in row] + [""] * 6
        if not row[0] or not parse_ref(row[1]):
            return None
        as_int = lambda s: int(float(s)) if s.replace(".", "", 1).isdigit() else None  # noqa: E731
        return cls(row[0], row[1], as_int(row[2]), as_int(row[3]) or 0, as_int(row[4]), row[5])


def sheet_location(sheet: str, cell: str) -> str:
    """Internal hyperlink target: 'It''s'!B7."""
    return "'" + sheet.replace("'", "''") + "'!" + cell


def first_cell(cell: str) -> str:
    refs = expand_cells(cell, limit=1)
    return refs[0] if refs else ""


RESULT_TITLE = "校验结果（标色单元格为有问题的位置：红色为错误，黄色为警告，蓝色为提示；点击“单元格”列可跳转）"


def result_rows(problems: Iterable[Problem], rule_pack: str, when: datetime,
                merged: dict[tuple[str, str], str] | None = None) -> tuple[list[list], int]:
    """Rows of the 校验结果 sheet (title, summary, header, one row per problem) and the header's row index.

    `merged`: (sheet, cell) -> the merged range it lies in ("D5:D7"), shown instead of the cell,
    since the mark is on the range's top-left cell.
    """
    problems = sort_problems(problems)
    summary = f"规则包：{rule_pack or '（未注明）'}　校验时间：{when:%Y-%m-%d %H:%M:%S}　{counts_text(problems)}"
    rows: list[list] = [[RESULT_TITLE], [summary], RESULT_HEADER]
    for i, p in enumerate(problems, 1):
        rows.append([i, SEVERITY_LABELS[p.severity], p.sheet, shown_cells(p, merged), p.message])
    return rows, 3


def shown_cells(p: Problem, merged: dict[tuple[str, str], str] | None = None) -> str:
    """The 单元格 of a problem as 校验结果 shows it: each of its cells ("B4,B5" for the firms a share rule
    names), a cell of a merged range as that range."""
    shown = []
    for part in (p.cell or "").split(","):
        cell = first_cell(part) or part
        shown.append((merged or {}).get((p.sheet, cell), cell))
    return ",".join(dict.fromkeys(shown))


def problems_to_mark(problems: Iterable[Problem], merged_range: Callable[[str, str], str | None] | None = None,
                     merged: dict[tuple[str, str], str] | None = None) -> dict[str, dict[str, str]]:
    """sheet -> {A1 cell to mark: the most severe of its problems}, cells in first-seen order.

    A cell inside a merged range (`merged_range(sheet, cell)` -> 'D5:D7') is marked on the
    range's top-left cell, the only one whose fill shows; `merged` records (sheet, cell) -> range.
    """
    out: dict[str, dict[str, str]] = {}
    for p in problems:
        if p.sheet and p.cell:
            cells = out.setdefault(p.sheet, {})
            for ref in expand_cells(p.cell):
                area = merged_range(p.sheet, ref) if merged_range else None
                if area:
                    if merged is not None:
                        merged[(p.sheet, ref)] = area
                    ref = area.split(":")[0]
                if ref not in cells or SEVERITY_RANK[p.severity] < SEVERITY_RANK[cells[ref]]:
                    cells[ref] = p.severity
    return out


def where(p: Problem) -> str:
    """'附件3!B7', or the sheet or cell alone: never a '!' with nothing after it."""
    return "!".join(x for x in (p.sheet, p.cell) if x)
