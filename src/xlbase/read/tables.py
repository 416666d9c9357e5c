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
from dataclasses import dataclass, field, replace
from functools import lru_cache
from operator import itemgetter
from typing import Any, Callable

from ..forms import FORM_IDS, get_form, sharing_columns, table_families
from ..forms.roles import BASE_NAME, FIRM_FORM, RECORD_FORM
from ..problems import INFO, WARNING, Problem
from ..text import fold, fold_unbracketed
from .column_notes import none_zero_problem, row_problems, unused_problems, wording_problems
from .grid import Sheet, a1
from .header_band import (Band, band_heads, group_name, is_line, is_number_label, is_text, is_units_line,
                          sample_rows, with_profiles)
from .labels import (TOTAL_WORDS, base_section_name, cached_fold, glued_line_word, group_keys, has_total_text,
                     is_column_numbers, is_record_label_text, is_sample_text, is_section_text, is_total_text,
                     is_unit_text, line_kind, ordinal)
from .no_base import is_none_row
from .normalise import NONE_WORDS
from .column_head import ColumnHead
from .header_words import WORD_HIT, word_scores
from .matcher import match_columns
from .profile import cell_kind
from .records import find_record
from .units import is_units_statement
from ..problem_codes import DUPLICATE_COLUMN, HIDDEN_ROW, HIDDEN_SHEET, SKIPPED_LINE, TOTAL_ROW, UNPLACED_ROWS

TABLE_FAMILIES = table_families()   # Shanxi's (forms.table_families); 附件11 shares 附件10's columns: decided after
MAX_BAND = 3
FAMILY_MARGIN = 0.5


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
    units_row: int | None = None            # a units line under the header (0-based)
    heads: dict[int, ColumnHead] = field(default_factory=dict)   # column -> what its header says
    how: dict[str, str] = field(default_factory=dict)     # field key -> "label", "words" or "position"
    sections: dict[int, str] = field(default_factory=dict)        # section row (一、榆次区) -> its text
    row_section: dict[int, int] = field(default_factory=dict)     # data row -> the section row above it
    none_rows: list[int] = field(default_factory=list)            # rows saying "no base" (无, 本县无申报)
    none_cells: list[str] = field(default_factory=list)           # number cells saying none ("/", "—"): 0
    unplaced_rows: list[tuple[int, int]] = field(default_factory=list)  # (row, first cell typed) of rows
                                                                        # typed only under unplaced headers
    hidden_rows: list[int] = field(default_factory=list)          # data rows the clerk hid: not read (withdrawn)
    filtered_rows: list[int] = field(default_factory=list)        # data rows an autofilter hides: read
    # the areas (first row, end row, first column, last column; 0-based, end excluded) of the tables typed beside
    # this one on its rows: no cell of theirs is this table's (read it from without(sheet, beside))
    beside: tuple[tuple[int, int, int, int], ...] = ()


@lru_cache(maxsize=None)
def _official(family: str) -> frozenset[str]:
    return frozenset(f.key for f in get_form(family).official_table_fields)


@lru_cache(maxsize=None)
def _threshold(family: str) -> int:
    """Header cells that must name a field (by words) for a band to be this form's header."""
    return min(len(_official(family)), max(3, math.ceil(0.3 * len(_official(family)))))   # a 2-column list: both


def _row_hits(row: list, family: str) -> dict[int, str]:
    """Columns of a row whose text names a field of `family` by its words: column -> field key."""
    return _hits(tuple(row), family)


@lru_cache(maxsize=2048)
def _hits(row: tuple, family: str) -> dict[int, str]:
    """_row_hits on a row as a tuple (cached: a province typed from one template has the same header rows)."""
    out: dict[int, str] = {}
    for c, v in enumerate(row):
        if type(v) is str and v and len(v) <= 80 and not is_line(v) and not is_units_statement(v):
            got = word_scores(v, family)
            if got and got[0][1] >= WORD_HIT:
                out[c] = got[0][0]
    return out


def _text_cells(row: list) -> int:
    return sum(1 for v in row if isinstance(v, str) and v.strip())


_VALUE_KINDS = frozenset({"int", "dec", "date", "ym", "code", "phone"})


def _has_numbers(row: list) -> bool:
    """A row of values, not of labels: a number, or two cells of numbers, dates or codes typed as text
    ("15,293,600", "2020.11.7", a credit code) — a header cell is neither."""
    if any(type(v) in (int, float) for v in row):
        return True
    return sum(1 for v in row if type(v) is str and v and cell_kind(v) in _VALUE_KINDS) >= 2


