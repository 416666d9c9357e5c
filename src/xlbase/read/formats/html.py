"""Tables in a web page: what web systems export as ".xls", and Excel's own "网页" and "单个文件网页" (.mht).

Excel opens such a file as one sheet: the page's tables one below the other, a merged cell
for each colspan/rowspan. The grid here is built the same way (lxml parses the HTML; the
value of a spanned cell sits at its top-left, the rest of the span is empty, as calamine
gives a merged range), with each line of text between tables (a title, a 填报单位 line) as
one cell of its own row, so a person finds row and column where Excel shows them.
The charset is the one the file declares (BOM, <meta charset>, http-equiv, MIME part
header); a page that declares none is UTF-8 if it decodes as UTF-8, else GB18030 (GBK).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..grid import Sheet
from ..limits import DEFAULT_LIMITS, Limits
from . import cells

#: <meta charset="x"> or <meta http-equiv="Content-Type" content="text/html; charset=x">, and XML's encoding="x"
_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
                       re.I)
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "div", "caption", "li", "pre", "center"}
MAX_SPAN = 1024    # a colspan/rowspan beyond Excel's own grid (16 384 columns) is a damaged page, not a layout


def decode_html(data: bytes, declared: str | None = None) -> str:
    """The page's text by its declared charset, else UTF-8 when it decodes as such, else GB18030."""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(enc, "replace")
    m = _DECLARED.search(data[:8192])
    for name in (declared, (m.group(1) or m.group(2)).decode("ascii") if m else None):
        if name:
            charset = _encoding(name)
            if charset:
                return data.decode(charset, "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", "replace")


def _encoding(name: str) -> str | None:
    import codecs

    name = name.strip().lower()
    if name in ("gb2312", "gbk", "x-gbk", "gb_2312-80", "cp936", "euc-cn"):
        return "gb18030"   # a superset: pages declared GB2312 hold GBK characters all the time
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def read_html(path: str, kind: str = "html", limits: Limits = DEFAULT_LIMITS) -> list[Sheet]:
    with open(path, "rb") as fh:
        data = fh.read()
    if kind == "mhtml":
        text = _mhtml_html(data)
    else:
        text = decode_html(data)
    return [Sheet(name=Path(path).stem[:31] or "Sheet1", rows=page_rows(text, limits.max_sheet_cells))]


def _mhtml_html(data: bytes) -> str:
    """The worksheet pages of an .mht (Excel's single-file web page), in order; else its first HTML part."""
    import email           # here, not at import: an .mht is rare, and email.policy is a slow import of every start
    import email.policy
    msg = email.message_from_bytes(data, policy=email.policy.compat32)
    pages = []
    for part in msg.walk():
        if part.get_content_type() != "text/html":
            continue
        payload = part.get_payload(decode=True)     # bytes for a part that is not itself multipart
        if not isinstance(payload, bytes):
            payload = b""
        pages.append((str(part.get("Content-Location", "")), decode_html(payload, part.get_content_charset())))
    sheets = [text for loc, text in pages if re.search(r"sheet\d+\.htm", loc, re.I)]
    return "\n".join(sheets) if sheets else (pages[0][1] if pages else "")


def page_rows(text: str, max_cells: int) -> list:
    """The page as Excel lays it out in one sheet: each table's rows, lines of text between tables."""
    import lxml.html

    if not text.strip():
        return []
    parser = lxml.html.HTMLParser(encoding="utf-8", no_network=True, remove_comments=True, remove_pis=True)
    root = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    for bad in root.xpath("//script|//style|//head"):
        bad.drop_tree()
    rows: list = []
    _walk(root, rows, max_cells)
    while rows and not rows[-1]:
        rows.pop()
    return rows


def _walk(el, rows: list, max_cells: int) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag == "table":
        _table(el, rows, max_cells)
        return
    if tag in _BLOCKS and not el.xpath(".//table"):
        line = " ".join(el.text_content().split())
        if line:
            rows.append([line])
        return
    for child in el:
        _walk(child, rows, max_cells)


def _table(table, rows: list, max_cells: int) -> None:
    """The rows of one table into `rows`; spans occupy their cells, the value at the top-left (nested tables as text)."""
    top = len(rows)
    taken: set[tuple[int, int]] = set()
    width = 0
    for r, tr in enumerate(tr for tr in table.iter("tr") if _owner(tr) is table):
        line: list = []
        rows.append(line)
        c = 0
        for td in tr:
            if not isinstance(td.tag, str) or td.tag not in ("td", "th"):
                continue
            while (r, c) in taken:
                c += 1
            colspan, rowspan = _span(td.get("colspan")), _span(td.get("rowspan"))
            _put(line, c, _text(td))
            for dr in range(rowspan):
                for dc in range(colspan):
                    if dr or dc:
                        taken.add((r + dr, c + dc))
            c += colspan
        width = max(width, c)
        if len(rows) * max(width, 1) > max_cells:
            raise MemoryError("HTML table larger than max_sheet_cells")
    for r in range(top, len(rows)):
        while rows[r] and rows[r][-1] == "":
            rows[r].pop()


def _owner(tr):
    """The table a row belongs to (not a table nested in one of its cells)."""
    el = tr.getparent()
    while el is not None and el.tag != "table":
        el = el.getparent()
    return el


def _span(value) -> int:
    try:
        return max(1, min(int(str(value).strip() or 1), MAX_SPAN))
    except ValueError:
        return 1


def _put(line: list, c: int, value) -> None:
    if len(line) <= c:
        line.extend([""] * (c + 1 - len(line)))
    line[c] = value


def _text(td) -> str:
    """A cell's text as Excel shows it: <br> and block ends as line breaks, runs of spaces as one."""
    for br in td.iter("br"):
        br.tail = "\n" + (br.tail or "")
    lines = [" ".join(part.split()) for part in td.text_content().replace("\xa0", " ").split("\n")]
    return cells.cell("\n".join(line for line in lines if line))
