"""Thresholds for the live checks, read from the default rule pack.

One switch point: `threshold_for(rule_id, base_type)` asks `xlbase.rules`
when it is installed and falls back to template_thresholds.yaml (data, with
its sources) until then. No number lives in code.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml

FALLBACK_YEAR_KEY = "year"


@lru_cache(maxsize=None)
def _fallback() -> dict:
    text = resources.files("xlbase.write").joinpath("template_thresholds.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@lru_cache(maxsize=None)
def _pack():
    try:
        from xlbase.rules import load_pack  # type: ignore[attr-defined]
    except ImportError:
        return None
    try:
        return load_pack()
    except Exception:   # a broken or missing pack must not stop template generation
        return None


def default_year() -> int:
    pack = _pack()
    year = getattr(pack, "year", None) if pack is not None else None
    return int(year or _fallback().get(FALLBACK_YEAR_KEY) or 2024)


def threshold_for(rule_id: str, base_type: str) -> float | None:
    """The default pack's threshold of `rule_id` for `base_type`, or None when it has none."""
    pack = _pack()
    if pack is not None:
        try:
            value = pack.rule(rule_id).threshold_for(base_type)
        except Exception:
            value = None
        return None if value is None else float(value)
    spec = _fallback()["rules"].get(rule_id)
    if not spec:
        return None
    value = (spec.get("by_base_type") or {}).get(base_type, spec.get("default"))
    return None if value is None else float(value)


def rule_pack_name() -> str:
    pack = _pack()
    return str(getattr(pack, "name", "") or "template_thresholds.yaml") if pack is not None else "template_thresholds.yaml"