def _values_row(row: list, header: list, family: str) -> bool:
    """A row under the header row `header` that names one field only, in a column the header already labels,
    beside other texts: a row of values whose one word is a label of the form (很满意 typed in one 评价 column,
    where the paper ticks a 很满意 column), not a second header row (whose labels name several fields, or sit
    under empty or group cells)."""
    hits = _row_hits(row, family)
    if len(hits) != 1 or _text_cells(row) < 3:
        return False
    (c,) = hits
    above = header[c] if c < len(header) else ""
    return isinstance(above, str) and bool(above.strip())


def _record_row(row: list, family: str) -> bool:
    """Most text cells are labels of a record form (附件2's 占地面积 | 投入资金 | 建设时间 …) and not labels
    of this table: a section of 附件2 typed across, no table header."""
    texts = [v for v in row if is_text(v)]
    rec = sum(1 for v in texts if is_record_label_text(v) and not any(e for _, _, e in word_scores(v, family)[:1]))
    return rec * 2 >= len(texts)


GROUP_WORDS_MAX = 12    # characters of a group cell of the clerk's own words (经营指标（元）, 培育成果)


def _group_row(row: list, family: str, labels: list | None = None) -> bool:
    """A row of group cells only (基本情况 | 运营情况 | …, perhaps 序号 and labels merged down over an empty cell of
    `labels`) over the label row `labels`: the top of a two- or three-row header. A group in the clerk's own words (基本信息, 经营指标（元）) counts when
    it names no field, is short and has a label under it; one of the form's groups, or two such, make the row."""
    texts = [(c, v) for c, v in enumerate(row) if is_text(v)]
    if not texts or any(is_line(v) or is_units_statement(v) for _, v in texts) or any(
            type(v) in (int, float) for v in row):
        return False        # a title that holds a group's words ("双创基地基本情况表") is no group row
    known = own = 0
    hits = _row_hits(row, family)
    for c, v in texts:
        if group_name(v, family):
            known += 1
        elif is_number_label(v):
            continue
        elif labels is not None and c in hits and (c >= len(labels) or not is_text(labels[c])):
            continue        # a label merged down both rows (平台名称 beside the groups): nothing under it
        elif labels is not None and c not in hits and len(v.strip()) <= GROUP_WORDS_MAX and c < len(labels) \
                and is_text(labels[c]):
            own += 1
        else:
            return False
    return known >= 1 or own >= 2


def _span(sheet: Sheet, top: int, last: int, cols: list[int], family: str | None = None) -> tuple[int, int]:
    """The contiguous header columns around `cols`: a check area beside the table is not a column of it.
    One empty column is stepped over when the column past it names a field or a group of `family` in the
    band or the line under it (a column the clerk left empty inside the table)."""
    band = [sheet.rows[rr] for rr in range(top, last + 1)]

    def has_text(c: int) -> bool:       # a title, 填报单位 or note line next to the labels is not a header cell
        return any(c < len(row) and is_text(row[c]) and not is_line(row[c]) for row in band)

    below = sheet.rows[last + 1] if last + 1 < sheet.n_rows else []
    near = band + ([below] if below and not _has_numbers(below) else [])    # labels under a merged group cell

    def named(c: int) -> bool:
        """Column c names a group, or a field no column of the span names yet (a check area beside the
        table repeats the table's words: 已入驻企业数 beside 入驻时间)."""
        if family is None or c < 0:
            return False
        for row in near:
            if c >= len(row) or not is_text(row[c]):
                continue
            if group_name(row[c], family):
                return True
            key = _row_hits(row, family).get(c)
            if key is not None and not any(k == key for r in near for cc, k in _row_hits(r, family).items()
                                           if lo <= cc <= hi):
                return True
        return False

    lo, hi = min(cols), max(cols)
    while lo > 0 and (has_text(lo - 1) or named(lo - 2)):
        lo -= 1
    while has_text(hi + 1) or named(hi + 2):
        hi += 1
    return lo, hi


