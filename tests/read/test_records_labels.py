"""附件2 as clerks type it: real label spellings, "标签：值" with colons inside the label, formulas
without saved values; read from workbooks written by tests/fixtures/submissions.py."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from submissions import A2_PAIRS, applicant, write_a2
from xlbase.forms import get_form
from xlbase.read import read_workbook
from xlbase.read.records import _inline, record_keys
from xlbase.rules import load_pack, validate

PACK = load_pack("shanxi-2024-base")
EXPECTED = {key: value for _, key, value in A2_PAIRS}


def a2_of(path, **kw):
    wb = Workbook()
    cells = write_a2(wb.active, **kw)
    wb.active.title = "附件2"
    wb.save(path)
    read = read_workbook(path)
    (t,) = [t for t in read.tables if t.form_id == "附件2"]
    return t, cells, read


def rec_value(v):
    return v.date() if isinstance(v, dt.datetime) else v


@pytest.mark.parametrize("labels", [
    {"service_org": "创业服务机构名称", "operator": "运营单位名称", "fund_self": "自筹资金"},
    {"service_org": "服务机构名称", "operator": "运营主体名称", "registered_on": "运营主体注册时间",
     "service_org_founded": "服务机构成立时间", "fund_loan": "贷款资金", "fund_other": "其他资金"},
    {"operator": "项目运营单位名称", "service_org": "小微企业双创基地创业服务机构名称", "fund_gov": "政府投资"},
])
def test_hand_typed_labels_are_read_and_no_false_required_error(tmp_path, labels):
    t, cells, read = a2_of(tmp_path / "a2.xlsx", labels=labels)
    for key in labels:
        assert (rec_value(t.record[key]), t.record_cells[key]) == (EXPECTED[key], cells[key]), key
    assert [p for p in validate(read.tables, PACK) if p.rule == "required"] == []


def test_inline_labels_with_a_colon_inside_are_split_at_the_right_colon(tmp_path):
    t, cells, read = a2_of(tmp_path / "inline.xlsx", layout="inline")
    assert (t.record["staff_bachelor"], t.record_cells["staff_bachelor"]) == (8, cells["staff_bachelor"])
    assert t.record["fixed_investment"] == 2500
    for _, key, value in A2_PAIRS:
        assert rec_value(t.record[key]) == value, key
    assert [p for p in validate(read.tables, PACK) if p.rule == "required"] == []


def test_a_missing_name_says_which_name(tmp_path):
    path = applicant(tmp_path / "a.xlsx", a2={"service_org": None})
    read = read_workbook(path)
    (p,) = [p for p in validate(read.tables, PACK) if p.rule == "required"]
    assert p.message == "“小微企业双创基地创业服务机构名称”为必填项，未填写" and (p.sheet, p.form) == ("附件2", "附件2")
    assert p.cell   # the label was found: the empty value's cell is named


def test_formulas_without_saved_values_are_reported_as_such_not_as_unfilled(tmp_path):
    # openpyxl writes formulas without cached results, as scripts do
    path = applicant(tmp_path / "f.xlsx", a2={"resident_firms": "=10+20", "total_investment": "=SUM(B1:B2)"},
                     a10={"employees": "=1+1"})
    read = read_workbook(path)
    by_cell = {}
    for p in [*read.problems, *validate(read.tables, PACK)]:
        by_cell.setdefault((p.sheet, p.cell), []).append(p.rule)
    a2 = {k: c for k, c in [(k, [t for t in read.tables if t.form_id == "附件2"][0].record_cells.get(k))
                            for k in ("resident_firms", "total_investment")]}
    assert by_cell[("附件2", a2["resident_firms"])] == ["formula-no-value"]
    assert by_cell[("附件2", a2["total_investment"])] == ["formula-no-value"]
    assert by_cell[("附件10", "H3")] == ["formula-no-value"]


SECTIONED = [f for f in get_form("附件2").record_fields if f.section]
# no unit words: "投入资金：元：1" could fairly be read either way
VALUE_TEXT = st.text(alphabet="0123456789.-:：ab ", min_size=1, max_size=12).filter(
    lambda s: s.strip(" ") and s.strip(" ")[0] not in ":：")


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([f for f in get_form("附件2").record_fields]), st.sampled_from(["：", ":"]), VALUE_TEXT)
def test_inline_split_keeps_the_label_whole(f, colon, value):
    for label in f.labels:
        got = _inline(f"{label}{colon}{value}", "附件2", {})
        assert got is not None and f.key in got[1] and got[2] == value.strip(), (label, value)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(SECTIONED), st.integers(min_value=2, max_value=40))
def test_a_label_prefixed_by_a_tail_of_its_section_names_that_field(f, tail):
    section = f.section
    text = section[-min(tail, len(section)):] + f.label
    keys = record_keys(text, "附件2")
    assert keys == () or f.key in keys
    if tail >= 4:   # long enough to tell the sections apart
        assert f.key in keys, text
