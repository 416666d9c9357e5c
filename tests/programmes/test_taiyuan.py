"""太原 2023 end to end: templates out (the CLI), filled by code as a clerk would and retyped by another
clerk, a county's own 汇总表, merged (the CLI): the 汇总表 (附件3, its columns derived from the 申请表)
has exact rows and totals, and each rule the notice and its forms state, broken once, is found at its cell."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import range_boundaries

from taiyuan_inbox import Platform, county_summary, fill_applicant, retyped_applicant, split_recommendation

REPO = Path(__file__).resolve().parents[2]
APPLICANT = "太原市中小企业公共服务示范平台申请报告.xlsx"
SUMMARY = "2023年度示范平台基本情况汇总表.xlsx"
# the 汇总表's columns after 序号, as summary.yaml derives them from the 申请表
COLUMNS = ["申请单位名称", "注册日期", "单位性质", "法人代表", "联系人", "联系电话", "注册资本（万元）", "上年末总资产（万元）",
           "仪器、设备数量（台（套））", "仪器、设备购买价格（万元）", "服务场地面积（平方米）", "从业人数（人）",
           "其中：专业人员（人）", "营业收入（万元）", "其中：服务收入（万元）", "利润总额（万元）", "上缴税金（万元）",
           "服务中小企业户数（户）", "所在县（市、区）"]


def xlbase(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "xlbase", *args], capture_output=True, text=True, cwd=REPO,
                          timeout=300)


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("templates")
    res = xlbase("templates", "--programme", "taiyuan-2023", "-o", str(out))
    assert res.returncode == 0, res.stderr
    return out


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


def _summary(path: Path) -> tuple[list[list], list, list]:
    ws = openpyxl.load_workbook(path, data_only=True)["汇总表"]
    rows = [list(r) for r in ws.iter_rows(min_row=5, values_only=True)]
    heads = [(low.value or top.value or "").replace("\n", "") for top, low in zip(ws[3], ws[4])]   # two-row header
    data = [r for r in rows if isinstance(r[0], int)]
    total = next(r for r in rows if r[0] == "合计")
    return data, total, heads


def test_clerk_filled_retyped_and_county_list_merge_exactly(templates, tmp_path):
    inbox = tmp_path / "收件"
    inbox.mkdir()
    a = Platform("太原市晋阳中小企业服务有限公司")
    b = Platform("古交市创业服务中心有限公司", county="古交市", capital=200.0, assets=640.0, equipment=12,
                 equipment_price=96.0, site_area=600.0, site_owned=0.0, site_rented=600.0, staff=13, professional=9,
                 revenue=(300.0, 320.5, 410.25), service_revenue=(200.0, 210.0, 260.75), profit=(5.0, 6.0, 8.5),
                 taxes=(3.0, 3.5, 4.25), served=(60, 70, 95), staff_rows=13, sample_rows=11)
    fill_applicant(templates / APPLICANT, inbox / "晋阳服务平台.xlsx", a)
    retyped_applicant(inbox / "古交市创业服务中心申请报告.xlsx", b)
    c = Platform("清徐县中小企业服务中心", county="清徐县", capital=100.0, assets=300.0, staff=12, professional=8,
                 revenue=(100.0, 120.0, 150.0), service_revenue=(90.0, 100.0, 130.0), profit=(1.0, 2.0, 3.0),
                 taxes=(0.5, 0.5, 0.75), served=(40, 45, 52))
    county_summary(templates / SUMMARY, inbox / "清徐县汇总表.xlsx", "清徐县", [c])
    out = tmp_path / "汇总表.xlsx"
    res = xlbase("merge", str(inbox), "--programme", "taiyuan-2023", "-o", str(out), "--json",
                 str(tmp_path / "r.json"))
    assert res.returncode == 0, res.stdout + res.stderr
    data, total, heads = _summary(out)
    col = {h: i for i, h in enumerate(heads) if h}
    by_name = {r[1]: r for r in data}
    assert sorted(by_name) == sorted([a.name, b.name, "清徐县中小企业服务中心"])

    def row(p: Platform) -> list:
        return [p.capital, p.assets, p.equipment, p.equipment_price, p.site_area, p.staff, p.professional,
                p.revenue[-1], p.service_revenue[-1], p.profit[-1], p.taxes[-1], p.served[-1], p.county]
    numeric = COLUMNS[6:]
    for p in (a, b):   # the 申请表's values; the last year of 运营管理情况 (b's typed in 元)
        got = [by_name[p.name][col[h]] for h in numeric]
        assert got == row(p), p.name
    assert [by_name[c.name][col[h]] for h in numeric] == row(c)          # the county's own row, as it typed it
    counts = {name: (r[col["名单人员数（人）"]], r[col["测评抽样企业数（家）"]]) for name, r in by_name.items()}
    assert counts == {a.name: (14, 10), b.name: (13, 11), c.name: (None, None)}   # ours: the lists' lengths
    for h in numeric[:-1]:
        values = [r[col[h]] for r in data if isinstance(r[col[h]], (int, float))]
        assert total[col[h]] == pytest.approx(sum(values)), h
    assert total[col["营业收入（万元）"]] == pytest.approx(1100.0 + 410.25 + 150.0)
    assert total[col["利润总额（万元）"]] == pytest.approx(-12.5 + 8.5 + 3.0)
    assert total[col["从业人数（人）"]] == 20 + 13 + 12
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


def _within(cell: str, where: str) -> bool:
    """`cell` is `where`, or one of the cells of the merged range `where` (a header merged down two lines)."""
    lo_c, lo_r, hi_c, hi_r = range_boundaries(where)
    c, r = range_boundaries(cell)[:2]
    return lo_c <= c <= hi_c and lo_r <= r <= hi_r


# each rule broken once: (rule, the Platform's changes, the typed cell the problem must point at)
VIOLATIONS = [
    ("evaluation-sample-min", dict(sample_rows=9), "推荐表!抽样企业名称"),     # a list too short: its header
    ("staff-list-min", dict(staff_rows=11), "人员名单!姓名"),
    ("application-subtotals", dict(site_owned=500.0, site_rented=800.0), "申请表!其中：自有"),
    ("service-revenue-part", dict(service_revenue=(500.0, 620.0, 1200.0)), "ops2022!其中：服务收入（万元）"),
    ("required", dict(opinion=None), "推荐表!县（市、区）、开发区中小企业主管部门推荐意见"),
]


def test_each_rule_violated_once_is_found_at_its_cell(templates, tmp_path):
    inbox = tmp_path / "收件"
    inbox.mkdir()
    cells = {}
    for i, (rule, changes, _) in enumerate(VIOLATIONS):
        cells[rule] = fill_applicant(templates / APPLICANT, inbox / f"{rule}.xlsx", Platform(f"太原第{i + 1}平台", **changes))
    fill_applicant(templates / APPLICANT, inbox / "clean.xlsx", Platform("太原达标平台"))
    out = tmp_path / "汇总表.xlsx"
    res = xlbase("merge", str(inbox), "-o", str(out), "--json", str(tmp_path / "r.json"))   # recognised
    assert res.returncode == 1, res.stdout + res.stderr
    assert "taiyuan-2023" in res.stdout.splitlines()[0]
    problems = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["problems"]
    for rule, _, where in VIOLATIONS:
        mine = [p for p in problems if Path(p["file"]).name == f"{rule}.xlsx" and p["severity"] in ("error", "warning")]
        assert [p["rule"] for p in mine] == [rule], (rule, mine)
        assert _within(mine[0]["cell"], cells[rule][where]), (rule, mine[0])
        assert mine[0]["sheet"] == where.split("!")[0].replace("ops2022", "申请表")
        if rule.endswith("-min"):
            assert mine[0]["value"] == {"evaluation-sample-min": 9, "staff-list-min": 11}[rule]
    clean = [p for p in problems if Path(p["file"]).name == "clean.xlsx" and p["severity"] != "info"]
    assert clean == []


def test_a_recommendation_sent_apart_is_no_short_list(templates, tmp_path):
    """The notice's 推荐表 (附件1) and 申请报告 (附件2) may come as two files: neither file's missing list is
    called short (an error); each is a warning that names what would decide it."""
    inbox = tmp_path / "收件"
    inbox.mkdir()
    filled = tmp_path / "filled.xlsx"
    fill_applicant(templates / APPLICANT, filled, Platform("太原市分开报送平台"))
    split_recommendation(filled, inbox / "申请报告.xlsx", inbox / "推荐表.xlsx")
    out = tmp_path / "汇总表.xlsx"
    res = xlbase("merge", str(inbox), "--programme", "taiyuan-2023", "-o", str(out), "--json", str(tmp_path / "r.json"))
    assert res.returncode == 0, res.stdout + res.stderr
    problems = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["problems"]
    found = sorted((Path(p["file"]).name, p["rule"], p["severity"]) for p in problems if p["severity"] != "info")
    assert found == [("推荐表.xlsx", "staff-list-min", "warning"), ("申请报告.xlsx", "evaluation-sample-min", "warning")]
    data, _, _ = _summary(out)
    assert [r[1] for r in data] == ["太原市分开报送平台"]


def test_taiyuan_is_listed_with_its_notice():
    res = xlbase("programmes")
    assert res.returncode == 0
    block = res.stdout[res.stdout.index("taiyuan-2023"):]
    assert "004_8553de26f5d5b2c3.txt" in block and "并工信字〔2023〕26号" in block
    assert "由申请表导出" in block                      # the 汇总表's columns are ours, and it says so
