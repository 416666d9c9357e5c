"""In-sheet counts of the rules comparing figures: a list's rows or sum against a stated figure, two
forms' figures, parts against their total, one figure against another, a stated percentage, a 合计 row
(templates.rule_counts).
"""

from __future__ import annotations

from xlsxwriter.utility import xl_rowcol_to_cell

from ..forms import get_form
from ..rules.kinds.forms import fact_pairs
from ..rules.rule import Rule
from .estimates import RANGE, by_margin, exact_range, range_agrees
from .places import Places, chain_range, rule_row


def _within(stated: str, other: str, tol) -> str:
    from ..rules.columns import within_formula
    return within_formula(stated, other, tol)


def column_total(places: Places, col: str) -> tuple[str, dict[str, str]] | None:
    """Excel (whether any row of the read column `col` is typed as a range, the rows' total as a range): the figures
    plus each range's low end (none: 0), up to the figures plus each high end (none: unbounded), an estimate where
    one is (rules.ranges.Total); None where the column's reads carry no ranges."""
    cr = places.range_of(col)
    if cr is None:      # a long list's column: its ranges in slots (templates.numbers.NumberSheet.column)
        cr = places.slots_of(col)
        if cr is None:
            return None
        typed = f"({cr['est']}=1)"
    else:
        typed = f'({col}="{RANGE}")'
    return (f"(SUMPRODUCT({typed}*1)>0)",
            {"lo": f"(SUM({col})+SUM({cr['lo']}))", "lo_open": "0", "hi_open": "0",
             "hi": f'IF(SUMPRODUCT({typed}*({cr["hi"]}=""))>0,"",SUM({col})+SUM({cr["hi"]}))',
             "about": f"IF(SUMPRODUCT({typed}*({cr['about']}=1))>0,1,0)"})


def _aggregate(rule: Rule, places: Places, doubt: bool = False) -> str | None:
    """counts-match / sum-matches: 附件3's rows (or a column's sum) against the figure the first target form
    states (附件10), else the fallback form's (附件2), within the rule's tolerance; nothing without rows,
    except a count where places.count_empty_lists. A stated figure or a summed row typed as a bound or an estimate
    ("约30", "20户以上") is judged as validate judges it (rules.ranges.agree): consistent for some value — nothing;
    for none — the rule's problem, a warning when only 约's margin proves it (`doubt`: counts those)."""
    from ..rules.kinds import kind_of
    how = kind_of(rule).sheet_check      # "count" | "sum" (rules.live)
    target = rule.args.target
    key = target.field
    if not key or rule.form not in places.tables:
        return None
    rows = f"SUMPRODUCT(1*{places.used(rule.form)})"
    refs = [r for r in (places.read(f, key) or places.at_row(f, key, target.row)
                        for f in (*target.forms, rule.fallback) if f) if r]
    if not refs:
        return None
    ranged_rows = None
    if how == "count":
        have, missing = rows, None
    else:
        col = places.read_column(rule.form, rule.field)
        if not col:
            return None
        have, missing = f"SUM({col})", f"COUNT({col})=0"     # no figure at all: validate finds the sum missing
        ranged_rows = column_total(places, col)
    some, total = ranged_rows if ranged_rows else (None, exact_range(have))

    def verdict(stated: dict[str, str]) -> str:
        """1 where no value of `stated` agrees with the rows' total: the rule's severity (`doubt`: by 约 alone)."""
        broken = f"NOT({range_agrees(stated, total, rule.tolerance)})"
        about = f"OR({stated['about']}=1,{total['about']}=1)"
        return f"IF(AND({broken},{by_margin(rule, about, doubt=doubt)}),1,0)"

    def judged(ref: str) -> str:
        differs = f"IF({_within(ref, have, rule.tolerance)},0,1)"
        plain = "0" if doubt else (f"IF({missing},1,{differs})" if missing else differs)
        return f"IF({some},{verdict(exact_range(ref))},{plain})" if some else plain

    out = "0"
    for ref in reversed(refs):
        out = f"IF(ISNUMBER({ref}),{judged(ref)},{out})"
    r = chain_range(places, [(f, key) for f in (*target.forms, rule.fallback) if f], target.row)
    if r is not None:
        out = f"IF({r['in']},{verdict(r)},{out})"
    elif doubt and some is None:
        return None
    return out if how == "count" and places.count_empty_lists else f"IF({rows}=0,0,{out})"


def _aggregate_doubt(rule: Rule, places: Places) -> str | None:
    """Where the stated figure is typed as an estimate ("约30") whose margin alone keeps it from the rows: validate's
    warning (rules.ranges.by_margin)."""
    return _aggregate(rule, places, doubt=True)


