"""In-sheet counts of the rules holding a value to a threshold (one, or one per 基地类型): minimums and
maximums, age, a share, a list's rows, comparables within a distance, the rent discount (templates.rule_counts).
"""

from __future__ import annotations

from typing import Callable

from ..forms import value_list
from ..forms.roles import OWN_RENT, SITE_DISTANCE, SITE_NAME, SITE_RENT
from ..rules.live import untyped_threshold
from ..rules.rule import Rule
from .checks import UNTYPED, sheet_key, spellings, threshold_range, type_threshold
from .estimates import RANGE, by_margin, exact_range, range_verdicts
from .places import Places, excel_date, number_text, reference_date, stated_range, stated_value


def per_type_table(places: Places, name: str, heading: str, value_for: Callable[[str | None], object]) -> str:
    """A (folded 基地类型 -> value) table with a row per accepted spelling and （未填） for a blank type."""
    if name not in places.lists.names:
        rows = {UNTYPED: value_for(None)}
        for spelling, canonical in spellings("base_type").items():
            rows.setdefault(sheet_key(spelling), value_for(canonical))
        places.lists.add_table(name, ("基地类型", heading), [(k, v) for k, v in rows.items() if v is not None])
    return name


def threshold_formula(rule: Rule, places: Places, *, strictest: bool = False) -> str:
    """Excel: the rule's threshold for the base's type, "" when the pack gives none for it. Under a 基地类型 the
    sheet cannot read (checks.type_unread: validate may read it as any type) the loosest of the types' thresholds —
    one a value fails only when it fails every type's: validate's error whatever type it reads — or, `strictest`,
    the strictest (a value failing only that one is 请核实: `doubt_of`). A blank type takes the （未填） row, as
    validate holds it: the pack's default, else the loosest (and, `strictest`, the strictest: validate's info says
    the type decides)."""
    if not rule.per_type:
        return number_text(rule.threshold)
    untyped = untyped_threshold(rule)     # a blank type: what validate holds it to
    table = per_type_table(places, f"xl_thr_{rule.id.replace('-', '_')}", rule.id,
                           lambda bt: rule.threshold_for(bt) if bt is not None else untyped)
    loosest, strict = threshold_range(rule)
    unread = places.type_unread()
    if strictest and rule.threshold_for(None) is None:
        # a blank type without the pack's default: validate judges it only below the loosest (its info asks for the
        # type above it), so the strict reading takes the strictest for it too
        unread = f'OR({unread},{places.type_key()}="{UNTYPED}")'
    return type_threshold(places.type_key(), table, '""', unread_if=unread, unread=strict if strictest else loosest)


def doubt_of(count: Callable[..., str | None], rule: Rule, places: Places) -> str | None:
    """Excel (1/0): where the sheet cannot read the 基地类型, the rule fails under the strictest type's threshold but
    not under the loosest's (`count` built both ways, its `strictest` argument): validate's verdict depends on the
    type it reads, so the sheet says 请核实 — never 通过. 0 wherever the type is read (both readings agree)."""
    loose, strict = count(rule, places), count(rule, places, strictest=True)
    return f"IF(AND({strict}>0,{loose}=0),1,0)" if loose and strict else None


def _min(rule: Rule, places: Places, *, strictest: bool = False) -> str | None:
    value = stated_value(rule, places, rule.field)
    if value is None:
        return None
    th = threshold_formula(rule, places, strictest=strictest)
    op = "<" if rule.kind == "min" else ">"
    exact = f"IF(AND(ISNUMBER({value}),ISNUMBER({th})),IF({value}{op}{th},1,0),0)"
    r = stated_range(rule, places, rule.field)
    if r is None:
        return exact
    # typed as a bound or an estimate: validate's error only where the clerk's own bound proves it broken
    _, broken = range_verdicts(rule.kind, r, th)
    proven = by_margin(rule, f"{r['about']}=1", doubt=False)
    return f"IF(AND({r['in']},ISNUMBER({th})),IF(AND({broken},{proven}),1,0),{exact})"


