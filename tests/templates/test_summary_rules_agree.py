"""The 附件11 汇总表 template a county fills: its 表内检查 counts, for every rule of the default pack it judges
row by row, exactly the problems `xlbase validate` reports, once LibreOffice has recalculated it; 请核实
exactly where validate only warns. Rows are generated bases (samples/generate.py), each breaking one rule,
some typed in spellings validate accepts (楼宇, 是（企业法人）, 忻州, 忻府), and figures typed as clerks type
them ("20户", "８ 人", "1,000平方米", generated from the unit words validate reads: tests/fixtures/typed_numbers).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from conftest import soffice_convert_all
from sample_generator import GEN
from template_clerk import Clerk, rules_own, sheet_counts, sheet_results, validate_problems
from typed_numbers import spelling, strange
from xlbase.forms import SUMMARY_FORM, get_form
from xlbase.rules import load_pack
from xlbase.templates.check_sheet import CHECK, PASS
from xlbase.templates.rule_counts import KIND_DOUBTS
from xlbase.templates.workbooks import write_summary_workbook

pytestmark = [pytest.mark.libreoffice, pytest.mark.filterwarnings("ignore:Print area cannot be set")]

COUNTIES = ["忻府区", "原平市", "定襄县", "五台县", "代县", "繁峙县", "宁武县", "静乐县", "神池县", "五寨县"]


def _rows(n: int) -> list[dict]:
    rng = random.Random(11)
    out = []
    for i in range(n):
        county = COUNTIES[i % len(COUNTIES)]
        firms = GEN.firms_for(rng, 30, county)
        out.append(GEN.base_record(rng, county=county, short=f"第{i + 1}", operator=f"{county}第{i + 1}运营有限公司",
                                   base_type="楼宇型", firms=firms))
    return out


#: (field, value) typed over one row: each breaks one rule, or is a spelling validate reads
BREAKS = [
    ("operator", None),                              # required
    ("floor_area", -100),                            # value-range
    ("registered_on", dt.datetime(2024, 3, 1)),      # operator-age
    ("independent_legal_person", "否"),              # independent-legal-person
    ("resident_firms", 20),                          # resident-firms-min (楼宇型 25)
    ("service_staff", 8),                            # service-staff-min
    ("partner_orgs", 3),                             # partners-min
    ("base_type", "孵化器型"),                        # choice: a type no list holds (ours: validate warns)
    ("county", "某某县"),                             # choice, ours
]
SPELLINGS = [("base_type", "楼宇"), ("independent_legal_person", "是（企业法人）"), ("city", "忻州"),
             ("county", "忻府")]
#: figures typed with their unit, full-width or grouped: each breaks one rule as its number would
TYPED_BREAKS = [("resident_firms", "20户"), ("service_staff", "８ 人"), ("partner_orgs", "3（个）"),
                ("floor_area", "-1,000平方米"), ("employees", "约300")]


def _typed_numbers(rows: list[dict], seed: int) -> list[tuple[int, str, object]]:
    """Every figure of every row typed in a stranger's spelling of it (tests/fixtures/typed_numbers), and
    one row's figures in spellings validate cannot read."""
    rng = random.Random(seed)
    form = get_form(SUMMARY_FORM)
    out = []
    for i, row in enumerate(rows):
        for f in form.table_fields:
            if f.is_numeric and not f.merge_only and isinstance(row.get(f.key), (int, float)):
                out.append((i, f.key, strange(f, rng) if i == len(rows) - 1 else spelling(row[f.key], f, rng)))
    return out


def _type_over(path: Path, changes: list[tuple[int, str, object]]) -> Path:
    c = Clerk(path)
    for i, key, value in changes:
        c.row(SUMMARY_FORM, i, key, value)
    return c.save()


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("summary")
    (d / "src").mkdir()
    cases = {
        "clean": [],
        "broken": [(i, key, value) for i, (key, value) in enumerate(BREAKS)],
        "spellings": [(0, key, value) for key, value in SPELLINGS],
        "typed-numbers": _typed_numbers(_rows(len(BREAKS) + 2), 5),
        "typed-breaks": [(i, key, value) for i, (key, value) in enumerate(TYPED_BREAKS)],
    }
    sources = {}
    for name, changes in cases.items():
        path = write_summary_workbook(d / "src" / f"{name}.xlsx", rows=_rows(len(BREAKS) + 2), year=2024)
        sources[name] = _type_over(path, changes)
    blank = write_summary_workbook(d / "src" / "blank.xlsx", year=2024)
    openpyxl.load_workbook(blank).save(blank)          # saved without cached results, as a clerk's copy
    sources["blank"] = blank
    done = soffice_convert_all(list(sources.values()), "xlsx", d / "lo", timeout=600)
    return dict(zip(sources, done))


@pytest.mark.parametrize("name", ["clean", "broken", "spellings", "blank", "typed-numbers", "typed-breaks"])
def test_the_summary_sheet_counts_what_validate_reports(recalculated, name):
    path = recalculated[name]
    problems = validate_problems(path)
    found = Counter(p.rule for p in rules_own(problems))
    sheet, results = sheet_counts(path), sheet_results(path)
    assert sheet, "no rule on the 表内检查 sheet"
    differ = {rule: (n, found.get(rule, 0)) for rule, n in sheet.items() if n != found.get(rule, 0)}
    assert not differ, f"{name}: rule -> (sheet, validate): {differ}"
    pack = load_pack()
    if name == "blank":         # nothing typed: no verdict yet (the line above the table says so)
        assert set(results.values()) == {""} or set(results.values()) == {None}, results
        return
    for rule, n in sheet.items():
        # 请核实 where validate warns, or where a threshold per 基地类型 was not checked for want of a type it could
        # read (its info): the type decides (templates.count_thresholds.doubt_of). (The small/micro share's info —
        # firms counted small by the words of their names — is no doubt: the sheet reads the names too.)
        warns = any(p.rule == rule and (p.severity == "warning" or (p.severity == "info" and
                                                                     pack.rule(rule).per_type)) for p in problems)
        if n == 0 and pack.rule(rule).kind in KIND_DOUBTS:
            assert (results[rule] == CHECK) == warns, (name, rule, results[rule])
        if n == 0 and pack.rule(rule).kind not in KIND_DOUBTS:
            assert results[rule] == PASS, (name, rule, results[rule])


def test_every_rule_judged_on_the_summary_fails_somewhere(recalculated):
    counts = sheet_counts(recalculated["broken"])
    results = sheet_results(recalculated["broken"])
    assert {rule for rule, n in counts.items() if n or results[rule] != PASS} == set(counts)
    assert not any(sheet_counts(recalculated["clean"]).values())
    assert not any(sheet_counts(recalculated["spellings"]).values())


def test_figures_typed_with_their_units_are_judged(recalculated):
    """The rules broken by a figure typed as text ("20户", "８ 人") fail in the sheet, as in validate."""
    counts = sheet_counts(recalculated["typed-breaks"])
    assert {rule for rule, n in counts.items() if n} >= {"resident-firms-min", "service-staff-min", "partners-min",
                                                         "value-range"}
