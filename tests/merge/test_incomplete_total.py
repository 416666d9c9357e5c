"""A county table without a required official column: its 汇总 is visibly incomplete, never quietly lower."""

from __future__ import annotations

import json
import random
import subprocess
import sys

import openpyxl

import retyped
from xlbase.forms import get_form

A11 = get_form("附件11")


def test_a_missing_column_marks_its_total_and_names_the_table(tmp_path):
    rng = random.Random(3)
    inbox = tmp_path / "inbox"
    full = [retyped.base_values(rng, f"晋中市榆次区全{i}号双创基地", f"榆次全{i}运营有限公司") for i in range(2)]
    part = [retyped.base_values(rng, f"晋中市太谷区缺{i}号双创基地", f"太谷缺{i}运营有限公司") for i in range(2)]
    retyped.save(inbox / "榆次区.xlsx", {"Sheet1": retyped.a10_table(rng, full, layout="one-row").rows})
    rows = retyped.a10_table(rng, part, layout="one-row").rows
    at = 1 + retyped.A10_KEYS.index("employees")           # 吸纳就业 left out of the county's table
    rows = [r[:at] + r[at + 1:] if len(r) > at else r for r in rows]
    retyped.save(inbox / "太谷区.xlsx", {"Sheet1": rows})
    out, report = tmp_path / "汇总表.xlsx", tmp_path / "r.json"
    proc = subprocess.run([sys.executable, "-m", "xlbase", "merge", str(inbox), "-o", str(out), "--json", str(report)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode in (0, 1), proc.stderr
    problems = json.loads(report.read_text(encoding="utf-8"))["problems"]
    (warn,) = [p for p in problems if p["rule"] == "incomplete-total"]
    assert warn["severity"] == "warning" and warn["field"] == "employees" and "太谷区.xlsx" in warn["message"]
    assert "2 个基地" in warn["message"]

    ws = openpyxl.load_workbook(out)["附件11"]
    values = openpyxl.load_workbook(out, data_only=True)["附件11"]
    col = 2 + [f.key for f in A11.table_fields].index("employees")
    total_row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == A11.total_label)
    cell = ws.cell(total_row, col)
    assert cell.number_format.endswith('"*"')
    assert values.cell(total_row, col).value == sum(b["employees"] for b in full)
    other = ws.cell(total_row, col + 1)
    assert not other.number_format.endswith('"*"')
    note = ws.cell(total_row + 1, 1).value
    assert note.startswith("注：带 * 的汇总数不完整") and A11.field("employees").label in note
    assert ws.print_area and str(total_row + 1) in ws.print_area


def test_the_mark_survives_a_merge_of_the_counties_own_summaries(tmp_path):
    """A city merging the county 汇总表s written by xlbase keeps the mark and says it once."""
    rng = random.Random(4)
    full = [retyped.base_values(rng, f"晋中市榆次区全{i}号双创基地", f"榆次全{i}运营有限公司") for i in range(2)]
    part = [retyped.base_values(rng, f"晋中市太谷区缺{i}号双创基地", f"太谷缺{i}运营有限公司") for i in range(2)]
    at = 1 + retyped.A10_KEYS.index("taxes")
    rows = [r[:at] + r[at + 1:] if len(r) > at else r for r in retyped.a10_table(rng, part, layout="one-row").rows]
    retyped.save(tmp_path / "in" / "榆次区" / "榆次区.xlsx", {"Sheet1": retyped.a10_table(rng, full, layout="one-row").rows})
    retyped.save(tmp_path / "in" / "太谷区" / "太谷区.xlsx", {"Sheet1": rows})
    city = tmp_path / "city"
    city.mkdir()
    for county in ("榆次区", "太谷区"):
        subprocess.run([sys.executable, "-m", "xlbase", "merge", str(tmp_path / "in" / county),
                        "-o", str(city / f"{county}汇总表.xlsx")], capture_output=True, check=False, timeout=300)
    out, report = tmp_path / "市汇总表.xlsx", tmp_path / "r.json"
    subprocess.run([sys.executable, "-m", "xlbase", "merge", str(city), "-o", str(out), "--json", str(report)],
                   capture_output=True, timeout=300)
    problems = json.loads(report.read_text(encoding="utf-8"))["problems"]
    (warn,) = [p for p in problems if p["rule"] == "incomplete-total"]
    assert warn["field"] == "taxes" and "太谷区" in warn["message"]
    ws = openpyxl.load_workbook(out)["附件11"]
    col = 2 + [f.key for f in A11.table_fields].index("taxes")
    total_row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == A11.total_label)
    assert ws.cell(total_row, col).number_format.endswith('"*"')


def _warning_for_a_table_without(tmp_path, seed: int, keys: list[str]) -> dict:
    """The incomplete-total warning of a 太谷区 table of two bases typed without the columns `keys`."""
    rng = random.Random(seed)
    part = [retyped.base_values(rng, f"晋中市太谷区缺{i}号双创基地", f"太谷缺{i}运营有限公司") for i in range(2)]
    drop = sorted(1 + retyped.A10_KEYS.index(k) for k in keys)
    rows = [[v for c, v in enumerate(r) if c not in drop] for r in retyped.a10_table(rng, part, layout="one-row").rows]
    retyped.save(tmp_path / "inbox" / "太谷区.xlsx", {"Sheet1": rows})
    out, report = tmp_path / "汇总表.xlsx", tmp_path / "r.json"
    subprocess.run([sys.executable, "-m", "xlbase", "merge", str(tmp_path / "inbox"), "-o", str(out),
                    "--json", str(report)], capture_output=True, text=True, timeout=300)
    problems = json.loads(report.read_text(encoding="utf-8"))["problems"]
    (warn,) = [p for p in problems if p["rule"] == "incomplete-total"]
    return warn


def test_one_warning_per_table_names_every_column_it_lacks(tmp_path):
    """A table without two official columns: one warning naming both, both totals marked."""
    warn = _warning_for_a_table_without(tmp_path, 5, ["employees", "gov_funding"])
    for key in ("employees", "gov_funding"):
        assert f"“{A11.field(key).label}”" in warn["message"]
    assert "2 列" in warn["message"] and "太谷区.xlsx" in warn["message"]


def test_a_table_lacking_many_columns_counts_them_once(tmp_path):
    """Past six columns the warning names six and counts them all once ("…等 8 列"), not "等 8 项这 8 列"."""
    gone = [k for k in retyped.A10_KEYS if k in {f.key for f in A11.official_table_fields}][-8:]
    warn = _warning_for_a_table_without(tmp_path, 6, gone)
    assert len(gone) == 8 and "等 8 列" in warn["message"], warn["message"]
    assert "项这" not in warn["message"] and warn["message"].count("8 ") == 2     # "有 8 项…" and "等 8 列"


def test_an_applicant_without_its_a10_gets_one_warning_saying_why(tmp_path):
    """附件2 stands in for a missing 附件10 and has no line for most 汇总 columns: one warning that says so,
    not one per column."""
    from submissions import applicant
    path = applicant(tmp_path / "申报.xlsx", forms=("附件2", "附件3", "附件4"))
    report = tmp_path / "r.json"
    subprocess.run([sys.executable, "-m", "xlbase", "validate", str(path), "--json", str(report)],
                   capture_output=True, text=True, timeout=300)
    problems = json.loads(report.read_text(encoding="utf-8"))["problems"]
    (warn,) = [p for p in problems if p["rule"] == "incomplete-total"]
    assert "没有附件10" in warn["message"] and "附件2" in warn["message"]
    assert f"“{A11.field('revenue').label}”" in warn["message"]
