"""Safe-open layer: decide what an input file really is before any reader opens it.

Submissions arrive by e-mail from county offices, so a file named ``x.xlsx``
may be a CSV, a Word document, a PDF, a password-protected workbook, a
half-downloaded ZIP or a deliberately hostile file (ZIP bomb, XML
"billion laughs").  :func:`inspect_file` classifies a file by its *content*,
never by its extension, applies the caps in :class:`~xlbase.read.limits.Limits`,
hashes the bytes, and always returns a :class:`FileCheck` -- it never raises
for bad input.

Readers that later decompress ZIP members use :func:`read_zip_member_capped`
(declared sizes in a ZIP can lie) and :func:`check_xml_safe`, and parse XML
with ``defusedxml`` only.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import logging
import os
import re
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO

import defusedxml.ElementTree as SafeET
import olefile

from xlbase.read import biff
from xlbase.ooxml.zip import (ZIP_ERRORS, SniffError, XmlBombError, ZipMemberCorrupt, ZipMemberTooLarge, ascii_view,
                              check_xml_safe, read_zip_member_capped, scan_prolog)
from xlbase.read.limits import DEFAULT_LIMITS, MB, Limits
from xlbase.read.odf_tags import COLS_REPEATED, ROWS_REPEATED, tag_pattern

log = logging.getLogger(__name__)

__all__ = [
    "FileCheck",
    "Limits",
    "DEFAULT_LIMITS",
    "MESSAGES",
    "SniffError",
    "ZipMemberTooLarge",
    "ZipMemberCorrupt",
    "XmlBombError",
    "inspect_file",
    "read_zip_member_capped",
    "check_xml_safe",
]

# --------------------------------------------------------------------------
# Result type and messages
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class FileCheck:
    """The verdict on one input file; ``ok`` means a reader may open it."""

    path: str
    kind: str | None  # a key of KINDS ("xlsx", "xls", "html", "csv"…); None when unusable
    ok: bool
    code: str  # stable machine code, a key of MESSAGES
    message: str  # one Simplified-Chinese sentence naming the file
    size: int
    sha256: str | None  # of the file's bytes; None when never read
    foreign: str | None = None  # "unsupported-format": its key in FOREIGN_KINDS, for LibreOffice


#: Stable codes -> user-facing message templates ({name} = file base name).
MESSAGES: dict[str, str] = {
    "ok": "文件“{name}”检查通过，可以读取（{kind} 格式）。",
    "not-found": "找不到文件“{name}”，可能已被移动或删除；请确认文件位置后重试。",
    "is-directory": "“{name}”是一个文件夹，不是 Excel 文件；请选择其中的 Excel 文件。",
    "not-a-file": "“{name}”不是普通文件（可能是设备或管道），无法读取；请选择正确的 Excel 文件。",
    "symlink-loop": "“{name}”是循环指向自身的快捷方式（符号链接），无法打开；请直接选择原始文件。",
    "unreadable": "没有权限读取文件“{name}”（或文件正被占用）；请检查文件权限后重试。",
    "empty": "文件“{name}”是空文件（0 字节），可能在复制或下载时出错；请重新报送。",
    "too-large": "文件“{name}”超过 {limit} 的大小上限，为安全起见不予读取；请核实是否为正确的报表文件。",
    "encrypted": "文件“{name}”已加密（设有打开密码），无法读取；请去掉密码后重新报送。",
    "corrupt-zip": "文件“{name}”已损坏（内部结构错误），无法读取；请用 Excel 或 WPS 打开后另存，再重新报送。",
    "truncated": "文件“{name}”不完整（可能下载或复制时中断），无法读取；请重新下载或请报送单位重新发送。",
    "missing-workbook": "文件“{name}”缺少工作簿内容（文件结构不完整），无法读取；请用 Excel 或 WPS 打开后另存，再重新报送。",
    "zip-bomb": "文件“{name}”解压后体积异常巨大（疑似“压缩炸弹”），为安全起见拒绝读取；请核实文件来源后重新报送。",
    "xml-bomb": "文件“{name}”含有 Excel 文件不应有的 XML 定义（疑似恶意构造），为安全起见拒绝读取；请用 Excel 或 WPS 另存后重新报送。",
    "corrupt-ole": "文件“{name}”已损坏（旧版 Excel 文件结构错误），无法读取；请用 Excel 或 WPS 打开后另存为 .xlsx，再重新报送。",
    "xlsb": "文件“{name}”是 Excel 二进制工作簿（.xlsb），本系统不支持；请另存为 .xlsx 格式后重新报送。",
    "ods-file": "文件“{name}”是 OpenDocument 表格（.ods），本系统不支持；请另存为 .xlsx 格式后重新报送。",
    "sheet-too-large": "文件“{name}”中有工作表的已用区域过大（通常是远处某个单元格误填了内容），无法读取；请删除多余的行列后另存为 .xlsx 再报送。",
    "csv-renamed": "文件“{name}”实际是 CSV/文本文件，只是改了扩展名；请用 Excel 或 WPS 打开后另存为 .xlsx 格式再报送。",
    "html-renamed": "文件“{name}”实际是网页（HTML）文件，只是改了扩展名；请用 Excel 或 WPS 打开后另存为 .xlsx 格式再报送。",
    "xml2003-renamed": "文件“{name}”是 Excel 2003 XML 表格，本系统不支持；请另存为 .xlsx 格式后重新报送。",
    "word-file": "文件“{name}”是 Word 文档，不是 Excel 表格；请报送 Excel 格式的表格。",
    "ppt-file": "文件“{name}”是 PowerPoint 演示文稿，不是 Excel 表格；请报送 Excel 格式的表格。",
    "pdf-file": "文件“{name}”是 PDF 文件，无法读取其中的数据；请报送 Excel 格式的原始表格（盖章扫描件可另附）。",
    "image-file": "文件“{name}”是图片，无法读取其中的数据；请报送 Excel 格式的原始表格（盖章扫描件可另附）。",
    "archive": "文件“{name}”是压缩包（ZIP/RAR/7z），不是 Excel 文件；请解压后分别报送其中的 Excel 文件。",
    "not-excel": "文件“{name}”不是 Excel 文件（无法识别其格式）；请报送 .xlsx 或 .xls 格式的表格。",
    "check-failed": "检查文件“{name}”时发生意外错误，无法确认其安全；请将该文件转交技术人员处理。",
    "unsupported-format": "文件“{name}”是{what}，本系统不能直接读取；请用 Excel 或 WPS 另存为 .xlsx 后重新报送"
                          "（Excel、WPS 打不开时，请用制作该文件的软件另存）。",
    "read-timeout": "读取文件“{name}”超过 {seconds:g} 秒仍未完成（文件内部结构异常，可能已损坏或被恶意构造），已停止读取；"
                    "请用 Excel 或 WPS 打开后另存为 .xlsx，再重新报送。",
    "read-memory": "读取文件“{name}”需要的内存超过 {memory} 的安全上限（文件内部结构异常，或工作表远处有误填的内容），已停止读取；"
                   "请用 Excel 或 WPS 打开、删除多余的行列后另存为 .xlsx，再重新报送。",
    "read-crashed": "读取文件“{name}”时读取程序异常终止（文件内部结构已损坏），无法读取；请用 Excel 或 WPS 打开后另存为 .xlsx，再重新报送。",
}

#: What each readable kind is, in the words of an info that names a file's real format.
KINDS: dict[str, str] = {
    "xlsx": "Excel 工作簿（.xlsx）",
    "xlsm": "启用宏的 Excel 工作簿（.xlsm）",
    "xlsb": "Excel 二进制工作簿（.xlsb）",
    "xls": "Excel 97-2003 工作簿（.xls）",
    "biff": "Excel 2.x-4.0 早期工作表（.xls）",
    "ods": "OpenDocument 表格（.ods）",
    "fods": "OpenDocument 平面 XML 表格（.fods）",
    "html": "网页（HTML）表格",
    "mhtml": "单个文件网页（MHTML）表格",
    "csv": "文本表格（CSV/TSV）",
    "xml2003": "Excel 2003 XML 表格",
}
#: Spreadsheet formats no Python reader here opens: LibreOffice reads them where it is installed
#: (read.formats.libreoffice); elsewhere the file is named as what it is and refused.
FOREIGN_KINDS: dict[str, str] = {
    "sxc": "OpenOffice.org 1.x 表格（.sxc）",
    "slk": "SYLK 格式表格（.slk）",
    "dif": "DIF 数据交换格式文件（.dif）",
    "wk1": "Lotus 1-2-3 工作表（.wk1）",
    "wk3": "Lotus 1-2-3 工作表（.wk3/.wk4/.123）",
    "qpw": "Quattro Pro 表格（.qpw）",
    "numbers": "Apple Numbers 表格（.numbers）",
}
KINDS.update(FOREIGN_KINDS)

# --------------------------------------------------------------------------
# Typed errors for readers
# --------------------------------------------------------------------------


class _Verdict(Exception):
    """Internal: stop classification with a final code (and optional kind)."""

    def __init__(self, code: str, kind: str | None = None, what: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.kind = kind
        self.what = what   # for "unsupported-format": the format it is, in Chinese


# --------------------------------------------------------------------------
# Magic numbers and OOXML content types
# --------------------------------------------------------------------------

ZIP_MAGIC = b"PK\x03\x04"
ZIP_EMPTY_MAGIC = b"PK\x05\x06"  # an empty archive is only an end record
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PDF_MAGIC = b"%PDF"
RAR_MAGIC = b"Rar!\x1a\x07"
SEVENZ_MAGIC = b"7z\xbc\xaf\x27\x1c"
GZIP_MAGIC = b"\x1f\x8b"
EOCD_SIG = b"PK\x05\x06"
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*",
                b"\xd7\xcd\xc6\x9a")   # the last: a placeable Windows metafile (.wmf)

_MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml": "xlsx",
    "application/vnd.ms-excel.sheet.macroenabled.main+xml": "xlsm",
    "application/vnd.ms-excel.template.macroenabled.main+xml": "xlsm",
    "application/vnd.ms-excel.addin.macroenabled.main+xml": "xlsm",
    "application/vnd.ms-excel.sheet.binary.macroenabled.main": "xlsb",
}
_WORD_TYPE_MARK = "wordprocessingml"
_PPT_TYPE_MARK = "presentationml"
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_PROLOG_PROBE_BYTES = 4096  # read first from each XML part; the rest of the head only if the prolog is longer

# --------------------------------------------------------------------------
# inspect_file
# --------------------------------------------------------------------------


def inspect_file(path: str | os.PathLike, limits: Limits = DEFAULT_LIMITS, name: str | None = None) -> FileCheck:
    """Classify and vet one input file by content; never raises for bad input. `name`: how its messages name
    it (a member of an archive read from a temporary copy: read.archive), else its file name."""
    spath = os.fspath(path)
    if isinstance(spath, bytes):
        spath = os.fsdecode(spath)
    name = name or os.path.basename(spath.rstrip("/\\")) or spath
    size, digest = 0, None
    try:
        size = _stat_regular_file(spath)
        if size > limits.max_file_bytes:
            raise _Verdict("too-large")
        with _open_readonly(spath) as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > limits.max_file_bytes:
                raise _Verdict("too-large")
            digest = _sha256(fh, limits.chunk_bytes)
            if size == 0:
                raise _Verdict("empty")
            fh.seek(0)
            kind = _classify(fh, limits)
        return _result(spath, name, "ok", kind, size, digest, limits)
    except _Verdict as v:
        return _result(spath, name, v.code, v.kind, size, digest, limits, v.what)
    except Exception:  # last resort: the contract is "never raise"
        log.exception("inspect_file failed unexpectedly on %s", spath)
        return _result(spath, name, "check-failed", None, size, digest, limits)


def _result(path: str, name: str, code: str, kind: str | None, size: int,
            digest: str | None, limits: Limits, what: str = "") -> FileCheck:
    """Build the FileCheck with its Chinese message."""
    ok = code == "ok"
    message = MESSAGES[code].format(
        name=name, kind=kind or "", limit=_human_size(limits.max_file_bytes), what=what)
    return FileCheck(path=path, kind=kind if ok else None, ok=ok, code=code,
                     message=message, size=size, sha256=digest,
                     foreign=kind if code == "unsupported-format" and kind in FOREIGN_KINDS else None)


def _foreign(kind: str) -> _Verdict:
    """The verdict on a spreadsheet format only LibreOffice reads: refused by name, kept for LibreOffice."""
    return _Verdict("unsupported-format", kind=kind, what=FOREIGN_KINDS[kind])


def _human_size(n: int) -> str:
    """'100 MB' for the limits users meet; plain bytes for tiny test limits."""
    return f"{n // MB} MB" if n >= MB else f"{n} 字节"


def _os_error_code(exc: OSError) -> str:
    """Map an OSError from stat/open to a stable code."""
    if isinstance(exc, FileNotFoundError):
        return "not-found"
    if isinstance(exc, IsADirectoryError):
        return "is-directory"
    if isinstance(exc, PermissionError):
        return "unreadable"
    if exc.errno == errno.ELOOP:
        return "symlink-loop"
    if exc.errno in (errno.ENOTDIR, errno.ENAMETOOLONG):
        return "not-found"
    return "unreadable"


def _stat_regular_file(path: str) -> int:
    """Stat (following links) and insist on a regular file; return its size."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise _Verdict(_os_error_code(exc)) from None
    except ValueError:  # embedded NUL in the path
        raise _Verdict("not-found") from None
    if stat.S_ISDIR(st.st_mode):
        raise _Verdict("is-directory")
    if not stat.S_ISREG(st.st_mode):
        raise _Verdict("not-a-file")
    return st.st_size


