"""In-sheet counts of the field rules: required official fields left blank, numbers outside a field's
bounds (templates.rule_counts).
"""

from __future__ import annotations

from ..forms import get_form
from ..rules.rule import Rule
from .places import Places, blank, number_text, rule_forms


def _required(rule: Rule, places: Places) -> str | None:
    """Blank required official fields: validate's errors of the rule. Blanks it doubts (our own columns, a
    blank that may be a 0 left out, the parts of a breakdown) are its warnings, not counted here."""
    terms = []
    for form_id in rule_forms(rule):
        form = get_form(form_id)
        for f in form.fields:
            if not f.required or f.merge_only or not f.official or f.blank_may_be_zero or f.part_of:
                continue
            ref = places.cell(form_id, f.key)
            if ref in places.computed:
                continue        # the reader takes a formula's empty result for an unsaved one: not blank
            if ref:
                terms.append(f"({blank(ref)})")
            elif (col := places.column(form_id, f.key)):
                terms.append(f"SUMPRODUCT({places.used(form_id)}*({blank(col)}))")
    return "+".join(terms) if terms else None


def _range(rule: Rule, places: Places) -> str | None:
    terms = []
    for form_id in rule_forms(rule):
        for f in get_form(form_id).fields:
            if not f.is_numeric or f.merge_only:
                continue
            for bound, op in ((f.min, "<"), (f.max, ">")):
                if bound is None:
                    continue
                if (ref := places.read(form_id, f.key)):
                    terms.append(f"AND(ISNUMBER({ref}),{ref}{op}{number_text(bound)})*1")
                elif (col := places.read_column(form_id, f.key)):
                    terms.append(f'COUNTIF({col},"{op}{number_text(bound)}")')
    return "+".join(terms) if terms else None


COUNTS = {"required": _required, "range": _range}
