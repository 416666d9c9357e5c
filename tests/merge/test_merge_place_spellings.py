"""One base reported with and without its place ("忻州市原平市同川…", "原平市同川…", "同川…") is one base.

A county clerk retyping 附件11 often drops the 市/县 prefix the applicant wrote; counted twice,
the city's 汇总 would double the base's firms and money.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from merge_helpers import applicant_read, base_row, firm, summary_read

from xlbase.identity import split_place
from xlbase.merge.core import merge_reads
from xlbase.text import fold

FULL = "忻州市原平市同川电商产业园双创基地"
OPERATOR = "原平市同川电商发展有限公司"


def test_a_county_row_without_its_place_is_the_applicants_base(tmp_path):
    firms = [firm(f"原平测试{i}号商贸有限公司", f"91140981MA0K5X{i:03d}X") for i in range(3)]
    app = applicant_read(tmp_path / "原平市" / "同川_申报表.xlsx", base_row(FULL, OPERATOR), firms)
    short = base_row("同川电商产业园双创基地", OPERATOR, city="忻州市", county="原平市")
    county = summary_read(tmp_path / "原平市" / "原平市附件11.xlsx", [short, base_row("忻州市原平市别的双创基地", "别的公司")])
    res = merge_reads([app, county])
    names = sorted(b.name for b in res.bases)
    assert names == sorted([FULL, "忻州市原平市别的双创基地"])
    dup = [p for p in res.problems if p.rule == "duplicate-base"]
    assert len(dup) == 1 and "同川电商产业园双创基地" in dup[0].message
    assert len(res.firms) == 3                      # the applicant's firms stay with the kept row
    res.check_accounting()


def test_the_same_short_name_in_two_counties_stays_two_bases(tmp_path):
    a = applicant_read(tmp_path / "忻府区" / "a.xlsx", base_row("忻州市忻府区云中双创基地", "云中集团"))
    b = applicant_read(tmp_path / "原平市" / "b.xlsx", base_row("忻州市原平市云中双创基地", "云中集团"))
    # a city table that only says "云中双创基地" (no place anywhere): it fits both, so it takes neither
    c = summary_read(tmp_path / "c.xlsx", [base_row("云中双创基地", "云中集团", city=None, county=None)])
    res = merge_reads([a, b, c])
    assert len(res.bases) == 3
    assert not [p for p in res.problems if p.rule == "duplicate-base"]


def test_different_operators_are_different_bases(tmp_path):
    a = applicant_read(tmp_path / "a.xlsx", base_row(FULL, OPERATOR))
    c = summary_read(tmp_path / "c.xlsx", [base_row("同川电商产业园双创基地", "另一家公司", city="忻州市", county="原平市")])
    assert len(merge_reads([a, c]).bases) == 2


@given(st.sampled_from(["", "山西省", "忻州市", "忻州", "山西省忻州市"]), st.sampled_from(["", "原平市", "忻府区", "五台县"]),
       st.text(alphabet="同川电商产业园云中双创基地科技", min_size=2, max_size=10))
def test_split_place_takes_exactly_the_place_prefix(city, county, rest):
    """The alphabet of `rest` spells no Shanxi division, so the prefix is exactly city + county."""
    assert split_place(city + county + rest) == (fold(city + county), fold(rest))
