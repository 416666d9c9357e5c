"""A share-min rule whose part or whole is typed as a bound or an estimate ("约6000平方米", "20余家", "18-22家") is
judged in the sheet as `xlbase validate` judges it (rules.ranges.share_verdict): met for every value of the ranges —
通过; below for every value, by the clerk's own words — 不符合; below only by an estimate's margin, or met for some
values and not for others — 请核实. Before, the sheet judged plain figures only and said 通过 over any range.

衡阳's two share-min rules: 自持20%以上 (申请表: 自持面积 of 总建筑面积, one record) and 小型微型企业70%以上 (近两年运营情况:
小微企业 of 入驻企业 in the latest year's row). Each case types a part and a whole around the threshold (shares below,
at and above it), each side a plain figure or a spelling generated from data/estimates.yaml's words
(typed_numbers.estimate_spelling, kept where validate reads it as a range), one side at least a range; every case is
one applicant workbook, all recalculated in ONE LibreOffice run and validated in one `xlbase validate` run.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import openpyxl
import pytest

from conftest import soffice_convert_all
from programme_inbox import fill, load_case, make_templates, sheet_of, xlbase
from template_clerk import sheet_results
from typed_numbers import estimate_spelling
from xlbase.check import pack_for
from xlbase.forms.programmes import load_programme
from xlbase.read.normalise import ESTIMATE, parse_number

pytestmark = [pytest.mark.libreoffice, pytest.mark.filterwarnings("ignore:Print area cannot be set")]

CASE = load_case("hengyang-2023")
PACK = pack_for(programme=load_programme(CASE.name))
RULES = [r for r in PACK.rules if r.kind == "share-min"]
N_CASES = 24
PASS, FAIL, CHECK = "通过", "不符合", "请核实"
#: the whole each case starts from, per rule (its share then drawn around the threshold)
WHOLES = (8, 25, 40, 120, 30000)


def _field(rule, key):
    return CASE.programme.forms[rule.form].field(key)


def _spelled(value: float, f, rng: random.Random) -> str | float:
    """`value` typed as a range validate reads (drawn until one is), else the plain figure."""
    for _ in range(60):
        text = estimate_spelling(value, f, rng)
        if parse_number(text, f).note == ESTIMATE:
            return text
    return value


def _cases() -> list[dict[str, tuple[object, object]]]:
    """Per workbook: rule id -> (part typed, whole typed)."""
    rng = random.Random(15)
    out = []
    for _ in range(N_CASES):
        case = {}
        for rule in RULES:
            part_key, whole_key = rule.fields[:2]
            th = float(rule.threshold)
            whole = float(rng.choice(WHOLES))
            share = th * rng.choice((0.4, 0.8, 0.95, 1.0, 1.05, 1.25, 2.0))
            part = float(round(whole * min(share, 1.0)))
            sides = rng.choice(("part", "whole", "both"))
            typed_part = _spelled(part, _field(rule, part_key), rng) if sides in ("part", "both") else part
            typed_whole = _spelled(whole, _field(rule, whole_key), rng) if sides in ("whole", "both") else whole
            case[rule.id] = (typed_part, typed_whole)
        out.append(case)
    return out


@pytest.fixture(scope="module")
def judged(tmp_path_factory):
    d = tmp_path_factory.mktemp("share_ranges")
    template = make_templates(CASE.name, d / "templates") / CASE.applicant_file
    src = d / "src"
    src.mkdir()
    cases = _cases()
    paths = []
    for i, case in enumerate(cases):
        path = src / f"case{i:02d}.xlsx"
        where = fill(template, path, CASE.programme, CASE.answers(), f"甲{i}")
        wb = openpyxl.load_workbook(path)
        for rule in RULES:
            row = "@last" if getattr(rule.args, "row", None) == "last" else ""
            ws = wb[sheet_of(CASE.programme, rule.form)]
            for key, value in zip(rule.fields[:2], case[rule.id]):
                ws[where[f"{rule.form}.{key}{row}"]].value = value
        wb.save(path)
        paths.append(path)
    books = soffice_convert_all(paths, "xlsx", d / "lo", timeout=900, recalc=True)
    checked = d / "checked"
    checked.mkdir()
    for b in books:
        shutil.copy(b, checked / b.name)
    res = xlbase("validate", str(checked), "--programme", CASE.name, "--json", str(d / "r.json"))
    assert res.returncode in (0, 1), res.stderr
    said: dict[tuple[str, str], set[str]] = {}
    for p in json.loads((d / "r.json").read_text(encoding="utf-8"))["problems"]:
        said.setdefault((Path(p["file"]).name, p["rule"]), set()).add(p["severity"])
    out = []
    for case, book in zip(cases, books):
        results = sheet_results(book)
        for rule in RULES:
            at = said.get((book.name, rule.id), set())
            want = FAIL if rule.severity in at else CHECK if at else PASS
            out.append((rule.id, *case[rule.id], results[rule.id], want))
    return out


def test_the_sheet_judges_a_share_typed_as_a_range_as_validate_does(judged):
    differ = [v for v in judged if v[3] != v[4]]
    said = {v: sum(1 for x in judged if x[4] == v) for v in (PASS, FAIL, CHECK)}
    print(f"share-min ranges: {len(judged) - len(differ)} agree, {len(differ)} disagree of {len(judged)}; "
          f"validate: {said}")
    assert not differ, f"{len(differ)} of {len(judged)} (rule, part, whole, sheet, validate): {differ}"


def test_the_cases_reach_every_verdict(judged):
    """The drawing met and broke each rule and left some undecided (validate's verdicts), with ranges on either side.
    (小型微型企业70%以上 gets no 请核实 from validate on this draw; why its undecided-looking cases are decided there
    was not worked out.)"""
    for rule in RULES:
        assert {v[4] for v in judged if v[0] == rule.id} >= {PASS, FAIL}, rule.id
    assert CHECK in {v[4] for v in judged}
    assert any(isinstance(v[1], str) and not isinstance(v[2], str) for v in judged)
    assert any(isinstance(v[2], str) and not isinstance(v[1], str) for v in judged)
