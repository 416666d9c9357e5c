"""One sheet's forms as Tables: a found table or record turned into values, cells and problems.

Shanxi's reader (read.workbook) and a programme's (read.programme_sheets) both build their Tables here,
so a value is normalised and a problem worded the same whichever form set the file was read by. Also
which sheets are never forms (is_guide) and a sheet with rows but no header (unread_sheet_problem).
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from .. import sheet_names
from ..forms import get_form
from ..forms.roles import BASE_NAME, BASE_TYPE, CITY, COUNTY, FIRM_FORM
from ..problems import ERROR, INFO, WARNING, Problem
from ..table import Table
from ..text import fold, fold_unbracketed
from .cover import section_type
from .grid import Sheet, a1
from .sheet_xml import unread_cells
from .normalise import (CONVERTED, ESTIMATE, NONE_ZERO, NOT_WHOLE, NOTED, Parsed, describe_expected, estimate_of,
                        is_bare_number, normalise_column, parse_value, raw_text)
from .records import FORMULA_NO_VALUE, FoundRecord, placed_words, unread_problem, unread_record_problems
from .line_kinds import could_hold
from .labels import base_column_words, base_section_name, line_kind, status_tag
from .header_words import might_name
from .label_text import label_key
from .match_vocab import vocabulary
from .units import factor_for, header_unit, unit_name
from .profile import cell_kind
from .answer_columns import place_answer_columns, tick_column
from .text_figures import fill_from_text
from .column_notes import factor_text, header_cells, none_zero_problem, settle_column, unit_factor
from .tables import FoundTable, table_problems
from ..problem_codes import (COLUMN_READ_AS, COLUMN_UNIT_CONVERTED, MISSING_COLUMN, NAME_STATUS_TAG, PLACE_FROM_ABOVE, PRECISION_LOST, SAMPLE_ROW,
                             UNPARSEABLE, UNREAD_SHEET, VALUE_CONVERTED, VALUE_ESTIMATE)

#: a visible sheet where no form was found is reported when it has at least UNREAD_MIN_ROWS rows of at
#: least UNREAD_MIN_CELLS filled cells each: rows of a table (a 附件3 continued without its header); a
#: cover (label, value), a notes sheet (one cell a line) or a signature line stay quiet
UNREAD_MIN_ROWS = 3
UNREAD_MIN_CELLS = 3


def unread_sheet_problem(path: str, sheet: Sheet) -> Problem | None:
    """A warning naming a visible sheet whose table rows were not read because no header was found on it."""
    filled = []
    for r, row in enumerate(sheet.rows):
        cols = [c for c, v in enumerate(row) if v != "" and v is not None and not (type(v) is str and not v.strip())]
        if cols:
            filled.append((r, cols))
    if sum(len(cols) >= UNREAD_MIN_CELLS for _, cols in filled) < UNREAD_MIN_ROWS:
        return None
    top, left = filled[0][0], min(cols[0] for _, cols in filled)
    span = f"{a1(top, left)}:{a1(filled[-1][0], max(cols[-1] for _, cols in filled))}"
    return Problem(UNREAD_SHEET, WARNING,
                   f"工作表“{sheet.name}”有 {len(filled)} 行内容（{span}），但没有找到官方表格的表头，未读取；"
                   "如果是附件3的续表，请把表头复制到数据上方，或把这些行移到附件3 表中。",
                   path, sheet.name, a1(top, left))


PROVENANCE_HEADS = {sheet_names.FIRMS_BASE: "_base_name", sheet_names.FIRMS_FILE: "_src",
                    sheet_names.FIRMS_SHEET: "_src_sheet", sheet_names.FIRMS_ROW: "_src_row"}


def firm_provenance(t: Table, sheet: Sheet, ft: FoundTable, extra: dict[int, str]) -> None:
    """The 入驻企业 columns that say where each row came from, as `_base_name`, `_src`, `_src_sheet`, `_src_row`."""
    heads = {fold(h): name for h, name in PROVENANCE_HEADS.items()}
    cols = {heads[fold(text)]: c for c, text in extra.items() if fold(text) in heads}
    picked = _column_cells(sheet.rows, ft.data_rows, list(cols.values()))
    for name, values in zip(cols, picked):
        if name == "_src_row":
            values = [int(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None for v in values]
        else:
            values = [v if isinstance(v, str) and v else None for v in values]
        t.data[name] = values


GUIDE_WORDS = ("说明", "指南", "帮助", "须知", "readme")
TEMPLATE_SHEETS = sheet_names.TEMPLATE_SHEETS
_GUIDE_QUALIFIERS = re.compile(r"填表|填报|填写|使用|操作|表格|模板|工作表|sheet|[\W\d_]")


def is_guide(name: str) -> bool:
    """Instruction sheets (ours: 填表说明) list every label: never read them as forms.

    Only a sheet named for instructions alone (说明, 填报说明, 使用指南 2): a clerk's
    "入驻企业情况说明" is a form sheet that happens to say 说明, and is read.
    """
    if name in TEMPLATE_SHEETS:
        return True
    low = name.lower()
    if not any(w in low for w in GUIDE_WORDS):
        return False
    rest = low
    for w in GUIDE_WORDS:
        rest = rest.replace(w, "")
    return not _GUIDE_QUALIFIERS.sub("", rest)


def _problem(path: str, sheet: str, cell: str, form_id: str, key: str, raw: str, p: Parsed) -> Problem:
    f = get_form(form_id).field(key)
    label = f.label
    expected = describe_expected(f)
    if p.note in (CONVERTED, NOTED):
        return Problem(VALUE_CONVERTED, INFO, f"{form_id}“{label}”{p.detail}", path, sheet, cell, form_id, key,
                       value=raw)
    if p.note == ESTIMATE:
        return Problem(VALUE_ESTIMATE, INFO, estimate_message(form_id, label, raw, p, f.type == "date"), path, sheet,
                       cell, form_id, key, value=raw)
    if p.note == NOT_WHOLE:
        msg = f"{form_id}“{label}”的值“{raw}”不是整数，已保留原文；请填写整数。"
    elif p.note == PRECISION_LOST:
        msg = f"{form_id}“{label}”的值“{raw}”{p.detail}。"
        return Problem(PRECISION_LOST, ERROR, msg, path, sheet, cell, form_id, key, value=raw)
    else:
        extra = f"（{p.detail}）" if p.detail else ""
        msg = f"{form_id}“{label}”的值“{raw}”无法识别为{expected}{extra}，已保留原文；请按{expected}填写。"
    return Problem(UNPARSEABLE, ERROR, msg, path, sheet, cell, form_id, key, value=raw)


def _scaled_estimate(p: Parsed, typed: Any, f: Any, scale: Fraction) -> Parsed:
    """The reader's note of an estimate in a column whose header states another unit: how it reads in the
    field's unit."""
    e = estimate_of(_text(typed), f, scale)
    return p if e is None or not e.bare else replace(p, detail=f"{e.describe(f.unit or '')}（按所注单位换算）")


