"""A condition of the notice the files cannot decide (社保证明, 独立法人, an audit report with a bar code, no
related party already recognised): said for every applicant's submission with what decides it, so that the
officer checks it on paper instead of taking silence for a pass. The pack states each condition as a rule
(kind attest); an application gets them as ONE 警告 (documents-to-check, at the first condition's cell)
listing every condition and what decides it: one line per application for the officer, and a unit's
warning count (各县情况) is not inflated by the number of conditions."""

from __future__ import annotations

from dataclasses import replace

from ...problem_codes import DOCUMENTS_TO_CHECK
from ...problems import SEVERITY_RANK, Problem
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
    combined = DOCUMENTS_TO_CHECK
    outcomes = Outcomes(warning="通知的条件无法从表格判断：每份申报材料合为一条（代码 documents-to-check），"
                                "逐项说明由什么材料确定")

    @classmethod
    def combine(cls, found: list[tuple[Rule, Problem]]) -> Problem:
        """One 警告 per application: every condition's message (what decides it) and where it comes from."""
        marks = "①②③④⑤⑥⑦⑧⑨⑩"
        items = [f"{marks[i] if i < len(marks) else f'({i + 1})'}{p.message.rstrip('。；')}"
                 f"{f'（依据：{r.source}）' if r.source else ''}" for i, (r, p) in enumerate(found)]
        first = found[0][1]
        text = f"以下 {len(found)} 项申报条件无法从表格判断，须核对证明材料：" + "；".join(items) + "。"
        return replace(first, rule=DOCUMENTS_TO_CHECK, message=text,
            severity=min((p.severity for _, p in found), key=SEVERITY_RANK.__getitem__),
            value=None, threshold=None)

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
