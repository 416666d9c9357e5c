"""Validation: every rule of a pack over every table, each rule once, vectorised over stacked frames.

The kinds do the checking (rules/kinds/); here they are run in pack order over one shared Context
(each form stacked once, for every rule that reads it). Nothing stops at the first problem.
"""

from __future__ import annotations

from ..problems import Problem
from ..table import Table
from .context import Context
from .kinds import kind_of
from .rule import RulePack


def validate(tables: list[Table], pack: RulePack) -> list[Problem]:
    """Every problem every rule finds in `tables`; never stops at the first."""
    ctx = Context(list(tables), pack)
    problems: list[Problem] = []
    for rule in pack.rules:
        problems.extend(kind_of(rule)().check(ctx, rule))
    return problems
