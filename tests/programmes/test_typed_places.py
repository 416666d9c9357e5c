"""A programme whose notice names no place list (issue 16): its places are the ones its clerks type.

聊城 2021 runs on Shanxi's forms with typed places (manifest `places:` empty). The merge kept only Shanxi's
divisions: a city merge of 聊城's counties put every base under “（未注明）” in 附件11's 所在市/所在县, made it
one county-level merge of a unit called “单位”, and a county 汇总表's 填报单位 “临清市工信局” became a unit of
its own. The merge now takes the typed place as the place (merge.places): 临清市 is a county of 聊城市 because
its clerks typed it so, whatever its 市 ending; a folder that names another county is a 警告 naming both. A toy
programme of Inner Mongolia (its own manifest in a temporary folder, 旗 and 区 under 鄂尔多斯市) runs the same
round, so nothing here is 聊城's list.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl

from typed_places_inbox import LIAOCHENG, ORDOS, write_inbox

UNKNOWN = "（未注明）"


def xlbase(*args: str) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "xlbase", *args], capture_output=True, text=True, timeout=600)
    assert done.returncode in (0, 1), done.stdout + done.stderr
    return done


def _merge(programme: str, out: Path, *inputs: Path, level: str | None = None, unit: str | None = None) -> dict:
    args = ["merge", *map(str, inputs), "--programme", programme, "-o", str(out), "--json", str(out.with_suffix(".json"))]
    args += ["--level", level] if level else []
    args += ["--unit", unit] if unit else []
    done = xlbase(*args)
    report = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    report["stdout"] = done.stdout
    return report


def _places(path: Path) -> list[tuple[str, str, str]]:
    """(基地名称, 所在市, 所在县) of each base row of the written 附件11."""
    ws = openpyxl.load_workbook(path)["附件11"]
    rows = list(ws.iter_rows(values_only=True))
    heads = [str(v or "").replace("\n", "") for v in rows[2]] + [str(v or "").replace("\n", "") for v in rows[3]]
    width = len(rows[2])
    def col(title: str) -> int:
        return next(i for i, h in enumerate(heads) if h.startswith(title)) % width
    name, city, county = col("基地名称"), col("所在市"), col("所在县")
    return [(r[name], r[city], r[county]) for r in rows[4:] if isinstance(r[0], int)]


def _units(path: Path) -> dict[str, tuple]:
    ws = openpyxl.load_workbook(path)["各县情况"]
    return {r[1]: r for r in ws.iter_rows(min_row=5, values_only=True) if isinstance(r[0], int)}


def _org_line(path: Path) -> str:
    return str(openpyxl.load_workbook(path)["附件11"]["A2"].value or "")


def test_a_city_merge_keeps_each_typed_place_and_its_counties(liaocheng_inbox, tmp_path):
    out = tmp_path / "聊城市汇总表.xlsx"
    report = _merge("liaocheng-2021", out, liaocheng_inbox)
    assert report["summary"]["level"] == "city", report["stdout"]
    assert sorted(_places(out)) == sorted((f"{c}{k}{s}双创基地", c, k) for _, c, k, s in LIAOCHENG)
    assert set(_units(out)) == {"临清市", "东昌府区"}, _units(out)
    assert _units(out)["临清市"][3] == 2 and _units(out)["东昌府区"][3] == 1
    assert "聊城市" in _org_line(out), _org_line(out)
    assert not [p["message"] for p in report["problems"] if p["severity"] == "error"]
    shown = json.dumps(report, ensure_ascii=False)
    assert UNKNOWN not in shown and "太原" not in shown and "山西" not in shown


def test_counties_then_the_city_merge_their_summaries(liaocheng_inbox, tmp_path):
    """Each county merges its own applications; the city merges the two counties' 汇总表s: the same places,
    two units — 临清市 stays a county although a city's name ends in 市 too."""
    summaries = []
    for county, unit in (("临清市", "临清市工业和信息化局"), ("东昌府区", None)):
        out = tmp_path / county / f"{county}汇总表.xlsx"
        out.parent.mkdir()
        report = _merge("liaocheng-2021", out, liaocheng_inbox / county, unit=unit)
        assert report["summary"]["level"] == "county", report["stdout"]
        assert set(_units(out)) == {county}, _units(out)
        summaries.append(out)
    assert "临清市工业和信息化局" in _org_line(summaries[0])
    assert "聊城市东昌府区" in _org_line(summaries[1]), _org_line(summaries[1])
    city = tmp_path / "聊城市汇总表.xlsx"
    report = _merge("liaocheng-2021", city, *summaries)
    assert report["summary"]["level"] == "city", report["stdout"]
    assert sorted(_places(city)) == sorted((f"{c}{k}{s}双创基地", c, k) for _, c, k, s in LIAOCHENG)
    assert set(_units(city)) == {"临清市", "东昌府区"}, _units(city)
    assert UNKNOWN not in json.dumps(report, ensure_ascii=False)


