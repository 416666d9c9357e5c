"""衡阳 2023 as strangers make it: the template holds the notice's wording, a clerk who retyped the 申请表
in their own layout (also saved as .xls by another office suite) and a 县市区's own 推荐汇总表 merge with a
clerk's filled template into exact rows and totals. The round every programme runs (each threshold broken
once, blank templates, mixed batches, mark, county → city) is test_programme_rounds.py with
cases/hengyang-2023.yaml."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from hengyang_inbox import county_list, retyped_applicant
from programme_inbox import expected_summary_row, fill, load_case, make_templates, read_summary, xlbase

CASE = load_case("hengyang-2023")
APPLICANT, SUMMARY = CASE.applicant_file, CASE.summary_file
# a second base, unlike the first in every column the 汇总表 takes
LEIYANG = {"衡阳申请表": {"county": "耒阳市", "service_staff": 7, "floor_area": 21000, "self_held_area": 5000,
                       "leased_area": 15000, "std_factory_area": 15000},
           "衡阳运营情况": {"last": {"firms": 30, "small_firms": 24, "employees": 400}}, "衡阳企业名单": {"repeat": 30}}


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> Path:
    return make_templates(CASE.name, tmp_path_factory.mktemp("templates"))


def test_templates_are_the_notices_forms(templates):
    wb = openpyxl.load_workbook(templates / APPLICANT)
    assert wb.sheetnames[:3] == ["申请表", "人员名单", "入驻企业名单"]
    ws = wb["申请表"]
    texts = {"".join(c.value.split()) for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for label in ("基地名称", "创业基地面积", "占地面积", "总建筑面积", "自持", "出租", "出售", "其中：专职服务人员",
                  "服务项目", "合作服务机构名称", "参与中小企业重点服务活动情况"):
        assert label in texts
    assert {"2021年", "2022年", "基本服务", "基地文化"} <= texts          # the year rows and the service items
    assert ws.data_validations.dataValidation, "input cells carry validations and prompts"
    assert ws.conditional_formatting, "live checks from the pack's min/share-min rules"
    assert ws.protection.sheet and ws.print_area
    firms = wb["入驻企业名单"]
    assert any(c.value == "合计" for row in firms.iter_rows() for c in row)
    summary = openpyxl.load_workbook(templates / SUMMARY).active
    heads = [c.value for c in summary[3] if c.value]
    heads = [h.replace("\n", "") for h in heads]
    assert heads[:6] == ["序号", "单位名称", "联系人", "联系电话", "基地基本情况（简要）", "所在县市区"]
    assert "入驻企业数（家）" in heads and "来源文件" not in heads     # ours to fill; merge writes the source


@pytest.mark.libreoffice
def test_templates_print_and_a_retyped_xls_merges(templates, tmp_path):
    """The 申报书 prints from LibreOffice; a retyped 申请表 saved as .xls by another office suite merges."""
    from conftest import soffice_convert
    pdf = soffice_convert(templates / APPLICANT, "pdf", tmp_path)
    assert pdf.stat().st_size > 1000
    inbox = tmp_path / "收件"
    inbox.mkdir()
    answers = CASE.answers(LEIYANG)
    src = retyped_applicant(tmp_path / "耒阳市双创基地.xlsx", answers, "耒阳市双创基地")
    xls = soffice_convert(src, "xls:MS Excel 97", inbox)
    assert xls.suffix == ".xls"
    out = tmp_path / "汇总表.xlsx"
    res = xlbase("merge", str(inbox), "--programme", CASE.name, "-o", str(out))
    assert res.returncode == 0, res.stdout + res.stderr
    rows, total = read_summary(out, CASE.programme)
    expected = expected_summary_row(CASE.programme, answers, "耒阳市双创基地")
    assert [{k: r[k] for k in expected} for r in rows] == [expected]
    assert total["listed_firms"] == 30


def test_clerk_filled_retyped_and_county_list_merge_exactly(templates, tmp_path):
    inbox = tmp_path / "收件"
    inbox.mkdir()
    hengnan, leiyang = CASE.answers(), CASE.answers(LEIYANG)
    fill(templates / APPLICANT, inbox / "衡南县创新创业园.xlsx", CASE.programme, hengnan, "衡南县创新创业园")
    retyped_applicant(inbox / "耒阳双创.xlsx", leiyang, "耒阳市双创基地")
    county_list(templates / SUMMARY, inbox / "常宁市推荐汇总表.xlsx", "常宁市",
                [("常宁市众创园", "赵六", "13800000000", "服务人员8人，入驻企业30家"),
                 ("衡南县创新创业园", "王国东", "0734-8857006", "见申报书")])
    out = tmp_path / "汇总表.xlsx"
    res = xlbase("merge", str(inbox), "--programme", CASE.name, "-o", str(out), "--json", str(tmp_path / "r.json"))
    assert res.returncode == 0, res.stdout + res.stderr
    rows, total = read_summary(out, CASE.programme)
    by_name = {r["unit_name"]: r for r in rows}
    assert sorted(by_name) == ["常宁市众创园", "耒阳市双创基地", "衡南县创新创业园"]
    expected = {"衡南县创新创业园": expected_summary_row(CASE.programme, hengnan, "衡南县创新创业园"),
                "耒阳市双创基地": expected_summary_row(CASE.programme, leiyang, "耒阳市双创基地")}
    for name, e in expected.items():
        assert {k: by_name[name][k] for k in e} == pytest.approx(e), name
    own = by_name["常宁市众创园"]                       # the county's own row, as it typed it
    assert own["county"] == "常宁市" and own["brief"] == "服务人员8人，入驻企业30家"
    stated = {"service_staff": 8, "firms": 30}         # its grey cells blank, the figures in its 简要 (read.text_figures)
    assert {k: own[k] for k in stated} == stated and own["floor_area"] is None
    assert "服务功能：基本服务、创业辅导、投融资服务、人员培训" in by_name["衡南县创新创业园"]["brief"]
    for key in ("service_staff", "floor_area", "self_held_area", "firms", "small_firms", "employees", "listed_firms",
                "listed_revenue"):
        assert total[key] == pytest.approx(sum(e[key] for e in expected.values()) + stated.get(key, 0)), key
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    firms = sum(e["listed_firms"] for e in expected.values())
    assert report["summary"]["bases"] == 3 and report["summary"]["firms"] == firms
    for i in report["inputs"]:
        assert i["rows_read"] == i["rows_merged"] + i["rows_rejected"]
    wb = openpyxl.load_workbook(out, data_only=True)
    assert [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"] == ["推荐汇总表", "问题清单", "各县情况", "入驻企业"]
    units = {r[0]: r[1:3] for r in wb["各县情况"].iter_rows(min_row=2, values_only=True)}
    assert units["衡南县"] == ("已报送", 1) and units["常宁市"] == ("已报送", 1) and units["珠晖区"] == ("未报送", 0)
    listed = list(wb["入驻企业"].iter_rows(min_row=2, values_only=True))
    assert len(listed) == firms and {f[0] for f in listed} == {"衡南县创新创业园", "耒阳市双创基地"}
    problems = list(wb["问题清单"].iter_rows(min_row=4, values_only=True))
    assert not [p for p in problems if p[0] == "错误"]
    assert any(p[-2] == "duplicate-base" and p[1] == "常宁市推荐汇总表.xlsx" for p in problems)


def test_programmes_are_listed_with_their_documents():
    res = xlbase("programmes")
    assert res.returncode == 0
    for name, doc in (("shanxi-2024-base", "000_57c0a8a30e3daff6.txt"), ("shanxi-2024-demo", "附件8"),
                      ("hengyang-2023", "002_4b465eacb7976e9f.txt"), ("liaocheng-2021", "003_ec0d65c3d60cd5f5.txt")):
        assert name in res.stdout and doc in res.stdout
    assert "沿用山西" in res.stdout
    one = xlbase("programmes", "hengyang-2023")
    assert one.returncode == 0 and "shanxi-2024-base" not in one.stdout
    assert "self-held-share  建设或运营机构自持20%以上" in one.stdout and "门槛：0.2" in one.stdout
    assert "检查：min 衡阳申请表：总建筑面积    门槛：20000" in one.stdout
    res = xlbase("rules", "show", "hengyang-2023")
    assert res.returncode == 2 and "--programme hengyang-2023" in res.stderr


def test_validate_writes_its_problem_list(templates, tmp_path):
    src = tmp_path / "衡阳某基地.xlsx"
    fill(templates / APPLICANT, src, CASE.programme, CASE.answers({"衡阳申请表": {"service_staff": 4}}), "衡阳某基地")
    res = xlbase("validate", str(src), "--programme", CASE.name, "--xlsx", str(tmp_path / "问题.xlsx"))
    assert res.returncode == 1 and "专职服务人员 4 人，少于 6 人" in res.stdout
    rows = list(openpyxl.load_workbook(tmp_path / "问题.xlsx").worksheets[0].iter_rows(values_only=True))
    assert any("service-staff-min" in map(str, r) for r in rows)


@pytest.mark.parametrize("typed,severity", [("不足5人", "error"), ("≥4", "warning"), ("6人以上", None),
                                            ("约3人", "warning")])
def test_a_programmes_threshold_judges_a_bound_by_what_it_proves(templates, tmp_path, typed, severity):
    """A programme's figure typed as a bound (专职服务人员 "不足5人", "≥4", "6人以上" against 6): proven short is the
    rule's error, undecided a warning asking for the figure, proven met nothing; an estimate ("约3人") short only
    by its margin a warning — as on Shanxi's forms, in the same words (Bound.estimate_message)."""
    src = tmp_path / "衡阳某基地.xlsx"
    fill(templates / APPLICANT, src, CASE.programme, CASE.answers({"衡阳申请表": {"service_staff": typed}}), "衡阳某基地")
    report = tmp_path / "r.json"
    xlbase("validate", str(src), "--programme", CASE.name, "--json", str(report))
    problems = json.loads(report.read_text(encoding="utf-8"))["problems"]
    said = [p for p in problems if p["rule"] == "service-staff-min"]
    assert [p["severity"] for p in said] == ([severity] if severity else []), said
    assert any(p["rule"] == "value-estimate" and p["value"] == typed for p in problems)
    assert not any(p["rule"] == "unparseable" for p in problems)
    if said:    # how the text was read and what decides it: the words Shanxi's forms give the same text
        assert shanxi_estimate_words(tmp_path, typed) in said[0]["message"], said[0]["message"]


def shanxi_estimate_words(tmp_path: Path, typed: str) -> str:
    """What Shanxi's service-staff-min (threshold 10) says of `typed` after its own message: the part that tells how
    the text was read and what decides the verdict ("（填的是“约3人”，读作…）", or from "填的是" when undecided)."""
    from submissions import applicant
    from xlbase.commands.validate import validate_reads
    from xlbase.read import read_files
    from xlbase.rules import load_pack
    path = applicant(tmp_path / "shanxi.xlsx", forms=("附件3", "附件4", "附件10"), a10={"service_staff": typed})
    problems, _ = validate_reads(read_files([str(path)], jobs=1), load_pack("shanxi-2024-base"))
    (p,) = [p for p in problems if p.rule == "service-staff-min"]
    return p.message[p.message.index("填的是"):].split("门槛")[0] if "不能判定" in p.message else \
        p.message[p.message.index("（填的是"):]
