"""Kinds on 附件4 周边租金询价表: comparables (enough priced sites near enough), rent-discount (the
base's rent a share of the sites' mean)."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from ...forms.roles import OWN_RENT, SITE_DISTANCE, SITE_NAME, SITE_RENT
from ...problems import WARNING, Problem
from ..columns import blank, num
from ..context import Context, thresholds
from ..emit import emit, unknown_type
from ..ranges import estimates_of
from ..rule import Rule, lookup_per_type
from .base import Kind, Outcomes, PerType, param, register
from .params import number, per_type

#: comparables-min when only sites without a readable distance would make up the number
COMPARABLES_UNSURE = ("{{ base_type or '本' }}基地确认在 {{ max_km }} 千米以内的询价场地 {{ value }} 家，少于 {{ threshold }} 家；"
                      "另有 {{ unread }} 家未填写或无法识别距离，无法判定是否在范围内：请补填这些场地与基地的距离")


#: rent-discount when the base's rent or a quote is typed as a range or an estimate and not every value of them
#: keeps the rent within the limit
RENT_RANGE = ("基地租金（{{ value }}）或周边询价填的是范围或估计值：基地租金为周边均价 {{ mean }} 元/年/平方米的 {{ share }}%，"
              "上限 {{ percent }}%（{{ threshold }} 元/年/平方米）：请填写确切的租金价格，核对是否比当地市场询价优惠 20% 以上；"
              "优惠也可以是一定期限内、部分人群或工位企业的减免，请同时核对基地以正式文件发布的入驻企业优惠政策")


@dataclass(frozen=True)
class Sites:
    threshold: Any = param(per_type(number(what="门槛")), "至少应有的询价场地数", top=True, required=True)
    max_km: Any = param(per_type(number(what="距离上限")), "询价场地与基地的距离上限（千米；不写则不限）")


@register
class Comparables(PerType):
    """Enough comparable sites per base, within the type's distance (楼宇型 ≥3 within 3 km).

    error: too few priced sites even counting those whose distance is not stated or not readable;
    warning: enough only if those are within the distance (the message asks for their distance);
    info: 基地类型 unknown, the per-type threshold could not be chosen."""

    name = "comparables"
    title = "询价场地不足"
    Params = Sites
    per_submission = True
    variables = frozenset({"max_km", "unread"})
    outcomes = Outcomes(error="有效询价场地少于门槛（把未填距离的也算上仍不足）",
                        warning="只有把未填或无法识别距离的场地算在范围内才够（请补填距离）", info="基地类型未知")

    def check(self, ctx: Context, rule: Rule) -> list[Problem]:
        head = ctx.frame(rule.form, OWN_RENT)
        rows = ctx.frame(rule.form, SITE_NAME)
        if not len(head):
            return []
        max_km = rule.args.max_km or {}
        dist = num(rows[SITE_DISTANCE]) if len(rows) else pd.Series(dtype=float)
        limit = rows["_btype"].map(lambda bt: lookup_per_type(max_km, bt)) if len(rows) else pd.Series(dtype=float)
        named = ~blank(rows[SITE_NAME]) if len(rows) else pd.Series(dtype=bool)
        # a distance typed as a bound or an estimate ("约2公里", "3公里以内") is within when its whole range is
        far = _estimated(ctx, rows, rule.form, SITE_DISTANCE)
        near = pd.Series({i: e.most for i, (_, e) in far.items()}, dtype=float).reindex(rows.index)
        dist = dist.fillna(near) if len(rows) else dist
        within = named & (num(limit).isna() | (dist <= num(limit)))
        unsure = named & num(limit).notna() & dist.isna()     # a distance not stated: maybe within, maybe not
        if far:
            unsure |= named & num(limit).notna() & dist.gt(num(limit)) & rows.index.isin(list(far)) & pd.Series(
                {i: e.least for i, (_, e) in far.items()}, dtype=float).reindex(rows.index).le(num(limit))
        # a quote without a rent is none; a rent typed as a range ("1.2-1.5元/㎡/天", "约1.3元") is a rent
        priced = (num(rows[SITE_RENT]).notna() | rows.index.isin(list(_estimated(ctx, rows, rule.form, SITE_RENT)))
                  if len(rows) else pd.Series(dtype=bool))
        counts = (within & priced).groupby(rows["_sub"]).sum() if len(rows) else pd.Series(dtype=float)
        maybe = (unsure & priced).groupby(rows["_sub"]).sum() if len(rows) else pd.Series(dtype=float)
        unread = (within & ~priced).groupby(rows["_sub"]).sum() if len(rows) else pd.Series(dtype=float)
        th = thresholds(rule, head)
        out = []
        untyped = head["_btype"].isna() & th.isna()
        if rule.per_type and untyped.any():
            out += unknown_type(ctx, rule, head[untyped], rule.form, OWN_RENT)
        have = head["_sub"].map(counts).fillna(0)
        could = have + head["_sub"].map(maybe).fillna(0)
        fails = (could < num(th)).fillna(False)
        doubt = ((have < num(th)) & ~fails).fillna(False)
        km = head["_btype"].map(lambda bt: lookup_per_type(max_km, bt))
        shown_km = km.map(lambda k: "" if k is None or k != k else k)
        # point at the first comparable row of the base's table, else at the base's rent cell
        if fails.any():
            out += emit(ctx, rule, head[fails], rule.form, OWN_RENT, value=have, threshold=num(th), max_km=shown_km,
                        unread=head["_sub"].map(unread).fillna(0).map(lambda n: str(int(n)) if n else ""))
        if doubt.any():
            said = replace(rule, message=COMPARABLES_UNSURE)
            out += emit(ctx, said, head[doubt], rule.form, OWN_RENT, value=have, threshold=num(th),
                        max_km=shown_km, severity=WARNING,
                        unread=head["_sub"].map(maybe).fillna(0).map(lambda n: str(int(n)) if n else ""))
        return out


def _estimated(ctx: Context, rows: pd.DataFrame, form_id: str, key: str) -> dict[Any, tuple[str, Any]]:
    """Row index -> (text, range) of the rows whose `key` holds a figure typed as a bound or an estimate."""
    return estimates_of(ctx, rows, form_id, key) if len(rows) and key in rows else {}


@dataclass(frozen=True)
class RentShare:
    threshold: Any = param(per_type(number(share=True)), "基地租金占周边均价的上限（比例）", top=True, required=True)


@register
class RentDiscount(Kind):
    """The base's rent is at most `threshold` × the comparables' mean rent."""

    name = "rent-discount"
    title = "租金优惠不足"
    Params = RentShare
    per_submission = True
    variables = frozenset({"mean", "percent", "share"})
    outcomes = Outcomes(error="租金高于周边均价的上限（询价是否可比无法从文件证明，规则包可设为 warning）")

    def check(self, ctx: Context, rule: Rule) -> list[Problem]:
        head = ctx.frame(rule.form, OWN_RENT)
        rows = ctx.frame(rule.form, SITE_NAME)
        if not len(head) or not len(rows):
            return []
        quoted = _estimated(ctx, rows, rule.form, SITE_RENT)
        own = _estimated(ctx, head, rule.form, OWN_RENT)
        site = num(rows[SITE_RENT])
        mean = site.groupby(rows["_sub"]).mean()
        m = head["_sub"].map(mean)
        ratio = num(thresholds(rule, head))
        limit = m * ratio
        rent = num(head[OWN_RENT])
        ranged = head["_sub"].isin(rows.loc[list(quoted), "_sub"]) | head.index.isin(list(own))
        fails = ((rent > limit + 1e-9) & ~ranged).fillna(False)
        out = emit(ctx, rule, head[fails], rule.form, OWN_RENT, threshold=limit.round(2),
                   mean=m.round(2), percent=(ratio * 100).round(0), share=(rent / m * 100).round(1)) \
            if fails.any() else []
        if ranged.any():    # a rent or a quote typed as a range: said unless every value of the ranges meets the limit
            low = site.fillna(pd.Series({i: e.least for i, (_, e) in quoted.items()}, dtype=float))
            high = site.fillna(pd.Series({i: e.most for i, (_, e) in quoted.items()}, dtype=float))
            m_low = head["_sub"].map(low.groupby(rows["_sub"]).mean())
            m_high = head["_sub"].map(high.groupby(rows["_sub"]).mean())
            r_low = rent.fillna(pd.Series({i: e.least for i, (_, e) in own.items()}, dtype=float))
            r_high = rent.fillna(pd.Series({i: e.most for i, (_, e) in own.items()}, dtype=float))
            said = ranged & (r_high > m_low * ratio + 1e-9).fillna(False) & m_high.gt(0).fillna(False)
            if said.any():
                out += emit(ctx, replace(rule, message=RENT_RANGE), head[said], rule.form, OWN_RENT, value=head[OWN_RENT].where(
                    rent.notna(), pd.Series({i: t for i, (t, _) in own.items()}, dtype=object)),
                    threshold=_span(m_low * ratio, m_high * ratio), mean=_span(m_low, m_high),
                    percent=(ratio * 100).round(0), share=_span(r_low / m_high * 100, r_high / m_low * 100, 1),
                    severity=WARNING)
        return out


def _span(low: pd.Series, high: pd.Series, digits: int = 2) -> pd.Series:
    """"a～b" per row (one figure when both ends are one; "≥a" when the high end is unbounded — a quote typed
    "不少于 N" — and "≤b" for an unbounded low end): a figure a range of rents or quotes makes. The ends are the
    field's own bounds where the range leaves them open (Estimate.least / most: a rent is never below 0)."""
    def one(a: float, b: float) -> str:
        x, y = round(float(a), digits), round(float(b), digits)
        if math.isinf(y) or y != y:
            return f"≥{x:g}"
        if math.isinf(x) or x != x:
            return f"≤{y:g}"
        return f"{x:g}" if x == y else f"{x:g}～{y:g}"
    return pd.Series([one(a, b) for a, b in zip(low, high)], index=low.index, dtype=object)
