"""The column helpers of the rule kinds agree with the per-value code they replace (rules/columns.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd
from hypothesis import example, given, settings, strategies as st

from rules_kit import BASE, a3_rows, col, table
from xlbase.rules import load_pack, validate
from xlbase.rules.columns import (blank, blank_text, blank_text_values, blank_values, fold_each, fold_text,
                                  fold_values, num, num_values, outside)
from xlbase.text import fold

PLAIN = st.text(alphabet=st.one_of(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
                                   st.sampled_from("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcxyz")), max_size=12)
ODD = st.text(alphabet=st.sampled_from("山西（）()【】[] 　\t-—_.,，、:：·*'\"ＡＢ１２ΣσςİKſﬁ有限公司"), max_size=12)
VALUES = st.one_of(PLAIN, ODD, st.text(max_size=8), st.none(), st.just(np.nan), st.integers(-5, 5),
                   st.floats(allow_nan=False), st.booleans(), st.just(dt.date(2024, 1, 1)))


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(PLAIN, ODD, st.text(max_size=12)), max_size=20))
@example(["ΑΣ", "山西ΑΣ", "KELVIN", "ǅ", "İ", "ﬁ", ""])
def test_fold_each_is_fold(texts):
    assert fold_each(texts) == [fold(t) for t in texts]


@settings(max_examples=500, deadline=None)
@given(st.lists(VALUES, max_size=20))
def test_fold_text_and_blank_text_match_per_value(values):
    s = pd.Series(values, dtype=object, index=range(3, 3 + len(values)))
    want = [fold(v) if isinstance(v, str) else None for v in values]
    for distinct in (True, False):
        assert fold_text(s, distinct).tolist() == want and list(fold_text(s, distinct).index) == list(s.index)
    assert blank_text(s).tolist() == [isinstance(v, str) and not v.strip() for v in values]


@settings(max_examples=300, deadline=None)
@given(st.lists(VALUES, max_size=150), st.sampled_from([object, None]))
def test_array_forms_match_the_series_helpers(values, dtype):
    """blank_values, num_values and fold_values (what Context.column keeps per validate) give what blank, num and
    fold_text give for the same column, short (per-value Python) or long (infer_dtype, factorize)."""
    s = pd.Series(values, dtype=dtype, index=range(5, 5 + len(values)))
    arr = s.to_numpy(dtype=object)
    assert blank_values(arr).tolist() == blank(s).tolist()
    np.testing.assert_array_equal(num_values(arr), num(s).to_numpy(dtype=float))
    assert fold_values(arr).tolist() == fold_text(s).tolist()
    assert blank_text_values(arr).tolist() == blank_text(s).tolist()
    keys = fold_values(arr)
    allowed = {k for k in keys[: len(keys) // 2] if k}
    want = [isinstance(k, str) and k != "" and k not in allowed for k in keys]
    assert outside(keys, allowed).tolist() == want
    assert outside(np.tile(keys, 2100 // max(1, len(keys)) + 1), allowed).tolist() == \
        want * (2100 // max(1, len(keys)) + 1)     # past the cut-over to Series.isin


def test_blank_text_skips_columns_without_text():
    for values in ([1, 2, None], [1.5, np.nan], [dt.date(2024, 1, 1), None], [None, None], []):
        assert not blank_text(pd.Series(values, dtype=object)).any()
    assert blank_text(pd.Series([1, " ", "\u3000", "x", None], dtype=object)).tolist() == [False, True, True, False, False]


NAMES = st.sampled_from(["甲公司", "甲 公司", "甲公司（）", "乙公司", "ABC", "abc", "", None, np.nan, 7])
#: the pack with firm-duplicate alone: an example is judged by that rule only (the whole pack's other rules took
#: two thirds of the test's time, 42 -> 13 s, and report nothing it looks at)
DUPLICATES = dataclasses.replace(load_pack(), rules=tuple(r for r in load_pack().rules if r.id == "firm-duplicate"))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["f0.xlsx", "f1.xlsx"]), st.sampled_from(["b1", "b2", "", None]), NAMES),
                min_size=1, max_size=14))
def test_duplicates_match_first_seen_reference(rows):
    """firm-duplicate flags the later rows of a (submission = file + base, folded name) and names the first
    one's cell; the same firm in another file is the merge's duplicate-enterprise, not this rule's."""
    rows = [*rows, ("f9.xlsx", "b9", "丙")]   # one known base: the ratio rule cannot run on firms of no known base
    tables = []
    for i, (file, base, name) in enumerate(rows):
        r = a3_rows(1)[0]
        r.update(firm_name=name, credit_code=f"code{i}")
        tables.append(table("附件3", [r], base=dict(BASE, key=base), file=file))
    got = [(p.file, p.cell, p.message) for p in validate(tables, DUPLICATES) if p.rule == "firm-duplicate"]
    first, want = {}, []
    for i, (file, base, name) in enumerate(rows):
        key = "" if name is None or name != name else fold(name)
        sub = (file, base or "")
        if key and (sub, key) in first:
            want.append((file, f"{col('附件3', 'firm_name')}5", f"（{col('附件3', 'firm_name')}5）"))
        first.setdefault((sub, key), i)
    assert [(f, c) for f, c, _ in got] == [(f, c) for f, c, _ in want]
    assert all(w in m for (_, _, m), (_, _, w) in zip(got, want))
