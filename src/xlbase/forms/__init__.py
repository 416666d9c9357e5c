"""The official forms as data: load the specs once, hand out Form objects.

    >>> from xlbase.forms import get_form
    >>> get_form("附件10").field("resident_firms").label
    '已入驻企业数'
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from . import roles
from .model import FIELD_TYPES, NUMERIC_TYPES, Field, Form

__all__ = [
    "Field", "Form", "FIELD_TYPES", "NUMERIC_TYPES",
    "get_form", "all_forms", "table_families", "sharing_columns", "FORM_IDS", "APPLICANT_FORMS", "SUMMARY_FORM",
    "value_list", "value_lists", "divisions", "unit_families", "build_forms", "register_forms", "register_lists",
    "name_words", "tick_marks",
]

# a1.yaml: the 附件1 cover, read for the base's 基地类型 (read.cover); no form we write or merge
SPEC_FILES = ("a1.yaml", "a2.yaml", "a3.yaml", "a4.yaml", "a10.yaml", "a11.yaml")
SHANXI_FOLDER = "shanxi-2024"   # the form set of the Shanxi 2024 programmes (base, demonstration, 聊城's pack)
FORM_IDS = ("附件2", "附件3", "附件4", "附件10", "附件11")
APPLICANT_FORMS = ("附件2", "附件3", "附件4", "附件10")   # sheet order of 双创基地申报表.xlsx
SUMMARY_FORM = roles.SUMMARY_FORM


def _load_yaml(package: str, name: str) -> Any:
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    return _parse_yaml(text)


def _parse_yaml(text: str) -> Any:
    # libyaml's parser when PyYAML was built with it: the specs load in ~15 ms instead of ~130 ms, paid by
    # every reader process; the same safe loader either way
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader


def _field(spec: dict, default_part: str) -> Field:
    spec = dict(spec)
    spec.setdefault("part", default_part)
    for key in ("aliases", "terms", "unlike", "answers", "holds"):
        if key in spec:
            spec[key] = tuple(spec[key])
    return Field(**spec)


def _build(spec: dict, loaded: dict[str, Form]) -> Form:
    spec = dict(spec)
    default_part = "record" if spec["kind"] == "record" else "table"
    if spec.get("columns_from"):
        base = loaded[spec["columns_from"]]
        relabel = spec.pop("labels", {}) or {}
        fields = []
        for f in base.fields:
            if f.key in relabel:
                new = relabel[f.key]
                f = replace(f, label=new, aliases=tuple(a for a in dict.fromkeys((f.label, *f.aliases)) if a != new))
            fields.append(f)
        fields += [_field(s, default_part) for s in spec.pop("extra_fields", [])]
        spec.setdefault("not_fields", base.not_fields)
    else:
        fields = [_field(s, default_part) for s in spec.pop("fields")]
    spec["fields"] = with_shared_terms(tuple(fields))
    for key in ("notes", "rows", "signatures", "not_fields", "title_words", "sheet_words"):
        spec[key] = tuple(spec.get(key) or ())
    return Form(**spec)


def with_shared_terms(fields: tuple[Field, ...]) -> tuple[Field, ...]:
    """`fields` of one form, each table field without terms of its own given the everyday words for its key
    (data/field_terms.yaml) that no other field of the form already says in its label, aliases or terms."""
    shared = field_terms()
    if not any(f.part == "table" and not f.terms and f.key in shared for f in fields):
        return fields
    given = {f.key: tuple(str(t) for t in shared.get(f.key) or ()) if f.part == "table" and not f.terms else f.terms
             for f in fields}
    out = []
    for f in fields:
        if f.part != "table" or f.terms or not given[f.key]:
            out.append(f)
            continue
        others = [w for o in fields if o.key != f.key for w in (o.label, *o.aliases, *given[o.key])]
        own = tuple(t for t in given[f.key] if not any(t in w or w == t for w in others))
        out.append(replace(f, terms=own) if own else f)
    return tuple(out)


@lru_cache(maxsize=None)
def field_terms() -> dict:
    """Everyday header words by field key, shared by every programme's table forms (data/field_terms.yaml)."""
    return _load_yaml("xlbase.data", "field_terms.yaml") or {}


