"""What kind of thing a record line holds, and whether a word the reader could not place could be that line.

A line's kind comes from the form model: its type, and for a quantity the family of its unit (money, area, a
count of persons, of firms, of events…; forms/specs/units.yaml). A word of a record we could not place, with
the value typed beside it, may be a line we missed under the clerk's own wording — but only a line of the same
kind: "已毕业企业 | 3" counts firms, and is no 投入资金 (万元) nor 建设时间. Its kind is read from what the clerk
wrote: the unit the word states ("在建面积（平方米）"), the value beside it ("28户", "2300万元", "2019年5月",
"王建国", a bare 3) and the word's head noun as the form model's labels use it (…企业 counts firms, …面积 is an
area). A word that says nothing of its kind may be any line.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ..forms import Field, all_forms
from ..text import fold_unbracketed
from .label_text import head_noun, label_key
from .normalise import ESTIMATE, NONE_WORDS, NOT_WHOLE, UNPARSEABLE, is_blank_text, parse_value
from .units import family_of, field_family, header_unit, label_family

TEXT = "text"
NUMBER = "number"       # a quantity line without a unit (太原's 服务规模): any quantity may be it
_DIGITS = re.compile(r"\d")
_LAST_NUMBER = re.compile(r"\d[\d.,，]*(?!.*\d)")
_PHONE = re.compile(r"^[\d\s\-—－()（）+转]+$")
_CODE = re.compile(r"^[0-9A-Za-z]{15}$|^[0-9A-Za-z]{18}$")


def field_kind(f: Field) -> str:
    """The kind of value line `f` holds: its unit's family for a quantity (money, area, persons, firms…; "number"
    without a unit), else its type (date, phone, credit_code, yesno), a choice or any other text being text."""
    if f.is_numeric:
        return field_family(f) or NUMBER
    return TEXT if f.type in ("text", "choice") else f.type


@lru_cache(maxsize=None)
def _forms() -> tuple:
    """Every form of every known programme (Shanxi's and the shipped ones): the language of the form model."""
    from ..forms.programmes import known_programmes
    out = {f.id: f for f in all_forms()}
    for p in known_programmes():
        out.update(p.forms)
    return tuple(out.values())


@lru_cache(maxsize=None)
def _representatives() -> tuple[tuple[str, Field], ...]:
    """One field of each kind the forms hold (the first one met): what a value is tried against to tell its kind."""
    out: dict[str, Field] = {}
    for form in _forms():
        for f in form.fields:
            out.setdefault(field_kind(f), f)
    return tuple(out.items())


@lru_cache(maxsize=None)
def _quantities() -> frozenset[str]:
    """The kinds of the forms' quantity lines (NUMBER among them)."""
    return frozenset(field_kind(f) for form in _forms() for f in form.fields if f.is_numeric) | {NUMBER}


def _widened(kinds: frozenset[str] | None) -> frozenset[str] | None:
    """A quantity without a unit (NUMBER) may be of any quantity's kind."""
    return kinds | _quantities() if kinds is not None and NUMBER in kinds else kinds


@lru_cache(maxsize=None)
def _head_kinds() -> dict[str, frozenset[str]]:
    """Head noun (label_text.head_noun) -> the kinds of the lines whose labels, aliases or terms end in it, over
    every form: 企业 -> firms, 面积 -> area, 资金 -> money, 时间 -> date. A yes/no question's head noun names what is
    asked about (是否独立法人), not its answer: not counted."""
    out: dict[str, set[str]] = {}
    for form in _forms():
        for f in form.fields:
            if f.type == "yesno":
                continue
            for t in (*f.labels, *f.terms):
                head = _head(t)
                if head:
                    out.setdefault(head, set()).add(field_kind(f))
    return {h: _widened(frozenset(k)) or frozenset() for h, k in out.items()}


def _head(text: str) -> str:
    k = label_key(text)
    return head_noun(fold_unbracketed(k) or k) if k else ""


def typed_unit(value: Any) -> str | None:
    """The unit a value's text states after its (last) number, folded ("28户", "2300万元左右", "20-30户",
    "1.2元/㎡/天"); None for a bare number, a non-text value or text whose tail is no unit."""
    if not isinstance(value, str):
        return None
    m = _LAST_NUMBER.search(value)
    if m is None:
        return None
    rest = value[m.end():].strip()
    for end in range(len(rest), 0, -1):         # the longest start of the tail that is a unit (户 of 户以上)
        unit = header_unit(rest[:end])
        if unit is not None:
            return unit
    return None


@lru_cache(maxsize=4096, typed=True)
def _value_kinds(value: Any) -> frozenset[str] | None:
    """The kinds a typed value could be of; None when it says nothing (blank, 无, /)."""
    if value is None:
        return None
    if isinstance(value, str):
        s = value.strip()
        if not s or is_blank_text(s) or s.replace(" ", "") in NONE_WORDS:
            return None
    unit = typed_unit(value)
    out: set[str] = set()
    for kind, rep in _representatives():
        if kind == TEXT:
            continue
        p = parse_value(value, rep)
        if p.note in (UNPARSEABLE, NOT_WHOLE) or (p.value is None and p.note != ESTIMATE):
            continue
        if rep.is_numeric and unit is not None and kind not in family_of(unit):
            continue            # "12人" reads as a number of firms too: its unit says persons
        if kind == "phone" and not (type(value) in (str, int) and _PHONE.match(str(value).strip())
                                    and len(_DIGITS.findall(str(value))) >= 7):
            continue
        if kind == "credit_code" and not (isinstance(value, str) and _CODE.match(value.strip())):
            continue
        out.add(kind)
    if isinstance(value, str) and not out - {"yesno", "credit_code"}:
        out.add(TEXT)           # words (王建国, 电子商务, 是): text; a number, a date or an amount is none
    return _widened(frozenset(out))


def word_kinds(word: str, value: Any) -> frozenset[str] | None:
    """The kinds a record word we could not place, with `value` beside it, could be; None when nothing tells.

    The value's own kinds, narrowed by the unit the word states (both agreeing, else either: a clerk's unit
    over a value of another is no proof); then by the word's head noun where it leaves some of them (a head
    noun used otherwise — 建设规模 | 30000 — says nothing)."""
    kinds = _value_kinds(value)
    unit = header_unit(word)
    ratio = label_family(word)
    stated = family_of(unit) if unit else (frozenset({ratio}) if ratio else None)
    if stated:
        kinds = stated if kinds is None else (kinds & stated or kinds | stated)
    head = _head_kinds().get(_head(word))
    if head and (kinds is None or head & kinds):
        kinds = head if kinds is None else head & kinds
    return kinds


def could_hold(word: str, value: Any, f: Field) -> bool:
    """Whether the word and the value beside it could be line `f`: nothing they say is of another kind."""
    kinds = word_kinds(word, value)
    return kinds is None or field_kind(f) in kinds or (field_kind(f) == NUMBER and bool(kinds & _quantities()))
