"""A table that lacks official columns gets one missing-column problem per severity, naming every column it
lacks, at the table's header — not one per absent column (a stranger's 10-column list of a 20-column form got
10 warnings "没有找到…列" beside the incomplete-total warning). A vertical 附件10's heading line (项目 | 内容)
is no column: never offered as one the clerk might have meant."""

from __future__ import annotations

import random
from collections import Counter

import retyped
import strangers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xlbase.forms import get_form
from xlbase.cell_refs import expand_cells
from xlbase.read import read_workbook

DROPPABLE = [k for k in retyped.A10_KEYS if k not in ("base_name", "operator")]


def _missing(wr) -> list:
    return [p for p in wr.problems if p.rule == "missing-column"]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**16), dropped=st.sets(st.sampled_from(DROPPABLE), min_size=1, max_size=12),
       n_bases=st.sampled_from([1, 3]))
def test_one_problem_per_severity_names_every_absent_column(tmp_path_factory, seed, dropped, n_bases):
    rng = random.Random(seed)
    bases = [retyped.base_values(rng, f"忻州市静乐县{w}双创基地", f"静乐{w}运营有限公司") for w in ("创客", "众创", "星火")]
    t = retyped.a10_table(rng, bases[:n_bases], layout="one-row")
    for c in sorted((1 + retyped.A10_KEYS.index(k) for k in dropped), reverse=True):
        for row in t.rows:
            if len(row) > c:
                del row[c]
    wr = read_workbook(retyped.save(tmp_path_factory.mktemp("m") / "静乐县.xlsx", {"Sheet1": t.rows}))
    (table,) = [t for t in wr.tables if not t.data.empty]
    said = _missing(wr)
    assert all(n == 1 for n in Counter(p.severity for p in said).values()), [p.message for p in said]
    named = [k for p in said for k in p.value]
    assert len(named) == len(set(named))                              # each absent column said once
    form = get_form(table.form_id)
    official = {f.key for f in form.table_fields if f.official}
    assert dropped & official <= set(named) and not set(named) & set(table.columns)
    for p in said:
        assert p.field == p.value[0] and p.cell and expand_cells(p.cell)
        for k in p.value:
            assert f"“{form.field(k).label}”" in p.message, (k, p.message)
        if len(p.value) > 1:
            assert f"{len(p.value)} 个栏目" in p.message
    proven = [k for k in named if form.field(k).required and not form.field(k).blank_may_be_zero]
    if not table.extra_columns:       # no header left unplaced: a required column is proven absent
        assert {k for p in said if p.severity == "error" for k in p.value} == set(proven)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**16), heading=st.sampled_from([("项目", "内容"), ("指标", "数值"), ("栏目", "填报内容")]),
       dropped=st.sets(st.sampled_from(DROPPABLE), min_size=2, max_size=8))
def test_a_vertical_sheets_heading_is_never_offered_as_a_missing_column(tmp_path_factory, seed, heading, dropped):
    rng = random.Random(seed)
    grid = strangers.Grid()
    base = strangers.base_values(rng, "长治市潞州区智谷双创基地", "智谷运营有限公司")
    strangers._vertical(rng, grid, base, strangers.MONEY_UNITS[0], strangers.AREA_UNITS[0])
    col = min(c for (r, c) in grid.cells if r == 3)
    gone = sorted(3 + strangers.A10_ORDER.index(k) for k in dropped)
    cells = {}
    for (r, c), v in grid.cells.items():          # the lines of the dropped fields taken out, the rest moved up
        if r not in gone:
            cells[(r - sum(1 for g in gone if g < r), c)] = v
    grid.cells = cells
    grid.cells.pop((2, 1), None)
    grid.put(2, col, heading[0])
    grid.put(2, col + 1, heading[1])
    wr = read_workbook(strangers.save(tmp_path_factory.mktemp("v") / "v.xlsx", {"Sheet1": grid}))
    (t,) = [t for t in wr.tables if t.form_id == "附件10"]
    assert t.transposed and t.data.iloc[0]["base_name"] == base["base_name"]
    said = _missing(wr)
    assert said and all(n == 1 for n in Counter(p.severity for p in said).values())
    assert set(dropped) <= {k for p in said for k in p.value}
    for p in said:
        assert f"“{heading[0]}”" not in p.message and f"“{heading[1]}”" not in p.message, p.message


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**16), dropped=st.sets(st.sampled_from(DROPPABLE), min_size=1, max_size=6),
       extras=st.sets(st.sampled_from(["备注", "联系人", "联系电话"]), min_size=1))
def test_a_header_left_unplaced_softens_only_the_columns_it_could_be(tmp_path_factory, seed, dropped, extras):
    """An unplaced header that cannot be a missing column (备注, 联系人: none of its words or units) leaves it
    proven absent (an error); before, any unplaced header made every missing column a warning."""
    rng = random.Random(seed)
    bases = [retyped.base_values(rng, "忻州市静乐县创客双创基地", "静乐创客运营有限公司")]
    t = retyped.a10_table(rng, bases, layout="one-row", extras=sorted(extras))
    for c in sorted((1 + retyped.A10_KEYS.index(k) for k in dropped), reverse=True):
        for row in t.rows:
            if len(row) > c:
                del row[c]
    wr = read_workbook(retyped.save(tmp_path_factory.mktemp("x") / "静乐县.xlsx", {"Sheet1": t.rows}))
    form = get_form("附件10")
    proven = {k for k in dropped if form.field(k).required and not form.field(k).blank_may_be_zero}
    errors = {k for p in _missing(wr) if p.severity == "error" for k in p.value}
    assert errors == proven, [p.message for p in _missing(wr)]


@given(st.sampled_from([f for f in get_form("附件2").record_fields if f.required and f.official
                         and not f.blank_may_be_zero and f.unit]))
def test_a_line_with_the_fields_unit_or_words_keeps_it_a_warning(f):
    """A record's unplaced line that states the missing line's unit ("情况（人）" for a count of people) could be it
    under another wording: a warning naming it; a line of no such word or unit cannot (an error)."""
    from xlbase.read.sheet_tables import missing_columns
    (unit_line,) = missing_columns("a.xlsx", "附件2", "A1:B9", "附件2", [f], [f"其他情况（{f.unit}）"], record=True)
    assert unit_line.severity == "warning" and "其他情况" in unit_line.message
    (unrelated,) = missing_columns("a.xlsx", "附件2", "A1:B9", "附件2", [f], ["备注", "联系人"], record=True)
    assert unrelated.severity == "error"
