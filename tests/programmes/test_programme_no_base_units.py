"""A unit that reports it has no application this year did report. A county's 汇总表 with its header and "本年度无推荐"
(or its title, 填报单位 line and header alone) gave no row, so the city's merge warned "衡山县未报送 … 请催报" and the
各县情况 sheet listed it 未报送 — the officer would chase a county that had answered. Over every programme whose
汇总表 is merged by a city; the unit named by the 填报单位 line or by the folder."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from programme_inbox import xlbase
from xlbase.forms import value_list
from xlbase.forms.programmes import load_programme

CITY_PROGRAMMES = ["hengyang-2023", "taiyuan-2023"]


def _empty_list(programme, out: Path, unit_line: str, words: str | None) -> None:
    """The programme's 汇总表 as a clerk types it from the notice: title, 填报单位 line, header, then perhaps words."""
    layout = programme.layout("summary.yaml")
    form = programme.form(layout["form"])
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([form.title])
    ws.append([unit_line])
    ws.append([form.number_label or "序号", *(f.label for f in form.table_fields if f.official)])
    if words:
        ws.append([None, words])
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)


@pytest.mark.parametrize("name", CITY_PROGRAMMES)
@pytest.mark.parametrize("unit_line, folder, words", [("填报单位：{unit}工业和信息化局", "", "本年度无推荐"),
                                                      ("填报单位：", "{unit}", None)])
def test_a_unit_reporting_no_application_is_not_chased(tmp_path, name, unit_line, folder, words):
    programme = load_programme(name)
    units = list(value_list(programme.layout("summary.yaml")["units"]))
    unit = units[1]
    inbox = tmp_path / "收件"
    _empty_list(programme, inbox / folder.format(unit=unit) / "汇总表.xlsx", unit_line.format(unit=unit), words)
    out = tmp_path / "市汇总表.xlsx"
    res = xlbase("merge", str(inbox), "--programme", name, "--level", "city", "-o", str(out),
                 "--json", str(tmp_path / "r.json"))
    assert res.returncode == 0, res.stdout + res.stderr
    chased = {p["value"] for p in json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["problems"]
              if p["rule"] == "unit-not-reported"}
    assert chased == set(units) - {unit}
    status = {r[0]: r[1] for r in openpyxl.load_workbook(out)["各县情况"].iter_rows(min_row=2, values_only=True)}
    assert status[unit] == "已报送" and status[units[0]] == "未报送"