def find_header(sheet: Sheet, r: int, families: tuple[str, ...] = TABLE_FAMILIES) -> FoundTable | None:
    """A header band starting at row r (or at a group row just above it), for the best-matching family
    (`families`: Shanxi's table forms, or another programme's)."""
    row = sheet.rows[r]
    if _text_cells(row) < 2:
        return None
    best: tuple[float, FoundTable] | None = None
    all_hits = {family: _row_hits(row, family) for family in families}
    if all(len(set(h.values())) < 2 for h in all_hits.values()):
        return None
    # how much of each form the band's words cover: this row's and, under a group row, the label row's
    # (a group row's own words may name one field of the right form and two of another: 联系人 | 联系电话)
    below = sheet.rows[r + 1] if r + 1 < sheet.n_rows and not _has_numbers(sheet.rows[r + 1]) else None
    named = {family: set(h.values()) | (set(_row_hits(below, family).values()) if below else set())
             for family, h in all_hits.items()}
    cover = {family: len(named[family]) / len(_official(family)) for family in families}
    top_cover = max(cover.values())
    for family in families:
        hits = all_hits[family]
        # a family whose words cover far less of its form than another's is not weighed in full (speed)
        if not hits or len(named[family]) < 2 or cover[family] < FAMILY_MARGIN * top_cover \
                or _record_row(row, family):
            continue
        top = r - 1 if r > 0 and _group_row(sheet.rows[r - 1], family, row) else r
        last, units_row = r, None
        lo, hi = _span(sheet, r, r, list(hits), family)
        for rr in range(r + 1, min(r + MAX_BAND, sheet.n_rows)):
            # a check area beside the header is not part of it; the span is that of both rows (a lower row's
            # labels may fill the columns the upper row left empty)
            lo2, hi2 = _span(sheet, r, rr, list(hits), family)
            nxt = sheet.rows[rr][lo2:hi2 + 1]
            if is_units_line(nxt):
                units_row = rr
                break
            if _has_numbers(nxt) or not _row_hits(nxt, family) or _values_row(nxt, sheet.rows[r][lo2:hi2 + 1], family):
                break
            last = rr
        if units_row is None and last + 1 < sheet.n_rows and is_units_line(sheet.rows[last + 1][lo:hi + 1]):
            units_row = last + 1
        # the span of every row's hits: a group row whose group words name fields (服务机构情况, 孵化成效) may
        # have started the band, its label row under it names the rest
        # (of a lower row, only hits of fields the band does not name yet: a check area beside the table repeats
        # the table's words, 已入驻企业数 beside 入驻时间)
        band_hits = dict(hits)
        for rr in range(r + 1, last + 1):
            for c, key in _row_hits(sheet.rows[rr], family).items():
                if key not in band_hits.values():
                    band_hits.setdefault(c, key)
        lo, hi = _span(sheet, top, last, sorted(band_hits), family)
        band = Band(top, last, units_row, lo, hi)
        heads, number_col = band_heads(sheet, band, family)
        got = match_columns(heads, family)
        if not _settled(got, heads, sheet, band, number_col):     # words alone do not decide: values do too
            samples = sample_rows(sheet, (units_row if units_row is not None else last) + 1, lo, hi)
            heads = with_profiles(sheet, heads, band, number_col, samples)
            got = match_columns(heads, family)
        official = _official(family)
        if sum(1 for k in got.columns if k in official and got.word[k] >= WORD_HIT) < _threshold(family):
            continue
        # weighted F1: how much of the form the header covers, and how much of the header the form explains
        # (a partial 附件11 must not pass for 附件3 because 营业收入 and 上缴税金 are in both)
        labelled = sum(1 for h in heads if h.label) or 1
        covered, explained = got.score / len(official), got.score / labelled
        score = 2 * covered * explained / (covered + explained) if got.score else 0.0
        if best is None or score > best[0]:
            found = FoundTable(family, (top, last), dict(got.columns), number_col, {}, units_row=units_row)
            found.heads = {h.col: h for h in heads}
            found.how = dict(got.how)
            best = (score, found)
    if best is None:
        return None
    found = best[1]
    _classify_other_header_cells(found)
    if sheet.hidden_cols:
        _prefer_visible(found, sheet.hidden_cols)
    return found


def _prefer_visible(found: FoundTable, hidden: frozenset[int]) -> None:
    """A field read from a hidden column while a repeat of its label stands visible (营业收入（2022年） hidden beside
    营业收入（2023年）): the clerk hid what he no longer shows — last year's figures, a draft — so the visible
    column is read and the hidden one is the repeat set aside (said as one, DUPLICATE_COLUMN)."""
    by_col = {c: k for k, c in found.columns.items()}
    for c, (r, c0) in sorted(found.duplicates.items()):
        key = by_col.get(c0)
        if key is None or c0 not in hidden or c in hidden or found.columns[key] != c0:
            continue
        found.columns[key] = c
        del found.duplicates[c]
        found.duplicates[c0] = (found.heads[c0].row if c0 in found.heads else r, c)
        by_col = {col: k for k, col in found.columns.items()}


