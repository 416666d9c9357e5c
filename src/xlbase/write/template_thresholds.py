"""Thresholds for the templates' live checks, read from the default rule pack.

The numbers live in the rule pack (src/xlbase/rules/packs/), never here: a city
officer who edits the pack and regenerates the templates gets new red marks.
"""

from __future__ import annotations

from functools import lru_cache

from ..rules import RulePack, load_pack


@lru_cache(maxsize=None)
def _pack() -> RulePack:
    return load_pack()


def default_year() -> int:
    """The year printed in the titles: the default pack's programme year."""
    return int(_pack().year)


def threshold_for(rule_id: str, base_type: str) -> float | None:
    """The default pack's threshold of `rule_id` for `base_type`, or None when it has none."""
    pack = _pack()
    if not pack.has_rule(rule_id):
        return None
    value = pack.rule(rule_id).threshold_for(base_type)
    return None if value is None else float(value)


def rule_pack_name() -> str:
    return _pack().id
