"""The industries of 工信部联企业〔2011〕300号 and the names that place a typed 所属行业 in them, as the standard's
YAML (standards/sme-2011-300.yaml) lists them, and the words of firms' names (data/industry_words.yaml): the
tables rules/sizing.py sizes firms by and rules/industry_text.py reads a typed industry by."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

from ..forms import _parse_yaml as parse_yaml, industry_words
from ..text import fold

STANDARD_FILE = "sme-2011-300.yaml"
#: the shortest name found inside a longer 所属行业 text ("主营制造业")
MIN_CONTAINED = 2
#: words of a firm's name -> industries, as (standard name or industry, its words) pairs: hashable, so a pack's
#: own list is compiled once (see `name_words`)
NameWords = tuple[tuple[str, tuple[str, ...]], ...]


@lru_cache(maxsize=None)
def standard() -> dict[str, Any]:
    """The standard as loaded from its YAML (medium floors per industry, stated names -> industries)."""
    text = (resources.files("xlbase.rules") / "standards" / STANDARD_FILE).read_text(   # one part per joinpath on 3.10
        encoding="utf-8")
    return parse_yaml(text)   # libyaml when PyYAML has it: the standard is read at every merge's start


def industries() -> tuple[str, ...]:
    """The standard's industries, in its order."""
    return tuple(standard()["medium"])


@lru_cache(maxsize=None)
def known_names() -> tuple[tuple[str, frozenset[int]], ...]:
    """(folded name, industry positions) for every name the standard file knows, longest first."""
    pos = {name: i for i, name in enumerate(industries())}
    out = {fold(name): frozenset({i}) for name, i in pos.items()}
    for name, targets in (standard().get("names") or {}).items():
        out[fold(name)] = frozenset(pos[t] for t in targets)
    return tuple(sorted(out.items(), key=lambda kv: -len(kv[0])))


def names_of(key: str) -> frozenset[int]:
    """Positions of one name the standard file knows exactly (an industry, or a name it lists); empty if none."""
    k = fold(key)
    return next((targets for name, targets in known_names() if name == k), frozenset())


def name_words(spec: Any = None) -> NameWords:
    """The words of firms' names as `classify` takes them: `spec` a mapping {industry or standard name: [words]}
    (a pack's `industry_words`), None for data/industry_words.yaml's."""
    if spec is None:
        spec = industry_words().get("words") or {}
    return tuple((str(k), tuple(str(w) for w in (v or ()) if w)) for k, v in spec.items()
                 if isinstance(k, str) and not k.startswith("__"))


