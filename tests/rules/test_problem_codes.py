"""Every problem code written in src/ is registered once, with a Chinese title, category and severity."""

from __future__ import annotations

import re
from pathlib import Path

from xlbase.problem_codes import CATEGORIES, KIND_TITLES, REGISTRY, title_of
from xlbase.problems import SEVERITIES
from xlbase.rules import KINDS, list_packs, load_pack

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
    assert set(KIND_TITLES) == set(KINDS)
    for pid in list_packs():
        pack = load_pack(pid)
        for rule in pack.rules:
            assert re.search(r"[\u4e00-\u9fff]", title_of(rule.id, pack)), (pid, rule.id)
        assert title_of("firm-code-checksum-legacy", pack) or not pack.has_rule("firm-code-checksum")
    assert title_of("no-such-code") == ""


def test_the_rule_pack_reference_documents_every_kind_and_code():
    doc = (SRC.parents[1] / "docs" / "rules.md").read_text(encoding="utf-8")
    assert all(f"`{kind}`" in doc for kind in KINDS)
    for code, entry in REGISTRY.items():
        assert f"| `{code}` | {entry.title} |" in doc, code