def _forms_agree(rule: Rule, places: Places, doubt: bool = False) -> str | None:
    a_form, b_form = rule.forms[:2]
    terms = []
    for key, b_key in fact_pairs(rule.fields):
        # as validate reads them: a record's cell, or a list's row the rule names (row: last)
        a = places.read(a_form, key) or places.at_row(a_form, key, rule_row(rule))
        b = places.read(b_form, b_key) or places.at_row(b_form, b_key, rule_row(rule))
        if not a or not b:
            continue
        f = get_form(a_form).field(key)
        if f.is_numeric:
            exact = f"IF(AND(ISNUMBER({a}),ISNUMBER({b})),IF({_within(a, b, rule.tolerance)},0,1),0)"
            # either typed as a bound or an estimate: consistent when some values of the two agree (rules.ranges)
            ra = chain_range(places, [(a_form, key)], rule_row(rule))
            rb = chain_range(places, [(b_form, b_key)], rule_row(rule))
            if ra is None and rb is None:
                terms.append("0" if doubt else exact)
                continue
            ea = ra if ra is not None else exact_range(a)
            eb = rb if rb is not None else exact_range(b)
            a_in = ra["in"] if ra is not None else "FALSE"
            b_in = rb["in"] if rb is not None else "FALSE"
            either = f"AND(OR(ISNUMBER({a}),{a_in}),OR(ISNUMBER({b}),{b_in}),OR({a_in},{b_in}))"
            about = f"OR({ea['about']}=1,{eb['about']}=1)"
            broken = f"NOT({range_agrees(ea, eb, rule.tolerance)})"
            terms.append(f"IF({either},IF(AND({broken},{by_margin(rule, about, doubt=doubt)}),1,0),"
                         f"{'0' if doubt else exact})")
        elif f.type == "date" and not doubt:
            terms.append(f"IF(AND(ISNUMBER({a}),ISNUMBER({b})),IF({a}={b},0,1),0)")
        # names, places and the type: 附件10 takes them from 附件2 by formula, so they cannot differ
    return "+".join(terms) if terms else "0"


def _sums_equal(rule: Rule, places: Places) -> str | None:
    *parts, total = rule.fields
    refs = [r for k in rule.fields if (r := places.read(rule.form, k))]
    if len(refs) < len(rule.fields):
        return None
    *prefs, tref = refs
    s = f"SUM({','.join(prefs)})"
    n = f"COUNT({','.join(prefs)})"
    return f"IF(AND({n}>0,ISNUMBER({tref})),IF({_within(tref, s, rule.tolerance)},0,1),0)"


def _comparison(rule: Rule, places: Places) -> str | None:
    """`a <= b` (or `a + b <= c`) in one record or row; on a list form, in every row (or the rule's `row`)."""
    from ..rules.kinds.within_record import pair
    terms = []
    for spec in rule.fields:
        left, op, right = pair(spec)
        bad = ">" if op == "<=" else "<"
        refs = [places.read(rule.form, k) or places.at_row(rule.form, k, rule_row(rule)) for k in [*left, right]]
        if all(refs):
            *parts, b = [r for r in refs if r]
            if len(parts) == 1:
                terms.append(f"IF(AND(ISNUMBER({parts[0]}),ISNUMBER({b})),IF({parts[0]}{bad}{b},1,0),0)")
            else:       # blank parts count as none of it; nothing to judge when every part is blank
                slack = "+1E-9" if op == "<=" else "-1E-9"
                terms.append(f"IF(AND(COUNT({','.join(parts)})>0,ISNUMBER({b})),"
                             f"IF(SUM({','.join(parts)}){bad}{b}{slack},1,0),0)")
            continue
        ca, cb = places.read_column(rule.form, left[0]), places.read_column(rule.form, right)
        if len(left) != 1 or not ca or not cb:
            return None
        terms.append(f"SUMPRODUCT(ISNUMBER({ca})*ISNUMBER({cb})*({ca}{bad}{cb}))")
    return "+".join(terms) if terms else None


def _share_stated(rule: Rule, places: Places) -> str | None:
    """share-stated: the stated percentage against part / whole × 100, within the rule's tolerance in points;
    not judged with a figure missing, a zero whole or a part above its whole (as validate)."""
    refs = [r for k in rule.fields if (r := places.read(rule.form, k) or places.at_row(rule.form, k, rule_row(rule)))]
    if len(refs) < len(rule.fields):
        return None
    part, whole, stated = refs
    return (f"IF(AND(ISNUMBER({part}),ISNUMBER({whole}),ISNUMBER({stated})),IF(AND({whole}<>0,{part}<={whole}),"
            f"IF({_within(f'100*{part}/{whole}', stated, rule.tolerance)},0,1),0),0)")


def _total_matches(rule: Rule, places: Places) -> str | None:
    """total-matches: each column's 合计 cell (typed over the template's SUM) against the rows' sum."""
    if rule.form not in places.tables:
        return None
    sheet, layout = places.tables[rule.form]
    if layout.total_row is None:
        return None
    terms = []
    for key in rule.fields:
        if key not in layout.cols:
            continue
        total = f"'{sheet}'!{xl_rowcol_to_cell(layout.total_row, layout.cols[key], True, True)}"
        terms.append(f"IF(ISNUMBER({total}),IF({_within(total, f'SUM({places.read_column(rule.form, key)})', rule.tolerance)},"
                     f"0,1),0)")
    return "+".join(terms) if terms else None


def _forms_agree_doubt(rule: Rule, places: Places) -> str | None:
    """Two forms' figures, one typed as an estimate whose margin alone keeps them apart: validate's warning."""
    out = _forms_agree(rule, places, doubt=True)
    return None if out is None or set(out.split("+")) == {"0"} else out


DOUBTS = {"counts-match": _aggregate_doubt, "sum-matches": _aggregate_doubt, "forms-agree": _forms_agree_doubt}

COUNTS = {"counts-match": _aggregate, "sum-matches": _aggregate, "forms-agree": _forms_agree,
          "sums-equal": _sums_equal, "comparison": _comparison, "share-stated": _share_stated,
          "total-matches": _total_matches}
