"""The sniffer names what a file is by content: formats read, formats named and refused, and true reasons
(encryption in BIFF, Excel's default password, a harmless DOCTYPE, an honest highly compressed part)."""

from __future__ import annotations

import io
import re
import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from xlbase.read import biff, read_workbook
from xlbase.read.sniff import check_xml_safe, inspect_file, XmlBombError


def _rec(rtype: int, body: bytes = b"") -> bytes:
    return struct.pack("<HH", rtype, len(body)) + body


@pytest.mark.parametrize("head, what", [
    (b"\x00\x00\x02\x00\x06\x04" + b"\x00" * 40, "Lotus 1-2-3"),
    (b"\x00\x00\x1a\x00\x02\x10\x04\x00" + b"\x00" * 40, "Lotus 1-2-3"),
    (b"ID;PWXL;N;E\r\nC;Y1;X1;K1\r\nE\r\n", "SYLK"),
    (b'TABLE\r\n0,1\r\n""\r\nVECTORS\r\n', "DIF"),
])
def test_formats_we_do_not_read_are_named(tmp_path, head, what):
    p = tmp_path / "表.xls"
    p.write_bytes(head)
    check = inspect_file(p)
    assert check.code == "unsupported-format" and what in check.message and "另存为 .xlsx" in check.message
    assert check.foreign    # kept for LibreOffice, which reads it where it is installed


def _dbase(fields: list[tuple[str, str, int]], records: list[tuple]) -> bytes:
    """A dBase III table: header, 32-byte field descriptors, 0x0D, fixed-width records, 0x1A."""
    header = 32 + 32 * len(fields) + 1
    record = 1 + sum(width for _, _, width in fields)
    out = struct.pack("<BBBBIHH20x", 0x03, 124, 12, 6, len(records), header, record)
    for name, kind, width in fields:
        out += name.encode().ljust(11, b"\0") + kind.encode() + bytes(4) + bytes([width, 0]) + bytes(14)
    out += b"\x0d"
    for rec in records:
        out += b" " + b"".join(str(v).encode().ljust(w)[:w] for v, (_, _, w) in zip(rec, fields))
    return out + b"\x1a"


def test_other_suites_binary_and_gzip_files_are_named(tmp_path):
    import gzip
    dbf = tmp_path / "企业.dbf"
    dbf.write_bytes(_dbase([("NAME", "C", 20), ("FIRMS", "N", 5)], [("north", 12), ("south", 7)]))
    gnumeric = tmp_path / "表.gnumeric"
    gnumeric.write_bytes(gzip.compress(b'<?xml version="1.0"?><gnm:Workbook xmlns:gnm="http://www.gnumeric.org/v10.dtd">'))
    quattro = tmp_path / "表.wb2"
    quattro.write_bytes(b"\x00\x00\x02\x00\x02\x10" + b"\x00" * 40)
    for p, what in ((dbf, "dBase"), (gnumeric, "Gnumeric"), (quattro, "Quattro Pro")):
        check = inspect_file(p)
        assert check.code == "unsupported-format" and what in check.message and "另存为 .xlsx" in check.message, check
    assert inspect_file(quattro).foreign == "qpw"
    tarball = tmp_path / "报表.tar.gz"
    tarball.write_bytes(gzip.compress(b"not a spreadsheet " * 50))
    assert inspect_file(tarball).code == "archive"
    not_dbase = tmp_path / "x.dbf"
    not_dbase.write_bytes(dbf.read_bytes()[:40] + b"\x01" * 60)     # no header end where its length says
    assert inspect_file(not_dbase).code != "unsupported-format"


