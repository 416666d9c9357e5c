"""A header as a PDF's converter leaves it: each line of a wrapped label in a row of its own, no cell merged

    序 | 县（市   | 基地 | 入驻 | 营业
    号 | 、区）   | 名称 | 企业 | 收入

吕梁's 汇总表 converted from the PDF it printed was read from its lower row alone with the upper one as groups:
"企业" became 年服务中小企业户数 and 已入驻企业数 a missing-column 错误, "号" an unknown column. Two stacked cells
are one label when joined they say a field much better than the lower one alone does
(read.header_band.split_label); a group over its labels (运营情况 | 营业收入) says it worse joined and stays a group.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from retyped import base_values, firm_values
from xlbase.forms import get_form
from xlbase.read.grid import Sheet
from xlbase.read.header_band import split_label
from xlbase.read.workbook import read_grids

FORMS = ["附件11", "附件10", "附件3"]
PLACE = {"city": "忻州市", "county": "忻府区"}


def _fields(form_id: str):
    return [f for f in get_form(form_id).official_table_fields if not f.tick]


def _row(form_id: str, fields, i: int) -> list:
    """One record as a clerk fills it (retyped's values: names, codes, dates, counts that look real)."""
    rng = random.Random(i)
    v = firm_values(rng, i, "忻府区") if form_id == "附件3" else \
        base_values(rng, f"忻州市忻府区测试{i}号双创基地", f"忻州测试{i}运营有限公司")
    v = {**PLACE, **v}
    return [("是" if v[f.key] else "否") if isinstance(v.get(f.key), bool) else v.get(f.key) for f in fields]


def _broken(draw, label: str) -> tuple[str, str]:
    """A label as a converter rows it: a short one (4 characters or fewer) whole on one of the two rows, a long
    one wrapped after 2 to n-2 characters, the rest on the row below."""
    if len(label) <= 4:
        return draw(st.sampled_from([(label, ""), ("", label)]))
    at = draw(st.integers(2, len(label) - 2))
    return label[:at], label[at:]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(FORMS), st.data())
def test_a_label_broken_over_two_rows_is_read_whole(form_id, data):
    """Every official label of the form broken as a converter breaks it into two rows: the columns reach their
    fields, and 序号 (whole, or 序 over 号) is no column."""
    fields = _fields(form_id)
    broken = [_broken(data.draw, f.label) for f in fields]
    number = data.draw(st.sampled_from([("序", "号"), ("序号", ""), ("", "序号")]))
    top = [number[0]] + [b[0] for b in broken]
    low = [number[1]] + [b[1] for b in broken]
    rows = [[get_form(form_id).title], top, low]
    rows += [[i] + _row(form_id, fields, i) for i in range(1, 4)]
    wr = read_grids("t.xlsx", [Sheet("Sheet1", rows)])
    tables = [t for t in wr.tables if t.form_id in (form_id, "附件11" if form_id == "附件10" else form_id)]
    assert tables, [p.message for p in wr.problems]
    got = tables[0].columns
    wrong = [f"{t}|{b}" for f, t, b, i in zip(fields, top[1:], low[1:], range(2, 99)) if got.get(f.key) != i]
    assert not wrong, (wrong, got)
    assert not [p for p in wr.problems if p.rule == "unknown-column"], [p.message for p in wr.problems]


@pytest.mark.parametrize("upper, lower", [("运营情况", "营业收入"), ("基本情况", "基地名称"), ("孵化成果", "孵化成功企业数"),
                                          ("2023年经营情况", "营业收入"), ("合作服务机构情况", "服务次数")])
def test_a_group_over_its_label_is_no_broken_label(upper, lower):
    assert not split_label(upper, lower, "附件11")


@pytest.mark.parametrize("upper, lower", [("入驻", "企业"), ("序", "号"), ("县（市", "、区）"), ("基地", "名称"),
                                          ("服务", "人员"), ("合作", "机构")])
def test_the_lines_of_a_wrapped_label_are_one_label(upper, lower):
    assert split_label(upper, lower, "附件11")