def _min_doubt(rule: Rule, places: Places) -> str | None:
    """请核实 where validate warns: a value typed as a bound or an estimate that cannot decide the threshold, or
    that only an estimate's margin proves broken (Bound.estimate_verdict); under a 基地类型 the sheet cannot read,
    a value failing the strictest type's threshold only (doubt_of) or a range meeting the loosest but not the
    strictest (validate's info asks for the type)."""
    terms = [doubt_of(_min, rule, places)] if rule.per_type else []
    r = stated_range(rule, places, rule.field)
    if r is not None:
        th = threshold_formula(rule, places)
        met, broken = range_verdicts(rule.kind, r, th)
        about = f"{r['about']}=1"
        terms.append(f"IF(AND({r['in']},ISNUMBER({th})),IF(OR(AND({broken},{by_margin(rule, about, doubt=True)}),"
                     f"AND(NOT({broken}),NOT({met}))),1,0),0)")
        if rule.per_type:
            strict = threshold_formula(rule, places, strictest=True)
            strict_met, _ = range_verdicts(rule.kind, r, strict)
            terms.append(f"IF(AND({r['in']},ISNUMBER({th}),ISNUMBER({strict})),IF(AND({met},NOT({strict_met})),1,0),0)")
    terms = [t for t in terms if t]
    return "+".join(f"({t})" for t in terms) if terms else None


def _age(rule: Rule, places: Places) -> str | None:
    value = stated_value(rule, places, rule.field)
    if value is None or rule.per_type:
        return None
    years = int(rule.threshold)
    as_of = excel_date(reference_date(places))
    d = value
    return (f"IF(ISNUMBER({d}),IF(DATE(YEAR({d})+{years},MONTH({d}),DAY({d}))>{as_of},1,0),0)")


#: Excel's stand-in for an unbounded end of a range (read.estimates.Estimate.lowest / highest: ±inf)
_FAR = "1E+300"


def _share_ranges(rule: Rule, places: Places) -> tuple[str, str, str, str] | None:
    """Excel (judged, broken, undecided, about) of share-min where its part or whole is typed as a bound or an
    estimate ("约3000", "20-30家"), as rules.ranges.share_verdict judges part / whole over every value of the two
    ranges (a plain figure: its one value; an unbounded end: ±1E300 for validate's ±inf): `judged` where both hold a
    figure or a range and one a range; None where neither read can hold a range."""
    part, whole = (stated_value(rule, places, k) for k in rule.fields[:2])
    rp, rw = (stated_range(rule, places, k) for k in rule.fields[:2])
    if part is None or whole is None or (rp is None and rw is None):
        return None
    p_in, w_in = (r["in"] if r is not None else "FALSE" for r in (rp, rw))

    def side(r: dict[str, str] | None, value: str, typed: str) -> dict[str, str]:
        """The range a side says: its range's outputs where it is typed as one, else its figure's one value."""
        plain = exact_range(value)
        return plain if r is None else {k: f"IF({typed},{r[k]},{plain[k]})" for k in plain}
    ep, ew = side(rp, part, p_in), side(rw, whole, w_in)
    judged = f"AND(OR(ISNUMBER({part}),{p_in}),OR(ISNUMBER({whole}),{w_in}),OR({p_in},{w_in}))"

    def end(r: dict[str, str], key: str, sign: str) -> str:
        return f"IF(ISNUMBER({r[key]}),{r[key]},{sign}{_FAR})"
    pl, wl, wh = end(ep, "lo", "-"), end(ew, "lo", "-"), end(ew, "hi", "")
    th = f"({number_text(rule.threshold)}-1E-12)"
    # the whole may be 0 or less: nothing when it is never above 0; else undecided unless part.lowest / whole.highest
    # meets the threshold (-inf / inf: no number, met for validate)
    nan = f"AND(NOT(ISNUMBER({ep['lo']})),NOT(ISNUMBER({ew['hi']})))"
    low_share = f"IF(ISNUMBER({ew['hi']}),{pl}/{ew['hi']},IF(ISNUMBER({ep['lo']}),0,-{_FAR}))"
    # IF, not AND, around a division: AND evaluates every argument (a 0 whole: #DIV/0!)
    zero_undecided = f"IF({wh}>0,IF({nan},FALSE,{low_share}<{th}),FALSE)"
    least = f"IF(ISNUMBER({ew['hi']}),{pl}/{ew['hi']},0)"
    most = f"IF(ISNUMBER({ep['hi']}),{ep['hi']}/{wl},{_FAR})"
    broken = f"IF({wl}>0,AND({least}<{th},{most}<{th}),FALSE)"
    undecided = f"IF({wl}<=0,{zero_undecided},AND({least}<{th},{most}>={th}))"
    return judged, broken, undecided, f"OR({ep['about']}=1,{ew['about']}=1)"