def _open_readonly(path: str) -> IO[bytes]:
    """Open read-only ('rb'); O_NONBLOCK so a FIFO swapped in cannot hang us."""
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    flags |= getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:  # vanished, permission, ELOOP since the stat
        raise _Verdict(_os_error_code(exc)) from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise _Verdict("is-directory")
        if not stat.S_ISREG(st.st_mode):
            raise _Verdict("not-a-file")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _sha256(fh: IO[bytes], chunk: int) -> str:
    """Stream the whole file through SHA-256 (proves later that inputs are unchanged)."""
    h = hashlib.sha256()
    try:
        while True:
            block = fh.read(chunk)
            if not block:
                break
            h.update(block)
    except OSError:
        raise _Verdict("unreadable") from None
    return h.hexdigest()


#: spreadsheet formats nobody's reader here opens, by their first bytes: named as what they are
_LOTUS_WK1 = b"\x00\x00\x02\x00"                 # BOF record of Lotus 1-2-3 release 1-2 (.wks/.wk1), version next
_LOTUS_WK3 = b"\x00\x00\x1a\x00"                 # BOF record of Lotus 1-2-3 release 3 and later (.wk3/.wk4/.123)


_QUATTRO_VERSIONS = (b"\x20\x51", b"\x21\x51", b"\x01\x10", b"\x02\x10", b"\x07\x10")   # .wq1 .wq2 .wb1 .wb2 .wb3
#: first byte of a dBase / FoxPro table (.dbf): its version
_DBASE_VERSIONS = frozenset({0x02, 0x03, 0x30, 0x31, 0x32, 0x43, 0x63, 0x83, 0x8B, 0xCB, 0xF5, 0xFB})


