"""A 单位 line over a table (or in its title) gives the unit of every column that states none.

The layouts are drawn as a stranger types them: a title, perhaps a 填报单位 line, blank lines, the
units said on their own line, at the right end of the 填报单位 line or in brackets in the title, as one
unit ("单位：元"), one per kind ("金额单位：元；面积单位：亩") or the official list with 元 in it
("单位：元、平方米、人") or without the word 单位 ("金额：元 面积：亩"); money as numbers or as text with thousands separators. The reader must give
the forms' units (万元, 平方米) and say once per converted column, at its header, how it read it.
"""

from __future__ import annotations

import random
from fractions import Fraction

from hypothesis import HealthCheck, given, settings, strategies as st

from retyped import base_values, firm_values
from xlbase.forms import get_form
from xlbase.read.grid import Sheet
from xlbase.read.workbook import read_grids

MONEY = {"元": Fraction(10000), "万元": Fraction(1), "千元": Fraction(10)}
AREA = {"平方米": Fraction(1), "亩": Fraction(3, 2000), "㎡": Fraction(1)}
TITLES = {"附件3": ["小微企业创新创业基地入驻企业名单", "入驻企业基本情况表", "2024年度在孵企业情况"],
          "附件10": ["双创基地基本情况表", "2024年小微企业双创基地情况统计"]}


@st.composite
def unit_statement(draw):
    """(text, money unit, area unit or None): how the clerk says the units once for the whole table."""
    money = draw(st.sampled_from(sorted(MONEY)))
    area = draw(st.sampled_from([None, *sorted(AREA)]))
    style = draw(st.sampled_from(["one", "list", "per-kind", "labelled"]))
    colon = draw(st.sampled_from(["：", ":", "", "为"]))
    if style == "one" or area is None:
        prefix = draw(st.sampled_from(["单位", "金额单位", "计量单位"]))
        text = f"{prefix}{colon}{money}"
        area = None
    elif style == "list":
        joiner = draw(st.sampled_from(["、", "，", ",", " "]))
        text = f"单位{colon}{joiner.join([money, area, '人'])}"
    elif style == "labelled":      # no word 单位: "金额：元 面积：亩"
        colon = draw(st.sampled_from(["：", ":"]))
        label = draw(st.sampled_from(["金额", "资金", "收入"]))
        text = f"{label}{colon}{money}{draw(st.sampled_from(['；', ' ', '，']))}面积{colon}{area}"
    else:
        text = f"金额单位{colon}{money}{draw(st.sampled_from(['；', ';', '  ', '，']))}面积单位{colon}{area}"
    return text, money, area


def _money_cell(value: float, factor: Fraction, as_text: bool):
    written = Fraction(str(value)) * factor
    if not as_text:
        return float(written)
    return f"{float(written):,.2f}" if written.denominator != 1 else f"{int(written):,}"


def _layout(draw, form_id: str, statement: str) -> list[list]:
    title = draw(st.sampled_from(TITLES[form_id]))
    where = draw(st.sampled_from(["own-line", "org-line", "title"]))
    rows: list[list] = []
    if where == "title":
        rows.append([f"{title}（{statement}）"])
    else:
        rows.append([title])
    org = draw(st.booleans()) or where == "org-line"
    if org:
        rows.append(["填报单位（盖章）：某某县工业和信息化局", "", "", "", "", ""] + ([statement] if where == "org-line" else []))
    for _ in range(draw(st.integers(0, 2))):
        rows.append([])
    if where == "own-line":
        rows.append([statement])
    return rows


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_units_line_converts_every_column_that_states_no_unit(data):
    form_id = data.draw(st.sampled_from(["附件3", "附件10"]))
    statement, money, area = data.draw(unit_statement())
    form = get_form(form_id)
    fields = form.official_table_fields
    rows = _layout(data.draw, form_id, statement)
    header_row = len(rows)
    rows.append(["序号", *[f.label for f in fields]])
    rng = random.Random(data.draw(st.integers(0, 10**6)))
    as_text = data.draw(st.booleans())
    values = ([firm_values(rng, i, "忻府区") for i in range(3)] if form_id == "附件3" else
              [base_values(rng, f"忻州市忻府区测试{i}号双创基地", f"忻州测试{i}运营有限公司") for i in range(3)])
    for i, v in enumerate(values, 1):
        cells = [i]
        for f in fields:
            x = v[f.key]
            if f.unit == "万元":
                x = _money_cell(x, MONEY[money], as_text)
            elif f.unit == "平方米" and area:
                x = float(Fraction(str(x)) * AREA[area])
            elif isinstance(x, bool):
                x = "是" if x else "否"
            cells.append(x)
        rows.append(cells)
    width = max(map(len, rows))
    wr = read_grids("t.xlsx", [Sheet("Sheet1", [r + [""] * (width - len(r)) for r in rows])])
    (t,) = [t for t in wr.tables if t.form_id in (form_id, "附件11")]
    converted = {f.key for f in fields if (f.unit == "万元" and MONEY[money] != 1) or
                 (f.unit == "平方米" and area and AREA[area] != 1)}
    for f in fields:
        if f.unit not in ("万元", "平方米"):
            continue
        got = [float(x) for x in t.data[f.key]]
        want = [float(Fraction(str(v[f.key])).limit_denominator(10**6)) for v in values]
        assert got == [round(w, 6) for w in want] or all(abs(a - b) < 1e-6 for a, b in zip(got, want)), \
            (statement, f.key, got, want)
    notes = [p for p in wr.problems if p.rule == "column-unit-converted"]
    assert {p.field for p in notes} == converted, (statement, [p.message for p in notes])
    assert len(notes) == len(converted)
    for p in notes:
        assert p.severity == "info" and p.cell.endswith(str(header_row + 1)) and "单位" in p.message


def test_a_line_naming_the_forms_own_units_converts_nothing():
    """The official line "单位：万元、平方米、人" is no conversion, and says nothing."""
    fields = get_form("附件3").official_table_fields
    rows = [["入驻企业名单"], ["单位：万元、平方米、人"], ["序号", *[f.label for f in fields]]]
    v = firm_values(random.Random(3), 1, "忻府区")
    rows.append([1, *[v[f.key] for f in fields]])
    wr = read_grids("t.xlsx", [Sheet("Sheet1", rows)])
    (t,) = [t for t in wr.tables if t.form_id == "附件3"]
    assert float(t.data["revenue"].iloc[0]) == v["revenue"]
    assert not [p for p in wr.problems if p.rule == "column-unit-converted"]


def test_a_unit_in_the_header_wins_over_the_line_above():
    """"单位：元" above, but the revenue header says （万元）: that column is read as written."""
    fields = get_form("附件3").official_table_fields
    heads = [f.label + ("（万元）" if f.key == "revenue" else "") for f in fields]
    rows = [["入驻企业名单"], ["单位：元"], ["序号", *heads]]
    v = firm_values(random.Random(4), 1, "忻府区")
    rows.append([1, *[v[f.key] * 10000 if f.unit == "万元" and f.key != "revenue" else v[f.key] for f in fields]])
    wr = read_grids("t.xlsx", [Sheet("Sheet1", rows)])
    (t,) = [t for t in wr.tables if t.form_id == "附件3"]
    assert float(t.data["revenue"].iloc[0]) == v["revenue"]
    assert abs(float(t.data["taxes"].iloc[0]) - v["taxes"]) < 1e-9
    assert {p.field for p in wr.problems if p.rule == "column-unit-converted"} == {"profit", "taxes"}
