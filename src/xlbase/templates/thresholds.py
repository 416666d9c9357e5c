"""The rule pack whose thresholds and tolerances the templates' live checks carry: the pack of the
programme the templates are written for (the active one: `xlbase templates --programme liaocheng-2021`
writes Shanxi's forms with 聊城's numbers), Shanxi's default pack when none is chosen.

The numbers live in the rule pack (src/xlbase/rules/packs/), never here: a city
officer who edits the pack and regenerates the templates gets new red marks.
"""

from __future__ import annotations

from ..check import pack_for
from ..forms.programmes import Programme, active
from ..rules import RulePack


_PACKS: dict[tuple[str, str, str], RulePack] = {}


def _pack(programme: Programme) -> RulePack:
    key = (programme.name, programme.manifest, programme.pack)
    if key not in _PACKS:
        # a programme of its own forms checks its pack against them; one on Shanxi's forms names its pack
        _PACKS[key] = pack_for(programme=programme) if programme.generic else pack_for(programme.pack)
    return _PACKS[key]


def default_pack() -> RulePack:
    """The pack whose numbers the templates carry (which checks: rules.live, by kind and field): the active
    programme's, loaded once per programme."""
    return _pack(active())


def pack() -> RulePack:
    """The rule pack the templates judge by (the same as default_pack)."""
    return default_pack()


def default_year() -> int:
    """The year printed in the titles: the pack's programme year."""
    return int(default_pack().year)
