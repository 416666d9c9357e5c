"""Two tables typed side by side on one sheet (a county's 附件11 and its 入驻企业 list, a WPS export of both): a
row then holds one header of each. Before, only the better-scoring header of the row was taken and the other
table was lost without a word (stranger round 3: 浑源县's two bases missing from the 汇总表, their firm lists
"without a base"). Each table is read whole, from its own columns, whichever side it is on."""

from __future__ import annotations

import random

import retyped
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xlbase.read import read_workbook


def _side_by_side(left: list[list], right: list[list], gap: int) -> list[list]:
    width = max(len(r) for r in left) + gap
    out = []
    for i in range(max(len(left), len(right))):
        a = left[i] if i < len(left) else []
        b = right[i] if i < len(right) else []
        out.append([*a, *([None] * (width - len(a))), *b])
    return out


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**16), n_bases=st.integers(2, 3), n_firms=st.integers(3, 12), gap=st.integers(1, 3),
       bases_left=st.booleans(), layout=st.sampled_from(["one-row", "groups"]))
def test_both_tables_of_a_sheet_side_by_side_are_read(tmp_path_factory, seed, n_bases, n_firms, gap, bases_left,
                                                      layout):
    rng = random.Random(seed)
    bases = [retyped.base_values(rng, f"大同市浑源县并排{i}号双创基地", f"浑源并排{i}号运营有限公司")
             for i in range(n_bases)]
    firms = [retyped.firm_values(rng, i, "浑源县") for i in range(n_firms)]
    t11 = retyped.a10_table(rng, bases, layout=layout)
    t3 = retyped.a3_table(rng, firms, layout="one-row")
    rows = _side_by_side(t11.rows, t3.rows, gap) if bases_left else _side_by_side(t3.rows, t11.rows, gap)
    wr = read_workbook(retyped.save(tmp_path_factory.mktemp("s") / "浑源县.xlsx", {"Sheet1": rows}))
    base_tables = [t for t in wr.tables if t.form_id in ("附件10", "附件11")]
    firm_tables = [t for t in wr.tables if t.form_id == "附件3"]
    assert len(base_tables) == 1 and len(firm_tables) == 1, [(t.form_id, t.n_rows) for t in wr.tables]
    (t,) = base_tables
    assert list(t.data["base_name"]) == [b["base_name"] for b in bases]
    for i, want in enumerate(t11.expected):
        for key, value in want.items():
            got = t.data.iloc[i][key]
            assert (abs(got - value) < 1e-6 if isinstance(value, float) else got == value), (key, got, value)
    (f,) = firm_tables
    assert list(f.data["firm_name"]) == [x["firm_name"] for x in firms]
    assert list(f.data["credit_code"]) == [x["credit_code"] for x in firms]
