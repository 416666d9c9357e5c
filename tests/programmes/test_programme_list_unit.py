"""Who reports a row when the form does not say: a stranger's 推荐汇总表 headed "推荐单位（盖章）：…" (or nothing),
an application retyped from the paper, which has no 所在县 line (the column is ours). Their rows came out with
a blank unit and the 各县情况 sheet listed "（未填写）" beside a county marked 未报送. The unit is now the one
the 填报单位 line, the file's name, its folder or the row's own name names, with one info saying which."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from programme_inbox import load_case, read_summary, xlbase
from retyped import save

CASE = load_case("hengyang-2023")
BASES = [("云集众创空间", "刘明", "13907341234", "服务人员12人，入驻企业36家"),
         ("车江工业园创业基地", "陈芳", "0734-8812345", "专职服务人员8人；入驻中小微企业52户")]


def _typed_list(out: Path, unit_line: str, prefix: str) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["衡阳市中小微企业创新创业基地推荐汇总表"])
    ws.append([unit_line, None, None, "日期：2023年6月5日"])
    ws.append(["编号", "基地名称", "联系人", "电话", "基地情况简介"])
    for i, (name, contact, phone, brief) in enumerate(BASES, start=1):
        ws.append([i, prefix + name, contact, phone, brief])
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)


@pytest.mark.parametrize("where, unit_line, prefix", [
    ("衡南县/推荐汇总表.xlsx", "推荐单位（盖章）：", ""),                # the folder says
    ("衡南县推荐汇总表.xlsx", "", ""),                                   # the file's name says
    ("推荐汇总表.xlsx", "推荐单位（盖章）：工业和信息化局", "衡南县"),     # each base's name says
    ("耒阳市/推荐汇总表.xlsx", "填报单位：衡南县工业和信息化局", ""),     # the 填报单位 line first
])
def test_a_lists_rows_take_the_unit_its_file_names(tmp_path, where, unit_line, prefix):
    inbox = tmp_path / "收件"
    _typed_list(inbox / where, unit_line, prefix)
    out = tmp_path / "汇总表.xlsx"
    res = xlbase("merge", str(inbox), "--programme", CASE.name, "-o", str(out))
    assert res.returncode == 0, res.stdout + res.stderr
    rows, _ = read_summary(out, CASE.programme)
    assert [(r["unit_name"], r["county"]) for r in rows] == [(prefix + b[0], "衡南县") for b in BASES]
    units = {r[0]: r[1:3] for r in openpyxl.load_workbook(out)["各县情况"].iter_rows(min_row=2, values_only=True)}
    assert units["衡南县"] == ("已报送", 2) and "（未填写）" not in units
    said = [r for r in openpyxl.load_workbook(out)["问题清单"].iter_rows(values_only=True) if "unit-from-place" in r]
    assert len(said) == (0 if unit_line.startswith("填报单位") else 1)        # the line is what it is for


@pytest.mark.parametrize("folder", ["小店区", ""])
def test_a_retyped_application_takes_the_unit_of_its_folder(tmp_path, folder):
    """The paper has no place line (所在县 is our grey one): it is never asked for; the folder names the unit, and
    with nothing naming it one warning says the 汇总表's cell stays blank."""
    case = load_case("taiyuan-2023")
    inbox = tmp_path / "收件"
    save(inbox / folder / "晋创科技申请表.xlsx", {"申请表": [
        ["太原市中小企业公共服务示范平台申请表"], ["单位名称", "山西晋创科技服务有限公司", "成立时间", "2016年5月"],
        ["企业性质", "有限责任公司", "法定代表人", "张伟"], ["联系人", "李梅", "电话", "0351-7654321"]]})
    out = tmp_path / "汇总表.xlsx"
    res = xlbase("merge", str(inbox), "--programme", case.name, "-o", str(out), "--json", str(tmp_path / "r.json"))
    assert res.returncode in (0, 1), res.stdout + res.stderr
    rows, _ = read_summary(out, case.programme)
    assert [(r["applicant"], r["county"]) for r in rows] == [("山西晋创科技服务有限公司", folder or None)]
    problems = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["problems"]
    [said] = [p for p in problems if p["rule"] == "unit-from-place"]
    assert said["severity"] == ("info" if folder else "warning")
    assert not folder or "按文件夹“小店区”归入小店区" in said["message"]
    assert not [p for p in problems if "所在县" in p["message"] and p["rule"] != "unit-from-place"]
    lacking = [p for p in problems if "请按表样补上并填写" in p["message"]]
    assert lacking and all(p["cell"] == "B2" for p in lacking)          # the corner of the lines it has


@pytest.mark.parametrize("gap", [0, 2])
def test_two_units_lists_stacked_on_one_sheet_are_both_read_each_for_its_unit(tmp_path, gap):
    """A city clerk pastes two counties' 推荐汇总表 one under the other (title, 推荐单位 line, header, rows — twice).
    The two header lines over their rows looked like an application's labels over values on three lines, so the
    summary form was not looked for and nothing was read. Each block's rows are read, for the unit its line names."""
    wb = openpyxl.Workbook()
    ws = wb.active
    blocks = [("衡南县", BASES), ("耒阳市", [("蔡伦科技园", "王芳", "0734-4321234", "专职服务人员15人，入驻企业40家"),
                                           ("五里牌创业园", "李强", "13873412345", "服务人员9人，入驻企业28家")])]
    for unit, bases in blocks:
        ws.append(["衡阳市中小微企业创新创业基地推荐汇总表"])
        ws.append([f"推荐单位（盖章）：{unit}工业和信息化局", None, None, None, "2023年6月5日"])
        ws.append(["序号", "单位名称", "联系人", "联系电话", "基地基本情况（简要）"])
        for i, (name, contact, phone, brief) in enumerate(bases, start=1):
            ws.append([i, unit + name, contact, phone, brief])
        for _ in range(gap):
            ws.append([])
    inbox = tmp_path / "收件"
    inbox.mkdir()
    wb.save(inbox / "各县推荐汇总.xlsx")
    out = tmp_path / "汇总表.xlsx"
    res = xlbase("merge", str(inbox), "--programme", CASE.name, "-o", str(out))
    assert res.returncode == 0, res.stdout + res.stderr
    rows, _ = read_summary(out, CASE.programme)
    assert [(r["unit_name"], r["contact"], r["county"]) for r in rows] == \
        [(unit + b[0], b[1], unit) for unit, bases in blocks for b in bases]
