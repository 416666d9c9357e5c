"""A programme's applicant template judges in the sheet what its pack lets one workbook decide: its 表内检查
sheet counts, once LibreOffice has recalculated a clerk's filled template, exactly the problems `xlbase
validate --programme` reports for each rule it lists, with the pack's own numbers. Cases: every
programme's case file (cases/<programme>.yaml): the clean answers and each rule broken once."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from conftest import soffice_convert_all
from programme_inbox import fill, load_cases, make_templates, xlbase
from xlbase.rules.programme import load_generic_pack
from template_clerk import sheet_counts

pytestmark = [pytest.mark.libreoffice, pytest.mark.filterwarnings("ignore:Print area cannot be set")]

CASES = load_cases()


@pytest.fixture(scope="module", params=CASES, ids=[c.name for c in CASES])
def recalculated(request, tmp_path_factory) -> tuple:
    """(case, {variant: the recalculated workbook}, {variant: validate's problems of the typed workbook})."""
    case = request.param
    d = tmp_path_factory.mktemp(case.name)
    templates = make_templates(case.name, d / "templates")
    (d / "src").mkdir()
    variants = {"clean": {}, **{case.variant(v): v["change"] for v in case.violations}}
    typed = {name: d / "src" / f"{name}.xlsx" for name in variants}
    for name, change in variants.items():
        fill(templates / case.applicant_file, typed[name], case.programme, case.answers(change), f"{name}单位")
    res = xlbase("validate", str(d / "src"), "--programme", case.name, "--json", str(d / "r.json"))
    assert res.returncode in (0, 1), res.stdout + res.stderr
    problems = json.loads((d / "r.json").read_text(encoding="utf-8"))["problems"]
    found = {name: [p for p in problems if Path(p["file"]).name == path.name] for name, path in typed.items()}
    books = soffice_convert_all(list(typed.values()), "xlsx", d / "lo")      # one LibreOffice start
    return case, dict(zip(typed, books)), found


def test_the_sheet_counts_what_validate_reports(recalculated):
    case, books, found = recalculated
    pack = load_generic_pack(case.programme)
    own_variant = {}
    for name, path in books.items():
        sheet = sheet_counts(path)
        assert sheet, "no rule on the 表内检查 sheet"
        validate = Counter(p["rule"] for p in found[name]          # at the rule's own severity, not its notes
                           if pack.has_rule(p["rule"]) and p["severity"] == pack.rule(p["rule"]).severity)
        differ = {rule: (n, validate.get(rule, 0)) for rule, n in sheet.items() if n != validate.get(rule, 0)}
        assert not differ, f"{case.name} {name}: rule -> (sheet, validate): {differ}"
        rule = next((v["rule"] for v in case.violations if case.variant(v) == name), name)
        own_variant[name] = (sheet.get(rule), validate.get(rule, 0))
    judged = set(sheet_counts(books["clean"]))
    assert not any(sheet_counts(books["clean"]).values())
    # each rule a variant breaks, when the sheet lists it, is counted there (the sheet counts what validate
    # reports at the rule's severity: a choice in a column of our own is a warning, as a blank one is)
    assert {v["rule"] for v in case.violations if own_variant[case.variant(v)][0]} == \
        {v["rule"] for v in case.violations if own_variant[case.variant(v)][1]} & judged
    assert {r.id for r in pack.rules if r.kind in ("min", "share-min", "rows-min")} <= judged


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_rule_the_sheet_judges_has_a_case(case, tmp_path):
    """A rule added to a programme's pack that its 表内检查 judges comes with a case breaking it (as Shanxi's
    tests/templates/test_template_rules_one_by_one), so the agreement above covers every judged rule."""
    import openpyxl
    from template_clerk import RULE_COL
    from xlbase.templates.check_sheet import CHECK_SHEET
    templates = make_templates(case.name, tmp_path / "templates")
    ws = openpyxl.load_workbook(templates / case.applicant_file, read_only=True)[CHECK_SHEET]
    judged = {row[RULE_COL - 1] for row in ws.iter_rows(values_only=True)
              if len(row) >= RULE_COL and row[RULE_COL - 1] and row[RULE_COL - 1] != "规则编号"}
    assert judged, "no rule on the 表内检查 sheet"
    assert judged <= {v["rule"] for v in case.violations}, sorted(judged - {v["rule"] for v in case.violations})
