"""A line of words typed alone in another column than the name, between a list's rows — "其中：2024年新申报"
in the 县区 column of a city's 汇总表 — is a line of the page, not a base whose name was left out. It was read as
a data row: "没有填写基地名称" and a 必填项未填写 错误 for each of its 14 empty cells, in a stranger's round."""

from __future__ import annotations

import random

import retyped
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xlbase.check import check, pack_for
from xlbase.forms import get_form
from xlbase.read import read_workbook

FIELDS = list(get_form("附件11").official_table_fields)
WORDS = st.sampled_from(["其中：2024年新申报", "（二）续报基地", "以下为新申报基地", "新申报", "其中：市级推荐",
                         "第二批", "潞州区（续）"])


def _row(rng: random.Random, county: str, i: int) -> list:
    return [county, *retyped.valid_row(rng, f"长治市{county}行间{i}号双创基地", f"行间{i}号运营有限公司")]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**16), words=WORDS, at=st.integers(1, 3))
def test_a_line_alone_in_another_column_is_no_base(tmp_path_factory, seed, words, at):
    rng = random.Random(seed)
    rows = [["长治市推荐省级双创基地汇总表"], ["县区", *(f.label for f in FIELDS)]]
    data = [_row(rng, "潞州区" if i < 2 else "屯留区", i) for i in range(4)]
    rows += data[:at] + [[words]] + data[at:]
    path = retyped.save(tmp_path_factory.mktemp("l") / "长治市.xlsx", {"Sheet1": rows})
    wr = read_workbook(str(path))
    (t,) = [t for t in wr.tables if t.form_id == "附件11"]
    assert list(t.data["base_name"]) == [r[1] for r in data]
    said = [p for p in wr.problems if p.rule == "skipped-line"]     # or a section line (（二）续报基地): no base
    assert all(p.severity == "info" and p.cell == f"A{3 + at}" for p in said)
    errors = [p for p in check([wr], pack_for(None, None, None)).problems if p.severity == "error"]
    assert not errors, [p.message for p in errors]
