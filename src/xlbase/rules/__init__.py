"""Rule packs (thresholds as YAML data) and the validation engine.

    >>> from xlbase.rules import load_pack, validate
    >>> pack = load_pack()                       # shanxi-2024-base
    >>> pack.rule("resident-firms-min").threshold_for("楼宇型")
    25
"""

from .engine import KIND_FUNCTIONS, validate
from .pack import (DEFAULT_PACK, KINDS, PackError, Rule, RulePack, list_packs, load_pack,
                   normalise_base_type, parse_pack)

__all__ = ["load_pack", "validate", "RulePack", "Rule", "list_packs", "PackError", "parse_pack",
           "DEFAULT_PACK", "KINDS", "KIND_FUNCTIONS", "normalise_base_type"]