def estimate_message(form_id: str, label: str, raw: str, p: Parsed, date: bool) -> str:
    """How a bound, an estimate or a year alone was read (the rules say what it proves or cannot decide)."""
    if date:     # the 汇总表's cell and total, where the field has one, are said by merge (incomplete-total)
        return f"{form_id}“{label}”“{raw}”{p.detail}，没有月、日：能由年份判定的规则按年份判定，不能判定时另有警告。"
    return f"{form_id}“{label}”填的是“{raw}”，读作{p.detail}，不是确切数字：门槛按这个范围判定，不能判定时另有警告。"


def _types_from_sections(t: Table) -> None:
    """A list of bases in sections by type ("一、楼宇型" … "二、工业园区型"): a row whose own 基地类型 is blank (or
    whose table has no such column) is of its section's type (read.cover.section_type)."""
    key = next((f.key for f in t.form.table_fields if f.identity == BASE_TYPE), None)
    if key is None:
        return
    typed = [section_type(s) for s in t.data["_section"]]
    if not any(typed):
        return
    own = t.data[key].tolist() if key in t.data.columns else [None] * len(typed)
    t.data[key] = [o if o not in (None, "") else s for o, s in zip(own, typed)]


def _without_status_tags(path: str, sheet: str, form_id: str, col: int, rows: list[int], names: list[Any],
                         problems: list[Problem]) -> list[Any]:
    """Base names with the submission's status bracketed after them ("…双创基地（续报）") read without it: the
    applicant's own forms name the base without it, and the two must be one base. One info per table."""
    out, tagged = [], []
    for r, v in zip(rows, names):
        got = status_tag(v)
        if got is not None:
            tagged.append((a1(r, col), got))
            v = got[0]
        out.append(v)
    if tagged:
        cell, (name, tag) = tagged[0]
        more = f"等 {len(tagged)} 处" if len(tagged) > 1 else ""
        problems.append(Problem(NAME_STATUS_TAG, INFO,
                                f"{form_id}基地名称后括注的“{tag}”（{cell}）{more}是申报状态，不是名称的一部分："
                                f"按“{name}”读取。", path, sheet, cell, form_id, BASE_NAME, value=tag))
    return out


