"""A figure typed as a bound or an estimate ("约300", "30户以上", "≥18", "300余", "近百", "2千多", "20-30",
"20至30户", "1.2-1.5") read in the sheet as read.estimates reads it: the range the value lies in.

validate reads such a text as a range and judges it (rules.ranges, rules.kinds.thresholds): met for the whole
range -> nothing, broken for the whole range -> the rule's severity (a warning when only an estimate's margin
proves it), otherwise a warning. The sheet must say the same, so the number read of each cell
(templates.numbers) carries, beside its value, the range's ends computed here:
- `est` 1 where the text is such a range (the value read is then RANGE, not UNREADABLE: validate reads it);
- `lo`, `hi` the ends ("" where unbounded), `lo_open`, `hi_open` 1 where an end is excluded, `about` 1 where
  the ends are an estimate's margin (data/estimates.yaml about_margin), not the clerk's words.

The words come from data/estimates.yaml (read.estimates.word_lists), as named lists on the lists sheet, never a
second list here. The steps follow read.estimates.parse_estimate: two figures joined by a between word; else a
word before the figure (the longest), one after it (the longest), the figure (digits, a magnitude 十/百/千/万, a
word past it 余/多/几, the field's unit) and what the words make of it. Only functions of the allow-list
(tests/templates/test_template_formulas.py); a position is found with SUMPRODUCT(MAX(…)) over the constant
array of a text's positions (a text longer than 40 characters is no estimate for validate either).
"""

from __future__ import annotations

from typing import Any, Callable

from ..read.estimates import ABOUT, AT_LEAST, AT_MOST, LESS_THAN, MORE_THAN, NEARLY, about_margin, word_lists
from .lists import ListSheet

#: the value read of a cell typed as a range (templates.numbers): no number, no UNREADABLE
RANGE = "范围"
#: the range's outputs, in this order right after the value read (templates.numbers keeps them beside it)
OUTPUTS = ("est", "lo", "hi", "lo_open", "hi_open", "about")
#: the steps, each a cell of its own (a list column's rows: a name each row evaluates, as templates.numbers)
STEPS = ("e_lb", "e_kb", "e_la", "e_ka", "e_core", "e_d1", "e_nl", "e_rest", "e_num", "e_place", "e_pa", "e_fa",
         "e_ml", "e_mg", "e_pb", "e_fb", "e_val", "e_plc", "e_past", "e_said", "e_word_ok", "e_n1", "e_jp", "e_jl",
         "e_n2", "e_bf", "e_b_ok")
STAGES = OUTPUTS + STEPS
MAX_LEN = 40
#: what each stage holds on a blank cell (measured: LibreOffice recalculating a blank template; no digit is found
#: at the first place, no place past the last character, the values "")
BLANK: dict[str, object] = {s: 0 for s in STAGES}
BLANK.update({"lo": "", "hi": "", "e_core": "", "e_rest": "", "e_num": 1, "e_place": 1, "e_jp": MAX_LEN + 1})
BLANK.update(dict.fromkeys(("e_fa", "e_fb", "e_val", "e_plc", "e_bf"), ""))
_K = "{" + ",".join(str(i) for i in range(1, MAX_LEN + 2)) + "}"
_DIGIT_CHARS = '"0123456789"'
#: the kinds' codes in the sheet's word tables
KIND_CODES = {AT_LEAST: 1, MORE_THAN: 2, AT_MOST: 3, LESS_THAN: 4, ABOUT: 5, NEARLY: 6}

_NAMES = {"before": "xl_est_before", "before_kind": "xl_est_before_kind", "after": "xl_est_after",
          "after_kind": "xl_est_after_kind", "past": "xl_est_past", "mag": "xl_est_mag", "mag_value": "xl_est_mag_value",
          "between": "xl_est_between"}


def estimate_words() -> tuple[str, ...]:
    """Every word of the data, for the text's folding (templates.numbers folds their full-width forms)."""
    w = word_lists()
    return (*(x for x, _ in w["before"]), *(x for x, _ in w["after"]), *w["past"], *w["magnitudes"], *w["between"])


def word_names(lists: ListSheet) -> dict[str, str]:
    """The data's words as named columns of the lists sheet (added once a workbook)."""
    if _NAMES["before"] not in lists.names:
        w = word_lists()
        lists.add(_NAMES["before"], "范围写法（数字前）", [x for x, _ in w["before"]])
        lists.add(_NAMES["before_kind"], "含义", [KIND_CODES[k] for _, k in w["before"]])
        lists.add(_NAMES["after"], "范围写法（数字后）", [x for x, _ in w["after"]])
        lists.add(_NAMES["after_kind"], "含义", [KIND_CODES[k] for _, k in w["after"]])
        lists.add(_NAMES["past"], "范围写法（余、多）", list(w["past"]))
        lists.add(_NAMES["mag"], "数量级", list(w["magnitudes"]))
        lists.add(_NAMES["mag_value"], "数量级的值", list(w["magnitudes"].values()))
        lists.add(_NAMES["between"], "范围写法（两数之间）", list(dict.fromkeys(w["between"])))
    return dict(_NAMES)


