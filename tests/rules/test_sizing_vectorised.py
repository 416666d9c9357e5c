"""rules.sizing.classify (numpy over whole columns) agrees with a per-firm, per-industry reading of 300号."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import given, settings, strategies as st

from xlbase.rules.industry_text import read_industry
from xlbase.rules.sizing import BOUND_COLUMNS, classify, industries, industries_of, standard
from xlbase.text import fold

MODES = ("declared-then-strictest", "declared", "strictest", "none")
# 企业规模 as clerks write it: what each spelling declares (中小型 says both: nothing)
SMALL_SIZES = ("小型", "微型", "个体工商户", "小微", "小型企业", "微型企业", "个体户", "小 型")
LARGE_SIZES = ("大型", "中型", "中型企业", "大型企业")
COLUMNS = ("employees", "revenue", "industry", "size_class")
MEDIUM = standard()["medium"]


def _number(v):
    n = pd.to_numeric(pd.Series([v], dtype=object), errors="coerce").iloc[0]
    return None if n is None or (isinstance(n, float) and math.isnan(n)) else float(n)


def _under(floor: dict, measures: dict):
    """True (small), False (medium: every bound known and met) or None (undecidable) under one industry."""
    bounds = [(measures.get(m), b) for m, b in floor.items()]
    if any(x is not None and x < b for x, b in bounds):
        return True
    return False if all(x is not None for x, _ in bounds) else None


def _judge(names, measures):
    """small only when small under every industry it may be in; not small only when medium under every one."""
    votes = [_under(MEDIUM[n], measures) for n in names]
    return True if all(v is True for v in votes) else (False if all(v is False for v in votes) else None)


def reference(row: dict, mode: str) -> tuple[object, str]:
    """One firm: (small or None, basis), written per firm and per industry as 300号 reads."""
    measures = {m: _number(row.get(m)) for m in BOUND_COLUMNS}
    names = [industries()[i] for i in sorted(industries_of(row.get("industry")))]
    size = fold(row["size_class"]) if isinstance(row.get("size_class"), str) else ""
    if size in (fold("个体工商户"), fold("个体户")):
        return True, "declared"
    small, basis = None, "unknown"
    if names:
        small = _judge(names, measures)
        basis = "industry" if small is not None else "unknown"
    declared = {fold(s): True for s in SMALL_SIZES} | {fold(s): False for s in LARGE_SIZES}   # spellings below
    if small is None and mode in ("declared", "declared-then-strictest") and size in declared:
        small, basis = declared[size], "declared"
    if small is None and not names and mode in ("strictest", "declared-then-strictest"):
        small = _judge(industries(), measures)
        basis = "strictest" if small is not None else "unknown"
        # a 所属行业 read by words only (rules/industry_text.py: 住宿和餐饮业（快餐）): small when small under each
        worded = read_industry(row.get("industry")).positions
        if small is None and worded and _judge([industries()[i] for i in sorted(worded)], measures) is True:
            small, basis = True, "words"
    return small, basis


NUMBERS = st.one_of(st.none(), st.just(np.nan), st.integers(0, 7000), st.floats(0, 9000, allow_nan=False),
                    st.sampled_from([20, 50, 100, 300, 500, 1000, 2000, 5000, 6000, 19.999, "25", "1,200", "abc"]))
INDUSTRIES = st.one_of(st.none(), st.sampled_from([*MEDIUM, " 工 业", "工业（）", "未知行业", "", 3.0, "制造业",
                                                    "批发和零售业", "住宿和餐饮业（快餐）", "房地产业",
                                                    "餐饮", "软件开发", "批发、零售", "咨询服务类"]))
SIZES = st.one_of(st.none(), st.sampled_from([*SMALL_SIZES, *LARGE_SIZES, "中小型", "奇怪", "", 1]))
ROWS = st.lists(st.fixed_dictionaries({"employees": NUMBERS, "revenue": NUMBERS, "industry": INDUSTRIES,
                                       "size_class": SIZES}), max_size=12)


@settings(max_examples=500, deadline=None)
@given(ROWS, st.sampled_from(MODES), st.sets(st.sampled_from(COLUMNS)), st.booleans())
def test_classify_matches_per_firm_reference(rows, mode, dropped, as_object):
    df = pd.DataFrame(rows, columns=list(COLUMNS), dtype=object if as_object else None)
    df = df.drop(columns=list(dropped))
    df.index = df.index * 3 + 7        # a stacked frame's index need not be 0..n-1
    got = classify(df, mode)
    assert list(got.index) == list(df.index) and str(got["small"].dtype) == "boolean"
    for (_, r), small, basis in zip(df.iterrows(), got["small"], got["basis"]):
        want_small, want_basis = reference(r.to_dict(), mode)
        assert (None if small is pd.NA else bool(small), basis) == (want_small, want_basis), (r.to_dict(), mode)
