"""A firm without 所属行业 is read under the industries the words of its name allow (…物流 -> 交通运输业/仓储业/
邮政业, …机械加工厂 -> 工业; data/industry_words.yaml, or a pack's own `industry_words`): small under every one
of them, it counts as small/micro, and the share rule says so in an info naming the firms and how each name
was read. A name only narrows towards small: it never makes a firm "not small", so never alone an 错误.

Firms are named as a county's lists name them (tests/fixtures/stranger_firms.py: words of their owners, many
no list of ours holds) and judged against the industry each really is in, under the standard's floors as
written in that fixture, not read from our YAML."""

from __future__ import annotations

import datetime as dt
import json
import re
import random
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

import stranger_a3
import stranger_firms
from retyped import code
from xlbase.forms import industry_words
from xlbase.rules import PackError, load_pack
from xlbase.rules.pack import packs_dir
from xlbase.rules.sizing import classify, industries, industries_by_name, names_of

REPO = Path(__file__).resolve().parents[2]


def _frame(firms: list[stranger_firms.Firm]) -> pd.DataFrame:
    return pd.DataFrame({"firm_name": [f.name for f in firms], "employees": [f.employees for f in firms],
                         "revenue": [f.revenue for f in firms]})


def _small_under(industry: str, employees: float, revenue: float) -> bool:
    """Small under one industry by the fixture's own copy of the floors (assets unknown: never below)."""
    have = {"employees": employees, "revenue": revenue}
    return any(m in have and have[m] < floor for m, floor in stranger_firms.MEDIUM[industry].items())


def test_every_word_list_entry_names_industries_of_the_standard():
    spec = industry_words()["words"]
    assert spec
    for key, words in spec.items():
        assert names_of(key), key
        assert words and all(isinstance(w, str) and w for w in words), key


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**6))
def test_a_name_only_turns_undecided_firms_small_and_only_where_every_industry_it_allows_agrees(seed):
    firms = stranger_firms.firms(random.Random(seed), 40)
    frame = _frame(firms)
    plain, named = classify(frame, by_name=()), classify(frame)
    for f, (_, p), (_, n) in zip(firms, plain.iterrows(), named.iterrows()):
        if not pd.isna(p["small"]):                      # decided without the name: the same verdict
            assert n["small"] == p["small"] and n["basis"] == p["basis"], f
            continue
        if n["basis"] != "name":
            assert pd.isna(n["small"]), f                # a name never decides "not small"
            continue
        assert n["small"] is True or bool(n["small"]), f
        words, allowed = industries_by_name(f.name)
        assert words and allowed
        said = n["by_name"]
        for w in words:
            assert w in said
        for i in allowed:                                 # small under each industry the name allows
            assert industries()[i] in said
            assert _small_under(industries()[i], f.employees, f.revenue), (f, industries()[i])


@given(st.sampled_from(["寿阳县顺达物流有限公司", "晋中宏远货运有限公司", "介休市老王刀削面馆", "平遥县德胜机械加工厂",
                        "山西云帆软件有限公司"]),
       st.integers(300, 5000), st.floats(3000, 90000, allow_nan=False))
def test_a_firm_medium_under_its_names_industries_stays_undecided(name, staff, revenue):
    # medium under 交通运输业 (300 / 3000), 餐饮业, 工业, 软件…: the name cannot prove it is no small firm
    got = classify(pd.DataFrame({"firm_name": [name], "employees": [staff], "revenue": [revenue]}))
    assert pd.isna(got["small"].iloc[0]) and got["basis"].iloc[0] == "unknown"
    assert "→" in got["by_name"].iloc[0]      # how it was read: the share's warning says so beside its cell


def test_a_stated_industry_wins_over_the_name():
    frame = pd.DataFrame({"firm_name": ["寿阳县顺达物流有限公司"] * 2, "employees": [350, 150],
                          "revenue": [2500.0, 900.0], "industry": ["制造业", None]})
    got = classify(frame)
    assert got["small"].iloc[0] is False or not bool(got["small"].iloc[0])   # 工业: 350 staff and 2 500 万元
    assert got["basis"].iloc[0] == "industry"
    assert bool(got["small"].iloc[1]) and got["basis"].iloc[1] == "name"


@pytest.mark.parametrize("name, industry_words_said", [
    ("太原市晋阳电子商务有限公司", {"批发业", "零售业"}),          # 电子商务 is trade, its 电子 no plant
    ("晋中市鑫源厂房租赁有限公司", {"租赁和商务服务业"}),          # 厂房 is renting, its 厂 no factory
    ("山西恒通机械设备销售有限公司", {"工业", "批发业", "零售业"}),  # every word counts
])
def test_the_longest_word_is_read_first_and_every_word_counts(name, industry_words_said):
    _, allowed = industries_by_name(name)
    assert {industries()[i] for i in allowed} == industry_words_said


def test_a_pack_deciding_by_declared_size_only_reads_no_name():
    frame = pd.DataFrame({"firm_name": ["寿阳县顺达物流有限公司"], "employees": [150], "revenue": [900.0]})
    assert classify(frame)["basis"].iloc[0] == "name"
    assert pd.isna(classify(frame, "declared")["small"].iloc[0])


# ---- end to end: a stranger's list, the CLI, the default pack and edited copies ----------------------------

READ_BY_NAME = ["寿阳县顺达货运有限公司", "晋中宏远物流有限公司", "介休市老王刀削面馆", "平遥县德胜机械加工厂"]