def _binary_format(head: bytes) -> str:
    """The FOREIGN_KINDS key of a Lotus or Quattro Pro worksheet (Lotus's record layout), or ""."""
    if head.startswith(_LOTUS_WK1) and head[4:6] in (b"\x04\x04", b"\x05\x04", b"\x06\x04"):
        return "wk1"
    if head.startswith(_LOTUS_WK1) and head[4:6] in _QUATTRO_VERSIONS:
        return "qpw"
    if head.startswith(_LOTUS_WK3) and head[5:6] == b"\x10":
        return "wk3"
    return ""


def _classify(fh: IO[bytes], limits: Limits) -> str:
    """Dispatch on magic bytes; return the kind or raise _Verdict."""
    head = fh.read(max(limits.text_sniff_bytes, 8))
    fh.seek(0)
    if head.startswith(ZIP_MAGIC):
        return _classify_zip(fh, limits)
    if head.startswith(ZIP_EMPTY_MAGIC):
        raise _Verdict("archive")
    if head.startswith(OLE_MAGIC):
        return _classify_ole(fh, limits)
    if biff.is_biff_stream(head):
        if biff.is_encrypted(head):
            raise _Verdict("encrypted")
        return "biff"   # Excel 2.x-4.0 wrote a bare BIFF stream, no OLE container
    foreign = _binary_format(head)
    if foreign:
        raise _foreign(foreign)
    if head.startswith(_IMAGE_MAGIC) or head[40:44] == b" EMF" or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        raise _Verdict("image-file")  # a photo or scan of the stamped forms; EMF/WMF from a drawing program
    if PDF_MAGIC in head[:1024]:
        raise _Verdict("pdf-file")
    if head.startswith(GZIP_MAGIC) and b"gnumeric" in _gunzip_head(head):
        raise _Verdict("unsupported-format", what="Gnumeric 表格（.gnumeric）")
    if head.startswith((RAR_MAGIC, SEVENZ_MAGIC, GZIP_MAGIC)):
        raise _Verdict("archive")
    if _is_dbase(head):
        raise _Verdict("unsupported-format", what="dBase 数据表（.dbf）")
    return _classify_text(head)