def _zip(path: Path, members: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in members.items():
            zf.writestr(name, body)
    return path


def test_zip_spreadsheets_of_other_suites_are_named(tmp_path):
    numbers = _zip(tmp_path / "a.numbers", {"Index/Document.iwa": b"\x00" * 40, "Metadata/Properties.plist": "x"})
    sxc = _zip(tmp_path / "b.sxc", {"mimetype": "application/vnd.sun.xml.calc", "content.xml": "<x/>"})
    sxc_bare = _zip(tmp_path / "c.sxc", {"content.xml": '<?xml version="1.0"?><office:document-content '
                                         'xmlns:office="http://openoffice.org/2000/office"/>'})
    for p, what in ((numbers, "Numbers"), (sxc, "OpenOffice.org 1.x"), (sxc_bare, "OpenOffice.org 1.x")):
        check = inspect_file(p)
        assert check.code == "unsupported-format" and what in check.message and check.foreign, (p.name, check)
    assert inspect_file(_zip(tmp_path / "d.zip", {"a.txt": "x"})).code == "archive"


def test_bare_biff_streams_are_read_and_their_encryption_seen(tmp_path):
    plain = tmp_path / "excel4.xls"
    plain.write_bytes(_rec(0x0409, struct.pack("<HHH", 0, 0x10, 0)) + _rec(0x000A))
    assert inspect_file(plain).kind == "biff"
    locked = tmp_path / "excel5.xls"
    locked.write_bytes(_rec(0x0809, struct.pack("<HHHH", 0x0500, 0x0005, 0, 0)) + _rec(0x002F, b"\x12\x34\x56\x78")
                       + _rec(0x000A))
    assert inspect_file(locked).code == "encrypted"


def test_filepass_only_counts_in_the_globals():
    stream = _rec(0x0809, b"\x00\x06\x05\x00" + b"\x00" * 12) + _rec(0x000A) + _rec(0x002F, b"\x00" * 4)
    assert not biff.is_encrypted(stream)
    assert biff.is_encrypted(_rec(0x0809, b"\x00\x06\x05\x00" + b"\x00" * 12) + _rec(0x002F, b"\x01\x00") + _rec(0x000A))


def test_declared_areas_read_each_sheets_dimensions():
    sheet_at = 100
    globals_ = _rec(0x0809, b"\x00\x06\x05\x00" + b"\x00" * 12) + _rec(0x0085, struct.pack("<I", sheet_at) + b"\x00\x00\x01A")
    globals_ += _rec(0x000A)
    pad = b"\x00" * (sheet_at - len(globals_))
    sheet = _rec(0x0809, b"\x00\x06\x10\x00" + b"\x00" * 12) + _rec(0x0200, struct.pack("<IIHHH", 0, 65536, 0, 256, 0))
    assert biff.declared_areas(globals_ + pad + sheet + _rec(0x000A)) == [65536 * 256]


@given(st.binary(max_size=400))
def test_biff_walkers_never_raise(data):
    biff.is_encrypted(data)
    biff.declared_areas(data)
    biff.is_biff_stream(data)


def test_doctype_without_internal_subset_is_not_a_bomb():
    check_xml_safe(b'<?xml version="1.0"?><!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN"'
                   b' "module.dtd"><script:module/>')
    check_xml_safe(b'<!DOCTYPE html SYSTEM "a>b[c].dtd"><html/>')   # quoted '>' and '[' are part of the identifier
    for bomb in (b'<!DOCTYPE x [<!ENTITY a "b">]><x/>', b'<!DOCTYPE x PUBLIC "p" "s" [<!ENTITY a "b">]><x/>',
                 b"<!ENTITY a 'b'><x/>"):
        with pytest.raises(XmlBombError):
            check_xml_safe(bomb)


def test_a_large_honest_part_passes_the_ratio_a_bomb_does_not(tmp_path):
    from xlbase.read.limits import MB, Limits
    rows = '<row><c t="inlineStr"><is><t>同一内容</t></is></c></row>' * 200_000   # r= is optional
    wb = openpyxl.Workbook()
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(buf) as src:
        members = {i.filename: src.read(i) for i in src.infolist()}
    sheet = re.sub(r"<sheetData\s*/>|<sheetData></sheetData>", f"<sheetData>{rows}</sheetData>",
                   members["xl/worksheets/sheet1.xml"].decode())
    members["xl/worksheets/sheet1.xml"] = sheet
    path = _zip(tmp_path / "big.xlsx", members)
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    ratio = info.file_size / info.compress_size
    assert ratio > 200 and info.file_size < 64 * MB          # repetitive, honest: the ratio alone would refuse it
    assert inspect_file(path).ok
    tight = Limits(ratio_min_bytes=info.file_size - 1)
    assert inspect_file(path, tight).code == "zip-bomb"      # the same part above the size where the ratio counts
    assert inspect_file(path, Limits(max_total_uncompressed=info.file_size // 2)).code == "zip-bomb"


def _encrypted(path: Path, password: str) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile
    from table_layouts import a11_block, workbook
    plain = path.with_suffix(".plain.xlsx")
    workbook(plain, {"附件11": [a11_block([("忻州市代县雁门双创基地", "代县雁门运营有限公司")])]})
    out = io.BytesIO()
    with open(plain, "rb") as fh:
        OOXMLFile(fh).encrypt(password, out)
    plain.unlink()
    path.write_bytes(out.getvalue())
    return path


def test_default_password_is_decrypted_a_real_one_is_not(tmp_path):
    wr = read_workbook(_encrypted(tmp_path / "默认密码.xlsx", "VelvetSweatshop"))
    assert wr.ok and [t.form_id for t in wr.tables] == ["附件11"]
    [note] = [p for p in wr.problems if p.rule == "file-decrypted"]
    assert note.severity == "info" and "默认密码" in note.message and note.file.endswith("默认密码.xlsx")
    locked = read_workbook(_encrypted(tmp_path / "密码.xlsx", "secret"))
    assert locked.status == "encrypted" and "已加密" in locked.problems[0].message


def test_emf_is_an_image(tmp_path):
    p = tmp_path / "图.emf"
    p.write_bytes(b"\x01\x00\x00\x00" + b"\x00" * 36 + b" EMF" + b"\x00" * 60 + b"%PDF in a description")
    assert inspect_file(p).code == "image-file"


BASE_ROWS = [("忻州市代县雁门双创基地", "代县雁门运营有限公司")]


def test_excel95_default_password_is_undone_a_real_one_is_not(tmp_path):
    """An Excel 5.0/95 workbook (a "Book" stream msoffcrypto-tool does not open) XOR-obfuscated with
    Excel's default password is read with an info; with a password of the clerk's it stays 已加密."""
    from biff5_writer import write_biff5
    from table_layouts import a11_block
    rows = a11_block(BASE_ROWS)
    plain = read_workbook(write_biff5(tmp_path / "excel95.xls", rows))
    wr = read_workbook(write_biff5(tmp_path / "excel95默认密码.xls", rows, password="VelvetSweatshop"))
    assert wr.ok and [t.form_id for t in wr.tables] == ["附件11"]
    assert wr.tables[0].data["base_name"].tolist() == [BASE_ROWS[0][0]]
    assert wr.tables[0].data.equals(plain.tables[0].data)
    [note] = [p for p in wr.problems if p.rule == "file-decrypted"]
    assert note.severity == "info" and "默认密码" in note.message
    locked = read_workbook(write_biff5(tmp_path / "excel95密码.xls", rows, password="123456"))
    assert locked.status == "encrypted" and "已加密" in locked.problems[0].message


def test_biff_xor_needs_the_password_that_made_it():
    from biff5_writer import biff5_stream
    from xlbase.read.formats.decrypt import biff_xor
    rows = [["单位", 1], ["基地", "雁门"]]
    stream = biff5_stream(rows, "Sheet1", password="VelvetSweatshop")
    undone = [(t, b) for _, t, b in biff.records(biff_xor(stream, "VelvetSweatshop")) if t != 0x0000]  # FILEPASS gone
    plain = [(t, b) for _, t, b in biff.records(biff5_stream(rows, "Sheet1"))]
    assert [t for t, _ in undone] == [t for t, _ in plain]
    assert [b for t, b in undone if t != 0x0085] == [b for t, b in plain if t != 0x0085]   # BOUNDSHEET: its offset moved
    assert biff_xor(stream, "velvetsweatshop") is None
    assert biff_xor(biff5_stream(rows, "Sheet1"), "VelvetSweatshop") is None     # nothing to undo


def test_excel95_in_a_chinese_code_page_is_read_as_written(tmp_path):
    """calamine reads Excel 95 text in code page 936 as mojibake without failing: such a file goes to xlrd."""
    from biff5_writer import write_biff5
    from table_layouts import a11_block
    wr = read_workbook(write_biff5(tmp_path / "excel95.xls", a11_block(BASE_ROWS), sheet="附件11"))
    assert wr.ok and [t.form_id for t in wr.tables] == ["附件11"] and wr.tables[0].sheet == "附件11"
    assert wr.tables[0].data["operator"].tolist() == [BASE_ROWS[0][1]]
