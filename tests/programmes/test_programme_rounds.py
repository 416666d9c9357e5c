"""Every programme with a case file (cases/<programme>.yaml) runs the same round through the CLI: templates
out, filled by a clerk under their printed labels, validated, merged by a county and again by its city;
each rule the case breaks is found once, at the cell the clerk typed. A new programme gets these tests by
adding its case file."""

from __future__ import annotations

import json
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import range_boundaries

from xlbase.forms import value_list
from xlbase.problem_codes import DOCUMENTS_TO_CHECK

from programme_inbox import (REPO, Case, expected_summary_row, fill, load_cases, make_templates, read_summary,
                             rows_of, sheet_of, xlbase)

CASES = load_cases()


@pytest.fixture(scope="module", params=CASES, ids=[c.name for c in CASES])
def case(request, tmp_path_factory) -> tuple[Case, Path]:
    return request.param, make_templates(request.param.name, tmp_path_factory.mktemp(request.param.name))


def _within(cell: str, where: str) -> bool:
    """`cell` is `where`, or one of the cells of the merged range `where` (a header merged down two lines)."""
    lo_c, lo_r, hi_c, hi_r = range_boundaries(where)
    c, r = range_boundaries(cell)[:2]
    return lo_c <= c <= hi_c and lo_r <= r <= hi_r


def test_templates_print_every_form_on_its_sheet(case):
    c, templates = case
    wb = openpyxl.load_workbook(templates / c.applicant_file)
    for form_id in c.good:
        form = c.programme.forms[form_id]
        ws = wb[sheet_of(c.programme, form_id)]
        texts = {"".join(x.value.split()) for row in ws.iter_rows() for x in row if isinstance(x.value, str)}
        for f in (form.record_fields if form.kind == "record" else form.table_fields):
            assert any(t == f.label or t.startswith(f.label + "（") for t in texts), (form_id, f.label)
        assert ws.data_validations.dataValidation and ws.protection.sheet and ws.print_area
    assert (templates / c.summary_file).is_file()


def test_a_filled_template_meets_every_rule(case, tmp_path):
    c, templates = case
    src = tmp_path / "达标.xlsx"
    fill(templates / c.applicant_file, src, c.programme, c.answers(), "达标单位")
    res = xlbase("validate", str(src), "--programme", c.name, "--json", str(tmp_path / "r.json"))
    problems = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["problems"]
    assert [p for p in problems if p["severity"] != "info" and p["rule"] not in _notes(c)] == [], res.stdout
    assert res.returncode == 0
    # the conditions of the notice the files cannot decide: one warning for the application, at the first
    # condition's cell, naming each condition with what decides it (not one warning per condition)
    said = [p for p in problems if p["rule"] in _notes(c)]
    assert [(p["rule"], p["severity"]) for p in said] == [(DOCUMENTS_TO_CHECK, "warning")], said
    manual = [r for r in _pack(c).rules if r.kind == "attest"]
    assert (said[0]["form"], said[0]["field"]) == (manual[0].form, manual[0].field) and said[0]["cell"]
    text = said[0]["message"]
    assert f"以下 {len(manual)} 项申报条件无法从表格判断" in text
    for rule in manual:
        assert rule.message.rstrip("。；") in text and rule.source in text, rule.id


def test_each_rule_broken_once_is_found_at_its_cell(case, tmp_path):
    c, templates = case
    inbox = tmp_path / "收件"
    inbox.mkdir()
    cells = {}
    for i, v in enumerate(c.violations):
        cells[c.variant(v)] = fill(templates / c.applicant_file, inbox / f"{c.variant(v)}.xlsx", c.programme,
                                   c.answers(v["change"]), f"第{i + 1}单位")
    res = xlbase("merge", str(inbox), "-o", str(tmp_path / "汇总表.xlsx"), "--json", str(tmp_path / "r.json"))
    assert c.name in res.stdout.splitlines()[0], res.stdout + res.stderr       # recognised without --programme
    problems = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["problems"]
    for v in c.violations:
        mine = [p for p in problems if Path(p["file"]).name == f"{c.variant(v)}.xlsx" and p["severity"] != "info"
                and p["rule"] not in _notes(c)]
        assert [p["rule"] for p in mine] == [v["rule"]], (v, mine)
        form_id = v["at"].split(".")[0].split("@")[0]
        assert mine[0]["sheet"] == sheet_of(c.programme, form_id), (v, mine[0])
        assert _within(mine[0]["cell"], cells[c.variant(v)][v["at"]]), (v, mine[0])


