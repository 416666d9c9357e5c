"""A county named without its 县/区/市 by who sent the file: a folder "汾西", a 填报单位 line "汾西工信局" or
"临汾汾西". Before, such a county's bases were placed nowhere ((未注明)) and 各县情况 listed the county as 未报送
although its file was in the inbox. A firm named with the stem (中阳光伏科技有限公司) is no county's office, and
a stem two counties or a city share (城区, 古县's 古) is never read."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from xlbase.forms import divisions, name_words
from xlbase.identity import _stems, locate, locate_sender
from xlbase.merge.places import DIVISIONS
from xlbase.read.base import path_location

STEMS = sorted(_stems().items())
OFFICES = ["工信局", "工业和信息化局", "经信局", "人民政府", "工科局", "中小企业发展促进局", "发展和改革委员会"]
FIRMS = ["光伏科技有限公司", "商贸有限公司", "农业专业合作社", "创客空间双创基地", "电商产业园"]


def test_every_stem_names_one_county_no_city_shares():
    cities = divisions()["cities"]
    counties = [k for ks in cities.values() for k in ks]
    for stem, (city, county) in STEMS:
        assert county == stem + county[-1] and county in cities[city]
        assert sum(1 for k in counties if k[:-1] == stem) == 1
        assert all(stem != c[:-1] for c in cities)
    assert len(STEMS) > 80


@given(st.sampled_from(STEMS), st.sampled_from(OFFICES), st.booleans(), st.sampled_from(["：", ":", "（盖章）："]))
def test_a_county_stem_in_a_folder_or_an_office_line_names_the_county(entry, office, with_city, colon):
    stem, (city, county) = entry
    before = city[:-1] if with_city else ""
    assert locate_sender(f"填报单位{colon}{before}{stem}{office}") == (city, county)
    assert path_location(f"/收件/{before}{stem}/汇总表.xlsx") == (city, county)
    assert DIVISIONS.path_place(f"/收件/{stem}/报送材料.xlsx") == (city, county)
    assert DIVISIONS.named(f"{stem}{office}") == (city, county)
    for number in ("01", "3.", "12、", "二、"):          # folders numbered in the inbox's order
        assert path_location(f"/收件/{number}{stem}/汇总表.xlsx") == (city, county)


@given(st.sampled_from(STEMS), st.sampled_from(FIRMS))
def test_a_name_that_starts_with_a_stem_names_no_county(entry, firm):
    stem, _ = entry
    assert locate_sender(f"{stem}{firm}")[1] is None
    assert locate(f"{stem}{firm}")[1] is None          # locate itself (a base's name, a typed cell) is unchanged


def test_office_endings_are_data():
    assert "局" in name_words()["office_endings"] and "公司" not in name_words()["office_endings"]


# texts made of stems, their heads and other characters: a part may start with several stems, or none
_PIECES = [s for s, _ in STEMS] + [s[:1] for s, _ in STEMS] + ["县", "区", "市", "工信局", "x", "1", "晋"]


@given(st.lists(st.sampled_from(_PIECES), min_size=0, max_size=4).map("".join))
def test_stems_a_part_starts_with_are_those_of_the_table_in_its_order(part):
    """identity._stems_starting looks a part's heads up instead of testing every stem: the same stems, in the
    same order, as testing each stem of the table."""
    from xlbase.identity import _stems_starting
    assert _stems_starting(part) == [(s, p) for s, p in _stems().items() if part.startswith(s)]
