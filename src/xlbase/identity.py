"""Who a base is: the keys that tie forms, files and levels together.

The same base arrives spelled differently from different offices ("忻州市 忻府区
xx双创基地" vs "忻州市忻府区xx 双创基地"); folding makes those one key.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .forms import divisions, zones
from .text import fold, place_key


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
    """Each name of a county-level unit as it may appear in a text -> the (city, unit) it may mean.

    Units are the counties and the development zones that report as units of their own
    (forms.zones), a zone under its name and each of its aliases.
    """
    index: dict[str, list[tuple[str, str]]] = {}
    for city, counties in divisions()["cities"].items():
        for county in counties:
            index.setdefault(county, []).append((city, county))
        for zone in zones(city):
            for spelling in (zone["name"], *(zone.get("aliases") or ())):
                index.setdefault(place_key(spelling), []).append((city, zone["name"]))
    return index


def county_index() -> dict[str, list[tuple[str, str]]]:
    """Each name of a county-level unit `locate` looks for -> the (city, unit) pairs it may mean (the
    templates judge a typed place in the sheet from it)."""
    return _county_index()


def locate(text: object) -> tuple[str | None, str | None]:
    """(city, county) named in a text such as '忻州市忻府区xx双创基地' or '忻州市 忻府区'.

    A county name shared by two cities (城区, 矿区, 郊区) needs its city in the text too.
    A listed development zone counts as a county ('忻州经济开发区…' -> (忻州市, 忻州经济开发区));
    the longest name found wins. Under a programme whose manifest names no place list (聊城 on Shanxi's
    forms) nothing is located by Shanxi's list: (None, None) (its places are typed: merge.places).
    """
    if not divisions_apply():
        return None, None
    return _locate(place_key(text or ""))


def divisions_apply() -> bool:
    """Whether the active programme's places are the division list's (its manifest's `places:`)."""
    return bool(_active()().places)


@lru_cache(maxsize=None)
def _active():
    from .forms.programmes import active     # forms.programmes loads the form sets: only when first asked
    return active


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


def locate_sender(text: object) -> tuple[str | None, str | None]:
    """Where who sent a file is: `locate`, and a county named without its ending by a folder ("汾西/") or a
    填报单位 line ("汾西工信局", "临汾汾西") — a clerk's own shorthand for his county, which a base's name or a
    typed 所在县 cell is not read by (a firm named 中阳光伏 is not in 中阳县)."""
    city, county = locate(text)
    if county is not None or not divisions_apply():
        return city, county
    return _by_stem([place_key(p) for p in _PARTS.split(str(text or ""))], city) or (city, county)


_ORDINAL_LEAD = re.compile(r"^(?:\d{1,3}[.、．]?|[一二三四五六七八九十]{1,3}[.、．])")
_PARTS = re.compile(r"[\s/\\：:，,；;（）()\[\]【】_\-—]+")
_COUNTY_ENDINGS = ("县", "区", "市")
MAX_OFFICE_TAIL = 10      # 工业和信息化局, 行政审批服务管理局: the office after a county's stem


def _by_stem(parts: list[str], city: str | None) -> tuple[str, str] | None:
    """A county named without its ending — a folder "汾西", a 填报单位 "汾西工信局", "临汾汾西": a part of the
    text (between spaces and separators) that is the stem alone, or the stem and
    an office (a name ending as a government office does, data/names.yaml office_endings: 局, 委员会, 政府…, at
    most MAX_OFFICE_TAIL characters),
    after the city or its stem or not. Only stems of two characters or more that no city and no other county
    shares (古县, 吉县, 城区 have none)."""
    from .forms import name_words
    endings = tuple(name_words().get("office_endings") or ())
    for part in parts:
        part = _ORDINAL_LEAD.sub("", part)       # 01汾西, 1.汾西, 二、汾西: a folder numbered in the inbox's order
        for c in (city, *divisions()["cities"]):
            for prefix in ((c, c[:-1]) if c else ()):
                if part.startswith(prefix) and len(part) > len(prefix):
                    part = part[len(prefix):]
                    break
            else:
                continue
            break
        for stem, pair in _stems_starting(part):
            if city is not None and pair[0] != city:
                continue
            rest = part[len(stem):]
            if not rest or (len(rest) <= MAX_OFFICE_TAIL and rest.endswith(endings)
                            and not rest.startswith(_COUNTY_ENDINGS)):
                return pair
    return None


def _stems_starting(part: str) -> list[tuple[str, tuple[str, str]]]:
    """The (stem, (city, county)) of _stems() that `part` starts with, in _stems()' order: a look-up per
    length of `part`'s heads, not a test of every county's stem (four times a file, 448 files a province)."""
    stems, order, longest = _stems(), _stem_order(), _longest_stem()
    heads = [part[:n] for n in range(2, min(len(part), longest) + 1) if part[:n] in stems]
    return [(h, stems[h]) for h in sorted(heads, key=order.__getitem__)]


@lru_cache(maxsize=None)
def _stem_order() -> dict[str, int]:
    return {stem: i for i, stem in enumerate(_stems())}


@lru_cache(maxsize=None)
def _longest_stem() -> int:
    return max(map(len, _stems()), default=0)


@lru_cache(maxsize=None)
def _stems() -> dict[str, tuple[str, str]]:
    """Each county's name without its ending (汾西县 -> 汾西) -> (city, county), for the stems that name one county
    only: two characters or more, no city's stem, no other county's."""
    cities = divisions()["cities"]
    seen: dict[str, list[tuple[str, str]]] = {}
    for city, counties in cities.items():
        for county in counties:
            if county.endswith(_COUNTY_ENDINGS) and len(county) >= 3:
                seen.setdefault(county[:-1], []).append((city, county))
    city_stems = {c[:-1] for c in cities} | set(cities)
    taken = {k for ks in cities.values() for k in ks}
    return {stem: pairs[0] for stem, pairs in seen.items()
            if len(pairs) == 1 and stem not in city_stems and stem not in taken}


@lru_cache(maxsize=None)
def _zone_words() -> re.Pattern:
    words = sorted(divisions().get("zone_words") or (), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words))) if words else re.compile(r"(?!)")


