"""How a reader worker's read is pickled for the parent: a table's frames by their blocks.

pandas pickles a DataFrame as its block manager and rebuilds it through `__setstate__`: ~0.3 ms a frame to
unpickle, whatever its size, and a province inbox sends ~900 tables of two frames each (a 附件10 of one
row costs as much as a 附件3 of a thousand). The parent unpickles every read while the workers read on, so
that time is taken from them on a 2-core machine. A frame of numpy blocks under a plain RangeIndex is sent
as its blocks, its length and its columns, and rebuilt by `pandas.api.internals.create_dataframe_from_blocks`
(pandas >= 3), the way read.sheet_tables builds it: the same blocks, placement, dtypes and column Index.
Anything else (another index, an extension array, attrs or flags set, older pandas) is pickled as pandas does.
"""

from __future__ import annotations

import io
import pickle
from multiprocessing.reduction import ForkingPickler
from typing import Any

import numpy as np
import pandas as pd

try:
    from pandas.api.internals import create_dataframe_from_blocks as _from_blocks
except ImportError:     # pandas < 3
    _from_blocks = None


def frame_from_blocks(blocks: list[tuple[np.ndarray, np.ndarray]], n_rows: int, columns: pd.Index) -> pd.DataFrame:
    """The frame `reduce_frame` took apart."""
    return _from_blocks(blocks, pd.RangeIndex(n_rows), columns)


def reduce_frame(df: pd.DataFrame) -> tuple:
    """`df` for pickle: by its blocks when frame_from_blocks rebuilds it as it is, else as pandas reduces it."""
    blocks = _numpy_blocks(df)
    if blocks is None:
        return df.__reduce_ex__(pickle.DEFAULT_PROTOCOL)
    return frame_from_blocks, (blocks, len(df.index), df.columns)


def _numpy_blocks(df: pd.DataFrame) -> list[tuple[np.ndarray, np.ndarray]] | None:
    index = df.index
    if _from_blocks is None or type(index) is not pd.RangeIndex or index.start != 0 or index.step != 1 \
            or df.attrs or not df.flags.allows_duplicate_labels:
        return None
    try:
        blocks = df._mgr.blocks            # pandas internals: any doubt, and pandas pickles the frame
        out = [(b.values, b.mgr_locs.as_array) for b in blocks]
    except AttributeError:
        return None
    return out if all(type(v) is np.ndarray for v, _ in out) else None


class ReadPickler(ForkingPickler):
    """ForkingPickler (what multiprocessing's Connection.send uses) with DataFrames by their blocks; the
    parent unpickles with plain pickle (Connection.recv), which calls frame_from_blocks."""

    _dispatch: dict | None = None

    def __init__(self, file: Any, protocol: int | None = None) -> None:
        super().__init__(file, protocol)
        if ReadPickler._dispatch is None:
            ReadPickler._dispatch = {**self.dispatch_table, pd.DataFrame: reduce_frame}
        self.dispatch_table = ReadPickler._dispatch

    @classmethod
    def dumps(cls, obj: Any, protocol: int | None = None) -> memoryview:
        buf = io.BytesIO()
        cls(buf, protocol).dump(obj)
        return buf.getbuffer()
