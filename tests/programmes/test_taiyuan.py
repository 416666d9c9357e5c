"""太原 2023 as strangers make it: the template holds the notice's wording, another clerk's retyped 申请报告
(money in 元) and a county's own 汇总表 merge with a clerk's filled template into the 汇总表 (附件3, its
columns derived from the 申请表) with exact rows and totals; a 推荐表 sent apart is no short list. The round
every programme runs is test_programme_rounds.py with cases/taiyuan-2023.yaml."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from xlbase.rules.kinds import officer_notes
from xlbase.rules.programme import load_generic_pack
from programme_inbox import expected_summary_row, fill, load_case, make_templates, read_summary, xlbase
from taiyuan_inbox import county_summary, retyped_applicant, split_recommendation

CASE = load_case("taiyuan-2023")
APPLICANT, SUMMARY = CASE.applicant_file, CASE.summary_file
# the 汇总表's columns after 序号, as summary.yaml derives them from the 申请表
COLUMNS = ["申请单位名称", "注册日期", "单位性质", "法人代表", "联系人", "联系电话", "注册资本（万元）", "上年末总资产（万元）",
           "仪器、设备数量（台（套））", "仪器、设备购买价格（万元）", "服务场地面积（平方米）", "从业人数（人）",
           "其中：专业人员（人）", "营业收入（万元）", "其中：服务收入（万元）", "利润总额（万元）", "上缴税金（万元）",
           "服务中小企业户数（户）", "所在县（市、区）"]
GUJIAO = {"太原申请表": {"county": "古交市", "registered_capital": 200, "total_assets": 640, "equipment_count": 12,
                    "equipment_price": 96, "site_area": 600, "site_owned": 0, "site_rented": 600, "staff": 13,
                    "staff_professional": 9, "equipment_share": 15, "staff_professional_share": 69.2},
          "太原运营情况": {"last": {"revenue": 410.25, "service_revenue": 260.75, "assets": 640, "profit": 8.5,
                                 "taxes": 4.25, "smes_served": 95}},
          "太原人员名单": {"repeat": 13}, "太原测评企业": {"repeat": 11}, "太原服务企业总数": {"served_total": 95}}
QINGXU = {"太原申请表": {"county": "清徐县", "registered_capital": 100, "total_assets": 300, "staff": 12,
                    "staff_professional": 8},
          "太原运营情况": {"last": {"revenue": 150, "service_revenue": 130, "profit": 3, "taxes": 0.75, "smes_served": 52}}}


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> Path:
    return make_templates(CASE.name, tmp_path_factory.mktemp("templates"))


def _texts(ws) -> set[str]:
    return {"".join(c.value.split()) for row in ws.iter_rows() for c in row if isinstance(c.value, str)}


def test_templates_are_the_notices_forms(templates):
    wb = openpyxl.load_workbook(templates / APPLICANT)
    assert wb.sheetnames[:5] == ["申请表", "设备清单", "人员名单", "服务企业名单", "推荐表"]
    app = _texts(wb["申请表"])
    for label in ("申请单位名称", "注册日期", "单位性质", "其中：主要投资方名称", "仪器、设备数量", "服务场地面积", "其中：自有",
                  "租用", "其中：大专及以上学历和中级及以上技术职称的专业人员", "获得专业服务资质情况", "主要服务内容",
                  "签订合作协议的单位", "得到政府扶持的情况"):
        assert label in app, label
    assert {"2020年", "2021年", "2022年"} <= app
    assert {"抽样企业名称", "对所受服务的总体评价", "很满意", "测评方法"} <= _texts(wb["推荐表"])
    assert "备注：不少于12人" in _texts(wb["人员名单"])
    assert "上一年度共服务企业" in _texts(wb["服务企业名单"])
    ws = wb["申请表"]
    assert ws.data_validations.dataValidation and ws.protection.sheet and ws.print_area
    summary = openpyxl.load_workbook(templates / SUMMARY).active
    assert summary["A1"].value == "2023年度示范平台基本情况汇总表"
    heads = [(c.value or "").replace("\n", "") for c in summary[4]]
    assert heads[1:1 + len(COLUMNS) - 1] == COLUMNS[:-1]


@pytest.mark.libreoffice
def test_templates_open_in_libreoffice(templates, tmp_path):
    from conftest import soffice_convert
    pdf = soffice_convert(templates / APPLICANT, "pdf", tmp_path)
    assert pdf.stat().st_size > 1000


def test_clerk_filled_retyped_and_county_list_merge_exactly(templates, tmp_path):
    inbox = tmp_path / "收件"
    inbox.mkdir()
    jinyang, gujiao, qingxu = CASE.answers(), CASE.answers(GUJIAO), CASE.answers(QINGXU)
    names = {"晋阳": "太原市晋阳中小企业服务有限公司", "古交": "古交市创业服务中心有限公司", "清徐": "清徐县中小企业服务中心"}
    fill(templates / APPLICANT, inbox / "晋阳服务平台.xlsx", CASE.programme, jinyang, names["晋阳"])
    retyped_applicant(inbox / "古交市创业服务中心申请报告.xlsx", gujiao, names["古交"])
    county_summary(templates / SUMMARY, inbox / "清徐县汇总表.xlsx", [(qingxu, names["清徐"])])
    out = tmp_path / "汇总表.xlsx"
    res = xlbase("merge", str(inbox), "--programme", CASE.name, "-o", str(out), "--json", str(tmp_path / "r.json"))
    assert res.returncode == 0, res.stdout + res.stderr
    rows, total = read_summary(out, CASE.programme)
    by_name = {r["applicant"]: r for r in rows}
    assert sorted(by_name) == sorted(names.values())
    expected = {names["晋阳"]: expected_summary_row(CASE.programme, jinyang, names["晋阳"]),
                names["古交"]: expected_summary_row(CASE.programme, gujiao, names["古交"]),    # its 元 as 万元
                names["清徐"]: expected_summary_row(CASE.programme, qingxu, names["清徐"])}
    own = {"nature": "事业单位", "legal_rep": "王五", "listed_staff": None, "sampled_firms": None}   # as the county typed
    expected[names["清徐"]].update(own)
    for name, e in expected.items():
        assert {k: by_name[name][k] for k in e} == pytest.approx(e), name
    assert (by_name[names["古交"]]["listed_staff"], by_name[names["古交"]]["sampled_firms"]) == (13, 11)
    for key in ("registered_capital", "total_assets", "staff", "revenue", "service_revenue", "profit", "taxes"):
        assert total[key] == pytest.approx(sum(e[key] for e in expected.values())), key
    assert total["revenue"] == pytest.approx(1100.0 + 410.25 + 150.0)
    assert total["profit"] == pytest.approx(-12.5 + 8.5 + 3.0)
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["summary"]["bases"] == 3
    for i in report["inputs"]:
        assert i["rows_read"] == i["rows_merged"] + i["rows_rejected"]
    wb = openpyxl.load_workbook(out, data_only=True)
    assert wb.sheetnames[:3] == ["汇总表", "问题清单", "各县情况"]
    units = {r[0]: r[1:3] for r in wb["各县情况"].iter_rows(min_row=2, values_only=True)}
    assert units["小店区"] == ("已报送", 1) and units["古交市"] == ("已报送", 1) and units["迎泽区"] == ("未报送", 0)
    problems = list(wb["问题清单"].iter_rows(min_row=4, values_only=True))
    assert not [p for p in problems if p[0] == "错误"], problems


def test_a_recommendation_sent_apart_joins_its_application(templates, tmp_path):
    """The notice's 推荐表 (附件1, filled by the recommending office) and the 申请报告 (附件2) may come as two
    files: the 推荐表 joins the 申请报告 of the platform it names (its name typed shorter, the other platform's
    application in the same batch), and they are judged and summed as one; a 推荐表 naming no platform of
    the batch stays apart, its missing lists a warning that says what would decide it, not an error."""
    inbox = tmp_path / "收件"
    inbox.mkdir()
    names = ("太原市分开报送中小企业服务有限公司", "太原市另一家服务平台有限公司", "阳曲县某服务中心")
    for name, sample in zip(names, (11, 10, 10)):
        filled = tmp_path / f"{name}.xlsx"
        fill(templates / APPLICANT, filled, CASE.programme, CASE.answers({"太原测评企业": {"repeat": sample}}), name)
        split_recommendation(filled, inbox / f"{name}申请报告.xlsx", tmp_path / f"{name}推荐表.xlsx")
    # the office types the platform's name as it knows it: without the place and the company form
    book = openpyxl.load_workbook(tmp_path / f"{names[0]}推荐表.xlsx")
    for row in book["推荐表"].iter_rows():
        for c in row:
            if c.value == names[0]:
                c.value = "分开报送中小企业服务"
    book.save(inbox / "推荐表（分开报送）.xlsx")
    (inbox / f"{names[1]}申请报告.xlsx").unlink()                 # its 推荐表 only, no 申请报告 in the batch
    (inbox / "另一家的推荐表.xlsx").write_bytes((tmp_path / f"{names[1]}推荐表.xlsx").read_bytes())
    out = tmp_path / "汇总表.xlsx"
    res = xlbase("merge", str(inbox), "--programme", "taiyuan-2023", "-o", str(out), "--json", str(tmp_path / "r.json"))
    assert res.returncode == 0, res.stdout + res.stderr
    problems = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["problems"]
    manual = officer_notes(load_generic_pack(CASE.programme).rules)       # the officer's notes
    found = sorted((Path(p["file"]).name, p["rule"], p["severity"]) for p in problems
                   if p["severity"] != "info" and p["rule"] not in manual)
    assert found == [("另一家的推荐表.xlsx", "staff-list-min", "warning"),
                     (f"{names[2]}申请报告.xlsx", "evaluation-sample-min", "warning")]
    joined = [p for p in problems if p["rule"] == "part-attached"]
    assert [(Path(p["file"]).name, p["base"]) for p in joined] == [("推荐表（分开报送）.xlsx", "分开报送中小企业服务")]
    assert f"{names[0]}申请报告.xlsx" in joined[0]["message"]
    rows, _ = read_summary(out, CASE.programme)
    assert {r["applicant"]: r["sampled_firms"] for r in rows} == {names[0]: 11, names[2]: 0}


def test_taiyuan_is_listed_with_its_notice():
    res = xlbase("programmes")
    assert res.returncode == 0
    block = res.stdout[res.stdout.index("taiyuan-2023"):]
    assert "004_8553de26f5d5b2c3.txt" in block and "并工信字〔2023〕26号" in block
    assert "由申请表导出" in block                      # the 汇总表's columns are ours, and it says so
    # the conditions the notice hands to a 管理办法 whose text we do not hold: said, with what would decide them
    assert "缺少依据：晋企发〔2018〕29号" in block and "认定条件" in block and "取得该办法的文本" in block
    one = xlbase("programmes", "taiyuan-2023").stdout
    assert "未收到文本的依据：晋企发〔2018〕29号" in one          # the pack's own sources say it too
    # which conditions come from the notice and its forms, which only documents decide, which are not available
    sources = dict(line.strip().split("：", 1) for line in
                   one[one.index("条件来源："):].splitlines()[1:5] if line.startswith("      "))
    from_notice = next(v for k, v in sources.items() if k.startswith("通知和表样写明、由表格核对")).split("、")
    assert {"evaluation-sample-min", "staff-list-min", "assets-agree"} <= set(from_notice)
    on_paper = next(v for k, v in sources.items() if k.startswith("通知写明、表格无法判断")).split("、")
    assert set(on_paper) == {"management-rules", "audit-report", "recognition-period"}
    assert sources["未收到文本、未能核对（没有写入规则，也没有自拟门槛）"].startswith("晋企发〔2018〕29号")
    liaocheng = res.stdout[res.stdout.index("liaocheng-2021"):res.stdout.index("shanxi-2024-demo")]
    assert "表单（shanxi-2024）" in liaocheng and "沿用山西2024年的表单" in liaocheng


def test_no_rule_takes_a_number_from_a_document_not_held():
    """太原's notice hands its conditions to a 管理办法 whose text is not among the sources: no rule judging the
    files cites it (no threshold made up for it); it is only named as what the officer must check on paper."""
    pack = load_generic_pack(CASE.programme)
    missing = [str(s["document"]).split("《")[0] for s in pack.sources if s.get("held", True) is False]
    assert missing == ["晋企发〔2018〕29号"]
    citing = {r.id for r in pack.rules for doc in missing if doc in r.source + r.message + str(r.params)}
    assert citing == {"management-rules"} and pack.rule("management-rules").kind == "attest"
    for r in pack.rules:
        if r.threshold is not None:
            assert any(w in r.source for w in ("附件", "通知")), r.id       # the notice and its forms state it
