"""Why a reader could not open a file, said in Chinese for the clerk and the officer.

The readers fail with their libraries' own English text ("CalamineError: Relationship not found",
"XMLSyntaxError: Couldn't find end of Start Tag", a Rust panic). That text names no fix a clerk can
make, so a problem never shows it: each failure is told by what it says of the file (its zip
structure, its XML, a missing part, its text encoding, an old-format structure, cut short …); the
library's text goes to the debug log only, for whoever investigates the file.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

#: (exception type names, words of its text (lowercase), reason): a type that says what failed decides
#: first (XmlError, BadZipFile), then the first entry whose words are in the text (calamine's one
#: CalamineError carries every kind of failure; the words are the libraries' own: calamine, openpyxl/lxml,
#: xlrd, odfpy, pyxlsb, zipfile, LibreOffice), else the general reason
REASONS: tuple[tuple[tuple[str, ...], tuple[str, ...], str], ...] = (
    (("PasswordError",), ("password", "encrypt"), "文件设有密码或已加密"),
    (("TimeoutError",), ("took more than", "timed out", "timeout"), "读取超时（文件内部结构异常）"),
    (("BadZipFile", "ZipError", "LargeZipFile"), ("zip", "central directory", "crc", "bad magic"),
     "压缩结构损坏（文件不完整或被改动过）"),
    ((), ("unrecognized sheet", "macrosheet", "sheet:type", "dialogsheet", "chartsheet"),
     "含有该读取器不支持的工作表类型（如宏表、图表工作表）"),
    (("UnicodeDecodeError", "UnicodeError", "LookupError"), ("codepage", "encoding", "decode", "utf-8", "gbk"),
     "文字编码无法识别"),
    ((), ("shared string", "sharedstrings"), "共享文字表（sharedStrings）缺失或有误"),
    ((), ("relationship", "no item named", "no such file", "missing", "not found", "no entry found"),
     "缺少文件内部的组成部分（如工作表、关系表或样式）"),
    (("XMLSyntaxError", "ParseError", "XmlError", "ExpatError", "SAXParseException"),
     ("xml", "tag", "well-formed", "syntax error", "document is empty", "namespace", "expecting"),
     "内部 XML 内容格式错误（文件被改动过或保存不完整）"),
    (("CompDocError",), ("cfb", "ole", "compdoc", "compound", "sector", "fat ", "msat", "directory"),
     "旧版 Excel（.xls）文件结构错误"),
    (("error", "IndexError", "EOFError"), ("unpack requires", "out of range", "eof", "truncat", "unexpected end",
                                            "buffer", "too short"),
     "文件内部数据不完整（可能被截断）"),
    ((), ("cannot detect file format", "not a flat opendocument", "unsupported format", "file format"),
     "文件内容与其格式不符"),
    ((), ("could not convert", "exit "), "转换失败"),
    ((), ("rows beyond", "max_sheet_cells", "larger than"), "表格超出 Excel 的行列上限"),
    (("PanicException",), (), "读取程序遇到无法解析的内部结构"),
    ((), ("float", "integer", "number", "date", "value", "parse"), "单元格的内容不符合格式规范"),
)
GENERAL = "文件内部结构不符合该格式"


def failure_reason(exc: BaseException, reader: str = "") -> str:
    """What a reader's failure says of the file, in Chinese; the exception's own text goes to the debug log."""
    kind, text = type(exc).__name__, str(exc).lower()
    log.debug("%s could not read the file: %s: %s", reader or "a reader", kind, str(exc)[:300])
    for names, _, reason in REASONS:
        if kind in names:
            return reason
    for _, words, reason in REASONS:
        if any(w in text for w in words):
            return reason
    return GENERAL
