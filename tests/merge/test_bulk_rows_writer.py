"""The 入驻企业 rows spliced as sheet XML (bulk_rows) hold exactly what xlsxwriter would write."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
from hypothesis import given, settings, strategies as st

from merge_helpers import applicant_read, base_row, firm
from xlbase.merge.core import merge_reads
from xlbase.ooxml.bulk_rows import excel_date, text_rest
from xlbase.summary.workbook import write_summary_workbook
from xlbase.summary.sheets import FIRMS_HEAD_ROW
from xlsxwriter.utility import _datetime_to_excel_datetime

A = "忻州市忻府区云中双创基地"
ODD = ["甲", " lead", "trail ", "a&b<c>\"'", "=1+1", "-5", "+86", "@SUM(A1)", "\t=cmd", "a\nb",
       "é\U0001F600", "x" * 300]
HEAD = FIRMS_HEAD_ROW + 1      # 1-based row of the 入驻企业 header (0-based index of the first firm row)
INJECT = ["<r><t>z</t></r>", "<r>x</r></t></is></c><c r=\"Z9\"><f>1+1</f></c><c><is><r><t>y</t></r>"]


def _stub(wb, problems):
    wb.add_worksheet("问题清单")


def _write(tmp_path, names, monkeypatch, mode):
    monkeypatch.setenv("XLBASE_XLSXWRITER_ROWS", mode)
    firms = [firm(n, f"91140900MA0K{i:06d}", employees=i) for i, n in enumerate(names)]
    firms[0]["entered_on"] = dt.date(2020, 5, 6)
    firms[1]["entered_on"] = dt.date(1900, 3, 1)
    firms[2]["revenue"] = 12.345678901234567
    res = merge_reads([applicant_read("in/a.xlsx", base_row(A, "云中公司", firms=len(firms)), firms)])
    out = tmp_path / f"汇总表{mode}.xlsx"
    write_summary_workbook(out, res, [], level="county", year=2024, unit="", add_problems_sheet=_stub)
    return out


def _cells(path):
    ws = openpyxl.load_workbook(path)["入驻企业"]
    return ws.dimensions, ws.auto_filter.ref, [
        [(c.value, c.data_type, c.number_format, c.quotePrefix, c.border.left.style) for c in row]
        for row in ws.iter_rows()]


def test_bulk_rows_match_xlsxwriter(tmp_path, monkeypatch):
    fast = _cells(_write(tmp_path, ODD, monkeypatch, "0"))
    slow = _cells(_write(tmp_path, ODD, monkeypatch, "1"))
    assert fast == slow
    names = [row[4][0] for row in fast[2][HEAD:]]        # title, 填报单位 line, header, then the firms
    assert names == ODD
    assert fast[2][HEAD][6][0] == dt.datetime(2020, 5, 6) and fast[2][HEAD][6][2] == "yyyy-mm-dd"


def test_bulk_rows_keep_rich_text_lookalikes_as_text(tmp_path, monkeypatch):
    """xlsxwriter passes "<r>…</r>" through as raw XML; the bulk writer escapes it."""
    out = _write(tmp_path, ["甲", "乙", "丙", *INJECT], monkeypatch, "0")
    with zipfile.ZipFile(out) as zf:
        part = next(n for n in zf.namelist() if n.startswith("xl/worksheets/") and b"<autoFilter" in zf.read(n))
        xml = zf.read(part).decode()
    assert "<f>" not in xml
    ws = openpyxl.load_workbook(out)["入驻企业"]
    rows = [HEAD + 4, HEAD + 5]        # the 4th and 5th firm
    assert [ws.cell(r, 5).value for r in rows] == INJECT
    assert all(ws.cell(r, 5).data_type == "s" for r in rows)


@settings(max_examples=300)
@given(st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)))
def test_excel_date_matches_xlsxwriter(d):
    as_dt = dt.datetime(d.year, d.month, d.day)
    assert excel_date(d) == _datetime_to_excel_datetime(as_dt, False, False)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",))))
def test_inline_text_is_well_formed_and_round_trips(text):
    """Any text: well-formed XML, and Excel's _xHHHH_ decoding gives the text back."""
    from xml.etree import ElementTree as ET
    el = ET.fromstring('<c r="A1' + text_rest(text, 3))
    assert el.get("t") == "inlineStr" and el.find("f") is None
    got = el.find("is/t").text or ""
    assert re.sub(r"_x([0-9a-fA-F]{4})_", lambda m: chr(int(m.group(1), 16)), got) == text


