"""One base's 附件10 typed as a Word form: two or three label | value pairs to a line (基地名称 | X | 项目运营单位名称 | Y), with
section lines (一、基本情况 …) between (probe r11, session 15). Before: read down its first two columns only — the pairs on
the right read as a second base (a row of the 汇总表 named after the operator), 4 错误 (缺少栏目, 注册时间 "是", 必填项)
and 10 of 21 figures lost. Now the pairs are read one under another, every problem and cell at the cell the clerk typed."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st
from openpyxl import Workbook, load_workbook

from xlbase.forms import get_form
from xlbase.read.workbook import read_workbook

A10 = get_form("附件10")
FIELDS = [f for f in A10.table_fields if f.official]
SECTIONS = {"基本情况": "一、基本情况", "运营情况": "二、运营情况", "合作服务机构情况": "三、合作服务机构情况", "孵化成果": "四、孵化成果"}


def _value(f, i: int):
    if f.type == "date":
        return f"201{i % 10}年{i % 12 + 1}月"
    if f.type == "yesno":
        return "是"
    if f.is_numeric:
        return 10 + i
    return f"偏关县老牛湾{f.label}{i}号" if f.key != "base_name" else "忻州市偏关县老牛湾文旅双创基地"


@st.composite
def _forms(draw):
    per_line = draw(st.sampled_from([2, 3]))
    units = draw(st.booleans())
    sections = draw(st.booleans())
    gap = draw(st.sampled_from([0, 1]))         # an empty column between the pairs, or none
    lines, group = [], None
    pairs = [(f"{f.label}（{f.unit}）" if units and f.unit else f.label, _value(f, i), f.key)
             for i, f in enumerate(FIELDS)]
    row: list = []
    for (label, value, _), f in zip(pairs, FIELDS):
        if sections and f.group and f.group != group and f.group in SECTIONS:
            if row:
                lines.append(row)
                row = []
            lines.append([SECTIONS[f.group]])
            group = f.group
        row += [label, value] + [None] * gap
        if len(row) >= per_line * (2 + gap):
            lines.append(row)
            row = []
    if row:
        lines.append(row)
    return lines, {key: value for _, value, key in pairs}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_forms())
def test_pairs_side_by_side_are_one_bases_lines(tmp_path_factory, form):
    lines, expected = form
    wb = Workbook()
    ws = wb.active
    ws.title = "附件10"
    ws.append(["2024年省级小微企业双创基地基本情况表"])
    ws.append(["填报单位（盖章）：偏关县工业和信息化局"])
    for line in lines:
        ws.append(line)
    path = tmp_path_factory.mktemp("pairs") / "附件10.xlsx"
    wb.save(path)
    read = read_workbook(path)
    [t] = [t for t in read.tables if t.form_id in ("附件10", "附件11")]
    assert len(t.data) == 1
    assert not [p for p in read.problems if p.severity != "info"], read.problems
    typed = load_workbook(path).active
    row = int(t.data["_row"].iloc[0])
    for key, value in expected.items():
        got = t.data[key].iloc[0]
        if isinstance(value, int) or key not in ("registered_on", "independent_legal_person"):
            assert got == value, key
        assert typed[t.cell(key, row)].value == value, (key, t.cell(key, row))


def test_a_two_column_vertical_form_is_read_as_before(tmp_path):
    """label | value on every line (no pairs side by side): unchanged, cells in column B."""
    wb = Workbook()
    ws = wb.active
    ws.append(["2024年省级小微企业双创基地基本情况表"])
    for i, f in enumerate(FIELDS):
        ws.append([f.label, _value(f, i)])
    wb.save(tmp_path / "a.xlsx")
    read = read_workbook(tmp_path / "a.xlsx")
    [t] = [t for t in read.tables if t.form_id == "附件10"]
    assert t.cell("base_name", int(t.data["_row"].iloc[0])) == "B2" and not t.cell_map
