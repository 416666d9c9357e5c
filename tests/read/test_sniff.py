"""Tests for the safe-open layer (xlbase.read.sniff).

Every fixture is generated here, in tmp_path; no binary is committed.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import soffice_convert
from xlbase.read import sniff
from xlbase.read.limits import DEFAULT_LIMITS, Limits
from xlbase.read.sniff import (
    MESSAGES,
    FileCheck,
    XmlBombError,
    ZipMemberTooLarge,
    check_xml_safe,
    inspect_file,
    read_zip_member_capped,
)

CJK = re.compile(r"[\u4e00-\u9fff]")

CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
SHEET_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    "<sheetData/></worksheet>"
)
WORKBOOK_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'
)


# ---------------------------------------------------------------- helpers


def assert_check(check: FileCheck, path: Path, code: str, ok: bool, kind: str | None = None) -> None:
    """Exact code/ok/kind, and a Chinese message that names the file."""
    assert check.code == code, check
    assert check.ok is ok
    assert check.kind == kind
    assert check.code in MESSAGES
    assert CJK.search(check.message), check.message
    assert path.name in check.message, check.message
    assert check.path == str(path)


def content_types(main_type: str, main_part: str = "/xl/workbook.xml") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Types xmlns="{CT_NS}">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="{main_part}" ContentType="{main_type}"/>'
        "</Types>"
    )


def write_zip(path: Path, members: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def make_xlsx(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "附件11"
    ws.append(["序号", "基地名称", "已入驻企业数"])
    ws.append([1, "忻州市某县双创基地", 12])
    wb.save(path)
    return path


def minimal_ooxml(main_type: str, extra: dict[str, str | bytes] | None = None) -> dict[str, str | bytes]:
    members: dict[str, str | bytes] = {
        "[Content_Types].xml": content_types(main_type),
        "xl/workbook.xml": WORKBOOK_XML,
        "xl/worksheets/sheet1.xml": SHEET_XML,
    }
    members.update(extra or {})
    return members


# ---------------------------------------------------------------- genuine files


def test_real_xlsx_ok_and_hashed(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "县汇总.xlsx")
    before = path.read_bytes()
    mtime = path.stat().st_mtime_ns
    check = inspect_file(path)
    assert_check(check, path, "ok", True, "xlsx")
    assert check.size == len(before)
    assert check.sha256 == hashlib.sha256(before).hexdigest()
    assert path.read_bytes() == before and path.stat().st_mtime_ns == mtime  # untouched


def test_kind_decided_by_content_not_extension(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "wrongly_named.xls")
    assert_check(inspect_file(path), path, "ok", True, "xlsx")


def test_xlsm_by_content_type(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "macro.xlsm", minimal_ooxml(XLSM_MAIN, {"xl/vbaProject.bin": b"\0" * 64}))
    assert_check(inspect_file(path), path, "ok", True, "xlsm")


def test_xlsm_content_type_even_with_xlsx_extension(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "macro.xlsx", minimal_ooxml(XLSM_MAIN))
    assert_check(inspect_file(path), path, "ok", True, "xlsm")


@pytest.mark.libreoffice
def test_real_xls_from_libreoffice(tmp_path: Path) -> None:
    path = soffice_convert(make_xlsx(tmp_path / "legacy.xlsx"), "xls", tmp_path / "out")
    assert_check(inspect_file(path), path, "ok", True, "xls")


# ---------------------------------------------------------------- refused content


def test_encrypted_xlsx(tmp_path: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = make_xlsx(tmp_path / "plain.xlsx")
    path = tmp_path / "加密.xlsx"
    with plain.open("rb") as src, path.open("wb") as dst:
        OOXMLFile(src).encrypt("123456", dst)
    check = inspect_file(path)
    assert_check(check, path, "encrypted", False)
    assert "密码" in check.message


def test_truncated_zip(tmp_path: Path) -> None:
    data = make_xlsx(tmp_path / "full.xlsx").read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: len(data) // 2])
    assert_check(inspect_file(path), path, "truncated", False)


def test_corrupt_zip_central_directory(tmp_path: Path) -> None:
    data = bytearray(make_xlsx(tmp_path / "full.xlsx").read_bytes())
    cd = data.rfind(b"PK\x01\x02")  # last central-directory entry
    data[cd : cd + 4] = b"XXXX"
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(bytes(data))
    assert_check(inspect_file(path), path, "corrupt-zip", False)


def test_zero_bytes(tmp_path: Path) -> None:
    path = tmp_path / "空.xlsx"
    path.write_bytes(b"")
    check = inspect_file(path)
    assert_check(check, path, "empty", False)
    assert check.size == 0 and check.sha256 == hashlib.sha256(b"").hexdigest()


@pytest.mark.parametrize(
    "content",
    [
        "序号,基地名称,企业数\n1,忻州市双创基地,12\n".encode("utf-8"),
        "序号,基地名称,企业数\r\n1,忻州市双创基地,12\r\n".encode("gbk"),
        "序号\t基地名称\t企业数\n1\t某基地\t3\n".encode("utf-16"),
        b"\xef\xbb\xbfa,b,c\n1,2,3\n",
    ],
    ids=["utf8", "gbk", "utf16-tab", "utf8-bom"],
)
def test_csv_renamed(tmp_path: Path, content: bytes) -> None:
    """A text table saved with a workbook's name is a text table by content (read.formats.text reads it)."""
    path = tmp_path / "附件11.xlsx"
    path.write_bytes(content)
    assert_check(inspect_file(path), path, "ok", True, "csv")