def _gunzip_head(head: bytes, size: int = 4096) -> bytes:
    """At most `size` bytes of what a gzip stream starts with (Gnumeric saves its XML gzipped)."""
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, size)
    except zlib.error:
        return b""


def _is_dbase(head: bytes) -> bool:
    """A dBase/FoxPro table: version byte, a date of last update, and its header (32-byte field
    descriptors) ending with 0x0D where the header length says (dBase III+), or 263 bytes before (FoxPro)."""
    if len(head) < 65 or head[0] not in _DBASE_VERSIONS or not (1 <= head[2] <= 12 and 1 <= head[3] <= 31):
        return False
    header, record = struct.unpack_from("<HH", head, 8)
    if header < 65 or record < 2:
        return False
    return any(0 < end <= len(head) and head[end - 1] == 0x0D and (end - 1) % 32 == 0 for end in (header, header - 263))


# ---- ZIP / OOXML ---------------------------------------------------------


def _classify_zip(fh: IO[bytes], limits: Limits) -> str:
    """OOXML container: structure, bomb caps, content type, XML heads."""
    try:
        zf = zipfile.ZipFile(fh)
    except ZIP_ERRORS:
        raise _Verdict("truncated" if _eocd_missing(fh) else "corrupt-zip") from None
    with zf:
        try:
            infos = zf.infolist()
            _check_zip_caps(infos, limits)
            names = {i.filename.lower().lstrip("/"): i for i in infos}
            kind = _ooxml_kind(zf, names, limits)
            _scan_xml_parts(zf, infos, limits)
            if kind == "ods":
                _check_ods(zf, names, limits)
        except _Verdict:
            raise
        except SniffError as exc:
            raise _Verdict(exc.code) from None
        except ZIP_ERRORS:
            raise _Verdict("corrupt-zip") from None
    return kind


