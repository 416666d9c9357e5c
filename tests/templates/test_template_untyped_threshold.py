"""A base whose 基地类型 is blank or not one the list knows: the 表内检查 holds its 已入驻企业数 to the same
threshold validate does (the loosest type's, rules.live.untyped_threshold) — short under every type is
counted in both, short only under some types in neither (validate's info asks for the type)."""

from __future__ import annotations

import pytest

from conftest import soffice_convert_all
from template_clerk import Clerk, base_for, rules_own, sheet_counts, validate_problems
from xlbase.rules import load_pack
from xlbase.rules.live import untyped_threshold
from xlbase.templates.workbooks import write_applicant_workbook

pytestmark = [pytest.mark.libreoffice, pytest.mark.filterwarnings("ignore:Print area cannot be set")]

RULE = "resident-firms-min"
LOOSEST = untyped_threshold(load_pack().rule(RULE))
#: case -> (firms typed, 基地类型 typed)
CASES = {"short-blank": (LOOSEST - 2, None), "short-unknown": (LOOSEST - 2, "综合型"),
         "undecided-blank": (LOOSEST + 5, None), "typed": (LOOSEST + 5, "工业园区型")}


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    d = tmp_path_factory.mktemp("untyped")
    sources = {}
    for case, (n, typed) in CASES.items():
        base, firms, comps = base_for(n)
        path = write_applicant_workbook(d / f"{case}.xlsx", base=base, firms=firms, comparables=comps)
        c = Clerk(path)
        c.record("附件2", "base_type", typed)
        sources[case] = c.save()
    done = soffice_convert_all(list(sources.values()), "xlsx", d / "lo", timeout=600)
    return dict(zip(sources, done))


@pytest.mark.parametrize("case", list(CASES))
def test_the_sheet_counts_an_untyped_base_as_validate_does(recalculated, case):
    path = recalculated[case]
    errors = [p for p in rules_own(validate_problems(path)) if p.rule == RULE]
    assert sheet_counts(path)[RULE] == len(errors), case
    assert len(errors) == (1 if case.startswith("short") else 0), case
