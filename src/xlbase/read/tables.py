"""Find table forms (附件3, 附件4's list, 附件10/11) anywhere in a sheet and take their rows.

A header is a band of up to three rows whose cells name enough of one form's fields
(group row optional, merged however the clerk liked, columns in any order). Below
it, data rows run to the end of the sheet or to another form's header. Blank rows,
the sample row, units lines, column-number lines and repeated headers are skipped;
合计/汇总/小计 rows are kept apart as totals. A note, signature, 以下空白, title,
填报单位 or another form's label line ends the table only when no data row follows
it; otherwise it is passed over and reported, so nothing that looks like data is lost
without a problem (`table_problems`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Callable

from ..forms import get_form
from ..problems import INFO, WARNING, Problem
from ..text import fold, fold_unbracketed
from .grid import Sheet, a1
from .labels import (TOTAL_WORDS, cached_fold, group_keys, has_total_text, is_record_label_text, is_sample_text,
                     is_total_text, is_unit_text, label_stem, line_kind, match_label)
from .records import find_record

TABLE_FAMILIES = ("附件3", "附件4", "附件10")   # 附件11 shares 附件10's columns: decided after
MAX_BAND = 3


@dataclass
class FoundTable:
    family: str
    header_rows: tuple[int, int]            # first, last (0-based)
    columns: dict[str, int]                 # field key -> 0-based column
    number_col: int | None
    extra: dict[int, str]                   # 0-based column -> header text
    data_rows: list[int] = field(default_factory=list)
    total_rows: list[int] = field(default_factory=list)
    sample_rows: list[int] = field(default_factory=list)
    end_row: int = 0                        # first row after the table (0-based)
    skipped: list[tuple[int, str]] = field(default_factory=list)   # (row, text): non-data lines between data rows
    duplicates: dict[int, tuple[int, int]] = field(default_factory=dict)  # column -> (its label's row, the
                                                                          # column already read for that field)


def _threshold(family: str) -> int:
    n = len(get_form(family).official_table_fields)
    return max(3, math.ceil(0.4 * n))


def _row_matches(sheet: Sheet, r: int, family: str) -> dict[int, str]:
    out: dict[int, str] = {}
    for c, v in enumerate(sheet.rows[r] if r < sheet.n_rows else ()):
        keys = match_label(v, family, "table")
        if keys:
            out[c] = keys[0]
    return out


def _text_cells(row: list) -> int:
    return sum(1 for v in row if isinstance(v, str) and v.strip())


def find_header(sheet: Sheet, r: int) -> FoundTable | None:
    """A header band starting at row r, for the best-matching family, or None."""
    row = sheet.rows[r]
    if _text_cells(row) < 2:
        return None
    best: tuple[float, FoundTable] | None = None
    for family in TABLE_FAMILIES:
        first = _row_matches(sheet, r, family)
        if len(set(first.values())) < 2:
            continue
        band = [first]
        last = r
        for rr in range(r + 1, min(r + MAX_BAND, sheet.n_rows)):
            m = _row_matches(sheet, rr, family)
            if not m:
                break
            band.append(m)
            last = rr
        columns: dict[str, int] = {}
        taken: set[int] = set()
        duplicates: dict[int, tuple[int, int]] = {}
        for i in range(len(band) - 1, -1, -1):  # lowest row wins a column: sub-labels under a group
            for c, key in sorted(band[i].items()):
                if c in taken:
                    continue
                if key in columns:
                    duplicates.setdefault(c, (r + i, columns[key]))
                    continue
                columns[key] = c
                taken.add(c)
        if len(columns) < _threshold(family):
            continue
        score = len(columns) / len(get_form(family).official_table_fields)
        if best is None or score > best[0]:
            found = FoundTable(family, (r, last), columns, None, {},
                               duplicates={c: d for c, d in duplicates.items() if c not in taken})
            best = (score, found)
    if best is None:
        return None
    found = best[1]
    _classify_other_header_cells(sheet, found)
    return found


def _classify_other_header_cells(sheet: Sheet, found: FoundTable) -> None:
    groups = group_keys(found.family)
    number = fold(get_form(found.family).number_label or "序号")
    used = set(found.columns.values()) | set(found.duplicates)
    r0, r1 = found.header_rows
    band = [sheet.rows[rr] for rr in range(r0, r1 + 1)]

    def has_text(c: int) -> bool:
        return any(c < len(row) and isinstance(row[c], str) and row[c].strip() for row in band)

    lo, hi = min(used), max(used)
    while lo > 0 and has_text(lo - 1):       # contiguous header cells only: a check area
        lo -= 1                              # beside the table is not a column of it
    while has_text(hi + 1):
        hi += 1
    texts: dict[int, str] = {}
    for row in band:
        for c in range(lo, min(hi + 1, len(row))):
            v = row[c]
            if c in used or not isinstance(v, str) or not v.strip():
                continue
            k = fold(v)
            if k in (number, "序号", "编号", "no"):
                if found.number_col is None:
                    found.number_col = c
                continue
            if k in groups:
                continue
            texts[c] = v.strip()  # lowest row's text wins
    found.extra = {c: t for c, t in sorted(texts.items())}


def _is_column_numbers(nums: list) -> bool:
    """A '1 2 3 …' line under the header; `nums` are the row's non-empty cells."""
    if len(nums) < 3 or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in nums):
        return False
    return all(b - a == 1 for a, b in zip(nums, nums[1:])) and nums[0] in (0, 1)


