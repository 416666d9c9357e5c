"""A blank field of a programme's record form is found where the paper (and the template) puts its value.

The reader took a label at the right end of the sheet's used width for the last of a row of side-by-side
labels and pointed its blank value at the cell below: in a 太原 申请表 typed with nothing but the applicant's
name (the 运营管理情况 table is narrower than the record), 法人代表 was reported at G6 — inside 邮政编码's
value — where the template's cell is H5, and 占总人数 at G13. For every generic programme, each record field of
a workbook with every record value blank but the name is read at the cell the filled workbook's value is in.
"""

from __future__ import annotations

import json

import pytest

from programme_inbox import fill, load_cases, make_templates, xlbase
from xlbase.forms.programmes import using
from xlbase.read import read_workbook

CASES = load_cases()


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    root = tmp_path_factory.mktemp("blank_cells")
    return {c.name: make_templates(c.name, root / c.name) for c in CASES}


def _cells(path, programme) -> dict[tuple[str, str], str]:
    with using(programme):
        read = read_workbook(path)
    assert read.ok, read.problems
    return {(t.form_id, k): f"{t.sheet}!{cell}" for t in read.tables if t.record_cells
            for k, cell in t.record_cells.items()}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_blank_record_value_sits_where_the_filled_one_does(case, templates, tmp_path):
    filled = fill(templates[case.name] / case.applicant_file, tmp_path / "filled.xlsx", case.programme,
                  case.answers(), "甲单位服务中心")
    assert filled is not None
    blank_answers = {}
    for form_id, given in case.good.items():
        form = case.programme.form(form_id)
        if form.kind == "record" and isinstance(given, dict):
            blank_answers[form_id] = {k: None for k in given if form.field(k).identity != "base_name"}
    fill(templates[case.name] / case.applicant_file, tmp_path / "blank.xlsx", case.programme,
         case.answers(blank_answers), "甲单位服务中心")
    full, blank = _cells(tmp_path / "filled.xlsx", case.programme), _cells(tmp_path / "blank.xlsx", case.programme)
    moved = {k: (full[k], blank[k]) for k in full.keys() & blank.keys() if full[k] != blank[k]}
    assert not moved, f"(form, field) -> (the filled value's cell, the blank's): {moved}"
    assert full.keys() <= blank.keys(), full.keys() - blank.keys()


@pytest.mark.parametrize("blank, errors, warnings", [(("site_owned",), 0, 0), (("site_owned", "site_rented"), 0, 1)])
def test_a_blank_part_of_a_breakdown_is_no_error(blank, errors, warnings, templates, tmp_path):
    """太原's 服务场地面积 其中：自有 / 租用 (required, part_of the area): one part blank is none of it; both blank
    under a stated area is one warning at the first part (validate called each blank part an 错误)."""
    case = next(c for c in CASES if c.name == "taiyuan-2023")
    path = tmp_path / "parts.xlsx"
    fill(templates[case.name] / case.applicant_file, path, case.programme,
         case.answers({"太原申请表": {k: None for k in blank}}), "甲单位服务中心")
    res = xlbase("validate", str(path), "--programme", case.name, "--json", str(tmp_path / "r.json"))
    assert res.returncode in (0, 1), res.stderr
    found = [p for p in json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["problems"]
             if p["rule"] == "required"]
    assert sum(p["severity"] == "error" for p in found) == errors, found
    said = [p for p in found if p["severity"] == "warning"]
    assert len(said) == warnings, found
    for p in said:
        assert "其中：自有" in p["message"] and "租用" in p["message"] and p["field"] == "site_owned", p