def test_every_rule_of_the_pack_is_broken_by_the_case(case):
    """Each rule of the programme's pack (the notice's thresholds, the form model's required/range/choice, the
    consistency and duplicate checks) is broken by one variant of the case file, and each comparison of a rule
    (`a + b <= c`, one per line of its fields) by one of its own: the test above then finds each at its cell.
    The conditions only documents decide (attest) are said for every application instead."""
    c, _ = case
    pack = _pack(c)
    broken = Counter(v["rule"] for v in c.violations)
    assert {r.id for r in pack.rules if r.kind != "attest"} - set(broken) == set()
    assert set(broken) <= {r.id for r in pack.rules}
    for rule in pack.rules:
        if rule.kind == "comparison":
            assert broken[rule.id] == len(rule.fields), rule.id
    assert len({c.variant(v) for v in c.violations}) == len(c.violations)


def test_county_and_city_merges_give_each_submission_its_row(case, tmp_path):
    c, templates = case
    inbox = tmp_path / "收件"
    inbox.mkdir()
    names = ["甲单位", "乙单位", "丙单位"]
    for name in names:
        fill(templates / c.applicant_file, inbox / f"{name}.xlsx", c.programme, c.answers(), name)
    county = tmp_path / "县汇总表.xlsx"
    res = xlbase("merge", str(inbox), "--programme", c.name, "-o", str(county), "--json", str(tmp_path / "r.json"))
    assert res.returncode == 0, res.stdout + res.stderr
    rows, total = read_summary(county, c.programme)
    expected = {n: expected_summary_row(c.programme, c.answers(), n) for n in names}
    identity = next(k for k, spec in c.programme.layout("summary.yaml")["columns"].items()
                    if "{name}" in str(_value_of(c, spec)))
    got = {r[identity]: r for r in rows}
    assert sorted(got) == sorted(e[identity] for e in expected.values())
    for e in expected.values():
        row = got[e[identity]]
        assert {k: row[k] for k in e if k not in _numbers(e)} == {k: v for k, v in e.items() if k not in _numbers(e)}
        assert {k: row[k] for k in _numbers(e)} == pytest.approx(_numbers(e)), e[identity]
    numeric = [k for k, v in next(iter(expected.values())).items() if isinstance(v, (int, float))]
    for k in numeric:
        assert total[k] == pytest.approx(sum(e[k] for e in expected.values())), k
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    for i in report["inputs"]:
        assert i["rows_read"] == i["rows_merged"] + i["rows_rejected"]
    # the city merges the county's 汇总表: the same rows and totals
    city = tmp_path / "市汇总表.xlsx"
    res = xlbase("merge", str(county), "--programme", c.name, "-o", str(city))
    assert res.returncode == 0, res.stdout + res.stderr
    city_rows, city_total = read_summary(city, c.programme)
    keys = list(next(iter(expected.values())))
    assert [{k: r[k] for k in keys} for r in city_rows] == [{k: r[k] for k in keys} for r in rows]
    assert {k: city_total[k] for k in numeric} == {k: total[k] for k in numeric}
    if c.programme.layout("summary.yaml").get("firms"):     # the firm list travels in the 汇总表
        county_firms = _firm_sheet(county)
        assert len(county_firms) == sum(len(rows_of(c.answers()[_firms_form(c)], n)) for n in names)
        assert _firm_sheet(city) == county_firms               # base, every value, and where it was first read
        # a base whose own submission reaches the city too: its list once, from the submission
        again = tmp_path / "市汇总表2.xlsx"
        res = xlbase("merge", str(county), str(inbox / f"{names[0]}.xlsx"), "--programme", c.name, "-o", str(again))
        assert res.returncode == 0, res.stdout + res.stderr
        assert sorted(_firm_sheet(again)) == sorted(county_firms)


def _firms_form(c: Case) -> str:
    return c.programme.layout("summary.yaml")["firms"]


def _firm_sheet(path: Path) -> list[tuple]:
    """The 入驻企业 sheet's rows (所属基地, the list's values, 来源文件, 工作表, 行号)."""
    ws = openpyxl.load_workbook(path, data_only=True)["入驻企业"]
    return [tuple(r) for r in ws.iter_rows(min_row=2, values_only=True)]


def _numbers(row: dict) -> dict:
    return {k: v for k, v in row.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}


def _value_of(c: Case, spec: dict) -> object:
    """The answer a summary column's `field` source names ('' for other sources)."""
    if "field" not in spec:
        return ""
    form_id, key = spec["field"].split(".", 1)
    given = c.good.get(form_id)
    return given.get(key, "") if isinstance(given, dict) else ""


def test_templates_sent_back_blank_are_no_application(case, tmp_path):
    """An office returning the blank templates reports nothing: no missing values, no row."""
    c, templates = case
    inbox = tmp_path / "收件"
    inbox.mkdir()
    for name in (c.applicant_file, c.summary_file):
        (inbox / name).write_bytes((templates / name).read_bytes())
    res = xlbase("merge", str(inbox), "--programme", c.name, "-o", str(tmp_path / "out.xlsx"), "--json",
                 str(tmp_path / "r.json"))
    assert res.returncode == 0, res.stdout + res.stderr
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["summary"]["bases"] == 0
    assert [p["rule"] for p in report["problems"] if p["severity"] != "info"] == []


