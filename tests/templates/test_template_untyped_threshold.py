"""A base whose 基地类型 is blank or not one the list knows: the 表内检查 holds its 已入驻企业数 to the same
threshold validate does (the loosest type's, rules.live.untyped_threshold) — short under every type is
counted in both, short only under some types in neither (validate's info asks for the type), and the sheet says
请核实 there. A type validate reads but the sheet cannot (商务㊙书型: NFKC folds ㊙ to 秘, the sheet does not) is
请核实 where the figure lies between the loosest and the strictest type's threshold — validate's 错误 under the
strict type it reads; before, the sheet took the loosest threshold and said 通过 (the hypothesis drawing of every
spelling is tests/templates/test_template_threshold_types.py)."""

from __future__ import annotations

import pytest

from conftest import soffice_convert_all
from template_clerk import Clerk, base_for, rules_own, sheet_counts, sheet_results, validate_problems
from xlbase.rules import load_pack
from xlbase.rules.live import untyped_threshold
from xlbase.templates.workbooks import write_applicant_workbook

pytestmark = [pytest.mark.libreoffice, pytest.mark.filterwarnings("ignore:Print area cannot be set")]

RULE = "resident-firms-min"
LOOSEST = untyped_threshold(load_pack().rule(RULE))
#: case -> (firms typed, 基地类型 typed)
CASES = {"short-blank": (LOOSEST - 2, None), "short-unknown": (LOOSEST - 2, "综合型"),
         "undecided-blank": (LOOSEST + 5, None), "typed": (LOOSEST + 5, "工业园区型"),
         "undecided-unknown": (LOOSEST + 5, "综合型"), "strict-unread": (LOOSEST + 5, "商务㊙书型")}
#: case -> (the 表内检查's 结果, validate's errors)
VERDICTS = {"short-blank": ("不符合", 1), "short-unknown": ("不符合", 1), "undecided-blank": ("请核实", 0),
            "typed": ("通过", 0), "undecided-unknown": ("请核实", 0), "strict-unread": ("请核实", 1)}


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    d = tmp_path_factory.mktemp("untyped")
    sources, written = {}, {}
    for case, (n, typed) in CASES.items():
        if n not in written:    # one workbook written per firm count, each case typed on it alone (save_case)
            base, firms, comps = base_for(n)
            written[n] = Clerk(write_applicant_workbook(d / f"written-{n}.xlsx", base=base, firms=firms,
                                                        comparables=comps))
        written[n].record("附件2", "base_type", typed)
        sources[case] = written[n].save_case(d / f"{case}.xlsx")
    done = soffice_convert_all(list(sources.values()), "xlsx", d / "lo", timeout=600)
    return dict(zip(sources, done))


@pytest.mark.parametrize("case", list(CASES))
def test_the_sheet_counts_an_untyped_base_as_validate_does(recalculated, case):
    path = recalculated[case]
    errors = [p for p in rules_own(validate_problems(path)) if p.rule == RULE]
    result, n_errors = VERDICTS[case]
    assert (sheet_results(path)[RULE], len(errors)) == (result, n_errors), case
    assert sheet_counts(path)[RULE] == (len(errors) if result != "请核实" else 0), case
