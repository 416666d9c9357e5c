"""Round over round: merging again after corrections shows, per unit, how many of its earlier errors
are gone, still there and new — over the same -o, or against --previous."""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from sample_generator import GEN
from xlbase.merge.rounds import Change, compare

REPO = Path(__file__).resolve().parents[2]
TAIHUAI = dict(county="五台县", short="台怀文旅创客", operator="五台县台怀文旅发展有限公司", base_type="楼宇型")


def merge(*args) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xlbase", "merge", *map(str, args)], capture_output=True,
                          text=True, encoding="utf-8", cwd=REPO, timeout=600)


def errors(report: Path, folder: str) -> Counter:
    doc = json.loads(report.read_text(encoding="utf-8"))
    return Counter((p["rule"], p["base"], p["form"], p["field"]) for p in doc["problems"]
                   if p["severity"] == "error" and f"/{folder}/" in p["file"])


def units_sheet(path: Path) -> dict[str, dict]:
    ws = openpyxl.load_workbook(path)["各县情况"]
    head = next(r for r in range(1, 10) if ws.cell(r, 1).value == "序号")
    names = [ws.cell(head, c).value for c in range(1, ws.max_column + 1)]
    return {ws.cell(r, 2).value: dict(zip(names, (ws.cell(r, c).value for c in range(1, ws.max_column + 1))))
            for r in range(head + 1, ws.max_row + 1) if ws.cell(r, 9).value}


@pytest.fixture(scope="module")
def rounds(tmp_path_factory, generated_counties):
    root = tmp_path_factory.mktemp("rounds")
    inbox = root / "收件"
    shutil.copytree(generated_counties, inbox)
    out = root / "汇总表.xlsx"
    first = merge(inbox, "-o", out, "--json", root / "第一轮.json")
    assert first.returncode == 1, first.stderr
    shutil.copy(out, root / "第一轮汇总表.xlsx")
    # 五台县 resubmits 台怀 with enough staff, tutors and partners (still 8 firms, registered this year)
    rng = random.Random(5)
    firms = GEN.firms_for(rng, 8, "五台县")
    fixed = GEN.base_record(rng, firms=firms, staff=14, tutors=4, partners=6, registered=dt.date(2024, 3, 1), **TAIHUAI)
    GEN.applicant(inbox / "五台县" / "五台县_台怀文旅创客_申报表（修改）.xlsx", rng, fixed, firms)
    second = merge(inbox, "-o", out, "--json", root / "第二轮.json")
    assert second.returncode == 1, second.stderr
    return root, out, first, second


def test_a_corrected_resubmission_shows_its_fixed_errors_as_gone(rounds):
    root, out, _, second = rounds
    before, after = errors(root / "第一轮.json", "五台县"), errors(root / "第二轮.json", "五台县")
    gone = before - after
    assert {r for r, *_ in gone} >= {"service-staff-min", "tutors-min", "partners-min"}
    assert {r for r, *_ in before & after} >= {"resident-firms-min", "operator-age"}
    row = units_sheet(out)["五台县"]
    assert (row["上次错误数"], row["已改正"], row["仍有"], row["新增错误"]) == (
        sum(before.values()), sum(gone.values()), sum((before & after).values()), sum((after - before).values()))
    assert row["已改正"] >= 3 and row["错误数"] == sum(after.values())
    assert "五台县：" in second.stdout and f"已改正 {row['已改正']}" in second.stdout
    assert "与上次汇总表" in second.stdout


def test_units_that_changed_nothing_show_nothing_fixed(rounds):
    _, out, _, _ = rounds
    rows = units_sheet(out)
    assert (rows["忻府区"]["已改正"], rows["忻府区"]["仍有"]) == (0, rows["忻府区"]["错误数"])
    assert rows["原平市"]["上次错误数"] == 0 and rows["原平市"]["新增错误"] == 0
    assert rows["岢岚县"]["状态"] == "未报送" and rows["岢岚县"]["已改正"] is None


def test_previous_given_explicitly(rounds, tmp_path):
    root, _, _, _ = rounds
    proc = merge(root / "收件", "-o", tmp_path / "新.xlsx", "--previous", root / "第一轮汇总表.xlsx")
    assert proc.returncode == 1, proc.stderr
    assert units_sheet(tmp_path / "新.xlsx")["五台县"]["已改正"] >= 3


def test_first_round_has_no_comparison_columns(rounds):
    root, _, first, _ = rounds
    rows = units_sheet(root / "第一轮汇总表.xlsx")
    assert "已改正" not in rows["五台县"] and "与上次汇总表" not in first.stdout


def test_a_previous_file_without_a_record_is_said_and_a_missing_one_refused(rounds, tmp_path):
    root, _, _, _ = rounds
    plain = tmp_path / "手工汇总表.xlsx"
    openpyxl.Workbook().save(plain)
    proc = merge(root / "收件", "-o", tmp_path / "a.xlsx", "--previous", plain)
    assert proc.returncode == 1 and "没有可比较的记录" in proc.stdout
    proc = merge(root / "收件", "-o", tmp_path / "b.xlsx", "--previous", tmp_path / "没有.xlsx")
    assert proc.returncode == 2 and "找不到上次的汇总表" in proc.stderr and "Traceback" not in proc.stderr


def test_compare_counts_each_error_once():
    a = {"errors": {"甲县": [["r1", "b", "附件10", "f"]] * 2 + [["r2", "b", "附件10", "f"]], "乙县": [["r3", "", "", ""]]}}
    b = {"errors": {"甲县": [["r1", "b", "附件10", "f"], ["r4", "b", "附件3", "g"]]}}
    assert compare(a, b) == {"甲县": Change(3, 2, 1, 1), "乙县": Change(1, 1, 0, 0)}
