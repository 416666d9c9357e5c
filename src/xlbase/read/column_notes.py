"""What the reader says about the columns of a table it read: nothing is dropped or converted in silence.

- a column read under a wording that is not the field's official label: one info
  ("“营收（万元）”按“营业收入”读取"); read by its place in the official order alone: a warning; read under a
  wording that puts a word of its own before the field's head noun (办公面积 for 建筑面积: maybe a part, maybe
  all): a warning saying what the file cannot tell;
- a column whose header states another unit of the field's family: one info naming header and factor;
- a column whose numbers are implausible for its unit (every value over the field's `plausible_max`):
  a warning, never a silent sum;
- a non-empty column that maps to no field: a warning naming its header and range (an empty one: info);
- "/", "—", "无" in number cells read as 0: one info per table;
- rows that answer "no base" (无, 本县无申报) and section rows (一、榆次区): one info each per table.
"""

from __future__ import annotations

import re
from fractions import Fraction
from functools import lru_cache
from typing import Any

from ..forms import FORM_IDS, Field, get_form
from ..forms.roles import FIRM_FORM
from ..problems import INFO, WARNING, Problem
from ..text import fold, fold_unbracketed
from .cover import section_type
from .grid import Sheet, a1
from .header_concepts import qualifier
from .label_text import label_key
from .units import factor_for, field_family, label_family, unit_name
from ..problem_codes import (COLUMN_BY_POSITION, COLUMN_IMPLAUSIBLE, COLUMN_READ_AS, COLUMN_READ_UNSURE,
                             COLUMN_UNIT_CONVERTED,
                             EXTRA_COLUMN, NONE_AS_ZERO, NO_BASE, SECTION_ROW,
                             UNKNOWN_COLUMN)


def _clip(text: Any, n: int = 30) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _known_extra(form_id: str, label: str) -> bool:
    """The header is one the form model lists as no field of the form (its `not_fields`: 备注, 联系人, 联系电话), or
    names a kind of quantity no field of the form has (a share — 小微企业占比, 入驻率 — on 附件10/11)."""
    k = label_key(label)
    said = {fold(w) for w in get_form(form_id).not_fields} if form_id in FORM_IDS else set()
    if bool(k) and (k in said or fold_unbracketed(k) in said):
        return True
    kind = label_family(label) if label else None
    return kind is not None and form_id in FORM_IDS and kind not in _families(form_id)


@lru_cache(maxsize=None)
def _families(form_id: str) -> frozenset[str]:
    return frozenset(fam for f in get_form(form_id).fields if (fam := field_family(f)) is not None)


@lru_cache(maxsize=None)
def official_keys(family: str, key: str) -> frozenset[str]:
    """Folded official labels of a field in its form and in the forms sharing its columns (附件11's own
    spellings), with and without bracketed parts."""
    out: set[str] = set()
    for form in [get_form(family)] + [get_form(i) for i in FORM_IDS if get_form(i).columns_from == family]:
        if form.has_field(key):
            label = form.field(key).label
            out |= {fold(label), fold_unbracketed(label), label_key(label), fold_unbracketed(label_key(label))}
    return frozenset(k for k in out if k)


def _span(found, c: int) -> str:
    rows = found.data_rows
    if not rows:
        return a1(found.header_rows[1], c)
    return f"{a1(rows[0], c)}:{a1(rows[-1], c)}" if len(rows) > 1 else a1(rows[0], c)


def header_cells(found, c: int | None = None) -> str:
    """The header the clerk typed, as cells: column c's cells in the header band (C3, or C3:C4 under a group
    row), or without c the whole band across the table (A3:V4), where a column it lacks would be."""
    top, last = found.header_rows
    if c is None:
        cols = [*found.heads, *([found.number_col] if found.number_col is not None else [])] or [0]
        lo, hi = min(cols), max(cols)
    else:
        lo = hi = c
    first, end = a1(top, lo), a1(last, hi)
    return first if first == end else f"{first}:{end}"


def _header_text(sheet: Sheet, found, c: int) -> str:
    """The header of column c as the clerk typed it (group glued on, units included; a label broken over two
    rows, read.header_band.split_label, whole)."""
    h = found.heads.get(c)
    if h is None:
        return ""
    text = str(sheet.get(h.row, c) or h.label).strip()
    return h.label if h.label != text and h.label.endswith(text) else text