def _settled(got, heads: tuple[ColumnHead, ...], sheet: Sheet, band: Band, number_col: int | None) -> bool:
    """Every labelled column took a field by its exact label and the first row below holds nothing in an
    unlabelled column: the values cannot change the answer, so they are not profiled (the province's files
    typed from the template)."""
    if any(how != "label" for how in got.how.values()) or len(got.columns) != len(heads):
        return False
    labelled = {h.col for h in heads} | {number_col}
    below = (band.units_row if band.units_row is not None else band.last) + 1
    row = sheet.rows[below] if below < sheet.n_rows else ()
    return not any(is_text(v) or type(v) in (int, float) for c, v in enumerate(row[band.lo:band.hi + 1], band.lo)
                   if c not in labelled)


def _classify_other_header_cells(found: FoundTable) -> None:
    """Header cells of no field: a repeat of a field's label (duplicate) or an extra column."""
    used = set(found.columns.values())
    by_col = {c: k for k, c in found.columns.items()}
    for c, h in sorted(found.heads.items()):
        if c in used or not h.label:
            continue
        got = word_scores(h.label, found.family)
        if got and got[0][2] and got[0][0] in found.columns and found.columns[got[0][0]] != c:
            found.duplicates[c] = (h.row, found.columns[got[0][0]])
            continue
        found.extra[c] = h.label
    del by_col


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
        got = word_scores(v, family) if len(v) <= 80 else ()
        if (got and got[0][1] >= WORD_HIT) or k in groups or fold_unbracketed(v) in groups or k in _NUMBER_KEYS \
                or is_unit_text(v) or group_name(v, family):
            hits += 1
        else:
            other += 1
    return hits >= 2 and other * 3 <= hits


_NUMBER_KEYS = frozenset({"序号", "编号", "no"})


def _section_row(row: list) -> bool:
    """A row holding one text only, a section of a list of bases: "一、榆次区", "（二）开发区（代报）", "榆次区"."""
    texts = [v for v in row if v != "" and v is not None]
    return len(texts) == 1 and type(texts[0]) is str and is_section_text(texts[0]) and not is_total_text(texts[0])


def _base_section_row(row: list) -> bool:
    """A row of a firm list holding one text only that names a base ("二、xx双创基地（6户）"): the firms below
    it are that base's (several bases' lists stacked in one sheet)."""
    texts = [v for v in row if v != "" and v is not None]
    return len(texts) == 1 and base_section_name(texts[0]) is not None and not is_total_text(texts[0])


def _first_text(row: list) -> str | None:
    return next((v for v in row if type(v) is str and v and not v.isspace()), None)