ORG_LINE_REACH = 4   # rows above a header searched for its 填报单位 line


def org_line(sheet: Sheet, header_top: int, top: int) -> str:
    """The 填报单位 line just above a table (not above the previous table's end), its cells joined."""
    for r in range(header_top - 1, max(top, header_top - ORG_LINE_REACH) - 1, -1):
        row = sheet.rows[r] if r < sheet.n_rows else ()
        if any(line_kind(v) == "org" for v in row):
            return " ".join(str(v).strip() for v in row if isinstance(v, str) and v.strip())
    return ""


def foot_org_line(sheet: Sheet, last: int) -> str:
    """The 填报单位 / 推荐单位（盖章） line typed under a table, where a cover or a stamp block puts it ("推荐单位（盖章）：
    祁东县工信局 | 2023年5月18日"), its cells joined; "" when none, or when anything but page lines (a signature, a
    date, a note) stands between the table and it or after it within reach — then it heads the next table."""
    found = ""
    for r in range(last + 1, min(sheet.n_rows, last + 1 + ORG_LINE_REACH)):
        cells = [v for v in sheet.rows[r] if v not in (None, "") and not (isinstance(v, str) and not v.strip())]
        if not cells:
            continue
        kind = line_kind(cells[0])
        if kind == "org" and not found:
            found = " ".join(str(v).strip() for v in cells)
        elif kind not in ("note", "end") and not all(_DATE_ONLY.match(str(v)) for v in cells):
            return ""
    return found


_DATE_ONLY = re.compile(r"^[\d\s年月日./-]+$")    # "2023年5月18日" under a stamp line


def _heading(sheet: Sheet, header_top: int, top: int) -> tuple[tuple[str, str], ...]:
    """The text lines just above a table's header (not above the previous table's end): (A1, texts joined)."""
    out = []
    for r in range(max(top, header_top - ORG_LINE_REACH), min(header_top, sheet.n_rows)):
        cells = [(c, v.strip()) for c, v in enumerate(sheet.rows[r]) if isinstance(v, str) and v.strip()]
        if cells:
            out.append((a1(r, cells[0][0]), " ".join(v for _, v in cells)))
    return tuple(out)


def _row_bases(t: Table, sheet: Sheet, ft: FoundTable) -> None:
    """A firm list's column naming each row's base (所属基地: one county list for several bases) as
    `_row_base`, a blank cell taking the name above it (a name merged down its base's rows); the column
    is used, so no unknown column. merge.attach ties each base's rows to it."""
    words = base_column_words()
    col = next((c for c, head in ft.extra.items() if fold_unbracketed(head) in words), None)
    if col is None:     # a column headed otherwise (归口) or not at all, whose values are names of bases
        right = max(ft.heads, default=-1)
        unheaded = {c for c in range(right + 1) if c != ft.number_col and not (c in ft.heads and ft.heads[c].label)}
        col = next((c for c in sorted({*ft.extra, *unheaded})
                    if c not in ft.columns.values() and _names_bases(sheet, ft.data_rows, c)), None)
    if col is None:
        if ft.row_section:      # a section row naming each base (一、xx双创基地（6户）) over its firms
            at = {r: ft.row_section[r] for r in ft.data_rows if r in ft.row_section}
            t.data["_row_base"] = [base_section_name(ft.sections[at[r]]) if r in at else None for r in ft.data_rows]
            t.data["_row_base_at"] = [a1(at[r], _first_filled(sheet, at[r])) if r in at else None
                                      for r in ft.data_rows]
            t.data["_row_base_how"] = ROW_BASE_SECTION
        return
    names, cells, last, cell = [], [], None, None
    for r in ft.data_rows:
        v = sheet.get(r, col)
        if isinstance(v, str) and v.strip():
            last, cell = v.strip(), a1(r, col)
        names.append(last)
        cells.append(cell)
    if any(names):
        t.data["_row_base"] = names
        t.data["_row_base_at"] = cells
        t.data["_row_base_how"] = ROW_BASE_COLUMN
        ft.extra.pop(col, None)


