"""Units written in a header, a units line or a 单位 line, and what they mean for a field.

The unit families and factors are data (forms/specs/units.yaml); this module finds a unit in
the clerk's text ("营收（元）", "收入/万元", "面积 亩", "（单位：元）") and answers, for one field,
whether the unit fits its family and by which exact factor a value must be multiplied.
"""

from __future__ import annotations

import re
import unicodedata
from fractions import Fraction
from functools import lru_cache

from ..forms import Field, unit_families, unit_separators
from ..text import fold, fold_unbracketed

_BRACKETED = re.compile(r"\(([^()]*)\)")
_RAW_BRACKETED = re.compile(r"\(([^()]*)\)")
_WORDS = re.compile(r"[,，、;；\s]+")
_UNIT_LINE = re.compile(r"^(?:计量)?单位(?:为)?")


@lru_cache(maxsize=4096)
def unit_key(text: str) -> str:
    """A unit without what separates its parts and without brackets ("元/m2·天", "元每平方米每天", "台(套)" -> "元m2天",
    "元平方米天", "台套"): the separators of specs/units.yaml, as the templates' in-sheet read drops them
    (templates.numbers)."""
    for sep in unit_separators():
        text = text.replace(sep, "")
    return text


@lru_cache(maxsize=None)
def _unit_index() -> dict[str, tuple[tuple[str, Fraction], ...]]:
    """folded unit -> ((family, factor), …): 元 is money (1/10000 of 万元) and rent (1); a unit of several parts
    also under its unit_key ("元/㎡·天" in a header: 元m2天)."""
    out: dict[str, list[tuple[str, Fraction]]] = {}
    for name, fam in unit_families().items():
        for unit, factor in fam["units"].items():
            for key in dict.fromkeys((fold(unit), unit_key(fold(unit)))):
                if (name, factor) not in out.get(key, []):
                    out.setdefault(key, []).append((name, factor))
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=None)
def _units_longest_first() -> tuple[str, ...]:
    return tuple(sorted(_unit_index(), key=len, reverse=True))


@lru_cache(maxsize=None)
def field_family(field: Field) -> str | None:
    """The family of a field's unit (money for 万元, persons for 人), or None for fields without one."""
    return unit_family(field.unit) if field.unit else None


@lru_cache(maxsize=None)
def unit_family(unit: str) -> str | None:
    """The family whose unit of factor 1 `unit` is (money for 万元, ratio for %), or None."""
    return next((name for name, factor in _unit_index().get(fold(unit), ()) if factor == 1), None)


@lru_cache(maxsize=256)
def unit_name(unit: str) -> str:
    """A folded unit (header_unit's "元m2天", "元/m2/日") as units.yaml spells it ("元/平方米/天", "元/平方米/日"):
    how a message names it."""
    key = unit_key(unit)
    for fam in unit_families().values():
        for name in fam["units"]:
            if fold(name) == unit or unit_key(fold(name)) == key:
                return name
    return unit


def _as_unit(text: str) -> str | None:
    """`text` (folded) when it is a unit alone, also as '单位：元' / '单位万元'; else None."""
    t = _UNIT_LINE.sub("", text) if text.startswith(("单位", "计量单位")) else text
    if t in _unit_index():
        return t
    return unit_key(t) if unit_key(t) in _unit_index() else None


@lru_cache(maxsize=8192)
def header_unit(text: object) -> str | None:
    """The unit a header cell states, folded: in brackets ("（万元）", "(单位：元)"), alone ("万元"), or at its
    end after a label ("营业收入万元", "收入/元"). None when it states none or several ("万元、平方米").
    A unit per area alone under a label that says the time (月租金（元/平方米）, 日租金（元/㎡）, 每月租金) is
    that time's (元/平方米/月): a market quotes rent by the month or the day, and per area alone reads a year's."""
    unit = _stated_unit(text)
    return _timed(text, unit) if unit is not None else None


def _timed(text: object, unit: str) -> str:
    """`unit`, or the unit per `unit` and the time the label's own words say (月租金, 每天) when the unit says none
    and the family has one of that time (units.yaml `per_area_and`)."""
    label = fold(str(text)).replace(unit, "")       # 月租金（元/平方米）, 租金（每月）（元/㎡）
    for fam in unit_families().values():
        for t in fam["times"]:
            timed = _as_unit(f"{unit}/{t}")
            if timed and re.search(f"每{t}|{t}租|{t}均租", label):
                return timed
    return unit