def collect_rows(sheet: Sheet, found: FoundTable, families: tuple[str, ...] = TABLE_FAMILIES) -> None:
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
    unplaced = sorted((set(found.heads) | set(found.extra)) - set(data_cols) - {found.number_col})
    pending: int | None = None
    pending_lines: list[tuple[int, str]] = []
    sectioned = any(f.identity == BASE_NAME for f in form.table_fields)   # lists of bases: 一、榆次区 …
    firm_list = found.family == FIRM_FORM                                   # firms of several bases: 一、xx基地
    section: int | None = None
    r = found.header_rows[1] + 1
    while r < sheet.n_rows:
        row = sheet.rows[r]
        if len(row) >= width:       # calamine's rows are all full width
            vals, data_vals = pick(row), pick_data(row)
        else:
            vals = tuple(row[c] if c < len(row) else "" for c in cols)
            data_vals = tuple(row[c] if c < len(row) else "" for c in data_cols)
        nonempty = [v for v in vals if v not in ("", None)]
        # a section line holds one text in the whole row: two cells of the table's columns are no section
        if len(nonempty) < 2 and ((sectioned and _section_row(row)) or (firm_list and _base_section_row(row))):
            found.sections[r] = (_first_text(row) or "").strip()
            section = r
            r += 1
            continue
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
            elif kind is not None and glued_line_word(lead) and _holds_data(row, data_cols, lead):
                kind = None          # "填报单位乙1科技有限公司" in a data column, its values beside it: a name
            if kind is not None or (first is lead and is_record_label_text(lead)):
                pending = r if pending is None else pending
                pending_lines.append((r, lead))
                r += 1
                continue
        if not typed and isinstance(first, str) and _text_cells(row) >= 2:
            if _is_header_line(row, found.family):
                same = True
            else:
                other = find_header(sheet, r, families)
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
            at = next((c for c in unplaced if c < len(row) and row[c] not in ("", None)), None)
            if at is not None and is_none_row(row, found.number_col):
                found.none_rows.append(r)           # "本县无申报" under a header we could not place
            elif at is not None:
                found.unplaced_rows.append((r, at))   # typed, but only under headers we could not place
            r += 1                   # only a 序号 typed: a blank template row
            continue
        if len(nonempty) == 1 and _alone_beside_the_name(row, first, name_col):
            pending = r if pending is None else pending      # "其中：2024年新申报" in the 县区 column: a line,
            pending_lines.append((r, first))                 # not a base without a name
            r += 1
            continue
        said = row[name_col] if name_col is not None and name_col < len(row) else first
        if type(said) is str and ("无" in said or "没" in said or "未" in said or said.strip() in NONE_WORDS) \
                and is_none_row(row, found.number_col):
            found.none_rows.append(r)    # "无", "本县无申报", a row of "/": the answer "no base", not a base called 无
            r += 1
            continue
        if name_col is not None and is_sample_text(row[name_col] if name_col < len(row) else "", sample):
            found.sample_rows.append(r)
            r += 1
            continue
        # a number in a data column is neither a units line nor text: only column numbers remain to rule out
        if (not typed and all(is_unit_text(v) for v in nonempty)) or (
                ordinal(nonempty[0]) in (0, 1) and is_column_numbers([v for v in row if v != "" and v is not None])):
            r += 1
            continue
        if pending is not None:      # data after it: the line was inside the table
            found.skipped.extend(pending_lines)
            pending, pending_lines = None, []
        found.data_rows.append(r)
        if section is not None:
            found.row_section[r] = section
        r += 1
    found.end_row = r if pending is None else pending
    if sheet.hidden_rows or sheet.filtered_rows:
        _set_hidden_aside(sheet, found)


def _set_hidden_aside(sheet: Sheet, found: FoundTable) -> None:
    """A data row the clerk hid is not read: the stamped paper copy, the official one, lacks it (a withdrawn
    base the county hid rather than deleted); each is said (hidden_problems). A row an autofilter hides is
    read: a filter is a way of looking at the list, cleared with one click, and hides no row for good."""
    shown = [r for r in found.data_rows if r in sheet.filtered_rows and _filter_shows(sheet, r)]
    found.hidden_rows = [r for r in found.data_rows if r in sheet.hidden_rows or r in shown]
    found.filtered_rows = [r for r in found.data_rows if r in sheet.filtered_rows and r not in shown]
    if found.hidden_rows:
        gone = set(found.hidden_rows)
        found.data_rows = [r for r in found.data_rows if r not in gone]
        for r in gone:
            found.row_section.pop(r, None)


#: what a cell of words is (profile.cell_kind): plain words, or words shaped like a name (…基地, …公司); a place
#: alone (a county) is left to the place rules
_WORDS_KINDS = frozenset({"text", "base", "org"})


def _filter_shows(sheet: Sheet, r: int) -> bool:
    """Whether the sheet's autofilter would show row `r` (each criterion a list of values the row's cell is among):
    then the filter did not hide it, the clerk did. False when a criterion is of another kind (we cannot tell)."""
    if not sheet.filter_shows or any(v is None for _, v in sheet.filter_shows):
        return False
    return all(_shown_text(sheet.get(r, c)) in values for c, values in sheet.filter_shows if values is not None)


