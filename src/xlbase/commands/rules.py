"""`xlbase rules list|show`: print packs in Chinese so an officer sees exactly what is checked, and for
each rule what is 错误, 警告 and 提示 (from its kind's declaration, rules.reference)."""

from __future__ import annotations

from ..check import PackUnusable, pack_for
from ..forms import get_form
from ..problems import SEVERITY_LABELS
from ..result import EXIT_OK, EXIT_UNUSABLE, CommandResult
from ..rules.kinds import KINDS
from ..rules.pack import DEFAULT_PACK, list_packs, load_pack
from ..rules.reference import rule_outcome_lines
from ..rules.rule import Rule, RulePack


def _threshold_text(rule: Rule) -> str:
    th = rule.threshold
    if th is None:
        return "取自表单模型" if KINDS[rule.kind].model_bounds else ""
    if isinstance(th, dict):
        return "；".join(f"{'其他类型' if k == 'default' else k} {v}" for k, v in th.items())
    return str(th)


def _fields_text(rule: Rule) -> str:
    if not rule.fields or not rule.form:
        return "、".join(rule.forms)
    described = KINDS[rule.kind].describe_fields(rule)
    if described:
        return described
    form = get_form(rule.form)
    names = [form.field(f).label if form.has_field(f) else f for f in rule.fields]
    return f"{'、'.join(rule.forms)}：{'、'.join(names)}"


def _rule_lines(r: Rule) -> list[str]:
    lines = [f"[{SEVERITY_LABELS[r.severity]}] {r.id}  {r.title or KINDS[r.kind].title}",
             f"    检查：{_fields_text(r)}    门槛：{_threshold_text(r) or '—'}"
             + (f"    容差：{r.tolerance}" if r.tolerance not in (None, 0) else "")
             + (f"    缺少该表或该栏未填时改查：{r.fallback}" if r.fallback else "")]
    if r.source:
        lines.append(f"    依据：{r.source}")
    return lines + rule_outcome_lines(r)


def _pack_lines(p: RulePack) -> list[str]:
    lines = [f"{p.title}（{p.id}）", f"地区：{p.jurisdiction}  年度：{p.year}  基准日期：{p.as_of.isoformat()}"]
    lines += [f"依据：{s.get('document', '')} {s.get('clause', '')}" for s in p.sources]
    if p.params.get("unknown_industry"):
        lines.append(f"小微企业判定口径：{p.params['unknown_industry']}")
    for r in p.rules:
        lines += ["", *_rule_lines(r)]
    return lines


def rules_command(action: str, pack: str | None = None) -> CommandResult:
    """list: the shipped packs. show [pack]: every rule of a pack; show <rule id>: that rule of the default pack."""
    if action == "list":
        lines = []
        for pid in list_packs():
            p = load_pack(pid)
            mark = "（默认）" if pid == DEFAULT_PACK else ""
            lines.append(f"{pid}{mark}  {p.title}  {p.jurisdiction}  基准日期 {p.as_of.isoformat()}  {len(p.rules)} 条规则")
        return CommandResult(EXIT_OK, lines)
    try:
        p = pack_for(pack)
    except PackUnusable as exc:
        default = pack_for()
        if pack and default.has_rule(pack):
            return CommandResult(EXIT_OK, [f"{default.title}（{default.id}）", *_rule_lines(default.rule(pack))])
        return CommandResult(EXIT_UNUSABLE, errors=[str(exc)])
    return CommandResult(EXIT_OK, _pack_lines(p))