def _picker(cols: list[int]) -> Callable[[list], tuple]:
    """The cells of `cols` of a row that is wide enough, as a tuple, in one C call."""
    if len(cols) == 1:
        only = cols[0]
        return lambda row: (row[only],)
    return itemgetter(*cols)


def _is_header_line(row: list, family: str) -> bool:
    """A repeated header line of `family`, whole or in part (a group row alone): its text cells are
    labels, group names, 序号 or units, at least two of them, with at most a stray extra ("备注")."""
    groups = group_keys(family)
    hits = other = 0
    for v in row:
        if not isinstance(v, str) or not v.strip():
            continue
        k = cached_fold(v)
        if match_label(v, family) or k in groups or fold_unbracketed(v) in groups or k in _NUMBER_KEYS or is_unit_text(v):
            hits += 1
        else:
            other += 1
    return hits >= 2 and other * 3 <= hits


_NUMBER_KEYS = frozenset({"序号", "编号", "no"})


def _first_text(row: list) -> str | None:
    return next((v for v in row if type(v) is str and v and not v.isspace()), None)


def collect_rows(sheet: Sheet, found: FoundTable) -> None:
    """Classify the rows under a header, up to another form's header or the end of the sheet.

    A line that would end a paper table (note, signature, 以下空白, a title, 填报单位, another
    form's label) is held as `pending`: if a data row follows it, it was only a line inside the
    table and is recorded in `skipped`; if a header or the end of the sheet comes first, the table
    ends at it.
    """
    form = get_form(found.family)
    cols = sorted(set(found.columns.values()) | ({found.number_col} if found.number_col is not None else set()))
    data_cols = list(found.columns.values())
    name_col = found.columns.get(form.table_fields[0].key)
    sample = form.sample_row
    pick, pick_data, width = _picker(cols), _picker(data_cols), max(cols) + 1
    pending: int | None = None
    pending_lines: list[tuple[int, str]] = []
    r = found.header_rows[1] + 1
    while r < sheet.n_rows:
        row = sheet.rows[r]
        if len(row) >= width:       # calamine's rows are all full width
            vals, data_vals = pick(row), pick_data(row)
        else:
            vals = tuple(row[c] if c < len(row) else "" for c in cols)
            data_vals = tuple(row[c] if c < len(row) else "" for c in data_cols)
        nonempty = [v for v in vals if v not in ("", None)]
        if not nonempty:
            lead = _first_text(row)
            # a note/signature line may sit outside the table's columns
            if lead is not None and line_kind(lead) is not None:
                pending = r if pending is None else pending
                pending_lines.append((r, lead))
            r += 1
            continue
        first = next(v for v in row if v not in ("", None))
        typed = any(isinstance(v, (int, float)) for v in data_vals)
        # the row's first text may make it a note, title, … line; a typed row after its 序号 is data
        lead = first if type(first) is str else None if typed else _first_text(row)
        if lead is not None:
            kind = line_kind(lead)
            if kind == "title" and _text_cells(row) > 1:
                kind = None
            if kind is not None or (first is lead and is_record_label_text(lead)):
                pending = r if pending is None else pending
                pending_lines.append((r, lead))
                r += 1
                continue
        if not typed and isinstance(first, str) and _text_cells(row) >= 2:
            if _is_header_line(row, found.family):
                same = True
            else:
                other = find_header(sheet, r)
                if other is not None and other.family != found.family:
                    break
                same = other is not None
            if same:
                if pending is not None:
                    break            # a title line, then this form's header: the next table starts
                r += 1               # a repeated header (copied page)
                continue
        if has_total_text(vals[:3]) or is_total_text(first) or (
                found.number_col is not None and is_total_text(row[found.number_col] if found.number_col < len(row) else "")):
            found.total_rows.append(r)
            r += 1
            continue
        if all(v in ("", None) for v in data_vals):
            r += 1                   # only a 序号 typed: a blank template row
            continue
        if name_col is not None and is_sample_text(row[name_col] if name_col < len(row) else "", sample):
            found.sample_rows.append(r)
            r += 1
            continue
        # a number in a data column is neither a units line nor text: only column numbers remain to rule out
        if (not typed and all(is_unit_text(v) for v in nonempty)) or _is_column_numbers(nonempty):
            r += 1
            continue
        if pending is not None:      # data after it: the line was inside the table
            found.skipped.extend(pending_lines)
            pending, pending_lines = None, []
        found.data_rows.append(r)
        r += 1
    found.end_row = r if pending is None else pending