def _names_bases(sheet: Sheet, rows: list[int], c: int) -> bool:
    """The column's filled cells (two at least) are names of bases (read.profile: ending like one, 基地, 园区,
    众创空间 …) — what a county list's 所属基地 column holds whatever its header."""
    kinds = [cell_kind(v) for v in (sheet.get(r, c) for r in rows)]
    named = [k for k in kinds if k is not None]
    return len(named) >= 2 and all(k == "base" for k in named)


# how a firm list's rows say their base (`_row_base_how`), as the clerk sees it (merge.attach says which)
ROW_BASE_COLUMN = "所属基地栏"
ROW_BASE_SECTION = "分段行"


def _first_filled(sheet: Sheet, r: int) -> int:
    """The column of a row's first non-blank cell (where a section row's text stands)."""
    row = sheet.rows[r] if 0 <= r < sheet.n_rows else []
    return next((c for c, v in enumerate(row) if str(v or "").strip()), 0)


def _place_from_above(path: str, sheet: Sheet, ft: FoundTable, form_id: str, key: str, values: list[Any],
                      problems: list[Problem]) -> list[Any]:
    """A place column (所在县, 县区) with blank cells under a filled one, as a city office types its table in
    blocks: the county merged down its bases' rows, or typed on its block's first row only. A blank takes the place above
    it, as a reader sees it; a 合计/小计 row or a section row (二、屯留区) ends the block, so a place never
    runs into the next county's rows. Only in a table grouped so (a 小计 row between its data rows): elsewhere
    a blank place is unknown, not "as above" — unless the sheet merged it with the filled cell above (the merge
    is the clerk's own "as above", with or without 小计 rows). One info per column names the cells so read."""
    c = ft.columns[key]
    filled: list[int] = []
    if sheet.merged:
        values = list(values)
        for i, r in enumerate(ft.data_rows):
            top = sheet.merged_from(r, c) if values[i] is None or values[i] == "" else None
            if top is not None and top[1] == c and ft.header_rows[1] < top[0] < r:
                values[i] = sheet.get(*top)
                filled.append(r)
    if not any(ft.data_rows[0] < r < ft.data_rows[-1] for r in ft.total_rows):
        _said_from_above(path, sheet, form_id, key, c, filled, problems)
        return values
    breaks = sorted(set(ft.total_rows) | set(ft.sections))
    out, last, prev = [], None, -1
    for r, v in zip(ft.data_rows, values):
        if any(prev < b < r for b in breaks):
            last = None
        if isinstance(v, str) and v.strip():
            last = v
        elif (v is None or v == "") and last is not None:
            v = last
            filled.append(r)
        out.append(v)
        prev = r
    _said_from_above(path, sheet, form_id, key, c, sorted(filled), problems)
    return out


def _said_from_above(path: str, sheet: Sheet, form_id: str, key: str, c: int, filled: list[int],
                     problems: list[Problem]) -> None:
    """One info naming the blank place cells read as the place above them."""
    if not filled:
        return
    shown = "、".join(a1(r, c) for r in filled[:8]) + ("等" if len(filled) > 8 else "")
    label = get_form(form_id).field(key).label
    problems.append(Problem(PLACE_FROM_ABOVE, INFO,
                            f"{form_id}“{label}”列的空白单元格（{shown}）按其上方所填的地名读取"
                            "（合并单元格或只在每组首行填写）。", path, sheet.name, a1(filled[0], c), form_id, key,
                            value=len(filled)))


def split_by_row_base(t: Table) -> list[Table]:
    """A firm list whose 所属基地 column names several bases, as one table per base named (in the order
    first named; rows above the first name go with the first): each is a list of its own base, tied to
    it by merge.attach like a list sent alone."""
    col = t.data["_row_base"]
    names = list(dict.fromkeys(v for v in col if isinstance(v, str)))
    if len(names) < 2:
        return [t]
    pieces = []
    for i, name in enumerate(names):
        mask = ((col == name) | col.isna()).to_numpy() if i == 0 else (col == name).to_numpy()
        pieces.append(replace(t, data=t.data[mask].reset_index(drop=True), raw=t.raw[mask].reset_index(drop=True),
                              totals=list(t.totals) if i == 0 else [], base=dict(t.base)))
    return pieces