def _shown_text(v: Any) -> str:
    """A cell's value as an autofilter lists it (12, not 12.0)."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _alone_beside_the_name(row: list[Any], first: Any, name_col: int | None) -> bool:
    """The row's one filled cell is words (no number, date or code) outside the name column of a list that has
    one: a heading or note typed in another column (其中：新申报, a county alone), not a row of data whose name
    was left out."""
    if name_col is None or type(first) is not str or cell_kind(first) not in _WORDS_KINDS:
        return False
    return next((c for c, v in enumerate(row) if v is first), name_col) != name_col


def _holds_data(row: list[Any], data_cols: list[int], lead: str) -> bool:
    """Whether `lead` sits in one of the table's data columns with a number, or two more values, in the others: a
    data row, whatever words its first text opens with."""
    at = next((c for c, v in enumerate(row) if v is lead), None)
    if at not in data_cols:
        return False
    others = [row[c] for c in data_cols if c != at and c < len(row) and row[c] not in ("", None)]
    return len(others) >= 2 or any(isinstance(v, (int, float)) and not isinstance(v, bool) for v in others)


def find_tables(sheet: Sheet, families: tuple[str, ...] = TABLE_FAMILIES) -> list[FoundTable]:
    """Every table form in the sheet, top to bottom, and the tables beside them (a 附件11 and its 入驻企业 list
    typed side by side on one sheet: a row holds one header of each)."""
    out = _tables_down(sheet, families)
    for ft in list(out):
        out += [t for t in _beside(sheet, ft, families) if not any(_overlap(t, o) for o in out)]
    for a in out:
        a.beside = tuple(_area(b) for b in out if b is not a and _rows_meet(a, b) and not _overlap(a, b))
    out = [_again(sheet, a, families) if a.beside else a for a in out]
    return sorted(out, key=lambda t: (t.header_rows[0], _cols(t)[0]))


def _again(sheet: Sheet, ft: FoundTable, families: tuple[str, ...]) -> FoundTable:
    """A table found beside others, found again without their cells: found first on the whole sheet, its header
    band or its rows may have taken in a neighbour's label row."""
    view = without(sheet, ft.beside)
    for r in (ft.header_rows[0], ft.header_rows[0] + 1):
        found = find_header(view, r, families) if r < view.n_rows else None
        if found is not None and found.family == ft.family and _overlap(found, ft):
            collect_rows(view, found, families)
            found.beside = ft.beside
            return found
    return ft


def _tables_down(sheet: Sheet, families: tuple[str, ...]) -> list[FoundTable]:
    out: list[FoundTable] = []
    r = 0
    while r < sheet.n_rows:
        found = find_header(sheet, r, families)
        if found is None:
            r += 1
            continue
        collect_rows(sheet, found, families)
        out.append(found)
        r = max(found.end_row, found.header_rows[1] + 1)
    return out


def _cols(ft: FoundTable) -> tuple[int, int]:
    """The first and last column a found table's header holds."""
    cols = [*ft.columns.values(), *ft.extra, *ft.heads, *([ft.number_col] if ft.number_col is not None else [])]
    return min(cols), max(cols)


def _area(ft: FoundTable) -> tuple[int, int, int, int]:
    """(first row, end row, first column, last column) a found table covers, 0-based, end excluded."""
    return (ft.header_rows[0], max(ft.end_row, ft.header_rows[1] + 1), *_cols(ft))


def _rows_meet(a: FoundTable, b: FoundTable) -> bool:
    (a_top, a_end, _, _), (b_top, b_end, _, _) = _area(a), _area(b)
    return a_top < b_end and b_top < a_end


def _overlap(a: FoundTable, b: FoundTable) -> bool:
    (_, _, a0, a1), (_, _, b0, b1) = _area(a), _area(b)
    return a0 <= b1 and b0 <= a1 and _rows_meet(a, b)


def without(sheet: Sheet, areas: tuple[tuple[int, int, int, int], ...]) -> Sheet:
    """The sheet with the cells of `areas` (first row, end row, first column, last column) emptied."""
    rows = list(sheet.rows)
    for top, end, lo, hi in areas:
        for r in range(top, min(end, len(rows))):
            rows[r] = [*rows[r][:lo], *([""] * len(rows[r][lo:hi + 1])), *rows[r][hi + 1:]]
    return replace(sheet, rows=rows)


def _beside(sheet: Sheet, ft: FoundTable, families: tuple[str, ...]) -> list[FoundTable]:
    """The tables that share rows with `ft` but lie in other columns, found on the sheet with `ft`'s columns
    emptied over its rows (so its cells are no data of theirs): none when nothing is typed beside it over its rows
    (almost every sheet: no second scan)."""
    top, end, lo, hi = _area(ft)
    if not any(any(row[:lo]) or any(row[hi + 1:]) for row in sheet.rows[top:end]):
        return []
    found = _tables_down(without(sheet, (_area(ft),)), families)
    return [t for t in found if _rows_meet(t, ft) and not _overlap(t, ft)]


def choose_summary(sheet: Sheet, found: FoundTable, top: int) -> str:
    """Which of the forms sharing a table's columns it is (附件11 takes 附件10's: the spec's columns_from): the
    one a title line above it names (spec title_words), else the one its sheet is named for (the form's
    sheet name, or its sheet_words), else by its rows: a form whose template holds one row (附件10, one base)
    takes a table of one row, the other one of more."""
    forms = sharing_columns(found.family)
    if len(forms) == 1:
        return found.family
    for rr in range(top, found.header_rows[0]):
        for v in sheet.rows[rr]:
            if isinstance(v, str) and v.strip():
                k = fold(v)
                for f in forms:
                    if any(w in k for w in f.title_words):
                        return f.id
    named = _named_sheet(sheet.name)
    if named in {f.id for f in forms}:
        return named
    for f in forms:
        if any(w in sheet.name for w in f.sheet_words):
            return f.id
    one_row = len(found.data_rows) <= 1
    return next((f.id for f in forms if (f.template_rows <= 1) == one_row), found.family)


