"""What each problem code and each rule kind means, in Chinese, from their own declarations: the reader's
and the merge's codes from problem_codes.REGISTRY, the rules' from the kinds (rules/kinds/). Both
`xlbase rules show` and docs/problems.md are printed from here, so neither restates the other.

    python -m xlbase.rules.reference > docs/problems.md      # a test checks the page is current
"""

from __future__ import annotations

from typing import Any

from ..problem_codes import CATEGORIES, REGISTRY, RULE
from ..problems import ERROR, INFO, SEVERITY_LABELS, WARNING
from .kinds import KINDS, Kind, Outcomes, param_specs
from .rule import Rule


def outcomes(o: Outcomes, severity: str = ERROR) -> list[tuple[str, str]]:
    """(severity, when) for a rule whose proven failure its pack reports at `severity`: the `error` outcome
    at that severity (a pack may make it a warning), the kind's own warnings and notices as they are."""
    rows = [(severity, o.error), (WARNING, o.warning), (INFO, o.info)]
    merged: dict[str, list[str]] = {}
    for sev, text in rows:
        if text:
            merged.setdefault(sev, []).append(text)
    return [(sev, "；".join(merged[sev])) for sev in (ERROR, WARNING, INFO) if sev in merged]


def rule_outcome_lines(rule: Rule) -> list[str]:
    """`xlbase rules show`: what is 错误, 警告 and 提示 for one rule of a pack."""
    return [f"    {SEVERITY_LABELS[sev]}：{text}" for sev, text in outcomes(KINDS[rule.kind].outcomes_for(rule), rule.severity)]


def _cell(text: str) -> str:
    return text.replace("|", "／").replace("\n", " ") or "—"


def _params(kind: type[Kind]) -> str:
    specs = param_specs(kind.Params)
    return "<br>".join(f"`{name}`{'（必填）' if s.required else ''}：{s.label}（{getattr(s.read, 'shown', '')}）"
                       for name, s in specs.items()) or "—"


_ENGINE_WORDS = {"frames": "山西表单", "submissions": "申报项目"}


def _engines(kind: type[Kind]) -> str:
    return "、".join(_ENGINE_WORDS[e] for e in sorted(kind.engines()))


def problems_markdown() -> str:
    """docs/problems.md: every code the reader and the merge emit, and every rule kind's outcomes."""
    out = [
        "# 问题代码 / Problem codes",
        "",
        "<!-- 由 `python -m xlbase.rules.reference > docs/problems.md` 生成，请勿手改："
        "代码登记在 src/xlbase/problem_codes.py，规则类别在 src/xlbase/rules/kinds/。 -->",
        "",
        "问题清单的“问题类别”一栏显示下列标题，JSON 报告保留代码。严重程度的含义见 [rules.md](rules.md)："
        "**错误**＝仅凭文件就能证明有错或缺少通知要求的内容；**警告**＝很可能有误或无法从文件判定（说明中写明需要补充什么）；"
        "**提示**＝读取或换算时怎样理解了某个值。",
        "",
    ]
    for category in CATEGORIES:
        if category == RULE:
            continue
        out += [f"## {category}", "", "| 代码 | 标题 | 通常的严重程度 | 何时不同 |", "|---|---|---|---|"]
        out += [f"| `{e.code}` | {e.title} | {SEVERITY_LABELS[e.severity]} | {_cell(e.varies)} |"
                for e in REGISTRY.values() if e.category == category]
        out.append("")
    out += [
        f"## {RULE}",
        "",
        "规则的问题代码是规则包中规则的 `id`（`xlbase rules show` 列出每条规则及其错误、警告、提示），标题取规则的 "
        "`title`，没有时取下表中该类规则的标题。规则包的 `severity` 是**已证明**的不符合的严重程度（“错误”一栏）；"
        "文件无法证明的情况该类规则总是报警告，读取说明总是提示。“用于”：山西表单的规则包（逐表汇总核对），"
        "或有自己表单的申报项目的规则包（`--programme`，逐份申报材料核对，见 [programmes.md](programmes.md)）。",
        "",
        "| 类别 `kind` | 标题 | 错误 | 警告 | 提示 | 按每份申报材料整体核对 | 用于 | 参数 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, kind in KINDS.items():
        o = kind.outcomes
        info = o.info + "".join(f"（代码：规则 id 加 `{s}`）" for s in kind.notes)
        out.append(f"| `{name}` | {kind.title} | {_cell(o.error)} | {_cell(o.warning)} | {_cell(info)} | "
                   f"{'是' if kind.per_submission else '否'} | {_engines(kind)} | {_params(kind)} |")
    out += ["", "规则报告时用的其他代码（一份申报材料的同类规则合为一条，见上表）：", "",
            "| 代码 | 标题 | 通常的严重程度 | 何时不同 |", "|---|---|---|---|"]
    out += [f"| `{e.code}` | {e.title} | {SEVERITY_LABELS[e.severity]} | {_cell(e.varies)} |"
            for e in REGISTRY.values() if e.category == RULE]
    out.append("")
    return "\n".join(out)


def main(argv: Any = None) -> int:
    import sys
    sys.stdout.write(problems_markdown())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