def _eocd_missing(fh: IO[bytes]) -> bool:
    """A ZIP that lost its tail (cut-off download) has no end-of-central-directory record."""
    try:
        fh.seek(0, os.SEEK_END)
        end = fh.tell()
        fh.seek(max(0, end - (65535 + 22)))
        return EOCD_SIG not in fh.read()
    except OSError:
        return False


def _check_zip_caps(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Refuse bombs from the central directory alone, before decompressing anything."""
    if len(infos) > limits.max_entries:
        raise _Verdict("zip-bomb")
    total = 0
    for info in infos:
        total += info.file_size
        if total > limits.max_total_uncompressed:
            raise _Verdict("zip-bomb")
        if info.file_size > limits.ratio_min_bytes:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_entry_ratio:
                raise _Verdict("zip-bomb")


def _ooxml_kind(zf: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo], limits: Limits) -> str:
    """Read [Content_Types].xml (safely) and decide xlsx / xlsm, or why not."""
    ct_info = names.get("[content_types].xml")
    if ct_info is None:
        code = _non_ooxml_zip(zf, names, limits)
        if code == "ods":
            return code
        raise _Verdict(code)
    data = read_zip_member_capped(zf, ct_info, limits.max_content_types_bytes)
    check_xml_safe(data)
    try:
        root = SafeET.fromstring(data)
    except Exception:  # ParseError, defusedxml's DTD/entity errors
        raise _Verdict("corrupt-zip") from None
    overrides = {}
    for el in root:
        if el.tag.rsplit("}", 1)[-1] == "Override":
            part = (el.get("PartName") or "").lower().lstrip("/")
            overrides[part] = (el.get("ContentType") or "").strip().lower()
    for part, ctype in overrides.items():
        kind = _MAIN_TYPES.get(ctype)
        if kind is None:
            continue
        if part not in names:
            raise _Verdict("missing-workbook")
        return kind
    all_types = " ".join(overrides.values())
    if _WORD_TYPE_MARK in all_types or "word/document.xml" in names:
        raise _Verdict("word-file")
    if _PPT_TYPE_MARK in all_types or "ppt/presentation.xml" in names:
        raise _Verdict("ppt-file")
    if "xl/workbook.xml" in names:  # odd writer without an Override: trust the part
        return "xlsm" if "xl/vbaproject.bin" in names else "xlsx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    raise _Verdict("missing-workbook")


def _non_ooxml_zip(zf: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo], limits: Limits) -> str:
    """A ZIP without [Content_Types].xml: "ods" (an OpenDocument spreadsheet), a Word file or a plain archive."""
    if "word/document.xml" in names:
        return "word-file"
    if "ppt/presentation.xml" in names:
        return "ppt-file"
    mimetype = names.get("mimetype")
    if mimetype is not None:
        try:
            value = read_zip_member_capped(zf, mimetype, 256)
        except SniffError:
            value = b""
        if b"opendocument.spreadsheet" in value:
            return "ods"
        if b"opendocument.text" in value:
            return "word-file"
        if b"vnd.sun.xml.calc" in value:
            raise _foreign("sxc")
        what = next((w for mark, w in _ZIP_SHEET_FORMATS if mark in value), "")
        if what:
            raise _Verdict("unsupported-format", what=what)
    content = names.get("content.xml")
    if content is not None:   # an OpenDocument or OpenOffice 1.x file that lost its mimetype member
        with zf.open(content) as part:
            head = _xml_head(part, limits.xml_head_bytes)
        if b"urn:oasis:names:tc:opendocument:xmlns:office" in head and b"spreadsheet" in head:
            return "ods"
        if b"openoffice.org/2000/office" in head:
            raise _foreign("sxc")
    if any(n.startswith(("index/", "index.zip")) and (n.endswith(".iwa") or n == "index.zip") for n in names):
        raise _foreign("numbers")
    return "archive"


#: ZIP spreadsheets of other suites, by their mimetype member
_ZIP_SHEET_FORMATS = ((b"x-kspread", "KSpread 表格"), (b"x-gnumeric", "Gnumeric 表格"))


def _scan_xml_parts(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Check the head of every XML part for a DTD, decompressing only the head."""
    for info in infos:
        if info.is_dir() or not info.filename.lower().endswith(_XML_SUFFIXES):
            continue
        try:
            with zf.open(info) as part:
                head = _xml_head(part, limits.xml_head_bytes)
        except ZIP_ERRORS:
            raise _Verdict("corrupt-zip") from None
        truncated = len(head) >= limits.xml_head_bytes and info.file_size > len(head)
        check_xml_safe(head, truncated=truncated)


def _xml_head(part: IO[bytes], limit: int) -> bytes:
    """The start of an XML part up to where its prolog ends, at most `limit` bytes.

    A prolog is a few hundred bytes, so a short probe decides almost every part without
    inflating 64 KB of each sheet; scan_prolog's 'root' and 'dtd' on a prefix are final.
    """
    head = part.read(min(_PROLOG_PROBE_BYTES, limit))
    if len(head) < limit and scan_prolog(ascii_view(head)) == "incomplete":
        head += part.read(limit - len(head))
    return head


# ---- OpenDocument spreadsheet (.ods) -------------------------------------

#: Most spaces that ``<text:s text:c="N"/>`` may stand for in one .ods: calamine writes them
#: all out, so a 1 KB file asking for 10^9 spaces took 4 GB. Excel holds 32 767 characters a cell.
ODS_MAX_SPACES = 1_000_000

_ODS_TAG = tag_pattern("table", "table-row", "table-cell", "covered-table-cell", "s")
_SPACES = re.compile(rb"""(?:^|\s)(?:[\w.-]+:)?c\s*=\s*["']\s*(\d+)""")
_VALUE_TYPE = re.compile(rb"value-type\s*=")


def _check_ods(zf: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo], limits: Limits) -> None:
    """An .ods is read only when it is not encrypted and its sheets cannot inflate in calamine.

    ODS compresses repetition into attributes: one cell "repeated" 16 384 columns in a row
    "repeated" a million times is a few bytes, and calamine builds the whole grid (a 1 KB file
    aborted the process at 4 GB). content.xml is streamed (inflated bytes capped) and each
    sheet's filled area, repeats counted, must stay within ``max_sheet_cells``, as for OOXML.
    """
    manifest = names.get("meta-inf/manifest.xml")
    if manifest is not None:
        data = read_zip_member_capped(zf, manifest, limits.max_content_types_bytes)
        check_xml_safe(data)
        if b"encryption-data" in data:
            raise _Verdict("encrypted")   # a password-protected .ods: content.xml is ciphertext
    content = names.get("content.xml")
    if content is None:
        raise _Verdict("missing-workbook")
    try:
        with zf.open(content) as fh:
            cells, spaces = _ods_extent(fh, limits.max_member_bytes)
    except SniffError:
        raise
    except ZIP_ERRORS:
        raise _Verdict("corrupt-zip") from None
    if cells > limits.max_sheet_cells:
        raise _Verdict("sheet-too-large")
    if spaces > ODS_MAX_SPACES:
        raise _Verdict("zip-bomb")