@lru_cache(maxsize=None)
def _sheet_names() -> re.Pattern:
    """Any of Shanxi's forms' sheet names (附件2 … 附件11), longest first, not followed by a digit."""
    names = sorted({re.sub(r"\s+", "", get_form(fid).sheet) for fid in FORM_IDS}, key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in names) + r"(?!\d)" if names else r"(?!)")


def _named_sheet(name: str) -> str | None:
    """The form whose sheet name a sheet's name starts its first form name with ('附件 11（汇总）' -> 附件11)."""
    by_sheet = {re.sub(r"\s+", "", get_form(fid).sheet): fid for fid in FORM_IDS}
    m = _sheet_names().search(re.sub(r"\s+", "", name))
    return by_sheet.get(m.group(0)) if m else None


def _clip(text: str, n: int = 30) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _hint(text: str, missing: list) -> str:
    """The missing field an unrecognised header most likely means (by the matcher's words), or ''."""
    keys = {f.key: f.label for f in missing}
    for form_id in TABLE_FAMILIES:
        for key, score, _ in word_scores(text, form_id):
            if key in keys and score >= 0.3:
                return keys[key]
    return ""


_BARE_TOTALS = frozenset(TOTAL_WORDS)


def table_problems(path: str, sheet: Sheet, found: FoundTable, form_id: str) -> list[Problem]:
    """What the reader set aside or doubts in one table, each naming its cells: unknown and repeated
    columns, 合计/小计 rows, hidden data rows, and lines passed over between data rows."""
    form = get_form(form_id)
    out: list[Problem] = []
    hr = found.header_rows[1]
    missing = [f for f in form.table_fields if f.required and not f.merge_only and f.key not in found.columns]
    # every column the notice asks for read: an added column is the county's own (所属乡镇), not one of them
    out += unused_problems(path, sheet, found, form_id, lambda text: _hint(text, missing),
                           complete=not any(f.official for f in missing))
    out += wording_problems(path, sheet, found, form_id)
    out += row_problems(path, sheet, found, form_id)
    out += [p for p in [none_zero_problem(path, sheet.name, form_id, found.none_cells)] if p]
    by_col = {c: k for k, c in found.columns.items()}
    for c, (r, c0) in sorted(found.duplicates.items()):
        text = _clip(sheet.get(r, c))
        first = found.heads[c0].row if c0 in found.heads else hr
        hid = "（隐藏的列）" if c in sheet.hidden_cols else ""
        out.append(Problem(DUPLICATE_COLUMN, WARNING,
                           f"{form_id}表头“{text}”（{a1(r, c)}{hid}）与{a1(first, c0)}“{_clip(sheet.get(first, c0))}”是重复的列，"
                           f"只读取{a1(first, c0)}所在的列，{a1(r, c)}所在的列{hid}已忽略；请删除重复的列或改正栏目名称。",
                           path, sheet.name, a1(r, c), form_id, by_col.get(c0, ""), value=text))
    name_col = found.columns.get(form.table_fields[0].key)
    for r in found.total_rows:
        row = sheet.rows[r]
        c = next((c for c, v in enumerate(row) if is_total_text(v)), 0)
        if fold_unbracketed(row[c]) in _BARE_TOTALS and (name_col is None or name_col == c
                                                           or sheet.get(r, name_col) in ("", None)):
            continue    # the form's own 合计/汇总 row (our templates have one): no name it could be hiding
        last = max((c for c, v in enumerate(row) if v not in ("", None)), default=c)
        out.append(Problem(TOTAL_ROW, INFO,
                           f"{form_id}第{r + 1}行（{a1(r, c)}“{_clip(row[c])}”，{a1(r, 0)}:{a1(r, last)}）是合计/小计行，"
                           "不作为数据读取，也不计入汇总；如果这一行其实是一条数据，请改正其名称。",
                           path, sheet.name, a1(r, c), form_id, value=_clip(row[c])))
    out += hidden_problems(path, sheet, found, form_id, name_col)
    if found.unplaced_rows:
        out.append(_unplaced_rows_problem(path, sheet, found, form_id))
    for r, text in found.skipped:
        c = next((c for c, v in enumerate(sheet.rows[r]) if v is text), 0)
        out.append(Problem(SKIPPED_LINE, INFO,
                           f"{form_id}第{r + 1}行（{a1(r, c)}“{_clip(text)}”）夹在数据行之间，不是数据，已跳过；"
                           "其后的数据照常读取。", path, sheet.name, a1(r, c), form_id, value=_clip(text)))
    return out


