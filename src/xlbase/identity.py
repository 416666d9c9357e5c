"""Who a base is: the keys that tie forms, files and levels together.

The same base arrives spelled differently from different offices ("忻州市 忻府区
xx双创基地" vs "忻州市忻府区xx 双创基地"); folding makes those one key.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .forms import divisions
from .text import fold


def name_key(name: object) -> str:
    """A base or firm name folded for comparison."""
    return fold(name)


def base_key(name: object, operator: object = "") -> str:
    """Dedupe key of a base: folded name plus folded operator."""
    return f"{fold(name)}|{fold(operator)}"


@lru_cache(maxsize=None)
def _county_index() -> dict[str, list[tuple[str, str]]]:
    index: dict[str, list[tuple[str, str]]] = {}
    for city, counties in divisions()["cities"].items():
        for county in counties:
            index.setdefault(county, []).append((city, county))
    return index


def locate(text: object) -> tuple[str | None, str | None]:
    """(city, county) named in a text such as '忻州市忻府区xx双创基地' or '忻州市 忻府区'.

    A county name shared by two cities (城区, 矿区, 郊区) needs its city in the text too.
    """
    s = re.sub(r"\s+", "", str(text or ""))
    cities = [c for c in divisions()["cities"] if c in s or c[:-1] + "市" in s or s.startswith(c[:-1])]
    city = cities[0] if len(cities) == 1 else None
    found = None
    best = -1
    for county, pairs in _county_index().items():
        pos = s.find(county)
        if pos < 0:
            continue
        candidates = [p for p in pairs if city is None or p[0] == city]
        if len(candidates) == 1 and (found is None or len(county) > best):
            found, best = candidates[0], len(county)
    if found:
        return found
    return city, None
