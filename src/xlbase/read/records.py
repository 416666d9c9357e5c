"""Read key/value forms (附件2, 附件4's head) by label position.

A label's value is the next non-label cell to its right; when labels sit side by
side (a section block: sub-labels in one row, values beneath) it is the cell below.
"标签：值" typed into one cell is accepted too. Labels that occur twice (名称,
联系电话) are resolved by their section label when the sheet has it, else by paper
order (the order of the fields in the form model).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..forms import get_form
from ..text import fold
from .grid import Sheet
from .labels import match_label, section_keys

_COLON = re.compile(r"[:：]")


@dataclass
class FoundRecord:
    form_id: str
    values: dict[str, Any] = field(default_factory=dict)          # field key -> cell value
    cells: dict[str, tuple[int, int]] = field(default_factory=dict)
    combined: dict[str, tuple[Any, tuple[int, int]]] = field(default_factory=dict)  # label -> (value, pos)
    rows: set[int] = field(default_factory=set)


@dataclass
class _Occ:
    r: int
    c: int
    keys: tuple[str, ...]
    inline: Any = None


def _other_label(v: Any) -> bool:
    """Cells that are labels of something else: signatures, opinions, titles, lines."""
    if not isinstance(v, str):
        return False
    k = fold(v)
    return k.endswith("意见") or k.startswith(("填报单位", "单位")) or "申请表" in k or "询价表" in k


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
            keys = match_label(v, form_id, "record")
            if keys:
                occs.append(_Occ(r, c, keys))
                labels.add((r, c))
                continue
            parts = _COLON.split(v, maxsplit=1)
            if len(parts) == 2 and parts[1].strip():
                left = fold(parts[0])
                if left in combined_keys:
                    combined_pos.setdefault(combined_keys[left], _Occ(r, c, (), parts[1].strip()))
                    labels.add((r, c))
                    continue
                keys = match_label(parts[0], form_id, "record")
                if keys:
                    occs.append(_Occ(r, c, keys, parts[1].strip()))
                    labels.add((r, c))
            elif _other_label(v):
                labels.add((r, c))

    found = FoundRecord(form_id)
    taken: set[tuple[int, int]] = set()
    sec_rows = sorted(p[0] for p in section_pos.values())
    for f in form.record_fields:
        cands = [o for o in occs if f.key in o.keys and (o.r, o.c) not in taken]
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
        taken.add((pick.r, pick.c))
        pos, value = _value_of(sheet, pick, labels)
        found.values[f.key] = value
        found.cells[f.key] = pos
        found.rows.update({pick.r, pos[0]})
    for label, occ in combined_pos.items():
        pos, value = _value_of(sheet, occ, labels)
        found.combined[label] = (value, pos)
        found.rows.update({occ.r, pos[0]})
    if len(found.values) + len(found.combined) < min_fields:
        return None
    return found


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
    right_is_label = (r, c + 1) in labels or c + 1 >= width
    if right_is_label and r + 1 < sheet.n_rows and (r + 1, c) not in labels:
        return (r + 1, c), sheet.get(r + 1, c)
    first_empty = None
    cc = c + 1
    while cc < width and (r, cc) not in labels:
        v = sheet.get(r, cc)
        if v not in ("", None):
            return (r, cc), v
        if first_empty is None:
            first_empty = (r, cc)
        cc += 1
    # nothing to the right: a row of side-by-side labels has its values beneath
    below = (r + 1, c)
    if (r, c - 1) in labels and below not in labels and sheet.get(*below) not in ("", None):
        return below, sheet.get(*below)
    return first_empty or (r, c + 1), ""
