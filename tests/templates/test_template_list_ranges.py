"""附件3's firm list (1 500 rows) reads a figure typed as a bound or an estimate ("约30", "20-30人", "不足50人") as
validate does: the typed cell is not red (validate reads it as a range, an info), the column's 合计 is the range
validate totals (rules.ranges.Total: "120 至 150", "不少于 120"), and employee-sum-match judges that range against
the 吸纳就业人员数 附件10 states as validate does (rules.kinds.firm_totals: consistent for some value — 通过; for none
— the rule's problem). Before, such a cell was red ("无法识别"), the 合计 left it out, and the sheet judged the sum
of the other rows.

Each case types a few firms' 职工人数 as ranges of their own figure (typed_numbers.estimate_spelling, kept where
validate reads a range) and states 附件10's figure off the true total by a factor; all cases recalculated in ONE
LibreOffice run, each compared with `xlbase validate` on the same file.
"""

from __future__ import annotations

import random
import re

import pytest
from openpyxl.utils import column_index_from_string, get_column_letter

from conftest import soffice_convert_all
from saved_values import sheet_formulas, sheet_values, texts_starting
from template_clerk import Clerk, base_for, sheet_results, validate_problems
from typed_numbers import estimate_spelling
from xlbase.forms import get_form
from xlbase.forms.roles import EMPLOYEES
from xlbase.read.normalise import ESTIMATE, estimate_of, parse_number
from xlbase.rules import load_pack
from xlbase.rules.ranges import total_of
from xlbase.templates.check_sheet import CHECK, PASS, VERDICTS
from xlbase.templates.dates import UNREADABLE
from xlbase.templates.numbers import NUMBER_SHEET
from xlbase.templates.workbooks import write_applicant_workbook

pytestmark = [pytest.mark.libreoffice, pytest.mark.filterwarnings("ignore:Print area cannot be set")]

N_CASES = 14
FIRMS = get_form("附件3")
RULE = next(r for r in load_pack().rules if r.kind == "sum-matches" and r.field == EMPLOYEES)


def _cases(firms: list[dict]) -> list[tuple[dict[int, str], float]]:
    """Per case: {firm row: its 职工人数 typed as a range}, the factor 附件10's figure is off the true total."""
    rng = random.Random(15)
    f = FIRMS.field(EMPLOYEES)
    out = []
    for _ in range(N_CASES):
        typed: dict[int, str] = {}
        for i in rng.sample(range(len(firms)), rng.choice((1, 2, 4, 8))):
            for _ in range(40):
                text = estimate_spelling(float(firms[i][EMPLOYEES]) * rng.choice((0.8, 1, 1.2)), f, rng)
                if parse_number(text, f).note == ESTIMATE:
                    typed[i] = text
                    break
        out.append((typed, rng.choice((0.3, 0.7, 0.9, 1.0, 1.1, 1.5, 3.0))))
    return out


@pytest.fixture(scope="module")
def judged(tmp_path_factory):
    d = tmp_path_factory.mktemp("list_ranges")
    base, firms, comps = base_for(28)
    written = write_applicant_workbook(d / "written.xlsx", base=base, firms=firms, comparables=comps)
    c = Clerk(written)
    total = sum(float(x[EMPLOYEES]) for x in firms)
    cases = _cases(firms)
    sources = []
    for n, (typed, factor) in enumerate(cases):
        for i, text in typed.items():
            c.row("附件3", i, EMPLOYEES, text)
        c.row("附件10", 0, EMPLOYEES, round(total * factor))
        sources.append(c.save_case(d / f"case{n:02d}.xlsx"))
    books = soffice_convert_all(sources, "xlsx", d / "lo", timeout=900, recalc=True)
    return [(typed, factor, book, firms) for (typed, factor), book in zip(cases, books)], c.tables["附件3"]


def test_the_sum_is_judged_as_validate_judges_it(judged):
    cases, _ = judged
    out = []
    for typed, factor, book, _ in cases:
        at = {p.severity for p in validate_problems(book) if p.rule == RULE.id}
        want = VERDICTS.get(RULE.severity, CHECK) if RULE.severity in at else CHECK if at else PASS
        out.append((len(typed), factor, sheet_results(book)[RULE.id], want))
    differ = [v for v in out if v[2] != v[3]]
    print(f"employee-sum-match over ranged rows: {len(out) - len(differ)} agree, {len(differ)} disagree of {len(out)}")
    assert not differ, differ
    assert {v[3] for v in out} >= {PASS, VERDICTS.get(RULE.severity, CHECK)}, out      # both verdicts reached


def test_the_total_is_the_range_validate_totals(judged):
    cases, table = judged
    f = FIRMS.field(EMPLOYEES)
    for typed, _, book, firms in cases:
        figures = [float(x[EMPLOYEES]) for i, x in enumerate(firms) if i not in typed]
        e = [estimate_of(t, f) for t in typed.values()]
        ws = sheet_values(book, "附件3")
        total_cell = _total_cell(ws, table, EMPLOYEES)
        assert ws[total_cell] == total_of(figures, [x for x in e if x is not None]).describe(), \
            (typed, ws[total_cell])


def test_a_range_in_the_list_is_no_unreadable_number(judged):
    """No read of the typed ranges is UNREADABLE: their cells are not red (validate: an info). The reads: the cells
    computing a column's value (=xl_num<n>_value; a slot column's "plain" read beside it is UNREADABLE by design)."""
    cases, _ = judged
    for typed, _, book, _ in cases:
        reads = [at for at, formula in sheet_formulas(book.parents[1] / book.name, NUMBER_SHEET).items()
                 if re.fullmatch(r"=xl_num\d+_value", formula)]
        unreadable = {at for at, v in texts_starting(book, NUMBER_SHEET, (UNREADABLE,)).items() if v == UNREADABLE}
        assert reads and not [at for at in reads if at in unreadable], typed


def _total_cell(ws, table, key: str) -> str:
    """The 合计 cell of a column of 附件3: in the column, on the row whose first cells say 合计."""
    col = column_index_from_string(table.cell(key, int(table.data["_row"].iloc[0])).rstrip("0123456789"))
    for row in range(1, 13):
        if any(ws.cell(row, c) == FIRMS.total_label for c in range(1, 4)):
            return f"{get_column_letter(col)}{row}"
    raise AssertionError("no 合计 row")
