"""A programme's round across levels, as its officers run it (every programme with a case file): two counties
merge their own applications (--level county), the city merges the counties' 汇总表s (--level city), a
county's corrected resubmission replaces the original and the next merge says which errors it fixed
(--previous, or -o as it was), and a county's 汇总表 edited by hand is checked again where it was edited."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from programme_clerk import printed_as
from programme_inbox import Case, fill, load_cases, make_templates, read_summary, xlbase
from xlbase.forms import value_list
from xlbase.forms.roles import BASE_NAME

CASES = load_cases()


@pytest.fixture(scope="module", params=CASES, ids=[c.name for c in CASES])
def case(request, tmp_path_factory) -> tuple[Case, Path]:
    return request.param, make_templates(request.param.name, tmp_path_factory.mktemp(request.param.name))


def _unit_field(c: Case) -> tuple[str, str, str]:
    """(summary column of the reporting unit, the application form and field it is taken from)."""
    layout = c.programme.layout("summary.yaml")
    form_id, key = layout["columns"][layout["unit"]]["field"].split(".", 1)
    return layout["unit"], form_id, key


def _two_units(c: Case) -> tuple[str, str]:
    """The good answers' unit, and another unit of the programme's list."""
    _, form_id, key = _unit_field(c)
    mine = str(c.good[form_id][key])
    other = next(u for u in value_list(c.programme.layout("summary.yaml")["units"]) if u != mine)
    return mine, other


def _in_unit(c: Case, unit: str, change: dict | None = None) -> dict:
    _, form_id, key = _unit_field(c)
    answers = c.answers(change)
    answers[form_id][key] = unit
    return answers


def _units_sheet(path: Path) -> dict[str, tuple]:
    ws = openpyxl.load_workbook(path, data_only=True)["各县情况"]
    heads = [c.value for c in ws[1]]
    return {r[0]: dict(zip(heads, r)) for r in ws.iter_rows(min_row=2, values_only=True) if r[0]}


def _problems(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["problems"]


def _org_line(path: Path) -> str:
    ws = openpyxl.load_workbook(path, data_only=True).worksheets[0]
    return next(str(v) for row in ws.iter_rows(max_row=4, values_only=True) for v in row
                if isinstance(v, str) and ("填报单位" in v or "推荐单位" in v))


def _cell_of(path: Path, c: Case, base: str, key: str) -> str:
    """Where the 汇总表 sheet of `path` prints `key` of the row naming `base` (found by the printed labels)."""
    form = c.programme.form(c.programme.layout("summary.yaml")["form"])
    ws = openpyxl.load_workbook(path).worksheets[0]
    col = next(x.column for row in ws.iter_rows(max_row=8) for x in row
               if isinstance(x.value, str) and printed_as(x.value, form.field(key).label, with_unit=False))
    row = next(x.row for r in ws.iter_rows() for x in r if x.value == base)
    return f"{openpyxl.utils.get_column_letter(col)}{row}"


def test_counties_merge_their_own_and_the_city_merges_the_counties(case, tmp_path):
    c, templates = case
    mine, other = _two_units(c)
    error = c.violations[1]
    county_a, county_b = tmp_path / mine, tmp_path / other
    county_a.mkdir()
    county_b.mkdir()
    fill(templates / c.applicant_file, county_a / "甲单位.xlsx", c.programme, _in_unit(c, mine), "甲单位")
    fill(templates / c.applicant_file, county_a / "乙单位.xlsx", c.programme, _in_unit(c, mine, error["change"]),
         "乙单位")
    fill(templates / c.applicant_file, county_b / "丙单位.xlsx", c.programme, _in_unit(c, other), "丙单位")
    out_a, out_b = tmp_path / f"{mine}汇总表.xlsx", tmp_path / f"{other}汇总表.xlsx"
    res = xlbase("merge", str(county_a), "--programme", c.name, "--level", "county", "-o", str(out_a),
                 "--json", str(tmp_path / "a.json"))
    assert res.returncode == 1 and "县级汇总" in res.stdout, res.stdout + res.stderr
    assert mine in _org_line(out_a)                        # the county's own name on the 填报单位 line
    assert list(_units_sheet(out_a)) == [mine]             # a county expects no other county
    assert _units_sheet(out_a)[mine]["错误"] == 1
    assert json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))["summary"]["level"] == "county"
    res = xlbase("merge", str(county_b), "--programme", c.name, "-o", str(out_b))   # the level as the rows show
    assert res.returncode == 0 and "县级汇总" in res.stdout, res.stdout + res.stderr

    city = tmp_path / "市汇总表.xlsx"
    res = xlbase("merge", str(out_a), str(out_b), "--programme", c.name, "--level", "city", "-o", str(city),
                 "--json", str(tmp_path / "c.json"))
    assert "市级汇总" in res.stdout, res.stdout + res.stderr
    source = [k for k, spec in c.programme.layout("summary.yaml")["columns"].items() if "source" in spec]
    rows = _without(read_summary(city, c.programme)[0], source)
    county_rows = _without(read_summary(out_a, c.programme)[0] + read_summary(out_b, c.programme)[0], source)
    assert sorted(map(repr, rows)) == sorted(map(repr, county_rows))    # every value of every county row
    units = _units_sheet(city)
    listed = list(value_list(c.programme.layout("summary.yaml")["units"]))
    assert list(units) == listed                            # every unit of the city, in the list's order
    layout = c.programme.layout("summary.yaml")
    head = openpyxl.load_workbook(city)["各县情况"]["A1"].value
    assert head == c.programme.form(layout["form"]).field(layout["unit"]).label   # the unit as the programme names it
    assert (units[mine]["报送情况"], units[mine][f"{c.programme.noun}数"]) == ("已报送", 2)
    assert (units[other]["报送情况"], units[other][f"{c.programme.noun}数"]) == ("已报送", 1)
    chased = [p["value"] for p in _problems(tmp_path / "c.json") if p["rule"] == "unit-not-reported"]
    assert chased == [u for u in listed if u not in (mine, other)]
    # the county's finding in 乙单位's application travels up with its 汇总表, and counts for the county
    carried = [p for p in _problems(tmp_path / "c.json") if p["severity"] == "error"]
    assert [(p["rule"], p["file"]) for p in carried] == [(error["rule"], f"{out_a} ← 乙单位.xlsx")]
    assert units[mine]["错误"] == 1 and units[other]["错误"] == 0
    # 乙单位's application sent up as well: found once, in the application itself
    res = xlbase("merge", str(out_a), str(county_a / "乙单位.xlsx"), "--programme", c.name, "--level", "city",
                 "-o", str(tmp_path / "w.xlsx"), "--json", str(tmp_path / "w.json"))
    again = [p for p in _problems(tmp_path / "w.json") if p["severity"] == "error"]
    assert [(p["rule"], p["file"]) for p in again] == [(error["rule"], str(county_a / "乙单位.xlsx"))]
    # the same inputs declared a county's: the level the rows show is said, and nothing is lost
    res = xlbase("merge", str(out_a), str(out_b), "--programme", c.name, "--level", "county",
                 "-o", str(tmp_path / "x.xlsx"), "--json", str(tmp_path / "x.json"))
    mismatch = [p for p in _problems(tmp_path / "x.json") if p["rule"] == "level-mismatch"]
    assert len(mismatch) == 1 and mine in mismatch[0]["message"] and other in mismatch[0]["message"]
    # a level the programme does not have is refused, naming those it has
    res = xlbase("merge", str(out_a), "--programme", c.name, "--level", "province", "-o", str(tmp_path / "y.xlsx"))
    assert res.returncode == 2 and "province" in res.stderr and "county（县级" in res.stderr
    assert not (tmp_path / "y.xlsx").exists()
    assert "--level 汇总层级 county（县级" in xlbase("programmes", c.name).stdout


def test_a_resubmission_replaces_the_original_and_the_round_says_what_it_fixed(case, tmp_path):
    c, templates = case
    mine, _ = _two_units(c)
    inbox = tmp_path / "收件"
    inbox.mkdir()
    error = c.violations[0]
    fill(templates / c.applicant_file, inbox / "甲单位.xlsx", c.programme, _in_unit(c, mine), "甲单位")
    fill(templates / c.applicant_file, inbox / "乙单位申报书.xlsx", c.programme, _in_unit(c, mine, error["change"]),
         "乙单位")
    out = tmp_path / "县汇总表.xlsx"
    first = tmp_path / "第一次.xlsx"
    res = xlbase("merge", str(inbox), "--programme", c.name, "-o", str(out))
    assert res.returncode == 1, res.stdout + res.stderr
    first.write_bytes(out.read_bytes())
    # the corrected application comes back as clerks name it; the original stays in the folder
    fill(templates / c.applicant_file, inbox / "乙单位申报书（修改）.xlsx", c.programme, _in_unit(c, mine), "乙单位")
    res = xlbase("merge", str(inbox), "--programme", c.name, "-o", str(out), "--json", str(tmp_path / "r.json"))
    assert res.returncode == 0, res.stdout + res.stderr
    problems = _problems(tmp_path / "r.json")
    assert [p for p in problems if p["severity"] == "error"] == []
    dup = [p for p in problems if p["rule"] == "duplicate-base"]
    assert len(dup) == 1 and "乙单位申报书（修改）.xlsx" in dup[0]["message"] and "重新报送" in dup[0]["message"]
    stale = [p for p in problems if p["rule"] == error["rule"]]
    assert len(stale) == 1 and stale[0]["severity"] == "info" and Path(stale[0]["file"]).name == "乙单位申报书.xlsx"
    rows, _ = read_summary(out, c.programme)
    assert len(rows) == 2
    assert "（修改）" in "".join(str(v) for r in rows for v in r.values())   # 来源文件 of 乙单位's row
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    for i in report["inputs"]:
        assert i["rows_read"] == i["rows_merged"] + i["rows_rejected"]
    assert {Path(i["file"]).name: i["rows_merged"] == 0 for i in report["inputs"]}["乙单位申报书.xlsx"]
    # -o as it was is the previous round: its one error is fixed
    assert _units_sheet(out)[mine]["与上次比较"] == "上次错误 1：已改正 1，仍有 0；新增 0"
    assert f"{mine}：上次错误 1：已改正 1" in res.stdout
    # --previous names the round to compare with
    res = xlbase("merge", str(inbox / "乙单位申报书.xlsx"), "--programme", c.name, "-o", str(tmp_path / "z.xlsx"),
                 "--previous", str(tmp_path / "z0.xlsx"))
    assert res.returncode == 2 and "找不到上次的汇总表" in res.stderr
    res = xlbase("merge", str(inbox / "乙单位申报书.xlsx"), str(inbox / "甲单位.xlsx"), "--programme", c.name,
                 "-o", str(tmp_path / "z.xlsx"), "--previous", str(first))
    assert _units_sheet(tmp_path / "z.xlsx")[mine]["与上次比较"] == "上次错误 1：已改正 0，仍有 1；新增 0"
    # a Shanxi 汇总表 is no previous round of this programme
    shanxi = tmp_path / "山西.xlsx"
    sample = sorted((Path(__file__).resolve().parents[2] / "samples" / "counties").rglob("*申报表.xlsx"))[0]
    assert xlbase("merge", str(sample), "-o", str(shanxi)).returncode in (0, 1)
    res = xlbase("merge", str(inbox / "甲单位.xlsx"), "--programme", c.name, "-o", str(tmp_path / "s.xlsx"),
                 "--previous", str(shanxi))
    assert "没有可比较的记录" in res.stdout and "与上次比较" not in _units_sheet(tmp_path / "s.xlsx")[mine]


def test_an_edited_county_summary_is_checked_again_at_the_cell_edited(case, tmp_path):
    """A county's xlbase 汇总表, edited by hand before it is sent up, is read by its printed labels and its rows
    checked again by the pack's rules on the summary form: a value blanked is found at its cell."""
    c, templates = case
    mine, _ = _two_units(c)
    inbox = tmp_path / "收件"
    inbox.mkdir()
    for name in ("甲单位", "乙单位"):
        fill(templates / c.applicant_file, inbox / f"{name}.xlsx", c.programme, _in_unit(c, mine), name)
    county = tmp_path / "县汇总表.xlsx"
    assert xlbase("merge", str(inbox), "--programme", c.name, "-o", str(county)).returncode == 0
    city_before = tmp_path / "市汇总表.xlsx"
    assert xlbase("merge", str(county), "--programme", c.name, "--level", "city", "-o", str(city_before)).returncode == 0
    form = c.programme.form(c.programme.layout("summary.yaml")["form"])
    key = next(f.key for f in form.table_fields if f.required and f.official and f.identity is None
               and f.type == "text")
    base = read_summary(county, c.programme)[0][1][_name_key(c)]
    cell = _cell_of(county, c, base, key)
    wb = openpyxl.load_workbook(county)
    wb.worksheets[0][cell] = None
    edited = tmp_path / "县汇总表（改）.xlsx"
    wb.save(edited)
    res = xlbase("merge", str(edited), "--programme", c.name, "--level", "city", "-o", str(city_before),
                 "--json", str(tmp_path / "r.json"))
    assert res.returncode == 1, res.stdout + res.stderr
    errors = [p for p in _problems(tmp_path / "r.json") if p["severity"] == "error"]
    assert [(p["rule"], Path(p["file"]).name, p["cell"], p["field"]) for p in errors] == [
        ("required", edited.name, cell, key)]
    assert _units_sheet(city_before)[mine]["与上次比较"] == "上次错误 0：已改正 0，仍有 0；新增 1"


def _without(rows: list[dict], keys: list[str]) -> list[dict]:
    """Rows without the 来源文件 column (the city's names the county 汇总表 each row came in)."""
    return [{k: v for k, v in r.items() if k not in keys} for r in rows]


def _name_key(c: Case) -> str:
    form = c.programme.form(c.programme.layout("summary.yaml")["form"])
    return next(f.key for f in form.table_fields if f.identity == BASE_NAME)
