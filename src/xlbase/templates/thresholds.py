"""The default rule pack, whose thresholds and tolerances the templates' live checks carry.

The numbers live in the rule pack (src/xlbase/rules/packs/), never here: a city
officer who edits the pack and regenerates the templates gets new red marks.
"""

from __future__ import annotations

from functools import lru_cache

from ..check import pack_for
from ..rules import RulePack


@lru_cache(maxsize=None)
def _pack() -> RulePack:
    return pack_for()       # the pack every command checks by when none is named


def default_pack() -> RulePack:
    """The pack whose numbers the templates carry (which checks: rules.live, by kind and field), loaded once."""
    return _pack()


def pack() -> RulePack:
    """The default rule pack the templates judge by (the same as default_pack)."""
    return _pack()


def default_year() -> int:
    """The year printed in the titles: the default pack's programme year."""
    return int(default_pack().year)
