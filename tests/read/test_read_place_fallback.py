"""Where a base is when its name does not say: the 填报单位 line, then the folder, then the operator.

Clerks write "云中双创基地" without 市/县; the 各县情况 sheet then filed it under "（未注明）".
"""

from __future__ import annotations

from openpyxl import Workbook

from xlbase.forms import get_form
from xlbase.merge.core import merge_reads
from xlbase.read import read_workbook


def _a11(path, org: str, names: list[str], operators: list[str]):
    form = get_form("附件11")
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append([form.title_for(2024)])
    ws.append([org])
    labels = [f.label for f in form.official_table_fields]
    ws.append(["序号", *labels])
    for i, (name, op) in enumerate(zip(names, operators), 1):
        ws.append([i, name, op, "2019-05-08", "是", *([30] * (len(labels) - 4))])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def test_org_line_places_rows_whose_names_do_not(tmp_path):
    path = _a11(tmp_path / "收件" / "附件11.xlsx", "填报单位（盖章）：忻州市五台县工业和信息化局",
                ["台怀文旅创客双创基地", "忻州市原平市同川电商产业园双创基地"], ["台怀文旅有限公司", "同川电商有限公司"])
    read = read_workbook(path)
    (t,) = [t for t in read.tables if t.form_id == "附件11"]
    assert "五台县" in t.org_line
    res = merge_reads([read])
    places = {b.name: (b.city, b.county) for b in res.bases}
    assert places["台怀文旅创客双创基地"] == ("忻州市", "五台县")
    # a row's own name beats the office that reported it
    assert places["忻州市原平市同川电商产业园双创基地"] == ("忻州市", "原平市")


def test_applicant_without_place_in_its_name_is_placed_by_the_org_line(tmp_path):
    form = get_form("附件10")
    wb = Workbook()
    ws = wb.active
    ws.title = "附件10"
    ws.append(["填报单位（盖章）：", "五台县台怀文旅有限公司"])
    labels = [f.label for f in form.official_table_fields]
    ws.append(labels)
    ws.append(["台怀文旅创客双创基地", "台怀文旅有限公司", "2019-05-08", "是", *([30] * (len(labels) - 4))])
    path = tmp_path / "申报表.xlsx"
    wb.save(path)
    read = read_workbook(path)
    (t,) = [t for t in read.tables if t.form_id == "附件10"]
    assert (t.base["city"], t.base["county"]) == ("忻州市", "五台县")


def test_no_org_line_and_no_place_anywhere_stays_unknown(tmp_path):
    path = _a11(tmp_path / "收件" / "附件11.xlsx", "", ["台怀文旅创客双创基地"], ["台怀文旅有限公司"])
    res = merge_reads([read_workbook(path)])
    (b,) = res.bases
    assert b.county == "（未注明）"
