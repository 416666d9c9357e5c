"""A rule as a pack states it, and a pack of them: the model every rule kind and the loader share.

A Rule's own keys (id, kind, forms, fields, severity, message, source, title, fallback) mean the
same for every kind; what a kind needs beyond them is its typed parameters (`args`, declared by the
kind in rules/kinds/, parsed and checked when the pack loads).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import jinja2

from ..forms import value_list, value_lists
from ..text import fold

DEFAULT_KEY = "default"   # a per-type threshold map's fallback for types it does not name


class PackError(ValueError):
    """A pack that cannot be used; the message is Chinese and names file and line."""


TEMPLATES = jinja2.Environment(undefined=jinja2.ChainableUndefined, autoescape=False)


@lru_cache(maxsize=256)
def _template(message: str) -> jinja2.Template:
    """A rule's message compiled once, not once per problem (compiling is ~1 ms, rendering ~20 µs)."""
    return TEMPLATES.from_string(message)


@dataclass(frozen=True)
class Rule:
    """One check: what it reads, the threshold(s), how bad a failure is, and where it comes from.

    `threshold`, `tolerance` and `params` are what the pack wrote (thresholds normalised: a share
    "80%" as 0.8, 基地类型 spellings as the canonical type); a 汇总表 records a digest of them
    (merge.lower.pack_identity). Code reads a kind's parameters from `args`, typed by the kind.
    """

    id: str
    kind: str
    fields: tuple[str, ...] = ()
    threshold: Any = None
    tolerance: Any = None
    severity: str = "error"
    message: str = ""
    source: str = ""
    title: str = ""
    params: dict = field(default_factory=dict)
    forms: tuple[str, ...] = ()
    line: int = 0
    fallback: str | None = None   # a form whose rows are checked for submissions that have none of `forms`
    args: Any = None              # the kind's typed parameters (its Params dataclass)

    @property
    def form(self) -> str:
        """The rule's first form ("" for a rule that names none)."""
        return self.forms[0] if self.forms else ""

    @property
    def field(self) -> str:
        """The rule's first field ("" for a rule that names none)."""
        return self.fields[0] if self.fields else ""

    @property
    def per_type(self) -> bool:
        return isinstance(self.threshold, dict)

    def threshold_for(self, base_type: str | None) -> Any:
        """The threshold for a 基地类型; None when the map names neither it nor a default."""
        if not isinstance(self.threshold, dict):
            return self.threshold
        bt = normalise_base_type(base_type)
        if bt is not None and bt in self.threshold:
            return self.threshold[bt]
        return self.threshold.get(DEFAULT_KEY)

    def render(self, **ctx: Any) -> str:
        return _template(self.message).render(rule=self, **ctx).strip()


@dataclass(frozen=True)
class RulePack:
    id: str
    title: str
    jurisdiction: str
    year: int
    as_of: dt.date
    rules: tuple[Rule, ...]
    sources: tuple[dict, ...] = ()
    params: dict = field(default_factory=dict)
    path: str = ""
    programme: str = ""          # the programme whose own forms the pack's rules name ("" for Shanxi's)
    titles: dict = field(default_factory=dict)   # problem code -> Chinese title (title_of)

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(f"规则包 {self.id} 中没有规则 {rule_id}")

    def has_rule(self, rule_id: str) -> bool:
        return any(r.id == rule_id for r in self.rules)

    def title_of(self, code: str) -> str:
        """The Chinese title of a problem code of this pack: its rule's title (its kind's when the pack gives
        none), or the title of a note a kind reports beside its rule (checksum: "<id>-legacy"); "" otherwise.
        The titles are gathered when the pack loads (rules.pack.code_titles), where the kinds are known."""
        return self.titles.get(code, "")


# --- base types ---------------------------------------------------------------------

def _base_type_index() -> dict[str, str]:
    index = {fold(v): v for v in value_list("base_type")}
    for canon, spellings in (value_lists()["base_type"].get("aliases") or {}).items():
        for s in spellings:
            index[fold(s)] = canon
    return index


_BT_INDEX: dict[str, str] | None = None


def normalise_base_type(text: object) -> str | None:
    """The canonical 基地类型 for a clerk's spelling, or None when it is not recognised."""
    global _BT_INDEX
    if text is None or (isinstance(text, float) and text != text):
        return None
    if _BT_INDEX is None:
        _BT_INDEX = _base_type_index()
    return _BT_INDEX.get(fold(text))


def lookup_per_type(per_type: Any, base_type: Any) -> Any:
    """A per-type map's value for a canonical 基地类型 (its default for others); a plain value as it is."""
    if not isinstance(per_type, dict):
        return per_type
    if isinstance(base_type, str) and base_type in per_type:
        return per_type[base_type]
    return per_type.get(DEFAULT_KEY)
