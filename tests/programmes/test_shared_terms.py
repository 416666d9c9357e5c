"""A programme's spec need not repeat the everyday words clerks use: a table field without `terms` of its own takes
those of data/field_terms.yaml for its key. A stranger's 衡阳 企业名单 headed 入园日期 / 职位 / 手机号 lost its
入驻时间 column ("缺少“入驻时间”栏目" — an 错误 the county had not made) and its 职务 column, though 附件3 of the
Shanxi forms read 入园时间 since session 9: the words lived in one programme's yaml. Its rows were also credited
to the application's file in the 入驻企业 sheet and the input report."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import openpyxl
import pytest

from programme_inbox import load_case, read_summary, xlbase
from xlbase.forms import build_forms, field_terms


def _toy(fields: list[dict]) -> dict:
    return build_forms([{"id": "试表", "kind": "table", "sheet": "试表", "title": "试表", "fields": fields}])["试表"]


def test_a_field_without_words_of_its_own_takes_the_shared_ones_another_field_does_not_say():
    form = _toy([{"key": "firm_name", "label": "企业名称", "type": "text", "terms": ["字号"]},
                 {"key": "entered_on", "label": "入驻时间", "type": "date"},
                 {"key": "rule", "label": "入园须知", "type": "text"},
                 {"key": "position", "label": "职务", "type": "text"}])
    f = {x.key: x.terms for x in form.fields}
    assert f["firm_name"] == ("字号",)                       # its own words only: the spec said them
    shared = tuple(field_terms()["entered_on"])
    assert "入园" in shared and "入园" not in f["entered_on"]    # another column's label says 入园
    assert set(f["entered_on"]) == {t for t in shared if t != "入园"}
    assert f["rule"] == ()                                    # no key in the shared words
    assert set(f["position"]) == set(field_terms()["position"])


def test_a_shared_word_two_columns_would_take_goes_to_neither():
    form = _toy([{"key": "tax", "label": "纳税额", "type": "money", "unit": "万元"},
                 {"key": "taxes", "label": "上缴税金", "type": "money", "unit": "万元"},
                 {"key": "revenue", "label": "营业收入", "type": "money", "unit": "万元"}])
    f = {x.key: x.terms for x in form.fields}
    assert f["tax"] == f["taxes"] == ()                       # 税 would point at both
    assert "营收" in f["revenue"] and not any("税" in t for t in f["revenue"])


def test_a_strangers_hengyang_firm_list_is_read_by_its_everyday_words(tmp_path):
    case = load_case("hengyang-2023")
    rng = random.Random(1116)
    firms = [(f"耒阳市{rng.choice('湘南金鑫蔡伦')}{rng.choice(['科技', '商贸', '纸业'])}{k}有限公司",
              rng.randint(20, 2000), rng.randint(0, 60), dt.date(2018 + k % 5, 1 + k % 12, 5)) for k in range(12)]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "企业名单"
    ws.append(["耒阳市蔡伦科技园入驻企业名单"])
    ws.append(["金额单位：元"])
    ws.append(["编号", "企业全称", "2022年营收", "2022年纳税", "入园日期", "联系人", "职位", "手机号"])
    for k, (name, rev, tax, on) in enumerate(firms, start=1):
        ws.append([k, name, rev * 10_000, tax * 10_000, on.strftime("%Y年%m月"), "王芳", "经理", f"1397340{k:04d}"])
    inbox = tmp_path / "收件" / "耒阳市"
    inbox.mkdir(parents=True)
    wb.save(inbox / "蔡伦科技园企业名单.xlsx")
    wb = openpyxl.Workbook()
    wb.active.title = "申请表"
    for line in [("衡阳市中小微企业创业创新基地申请表",), ("基地名称", "耒阳市蔡伦科技园", "所在地址", "耒阳市五里牌街道"),
                 ("联系人", "王芳", "联系电话", "0734-4321234"), ("总建筑面积", "8.6万㎡", "专职服务人员", "15人")]:
        wb.active.append(list(line))
    wb.save(inbox / "蔡伦科技园申请表.xlsx")
    out, js = tmp_path / "汇总表.xlsx", tmp_path / "报告.json"
    res = xlbase("merge", str(inbox.parent), "--programme", case.name, "-o", str(out), "--json", str(js))
    assert res.returncode in (0, 1), res.stdout + res.stderr
    report = json.loads(js.read_text("utf-8"))
    problems = report["problems"]
    assert not [p for p in problems if p["rule"] in ("missing-column", "unknown-column")], problems
    read_as = {p["cell"]: p["message"] for p in problems if p["rule"] == "column-read-as"}
    assert "“入驻时间”" in read_as["E3"] and "“职务”" in read_as["G3"] and "“联系电话”" in read_as["H3"]
    rows, _ = read_summary(out, case.programme)
    (row,) = rows
    assert row["listed_firms"] == len(firms)
    assert row["listed_revenue"] == pytest.approx(sum(f[1] for f in firms))      # 元 ÷ 10000
    # each firm row points at the file, sheet and row its clerk typed, and each file is credited its own rows
    sheet = list(openpyxl.load_workbook(out)["入驻企业"].iter_rows(values_only=True))
    head = sheet[0]
    at = {h: head.index(h) for h in ("中小微企业名称", "入驻时间", "职务", "来源文件", "工作表", "行号")}
    assert [(r[at["中小微企业名称"]], r[at["来源文件"]], r[at["工作表"]], r[at["行号"]]) for r in sheet[1:]] == \
        [(f[0], "蔡伦科技园企业名单.xlsx", "企业名单", k) for k, f in enumerate(firms, start=4)]
    assert all(r[at["入驻时间"]] is not None and r[at["职务"]] == "经理" for r in sheet[1:])
    rows_of = {Path(i["file"]).name: (i["rows_read"], i["rows_merged"]) for i in report["inputs"]}
    assert rows_of == {"蔡伦科技园企业名单.xlsx": (len(firms), len(firms)), "蔡伦科技园申请表.xlsx": (1, 1)}