def wording_problems(path: str, sheet: Sheet, found, form_id: str) -> list[Problem]:
    """One line per column read under another wording than the official label, or by position alone — but one for
    the table for its columns headed in Latin letters only (Staff, Tax, USCC, RZQYS): the clerk typed the table
    in another script, and one check of its column order against the official one decides them all."""
    form = get_form(form_id)
    out = []
    latin: list[tuple[str, str, str, int, str]] = []
    for key, c in found.columns.items():
        h = found.heads.get(c)
        if h is None or not form.has_field(key):
            continue
        f = form.field(key)
        if f.tick and sum(1 for x in found.columns.values() if x == c) > 1:
            continue        # one answer column read into a group of tick columns: read.answer_columns says so
        how = found.how.get(key)
        k = label_key(h.label)
        if how != "position" and (k in official_keys(found.family, key)
                                  or fold_unbracketed(k) in official_keys(found.family, key)):
            continue
        shown = _clip(_header_text(sheet, found, c))
        cell = a1(h.row, c)
        if how == "position" and shown and not _HAN.search(shown):
            latin.append((shown, cell, f.label, c, key))     # said once for the table, below
            continue
        if how == "position":
            cell = header_cells(found, c) if not shown else cell
            head = f"表头“{shown}”（{cell}）不是可识别的栏目名称" if shown else f"第 {a1(0, c)[:-1]} 列没有表头（{cell}）"
            out.append(Problem(COLUMN_BY_POSITION, WARNING, _by_position(form_id, head, _span(found, c), f.label), path,
                               sheet.name, cell, form_id, key, value=shown or "（无表头）"))
            continue
        extra = qualifier(h.label, found.family, key)
        if extra and _filled(sheet, [r for r in found.data_rows if r not in found.none_rows], c):   # else nothing
            # was summed under the doubtful wording (an empty table, a county's "no base" answer): how it was read
            msg = (f"{form_id}表头“{shown}”（{cell}）按“{f.label}”读取，其数值（{_span(found, c)}）已计入汇总；但表头多了"
                   f"“{extra}”，所填可能只是“{f.label}”的一部分或另一种口径，文件本身无法判断。请申报单位核实：该列"
                   f"就是“{f.label}”时把表头改为“{f.label}”，不是时按“{f.label}”的口径另行填报。")
            out.append(Problem(COLUMN_READ_UNSURE, WARNING, msg, path, sheet.name, cell, form_id, key, value=shown))
            continue
        out.append(Problem(COLUMN_READ_AS, INFO, f"{form_id}表头“{shown}”（{cell}）按“{f.label}”读取。",
                           path, sheet.name, cell, form_id, key, value=shown))
    if len(latin) == 1:
        shown, cell, label, c, key = latin[0]
        out.append(Problem(COLUMN_BY_POSITION, WARNING,
                           _by_position(form_id, f"表头“{shown}”（{cell}）不是可识别的栏目名称", _span(found, c), label),
                           path, sheet.name, cell, form_id, key, value=shown))
    elif latin:
        latin.sort(key=lambda x: x[3])
        said = "、".join(f"“{shown}”（{cell}）按“{label}”" for shown, cell, label, _, _ in latin)
        first = latin[0]
        out.append(Problem(COLUMN_BY_POSITION, WARNING,
                           f"{form_id}有 {len(latin)} 列的表头是字母（缩写或外文），不是可识别的栏目名称，已按官方表格中各列的位置"
                           f"读取并计入汇总：{said}。请核对这些列的顺序与官方表格是否一致：一致时请把表头改为官方栏目名称，"
                           "不一致时请改正表头后重新报送。", path, sheet.name, first[1], form_id, first[4],
                           value="、".join(x[0] for x in latin)))
    return out


def _by_position(form_id: str, head: str, span: str, label: str) -> str:
    return (f"{form_id}{head}；该列在官方表格中是“{label}”的位置，其数值（{span}）已按“{label}”读取并计入汇总；请核对，"
            f"如果该列正是“{label}”，请把表头改为“{label}”，否则请改正表头后重新报送。")


_HAN = re.compile(r"[\u4e00-\u9fff]")


def unit_factor(found, f: Field) -> tuple[str, Fraction] | None:
    """(stated unit, factor to the field's unit) of a column whose header states another unit of the field's
    family ("（元）" over a 万元 field); None when it states the field's own unit, none, or another family."""
    c = found.columns.get(f.key)
    h = found.heads.get(c) if c is not None else None
    unit = h and (h.unit or dict(h.table_units).get(field_family(f)))
    if not unit or not f.unit:
        return None
    factor = factor_for(unit, f)
    return (unit, factor) if factor is not None and factor != 1 else None


def factor_text(factor: Fraction) -> str:
    """×666.67, ÷10000: how a clerk writes a conversion (at most two decimals)."""
    if factor.denominator == 1:
        return f"×{factor.numerator}"
    if factor.numerator == 1:
        return f"÷{factor.denominator}"
    return f"×{float(factor):.2f}".rstrip("0").rstrip(".")


