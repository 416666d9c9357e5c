"""A condition of the notice the files cannot decide (社保证明, 独立法人, an audit report with a bar code, no
related party already recognised): one note per applicant's submission saying what decides it, so that the
officer checks it on paper instead of taking silence for a pass. The pack states it as a rule (kind attest),
at the cell of the field it concerns when it names one; its severity is the pack's (警告: undecidable)."""

from __future__ import annotations

from ...problems import Problem
from ..context import Context
from ..emit import emit
from ..rule import Rule
from ..submission import Submission, SubmissionContext
from .base import Kind, Outcomes, register


@register
class Attest(Kind):
    """One per applicant's submission, at the rule's field when it names one: the condition and what decides it
    (the message). Never an error: nothing in the files proves the condition unmet."""

    name = "attest"
    title = "须人工核对"
    per_submission = True
    returned = False          # the officer checks the paper; no reason on its own to send the files back
    outcomes = Outcomes(warning="通知的条件无法从表格判断：每份申报材料一条，说明由什么材料确定")

    def check(self, ctx: Context, rule: Rule) -> list[Problem]:
        out: list[Problem] = []
        for form_id in rule.forms:
            df = ctx.frame(form_id, rule.field or None)
            if len(df):
                out += emit(ctx, rule, df.drop_duplicates("_sub"), form_id, rule.field or "")
        return out

    def check_submission(self, ctx: SubmissionContext, rule: Rule, sub: Submission) -> list[Problem]:
        if not sub.applicant:
            return []
        for form_id in rule.forms:
            if rule.field:
                values = sub.values(form_id, rule.field)
                if values:
                    return [ctx.problem(rule, sub, values[0], rule.field)]
            tables = sub.of(form_id)
            if tables:
                return [ctx.problem(rule, sub, None, "", table=tables[0])]
        return []
