"""Recognise a cell's text as a field label of a form, however it was typed.

Labels come from the form model only (`Field.label_keys`); this module adds the
tolerance for what clerks do to them: units on a second line without brackets,
"其中：" prefixes dropped or added, trailing colons (handled by `fold`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

from ..forms import Form, get_form
from ..text import fold, fold_unbracketed

UNIT_WORDS = ("万元", "平方米", "千米", "公里", "元/每年每平方米", "元/年/平方米", "人", "户", "个", "场", "家", "次", "㎡", "m2", "元")
TOTAL_WORDS = ("合计", "汇总", "小计", "总计", "累计")
_TOTAL_CHARS = frozenset("合汇小总累")
NOTE_PREFIXES = ("注", "备注", "说明", "填表说明", "填报说明")
SIGN_PREFIXES = ("填表人", "填报人", "制表人", "审核人", "单位负责人", "负责人", "统计负责人", "填表日期", "填报日期", "盖章")


_UNIT_KEYS = tuple(fold(u) for u in UNIT_WORDS)
# the row classifiers fold the same cell (often the firm name) several times per data row
cached_fold = lru_cache(maxsize=4096)(fold)
_SIGN_KEYS = tuple(fold(p) for p in SIGN_PREFIXES)       # folded once: these run for every data row
_UNIT_INNER = frozenset(_UNIT_KEYS) | {"元/年/平方米", "元/每年每平方米", "人次"}
_NOTE_MARK = re.compile(r"^\s*[（(]?\s*备\s*注")


def _variants(text: object) -> list[str]:
    s = str(text)
    keys = [fold(s), fold_unbracketed(s)]
    first = s.replace("\r", "\n").split("\n", 1)[0]
    if first != s:
        keys += [fold(first), fold_unbracketed(first)]
    more = []
    for k in keys:
        for fu in _UNIT_KEYS:
            if k.endswith(fu) and len(k) > len(fu) + 1:
                more.append(k[: -len(fu)])
        if k.startswith("其中") and len(k) > 2:
            more.append(k[2:])
    return [k for k in dict.fromkeys(keys + more) if k]


@lru_cache(maxsize=None)
def label_index(form_id: str, part: str) -> dict[str, tuple[str, ...]]:
    """folded label -> field keys (in form order) of `part` ('table' or 'record')."""
    form = get_form(form_id)
    fields = form.table_fields if part == "table" else form.record_fields
    index: dict[str, list[str]] = {}
    for f in fields:
        if f.merge_only:
            continue
        keys = set(f.label_keys)
        for k in list(keys):
            if k.startswith("其中") and len(k) > 2:
                keys.add(k[2:])
        if f.combined:
            pass  # the combined label is handled by the record reader
        for k in keys:
            index.setdefault(k, [])
            if f.key not in index[k]:
                index[k].append(f.key)
    return {k: tuple(v) for k, v in index.items()}


@lru_cache(maxsize=200_000)
def _match(text: str, form_id: str, part: str) -> tuple[str, ...]:
    index = label_index(form_id, part)
    for k in _variants(text):
        if k in index:
            return index[k]
    return ()


def match_label(value: object, form_id: str, part: str = "table") -> tuple[str, ...]:
    """Field keys whose label the cell shows (several for an ambiguous record label like 名称)."""
    if not isinstance(value, str) or not value.strip() or len(value) > 80:
        return ()
    return _match(value, form_id, part)


@lru_cache(maxsize=None)
def group_keys(form_id: str) -> frozenset[str]:
    form = get_form(form_id)
    out = {fold(f.group) for f in form.table_fields if f.group}
    out |= {fold_unbracketed(f.group) for f in form.table_fields if f.group}
    if form.number_label:
        out.add(fold(form.number_label))
    return frozenset(out)


@lru_cache(maxsize=None)
def section_keys(form_id: str) -> dict[str, str]:
    """folded section label -> section label (record forms)."""
    form = get_form(form_id)
    return {fold(f.section): f.section for f in form.fields if f.section}


def is_total_text(value: object) -> bool:
    if not isinstance(value, str) or not _TOTAL_CHARS.intersection(value[:8]):
        return False
    k = cached_fold(value)
    return any(k.startswith(w) for w in TOTAL_WORDS) and len(k) <= 16


def has_total_text(values: Iterable[object]) -> bool:
    """Any of `values` is a 合计/汇总 label; ordinary cells are passed over without a call."""
    return any(is_total_text(v) for v in values if isinstance(v, str) and not _TOTAL_CHARS.isdisjoint(v[:8]))


def is_note_text(value: object) -> bool:
    if not isinstance(value, str):
        return False
    s = value.strip()
    k = cached_fold(s)
    if k.startswith(_SIGN_KEYS):
        return True
    if s.startswith(("注：", "注:", "注 ：", "注 :", "注1", "注 1", "（注", "(注")) or k.startswith(("备注", "填表说明", "填报说明")):
        return True
    if s.startswith(("（备注", "(备注", "说明：", "说明:")):
        return True
    return bool(_NOTE_MARK.match(s))


def is_unit_text(value: object) -> bool:
    """'（万元）', '单位：人', '户' — a units line under a header."""
    if not isinstance(value, str):
        return False
    k = cached_fold(value)
    if k.startswith("单位"):
        return True
    inner = k.strip("()")
    return inner in _UNIT_INNER
