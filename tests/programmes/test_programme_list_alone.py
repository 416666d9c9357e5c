"""A programme's firm list sent as a file of its own, as an operator sends it: its own title naming the base,
money in 元 on a units line, 手机 for the phone column. Beside its base's application it joins it; without
one its rows are read and not merged, with one warning naming its firms — never silently dropped (before:
rows_read 0 and no problem, so a county's four firms vanished from a 衡阳 merge)."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from hengyang_inbox import retyped_applicant
from programme_inbox import load_case, read_summary, rows_of, xlbase

CASE = load_case("hengyang-2023")
NAME = "耒阳市蔡伦科技创业园"
ANSWERS = CASE.answers({"衡阳申请表": {"county": "耒阳市"}, "衡阳企业名单": {"repeat": 6}})


def _application_without_list(out: Path) -> Path:
    retyped_applicant(out, ANSWERS, NAME)
    wb = openpyxl.load_workbook(out)
    del wb["企业名单"]
    wb.save(out)
    return out


def _list_alone(out: Path) -> list[dict]:
    """The base's firm list as its operator typed it: title, 元 on a line of its own, 手机, dates as text."""
    firms = rows_of(ANSWERS["衡阳企业名单"], NAME)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "入驻企业"
    ws.append([f"{NAME}入驻中小微企业名单"])
    ws.append(["单位：元"])
    ws.append(["No.", "企业名称", "营业收入", "纳税", "入驻日期", "联系人", "职务", "手机"])
    for i, f in enumerate(firms, start=1):
        ws.append([i, f["firm_name"], f["revenue"] * 10000, f["tax"] * 10000, f["entered_on"].strftime("%Y-%m-%d"),
                   f["contact"], f["position"], f["phone"]])
    wb.save(out)
    return firms


def _merge(inbox: Path, tmp_path: Path) -> tuple[dict, Path]:
    out = tmp_path / "汇总表.xlsx"
    res = xlbase("merge", str(inbox), "--programme", CASE.name, "-o", str(out), "--json", str(tmp_path / "r.json"))
    assert res.returncode in (0, 1), res.stdout + res.stderr
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    for i in report["inputs"]:
        assert i["rows_read"] == i["rows_merged"] + i["rows_rejected"], i
    return report, out


def test_a_list_alone_is_read_and_said_not_merged(tmp_path):
    inbox = tmp_path / "收件" / "耒阳市"
    inbox.mkdir(parents=True)
    firms = _list_alone(inbox / "蔡伦科技创业园入驻企业名单.xlsx")
    report, _ = _merge(inbox.parent, tmp_path)
    [one] = report["inputs"]
    assert one["rows_read"] == len(firms) == one["rows_rejected"]
    said = [p for p in report["problems"] if p["rule"] == "firms-base-unclear"]
    assert len(said) == 1 and said[0]["severity"] == "warning", report["problems"]
    assert f"“{NAME}”" in said[0]["message"] and firms[0]["firm_name"] in said[0]["message"]
    assert said[0]["sheet"] == "入驻企业" and said[0]["cell"] == "B3"
    assert not [p for p in report["problems"] if p["severity"] == "error"]


@pytest.mark.parametrize("folder", ["同一文件夹", "另一文件夹"])
def test_a_list_alone_joins_its_application(tmp_path, folder):
    inbox = tmp_path / "收件"
    (inbox / "耒阳市").mkdir(parents=True)
    _application_without_list(inbox / "耒阳市" / "蔡伦科技创业园申请表.xlsx")
    where = inbox / "耒阳市" if folder == "同一文件夹" else inbox / "企业名单"
    where.mkdir(exist_ok=True)
    firms = _list_alone(where / "入驻企业名单.xlsx")
    report, out = _merge(inbox, tmp_path)
    assert report["summary"]["bases"] == 1 and report["summary"]["firms"] == len(firms)
    assert sum(i["rows_rejected"] for i in report["inputs"]) == 0
    assert not [p for p in report["problems"] if p["rule"] == "firms-base-unclear"
                or (p["rule"] == "unknown-column" and p["file"].endswith("入驻企业名单.xlsx"))]   # 手机 is 联系电话
    rows, total = read_summary(out, CASE.programme)
    assert [r["unit_name"] for r in rows] == [NAME]
    assert total["listed_firms"] == len(firms)
    assert total["listed_revenue"] == pytest.approx(sum(f["revenue"] for f in firms))      # 元 read as 万元
    listed = list(openpyxl.load_workbook(out)["入驻企业"].iter_rows(min_row=2, values_only=True))
    assert sorted(r[1] for r in listed if r[1]) == sorted(f["firm_name"] for f in firms)
