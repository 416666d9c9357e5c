"""Adding a programme needs no code: a toy programme built from data files alone in a temporary folder
(manifest, forms, lists, workbook and summary layouts, pack) runs templates -> filled -> merge."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import openpyxl

from programme_clerk import Clerk
from xlbase.problem_codes import DOCUMENTS_TO_CHECK

REPO = Path(__file__).resolve().parents[2]

FILES = {
    "programme.yaml": """
        name: toy-2025
        title: 2025年示例市小店扶持申报
        year: 2025
        issuer: 示例市商务局
        document: 示商〔2025〕1号
        sources: [{file: 示例通知.txt, what: 申报条件与附表}]
        forms: 表单
        pack: 规则.yaml
        engine: generic
        recognise: [示例市小店扶持申请表]
    """,
    "规则.yaml": """
        programme: toy-2025
        id: toy-2025
        title: 2025年示例市小店扶持申报
        jurisdiction: 示例市
        year: 2025
        as_of: 2025-06-30
        rules:
          - {id: required, kind: required, forms: [示例申请表, 示例店员表], severity: error,
             message: "“{{ label }}”未填写", source: 表样}
          - {id: staff-min, title: 店员3人以上, kind: min, form: 示例申请表, field: staff, threshold: 3,
             severity: error, message: "店员 {{ value }} 人，少于 {{ threshold }} 人", source: 第二条}
          - {id: staff-listed, title: 店员表人数与申请表一致, kind: counts-match, form: 示例店员表,
             target: {form: 示例申请表, field: staff}, severity: warning,
             message: "申请表填 {{ value }} 人，店员表 {{ counted }} 人", source: 第三条}
          - {id: code-check, title: 信用代码校验位, kind: checksum, form: 示例申请表, field: code, severity: error,
             message: "统一社会信用代码 {{ value }} 校验位不对", source: 国家标准}
          - {id: opened-date, title: 开业日期不晚于基准日期, kind: date-range, form: 示例申请表, field: opened_on,
             severity: error, message: "开业日期 {{ value }} 晚于 {{ threshold }}", source: 第二条}
          - {id: payroll-sum, title: 月工资总额等于店员表之和, kind: sum-matches, form: 示例店员表, field: pay,
             target: {form: 示例申请表, field: payroll}, tolerance: 0.01, severity: error,
             message: "申请表月工资总额 {{ value }} 万元，店员表合计 {{ counted }} 万元", source: 第三条}
          - {id: staff-list-sent, title: 申请表附店员表, kind: forms-present, forms: [示例店员表],
             applicant: [示例申请表], severity: error, message: "缺少{{ title }}", source: 第三条}
          - {id: staff-parts, title: 全职与兼职店员之和等于店员人数, kind: sums-equal, form: 示例申请表,
             fields: [full_time, part_time, staff], severity: error,
             message: "全职、兼职店员合计 {{ parts_sum }} 人，店员人数填 {{ value }} 人", source: 表样}
          - {id: opened-agree, title: 承诺书与申请表的开业日期一致, kind: forms-agree, forms: [示例申请表, 示例承诺书],
             fields: [opened_on = since, shop], severity: warning,
             message: "申请表“{{ label }}”{{ value }}（{{ cell }}），承诺书“{{ other_label }}”{{ other_value }}（{{ other_cell }}）",
             source: 第四条}
          - {id: supplier-share, title: 供货商中小微企业占60%以上, kind: ratio, form: 示例供货商, threshold: 60%,
             severity: error, message: "供货商中小微企业至多占 {{ share }}%，低于 {{ percent }}%（{{ firm_list }} 按300号不属于小微）",
             source: 第五条}
          - {id: licence, title: 营业执照（须核对原件）, kind: attest, form: 示例申请表, field: code, severity: warning,
             message: "营业执照须为本市登记：请核对原件", source: 第二条}
          - {id: lease, title: 租赁合同（须核对原件）, kind: attest, form: 示例申请表, field: rent, severity: warning,
             message: "月租金须有租赁合同：请核对合同", source: 第三条}
    """,
    "表单/a_apply.yaml": """
        id: 示例申请表
        sheet: 申请表
        kind: record
        title: 示例市小店扶持申请表
        fields:
          - {key: shop, label: 店铺名称, type: text, required: true, identity: base_name}
          - {key: district, label: 所在区, type: choice, choices: toy_district, required: true, identity: county}
          - {key: staff, label: 店员人数, type: integer, unit: 人, min: 0, required: true}
          - {key: rent, label: 月租金, type: money, unit: 万元, min: 0}
          - {key: code, label: 统一社会信用代码, type: credit_code}
          - {key: opened_on, label: 开业日期, type: date}
          - {key: payroll, label: 月工资总额, type: money, unit: 万元, min: 0}
          - {key: full_time, label: 其中全职, type: integer, unit: 人, min: 0}
          - {key: part_time, label: 其中兼职, type: integer, unit: 人, min: 0}
        rows:
          - [shop, district]
          - [staff, rent]
          - [code, opened_on]
          - [payroll]
          - [full_time, part_time]
    """,
    "表单/e_suppliers.yaml": """
        id: 示例供货商
        sheet: 供货商
        kind: table
        title: 主要供货商名单
        number_label: 序号
        template_rows: 5
        fields:
          - {key: firm_name, label: 企业名称, type: text, required: true}
          - {key: employees, label: 职工人数, type: integer, unit: 人, min: 0}
          - {key: revenue, label: 营业收入, type: money, unit: 万元, min: 0}
          - {key: industry, label: 所属行业, type: text}
    """,
    "表单/d_pledge.yaml": """
        id: 示例承诺书
        sheet: 承诺书
        kind: record
        title: 示例市小店扶持承诺书
        fields:
          - {key: shop, label: 承诺店铺, type: text}
          - {key: since, label: 开业时间, type: date}
        rows:
          - [shop]
          - [since]
    """,
    "表单/b_staff.yaml": """
        id: 示例店员表
        sheet: 店员表
        kind: table
        title: 店员名单
        number_label: 序号
        total_label: 合计
        template_rows: 5
        fields:
          - {key: name, label: 姓名, type: text, required: true}
          - {key: pay, label: 月工资, type: money, unit: 万元, min: 0}
    """,
    "表单/c_summary.yaml": """
        id: 示例汇总表
        sheet: 汇总表
        kind: table
        title: 示例市小店扶持汇总表
        number_label: 序号
        total_label: 合计
        fields:
          - {key: shop, label: 店铺名称, type: text, identity: base_name}
          - {key: district, label: 所在区, type: text, identity: county}
          - {key: staff, label: 店员人数, type: integer, unit: 人}
          - {key: payroll, label: 月工资合计, type: money, unit: 万元, merge_only: true}
    """,
    "表单/lists.yaml": """
        toy_district: {source: 示例, values: [东区, 西区]}
    """,
    "表单/workbook.yaml": """
        name: 示例申请书
        sheets:
          - {sheet: 申请表, form: 示例申请表}
          - {sheet: 店员表, form: 示例店员表}
          - {sheet: 承诺书, form: 示例承诺书}
          - {sheet: 供货商, form: 示例供货商}
    """,
    "表单/summary.yaml": """
        form: 示例汇总表
        row_per: 示例申请表
        firms: 示例店员表
        unit: district
        units: toy_district
        columns:
          shop: {field: 示例申请表.shop}
          district: {field: 示例申请表.district}
          staff: {field: 示例申请表.staff}
          payroll: {sum: 示例店员表.pay}
    """,
}


def xlbase(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "xlbase", *args], capture_output=True, text=True, cwd=REPO,
                          timeout=300)


def test_a_programme_from_data_files_only(tmp_path):
    home = tmp_path / "toy"
    for name, text in FILES.items():
        (home / name).parent.mkdir(parents=True, exist_ok=True)
        (home / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    manifest = str(home / "programme.yaml")
    res = xlbase("templates", "--programme", manifest, "-o", str(tmp_path / "模板"))
    assert res.returncode == 0, res.stderr
    template = tmp_path / "模板" / "示例申请书.xlsx"
    assert openpyxl.load_workbook(template).sheetnames[:2] == ["申请表", "店员表"]
    inbox = tmp_path / "收件"
    inbox.mkdir()
    # kinds first written for Shanxi's firm lists judge the toy's own fields too: 东区's code has a wrong check
    # character, 西区 opens after the reference date
    # (sums-equal) 西区's full- and part-time staff add up to 1, not its 2; its 承诺书 agrees with its 申请表
    shops = [("东区一号店", "东区", 4, [0.5, 0.6, 0.4, 0.5], "91350100M000100Y44", "2020-01-01", (3, 1)),
             ("西区二号店", "西区", 2, [0.3, 0.3], "91350100M000100Y43", "2025-09-01", (1, 0))]
    where = {}
    for shop, district, staff, pays, code, opened, (full, part) in shops:
        clerk = Clerk(template)
        clerk.record("店铺名称", shop)
        clerk.record("所在区", district)
        where[shop] = clerk.record("店员人数", staff)
        where[code] = clerk.record("统一社会信用代码", code)
        where[opened] = clerk.record("开业日期", opened)
        where[f"{shop}工资"] = clerk.record("月工资总额", 0.9 if shop.startswith("西区") else sum(pays))
        clerk.record("其中全职", full)
        clerk.record("其中兼职", part)
        clerk.table(["姓名", "月工资（万元）"], [[f"{shop}店员{i}", p] for i, p in enumerate(pays)])
        clerk.record("承诺店铺", shop)
        clerk.record("开业时间", opened)
        if shop.startswith("东区"):         # (ratio, 300号) one of its two suppliers is a large industrial firm
            typed = clerk.table(["企业名称", "职工人数（人）", "营业收入（万元）", "所属行业"],
                                [["东区小卖部", 10, 100, "零售业"], ["东区钢铁集团", 2000, 500000, "工业"]])
            where["钢铁"] = typed[1]["企业名称"]
        clerk.save(inbox / f"{shop}.xlsx")
    clerk = Clerk(template)                 # a third shop sends its 申请表 without the 店员表 sheet
    clerk.record("店铺名称", "南区三号店")
    clerk.record("所在区", "东区")
    clerk.record("店员人数", 3)
    where["南区开业"] = clerk.record("开业日期", "2021-05-01")
    clerk.record("承诺店铺", "南区三号店")
    where["南区承诺"] = clerk.record("开业时间", "2021-06-01")      # (forms-agree) a month later than its 申请表
    clerk.save(inbox / "南区三号店.xlsx")
    book = openpyxl.load_workbook(inbox / "南区三号店.xlsx")
    del book["店员表"]
    book.save(inbox / "南区三号店.xlsx")
    out = tmp_path / "汇总.xlsx"
    res = xlbase("merge", str(inbox), "--programme", manifest, "-o", str(out), "--json", str(tmp_path / "r.json"))
    assert res.returncode == 1, res.stdout + res.stderr         # 西区二号店 has 2 staff, fewer than 3
    ws = openpyxl.load_workbook(out, data_only=True)["汇总表"]
    rows = [r for r in ws.iter_rows(min_row=3, values_only=True) if r[0] is not None]
    data = sorted(r[1:5] for r in rows if isinstance(r[0], int))
    assert data == [("东区一号店", "东区", 4, 2.0), ("南区三号店", "东区", 3, 0), ("西区二号店", "西区", 2, 0.6)]
    total = next(r for r in rows if r[0] == "合计")
    assert total[3:5] == (9, 2.6)
    problems = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["problems"]
    errors = [p for p in problems if p["severity"] == "error"]
    assert sorted((p["rule"], Path(p["file"]).name, p["cell"]) for p in errors) == [
        ("code-check", "东区一号店.xlsx", where["91350100M000100Y44"]),
        ("opened-date", "西区二号店.xlsx", where["2025-09-01"]), ("payroll-sum", "西区二号店.xlsx", where["西区二号店工资"]),
        ("staff-list-sent", "南区三号店.xlsx", ""), ("staff-min", "西区二号店.xlsx", where["西区二号店"]),
        ("staff-parts", "西区二号店.xlsx", where["西区二号店"]), ("supplier-share", "东区一号店.xlsx", where["钢铁"])]
    share = next(p for p in errors if p["rule"] == "supplier-share")
    assert "至多占 50%" in share["message"] and "东区钢铁集团" in share["message"] and "小卖部" not in share["message"]
    notes = [p for p in problems if p["rule"] == DOCUMENTS_TO_CHECK]       # the two attest rules: one note each
    assert sorted(Path(p["file"]).name for p in notes) == ["东区一号店.xlsx", "南区三号店.xlsx", "西区二号店.xlsx"]
    assert all("①营业执照须为本市登记" in p["message"] and "②月租金须有租赁合同" in p["message"] for p in notes)
    warnings = [p for p in problems if p["severity"] == "warning" and p["rule"] != DOCUMENTS_TO_CHECK]
    assert [(p["rule"], Path(p["file"]).name, p["cell"]) for p in warnings] == [
        ("opened-agree", "南区三号店.xlsx", where["南区开业"])]
    assert "2021-06-01" in warnings[0]["message"] and where["南区承诺"] in warnings[0]["message"]
    wb = openpyxl.load_workbook(out)
    assert [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"] == ["汇总表", "问题清单", "各县情况", "入驻企业"]
    units = {r[0]: r[2:5] for r in wb["各县情况"].iter_rows(min_row=2, values_only=True)}
    assert units == {"东区": (2, 3, 1), "西区": (1, 4, 0)}       # bases, errors, warnings (not the notes)
