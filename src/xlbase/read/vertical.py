"""A 附件10 typed vertically: its labels down one column, each base's values in a column beside them.

Clerks who copy the one-row form into a narrow page turn it: 基地名称 | 值 on each line. The
sheet is read through its transpose (labels become a header row, each value column a data
row) with the same column matcher, then every cell address is turned back, so problems point
at the cells the clerk typed. Table.transposed makes Table.cell() answer in the sheet's own
orientation.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..cell_refs import col_index, col_letters, parse_ref
from ..problems import INFO, Problem
from ..problem_codes import EXTRA_COLUMN, HIDDEN_ROW, UNKNOWN_COLUMN
from ..forms.roles import BASE_FORM
from .grid import Sheet, a1
from .labels import line_kind, match_label
from .header_words import WORD_HIT, best_word
from .profile import cell_kind
from .tables import FoundTable, find_tables

VERTICAL_FAMILIES = (BASE_FORM,)
MAX_ROWS, MAX_COLUMNS = 150, 60
_A1 = re.compile(r"(?<![A-Za-z0-9])([A-Z]{1,3})([0-9]{1,7})(?![0-9])")


def transpose(sheet: Sheet) -> Sheet:
    """The sheet with rows and columns swapped ('' where a row was short), its hidden lines swapped too: a base's
    value column the clerk hid is a hidden data row of the transpose (not counted, said at its name cell, as in a
    table typed the usual way), a hidden line (a field's label and values, hidden by the clerk or a filter) a hidden
    column of it (read, as a hidden column is; of two lines of one field the visible one)."""
    width = max((len(r) for r in sheet.rows), default=0)
    rows = [[row[c] if c < len(row) else "" for row in sheet.rows] for c in range(width)]
    turned = Sheet(sheet.name, rows, sheet.visible)
    turned.hidden_rows = sheet.hidden_cols
    turned.hidden_cols = sheet.hidden_rows | sheet.filtered_rows
    return turned


def find_vertical(sheet: Sheet) -> tuple[Sheet, list[FoundTable], dict[str, str]] | None:
    """The transposed sheet, the vertical tables on it and where each cell of the sheet turned was typed (A1 -> A1;
    {} when the sheet is turned as it is), when the sheet holds no table the usual way."""
    if not sheet.rows or sheet.n_rows > MAX_ROWS or max((len(r) for r in sheet.rows), default=0) > MAX_COLUMNS:
        return None          # a vertical 附件10 is ~25 lines by a few bases: a bigger sheet is no such thing
                             # (and costly to turn)
    page = _page_lines_alone(sheet)
    unfolded = unfold_pairs(page)
    turned = transpose(unfolded[0] if unfolded else page)
    found = [ft for ft in find_tables(turned) if ft.family in VERTICAL_FAMILIES and ft.data_rows]
    return (turned, found, unfolded[1] if unfolded else {}) if found else None


MIN_PAIRS = 3       # label | value pairs a column of labels holds for the sheet to be pairs side by side


def unfold_pairs(sheet: Sheet) -> tuple[Sheet, dict[str, str]] | None:
    """One base's 附件10 typed as a Word form, two label | value pairs or more to a line (基地名称 | X | 项目运营单位名称 | Y):
    the same lines one under another (label | value), with where each cell was typed (A1 of the unfolded sheet ->
    A1 of the sheet); None when fewer than two columns each hold MIN_PAIRS labels of the form with a value beside.
    A line of no pair (the title, a section 一、基本情况) keeps its first label column's cells."""
    width = max((len(r) for r in sheet.rows), default=0)
    cols = [c for c in range(width - 1)
            if sum(1 for row in sheet.rows if _pair_at(row, c)) >= MIN_PAIRS]
    cols = [c for i, c in enumerate(cols) if i == 0 or c >= cols[i - 1] + 2]
    if len(cols) < 2:
        return None
    rows: list[list] = []
    where: dict[str, str] = {}
    for r, row in enumerate(sheet.rows):
        at = [c for c in cols if _pair_at(row, c) or (c < len(row) and isinstance(row[c], str) and _is_label(row[c]))]
        for c in at or cols[:1]:
            where[a1(len(rows), 0)], where[a1(len(rows), 1)] = a1(r, c), a1(r, c + 1)
            rows.append([row[c] if c < len(row) else "", row[c + 1] if c + 1 < len(row) else ""])
    return replace(sheet, rows=rows, hidden_rows=frozenset(), hidden_cols=frozenset(), filtered_rows=frozenset(),
                   filter_shows=(), merged=()), where


def _is_label(v: object) -> bool:
    return isinstance(v, str) and bool(v.strip()) and (best_word(v, BASE_FORM) or ("", 0.0))[1] >= WORD_HIT


def _pair_at(row: list, c: int) -> bool:
    """A label of the form at column c of the line with a value beside it (not another label)."""
    return c + 1 < len(row) and _is_label(row[c]) and row[c + 1] not in ("", None) and not _is_label(row[c + 1])


def _page_lines_alone(sheet: Sheet) -> Sheet:
    """The sheet with the cells beside a line of the page emptied — the title, 填报单位 (with the date beside it),
    填表人 | 审核人, a note: turned, such a line's cells would stand in the bases' rows, above their first value,
    and a base's row that opens with "审核人：张强" reads as a line to skip, not as the base. A lone text above the
    first line with a value (a title not worded as one: 双创基地基本情况) is emptied: turned, it is a label
    that may claim 基地名称 from the line that holds the name."""
    rows = []
    above = True            # no line with a label and its value yet: a lone text here is the sheet's title
    for row in sheet.rows:
        first = next((i for i, v in enumerate(row) if v not in ("", None)), None)
        beside = first is not None and any(v not in ("", None) for v in row[first + 1:])
        if first is not None and line_kind(row[first]) is not None and beside:
            row = [*row[:first + 1], *([""] * (len(row) - first - 1))]
        elif above and first is not None and not beside and not match_label(row[first], BASE_FORM):
            row = [""] * len(row)       # "双创基地基本情况" over 项目 | 内容: turned, a label claiming 基地名称
        above = above and not beside
        rows.append(row)
    return replace(sheet, rows=rows)


def swap_a1(text: str) -> str:
    """Every A1 address in a text with row and column swapped: 'C2' on the transpose is 'B3' on the sheet."""
    return _A1.sub(lambda m: f"{col_letters(int(m.group(2)))}{col_index(m.group(1))}", text)


def heading_line(turned: Sheet, ft: FoundTable) -> int | None:
    """The transpose's column (the sheet's line) that heads the record: the line just above its first label
    read (blank lines aside), left unread by the matcher, whose label and values are all plain words naming no
    field — 项目 | 内容, 指标 | 数值, 栏目 | 填报内容: what each column of the record is, not a datum. None when
    there is no such line (a value shaped like data — a number, a date, a name of a base or a firm — is
    never a heading)."""
    used = set(ft.columns.values())
    if not used or not ft.data_rows:
        return None
    label_row = ft.header_rows[1]
    for c in range(min(used) - 1, -1, -1):
        cells = [turned.get(r, c) for r in (label_row, *ft.data_rows)]
        if all(v in ("", None) or (isinstance(v, str) and not v.strip()) for v in cells):
            continue                                           # a blank line between heading and labels
        if c not in ft.extra or any(v in ("", None) for v in cells):
            return None
        if all(cell_kind(v) == "text" and (best_word(str(v), BASE_FORM) or ("", 0.0))[1] < WORD_HIT
               for v in cells[1:]) and cell_kind(cells[0]) == "text":
            return c
        return None
    return None


def typed_at(text: str, where: dict[str, str]) -> str:
    """Every A1 address of the unfolded sheet in a text as the cell the clerk typed (unfold_pairs' `where`)."""
    if not where:
        return text
    return _A1.sub(lambda m: where.get(m.group(0), m.group(0)), text)


def turned_back(problems: list[Problem], heading: int | None = None) -> list[Problem]:
    """Problems found on the transpose, addressed to the sheet the clerk typed. A "column" of the transpose
    with nothing beside its label is a line of the sheet (the title, 填报单位, a note): no column, so nothing
    is said of it; one with values is a line the clerk filled, said as a line (该行, not 该列) — but the
    record's heading line (`heading`, the transpose's column) is no unread line: one info says how it was
    taken."""
    out = []
    for p in problems:
        if p.rule == UNKNOWN_COLUMN and p.severity == INFO:
            continue            # an empty line (a title, a note); a filled line of no field (联系人) is said
        message = swap_a1(p.message)
        at = parse_ref(p.cell) if p.cell else None
        if p.rule in (UNKNOWN_COLUMN, EXTRA_COLUMN) and heading is not None and at and at[1] - 1 == heading:
            # a warning while a line is missing, else how an added line was read: either way the heading
            out.append(replace(p, severity=INFO, cell=swap_a1(p.cell),
                               message=f"{p.form}第 {heading + 1} 行（“{p.value}”…）是竖排表各列的标题，不是栏目，"
                                       "按标题行读取（不计入数据）。"))
            continue
        if p.rule in (UNKNOWN_COLUMN, EXTRA_COLUMN):
            message = message.replace("表头“", "栏目“").replace("该列", "该行")
        if p.rule == HIDDEN_ROW and at:         # a base's hidden value column, said of the transpose's row
            message = message.replace(f"第{at[0]}行", f"第 {col_letters(at[0])} 列").replace("隐藏的行", "隐藏的列")
        out.append(replace(p, cell=swap_a1(p.cell), message=message))
    return out
