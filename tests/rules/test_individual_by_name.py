"""A firm whose name says it is an individual business (寿阳县铜湖小吃店（个体）, 张记面馆个体工商户) counts as
small/micro, as one whose 企业规模 says 个体工商户 does: a stranger's 附件3 has no 企业规模 column, and such firms
were "无法判定" in every small/micro share warning (probe /tmp/lead/s13/p3: 22 of 34 undecided)."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, strategies as st

from xlbase.rules.sizing import classify

SHOPS = ["小吃店", "面馆", "理发店", "便利店", "修理部", "农家乐", "服装店"]
MARKS = ["（个体）", "(个体)", "个体工商户", "（个体工商户）", "个体户"]


@given(st.sampled_from(SHOPS), st.sampled_from(MARKS), st.integers(0, 5000), st.floats(0, 50000, allow_nan=False))
def test_a_name_saying_individual_business_is_small_whatever_its_numbers(shop, mark, staff, revenue):
    firms = pd.DataFrame({"firm_name": [f"寿阳县张记{shop}{mark}"], "employees": [staff], "revenue": [revenue]})
    got = classify(firms)
    assert bool(got["small"].iloc[0]) is True and got["basis"].iloc[0] == "declared"


@given(st.sampled_from(["个体经济研究有限公司", "个体化医疗科技有限公司", "寿阳县金河机械加工厂"]))
def test_a_name_merely_holding_the_word_is_judged_by_its_numbers(name):
    # 600 万元 revenue, 30 staff: small in most industries, medium in agriculture — undecided without an industry
    # (names read as no industry here: 医疗/机械加工厂 would narrow it, tests/rules/test_industry_by_name.py)
    firms = pd.DataFrame({"firm_name": [name], "employees": [30], "revenue": [600]})
    got = classify(firms, by_name=())
    assert got["small"].isna().iloc[0] and got["basis"].iloc[0] == "unknown"
