"""A group of tick columns (Field.tick: 太原 测评's 很满意 | 基本满意 | 不满意, a "√" in one) as clerks type it: the tick
written ✓, ✔, 1 or 是; or one column of the group's answers in words instead (评价: 基本满意), read into the
form's columns — each row ticked in the column its word names (the field's label, or one of its `answers`).

An answer word that is one field's `answers` is read so only where the column does not also hold that field's
own label: 满意 is the top answer in a column of 满意 / 一般 / 不满意, and cannot be told from 基本满意 in a
column that also says 很满意 (left unread, a warning).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..forms import Field, get_form
from ..problem_codes import COLUMN_READ_AS, UNPARSEABLE, VALUE_CONVERTED
from ..problems import INFO, WARNING, Problem
from ..text import fold, some_of
from .grid import a1

TICK = "√"
#: how clerks tick a box, folded; and what says "not ticked" (any other text is no answer and is said)
TICK_MARKS = frozenset({"√", "✓", "✔", "☑", "🗸", "v", "1", "是", "●", "对", "有"})
NO_TICK = frozenset({"", "×", "✗", "✘", "x", "0", "否", "/", "-", "—", "无"})


@lru_cache(maxsize=None)
def tick_groups(form_id: str) -> tuple[tuple[Field, ...], ...]:
    """The form's groups of tick fields (Field.tick, one `group`), in column order."""
    groups: dict[str, list[Field]] = {}
    for f in get_form(form_id).table_fields:
        if f.tick:
            groups.setdefault(f.group or f.key, []).append(f)
    return tuple(tuple(g) for g in groups.values() if len(g) > 1)


def _key(v: Any) -> str:
    if v is None or isinstance(v, bool):
        return ""
    if isinstance(v, float) and v.is_integer():     # a tick typed 1, read as 1.0
        v = int(v)
    return fold(str(v)).lower()


def answer_of(word: str, fields: tuple[Field, ...], column: set[str]) -> str | None:
    """The field a folded answer `word` ticks, among `fields`, in a column holding the folded words `column`."""
    for f in fields:
        if word == fold(f.label):
            return f.key
    for f in fields:
        if word in {fold(a) for a in f.answers}:
            return None if fold(f.label) in column else f.key
    return None


def place_answer_columns(sheet: Any, ft: Any, form_id: str) -> dict[int, tuple[Field, ...]]:
    """The column of the found table `ft` that holds a tick group's answers in words (most of its filled cells
    name one of the group's fields): a column no field took, or the one column one of the group's fields took
    by its head's words (满意度 for 满意). The group's fields are read from it (ft.columns[key] = the column for
    each). Column -> the group."""
    groups = tick_groups(form_id)
    if not groups:
        return {}
    taken = set(ft.columns.values())
    out: dict[int, tuple[Field, ...]] = {}
    for fields in groups:
        own = {ft.columns[f.key] for f in fields if f.key in ft.columns}
        if len(own) > 1:
            continue            # the form's own tick columns
        for c in sorted(own or getattr(ft, "heads", {}) or {}):
            if c in taken and c not in own:
                continue
            words = [w for w in (_key(sheet.get(r, c)) for r in ft.data_rows) if w]
            column = set(words)
            read = sum(1 for w in words if answer_of(w, fields, column) is not None)
            if len(words) >= 2 and read >= 0.8 * len(words):
                for f in fields:
                    ft.columns[f.key] = c
                taken.add(c)
                out[c] = fields
                break
    return out


def as_ticks(values: list[Any], f: Field, group: tuple[Field, ...] | None) -> tuple[list[Any], list[int], list[int]]:
    """A tick field's cells read as ticks: "√" where ticked, None where not. `group`: the fields of the one answer
    column (words) the cells come from (place_answer_columns), else None: the field's own cells (✓, 1, 是).
    Also the rows holding another tick mark than "√" (said once, an info) and the rows holding text that is no
    answer (an own cell's text is kept; both are said, a warning)."""
    out: list[Any] = []
    other_marks: list[int] = []
    unread: list[int] = []
    if group is not None:
        words = [_key(v) for v in values]
        present = set(words) - {""}
        for i, w in enumerate(words):
            got = answer_of(w, group, present) if w else None
            out.append(TICK if got == f.key else None)
            if w and got is None:
                unread.append(i)
        return out, other_marks, unread
    for i, v in enumerate(values):
        k = _key(v)
        if k in TICK_MARKS:
            out.append(TICK)
            if k != TICK:
                other_marks.append(i)
        elif k in NO_TICK:
            out.append(None)
        else:
            out.append(v)
            unread.append(i)
    return out, other_marks, unread


def tick_column(path: str, sheet: Any, ft: Any, form_id: str, f: Field, values: list[Any],
                answered: dict[int, tuple[Field, ...]], problems: list[Problem]) -> list[Any]:
    """A tick field's cells as ticks (as_ticks), what was read how said in `problems`: once per answer column
    (an info naming the form's columns it was read into; a warning for its words that name none of them), and
    per own column the other tick marks (an info) and the texts that are no tick (a warning)."""
    c = ft.columns[f.key]
    group = answered.get(c)
    ticks, marks, unread = as_ticks(values, f, group)
    cells = [a1(ft.data_rows[i], c) for i in unread]
    if group is not None:
        if f is not group[0]:
            return ticks        # the column is said once, with the group's first field
        head = ft.heads[c]
        names = "、".join(f"“{g.label}”" for g in group)
        problems.append(Problem(COLUMN_READ_AS, INFO,
                                f"{form_id}表头“{head.label}”（{a1(head.row, c)}）一列填写的是文字，按表样的{names}栏读取"
                                "（所写的一栏打“√”）。", path, sheet.name, a1(head.row, c), form_id, f.key, head.label))
        if cells:
            words = "、".join(dict.fromkeys(f"“{str(values[i]).strip()}”" for i in unread[:6]))
            problems.append(Problem(UNPARSEABLE, WARNING,
                                    f"{form_id}“{head.label}”列中 {len(cells)} 个单元格（{some_of(cells, '个')}）填的{words}"
                                    f"不能确定是{names}中的哪一栏，未读取；请改为其中之一。", path, sheet.name, cells[0],
                                    form_id, f.key, str(values[unread[0]])))
        return ticks
    if marks:
        at = [a1(ft.data_rows[i], c) for i in marks]
        shown = "、".join(dict.fromkeys(f"“{str(values[i]).strip()}”" for i in marks[:6]))
        problems.append(Problem(VALUE_CONVERTED, INFO, f"{form_id}“{f.label}”栏 {len(at)} 个单元格（{some_of(at, '个')}）填的"
                                f"{shown}按打“√”读取。", path, sheet.name, at[0], form_id, f.key))
    if cells:
        problems.append(Problem(UNPARSEABLE, WARNING,
                                f"{form_id}“{f.label}”栏 {len(cells)} 个单元格（{some_of(cells, '个')}）填的不是打勾（“√”），"
                                "已保留原文；该栏只需在符合的一栏打“√”。", path, sheet.name, cells[0], form_id, f.key,
                                str(values[unread[0]])))
    return ticks