@lru_cache(maxsize=None)
def _forms() -> dict[str, Form]:
    loaded: dict[str, Form] = {}
    folder = resources.files("xlbase.forms.specs").joinpath(SHANXI_FOLDER)
    for name in SPEC_FILES:
        spec = _parse_yaml(folder.joinpath(name).read_text(encoding="utf-8"))
        loaded[spec["id"]] = _build(spec, loaded)
    return loaded


def build_forms(specs: list[dict]) -> dict[str, Form]:
    """Forms from parsed spec dicts in order (a `columns_from` names an earlier one): a programme's form set."""
    loaded: dict[str, Form] = {}
    for spec in specs:
        loaded[spec["id"]] = _build(spec, loaded)
    return loaded


#: forms of other programmes (xlbase.programmes registers them when it loads a programme): their ids are
#: unique across programmes, so the reader's per-form caches never mix two programmes' forms
_REGISTERED: dict[str, Form] = {}


def register_forms(forms: dict[str, Form]) -> None:
    """Make a programme's forms known to get_form; an id another programme already uses is refused."""
    shanxi = _forms()
    for fid, form in forms.items():
        old = _REGISTERED.get(fid)
        if fid in shanxi or (old is not None and old != form):
            raise ValueError(f"表单编号“{fid}”已被另一个申报项目使用，请改用本项目独有的编号（如在前面加上地名）")
        _REGISTERED[fid] = form


def get_form(form_id: str) -> Form:
    try:
        return _forms()[form_id]
    except KeyError:
        pass
    if form_id not in _REGISTERED:
        _register_shipped_programmes()   # a read came back from a worker with another programme's forms
    try:
        return _REGISTERED[form_id]
    except KeyError:
        raise KeyError(f"unknown form {form_id!r}; known: {', '.join(FORM_IDS)}") from None


@lru_cache(maxsize=None)
def _register_shipped_programmes() -> None:
    from .programmes import known_programmes
    for p in known_programmes():
        _ = p.forms


def all_forms() -> list[Form]:
    return [get_form(i) for i in FORM_IDS]


def table_families(form_ids: tuple[str, ...] = FORM_IDS) -> tuple[str, ...]:
    """The table forms a header is matched against: each table (or record head + table) whose columns are its
    own. A form that takes another's columns (`columns_from`: 附件11 takes 附件10's) is told from it after
    the header is found, by its title, sheet name and rows (read.tables.choose_summary)."""
    forms = [get_form(i) for i in form_ids]
    return tuple(f.id for f in forms if f.kind in ("table", "mixed") and not f.columns_from)


def sharing_columns(form_id: str, form_ids: tuple[str, ...] = FORM_IDS) -> tuple[Form, ...]:
    """The forms whose columns are `form_id`'s: those that take them (`columns_from`), then the form itself."""
    takers = [get_form(i) for i in form_ids if get_form(i).columns_from == form_id]
    return (*takers, get_form(form_id))


@lru_cache(maxsize=None)
def value_lists() -> dict[str, dict]:
    """Named value lists (yesno, base_type, size_class, industry) with their sources."""
    return _load_yaml("xlbase.data", "lists.yaml")


#: value lists of other programmes (a form folder's lists.yaml), registered with their forms
_REGISTERED_LISTS: dict[str, dict] = {}


def register_lists(lists: dict[str, dict]) -> None:
    """A programme's own value lists (name -> {values, source}); a name data/lists.yaml has is refused."""
    for name, spec in lists.items():
        if name in value_lists() or (name in _REGISTERED_LISTS and _REGISTERED_LISTS[name] != spec):
            raise ValueError(f"下拉列表名“{name}”已被使用，请改用本项目独有的名称")
        _REGISTERED_LISTS[name] = spec


#: the value lists of places, from the division data (a programme's manifest says whose: Programme.places)
PLACE_LISTS = ("city", "county")


def value_list(name: str) -> tuple[str, ...]:
    """The allowed values of a choice field; 'city' and 'county' come from the division list."""
    if name in _REGISTERED_LISTS:
        return tuple(_REGISTERED_LISTS[name]["values"])
    if name == "city":
        return tuple(divisions()["cities"])
    if name == "county":
        return tuple(c for cs in divisions()["cities"].values() for c in cs)
    return tuple(value_lists()[name]["values"])


def list_aliases(name: str) -> dict[str, list[str]]:
    """A value list's other spellings, value -> [spelling…] (lists.yaml `aliases`: 楼宇 for 楼宇型, 女性 for 女), of a
    shared list or a programme's own alike; {} for the place lists."""
    spec = _REGISTERED_LISTS.get(name) or (value_lists().get(name) if name not in PLACE_LISTS else None) or {}
    return dict(spec.get("aliases") or {})


