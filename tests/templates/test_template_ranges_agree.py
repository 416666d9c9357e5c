"""A figure typed as a bound or an estimate ("约300", "30户以上", "≥18", "300余", "近百", "2千多", "20-30") is judged
in the sheet as `xlbase validate` judges it (read.estimates, rules.kinds.thresholds): met for the whole range —
通过; broken for the whole range by the clerk's own words — 不符合; broken only by an estimate's margin, or
undecided — 请核实. Before, the sheet read every such figure as unreadable (red, "无法识别") and judged nothing.

The spellings are generated from data/estimates.yaml's words (typed_numbers.estimate_spelling) around each minimum
rule's threshold (below, at, just above and well above it) and kept where validate reads them as a range; every case
is one row of ONE 附件11 汇总表, each threshold field of the row holding one spelling, recalculated in ONE LibreOffice
run and compared rule by rule, row by row with what validate reports on the same file (as
test_template_threshold_types does for the type). The reads themselves (the range's ends) are compared with
read.estimates in test_template_numbers_agree.
"""

from __future__ import annotations

import random

import openpyxl
import pytest

from conftest import soffice_convert_all
from template_clerk import Clerk, summary_rows, validate_problems
from typed_numbers import estimate_spelling
from xlbase.forms import SUMMARY_FORM, get_form
from xlbase.forms.roles import BASE_TYPE
from xlbase.read.estimates import word_lists
from xlbase.read.normalise import ESTIMATE, parse_number
from xlbase.rules import load_pack
from xlbase.templates.dates import UNREADABLE
from xlbase.templates.numbers import NUMBER_SHEET
from xlbase.templates.row_counts import ROW_SHEET
from xlbase.templates.workbooks import write_summary_workbook

pytestmark = [pytest.mark.libreoffice, pytest.mark.filterwarnings("ignore:Print area cannot be set")]

PASS, FAIL, CHECK = "通过", "不符合", "请核实"
ROWS = 120
FORM = get_form(SUMMARY_FORM)
RULES = [r for r in load_pack().rules if r.kind in ("min", "max") and FORM.has_field(r.field)]
#: a 基地类型 the sheet cannot read (a Kangxi radical for 工): validate reads 工业园区型, the sheet knows only that the
#: threshold lies between the types' loosest and strictest (test_template_threshold_types)
UNREAD = "⼯业园区型"
#: the 基地类型 of most rows, and a few others: a loose and a strict one, one the sheet cannot read, one left blank
TYPES = ["楼宇型"] * 6 + ["工业园区型", "商务秘书型", UNREAD, None]
#: (sheet, validate) pairs that contradict each other: where the sheet cannot read the type it may only say 请核实 more
CONTRADICT = {(PASS, FAIL), (FAIL, PASS), (FAIL, CHECK), (PASS, CHECK), (CHECK, PASS), (CHECK, FAIL)}
CONTRADICT_UNREAD = {(PASS, FAIL), (FAIL, PASS), (FAIL, CHECK), (PASS, CHECK)}


def _figures(rule, base_type) -> list[float]:
    th = rule.threshold_for(base_type) if rule.per_type else rule.threshold
    th = float(th if th is not None else min(float(v) for v in rule.threshold.values()))
    return sorted({max(round(th * k), 0) for k in (0.3, 0.6, 0.8)} | {th - 1, th, th + 1, round(th * 1.5), th * 3})


def _words() -> list[str]:
    w = word_lists()
    return list(dict.fromkeys([*(x for x, _ in w["before"]), *(x for x, _ in w["after"]), *w["past"], *w["between"]]))


def _spelling(rule, value: float, rng: random.Random, word: str | None) -> str:
    """A spelling validate reads as a range in the rule's field (drawn until one is), using `word` when given."""
    f = FORM.field(rule.field)
    for _ in range(200):
        text = estimate_spelling(value, f, rng, word)
        if parse_number(text, f).note == ESTIMATE:
            return text
    raise AssertionError(f"no range spelling of {value} for {f.key}")


def _cases() -> list[tuple[str | None, dict[str, str]]]:
    """(基地类型, {rule id: the text typed in its field}) per row."""
    rng = random.Random(20)
    words = iter(_words())      # every word of the data once, then drawn
    out = []
    for i in range(ROWS):
        base_type = TYPES[i % len(TYPES)]
        out.append((base_type, {r.id: _spelling(r, rng.choice(_figures(r, base_type)), rng, next(words, None))
                                for r in RULES}))
    return out


