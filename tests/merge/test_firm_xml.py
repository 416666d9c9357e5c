"""The 入驻企业 rows built a column at a time hold exactly the cells the per-cell rules give.

`FirmXml` writes uniform columns through the row template and mixed ones with inline
fast paths; the reference here renders every cell through `FirmCells.row` + `rest`, the
rules the xlsxwriter path (XLBASE_XLSXWRITER_ROWS=1) also uses.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import xlsxwriter
from hypothesis import example, given, settings, strategies as st

from merge_helpers import applicant_read, base_row, firm
from xlbase.merge.core import merge_reads
from xlbase.merge.rows import firm_keys
from xlbase.ooxml.bulk_rows import SERIAL_FROM, SERIAL_ZERO, BulkRows, excel_date
from xlbase.summary.firm_xml import FirmXml, _all_plain
from xlbase.summary.sheets import firm_cells
from xlbase.templates.styles import Styles
from xlbase.forms import get_form

A = "忻州市忻府区云中双创基地"
TEXTS = ["甲", "", " lead", "trail ", "a&b", "<r>x</r>", "=1+1", "-5", "+86", "@x", "\tx", "a\nb", "_x0041_",
         "\x07bell", "\ud800", "é\U0001F600", "x" * 32768]
cell_values = st.one_of(st.none(), st.sampled_from(TEXTS), st.text(max_size=6), st.integers(-10**17, 10**17),
                        st.floats(allow_nan=False), st.booleans(), st.dates(dt.date(1899, 12, 1), dt.date(2100, 1, 1)),
                        st.datetimes(dt.datetime(1899, 12, 1), dt.datetime(2100, 1, 1)))
# a column of one kind (numbers, dates, plain texts, blanks...), so the template path is exercised
KINDS = [[1, 2.5, -3], [dt.date(2020, 5, 6), dt.date(1900, 3, 1), dt.date(1900, 2, 28), dt.date(1900, 1, 1)],
         ["甲", "乙 丙", "x" * 32767, "x" * 32768, "a&b"], [None], [True], TEXTS]


@st.composite
def firm_rows(draw):
    n = draw(st.integers(1, 9))
    cols = [draw(st.lists(st.sampled_from(draw(st.sampled_from(KINDS))) if draw(st.booleans()) else cell_values,
                          min_size=n, max_size=n)) for _ in range(10)]
    return [list(r) for r in zip(*cols)]


def _setup(tmp_path, rows):
    res = merge_reads([applicant_read("in/a.xlsx", base_row(A, "=云中公司"), [firm("甲", "91140900MA0K000001")])])
    proto = res.firms[0]
    res.firms = [dataclasses.replace(proto, values=tuple(v), row=5 + i, sheet="附件3" if i % 2 else "=s")
                 for i, v in enumerate(rows)]
    wb = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"))
    cells = firm_cells(Styles(wb), res, list(get_form("附件3").table_fields))
    return res, cells


def _reference(xml: FirmXml, bulk: BulkRows, firms) -> str:
    out = []
    for i, f in enumerate(firms, start=1):
        r = str(i + 1)
        out.append(f'<row r="{r}">' + "".join(f'<c r="{col}{r}' + xml.rest(c)
                                             for col, c in zip(bulk.cols, xml.cells.row(i, f))) + "</row>")
    return "".join(out)


@settings(max_examples=200, deadline=None)
@given(firm_rows(), st.integers(1, 4))
@example([[None] * 9 + ["\ufffe"]], 1)        # a noncharacter the per-cell rules write _xFFFE_ (sent raw before)
@example([[None] * 9 + ["a\uffffb"]], 1)      # the column check's own separator inside a text
def test_column_wise_rows_equal_per_cell_rows(tmp_path_factory, rows, chunk):
    res, cells = _setup(tmp_path_factory.mktemp("x"), rows)
    xml = FirmXml(cells)
    xml.CHUNK = chunk
    bulk = BulkRows(3, 1, 17, len(res.firms), xml.chunks(res.firms))
    assert b"".join(bulk.blocks()).decode() == _reference(xml, bulk, res.firms)


def test_uniform_columns_use_the_template(tmp_path):
    rows = [["甲", "9114", dt.date(2020, 5, 6), 1.5, 3, 1.0, 2.0, 3.0, None, "微型"]] * 4
    res, cells = _setup(tmp_path, rows)
    parts, cols = FirmXml(cells).chunk(res.firms, 1)
    assert len(cols) == 17 - 1            # the all-blank 所属行业 column takes no values
    assert sum("{}" in p or "{:" in p for p in parts) == len(cols)


# One text at a time: what makes a text more than a copy into <t> (see summary_sheets).
_NOT_PLAIN = re.compile(r"\A[=+\-@\s]|[\x00-\x1f&<>\ud800-\udfff\ufffe\uffff]|_x[0-9a-fA-F]{4}_|\s\Z")
_TRICKY = st.text(st.sampled_from("a甲 \t\u3000\n=+-@&<>_x0F5\x01\ud800\uffff"), max_size=8)
_SPACED = st.text(st.sampled_from("a甲0 \u3000_xF5"), max_size=8)   # edge spaces, _xHHHH_, nothing else


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(_SPACED, _TRICKY, st.text(max_size=6)), max_size=6))
@example(["甲", "a_x00F5_b"])
@example(["甲", "乙 "])
def test_joined_column_check_is_the_per_text_check(texts):
    if _all_plain(texts):
        assert not any(map(_NOT_PLAIN.search, texts))
    assert _all_plain(texts) == (not any(map(_NOT_PLAIN.search, texts)))


@given(st.dates(SERIAL_FROM, dt.date(9999, 12, 31)))
def test_whole_day_serial_is_excel_date(d):
    assert d.toordinal() - SERIAL_ZERO == excel_date(d)


def test_firm_keys_are_the_sheet_columns():
    assert firm_keys() == tuple(f.key for f in get_form("附件3").table_fields)
