"""A table inside a programme's record form, under a caption in the clerk's own words: a stranger's 衡阳 申请表
with 近两年运营情况, a blank line, "合作服务机构" and the partners' header as the clerk worded it. The 运营情况
table ran on through the caption and took the partners' header and rows for years (19 untrue 错误 — 资产总额
"服务内容", 营业收入 "2021-05-10"…) and the partners' table was never found. A lone text under a blank line
now ends the table above, and the rows it gave back are searched again."""

from __future__ import annotations

import pytest

from retyped import save
from xlbase.forms.programmes import load_programme, using
from xlbase.read.workbook import read_workbook

OPERATIONS = [["年份", "资产总额(万元)", "营业收入(万元)", "入驻企业(家)", "小微企业(家)", "毕业企业(家)", "从业人数(人)"],
              ["2021", "8500", "3200", "38", "35", "2", "520"], ["2022", "9100", "3900", "42", "39", "3", "600"]]
PARTNERS = [["机构名称", "服务内容", "签约时间"], ["衡阳市金融服务中心", "融资对接", "2021-05-10"],
            ["湖南某会计师事务所", "财务代理", "2022.03"]]


@pytest.mark.parametrize("caption", ["合作服务机构", "合作机构情况（3家以上）"])
def test_a_caption_in_own_words_ends_the_table_above(tmp_path, caption):
    src = save(tmp_path / "申请表.xlsx", {"基地申请表": [
        ["衡阳市中小微企业创业创新基地申请表"], ["基地名称", "祁东县黄花菜产业创业基地", "地址", "祁东县洪桥街道工业园"],
        ["成立日期", "2017年3月", "主管单位", "祁东县工业和信息化局"], [], ["近两年运营情况"], *OPERATIONS, [], [caption],
        *PARTNERS]})
    with using(load_programme("hengyang-2023")):
        read = read_workbook(src)
    by_form = {t.form_id: t for t in read.tables}
    assert [str(y) for y in by_form["衡阳运营情况"].data["year"]] == ["2021", "2022"]
    partners = by_form["衡阳合作机构"]
    assert list(partners.data["name"]) == ["衡阳市金融服务中心", "湖南某会计师事务所"]
    assert partners.cell("name", int(partners.data["_row"].iloc[0])) == "A12"
    assert not [p for p in read.problems if p.severity == "error"], read.problems