def test_a_batch_mixing_programmes_is_refused(case, tmp_path):
    c, templates = case
    inbox = tmp_path / "收件"
    inbox.mkdir()
    fill(templates / c.applicant_file, inbox / "申报.xlsx", c.programme, c.answers(), "某单位")
    shanxi = sorted((REPO / "samples" / "counties").rglob("*.xlsx"))[0]
    (inbox / shanxi.name).write_bytes(shanxi.read_bytes())
    res = xlbase("merge", str(inbox), "-o", str(tmp_path / "out.xlsx"))
    assert res.returncode == 2
    assert "混有不同申报项目" in res.stderr and c.name in res.stderr
    assert not (tmp_path / "out.xlsx").exists()
    res = xlbase("validate", str(inbox / "申报.xlsx"), "--programme", "shanxi-2024-base")
    assert res.returncode == 2 and f"--programme {c.name}" in res.stderr


def test_mark_colours_a_broken_rule_at_its_cell(case, tmp_path):
    """mark (the programme recognised) colours the cell of the first violation with a cell of its own."""
    c, templates = case
    v = next(v for v in c.violations if "@" not in v["at"] or v["at"].endswith("@last"))
    src = tmp_path / "申报.xlsx"
    cells = fill(templates / c.applicant_file, src, c.programme, c.answers(v["change"]), "某单位")
    res = xlbase("mark", str(src), "-o", str(tmp_path / "标注.xlsx"))
    assert c.name in res.stdout.splitlines()[0], res.stdout + res.stderr
    wb = openpyxl.load_workbook(tmp_path / "标注.xlsx")
    assert "校验结果" in wb.sheetnames
    form_id = v["at"].split(".")[0]
    cell = wb[sheet_of(c.programme, form_id)][cells[v["at"]]]
    assert cell.fill.fgColor.rgb not in (None, "00000000")
    listed = [r for r in wb["校验结果"].iter_rows(values_only=True) if r and r[1] in ("错误", "警告")]
    assert len(listed) == 2           # the violation, and the one note for the officer (conditions to check)


def test_the_template_has_its_check_sheet_and_a_macro_workbook(case):
    """The 表内检查 sheet lists the pack's rules with its numbers; the .xlsm carries the VBA of the 校验 buttons."""
    c, templates = case
    wb = openpyxl.load_workbook(templates / c.applicant_file)
    assert "表内检查" in wb.sheetnames
    listed = {r[6] for r in wb["表内检查"].iter_rows(min_row=4, values_only=True) if r[6]}
    assert {v["rule"] for v in c.violations} & listed
    for name in (c.applicant_file, c.summary_file):     # the blank 汇总表 too, as Shanxi's 附件11 template
        xlsm = (templates / name).with_suffix(".xlsm")
        assert "xl/vbaProject.bin" in zipfile.ZipFile(xlsm).namelist()
        assert {"表内检查", "填表说明"} <= set(openpyxl.load_workbook(xlsm, keep_vba=True).sheetnames)
    summary = openpyxl.load_workbook(templates / c.summary_file)
    listed = {r[6] for r in summary["表内检查"].iter_rows(min_row=4, values_only=True) if r[6]}
    form = c.programme.layout("summary.yaml")["form"]
    assert listed == {r.id for r in _pack(c).rules if form in (*r.forms, r.form)} & listed != set()


def _pack(c: Case):
    from xlbase.rules.programme import load_generic_pack
    return load_generic_pack(c.programme)


def _notes(c: Case) -> set[str]:
    """The codes of the pack's notes for the officer (the conditions the files cannot decide, kind attest):
    one warning on every application."""
    from xlbase.rules.kinds import officer_notes
    return officer_notes(_pack(c).rules)


def test_templates_speak_only_of_their_own_region(case):
    """No word of another region in a programme's templates: no Shanxi city (but its own) among the accepted
    places, not 忻州's area code in a phone number's message (the examples are the programme's data)."""
    from xlbase.forms import divisions
    c, templates = case
    shanxi = [*(city for city in divisions()["cities"] if city[:-1] not in c.programme.title), "0350-"]
    for path in sorted(templates.glob("*.xls*")):
        wb = openpyxl.load_workbook(path)
        texts = [x.value for ws in wb.worksheets for row in ws.iter_rows() for x in row if isinstance(x.value, str)]
        texts += [t for ws in wb.worksheets for dv in ws.data_validations.dataValidation
                  for t in (dv.prompt, dv.error, dv.formula1) if t]
        found = sorted({w for t in texts for w in shanxi if w in t})
        assert found == [], (path.name, found)


