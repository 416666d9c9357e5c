"""validate and merge name what one application is about in the programme's own word (its manifest's `noun:`,
the one the templates use): a 太原 officer reads 平台, never 基地, in the terminal, the JSON report, the
问题清单 and the 各县情况 — for a resubmitted application, a template sent back blank, a level the files
contradict. 衡阳 (no noun: 基地) keeps its word."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from xlbase.forms import value_list
from programme_inbox import fill, load_case, make_templates, xlbase


def _texts(path: Path) -> list[str]:
    wb = openpyxl.load_workbook(path)
    return [c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


@pytest.mark.parametrize("name, noun, other", [("taiyuan-2023", "平台", "基地"), ("hengyang-2023", "基地", "平台")])
def test_messages_and_sheets_say_the_programmes_noun(name, noun, other, tmp_path):
    case = load_case(name)
    templates = make_templates(name, tmp_path / "templates")
    inbox = tmp_path / "收件"
    inbox.mkdir()
    fill(templates / case.applicant_file, inbox / "一.xlsx", case.programme, case.answers(), "甲单位服务中心")
    fill(templates / case.applicant_file, inbox / "一（修改）.xlsx", case.programme, case.answers(), "甲单位服务中心")
    app_form = next(f for f in case.programme.forms.values()
                    if any(x.identity == "county" for x in f.fields) and f.id in case.good)
    county = next(x for x in app_form.fields if x.identity == "county")
    other_unit = next(u for u in value_list(county.choices) if u != case.good[app_form.id].get(county.key))
    fill(templates / case.applicant_file, inbox / "二.xlsx", case.programme,
         case.answers({app_form.id: {county.key: other_unit}}), "乙单位服务中心")
    (inbox / "空白.xlsx").write_bytes((templates / case.applicant_file).read_bytes())
    out, js = tmp_path / "汇总表.xlsx", tmp_path / "r.json"
    res = xlbase("merge", str(inbox), "-o", str(out), "--programme", name, "--level", "county", "--json", str(js),
                 "--return-dir", str(tmp_path / "退回"))
    assert res.returncode in (0, 1), res.stderr
    report = json.loads(js.read_text(encoding="utf-8"))
    rules = {p["rule"] for p in report["problems"]}
    assert {"duplicate-base", "no-base", "level-mismatch"} <= rules, rules
    said = [p["message"] for p in report["problems"] if p["rule"] in ("duplicate-base", "no-base", "level-mismatch")]
    said += [p["message"] for p in report["problems"] if p["message"].startswith("（")]   # a superseded note
    said += [line for line in res.stdout.splitlines() if "个文件" in line]
    said += _texts(out)
    said += [s for book in (tmp_path / "退回").glob("*/问题清单*.xlsx") for s in _texts(book)]
    assert list((tmp_path / "退回").glob("*/问题清单*.xlsx"))
    assert not [s for s in said if other in s], [s for s in said if other in s][:5]
    assert any(noun in s for s in said if "个文件" in s), res.stdout
    assert [s for s in said if s.startswith("（") and noun in s], "no superseded note"
    # validate's problem workbook too
    xlsx = tmp_path / "问题.xlsx"
    res = xlbase("validate", str(inbox / "一.xlsx"), str(inbox / "空白.xlsx"), "--programme", name, "--xlsx", str(xlsx))
    assert res.returncode in (0, 1), res.stderr
    assert not [s for s in _texts(xlsx) + res.stdout.splitlines() if other in s]


def test_a_programme_without_a_firm_list_counts_no_resident_firms(tmp_path):
    """太原's platforms have no 入驻企业 (its summary layout names no `firms` list): validate and merge said
    “3 个平台，0 家入驻企业”. They count what the programme has; 衡阳 (a firm list) keeps its 入驻企业 count."""
    for name, said in (("taiyuan-2023", None), ("hengyang-2023", "家入驻企业")):
        case = load_case(name)
        templates = make_templates(name, tmp_path / name)
        src = tmp_path / name / "收件" / "甲.xlsx"
        src.parent.mkdir()
        fill(templates / case.applicant_file, src, case.programme, case.answers(), "甲单位服务中心")
        for args in (("validate", str(src)), ("merge", str(src.parent), "-o", str(tmp_path / name / "汇总.xlsx"))):
            res = xlbase(*args, "--programme", name)
            assert res.returncode in (0, 1), res.stderr
            counts = next(line for line in res.stdout.splitlines() if "个文件" in line)
            assert (said in counts) if said else "入驻" not in counts, counts


def test_read_names_an_application_as_its_programme_does(tmp_path):
    """Walked from a fresh clone: `xlbase read` of a 太原 application said “基地：…；运营单位：（未识别）；所在：？小店区”
    — 太原 speaks of a 平台, and its forms have no 运营单位 and no 所在市 to be missing. It says what the forms have."""
    for name, said, unsaid in (("taiyuan-2023", "平台：甲单位服务中心；所在：", ("基地", "运营单位", "？")),
                               ("hengyang-2023", "基地：甲单位服务中心；所在：", ("平台", "运营单位", "？"))):
        case = load_case(name)
        templates = make_templates(name, tmp_path / name)
        src = tmp_path / name / "甲.xlsx"
        fill(templates / case.applicant_file, src, case.programme, case.answers(), "甲单位服务中心")
        res = xlbase("read", str(src))
        assert res.returncode == 0, res.stdout + res.stderr
        identity = [line.strip() for line in res.stdout.splitlines() if "甲单位服务中心；" in line]
        assert identity and all(line.startswith(said) for line in identity), res.stdout
        assert not [w for line in identity for w in unsaid if w in line], identity
