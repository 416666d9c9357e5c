"""Figures typed as a bound or an estimate ("30户以上", "≥8", "约1200") and a year alone ("2018年"): no invented
figure. The 附件11 shows the cell as typed, its 汇总 leaves it out and is marked incomplete (one warning at the
typed cell, saying what decides it); the thresholds are judged by what the range proves — met: nothing but the
reader's info; broken: the rule's error; undecided: a warning."""

from __future__ import annotations

import json
import random
import subprocess
import sys

import openpyxl

import retyped
from xlbase.forms import get_form

A11 = get_form("附件11")


def _merge(tmp_path, changes: dict[int, dict[str, object]]):
    rng = random.Random(7)
    bases = [retyped.base_values(rng, f"晋中市榆次区范围{i}号双创基地", f"榆次范围{i}运营有限公司") for i in range(3)]
    for i, typed in changes.items():
        bases[i].update(typed)
    inbox = tmp_path / "inbox"
    retyped.save(inbox / "榆次区.xlsx", {"Sheet1": retyped.a10_table(rng, bases, layout="one-row").rows})
    out, report = tmp_path / "汇总表.xlsx", tmp_path / "r.json"
    proc = subprocess.run([sys.executable, "-m", "xlbase", "merge", str(inbox), "-o", str(out), "--json", str(report),
                           "--as-of", "2024-08-25"], capture_output=True, text=True, timeout=300)
    assert proc.returncode in (0, 1), proc.stderr
    return bases, out, json.loads(report.read_text(encoding="utf-8"))["problems"]


def _of(problems, rule, base=None):
    return [p for p in problems if p["rule"] == rule and (base is None or base in (p["base"] or p["message"]))]


def test_bounds_are_shown_as_typed_left_out_of_the_total_and_judged_by_what_they_prove(tmp_path):
    bases, out, problems = _merge(tmp_path, {
        0: {"service_staff": "≥12", "partner_orgs": "不足3", "revenue": "约1200"},
        1: {"service_staff": "≥8", "registered_on": "2018年"},
        2: {"registered_on": "2024年", "partner_orgs": "5家以上"}})
    names = [b["base_name"] for b in bases]
    errors = [p for p in problems if p["severity"] == "error"]
    # proven: "不足3" partners (< 5) and a 2024 registration (under a year whatever the day) — nothing else
    assert sorted((p["rule"], p["base"]) for p in errors) == sorted([("partners-min", names[0]),
                                                                      ("operator-age", names[2])]), errors
    assert not any(p["rule"] == "unparseable" for p in problems)
    (staff,) = _of(problems, "service-staff-min")          # ≥12 meets 10; ≥8 cannot decide it
    assert staff["severity"] == "warning" and staff["base"] == names[1] and "确切数字" in staff["message"]
    assert not _of(problems, "operator-age", names[1])     # every day of 2018 is over a year before 2024-08-25
    assert not _of(problems, "partners-min", names[2])     # 5家以上 meets 5
    infos = _of(problems, "value-estimate")
    assert {p["value"] for p in infos} == {"≥12", "不足3", "约1200", "≥8", "2018年", "2024年", "5家以上"}
    assert all(p["severity"] == "info" for p in infos)

    ws = openpyxl.load_workbook(out)["附件11"]
    keys = [f.key for f in A11.table_fields]
    first = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == names[0])
    shown = {(i, k): ws.cell(first + i, 2 + keys.index(k)).value for i in range(3) for k in keys}
    assert shown[(0, "service_staff")] == "≥12" and shown[(1, "registered_on")] == "2018年"
    assert shown[(0, "revenue")] == "约1200" and shown[(0, "employees")] == bases[0]["employees"]
    total_row = first + 3
    assert ws.cell(total_row, 1).value == A11.total_label
    for k in ("service_staff", "partner_orgs", "revenue"):
        assert ws.cell(total_row, 2 + keys.index(k)).number_format.endswith('"*"'), k
    assert not ws.cell(total_row, 2 + keys.index("employees")).number_format.endswith('"*"')
    incomplete = _of(problems, "incomplete-total")
    assert len(incomplete) == 3 and all(p["severity"] == "warning" and "确切数字" in p["message"] for p in incomplete)
    col = openpyxl.utils.get_column_letter(1 + retyped.A10_KEYS.index("service_staff") + 1)
    assert {p["cell"][0] for p in incomplete if p["base"] == names[1]} == {col}
