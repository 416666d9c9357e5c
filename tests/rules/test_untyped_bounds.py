"""A per-type bound on a base whose 基地类型 is unknown (a hand-made 汇总表 often has no such column).

Below the loosest type's threshold the base fails whatever its type: proven, so the rule's severity, saying
so. Between the loosest and the strictest only the type decides: the info that asks for it. Above every
type's threshold: nothing. The template's （未填） row holds the same loosest threshold (rules.live).
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings, strategies as st

from rules_kit import BASE, a10_row, col, table
from xlbase.rules import load_pack, validate
from xlbase.rules.live import untyped_threshold

PACK = load_pack("shanxi-2024-base")
RULE = next(r for r in PACK.rules if r.id == "resident-firms-min")
TYPED = [v for v in RULE.threshold.values() if isinstance(v, (int, float))]
UNTYPED = dict(BASE, base_type=None)


def found(firms, pack=PACK, rule_id="resident-firms-min"):
    rows = [a10_row(resident_firms=firms, base_type=None)]
    return [p for p in validate([table("附件10", rows, base=UNTYPED)], pack) if p.rule == rule_id]


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=2 * max(TYPED)))
def test_an_untyped_base_is_judged_as_far_as_every_type_agrees(firms):
    ps = found(firms)
    if firms < min(TYPED):          # short under every type
        (p,) = ps
        assert p.severity == RULE.severity and p.threshold == min(TYPED)
        assert p.cell == f"{col('附件10', 'resident_firms')}5"
        assert "无论哪种类型都不满足" in p.message and f"最低的门槛 {min(TYPED)}" in p.message
    elif firms < max(TYPED):        # only its type decides
        (p,) = ps
        assert p.severity == "info" and "未能按类型核对" in p.message
    else:                           # enough under every type
        assert ps == []


def test_a_pack_default_is_the_untyped_threshold_and_a_max_takes_the_highest():
    with_default = replace(RULE, threshold={**RULE.threshold, "default": 20})
    assert untyped_threshold(RULE) == min(TYPED)
    assert untyped_threshold(with_default) == 20
    at_most = replace(RULE, kind="max", threshold={"楼宇型": 100, "工业园区型": 300})
    assert untyped_threshold(at_most) == 300
    pack = replace(PACK, rules=(at_most,) if isinstance(PACK.rules, tuple) else [at_most])
    (p,) = found(301, pack)
    assert p.severity == RULE.severity and p.threshold == 300 and "最高的门槛 300" in p.message
    (p,) = found(200, pack)
    assert p.severity == "info"
    assert found(100, pack) == []
