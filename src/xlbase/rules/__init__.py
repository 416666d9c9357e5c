"""Rule packs (thresholds as YAML data), the rule kinds that read them (rules/kinds/) and the engine.

    >>> from xlbase.rules import load_pack, validate
    >>> pack = load_pack()                       # shanxi-2024-base
    >>> pack.rule("resident-firms-min").threshold_for("楼宇型")
    25
"""

from .engine import validate
from .kinds import KINDS, Kind, kind_of
from .pack import DEFAULT_PACK, list_packs, load_pack, parse_pack
from .rule import PackError, Rule, RulePack, normalise_base_type

__all__ = ["load_pack", "validate", "RulePack", "Rule", "list_packs", "PackError", "parse_pack",
           "DEFAULT_PACK", "KINDS", "Kind", "kind_of", "normalise_base_type"]
