"""A threshold set per 基地类型 (已入驻企业户数: 工业园区型 10 … 商务秘书型 500) judged in the sheet as `xlbase validate`
judges it, whatever way the clerk typed the type: never 通过 where validate says 错误, never 不符合 where it accepts.

validate folds the type with NFKC, so 商务㊙书型 (a circled ideograph) is 商务秘书型 to it; the sheet folds spaces,
zero-width characters, full width and brackets (templates.checks.sheet_key) but not those (checks.unfolded). Where the
sheet cannot read the type (or it is blank and the pack has no default), it knows only that the threshold lies between
the loosest and the strictest type's (checks.threshold_range): below the loosest 不符合, at or above the strictest
通过, between 请核实 (validate's error, or its info that the type decides). Before: an unreadable type took the
loosest threshold, so 商务㊙书型 with 300 firms was 通过 in the sheet and 错误 in validate.

The types are drawn by hypothesis (derandomized; tests/fixtures/typed_choices) and the figures around every type's
threshold; every case is one row of ONE 附件11 汇总表 (the row-by-row checks of templates.row_counts, the type read on
xl_types by templates.type_reads), recalculated in ONE LibreOffice run and compared row by row with what validate
reports on the same file. The applicant's workbook, whose 附件2 holds one type cell, is checked for the same mistake
in tests/templates/test_template_untyped_threshold.py.
"""

from __future__ import annotations


import openpyxl
import pytest
from hypothesis import strategies as st

from conftest import soffice_convert_all
from template_clerk import Clerk, summary_rows, validate_problems
from typed_choices import drawn, typed
from xlbase.forms import SUMMARY_FORM, get_form, value_list
from xlbase.forms.roles import BASE_TYPE
from xlbase.rules import load_pack
from xlbase.rules.rule import normalise_base_type
from xlbase.templates.checks import spellings, threshold_range, threshold_rules, unfolded
from xlbase.templates.row_counts import ROW_SHEET
from xlbase.templates.workbooks import write_summary_workbook

pytestmark = [pytest.mark.libreoffice, pytest.mark.filterwarnings("ignore:Print area cannot be set")]

PASS, FAIL, CHECK = "通过", "不符合", "请核实"
EXAMPLES = 300


def _rule():
    rules = [rule for rule in threshold_rules().values() if rule.per_type]
    assert rules, "the default pack sets no minimum per 基地类型"
    return rules[0]


RULE = _rule()


def _figures(rule) -> list[int]:
    """Figures around every threshold the rule sets (each type's, the loosest and the strictest)."""
    values = {int(rule.threshold_for(t)) for t in value_list("base_type") if rule.threshold_for(t) is not None}
    return sorted({max(v + d, 0) for v in values for d in (-1, 0, 1)})


def _cases() -> list[tuple[str, str, int]]:
    """(type typed, how it was drawn, figure typed)."""
    words = sorted(spellings("base_type"))
    odd = unfolded(words)
    kinds = drawn(st.tuples(typed(words, odd), st.sampled_from(_figures(RULE))), EXAMPLES)
    out = [(text, how, n) for (text, how), n in kinds]
    lo, hi = threshold_range(RULE)
    # blank, and the mistake this file was written for: a strict type validate reads that the sheet cannot
    out += [("", "blank", int(lo) - 1), ("", "blank", int(lo) + 1), ("", "blank", int(hi))]
    return out


def _sheet_verdicts(path, rows: list[int]) -> list[str]:
    """The rule's verdict on each of the list's `rows` (sheet rows) as the hidden xl_rows sheet computes it beside
    the row (templates.row_counts): its count, else its 请核实 count, else 通过."""
    ws = openpyxl.load_workbook(path, data_only=True)[ROW_SHEET]
    heads = [c.value for c in ws[1]]
    count, doubt = heads.index(f"{RULE.id} count") + 1, heads.index(f"{RULE.id} doubt") + 1
    return [FAIL if ws.cell(r, count).value else CHECK if ws.cell(r, doubt).value else PASS for r in rows]


@pytest.fixture(scope="module")
def judged(tmp_path_factory):
    d = tmp_path_factory.mktemp("types")
    cases = _cases()
    path = write_summary_workbook(d / "types.xlsx", rows=summary_rows(len(cases), "类型"), year=2024)
    clerk = Clerk(path)
    for i, (text, _, n) in enumerate(cases):
        clerk.row(SUMMARY_FORM, i, BASE_TYPE, text or None)
        clerk.row(SUMMARY_FORM, i, RULE.field, n)
    clerk.save()
    book = soffice_convert_all([path], "xlsx", d / "lo", timeout=600, recalc=True)[0]
    said: dict[str, set[str]] = {}
    for p in validate_problems(book):
        if p.rule == RULE.id:
            said.setdefault(p.cell, set()).add(p.severity)
    table = clerk.tables[SUMMARY_FORM]
    rows = [int(r) for r in table.data["_row"]][:len(cases)]
    validate = []
    for r in rows:      # its error at the figure; its info (the type decides) at the type
        at = said.get(table.cell(RULE.field, r), set()) | said.get(table.cell(BASE_TYPE, r), set())
        validate.append(FAIL if "error" in at else CHECK if at else PASS)
    assert not set(said) - {table.cell(k, r) for r in rows for k in (RULE.field, BASE_TYPE)}, said
    return cases, _sheet_verdicts(book, rows), validate, rows


def test_the_sheet_never_contradicts_validate(judged):
    cases, sheet, validate, _ = judged
    assert len(sheet) == len(validate) == len(cases) > 100
    wrong = [(c, s, v) for c, s, v in zip(cases, sheet, validate) if (s, v) in ((PASS, FAIL), (FAIL, PASS), (FAIL, CHECK))]
    assert not wrong, f"(case, sheet, validate): {wrong[:20]}"


def test_a_type_the_sheet_reads_gets_validates_verdict(judged):
    """Folded or full-width spellings of a listed type: the sheet reads them, so it gives validate's verdict."""
    cases, sheet, validate, _ = judged
    read = [(c, s, v) for c, s, v in zip(cases, sheet, validate) if c[1] in ("folded", "wide")]
    assert len(read) > 40
    differ = [x for x in read if x[1] != x[2]]
    assert not differ, f"(case, sheet, validate): {differ[:20]}"


def test_an_unread_type_between_the_thresholds_is_to_be_checked(judged):
    """The drawing reached all three verdicts, and a type the sheet cannot read (a compatibility form validate folds)
    with a figure between the loosest and the strictest threshold is 请核实 — where validate's verdict is 错误 too."""
    cases, sheet, validate, _ = judged
    lo, hi = threshold_range(RULE)
    assert set(sheet) == {PASS, FAIL, CHECK}
    odd = [(c, s, v) for c, s, v in zip(cases, sheet, validate) if c[1] == "odd" and lo <= c[2] < hi
           and normalise_base_type(c[0]) is not None]
    assert odd and all(s == CHECK for _, s, _ in odd), odd[:10]
    assert any(v == FAIL for *_, v in odd), "no drawn case where validate's type is stricter than the sheet can tell"


def test_the_form_holds_the_type_and_the_figure():
    form = get_form(SUMMARY_FORM)
    assert form.has_field(BASE_TYPE) and form.has_field(RULE.field)
    assert load_pack().rule(RULE.id).per_type
