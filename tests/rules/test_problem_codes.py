"""Every problem code src/ emits is registered once, with a Chinese title, category and severity, and written
by its registry constant."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from xlbase.problem_codes import CATEGORIES, REGISTRY, title_of
from xlbase.problems import SEVERITIES
from xlbase.rules import KINDS, list_packs, load_pack
from xlbase.rules.reference import problems_markdown

SRC = Path(__file__).resolve().parents[2] / "src" / "xlbase"
REGISTRY_MODULE = "problem_codes.py"


def modules() -> dict[str, ast.Module]:
    """Every module of src/xlbase (path relative to it) with its syntax tree."""
    return {p.relative_to(SRC).as_posix(): ast.parse(p.read_text(encoding="utf-8")) for p in sorted(SRC.rglob("*.py"))}


def registry_names(tree: ast.Module) -> dict[str, str]:
    """Local name -> problem_codes constant, for the names a module imports from the registry."""
    return {a.asname or a.name: a.name for n in ast.walk(tree)
            if isinstance(n, ast.ImportFrom) and (n.module or "").split(".")[-1] == "problem_codes" for a in n.names}


def rule_arguments(tree: ast.Module) -> list[ast.expr]:
    """What each Problem(...) is given as its code (first argument or rule=), and replace(p, rule=...)."""
    out = []
    for n in ast.walk(tree):
        if not isinstance(n, ast.Call):
            continue
        name = n.func.id if isinstance(n.func, ast.Name) else n.func.attr if isinstance(n.func, ast.Attribute) else ""
        arg = next((k.value for k in n.keywords if k.arg == "rule"), None)
        if arg is None and name == "Problem" and n.args:
            arg = n.args[0]
        if arg is not None and name in ("Problem", "replace"):
            out.append(arg)
    return out


def test_no_problem_code_is_written_as_a_literal():
    """Codes come from problem_codes' constants, so a misspelt one is an unknown name (ruff, mypy, the import)
    instead of a problem no list or title knows."""
    stray = {}
    for module, tree in modules().items():
        if module == REGISTRY_MODULE:
            continue
        found = sorted({n.value for n in ast.walk(tree)
                        if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value in REGISTRY})
        if found:
            stray[module] = found
    assert not stray, f"import these codes from xlbase.problem_codes instead of writing them: {stray}"


def test_every_code_a_problem_is_given_is_registered():
    """A Problem's code is a registry constant or a pack rule's id (rule.id); never a string literal or a
    constant of the module's own, which the registry would not know."""
    from xlbase import problem_codes
    named = 0
    for module, tree in modules().items():
        imported = registry_names(tree)
        for arg in rule_arguments(tree):
            where = f"{module}:{arg.lineno}"
            assert not isinstance(arg, ast.Constant), f"{where}: code {arg.value!r} written inline; register it"
            if isinstance(arg, ast.Name) and arg.id in imported:
                assert getattr(problem_codes, imported[arg.id]) in REGISTRY, where
                named += 1
            elif isinstance(arg, ast.Name):
                own = [n for n in tree.body if isinstance(n, ast.Assign) and isinstance(n.value, ast.Constant)
                       and any(isinstance(t, ast.Name) and t.id == arg.id for t in n.targets)]
                assert not own, f"{where}: {arg.id} is the module's own constant; use problem_codes'"
    assert named > 40           # the scan sees the emitters (an empty result would prove nothing)


def test_each_code_has_its_constant():
    """problem_codes names each code's constant after it (input-missing -> INPUT_MISSING) and declares what
    each constant is (category, severity, title): no constant without an entry, no entry without a constant."""
    tree = modules()[REGISTRY_MODULE]
    constants = {n.targets[0].id: n.value.value for n in tree.body
                 if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name)
                 and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str)
                 and n.value.value not in SEVERITIES and n.targets[0].id == n.value.value.upper().replace("-", "_")}
    assert set(constants.values()) == set(REGISTRY)
    assert len(constants) == len(REGISTRY)


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


def test_titles_take_the_programmes_noun_as_data():
    """A registry title names what an application is about through `{noun}` (Programme.noun; one default,
    forms.programmes.DEFAULT_NOUN), not by replacing 基地 in the text: said of 太原's 平台 no title keeps 基地 but
    the name of a Shanxi form's own field (基地类型 on 附件1's cover), and a pack's own title is never rewritten."""
    from xlbase.forms.programmes import DEFAULT_NOUN
    from xlbase.rules import load_pack
    for code, entry in REGISTRY.items():
        assert entry.title == entry.title_for(DEFAULT_NOUN), code
        assert "基地" not in entry.title_for("平台").replace("基地类型", ""), code
    assert title_of("duplicate-base", noun="平台") == "同一平台重复报送"
    assert title_of("level-mismatch", noun="平台") == "汇总层级与平台分布不符"
    pack = load_pack("shanxi-2024-base")
    rule = next(r for r in pack.rules if "基地" in title_of(r.id, pack))
    assert title_of(rule.id, pack, noun="平台") == title_of(rule.id, pack)
