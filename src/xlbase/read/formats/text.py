"""Tables saved as text (.csv, .tsv, .txt): the encoding found by charset-normalizer, the dialect by csv.Sniffer.

Offices send CSV from Excel ("CSV (逗号分隔)" writes GBK on a Chinese Windows, "CSV UTF-8"
writes a BOM), from WPS and from web systems (UTF-8, sometimes UTF-16). A byte-order mark
decides; else strict UTF-8; else charset-normalizer's best guess (GB18030 for GBK text).
The delimiter is sniffed among comma, tab, semicolon, bar and the full-width comma.
Rows are the file's records from A1, one cell a field, all text as typed: the normaliser
reads numbers and dates from text as it does from a workbook cell typed as text, and a
credit code or a 15-digit 注册号 keeps its digits (Excel would round them).
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

from ..grid import Sheet
from ..sheet_xml import SheetTooLarge
from ..limits import DEFAULT_LIMITS, Limits
from . import cells

DELIMITERS = ",\t;|，"
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
SNIFF_CHARS = 64 * 1024


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding): BOM, then strict UTF-8, then charset-normalizer, then GB18030 with replacement."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(enc, "replace"), enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    if best is not None and best.encoding:
        enc = "gb18030" if best.encoding in ("gbk", "gb2312", "cp936") else best.encoding
        return data.decode(enc, "replace"), enc
    return data.decode("gb18030", "replace"), "gb18030"


def dialect(sample: str, suffix: str = "") -> type[csv.Dialect] | csv.Dialect:
    """The sample's dialect; a file the sniffer cannot decide is split on the delimiter most of its lines share."""
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS)
    except csv.Error:
        pass
    lines = [ln for ln in sample.splitlines()[:50] if ln.strip()]
    best = "\t" if suffix == ".tsv" else ","
    score = -1
    for d in DELIMITERS:
        counts = [ln.count(d) for ln in lines]
        hits = sum(1 for n in counts if n)
        if hits > score and hits:
            best, score = d, hits

    class Split(csv.excel):
        delimiter = best
    return Split


def read_text(path: str, kind: str = "csv", limits: Limits = DEFAULT_LIMITS) -> list[Sheet]:
    with open(path, "rb") as fh:
        data = fh.read()
    text, _ = decode(data)
    text = text.replace("\x00", "")
    rows = []
    width = 0
    for record in csv.reader(io.StringIO(text, newline=""), dialect(text[:SNIFF_CHARS], Path(path).suffix.lower())):
        line = cells.row(record)
        width = max(width, len(line))
        rows.append(line)
        if len(rows) * max(width, 1) > limits.max_sheet_cells:
            raise SheetTooLarge(Path(path).name, len(rows) * width)
    while rows and not rows[-1]:
        rows.pop()
    return [Sheet(name=Path(path).stem[:31] or "Sheet1", rows=rows)]
