"""table.stack: one frame per form with each row's provenance."""

from __future__ import annotations

import pandas as pd

from rules_kit import BASE, a3_rows, table
from xlbase.table import PROVENANCE, Table, stack


def test_stack_provenance_per_table_and_own_base():
    a = table("附件3", a3_rows(2), file="a.xlsx")
    b = table("附件3", a3_rows(3), base=dict(BASE, key="b2"), file="b.xlsx")
    summary = Table(form_id="附件11", file="s.xlsx", sheet="附件11",
                    data=pd.DataFrame({"base_name": ["x", "y"], "_row": [5, 6], "_base": ["k1", None]}))
    plain = Table(form_id="附件11", file="t.xlsx", sheet="附件11", base={"key": "k3"},
                  data=pd.DataFrame({"base_name": ["z"], "_row": [7]}))
    empty = table("附件3", [], file="c.xlsx")
    df = stack([a, summary, empty, b, plain], "附件3")
    assert df["_file"].tolist() == ["a.xlsx"] * 2 + ["b.xlsx"] * 3
    assert df["_table"].tolist() == [0, 0, 3, 3, 3] and df["_base"].tolist() == ["b1"] * 2 + ["b2"] * 3
    assert df["_sheet"].tolist() == [a.sheet] * 5 and df["_row"].tolist() == [5, 6, 5, 6, 7]
    s11 = stack([a, summary, plain], "附件11")
    assert s11["_base"].tolist()[::2] == ["k1", "k3"] and s11["_table"].tolist() == [1, 1, 2]
    assert set(PROVENANCE) <= set(stack([a], "附件10").columns)
    a.data.loc[0, "firm_name"] = "改过"     # the stacked frame is not a view of a table's data
    assert df.loc[0, "firm_name"] != "改过"