def _share_min(rule: Rule, places: Places) -> str | None:
    """share-min: the part's share of its whole below the threshold (a blank or 0 whole judges nothing); a part or
    whole typed as a range: below for every value of the ranges, proven by the clerk's own words (_share_ranges)."""
    part, whole = (stated_value(rule, places, k) for k in rule.fields[:2])
    if part is None or whole is None:
        return None
    exact = (f"IF(AND(ISNUMBER({part}),ISNUMBER({whole})),IF({whole}=0,0,IF({part}/{whole}<{number_text(rule.threshold)}-1E-12,"
             f"1,0)),0)")
    ranged = _share_ranges(rule, places)
    if ranged is None:
        return exact
    judged, broken, _, about = ranged
    return f"IF({judged},IF(AND({broken},{by_margin(rule, about, doubt=False)}),1,0),{exact})"


def _share_min_doubt(rule: Rule, places: Places) -> str | None:
    """请核实 where validate warns on a share typed as a range: undecided over the ranges, or below only by an
    estimate's margin (rules.kinds.thresholds.ShareAtLeast._ranged)."""
    ranged = _share_ranges(rule, places)
    if ranged is None:
        return None
    judged, broken, undecided, about = ranged
    return f"IF({judged},IF(OR(AND({broken},{by_margin(rule, about, doubt=True)}),{undecided}),1,0),0)"


def _rows_min(rule: Rule, places: Places) -> str | None:
    """rows-min: fewer rows typed in the list than the threshold (the template always holds the list)."""
    if rule.form not in places.tables:
        return None
    return f"IF(SUMPRODUCT(1*{places.used(rule.form)})<{number_text(rule.threshold)},1,0)"


def _rows_within(rule: Rule, places: Places) -> str | None:
    """rows-within: more rows typed in the list than the figure the application states (a number there)."""
    target = rule.args.target
    refs = [r for r in (places.read(f, target.field) or places.at_row(f, target.field, target.row)
                        for f in target.forms) if r]
    if rule.form not in places.tables or not refs:
        return None
    return f"IF(ISNUMBER({refs[0]}),IF(SUMPRODUCT(1*{places.used(rule.form)})>{refs[0]},1,0),0)"


def _comparables(rule: Rule, places: Places, *, strictest: bool = False) -> str | None:
    name = places.column(rule.form, SITE_NAME)
    rent, dist = (places.read_column(rule.form, k) for k in (SITE_RENT, SITE_DISTANCE))
    base_rent = places.read(rule.form, OWN_RENT)
    if not (name and rent and dist and base_rent):
        return None
    th = threshold_formula(rule, places, strictest=strictest)
    km_rule = rule.params.get("max_km") or {}
    km_table = per_type_table(places, f"xl_km_{rule.id.replace('-', '_')}", "max_km",
                              lambda bt: _per_type_value(km_rule, bt))
    # a type the sheet cannot read: the farthest any type allows (none where one has no limit), or the nearest
    kms = [_per_type_value(km_rule, bt) for bt in value_list("base_type")]
    limits = [float(k) for k in kms if k is not None]
    unread = (min(limits) if limits else None) if strictest else (max(limits) if len(limits) == len(kms) else None)
    km = type_threshold(places.type_key(), km_table, '""', unread_if=places.type_unread(), unread=unread)
    # a rent typed as a range ("1.2-1.5元/㎡/天", "约1.3元") prices the site, as validate counts it
    priced = f'SUMPRODUCT((TRIM({name})<>"")*((ISNUMBER({rent})+({rent}="{RANGE}"))>0)'
    # a site whose distance is not stated may be within it: too few is validate's error only without them; a distance
    # typed as a range may be within it unless even its low end is beyond (rules.kinds.rent: its high end judged)
    far = places.range_of(dist)
    maybe_far = (f'+({dist}="{RANGE}")*((({far["lo"]}="")+ISNUMBER({far["lo"]})*({far["lo"]}<={km}))>0)'
                 if far else "")
    could = f"(ISNUMBER({dist})*({dist}<={km}){maybe_far}+NOT(ISNUMBER({dist}))*({dist}<>\"{RANGE}\"))"
    have = f'IF(ISNUMBER({km}),{priced}*{could}),{priced}))'
    return f"IF(ISNUMBER({th}),IF({have}<{th},1,0),0)"


