"""A programme's blank 汇总表, filled by a county as the form model says (a clean row, then rows each breaking
one thing: a required cell blank, a figure below its bound, a choice outside its list, a choice and a figure
typed with what validate reads anyway — a no-break space, 。, 1,000), is judged by its 表内检查 as
`xlbase validate --programme` judges the same file, once LibreOffice has recalculated it: each rule's count at
its severity, and 请核实 exactly where validate only warns. Rows come from the form model, so every generic
programme's 汇总表 is covered without a case of its own (Shanxi's 附件11: test_summary_rules_agree).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import pytest

from conftest import soffice_convert_all
from every_template import generic_programmes
from programme_inbox import xlbase
from template_clerk import sheet_counts, sheet_results
from xlbase.forms import value_list
from xlbase.forms.programmes import load_programme, using
from xlbase.rules.programme import load_generic_pack
from xlbase.templates.check_sheet import CHECK, PASS
from xlbase.templates.programme import write_summary_template

pytestmark = [pytest.mark.libreoffice, pytest.mark.filterwarnings("ignore:Print area cannot be set")]


def _value(f, n: int):
    if f.type == "choice":
        return value_list(f.choices)[0] if f.choices and value_list(f.choices) else f"选项{n}"
    if f.is_numeric:
        return 10
    return {"date": dt.date(2018, 1, 1), "phone": "13800000000", "yesno": "是"}.get(f.type, f"第{n}单位")


def _rows(form) -> list[dict]:
    fields = [f for f in form.table_fields if not f.merge_only]
    clean = [{f.key: _value(f, n) for f in fields} for n in range(1, 6)]
    required = next(f for f in fields if f.required and f.type == "text")
    bounded = next((f for f in fields if f.is_numeric and f.min is not None), None)
    choice = next((f for f in fields if f.type == "choice" and f.choices and value_list(f.choices)), None)
    clean[1][required.key] = None
    if bounded is not None:
        clean[2][bounded.key] = bounded.min - 1
    if choice is not None:
        clean[3][choice.key] = "不在列表中的地方"
        clean[4][choice.key] = "\u00a0" + value_list(choice.choices)[0] + "。"
    if bounded is not None:
        clean[4][bounded.key] = "1,000"
    return clean


@pytest.mark.parametrize("name", generic_programmes())
def test_a_filled_summary_is_judged_as_validate_judges_it(name, tmp_path):
    programme = load_programme(name)
    with using(programme):
        pack = load_generic_pack(programme)
        form = programme.form(programme.layout("summary.yaml")["form"])
        path = tmp_path / "汇总表.xlsx"
        write_summary_template(programme, path, pack=pack, rows=_rows(form))
    res = xlbase("validate", str(path), "--programme", name, "--json", str(tmp_path / "r.json"))
    assert res.returncode in (0, 1), res.stderr
    problems = [p for p in json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["problems"]
                if pack.has_rule(p["rule"])]
    errors = Counter(p["rule"] for p in problems if p["severity"] == pack.rule(p["rule"]).severity)
    warned = {p["rule"] for p in problems if p["severity"] == "warning"}
    book = soffice_convert_all([path], "xlsx", tmp_path / "lo", recalc=True)[0]
    counts, results = sheet_counts(book), sheet_results(book)
    assert counts and any(counts.values()), "the rows must break a rule the sheet judges: the agreement means little"
    differ = {rule: (n, errors.get(rule, 0)) for rule, n in counts.items() if n != errors.get(rule, 0)}
    assert not differ, f"{name}: rule -> (sheet, validate): {differ}"
    for rule, result in results.items():
        want = PASS if not errors.get(rule) and rule not in warned else (CHECK if not errors.get(rule) else result)
        assert result == want, (name, rule, result, errors.get(rule), rule in warned)
