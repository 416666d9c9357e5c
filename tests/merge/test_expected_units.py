"""Who has not reported: every expected unit of the level is in 各县情况/各市情况, the silent ones
as 未报送 (a warning each, and the summary line names them); a development zone reports under its
own name, listed or not; the officer's own list (--expect) replaces the data's."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, strategies as st

from round_inbox import COUNTIES, base, city_inbox, county_summary
from xlbase.forms import reporting_units
from xlbase.identity import locate, zone_name
from xlbase.merge.level import canonical_unit

REPO = Path(__file__).resolve().parents[2]


def merge(*args, cwd=REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xlbase", "merge", *map(str, args)], capture_output=True,
                          text=True, encoding="utf-8", cwd=cwd, timeout=600)


def units_sheet(path: Path, name: str = "各县情况") -> dict[str, list]:
    """unit -> its row (收到文件数 … 状态), from the sheet as written."""
    ws = openpyxl.load_workbook(path)[name]
    head = next(r for r in range(1, 10) if ws.cell(r, 1).value == "序号")
    return {ws.cell(r, 2).value: [ws.cell(r, c).value for c in range(3, 10)]
            for r in range(head + 1, ws.max_row + 1) if ws.cell(r, 9).value}


@pytest.fixture(scope="module")
def missing_one(tmp_path_factory):
    root = tmp_path_factory.mktemp("expected")
    inbox = city_inbox(root / "收件", skip=("岢岚县",))
    out = root / "汇总表.xlsx"
    proc = merge(inbox, "-o", out, "--json", root / "报告.json")
    return proc, out, json.loads((root / "报告.json").read_text(encoding="utf-8"))


def test_the_county_that_sent_nothing_is_listed_as_not_reported(missing_one):
    proc, out, rep = missing_one
    assert proc.returncode in (0, 1), proc.stderr
    rows = units_sheet(out)
    assert rows["岢岚县"][-1] == "未报送" and rows["岢岚县"][0] == 0
    assert [u for u, r in rows.items() if r[-1] == "未报送"] == ["岢岚县"]
    assert set(COUNTIES) <= set(rows)
    order = list(rows)
    assert order.index("河曲县") > order.index("岢岚县") > order.index("五寨县")   # the division list's order
    warned = [p for p in rep["problems"] if p["rule"] == "unit-not-reported"]
    assert [(p["severity"], p["value"]) for p in warned] == [("warning", "岢岚县")]
    assert "未报送 1 个：岢岚县" in proc.stdout and "岢岚县：—— 未报送" in proc.stdout


def test_the_zone_reports_under_its_own_name(missing_one):
    proc, out, rep = missing_one
    rows = units_sheet(out)
    assert "（未注明）" not in rows
    zone = rows["忻州经济开发区"]
    assert zone[0] == 1 and zone[1] == 1 and zone[-1] != "未报送"      # 1 file, 1 base
    a11 = openpyxl.load_workbook(out)["附件11"]
    counties = {r[1]: r for r in a11.iter_rows(min_row=5, values_only=True) if r[1]}
    assert any("云创智谷" in str(name) for name in counties)
    assert list(rows).index("忻州经济开发区") > list(rows).index("原平市")     # after the counties


def test_a_zone_not_in_the_list_is_named_from_its_office_or_file(tmp_path):
    inbox = city_inbox(tmp_path / "收件", zone_office=None, placed_names=True)
    county_summary(inbox / "其他" / "汇总.xlsx", "忻州市晋北新材料高新区管委会",
                   [base("新材双创基地", "晋北新材料运营有限公司")])
    county_summary(inbox / "其他" / "云中河开发区_附件11.xlsx", None, [base("河谷双创基地", "云中河河谷运营有限公司")])
    out = tmp_path / "汇总表.xlsx"
    proc = merge(inbox, "-o", out, "--level", "city", "--unit", "忻州市工业和信息化局")
    assert proc.returncode in (0, 1), proc.stderr
    rows = units_sheet(out)
    assert "（未注明）" not in rows, rows
    assert rows["忻州市晋北新材料高新区"][1] == 1          # from the 填报单位 line, the office words dropped
    assert rows["云中河开发区"][1] == 1                    # from the file name
    assert rows["忻州经济开发区"][-1] == "未报送"          # the listed zone did not send this time


def test_the_officers_own_list(tmp_path):
    inbox = city_inbox(tmp_path / "收件", skip=("岢岚县", "五寨县"), zone_office=None)
    lst = tmp_path / "应报单位.txt"
    lst.write_text("# 本批应报\n单位名称\n岢岚\n忻州市忻府区、定襄县\n忻州经济开发区\n", encoding="gb18030")
    out = tmp_path / "汇总表.xlsx"
    proc = merge(inbox, "-o", out, "--expect", lst)
    assert proc.returncode in (0, 1), proc.stderr
    rows = units_sheet(out)
    missing = [u for u, r in rows.items() if r[-1] == "未报送"]
    assert missing == ["岢岚县", "忻州经济开发区"]         # 五寨县 is not on this list; received units stay listed
    assert "五寨县" not in rows and rows["原平市"][-1] != "未报送"


def test_an_unusable_list_exits_2(tmp_path):
    inbox = city_inbox(tmp_path / "收件", zone_office=None)
    empty = tmp_path / "空.txt"
    empty.write_text("# 没有单位\n", encoding="utf-8")
    for lst, words in ((tmp_path / "没有.txt", "找不到应报单位名单"), (empty, "没有单位名称")):
        proc = merge(inbox, "-o", tmp_path / "x.xlsx", "--expect", lst)
        assert proc.returncode == 2 and words in proc.stderr and "Traceback" not in proc.stderr


def test_province_lists_every_city(tmp_path):
    city_inbox(tmp_path / "收件" / "忻州市", placed_names=True)
    county_summary(tmp_path / "收件" / "太原市" / "小店区.xlsx", "太原市小店区工信局",
                   [base("太原市小店区龙城双创基地", "龙城运营有限公司")])
    out = tmp_path / "省.xlsx"
    proc = merge(tmp_path / "收件", "-o", out)
    assert proc.returncode in (0, 1), proc.stderr
    rows = units_sheet(out, "各市情况")
    assert list(rows)[:2] == ["太原市", "大同市"] and len(rows) == 11
    assert {u for u, r in rows.items() if r[-1] != "未报送"} == {"太原市", "忻州市"}
    assert "忻州经济开发区" not in proc.stdout          # a city's own counties are the city's business


# --- the pieces ----------------------------------------------------------------------------------

@pytest.mark.parametrize("entry,unit", [("岢岚", "岢岚县"), ("忻州市岢岚县", "岢岚县"), ("岢岚县工信局", "岢岚县"),
                                        ("忻州开发区", "忻州经济开发区"), ("某某高新区管委会", "某某高新区"),
                                        ("原平", "原平市"), ("新单位", "新单位")])
def test_list_entries_become_unit_names(entry, unit):
    assert canonical_unit(entry, "city", "忻州市") == unit


def test_every_listed_zone_is_found_by_each_spelling():
    from xlbase.forms import divisions, zones
    for city in divisions()["cities"]:
        for z in zones(city):
            assert z["source"] and z["name"] in reporting_units(city)
            for spelling in (z["name"], *z.get("aliases", ())):
                assert locate(f"{spelling}某某双创基地") == (city, z["name"]), spelling


@given(st.text(alphabet="晋北新材料云中河谷科技", min_size=2, max_size=8),
       st.sampled_from(["经济开发区", "高新区", "经济技术开发区", "示范区"]),
       st.sampled_from(["管委会", "管理委员会经济发展部", "", "（盖章）"]))
def test_an_unlisted_zone_is_named_without_its_office(stem, word, office):
    assert zone_name(f"填报单位：{stem}{word}{office}") == f"{stem}{word}"
    assert zone_name(f"收件/{stem}{word}/汇总表") == f"{stem}{word}"
