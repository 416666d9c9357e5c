"""A header band as the column matcher needs it: per column its label, group, unit and values.

A clerk's header is one to three rows (group row, label row, units row), merged however the
clerk liked: a group cell stands over the columns to its right until the next group, a label
merged down two rows sits in the group row, a unit sits in the label ("营收（元）"), in a
units line under it ("（万元）"), in the group ("上年综合经济指标（万元）") or in a one-unit 单位
line above the table ("单位：元"). `band_heads` reads all of that into `ColumnHead`s; the
values under each column are profiled (read.profile) from a sample of the rows below.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from ..forms import get_form
from ..text import fold, fold_unbracketed
from .grid import Sheet
from .labels import cached_fold, is_column_numbers, is_total_text, line_kind
from .column_head import ColumnHead
from .header_words import WORD_HIT, best_word, split_glued_group
from .label_text import glued_parts, marks_part
from .match_vocab import vocabulary
from .profile import PROFILE_ROWS, profile
from .units import header_unit, line_units, strip_unit

NUMBER_KEYS = frozenset({"序号", "编号", "no", "序", "number", "排序", "顺序号"})
UNIT_LINE_REACH = 3      # non-blank rows above a header searched for a 单位 line


def is_text(v: object) -> bool:
    return type(v) is str and bool(v) and not v.isspace()


def unit_only(v: object) -> str | None:
    """The folded unit when a cell is nothing but a unit ('（万元）', '万元', '单位：元', '/户'), else None."""
    if not is_text(v):
        return None
    return _unit_only(v)


@lru_cache(maxsize=8192)
def _unit_only(v: str) -> str | None:
    unit = header_unit(v)
    if unit is None:
        return None
    rest = strip_unit(v).strip("()/")
    k = cached_fold(v).strip("()/")
    return unit if not rest or rest == unit or k == unit or k.startswith(("单位", "计量单位")) else None


def is_units_line(row: list) -> bool:
    """A line of units under a header: at least one cell, every text cell a unit alone."""
    texts = [v for v in row if is_text(v)]
    return bool(texts) and all(unit_only(v) for v in texts) and not any(
        type(v) in (int, float) for v in row)


@lru_cache(maxsize=4096)
def group_name(text: str, form_id: str) -> str | None:
    """The form's group a header cell names ('运营情况（万元）' -> 运营情况), or None."""
    v = vocabulary(form_id)
    g = fold_unbracketed(text) or fold(text)
    if not g:
        return None
    for key, name in v.groups.items():
        if key and (key == g or (len(g) >= 3 and (key in g or g in key))):
            return name
    return None


def is_line(v: object) -> bool:
    """A title, 填报单位 line or note, not a header cell (a column headed 备注 is a header cell)."""
    kind = line_kind(v)
    if kind == "org" and isinstance(v, str):    # "填报单位（盖章）：…" is a line, "申报单位名称" a header
        return ":" in v or "：" in v
    return kind is not None and (kind != "note" or len(cached_fold(v)) > 8)


def is_number_label(v: object) -> bool:
    return is_text(v) and fold_unbracketed(v) in NUMBER_KEYS


@dataclass
class Band:
    top: int
    last: int                   # last header row (the units line, when there is one, not included)
    units_row: int | None       # a units line just below the header
    lo: int
    hi: int


def table_units(sheet: Sheet, top: int) -> tuple[tuple[str, str], ...]:
    """(family, folded unit) pairs a 单位 line or title just above the header names ("单位：元", "金额单位：元",
    "（单位：元、平方米、人）", "表名（金额单位：元）"): each family's unit for the columns that state none; ()
    when no such line is there."""
    seen = 0
    for r in range(min(top, sheet.n_rows) - 1, -1, -1):
        row = sheet.rows[r]
        if all(v is None or v == "" or (type(v) is str and v.isspace()) for v in row):
            continue            # blank separator lines do not count
        texts = [v for v in row if is_text(v)]
        for v in texts:
            if "单位" in v or "：" in v or ":" in v:
                got = line_units(v)
                if got:
                    return got
        seen += 1
        if seen == UNIT_LINE_REACH:
            break
    return ()


