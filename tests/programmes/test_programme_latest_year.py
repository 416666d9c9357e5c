"""A by-year table's `row: last` is the row of the latest year by its value, not the sheet's last row.

太原's 运营管理情况 typed newest first (2022年, 2021年, 2020年 — the clerk's own order over the template's
pre-filled years): validate, the 表内检查 and the merged 汇总表 took 2020's figures for the latest year, so
申请表's 上年末总资产 (2022's 资产总额) was reported as disagreeing, and the 汇总表 showed 2020's 营业收入.
Now all three read 2022's row, and still find a real disagreement there.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from conftest import soffice_convert_all
from programme_inbox import fill, load_case, make_templates, read_summary, sheet_of, xlbase
from template_clerk import sheet_counts
from xlbase.rules.programme import load_generic_pack

CASE = load_case("taiyuan-2023")
TABLE = "太原运营情况"


def _newest_first(templates: Path, out: Path, answers: dict, name: str) -> Path:
    where = fill(templates / CASE.applicant_file, out, CASE.programme, answers, name)
    rows = answers[TABLE]
    keys = list(rows[0])
    wb = openpyxl.load_workbook(out)
    ws = wb[sheet_of(CASE.programme, TABLE)]
    for n, row in enumerate(reversed(rows), start=1):
        for k in keys:
            ws[where[f"{TABLE}.{k}@{n}"]].value = row[k]
    wb.save(out)
    return out


@pytest.fixture(scope="module")
def typed(tmp_path_factory):
    d = tmp_path_factory.mktemp("latest_year")
    templates = make_templates(CASE.name, d / "templates")
    (d / "src").mkdir()
    good = _newest_first(templates, d / "src" / "newest-first.xlsx", CASE.answers(), "甲单位服务中心")
    off = _newest_first(templates, d / "src" / "newest-first-assets-off.xlsx",
                        CASE.answers({"太原申请表": {"total_assets": 1850}}), "乙单位服务中心")
    return d, templates, good, off


def _problems(path: Path, tmp: Path) -> list[dict]:
    res = xlbase("validate", str(path), "--programme", CASE.name, "--json", str(tmp / "r.json"))
    assert res.returncode in (0, 1), res.stderr
    return json.loads((tmp / "r.json").read_text(encoding="utf-8"))["problems"]


def test_validate_and_the_summary_take_the_latest_year(typed, tmp_path):
    d, _, good, off = typed
    rules = [p["rule"] for p in _problems(good, tmp_path)]
    assert "assets-agree" not in rules and "served-agree" not in rules, rules
    assert [p["cell"] for p in _problems(off, tmp_path) if p["rule"] == "assets-agree"], "the real one is found"
    out = tmp_path / "汇总表.xlsx"
    res = xlbase("merge", str(good), "-o", str(out), "--programme", CASE.name)
    assert res.returncode in (0, 1), res.stderr
    rows, _ = read_summary(out, CASE.programme)
    latest = CASE.answers()[TABLE][-1]
    assert (rows[0]["revenue"], rows[0]["smes_served"]) == (latest["revenue"], latest["smes_served"]), rows[0]


@pytest.mark.libreoffice
def test_the_sheet_takes_the_latest_year_as_validate_does(typed, tmp_path):
    d, _, good, off = typed
    pack = load_generic_pack(CASE.programme)
    books = dict(zip(("good", "off"), soffice_convert_all([good, off], "xlsx", d / "lo")))
    for name, path in books.items():
        found = [p for p in _problems(path, tmp_path)
                 if pack.has_rule(p["rule"]) and p["severity"] == pack.rule(p["rule"]).severity]
        sheet = sheet_counts(path)
        for rule in ("assets-agree", "served-agree"):
            assert sheet.get(rule, 0) == sum(p["rule"] == rule for p in found), (name, rule, sheet)
        assert sheet.get("assets-agree", 0) == (1 if name == "off" else 0), (name, sheet)