@lru_cache(maxsize=None)
def name_words() -> dict:
    """Words of base, operator and firm-list names that say what a name is, not which one (data/names.yaml)."""
    return _load_yaml("xlbase.data", "names.yaml")


@lru_cache(maxsize=None)
def industry_words() -> dict:
    """Words of a firm's name that say which industries of the small/micro standard it may be in
    (data/industry_words.yaml: industry or standard name -> words)."""
    return _load_yaml("xlbase.data", "industry_words.yaml")


@lru_cache(maxsize=None)
def tick_marks() -> dict:
    """The marks that tick or leave open a printed option ("☑楼宇型 □园区型"; data/ticks.yaml)."""
    return _load_yaml("xlbase.data", "ticks.yaml")


@lru_cache(maxsize=None)
def estimate_words() -> dict:
    """The words that make a typed figure a bound or an estimate ("30户以上", "约300"; data/estimates.yaml)."""
    return _load_yaml("xlbase.data", "estimates.yaml")


@lru_cache(maxsize=None)
def figure_note_words() -> dict:
    """The words of a note beside a typed figure ("15（其中创业辅导员4人）", "全年48次"; data/figure_notes.yaml)."""
    return _load_yaml("xlbase.data", "figure_notes.yaml")


@lru_cache(maxsize=None)
def share_words() -> dict:
    """How a share is said in words ("六成", "过半", "三分之二"; data/share_words.yaml)."""
    return _load_yaml("xlbase.data", "share_words.yaml")


@lru_cache(maxsize=None)
def divisions() -> dict:
    """Shanxi's cities and county-level divisions, with source and date."""
    return _load_yaml("xlbase.data", "divisions_shanxi.yaml")


def zones(city: str) -> list[dict]:
    """The development zones that report to `city` as units of their own (data/divisions_shanxi.yaml)."""
    return list((divisions().get("zones") or {}).get(city) or [])


@lru_cache(maxsize=None)
def reporting_units(city: str) -> tuple[str, ...]:
    """Who reports to a city: its county-level divisions, then its development zones, in the data's order."""
    return (*divisions()["cities"].get(city, ()), *(z["name"] for z in zones(city)))


@lru_cache(maxsize=None)
def unit_families() -> dict[str, dict]:
    """Unit families (money, area, length, rent, persons, firms, events, ratio): base unit, unit -> factor to
    the base as an exact Fraction, `cell_only` units, `counts`, `label_endings` (a label ending so is of the
    family without stating a unit: 入驻率), `times` (rent's 年/月/天/日: what a unit per area is per). From
    specs/units.yaml."""
    from fractions import Fraction
    out = {}
    families = _load_yaml("xlbase.forms.specs", "units.yaml")["families"]
    for name, spec in families.items():
        units = {str(u): Fraction(str(f)) for u, f in spec["units"].items()}
        # 元 per area per time (rent): every area unit of factor 1 with every time, in either order
        areas = [str(u) for u, f in families["area"]["units"].items() if Fraction(str(f)) == 1]
        per = spec.get("per_area_and") or {}
        for area in areas if per else ():
            units.setdefault(f"元/{area}", Fraction(1))      # no time: the base's (a year's rent, 元/平方米)
            for time, factor in per.items():
                for unit in (f"元/{area}/{time}", f"元/{time}/{area}"):
                    units.setdefault(unit, Fraction(str(factor)))
        out[name] = {"base": spec["base"], "counts": bool(spec.get("counts")), "units": units, "times": tuple(per),
                     "cell_only": {str(u): Fraction(str(f)) for u, f in (spec.get("cell_only") or {}).items()},
                     "label_endings": tuple(str(w) for w in spec.get("label_endings") or ())}
    return out


@lru_cache(maxsize=None)
def unit_separators() -> tuple[str, ...]:
    """What a clerk types between the parts of a unit of several ("·" in 元/㎡·天): specs/units.yaml, read once a
    process (read.units.unit_key asks for every header and value text: 427 YAML loads, ~0.3 s, in one read of a
    filled template)."""
    return tuple(str(s) for s in _load_yaml("xlbase.forms.specs", "units.yaml").get("separators") or ())