def table_from(path: str, sheet: Sheet, ft: FoundTable, form_id: str, kind: str,
                problems: list[Problem], top: int = 0, heading: int | None = None) -> Table:
    """The Table of one found table, its problems added to `problems`. `heading`: the column of a vertical
    sheet's transpose that heads the record (项目 | 内容: vertical.heading_line), no header of a column."""
    form = get_form(form_id)
    answered = place_answer_columns(sheet, ft, form_id)     # one 评价 column of words for a group of tick columns
    t = Table(form_id=form_id, file=path, sheet=sheet.name, header_row=ft.header_rows[1] + 1,
              org_line=org_line(sheet, ft.header_rows[0], top)
              or foot_org_line(sheet, max([ft.header_rows[1], *ft.data_rows, *ft.total_rows])))
    # where a list sent apart from its base names it (merge.attach, merge.programme: any programme's firm list)
    t.heading = _heading(sheet, ft.header_rows[0], top)
    t.columns = {k: c + 1 for k, c in ft.columns.items()}
    rows = ft.data_rows
    n = len(rows)
    ordered = [f.key for f in form.table_fields if f.key in ft.columns]
    data = np.empty((len(ordered), n), dtype=object)     # one row per field: a frame per table, not per column
    raw = np.empty((len(ordered), n), dtype=object)      # None where nothing needs the clerk's text
    empties: dict[str, tuple[str, int]] = {}
    cells = _column_cells(sheet.rows, rows, [ft.columns[k] for k in ordered])
    for j, (key, values) in enumerate(zip(ordered, cells)):
        col = ft.columns[key]
        if form.field(key).identity in (CITY, COUNTY) and len(rows) > 1:
            values = _place_from_above(path, sheet, ft, form_id, key, values, problems)
        if form.field(key).tick:
            values = tick_column(path, sheet, ft, form_id, form.field(key), values, answered, problems)
        normed, notes = normalise_column(values, form.field(key))
        normed, notes = settle_column(path, sheet, ft, form_id, form.field(key), values, normed, notes, problems)
        conv = unit_factor(ft, form.field(key))
        if conv:
            t.scales[key] = conv[1]
        if form.field(key).identity == BASE_NAME:
            normed = _without_status_tags(path, sheet.name, form_id, col, rows, normed, problems)
        data[j] = np.fromiter(normed, dtype=object, count=n)
        raw[j] = np.fromiter(_raw_where_none(values, normed), dtype=object, count=n)
        for i, p in enumerate(notes):
            if p is not None:
                if p.note == ESTIMATE and key in t.scales:      # a bare "约3000" under "（元）": read in 元
                    p = _scaled_estimate(p, values[i], form.field(key), t.scales[key])
                problems.append(_problem(path, sheet.name, a1(rows[i], col), form_id, key, _text(values[i]), p))
        if "" in values:
            for i, v in enumerate(values):
                if v == "":
                    empties[a1(rows[i], col)] = (key, i)
    row_numbers = np.fromiter((r + 1 for r in rows), dtype="int64", count=n)
    t.data = _frame(row_numbers, ordered, data)
    if ft.row_section and form_id != FIRM_FORM:    # a list of bases in sections (一、榆次区): each row's place
        t.data["_section"] = [ft.sections.get(ft.row_section.get(r, -1)) for r in rows]
        _types_from_sections(t)
    t.raw = _frame(row_numbers.copy(), ordered, raw)
    if n and any(f.holds for f in form.table_fields):      # figures written into a text (衡阳's 简要)
        fill_from_text(path, sheet.name, form, t, ft.columns, rows, problems)
    if empties and kind in ("xlsx", "xlsm"):
        for cell, error in sorted(unread_cells(path, sheet.name, set(empties)).items()):
            key, i = empties[cell]
            t.raw.at[i, key] = error or FORMULA_NO_VALUE       # not blank: no second problem (required)
            problems.append(unread_problem(path, sheet.name, cell, form_id, key, error))
    for r in ft.total_rows:
        total: dict[str, Any] = {"_row": r + 1}
        for key in ordered:
            total[key] = parse_value(sheet.get(r, ft.columns[key]), form.field(key)).value
        t.totals.append(total)
    if form_id == FIRM_FORM:
        _row_bases(t, sheet, ft)
    t.extra_columns.extend(ft.extra.values())
    problems.extend(table_problems(path, sheet, ft, form_id))   # unknown/repeated columns, totals, skipped lines
    absent = [f for f in form.table_fields if f.key not in ft.columns and not f.merge_only and rows]
    t.missing_fields.extend(f.key for f in absent)      # an empty table ("无", unfilled) lacks nothing
    unrecognised = [text for c, text in ft.extra.items() if c != heading]
    # our own columns (所在市, 基地类型, 所属行业…) are no clerk's duty: nothing to report
    problems.extend(missing_columns(path, sheet.name, header_cells(ft), form_id, [f for f in absent if f.official],
                                    unrecognised))
    for r in ft.sample_rows:
        problems.append(Problem(SAMPLE_ROW, INFO, f"{form_id}第{r + 1}行是填表示例行，已忽略。",
                                path, sheet.name, a1(r, ft.columns.get(form.table_fields[0].key, 0)), form_id))
    return t


