"""Every format an office sends is read into the same forms, with the same cells, as the .xlsx it was made from.

One county's 附件11 (title, 填报单位 line, a merged group row over the labels, two bases) is
written as .xlsx and as what web systems, other suites and older Excel versions send: a web page
named .xls (GB2312 declared, GBK undeclared), Excel's single-file web page, CSV in GBK / UTF-8
with BOM / UTF-16 with tabs, .xlsb, SpreadsheetML 2003, a flat .fods, an Excel 2.1 .xls. Each
must give the .xlsx's table: same values, same rows and columns (a person finds them in the
file), and an info naming the real format when the name says otherwise. Then the HTML ".xls",
the GBK .csv and the .xlsb merge to the same 附件11 as the .xlsx.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from formats import (a11_spans, write_biff2, write_csv, write_fods, write_html, write_mhtml, write_strict, write_xlsx,
                     write_xml2003)
from table_layouts import a11_block
from xlsb_writer import write_xlsb

from xlbase.read import read_files, read_workbook

BASES = [("忻州市忻府区晨光楼宇双创基地", "忻州晨光企业管理有限公司"), ("忻州市忻府区云中双创基地", "忻州云中科技有限公司")]
ROWS = a11_block(BASES, org="填报单位：忻府区工信局")
SPANS = a11_spans(0)

VERSIONS = {
    "附件11.xlsx": lambda p: write_xlsx(p, ROWS, SPANS),
    "网页导出.xls": lambda p: write_html(p, ROWS, SPANS, encoding="gb2312"),
    "网页导出无声明.xls": lambda p: write_html(p, ROWS, SPANS, encoding="gbk", declare=False),
    "网页UTF8.htm": lambda p: write_html(p, ROWS, SPANS, encoding="utf-8"),
    "单个文件网页.xls": lambda p: write_mhtml(p, ROWS, SPANS),
    "附件11.csv": lambda p: write_csv(p, ROWS, encoding="gbk"),
    "附件11_utf8.csv": lambda p: write_csv(p, ROWS, encoding="utf-8-sig"),
    "附件11.txt": lambda p: write_csv(p, ROWS, encoding="utf-16", delimiter="\t"),
    "附件11.xlsb": lambda p: write_xlsb(p, ROWS, "附件11"),
    "附件11_2003.xml": lambda p: write_xml2003(p, ROWS, SPANS),
    "附件11_xml2003.xls": lambda p: write_xml2003(p, ROWS, SPANS),
    "附件11.fods": lambda p: write_fods(p, ROWS),
    "附件11_excel21.xls": lambda p: write_biff2(p, ROWS),
    "附件11_strict.xlsx": lambda p: write_strict(p, ROWS, SPANS),
}
#: the real format named in an info when the file's name says otherwise
NAMED = {"网页导出.xls": "网页（HTML）表格", "网页导出无声明.xls": "网页（HTML）表格", "单个文件网页.xls": "单个文件网页",
         "附件11_xml2003.xls": "Excel 2003 XML 表格"}


def _table(wr):
    [t] = [t for t in wr.tables if t.form_id == "附件11"]
    values = t.data.drop(columns=[c for c in t.data.columns if c.startswith("_")]).to_dict("records")
    return values, dict(t.columns), t.data["_row"].tolist(), t.header_row


@pytest.fixture(scope="module")
def versions(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("formats")
    return {name: make(d / name) for name, make in VERSIONS.items()}


def test_every_version_reads_as_the_xlsx(versions):
    reads = dict(zip(versions, read_files(list(versions.values()), jobs=2)))
    expected = _table(reads["附件11.xlsx"])
    assert [v["base_name"] for v in expected[0]] == [b[0] for b in BASES]
    assert expected[0][0]["registered_on"] == dt.date(2018, 5, 10)
    for name, wr in reads.items():
        assert wr.ok, (name, [p.message for p in wr.problems])
        assert _table(wr) == expected, name
        formats = [p for p in wr.problems if p.rule == "file-format"]
        if name in NAMED:
            [p] = formats
            assert p.severity == "info" and NAMED[name] in p.message and name in p.message
        else:
            assert not formats, (name, formats)


def _a11_cells(path: Path) -> list[tuple]:
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = [r for r in wb["附件11"].iter_rows(min_row=5, values_only=True) if any(v not in (None, "") for v in r)]
    return rows


@pytest.mark.parametrize("name", ["网页导出.xls", "附件11.csv", "附件11.xlsb"])
def test_merges_to_the_same_summary_as_the_xlsx(versions, tmp_path, name):
    from xlbase.commands.merge import merge_command

    outs = {}
    for version in ("附件11.xlsx", name):
        inbox = tmp_path / version / "忻州市" / "忻府区"
        inbox.mkdir(parents=True)
        (inbox / version).write_bytes(versions[version].read_bytes())
        outs[version] = tmp_path / f"{version}.汇总.xlsx"
        result = merge_command([str(tmp_path / version)], out=outs[version], jobs=1, quiet=True)
        assert result.exit_code in (0, 1), result.errors
    want, got = _a11_cells(outs["附件11.xlsx"]), _a11_cells(outs[name])
    assert len(want) == len(BASES) + 1       # the bases and the 汇总 row
    source = [tuple(name if v == "附件11.xlsx" else v for v in row) for row in want]   # the 来源文件 column
    assert got == source and source != want


def test_html_reads_the_charset_it_declares(tmp_path):
    """A page declared UTF-8 but holding GBK would be mojibake: the declaration wins, then UTF-8, then GBK."""
    big5 = tmp_path / "big5.htm"
    big5.write_bytes('<html><head><meta charset="big5"></head><body><table><tr><td>基地名稱</td></tr></table>'
                     "</body></html>".encode("big5"))
    from xlbase.read.formats.html import read_html
    assert read_html(str(big5))[0].rows == [["基地名稱"]]


def test_csv_dialects_and_encodings(tmp_path):
    from xlbase.read.formats.text import read_text
    rows = [["序号", "基地名称", "已入驻企业数"], ["1", "忻州市代县雁门双创基地", "30"]]
    for i, (enc, sep) in enumerate([("gb18030", ";"), ("utf-8", "|"), ("utf-16", "，"), ("gb18030", "\t")]):
        p = tmp_path / f"t{i}.csv"
        p.write_bytes("\r\n".join(sep.join(r) for r in rows).encode(enc))
        assert read_text(str(p))[0].rows == rows, (enc, sep)


def test_text_file_without_a_form_is_set_aside(tmp_path):
    notes = tmp_path / "说明.txt"
    notes.write_text("各县：\n请于8月20日前报送，联系人：张三, 电话 1234。\n", encoding="gbk")
    wr = read_workbook(notes)
    assert wr.status == "not-spreadsheet" and [p.severity for p in wr.problems] == ["info"]


def test_ods_merged_ranges_count_repeated_rows_and_cells(tmp_path):
    """content.xml says a merge on its first cell (table:number-rows-spanned / number-columns-spanned); the cells
    before it may be repeats and the rows before it repeated rows: the range is placed counting both, per table."""
    import ods

    from xlbase.read.grid import load_sheets

    row = "<table:table-row>{}</table:table-row>"
    span = ('<table:table-cell table:number-rows-spanned="3" table:number-columns-spanned="2" '
            'office:value-type="string"><text:p>榆次区</text:p></table:table-cell>')
    tables = ('<table:table table:name="甲">'
              '<table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>'
              + row.format('<table:table-cell table:number-columns-repeated="3"/>' + span
                           + '<table:table-cell office:value-type="string"><text:p>甲基地</text:p></table:table-cell>')
              + row.format('<table:table-cell table:number-columns-repeated="3"/><table:covered-table-cell '
                           'table:number-columns-repeated="2"/><table:table-cell office:value-type="string">'
                           '<text:p>乙基地</text:p></table:table-cell>')
              + "</table:table>"
              '<table:table table:name="乙 &amp; 丙">' + row.format(
                  '<table:table-cell table:number-columns-spanned="4" office:value-type="string">'
                  "<text:p>标题</text:p></table:table-cell>") + "</table:table>")
    path = ods.write_raw(tmp_path / "m.ods", tables)
    got = {s.name: s.merged for s in load_sheets(str(path), "ods")}
    assert got == {"甲": ((2, 3, 4, 4),), "乙 & 丙": ((0, 0, 0, 3),)}
