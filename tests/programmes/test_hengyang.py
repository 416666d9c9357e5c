"""衡阳 2023 end to end: templates out (the CLI), filled by code as a clerk would and retyped by another
clerk, a 县市区's 推荐汇总表, merged (the CLI): the 汇总表's rows and totals exact, and each threshold of
二（一） violated once and found at the cell the clerk typed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from hengyang_inbox import Base, county_list, fill_applicant, retyped_applicant

REPO = Path(__file__).resolve().parents[2]
APPLICANT = "衡阳市中小微企业创新创业基地申报书.xlsx"
SUMMARY = "衡阳市中小微企业创新创业基地推荐汇总表.xlsx"


def xlbase(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "xlbase", *args], capture_output=True, text=True, cwd=REPO,
                          timeout=300)


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("templates")
    res = xlbase("templates", "--programme", "hengyang-2023", "-o", str(out))
    assert res.returncode == 0, res.stderr
    return out


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
    src = retyped_applicant(tmp_path / "祁东县基地.xlsx", Base("祁东县创业基地", county="祁东县", firms=22,
                                                              small_firms=18, employees=240))
    xls = soffice_convert(src, "xls:MS Excel 97", inbox)
    assert xls.suffix == ".xls"
    out = tmp_path / "汇总表.xlsx"
    res = xlbase("merge", str(inbox), "--programme", "hengyang-2023", "-o", str(out))
    assert res.returncode == 0, res.stdout + res.stderr
    data, total = _rows(out)
    assert [r[1] for r in data] == ["祁东县创业基地"]
    assert data[0][5:14] == ["祁东县", 8, 30000, 9000, 22, 18, 240, 22, sum(100 + 10 * i for i in range(22))]
    assert total[9] == 22


def _rows(path: Path) -> tuple[list[list], list]:
    ws = openpyxl.load_workbook(path, data_only=True)["推荐汇总表"]
    rows = [list(r) for r in ws.iter_rows(min_row=4, values_only=True)]
    data = [r for r in rows if isinstance(r[0], int)]
    total = next(r for r in rows if r[0] == "合计")
    return data, total


def test_clerk_filled_retyped_and_county_list_merge_exactly(templates, tmp_path):
    inbox = tmp_path / "收件"
    inbox.mkdir()
    fill_applicant(templates / APPLICANT, inbox / "衡南县创新创业园.xlsx",
                   Base("衡南县创新创业园", service_staff=9, floor_area=32000, self_held=8000, firms=24,
                        small_firms=20, employees=310))
    retyped_applicant(inbox / "耒阳双创.xlsx", Base("耒阳市双创基地", county="耒阳市", service_staff=7,
                                                   floor_area=21000, self_held=5000, leased=15000, std_factory=15000,
                                                   firms=30, small_firms=24, employees=400))
    county_list(templates / SUMMARY, inbox / "常宁市推荐汇总表.xlsx", "常宁市",
                [("常宁市众创园", "赵六", "13800000000", "服务人员8人，入驻企业30家"),
                 ("衡南县创新创业园", "王国东", "0734-8857006", "见申报书")])
    out = tmp_path / "汇总表.xlsx"
    res = xlbase("merge", str(inbox), "--programme", "hengyang-2023", "-o", str(out), "--json",
                 str(tmp_path / "r.json"))
    assert res.returncode == 0, res.stdout + res.stderr
    data, total = _rows(out)
    by_name = {r[1]: r for r in data}
    assert sorted(by_name) == ["常宁市众创园", "耒阳市双创基地", "衡南县创新创业园"]
    a, b, c = by_name["衡南县创新创业园"], by_name["耒阳市双创基地"], by_name["常宁市众创园"]
    # 所在县市区, 专职服务人员, 总建筑面积, 自持, 入驻企业数, 小微, 从业人数, 名单企业数, 名单营业收入合计
    assert a[5:14] == ["衡南县", 9, 32000, 8000, 24, 20, 310, 24, sum(100 + 10 * i for i in range(24))]
    assert b[5:14] == ["耒阳市", 7, 21000, 5000, 30, 24, 400, 30, sum(100 + 10 * i for i in range(30))]
    assert c[5] == "常宁市" and c[6] is None and c[4] == "服务人员8人，入驻企业30家"   # the county's own row
    assert "服务功能：基本服务、创业辅导、投融资服务、人员培训" in a[4]
    assert total[6:14] == [16, 53000, 13000, 54, 44, 710, 54, a[13] + b[13]]
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["summary"]["bases"] == 3 and report["summary"]["firms"] == 54
    for i in report["inputs"]:
        assert i["rows_read"] == i["rows_merged"] + i["rows_rejected"]
    wb = openpyxl.load_workbook(out, data_only=True)
    assert wb.sheetnames == ["推荐汇总表", "问题清单", "各县情况", "入驻企业"]
    units = {r[0]: r[1:3] for r in wb["各县情况"].iter_rows(min_row=2, values_only=True)}
    assert units["衡南县"] == ("已报送", 1) and units["常宁市"] == ("已报送", 1) and units["珠晖区"] == ("未报送", 0)
    firms = list(wb["入驻企业"].iter_rows(min_row=2, values_only=True))
    assert len(firms) == 54 and {f[0] for f in firms} == {"衡南县创新创业园", "耒阳市双创基地"}
    problems = list(wb["问题清单"].iter_rows(min_row=4, values_only=True))
    assert not [p for p in problems if p[0] == "错误"]
    assert any(p[-2] == "duplicate-base" and p[1] == "常宁市推荐汇总表.xlsx" for p in problems)
    # the city merges the county's 汇总表: the same rows and totals (来源文件 becomes the county's file)
    city = tmp_path / "市汇总表.xlsx"
    res = xlbase("merge", str(out), "--programme", "hengyang-2023", "-o", str(city))
    assert res.returncode == 0, res.stdout + res.stderr
    city_data, city_total = _rows(city)
    assert [r[:14] for r in city_data] == [r[:14] for r in data] and city_total[:14] == total[:14]


# each 申报条件 of 二（一） broken once: (rule, the Base, which typed cell the problem must point at)
VIOLATIONS = [
    ("operator-age", dict(founded=__import__("datetime").date(2022, 10, 1)), "申请表!成立时间"),
    ("service-staff-min", dict(service_staff=5), "申请表!其中：专职服务人员"),
    ("staff-list-min", dict(staff_rows=4), None),
    ("floor-area-min", dict(floor_area=15000, self_held=4000, leased=11000, std_factory=10000), "申请表!总建筑面积"),
    ("self-held-share", dict(self_held=4000, leased=26000), "申请表!自持"),
    ("resident-firms-min", dict(firms=15, small_firms=12), "ops2022!入驻企业数"),
    ("employees-min", dict(employees=150), "ops2022!从业人数"),
    ("small-micro-share", dict(small_firms=15), "ops2022!小微企业数"),
    ("key-activities-min", dict(key_count=0), "申请表!重点服务活动场次"),
    ("key-activity-firms-min", dict(key_firms=20), "申请表!重点服务活动服务企业数"),
    ("firm-count-match", dict(firm_rows=23), "ops2022!入驻企业数"),
    ("firm-total-row", dict(total_revenue=999.0), "firms!合计营业收入"),
]


def test_each_threshold_violated_once_is_found_at_its_cell(templates, tmp_path):
    inbox = tmp_path / "收件"
    inbox.mkdir()
    cells = {}
    for i, (rule, changes, _) in enumerate(VIOLATIONS):
        name = f"衡阳第{i + 1}基地"
        cells[rule] = fill_applicant(templates / APPLICANT, inbox / f"{rule}.xlsx", Base(name, **changes))
    fill_applicant(templates / APPLICANT, inbox / "clean.xlsx", Base("衡阳达标基地"))
    out = tmp_path / "汇总表.xlsx"
    res = xlbase("merge", str(inbox), "-o", str(out), "--json", str(tmp_path / "r.json"))   # recognised, no --programme
    assert res.returncode == 1, res.stdout + res.stderr
    assert "hengyang-2023" in res.stdout.splitlines()[0]
    problems = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["problems"]
    for rule, _, where in VIOLATIONS:
        mine = [p for p in problems if Path(p["file"]).name == f"{rule}.xlsx" and p["severity"] in ("error", "warning")]
        assert [p["rule"] for p in mine] == [rule], (rule, mine)
        if where is not None:
            sheet, _, _ = where.partition("!")
            assert mine[0]["cell"] == cells[rule][where], (rule, mine[0])
            if sheet == "申请表" or sheet == "ops2022":
                assert mine[0]["sheet"] == "申请表"
        else:
            assert mine[0]["sheet"] == "人员名单" and mine[0]["value"] == 4
    clean = [p for p in problems if Path(p["file"]).name == "clean.xlsx" and p["severity"] != "info"]
    assert clean == []


def test_a_batch_mixing_programmes_is_refused(templates, tmp_path):
    inbox = tmp_path / "收件"
    inbox.mkdir()
    fill_applicant(templates / APPLICANT, inbox / "衡阳.xlsx", Base("衡阳某基地"))
    shanxi = sorted((REPO / "samples" / "counties").rglob("*.xlsx"))[0]
    (inbox / shanxi.name).write_bytes(shanxi.read_bytes())
    res = xlbase("merge", str(inbox), "-o", str(tmp_path / "out.xlsx"))
    assert res.returncode == 2
    assert "混有不同申报项目" in res.stderr and "hengyang-2023" in res.stderr
    assert not (tmp_path / "out.xlsx").exists()
    res = xlbase("validate", str(inbox / "衡阳.xlsx"), "--programme", "shanxi-2024-base")
    assert res.returncode == 2 and "--programme hengyang-2023" in res.stderr


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


def test_templates_sent_back_blank_are_no_application(templates, tmp_path):
    """A county that returns the blank templates reports nothing: no 40 missing values, no row."""
    inbox = tmp_path / "收件"
    inbox.mkdir()
    for name in (APPLICANT, SUMMARY):
        (inbox / name).write_bytes((templates / name).read_bytes())
    res = xlbase("merge", str(inbox), "--programme", "hengyang-2023", "-o", str(tmp_path / "out.xlsx"), "--json",
                 str(tmp_path / "r.json"))
    assert res.returncode == 0, res.stdout + res.stderr
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["summary"]["bases"] == 0
    assert sorted(p["rule"] for p in report["problems"] if p["severity"] != "info") == []
    assert [p["rule"] for p in report["problems"]].count("no-base") == 2


def test_mark_and_validate_a_hengyang_file(templates, tmp_path):
    """mark colours the cell of a broken threshold and lists it in 校验结果; validate --xlsx writes the list."""
    src = tmp_path / "衡阳某基地.xlsx"
    cells = fill_applicant(templates / APPLICANT, src, Base("衡阳某基地", service_staff=4))
    res = xlbase("mark", str(src), "-o", str(tmp_path / "标注.xlsx"))      # recognised: no --programme
    assert res.returncode == 1, res.stdout + res.stderr
    assert "hengyang-2023" in res.stdout.splitlines()[0]
    wb = openpyxl.load_workbook(tmp_path / "标注.xlsx")
    assert "校验结果" in wb.sheetnames
    cell = wb["申请表"][cells["申请表!其中：专职服务人员"]]
    assert cell.fill.fgColor.rgb not in (None, "00000000") and cell.value == 4
    listed = [r for r in wb["校验结果"].iter_rows(values_only=True) if r and r[1] == "错误"]
    assert [(r[2], r[4]) for r in listed] == [("申请表", "专职服务人员 4 人，少于 6 人")]
    res = xlbase("validate", str(src), "--programme", "hengyang-2023", "--xlsx", str(tmp_path / "问题.xlsx"))
    assert res.returncode == 1 and "专职服务人员 4 人，少于 6 人" in res.stdout
    rows = list(openpyxl.load_workbook(tmp_path / "问题.xlsx").worksheets[0].iter_rows(values_only=True))
    assert any("service-staff-min" in map(str, r) for r in rows)
    res = xlbase("merge", str(src), "--programme", "hengyang-2023", "-o", str(tmp_path / "o.xlsx"), "--level", "city")
    assert res.returncode == 2 and "--level" in res.stderr