def _stated_unit(text: object) -> str | None:
    if not isinstance(text, str) or not text.strip():
        return None
    k = fold(text)
    whole = _as_unit(k) or _as_unit(k.strip("()"))
    if whole:
        return whole
    for inner in reversed(_BRACKETED.findall(k)):
        got = _as_unit(inner)
        if got:
            return got
    # "（元，上年度）", "(单位:元; 口径: 上年)": a unit among the words of a bracket
    # a line break inside a bracket wraps a word ("（单\n位）"), it separates nothing
    raw = unicodedata.normalize("NFKC", text).replace("【", "(").replace("】", ")").replace("\r", "").replace("\n", "")
    for inner in reversed(_RAW_BRACKETED.findall(raw)):
        for part in _WORDS.split(inner):
            got = _as_unit(fold(part)) if part.strip() else None
            got = got or (_as_unit(fold(part.split("/")[0])) if "/" in part else None)   # "万元/年"
            if got:
                return got
    bare = _BRACKETED.sub("", k)
    for unit in _units_longest_first():
        if bare.endswith(unit) and len(bare) > len(unit):
            head = bare[: -len(unit)].rstrip("/")
            if (_is_count(unit) or unit == "m") and not bare.endswith("/" + unit) and not _ends_counted(head):
                return None   # "服务场次", "企业户" end in a count word that is part of the label: only a
                              # bracketed or "/个" count unit is one, or one after a label that already
                              # ends in its counting word ("举办活动场次 人次": 场次 counts, 人次 is the unit)
            if head:
                return unit
    return None


def _ends_counted(label: str) -> bool:
    """A label that ends in a count unit or a count noun of its own (活动场次, 企业户数, 服务人数, 人数: "人数 人"
    is 人数 in 人)."""
    if len(label) < 2:
        return False
    if label.endswith("数"):
        return True
    return any(label.endswith(u) and len(label) > len(u) and _is_count(u) for u in _units_longest_first())


_LINE_PARTS = re.compile(r"[、,;；，\s()（）\[\]【】]+")
_UNIT_PREFIX = re.compile(r"^.*?单位(?:为|是)?[:：]?")


@lru_cache(maxsize=4096)
def line_units(text: str) -> tuple[tuple[str, str], ...]:
    """(family, folded unit) for each family a 单位 line or title names: "单位：元" -> money and rent in 元,
    "（单位：元、平方米、人）" -> money 元, area 平方米, persons 人, "金额单位：元；面积单位：亩" -> money 元, area 亩;
    () when it names none. A family named twice with different units ("万元、元") says nothing for it."""
    raw = unicodedata.normalize("NFKC", text)
    if "单位" not in raw:
        return _labelled_units(raw)
    start = 0
    while True:
        at = raw.find("单位", start)
        if at < 0:
            return ()
        by_family: dict[str, str | None] = {}
        for part in _LINE_PARTS.split(raw[at:]):
            p = _UNIT_PREFIX.sub("", part) if "单位" in part else part
            if not p:
                continue
            unit = fold(p)
            if unit not in _unit_index():
                break
            for fam in family_of(unit):
                by_family[fam] = unit if by_family.get(fam, unit) == unit else None
        got = tuple((fam, u) for fam, u in by_family.items() if u)
        if got:
            return got
        start = at + 2


_LABELLED_UNIT = re.compile(r"^[^\W\d_]{1,6}:(.+)$")


def _labelled_units(raw: str) -> tuple[tuple[str, str], ...]:
    """A units line without the word 单位, each part a short label and its unit: "金额:元 面积:亩" -> money
    元, area 亩, also in a title's brackets. Every part with a colon must be one, or the text is no units
    line (a 填报人:张三 is not)."""
    by_family: dict[str, str | None] = {}
    parts = [p for p in _LINE_PARTS.split(raw) if ":" in p]
    for part in parts:
        m = _LABELLED_UNIT.match(part)
        unit = fold(m.group(1)) if m else None
        if unit is None or unit not in _unit_index():
            return ()
        for fam in family_of(unit):
            by_family[fam] = unit if by_family.get(fam, unit) == unit else None
    return tuple((fam, u) for fam, u in by_family.items() if u)