def test_round_options_return_pack_and_expected_units(case, tmp_path):
    """--return-dir: a folder per unit with errors or warnings (one county merging its bases: per base), with the
    marked copy of what it sent and its own 问题清单; --expect: a unit on the list that sent nothing is named.
    (--level and --previous: test_programme_levels.py.)"""
    c, templates = case
    inbox = tmp_path / "收件"
    inbox.mkdir()
    broken = c.violations[:2]
    for i, v in enumerate(broken):
        fill(templates / c.applicant_file, inbox / f"{v['rule']}.xlsx", c.programme, c.answers(v["change"]),
             f"第{i + 1}单位")
    fill(templates / c.applicant_file, inbox / "达标.xlsx", c.programme, c.answers(), "达标单位")
    layout = c.programme.layout("summary.yaml")
    listed = [*dict.fromkeys(str(c.good[form].get(key)) for form, key in
                             [layout["columns"][layout["unit"]]["field"].split(".", 1)]), "未报送的单位"]
    (tmp_path / "应报.txt").write_text("\n".join(listed), encoding="utf-8")
    back = tmp_path / "退回"
    res = xlbase("merge", str(inbox), "--programme", c.name, "-o", str(tmp_path / "汇总表.xlsx"),
                 "--return-dir", str(back), "--expect", str(tmp_path / "应报.txt"), "--json", str(tmp_path / "r.json"))
    assert res.returncode == 1, res.stdout + res.stderr
    folders = sorted(p.name for p in back.iterdir() if p.is_dir())
    assert folders == sorted(f"第{i + 1}单位" for i in range(len(broken)))
    for i, v in enumerate(broken):
        got = sorted(p.name for p in (back / f"第{i + 1}单位").iterdir())
        assert got == sorted([f"{v['rule']}.校验.xlsx", f"问题清单_第{i + 1}单位.xlsx"])
    problems = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["problems"]
    assert [p["value"] for p in problems if p["rule"] == "unit-not-reported"] == ["未报送的单位"]
    units = {r[0]: r[1] for r in openpyxl.load_workbook(tmp_path / "汇总表.xlsx")["各县情况"].iter_rows(
        min_row=2, values_only=True)}
    assert units == {listed[0]: "已报送", "未报送的单位": "未报送"}


def test_units_sheet_counts_what_a_unit_may_have_to_answer(case, tmp_path):
    """各县情况's 错误 and 警告 are the unit's own problems: the note naming the conditions to check on paper
    (one per application, in the 问题清单) is not counted, so a unit of good applications shows 0 and 0, and a
    unit's counts are its real findings, as validate reports them."""
    c, templates = case
    inbox = tmp_path / "收件"
    inbox.mkdir()
    for name in ("甲单位", "乙单位"):
        fill(templates / c.applicant_file, inbox / f"{name}.xlsx", c.programme, c.answers(), name)
    v = next(v for v in c.violations if _pack(c).rule(v["rule"]).severity == "warning")
    layout = c.programme.layout("summary.yaml")
    form_id, key = layout["columns"][layout["unit"]]["field"].split(".", 1)
    good = str(c.good[form_id][key])
    other = next(u for u in value_list(layout["units"]) if u != good)       # another unit of the programme
    change = {**v["change"], form_id: {**v["change"].get(form_id, {}), key: other}}
    fill(templates / c.applicant_file, inbox / "丙单位.xlsx", c.programme, c.answers(change), "丙单位")
    out = tmp_path / "汇总表.xlsx"
    res = xlbase("merge", str(inbox), "--programme", c.name, "-o", str(out), "--json", str(tmp_path / "r.json"))
    assert res.returncode == 0, res.stdout + res.stderr
    problems = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["problems"]
    notes = [p for p in problems if p["rule"] == DOCUMENTS_TO_CHECK]
    assert sorted(Path(p["file"]).name for p in notes) == ["丙单位.xlsx", "乙单位.xlsx", "甲单位.xlsx"]
    real = [p for p in problems if p["severity"] == "warning" and p["rule"] not in _notes(c) and p["file"]]
    assert [(Path(p["file"]).name, p["rule"]) for p in real] == [("丙单位.xlsx", v["rule"])]
    heads = [x.value for x in openpyxl.load_workbook(out)["各县情况"][1]]
    units = {r[0]: dict(zip(heads, r)) for r in openpyxl.load_workbook(out)["各县情况"].iter_rows(
        min_row=2, values_only=True)}
    assert (units[good][f"{c.programme.noun}数"], units[good]["错误"], units[good]["警告"]) == (2, 0, 0)
    assert (units[other][f"{c.programme.noun}数"], units[other]["错误"], units[other]["警告"]) == (1, 0, 1)