def test_html_renamed(tmp_path: Path) -> None:
    path = tmp_path / "export.xls"
    path.write_text("<html><body><table><tr><td>1</td></tr></table></body></html>", encoding="utf-8")
    assert_check(inspect_file(path), path, "ok", True, "html")


def test_docx_renamed(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "申请表.xlsx", {
        "[Content_Types].xml": content_types(DOCX_MAIN, "/word/document.xml"),
        "word/document.xml": '<?xml version="1.0"?><w:document xmlns:w="urn:x"/>',
    })
    assert_check(inspect_file(path), path, "word-file", False)


def test_plain_zip_archive(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "材料.xlsx", {"a.txt": "hello", "b/c.xlsx": b"PK"})
    assert_check(inspect_file(path), path, "archive", False)


def test_pdf_header(tmp_path: Path) -> None:
    path = tmp_path / "scan.xlsx"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    assert_check(inspect_file(path), path, "pdf-file", False)


def test_binary_garbage_not_excel(tmp_path: Path) -> None:
    path = tmp_path / "blob.xlsx"
    path.write_bytes(b"\x00\x01garbage" + bytes(range(256)) * 4)
    assert_check(inspect_file(path), path, "not-excel", False)


@pytest.mark.parametrize("head", [b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0\x00\x10JFIF", b"GIF89a",
                                  b"II*\x00", b"RIFF\x00\x00\x00\x00WEBPVP8 "])
def test_image_by_magic(tmp_path: Path, head: bytes) -> None:
    path = tmp_path / "photo.xlsx"
    path.write_bytes(head + bytes(range(256)) * 4)
    assert_check(inspect_file(path), path, "image-file", False)


def test_ole_word_doc(tmp_path: Path) -> None:
    # olefile cannot create files, so a minimal compound file is built by hand.
    path = tmp_path / "old.xls"
    path.write_bytes(_tiny_cfb({"WordDocument": b"\0" * 16}))
    assert_check(inspect_file(path), path, "word-file", False)


def test_ole_garbage_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "broken.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert_check(inspect_file(path), path, "corrupt-ole", False)


