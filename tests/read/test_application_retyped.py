"""A base's 附件2 申请表 retyped by its operator in their own layout (the stranger's round of session 11).

- The notice's 资金来源 line filled in where it stands — "其中：自筹 2500 万元； 贷款 600 万元； 地方政府投资 0 万元；
  其他 0 万元。" in one cell — is read line by line (it was "自筹、贷款、地方政府投资、其他都未填写").
- A row of side-by-side labels (名称 | 成立时间 | 工作人员 | …) with a word we do not know among them has its
  values beneath: "成立时间" is not given the unknown label "工作人员" beside it as its value.
- A line not found is no blank: its label may be one we do not know (服务团队规模). It was "为必填项，未填写", a
  错误; now one missing-column problem for the record names every line not found — a warning naming the words
  that may be it, an error only when there is no such word.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from xlbase.check import check, pack_for
from xlbase.read import read_workbook

NAME = "长治市襄垣县星火众创双创基地"


def _pairs(staff_label: str | None = "从业人员数量", funding: str | None = None, address: str = "基地地址") -> list:
    lines = [("双创基地名称", NAME), ("所在市县", "长治市襄垣县"), ("主导产业", "电子商务"), ("管理部门", "襄垣县工信局"),
             ("运营主体名称", "襄垣星火运营管理有限公司"), ("注册时间", "2016年5月3日"),
             ("营业执照注册号", "91140423MA0KXXXX1Y"), ("法人代表", "李建国"), ("联系电话", "0355-7221356"),
             (address, "长治市襄垣县古韩镇建设路18号"), ("创业服务机构名称", "星火创业服务中心"), ("成立时间", "2019年5月"),
             (staff_label, 16), ("其中：本科以上学历", 8), ("中等以上专业技术人员", 5), ("专业创业辅导员", 4),
             ("占地面积", 26000), ("投入资金", 3200), ("建设时间", "2018年"), ("已建成厂房（场地）面积", 21000),
             ("在建厂房（场地）面积", 0), ("已入驻企业数", 40), ("企业职工人数", 520), ("孵化成功离开企业数", 6),
             ("建设项目总投资（万元）", 4500), ("其中：固定资产投资（万元）", 3800), ("已完成固定资产投资（万元）", 3100),
             ("资金来源", funding or "自筹 3900 万元；贷款 600 万元；地方政府投资 0 万元；其他 0 万元")]
    return [["附件2"], ["山西省小微企业创业创新基地认定申请表"], ["填报单位（盖章）：襄垣星火运营管理有限公司"]] + \
        [[k, v] for k, v in lines if k is not None]


def _save(path: Path, rows: list) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "申请表"
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _record(path: Path):
    wr = read_workbook(str(path))
    (t,) = [t for t in wr.tables if t.form_id == "附件2"]
    return wr, t


AMOUNTS = st.integers(0, 5000)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.tuples(AMOUNTS, AMOUNTS, AMOUNTS, AMOUNTS), sep=st.sampled_from(["；", "; ", "，", "、"]),
       lead=st.sampled_from(["其中：", "", "其中"]), unit=st.sampled_from([" 万元", "万元", "万"]),
       space=st.sampled_from(["", " ", "："]))
def test_the_funding_sentence_is_read_line_by_line(tmp_path_factory, parts, sep, lead, unit, space):
    words = ["自筹", "贷款", "地方政府投资", "其他"]
    text = lead + sep.join(f"{w}{space}{n}{unit}" for w, n in zip(words, parts)) + "。"
    wr, t = _record(_save(tmp_path_factory.mktemp("f") / "a.xlsx", _pairs(funding=text)))
    got = [t.record[k] for k in ("fund_self", "fund_loan", "fund_gov", "fund_other")]
    assert got == [float(n) for n in parts] or got == list(parts), (text, got)


def test_a_filled_funding_sentence_is_no_blank_breakdown(tmp_path):
    wr, t = _record(_save(tmp_path / "a.xlsx", _pairs()))
    problems = check([wr], pack_for(None, None, None)).problems
    assert not [p for p in problems if "都未填写" in p.message], [p.message for p in problems if "都未填写" in p.message]


def test_a_row_of_labels_with_an_unknown_one_has_its_values_beneath(tmp_path):
    rows = [["附件2"], ["山西省小微企业创业创新基地认定申请表"],
            ["小微企业双创基地名称", NAME, "", "所在市县", "长治市襄垣县"],
            ["运营主体", "名称", "注册时间", "营业执照注册号", "法人代表", "联系电话"],
            ["", "襄垣汇智运营管理有限公司", "2016.05.03", "91140423MA0KXXXX1Y", "赵志强", "0355-7225678"],
            ["创业服务机构", "名称", "成立时间", "服务团队规模", "其中：本科以上学历", "中等以上专业技术人员", "专业创业辅导员"],
            ["", "汇智服务中心", "2020.03", 16, 7, 4, 3]]
    wr, t = _record(_save(tmp_path / "a.xlsx", rows))
    assert str(t.record["service_org_founded"])[:7] == "2020-03"
    assert not [p for p in wr.problems if p.rule == "unparseable"], [p.message for p in wr.problems]


def test_a_line_under_a_word_we_do_not_know_is_no_blank_left_by_the_clerk(tmp_path):
    wr, t = _record(_save(tmp_path / "a.xlsx", _pairs(staff_label="服务团队规模")))
    problems = check([wr], pack_for(None, None, None)).problems
    assert not [p for p in problems if p.rule == "required" and "从业人员数量" in str(p.field) + p.message]
    (said,) = [p for p in problems if p.rule == "missing-column" and "service_staff" in (p.value or [])]
    assert said.severity == "warning" and "“从业人员数量”" in said.message and said.cell


def test_a_line_the_record_lacks_beside_a_word_that_cannot_be_it_is_an_error(tmp_path):
    """An unknown word elsewhere in the record (工作亮点 | 电商直播带货 after 已入驻企业数, far from where 从业人员数量
    would be), of no word or unit of the missing line, does not make it a warning: before, any unplaced word did."""
    rows = _pairs(staff_label=None)
    at = next(i for i, row in enumerate(rows) if row[0] == "已入驻企业数")
    rows.insert(at + 1, ["工作亮点", "电商直播带货"])
    wr, t = _record(_save(tmp_path / "a.xlsx", rows))
    problems = check([wr], pack_for(None, None, None)).problems
    (said,) = [p for p in problems if p.rule == "missing-column" and "service_staff" in (p.value or [])]
    assert said.severity == "error" and "缺少" in said.message


def test_a_line_the_record_lacks_with_no_unknown_word_is_an_error(tmp_path):
    wr, t = _record(_save(tmp_path / "a.xlsx", _pairs(staff_label=None)))
    problems = check([wr], pack_for(None, None, None)).problems
    assert not [p for p in problems if p.rule == "required" and p.severity == "error"
                and "从业人员数量" in str(p.field) + p.message]
    (said,) = [p for p in problems if p.rule == "missing-column" and "service_staff" in (p.value or [])]
    assert said.severity == "error" and "缺少" in said.message
