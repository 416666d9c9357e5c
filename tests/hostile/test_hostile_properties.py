"""Property tests: random small workbooks in the shape of the forms, written by openpyxl and xlsxwriter.

read → validate → merge never raises, every row is accounted for, numbers survive exactly.
Labels and column order come from the form model (xlbase.forms), never restated here.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

import openpyxl
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))
import hostile_files as H  # noqa: E402
from xlbase.forms import get_form  # noqa: E402
from xlbase.merge.core import merge_reads  # noqa: E402
from xlbase.read import read_workbook  # noqa: E402
from xlbase.rules import load_pack, validate  # noqa: E402

A11 = get_form("附件11")
FIELDS = [f for f in A11.table_fields if not f.merge_only and f.key != "source_file"]
PACK = load_pack()
COUNTIES = ("忻府区", "原平市", "定襄县", "五台县", "代县")

ints = st.integers(0, 10**9)
money = st.decimals(0, 10**7, places=2, allow_nan=False, allow_infinity=False).map(float)
junk = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)


def _value(field, i: int, county: str):
    """A strategy for one cell of `field` in row i."""
    if field.key == "base_name":
        return st.just(f"忻州市{county}{i}号双创基地")
    if field.key == "operator":
        return st.just(f"{county}运营{i}有限公司")
    if field.key == "city":
        return st.just("忻州市")
    if field.key == "county":
        return st.just(county)
    if field.type == "integer":
        return st.one_of(ints, junk, st.none())
    if field.type in ("money", "area", "decimal"):
        return st.one_of(money, st.none())
    if field.type == "date":
        return st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31))
    if field.type == "yesno":
        return st.sampled_from(["是", "否", "", "不确定"])
    return st.one_of(junk, st.sampled_from(["楼宇型", "=1+1", "@x", "-"]))


@st.composite
def a11_rows(draw):
    n = draw(st.integers(1, 5))
    rows = []
    for i in range(n):
        county = draw(st.sampled_from(COUNTIES))
        rows.append([draw(_value(f, i, county)) for f in FIELDS])
    return rows


def write_openpyxl(path: Path, rows) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = A11.sheet
    ws.append([A11.number_label or "序号"] + [f.label for f in FIELDS])
    for i, r in enumerate(rows, 1):
        ws.append([i] + [None] * len(FIELDS))
        for c, v in enumerate(r, 2):
            cell = ws.cell(row=i + 1, column=c)
            cell.value = v
            if isinstance(v, str):
                cell.data_type = "s"      # a typed text, even when it starts with '='
    wb.save(path)


def write_xlsxwriter(path: Path, rows) -> None:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False})
    ws = wb.add_worksheet(A11.sheet)
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, [A11.number_label or "序号"] + [f.label for f in FIELDS])
    for i, r in enumerate(rows, 1):
        ws.write_number(i, 0, i)
        for c, v in enumerate(r, 1):
            if v is None:
                continue
            if isinstance(v, str):
                ws.write_string(i, c, v)
            elif isinstance(v, dt.date):
                ws.write_datetime(i, c, dt.datetime.combine(v, dt.time()), date_fmt)
            else:
                ws.write_number(i, c, v)
    wb.close()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=a11_rows(), writer=st.sampled_from(["openpyxl", "xlsxwriter"]))
def test_a11_roundtrip_never_raises_rows_accounted_numbers_exact(rows, writer):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"附件11_{writer}.xlsx"
        (write_openpyxl if writer == "openpyxl" else write_xlsxwriter)(path, rows)
        wr = read_workbook(path)
        tables = [t for t in wr.tables if t.form_id == "附件11"]
        assert tables, wr.problems
        validate(wr.tables, PACK)
        result = merge_reads([wr])
        acc = result.accounts[0]
        assert acc.rows_read == len(rows) == acc.rows_merged + acc.rows_rejected
        data = tables[0].data
        assert len(data) == len(rows)
        for i, r in enumerate(rows):
            for f, v in zip(FIELDS, r):
                if f.type == "integer" and isinstance(v, int):
                    assert data.iloc[i][f.key] == v, (f.key, v, data.iloc[i][f.key])
                elif f.type in ("money", "area") and isinstance(v, float):
                    assert data.iloc[i][f.key] == v, (f.key, v, data.iloc[i][f.key])


firm_numbers = st.fixed_dictionaries({"employees": st.integers(0, 5000), "revenue": money, "profit": money,
                                      "area": money, "taxes": money})


# an example's cost is writing a whole applicant workbook (~3 s quiet, 8.5 s at load 8), whatever its rows: the
# numbers (the property is each number's) come as 4 workbooks of 6 to 24 firms, not 10 of 1 to 6
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(numbers=st.lists(firm_numbers, min_size=6, max_size=24))
def test_applicant_firms_roundtrip_exact(numbers):
    """附件3 rows written by the template writer (xlsxwriter), then read/validated/merged."""
    with tempfile.TemporaryDirectory() as d:
        base, firms = H.good_base("代县", "属性双创基地", "代县属性有限公司", len(numbers))
        for f, n in zip(firms, numbers):
            f.update(n)
        base["resident_firms"] = len(firms)
        path = Path(d) / "申报表.xlsx"
        from xlbase.templates.workbooks import write_applicant_workbook
        write_applicant_workbook(path, base=base, firms=firms, year=2024)
        wr = read_workbook(path)
        validate(wr.tables, PACK)
        result = merge_reads([wr])
        acc = result.accounts[0]
        assert acc.rows_read == acc.rows_merged + acc.rows_rejected == 1 + len(firms)
        t3 = next(t for t in wr.tables if t.form_id == "附件3")
        for i, f in enumerate(firms):
            for k in ("employees", "revenue", "profit", "area", "taxes"):
                assert t3.data.iloc[i][k] == f[k], (k, f[k], t3.data.iloc[i][k])