def _tiny_cfb(streams: dict[str, bytes]) -> bytes:
    """A minimal v3 compound file (512-byte sectors) holding small streams in the mini stream."""
    import struct

    sector = 512
    names = list(streams)
    mini = b"".join(streams[n].ljust(64 * ((len(streams[n]) + 63) // 64 or 1), b"\0") for n in names)
    mini_sectors = (len(mini) + sector - 1) // sector or 1
    mini = mini.ljust(mini_sectors * sector, b"\0")
    # layout: sector0 FAT, sector1 directory, sector2 miniFAT, sector3.. mini stream container
    ENDOFCHAIN, FREESECT, FATSECT = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    fat = [FATSECT, ENDOFCHAIN, ENDOFCHAIN]
    for i in range(mini_sectors):
        fat.append(3 + i + 1 if i < mini_sectors - 1 else ENDOFCHAIN)
    fat += [FREESECT] * (128 - len(fat))
    minifat: list[int] = []
    start = 0
    starts = []
    for n in names:
        count = (len(streams[n]) + 63) // 64 or 1
        starts.append(start)
        for k in range(count):
            minifat.append(start + k + 1 if k < count - 1 else ENDOFCHAIN)
        start += count
    minifat += [FREESECT] * (128 - len(minifat))

    def entry(name: str, typ: int, child: int, right: int, start_sect: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        return (raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), typ, 1)
                + struct.pack("<III", FREESECT, right, child) + b"\0" * 16 + b"\0" * 4
                + b"\0" * 16 + struct.pack("<IQ", start_sect, size))

    entries = [entry("Root Entry", 5, 1 if names else FREESECT, FREESECT, 3, len(mini))]
    for i, n in enumerate(names):
        right = i + 2 if i + 1 < len(names) else FREESECT
        entries.append(entry(n, 2, FREESECT, right, starts[i], len(streams[n])))
    directory = b"".join(entries).ljust(sector, b"\0")
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, 2, 1, ENDOFCHAIN, 0))
    difat = [0] + [FREESECT] * 108
    header += struct.pack("<109I", *difat)
    assert len(header) == 512
    return (header + struct.pack("<128I", *fat) + directory
            + struct.pack("<128I", *minifat) + mini)


# ---------------------------------------------------------------- filesystem oddities


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "不存在.xlsx"
    check = inspect_file(path)
    assert_check(check, path, "not-found", False)
    assert check.sha256 is None


def test_directory_named_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.mkdir()
    assert_check(inspect_file(path), path, "is-directory", False)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks on this platform")
def test_symlink_loop(tmp_path: Path) -> None:
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    os.symlink(b, a)
    os.symlink(a, b)
    assert_check(inspect_file(a), a, "symlink-loop", False)
    self_loop = tmp_path / "self.xlsx"
    os.symlink(self_loop, self_loop)
    assert_check(inspect_file(self_loop), self_loop, "symlink-loop", False)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks on this platform")
def test_symlink_to_real_file_is_followed(tmp_path: Path) -> None:
    target = make_xlsx(tmp_path / "real.xlsx")
    link = tmp_path / "link.xlsx"
    os.symlink(target, link)
    assert_check(inspect_file(link), link, "ok", True, "xlsx")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_is_not_opened(tmp_path: Path) -> None:
    path = tmp_path / "pipe.xlsx"
    os.mkfifo(path)
    assert_check(inspect_file(path), path, "not-a-file", False)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="running as root: chmod 000 does not stop root from reading")
def test_permission_denied_chmod(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "locked.xlsx")
    path.chmod(0)
    try:
        assert_check(inspect_file(path), path, "unreadable", False)
    finally:
        path.chmod(0o600)


def test_permission_denied_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs even as root: the open itself is refused."""
    path = make_xlsx(tmp_path / "locked.xlsx")

    def deny(*_a, **_k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(sniff.os, "open", deny)
    assert_check(inspect_file(path), path, "unreadable", False)


def test_file_vanishes_between_stat_and_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_xlsx(tmp_path / "gone.xlsx")
    real_open = os.open

    def vanish(p, *a, **k):
        os.unlink(p)
        return real_open(p, *a, **k)

    monkeypatch.setattr(sniff.os, "open", vanish)
    assert_check(inspect_file(path), path, "not-found", False)


def test_too_large(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "big.xlsx")
    check = inspect_file(path, Limits(max_file_bytes=100))
    assert_check(check, path, "too-large", False)
    assert "100 字节" in check.message
    assert "100 MB" in MESSAGES["too-large"].format(name="a", limit="100 MB")


# ---------------------------------------------------------------- bombs


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A valid-looking xlsx whose sheet inflates to 300 MB of zeros (~300 KB on disk)."""
    path = tmp_path_factory.mktemp("bomb") / "炸弹.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in minimal_ooxml(XLSX_MAIN).items():
            if name != "xl/worksheets/sheet1.xml":
                zf.writestr(name, data)
        block = bytes(1 << 20)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(300):
                member.write(block)
    assert path.stat().st_size < 2 * 1024 * 1024
    return path