def _ods_extent(fh: IO[bytes], cap: int) -> tuple[int, int]:
    """(largest filled area of one sheet in cells, from A1 with repeats counted; spaces asked by text:s).

    Tags are matched by local name whatever their prefix, and a cell counts as filled when
    it has content or a value type: an over-estimate never lets a bomb through. Trailing
    empty repeats (LibreOffice ends every sheet with a million of them) cost nothing here
    and nothing in calamine.
    """
    stack: list[list[int]] = []          # per open table: [row, row_repeat, col, row_filled, hi_row, hi_col]
    worst = spaces = 0
    seen, tail = 0, b""
    while True:
        block = fh.read(1 << 20)
        seen += len(block)
        if seen > cap:
            raise ZipMemberTooLarge("content.xml")
        buf = tail + block
        cut = len(buf) if not block else buf.rfind(b"<")
        if cut < 0:
            cut = len(buf)
        for m in _ODS_TAG.finditer(buf, 0, cut):
            closing, name, attrs = m.group(1), m.group(2), m.group(3)
            if name == b"s":
                if not closing:
                    n = _SPACES.search(attrs)
                    spaces += int(n.group(1)) if n else 1
            elif name == b"table":
                if closing:
                    if stack:
                        t = stack.pop()
                        worst = max(worst, t[4] * t[5])
                elif not attrs.rstrip().endswith(b"/"):
                    stack.append([0, 1, 0, 0, 0, 0])
            elif not stack:
                continue
            elif name == b"table-row":
                t = stack[-1]
                if closing:
                    if t[3]:
                        t[4] = t[0] + t[1]
                    t[0] += t[1]
                else:
                    n = ROWS_REPEATED.search(attrs)
                    t[1], t[2], t[3] = (int(n.group(1)) if n else 1), 0, 0
                    if attrs.rstrip().endswith(b"/"):
                        t[0] += t[1]
            elif not closing:   # a cell
                t = stack[-1]
                n = COLS_REPEATED.search(attrs)
                width = int(n.group(1)) if n else 1
                if not attrs.rstrip().endswith(b"/") or _VALUE_TYPE.search(attrs):
                    t[3] = 1
                    t[5] = max(t[5], t[2] + width)
                t[2] += width
        if not block:
            break
        tail = buf[cut:]
    for t in stack:                       # a sheet never closed still counts
        worst = max(worst, t[4] * t[5])
    return worst, spaces