def could_be(text: str, form_id: str, f: Any) -> bool:
    """Whether an unplaced header or line label could be field `f` under a wording we did not recognise: some of
    its words are the field's (header_words.might_name), or it states a unit of the field's family ("辅导老师（人）" may
    be 专业创业辅导员; "工位（个）" is no 建筑面积) and is not a word the form model says names no field of it."""
    if might_name(text, form_id, f.key):
        return True
    k = label_key(text)
    if k in vocabulary(form_id).not_fields or fold_unbracketed(k) in vocabulary(form_id).not_fields:
        return False            # words the form model says name no field of it (资产总额, 主导产业)
    unit = header_unit(text)
    return unit is not None and factor_for(unit, f) is not None


def line_words(rec: FoundRecord, form_id: str, absent: list) -> dict[str, list[str]]:
    """For each line a record lacks (`absent`: Fields), the words of the record we could not place that might be it
    (at most three): a word that `could_be` it or stands where it would (records.placed_words), and whose kind —
    its unit, the value beside it, its head noun (line_kinds.could_hold) — is the line's: "已毕业企业 | 3" stands
    where 投入资金 would, but counts firms."""
    placed = placed_words(rec, form_id, absent)
    values = rec.unknown_values or [""] * len(rec.unknown)
    return {f.key: list(dict.fromkeys(w for w, v in zip(rec.unknown, values)
                                      if (could_be(w, form_id, f) or w in placed[f.key]) and could_hold(w, v, f)))[:3]
            for f in absent}


def missing_columns(path: str, sheet: str, header: str, form_id: str, absent: list, unrecognised: list[str],
                    record: bool = False, words: dict[str, list[str]] | None = None) -> list[Problem]:
    """The official columns a table lacks, one problem per severity naming every one of them, pointed at the
    table's header (`header`, its cells): an error for the required ones provably absent (no header we could not
    place could be it: `could_be`; in a record, no word of its kind could be it: `words`, from line_words); a warning
    for the required ones a header or word we could not place might be under another wording (it is named), or
    whose values are often none (Field.blank_may_be_zero: a column left out is every cell blank); an info for the
    columns the form does not require. Problem.field is the first of them, Problem.value all their keys.
    `record`: the lines of a key/value form (附件2), `header` its cells."""
    grades: dict[str, list] = {ERROR: [], WARNING: [], INFO: []}
    maybe = {f.key: [h for h in unrecognised if could_be(h, form_id, f)][:3] for f in absent} if words is None \
        else {f.key: list(words.get(f.key, ()))[:3] for f in absent}
    printed = get_form(form_id).printed     # a form whose columns the notice never printed can lack none of them
    for f in absent:
        proven = printed and f.required and not f.blank_may_be_zero and not maybe[f.key]
        grades[ERROR if proven else WARNING if f.required else INFO].append(f)
    out = []
    for severity, fields in grades.items():
        if not fields:
            continue
        names = "、".join(f"“{f.label}”" for f in fields)
        some = f" {len(fields)} 个栏目：{names}" if len(fields) > 1 else f"{names}栏目"
        hints = _hints([f for f in fields if severity != ERROR and maybe[f.key]], maybe)
        rest = ("请按通知中的表样补上" if printed else "通知没有印出本表的栏目（本表栏目取自申请表），汇总表中这些数字空缺；需要时请补上")\
            + ("这些栏目" if len(fields) > 1 else "该栏目")
        if hints:
            hinted = all(maybe[f.key] for f in fields)
            rest = "；".join(hints) + ("" if hinted else "；其余" + rest.removeprefix("请"))
        where = f"{form_id}（{header}）" if record else f"{form_id}表头（{header}）"
        said = where + ("缺少" if severity == ERROR else "中没有找到") + f"{some}；{rest}。"
        out.append(Problem(MISSING_COLUMN, severity, said, path, sheet, header, form_id, fields[0].key,
                           value=[f.key for f in fields]))
    return out


