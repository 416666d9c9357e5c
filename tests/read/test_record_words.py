"""A record (label | value) form's line under a clerk's own words: "对区域中小企业发展的作用" for the notice's
"对区域中小企业发展的影响和作用", "平台名称" for "示范平台承担单位名称". Record labels were matched only by their
exact spellings, aliases and stems (column headers have had a fuzzy matcher for long), so such a line was
"没有找到…一栏" — a 错误 the clerk had not made. record_words.record_word names a line by its words when one field
is clearly closest; a reader's info says how the line was read."""

from __future__ import annotations

from hypothesis import given, strategies as st

from record_labels import record_labels
from retyped import save
from xlbase.forms.programmes import load_programme, using
from xlbase.read.record_words import record_word
from xlbase.read.workbook import read_workbook


#: (programme, form id, field key, label or alias) of every record line of every programme
LABELS = [(name, form.id, f.key, label) for name, form, f, label in record_labels()]


def test_a_label_short_of_one_character_names_its_own_line_or_none():
    tried = named = 0
    for name, form_id, key, label in LABELS:
        with using(load_programme(name)):
            for i in range(len(label)):
                typed = label[:i] + label[i + 1:]
                if len(typed) < 6:
                    continue
                got = record_word(typed, form_id)
                assert got in (key, None), (name, form_id, label, typed, got)
                tried, named = tried + 1, named + (got == key)
    assert tried > 500 and named >= 0.8 * tried, (tried, named)


@given(st.sampled_from(LABELS), st.integers(1, 99999),
       st.sampled_from(["{n}", "{label}{n}", "共{n}人", "{n}万元", "{label}：见附件", "{label}:有"]))
def test_a_cell_with_a_number_or_a_value_is_never_a_label(entry, n, shape):
    name, form_id, _, label = entry
    with using(load_programme(name)):
        assert record_word(shape.format(n=n, label=label), form_id) is None


def test_a_recommendation_retyped_in_everyday_words_is_read(tmp_path):
    src = save(tmp_path / "推荐表.xlsx", {"推荐表": [
        ["太原市中小企业公共服务示范平台推荐表"], ["平台名称", "山西晋创科技服务有限公司"], ["推荐部门", "小店区工业和信息化局"],
        ["填报日期", "2023.3.25"], ["测评方式", "电话回访与实地走访相结合"],
        ["对区域中小企业发展的作用", "为区内中小企业提供技术咨询和融资对接服务"], ["主管部门意见", "同意推荐"]]})
    with using(load_programme("taiyuan-2023")):
        read = read_workbook(src)
    [t] = [t for t in read.tables if t.form_id == "太原推荐表"]
    assert t.record["impact"] == "为区内中小企业提供技术咨询和融资对接服务" and t.record_cells["impact"] == "B6"
    assert t.record["opinion"] == "同意推荐" and t.record["platform"] == "山西晋创科技服务有限公司"
    assert not t.missing_fields
    said = {p.cell: p.message for p in read.problems if p.rule == "column-read-as"}
    assert "按“对区域中小企业发展的影响和作用”读取" in said["A6"]
    assert not [p for p in read.problems if p.severity == "error"]
