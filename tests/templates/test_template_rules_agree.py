"""The 表内检查 sheet counts, for every rule of the default pack it judges, exactly the problems `xlbase
validate` reports for that rule, once LibreOffice has recalculated the workbook a clerk filled in.

Workbooks are filled as clerks fill them: typed over the template with openpyxl (which keeps no cached
results, so LibreOffice computes every formula), with spellings validate accepts (楼宇, 是（企业法人）,
codes in lower case with spaces) and with mistakes of every kind the sheet judges.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest

from conftest import soffice_convert_all
from saved_values import sheet_values
from template_clerk import (Clerk, base_for, rules_own, sheet_counts, sheet_results, validate_counts,
                            validate_problems)
from xlbase.forms import get_form
from xlbase.problem_codes import VALUE_ESTIMATE
from xlbase.read.normalise import UNPARSEABLE
from xlbase.rules import load_pack
from xlbase.templates.check_sheet import CHECK_SHEET
from xlbase.templates.workbooks import write_applicant_workbook

pytestmark = [pytest.mark.libreoffice, pytest.mark.filterwarnings("ignore:Print area cannot be set")]

_WRITTEN: dict[int, Path] = {}


def _written(path: Path, n_firms: int):
    """base_for(n_firms)'s workbook at `path`, as write_applicant_workbook writes it, and base_for's data.
    The same arguments write the same workbook: written once a module and copied to each case (five cases
    and the probes start from base_for(28)'s)."""
    base, firms, comps = base_for(n_firms)
    if n_firms not in _WRITTEN:
        _WRITTEN[n_firms] = write_applicant_workbook(path.with_name(f"written-{n_firms}.xlsx"), base=base,
                                                     firms=firms, comparables=comps)
    shutil.copyfile(_WRITTEN[n_firms], path)
    return base, firms, comps


_CLERKS: dict[Path, Clerk] = {}


def _clerk(path: Path, n_firms: int):
    """A clerk on base_for(n_firms)'s written workbook (loaded once for the cases that start from it: a case saves
    what it typed as `path` with Clerk.save_case, which takes it back), and base_for's data."""
    base, firms, comps = _written(path, n_firms)
    if _WRITTEN[n_firms] not in _CLERKS:
        _CLERKS[_WRITTEN[n_firms]] = Clerk(_WRITTEN[n_firms])
    return _CLERKS[_WRITTEN[n_firms]], base, firms, comps


def clean(path: Path) -> Path:
    c, base, firms, comps = _clerk(path, 28)
    return c.save_case(path)


def wrong(path: Path) -> Path:
    """A mistake for every rule the sheet judges."""
    c, base, firms, comps = _clerk(path, 28)
    c.record("附件2", "legal_rep", None)                       # required
    c.record("附件2", "tutors", 2)                             # tutors-min
    c.record("附件2", "fund_other", 150)                       # funding-sum
    c.record("附件2", "staff_technical", 20)                   # a2-subtotals (more than the staff)
    c.record("附件2", "operator_code", "91140900MA0K12345X")   # operator-code-checksum
    c.record("附件2", "base_type", "楼宇")                     # an alias: 楼宇型's thresholds
    c.record("附件2", "registered_on", dt.datetime(2024, 3, 1))  # operator-age
    c.record("附件2", "resident_firms", 99)                    # forms-agree with 附件10
    c.record("附件2", "land_area", -5)                         # value-range
    c.row("附件10", 0, "independent_legal_person", "否（分支机构）")
    c.row("附件10", 0, "employees", round(base["employees"] * 1.1))   # employee-sum-match (10 % off)
    c.row("附件10", 0, "partner_orgs", 3)                      # partners-min
    c.row("附件10", 0, "resident_firms", 20)                   # firm-count-match, resident-firms-min (楼宇 25)
    c.row("附件3", 1, "firm_name", firms[0]["firm_name"])      # firm-duplicate
    c.row("附件3", 2, "credit_code", "91140900MA0K12345Y")    # firm-code-checksum
    c.row("附件3", 3, "credit_code", "140900123456789")       # a 15-digit 注册号: a notice only
    c.row("附件3", 4, "entered_on", dt.datetime(1985, 1, 1))   # entry-date-plausible
    c.row("附件3", 5, "entered_on", dt.datetime(2025, 1, 1))
    c.row("附件3", 6, "industry", "制造")                      # choice
    c.row("附件3", 7, "employees", None)                       # required
    c.row("附件3", 8, "revenue", -5)                           # value-range
    c.row("附件3", 9, "entered_on", "2025年1月")               # entry-date-plausible, typed as text
    c.row("附件3", 10, "entered_on", 1985.03)                  # a year.month number in a date cell: 1985-03
    c.row("附件3", 11, "entered_on", "2019年春")               # no date: validate's unparseable, marked red
    c.row("附件3", 12, "entered_on", 2019.1)                   # January or October: unparseable too
    c.row("附件4", 0, "distance_km", 5)                        # comparables-min: 楼宇型 within 3 km
    c.row("附件4", 1, "distance_km", None)                     # not stated: maybe within (validate's warning)
    c.record("附件4", "base_rent", 300)                        # rent-discount
    return c.save_case(path)


def variants(path: Path) -> Path:
    """Spellings validate accepts, and figures stated on 附件2 only."""
    c, base, firms, comps = _clerk(path, 20)
    c.record("附件2", "base_type", "城市楼宇型")                # 20 firms: below 楼宇型's threshold
    c.row("附件10", 0, "independent_legal_person", "是（企业法人）")
    c.row("附件10", 0, "employees", None)                      # fallback: 附件2's figure is judged
    c.record("附件2", "employees", base["employees"] + 40)
    c.row("附件10", 0, "service_staff", None)
    c.record("附件2", "service_staff", 8)                      # service-staff-min on 附件2
    c.row("附件3", 0, "credit_code", " " + firms[0]["credit_code"].lower() + " ")   # still valid
    c.row("附件3", 1, "credit_code", firms[2]["credit_code"][:9] + " " + firms[2]["credit_code"][9:])  # duplicate
    c.row("附件4", 0, "distance_km", None)      # 楼宇型: one site without its distance may make up the three
    c.record("附件2", "registered_on", "2023.9.1")             # operator-age on 附件10, by formula from 附件2
    c.record("附件2", "built_on", "2019年3月—2020年5月")        # a period, where the notice allows one
    c.record("附件2", "service_org_founded", "2019年3月")
    c.row("附件3", 3, "entered_on", "2019.3.15")
    c.row("附件3", 4, "entered_on", 2021.05)
    return c.save_case(path)


def empty(path: Path) -> Path:
    """The blank template with only 附件2's identity typed: no firm rows, nothing to sum."""
    write_applicant_workbook(path, base={"base_name": "忻州市忻府区晨光双创基地", "resident_firms": 30})
    wb = openpyxl.load_workbook(path)       # saved again without cached results, as a clerk's copy
    wb.save(path)
    return path


def shares(path: Path) -> Path:
    """A quarter of the firms proven medium (工业 by 300号: 职工 ≥ 300 and 营业收入 ≥ 2000 万元): the
    small/micro share is below 80 % even with the rest small. Places typed as validate's matcher reads
    them; our own columns holding values validate cannot use (its warnings: 请核实)."""
    c, base, firms, comps = _clerk(path, 28)
    for i in range(7):
        c.row("附件3", i, "industry", ["制造业（食品加工）", "工业", "采矿业"][i % 3])
        c.row("附件3", i, "employees", 300 + 10 * i)
        c.row("附件3", i, "revenue", 2000 + 100 * i)
        c.row("附件3", i, "size_class", None)
    c.row("附件3", 10, "industry", "说不清的行业")            # no industry of the standard: choice warning
    c.row("附件3", 11, "size_class", "中小型")                 # says neither small nor large: choice warning
    c.record("附件2", "city", "山西省忻州市")                  # locate reads 忻州市
    c.record("附件2", "county", "忻府")                        # a county written without its 区
    return c.save_case(path)


def undecided(path: Path) -> Path:
    """A quarter of the firms neither provably small nor medium (no 所属行业, no 企业规模, a name saying nothing
    of the trade, 职工 150, 营业收入 800 万元: small in some industries of 300号, not in others): below 80 %
    only if they are not small — validate's warning, the sheet's 请核实. Places no matcher reads: choice
    errors."""
    c, base, firms, comps = _clerk(path, 28)
    for i in range(7):
        c.row("附件3", i, "firm_name", f"忻府恒泰{i + 1}号科技有限公司")     # …物流, …信息技术 would be read
        c.row("附件3", i, "industry", None)
        c.row("附件3", i, "size_class", None)
        c.row("附件3", i, "employees", 150)
        c.row("附件3", i, "revenue", 800)
    c.row("附件3", 8, "size_class", "个体户")                  # an individual business: small, a size validate reads
    c.row("附件3", 9, "industry", "批发和零售业")              # a 门类 of two industries of the standard
    c.record("附件2", "city", "山西省某某市")
    c.record("附件2", "county", "某某县")
    c.record("附件2", "base_type", "孵化器型")                 # no type of the list: choice warning (附件2, 附件10)
    # the firms stated as an estimate on both forms ("约60": 30 to 90) the 28 rows miss only by its margin: validate's
    # warning of firm-count-match, the sheet's 请核实 (templates.count_totals)
    c.record("附件2", "resident_firms", "约60")
    c.row("附件10", 0, "resident_firms", "约60")
    return c.save_case(path)


CASES = {"clean": clean, "wrong": wrong, "variants": variants, "empty": empty, "shares": shares,
         "undecided": undecided}


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("rules")
    (d / "src").mkdir()
    sources = {name: make(d / "src" / f"{name}.xlsx") for name, make in CASES.items()}
    _CLERKS.clear()     # their workbooks are large; the probes write theirs again
    return dict(zip(sources, soffice_convert_all(list(sources.values()), "xlsx", d / "lo", timeout=600)))


@pytest.mark.parametrize("name", list(CASES))
def test_typed_mistakes_leave_no_formula_error(recalculated, name, tmp_path):
    """Whatever the clerk typed (text in a date or number cell, a blank list), no formula of any sheet
    computes to an error value in LibreOffice."""
    from conftest import formula_errors
    path = recalculated[name]
    assert formula_errors(path, path.parents[1] / "src" / path.name) == []


@pytest.mark.parametrize("name", list(CASES))
def test_the_sheet_counts_what_validate_reports(recalculated, name):
    path = recalculated[name]
    sheet, found = sheet_counts(path), validate_counts(path)
    assert sheet, "no rule on the 表内检查 sheet"
    differ = {rule: (n, found.get(rule, 0)) for rule, n in sheet.items() if n != found.get(rule, 0)}
    assert not differ, f"{name}: rule -> (sheet, validate): {differ}"


def _doubted(by_type: bool = False) -> list[str]:
    """The pack's rules whose milder verdict the sheet shows too (template_rules.KIND_DOUBTS); `by_type`: those whose
    请核实 is a threshold per 基地类型 the sheet could not look up (count_thresholds.DOUBTS), else the others."""
    from xlbase.templates.count_thresholds import DOUBTS as TYPE_DOUBTS
    from xlbase.templates.rule_counts import KIND_DOUBTS
    pack = load_pack()
    # equals: its 请核实 is an answer the sheet cannot read, which validate reports under another code (unparseable)
    # or reads (ｎｏ): proven in test_template_choice_spellings, not a warning of the rule's own
    return [r.id for r in pack.rules if r.kind in KIND_DOUBTS and r.kind != "equals" and r.severity == "error"
            and (r.kind in TYPE_DOUBTS) == by_type and (not by_type or r.per_type)]


@pytest.mark.parametrize("name", list(CASES))
def test_the_sheet_asks_to_check_where_validate_warns(recalculated, name):
    """A rule whose error the sheet counts and whose warning (undecided firms, a value of our own column
    validate cannot use) it shows as 请核实: 请核实 exactly where validate warns under that rule and finds
    no error (firms counted small by the words of their 所属行业 or names count so in the sheet too)."""
    from xlbase.templates.check_sheet import CHECK
    path = recalculated[name]
    results = sheet_results(path)
    problems = validate_problems(path)
    for rule in _doubted():
        errors = any(p.rule == rule and p.severity == "error" for p in problems)
        warns = any(p.rule == rule and p.severity == "warning" for p in problems)
        if not errors:
            assert (results[rule] == CHECK) == warns, (name, rule, results[rule], warns)


@pytest.mark.parametrize("name", list(CASES))
def test_a_type_doubt_is_where_validate_says_something(recalculated, name):
    """A threshold per 基地类型 the sheet could not look up (a blank type without the pack's default, or one it cannot
    read) shows 请核实 only where validate reports the rule: its info that the type decides, or its error under the
    type it reads (never 请核实 over a value validate is silent about). Drawn spellings and figures:
    test_template_threshold_types."""
    from xlbase.templates.check_sheet import CHECK
    path = recalculated[name]
    results = sheet_results(path)
    problems = validate_problems(path)
    for rule in _doubted(by_type=True):
        if results[rule] == CHECK:
            assert any(p.rule == rule for p in problems), (name, rule)


def test_every_doubt_shows_somewhere(recalculated):
    from xlbase.templates.check_sheet import CHECK
    shown = {rule for path in recalculated.values() for rule, v in sheet_results(path).items() if v == CHECK}
    assert set(_doubted()) <= shown


def test_the_cases_break_every_rule_the_sheet_judges(recalculated):
    """Every judged rule fails somewhere and passes somewhere: no count that cannot move."""
    counts = {name: sheet_counts(path) for name, path in recalculated.items()}
    rules = set(counts["clean"])
    assert {r for r in rules if any(c[r] for c in counts.values())} == rules
    assert {r for r in rules if not all(c[r] for c in counts.values())} == rules


class _FileNames:
    """The defined names of a written workbook, as templates.conditions looks them up (xlsxwriter's list)."""

    def __init__(self, wb):
        self.defined_names = [[name, -1, d.attr_text, False] for name, d in wb.defined_names.items()]

    def define_name(self, name, formula):
        raise AssertionError(f"{formula}: the written workbook has no name for this reference")


PROBE_COL = 40          # AN: far right of every form, where a probe of a mark's condition is written per cell


@pytest.fixture(scope="module")
def probed(tmp_path_factory) -> dict[str, tuple[Path, dict]]:
    """The cases with each red mark's condition copied, cell by cell, into a probe cell of its row, so
    that LibreOffice computes it: (recalculated file, {(sheet, probe cell): (rule, marked cell)})."""
    from openpyxl.formula.translate import Translator
    from openpyxl.utils import get_column_letter
    from xlbase.templates.conditions import sheet_local
    from xlbase.templates.marks import cell_marks, date_marks
    from xlbase.templates.places import Places
    from xlbase.templates import workbooks as tpl
    d = tmp_path_factory.mktemp("marks")
    (d / "src").mkdir()
    seen: list[Places] = []
    real = tpl.Places

    def spy(*a, **k):
        seen.append(real(*a, **k))
        return seen[-1]

    out = {}
    for name in ("wrong", "variants"):
        seen.clear()
        _WRITTEN.clear()        # written again here, so that the spy sees the places of the marks
        tpl.Places = spy
        try:
            path = CASES[name](d / "src" / f"{name}.xlsx")
        finally:
            tpl.Places = real
        places = seen[0]
        wb = openpyxl.load_workbook(path)
        names = _FileNames(wb)      # the condition as the conditional format holds it: other sheets by name
        probes, col = {}, PROBE_COL
        marks = [(rule.id, m) for rule in load_pack().rules for m in cell_marks(rule, places)]
        marks += [(UNPARSEABLE, m) for m in date_marks(places)]
        for rule_id, m in marks:
            r0, c0, r1, c1 = m.area
            first = f"{get_column_letter(c0 + 1)}{r0 + 1}"
            ws = wb[m.form_id]
            for r in range(r0, min(r1, r0 + 40) + 1):
                target = f"{get_column_letter(c0 + 1)}{r + 1}"
                probe = ws.cell(r + 1, col)
                probe.value = Translator("=" + sheet_local(names, m.condition, m.area[:2]),
                                         origin=first).translate_formula(target)
                probes[(m.form_id, probe.coordinate)] = (rule_id, target)
            col += 1
        wb.save(path)
        out[name] = (path, probes)
    _CLERKS.clear()
    done = soffice_convert_all([path for path, _ in out.values()], "xlsx", d / "lo", timeout=600)
    return {name: (lo, probes) for (name, (_, probes)), lo in zip(out.items(), done)}


@pytest.mark.parametrize("name", ["wrong", "variants"])
def test_the_red_marks_are_where_validate_points(probed, name):
    path, probes = probed[name]
    marked = {(sheet, cell, rule) for (sheet, probe), (rule, cell) in probes.items()
              if sheet_values(path, sheet)[probe] is True}
    rules = {rule for rule, _ in probes.values()}
    problems = validate_problems(path)
    pointed = {(p.sheet, p.cell, p.rule) for p in rules_own(problems) if p.rule in rules}
    pointed |= {(p.sheet, p.cell, UNPARSEABLE) for p in problems   # a date the reader cannot read, or a year alone
                if p.rule in (UNPARSEABLE, VALUE_ESTIMATE) and get_form(p.form).field(p.field).type == "date"}
    assert marked == pointed
    assert name != "wrong" or {r for _, _, r in marked} == rules      # every kind of mark shows somewhere


def test_the_sheet_says_its_conclusion_in_one_line(recalculated):
    """Above the table: how many rules fail, as the counts below say; nothing typed is said as such."""
    from xlbase.templates.check_sheet import FAIL, NOTHING_TYPED
    lines = {name: sheet_values(path, CHECK_SHEET)["A2"]
             for name, path in recalculated.items()}
    failing = {name: sum(1 for rule, n in sheet_counts(path).items() if n and load_pack().rule(rule).severity == "error")
               for name, path in recalculated.items()}
    for name, line in lines.items():
        assert line != NOTHING_TYPED, name          # every case types something
        if failing[name]:
            assert f"有 {failing[name]} 项{FAIL}" in line, (name, line)     # after what is unreadable, if any
        else:
            assert f"没有{FAIL}" in line, (name, line)
    assert failing["wrong"] and not failing["clean"]