def hidden_problems(path: str, sheet: Sheet, found: FoundTable, form_id: str, name_col: int | None) -> list[Problem]:
    """One warning per data row the clerk hid (not read, named by its base or firm) and one info for the rows an
    autofilter hides (read)."""
    out = []
    for r in found.hidden_rows:
        c = name_col if name_col is not None and sheet.get(r, name_col) not in ("", None) else \
            next((c for c, v in enumerate(sheet.rows[r]) if v not in ("", None)), 0)
        name = _clip(sheet.get(r, c), 40)
        out.append(Problem(HIDDEN_ROW, WARNING,
                           f"{form_id}第{r + 1}行（{a1(r, c)}“{name}”）是隐藏的行：在 Excel/WPS 中看不到，盖章的纸质材料中也没有，"
                           "按已撤下处理，未读取、未计入汇总，也未校验；如应计入，请取消隐藏后重新报送。",
                           path, sheet.name, a1(r, c), form_id, value=name))
    if found.filtered_rows:
        rows = found.filtered_rows
        shown = "、".join(str(r + 1) for r in rows[:20]) + ("等" if len(rows) > 20 else "")
        c = name_col if name_col is not None else 0
        out.append(Problem(HIDDEN_ROW, INFO,
                           f"{form_id}第{shown}行（共 {len(rows)} 行）被自动筛选隐藏，仍作为数据读取和汇总（筛选只是查看方式，"
                           "取消筛选即可看到）；如果打印的纸质材料中没有这些行，请取消筛选后重新打印。",
                           path, sheet.name, a1(rows[0], c), form_id, value=len(rows)))
    return out


def _head_text(sheet: Sheet, found: FoundTable, c: int) -> str:
    """The header words over column `c`: its lowest non-empty header cell."""
    top, last = found.header_rows
    return next((str(sheet.get(r, c)).strip() for r in range(last, top - 1, -1) if sheet.get(r, c) not in ("", None)), "")


def _unplaced_rows_problem(path: str, sheet: Sheet, found: FoundTable, form_id: str) -> Problem:
    """Rows with nothing under the form's columns but something under headers we could not place: not
    blank template rows (they would vanish in silence) and not data we can read — the clerk decides."""
    rows = [r for r, _ in found.unplaced_rows]
    r0, c0 = found.unplaced_rows[0]
    cols = sorted({c for _, c in found.unplaced_rows})
    shown = "、".join(str(r + 1) for r in rows[:20]) + ("等" if len(rows) > 20 else "")
    heads = "、".join(f"“{_clip(_head_text(sheet, found, c), 12)}”（{a1(found.header_rows[1], c)}）" for c in cols[:3])
    return Problem(UNPLACED_ROWS, WARNING,
                   f"{form_id}第{shown}行（共 {len(rows)} 行）只在无法识别的栏目（{heads}）下有内容，本表的栏目都是空的，"
                   "这些行未读取；如果它们是数据，请把内容填到通知表样的对应栏目下（或改正表头）后重新报送。",
                   path, sheet.name, a1(r0, c0), form_id, value=len(rows))


def hidden_sheet_problem(path: str, sheet: Sheet, record_min_fields: int) -> Problem | None:
    """A hidden (or very hidden) sheet is not read; when it holds a form the clerk is told so, since
    last year's table hidden beside this year's is the usual case. Helper sheets (lists) say nothing."""
    forms = [choose_summary(sheet, ft, 0) for ft in find_tables(sheet)]
    if not forms and find_record(sheet, RECORD_FORM, min_fields=record_min_fields) is not None:
        forms = [RECORD_FORM]
    if not forms:
        return None
    names = "、".join(dict.fromkeys(forms))
    return Problem(HIDDEN_SHEET, INFO,
                   f"工作表“{sheet.name}”是隐藏的工作表（其中有{names}），未读取；"
                   "如果需要汇总这张表，请在 Excel/WPS 中取消隐藏后重新报送。",
                   path, sheet.name, "", forms[0])
