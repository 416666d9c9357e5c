"""A 所属行业 as a clerk types it, read as the industries of 工信部联企业〔2011〕300号 it allows.

A typed text (folded as `text.fold` folds it: no spaces or filler punctuation, one bracket style) is read
in two steps, the first that finds something wins:

1. its STEM is a standard name's stem — without brackets, without 和/及/与/"/" and without a final 行业/业/类:
   餐饮 = 餐饮行业 = （餐饮） = 餐饮业, 批发零售 = 批发、零售 = 批发和零售业 (two industries), 农 = 农业. The
   standard's own name abbreviated the standard's way: PROVEN, it decides a firm's size both ways. So is the
   part before a bracket whose words (step 2) allow one of its industries or nothing: 制造业（食品加工） is
   工业, 住宿和餐饮业（快餐） 住宿业 or 餐饮业; not 餐饮（住宿）, read as both by step 2.
2. standard names (two characters or more) and WORDS stand inside it. Words: those of data/industry_words.yaml
   (软件, 物流, 咨询 …: the one word table firms' names are read by) and the stems and parts of the standard's
   names (建筑, 餐饮; 软件 of 软件和信息技术服务业, 科技推广 of 科技推广和应用服务业). Every one found counts,
   except one standing only inside another found (电子 inside 电子商务; `hiders`): the text allows the
   union of their industries ("制造业、批发业": both). Only names found ("主营制造业", "I65 软件和信息技术
   服务业"): PROVEN, as one name inside a text was before this module. A word among them ("农业机械制造",
   "食品制造业", "软件开发"): a WORD READING — like a firm's name, it can make a firm small/micro (small under
   every industry it allows) but never "not small", and the share rule says in an info how it was read.

A word's industries: a whole stem's (建筑 -> 建筑业), else a part's — the industries of the narrowest
compound names holding it (软件 -> 软件和信息技术服务业, not also 信息传输业) —, else the word table's.

The sheet reads the same tables (templates.sizes): `stem_table`, `entries`, `hiders` and `text_stem` are what
its formulas compute, step by step.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, NamedTuple

from ..text import fold
from .sme_names import MIN_CONTAINED, industries, known_names, name_words, names_of, standard

#: characters joining two industries in a name or a typed text (fold drops 、，, already)
JOINERS = ("和", "及", "与", "/")
#: a final word saying "industry" that a typed text may add or leave out (行业 tried first)
SUFFIXES = ("行业", "业", "类")
_SUFFIX = re.compile("(?:" + "|".join(SUFFIXES) + ")$")
#: what splits a standard name into its parts (raw name: 、 and the joiners)
_PARTS = re.compile("[、，," + "".join(re.escape(j) for j in JOINERS) + "]")
#: the shortest stem or part read as a word inside a longer text (one character is too common: 工, 农)
MIN_WORD = 2


class Reading(NamedTuple):
    """How a typed 所属行业 was read: the industries (positions in sme_names.industries()), whether the
    standard's names prove them (step 1, or only names found in step 2) or words suggest them, and what was found
    (step 2)."""
    positions: frozenset[int]
    proven: bool
    words: tuple[str, ...]


NOTHING = Reading(frozenset(), False, ())


def text_stem(key: str) -> str:
    """A folded text's stem: without brackets and joiners, without a final 行业/业/类: '批发和零售业' ->
    '批发零售', '餐饮行业' -> '餐饮', '(餐饮)' -> '餐饮'."""
    head = key.replace("(", "").replace(")", "")
    for j in JOINERS:
        head = head.replace(j, "")
    return _SUFFIX.sub("", head)


def _standard_names() -> dict[str, frozenset[int]]:
    """Raw standard name -> industry positions (the industries and the names the standard file lists)."""
    pos = {name: i for i, name in enumerate(industries())}
    out = {name: frozenset({i}) for name, i in pos.items()}
    for name, targets in (standard().get("names") or {}).items():
        out[str(name)] = frozenset(pos[t] for t in targets)
    return out


@lru_cache(maxsize=None)
def stem_table() -> tuple[tuple[str, frozenset[int]], ...]:
    """(stem, industry positions) of every standard name (step 1); names sharing a stem allow all theirs."""
    out: dict[str, frozenset[int]] = {}
    for name, targets in _standard_names().items():
        s = text_stem(fold(name))
        if s:
            out[s] = out.get(s, frozenset()) | targets
    return tuple(sorted(out.items()))


@lru_cache(maxsize=16)
def word_table(words: Any = None) -> tuple[tuple[str, frozenset[int]], ...]:
    """(word, industry positions) of step 2's words, longest first: the standard's stems and parts (two characters or
    more) and the words of `words` (sme_names.NameWords; None: data/industry_words.yaml's)."""
    stems = {s: p for s, p in stem_table() if len(s) >= MIN_WORD}
    parts: dict[str, list[frozenset[int]]] = {}
    for name, targets in _standard_names().items():
        pieces = [text_stem(fold(p)) for p in _PARTS.split(name)]
        if len(pieces) > 1:
            for p in pieces:
                if len(p) >= MIN_WORD:
                    parts.setdefault(p, []).append(targets)
    listed = _listed(words)
    out: dict[str, frozenset[int]] = {}
    for w in {*stems, *parts, *listed}:
        if w in stems:
            out[w] = stems[w]
        elif w in parts:     # the narrowest compounds holding it: 软件 -> 软件和信息技术服务业 alone
            least = min(len(t) for t in parts[w])
            out[w] = frozenset().union(*(t for t in parts[w] if len(t) == least))
        else:
            out[w] = listed[w]
    return tuple(sorted((kv for kv in out.items() if kv[1]), key=lambda kv: (-len(kv[0]), kv[0])))


class Entry(NamedTuple):
    """A text found inside a typed 所属行业: a standard name (`name`: proves) or a word, and its industries."""
    text: str
    positions: frozenset[int]
    name: bool


@lru_cache(maxsize=16)
def entries(words: Any = None) -> tuple[Entry, ...]:
    """Steps 2 and 3's table, longest first: the standard's names of two characters or more, and the words of
    `word_table` (a text that is both is a name)."""
    names = {n: t for n, t in known_names() if len(n) >= MIN_CONTAINED}
    out = [Entry(n, t, True) for n, t in names.items()]
    out += [Entry(w, t, False) for w, t in word_table(words) if w not in names]
    return tuple(sorted(out, key=lambda e: (-len(e.text), e.text)))


@lru_cache(maxsize=16)
def hiders(words: Any = None) -> dict[str, tuple[tuple[str, int], ...]]:
    """Each entry of `entries` -> (a longer entry holding it, how many times) for the longer entries that can
    hide it (`_holders`): 电子 -> 电子商务."""
    return _holders(entries(words))


@lru_cache(maxsize=16)
def name_entries(words: Any = None) -> tuple[Entry, ...]:
    """The words a firm's NAME is read by, longest first: `words` (sme_names.NameWords; None: data/
    industry_words.yaml's) alone, each with the industries its keys allow (no standard name proves a name)."""
    return tuple(sorted((Entry(w, p, False) for w, p in _listed(words).items() if p),
                        key=lambda e: (-len(e.text), e.text)))


def _listed(words: Any) -> dict[str, frozenset[int]]:
    """Each folded word of `words` (None: data/industry_words.yaml's) -> the industries its keys allow."""
    listed: dict[str, frozenset[int]] = {}
    for key, ws in (name_words() if words is None else words):
        for w in ws:
            k = fold(w)
            if k:
                listed[k] = listed.get(k, frozenset()) | names_of(key)
    return listed


@lru_cache(maxsize=16)
def name_hiders(words: Any = None) -> dict[str, tuple[tuple[str, int], ...]]:
    """`hiders` of `name_entries`: 厂 -> 厂房 (renting, not a plant), 电子 -> 电子商务."""
    return _holders(name_entries(words))


def _holders(table: tuple[Entry, ...]) -> dict[str, tuple[tuple[str, int], ...]]:
    """Each entry -> (a longer entry holding it, how many times) for the longer entries that can hide it:
    those whose finding changes the reading (it allows an industry they do not, or it is a word and they a
    name), and of those only the shortest (a longer one found holds one of them)."""
    out = {}
    for w in table:
        can = [h for h in table if len(h.text) > len(w.text) and w.text in h.text
               and (not w.positions <= h.positions or (h.name and not w.name))]
        out[w.text] = tuple((h.text, h.text.count(w.text)) for h in can
                            if not any(x is not h and x.text in h.text for x in can))
    return out


def _found(key: str, words: Any, table: tuple[Entry, ...] | None = None,
           hide: dict[str, tuple[tuple[str, int], ...]] | None = None) -> list[Entry]:
    """The entries (of `entries`, or `table` with its `hide`) standing in `key` more times than inside the
    longer entries found that can hide them (电子 in 电子商务 is no word of its own, 技术服务 beside 信息技术服务
    is), in the order they stand. Counted as the sheet counts: occurrences without overlap."""
    if table is None or hide is None:
        table, hide = entries(words), hiders(words)
    out = []
    for e in table:
        n = key.count(e.text)
        if n and n > sum(key.count(h) * times for h, times in hide[e.text]):
            out.append(e)
    return sorted(out, key=lambda e: key.find(e.text))


def _shown(found: list[Entry]) -> tuple[str, ...]:
    """The words found as a message shows them: none inside another found that allows all it allows (机械、加工、
    工厂, not also 厂)."""
    return tuple(e.text for e in found
                 if not any(o.text != e.text and e.text in o.text and e.positions <= o.positions for o in found))


@lru_cache(maxsize=8192)
def read_name(name: Any, words: Any = None) -> tuple[tuple[str, ...], frozenset[int]]:
    """(the words found, the industry positions they allow together) in a firm's name, by `name_entries` as
    `_found` finds them; ((), ∅) when it holds none. "寿阳县金河机械加工厂" -> (("机械", "加工", "厂"), {工业})."""
    key = fold(name) if isinstance(name, str) else ""
    found = _found(key, words, name_entries(words), name_hiders(words)) if key else []
    return _shown(found), frozenset().union(*(e.positions for e in found))


@lru_cache(maxsize=8192)
def _read(key: str, words: Any) -> Reading:
    stems = dict(stem_table())
    head, bracket, detail = key.partition("(")
    s = text_stem(head)
    if head and bracket and s in stems:      # 制造业(食品加工): a detail within the name's industries, or none
        said = _found(detail, words)
        if not said or any(e.positions & stems[s] for e in said):
            return Reading(stems[s], True, ())
    s = text_stem(key)
    if s in stems:
        return Reading(stems[s], True, ())
    kept = _found(key, words)
    if not kept:
        return NOTHING
    return Reading(frozenset().union(*(e.positions for e in kept)), all(e.name for e in kept),
                   _shown(kept))


def read_industry(text: Any, words: Any = None) -> Reading:
    """A typed 所属行业 read (module doc); NOTHING for a blank or a text with no word of the tables.
    `words`: the words of names in use (sme_names.NameWords; None: data/industry_words.yaml's)."""
    if not isinstance(text, str):
        return NOTHING
    key = fold(text)
    return _read(key, words) if key else NOTHING
