"""Find table forms (附件3, 附件4's list, 附件10/11) anywhere in a sheet and take their rows.

A header is a band of up to three rows whose cells name enough of one form's fields
(group row optional, merged however the clerk liked, columns in any order). Below
it, data rows run to the end of the sheet or to a note/signature line; blank rows,
the sample row, units lines, column-number lines and repeated headers are skipped;
合计/汇总/小计 rows are kept apart as totals.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Callable

from ..forms import get_form
from ..text import fold
from .grid import Sheet
from .labels import (cached_fold, group_keys, has_total_text, is_note_text, is_total_text, is_unit_text,
                     match_label)

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
        for m in reversed(band):  # lowest row wins a column: sub-labels under a group
            for c, key in sorted(m.items()):
                if c in taken or key in columns:
                    continue
                columns[key] = c
                taken.add(c)
        if len(columns) < _threshold(family):
            continue
        score = len(columns) / len(get_form(family).official_table_fields)
        if best is None or score > best[0]:
            found = FoundTable(family, (r, last), columns, None, {})
            best = (score, found)
    if best is None:
        return None
    found = best[1]
    _classify_other_header_cells(sheet, found)
    return found


def _classify_other_header_cells(sheet: Sheet, found: FoundTable) -> None:
    groups = group_keys(found.family)
    number = fold(get_form(found.family).number_label or "序号")
    used = set(found.columns.values())
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


_SAMPLE_PLACE = re.compile(r"^x+市x+县")


def _is_sample(value: object, sample_key: str | None) -> bool:
    """The form's sample row (its first cell, folded as `sample_key`) or an 'xx市xx县' placeholder."""
    if not isinstance(value, str) or not value.strip():
        return False
    k = cached_fold(value)
    if sample_key and k == sample_key:
        return True
    return bool(_SAMPLE_PLACE.match(k))


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


def collect_rows(sheet: Sheet, found: FoundTable) -> None:
    """Classify the rows under a header; stop at a note, a signature or another form's header."""
    form = get_form(found.family)
    cols = sorted(set(found.columns.values()) | ({found.number_col} if found.number_col is not None else set()))
    data_cols = list(found.columns.values())
    name_col = found.columns.get(form.table_fields[0].key)
    sample_key = cached_fold(form.sample_row) if form.sample_row else None
    pick, pick_data, width = _picker(cols), _picker(data_cols), max(cols) + 1
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
            # a note/signature line may sit outside the table's columns
            if any(is_note_text(v) for v in row[:3]):
                break
            r += 1
            continue
        first = next((v for v in row if v not in ("", None)), "")
        if is_note_text(first):
            break
        typed = any(isinstance(v, (int, float)) for v in data_vals)
        if not typed and isinstance(first, str) and _text_cells(row) >= 2:
            own = _row_matches(sheet, r, found.family)
            if len(set(own.values())) >= max(2, len(nonempty) // 2):
                r += 1               # a repeated header (copied page)
                continue
            other = find_header(sheet, r)
            if other is not None and other.family != found.family:
                break
        if has_total_text(vals[:3]) or (
                found.number_col is not None and is_total_text(row[found.number_col] if found.number_col < len(row) else "")):
            found.total_rows.append(r)
            r += 1
            continue
        if all(v in ("", None) for v in data_vals):
            r += 1                   # only a 序号 typed: a blank template row
            continue
        if name_col is not None and _is_sample(row[name_col] if name_col < len(row) else "", sample_key):
            found.sample_rows.append(r)
            r += 1
            continue
        # a number in a data column is neither a units line nor text: only column numbers remain to rule out
        if (not typed and all(is_unit_text(v) for v in nonempty)) or _is_column_numbers(nonempty):
            r += 1
            continue
        found.data_rows.append(r)
        r += 1
    found.end_row = r


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