# ---- OLE2 (legacy .xls, encrypted OOXML, .doc) ---------------------------


def _classify_ole(fh: IO[bytes], limits: Limits) -> str:
    """OLE2 compound file: look at its top-level streams."""
    try:
        with olefile.OleFileIO(fh) as ole:
            streams = {"/".join(entry).lower() for entry in ole.listdir(streams=True, storages=False)}
            book = next((n for n in ("workbook", "book") if n in streams), None)
            data = _ole_stream(ole, book, os.fstat(fh.fileno()).st_size, limits) if book else b""
    except _Verdict:
        raise
    except Exception:  # olefile raises many types on malformed input
        raise _Verdict("corrupt-ole") from None
    if "encryptioninfo" in streams or "encryptedpackage" in streams:
        raise _Verdict("encrypted")  # password-protected .xlsx/.xlsm
    if book:
        if not biff.is_biff_stream(data[:32]):
            raise _Verdict("corrupt-ole")
        if biff.is_encrypted(data):
            raise _Verdict("encrypted")  # FILEPASS: XOR obfuscation, RC4 or CryptoAPI
        return "xls"
    if "worddocument" in streams:
        raise _Verdict("word-file")
    if "powerpoint document" in streams:
        raise _Verdict("ppt-file")
    if "nativecontent_main" in streams:
        raise _foreign("qpw")
    raise _Verdict("not-excel")


