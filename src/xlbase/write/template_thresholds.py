"""Thresholds for the templates' live checks, read from the default rule pack.

The numbers live in the rule pack (src/xlbase/rules/packs/), never here: a city
officer who edits the pack and regenerates the templates gets new red marks.
"""

from __future__ import annotations

from functools import lru_cache

from ..rules import RulePack, load_pack
from ..rules.pack import Rule

#: rule kinds that compare 附件3's rows (count) or a column's sum with a figure stated on 附件10 / 附件2
AGGREGATE_KINDS = {"count": "counts-match", "sum": "sum-matches"}


@lru_cache(maxsize=None)
def _pack() -> RulePack:
    return load_pack()


def pack() -> RulePack:
    """The default rule pack the templates judge by (loaded once)."""
    return _pack()


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


def aggregate_rule(how: str, target: str) -> Rule | None:
    """The default pack's rule comparing 附件3's count/sum (`how`) with the stated `target` field."""
    return next((r for r in _pack().rules if r.kind == AGGREGATE_KINDS[how]
                 and (r.params.get("target") or {}).get("field") == target), None)


def agreement_rule(key: str) -> Rule | None:
    """The default pack's forms-agree rule that compares `key` on 附件2 and 附件10, if any."""
    return next((r for r in _pack().rules if r.kind == "forms-agree" and key in r.fields), None)
