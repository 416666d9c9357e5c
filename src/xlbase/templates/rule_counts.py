"""The default pack's rules judged inside the applicant's workbook, as `xlbase validate` judges them.

For every rule a single workbook can decide, `count_formula` gives an Excel formula counting the
problems validate would report for it at the rule's severity (the notes it adds beside them, such as
基地类型 unknown, are not counted), built
from the rule's kind, fields, thresholds and tolerances as the pack states them. The 表内检查 sheet
shows these counts (template_check_sheet). Rules whose kind needs more than one workbook (a base's
material spread over several files) or that the sheet does not compute get None: the 填表说明 names
them as checked when the city merges.

Only functions Excel 2010, WPS and LibreOffice evaluate alike (tests/templates/test_template_formulas.py):
SUMPRODUCT over whole columns instead of array formulas, no IF/IFERROR inside array arguments.
"""

from __future__ import annotations

from typing import Callable

from ..rules.rule import Rule
from . import count_answers, count_choices, count_codes, count_fields, count_shares, count_thresholds, count_totals
from .places import Places

#: kinds decided by the files a base sends, not by one workbook
MERGE_ONLY_KINDS = frozenset({"forms-present"})

#: kind -> its count builder (each module of one kind of check gives its own)
KIND_COUNTS: dict[str, Callable[[Rule, Places], str | None]] = {
    **count_fields.COUNTS, **count_choices.COUNTS, **count_thresholds.COUNTS, **count_answers.COUNTS,
    **count_totals.COUNTS, **count_codes.COUNTS, **count_shares.COUNTS}

#: kinds whose rule, at the rule's severity, also reports a milder problem the sheet can count: the
#: verdict 请核实 where validate warns (the 表内检查 result column)
KIND_DOUBTS: dict[str, Callable[[Rule, Places], str | None]] = {
    **count_totals.DOUBTS, **count_shares.DOUBTS, **count_choices.DOUBTS, **count_answers.DOUBTS, **count_thresholds.DOUBTS}


def count_formula(rule: Rule, places: Places) -> str | None:
    """Excel formula (no "=") counting `rule`'s problems in the workbook, or None when the sheet does
    not judge it (its kind needs several files, or the workbook lacks its forms)."""
    if rule.kind in MERGE_ONLY_KINDS or rule.kind not in KIND_COUNTS:
        return None
    if places.rows is not None:
        return places.rows.count(rule)
    return KIND_COUNTS[rule.kind](rule, places)


def doubt_formula(rule: Rule, places: Places) -> str | None:
    """Excel formula (no "=") counting the warnings `rule` gives below its own severity, or None."""
    how = KIND_DOUBTS.get(rule.kind)
    if not how or rule.kind in MERGE_ONLY_KINDS:
        return None
    return places.rows.doubt(rule) if places.rows is not None else how(rule, places)