def _lead(s: str) -> str:
    """Excel: how many ASCII digits `s` begins with."""
    other = f'((ISERROR(FIND(MID({s},{_K},1),{_DIGIT_CHARS}))+(MID({s},{_K},1)=""))>0)'
    return f"({MAX_LEN}-SUMPRODUCT(MAX({other}*({MAX_LEN + 1}-{_K}))))"


def _number_length(s: str, *, leading_point: bool) -> str:
    """Excel: the length of the figure `s` begins with (digits, then a point and digits; `leading_point`: or a
    point and digits alone, ".5"), 0 where none."""
    d = _lead(s)
    frac = _lead(f"MID({s},{d}+2,99)")
    with_digits = f'{d}+IF(AND(MID({s},{d}+1,1)=".",{frac}>0),1+{frac},0)'
    if not leading_point:
        return f"IF({d}>0,{with_digits},0)"
    point = _lead(f"MID({s},2,99)")
    return f'IF({d}>0,{with_digits},IF(AND(LEFT({s},1)=".",{point}>0),1+{point},0))'


def _longest(s: str, words: str, *, front: bool) -> str:
    """Excel: the length of the longest of `words` (a named list) `s` begins (ends) with, shorter than `s`."""
    side = "LEFT" if front else "RIGHT"
    return f"SUMPRODUCT(MAX(({side}({s},LEN({words}))={words})*(LEN({s})>LEN({words}))*LEN({words})))"


def _kind(s: str, words: str, kinds: str, length: str, *, front: bool) -> str:
    side = "LEFT" if front else "RIGHT"
    return f"SUMPRODUCT(({side}({s},LEN({words}))={words})*(LEN({words})={length})*{kinds})"


def _place(core: str, d1: str, nl: str) -> str:
    """Excel: the value of one at the typed number's last non-zero digit (read.estimates._place): 300 -> 100,
    1250 -> 10, 2.5 -> 0.1; 1 for 0 and for no digits."""
    whole = f"LEFT({core},{d1})"
    frac = f'IF({nl}>{d1},MID({core},{d1}+2,{nl}-{d1}-1),"")'
    zeros = lambda s: f'SUMPRODUCT(--(RIGHT({s},{_K})=REPT("0",{_K})))'     # noqa: E731  trailing zeros
    significant = f"(LEN({frac})-{zeros(frac)})"
    return (f"IF({nl}=0,1,IF(--LEFT({core},{nl})=0,1,IF({significant}>0,10^(-{significant}),"
            f"10^{zeros(whole)})))")


