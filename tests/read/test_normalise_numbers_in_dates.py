"""Numbers in date fields: what a clerk typed into a General cell, not an Excel serial.

Typing 2019.5 into Excel stores the number 2019.5; read as a serial it was 1905-07-11,
and an operator registered last month passed the "registered ≥ 1 year" rule.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from xlbase.forms import get_form
from xlbase.read import read_workbook
from xlbase.read.normalise import (CONVERTED, ESTIMATE, MIN_SERIAL, UNPARSEABLE, parse_credit_code, parse_date,
                                   parse_number)
from xlbase.rules import load_pack, validate


@given(st.integers(1950, 2099), st.integers(2, 12))
def test_year_dot_month_numbers_are_that_month(year, month):
    for typed in (float(f"{year}.{month}"), float(f"{year}.{month:02d}")):
        if typed == float(f"{year}.1"):      # 2019.10 is stored as 2019.1: ambiguous, tested below
            continue
        p = parse_date(typed)
        assert p.value == dt.date(year, month, 1) and p.note == CONVERTED, typed


@given(st.integers(1900, 2100))
def test_a_bare_year_is_reported_not_a_1905_date(year):
    for typed in (year, float(year), str(year)):
        p = parse_date(typed)        # no date: the range of the year's days (note ESTIMATE), judged by the rules
        assert p.value is None and p.note == ESTIMATE and "年份" in p.detail


def test_year_dot_one_is_ambiguous_between_january_and_october():
    p = parse_date(2019.1)
    assert p.value is None and p.note == UNPARSEABLE
    assert "2019-01-01" in p.detail and "2019-10-01" in p.detail


@given(st.floats(min_value=1, max_value=MIN_SERIAL - 1e-9, allow_nan=False))
def test_small_numbers_never_become_early_dates(v):
    p = parse_date(v)
    if p.value is not None:               # only a typed year.month in 1900..2100 may give a date
        assert 1900 <= v < 2101 and p.value.year == int(v) and p.note == CONVERTED
    else:
        assert p.note == UNPARSEABLE


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_real_serials_still_read(d):
    assert parse_date(float((d - dt.date(1899, 12, 30)).days)).value == d


@given(st.integers(1000, 999_999), st.sampled_from(["㎡", "m2", "m²", "平方米", " ㎡"]))
def test_grouped_digits_with_a_unit_that_holds_a_digit(n, unit):
    area = get_form("附件10").field("floor_area")
    text = f"{n:,}{unit}"
    assert parse_number(text, area).value == n, text


def test_apostrophe_typed_to_force_text_is_not_part_of_the_code():
    assert parse_credit_code("'91140900MA0K5X4L2C").value == "91140900MA0K5X4L2C"
    assert parse_credit_code("‘91140900MA0K5X4L2C").value == "91140900MA0K5X4L2C"


def test_registration_typed_as_year_dot_month_fails_the_age_rule(tmp_path):
    """End to end: 注册时间 typed 2024.3 (a number) is March 2024, too young on 2024-08-25."""
    form = get_form("附件10")
    wb = Workbook()
    ws = wb.active
    ws.title = "附件10"
    ws.append([form.title_for(2024)])
    labels = [f.label for f in form.official_table_fields]
    ws.append(labels)
    row = {"base_name": "忻州市五寨县测试双创基地", "operator": "五寨县测试运营有限公司", "registered_on": 2024.3,
           "independent_legal_person": "是"}
    ws.append([row.get(f.key, 30) for f in form.official_table_fields])
    path = tmp_path / "五寨县_附件10.xlsx"
    wb.save(path)

    read = read_workbook(path)
    (table,) = [t for t in read.tables if t.form_id == "附件10"]
    assert table.data["registered_on"].tolist() == [dt.date(2024, 3, 1)]
    col = labels.index("注册时间") + 1
    cell = f"{chr(ord('A') + col - 1)}3"
    converted = [p for p in read.problems if p.rule == "value-converted" and p.cell == cell]
    assert converted, [p.to_dict() for p in read.problems]
    problems = validate(read.tables, load_pack("shanxi-2024-base", dt.date(2024, 8, 25)))
    assert any(p.rule == "operator-age" and p.severity == "error" and p.cell == cell for p in problems), \
        [(p.rule, p.field, p.severity, p.cell) for p in problems]


@given(st.integers(1950, 2099), st.integers(2, 12))
def test_a_number_typed_into_a_date_cell_is_that_number(year, month):
    """A date-formatted cell stores 2019.03 as the date 1905-07-11 00:43:12 (readers give a datetime):
    it is the number the clerk typed, read as numbers are."""
    typed = float(f"{year}.{month:02d}")
    if month == 10:             # 2019.10 is stored as 2019.1: ambiguous, tested above
        return
    as_date = dt.datetime(1899, 12, 30) + dt.timedelta(days=typed)
    p = parse_date(as_date)
    assert p.value == dt.date(year, month, 1) and p.note == CONVERTED
    assert parse_date(dt.datetime(1899, 12, 30) + dt.timedelta(days=year)).note == ESTIMATE   # a bare year
    period = get_form("附件2").field("built_on")
    assert parse_date(dt.date(1899, 12, 30) + dt.timedelta(days=year), period).value == dt.date(year, 1, 1)


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_real_date_cells_still_read(d):
    assert parse_date(dt.datetime(d.year, d.month, d.day)).value == d
    assert parse_date(d).value == d
