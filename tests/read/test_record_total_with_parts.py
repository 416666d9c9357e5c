"""A total typed into one cell with its parts, as the paper line reads ("服务场地面积 平方米，其中：自有 平方米，
租用 平方米" typed as "1200平方米（其中自有800，租用400）"; "26人，其中专业人员18人"). Before: the total was an
unreadable value (错误) and every part a required line "not found" (错误), though the clerk had typed all of it.
Now the total and each part are read from that cell, pointing at it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from retyped import save
from xlbase.forms.programmes import list_programmes, load_programme, using
from xlbase.read.records import total_and_parts
from xlbase.read.workbook import read_workbook


def _breakdowns() -> list[tuple[str, str, str, tuple[str, ...], list[tuple[str, tuple[str, ...]]]]]:
    """(programme, form id, total key, its spellings, [(part key, its spellings)]) for every record form's
    total whose parts (Field.part_of) are all numbers, over every programme."""
    out = []
    for name in list_programmes():
        p = load_programme(name)
        with using(p):
            for form in p.forms.values():
                if form.kind != "record":
                    continue
                for total in form.record_fields:
                    parts = [f for f in form.record_fields if f.part_of == total.key]
                    if parts and total.is_numeric and all(f.is_numeric for f in parts):
                        out.append((name, form.id, total.key, (total.label, *total.aliases),
                                    [(f.key, tuple(dict.fromkeys(s.removeprefix("其中：") for s in
                                                                 (f.label, *f.aliases)))) for f in parts]))
    return out


BREAKDOWNS = _breakdowns()


def test_every_programme_has_a_breakdown_to_try():
    assert {b[0] for b in BREAKDOWNS} >= {"shanxi-2024-base", "taiyuan-2023", "hengyang-2023"}


@st.composite
def _typed(draw):
    programme, form_id, total_key, _, parts = draw(st.sampled_from(BREAKDOWNS))
    chosen = draw(st.lists(st.sampled_from(parts), min_size=1, max_size=len(parts), unique_by=lambda p: p[0]))
    unit = draw(st.sampled_from(["", "平方米", "人", "万元", "㎡"]))
    total = draw(st.integers(0, 10 ** 6))
    amounts = [draw(st.integers(0, 10 ** 5)) for _ in chosen]
    sep = draw(st.sampled_from(["，", ",", "；", "、", "; "]))
    colon = draw(st.sampled_from(["", "：", ":", " "]))
    clauses = sep.join(f"{draw(st.sampled_from(spellings))}{colon}{n}{unit}" for (_, spellings), n in zip(chosen, amounts))
    opening = draw(st.sampled_from(["（其中{}）", "({})", "，其中{}", "，其中：{}。", "（含{}）"]))
    return programme, form_id, total_key, f"{total}{unit}{opening.format(clauses)}", \
        (f"{total}{unit}", [(k, f"{n}{unit}") for (k, _), n in zip(chosen, amounts)])


@settings(max_examples=300, deadline=None)
@given(_typed())
def test_a_total_with_its_parts_is_split(typed):
    programme, form_id, total_key, text, expected = typed
    with using(load_programme(programme)):
        assert total_and_parts(text, form_id, total_key) == expected, text


@given(st.sampled_from(BREAKDOWNS), st.sampled_from(["1200", "1200平方米", "约1200", "1200（暂估）", "26人，其中男12人",
                                                    "见附件", "1200，另有仓库300", "自有800，租用400"]))
def test_a_cell_that_names_no_part_is_left_as_typed(breakdown, text):
    programme, form_id, total_key, _, _ = breakdown
    with using(load_programme(programme)):
        assert total_and_parts(text, form_id, total_key) is None


def test_a_retyped_application_reads_its_parts_from_the_totals_cell(tmp_path):
    src = save(tmp_path / "晋创科技申请表.xlsx", {"申请表": [
        ["太原市中小企业公共服务示范平台申请表"], ["单位名称", "山西晋创科技服务有限公司", "成立时间", "2016年5月"],
        ["服务场地面积", "1200平方米（其中自有800，租用400）"], ["从业人数", "26人，其中专业人员18人", "占总人数", "69%"]]})
    with using(load_programme("taiyuan-2023")):
        read = read_workbook(src)
    [t] = [t for t in read.tables if t.form_id == "太原申请表"]
    assert {k: t.record.get(k) for k in ("site_area", "site_owned", "site_rented", "staff", "staff_professional")} == \
        {"site_area": 1200, "site_owned": 800, "site_rented": 400, "staff": 26, "staff_professional": 18}
    assert t.record_cells["site_owned"] == t.record_cells["site_area"] == "B3"
    assert {"site_owned", "site_rented", "staff_professional"}.isdisjoint(t.missing_fields)
    assert not [p for p in read.problems if p.severity == "error"], read.problems


@pytest.mark.parametrize("programme, form_id, total, text, expected", [
    ("hengyang-2023", "衡阳申请表", "staff_total", "45人，其中专职服务人员12人", ("45人", [("service_staff", "12人")])),
    ("shanxi-2024-base", "附件2", "total_investment", "3000万元，其中固定资产投资2500万元",
     ("3000万元", [("fixed_investment", "2500万元")])),
    ("shanxi-2024-base", "附件2", "resident_firms", "30户，其中本科以上学历8人", None),   # another line's 其中
])
def test_the_papers_own_qizhong_line_is_a_part(programme, form_id, total, text, expected):
    """The paper's own 其中 line right under a total (衡阳 从业人员数量 / 其中：专职服务人员) is read from the
    total's cell like a declared part; a 其中 line under another total is not."""
    with using(load_programme(programme)):
        assert total_and_parts(text, form_id, total) == expected