def _ole_stream(ole: olefile.OleFileIO, name: str, file_size: int, limits: Limits) -> bytes:
    """A stream no longer than the file (a damaged sector chain can claim gigabytes) nor max_member_bytes."""
    if ole.get_size(name) > min(file_size, limits.max_member_bytes):
        raise _Verdict("corrupt-ole")
    return ole.openstream(name).read()


# ---- Text: CSV / HTML / SpreadsheetML 2003 renamed to .xls(x) -------------


def _classify_text(head: bytes) -> str:
    """Tables saved as text: a web page, SpreadsheetML 2003, a flat OpenDocument file, CSV/TSV; or why not."""
    text = _decode_text(head)
    if text is None:
        raise _Verdict("not-excel")
    lead = text.lstrip("\ufeff \t\r\n")[:2048].lower()
    start = text[:4096].lower()
    if "urn:schemas-microsoft-com:office:spreadsheet" in start and "<html" not in lead:
        return "xml2003"
    if "<office:document" in start and "opendocument.spreadsheet" in start:
        return "fods"
    if lead.startswith("mime-version:") or (lead.startswith(("from:", "content-type:")) and "multipart/related" in start):
        return "mhtml"   # Excel's "single file web page" (.mht), often saved as .xls
    if lead.startswith(("<!doctype html", "<html", "<table", "<meta", "<head")) or "<html" in lead \
            or ("<table" in lead and "<tr" in start):
        return "html"
    if lead.startswith(("{", "[")):
        raise _Verdict("not-excel")   # JSON (an xlbase report kept beside the 汇总表s, an export of some system)
    if lead.startswith("id;p"):
        raise _foreign("slk")
    if lead.startswith(("table\r\n0,1", "table\n0,1")):
        raise _foreign("dif")
    if any(sep in text for sep in (",", "\t", "，", ";", "|")) and ("\n" in text or len(head) < 4096):
        return "csv"
    raise _Verdict("not-excel")


def _decode_text(head: bytes) -> str | None:
    """Decode as UTF-16 (BOM), UTF-8 or GB18030 (superset of GBK); None if binary."""
    candidates: list[tuple[bytes, str]]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = [(head, "utf-16")]
    else:
        candidates = [(head, "utf-8-sig"), (head, "gb18030")]
    for data, encoding in candidates:
        try:
            decoder = codecs.getincrementaldecoder(encoding)()
            text = decoder.decode(data, final=False)  # head may cut a character
        except (UnicodeDecodeError, ValueError):
            continue
        if _looks_like_text(text):
            return text
    return None


def _looks_like_text(text: str) -> bool:
    """Printable apart from a tiny share of control characters."""
    if not text:
        return False
    controls = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\r\n\f") or ch == "\x7f")
    return controls <= len(text) // 100
