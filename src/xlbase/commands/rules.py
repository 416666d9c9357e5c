"""`xlbase rules list|show`: print packs in Chinese so an officer sees exactly what is checked."""

from __future__ import annotations

from ..forms import get_form
from ..problems import SEVERITY_LABELS
from ..result import EXIT_OK, EXIT_UNUSABLE, CommandResult
from ..rules.emit import display_label
from ..rules.pack import DEFAULT_PACK, list_packs, load_pack
from ..rules.rule import PackError


def _threshold_text(rule) -> str:
    th = rule.threshold
    if th is None:
        return "取自表单模型" if rule.kind in ("required", "range", "choice", "type") else ""
    if isinstance(th, dict):
        return "；".join(f"{'其他类型' if k == 'default' else k} {v}" for k, v in th.items())
    return str(th)


def _fields_text(rule) -> str:
    if not rule.fields or not rule.form:
        return "、".join(rule.forms)
    if rule.kind == "forms-agree":   # each fact as both forms label it: 企业职工人数／吸纳就业人员数
        a, b = (get_form(f) for f in rule.forms[:2])
        pairs = [(display_label(a, a.field(k)), display_label(b, b.field(k))) for k in rule.fields]
        return f"{a.id}与{b.id}：" + "、".join(x if x == y else f"{x}／{y}" for x, y in pairs)
    form = get_form(rule.form)
    names = [form.field(f).label if form.has_field(f) else f for f in rule.fields]
    return f"{'、'.join(rule.forms)}：{'、'.join(names)}"


def rules_command(action: str, pack: str | None = None) -> CommandResult:
    if action == "list":
        lines = []
        for pid in list_packs():
            p = load_pack(pid)
            mark = "（默认）" if pid == DEFAULT_PACK else ""
            lines.append(f"{pid}{mark}  {p.title}  {p.jurisdiction}  基准日期 {p.as_of.isoformat()}  {len(p.rules)} 条规则")
        return CommandResult(EXIT_OK, lines)
    try:
        p = load_pack(pack)
    except PackError as exc:
        return CommandResult(EXIT_UNUSABLE, errors=[str(exc)])
    lines = [f"{p.title}（{p.id}）", f"地区：{p.jurisdiction}  年度：{p.year}  基准日期：{p.as_of.isoformat()}"]
    lines += [f"依据：{s.get('document', '')} {s.get('clause', '')}" for s in p.sources]
    if p.params.get("unknown_industry"):
        lines.append(f"小微企业判定口径：{p.params['unknown_industry']}")
    lines.append("")
    for r in p.rules:
        lines.append(f"[{SEVERITY_LABELS[r.severity]}] {r.id}  {r.title or ''}")
        lines.append(f"    检查：{_fields_text(r)}    门槛：{_threshold_text(r) or '—'}"
                     + (f"    容差：{r.tolerance}" if r.tolerance not in (None, 0) else "")
                     + (f"    缺少该表或该栏未填时改查：{r.fallback}" if r.fallback else ""))
        if r.source:
            lines.append(f"    依据：{r.source}")
    return CommandResult(EXIT_OK, lines)
