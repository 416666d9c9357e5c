"""A county's list of bases in sections by base type ("一、楼宇型" … "二、工业园区型（1个）", subtotals per type): each
base is of its section's type, so the per-type thresholds judge it, where before every base got "基地类型未填写"
and a 3-firm 工业园区型 base passed. A row's own 基地类型 wins; a section naming a place still places its rows."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

import retyped
from xlbase.forms import value_lists
from xlbase.read import read_workbook
from xlbase.read.cover import section_type

TYPES = value_lists()["base_type"]["values"]
ORDINALS = ["一、", "二、", "三、", "（一）", "（二）", "1、", "2．", "(3)"]


@given(st.sampled_from(TYPES), st.sampled_from(ORDINALS), st.sampled_from(["", "基地", "类"]),
       st.sampled_from(["", "（2个）", "(1个)", "（共3个）"]))
def test_a_section_naming_a_type_names_it(kind, ordinal, tail, count):
    assert section_type(f"{ordinal}{kind}{tail}{count}") == kind


@given(st.sampled_from(ORDINALS), st.sampled_from(["榆次区", "晋中市太谷区", "开发区（代报）", "其他", "新申报",
                                                   "长治市潞州区智谷双创基地", "续报基地"]))
def test_a_section_naming_no_type_names_none(ordinal, heading):
    assert section_type(f"{ordinal}{heading}") is None


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_bases_under_type_sections_are_of_their_sections_type(tmp_path, seed):
    rng = random.Random(seed)
    kinds = rng.sample(TYPES, 3)
    counts = [rng.randrange(1, 4) for _ in kinds]
    bases = [retyped.base_values(rng, f"晋中市榆次区分类{i}号双创基地", f"榆次分类{i}号运营有限公司")
             for i in range(sum(counts))]
    sections = [(f"{ORDINALS[i]}{k}{rng.choice(['', '基地', '（%d个）' % n])}", n)
                for i, (k, n) in enumerate(zip(kinds, counts))]
    written = retyped.a10_table(rng, bases, layout=rng.choice(["one-row", "groups"]), sections=sections)
    path = retyped.save(tmp_path / "分类汇总.xlsx", {"汇总": written.rows})
    wr = read_workbook(path)
    (t,) = [t for t in wr.tables if t.form_id == "附件11"]
    want = [k for k, n in zip(kinds, counts) for _ in range(n)]
    assert t.data["base_type"].tolist() == want
    assert t.data["base_name"].tolist() == [b["base_name"] for b in bases]
    (said,) = [p for p in wr.problems if p.rule == "section-row"]
    assert "基地类型按分组名称确定" in said.message


def test_a_rows_own_type_wins_over_its_sections(tmp_path):
    rng = random.Random(5)
    bases = [retyped.base_values(rng, f"晋中市榆次区自填{i}号双创基地", f"榆次自填{i}号运营有限公司") for i in range(3)]
    written = retyped.a10_table(rng, bases, layout="one-row", sections=[("一、楼宇型", 3)])
    rows = [list(r) for r in written.rows]
    head = next(i for i, r in enumerate(rows) if any(str(v).replace(" ", "") in ("序号", "编号") for v in r))
    width = len(rows[head])
    rows[head].append("基地类型")
    own = next(i for i, r in enumerate(rows) if bases[1]["base_name"] in r)
    rows[own] = rows[own] + [""] * (width - len(rows[own])) + ["文创型"]
    path = retyped.save(tmp_path / "自填类型.xlsx", {"汇总": rows})
    (t,) = [t for t in read_workbook(path).tables if t.form_id == "附件11"]
    assert t.data["base_type"].tolist() == ["楼宇型", "文创型", "楼宇型"]


def test_place_sections_give_no_type(tmp_path):
    rng = random.Random(9)
    bases = [retyped.base_values(rng, f"晋中市榆次区地区{i}号双创基地", f"榆次地区{i}号运营有限公司") for i in range(3)]
    written = retyped.a10_table(rng, bases, layout="one-row", sections=[("一、榆次区", 2), ("二、太谷区", 1)])
    path = retyped.save(tmp_path / "分地区.xlsx", {"汇总": written.rows})
    (t,) = [t for t in read_workbook(path).tables if t.form_id == "附件11"]
    assert all(v in (None, "") for v in (t.data["base_type"] if "base_type" in t.data.columns else [None]))
