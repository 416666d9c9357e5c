"""The checks a template can make in the sheet itself (formulas that work in Excel, WPS and LibreOffice,
no Python), chosen from a pack by kind and field: a template never names a rule id.

A kind offers an in-sheet check by declaring `sheet_check` ("minimum", "count", "sum", "agree") and
giving the formula (`sheet_fails`, `sheet_aggregate`); here the pack's rules are picked by that
declaration and by the fields they read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..forms import get_form
from .kinds import kind_of
from .kinds.forms import fact_pairs
from .rule import Rule, RulePack


def minimum_rules(pack: RulePack) -> dict[str, Rule]:
    """field key -> the pack's first rule that sets a minimum for it (a kind with sheet_check "minimum")."""
    out: dict[str, Rule] = {}
    for rule in pack.rules:
        if kind_of(rule).sheet_check == "minimum" and rule.field:
            out.setdefault(rule.field, rule)
    return out


@dataclass(frozen=True)
class FirmTotal:
    """A stated figure (`target` on the rule's target forms, or on its fallback form) that a form's rows
    must add up to: their count, or the sum of `column`; `agreement` is the rule that compares the
    figure between the fallback form and a target form (forms-agree), if the pack has one."""

    rule: Rule
    how: str            # "count" | "sum"
    column: str         # the field counted (non-blank) or summed on the rows' form
    target: str
    agreement: Rule | None

    def aggregate(self, rng: str) -> str:
        """The Excel formula of the rows' count or sum over range `rng`."""
        return kind_of(self.rule).sheet_aggregate(rng)


def firm_totals(pack: RulePack) -> list[FirmTotal]:
    """Every rule of the pack whose kind totals a form's rows against a stated figure, in pack order."""
    out = []
    for rule in pack.rules:
        how = kind_of(rule).sheet_check
        if how not in ("count", "sum"):
            continue
        target = rule.args.target.field
        column = rule.field if how == "sum" else _row_name(rule.form)
        out.append(FirmTotal(rule, how, column, target, agreement_rule(pack, target)))
    return out


def agreement_rule(pack: RulePack, key: str) -> Rule | None:
    """The pack's rule that compares field `key` between two forms that both key it so (a kind with sheet_check
    "agree")."""
    return next((r for r in pack.rules if kind_of(r).sheet_check == "agree"
                 and (key, key) in fact_pairs(r.fields)), None)


def _row_name(form_id: str) -> str:
    """The column a row count counts: the form's first required column (the row's name: 企业名称)."""
    return next(f.key for f in get_form(form_id).table_fields if f.required)


def fails(rule: Rule, stated: str, other: str) -> str:
    """Excel: true where `rule` reports `stated` against `other` (cells or formulas)."""
    return kind_of(rule).sheet_fails(rule, stated, other)


def untyped_threshold(rule: Rule) -> Any:
    """The threshold validate holds a base of blank or unknown 基地类型 to (the sheet's （未填） row)."""
    return kind_of(rule).untyped_threshold(rule)
