"""Two city inboxes as strangers send them (tests/fixtures/city_inboxes.py), merged by `xlbase merge` as a
subprocess: every planted problem is found at the cell the clerk typed, with its severity, and no other
problem is an error — an officer can send every 错误 back without checking it first."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from city_inboxes import build_inbox_a, build_inbox_b

from xlbase.problem_codes import REGISTRY, title_of
from xlbase.rules import load_pack


def _cells(cell: str) -> list[str]:
    return [part.split(":")[0] for part in (cell or "").split(",")]


def _merge(inbox: Path, tmp: Path) -> dict:
    out, rep = tmp / f"{inbox.name}.xlsx", tmp / f"{inbox.name}.json"
    proc = subprocess.run([sys.executable, "-m", "xlbase", "merge", str(inbox), "-o", str(out), "--json", str(rep)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 1, proc.stderr      # errors were planted
    return json.loads(rep.read_text(encoding="utf-8"))


@pytest.mark.parametrize("build", [build_inbox_a, build_inbox_b], ids=["吕梁市", "晋中市"])
def test_planted_problems_are_found_at_their_cells_and_nothing_else_is_an_error(build, tmp_path):
    inbox = tmp_path / build.__name__
    planted = build(inbox)
    report = _merge(inbox, tmp_path)

    def rel(file: str) -> str:
        head = file.split(" ← ")[0]
        try:
            return Path(head).resolve().relative_to(inbox.resolve()).as_posix()
        except ValueError:
            return head

    problems = report["problems"]
    matched: set[int] = set()
    for pl in planted:
        hits = [i for i, p in enumerate(problems) if p["rule"] == pl.rule and rel(p["file"]) == pl.file
                and p["sheet"] == pl.sheet and (pl.cell in _cells(p["cell"]))]
        assert hits, f"planted {pl} not found; same rule: {[p for p in problems if p['rule'] == pl.rule]}"
        assert {problems[i]["severity"] for i in hits} == {pl.severity}, pl
        matched.update(hits)
    beyond = [p for i, p in enumerate(problems) if p["severity"] == "error" and i not in matched]
    assert beyond == [], "errors that were not planted:\n" + "\n".join(
        f"{p['rule']} {rel(p['file'])} {p['sheet']}!{p['cell']}: {p['message']}" for p in beyond)
    # the things that looked like errors in a stranger's inbox are not errors
    kinds = {(p["rule"], p["severity"]) for p in problems}
    assert ("missing-column", "info") not in kinds          # our own extra columns are nobody's duty
    pack = load_pack()
    assert all(title_of(p["rule"], pack) for p in problems), "every problem code has a Chinese title"
    assert all(p["rule"] in REGISTRY or pack.has_rule(p["rule"]) or p["rule"].endswith("-legacy") for p in problems)
