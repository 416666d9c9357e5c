"""太原's city merging the 县区's 示范平台汇总表 as they type them. The notice names the 汇总表 but prints no columns
(ours are derived from the 申请表), so each 县区 makes its own:

- 小店区: everyday words (单位名称, 注册资金, 员工人数, 企业类型, 设备台套数, 设备原值) and a '金额单位：元' line;
  注册资金 and 员工人数 were unread (missing-column warning, the totals short);
- 晋源区: a two-row header with 平台名称 merged down beside the groups, units in the cells, no equipment or site
  columns; the name was a missing-column 错误 and the row nameless, the absent columns 错误 too — for columns the
  notice never printed;
- 杏花岭区: the title and '我区今年无推荐平台。'; it was 错误 "没有找到…的表格", the unit not counted as reporting.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import openpyxl

XIAODIAN = [
    ["山西智联科技服务有限公司", dt.date(2015, 3, 12), "有限责任公司", "张伟", "李娜", "0351-7654321", 5000000, 32000000, 120,
     8600000, 2400, 56, 30, 18500000, 9200000, 1200000, 650000, 420],
    ["太原市小店区创业服务中心", "2012.8", "事业单位", "王强", "赵丽", "13803512345", 1000000, 12000000, 35, 1500000, 1800,
     22, 14, 4600000, 4100000, -200000, 80000, 310],
]
XIAODIAN_HEAD = ["单位名称", "成立时间", "企业类型", "法人", "联系人", "电话", "注册资金", "总资产", "设备台套数", "设备原值",
                 "场地面积（㎡）", "员工人数", "专业技术人员", "营收", "服务性收入", "利润", "纳税", "服务企业数"]
KEYS = ["applicant", "registered_on", "nature", "legal_rep", "contact", "phone", "registered_capital", "total_assets",
        "equipment_count", "equipment_price", "site_area", "staff", "staff_professional", "revenue", "service_revenue",
        "profit", "taxes", "smes_served"]
MONEY = {"registered_capital", "total_assets", "equipment_price", "revenue", "service_revenue", "profit", "taxes"}


def _save(path, rows, merges=()):
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    for m in merges:
        ws.merge_cells(m)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def test_county_tables_in_their_own_words_merge_without_untrue_errors(tmp_path):
    inbox = tmp_path / "收件"
    _save(inbox / "小店区" / "小店区示范平台汇总表.xlsx",
          [["2023年度示范平台基本情况汇总表"], ["推荐单位（盖章）：小店区工业和信息化局", *[None] * 10, "金额单位：元"],
           ["序号", *XIAODIAN_HEAD], *[[i, *row] for i, row in enumerate(XIAODIAN, 1)]])
    _save(inbox / "晋源区" / "晋源区示范平台汇总表.xlsx",
          [["晋源区示范平台推荐汇总"], ["填报单位：晋源区工信局"],
           ["序号", "平台名称", "基本情况", *[None] * 8, "上年度运营情况", *[None] * 4],
           [None, None, "注册日期", "单位性质", "法定代表人", "联系人", "联系方式", "注册资本", "资产总额", "从业人员",
            "其中专业人员", "营业收入", "其中服务收入", "利润总额", "上缴税金", "服务中小企业数"],
           [1, "晋源区中小企业服务平台", "2016年5月", "民营企业", "刘洋", "陈静", "0351-6123456", "300万元", "1800万元", "28人",
            "17人", "960万元", "700万元", "85万元", "32万元", "180户"]],
          merges=["A3:A4", "B3:B4", "C3:K3", "L3:P3"])
    _save(inbox / "杏花岭区" / "杏花岭区示范平台汇总表.xlsx",
          [["2023年度示范平台基本情况汇总表"], ["推荐单位：杏花岭区工信局"], ["我区今年无推荐平台。"]])
    out = tmp_path / "汇总表.xlsx"
    run = subprocess.run([sys.executable, "-m", "xlbase", "merge", str(inbox), "--programme", "taiyuan-2023", "-o", str(out),
                          "--json", str(tmp_path / "r.json")], capture_output=True, text=True)
    assert run.returncode in (0, 1), run.stdout + run.stderr
    problems = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["problems"]
    assert not [p for p in problems if p["severity"] == "error"], [p["message"] for p in problems if p["severity"] == "error"]
    [absent] = [p for p in problems if p["rule"] == "missing-column"]
    assert absent["severity"] == "warning" and absent["file"].endswith("晋源区示范平台汇总表.xlsx")
    assert set(absent["value"]) == {"equipment_count", "equipment_price", "site_area"}
    [answer] = [p for p in problems if p["rule"] == "no-base"]
    assert answer["file"].endswith("杏花岭区示范平台汇总表.xlsx")

    wb = openpyxl.load_workbook(out)
    ws = wb.worksheets[0]
    labels = [str(c.value or "").replace("\n", "") for c in ws[4]]
    from xlbase.forms.programmes import load_programme
    form = load_programme("taiyuan-2023").form("太原汇总表")
    col = {k: next(i for i, h in enumerate(labels) if h.startswith(form.field(k).label)) for k in KEYS}
    rows = {r[col["applicant"]]: r for r in ws.iter_rows(min_row=5, values_only=True) if r[col["applicant"]]}
    assert set(rows) == {"山西智联科技服务有限公司", "太原市小店区创业服务中心", "晋源区中小企业服务平台"}
    for typed in XIAODIAN:
        got = rows[typed[0]]
        for k, v in zip(KEYS[6:], typed[6:]):
            want = v / 10000 if k in MONEY else v
            assert got[col[k]] == want, (typed[0], k, got[col[k]], want)
    jin = rows["晋源区中小企业服务平台"]
    assert [jin[col[k]] for k in ("registered_capital", "staff", "revenue", "smes_served")] == [300, 28, 960, 180]
    status = {r[0]: r[1] for r in wb["各县情况"].iter_rows(min_row=2, values_only=True) if r[0]}
    assert status["杏花岭区"] == status["小店区"] == status["晋源区"] == "已报送"
