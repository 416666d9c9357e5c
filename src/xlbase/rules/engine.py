"""Validation: every rule of a pack run through its kind, in pack order; nothing stops at the first problem.

The kinds do the checking (rules/kinds/); here they are run over Shanxi's forms stacked across every file
(`validate`: one shared Context, each form stacked once for every rule that reads it, vectorised) or over
each submission of a programme's own forms (`validate_submissions`).
"""

from __future__ import annotations

from ..problems import Problem
from ..table import Table
from .context import Context
from .kinds import KINDS, kind_of
from .rule import RulePack
from .submission import Submission, SubmissionContext


def validate(tables: list[Table], pack: RulePack) -> list[Problem]:
    """Every problem every rule finds in `tables`; never stops at the first."""
    ctx = Context(list(tables), pack)
    problems: list[Problem] = []
    for rule in pack.rules:
        problems.extend(kind_of(rule)().check(ctx, rule))
    return problems


def validate_submissions(tables: list[Table], pack: RulePack, homes: dict[str, str] | None = None) -> list[Problem]:
    """Every rule of `pack` over every submission (tables grouped by file; `homes`: a file sent apart -> the
    file of the submission it belongs to, merge.programme.join_parts), through its kind."""
    homes = homes or {}
    by_file: dict[str, list[Table]] = {}
    for t in tables:
        by_file.setdefault(homes.get(t.file, t.file), []).append(t)
    ctx = SubmissionContext(pack)
    out: list[Problem] = []
    for file, ts in by_file.items():
        sub = Submission(file, ts)
        for rule in pack.rules:
            out += KINDS[rule.kind]().check_submission(ctx, rule, sub)
    return out
