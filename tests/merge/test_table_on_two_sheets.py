"""One 附件10/11 typed on two sheets — 基本情况 (序号, 基地名称 … 建筑面积) and 运营及服务情况 (基地名称 again, the rest) — as a
clerk who runs out of page width does (probe r4, session 15). Before: each sheet "lacked" the other's columns (错误 缺少栏目
on both), each base was two half-empty rows of the 汇总表, the 汇总 incomplete (警告). Now the two are parts of one table:
every base one row with every figure, no column missing, one info saying how it was read."""

from __future__ import annotations

import json
import random

import openpyxl
import pytest

from programme_inbox import xlbase
from xlbase.forms import get_form

A11 = get_form("附件11")
FIELDS = [f for f in A11.table_fields if f.official]
WORDS = ["广灵县", "灵丘县", "浑源县"]


def _value(f, rng: random.Random):
    if f.type == "date":
        return f"{rng.randint(2012, 2022)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
    if f.type == "yesno":
        return "是"
    if f.is_numeric:
        return rng.randint(1, 900)
    return f"{f.label}{rng.randint(10, 99)}号"


def _book(path, rng: random.Random, names: list[list[str]], sheets: tuple[str, str]) -> list[dict]:
    """The official columns cut in two at a random place after the name; the second sheet repeats the name (and perhaps
    序号), each sheet its own title and units line. `names`: each sheet's base names, in its own order."""
    # a part naming fewer than 30 % of the columns is no header the table finder takes (left: an unread-sheet warning)
    cut = rng.randint(8, len(FIELDS) - 7)
    rows = [{f.key: _value(f, rng) for f in FIELDS} for _ in names[0]]
    for row, name in zip(rows, names[0]):
        row["base_name"] = name
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for i, (sheet, cols, these) in enumerate(zip(sheets, (FIELDS[:cut], [FIELDS[0], *FIELDS[cut:]]), names)):
        ws = wb.create_sheet(sheet)
        ws.append([f"2024年省级小微企业双创基地基本情况表（{'一二'[i]}）"])
        ws.append(["单位：万元、平方米、人、户、个、场"])
        numbered = i == 0 or rng.random() < 0.5
        ws.append([*(["序号"] if numbered else []), *(f.label for f in cols)])
        by_name = {r["base_name"]: r for r in rows}
        for n, name in enumerate(these, 1):
            row = by_name.get(name) or {**rows[0], "base_name": name}
            ws.append([*([n] if numbered else []), *(row[f.key] for f in cols)])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return rows


@pytest.mark.parametrize("seed", range(4))
def test_a_table_on_two_sheets_is_one_row_per_base(tmp_path, seed):
    rng = random.Random(seed)
    county = rng.choice(WORDS)
    names = [f"大同市{county}{w}双创基地" for w in rng.sample(["恒山", "唐河", "平型关", "凉粉", "北岳"], rng.randint(1, 3))]
    second = rng.sample(names, len(names))          # the second sheet may list them in another order
    rows = _book(tmp_path / "收件" / county / f"{county}附件10.xlsx", rng, [names, second],
                 rng.choice([("基本情况", "运营及服务情况"), ("表一", "表二"), ("Sheet1", "Sheet2")]))
    out = tmp_path / "汇总表.xlsx"
    res = xlbase("merge", str(tmp_path / "收件"), "-o", str(out), "--json", str(tmp_path / "r.json"))
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    problems = report["problems"]
    assert not [p for p in problems if p["rule"] in ("missing-column", "incomplete-total", "duplicate-base")], problems
    assert [p["rule"] for p in problems].count("table-parts") == 1
    assert report["summary"]["bases"] == len(names), res.stdout
    ws = openpyxl.load_workbook(out)["附件11"]
    grid = [[c.value for c in r] for r in ws.iter_rows()]
    labels = {f.key: f.label for f in FIELDS}
    head = {}
    for r in grid[:6]:
        for c, v in enumerate(r):
            text = str(v or "").replace("\n", "").split("（")[0]
            for key, label in labels.items():
                if text == label.split("（")[0]:
                    head.setdefault(key, c)
    assert set(head) == set(labels), set(labels) - set(head)
    got = {r[head["base_name"]]: r for r in grid if r[head["base_name"]] in names}
    for row in rows:
        for f in FIELDS:
            if f.is_numeric:
                assert got[row["base_name"]][head[f.key]] == row[f.key], (row["base_name"], f.key)


def test_two_sheets_of_other_bases_are_two_tables(tmp_path):
    """Two counties' tables on two sheets, each with some columns: not one table's parts (the names differ) — each
    still lacks its columns."""
    rng = random.Random(9)
    _book(tmp_path / "收件" / "市" / "两县.xlsx", rng, [["大同市广灵县壶流河双创基地"], ["大同市灵丘县唐河双创基地"]],
          ("广灵县", "灵丘县"))
    res = xlbase("merge", str(tmp_path / "收件"), "-o", str(tmp_path / "out.xlsx"), "--json", str(tmp_path / "r.json"))
    problems = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["problems"]
    assert "table-parts" not in [p["rule"] for p in problems], res.stdout
    assert {p["sheet"] for p in problems if p["rule"] == "missing-column"} == {"广灵县", "灵丘县"}