def stage_formulas(t: str, c: dict[str, str], factor: Callable[[str], str], skip: str = "FALSE") -> dict[str, str]:
    """Each stage's formula over the folded text `t` (templates.numbers' text stage); `c` maps a stage to its cell
    (or name); `factor(unit)` is the Excel factor of a unit text in the field's unit, "" where the field takes no such
    unit; `skip`: true where the text is read as a number (no text is both: its range is then not worked out)."""
    n = _NAMES
    blank_gate = f'OR({t}="",LEN({t})>{MAX_LEN})'
    lb, la, core, d1, nl, rest = c["e_lb"], c["e_la"], c["e_core"], c["e_d1"], c["e_nl"], c["e_rest"]
    after_front = f"MID({t},{lb}+1,999)"
    # the figure: digits (or a magnitude alone), then (a) a word past it and the unit, or (b) a magnitude, a word
    # past it and the unit — read.estimates._figure tries them in this order
    past_a = f"SUMPRODUCT(MAX((LEFT({rest},LEN({n['past']}))={n['past']})*LEN({n['past']})))"
    rest_b = f"MID({rest},{c['e_ml']}+1,999)"
    past_b = f"SUMPRODUCT(MAX((LEFT({rest_b},LEN({n['past']}))={n['past']})*LEN({n['past']})))"
    unit_a = f"MID({rest},{c['e_pa']}+1,999)"
    unit_b = f"MID({rest_b},{c['e_pb']}+1,999)"
    a_ok = f'AND({nl}>0,ISNUMBER({c["e_fa"]}))'
    b_ok = f'AND({c["e_mg"]}>0,ISNUMBER({c["e_fb"]}))'
    kb, ka = c["e_kb"], c["e_ka"]
    bound = lambda k: f"AND({k}>=1,{k}<=4)"     # noqa: E731  a bound's kind (at least … less than)
    aboutish = f"OR({kb}>=5,{ka}>=5)"
    said = c["e_said"]
    # between: the first figure, the first between word (the longest there) followed by a digit, the second figure
    n1 = c["e_n1"]
    joins = n["between"]
    at = f"MID({t},{_K},LEN({joins}))={joins}"
    digit_after = f'ISNUMBER(FIND(MID({t},{_K}+LEN({joins}),1),{_DIGIT_CHARS}))*(MID({t},{_K}+LEN({joins}),1)<>"")'
    joined = f"({at})*({_K}>{n1})*{digit_after}"
    jp, jl = c["e_jp"], c["e_jl"]
    second = f"MID({t},{jp}+{jl},99)"
    n2 = c["e_n2"]
    unit_low = f"MID({t},{n1}+1,{jp}-{n1}-1)"
    unit_high = f"MID({second},{n2}+1,99)"
    low_b = f"--LEFT({t},{n1})*{c['e_bf']}"
    high_b = f"--LEFT({second},{n2})*{c['e_bf']}"
    b_range = c["e_b_ok"]
    v, margin = c["e_val"], f"{c['e_val']}*{about_margin():G}"
    word_about = f"AND({c['e_word_ok']},{aboutish})"
    at_least = f"AND({c['e_word_ok']},NOT({aboutish}),OR({said}=1,{said}=2))"
    at_most = f"AND({c['e_word_ok']},NOT({aboutish}),OR({said}=3,{said}=4))"
    return {
        "est": f"IF(OR({blank_gate},{skip}),0,IF(OR({b_range},{c['e_word_ok']}),1,0))",
        "lo": (f'IF({c["est"]}=0,"",IF({b_range},{low_b},IF({word_about},{v}-{margin},'
               f'IF({at_most},"",{v}))))'),
        "hi": (f'IF({c["est"]}=0,"",IF({b_range},{high_b},IF({word_about},IF(OR({kb}=6,{ka}=6),{v},{v}+{margin}),'
               f'IF({at_least},"",IF({at_most},{v},{v}+{c["e_plc"]})))))'),
        "lo_open": (f"IF({c['est']}=0,0,IF(OR({b_range},{word_about},{at_most}),0,"
                    f"IF(OR({said}=2,{c['e_past']}),1,0)))"),
        "hi_open": (f"IF({c['est']}=0,0,IF(OR({b_range},{word_about},{at_least}),0,"
                    f"IF({at_most},IF({said}=4,1,0),1)))"),
        "about": f"IF({c['est']}=0,0,IF(AND(NOT({b_range}),{word_about}),1,0))",
        "e_lb": f"IF({blank_gate},0,{_longest(t, n['before'], front=True)})",
        "e_kb": f"IF({lb}=0,0,{_kind(t, n['before'], n['before_kind'], lb, front=True)})",
        "e_la": f"IF({blank_gate},0,{_longest(after_front, n['after'], front=False)})",
        "e_ka": f"IF({la}=0,0,{_kind(after_front, n['after'], n['after_kind'], la, front=False)})",
        "e_core": f'IF({blank_gate},"",MID({t},{lb}+1,LEN({t})-{lb}-{la}))',
        "e_d1": f'IF({core}="",0,{_lead(core)})',
        "e_nl": f'IF({core}="",0,{_number_length(core, leading_point=True)})',
        "e_rest": f"MID({core},{nl}+1,999)",
        "e_num": f"IF({nl}>0,--LEFT({core},{nl}),1)",
        "e_place": _place(core, d1, nl),
        "e_pa": f"IF({nl}=0,0,{past_a})",
        "e_fa": f'IF({nl}=0,"",{factor(unit_a)})',
        "e_ml": f"SUMPRODUCT((LEFT({rest},LEN({n['mag']}))={n['mag']})*LEN({n['mag']}))",
        "e_mg": f"SUMPRODUCT((LEFT({rest},LEN({n['mag']}))={n['mag']})*{n['mag_value']})",
        "e_pb": f"IF({c['e_mg']}=0,0,{past_b})",
        "e_fb": f'IF({c["e_mg"]}=0,"",{factor(unit_b)})',
        "e_val": f'IF({a_ok},{c["e_num"]}*{c["e_fa"]},IF({b_ok},{c["e_num"]}*{c["e_mg"]}*{c["e_fb"]},""))',
        "e_plc": f'IF({a_ok},{c["e_place"]}*{c["e_fa"]},IF({b_ok},{c["e_place"]}*{c["e_mg"]}*{c["e_fb"]},""))',
        "e_past": f"IF({a_ok},{c['e_pa']}>0,IF({b_ok},{c['e_pb']}>0,FALSE))",
        "e_said": f"IF({bound(kb)},{kb},IF({bound(ka)},{ka},0))",
        # what the words make of the figure (read.estimates._range): two bounds of different kinds, a bound beside
        # 约, or 余 with an upper bound contradict each other
        "e_word_ok": (f'AND(ISNUMBER({v}),OR({kb}>0,{ka}>0,{c["e_past"]}),'
                      f"NOT(AND({bound(kb)},{bound(ka)},{kb}<>{ka})),NOT(AND({aboutish},{said}>0)),"
                      f"NOT(AND(NOT({aboutish}),OR({said}=3,{said}=4),{c['e_past']})))"),
        "e_n1": f"IF({blank_gate},0,{_number_length(t, leading_point=False)})",
        "e_jp": f"IF({n1}=0,{MAX_LEN + 1},{MAX_LEN + 1}-SUMPRODUCT(MAX({joined}*({MAX_LEN + 1}-{_K}))))",
        "e_jl": f"IF({jp}>{MAX_LEN},0,SUMPRODUCT(MAX({joined}*({_K}={jp})*LEN({joins}))))",
        "e_n2": f"IF({jp}>{MAX_LEN},0,{_number_length(second, leading_point=False)})",
        "e_bf": (f'IF(OR({jp}>{MAX_LEN},{n2}=0),"",IF({unit_low}="",{factor(unit_high)},'
                 f'IF({factor(unit_low)}={factor(unit_high)},{factor(unit_high)},"")))'),
        "e_b_ok": f"IF(ISNUMBER({c['e_bf']}),{low_b}<={high_b},FALSE)",
    }