def _list(path: Path) -> Path:
    """A stranger's 附件3: six firms the standard finds small in every industry, four (150 staff, 900 万元)
    small only under the industries their names say — 60 % decided without names, 100 % with them."""
    rng = random.Random(7)
    rows = []
    names = [f"寿阳县{w}科技有限公司" for w in ("鑫瑞", "宏远", "恒泰", "锦程", "博远", "永盛")] + READ_BY_NAME
    for i, name in enumerate(names):
        big = name in READ_BY_NAME
        rows.append({"firm_name": name, "credit_code": code(81000 + i), "entered_on": dt.date(2021, 5, 6),
                     "area": 120.0, "employees": 150 if big else 5, "revenue": 900.0 if big else 50.0,
                     "profit": 3.0, "taxes": 1.0})
    cells, merges, _, _ = stranger_a3.a3_sheet(rng, rows, "寿阳县陌生双创基地",
                                               leave_out=("所属行业",))   # no industry column: what most lists send
    return stranger_a3.save(path, {"入驻企业": (cells, merges)})


def _share(path: Path, tmp: Path, pack: Path | None = None) -> list[dict]:
    out = tmp / f"report-{pack.stem if pack else 'default'}.json"
    cmd = [sys.executable, "-m", "xlbase", "validate", str(path), "--json", str(out)]
    if pack:
        cmd += ["--rules", str(pack)]
    subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", cwd=REPO, timeout=600, check=False)
    return [p for p in json.loads(out.read_text(encoding="utf-8"))["problems"] if p["rule"] == "small-micro-share"]


def _pack(tmp: Path, words: str) -> Path:
    text = packs_dir().joinpath("shanxi-2024-base.yaml").read_text(encoding="utf-8")
    anchor = "    params:\n      # 只能在较严口径下才低于门槛时"
    assert anchor in text
    copy = tmp / "我的规则.yaml"
    copy.write_text(text.replace(anchor, f"    params:\n      industry_words: {words}\n      # 只能在较严口径下才低于门槛时"),
                    encoding="utf-8")
    return copy


def test_a_list_reaching_the_share_by_names_gets_an_info_at_those_firms_and_no_warning(tmp_path):
    path = _list(tmp_path / "入驻企业名单.xlsx")
    (p,) = _share(path, tmp_path)
    assert p["severity"] == "info"
    ws = openpyxl.load_workbook(path)["入驻企业"]
    assert sorted(ws[c].value.strip() for c in p["cell"].split(",")) == sorted(READ_BY_NAME)
    assert "货运→交通运输业" in p["message"] and "机械、加工、工厂→工业" in p["message"]
    assert "所属行业" in p["message"]

    # an officer turning the reading off gets the warning asking for the four firms' 所属行业
    (w,) = _share(path, tmp_path, _pack(tmp_path, "{}"))
    assert w["severity"] == "warning"
    assert sorted(ws[c].value.strip() for c in w["cell"].split(",")) == sorted(READ_BY_NAME)


def test_an_officers_own_words_are_read_instead_of_ours(tmp_path):
    path = _list(tmp_path / "入驻企业名单.xlsx")
    (w,) = _share(path, tmp_path, _pack(tmp_path, "{交通运输业: [货运, 物流], 工业: [加工厂]}"))
    # 货运/物流 and 加工厂 read; 刀削面馆 is no word of this list: it alone stays undecided (9/10 = 90 %)
    assert w["severity"] == "info" and "刀削面馆" not in w["message"] and "加工厂→工业" in w["message"]


@pytest.mark.parametrize("words, needle", [
    ("{不存在的行业: [机械]}", "不是300号标准的行业"),
    ("{工业: 12}", "用字应为文字列表"),
    ("[机械, 物流]", "键值表"),
])
def test_a_mistyped_word_list_is_refused_at_its_line(tmp_path, words, needle):
    with pytest.raises(PackError, match=needle) as err:
        load_pack(str(_pack(tmp_path, words)))
    assert re.search(r"第 \d+ 行", str(err.value)), str(err.value)


_WORDS = st.text(st.sampled_from("机械加工厂房租赁物流电子商务饭店软件信息技术"), min_size=1, max_size=5)


@settings(max_examples=200, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=12, unique=True), st.lists(_WORDS | st.sampled_from(["有限公司", "县"]),
                                                                        max_size=6))
def test_every_word_of_one_industry_standing_in_the_name_is_read(words, pieces):
    # words allowing the same industry never hide each other: each found counts (shown once: 工厂, not also its
    # 厂), in the order they stand
    name = "".join(pieces)
    found, allowed = industries_by_name(name, (("工业", tuple(words)),))
    standing = {w for w in words if w in name}
    assert set(found) == {w for w in standing if not any(w != o and w in o for o in standing)}   # 厂 in 工厂: one
    assert allowed == (names_of("工业") if found else frozenset())
    assert list(found) == sorted(found, key=name.find)


@settings(max_examples=200, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=8, unique=True), st.lists(_WORDS, min_size=1, max_size=8, unique=True),
       st.lists(_WORDS | st.sampled_from(["有限公司", "县"]), max_size=6))
def test_a_word_is_read_unless_it_stands_only_inside_a_longer_word_of_another_industry(made, sold, pieces):
    # 电子 (made) inside 电子商务 (sold) is not read; beside it, or with no longer word found holding it, it is
    name = "".join(pieces)
    made = [w for w in made if w not in sold]
    found, _ = industries_by_name(name, (("工业", tuple(made)), ("批发和零售业", tuple(sold))))
    for w in made:
        held = any(w in s and s in name for s in sold if s != w) or any(w in m and m in name for m in made if m != w)
        if w in name and not held:
            assert w in found, (w, name)
        if w in name and name.replace(w, "") == "" and held:     # nothing but w: never inside a longer one
            assert w in found, (w, name)