def _comparables_doubt(rule: Rule, places: Places) -> str | None:
    return doubt_of(_comparables, rule, places) if rule.per_type or (rule.params.get("max_km") or {}) else None


def _per_type_value(per_type, bt):
    from ..rules.rule import DEFAULT_KEY
    if not isinstance(per_type, dict):
        return per_type
    return per_type.get(bt) if bt in per_type else per_type.get(DEFAULT_KEY)


def _rent_discount(rule: Rule, places: Places) -> str | None:
    rent = places.read_column(rule.form, SITE_RENT)
    base_rent = places.read(rule.form, OWN_RENT)
    if not (rent and base_rent) or rule.per_type:
        return None
    used = f"SUMPRODUCT(1*{places.used(rule.form)})"
    mean = f"SUM({rent})/COUNT({rent})"
    exact = (f"IF(AND({used}>0,COUNT({rent})>0,ISNUMBER({base_rent})),"
             f"IF({base_rent}>{mean}*{number_text(rule.threshold)}+1E-9,1,0),0)")
    ranged = _rent_ranges(rule, places)
    return exact if ranged is None else f"IF({ranged[0]},0,{exact})"


def _rent_ranges(rule: Rule, places: Places) -> tuple[str, str] | None:
    """Excel (a quote or the base's rent is typed as a range, validate's warning then): rules.kinds.rent never
    proves the discount short over a range; it warns unless every value of the ranges keeps the rent within the
    limit — the highest rent against the lowest mean (an end left open: unbounded)."""
    rent = places.read_column(rule.form, SITE_RENT)
    base_rent = places.read(rule.form, OWN_RENT)
    quotes, own = places.range_of(rent), places.range_of(base_rent)
    if not (rent and base_rent and quotes and own):
        return None
    typed = f'({rent}="{RANGE}")'
    any_range = f'OR(SUMPRODUCT({typed}*1)>0,{base_rent}="{RANGE}")'
    n = f"(COUNT({rent})+SUMPRODUCT({typed}*1))"
    low_open = f'(SUMPRODUCT({typed}*({quotes["lo"]}=""))>0)'
    high_open = f'(SUMPRODUCT({typed}*({quotes["hi"]}=""))>0)'
    m_low = f"(SUM({rent})+SUM({quotes['lo']}))/{n}"
    m_high = f"(SUM({rent})+SUM({quotes['hi']}))/{n}"
    r_high = f'IF(ISNUMBER({base_rent}),{base_rent},{own["hi"]})'
    r_open = f'AND({base_rent}="{RANGE}",NOT(ISNUMBER({own["hi"]})))'
    stated = f'OR(ISNUMBER({base_rent}),{base_rent}="{RANGE}")'
    ratio = number_text(rule.threshold)
    said = (f"IF(AND({any_range},{n}>0,{stated}),IF(AND(OR({low_open},{r_open},{r_high}>{m_low}*{ratio}+1E-9),"
            f"OR({high_open},{m_high}>0)),1,0),0)")
    return any_range, said


def _rent_discount_doubt(rule: Rule, places: Places) -> str | None:
    ranged = _rent_ranges(rule, places) if not rule.per_type else None
    return ranged[1] if ranged else None


COUNTS = {"min": _min, "max": _min, "age-in-years": _age, "share-min": _share_min, "rows-min": _rows_min,
          "rows-within": _rows_within, "comparables": _comparables, "rent-discount": _rent_discount}
DOUBTS = {"min": _min_doubt, "max": _min_doubt, "share-min": _share_min_doubt, "comparables": _comparables_doubt,
          "rent-discount": _rent_discount_doubt}
