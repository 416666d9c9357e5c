"""Identity cells our template fills by formula survive LibreOffice's .xls export.

LibreOffice writes 0 as the cached result of a text formula in .xls, so 附件10's
基地名称/所在市/基地类型 (formulas on 附件2) arrive as 0. The reader takes the
value the clerk typed on 附件2 instead of reporting a base called "0".
"""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import soffice_convert
from xlbase.read import read_workbook
from xlbase.templates.workbooks import write_applicant_workbook

BASE = {"base_name": "忻州市定襄县法兰产业创客双创基地", "operator": "定襄法兰产业运营有限公司",
        "city": "忻州市", "county": "定襄县", "base_type": "工业园区型",
        "registered_on": dt.date(2018, 5, 10), "resident_firms": 1}
FIRM = {"firm_name": "定襄锻造有限公司", "credit_code": "91140921MA0GRTNL3T", "employees": 12}


def _a10(read):
    return next(t for t in read.tables if t.form_id == "附件10")


@pytest.mark.libreoffice
def test_xls_saved_by_libreoffice_keeps_the_identity_typed_on_a2(tmp_path):
    src = write_applicant_workbook(tmp_path / "app.xlsx", base=BASE, firms=[FIRM])
    xls = soffice_convert(src, "xls", tmp_path / "xls")
    read = read_workbook(xls)
    row = _a10(read).data.iloc[0]
    for key in ("base_name", "operator", "city", "county", "base_type"):
        assert row[key] == BASE[key], key
    assert row["registered_on"] == BASE["registered_on"]
    assert _a10(read).base["name"] == BASE["base_name"]
    a10_cells = {p.cell for p in read.problems if p.form == "附件10"}
    assert "B5" not in a10_cells and "W5" not in a10_cells


def test_a10_typed_by_hand_is_kept_when_it_differs_from_a2(tmp_path):
    """Only lost formula results (blank or 0) are filled: a real value on 附件10 stays."""
    src = write_applicant_workbook(tmp_path / "app.xlsx", base=BASE, firms=[FIRM])
    read = read_workbook(src)
    assert _a10(read).data.iloc[0]["resident_firms"] == 1
    assert _a10(read).data.iloc[0]["base_name"] == BASE["base_name"]