def unit_problem(path: str, sheet: Sheet, found, form_id: str, f: Field, unit: str, factor: Fraction) -> Problem:
    """"附件11“营收（元）”列（J4:J6）按“元”换算为万元（÷10000）后读取。" — and when the unit came from a 单位
    line over the table, which line said it."""
    c = found.columns[f.key]
    shown = _clip(_header_text(sheet, found, c))
    said = "" if found.heads[c].unit else "（表格上方注明的单位）"
    return Problem(COLUMN_UNIT_CONVERTED, INFO,
                   f"{form_id}“{shown}”列（{_span(found, c)}）按“{unit_name(unit)}”{said}换算为{f.unit}"
                   f"（{factor_text(factor)}）后读取。", path, sheet.name, a1(found.heads[c].row, c), form_id, f.key,
                   value=shown)


def implausible_problem(path: str, sheet: Sheet, found, form_id: str, f: Field, values: list[Any],
                        typed: list[Any] | None = None) -> Problem | None:
    """A warning when every number of a column exceeds what its unit makes plausible (元 typed as 万元).

    A cell that states its unit ("46481.9万元", `typed` beside the read `values`) says which unit it is in:
    it is no evidence of a unit typed wrong, and such cells are set aside."""
    if f.plausible_max is None:
        return None
    if typed is not None:
        from .normalise import is_bare_number
        values = [v for v, t in zip(values, typed) if type(t) is not str or is_bare_number(t)]
    first = next((v for v in values if type(v) in (int, float) and v), None)
    if first is None or abs(first) <= f.plausible_max:      # the usual column stops at its first number
        return None
    nums = [v for v in values if type(v) in (int, float) and v]
    if not nums or min(abs(v) for v in nums) <= f.plausible_max:
        return None
    c = found.columns[f.key]
    shown = _clip(_header_text(sheet, found, c))
    return Problem(COLUMN_IMPLAUSIBLE, WARNING,
                   f"{form_id}“{shown}”列（{_span(found, c)}）的数值都大于 {f.plausible_max:,.10g}{f.unit or ''}，"
                   f"按{f.unit}计不合常理，可能是按更小的单位（如元）填写的；已按{f.unit}读取并计入汇总，请核实单位，"
                   "必要时在表头注明单位（如“（元）”）后重新报送。",
                   path, sheet.name, a1(found.heads[c].row if c in found.heads else found.header_rows[1], c),
                   form_id, f.key, value=len(nums))


def _filled(sheet: Sheet, rows: list[int], c: int) -> int:
    n = 0
    for r in rows:
        v = sheet.get(r, c)
        if v != "" and v is not None and not (type(v) is str and not v.strip()):
            n += 1
    return n


def unused_problems(path: str, sheet: Sheet, found, form_id: str, hint, complete: bool = False) -> list[Problem]:
    """Columns of the table that no field took: a warning naming header and range when they hold values
    (their content is not read), an info when empty — or when the table is `complete` (every column the notice
    requires was read; ours, 所在市 and the like, aside): then it cannot be one of them in other words, and the
    county added what the form does not ask for (a web export's ID, 填报时间, 所属乡镇), which is how it was
    read, not a doubt."""
    out = []
    hr = found.header_rows[1]
    used = set(found.columns.values()) | set(found.duplicates) | {found.number_col}
    ours = _merge_only_labels()
    for c, h in sorted(found.heads.items()):
        if c in used or (h.label and c not in found.extra):   # our own 汇总表's columns are cleared from extra
            continue
        if h.label and fold(h.label) in ours:                 # 来源文件 of an empty 附件11 template: ours
            continue
        text = _header_text(sheet, found, c)
        n = _filled(sheet, found.data_rows, c)
        tip = hint(text) if text else ""
        tail = f"如果这是“{tip}”列，请改用标准栏目名称“{tip}”。" if tip else ""
        cell = a1(h.row if text else hr, c)
        if n and text and (complete or _known_extra(found.family, h.label or text)):
            # a column the form model knows is no field (备注, 联系人, 联系电话): decided, nothing to sum — how it was read
            out.append(Problem(EXTRA_COLUMN, INFO,
                               f"{form_id}表头“{_clip(text)}”（{cell}）是表样以外的栏目，不需汇总；该列 {n} 个有内容的"
                               f"单元格（{_span(found, c)}）未读取。", path, sheet.name, cell, form_id, value=_clip(text)))
        elif n:
            name = f"表头“{_clip(text)}”（{cell}）" if text else f"第 {a1(0, c)[:-1]} 列（没有表头）"
            msg = (f"{form_id}{name}不是本表栏目，该列 {n} 个有内容的单元格（{_span(found, c)}）未读取。{tail}"
                   "如果其中是需要汇总的数据，请改用官方栏目名称后重新报送。")
            out.append(Problem(UNKNOWN_COLUMN, WARNING, msg, path, sheet.name, cell, form_id, value=_clip(text)))
        elif text and not _filled(sheet, [r for r, _ in found.unplaced_rows], c):   # else: unplaced-rows says it
            out.append(Problem(UNKNOWN_COLUMN, INFO,
                               f"{form_id}表头“{_clip(text)}”（{cell}）不是本表栏目，该列没有内容，已忽略。{tail}",
                               path, sheet.name, cell, form_id, value=_clip(text)))
    return out


