"""A column of a share the forms do not ask for (小微企业占比, 入驻率（%）, 本地企业比例) beside the official ones is
a column outside the form — an info (extra-column), like 备注 — not a warning asking to rename it to an official
column, which no share can be: 附件10/11 and 附件3 hold counts, amounts and areas only."""

from __future__ import annotations


from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from xlbase.forms import get_form
from xlbase.read import read_workbook

SHARES = ["小微企业占比", "入驻率", "本地企业比例", "出租率（%）", "新兴产业企业占比", "小微企业比重"]
A11 = get_form("附件11")


def _value(f, i):
    if f.is_numeric:
        return 10 + i
    if f.type == "date":
        return "2018-05-01"
    if f.type == "yesno":
        return "是"
    return f"晋中市榆次区占比{i}号双创基地" if f.key == "base_name" else f"占比{i}号运营有限公司"


@settings(max_examples=12, deadline=None)
@given(st.sampled_from(SHARES), st.integers(0, 20), st.sampled_from(["85%", 0.85, 85, "85％"]))
def test_a_share_column_is_outside_the_form(tmp_path_factory, share, at, typed):
    fields = list(A11.official_table_fields)
    at = min(at, len(fields))
    heads = ["序号"] + [f.label for f in fields]
    heads.insert(1 + at, share)
    wb = Workbook()
    ws = wb.active
    ws.append(["双创基地基本情况汇总表"])
    ws.append(heads)
    for i in range(2):
        row = [i + 1] + [_value(f, i) for f in fields]
        row.insert(1 + at, typed)
        ws.append(row)
    path = tmp_path_factory.mktemp("share") / "t.xlsx"
    wb.save(path)
    wr = read_workbook(str(path))
    (t,) = [t for t in wr.tables if t.form_id == "附件11"]
    assert t.data["base_name"].tolist() == [_value(fields[0], 0), _value(fields[0], 1)]
    assert not [p for p in wr.problems if p.severity != "info"], wr.problems
    assert [p.rule for p in wr.problems if share in p.message] == ["extra-column"]