def _traced_inspect(path: Path, limits: Limits = DEFAULT_LIMITS) -> tuple[FileCheck, int]:
    """inspect_file and the peak of Python memory it took (its time: bench/sniff_bench.py)."""
    tracemalloc.start()
    try:
        check = inspect_file(path, limits)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return check, peak


def test_zip_bomb_refused_without_decompressing(zip_bomb: Path) -> None:
    check, peak = _traced_inspect(zip_bomb)
    assert_check(check, zip_bomb, "zip-bomb", False)
    assert peak < 50 * 1024 * 1024


def test_zip_bomb_by_ratio_alone(zip_bomb: Path) -> None:
    """Total under the cap, but one entry's ratio is absurd."""
    check = inspect_file(zip_bomb, Limits(max_total_uncompressed=10**12))
    assert check.code == "zip-bomb"


def test_zip_too_many_entries(tmp_path: Path) -> None:
    members = minimal_ooxml(XLSX_MAIN)
    members.update({f"xl/media/{i}.bin": b"" for i in range(30)})
    path = write_zip(tmp_path / "many.xlsx", members)
    assert_check(inspect_file(path, Limits(max_entries=20)), path, "zip-bomb", False)
    assert inspect_file(path).code == "ok"


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
              for i in range(1, 10))
    + ']>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1">'
    "<si><t>&lol9;</t></si></sst>"
)


def test_billion_laughs_in_shared_strings(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "laughs.xlsx", minimal_ooxml(XLSX_MAIN, {"xl/sharedStrings.xml": BILLION_LAUGHS}))
    check, peak = _traced_inspect(path)
    assert_check(check, path, "xml-bomb", False)
    assert peak < 50 * 1024 * 1024


def test_doctype_in_utf16_sheet(tmp_path: Path) -> None:
    sheet = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]>'
             + SHEET_XML.split("\n", 1)[1]).encode("utf-16")
    path = write_zip(tmp_path / "u16.xlsx", minimal_ooxml(XLSX_MAIN, {"xl/worksheets/sheet1.xml": sheet}))
    assert_check(inspect_file(path), path, "xml-bomb", False)


def test_doctype_hidden_behind_long_prolog(tmp_path: Path) -> None:
    sheet = ('<?xml version="1.0"?>' + "<!--" + "x" * 200_000 + "-->"
             + '<!DOCTYPE x [<!ENTITY a "b">]>' + SHEET_XML.split("\n", 1)[1])
    path = write_zip(tmp_path / "hidden.xlsx", minimal_ooxml(XLSX_MAIN, {"xl/worksheets/sheet1.xml": sheet}))
    assert_check(inspect_file(path), path, "xml-bomb", False)


def test_doctype_just_past_the_first_probe(tmp_path: Path) -> None:
    for pad in (4066, 4093, 4094, 4095, 4096, 5000):  # offset of the DTD's "<": before, at and after 4 KB
        sheet = ('<?xml version="1.0"?>' + "<!--" + "x" * max(pad - 28, 0) + "-->"
                 + '<!DOCTYPE x [<!ENTITY a "b">]>' + SHEET_XML.split("\n", 1)[1])
        path = write_zip(tmp_path / f"probe{pad}.xlsx", minimal_ooxml(XLSX_MAIN, {"xl/worksheets/sheet1.xml": sheet}))
        assert_check(inspect_file(path), path, "xml-bomb", False)