def find_tables(sheet: Sheet) -> list[FoundTable]:
    """Every table form in the sheet, top to bottom."""
    out: list[FoundTable] = []
    r = 0
    while r < sheet.n_rows:
        found = find_header(sheet, r)
        if found is None:
            r += 1
            continue
        collect_rows(sheet, found)
        out.append(found)
        r = max(found.end_row, found.header_rows[1] + 1)
    return out


def choose_summary(sheet: Sheet, found: FoundTable, top: int) -> str:
    """附件10 or 附件11 for a 附件10-family table: title line, sheet name, then row count."""
    if found.family != "附件10":
        return found.family
    for rr in range(top, found.header_rows[0]):
        for v in sheet.rows[rr]:
            if isinstance(v, str) and v.strip():
                k = fold(v)
                if "汇总表" in k:
                    return "附件11"
                if "基本情况表" in k:
                    return "附件10"
    m = re.search(r"附件\s*(\d+)", sheet.name)
    if m and m.group(1) in ("10", "11"):
        return "附件" + m.group(1)
    if "汇总" in sheet.name:
        return "附件11"
    return "附件11" if len(found.data_rows) > 1 else "附件10"


def _clip(text: str, n: int = 30) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _hint(text: str, missing: list) -> str:
    """The missing field an unrecognised header most likely means (shared characters of the stems), or ''."""
    got = set(label_stem(fold_unbracketed(text)))
    best, best_score = "", 0.0
    for f in missing:
        score = max(len(got & set(label_stem(k))) / len(set(label_stem(k))) for k in f.label_keys if k)
        if score > best_score:
            best, best_score = f.label, score
    return best if best_score >= 0.5 else ""


_BARE_TOTALS = frozenset(TOTAL_WORDS)


