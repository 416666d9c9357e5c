"""Record labels a clerk shortens to a few characters: 地址, 租金, 法人, 建成面积, 创业导师.

The fuzzy matcher (matcher.record_word) weighs character grams and needs four characters or more; a two- or
three-character label shares too few grams to be told from the rest. A short label is instead read the way a
reader reads an abbreviation: its characters stand, in order, in one line's label or alias (地址 in
小微企业双创基地地址, 建成面积 in 已建成厂房（场地）面积), they cover at least half of that label once the form's
subject (小微企业双创基地) is set aside, and no other line's label holds them. One character of the typed label
may be the clerk's own, one no line's label has (本科及以上 for 本科以上学历). Lines that share one label (联系电话 of the operator and of
the project) are named together, as the exact label names them, for the record reader to tell apart by section
or paper order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..forms import FORM_IDS, get_form
from ..forms.roles import BASE_NAME
from ..text import fold, fold_unbracketed
from .labels import label_stem
from .label_text import label_key, without_count_word

SHORTEST, LONGEST = 2, 8        # characters of a label read this way (longer ones are record_word's)
COVER = 0.5                     # share of the line's core label (counting words aside) the typed one must spell
HEAD_LEAST = 3                  # a label this long may name a line by being its head noun (负责人, 总投资)

_NOT_HAN = re.compile(r"[^\u4e00-\u9fff]")


@lru_cache(maxsize=None)
def _subjects(form_id: str) -> tuple[str, ...]:
    """The words naming the programme's subject ahead of a line's own words: 小微企业双创基地 of 小微企业双创基地地址,
    双创基地 of 双创基地类型 — the base-name lines' labels and aliases of every form of the programme without their
    名称 (longest first). A form without a name line (附件1's cover) has the same subject."""
    out = set()
    for fid in {form_id, *FORM_IDS}:
        for f in get_form(fid).record_fields + get_form(fid).table_fields:
            if f.identity != BASE_NAME:
                continue
            for t in f.labels:
                k = fold_unbracketed(t) or fold(t)
                if k.endswith("名称") and len(k) > 2:
                    out.add(k[:-2])
    return tuple(sorted(out, key=len, reverse=True))


@lru_cache(maxsize=None)
def _cores(form_id: str) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(key, folded label, cores) per record line: its label and aliases with brackets, unit, 其中 and the form's
    subject dropped, and their stems (企业职工人数 -> 企业职工)."""
    out = []
    for f in get_form(form_id).record_fields:
        cores: set[str] = set()
        for t in f.labels:
            k = _NOT_HAN.sub("", fold_unbracketed(label_key(t)) or label_key(t))
            for s in _subjects(form_id):
                if k.startswith(s) and len(k) > len(s):
                    k = k[len(s):]
                    break
            if k:
                cores |= {k, label_stem(k)}
        out.append((f.key, fold(f.label), tuple(sorted(c for c in cores if c))))
    return tuple(out)


def _in_order(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


@lru_cache(maxsize=None)
def _own_chars(form_id: str) -> frozenset[str]:
    """Every character of the form's record lines' labels: one the clerk may not have added."""
    return frozenset(ch for _, _, cores in _cores(form_id) for c in cores for ch in c)


def _variants(typed: str, form_id: str) -> list[list[str]]:
    """The typed label, then (from four characters on) it without one inner character no line's label has
    (及 of 本科及以上; never 县 of 所在县市): tried in that order."""
    own = _own_chars(form_id)
    drops = [typed[:i] + typed[i + 1:] for i in range(1, len(typed) - 1) if typed[i] not in own]
    return [[typed]] + ([drops] if len(typed) >= 4 and drops else [])


@dataclass(frozen=True)
class _Fit:
    key: str
    label: str
    covers: bool        # the typed label spells at least COVER of the line's core …
    head: bool          # … or, HEAD_LEAST long, ends where it ends (its head noun: 总投资 of 建设项目总投资), a third


def _fits(tries: list[str], form_id: str) -> list[_Fit]:
    out = []
    for key, label, cores in _cores(form_id):
        hits = [(t, c) for t in tries for c in cores if _in_order(t, c)]
        if hits:
            out.append(_Fit(key, label, any(len(t) >= COVER * len(without_count_word(c) or c) for t, c in hits),
                            any(len(t) >= HEAD_LEAST and _ends_alike(t, c) and 3 * len(t) >= len(_head_part(c))
                                for t, c in hits)))
    return out


_ABOUT = re.compile(r"(?:情况|状况|说明)$")     # what a text line ends with after its head noun (互联互通情况)


def _head_part(k: str) -> str:
    """A label without its counting words and without the 情况 a text line ends with."""
    return _ABOUT.sub("", without_count_word(k) or k) or k


def _ends_alike(typed: str, core: str) -> bool:
    """The typed label is how the core ends once counting words and 情况 are set aside: its head noun with what
    stands right before it (总投资 of 建设项目总投资, 负责人 of 项目负责人, 互联互通 of 与平台网络互联互通情况)."""
    return _head_part(core).endswith(_head_part(typed))


@lru_cache(maxsize=8192)
def short_label(text: str, form_id: str) -> tuple[str, ...]:
    """The record line(s) a short Chinese label abbreviates; () when none does, or when its characters stand in
    the labels of two lines that are not one label (面积: 占地面积, 已建成厂房面积, 在建厂房面积) unless it is the
    head noun of one of them only (负责人: 项目负责人, not 项目负责人电话)."""
    k = label_key(text)
    bare = fold_unbracketed(k) or k
    if bare != _NOT_HAN.sub("", bare) or not SHORTEST <= len(bare) <= LONGEST or bare in _subjects(form_id):
        return ()           # 基地 alone names the subject, no line
    for tries in _variants(bare, form_id):
        fits = _fits(tries, form_id)
        if not fits:
            continue
        if len({f.label for f in fits}) > 1:
            fits = [f for f in fits if f.head]          # the one line it is the head noun of
            if len({f.label for f in fits}) != 1:
                return ()
        if not all(f.covers or f.head for f in fits):
            return ()
        return tuple(f.key for f in fits)
    return ()
