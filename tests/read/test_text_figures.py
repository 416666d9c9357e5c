"""Figures a county writes into 衡阳's 基地基本情况（简要） instead of columns of their own: the notice asks for
服务人员数、入驻企业数、孵化面积 there, and a county printing only the five official columns has nowhere else to
put them. The 汇总表's grey columns were empty for every such county. Prose is generated as strangers write it:
other words for each figure, other units of its family, other orders and punctuation, filler clauses."""

from __future__ import annotations

import subprocess
import sys

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from xlbase.forms.programmes import load_programme
from xlbase.read.text_figures import figures_in

FORM = "衡阳推荐汇总表"

# (field, words a county writes before the figure, (unit, factor to the field's unit) choices)
WORDS = {
    "service_staff": (["专职服务人员", "服务人员", "现有专职服务人员", "基地服务团队", "专职工作人员"], [("人", 1), ("名", 1)]),
    "floor_area": (["总建筑面积", "孵化面积", "孵化场地面积", "建筑面积", "面积"],
                   [("平方米", 1), ("㎡", 1), ("平米", 1), ("万平方米", 10000)]),
    "self_held_area": (["其中自持", "自持面积", "运营机构自持"], [("平方米", 1), ("㎡", 1)]),
    "firms": (["入驻企业", "已入驻企业", "在孵企业", "入驻中小微企业", "入驻中小企业"], [("家", 1), ("户", 1)]),
    "small_firms": (["其中小微企业", "小微企业"], [("家", 1), ("户", 1)]),
    "employees": (["从业人员", "带动就业", "员工"], [("人", 1)]),
}
FILLER = ["服务功能包括政策咨询、创业培训、投融资对接", "提供创业辅导、融资对接等服务", "2019年被认定为县级基地",
          "运营单位成立于2016年", "交通便利"]


def _form():
    return load_programme("hengyang-2023").form(FORM)


def _held():
    form = _form()
    brief = form.field("brief")
    return [form.field(k) for k in brief.holds]


@st.composite
def prose(draw):
    keys = draw(st.lists(st.sampled_from(sorted(WORDS)), min_size=1, max_size=6, unique=True))
    stated, parts = {}, []
    for k in keys:
        words, units = WORDS[k]
        unit, factor = draw(st.sampled_from(units))
        if factor == 1:
            n = draw(st.integers(1, 90000))
            shown = str(n)
        else:
            n10 = draw(st.integers(1, 90))          # tenths of the big unit: 2.3万平方米
            n = n10 * factor // 10
            shown = f"{n10 // 10}.{n10 % 10}" if n10 % 10 else str(n10 // 10)
        stated[k] = n
        parts.append(f"{draw(st.sampled_from(words))}{shown}{unit}")
    parts += draw(st.lists(st.sampled_from(FILLER), max_size=2))
    parts = draw(st.permutations(parts))
    seps = draw(st.lists(st.sampled_from(["，", "；", "、", ",", "。"]), min_size=len(parts), max_size=len(parts)))
    return "".join(p + s for p, s in zip(parts, seps)), stated


@settings(max_examples=200, deadline=None)
@given(prose())
def test_every_stated_figure_is_read_into_its_field_and_nothing_else(case):
    text, stated = case
    got = {k: v for k, (v, _) in figures_in(text, _held()).items()}
    assert got == stated, text


@settings(max_examples=100, deadline=None)
@given(prose(), st.sampled_from(["余", "多"]))
def test_an_estimate_is_left_to_the_applications(case, word):
    text, stated = case
    k = next(iter(stated))
    words, units = WORDS[k]
    estimate = f"；{words[0]}{stated[k] + 7}{word}{units[0][0]}"
    got = figures_in(text + estimate, _held())
    assert k not in got, text + estimate    # two figures for one field, one an estimate: neither is sure


def test_two_figures_for_one_field_or_a_unit_of_another_family_name_nothing():
    held = _held()
    assert "firms" not in figures_in("入驻企业56家，入驻企业60家", held)
    assert figures_in("入驻企业56家，入驻企业56家", held)["firms"][0] == 56
    assert figures_in("服务人员12平方米", held) == {}          # a person is no area
    assert figures_in("服务功能：创业培训、融资对接", held) == {}
    assert figures_in("在建，暂无入驻企业。", held)["firms"][0] == 0


def test_a_county_printing_only_the_official_columns_gets_its_figures_in_the_summary(tmp_path):
    """End to end: two 县市区 send the five-column 推荐汇总表 with the figures in the prose; the city's 汇总表 has
    them in its grey columns, each read with one info pointing at the prose cell."""
    rows = {
        "衡南县": [("衡南县云集创新创业园", "现有专职服务人员12人，入驻企业56家（其中小微企业51家），孵化面积2.3万平方米，提供创业辅导等服务。",
                   {"service_staff": 12, "firms": 56, "small_firms": 51, "floor_area": 23000})],
        "耒阳市": [("耒阳市创业孵化园", "入驻企业45家；服务人员6名；面积12000㎡。", {"service_staff": 6, "firms": 45, "floor_area": 12000}),
                  ("耒阳市青年创业园", "在建，暂无入驻企业。", {"firms": 0})],
    }
    for county, bases in rows.items():
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(["衡阳市中小微企业创新创业基地推荐汇总表"])
        ws.append([f"填报单位：{county}工业和信息化局"])
        ws.append(["序号", "单位名称", "联系人", "联系电话", "基地基本情况（简要）"])
        for i, (name, text, _) in enumerate(bases, 1):
            ws.append([i, name, "王立新", "0734-8512345", text])
        (tmp_path / "in" / county).mkdir(parents=True)
        wb.save(tmp_path / "in" / county / f"{county}推荐汇总表.xlsx")
    out = tmp_path / "out" / "汇总表.xlsx"
    run = subprocess.run([sys.executable, "-m", "xlbase", "merge", str(tmp_path / "in"), "--programme", "hengyang-2023",
                          "-o", str(out), "--json", str(tmp_path / "r.json")], capture_output=True, text=True)
    assert run.returncode in (0, 1), run.stderr
    ws = openpyxl.load_workbook(out).worksheets[0]
    head = [c.value for c in ws[3]]
    form = _form()
    col = {f.key: next(i for i, h in enumerate(head) if h and str(h).replace("\n", "").startswith(f.label)) for f in _held()}
    got = {r[1]: r for r in ws.iter_rows(min_row=4, values_only=True) if r[1]}
    for bases in rows.values():
        for name, _, want in bases:
            assert {k: got[name][c] for k, c in col.items() if got[name][c] is not None} == want, name
    import json
    infos = [p for p in json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["problems"]
             if p["rule"] == "figures-from-text"]
    assert len(infos) == 3 and all(p["cell"].startswith("E") and p["severity"] == "info" for p in infos)
    assert form.field("brief").holds
