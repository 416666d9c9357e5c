"""A Shanxi county that sends another call's form by mistake (衡阳's 推荐汇总表 or 太原's 汇总表 found online, its base typed
in) among a Shanxi city's inbox (probe r6, session 15). Before: the batch was taken for that call — every other county's
附件11 "had no 衡阳 form" (错误 each) and the 汇总表 was 衡阳's — or, with two such files, refused whole (exit 2, no
汇总表). Now that one file is refused with its own 错误 naming the form it is and who must send the notice's form again;
the batch merges as Shanxi's. A file of a unit of that call (太原's own district) still makes the batch a mixed one."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import openpyxl
import pytest

from programme_inbox import REPO, xlbase
from xlbase.forms import divisions, value_list
from xlbase.forms.programmes import load_programme

OTHERS = ["hengyang-2023", "taiyuan-2023"]
A11_HEAD = ["序号", "基地名称", "项目运营单位名称", "注册时间", "是否独立法人", "基地服务人员数", "已入驻企业数", "吸纳就业人员数", "建筑面积",
            "营业收入", "上缴税金", "当年完成投资额", "合作机构数量", "服务次数", "年服务中小企业户数", "组织开展的服务活动", "孵化成功企业数",
            "参加创客大赛企业数", "培育小升规企业数", "培育专精特新企业数", "培育高新技术企业数", "获得政府支持资金金额"]


def _other_summary(name: str, out: Path, org: str, base: str) -> None:
    """The other call's 汇总表 as a county typed it from that notice: its title, a 填报单位 line, its printed columns."""
    programme = load_programme(name)
    form = programme.form(programme.layout("summary.yaml")["form"])
    fields = [f for f in form.table_fields if f.official]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([form.title])
    ws.append([f"填报单位：{org}"])
    ws.append([form.number_label or "序号", *(f.label for f in fields)])
    ws.append([1, *(base if f.identity == "base_name" else 12 if f.is_numeric else None for f in fields)])
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)


def _a11(out: Path, county: str, base: str) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2024年省级小微企业双创基地基本情况汇总表"])
    ws.append([f"填报单位（盖章）：{county}工业和信息化局"])
    ws.append(A11_HEAD)
    ws.append([1, base, f"{county}创业服务有限公司", "2017-05-01", "是", 14, 36, 520, 15000, 4200, 160, 300, 6, 50, 70, 10, 2,
               1, 1, 0, 1, 60])
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)


def _counties(seed: int, exclude: set[str]) -> list[tuple[str, str]]:
    """Four (city, county) of one Shanxi city, none a unit of the other calls."""
    cities = divisions()["cities"]
    rng = random.Random(seed)
    for city in rng.sample(sorted(cities), len(cities)):
        counties = [c for c in cities[city] if c not in exclude]
        if len(counties) >= 4:
            return [(city, c) for c in rng.sample(counties, 4)]
    raise AssertionError("no city with four counties")


def _units(name: str) -> set[str]:
    p = load_programme(name)
    _ = p.forms
    return set(value_list(p.layout("summary.yaml")["units"]))


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("explicit", [False, True])
def test_another_calls_form_from_one_of_our_counties_is_refused_alone(tmp_path, seed, explicit):
    exclude = set().union(*map(_units, OTHERS))
    (city, c1), (_, c2), (_, c3), (_, c4) = _counties(seed, exclude)
    inbox = tmp_path / "收件"
    _a11(inbox / c1 / f"{c1}附件11.xlsx", c1, f"{city}{c1}创客空间")
    _a11(inbox / c2 / "汇总表.xlsx", c2, f"{city}{c2}双创园")
    strays = {c3: OTHERS[0], c4: OTHERS[1]} if seed == 1 else {c3: OTHERS[seed % 2]}
    for county, other in strays.items():
        _other_summary(other, inbox / county / f"{county}推荐汇总表.xlsx", f"{county}工业和信息化局", f"{county}众创空间")
    out = tmp_path / "市汇总表.xlsx"
    args = ["--programme", "shanxi-2024-base"] if explicit else []
    res = xlbase("merge", str(inbox), "-o", str(out), "--json", str(tmp_path / "r.json"), *args)
    assert res.returncode == 1, res.stdout + res.stderr
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["rule_pack"] == "shanxi-2024-base"
    errors = [p for p in report["problems"] if p["severity"] == "error"]
    assert sorted(Path(p["file"]).parent.name for p in errors) == sorted(strays)
    for p in errors:
        other = load_programme(strays[Path(p["file"]).parent.name])
        assert p["rule"] == "file-unusable" and other.name in p["message"] and other.title in p["message"]
    assert report["summary"]["bases"] == 2
    status = {r[1]: r for r in openpyxl.load_workbook(out)["各县情况"].iter_rows(values_only=True)}
    for county in strays:
        assert status[county][2] == 1 and status[county][-1] == "需退回修改", status[county]


def test_a_file_of_that_calls_own_unit_still_makes_a_mixed_batch(tmp_path):
    """太原's 小店区 is a Shanxi district and one of 太原's units: its 太原 form beside Shanxi files is no stray."""
    inbox = tmp_path / "收件"
    unit = sorted(_units("taiyuan-2023"))[0]
    _other_summary("taiyuan-2023", inbox / unit / f"{unit}汇总表.xlsx", f"{unit}工业和信息化局", f"{unit}公共服务平台")
    _other_summary("taiyuan-2023", inbox / unit / f"{unit}汇总表2.xlsx", f"{unit}工业和信息化局", f"{unit}科技服务平台")
    shutil.copytree(REPO / "samples" / "counties" / "五台县", inbox / "五台县")    # titled 山西省…申请表: Shanxi's
    res = xlbase("merge", str(inbox), "-o", str(tmp_path / "out.xlsx"))
    assert res.returncode == 2 and "混有不同申报项目" in res.stderr, res.stdout + res.stderr
