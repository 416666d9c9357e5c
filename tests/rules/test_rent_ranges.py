"""附件4 quotes typed as strangers type them: a range of rents ("1.2-1.5元/㎡/天", "20至30户"), an estimate with a unit
of parts ("约1.3元/㎡/天"), a distance as an estimate ("约2公里"). Each was "无法识别为数字" (an untrue 错误 per cell)
and the quote was not counted, so comparables-min said "有效询价场地 1 家，至少应有 3 家" — an untrue 错误 too. A
range is read as a range (read.estimates between-words, data/estimates.yaml), a site priced by one is priced, and
a distance whose whole range is within the limit is within."""

from __future__ import annotations

import dataclasses

from hypothesis import given, strategies as st

from retyped import save
from xlbase.forms import estimate_words, get_form
from xlbase.read.normalise import estimate_of, parse_number
from xlbase.read.workbook import read_workbook
from xlbase.rules import load_pack, validate

SHANXI = load_pack("shanxi-2024-base")
RENT = next(f for f in get_form("附件4").fields if f.key == "base_rent")
ONLY = dataclasses.replace(SHANXI, rules=[r for r in SHANXI.rules if r.id == "comparables-min"])


@given(st.integers(1, 400), st.integers(0, 400), st.sampled_from(["-", "~", "～", "至", "到", "—"]),
       st.sampled_from(["元/㎡/天", "元/平米/天", "元/平方米/月", "元/㎡/年", ""]))
def test_a_range_of_rents_is_read_as_that_range(low, width, join, unit):
    a, b = low / 100, (low + width) / 100
    per_year = {"元/㎡/天": 365, "元/平米/天": 365, "元/平方米/月": 12, "元/㎡/年": 1, "": 1}[unit]
    e = estimate_of(f"{a:g}{join}{b:g}{unit}", RENT)
    assert e is not None and abs(e.lowest - a * per_year) < 1e-6 and abs(e.highest - b * per_year) < 1e-6


@given(st.integers(2, 400), st.integers(1, 400), st.sampled_from(["-", "至"]))
def test_a_range_whose_low_end_is_above_its_high_end_is_no_range(high, more, join):
    assert estimate_of(f"{high + more}{join}{high}", RENT) is None
    assert parse_number(f"{high + more}{join}{high}", RENT).value is None


def _a4(tmp_path, rents: list[str], distances: list[str]):
    rows = [["周边租金询价表"], ["基地名称", "晋中市榆次区智创谷双创基地"], ["地址", "榆次区迎宾街1号"], ["租金", "0.8元/㎡/天"], [],
            ["周边场地", "距离", "租金", "联系人", "电话"]]
    rows += [[f"场地{i}", d, r, "李经理", f"1383580{1000 + i}"] for i, (r, d) in enumerate(zip(rents, distances))]
    a2 = [["山西省小微企业创业创新基地认定申请表"], ["基地名称", "晋中市榆次区智创谷双创基地", "所在市县", "晋中市榆次区"],
          ["主导产业", "电子商务", "管理部门", "榆次区工信局"], ["基地类型", "楼宇型"],
          ["运营主体名称", "晋中智创谷运营管理有限公司", "注册时间", "2018-03-12"],
          ["小微企业双创基地地址", "榆次区迎宾街1号", "已入驻企业数", 46]]
    return read_workbook(str(save(tmp_path / "榆次区" / "a.xlsx", {"申请表": a2, "租金询价": rows})))


def test_sites_priced_by_a_range_count(tmp_path):
    read = _a4(tmp_path, ["1.4-1.6元/㎡/天", "约1.3元/㎡/天", "1.2元/平米·天"], ["1.2公里", "约2公里", "2.8km"])
    assert not [p for p in read.problems if p.severity == "error" and p.form == "附件4"], [p.message for p in read.problems]
    assert not validate(read.tables, ONLY)


def test_a_site_whose_distance_may_be_beyond_the_limit_is_asked_about_not_counted(tmp_path):
    # 约2.5公里 may be 3.75 km (the estimate's margin): 2 sites surely within, the third undecided -> a warning
    read = _a4(tmp_path, ["1.4-1.6元/㎡/天", "1.3元/㎡/天", "1.2元/平米·天"], ["1.2公里", "约2.5公里", "2.8km"])
    said = validate(read.tables, ONLY)
    assert [p.severity for p in said] == ["warning"], [p.message for p in said]


