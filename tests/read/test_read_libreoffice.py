"""LibreOffice headless, the last-resort reader: formats no Python reader opens are read where it is
installed and named truly where it is not; a workbook with no content is called empty, not "no form".
"""

from __future__ import annotations

import struct
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from conftest import soffice_convert
from formats import a11_spans, write_xlsx
from table_layouts import a11_block

from xlbase.read import read_files, read_workbook
from xlbase.read.limits import DEFAULT_LIMITS

BASES = [("忻州市忻府区晨光楼宇双创基地", "忻州晨光企业管理有限公司"), ("忻州市忻府区云中双创基地", "忻州云中科技有限公司")]


def _wk1(path: Path, rows: list[list]) -> Path:
    """A Lotus 1-2-3 release 2 worksheet: BOF (version 0x0406), LABEL and NUMBER records, EOF."""
    def rec(rtype: int, body: bytes) -> bytes:
        return struct.pack("<HH", rtype, len(body)) + body
    out = [rec(0x0000, struct.pack("<H", 0x0406))]
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if isinstance(v, (int, float)):
                out.append(rec(0x000E, struct.pack("<BHHd", 0xFF, c, r, float(v))))
            else:
                out.append(rec(0x000F, struct.pack("<BHH", 0xFF, c, r) + b"'" + v.encode("ascii") + b"\0"))
    out.append(rec(0x0001, b""))
    path.write_bytes(b"".join(out))
    return path


WK1_ROWS = [["name", "firms", "staff"], ["north", 12, 30], ["south", 7, 18], ["east", 3, 9]]


@pytest.mark.libreoffice
def test_a_format_only_libreoffice_reads_is_read_and_named(tmp_path):
    """SYLK (made by LibreOffice from the county's .xlsx) gives the same bases; the info names SYLK and LibreOffice."""
    rows = a11_block(BASES, org="填报单位：忻府区工信局")
    xlsx = write_xlsx(tmp_path / "附件11.xlsx", rows, a11_spans(0))
    slk = soffice_convert(xlsx, "slk", tmp_path / "slk")
    lotus = _wk1(tmp_path / "旧表.wk1", WK1_ROWS)
    sylk_read, lotus_read = read_files([slk, lotus], jobs=2)
    assert sylk_read.ok, [p.message for p in sylk_read.problems]
    [t] = [t for t in sylk_read.tables if t.form_id == "附件11"]
    assert t.data["base_name"].tolist() == [b[0] for b in BASES]
    assert t.data["operator"].tolist() == [b[1] for b in BASES]
    [note] = [p for p in sylk_read.problems if p.rule == "file-reader"]
    assert note.severity == "info" and "SYLK" in note.message and "LibreOffice" in note.message
    # a Lotus sheet without a form: read (its rows are named where they are), not refused as Lotus
    assert lotus_read.status == "no-form", [p.message for p in lotus_read.problems]
    assert "没有找到可识别的表格" in lotus_read.problems[0].message
    [unread] = [p for p in lotus_read.problems if p.rule == "unread-sheet"]
    assert "A1:C4" in unread.message
    assert any("Lotus 1-2-3" in p.message and "LibreOffice" in p.message for p in lotus_read.problems)


def test_without_libreoffice_such_a_format_is_named_and_refused(tmp_path):
    off = replace(DEFAULT_LIMITS, libreoffice_seconds=0)
    wr = read_workbook(_wk1(tmp_path / "旧表.wk1", WK1_ROWS), limits=off)
    assert wr.status == "unsupported-format"
    assert "Lotus 1-2-3" in wr.problems[0].message and "另存为 .xlsx" in wr.problems[0].message


def test_a_workbook_with_nothing_in_it_is_called_empty(tmp_path):
    wb = openpyxl.Workbook()
    wb.create_sheet("Sheet2")["C3"] = "   "
    wb.save(tmp_path / "空表.xlsx")
    wr = read_workbook(tmp_path / "空表.xlsx")
    assert wr.status == "no-form" and "工作表都是空的" in wr.problems[0].message
    wb["Sheet2"]["D4"] = "备注"
    wb.save(tmp_path / "有字.xlsx")
    assert "没有找到可识别的表格" in read_workbook(tmp_path / "有字.xlsx").problems[0].message


def test_the_officer_can_turn_libreoffice_off(monkeypatch, tmp_path):
    from xlbase.read.limits import Limits, _from_env
    monkeypatch.setenv("XLBASE_LIBREOFFICE_SECONDS", "0")
    off = _from_env(Limits())
    assert off.libreoffice_seconds == 0
    assert read_workbook(_wk1(tmp_path / "旧表.wk1", WK1_ROWS), limits=off).status == "unsupported-format"
    monkeypatch.setenv("XLBASE_LIBREOFFICE_SECONDS", "-5")
    assert _from_env(Limits()).libreoffice_seconds == Limits().libreoffice_seconds   # no time at all: ignored


@pytest.mark.libreoffice
def test_libreoffice_past_its_time_is_stopped_and_the_file_named(tmp_path):
    """A conversion that outlasts libreoffice_seconds is killed with its process group; the file is
    named as what it is, and no soffice.bin of ours is left."""
    import os
    rushed = replace(DEFAULT_LIMITS, libreoffice_seconds=0.05)
    wr = read_workbook(_wk1(tmp_path / "旧表.wk1", WK1_ROWS), limits=rushed)
    assert wr.status == "unsupported-format" and "Lotus 1-2-3" in wr.problems[0].message
    assert [pid for pid in _children(os.getpid()) if "soffice" in _name(pid)] == []


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
        except (OSError, IndexError, ValueError):
            continue
    return out


def _name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text()
    except OSError:
        return ""
