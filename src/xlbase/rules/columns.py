"""Column helpers for the rule kinds: stacked columns in, masks and values out, vectorised.

Per-value Python work only where a value needs it.

A stacked firm column at province scale has ~58 000 values. A choice column (所属行业,
企业规模) has a handful of distinct ones, so each distinct text is folded once; a name or
credit-code column is nearly all distinct, but nearly all made of CJK ideographs, ASCII
letters and digits, which `fold` only lower-cases.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from ..text import PLAIN, fold

# fold() leaves these characters as they are except for ASCII case: NFKC keeps CJK unified
# ideographs and ASCII, none is a bracket or a dropped punctuation mark (tests/rules/test_columns.py)
# infer_dtype kinds that hold no str value
_NO_TEXT = frozenset({"empty", "integer", "floating", "mixed-integer-float", "decimal", "complex", "boolean",
                      "datetime64", "datetime", "date", "timedelta64", "timedelta", "time", "period", "interval"})


def _text_mask(values: np.ndarray) -> np.ndarray:
    """Which values of an object array are str; one C pass decides a text column with gaps (the common case)."""
    if infer_dtype(values, skipna=True) == "string":   # every value is str or a missing value it skipped
        return ~pd.isna(values)
    return np.fromiter((isinstance(v, str) for v in values), dtype=bool, count=len(values))


def fold_text(s: pd.Series, distinct: bool = True) -> pd.Series:
    """`fold` of every str value (None for anything else).

    distinct: fold each distinct text once — a choice column repeats a handful of texts;
    for a column of nearly all distinct texts (names, codes) hashing them costs more than it saves.
    """
    return pd.Series(fold_values(s.to_numpy(dtype=object), distinct), index=s.index, dtype=object)


def fold_values(values: np.ndarray, distinct: bool = True) -> np.ndarray:
    """fold_text of an object array (a column's values), as an object array."""
    is_text = _text_mask(values)
    out = np.full(len(values), None, dtype=object)
    if is_text.any():
        texts = values[is_text]
        if distinct and len(texts) > _FEW:   # only str values are factorized: a str never equals a non-str
            codes, uniques = pd.factorize(texts)
            out[is_text] = np.array(fold_each(uniques), dtype=object)[codes]
        else:
            out[is_text] = np.array(fold_each(texts), dtype=object)
    return out


#: up to this many values, a column's per-value Python work costs less than a pandas call (~20-50 µs each) saves
_FEW = 64
#: outside(): a set lookup per value in Python (~0.2 µs each) against Series.isin's ~0.3 ms however few the values;
#: measured even at ~2 000-4 000 values (a province's firm column: 58 000)
_MANY = 2048


def outside(keys: np.ndarray, allowed: set) -> np.ndarray:
    """Which of `keys` (folded texts, None for no text) are a text, not empty, and not in `allowed`."""
    if len(keys) <= _MANY:
        return np.fromiter((k is not None and k != "" and k not in allowed for k in keys), dtype=bool, count=len(keys))
    return pd.notna(keys) & (keys != "") & ~pd.Series(keys, dtype=object).isin(allowed).to_numpy()


def fold_each(texts) -> list[str]:
    """`fold` of each text; a plain one (ideographs, ASCII letters and digits) is only lower-cased, 5x faster."""
    plain = PLAIN.fullmatch
    return [t.lower() if plain(t) else fold(t) for t in texts]


def blank_text(s: pd.Series) -> np.ndarray:
    """Which values are text that is empty or only whitespace (a numeric or date column has none)."""
    return blank_text_values(s.to_numpy(dtype=object))


def blank_text_values(values: np.ndarray) -> np.ndarray:
    """blank_text of an object array."""
    if len(values) > _FEW and infer_dtype(values, skipna=True) in _NO_TEXT:
        return np.zeros(len(values), dtype=bool)
    return np.fromiter((isinstance(v, str) and not v.strip() for v in values), dtype=bool, count=len(values))


def blank_values(values: np.ndarray) -> np.ndarray:
    """blank of an object array (a column's values): missing, or text that is only whitespace."""
    return pd.isna(values) | blank_text_values(values)


def num_values(values: np.ndarray) -> np.ndarray:
    """num of an object array: float numbers, NaN where a value is not one."""
    return np.asarray(pd.to_numeric(values, errors="coerce"), dtype=float)


def num(s: pd.Series) -> pd.Series:
    """The column as numbers; NaN where a value is not one."""
    return pd.to_numeric(s, errors="coerce")


def blank(s: pd.Series) -> pd.Series:
    """Missing, or text that is only whitespace."""
    return s.isna() | pd.Series(blank_text(s), index=s.index)


def fold_key(s: pd.Series) -> pd.Series:
    """`fold` of each value as a comparison key: "" when missing, a non-text value folded as its text."""
    folded = fold_text(s, distinct=False)
    other = folded.isna()
    if other.any():
        folded[other] = s[other].map(lambda v: "" if v is None or (isinstance(v, float) and v != v) else fold(v))
    return folded


def as_date(s: pd.Series) -> pd.Series:
    """Each value as a datetime.date (a datetime without its time), None when it is not a date."""
    return pd.Series([d.date() if isinstance(d, dt.datetime) else (d if isinstance(d, dt.date) else None)
                      for d in s.to_numpy(dtype=object)], index=s.index, dtype=object)


def dates_after(d: pd.Series, limit: dt.date, after: bool = True) -> pd.Series:
    """Which dates (from as_date) are after `limit` (before it when after=False); False where there is none."""
    known = d.notna().to_numpy()
    dates = d.to_numpy(dtype=object)[known]
    out = np.zeros(len(d), dtype=bool)
    out[known] = (dates > limit) if after else (dates < limit)
    return pd.Series(out, index=d.index)


def tolerance_ok(diff: pd.Series, total: pd.Series, tol: Any) -> pd.Series:
    """Within tolerance: `tol` is absolute, or {abs: n, rel: 0.05} (either suffices); none is equality."""
    if tol is None:
        return diff.abs() < 1e-6
    if isinstance(tol, dict):
        ok = pd.Series(False, index=diff.index)
        if "abs" in tol:
            ok |= diff.abs() <= float(tol["abs"]) + 1e-9
        if "rel" in tol:
            ok |= diff.abs() <= float(tol["rel"]) * total.abs() + 1e-9
        return ok
    return diff.abs() <= float(tol) + 1e-9


def within_tolerance(diff: float, total: float, tol: Any) -> bool:
    """tolerance_ok for one difference (a programme's submission, a template's cached value): the same test."""
    return bool(tolerance_ok(pd.Series([diff]), pd.Series([total]), tol).iloc[0])


def within_formula(stated: str, other: str, tol: Any) -> str:
    """tolerance_ok as an Excel condition (a template's in-sheet check): `stated` and `other` (cells or
    formulas) are one figure within `tol`, relative to the stated figure."""
    diff = f"ABS({stated}-{other})"
    if tol is None:
        return f"{diff}<1E-6"
    if not isinstance(tol, dict):
        return f"{diff}<={float(tol):G}+1E-9"
    parts = ([f"{diff}<={float(tol['abs']):G}+1E-9"] if "abs" in tol else []) + \
            ([f"{diff}<={float(tol['rel']):G}*ABS({stated})+1E-9"] if "rel" in tol else [])
    return f"OR({','.join(parts)})" if parts else "FALSE"


def concat(parts: list[pd.Series]) -> pd.Series:
    return pd.concat(parts, ignore_index=True) if parts else pd.Series([], dtype=object)
