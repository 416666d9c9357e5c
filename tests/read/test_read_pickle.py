"""A reader worker's read crosses to the parent with its frames pickled by their blocks (read.read_pickle):
what the parent unpickles is the frame the worker built — values, dtypes, columns, index, block layout — and a
frame the blocks cannot carry as it is (another index, a string or nullable column, attrs) goes as pandas
pickles it."""

from __future__ import annotations

import datetime as dt
import pickle

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xlbase.read.read_pickle import ReadPickler, _from_blocks
from xlbase.read.sheet_tables import _frame
from xlbase.table import Table, WorkbookRead

CELLS = st.one_of(st.none(), st.text(max_size=6), st.integers(-10**12, 10**12),
                  st.floats(allow_nan=True, allow_infinity=False), st.dates(dt.date(1990, 1, 1), dt.date(2030, 1, 1)))


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert type(b) is pd.DataFrame
    assert a.equals(b) and list(a.columns) == list(b.columns) and a.columns.dtype == b.columns.dtype
    assert list(a.dtypes) == list(b.dtypes) and type(a.index) is type(b.index) and a.index.equals(b.index)
    assert a._mgr.nblocks == b._mgr.nblocks and a.attrs == b.attrs
    for x, y in zip(a.to_numpy(dtype=object).ravel(), b.to_numpy(dtype=object).ravel()):
        assert type(x) is type(y) and (x == y or (x != x and y != y))     # NaN stays NaN, 1 stays int


def _round_trip(obj):
    return pickle.loads(bytes(ReadPickler.dumps(obj)))


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 6).flatmap(lambda n: st.tuples(
    st.lists(st.sampled_from(["base_name", "firm_name", "credit_code", "employees", "区域", "x"]), min_size=n, max_size=n,
             unique=True),
    st.lists(st.lists(CELLS, min_size=n, max_size=n), max_size=12))))
def test_a_frame_as_the_reader_builds_it_comes_back_the_same(shape):
    keys, rows = shape
    columns = np.empty((len(keys), len(rows)), dtype=object)
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            columns[j, i] = v
    df = _frame(np.arange(5, 5 + len(rows), dtype=np.int64), keys, columns)
    _same(df, _round_trip(df))


@pytest.mark.parametrize("make", [
    lambda: pd.DataFrame({"a": [1, 2]}, index=[3, 4]),                       # not a RangeIndex from 0
    lambda: pd.DataFrame({"a": pd.array(["x", None], dtype="string")}),      # an extension array
    lambda: pd.DataFrame({"a": pd.array([1, None], dtype="Int64"), "b": [1.5, 2.5]}),
    lambda: pd.DataFrame({"a": pd.to_datetime(["2024-01-02", None])}),
    lambda: pd.DataFrame(),
], ids=["index", "string", "nullable", "datetime", "empty"])
def test_other_frames_come_back_as_pandas_pickles_them(make):
    df = make()
    back = _round_trip(df)
    assert back.equals(df) and list(back.dtypes) == list(df.dtypes) and back.index.equals(df.index)


def test_attrs_and_a_whole_read_come_back():
    df = pd.DataFrame({"a": [1, 2]})
    df.attrs["note"] = "kept"
    assert _round_trip(df).attrs == {"note": "kept"}
    t = Table(form_id="附件3", file="f.xlsx", sheet="附件3",
              data=_frame(np.array([6, 7]), ["firm_name"], np.array([["甲", None]], dtype=object)))
    back = _round_trip((3, WorkbookRead(path="f.xlsx", status="ok", tables=[t])))
    assert back[0] == 3
    _same(t.data, back[1].tables[0].data)
    _same(t.raw, back[1].tables[0].raw)


def test_frames_go_by_their_blocks_where_pandas_can_rebuild_them():
    """The point of it: a reader's frame is pickled as its blocks (no block manager state to rebuild)."""
    df = _frame(np.array([6, 7]), ["firm_name"], np.array([["甲", None]], dtype=object))
    blob = bytes(ReadPickler.dumps(df))
    if _from_blocks is None:        # pandas < 3: as pandas pickles it
        assert blob == bytes(ReadPickler.dumps(df)) and b"frame_from_blocks" not in blob
    else:
        assert b"frame_from_blocks" in blob and b"BlockManager" not in blob
