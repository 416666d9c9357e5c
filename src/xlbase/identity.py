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
def _place_words() -> tuple[str, ...]:
    """Province, city and county names as a name may start with them, longest first (忻州市 before 忻州)."""
    d = divisions()
    words = {d.get("province") or "山西省"}
    for city, counties in d["cities"].items():
        words |= {city, city[:-1]} if city.endswith("市") else {city}
        words |= set(counties)
    words |= {w[:-1] for w in list(words) if w.endswith("省")}
    return tuple(sorted((fold(w) for w in words if len(w) >= 2), key=len, reverse=True))


@lru_cache(maxsize=65536)
def split_place(name: object) -> tuple[str, str]:
    """(place prefix, rest) of a folded base name: '忻州市原平市同川双创基地' -> ('忻州市原平市', '同川双创基地').

    The same base reaches the city as "忻州市原平市同川…" from its applicant workbook and as
    "原平市同川…" or "同川…" from a county's retyped table; the rest is what they share.
    """
    k = fold(name)
    place = ""
    while True:
        w = next((w for w in _place_words() if k.startswith(w) and len(k) > len(w) + 1), None)
        if w is None:
            return place, k
        place, k = place + w, k[len(w):]


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
    return _locate(re.sub(r"\s+", "", str(text or "")))


@lru_cache(maxsize=65536)
def _locate(s: str) -> tuple[str | None, str | None]:
    """locate on a text without spaces: a scan of 117 county names, asked again for every file and row."""
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
