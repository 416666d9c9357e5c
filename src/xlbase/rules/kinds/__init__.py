"""The rule kinds, one module per family; each kind declares itself (kinds.base.Kind).

    model_bounds   required, type, range, choice     bounds the form model holds
    thresholds     min, max, equals, age-in-years    one field against a pack threshold
    small_micro    ratio                             the small/micro share of a base's firms
    firm_totals    counts-match, sum-matches         a submission's firm rows against its stated figure
    within_record  sums-equal, comparison            values within one record or row
    firm_rows      checksum, unique, date-range      附件3's firm rows
    rent           comparables, rent-discount        附件4's rent quotes
    forms          forms-present, forms-agree        a submission's forms as a whole
    manual         attest                            a condition the files cannot decide (what decides it)

A new kind goes in the module of its family (or a new module imported here), as one `@register`ed class.
"""

# ruff: noqa: I001, F401 — imported in the order above: the order the docs and messages list the kinds in
from .base import COMMON_VARIABLES, KINDS, Kind, Outcomes, kind_of, officer_notes, param_specs
from . import model_bounds, thresholds, small_micro, firm_totals, within_record  # registers
from . import firm_rows, rent, forms, manual  # registers

NAMES = tuple(KINDS)

__all__ = ["KINDS", "NAMES", "Kind", "Outcomes", "COMMON_VARIABLES", "kind_of", "officer_notes", "param_specs"]