def _hints(fields: list, maybe: dict[str, list[str]]) -> list[str]:
    """"如果“X”就是“栏目”，请改用标准栏目名称…" per absent column; the columns one same set of unplaced headers
    might be are named in one phrase (a word after the last line found stands in the place of every line after)."""
    by_words: dict[tuple[str, ...], list] = {}
    for f in fields:
        by_words.setdefault(tuple(maybe[f.key]), []).append(f)
    out = []
    for words, group in by_words.items():
        typed = "、".join(f"“{h}”" for h in words)
        if len(group) == 1:
            out.append(f"如果{typed}就是“{group[0].label}”，请改用标准栏目名称“{group[0].label}”")
        else:
            out.append(f"如果{typed}是{'、'.join(f'“{f.label}”' for f in group)}中的一个，请改用该栏目的标准名称")
    return out


def _column_cells(grid: list[list[Any]], rows: list[int], cols: list[int]) -> list[list[Any]]:
    """The cells of `cols` in `rows`, one list per column ('' past the end of a short row)."""
    picked = [grid[r] for r in rows]
    if not picked:
        return [[] for _ in cols]
    if min(map(len, picked)) > max(cols, default=-1):   # calamine's rows are all full width: transpose in C
        transposed = list(zip(*picked))
        return [list(transposed[c]) for c in cols]
    return [[row[c] if c < len(row) else "" for row in picked] for c in cols]


def _text(v: Any) -> str:
    """The clerk's text of a cell (str cells as they are)."""
    return v if type(v) is str else raw_text(v)


def _raw_where_none(values: list[Any], normed: list[Any]) -> list[str | None]:
    """Table.raw for one column: the clerk's text where no value was read (blank words, unparseable text,
    what a message quotes), None where the value itself says it; no text is built for typed numbers."""
    if None not in normed:
        return [None] * len(values)
    return [_text(v) if d is None else None for v, d in zip(values, normed)]


def _frame(row_numbers: np.ndarray, keys: list[str], columns: np.ndarray) -> pd.DataFrame:
    """`_row` (int64) then one object column per key (rows of `columns`); dtype=object keeps pandas from
    inferring str columns.

    Made from its two blocks (pandas.api.internals, pandas >= 3) — the object block as it is, `_row` —
    the layout the constructor plus insert("_row") gives, for ~7 instead of ~50 µs a frame (two a
    table, ~900 tables at province scale). Elsewhere (older pandas, no field) by those two calls."""
    if _from_blocks is None or not keys:
        df = pd.DataFrame(columns.T, index=pd.RangeIndex(len(row_numbers)), columns=_column_index(tuple(keys)),
                          dtype=object, copy=False)
        df.insert(0, "_row", row_numbers)
        return df
    return _from_blocks([(columns, _places(len(keys))), (row_numbers.reshape(1, -1), _ROW_PLACE)],
                        pd.RangeIndex(len(row_numbers)), _column_index(("_row", *keys)))


try:
    from pandas.api.internals import create_dataframe_from_blocks as _from_blocks
except ImportError:     # pandas < 3
    _from_blocks = None
_ROW_PLACE = np.zeros(1, dtype=np.intp)


@lru_cache(maxsize=64)
def _places(n: int) -> np.ndarray:
    """Where a frame's object block goes: columns 1..n (column 0 is `_row`)."""
    return np.arange(1, n + 1, dtype=np.intp)


@lru_cache(maxsize=256)
def _column_index(keys: tuple[str, ...]) -> pd.Index:
    """One (immutable) column Index per field layout: building it infers its dtype, half a frame's cost."""
    return pd.Index(keys)