def exact_range(x: str) -> dict[str, str]:
    """A figure (a cell or formula) as the one-value range a typed range is compared with (read.estimates.exact)."""
    return {"lo": x, "hi": x, "lo_open": "0", "hi_open": "0", "about": "0"}


def range_agrees(a: dict[str, str], b: dict[str, str], tol: Any) -> str:
    """Excel: some value of range `a` (the stated figure: stated_range's outputs, or exact_range) and some value of
    range `b` are one figure within `tol`, as rules.ranges.agree judges them: the ranges overlap, or the gap between
    their nearer ends is within the tolerance (relative to `a`'s end); touching at an end one of them excludes, any
    tolerance but none."""
    from ..rules.columns import within_formula
    touching = "TRUE" if tol is not None and tol != 0 else "FALSE"

    def before(x: dict[str, str], y: dict[str, str]) -> str:       # x lies wholly below y
        return (f"AND(ISNUMBER({x['hi']}),ISNUMBER({y['lo']}),OR({x['hi']}<{y['lo']},"
                f"AND({x['hi']}={y['lo']},OR({x['hi_open']}=1,{y['lo_open']}=1))))")
    return (f"IF({before(a, b)},IF({a['hi']}={b['lo']},{touching},{within_formula(a['hi'], b['lo'], tol)}),"
            f"IF({before(b, a)},IF({a['lo']}={b['hi']},{touching},{within_formula(a['lo'], b['hi'], tol)}),TRUE))")


def range_verdicts(kind: str, r: dict[str, str], threshold: str) -> tuple[str, str]:
    """Excel (met, broken): what a range `r` (stated_range) proves against `threshold` under a `min` or `max` rule,
    as rules.kinds.thresholds' Bound.estimate_verdict: a minimum is met when even the low end meets it, broken when
    even the high end is short (or equals it, excluded); a maximum the reverse."""
    lo, hi, lo_open, hi_open = r["lo"], r["hi"], r["lo_open"], r["hi_open"]
    if kind == "min":
        return (f"AND(ISNUMBER({lo}),{lo}>={threshold})",
                f"AND(ISNUMBER({hi}),OR({hi}<{threshold},AND({hi_open}=1,{hi}<={threshold})))")
    return (f"AND(ISNUMBER({hi}),{hi}<={threshold})",
            f"AND(ISNUMBER({lo}),OR({lo}>{threshold},AND({lo_open}=1,{lo}>={threshold})))")


def by_margin(rule: Any, about: str, *, doubt: bool) -> str:
    """Excel: whether a broken range counts at the rule's severity (`doubt`: as its milder 请核实) given `about`, true
    where only an estimate's margin proves it: validate then warns (rules.ranges.by_margin) — the rule's own
    severity when that is a warning already, so nothing is milder."""
    if rule.severity == "warning":
        return "FALSE" if doubt else "TRUE"
    return about if doubt else f"NOT({about})"
