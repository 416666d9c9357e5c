"""The 汇总表's digest (summary_record.digest): what the writer computes is what the reader gives back.

Any value the reader can produce (numbers of any precision, dates, 是/否, texts with edge spaces,
control characters, formula-like or markup-like text) goes through a real 汇总表 written by
write_summary_workbook and read by read_workbook; the digest of the written values equals the
digest of what was read. Numbers also survive LibreOffice's re-save (15 significant digits).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from xlbase import summary_record as sr
from xlbase.forms import SUMMARY_FORM, get_form
from xlbase.identity import base_key
from xlbase.merge.rows import BaseRow, FileAccount, FirmRow, MergeResult
from xlbase.merge.lower import build_record, edited, read_digest, written_digest
from xlbase.read import read_workbook
from xlbase.read.normalise import parse_value
from xlbase.rules import load_pack
from xlbase.summary.workbook import write_summary_workbook

PACK = load_pack()
TRICKY = "甲乙丙ab1=+-@<>&_ \t\n\r\u3000\xa0\x01é"       # edge spaces, control and markup characters
CODES = "0123456789ABCDEFGHJKLMNPQRTUWXY a-"
numbers = st.one_of(st.integers(-10**6, 10**13), st.floats(-1e13, 1e13, allow_nan=False),
                    st.decimals(-10**8, 10**8, places=2).map(str))
raw = {"date": st.dates(dt.date(1950, 1, 1), dt.date(2099, 12, 31)),
       "yesno": st.sampled_from(["是", "否", "有", "无", "√"]) | st.booleans(),
       "credit_code": st.text(CODES, max_size=20)}
text = st.text(TRICKY, max_size=12) | st.sampled_from(["=SUM(A1:A2)", "<r>x</r>", "_x0041_", "@a", "-1"])


def reader_value(f, cells=None):
    """What the reader can give for field `f`: any raw cell (of `cells`), normalised as the reader does."""
    strategy = cells or st.none() | (numbers if f.is_numeric else raw.get(f.type, text))
    return strategy.map(lambda v: parse_value(v, f).value)


def row(fields, **cells):
    return st.fixed_dictionaries({f.key: reader_value(f, cells.get(f.key)) for f in fields})


A11 = [f for f in get_form(SUMMARY_FORM).table_fields if not f.merge_only]
A3 = list(get_form("附件3").table_fields)
names = st.text("甲乙丙丁戊己", min_size=1, max_size=4)
bases = st.lists(row(A11, base_name=names.map(lambda s: f"忻州市忻府区{s}双创基地")),
                 min_size=1, max_size=3, unique_by=lambda r: r["base_name"])
firms = st.lists(row(A3, firm_name=st.text(TRICKY + "丁戊", min_size=1, max_size=8).map(lambda s: f"{s}有限公司")),
                 max_size=6)


def _result(base_rows: list[dict], firm_rows: list[list[dict]]) -> MergeResult:
    src = "/收件/忻府区/申报表.xlsx"
    out_bases, out_firms = [], []
    for i, (values, rows) in enumerate(zip(base_rows, firm_rows)):
        key = base_key(values["base_name"], values.get("operator"))
        out_bases.append(BaseRow(key, values, "忻州市", "忻府区", src, "附件10", 5 + i, "applicant", i))
        out_firms += [FirmRow(tuple(r[f.key] for f in A3), key, values["base_name"], src, "附件3", 6 + j, f"C{6 + j}")
                      for j, r in enumerate(rows)]
    return MergeResult(out_bases, out_firms, [], [FileAccount(src, "ok", None)], {src: "申报表.xlsx"})


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_written_digest_is_what_the_reader_reads_back(data):
    base_rows = data.draw(bases)
    firm_rows = [data.draw(firms) for _ in base_rows]
    result = _result(base_rows, firm_rows)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "汇总表.xlsx"
        record = build_record(result, [], level="county", unit="忻府区", pack=PACK)
        write_summary_workbook(out, result, [], level="county", year=PACK.year, unit="忻府区", as_of=PACK.as_of,
                               pack=PACK, record=record)
        wr = read_workbook(out)
    assert wr.record is not None and wr.record["digest"] == written_digest(result)
    assert read_digest(wr.tables) == wr.record["digest"] and not edited(wr)


@settings(max_examples=500, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15))
def test_a_number_read_back_has_its_canonical_value(x):
    """xlsxwriter writes 16 significant digits; the number read back has x's canonical value; the
    column fast path (short decimals taken as they are) agrees with the definition."""
    written = float(f"{x:.16G}")
    assert sr.canonical_number(written) == sr.canonical_number(x)
    assert sr.number_bytes([x, None]) == np.array([sr.canonical_number(x), np.nan]).tobytes()


@settings(max_examples=500, deadline=None)
@given(st.decimals(-10**9, 10**9, places=4, allow_nan=False,
                   allow_infinity=False), st.integers(-2, 2))
def test_a_number_resaved_with_15_digits_keeps_its_canonical_value(d, noise):
    """LibreOffice saves 15 significant digits: a clerk's decimal, even with a formula's float noise in
    the last bits, keeps its canonical value."""
    x = float(d)
    assume(x != 0)               # noise is relative: next to 0 it is a denormal, not a rounding slip
    noisy = float(np.nextafter(x, np.inf if noise > 0 else -np.inf)) if noise else x
    assert sr.canonical_number(float(f"{noisy:.15G}")) == sr.canonical_number(noisy) == sr.canonical_number(x)


def test_edits_change_the_digest():
    a = [("附件3.employees", sr.number_bytes([30, 12])), ("附件3.firm_name", sr.text_bytes(["甲", "乙"]))]
    changed = [[("附件3.employees", sr.number_bytes([30, 13])), a[1]],
               [a[0], ("附件3.firm_name", sr.text_bytes(["甲", "乙丙"]))],
               [a[0], ("附件3.firm_name", sr.text_bytes(["甲乙", None]))],
               [("附件3.employees", sr.number_bytes([30, 12, None])), a[1]]]
    assert len({sr.digest(a), *(sr.digest(c) for c in changed)}) == 1 + len(changed)


def _written(tmp_path: Path, firm_name: str = "甲有限公司") -> Path:
    base = {f.key: None for f in A11} | {"base_name": "忻州市忻府区甲双创基地", "resident_firms": 1}
    firm = {f.key: None for f in A3} | {"firm_name": firm_name, "employees": 12}
    result = _result([base], [[firm]])
    out = tmp_path / "汇总表.xlsx"
    record = build_record(result, [], level="county", unit="忻府区", pack=PACK)
    write_summary_workbook(out, result, [], level="county", year=PACK.year, unit="忻府区", as_of=PACK.as_of,
                           pack=PACK, record=record)
    return out


def test_the_record_keeps_the_field_list_its_digest_was_computed_over(tmp_path, monkeypatch):
    """A field removed from a form spec after a 汇总表 was written does not make it look hand-edited: the
    record keeps one digest per column (its field list), and the columns both know are compared. An edit
    to one of those is still found; a record of an older xlbase (one digest only) is checked as before."""
    import dataclasses

    import openpyxl

    from xlbase.merge import lower
    wr = read_workbook(_written(tmp_path))
    columns = wr.record["digest_columns"]
    assert {f"{SUMMARY_FORM}.{f.key}" for f in A11} | {f"附件3.{f.key}" for f in A3} <= set(columns)
    assert not edited(wr)

    a11, a3 = lower._digest_fields()
    dropped = [f for f in a3 if f.key == "employees"]
    monkeypatch.setattr(lower, "_digest_fields", lambda: (a11[1:], tuple(f for f in a3 if f not in dropped)))
    assert not edited(wr)                                         # today's spec lacks 附件11's first field and 职工人数
    older = dataclasses.replace(wr, record={k: v for k, v in wr.record.items() if k != "digest_columns"})
    assert edited(older)                                          # an older record cannot tell: it says edited

    (tmp_path / "b").mkdir()
    path = _written(tmp_path / "b")
    wb = openpyxl.load_workbook(path)
    ws = wb["入驻企业"]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == "甲有限公司")
    cell.value = "乙有限公司"                                      # a name retyped by hand after the merge
    wb.save(path)
    assert edited(read_workbook(path))