@lru_cache(maxsize=4096)
def is_units_statement(text: str) -> bool:
    """A cell that only states the table's units ("单位：元、平方米", "金额单位：元", "金额：元 面积：亩"), not a
    column's label ("营业收入（单位：万元）" is a label with its unit)."""
    if not line_units(text):
        return False
    at = fold(text).find("单位")
    return at <= 2          # nothing before 单位 but a family's short name (金额单位), or no 单位 at all


def _is_count(unit: str) -> bool:
    fams = unit_families()
    return any(fams[name]["counts"] for name in family_of(unit))


def strip_unit(text: str) -> str:
    """A folded header without its unit: '营收(元)' -> '营收', '收入/万元' -> '收入', '面积亩' -> '面积'.
    A counting unit bracketed before 数 is the first character of a counting word ('服务（次）数' ->
    '服务次数', a clerk marking the unit inside the word), kept rather than cut to a word that names nothing."""
    k = fold(text)
    for inner in _BRACKETED.findall(k):
        if _as_unit(inner):
            if _is_count(inner):
                k = re.sub(rf"\({re.escape(inner)}\)(?=数)", inner, k)
            k = k.replace(f"({inner})", "")
    unit = header_unit(k)
    if unit and k.endswith(unit) and len(k) > len(unit):
        k = k[: -len(unit)].rstrip("/")
    return k


def family_of(unit: str | None) -> frozenset[str]:
    """Families a folded unit belongs to (元: money and rent)."""
    return frozenset(name for name, _ in _unit_index().get(unit or "", ()))


@lru_cache(maxsize=4096)
def factor_for(unit: str | None, field: Field) -> Fraction | None:
    """Multiply a value written in `unit` by this to get `field`'s unit; None when the unit is not of the
    field's family (人 for a 万元 field) or either has no unit."""
    fam = field_family(field)
    if not unit or fam is None:
        return None
    for name, factor in _unit_index().get(unit, ()):
        if name == fam:
            base = next(f for n, f in _unit_index()[fold(field.unit)] if n == fam)
            return factor / base
    return None


@lru_cache(maxsize=4096)
def conflicts(unit: str | None, field: Field) -> bool:
    """A stated unit of another family than the field's (a 万元 header over a count of firms)."""
    fam = field_family(field)
    if not unit:
        return False
    fams = family_of(unit)
    if fam is None:
        return bool(fams) and field.type in ("date", "yesno", "credit_code", "phone", "text", "choice")
    return bool(fams) and fam not in fams


@lru_cache(maxsize=8192)
def label_family(label: str) -> str | None:
    """The family a label's own head noun says without a unit ("入驻率" -> ratio), or None."""
    k = fold_unbracketed(label) if label else ""
    for name, fam in unit_families().items():
        if any(k.endswith(w) and len(k) > len(w) for w in fam["label_endings"]):
            return name
    return None


def unit_words() -> frozenset[str]:
    """Every folded unit the families know (for units lines)."""
    return frozenset(_unit_index())


def cell_suffixes(field_unit: str | None) -> dict[str, Fraction]:
    """Unit suffixes a number in a cell of a field in `field_unit` may carry, with their factor to it.

    Count fields accept any count unit ("25户" in a 人 column is a typing habit, not a conversion)
    and its 万 multiple ("1.2万人"); other families their own units and cell-only spellings ("12.5万").
    """
    fams = unit_families()
    if not field_unit:
        return {"": Fraction(1)}
    key = fold(field_unit)
    fam_name = next((n for n, f in _unit_index().get(key, ()) if f == 1), None)
    if fam_name is None:
        return {"": Fraction(1), unit_key(key): Fraction(1)}
    fam = fams[fam_name]
    if fam["counts"]:
        counts = {unit_key(fold(u)): Fraction(1) for f in fams.values() if f["counts"] for u in f["units"]}
        return {"": Fraction(1), **counts, **{"万" + u: Fraction(10000) for u in ("", *counts)}}
    base = fam["units"][fam["base"]] if fam["base"] in fam["units"] else Fraction(1)
    out = {"": Fraction(1)}
    for u, f in {**fam["units"], **fam["cell_only"]}.items():     # without separators: looked up by unit_key
        out[unit_key(fold(u))] = f / base
        out[unit_key(u.lower())] = f / base
    return out