def band_heads(sheet: Sheet, band: Band, form_id: str) -> tuple[tuple[ColumnHead, ...], int | None]:
    """ColumnHeads of the band's labelled columns (the 序号 column left out, no profiles yet) and the 序号
    column, if any. Cached on the band's text: a province of files typed from one template has one."""
    rows = tuple(tuple(sheet.rows[r][band.lo:band.hi + 1]) for r in range(band.top, band.last + 1))
    units = tuple(sheet.rows[band.units_row][band.lo:band.hi + 1]) if band.units_row is not None else None
    return _placed_heads(rows, units, table_units(sheet, band.top), form_id, band.lo, band.top)


@lru_cache(maxsize=1024)
def _placed_heads(rows: tuple[tuple, ...], units: tuple | None, above_units: tuple, form_id: str, lo: int,
                  top: int) -> tuple[tuple[ColumnHead, ...], int | None]:
    """_band_heads moved to the band's place on the sheet."""
    heads, number_col = _band_heads(rows, units, above_units, form_id)
    return (tuple(replace(h, col=h.col + lo, row=h.row + top) for h in heads),
            None if number_col is None else number_col + lo)


def with_profiles(sheet: Sheet, heads: tuple[ColumnHead, ...], band: Band, number_col: int | None,
                  data_rows: list[int]) -> tuple[ColumnHead, ...]:
    """The heads with what their columns hold, plus the band's unlabelled columns that hold values."""
    sample = [sheet.rows[r] for r in data_rows]
    by_col = {h.col: h for h in heads}
    out = []
    for c in range(band.lo, band.hi + 1):
        if c == number_col:
            continue
        cells = [row[c] if c < len(row) else "" for row in sample]
        prof = profile(cells)
        filled = [v for v in cells if v is not None and v != ""]
        repeated = len(filled) >= 3 and len(set(map(str, filled))) == 1
        h = by_col.get(c)
        if h is not None:
            out.append(replace(h, profile=prof, repeated=repeated))
        elif prof:
            out.append(ColumnHead(c, "", "", None, prof, band.top, repeated=repeated))
    return tuple(out)


@lru_cache(maxsize=1024)
def _band_heads(rows: tuple[tuple, ...], units_line: tuple | None, above_units: tuple,
                form_id: str) -> tuple[tuple[ColumnHead, ...], int | None]:
    """band_heads on the band's cells (column and row numbers relative to the band)."""
    number_col = None
    heads = []
    width = max(map(len, rows))
    last = len(rows) - 1

    def cell(r: int, c: int):
        return rows[r][c] if c < len(rows[r]) else ""

    for c in range(width):
        texts = [(r, cell(r, c)) for r in range(len(rows)) if is_text(cell(r, c))]
        unit = None
        label_at, label, group = 0, "", ""        # label_at: the row of `label`, once there is one
        for r, t in texts:
            u = unit_only(t)
            if u:
                unit = u
                continue
            if group_name(t, form_id) and r < last:
                group = t.strip()
                continue
            if label and not group and label_at == r - 1 and split_label(label, t.strip(), form_id):
                label_at, label = r, label + t.strip()     # one label broken over two rows (a PDF's converter)
                continue
            if label and not group:
                group = label                        # an upper text over a lower label is its group
            label_at, label = r, t.strip()          # the lowest label cell wins
        if not label or is_line(label):     # a title, 填报单位 or note beside the labels
            continue
        if is_number_label(label):
            if number_col is None:
                number_col = c
            continue
        if not group:
            # a group cell stands over the columns to its right (merged across): the nearest text to the
            # left in a row above this column's label, when that row is empty here — a group of the form,
            # or any text with labels under it ("运营数据（元）": its unit holds for the whole span), not a
            # label merged down the band's rows
            for r in range(label_at):
                if is_text(cell(r, c)):
                    break
                left = next((cc for cc in range(c - 1, -1, -1) if is_text(cell(r, cc))), None)
                if left is not None and (group_name(cell(r, left), form_id) or any(
                        is_text(cell(rr, left)) and not unit_only(cell(rr, left)) for rr in range(r + 1, last + 1))):
                    group = cell(r, left).strip()
                    break
        if not group:
            g, rest = split_glued_group(label, form_id)
            if g:
                group, label = g, rest
        if unit is None and units_line is not None and c < len(units_line):
            unit = unit_only(units_line[c])
        if unit is None:
            unit = header_unit(label)
        if unit is None and group:
            unit = header_unit(group)
        heads.append(ColumnHead(c, label, group, unit, (), label_at, table_units=above_units))
    return _shared_glued_groups(tuple(heads), form_id), number_col