def test_head_cut_right_after_a_bracket_is_not_safe() -> None:
    for head in (b"<?xml version='1.0'?><", b"<?xml version='1.0'?><!", b"<?xml version='1.0'?><!-",
                 "<?xml version='1.0'?><".encode("utf-16-le")):
        with pytest.raises(XmlBombError):
            check_xml_safe(head, truncated=True)
        check_xml_safe(head)  # whole (not truncated): nothing declared, the parser decides


def test_large_legit_sheet_scans_only_head(tmp_path: Path) -> None:
    rows = "".join(f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(1, 200_000))
    sheet = SHEET_XML.replace("<sheetData/>", f"<sheetData>{rows}</sheetData>")
    path = write_zip(tmp_path / "large.xlsx", minimal_ooxml(XLSX_MAIN, {"xl/worksheets/sheet1.xml": sheet}))
    check, peak = _traced_inspect(path)
    assert check.code == "ok"
    assert peak < 5 * 1024 * 1024  # the ~8 MB sheet is never fully inflated


# ---------------------------------------------------------------- reader helpers


def test_check_xml_safe() -> None:
    check_xml_safe(SHEET_XML.encode())
    check_xml_safe(b"\xef\xbb\xbf<!-- c --><?pi x?><root/>")
    with pytest.raises(XmlBombError):
        check_xml_safe(BILLION_LAUGHS.encode())
    with pytest.raises(XmlBombError):
        check_xml_safe(b'<?xml version="1.0"?><!ENTITY x SYSTEM "file:///etc/passwd"><r/>')
    with pytest.raises(XmlBombError):
        check_xml_safe(b"<?xml version='1.0'?><!-- unterminated", truncated=True)
    assert XmlBombError.code == "xml-bomb"


def test_read_zip_member_capped() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("big.xml", b"a" * 300_000)
    with zipfile.ZipFile(buf) as zf:
        assert read_zip_member_capped(zf, "big.xml", 300_000) == b"a" * 300_000
        with pytest.raises(ZipMemberTooLarge):
            read_zip_member_capped(zf, "big.xml", 1000)
        # A lying (too small) declared size: zipfile stops at the declared size and
        # reports a CRC mismatch; either way nothing past the cap is returned.
        info = zf.getinfo("big.xml")
        info.file_size = 10
        with pytest.raises((ZipMemberTooLarge, sniff.ZipMemberCorrupt)):
            read_zip_member_capped(zf, info, 1000)
    assert ZipMemberTooLarge.code == "zip-bomb"


def test_every_code_has_a_chinese_message() -> None:
    for code, template in MESSAGES.items():
        text = template.format(name="某县.xlsx", kind="xlsx", limit="100 MB", seconds=60, memory="384 MB", what="Lotus 1-2-3 工作表")
        assert CJK.search(text) and "某县.xlsx" in text, code


# ---------------------------------------------------------------- fuzzing


@pytest.fixture(scope="module")
def xlsx_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return make_xlsx(tmp_path_factory.mktemp("seed") / "seed.xlsx").read_bytes()


PREFIXES = [b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"%PDF", b"\xff\xfe", b"PK\x05\x06"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prefix=st.sampled_from(PREFIXES), body=st.binary(max_size=4096))
def test_arbitrary_bytes_never_raise(tmp_path: Path, prefix: bytes, body: bytes) -> None:
    path = tmp_path / "fuzz.xlsx"
    path.write_bytes(prefix + body)
    check = inspect_file(path)
    assert isinstance(check, FileCheck)
    assert check.code in MESSAGES and check.code != "check-failed"
    assert check.ok == (check.code == "ok")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_xlsx_never_raises(tmp_path: Path, xlsx_bytes: bytes, data: st.DataObject) -> None:
    raw = bytearray(xlsx_bytes)
    for _ in range(data.draw(st.integers(1, 8))):
        pos = data.draw(st.integers(0, len(raw) - 1))
        raw[pos] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(1, len(raw)))
    path = tmp_path / "mutant.xlsx"
    path.write_bytes(bytes(raw[:cut]))
    check = inspect_file(path)
    assert check.code in MESSAGES and check.code != "check-failed"