@lru_cache(maxsize=None)
def _merge_only_labels() -> frozenset[str]:
    return frozenset(fold(f.label) for form_id in FORM_IDS for f in get_form(form_id).fields if f.merge_only)


def none_zero_problem(path: str, sheet: str, form_id: str, cells: list[str]) -> Problem | None:
    """One info per table for number cells that said none ("/", "—", "无"): read as 0."""
    if not cells:
        return None
    shown = "、".join(cells[:8]) + ("等" if len(cells) > 8 else "")
    return Problem(NONE_AS_ZERO, INFO,
                   f"{form_id}有 {len(cells)} 个数值单元格填写的是“/”“—”“无”等（{shown}），表示没有，按 0 读取。",
                   path, sheet, cells[0], form_id, value=len(cells))


def row_problems(path: str, sheet: Sheet, found, form_id: str) -> list[Problem]:
    """The "no base" answer and section rows of a list of bases, one info each per table."""
    out = []
    if found.none_rows:
        r = found.none_rows[0]
        texts = [v for v in sheet.rows[r] if type(v) is str and v.strip()]
        text = next((v for v in texts if v.strip() not in ("/", "—")), texts[0] if texts else "")   # else a row of "/"
        if found.data_rows:
            msg = (f"{form_id}第{'、'.join(str(x + 1) for x in found.none_rows)}行填写“{_clip(text)}”，表示没有基地，"
                   "不作为基地读取。")
        else:
            msg = f"{form_id}填写“{_clip(text)}”：本表按“本年度没有申报基地”读取，基地数为 0。"
        cell = next((a1(r, c) for c, v in enumerate(sheet.rows[r]) if v is text), a1(r, 0))
        out.append(Problem(NO_BASE, INFO, msg, path, sheet.name, cell, form_id, value=_clip(text)))
    if found.sections:
        names = "、".join(f"“{_clip(t, 16)}”（第{r + 1}行）" for r, t in found.sections.items())
        typed = found.family != FIRM_FORM and any(section_type(t) for t in found.sections.values())
        said = ("不是企业，其下各行是该行所写基地的入驻企业" if found.family == FIRM_FORM else
                "不是基地，其下各行的基地类型按分组名称确定（各行自己写明的除外）" if typed else
                "不是基地，其下各行的所在地按分组名称确定（各行自己写明的除外）")
        out.append(Problem(SECTION_ROW, INFO, f"{form_id}中的分组行 {names} {said}。",
                           path, sheet.name, a1(next(iter(found.sections)), 0), form_id))
    return out


def settle_column(path: str, sheet: Sheet, found, form_id: str, f: Field, values: list[Any], normed: list[Any],
                  notes: list, problems: list[Problem]) -> tuple[list[Any], list]:
    """A normalised column made final: converted to the field's unit when its header states another one,
    else checked for plausibility, and its "/"/"—"/"无" cells (read as 0) noted on `found` for one info per table
    instead of one problem per cell."""
    if not f.is_numeric:
        return normed, notes
    from .normalise import NONE_ZERO, scale_column
    conv = unit_factor(found, f)
    if conv:
        normed = scale_column(values, normed, notes, conv[1])
        problems.append(unit_problem(path, sheet, found, form_id, f, *conv))
    # a header that states its unit says what the numbers are in: no doubt about a smaller unit is left
    odd = implausible_problem(path, sheet, found, form_id, f, normed, values) \
        if f.plausible_max is not None and normed and not conv else None
    if odd is not None:
        problems.append(odd)
    if notes.count(None) != len(notes) and any(n is not None and n.note == NONE_ZERO for n in notes):
        c = found.columns[f.key]
        found.none_cells += [a1(found.data_rows[i], c) for i, n in enumerate(notes) if n is not None
                             and n.note == NONE_ZERO]
        notes = [None if n is not None and n.note == NONE_ZERO else n for n in notes]
    return normed, notes
