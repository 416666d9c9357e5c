"""A rent quoted by the month or the day, said in the label's words rather than in its unit: 月租金（元/平方米）,
日租金（元/㎡）, 每月租金（元/m²）. A unit per area alone reads a year's rent (元/平方米 = 元/年/平方米), so a market's
monthly quote of 20 元 was read as 20 元 a year and the base's rent compared with it was a twelfth of what the
clerk meant. The label's time word (units.yaml `per_area_and`: 年 月 天 日) now gives the unit its time, for a
附件4 column and for the head's own rent alike; in a probe (q8) "日租金（元/㎡）" had been read unconverted. The
base's own rent typed "基地租金" (the natural wording) was no line of the form's either."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

import retyped
from xlbase.forms import unit_families
from xlbase.read import read_workbook
from xlbase.read.units import factor_for, header_unit
from xlbase.forms import get_form

TIMES = unit_families()["rent"]["times"]
PER = {t: unit_families()["rent"]["units"][f"元/平方米/{t}"] for t in TIMES}
AREAS = ["平方米", "㎡", "平米", "m2"]
RENT = get_form("附件4").field("rent")


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(TIMES), st.sampled_from(["{t}租金", "每{t}租金", "{t}均租金", "租金（每{t}）"]),
       st.sampled_from(AREAS), st.sampled_from(["（元/{a}）", "(元/{a})", "\n元/{a}"]))
def test_a_time_word_in_a_rent_label_gives_its_unit_the_time(t, word, area, unit):
    label = word.format(t=t) + unit.format(a=area)
    assert factor_for(header_unit(label), RENT) == PER[t], label


@pytest.mark.parametrize("label", ["租金（元/平方米）", "租金价格（元/每年每平方米）", "每月收入（万元）", "月度服务次数"])
def test_no_time_word_no_time(label):
    unit = header_unit(label)
    assert unit is None or factor_for(unit, RENT) in (None, Fraction(1)), (label, unit)


@pytest.mark.parametrize("t", TIMES)
@pytest.mark.parametrize("own_label", ["基地租金（元/平方米/{t}）", "本基地租金（元/㎡·{t}）", "本基地{t}租金（元/平方米）"])
def test_a_retyped_rent_inquiry_reads_every_rent_by_its_time(tmp_path, t, own_label):
    rows = [["周边租金询价表"], ["基地名称", "祁县昭馀创客空间"], ["基地地址", "祁县昭馀镇东大街18号"],
            [own_label.format(t=t), 2], ["序号", "周边场地名称", "距离（千米）", f"{t}租金（元/平方米）", "联系人", "联系电话"],
            [1, "昭馀商务大厦", 0.8, 3, "王经理", "0354-5221234"], [2, "祁县金融中心", 1.5, 4, "李女士", "13935412345"]]
    wr = read_workbook(str(retyped.save(tmp_path / "a4.xlsx", {"附件4": rows})))
    (a4,) = [x for x in wr.tables if x.form_id == "附件4"]
    assert a4.record["base_rent"] == pytest.approx(2 * PER[t])
    assert list(a4.data["rent"]) == pytest.approx([3 * PER[t], 4 * PER[t]])
