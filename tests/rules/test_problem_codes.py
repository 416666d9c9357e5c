"""Every problem code written in src/ is registered once, with a Chinese title, category and severity."""

from __future__ import annotations

import re
from pathlib import Path

from xlbase.problem_codes import CATEGORIES, REGISTRY, title_of
from xlbase.problems import SEVERITIES
from xlbase.rules import KINDS, list_packs, load_pack
from xlbase.rules.reference import problems_markdown

SRC = Path(__file__).resolve().parents[2] / "src" / "xlbase"
LITERAL = re.compile(r'Problem\(\s*(?:rule=)?"([a-z0-9-]+)"')
NAMED = re.compile(r'Problem\(\s*(?:rule=)?([A-Z][A-Z0-9_]+)\b')
CONSTANT = r'^{name}\s*=\s*"([a-z0-9-]+)"'


def codes_in_source() -> set[str]:
    found = set()
    texts = {p: p.read_text(encoding="utf-8") for p in SRC.rglob("*.py")}
    every = "\n".join(texts.values())
    for text in texts.values():
        found |= set(LITERAL.findall(text))
        for name in NAMED.findall(text):
            m = re.search(CONSTANT.format(name=name), every, re.M)
            assert m, f"Problem({name}, …): no string constant of that name"
            found.add(m.group(1))
    return found


def test_every_code_in_the_source_is_registered():
    codes = codes_in_source()
    assert len(codes) > 20
    assert codes - set(REGISTRY) == set()


def test_registry_entries_are_complete():
    for code, entry in REGISTRY.items():
        assert entry.code == code and entry.category in CATEGORIES and entry.severity in SEVERITIES
        assert re.search(r"[\u4e00-\u9fff]", entry.title), code


def test_every_pack_rule_has_a_chinese_title():
    assert all(re.search(r"[\u4e00-\u9fff]", k.title) and k.outcomes.error + k.outcomes.warning for k in KINDS.values())
    for pid in list_packs():
        pack = load_pack(pid)
        for rule in pack.rules:
            assert re.search(r"[\u4e00-\u9fff]", title_of(rule.id, pack)), (pid, rule.id)
        assert title_of("firm-code-checksum-legacy", pack) or not pack.has_rule("firm-code-checksum")
    assert title_of("no-such-code") == ""


def test_the_problem_reference_page_is_generated_and_current():
    """docs/problems.md is what `python -m xlbase.rules.reference` prints: regenerate it after adding a code or kind."""
    page = (SRC.parents[1] / "docs" / "problems.md").read_text(encoding="utf-8")
    assert page == problems_markdown(), "docs/problems.md is stale: python -m xlbase.rules.reference > docs/problems.md"
    assert all(f"| `{kind}` | {k.title} |" in page for kind, k in KINDS.items())
    for code, entry in REGISTRY.items():
        assert f"| `{code}` | {entry.title} |" in page, code


def test_rules_show_names_each_rules_outcomes():
    """`xlbase rules show` says for each rule what is 错误, 警告 and 提示, at the pack's severity."""
    from xlbase.commands.rules import rules_command
    pack = load_pack("shanxi-2024-base")
    shown = rules_command("show", pack.id).lines
    for rule in pack.rules:
        at = shown.index(next(l for l in shown if l.startswith("[") and f"] {rule.id} " in l))
        block = shown[at + 1: next((i for i in range(at + 1, len(shown)) if not shown[i].startswith("    ")), len(shown))]
        outcome = KINDS[rule.kind].outcomes.error
        label = {"error": "错误", "warning": "警告", "info": "提示"}[rule.severity]
        assert any(l.startswith(f"    {label}：") and outcome in l for l in block), rule.id
    one = rules_command("show", "small-micro-share").lines      # a rule id of the default pack
    assert any("警告：" in l and "所属行业" in l for l in one) and not any("resident-firms-min" in l for l in one)
