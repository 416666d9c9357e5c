"""A share typed as 69% into Excel or WPS is stored as 0.69 with a percent format (probe r12, session 15). calamine gives the
number alone, so 太原's 占总人数 read 0.69 (%) and share-stated said 错误 "填 0.69%，算为 69.23%" about a cell that shows 69%.
Now a numeric cell whose style is a percentage (built-in 0% / 0.00%, or a code with % outside quotes) is read as the text it
shows; a number in a General cell and a quoted "%" (no scaling in Excel) are read as they are."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

from hypothesis import HealthCheck, given, settings, strategies as st
from openpyxl import Workbook

from xlbase.forms.programmes import load_programme, using
from xlbase.read.percent_cells import percent_text
from xlbase.read.workbook import read_workbook

SHARES = ("investor_share", "equipment_share", "staff_professional_share")


def _application(path, shares, fmt: str | None):
    """太原's 申请表 as a clerk types it, the three shares as numbers in `fmt` (None: General)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "申请表"
    ws.append(["太原市中小企业公共服务示范平台申请表"])
    for label, value in [("申请单位名称", "山西晋创科技服务有限公司"), ("单位性质", "有限责任公司"), ("法人代表", "郭建"),
                         ("成立时间", "2016年4月"), ("主要投资方名称", "山西晋创投资有限公司"), ("投资比例", shares[0]),
                         ("仪器设备原值", "320万元"), ("占总资产", shares[1]), ("从业人数", "26人"), ("专业人员", "18人"),
                         ("占总人数", shares[2]), ("服务场地面积", "1200平方米")]:
        ws.append([label, value])
        if fmt is not None and isinstance(value, float):
            ws.cell(ws.max_row, 2).number_format = fmt
    wb.save(path)
    return path


def _shares(path):
    with using(load_programme("taiyuan-2023")):
        read = read_workbook(path)
    [t] = [t for t in read.tables if t.record]
    return tuple(t.record.get(k) for k in SHARES)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.tuples(*[st.integers(0, 10000).map(lambda n: n / 10000)] * 3),
       st.sampled_from(["0%", "0.00%", "0.0%", "#,##0.0%", "[Red]0%"]))
def test_a_number_shown_as_a_percentage_is_read_as_shown(tmp_path_factory, shares, fmt):
    path = _application(tmp_path_factory.mktemp("pct") / "申请表.xlsx", shares, fmt)
    assert _shares(path) == tuple(float(percent_text(v)[:-1]) for v in shares)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.tuples(*[st.integers(1, 9999).map(lambda n: n / 100)] * 3), st.sampled_from([None, "0.00", '0.0"%"', "General"]))
def test_a_number_not_shown_as_a_percentage_is_read_as_it_is(tmp_path_factory, shares, fmt):
    path = _application(tmp_path_factory.mktemp("pct") / "申请表.xlsx", shares, fmt)
    assert _shares(path) == shares


@given(st.integers(0, 10 ** 6))
def test_the_text_shown_has_no_binary_noise(n):
    v = n / 10000
    text = percent_text(v)
    assert text.endswith("%") and Decimal(text[:-1]) == Decimal(n) / 100 and "e" not in text.lower()


def test_validate_reads_the_clerks_69_percent(tmp_path):
    path = _application(tmp_path / "小店区申请表.xlsx", (0.6, 0.35, 0.6923), "0%")
    out = tmp_path / "r.json"
    subprocess.run([sys.executable, "-m", "xlbase", "validate", str(path), "--json", str(out)], capture_output=True,
                   timeout=300)
    problems = json.loads(out.read_text(encoding="utf-8"))["problems"]
    assert not [p for p in problems if p.get("field") in SHARES and p["severity"] != "info"], problems
