"""small-micro-share: an error only when 300号 proves the share too low; a warning naming the firms it cannot decide."""

from __future__ import annotations

from rules_kit import a3_rows, col, table
from test_rules_engine import PACK, only
from xlbase.rules import validate

NAME = col("附件3", "firm_name")


def firms(n: int, **values) -> list[dict]:
    return a3_rows(n, **values) if values else a3_rows(n)


def share_problems(rows):
    return only(validate([table("附件3", rows)], PACK), "small-micro-share")


def test_no_industry_and_firms_small_only_in_some_industries_is_a_warning_naming_them():
    # 50 staff and 3000 万元: small as 工业 (<300 staff), medium as 零售业 (≥50 staff and ≥500 万元)
    rows = firms(5)
    for r in rows[:2]:
        r.update(employees=50, revenue=3000.0)
    (p,) = share_problems(rows)
    assert p.severity == "warning"
    assert p.cell == f"{NAME}5,{NAME}6"
    assert "测试企业1有限公司（A5）" in p.message and "测试企业2有限公司（A6）" in p.message
    assert "所属行业" in p.message and "3/5" in p.message and "100" in p.message   # all counted small: 100%


def test_a_stated_industry_decides_the_same_firms():
    rows = firms(5)
    for r in rows[:2]:
        r.update(employees=50, revenue=3000.0, industry="制造业")      # 工业: small below 300 staff
    assert share_problems(rows) == []
    for r in rows[:2]:
        r.update(industry="零售业")                                     # 零售业: medium from 50 staff and 500 万元
    (p,) = share_problems(rows)
    assert p.severity == "error" and p.cell == f"{NAME}5,{NAME}6"
    assert "不属于小微企业的有 2 户" in p.message and "测试企业2有限公司（A6）" in p.message
    assert p.value == 0.6 and p.threshold == 0.8


def test_a_name_spanning_two_industries_decides_only_where_both_agree():
    rows = firms(5)
    for r in rows[:2]:   # 批发业 medium needs 5000 万元: small there; 零售业: medium
        r.update(employees=60, revenue=3000.0, industry="批发和零售业")
    (p,) = share_problems(rows)
    assert p.severity == "warning"
    for r in rows[:2]:   # medium under both
        r.update(revenue=6000.0)
    (p,) = share_problems(rows)
    assert p.severity == "error"


def test_declared_medium_or_large_is_proof():
    rows = firms(10)
    for r in rows[:3]:
        r.update(size_class="中型")
    (p,) = share_problems(rows)
    assert p.severity == "error" and p.cell == ",".join(f"{NAME}{r}" for r in (5, 6, 7))
    for r in rows[:2]:
        r.update(size_class="小型")
    assert share_problems(rows) == []     # 9/10


def test_assets_industries_never_prove_medium_from_revenue_alone():
    rows = firms(5)
    for r in rows[:2]:   # 建筑业 is medium only with 资产总额 ≥ 5000 万元, which 附件3 does not show
        r.update(employees=500, revenue=90000.0, industry="建筑业")
    (p,) = share_problems(rows)
    assert p.severity == "warning"


def test_proven_and_undecided_together():
    rows = firms(10)
    for r in rows[:2]:
        r.update(size_class="大型")                       # proven not small
    for r in rows[2:5]:
        r.update(employees=50, revenue=3000.0)             # undecided
    (p,) = share_problems(rows)   # at best 8/10 = 80%: not proven below; at worst 5/10: a warning
    assert p.severity == "warning" and p.cell == ",".join(f"{NAME}{r}" for r in (7, 8, 9))
    rows[2].update(size_class="中型")                      # at best 7/10
    (p,) = share_problems(rows)
    assert p.severity == "error" and p.cell == ",".join(f"{NAME}{r}" for r in (5, 6, 7))


def test_declared_sizes_as_clerks_spell_them():
    from xlbase.rules.sizing import declared_size
    from xlbase.text import fold
    for text, want in {"小型": "small", "小微": "small", "微型企业": "small", "个体工商户": "small", "个体户": "small",
                       "中型": "large", "中型企业": "large", "大型": "large", "中小型": None, "不详": None, "": None}.items():
        assert declared_size(fold(text)) == want, text
    rows = firms(10)
    for r in rows[:3]:
        r.update(size_class="中型企业")
    (p,) = share_problems(rows)
    assert p.severity == "error"
    assert only(validate([table("附件3", rows)], PACK), "choice") == []     # 中型企业 is a size, not a stray value