def _label_unit(sheet: Sheet, rec: FoundRecord, key: str, f, value: Any, p: Parsed) -> tuple[Parsed, str] | None:
    """A bare number under a record label stating another unit of the line's family ("占地面积（亩）| 80",
    "投入资金（元）| 30000000") is rescaled as a column under such a header is; (the value, what to say of it).
    None when the label states no unit, the line's own or another family's, or the value carries its own."""
    at = rec.label_cells.get(key)
    if at is None or p.note or type(p.value) not in (int, float) or not f.unit:
        return None
    if isinstance(value, str) and not is_bare_number(value):
        return None                                 # "80亩" says its own unit, read by parse_value
    label = sheet.get(*at)
    unit = header_unit(label) if isinstance(label, str) else None
    factor = factor_for(unit, f) if unit else None
    if factor is None or factor == 1:
        return None
    got = float(p.value * factor)
    read = int(got) if f.type == "integer" and got.is_integer() else got
    return Parsed(read), (f"“{label.strip()}”（{a1(*at)}）的值按“{unit_name(unit)}”换算为{f.unit}（{factor_text(factor)}）"
                          f"后读取：{raw_text(value)} → {read:g}。")


def fill_record(path: str, sheet: Sheet, t: Table, rec: FoundRecord, problems: list[Problem],
                say_missing: bool = False) -> None:
    """The record's values into `t`, its problems into `problems`; `say_missing`: the required official lines the
    record lacks are said (missing_columns: a line not found is no blank the clerk left — its label may be one we
    do not know; the required rule said them as blanks before), for Shanxi's forms (a programme's check says them
    itself). A line the form does not require is not said, as before."""
    form = get_form(t.form_id)
    none_cells = []
    for key, value in rec.values.items():
        f = form.field(key)
        cell = a1(*rec.cells[key])
        p = parse_value(value, f)
        scaled = _label_unit(sheet, rec, key, f, value, p)
        if scaled is not None:
            p, how = scaled
            problems.append(Problem(COLUMN_UNIT_CONVERTED, INFO, f"{t.form_id}{how}", path, sheet.name, cell,
                                    t.form_id, key, value=raw_text(value)))
        t.record[key] = p.value
        t.record_raw[key] = raw_text(value)
        t.record_cells[key] = cell
        if p.note == NONE_ZERO:          # "无", "/": none, said once per form
            none_cells.append(cell)
        elif p.note:
            problems.append(_problem(path, sheet.name, cell, t.form_id, key, raw_text(value), p))
    problems += [p for p in [none_zero_problem(path, sheet.name, t.form_id, none_cells)] if p]
    problems += [Problem(COLUMN_READ_AS, INFO, f"{t.form_id}“{typed}”（{a1(*at)}）按“{form.field(key).label}”读取。",
                         path, sheet.name, a1(*at), t.form_id, key, typed) for key, (typed, at) in rec.read_as.items()]
    problems += unread_record_problems(path, t)
    from ..identity import locate
    for label, (value, pos) in rec.combined.items():
        city, county = locate(value)
        targets = [f for f in form.record_fields if f.combined == label]
        for f in targets:
            if f.key in t.record and t.record[f.key] is not None:
                continue
            got = city if f.identity == CITY else county
            t.record[f.key] = got
            t.record_raw[f.key] = raw_text(value)
            t.record_cells[f.key] = a1(*pos)
        if raw_text(value).strip() and (city is None or county is None):
            problems.append(Problem(UNPARSEABLE, WARNING if city else ERROR,
                                    f"{t.form_id}“{label}”的值“{raw_text(value)}”无法识别出所在市和县（市、区），"
                                    "请填写如“忻州市忻府区”。", path, sheet.name, a1(*pos), t.form_id,
                                    targets[0].key if targets else "", value=raw_text(value)))
    absent = []
    for f in form.record_fields:
        if f.key not in t.record:
            t.record[f.key] = None
            if f.key not in t.missing_fields:
                t.missing_fields.append(f.key)
                absent.append(f)
    if not absent:
        return
    words = line_words(rec, t.form_id, absent)
    t.line_words.update({k: tuple(w) for k, w in words.items() if w})   # a programme's required rule names them
    if say_missing:
        top, bottom = min(rec.rows), max(rec.rows)
        right = max((c for _, c in [*rec.cells.values(), *(pos for _, pos in rec.combined.values())]), default=0)
        gone = {f.key for f in absent}      # a part of a breakdown (资金来源) counts when its whole group is gone,
        said = [f for f in absent if f.official and f.required and (not f.part_of or words[f.key] or all(
            p.key in gone for p in form.record_fields if p.part_of == f.part_of))]   # or a word of its kind stands for it
        problems += missing_columns(path, sheet.name, f"{a1(top, 0)}:{a1(bottom, right)}", t.form_id, said,
                                    rec.unknown, record=True, words=words)