@pytest.fixture(scope="module")
def judged(tmp_path_factory):
    d = tmp_path_factory.mktemp("ranges")
    cases = _cases()
    path = write_summary_workbook(d / "ranges.xlsx", rows=summary_rows(len(cases), "范围"), year=2024)
    clerk = Clerk(path)
    for i, (base_type, typed) in enumerate(cases):
        clerk.row(SUMMARY_FORM, i, BASE_TYPE, base_type)
        for rule in RULES:
            clerk.row(SUMMARY_FORM, i, rule.field, typed[rule.id])
    clerk.save()
    book = soffice_convert_all([path], "xlsx", d / "lo", timeout=600, recalc=True)[0]
    table = clerk.tables[SUMMARY_FORM]
    rows = [int(r) for r in table.data["_row"]][:len(cases)]
    said: dict[tuple[str, str], set[str]] = {}
    for p in validate_problems(book):
        said.setdefault((p.rule, p.cell), set()).add(p.severity)
    marks = _marks(path, d, [table.cell(r.field, rows[0]) for r in RULES], rows)
    ws = openpyxl.load_workbook(book, data_only=True)[ROW_SHEET]
    heads = [c.value for c in ws[1]]
    out = []
    for rule in RULES:
        count = heads.index(f"{rule.id} count") + 1
        doubt = heads.index(f"{rule.id} doubt") + 1 if f"{rule.id} doubt" in heads else None
        for i, r in enumerate(rows):
            # its problem at the figure; its info (the type decides) at the type
            at = said.get((rule.id, table.cell(rule.field, r)), set()) | said.get((rule.id, table.cell(BASE_TYPE, r)),
                                                                               set())
            want = FAIL if rule.severity in at else CHECK if at else PASS
            got = FAIL if ws.cell(r, count).value else CHECK if doubt and ws.cell(r, doubt).value else PASS
            mark = marks[(table.cell(rule.field, r))]
            out.append((rule.id, cases[i][0], cases[i][1][rule.id], got, want, mark))
    return out, book


RED, YELLOW = "FFC7CE", "FFEB9C"      # templates.checks.BAD, MISMATCH
PROBE_COL = 60


def _marks(path, d, firsts: list[str], rows: list[int]) -> dict[str, str]:
    """The fill each conditional format of the threshold columns gives each typed cell, as LibreOffice computes the
    condition: every rule's formula copied, cell by cell, into a probe cell of its row (its relative references
    moved to the cell, the names it uses left to resolve there, as a condition's do): {cell: 不符合 / 请核实 / 通过}."""
    from openpyxl.formula.translate import Translator
    wb = openpyxl.load_workbook(path)
    ws = wb[FORM.sheet]
    probes: dict[str, list[tuple[str, str]]] = {}
    col = PROBE_COL
    for cf in ws.conditional_formatting:
        first = next(iter(cf.sqref.ranges))
        origin = first.coord.split(":")[0]
        if not any(origin.rstrip("0123456789") == f.rstrip("0123456789") for f in firsts):
            continue
        for rule in cf.rules:
            colour = str(rule.dxf.fill.bgColor.rgb or rule.dxf.fill.fgColor.rgb)[-6:] if rule.dxf and rule.dxf.fill else ""
            if colour not in (RED, YELLOW) or not rule.formula:
                continue
            letter = origin.rstrip("0123456789")
            for r in rows:
                probe = ws.cell(r, col)
                probe.value = Translator("=" + rule.formula[0], origin=origin).translate_formula(f"{letter}{r}")
                probes.setdefault(f"{letter}{r}", []).append((probe.coordinate, colour))
            col += 1
    wb.save(d / "probed.xlsx")
    got = openpyxl.load_workbook(soffice_convert_all([d / "probed.xlsx"], "xlsx", d / "probed_lo", timeout=600,
                                                     recalc=True)[0], data_only=True)[FORM.sheet]
    out = {}
    for cell, found in probes.items():
        on = {colour for probe, colour in found if got[probe].value is True}
        out[cell] = FAIL if RED in on else CHECK if YELLOW in on else PASS
    return out


def test_the_sheet_judges_a_range_as_validate_does(judged):
    verdicts, _ = judged
    assert len(verdicts) >= ROWS * len(RULES) >= 300
    differ = [v for v in verdicts if (v[3], v[4]) in (CONTRADICT_UNREAD if v[1] == UNREAD else CONTRADICT)]
    print(f"ranges: {len(verdicts) - len(differ)} agree, {len(differ)} disagree of {len(verdicts)}")
    assert not differ, f"{len(differ)} of {len(verdicts)} (rule, type, typed, sheet, validate): {differ[:20]}"


def test_the_marks_on_the_cell_say_what_validate_says(judged):
    """The typed cell's fill: red where validate's verdict is 不符合, yellow where 请核实, none where it says nothing
    (an unreadable type: the sheet may only say 请核实 more)."""
    verdicts, _ = judged
    differ = [v for v in verdicts if (v[5], v[4]) in (CONTRADICT_UNREAD if v[1] == UNREAD else CONTRADICT)]
    print(f"marks: {len(verdicts) - len(differ)} agree, {len(differ)} disagree of {len(verdicts)}")
    assert not differ, f"{len(differ)} of {len(verdicts)} (rule, type, typed, sheet, validate, mark): {differ[:20]}"


def test_the_cases_reach_every_verdict_and_every_word(judged):
    """The drawing met, broke and left undecided each rule, and typed every word of the data."""
    verdicts, _ = judged
    for rule in RULES:
        assert {v[4] for v in verdicts if v[0] == rule.id} == {PASS, FAIL, CHECK}, rule.id
    typed = "".join(v[2] for v in verdicts)
    assert not {x for x in _words() if x not in typed}


def test_a_range_is_no_unreadable_number(judged):
    """No read of a typed range is UNREADABLE: the red mark and the check line's count of unreadable figures leave
    it alone (validate's value-estimate is an info)."""
    _, book = judged
    ws = openpyxl.load_workbook(book, data_only=True)[NUMBER_SHEET]
    assert not [c.coordinate for row in ws.iter_rows() for c in row if c.value == UNREADABLE]
