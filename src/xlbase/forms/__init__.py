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
    "get_form", "all_forms", "FORM_IDS", "APPLICANT_FORMS", "SUMMARY_FORM",
    "value_list", "value_lists", "divisions", "unit_families",
]

SPEC_FILES = ("a2.yaml", "a3.yaml", "a4.yaml", "a10.yaml", "a11.yaml")
FORM_IDS = ("附件2", "附件3", "附件4", "附件10", "附件11")
APPLICANT_FORMS = ("附件2", "附件3", "附件4", "附件10")   # sheet order of 双创基地申报表.xlsx
SUMMARY_FORM = roles.SUMMARY_FORM


def _load_yaml(package: str, name: str) -> Any:
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    # libyaml's parser when PyYAML was built with it: the specs load in ~15 ms instead of ~130 ms, paid by
    # every reader process; the same safe loader either way
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader


def _field(spec: dict, default_part: str) -> Field:
    spec = dict(spec)
    spec.setdefault("part", default_part)
    for key in ("aliases", "terms"):
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
    spec["fields"] = tuple(fields)
    for key in ("notes", "rows", "signatures", "not_fields"):
        spec[key] = tuple(spec.get(key) or ())
    return Form(**spec)


@lru_cache(maxsize=None)
def _forms() -> dict[str, Form]:
    loaded: dict[str, Form] = {}
    for name in SPEC_FILES:
        spec = _load_yaml("xlbase.forms.specs", name)
        loaded[spec["id"]] = _build(spec, loaded)
    return loaded


def get_form(form_id: str) -> Form:
    try:
        return _forms()[form_id]
    except KeyError:
        raise KeyError(f"unknown form {form_id!r}; known: {', '.join(FORM_IDS)}") from None


def all_forms() -> list[Form]:
    return [get_form(i) for i in FORM_IDS]


@lru_cache(maxsize=None)
def value_lists() -> dict[str, dict]:
    """Named value lists (yesno, base_type, size_class, industry) with their sources."""
    return _load_yaml("xlbase.data", "lists.yaml")


def value_list(name: str) -> tuple[str, ...]:
    """The allowed values of a choice field; 'city' and 'county' come from the division list."""
    if name == "city":
        return tuple(divisions()["cities"])
    if name == "county":
        return tuple(c for cs in divisions()["cities"].values() for c in cs)
    return tuple(value_lists()[name]["values"])


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
    """Unit families (money, area, length, rent, persons, firms, events): base unit, unit -> factor to the
    base as an exact Fraction, `cell_only` units, `counts`. From specs/units.yaml."""
    from fractions import Fraction
    out = {}
    for name, spec in _load_yaml("xlbase.forms.specs", "units.yaml")["families"].items():
        out[name] = {"base": spec["base"], "counts": bool(spec.get("counts")),
                     "units": {str(u): Fraction(str(f)) for u, f in spec["units"].items()},
                     "cell_only": {str(u): Fraction(str(f)) for u, f in (spec.get("cell_only") or {}).items()}}
    return out
