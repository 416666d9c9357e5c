"""Typed choices accepted in the sheet as `xlbase validate`'s choice rule accepts them
(rules.kinds.model_bounds.InList): besides the list and its aliases, a place in any spelling
`identity.locate` recognises (忻州, 山西省忻州市, 忻州市忻府区, 离石 for 离石区), an industry any name of the
small/micro standard places (制造业（食品）), a size any wording that says small or large (小微, 中型企业).

The place test follows locate step by step on tables of the lists sheet generated from the divisions
data: a city is named when exactly one city is found in the text (its name, or the text starting with
it); a county when one of the names of county-level units is found whose candidates — all its cities,
or only the city found — are one; else a county written without its 县/区/市. Industries and sizes are
read once per row on the size sheet (templates.sizes), which the share rule uses too.
"""

from __future__ import annotations

from ..forms import divisions
from ..forms.roles import CITY, COUNTY, INDUSTRY, SIZE_CLASS
from ..identity import county_index
from ..rules.kinds.model_bounds import COUNTY_ENDINGS, county_stems
from .checks import ZERO_WIDTH
from .lists import ListSheet

CITIES, CITY_STEMS, CITY_SHI = "xl_loc_city", "xl_loc_city_stem", "xl_loc_city_shi"
UNITS = "xl_loc_unit"       # + _city, _stem, _shi, _all, _here: one row per (unit name, city) locate knows
STEMS = "xl_loc_stem"

#: what locate takes out of a typed place before looking (text.place_key: all whitespace, the zero-width characters)
_SPACES = (" ", "\u3000", "\u00a0", "\n", "\t", "\r", *ZERO_WIDTH)


def _place_tables(lists: ListSheet) -> None:
    if CITIES in lists.names:
        return
    cities = list(divisions()["cities"])
    lists.add(CITIES, "市", cities)
    lists.add(CITY_STEMS, "市（不带末字）", [c[:-1] for c in cities])
    lists.add(CITY_SHI, "市（末字为市）", [c[:-1] + "市" for c in cities])
    index = county_index()
    rows = [(name, city, len(pairs), sum(1 for p in pairs if p[0] == city))
            for name, pairs in index.items() for city in dict.fromkeys(p[0] for p in pairs)]
    lists.add(UNITS, "县级单位写法", [r[0] for r in rows])
    lists.add(f"{UNITS}_city", "所属市", [r[1] for r in rows])
    lists.add(f"{UNITS}_stem", "所属市（不带末字）", [r[1][:-1] for r in rows])
    lists.add(f"{UNITS}_shi", "所属市（末字为市）", [r[1][:-1] + "市" for r in rows])
    lists.add(f"{UNITS}_all", "同名单位数", [r[2] for r in rows])
    lists.add(f"{UNITS}_here", "该市同名单位数", [r[3] for r in rows])
    lists.add(STEMS, "县（不带县区市）", sorted(county_stems()))


def _spaceless(ref: str) -> str:
    out = ref
    for ch in _SPACES:
        out = f'SUBSTITUTE({out},CHAR({ord(ch)}),"")' if ord(ch) < 32 else f'SUBSTITUTE({out},"{ch}","")'
    return out


def _named(s: str, full: str, shi: str, stem: str) -> str:
    """Excel (per row of the ranges): the city is named in text `s` as locate finds one."""
    return f"SIGN(ISNUMBER(FIND({full},{s}))+ISNUMBER(FIND({shi},{s}))+(LEFT({s},LEN({stem}))={stem}))"


def _cities_found(s: str) -> str:
    return f"SUMPRODUCT({_named(s, CITIES, CITY_SHI, CITY_STEMS)})"


def _stem_found(k: str) -> str:
    """Excel: a county typed without its ending (rules.kinds.model_bounds._county_stem); `k` the folded text."""
    ends = ",".join(f'RIGHT({k})="{e}"' for e in COUNTY_ENDINGS)
    return (f"ISNUMBER(MATCH(IF(AND(LEN({k})>2,OR({ends})),LEFT({k},LEN({k})-1),{k}),{STEMS},0))")


#: a typed place's stages, one defined name each (a whole test in one formula would pass Excel's 8192
#: characters); names, not cells, so that a reference relative to a row (a list form's column) reads the
#: row the name is used in
_PLACE_STAGES = ("cities", "unit", "folded", "accepted")


def place_accepted(ref: str, role: str, lists: ListSheet, known: dict[tuple[str, str], str]) -> str:
    """Excel: a defined name, true when the place typed in `ref` is one locate reads (city: role CITY; else
    the county); `known` caches it per (ref, role)."""
    from .sizes import fold_formula
    if (ref, role) in known:
        return known[(ref, role)]
    _place_tables(lists)
    at = {stage: f"xl_place{len(known) + 1}_{stage}" for stage in _PLACE_STAGES}
    s = _spaceless(ref)
    n = at["cities"]
    here = _named(s, f"{UNITS}_city", f"{UNITS}_shi", f"{UNITS}_stem")
    formulas = {
        "cities": _cities_found(s),
        "unit": (f"SUMPRODUCT(ISNUMBER(FIND({UNITS},{s}))*(({n}<>1)*({UNITS}_all=1)"
                 f"+({n}=1)*{here}*({UNITS}_here=1)))>0"),
        "folded": fold_formula(ref),
        "accepted": (f"OR({n}=1,{at['unit']})" if role == CITY else f"OR({at['unit']},{_stem_found(at['folded'])})"),
    }
    for stage in _PLACE_STAGES:
        lists.workbook.define_name(at[stage], "=" + formulas[stage])
    known[(ref, role)] = at["accepted"]
    return at["accepted"]


def accepted_beyond_list(role: str | None, lists: ListSheet, *, ref: str | None = None,
                         sizes: dict[str, str] | None = None, known: dict[tuple[str, str], str] | None = None,
                         ) -> str | None:
    """Excel: what validate accepts for a field of this role besides its list — a boolean for one cell
    (`ref`; `known` caches the place tests), or a 1/0 array over a list form's rows (`sizes`: that form's
    size-sheet columns); None when only the list is accepted."""
    if role in (CITY, COUNTY) and ref is not None and known is not None:
        return place_accepted(ref, role, lists, known)
    if sizes is not None and role == INDUSTRY:
        return f"(({sizes['name']}<>0)+({sizes['found']}>0)>0)"     # the standard's names, or words (餐饮服务)
    if sizes is not None and role == SIZE_CLASS:
        return f'({sizes["declared"]}<>"")'
    return None
