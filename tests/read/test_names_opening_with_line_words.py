"""A firm whose name opens with a page line's words ("填报单位乙1科技有限公司", "备注文化传媒", "负责人之家") is a firm:
a label line is a label's shape (填报单位：xxx, 填报单位（盖章）, 填表人 王丽, the word alone), never a name in a
data column that only starts with the label's words, with the firm's values beside it. It was taken for a
填报单位 line and cut 太原's firm list short (or was skipped as a line between data rows)."""

from __future__ import annotations

import random

import retyped
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xlbase.read import read_workbook
from xlbase.read.labels import ORG_PREFIXES, SIGN_PREFIXES, glued_line_word, line_kind

LINE_WORDS = [*ORG_PREFIXES, *SIGN_PREFIXES, "备注", "填表说明", "填报说明"]
TAILS = st.text(alphabet="乙丙丁甲一二三科技文化传媒商贸有限公司中心1234", min_size=2, max_size=10)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**16), word=st.sampled_from(LINE_WORDS), tail=TAILS, at=st.integers(0, 5),
       numbered=st.booleans())
def test_a_firm_named_after_a_line_word_is_read_wherever_it_stands(tmp_path_factory, seed, word, tail, at,
                                                                   numbered):
    rng = random.Random(seed)
    firms = [retyped.firm_values(rng, i, "小店区") for i in range(6)]
    name = f"{word}{tail}有限公司"
    assert line_kind(name) is not None and glued_line_word(name)     # what made it a line before
    firms[at]["firm_name"] = name
    t = retyped.a3_table(rng, firms, layout="one-row")
    first = len(t.rows) - len(firms)
    if not numbered:                               # rows typed past the template's numbered ones: no 序号
        for row in t.rows[first:]:
            row[0] = ""
    t.rows.append(["填报单位（盖章）：太原市小店区工信局", "", "", "", "2024年8月20日"])
    t.rows.append(["填表人：王丽", "", "审核人：张强"])
    wr = read_workbook(retyped.save(tmp_path_factory.mktemp("f") / "小店区.xlsx", {"附件3": t.rows}))
    (table,) = [x for x in wr.tables if x.form_id == "附件3"]
    assert list(table.data["firm_name"]) == [f["firm_name"] for f in firms]
    assert not [p for p in wr.problems if p.rule == "skipped-line"]


@given(word=st.sampled_from(LINE_WORDS), value=st.sampled_from(["忻州市工信局", "王丽", "", "（略）"]),
       sep=st.sampled_from(["：", ":", " ", "（盖章）：", "（盖章）", "\u3000"]))
def test_a_label_shape_is_never_glued(word, value, sep):
    spaced = " ".join(word) if len(word) <= 3 else word
    for text in (f"{word}{sep}{value}", f"{spaced}{sep}{value}", word):
        assert not glued_line_word(text), text


def test_a_glued_org_line_below_the_list_is_still_no_firm(tmp_path):
    """"填报单位忻州市工信局" with only the date beside it: a page line (nothing of a firm's beside it)."""
    rng = random.Random(3)
    firms = [retyped.firm_values(rng, i, "小店区") for i in range(4)]
    t = retyped.a3_table(rng, firms, layout="one-row")
    t.rows.append(["", "填报单位太原市小店区工信局", "", "2024年8月20日"])
    wr = read_workbook(retyped.save(tmp_path / "小店区.xlsx", {"附件3": t.rows}))
    (table,) = [x for x in wr.tables if x.form_id == "附件3"]
    assert list(table.data["firm_name"]) == [f["firm_name"] for f in firms]