def test_spliced_part_is_sound_deflate_whichever_compressor(tmp_path, monkeypatch):
    """The firm rows' part is deflated by zlib-ng when installed (ooxml.bulk_rows._use_fast_deflate), else by
    zlib: either way every member passes its CRC check and the rows read back the same."""
    import builtins

    (tmp_path / "ng").mkdir()
    fast = _write(tmp_path / "ng", ODD, monkeypatch, "0")
    real_import = builtins.__import__

    def no_zlib_ng(name, *args, **kwargs):
        if name.startswith("zlib_ng"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_zlib_ng)
    (tmp_path / "std").mkdir()
    plain = _write(tmp_path / "std", ODD, monkeypatch, "0")
    monkeypatch.undo()
    for path in (fast, plain):
        with zipfile.ZipFile(path) as zf:
            assert zf.testzip() is None
    assert _cells(fast) == _cells(plain)


def _merged(n: int):
    names = (ODD * (n // len(ODD) + 1))[:n]
    firms = [firm(f"{name}{i}", f"91140900MA0K{i:06d}", employees=i) for i, name in enumerate(names)]
    firms[0]["entered_on"] = dt.date(2020, 5, 6)
    return merge_reads([applicant_read("in/a.xlsx", base_row(A, "云中公司", firms=len(firms)), firms)])


def _members(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None      # every member's CRC and sizes, the spliced one's combined from its pieces
        return {n: zf.read(n) for n in zf.namelist()}


def _write_with(tmp_path, name, res, ahead=None):
    out = tmp_path / name
    write_summary_workbook(out, res, [], level="county", year=2024, unit="", add_problems_sheet=_stub, firm_rows=ahead)
    return out


def test_rows_rendered_by_the_helper_are_the_rows_rendered_here(tmp_path, monkeypatch):
    """The 入驻企业 rows deflated by a helper process (FirmRowsAhead, ooxml.row_render) and spliced between
    the sheet's own head and tail give a workbook whose every member holds the bytes of the one written
    in process (several row blocks: more firms than FirmXml.CHUNK)."""
    from xlbase.ooxml import bulk_rows
    from xlbase.summary import sheets

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    res = _merged(sheets.FirmXml.CHUNK * 2 + 7)
    here = _write_with(tmp_path, "here.xlsx", res)
    monkeypatch.setattr(sheets, "AHEAD_MIN_FIRMS", 1)
    used = []
    real = bulk_rows.write_deflated
    monkeypatch.setattr(bulk_rows, "write_deflated", lambda *a: used.append(real(*a)) or used[-1])
    ahead = sheets.FirmRowsAhead.start(res)
    assert ahead is not None
    helped = _write_with(tmp_path, "helped.xlsx", res, ahead)
    ahead.close()
    assert used == [True]
    assert _members(helped) == _members(here)
    assert _cells(helped) == _cells(here)
    assert not [p for p in (ahead.renderer.blocks_path, ahead.renderer.out_path) if Path(p).exists()]


def test_rows_are_rendered_here_when_the_helper_fails_or_differs(tmp_path, monkeypatch):
    """A helper whose rows did not all reach their file, or rows made with other style indices, are not
    used: the rows are rendered in process and the workbook is the same."""
    import os

    from xlbase.summary import sheets

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setattr(sheets, "AHEAD_MIN_FIRMS", 1)
    res = _merged(30)
    here = _members(_write_with(tmp_path, "here.xlsx", res))
    short = sheets.FirmRowsAhead.start(res)
    assert short.renderer.proc.wait() == 0
    os.truncate(short.renderer.out_path, os.path.getsize(short.renderer.out_path) // 2)
    other = sheets.FirmRowsAhead.start(res)
    other.xfs = [x + 1 for x in other.xfs]
    for name, ahead in (("short.xlsx", short), ("other.xlsx", other)):
        assert _members(_write_with(tmp_path, name, res, ahead)) == here
        ahead.close()
    assert short.renderer._result is None


def test_small_merges_render_their_rows_here():
    """Below AHEAD_MIN_FIRMS no helper is started (it costs more than the rows)."""
    from xlbase.summary.sheets import FirmRowsAhead

    assert FirmRowsAhead.start(_merged(30)) is None
