"""附件3's small/micro share (the ratio rule) when a firm's 职工人数 or 营业收入 is typed as a range ("不足50人",
"20-30人", "300人以上", "约30", "500万左右"): the sheet sizes that firm as validate does (rules.sizing.classify with
the typed ranges: small for sure when the range lies below one floor of every industry it may be in, not small
for sure when it meets every floor, undecided — 请核实 in the share — when it straddles one; an estimate's margin
decides nothing), and the 表内检查 judges the share as validate's ratio rule does.

The spellings are generated from data/estimates.yaml (typed_numbers.estimate_spelling, every word of the data in
turn), of figures on both sides of each floor of the standard (one below, at it, one above); the firm's other
measure is typed plain, at or above its floor (so the range decides) or below it, or left blank. The firms of a
case are mostly plain small firms, so the share hovers at the threshold and the ranged firms decide it. All cases
recalculated in ONE LibreOffice run, each compared with `xlbase validate` on the same file.
"""

from __future__ import annotations

import random

import openpyxl
import pandas as pd
import pytest

from conftest import soffice_convert_all
from template_clerk import Clerk, base_for, sheet_results, validate_problems
from typed_numbers import estimate_spelling
from xlbase.forms import get_form
from xlbase.forms.roles import EMPLOYEES, INDUSTRY, REVENUE, SIZE_CLASS
from xlbase.read import read_workbook
from xlbase.read.estimates import word_lists
from xlbase.read.normalise import ESTIMATE, estimate_in, parse_number
from xlbase.rules import load_pack, sizing
from xlbase.templates.check_sheet import CHECK, PASS, VERDICTS
from xlbase.templates.sizes import NOT_SMALL, SIZE_SHEET, SMALL
from xlbase.templates.workbooks import write_applicant_workbook

pytestmark = [pytest.mark.libreoffice, pytest.mark.filterwarnings("ignore:Print area cannot be set")]

N_CASES = 12
N_FIRMS = 20
FIRMS = get_form("附件3")
RULE = next(r for r in load_pack().rules if r.kind == "ratio" and r.form == "附件3")
#: industries whose floors the ranges straddle: one using both measures, one revenue only, and none (strictest)
INDUSTRIES = ("工业", "零售业", "批发业", "软件和信息技术服务业", "农林牧渔业", None)


def _words() -> list[str]:
    """Every word of data/estimates.yaml a spelling can be made to use."""
    w = word_lists()
    return [*(x for x, _ in w["before"]), *(x for x, _ in w["after"]), *w["past"], *w["between"]]


def _ranged(rng: random.Random, measure: str, floor: float, word: str) -> str | None:
    """A range of a figure just below, at or just above `floor` spelled with `word`, validate reads as a range."""
    f = FIRMS.field(measure)
    for _ in range(40):
        value = floor + rng.choice((-1, 0, 1, -0.3 * floor, 0.5 * floor))
        text = estimate_spelling(max(value, 1), f, rng, word=word if rng.random() < 0.8 else None)
        if parse_number(text, f).note == ESTIMATE:
            return text
    return None


