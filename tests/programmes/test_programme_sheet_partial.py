"""A programme's workbook filled in part — one form typed and the rest left as the template wrote them
(pre-filled year and service rows included), or every form but one — is judged by its 表内检查 sheet as
`xlbase validate --programme` judges it, once LibreOffice has recalculated it. A clerk fills a workbook
form by form; the sheet must agree at every stage, not only when everything or nothing is typed.

This found: a list left empty beside a figure stated for it (衡阳's 入驻企业名单 under 25 入驻企业) was
counted by validate and not by the sheet; the record line under an empty list (太原's 上一年度共服务企业) was
not read when blank, so validate did not report it.

Every form alone and every form but one, the applicant record (the summary layout's `row_per` form, 申请表)
too: those were left out while the reader placed some blank cells of that record elsewhere than the template
(a label in the sheet's last used column took the cell below it: 太原 法人代表 at G6 for H5) and a
programme's required rule called a blank part of a breakdown (其中：自有) an error where the sheet, as Shanxi's
rule, does not (a blank part is none of it; only all parts blank under a stated total is in doubt, a warning).
Each record's breakdowns are also typed with one part blank, and with all of them blank.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from conftest import soffice_convert_all
from programme_inbox import fill, load_cases, make_templates, xlbase
from template_clerk import sheet_counts
from xlbase.rules.programme import load_generic_pack

pytestmark = [pytest.mark.libreoffice, pytest.mark.filterwarnings("ignore:Print area cannot be set")]

CASES = load_cases()


def _variants(case) -> dict[str, dict]:
    good = case.answers()
    out = {f"only-{k}": {k: good[k]} for k in good}
    out.update({f"but-{k}": {j: v for j, v in good.items() if j != k} for k in good})
    for form_id, given in good.items():
        form = case.programme.forms.get(form_id)
        if form is None or form.kind != "record" or not isinstance(given, dict):
            continue
        groups: dict[str, list[str]] = {}
        for f in form.record_fields:
            if f.part_of and f.key in given:
                groups.setdefault(f.part_of, []).append(f.key)
        for total, parts in groups.items():
            out[f"{total}-one-part-blank"] = case.answers({form_id: {parts[0]: None}})
            out[f"{total}-parts-blank"] = case.answers({form_id: {k: None for k in parts}})
    return out


@pytest.fixture(scope="module", params=CASES, ids=[c.name for c in CASES])
def recalculated(request, tmp_path_factory) -> tuple:
    case = request.param
    d = tmp_path_factory.mktemp(f"partial-{case.name}")
    templates = make_templates(case.name, d / "templates")
    (d / "src").mkdir()
    typed = {}
    for i, (name, answers) in enumerate(_variants(case).items(), start=1):
        typed[name] = d / "src" / f"{name}.xlsx"       # each its own applicant: not one base sent twice
        fill(templates / case.applicant_file, typed[name], case.programme, answers, f"第{i}号单位")
    res = xlbase("validate", str(d / "src"), "--programme", case.name, "--json", str(d / "r.json"))
    assert res.returncode in (0, 1), res.stdout + res.stderr
    problems = json.loads((d / "r.json").read_text(encoding="utf-8"))["problems"]
    found = {name: [p for p in problems if Path(p["file"]).name == path.name] for name, path in typed.items()}
    books = soffice_convert_all(list(typed.values()), "xlsx", d / "lo")
    return case, dict(zip(typed, books)), found


def test_a_workbook_filled_in_part_is_judged_as_validate_judges_it(recalculated):
    case, books, found = recalculated
    pack = load_generic_pack(case.programme)
    assert len(books) >= 4
    failing = 0
    for name, path in books.items():
        sheet = sheet_counts(path)
        validate = Counter(p["rule"] for p in found[name]
                           if pack.has_rule(p["rule"]) and p["severity"] == pack.rule(p["rule"]).severity)
        differ = {rule: (n, validate.get(rule, 0)) for rule, n in sheet.items() if n != validate.get(rule, 0)}
        assert not differ, f"{case.name} {name}: rule -> (sheet, validate): {differ}"
        failing += any(sheet.values())
    assert failing >= len(books) // 2, "most workbooks filled in part must break a rule: the agreement means little"
