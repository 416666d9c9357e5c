"""Small/micro classification per 工信部联企业〔2011〕300号《中小企业划型标准规定》.

A firm is small or micro when it is below the *medium* thresholds of its industry
(中型 requires both bounds, "且"). 附件3 shows employees and revenue but no total
assets; where 300号 uses assets (建筑业, 房地产开发经营, 租赁和商务服务业) only the
bound we can see is applied — stated in every pack that uses this.
When the industry is unknown, the "strictest" basis counts a firm as small/micro
only if it is small/micro under every industry (revenue < 500 万元 and < 100 人).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..text import fold
from .columns import fold_text

# industry -> (medium employees lower bound or None, medium revenue lower bound 万元 or None)
MEDIUM_FLOOR: dict[str, tuple[float | None, float | None]] = {
    "农林牧渔业": (None, 500),
    "工业": (300, 2000),
    "建筑业": (None, 6000),          # 300号: 且资产总额5000万元 — assets not on 附件3
    "批发业": (20, 5000),
    "零售业": (50, 500),
    "交通运输业": (300, 3000),
    "仓储业": (100, 1000),
    "邮政业": (300, 2000),
    "住宿业": (100, 2000),
    "餐饮业": (100, 2000),
    "信息传输业": (100, 1000),
    "软件和信息技术服务业": (100, 1000),
    "房地产开发经营": (None, 1000),  # 且资产总额5000万元 — assets not on 附件3
    "物业管理": (300, 1000),
    "租赁和商务服务业": (100, None),  # 300号 uses assets (8000万元) with employees
    "其他未列明行业": (100, None),
}
SMALL_SIZES = ("小型", "微型", "个体工商户")
LARGE_SIZES = ("大型", "中型")
_INDUSTRY_INDEX = {fold(k): i for i, k in enumerate(MEDIUM_FLOOR)}   # folded name -> position


def _small_under(floor: tuple[float | None, float | None], emp: np.ndarray, rev: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
    """(small, not_small) under one industry: below a medium bound, or every bound known and met.

    Medium needs every bound met ("且"), so one known bound below its floor says small;
    neither is True when no present bound says small and a bound is unknown (NaN).
    """
    small = np.zeros(len(emp), dtype=bool)
    known = np.ones(len(emp), dtype=bool)
    for values, bound in ((emp, floor[0]), (rev, floor[1])):
        if bound is not None:
            small |= values < bound          # NaN compares False
            known &= ~np.isnan(values)
    return small, ~small & known


def classify(firms: pd.DataFrame, unknown_industry: str = "declared-then-strictest") -> pd.DataFrame:
    """Per firm row: `small` (boolean, NA when undecidable) and `basis` (how it was decided).

    basis: "industry" (300号 by 所属行业), "declared" (企业规模 as reported),
    "strictest" (industry unknown: small when small under every industry, not small when some
    industry's medium floor is met with all of its bounds known, otherwise undecided — a firm
    with no employees and no revenue is not counted as small), "unknown".
    Computed on whole columns with numpy: `small` is kept as two masks, decided True / decided False.
    """
    idx = firms.index
    emp = _numbers(firms, "employees")
    rev = _numbers(firms, "revenue")
    # position in MEDIUM_FLOOR (NaN: unknown), so each industry is a float compare, not an object one
    industry = _folded(firms, "industry").map(_INDUSTRY_INDEX).to_numpy(dtype=float, na_value=np.nan)
    size = _folded(firms, "size_class").fillna("").to_numpy(dtype=object)

    yes = np.zeros(len(idx), dtype=bool)
    no = np.zeros(len(idx), dtype=bool)
    basis = np.full(len(idx), "unknown", dtype=object)
    for position, floor in enumerate(MEDIUM_FLOOR.values()):
        mask = industry == position
        if mask.any():
            yes[mask], no[mask] = _small_under(floor, emp[mask], rev[mask])
            basis[mask] = "industry"
    declared_small = np.isin(size, [fold(s) for s in SMALL_SIZES])
    declared_large = np.isin(size, [fold(s) for s in LARGE_SIZES])
    if unknown_industry in ("declared", "declared-then-strictest"):
        use = ~(yes | no) & (declared_small | declared_large)
        yes[use], no[use] = declared_small[use], declared_large[use]
        basis[use] = "declared"
    if unknown_industry in ("strictest", "declared-then-strictest"):
        todo = ~(yes | no)
        all_small = np.ones(int(todo.sum()), dtype=bool)
        any_not_small = np.zeros(int(todo.sum()), dtype=bool)
        for floor in MEDIUM_FLOOR.values():
            small_here, not_small_here = _small_under(floor, emp[todo], rev[todo])
            all_small &= small_here
            any_not_small |= not_small_here
        yes[todo], no[todo] = all_small, any_not_small
        basis[todo] = "strictest"
    indiv = size == fold("个体工商户")   # 个体工商户 are small/micro whatever the numbers
    yes[indiv], no[indiv] = True, False
    basis[indiv] = "declared"
    small = pd.arrays.BooleanArray(yes, ~(yes | no))
    return pd.DataFrame({"small": small, "basis": pd.Series(basis, index=idx, dtype=object)}, index=idx)


def _numbers(firms: pd.DataFrame, key: str) -> np.ndarray:
    """A column as floats, NaN where missing or not a number (all NaN when the column is absent)."""
    if key not in firms:
        return np.full(len(firms), np.nan)
    return pd.to_numeric(firms[key], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _folded(firms: pd.DataFrame, key: str) -> pd.Series:
    """The folded text of a column (None for non-text and when the column is absent)."""
    if key not in firms:
        return pd.Series(None, index=firms.index, dtype=object)
    return fold_text(firms[key])