def _cases(firms: list[dict]) -> list[dict[int, dict]]:
    """Per case: firm row -> what is typed over it (industry, size class, both measures, one of them a range)."""
    rng = random.Random(2011)
    medium = sizing.standard()["medium"]
    words = _words()
    out = []
    for c in range(N_CASES):
        typed: dict[int, dict] = {}
        rows = list(range(len(firms)))
        rng.shuffle(rows)
        n_ranged = rng.choice((2, 3, 4, 6))
        n_medium = rng.choice((0, 0, 1, 2))
        for k, i in enumerate(rows):
            industry = rng.choice(INDUSTRIES)
            said = {INDUSTRY: industry, SIZE_CLASS: rng.choice((None, None, None, "小型", "中型"))}
            floors = medium[industry] if industry else {m: min(float(b[m]) for b in medium.values() if m in b)
                                                        for m in (EMPLOYEES, REVENUE)}
            if k < n_ranged:
                measure = rng.choice([m for m in (EMPLOYEES, REVENUE) if m in floors])
                text = None
                while text is None:
                    text = _ranged(rng, measure, float(floors[measure]), words[(c * 7 + k) % len(words)])
                other = REVENUE if measure == EMPLOYEES else EMPLOYEES
                said[measure] = text
                top = float(floors.get(other, 100))
                said[other] = rng.choice((None, top, top * 3, max(top // 4, 1)))
            elif k < n_ranged + n_medium:        # proven not small wherever its industry is said
                said.update({INDUSTRY: "工业", SIZE_CLASS: None, EMPLOYEES: 500, REVENUE: 9000.0})
            else:                                 # small under every industry
                said.update({EMPLOYEES: rng.randint(3, 9), REVENUE: float(rng.randint(20, 90)), SIZE_CLASS: None})
            typed[i] = said
        out.append(typed)
    return out


@pytest.fixture(scope="module")
def judged(tmp_path_factory):
    d = tmp_path_factory.mktemp("size_ranges")
    base, firms, comps = base_for(N_FIRMS)
    written = write_applicant_workbook(d / "written.xlsx", base=base, firms=firms, comparables=comps)
    c = Clerk(written)
    cases = _cases(firms)
    sources = []
    for n, typed in enumerate(cases):
        for i, said in typed.items():
            for key, value in said.items():
                c.row("附件3", i, key, value)
        sources.append(c.save_case(d / f"case{n:02d}.xlsx"))
    books = soffice_convert_all(sources, "xlsx", d / "lo", timeout=900, recalc=True)
    return list(zip(cases, books))


def _expected(book) -> tuple[pd.DataFrame, pd.Series]:
    """validate's sizing of each firm row of the workbook, the typed ranges read as validate reads them."""
    table = next(t for t in read_workbook(book).tables if t.form_id == "附件3")
    typed: dict[str, dict] = {EMPLOYEES: {}, REVENUE: {}}
    for key in typed:
        if key in table.raw.columns:
            for i, raw in zip(table.data.index, table.raw[key]):
                e = estimate_in(table, key, raw) if isinstance(raw, str) else None
                if e is not None:
                    typed[key][i] = e
    mode = load_pack().params.get("unknown_industry") or sizing.UNKNOWN_INDUSTRY[0]
    return table.data, sizing.classify(table.data, mode, typed)["small"]


def test_each_ranged_firm_is_sized_as_validate_sizes_it(judged):
    rows = differ = 0
    seen = set()
    wrong = []
    for _, book in judged:
        data, small = _expected(book)
        ws = openpyxl.load_workbook(book, data_only=True)[SIZE_SHEET]
        col = next(c.column for c in ws[1] if c.value == "value")
        for (_, row), want in zip(data.iterrows(), small):
            said = "" if pd.isna(want) else SMALL if want else NOT_SMALL
            got = ws.cell(int(row["_row"]), col).value
            got = "" if got is None else got
            rows += 1
            seen.add(said)
            if got != said:
                differ += 1
                wrong.append((book.name, int(row["_row"]), row.get(INDUSTRY), row.get(EMPLOYEES), row.get(REVENUE),
                              got, said))
    print(f"firm sizes with ranged figures: {rows - differ} agree, {differ} disagree of {rows}")
    assert not wrong, wrong[:10]
    assert seen == {SMALL, NOT_SMALL, ""}, seen


def test_the_share_is_judged_as_validate_judges_it(judged):
    out = []
    for _, book in judged:
        at = {p.severity for p in validate_problems(book) if p.rule == RULE.id}
        want = VERDICTS.get(RULE.severity, CHECK) if RULE.severity in at else CHECK if at else PASS
        out.append((book.name, sheet_results(book)[RULE.id], want))
    differ = [v for v in out if v[1] != v[2]]
    print(f"small/micro share over ranged firms: {len(out) - len(differ)} agree, {len(differ)} disagree of {len(out)}")
    assert not differ, differ
    assert len({v[2] for v in out}) >= 2, out         # the cases reach more than one verdict
