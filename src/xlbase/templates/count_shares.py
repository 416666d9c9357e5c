"""In-sheet counts of the small/micro share of a firm list (ratio): proven below its threshold, or
below it only with the undecided firms counted not small (请核实) (templates.rule_counts).
"""

from __future__ import annotations

from ..rules.rule import Rule
from .count_thresholds import doubt_of, threshold_formula
from .places import Places, size_columns_of


def _share_parts(rule: Rule, places: Places, strictest: bool = False) -> tuple[str, str, str, str] | None:
    """Excel: (firms, firms proven not small/micro, firms proven small/micro, threshold) of the list (`strictest`:
    the strictest type's threshold where the sheet cannot read the 基地类型, count_thresholds.threshold_formula)."""
    from .sizes import NOT_SMALL, SMALL
    if rule.form not in places.tables:
        return None
    verdict = size_columns_of(places, rule.form, rule)["value"]
    used = places.used(rule.form)
    n = f"SUMPRODUCT(1*{used})"
    said = f'({verdict}&"")'         # "" (undecided) equals neither verdict, in every office suite
    return (n, f'SUMPRODUCT({used}*({said}="{NOT_SMALL}"))', f'SUMPRODUCT({used}*({said}="{SMALL}"))',
            threshold_formula(rule, places, strictest=strictest))


def _share(rule: Rule, places: Places, *, strictest: bool = False) -> str | None:
    """The small/micro share below the threshold even with every undecided firm counted small: validate's
    error (rules.kinds.small_micro)."""
    if not (parts := _share_parts(rule, places, strictest)):
        return None
    n, no, _, th = parts
    return f"IF({n}=0,0,IF(ISNUMBER({th}),IF(({n}-{no})/{n}<{th},1,0),0))"


def _undecided(rule: Rule, places: Places, strictest: bool = False) -> str | None:
    """Below the threshold only with the undecided firms counted not small: validate's warning."""
    if not (parts := _share_parts(rule, places, strictest)):
        return None
    n, no, yes, th = parts
    return f"IF({n}=0,0,IF(ISNUMBER({th}),IF(AND(({n}-{no})/{n}>={th},{yes}/{n}<{th}),1,0),0))"


def _share_doubt(rule: Rule, places: Places) -> str | None:
    """validate's warning (`_undecided`); with a threshold per 基地类型 and a type the sheet cannot read, also a share
    that fails the strictest type's threshold, or is undecided under it, but not the loosest's (doubt_of): 请核实."""
    own = _undecided(rule, places)
    if not rule.per_type or own is None:
        return own
    return f"IF(OR({own}>0,{_undecided(rule, places, strictest=True)}>0,{doubt_of(_share, rule, places)}>0),1,0)"


COUNTS = {"ratio": _share}
DOUBTS = {"ratio": _share_doubt}
