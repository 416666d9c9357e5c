"""Each rule the 表内检查 sheet judges, broken alone on a clean workbook: the sheet counts that rule (and
no other) as `xlbase validate` does, after LibreOffice recalculates. A rule of the default pack that the
sheet judges and no case here breaks fails the test, so a new rule comes with its case.

The workbooks are filled with generated data (samples/generate.py) and typed over by a clerk
(tests/fixtures/template_clerk.py); all of them are recalculated in one LibreOffice run.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from pathlib import Path

import pytest

from conftest import soffice_convert_all
from template_clerk import Clerk, base_for, rules_own, sheet_counts, sheet_results, validate_problems
from xlbase.rules import load_pack
from xlbase.templates.check_sheet import PASS
from xlbase.templates.workbooks import write_applicant_workbook

pytestmark = [pytest.mark.libreoffice, pytest.mark.filterwarnings("ignore:Print area cannot be set")]

N_FIRMS = 28        # 楼宇型 asks for 25


def _medium_firms(c: Clerk, base: dict, firms: list[dict]) -> None:
    """A quarter of the firms medium by 300号 (工业, 职工 400, 营业收入 3000 万元), totals kept in step."""
    n = N_FIRMS // 4
    for i in range(n):
        c.row("附件3", i, "industry", "工业")
        c.row("附件3", i, "employees", 400)
        c.row("附件3", i, "revenue", 3000)
    total = base["employees"] - sum(f["employees"] for f in firms[:n]) + 400 * n
    c.record("附件2", "employees", total)
    c.row("附件10", 0, "employees", total)


def _both(key: str, value):
    """The same figure on 附件2 and 附件10 (so the forms still agree)."""
    def do(c: Clerk, base: dict, firms: list[dict]) -> None:
        v = value(base) if callable(value) else value
        c.record("附件2", key, v)
        c.row("附件10", 0, key, v)
    return do


#: rule id -> what a clerk gets wrong to break it alone
BREAKS = {
    "required": lambda c, b, f: c.record("附件2", "legal_rep", None),
    "value-range": lambda c, b, f: c.record("附件2", "land_area", -5),
    "choice": lambda c, b, f: c.record("附件2", "county", "某某县"),
    "operator-age": lambda c, b, f: c.record("附件2", "registered_on", dt.datetime(2024, 3, 1)),
    "independent-legal-person": lambda c, b, f: c.row("附件10", 0, "independent_legal_person", "否"),
    "resident-firms-min": lambda c, b, f: c.record("附件2", "base_type", "高校型"),      # 30 firms for 高校型
    "small-micro-share": _medium_firms,
    "service-staff-min": _both("service_staff", 8),
    "tutors-min": lambda c, b, f: c.record("附件2", "tutors", 2),
    "partners-min": lambda c, b, f: c.row("附件10", 0, "partner_orgs", 3),
    "forms-agree": lambda c, b, f: c.record("附件2", "resident_firms", N_FIRMS + 1),
    "firm-count-match": _both("resident_firms", N_FIRMS - 1),
    "employee-sum-match": _both("employees", lambda b: round(b["employees"] * 1.2)),
    "firm-code-checksum": lambda c, b, f: c.row("附件3", 1, "credit_code", "91140900MA0K12345Y"),
    "operator-code-checksum": lambda c, b, f: c.record("附件2", "operator_code", "91140900MA0K12345X"),
    "firm-duplicate": lambda c, b, f: c.row("附件3", 1, "firm_name", f[0]["firm_name"]),
    "entry-date-plausible": lambda c, b, f: c.row("附件3", 4, "entered_on", dt.datetime(2025, 1, 1)),
    "comparables-min": lambda c, b, f: c.row("附件4", 0, "distance_km", 5),      # 楼宇型: 3 sites within 3 km
    "rent-discount": lambda c, b, f: c.record("附件4", "base_rent", 300),
    "funding-sum": lambda c, b, f: c.record("附件2", "fund_other", 150),
    "a2-subtotals": lambda c, b, f: c.record("附件2", "staff_technical", 20),
}
CLEAN = "clean"


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("one_by_one")
    (d / "src").mkdir()
    base, firms, comps = base_for(N_FIRMS)
    written = write_applicant_workbook(d / "written.xlsx", base=base, firms=firms, comparables=comps)
    c = Clerk(written)
    sources = {}
    for case in (CLEAN, *BREAKS):       # each case typed on the written workbook alone (save_case takes it back)
        if case in BREAKS:
            BREAKS[case](c, base, firms)
        sources[case] = c.save_case(d / "src" / f"{case}.xlsx")
    done = soffice_convert_all(list(sources.values()), "xlsx", d / "lo", timeout=600)
    return dict(zip(sources, done))


@functools.lru_cache(maxsize=None)
def _problems(path: Path) -> list:
    return validate_problems(path)


def test_every_judged_rule_has_a_case(recalculated):
    judged = set(sheet_counts(recalculated[CLEAN]))
    assert judged, "no rule on the 表内检查 sheet"
    assert judged <= set(BREAKS), f"rules the sheet judges and no case breaks: {sorted(judged - set(BREAKS))}"
    assert set(BREAKS) <= {r.id for r in load_pack().rules}


@pytest.mark.parametrize("case", [CLEAN, *BREAKS])
def test_the_sheet_judges_the_broken_rule_alone_as_validate_does(recalculated, case):
    path = recalculated[case]
    sheet, results = sheet_counts(path), sheet_results(path)
    found = Counter(p.rule for p in rules_own(_problems(path)))
    differ = {rule: (n, found.get(rule, 0)) for rule, n in sheet.items() if n != found.get(rule, 0)}
    assert not differ, f"{case}: rule -> (sheet, validate): {differ}"
    failing = {rule for rule, n in sheet.items() if n}
    assert failing == (set() if case == CLEAN else {case}), (case, failing)
    assert {rule for rule, v in results.items() if v != PASS} <= failing | _doubts(path), (case, results)


def _doubts(path: Path) -> set[str]:
    """Rules the sheet may show as 请核实 without counting them: validate's warnings under the rule."""
    return {p.rule for p in _problems(path) if p.severity == "warning"}