def test_a_folder_naming_another_county_is_a_warning_naming_both(liaocheng_inbox, tmp_path):
    inbox = tmp_path / "收件"
    shutil.copytree(liaocheng_inbox, inbox)
    moved = inbox / "临清市" / "水城双创基地申报表.xlsx"
    shutil.move(inbox / "东昌府区" / "水城双创基地申报表.xlsx", moved)
    out = tmp_path / "汇总表.xlsx"
    report = _merge("liaocheng-2021", out, inbox)
    said = [p for p in report["problems"] if p["rule"] == "place-folder-differs"]
    assert len(said) == 1, [p["message"] for p in report["problems"]]
    p = said[0]
    assert p["severity"] == "warning" and "东昌府区" in p["message"] and "临清市" in p["message"]
    assert p["base"] == "聊城市东昌府区水城双创基地" and p["value"] == "东昌府区" and p["threshold"] == "临清市"
    assert (p["sheet"], p["cell"]) == ("附件2", _typed_county_cell(moved))
    assert ("聊城市东昌府区水城双创基地", "聊城市", "东昌府区") in _places(out)     # the typed place, not the folder's


def _typed_county_cell(path: Path) -> str:
    from xlbase.forms.programmes import load_programme, using
    from xlbase.read import read_workbook
    with using(load_programme("liaocheng-2021")):
        a2 = next(t for t in read_workbook(path).tables if t.form_id == "附件2")
    return a2.record_cells["county"]


def _toy_programme(folder: Path) -> Path:
    """A city programme of Inner Mongolia on Shanxi's forms with 聊城's pack: data files only, no places named."""
    folder.mkdir(parents=True)
    (folder / "programme.yaml").write_text(
        "name: ordos-toy\ntitle: 鄂尔多斯市小微企业双创基地认定（测试）\nyear: 2021\nissuer: 鄂尔多斯市工业和信息化局\n"
        "document: 测试\nkind: 双创基地\nforms: shanxi-2024\npack: liaocheng-2021\nengine: shanxi\nrecognise: []\n",
        encoding="utf-8")
    return folder / "programme.yaml"


def test_a_toy_programme_of_another_province_merges_its_banners_and_districts(tmp_path):
    manifest = _toy_programme(tmp_path / "toy")
    inbox = tmp_path / "收件"
    write_inbox(inbox, manifest, ORDOS, seed=5)
    summaries = []
    for county in ("准格尔旗", "东胜区"):
        out = tmp_path / county / "汇总表.xlsx"
        out.parent.mkdir()
        report = _merge(str(manifest), out, inbox / county, unit=f"{county}工信局")
        assert report["summary"]["level"] == "county" and set(_units(out)) == {county}, report["stdout"]
        summaries.append(out)
    city = tmp_path / "鄂尔多斯市汇总表.xlsx"
    report = _merge(str(manifest), city, *summaries)
    assert report["summary"]["level"] == "city", report["stdout"]
    assert set(_units(city)) == {"准格尔旗", "东胜区"}, _units(city)
    assert sorted(_places(city)) == sorted((f"{c}{k}{s}双创基地", c, k) for _, c, k, s in ORDOS)
    assert "鄂尔多斯市" in _org_line(city)
    shown = json.dumps(report, ensure_ascii=False)
    assert UNKNOWN not in shown and "山西" not in shown


def test_who_should_report_is_only_the_officers_list(liaocheng_inbox, tmp_path):
    """No division list says which counties 聊城市 has: without --expect nobody is chased; with it, the listed
    units that sent nothing are (“临清” is 临清市, typed short as officers type it)."""
    out = tmp_path / "汇总表.xlsx"
    report = _merge("liaocheng-2021", out, liaocheng_inbox)
    assert not [p for p in report["problems"] if p["rule"] == "unit-not-reported"]
    expect = tmp_path / "应报.txt"
    expect.write_text("临清\n东昌府区\n茌平区\n", encoding="utf-8")
    done = xlbase("merge", str(liaocheng_inbox), "--programme", "liaocheng-2021", "-o", str(out), "--expect", str(expect),
                  "--json", str(tmp_path / "r.json"))
    chased = [p["value"] for p in json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["problems"]
              if p["rule"] == "unit-not-reported"]
    assert chased == ["茌平区"], done.stdout
    assert set(_units(out)) == {"临清市", "东昌府区", "茌平区"} and _units(out)["茌平区"][8] == "未报送"
