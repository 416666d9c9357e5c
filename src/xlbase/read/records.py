"""Read key/value forms (附件2, 附件4's head) by label position.

A label's value is the next non-label cell to its right; when labels sit side by
side (a section block: sub-labels in one row, values beneath) it is the cell below.
"标签：值" typed into one cell is accepted too (split at the colon that leaves a known
label: "其中：本科以上学历：8"). Labels that occur twice (名称, 联系电话) are resolved by their
section label when the sheet has it, else by paper order (the order of the fields in the
form model). A hand-typed label may carry its section: "创业服务机构名称", "运营主体注册时间"
(any tail of the section's label, then the field's label) names that field only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..forms import FORM_IDS, get_form
from ..problems import ERROR, Problem
from ..table import Table
from ..text import fold
from .grid import Sheet
from .sheet_xml import unread_cells
from .labels import label_index, label_variants, match_label, section_keys
from .record_words import record_word
from .short_labels import short_label
from .normalise import is_blank_text
from ..problem_codes import ERROR_VALUE, FORMULA_NO_VALUE as FORMULA_NO_VALUE_CODE

_COLON = re.compile(r"[:：]")


@dataclass
class FoundRecord:
    form_id: str
    values: dict[str, Any] = field(default_factory=dict)          # field key -> cell value
    cells: dict[str, tuple[int, int]] = field(default_factory=dict)
    combined: dict[str, tuple[Any, tuple[int, int]]] = field(default_factory=dict)  # label -> (value, pos)
    rows: set[int] = field(default_factory=set)
    unknown: list[str] = field(default_factory=list)   # words in its rows that may be labels we do not know
    unknown_at: list[tuple[int, int]] = field(default_factory=list)   # where each of them is (0-based)
    read_as: dict[str, tuple[str, tuple[int, int]]] = field(default_factory=dict)   # key -> (label typed, its
    # cell), for a line found by its words only (record_words.record_word): the reader says how it read it
    label_cells: dict[str, tuple[int, int]] = field(default_factory=dict)   # key -> where its label is (its unit)
    unknown_values: list[Any] = field(default_factory=list)   # the value beside each unknown word ("" for none)


@dataclass
class _Occ:
    r: int
    c: int
    keys: tuple[str, ...]
    inline: Any = None
    grade: int = 0          # how firmly the label names its line: EXACT, STEM, then WORDED


EXACT, STEM, WORDED = 0, 1, 2   # a line's own label/alias/section-qualified label; its stem; the clerk's words


def _other_label(v: Any) -> bool:
    """Cells that are labels of something else: signatures, opinions, titles (the words that name a record
    form's title: spec title_words), lines."""
    if not isinstance(v, str):
        return False
    k = fold(v)
    return k.endswith("意见") or k.startswith(("填报单位", "单位")) or any(w in k for w in _record_titles())


@lru_cache(maxsize=None)
def _record_titles() -> tuple[str, ...]:
    """The title words of Shanxi's forms with a record part (附件2's 申请表, 附件4's 询价表)."""
    return tuple(fold(w) for fid in FORM_IDS for w in get_form(fid).title_words if get_form(fid).kind != "table")


def find_record(sheet: Sheet, form_id: str, rows: range | None = None, skip: set[int] | frozenset = frozenset(),
                min_fields: int = 1) -> FoundRecord | None:
    form = get_form(form_id)
    sections = section_keys(form_id)
    combined_keys = {fold(f.combined): f.combined for f in form.record_fields if f.combined}
    rows = rows if rows is not None else range(sheet.n_rows)
    occs: list[_Occ] = []
    section_pos: dict[str, tuple[int, int]] = {}
    combined_pos: dict[str, _Occ] = {}
    labels: set[tuple[int, int]] = set()
    worded: dict[tuple[int, int], str] = {}
    for r in rows:
        if r in skip or r >= sheet.n_rows:
            continue
        for c, v in enumerate(sheet.rows[r]):
            if not isinstance(v, str) or not v.strip():
                continue
            k = fold(v)
            if k in combined_keys:
                combined_pos.setdefault(combined_keys[k], _Occ(r, c, ()))
                labels.add((r, c))
                continue
            if k in sections:
                section_pos.setdefault(sections[k], (r, c))
                labels.add((r, c))
                continue
            keys = record_keys(v, form_id)
            if keys:
                occs.append(_Occ(r, c, keys, grade=_grade(v, form_id)))
                labels.add((r, c))
                continue
            several = _inline_several(v, form_id) or _inline_pairs(v, form_id)
            if several:
                occs += [_Occ(r, c, keys, value) for keys, value in several]
                labels.add((r, c))
                continue
            inline = _inline(v, form_id, combined_keys)
            if inline is not None:
                label, keys, value = inline
                if label:
                    combined_pos.setdefault(label, _Occ(r, c, (), value))
                else:
                    occs.append(_Occ(r, c, keys, value))
                labels.add((r, c))
            elif word := record_word(v, form_id):       # a clerk's own wording of one line, no value in it
                occs.append(_Occ(r, c, (word,), grade=WORDED))
                labels.add((r, c))
                worded[(r, c)] = v
            elif (short := short_label(v, form_id)) and not _value_place(sheet, r, c, labels, occs):
                occs.append(_Occ(r, c, short, grade=WORDED))     # 地址, 法人, 建成面积: a line's label shortened
                labels.add((r, c))
                worded[(r, c)] = v
            elif _other_label(v):
                labels.add((r, c))

    if not occs and not combined_pos and min_fields > 0:
        return None                         # no line's label on these rows (a table's title lines, mostly)
    found = FoundRecord(form_id)
    taken: set[int] = set()                 # occurrences (id) given to a field
    sec_rows = sorted(p[0] for p in section_pos.values())
    for f in form.record_fields:
        # a line's own label or alias before its stem ("成立日期" beside the operator is no better a 成立时间 than
        # "服务机构成立时间"), before a cell that only words it like that line
        cands = sorted((o for o in occs if f.key in o.keys and id(o) not in taken), key=lambda o: o.grade)
        if not cands:
            continue
        pick = None
        if f.section and f.section in section_pos:
            rs = section_pos[f.section][0]
            nxt = next((x for x in sec_rows if x > rs), None)
            inside = [o for o in cands if o.r >= rs and (nxt is None or o.r < nxt)]
            pick = inside[0] if inside else None
        if pick is None:
            # a label shared with a sectioned sibling: do not steal the sibling's cell
            pick = next((o for o in cands if not _belongs_elsewhere(o, f, form, section_pos, sec_rows)), None)
        if pick is None:
            continue
        taken.add(id(pick))
        _take(sheet, found, f.key, pick, labels, worded.get((pick.r, pick.c)))
    _by_place(sheet, form, found, [o for o in occs if id(o) not in taken and o.inline is None], labels, taken)
    _split_totals(form, found)
    for label, occ in combined_pos.items():
        pos, value = _value_of(sheet, occ, labels)
        found.combined[label] = (value, pos)
        found.rows.update({occ.r, pos[0]})
    if len(found.values) + len(found.combined) < min_fields:
        return None
    spare = {(o.r, o.c) for o in occs if id(o) not in taken and o.inline is None}   # a label no line took
    used = (set(labels) - spare) | set(found.cells.values()) | {pos for _, pos in found.combined.values()}
    span = _span(sheet, found.rows, skip, rows)
    words = [((r, c), v.strip()) for r in span if r not in skip for c, v in enumerate(sheet.rows[r])
             if (r, c) not in used and _word(v) and not is_blank_text(v)]
    beside = {at: _value_of(sheet, _Occ(*at, ()), labels) for at, _ in words}
    answers = {pos for pos, _ in beside.values()}   # a word typed as the answer to another we do not know
    words = [(at, w) for at, w in words if at not in answers]
    found.unknown = [w for _, w in words]
    found.unknown_at = [at for at, _ in words]
    found.unknown_values = [beside[at][1] for at, _ in words]
    return found


EDGE_ROWS = 3       # rows of label | value beyond the first and last line found that are still the record's


def _span(sheet: Sheet, rows: set[int], skip: set[int] | frozenset, within: range) -> range:
    """The record's rows: from its first line found to its last, and the rows right before and after them that
    hold a label and a value too (two filled cells: no title line, no blank line, no table's rows between; never
    outside the rows searched, `within`) — a line under the clerk's own word ahead of the first line found or after
    the last one is the record's."""
    if not rows:
        return range(0)
    top, bottom = min(rows), max(rows)

    def paired(r: int) -> bool:
        return r in within and 0 <= r < sheet.n_rows and r not in skip and sum(
            1 for v in sheet.rows[r] if v not in ("", None) and not (isinstance(v, str) and not v.strip())) >= 2
    for _ in range(EDGE_ROWS):
        if not paired(top - 1):
            break
        top -= 1
    for _ in range(EDGE_ROWS):
        if not paired(bottom + 1):
            break
        bottom += 1
    return range(top, bottom + 1)


def _by_place(sheet: Sheet, form, found: FoundRecord, spare: list[_Occ], labels: set[tuple[int, int]],
              taken: set[int]) -> None:
    """A label a firmer one beat to its line ("成立日期" beside the operator, where "服务机构成立时间" took
    成立时间) is read as the absent line of the same kind whose place it stands in (注册时间: after the
    operator's name, before its licence number), and the reader says how it read it."""
    if not spare:
        return
    order = [f.key for f in form.record_fields]
    for f in form.record_fields:
        if f.key in found.values:
            continue
        lo, hi = _between(found.cells, order, f.key)
        fits = [o for o in spare if id(o) not in taken and all(form.field(k).type == f.type for k in o.keys)
                and (lo is None or _after((o.r, o.c), lo)) and (hi is None or _after(hi, (o.r, o.c)))]
        if len(fits) != 1:
            continue
        taken.add(id(fits[0]))
        _take(sheet, found, f.key, fits[0], labels, str(sheet.get(fits[0].r, fits[0].c)).strip())


def _take(sheet: Sheet, found: FoundRecord, key: str, occ: _Occ, labels: set[tuple[int, int]],
          read_as: str | None) -> None:
    """Line `key` read from the label `occ` and its value; `read_as`: the label as typed, when the reader is to
    say how it read it (a line found by the clerk's words or by its place)."""
    pos, value = _value_of(sheet, occ, labels)
    found.values[key] = value
    found.cells[key] = pos
    found.label_cells[key] = (occ.r, occ.c)
    if read_as is not None:
        found.read_as[key] = (read_as, (occ.r, occ.c))
    found.rows.update({occ.r, pos[0]})


def _between(cells: dict[str, tuple[int, int]], order: list[str], key: str
             ) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """The cells of the lines found before and after `key` in the form's order (None where none was)."""
    i = order.index(key) if key in order else -1
    before = [cells[k] for k in order[:i] if k in cells] if i >= 0 else []
    after = [cells[k] for k in order[i + 1:] if k in cells] if i >= 0 else []
    return (before[-1] if before else None), (after[0] if after else None)


def placed_words(rec: FoundRecord, form_id: str, absent: list) -> dict[str, list[str]]:
    """For each absent line (`absent`: Fields), the unknown words of the record that stand where it would: after
    the line before it in the form's order that was found and before the line after it (a line typed under a
    label we do not know, "服务团队规模 | 16" between 成立时间 and 其中：本科以上学历, may be 从业人员数量)."""
    order = [f.key for f in get_form(form_id).record_fields]
    out: dict[str, list[str]] = {}
    for f in absent:
        lo, hi = _between(rec.cells, order, f.key)
        out[f.key] = [w for w, at in zip(rec.unknown, rec.unknown_at)
                      if (lo is None or _after(at, lo)) and (hi is None or _after(hi, at))]
    return out


def _after(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """`a` comes after `b` reading the sheet line by line (a later row; on one row, a later column)."""
    return a[0] > b[0] or (a[0] == b[0] and a[1] > b[1])


def _grade(text: str, form_id: str) -> int:
    """EXACT when the label is one of its line's labels or aliases (or one qualified by its section), else STEM."""
    index = label_index(form_id, "record")
    if any(k in index for k in label_variants(text)) or fold(text) in _qualified_labels(form_id):
        return EXACT
    return STEM


def _value_place(sheet: Sheet, r: int, c: int, labels: set[tuple[int, int]], occs: list[_Occ]) -> bool:
    """The cell stands where the label on its left puts its value (法人 typed as the answer to 是否独立法人) — not
    in a row of labels over their values (运营主体 | 名称 | 注册时间 | 信用代码 | 法人, values beneath)."""
    if (r, c - 1) not in labels or any(o.r == r and o.c == c - 1 and o.inline is not None for o in occs):
        return False
    return r + 1 >= sheet.n_rows or sheet.get(r + 1, c - 1) in ("", None)


def record_keys(text: Any, form_id: str) -> tuple[str, ...]:
    """Field keys a record label names: the form model's labels and aliases, else a section-qualified label."""
    keys = match_label(text, form_id, "record")
    if keys or not isinstance(text, str):
        return keys
    hit = _qualified_labels(form_id).get(fold(text))
    return (hit,) if hit else ()


@lru_cache(maxsize=None)
def _qualified_labels(form_id: str) -> dict[str, str]:
    """folded (tail of a section label + field label) -> key: "创业服务机构名称", "服务机构名称", "运营主体注册时间".

    A tail of one character ("构名称") is too little to tell sections apart; a text two sections'
    tails share names neither.
    """
    index: dict[str, set[str]] = {}
    for f in get_form(form_id).record_fields:
        if not f.section:
            continue
        sec = fold(f.section)
        for label in f.label_keys:
            for i in range(len(sec) - 1):
                index.setdefault(sec[i:] + label, set()).add(f.key)
    return {k: next(iter(v)) for k, v in index.items() if len(v) == 1}


def _inline(text: str, form_id: str, combined_keys: dict[str, str]) -> tuple[str, tuple[str, ...], str] | None:
    """"标签：值" in one cell: (combined label or "", field keys, value), split at the last colon whose left
    part is a known label ("其中：本科以上学历：8" -> 其中：本科以上学历 | 8); None when no split gives one.
    A colon after nothing but punctuation does not lengthen the label ("名称：.:0" -> 名称 | .:0)."""
    colons = list(_COLON.finditer(text))
    for i in range(len(colons) - 1, -1, -1):
        m = colons[i]
        left, value = text[:m.start()], text[m.end():].strip()
        if not value or (i and not fold(text[colons[i - 1].end():m.start()])):
            continue
        folded = fold(left)
        if folded in combined_keys:
            return combined_keys[folded], (), value
        keys = record_keys(left, form_id)
        if keys:
            return "", keys, value
    return None


_CLAUSES = re.compile(r"[；;，,。、\n]+")
_LABEL_AMOUNT = re.compile(r"^(?:其中)?[:：]?\s*(\D+?)\s*[:：]?\s*(-?\d+(?:\.\d+)?\s*(?:万元|元|万|千元|亿元)?)\s*$")


def _inline_several(text: str, form_id: str) -> list[tuple[tuple[str, ...], str]]:
    """A sentence naming two or more of the form's lines, each with its amount — the notice's own 资金来源 line
    filled in: "其中：自筹 2500 万元； 贷款 600 万元； 地方政府投资 0 万元； 其他 0 万元。" — as (field keys, amount)
    per line; [] for any other text (one label and value is _inline's)."""
    if len(text) > 200 or not any(ch.isdigit() for ch in text):
        return []
    out = []
    for clause in _CLAUSES.split(text):
        m = _LABEL_AMOUNT.match(clause.strip())
        # the label nearest the amount: "资金来源：其中：自筹 500 万元" (the line's own label typed before it) is 自筹's
        keys = next((k for k in (record_keys(w.strip(), form_id) for w in _tails(m.group(1))) if k), ()) if m else ()
        if m and keys:
            out.append((keys, m.group(2).strip()))
    return out if len(out) >= 2 else []


def _tails(label: str) -> list[str]:
    """A label and its parts after each colon, whole first: "资金来源：其中：自筹" -> itself, "其中：自筹", "自筹"."""
    return [label] + [label[m.end():] for m in _COLON.finditer(label)]


_GAP = re.compile(r"\s+")


def _inline_pairs(text: str, form_id: str) -> list[tuple[tuple[str, ...], str]]:
    """Two or more "标签：值" typed on one line, apart by spaces — a Word-like form typed into one column:
    "名称：代县雁门创业服务有限公司    注册时间：2018年4月12日", "从业人员数量：12人  其中：本科以上学历7人  专业创业辅导员3人"
    — as (field keys, value) per line. A piece naming no line ("上馆镇" of "地址：代县 上馆镇") goes on the value
    before it; [] unless two pieces name lines (one label and value is _inline's)."""
    if len(text) > 300 or not _COLON.search(text):
        return []
    out: list[tuple[tuple[str, ...], str]] = []
    for piece in _GAP.split(text.strip()):
        said = _piece_line(piece, form_id)
        if said is not None:
            out.append(said)
        elif out:
            keys, value = out[-1]
            out[-1] = (keys, f"{value} {piece}".strip())
        else:
            return []
    return out if len(out) >= 2 else []


def _piece_line(piece: str, form_id: str) -> tuple[tuple[str, ...], str] | None:
    """One piece of a line typed with several: "注册时间：2018年4月12日" (a label, a colon, its value, perhaps
    empty) or, after 其中, a label with its number glued on ("其中：本科以上学历7人", "中等以上专业技术人员5人")."""
    got = _inline(piece, form_id, {})
    if got is not None:
        return got[1], got[2]
    if piece[-1] in ":：" and (keys := record_keys(piece[:-1], form_id)):      # its value after a space
        return keys, ""
    said = _LABEL_NUMBER.match(_PARTS_OPEN.sub("", piece))
    keys = record_keys(said.group(1).strip(), form_id) if said else ()
    return (keys, said.group(2).strip()) if said and keys else None


_TOTAL_THEN = re.compile(r"^\s*(-?\d+(?:[.,，]\d+)*\s*[^\d\s(（,，;；:：]*?)\s*([（(，,；;].*|其中.*)$")
_LABEL_NUMBER = re.compile(r"^(\D+?)\s*[:：为是]?\s*(-?\d+(?:[.,]\d+)*\s*\D{0,8})$")
_PARTS_OPEN = re.compile(r"^[\s（(，,；;]*(?:其中|包括|含)?\s*[:：]?\s*")


def total_and_parts(text: object, form_id: str, total_key: str) -> tuple[str, list[tuple[str, str]]] | None:
    """A total's cell holding its parts too, as the paper line reads when typed into one cell:
    "1200平方米（其中自有800，租用400）", "26人，其中专业人员18人" -> ("1200平方米", [(site_owned, "800"), …]).
    Every clause after the total must name one part of that total (_parts_of) with its number; else None
    (the cell is read as typed, and its number's reader says what it could not read)."""
    if not isinstance(text, str) or len(text) > 200:
        return None
    m = _TOTAL_THEN.match(text)
    if m is None:
        return None
    parts = _parts_of(form_id, total_key)
    rest = _PARTS_OPEN.sub("", m.group(2)).rstrip(" )）。.")
    out: list[tuple[str, str]] = []
    for clause in _CLAUSES.split(rest):
        if not clause.strip():
            continue
        said = _LABEL_NUMBER.match(clause.strip())
        if said is None:
            return None
        keys = [k for k in record_keys(said.group(1).strip(), form_id) if k in parts]
        if len(keys) != 1 or keys[0] in dict(out):
            return None
        out.append((keys[0], said.group(2).strip()))
    return (m.group(1).strip(), out) if out else None


@lru_cache(maxsize=None)
def _parts_of(form_id: str, total_key: str) -> frozenset[str]:
    """The lines a total breaks into: its parts (Field.part_of), and the 其中 lines the paper prints right
    under it (衡阳's 从业人员数量, then 其中：专职服务人员)."""
    fields = get_form(form_id).record_fields
    out = {f.key for f in fields if f.part_of == total_key}
    keys = [f.key for f in fields]
    if total_key in keys:
        for f in fields[keys.index(total_key) + 1:]:
            if not f.label.startswith("其中") or f.part_of not in (None, total_key):
                break
            out.add(f.key)
    return frozenset(out)


def _split_totals(form, found: FoundRecord) -> None:
    """Each total whose cell holds its parts (total_and_parts): the total, and every part not on a line of its
    own, read from that cell (pointing at it: the cell the clerk typed)."""
    for f in form.record_fields:
        got = total_and_parts(found.values.get(f.key), form.id, f.key)
        if got is None:
            continue
        total, parts = got
        found.values[f.key] = total
        for key, amount in parts:
            if key not in found.values:
                found.values[key] = amount
                found.cells[key] = found.cells[f.key]


def _belongs_elsewhere(o: _Occ, f, form, section_pos, sec_rows) -> bool:
    """The occurrence lies in the section of another field that shares its label."""
    for other in o.keys:
        if other == f.key:
            continue
        sec = form.field(other).section
        if sec and sec in section_pos and sec != f.section:
            rs = section_pos[sec][0]
            nxt = next((x for x in sec_rows if x > rs), None)
            if o.r >= rs and (nxt is None or o.r < nxt):
                return True
    return False


def _value_of(sheet: Sheet, occ: _Occ, labels: set[tuple[int, int]]) -> tuple[tuple[int, int], Any]:
    r, c = occ.r, occ.c
    if occ.inline is not None:
        return (r, c), occ.inline
    width = len(sheet.rows[r])
    below = (r + 1, c)
    under = r + 1 < sheet.n_rows and below not in labels
    if (r, c + 1) in labels and under:
        return below, sheet.get(*below)
    if under and (r, c - 1) in labels and _word(sheet.get(r, c + 1)) and sheet.get(*below) not in ("", None):
        return below, sheet.get(*below)     # a row of labels (one we do not know beside it), values beneath
    first_empty = None
    cc = c + 1
    while cc < width and (r, cc) not in labels:
        v = sheet.get(r, cc)
        if v not in ("", None):
            return (r, cc), v
        if first_empty is None:
            first_empty = (r, cc)
        cc += 1
    # nothing to the right: a row of side-by-side labels (a section block's sub-labels) has its values beneath,
    # blank or not; a label with a value beside it on paper keeps its blank there, also at the right end of
    # the sheet's used width (a blank form's last column holds nothing), unless its value was typed beneath
    side_by_side = (r, c - 1) in labels
    if under and (side_by_side or c + 1 >= width) and sheet.get(*below) not in ("", None):
        return below, sheet.get(*below)
    if under and side_by_side:
        return below, ""
    return first_empty or (r, c + 1), ""


def _word(v: Any) -> bool:
    """A cell that reads as a label, not a value: text without a digit (工作人员, 联系人), as the labels of a row
    of side-by-side labels are."""
    return isinstance(v, str) and bool(v.strip()) and not any(ch.isdigit() for ch in v) and len(v.strip()) <= 20


# what Table.raw / record_raw hold for a cell with a formula but no saved value: the cell is not blank, so
# the required rule does not report it a second time (the reader reports it as formula-no-value)
FORMULA_NO_VALUE = "（公式，未保存计算结果）"


def unread_problem(path: str, sheet_name: str, cell: str, form_id: str, key: str, error: str | None) -> Problem:
    """The problem for a cell read as empty that holds a formula without a saved value (error None) or an
    error value such as #REF! (from sheet_xml.unread_cells)."""
    label = get_form(form_id).field(key).label
    if error is None:
        return Problem(FORMULA_NO_VALUE_CODE, ERROR,
                       f"{form_id}“{label}”{cell}是公式，但文件中没有保存计算结果，已按空值处理；"
                       "请在 Excel/WPS 中打开、重新计算并保存后再报送。", path, sheet_name, cell, form_id, key)
    return Problem(ERROR_VALUE, ERROR,
                   f"{form_id}“{label}”{cell}是错误值 {error}（公式引用的单元格已删除或计算出错），已按空值处理；"
                   "请改正公式或直接填写数值。", path, sheet_name, cell, form_id, key, value=error)


def unread_record_problems(path: str, t: Table) -> list[Problem]:
    """Record values read as empty that are formulas without a saved value or error values (files written
    by scripts or openpyxl keep no results); their raw text says so. Only OOXML files can tell (else [])."""
    empties = {t.record_cells[k]: k for k, v in t.record.items()
               if v is None and k in t.record_cells and not str(t.record_raw.get(k) or "").strip()}
    out = []
    for cell, error in sorted(unread_cells(path, t.sheet, set(empties)).items()):
        key = empties[cell]
        t.record_raw[key] = error or FORMULA_NO_VALUE
        out.append(unread_problem(path, t.sheet, cell, t.form_id, key, error))
    return out
