"""The template's live checks beside 附件3 say 不一致 exactly where `xlbase validate` with the default pack
reports the figure: 附件10 against 附件3 within the rule's tolerance (employees: 5 %), 附件2 against 附件10
(forms-agree) or, when 附件10 leaves it blank, against 附件3. Recalculated by LibreOffice."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings, strategies as st
from conftest import soffice_convert_all
from saved_values import sheet_values
from template_clerk import Clerk

from xlbase.read import read_files
from xlbase.rules import load_pack, normalise_base_type
from xlbase.rules.live import untyped_threshold
from xlbase.commands.validate import validate_reads
from xlbase.templates.checks import (CHECK_LABELS, DIFFERENT, SAME, UNTYPED, sheet_key, spellings,
                                          threshold_rules)
from xlbase.templates.lists import LIST_SHEET
from xlbase.templates.workbooks import write_applicant_workbook

# openpyxl cannot keep the whole-column print area of 附件3 (it warns and drops it; the tests do not need it)
pytestmark = pytest.mark.filterwarnings("ignore:Print area cannot be set")

N_FIRMS, STAFF = 20, 15                    # 附件3: 20 firms of 15 employees = 300
BASE = {"base_name": "忻州市忻府区晨光楼宇双创基地", "operator": "忻州晨光企业管理有限公司", "city": "忻州市",
        "county": "忻府区", "base_type": "楼宇型", "registered_on": dt.date(2018, 5, 10), "service_staff": 12,
        "resident_firms": N_FIRMS, "employees": N_FIRMS * STAFF}
FIRMS = [{"firm_name": f"忻州晨光{i}号科技有限公司", "employees": STAFF} for i in range(N_FIRMS)]
FACTS = {"resident_firms": ("firm-count-match",), "employees": ("employee-sum-match",)}

# (附件10 {field: value}, 附件2 {field: value}); None: the cell left blank
CASES = {
    "agree": ({}, {}),
    "employees 3% off, both forms": ({"employees": 310}, {"employees": 310}),
    "employees 33% off, both forms": ({"employees": 400}, {"employees": 400}),
    "附件2 states other firms": ({}, {"resident_firms": 22}),
    "附件2 states 3% more employees than 附件10": ({}, {"employees": 310}),
    "附件10 blank, 附件2 within 5%": ({"employees": None}, {"employees": 310}),
    "附件10 blank, 附件2 off": ({"employees": None}, {"employees": 360}),
}


def _set(c: Clerk, a10: dict, a2: dict) -> None:
    """Retype figures on 附件10 and 附件2, as a clerk does (cells found by the reader)."""
    for key, v in a10.items():
        c.row("附件10", 0, key, v)
    for key, v in a2.items():
        c.record("附件2", key, v)


@functools.lru_cache(maxsize=None)
def _verdicts(path: Path) -> dict[str, bool]:
    """The check block's result per fact (label of 附件10's field -> 不一致)."""
    ws = sheet_values(path, "附件3")
    head_row, head_col = next(at for at, v in sorted(ws.cells.items()) if v == CHECK_LABELS[0])
    res_col = next(c for c in range(1, ws.max_column + 1) if ws.cell(head_row, c) == CHECK_LABELS[2])
    out = {}
    for r in range(head_row + 1, head_row + 1 + len(FACTS)):
        assert ws.cell(r, res_col) in (SAME, DIFFERENT), ws.cell(r, res_col)
        out[ws.cell(r, head_col)] = ws.cell(r, res_col) == DIFFERENT
    return out


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("checks")
    written = write_applicant_workbook(d / "written.xlsx", base=BASE, firms=FIRMS)
    (d / "src").mkdir()
    sources = []
    clerk = Clerk(written)
    for i, (a10, a2) in enumerate(CASES.values()):   # each case the written workbook retyped (save_case takes it back)
        src = d / "src" / f"case{i}.xlsx"
        _set(clerk, a10, a2)
        clerk.save_case(src)
        sources.append(src)
    return dict(zip(CASES, soffice_convert_all(sources, "xlsx", d / "lo", timeout=600)))   # one LibreOffice run


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", list(CASES))
def test_the_sheet_and_validate_agree(recalculated, name):
    from xlbase.forms import get_form
    path = recalculated[name]
    problems, _ = validate_reads(read_files([str(path)], jobs=1), load_pack())
    reported = {key: any(p.rule in rules or (p.rule == "forms-agree" and p.field == get_form(p.form).field(key).label)
                         for p in problems) for key, rules in FACTS.items()}
    labels = {get_form("附件10").field(key).label: key for key in FACTS}
    sheet = {labels[label]: bad for label, bad in _verdicts(path).items()}
    assert sheet == reported, (name, [(p.rule, p.message) for p in problems if p.rule in
                                      ("forms-agree", "firm-count-match", "employee-sum-match")])


@pytest.mark.libreoffice
def test_the_cases_cover_both_verdicts(recalculated):
    seen = {bad for path in recalculated.values() for bad in _verdicts(path).values()}
    assert seen == {True, False}


def test_a_threshold_for_every_type_applies_with_the_type_blank(tmp_path):
    """service-staff-min (10 for every type) is an error with 基地类型 blank; resident-firms-min (per type,
    no default) holds a blank type to the loosest type's threshold, short under every type (validate's
    rules.live.untyped_threshold): the lists sheet's threshold tables say so with their （未填） row."""
    path = write_applicant_workbook(tmp_path / "a.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb[LIST_SHEET]
    tables = {}
    for c in ws[1]:
        if c.value in {r.id for r in threshold_rules().values()}:
            col = [ws.cell(r, c.column - 1).value for r in range(2, ws.max_row + 1)]
            vals = [ws.cell(r, c.column).value for r in range(2, ws.max_row + 1)]
            tables[c.value] = dict(zip(col, vals))
    assert tables["service-staff-min"][UNTYPED] == load_pack().rule("service-staff-min").threshold_for(None) == 10
    resident = load_pack().rule("resident-firms-min")
    typed = [v for k, v in resident.threshold.items() if k != "default"]
    assert tables["resident-firms-min"][UNTYPED] == untyped_threshold(resident) == min(typed) < max(typed)
    assert tables["resident-firms-min"]["楼宇型"] == 25


def _threshold_tables(path: Path) -> dict[str, dict]:
    """rule id -> {key in the sheet's table: threshold}, as the workbook's lists sheet holds them."""
    ws = openpyxl.load_workbook(path)[LIST_SHEET]
    tables = {}
    for c in ws[1]:
        if c.value in {r.id for r in threshold_rules().values()}:
            keys = [ws.cell(r, c.column - 1).value for r in range(2, ws.max_row + 1)]
            vals = [ws.cell(r, c.column).value for r in range(2, ws.max_row + 1)]
            tables[c.value] = {k: v for k, v in zip(keys, vals) if k is not None}
    return tables


@pytest.fixture(scope="module")
def threshold_tables(tmp_path_factory) -> dict[str, dict]:
    return _threshold_tables(write_applicant_workbook(tmp_path_factory.mktemp("thr") / "a.xlsx"))


@st.composite
def typed_types(draw) -> str:
    """A 基地类型 as a clerk may type it: any accepted spelling, stray spaces, half-width brackets."""
    text = draw(st.sampled_from(sorted(spellings("base_type"))))
    text = "".join(draw(st.sampled_from(["", " ", "\u3000"])) + ch for ch in text)
    return text.translate(str.maketrans("（）", "()")) if draw(st.booleans()) else text


@settings(max_examples=150, deadline=None)
@given(typed=typed_types())
def test_a_typed_type_gets_the_threshold_validate_applies(threshold_tables, typed):
    """楼宇 = 楼宇型, 龙头企业(平台)带动型 = 龙头企业（平台）带动型, with stray spaces: the sheet's folded key
    (template_checks.sheet_key, the Python twin of its formula) finds the threshold the pack gives the type
    validate reads (rules.normalise_base_type)."""
    canonical = normalise_base_type(typed)
    assert canonical is not None, typed
    for rule, table in threshold_tables.items():
        assert table.get(sheet_key(typed)) == load_pack().rule(rule).threshold_for(canonical), (rule, typed)


def test_the_key_formula_folds_as_sheet_key():
    """The Excel formula and its Python twin replace the same characters in the same order: what goes before ASC,
    ASC, the folds, the escaped wildcard."""
    import re
    from xlbase.templates.checks import _BEFORE_ASC, _LITERAL, _SHEET_FOLDS, key_formula
    folds = (*_BEFORE_ASC, *_SHEET_FOLDS, *_LITERAL)
    formula = key_formula("A1")
    pairs = re.findall(r'SUBSTITUTE\(', formula)
    assert len(pairs) == len(folds) and formula.count("ASC(") == 1
    assert formula.index("ASC(") == len("SUBSTITUTE(") * (len(_SHEET_FOLDS) + len(_LITERAL))
    typed = [chr(int(code)) if code else text.replace('""', '"') for code, text, _ in
             re.findall(r',(?:CHAR\((\d+)\)|"((?:[^"]|"")*)"),"([^"]*)"\)', formula)]
    assert list(zip(typed, re.findall(r',(?:CHAR\(\d+\)|"(?:[^"]|"")*"),"([^"]*)"\)', formula))) == \
        [tuple(p) for p in folds]
