"""Validation: every rule of a pack run through its kind, in pack order; nothing stops at the first problem.

The kinds do the checking (rules/kinds/); here they are run over Shanxi's forms stacked across every file
(`validate`: one shared Context, each form stacked once for every rule that reads it, vectorised) or over
each submission of a programme's own forms (`validate_submissions`). A kind whose rules speak together
(`Kind.combined`: attest, the conditions only documents decide) gives one problem per submission.
"""

from __future__ import annotations

from ..problems import Problem
from ..table import Table
from .context import Context
from .kinds import KINDS, kind_of
from .rule import Rule, RulePack
from .submission import Submission, SubmissionContext


def validate(tables: list[Table], pack: RulePack) -> list[Problem]:
    """Every problem every rule finds in `tables`; never stops at the first."""
    ctx = Context(list(tables), pack)
    problems: list[Problem] = []
    for rule in pack.rules:
        problems.extend(kind_of(rule)().check(ctx, rule))
    return combined(problems, pack)


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
        found: list[Problem] = []
        for rule in pack.rules:
            found += KINDS[rule.kind]().check_submission(ctx, rule, sub)
        out += combined(found, pack)
    return out


def combined(problems: list[Problem], pack: RulePack) -> list[Problem]:
    """`problems` with those of each combining kind (Kind.combined) made one per file and base, in pack order:
    an officer reads one line per application naming every condition to check on paper, and the unit's
    warning count is not that line times the number of conditions."""
    rules = {r.id: r for r in pack.rules if kind_of(r).combined}
    if not rules:
        return problems
    out: list[Problem] = []
    groups: dict[tuple[str, str, str], list[tuple[Rule, Problem]]] = {}
    for p in problems:
        rule = rules.get(p.rule)
        if rule is None:
            out.append(p)
        else:
            groups.setdefault((kind_of(rule).name, p.file, p.base), []).append((rule, p))
    order = {rid: i for i, rid in enumerate(rules)}
    for (name, _, _), found in groups.items():
        out.append(KINDS[name].combine(sorted(found, key=lambda rp: order[rp[0].id])))
    return out
