"""An .xlsb saved by Excel 2007 Beta 2 is read, not called damaged.

The bug: 0539_Simple.xlsb (a public test file: "This is an example spreadsheet created with
Microsoft Excel 2007 Beta 2." in A1) was "已损坏（内部结构错误）": calamine panicked (no entry
found for key) and pyxlsb raised KeyError, because the beta wrote each sheet's record
(BrtBundleSh) with one 4-byte field more; LibreOffice opens it but drops the cell (an empty
sheet: "工作表都是空的" would be wrong too). The fixture is our own .xlsb writer's output with
the sheet record in the beta layout.
"""

from __future__ import annotations

from pathlib import Path

from table_layouts import a11_block
from xlsb_writer import write_xlsb

from xlbase.read import read_files

BASES = [("忻州市忻府区晨光楼宇双创基地", "忻州晨光企业管理有限公司"), ("忻州市忻府区云中双创基地", "忻州云中科技有限公司")]
ROWS = a11_block(BASES, org="填报单位：忻府区工信局")


def _a11(wr) -> list[dict]:
    [t] = [t for t in wr.tables if t.form_id == "附件11"]
    return t.data.drop(columns=[c for c in t.data.columns if c.startswith("_")]).to_dict("records")


def test_a_county_table_saved_by_the_beta_reads_as_the_released_xlsb(tmp_path: Path):
    released = write_xlsb(tmp_path / "附件11.xlsb", ROWS, "附件11")
    beta = write_xlsb(tmp_path / "附件11_beta.xlsb", ROWS, "附件11", beta=True)
    want, got = read_files([released, beta], jobs=2)
    assert got.ok, [p.message for p in got.problems]
    assert _a11(got) == _a11(want) and [b["base_name"] for b in _a11(got)] == [b[0] for b in BASES]
    [note] = [p for p in got.problems if p.rule == "file-reader"]
    assert note.severity == "info" and "Excel 2007 测试版" in note.message


def test_a_beta_xlsb_with_a_sentence_only_is_told_it_holds_no_form(tmp_path: Path):
    path = write_xlsb(tmp_path / "Simple.xlsb", [["This is an example spreadsheet created with Microsoft Excel 2007"
                                                   " Beta 2."]], beta=True)
    [wr] = read_files([path], jobs=1)
    assert wr.status == "no-form", [p.message for p in wr.problems]
    assert "没有找到可识别的表格" in wr.problems[0].message


def test_only_a_beta_sheet_list_is_rewritten(tmp_path: Path):
    import zipfile

    from xlbase.read.formats.xlsb import released_sheet_records
    for beta in (False, True):
        path = write_xlsb(tmp_path / f"{beta}.xlsb", [["x"]], beta=beta)
        with zipfile.ZipFile(path) as zf:
            part = zf.read("xl/workbook.bin")
        fixed = released_sheet_records(part)
        assert (fixed is not None) == beta
        if beta:
            assert released_sheet_records(fixed) is None      # in the released layout now
            assert len(fixed) == len(part) - 4