_LABEL = re.compile(r"^.*?(?:单位|部门|报送|名称)[^：:]{0,8}[：:]")
_NAME_CHARS = re.compile(r"[\u4e00-\u9fff（）()A-Za-z0-9·]+")


@lru_cache(maxsize=4096)
def zone_name(text: object) -> str | None:
    """The name of a development zone a 填报单位 line or file name speaks for, listed or not.

    '填报单位（盖章）：山西XX经济开发区管理委员会' -> '山西XX经济开发区'; 'XX高新区_汇总表' -> 'XX高新区'.
    A listed zone's own name (locate); else the run of name characters that ends with the last
    zone word (data: zone_words) — the office behind it (管委会, 经济发展部) is not part of the name.
    None when no zone word is there.
    """
    raw = str(text or "")
    city, unit = locate(raw)
    if unit and unit not in divisions()["cities"].get(city, ()):
        return unit
    best = None
    for run in _NAME_CHARS.findall(_LABEL.sub("", raw.strip())):   # spaces, / and _ end a name
        hits = list(_zone_words().finditer(run))
        if hits:
            name = run[:hits[-1].end()]
            if len(name) > len(hits[-1].group()):       # more than the bare word (开发区 alone names nothing)
                best = name
    return best


_OFFICE = re.compile(r"(?:填报|报送|申报|推荐)单位[^：:\s]{0,6}[：:]\s*([^\s：:]+)")
_NOT_A_NAME = re.compile(r"^[\d\-./年月日（）()]*$|^(?:万元|平方米|人|户|元|个|场)(?:[、,，](?:万元|平方米|人|户|元|个|场))*$")


def office_name(org_line: object) -> str | None:
    """The office a 填报单位 line names ('填报单位（盖章）： 岢岚县工信局 填报日期：…' -> '岢岚县工信局')."""
    m = _OFFICE.search(str(org_line or ""))
    if not m:
        return None
    name = re.sub(r"[（(]盖章[)）]", "", m.group(1)).strip("：:，,。")
    return name if len(name) >= 2 and not _NOT_A_NAME.match(name) else None


def unit_hint(org_line: object, path: object) -> str | None:
    """Who sent a base whose county is not known: a zone named in its 填报单位 line or file path
    (listed, or by its zone word), else the office its 填报单位 line names. None when neither says."""
    return zone_name(org_line) or zone_name(re.sub(r"[/\\_]", " ", str(path or ""))) or office_name(org_line)
