"""A firm list sent apart from its base whose sheet's name holds part of the base's name ("凉粉小镇入驻企业", a web
system's export) and whose title line holds it whole ("大同市浑源县凉粉小镇众创空间入驻企业名单"), probe r3, session 15.
The sheet's name is read first and decided; the info then said "本身没有写明所属基地 … 如有误，请在该表标题行写明基地
全称" — untrue, the title says it. Now the list's own title is named as what ties it, at its cell."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from xlbase.merge.attach import attach_firm_lists
from xlbase.read import read_workbook

A10_HEAD = ["序号", "基地名称", "项目运营单位名称", "注册时间", "是否独立法人", "基地服务人员数", "已入驻企业数", "吸纳就业人员数", "建筑面积",
            "营业收入", "上缴税金", "当年完成投资额", "合作机构数量", "服务次数", "年服务中小企业户数", "组织开展的服务活动", "孵化成功企业数",
            "参加创客大赛企业数", "培育小升规企业数", "培育专精特新企业数", "培育高新技术企业数", "获得政府支持资金金额"]
A3_HEAD = ["序号", "企业名称", "营业执照注册号", "入驻时间", "厂房（场地）面积", "职工人数", "营业收入", "利润总额", "上缴税金"]


def _save(path, rows, sheet="Sheet1"):
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


@pytest.mark.parametrize("core, tail", [("凉粉小镇", "众创空间"), ("恒山", "创业园"), ("北岳文旅", "双创基地")])
@pytest.mark.parametrize("titled", [True, False])
def test_a_lists_title_naming_its_base_is_what_ties_it(tmp_path, core, tail, titled):
    county = tmp_path / "浑源县"
    bases = [f"大同市浑源县{core}{tail}", "大同市浑源县唐河电商产业园"]
    paths = [_save(county / f"{b[6:]}附件10.xlsx", [["2024年省级小微企业双创基地基本情况表"], A10_HEAD,
                                                  [1, b, f"{b[6:]}运营有限公司", "2019-06-01", "是", 11, 3, 40, 12000, 300,
                                                   10, 100, 5, 40, 60, 12, 2, 1, 0, 0, 1, 50]], "附件10") for b in bases]
    firms = [[i, f"浑源县{core}科技{i}有限公司", "", "2021-03-05", 100, 5, 30, 2, 1] for i in range(1, 4)]
    title = [[f"{bases[0]}入驻企业名单"]] if titled else []
    paths.append(_save(county / f"{core}入驻企业.xlsx", [*title, A3_HEAD, *firms], f"{core}入驻企业"))
    said = [p for p in attach_firm_lists([read_workbook(p) for p in paths], []) if p.rule == "firms-attached"]
    assert [p.base for p in said] == [bases[0]]
    (p,) = said
    if titled:
        assert "本身没有写明所属基地" not in p.message and "标题行" in p.message and p.cell == "A1", p.message
    else:
        assert "本身没有写明所属基地" in p.message and "工作表名" in p.message, p.message
