"""Round trip: fill our templates programmatically, read back, get what was filled — every form."""

from __future__ import annotations

import datetime as dt

import pytest

from xlbase.forms import get_form
from xlbase.read import read_workbook

templates = pytest.importorskip("xlbase.templates.workbooks")

CHOICES = {"city": "忻州市", "county": "忻府区", "base_type": "楼宇型", "size_class": "小型"}


def sample(f, i=0):
    if f.type == "date":
        return dt.date(2019, 3, 15 + i)
    if f.type == "integer":
        return 10 + i
    if f.type in ("decimal", "money", "area"):
        return 12.5 + i
    if f.type == "yesno":
        return i % 2 == 0
    if f.type == "credit_code":
        return f"91140902MA0K1234X{i}"
    if f.type == "phone":
        return f"0350-333402{i}"
    if f.type == "choice":
        return CHOICES.get(f.choices or f.key)
    return f"{f.label}{i}"


def _base() -> dict:
    base: dict = {}
    for fid in ("附件2", "附件10", "附件4"):
        for f in get_form(fid).fields:
            if f.part == "record" or fid == "附件10":
                base.setdefault(f.key, sample(f))
    base["base_name"] = "忻州市忻府区云中双创基地"
    return base


def test_applicant_round_trip(tmp_path):
    base = _base()
    firms = [{f.key: sample(f, i) for f in get_form("附件3").table_fields} for i in range(3)]
    comps = [{f.key: sample(f, i) for f in get_form("附件4").table_fields} for i in range(3)]
    path = templates.write_applicant_workbook(tmp_path / "申报表.xlsx", base=base, firms=firms, comparables=comps,
                                              year=2024)
    wr = read_workbook(path)
    assert wr.status == "ok", [p.message for p in wr.problems if p.severity == "error"]
    forms = {t.form_id: t for t in wr.tables}
    assert sorted(forms) == ["附件10", "附件2", "附件3", "附件4"] and len(wr.tables) == 4
    for fid in ("附件2", "附件4"):
        for f in get_form(fid).record_fields:
            assert forms[fid].record[f.key] == base[f.key], (fid, f.key)
    for fid, rows in (("附件10", [base]), ("附件3", firms), ("附件4", comps)):
        t = forms[fid]
        assert t.n_rows == len(rows)
        assert not t.missing_fields and not t.extra_columns
        for i, row in enumerate(rows):
            for f in get_form(fid).table_fields:
                if f.merge_only:
                    continue
                assert t.data[f.key].iloc[i] == row[f.key], (fid, i, f.key)
    assert forms["附件3"].base["key"] == forms["附件2"].base["key"] != ""
    assert forms["附件10"].base["city"] == "忻州市"


def test_summary_round_trip(tmp_path):
    form = get_form("附件11")
    rows = []
    for i in range(4):
        row = {f.key: sample(f, i) for f in form.table_fields if not f.merge_only}
        row["base_name"] = f"忻州市忻府区第{i}双创基地"
        rows.append(row)
    path = templates.write_summary_workbook(tmp_path / "汇总表.xlsx", rows=rows, year=2024)
    wr = read_workbook(path)
    assert wr.status == "ok", [p.message for p in wr.problems if p.severity == "error"]
    (t,) = wr.tables
    assert t.form_id == "附件11" and t.n_rows == 4
    for i, row in enumerate(rows):
        for key, value in row.items():
            assert t.data[key].iloc[i] == value, (i, key)
    assert list(t.data["_county"]) == ["忻府区"] * 4
