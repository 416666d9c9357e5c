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


def test_context_columns_are_the_frame_helpers_once():
    """Context.column (what the kinds decide over, made once per validate) equals the per-frame helpers it
    replaced, for every field of every form: tables with and without a column, records with a line the sheet
    lacks, values blank, unreadable or typed as text."""
    import numpy as np

    from rules_kit import a10_row, record
    from xlbase.forms import FORM_IDS, get_form
    from xlbase.rules import load_pack
    from xlbase.rules.columns import blank, num
    from xlbase.rules.context import Context, has_cell, has_field

    short = table("附件3", [dict(r, employees=" ", area="十") for r in a3_rows(2)], file="b.xlsx")
    short.data = short.data.drop(columns=["revenue"])
    del short.columns["revenue"]
    a2 = record("附件2", {"resident_firms": 20, "employees": None, "total_investment": "约300"})
    a2.missing_fields = {"employees"}
    a2.record_cells.pop("employees", None)
    tables = [table("附件3", a3_rows(3)), short, table("附件10", [a10_row(), a10_row(employees=None)]), a2,
              record("附件4", {"own_rent": 12.5}, rows=[{"site_name": "甲", "site_distance": 2, "site_rent": 20}])]
    ctx = Context(tables, load_pack())
    for form_id in FORM_IDS:
        for f in get_form(form_id).fields:
            df = ctx.frame(form_id, f.key)
            if not len(df):     # the kinds judge no empty frame
                assert len(ctx.column(form_id, f.key, "has_field")) == len(ctx.column(form_id, f.key, "blank")) == 0
                continue
            values = df[f.key].to_numpy(dtype=object) if f.key in df else np.full(len(df), None, dtype=object)
            assert [repr(v) for v in ctx.column(form_id, f.key)] == [repr(v) for v in values], (form_id, f.key)
            if f.key in df:
                assert ctx.column(form_id, f.key, "blank").tolist() == blank(df[f.key]).tolist()
                np.testing.assert_array_equal(ctx.column(form_id, f.key, "num"), num(df[f.key]).to_numpy(dtype=float))
            assert ctx.column(form_id, f.key, "has_field").tolist() == has_field(ctx, df, f.key).tolist()
            assert ctx.column(form_id, f.key, "has_cell").tolist() == has_cell(ctx, df, f.key).tolist()
            assert ctx.column(form_id, f.key, "sub").tolist() == df["_sub"].tolist()
