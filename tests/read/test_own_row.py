"""附件4 retyped with the base's own rent as a row of the comparables ("上马物流（本基地）| 0 | 16"), as an
operator did in the stranger round of session 11: that row is the base, not a comparable — its rent is the base's
own (when the head has none), it leaves the list, and its blank 联系人 / 联系电话 are nobody's 错误."""

from __future__ import annotations

import retyped
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xlbase.check import check, pack_for
from xlbase.forms import name_words
from xlbase.read import read_workbook

SITES = [("华贸大厦", 1.2, 28), ("兴业广场", 2.1, 26), ("恒信写字楼", 2.6, 27)]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(word=st.sampled_from(name_words()["self_words"]), at=st.integers(0, 3), own=st.integers(8, 40),
       bracket=st.booleans(), head=st.booleans())
def test_the_bases_own_row_gives_its_rent_and_leaves_the_list(tmp_path_factory, word, at, own, bracket, head):
    rows: list[list] = [["周边租金询价表"]]
    if head:
        rows += [["基地名称", "长治市襄垣县上马物流双创基地"], ["基地租金价格（元/每年每平方米）", own]]
    rows.append(["名称", "距离（公里）", "租金（元/平方米·年）", "联系人", "电话"])
    sites = [[n, d, p, "刘先生", f"138355210{i}"] for i, (n, d, p) in enumerate(SITES)]
    sites.insert(at, [f"上马物流（{word}）" if bracket else word, 0, own, "", ""])
    rows += sites
    path = retyped.save(tmp_path_factory.mktemp("r") / "a4.xlsx", {"Sheet1": rows})
    wr = read_workbook(str(path))
    (t,) = [t for t in wr.tables if t.form_id == "附件4"]
    assert list(t.data["site_name"]) == [n for n, _, _ in SITES]
    assert float(t.record["base_rent"]) == own
    (said,) = [p for p in wr.problems if p.rule == "own-row"]
    assert said.severity == "info" and said.cell == f"A{len(rows) - len(sites) + at + 1}"
    problems = check([wr], pack_for(None, None, None)).problems
    assert not [p for p in problems if p.severity == "error" and p.field in ("联系人", "联系电话", "contact", "phone")]


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(word=st.sampled_from(name_words()["self_words"]), at=st.integers(0, 3), own=st.integers(8, 40))
def test_a_self_word_in_the_number_column_marks_the_bases_own_row(tmp_path_factory, word, at, own):
    """"本基地 | 祁县晋商众创园 | — | 96": the 序号 cell says it, the name is the base's own (a probe's 附件4, q8, had
    its own row read as a comparable: 2 错误 for its blank 联系人 and 联系电话, and no base rent)."""
    rows: list[list] = [["申请认定的小微企业创业创新基地周边租金询价表"], ["单位：元/每年每平方米、千米"],
                        ["序号", "名称", "距离", "租金价格", "联系人", "联系电话"]]
    sites = [[i + 1, n, d, p, "刘先生", f"138355210{i}"] for i, (n, d, p) in enumerate(SITES)]
    sites.insert(at, [word, "祁县晋商众创园", "—", own, "", ""])
    rows += sites
    path = retyped.save(tmp_path_factory.mktemp("r") / "a4.xlsx", {"附件4": rows})
    wr = read_workbook(str(path))
    (t,) = [t for t in wr.tables if t.form_id == "附件4"]
    assert list(t.data["site_name"]) == [n for n, _, _ in SITES]
    assert float(t.record["base_rent"]) == own
    problems = check([wr], pack_for(None, None, None)).problems
    assert not [p for p in problems if p.severity == "error" and p.field in ("contact", "phone")]
