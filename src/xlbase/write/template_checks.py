"""Live checks that need no Python (they work in Excel, WPS and LibreOffice).

* Thresholds: a count below the default rule pack's minimum for the row's
  基地类型 turns red (conditional formatting with VLOOKUP into a table on the
  hidden lists sheet; the numbers come from `template_thresholds`). A rule with
  one threshold for every type applies with the type blank, as validate does.
* Cross-form totals: 附件3's firm count and employee sum shown beside the
  附件10 / 附件2 figures, judged as `xlbase validate` judges them: 附件10 against
  附件3 within the pack rule's tolerance (firm-count-match, employee-sum-match);
  附件2 against 附件10 (forms-agree) when 附件10 states the figure, else against
  附件3 (the rule's fallback). So a clerk's sheet and validate agree.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from xlsxwriter.worksheet import Worksheet

from ..forms import Form, value_list
from .template_lists import ListSheet
from .template_styles import Styles
from .template_thresholds import aggregate_rule, agreement_rule, threshold_for

#: field key -> rule id in the rule pack (the rules' own ids)
THRESHOLD_RULES = {
    "resident_firms": "resident-firms-min",
    "service_staff": "service-staff-min",
    "tutors": "tutors-min",
    "partner_orgs": "partners-min",
}
#: what 附件3 must add up to: (field key on 附件10/附件2, "count"|"sum", 附件3 column key)
AGGREGATES = (("resident_firms", "count", "firm_name"), ("employees", "sum", "employees"))

BAD = {"bg_color": "#FFC7CE", "font_color": "#9C0006"}
MISMATCH = {"bg_color": "#FFEB9C", "font_color": "#9C5700"}
CHECK_LABELS = ("核对项", "附件3", "结果")
SAME, DIFFERENT = "一致", "不一致"


def threshold_name(key: str) -> str:
    return f"xl_thr_{key}"


#: the 基地类型 key of each threshold table's row for a blank type: the pack's threshold without a type
#: (a rule with one threshold for every type applies; a per-type one without a default does not)
UNTYPED = "（未填）"


def add_threshold_tables(lists: ListSheet) -> dict[str, str]:
    """One (基地类型, minimum) table per rule that has any threshold; field key -> defined name."""
    out = {}
    for key, rule in THRESHOLD_RULES.items():
        rows = [(bt, threshold_for(rule, bt)) for bt in (*value_list("base_type"), None)]
        if all(v is None for _, v in rows):
            continue
        # a type without a threshold has no row: VLOOKUP fails to IFERROR's 0 (a blank cell could compare as text)
        out[key] = lists.add_table(threshold_name(key), ("基地类型", rule),
                                   [(bt or UNTYPED, v) for bt, v in rows if v is not None])
    return out


def mark_below_threshold(ws: Worksheet, styles: Styles, area: tuple[int, int, int, int],
                         value_cell: str, type_cell: str, table: str) -> None:
    """Red when the value (relative ref to the area's first cell) is below the type's minimum."""
    typed = f'IF({type_cell}="","{UNTYPED}",{type_cell})'
    ws.conditional_format(*area, {
        "type": "formula",
        "criteria": f'=AND(ISNUMBER({value_cell}),{value_cell}<IFERROR(VLOOKUP({typed},{table},2,FALSE),0))',
        "format": styles.cf(**BAD),
    })


def mark_mismatch(ws: Worksheet, styles: Styles, row: int, col: int, fails: str) -> None:
    """Yellow where `fails` (a condition from `mismatch_conditions`) holds: validate reports the figure."""
    ws.conditional_format(row, col, row, col, {
        "type": "formula",
        "criteria": f"={fails}",
        "format": styles.cf(**MISMATCH),
    })


def aggregate_formula(how: str, rng: str) -> str:
    return f"COUNTA({rng})" if how == "count" else f"SUM({rng})"


def _within(stated: str, other: str, tol: Any) -> str:
    """Excel: `stated` and `other` are one figure within a pack tolerance (as rules.columns.tolerance_ok:
    a number is absolute, {abs, rel} either, rel of the stated figure; none is equality)."""
    diff = f"ABS({stated}-{other})"
    if tol is None:
        return f"{diff}<1E-6"
    if not isinstance(tol, dict):
        return f"{diff}<={float(tol):G}+1E-9"
    parts = ([f"{diff}<={float(tol['abs']):G}+1E-9"] if "abs" in tol else []) + \
            ([f"{diff}<={float(tol['rel']):G}*ABS({stated})+1E-9"] if "rel" in tol else [])
    return f"OR({','.join(parts)})" if parts else "FALSE"


def _within_value(stated: Any, other: Any, tol: Any) -> bool:
    """`_within` on Python values, for the cached results a reader without recalculation sees."""
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (stated, other)):
        return True
    from ..rules.columns import tolerance_ok
    return bool(tolerance_ok(pd.Series([stated - other]), pd.Series([stated]), tol).iloc[0])


def mismatch_conditions(how: str, target: str, agg: str, a10: str | None, a2: str | None
                        ) -> dict[str, str]:
    """Excel conditions, true where `xlbase validate` with the default pack reports the `target` figure
    of 附件10 (cell `a10`) or 附件2 (cell `a2`) against 附件3's `agg`: {"附件10"/"附件2": condition}.
    Cells are sheet-qualified absolute references: one condition serves the check block and the marks."""
    rule, agree = aggregate_rule(how, target), agreement_rule(target)
    out = {}
    if rule is None:
        return out
    if a10:
        out["附件10"] = f"AND(ISNUMBER({a10}),NOT({_within(a10, agg, rule.tolerance)}))"
    if a2 and rule.fallback == "附件2":
        fallback = f"NOT({_within(a2, agg, rule.tolerance)})"
        judged = (f"IF(ISNUMBER({a10}),NOT({_within(a2, a10, agree.tolerance)}),{fallback})"
                  if a10 and agree is not None else fallback)
        out["附件2"] = f"AND(ISNUMBER({a2}),{judged})"
    return out


def mismatch_values(how: str, target: str, have: Any, a10: Any, a2: Any) -> dict[str, bool]:
    """`mismatch_conditions` on Python values (None: blank), for cached results."""
    rule, agree = aggregate_rule(how, target), agreement_rule(target)
    out = {}
    if rule is None:
        return out
    out["附件10"] = not _within_value(a10, have, rule.tolerance)
    if rule.fallback == "附件2":
        stated_a10 = isinstance(a10, (int, float)) and agree is not None
        out["附件2"] = not (_within_value(a2, a10, agree.tolerance) if stated_a10 else
                           _within_value(a2, have, rule.tolerance))
    return out


def write_check_block(ws: Worksheet, styles: Styles, *, top: int, col: int,
                      items: list[tuple[str, str, object, list[tuple[str, str, object, str, bool]]]]) -> None:
    """A small table: item | 附件3's figure | each other form's figure | 一致/不一致.

    `items`: (label, 附件3 formula, its cached value, [(form id, formula, cached value, condition under
    which validate reports that figure, its cached truth)…]).
    """
    others = [ref[0] for ref in items[0][3]] if items else []
    heads = [CHECK_LABELS[0], CHECK_LABELS[1], *others, CHECK_LABELS[2]]
    hfmt = styles.get(bold=True, border=1, align="center", bg_color="#D9D9D9", locked=True)
    for j, h in enumerate(heads):
        ws.write_string(top, col + j, h, hfmt)
    cell_fmt = styles.get(border=1, locked=True, align="center")
    for i, (label, formula, value, refs) in enumerate(items, start=1):
        r = top + i
        ws.write_string(r, col, label, styles.get(border=1, locked=True, text_wrap=True))
        ws.write_formula(r, col + 1, "=" + formula, cell_fmt, value)
        for j, (_, ref, ref_value, _, _) in enumerate(refs, start=2):
            ws.write_formula(r, col + j, f'=IF({ref}="","",{ref})', cell_fmt, "" if ref_value is None else ref_value)
        res_col = col + 2 + len(refs)
        fails = [cond for *_, cond, _ in refs] or ["FALSE"]
        ws.write_formula(r, res_col, f'=IF(OR({",".join(fails)}),"{DIFFERENT}","{SAME}")', cell_fmt,
                         DIFFERENT if any(bad for *_, bad in refs) else SAME)
        ws.conditional_format(r, res_col, r, res_col, {
            "type": "cell", "criteria": "==", "value": f'"{DIFFERENT}"', "format": styles.cf(**BAD)})
    ws.set_column(col, col, 16)
    ws.set_column(col + 1, col + 2 + len(others), 9)


def _a1(r: int, c: int) -> str:
    from xlsxwriter.utility import xl_rowcol_to_cell
    return xl_rowcol_to_cell(r, c)


def table_type_cell(form: Form) -> str | None:
    """The key of the form's 基地类型 column, if it has one."""
    return next((f.key for f in form.table_fields if f.identity == "base_type"), None)