def table_problems(path: str, sheet: Sheet, found: FoundTable, form_id: str) -> list[Problem]:
    """What the reader set aside or doubts in one table, each naming its cells: unknown and repeated
    columns, 合计/小计 rows, hidden data rows, and lines passed over between data rows."""
    form = get_form(form_id)
    out: list[Problem] = []
    hr = found.header_rows[1]
    missing = [f for f in form.table_fields if f.required and not f.merge_only and f.key not in found.columns]
    for c, text in found.extra.items():
        hint = _hint(text, missing)
        tail = f"如果这是“{hint}”列，请改用标准栏目名称“{hint}”。" if hint else ""
        out.append(Problem("unknown-column", INFO,
                           f"{form_id}表头“{text}”（第{a1(hr, c)}格）不是本表栏目，已忽略该列。{tail}",
                           path, sheet.name, a1(hr, c), form_id, value=text))
    for c, (r, c0) in sorted(found.duplicates.items()):
        text = _clip(sheet.get(r, c))
        first = next((rr for rr in range(found.header_rows[1], found.header_rows[0] - 1, -1)
                      if match_label(sheet.get(rr, c0), found.family)), hr)
        key = match_label(sheet.get(r, c), found.family)[:1]
        out.append(Problem("duplicate-column", WARNING,
                           f"{form_id}表头“{text}”（{a1(r, c)}）与{a1(first, c0)}“{_clip(sheet.get(first, c0))}”是重复的列，"
                           f"只读取{a1(first, c0)}所在的列，{a1(r, c)}所在的列已忽略；请删除重复的列或改正栏目名称。",
                           path, sheet.name, a1(r, c), form_id, key[0] if key else "", value=text))
    name_col = found.columns.get(form.table_fields[0].key)
    for r in found.total_rows:
        row = sheet.rows[r]
        c = next((c for c, v in enumerate(row) if is_total_text(v)), 0)
        if fold_unbracketed(row[c]) in _BARE_TOTALS and (name_col is None or name_col == c
                                                           or sheet.get(r, name_col) in ("", None)):
            continue    # the form's own 合计/汇总 row (our templates have one): no name it could be hiding
        last = max((c for c, v in enumerate(row) if v not in ("", None)), default=c)
        out.append(Problem("total-row", INFO,
                           f"{form_id}第{r + 1}行（{a1(r, c)}“{_clip(row[c])}”，{a1(r, 0)}:{a1(r, last)}）是合计/小计行，"
                           "不作为数据读取，也不计入汇总；如果这一行其实是一条数据，请改正其名称。",
                           path, sheet.name, a1(r, c), form_id, value=_clip(row[c])))
    hidden = [r for r in found.data_rows if r in sheet.hidden_rows] if sheet.hidden_rows else []
    if hidden:
        shown = "、".join(str(r + 1) for r in hidden[:20]) + ("等" if len(hidden) > 20 else "")
        cell = a1(hidden[0], name_col if name_col is not None else 0)
        out.append(Problem("hidden-row", INFO,
                           f"{form_id}第{shown}行是隐藏的行（在 Excel/WPS 中看不到），共 {len(hidden)} 行，仍作为数据读取；"
                           "如果这些行已作废，请删除后重新报送。", path, sheet.name, cell, form_id, value=len(hidden)))
    for r, text in found.skipped:
        c = next((c for c, v in enumerate(sheet.rows[r]) if v is text), 0)
        out.append(Problem("skipped-line", INFO,
                           f"{form_id}第{r + 1}行（{a1(r, c)}“{_clip(text)}”）夹在数据行之间，不是数据，已跳过；"
                           "其后的数据照常读取。", path, sheet.name, a1(r, c), form_id, value=_clip(text)))
    return out


def hidden_sheet_problem(path: str, sheet: Sheet, record_min_fields: int) -> Problem | None:
    """A hidden (or very hidden) sheet is not read; when it holds a form the clerk is told so, since
    last year's table hidden beside this year's is the usual case. Helper sheets (lists) say nothing."""
    forms = [choose_summary(sheet, ft, 0) for ft in find_tables(sheet)]
    if not forms and find_record(sheet, "附件2", min_fields=record_min_fields) is not None:
        forms = ["附件2"]
    if not forms:
        return None
    names = "、".join(dict.fromkeys(forms))
    return Problem("hidden-sheet", INFO,
                   f"工作表“{sheet.name}”是隐藏的工作表（其中有{names}），未读取；"
                   "如果需要汇总这张表，请在 Excel/WPS 中取消隐藏后重新报送。",
                   path, sheet.name, "", forms[0])
