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
_INDUSTRY_KEYS = {fold(k): k for k in MEDIUM_FLOOR}


def _small_under(floor: tuple[float | None, float | None], emp: pd.Series, rev: pd.Series) -> pd.Series:
    """True/False/NA: below the medium floor of one industry."""
    e_floor, r_floor = floor
    parts = []
    if e_floor is not None:
        parts.append(emp < e_floor)
        known_e = emp.notna()
    if r_floor is not None:
        parts.append(rev < r_floor)
    small = parts[0]
    for p in parts[1:]:
        small = small | p
    # medium needs every bound met: unknown only when no present bound already says small
    needed = [s for s in ((emp, e_floor), (rev, r_floor)) if s[1] is not None]
    all_known = np.logical_and.reduce([s[0].notna() for s in needed])
    out = pd.Series(pd.NA, index=emp.index, dtype="boolean")
    out[small.fillna(False).to_numpy()] = True
    out[(~small.fillna(False)).to_numpy() & all_known] = False
    return out


def classify(firms: pd.DataFrame, unknown_industry: str = "declared-then-strictest") -> pd.DataFrame:
    """Per firm row: `small` (boolean, NA when undecidable) and `basis` (how it was decided).

    basis: "industry" (300号 by 所属行业), "declared" (企业规模 as reported),
    "strictest" (industry unknown: small under every industry), "unknown".
    """
    idx = firms.index
    emp = pd.to_numeric(firms.get("employees", pd.Series(np.nan, index=idx)), errors="coerce")
    rev = pd.to_numeric(firms.get("revenue", pd.Series(np.nan, index=idx)), errors="coerce")
    industry = firms.get("industry", pd.Series(None, index=idx, dtype=object))
    industry = industry.map(lambda v: _INDUSTRY_KEYS.get(fold(v)) if isinstance(v, str) else None)
    size = firms.get("size_class", pd.Series(None, index=idx, dtype=object))
    size = size.map(lambda v: fold(v) if isinstance(v, str) else "")

    small = pd.Series(pd.NA, index=idx, dtype="boolean")
    basis = pd.Series("unknown", index=idx, dtype=object)
    # 个体工商户 are small/micro whatever the numbers
    indiv = size == fold("个体工商户")
    for name, floor in MEDIUM_FLOOR.items():
        mask = (industry == name).to_numpy()
        if mask.any():
            small[mask] = _small_under(floor, emp[mask], rev[mask])
            basis[mask] = "industry"
    declared_small = size.isin([fold(s) for s in SMALL_SIZES])
    declared_large = size.isin([fold(s) for s in LARGE_SIZES])
    todo = small.isna()
    if unknown_industry in ("declared", "declared-then-strictest"):
        use = todo & (declared_small | declared_large)
        small[use.to_numpy()] = declared_small[use].astype("boolean")
        basis[use] = "declared"
        todo = small.isna()
    if unknown_industry in ("strictest", "declared-then-strictest"):
        every = [_small_under(floor, emp[todo], rev[todo]) for floor in MEDIUM_FLOOR.values()]
        if todo.any():
            frame = pd.concat(every, axis=1)
            strict = frame.all(axis=1, skipna=False) if len(frame) else frame.iloc[:, 0]
            # any industry saying "not small" decides False; all True decides True; else NA
            any_false = (frame == False).any(axis=1)  # noqa: E712 - nullable boolean
            all_true = (frame == True).all(axis=1)  # noqa: E712
            res = pd.Series(pd.NA, index=frame.index, dtype="boolean")
            res[all_true.fillna(False).to_numpy()] = True
            res[any_false.fillna(False).to_numpy()] = False
            small[todo.to_numpy()] = res.to_numpy()
            basis[todo & small.notna()] = "strictest"
            del strict
    small[indiv.to_numpy()] = True
    basis[indiv] = "declared"
    return pd.DataFrame({"small": small, "basis": basis}, index=idx)