def test_too_few_sites_stays_an_error(tmp_path):
    read = _a4(tmp_path, ["1.4-1.6元/㎡/天", "1.3元/㎡/天"], ["1.2公里", "2公里"])
    assert [p.severity for p in validate(read.tables, ONLY)] == ["error"]


ONLY_DISCOUNT = dataclasses.replace(SHANXI, rules=[r for r in SHANXI.rules if r.id == "rent-discount"])


@given(st.integers(100, 400), st.integers(0, 100), st.integers(300, 600), st.integers(0, 200))
def test_a_rent_range_is_asked_about_unless_every_value_of_it_keeps_the_discount(low, width, quote, spread):
    """The base's rent typed "a-b" against quotes "c-d": nothing when even b is within 80 % of the lowest mean; a
    warning (the rule's severity) saying the figures are ranges otherwise — never silence where a plain rent
    inside the range would be reported. Decided here as the rule decides, over the same numbers."""
    import tempfile
    from pathlib import Path
    a, b, c, d = low, low + width, quote, quote + spread
    with tempfile.TemporaryDirectory() as tmp:
        rows = [["周边租金询价表"], ["基地名称", "晋中市榆次区智创谷双创基地"], ["地址", "榆次区迎宾街1号"], ["租金", f"{a}-{b}"], [],
                ["周边场地", "距离", "租金", "联系人", "电话"]]
        rows += [[f"场地{i}", "1公里", f"{c}-{d}", "李经理", f"1383580{1000 + i}"] for i in range(3)]
        read = read_workbook(str(save(Path(tmp) / "a.xlsx", {"租金询价": rows})))
    said = [p for p in validate(read.tables, ONLY_DISCOUNT) if p.rule == "rent-discount"]
    if b <= 0.8 * c:
        assert said == []
    else:
        assert [p.severity for p in said] == ["warning"] and "范围或估计值" in said[0].message


AT_MOST_WORDS = [w for k in ("at_most", "less_than") for w in estimate_words()["before"][k] if not w.startswith("<")]
AT_LEAST_WORDS = [w for k in ("at_least", "more_than") for w in estimate_words()["before"][k]
                  if not w.startswith(">") and w != "上"]


@given(st.sampled_from(AT_MOST_WORDS + AT_LEAST_WORDS), st.integers(100, 600), st.sampled_from(AT_MOST_WORDS),
       st.integers(200, 600))
def test_a_range_open_at_one_end_stops_at_the_fields_own_bounds_in_the_message(quote_word, quote, rent_word, rent):
    """Quotes or the base's rent typed as a bound ("不多于 300", "不少于 300") left an end unbounded, and rent-discount's
    warning said the mean was "-inf～inf". An open low end now stops at the field's minimum (a rent is never below 0,
    the form model's min) and an open high end is said as "≥"; no message shows inf."""
    import tempfile
    from pathlib import Path
    with tempfile.TemporaryDirectory() as tmp:
        rows = [["周边租金询价表"], ["基地名称", "晋中市榆次区智创谷双创基地"], ["地址", "榆次区迎宾街1号"], ["租金", f"{rent_word}{rent}"],
                [], ["周边场地", "距离", "租金", "联系人", "电话"]]
        rows += [[f"场地{i}", "1公里", f"{quote_word}{quote}", "李经理", f"1383580{1000 + i}"] for i in range(3)]
        read = read_workbook(str(save(Path(tmp) / "a.xlsx", {"租金询价": rows})))
    said = [p for p in validate(read.tables, ONLY_DISCOUNT) if p.rule == "rent-discount"]
    if quote_word in AT_LEAST_WORDS and rent <= 0.8 * quote:      # every value of both keeps the discount
        assert said == [], [p.message for p in said]
        return
    assert [p.severity for p in said] == ["warning"], [p.message for p in said]   # no end decides it
    assert "inf" not in said[0].message and "nan" not in said[0].message, said[0].message
    mean = said[0].message.split("周边均价 ")[1].split(" 元")[0]
    assert not mean.startswith("-") and ("～" in mean or mean.startswith("≥")), mean


def test_the_fields_bounds_are_the_form_models():
    e = estimate_of("不多于300", RENT)
    assert e is not None and e.low is None and e.least == RENT.min == 0 and e.most == 300
    assert e.describe(RENT.unit) == "不多于 300 元/年/平方米"       # how it was read is said as typed
