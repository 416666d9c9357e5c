"""Where a base is, under the programme's place data: its division list, or the places its clerks typed.

Shanxi's programmes name their division list (manifest `places: shanxi`, data/divisions_shanxi.yaml): a typed
place is kept only when the list has it, and a name, a 填报单位 line or a folder is located by the list
(`Divisions`, the merge's original behaviour). A programme whose notice names no place list (聊城 on Shanxi's
forms: `places:` empty) has no such list, and Shanxi's must never stand in for it: there the typed place is
the place (`Typed`). Its 所在市 and 所在县 are taken as typed (normalised), and the batch's typed pairs are the
list a base's name, a 填报单位 line or a folder is located by; a folder or office no clerk's place names is
read by the place endings of any province (data/names.yaml `place_endings`: 临清市工信局 -> 临清市). Which
level a place is comes from the data, not from its ending alone: 临清市 is a county wherever a clerk typed it
as the 所在县 of 聊城市.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable

from ..forms import divisions, name_words, reporting_units
from ..identity import divisions_apply, locate, locate_sender
from ..text import place_key

UNKNOWN_UNIT = "（未注明）"


class Divisions:
    """The division list's places (Shanxi's): what the merge always did."""

    typed = False

    def known(self, city: Any, county: Any) -> tuple[str | None, str | None]:
        """Keep only real divisions (and the zones that report as units): a formula's 0 or a typo must not
        become a unit."""
        cities = divisions()["cities"]
        c = str(city).strip() if isinstance(city, str) else None
        if c and c not in cities:
            c = locate(c)[0]
        k = str(county).strip() if isinstance(county, str) else None
        if k and not any(k in reporting_units(ct) for ct in cities):
            k = locate(f"{c or ''}{k}")[1]
        if c and k and k not in reporting_units(c):
            k = None
        return c, k

    def locate(self, text: Any) -> tuple[str | None, str | None]:
        return locate(text)

    def named(self, text: Any) -> tuple[str | None, str | None]:
        """The place a 填报单位 line, section row or folder names."""
        return locate_sender(text)

    def path_place(self, path: str) -> tuple[str | None, str | None]:
        return locate_sender(" ".join(Path(path).parts))

    def units(self, city: str | None) -> tuple[str, ...]:
        """Who reports to a city (its counties and zones, in the data's order); () for no city."""
        return reporting_units(city) if city else ()

    def cities(self) -> list[str]:
        return list(divisions()["cities"])

    def province(self) -> str:
        return str(divisions().get("province") or "")

    def folder_disagrees(self, city: str, county: str, path: str) -> str | None:
        return None


DIVISIONS = Divisions()


def place_text(v: Any) -> str | None:
    """A typed place as the merge keeps it (text.place_key: NFKC, no spaces or zero-width characters); None for a blank, a number (a formula's 0) or a
    text with no Chinese character in it."""
    if not isinstance(v, str):
        return None
    s = place_key(v)
    return s if re.search(r"[\u4e00-\u9fff]", s) else None


#: the levels of data/names.yaml's place_endings: a province, a prefecture-level city, a county-level unit
PROVINCE, PREFECTURE, COUNTY_LEVEL = "省级", "地级", "县级"


@lru_cache(maxsize=None)
def _endings() -> dict[str, tuple[str, ...]]:
    spec = name_words().get("place_endings") or {}
    return {level: tuple(sorted(spec.get(level) or (), key=len, reverse=True))
            for level in (PROVINCE, PREFECTURE, COUNTY_LEVEL)}


@lru_cache(maxsize=None)
def _word() -> re.Pattern:
    ends = sorted({e for es in _endings().values() for e in es}, key=len, reverse=True)
    return re.compile(r"[\u4e00-\u9fff]{1,12}?(?:" + "|".join(map(re.escape, ends)) + ")")


def place_words(text: Any) -> list[str]:
    """The place names a text starts with, by the endings of any province's places: '聊城市临清市' ->
    ['聊城市', '临清市']; '临清市工信局' -> ['临清市']; a text not starting with a place -> []."""
    s = place_text(text) or ""
    out: list[str] = []
    pos = 0
    while True:
        m = _word().match(s, pos)
        if m is None:
            return out
        out.append(m.group(0))
        pos = m.end()


def _only_places(text: str) -> list[str]:
    """The place words of a text made of nothing else (a folder named 临清市 or 聊城市临清市), else []."""
    words = place_words(text)
    return words if words and sum(map(len, words)) == len(place_text(text) or "") else []


def _fuller(name: str | None, pool: Iterable[str]) -> str | None:
    """`name`, or the one name of `pool` that is it with a place's ending (临清 -> 临清市)."""
    if not name:
        return name
    longer = [m for m in pool if len(m) == len(name) + 1 and m.startswith(name)
              and (ends_as(m, COUNTY_LEVEL) or ends_as(m, PREFECTURE))]
    return longer[0] if len(longer) == 1 else name


def ends_as(word: str, level: str) -> bool:
    return word.endswith(_endings()[level])


def _spellings(names: set[str]) -> dict[str, str]:
    """Each typed place spelt without its ending (聊城, 临清) -> the one typed name it stops short of (聊城市)."""
    out = {}
    for n in names:
        full = _fuller(n, names)
        if full and full != n:
            out[n] = full
    return out


class Typed:
    """The places a batch's clerks typed (a programme with no place list): each typed 所在市/所在县 pair is a
    place, and the list names, 填报单位 lines and folders are located by."""

    typed = True

    def __init__(self, pairs: Iterable[tuple[Any, Any]]) -> None:
        typed = [(place_text(c), place_text(k)) for c, k in pairs]
        self._canon = _spellings({c for c, _ in typed if c} | {k for _, k in typed if k})
        self.city_of: dict[str, set[str]] = {}
        self._cities: dict[str, None] = {}
        for c, k in typed:
            c, k = self._canon.get(c or "", c), self._canon.get(k or "", k)
            if c:
                self._cities.setdefault(c, None)
            if k and k != c:
                self.city_of.setdefault(k, set())
                if c:
                    self.city_of[k].add(c)
        self._counties = sorted(self.city_of, key=len, reverse=True)

    def known(self, city: Any, county: Any) -> tuple[str | None, str | None]:
        """The place as typed (聊城 as 聊城市 when the batch types that); a county typed without its city gets the
        one city the batch types it under."""
        c, k = place_text(city), place_text(county)
        c = self._canon.get(c or "", c) if c in self._canon or c in self._cities else _fuller(c, self._cities)
        k = self._canon.get(k or "", k) if k in self._canon or k in self.city_of else _fuller(k, self.city_of)
        if k and k == c:            # the city typed again as its county names no county
            k = None
        if k and not c and len(self.city_of.get(k, ())) == 1:
            c = next(iter(self.city_of[k]))
        return c, k

    def locate(self, text: Any) -> tuple[str | None, str | None]:
        """The typed city and county a text names ('聊城市临清市东方双创基地', '临清市工信局'), the longest
        county first; a county typed under two cities needs its city in the text."""
        s = place_text(text) or ""
        if not s:
            return None, None
        found = [c for c in self._cities if c in s or (len(c) > 2 and ends_as(c, PREFECTURE) and s.startswith(c[:-1]))]
        city = found[0] if len(found) == 1 else None
        for k in self._counties:
            if k in s:
                homes = self.city_of[k]
                if city is None and len(homes) == 1:
                    return next(iter(homes)), k
                if city is None and not homes:
                    return None, k
                if city in homes or not homes:
                    return city, k
        return city, None

    def named(self, text: Any) -> tuple[str | None, str | None]:
        """The place a 填报单位 line or folder names: a typed one, else by the endings of its place words (two:
        city and county; one: a city when the batch types it as one or only a city ends so, else a county —
        临清市工信局 is a county's office unless a clerk typed 临清市 as a 所在市)."""
        c, k = self.locate(text)
        if c or k:
            return c, k
        words = place_words(text) or place_words(re.sub(r"^.*?[：:]", "", str(text or "")))
        words = [w for w in words if not ends_as(w, PROVINCE) or ends_as(w, COUNTY_LEVEL)]
        if len(words) >= 2:
            return words[-2], words[-1]
        if len(words) == 1:
            w = words[0]
            if w in self._cities or (ends_as(w, PREFECTURE) and not ends_as(w, COUNTY_LEVEL)):
                return w, None
            return None, w
        return None, None

    def path_place(self, path: str) -> tuple[str | None, str | None]:
        """The place of the deepest folder holding only a place's name (临清市/, 聊城市/临清市/)."""
        for part in reversed(Path(path).parent.parts):
            words = _only_places(part)
            if words:
                return self.named("".join(words))
        return None, None

    def folder_disagrees(self, city: str, county: str, path: str) -> str | None:
        """The place of the deepest place-named folder when it is neither the base's typed county nor its
        city (a base filed under 临清市/ whose clerk typed 东昌府区); None when they agree or no folder says."""
        if county == UNKNOWN_UNIT:
            return None
        words = [w for part in Path(path).parent.parts for w in _only_places(part)]
        if not words:
            return None
        last = self._canon.get(words[-1], words[-1])
        return None if last in (county, city) else last

    def units(self, city: str | None) -> tuple[str, ...]:
        """The counties the batch types under `city` (what is known of who reports to it)."""
        return tuple(sorted(k for k, homes in self.city_of.items() if city in homes)) if city else ()

    def cities(self) -> list[str]:
        return list(self._cities)

    def province(self) -> str:
        return ""


Places = Divisions | Typed


def places_for(typed: Callable[[], Iterable[tuple[Any, Any]]]) -> Places:
    """The places of a merge under the active programme: its division list, or the pairs `typed()` gives."""
    return DIVISIONS if divisions_apply() else Typed(typed())