#: how much better a field's words must fit two stacked cells read as one label than the lower cell alone
JOIN_GAIN = 0.2


def split_label(upper: str, lower: str, form_id: str) -> bool:
    """Two cells one above the other that are one label broken over two rows, not a group over its label: a
    PDF's converter puts each line of a wrapped header in a row of its own (入驻 | 企业, 序 | 号, 县（市 | 、区）).
    Joined, they say a field (or 序号) much better than the lower one alone does; a group over its label
    (运营情况 | 营业收入) says it worse joined."""
    joined = upper + lower
    if is_number_label(joined):
        return not is_number_label(lower)
    alone, both = best_word(lower, form_id), best_word(joined, form_id)
    return both is not None and (alone is None or both[1] >= alone[1] + JOIN_GAIN)


def _shared_glued_groups(heads: tuple[ColumnHead, ...], form_id: str) -> tuple[ColumnHead, ...]:
    """A prefix glued on by a separator that several labels of the band share is their group, whatever its
    words: "基础信息-基地", "基础信息-运营机构" … are 基地 and 运营机构 under 基础信息, as "基本情况-基地名称" is
    under the form's own group (`split_glued_group`). A shared prefix that itself names a field (营业收入/元,
    营业收入/万元) or marks a part (其中：自有, 其中：租用) is no group."""
    parts = [glued_parts(h.label) if not h.group else ("", h.label) for h in heads]
    counts: dict[str, int] = {}
    for left, right in parts:
        if left and not unit_only(right):
            counts[left] = counts.get(left, 0) + 1
    shared = {g for g, n in counts.items() if n >= 2 and not marks_part(g)
              and (best_word(g, form_id) or ("", 0.0))[1] < WORD_HIT}
    if not shared:
        return heads
    out = []
    for h, (left, right) in zip(heads, parts):
        if left in shared:
            # the group's unit only where it states one in brackets ("运营数据（元）-营业收入"): a section name's
            # last character is no unit (基本信息-… is not in 息, 运营单位-… not in 位)
            stated = header_unit(left) if any(b in left for b in "（(【[") else None
            h = replace(h, label=right, group=left, unit=h.unit or header_unit(right) or stated)
        out.append(h)
    return tuple(out)


def sample_rows(sheet: Sheet, start: int, lo: int, hi: int) -> list[int]:
    """Up to PROFILE_ROWS rows below a header that look like data: two or more filled cells in the band's
    columns, not a units line, a '1 2 3' column-number line, a total, a note or a title."""
    out: list[int] = []
    r = start
    limit = min(sheet.n_rows, start + 4 * PROFILE_ROWS)
    while r < limit and len(out) < PROFILE_ROWS:
        row = sheet.rows[r]
        cells = row[lo:hi + 1]
        filled = [v for v in cells if v != "" and v is not None and not (type(v) is str and v.isspace())]
        r += 1
        if len(filled) < 2 or is_units_line(cells):
            continue
        if is_column_numbers(filled):
            continue
        first = filled[0]
        if is_total_text(first) or (type(first) is str and line_kind(first) is not None):
            continue
        out.append(r - 1)
    return out


def official_count(form_id: str) -> int:
    return len(get_form(form_id).official_table_fields)
