"""The 入驻企业 sheet's cells: what each holds and its XML for the spliced rows (ooxml.bulk_rows).

Apart from summary.sheets (which writes the sheet) so that the row helper (ooxml.row_render) can
build the rows' XML from the merged values without pandas or xlsxwriter: the formats are then the
style indices themselves, and `FirmXml.block` turns a block of plain firm tuples into a chunk.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Mapping, NamedTuple

from ..ooxml.bulk_rows import (SERIAL_FROM, SERIAL_ZERO, blank_rest, excel_date, number_cell, number_rest, text_cell,
                               text_rest, xf_index)
from ..safe_output import EXCEL_MAX_TEXT, cell_text, is_formula_like


@dataclass(frozen=True)
class CellFormats:
    """The sheet's cell formats: xlsxwriter Formats (summary.sheets.cell_formats), or their style indices."""
    plain: Any       # text (wraps), blank, the number and row columns
    quoted: Any      # text a spreadsheet would run: quotePrefix
    keep: Any        # the bookkeeping texts (file, sheet): one line
    date: Any
    numbers: tuple   # one per 附件3 field, by its number format

    def all(self) -> list:
        return [self.plain, self.quoted, self.keep, self.date, *self.numbers]


class FirmData(NamedTuple):
    """What a merged firm row (merge.rows.FirmRow) gives its 入驻企业 row."""
    base_key: str
    values: tuple
    file: str
    sheet: str
    row: int


def block_payload(firms: list, first: int) -> tuple[int, list[tuple]]:
    """A block of firm rows for `FirmXml.block`, numbered from `first`: plain tuples (pickled to the helper)."""
    return first, [(f.base_key, f.values, f.file, f.sheet, f.row) for f in firms]


class FirmCells:
    """What each 入驻企业 cell holds: ("n"|"s"|"d"|"b", value, format), typed by its field.

    The one statement of the sheet's cell rules, for both writers: xlsxwriter calls
    (XLBASE_XLSXWRITER_ROWS=1) and the spliced XML, whose column fast paths fall back to it.
    Formats and repeated texts are resolved once, not per cell (58 000 rows x 17 columns at province scale).
    """

    def __init__(self, formats: CellFormats, bases: Mapping[str, tuple[Any, Any, Any]], display: Mapping[str, str],
                 numeric: list[bool]) -> None:
        """`bases`: each base key's (name, city, county); `display`: each source file's name as shown;
        `numeric`: whether each 附件3 field is a number."""
        self.plain, self.quoted, self.keep, self.date_fmt = formats.plain, formats.quoted, formats.keep, formats.date
        self.num_fmts = list(formats.numbers)
        self.formats = formats.all()
        self.numeric = numeric
        self.bases, self.display = bases, display
        self._base_texts: dict[str, list] = {}
        self._file_texts: dict[str, tuple] = {}
        self._sheet_texts: dict[str, tuple] = {}

    def text(self, v: Any) -> tuple[str, Any, Any]:
        """Submission text: cleaned, with quotePrefix when a spreadsheet would run it."""
        t = cell_text(v)
        return "s", t, (self.quoted if is_formula_like(t) else self.plain)

    def value(self, j: int, v: Any) -> tuple[str, Any, Any]:
        """The cell of field `j` holding `v`: numbers as numbers (numeric fields), dates as dates, the rest text."""
        if v is None:
            return "b", None, self.plain
        tv = type(v)
        if self.numeric[j] and (tv is int or tv is float or (isinstance(v, (int, float)) and tv is not bool)):
            return "n", v, self.num_fmts[j]
        if tv is not str and isinstance(v, (dt.date, dt.datetime)):
            return "d", v if isinstance(v, dt.datetime) else dt.datetime(v.year, v.month, v.day), self.date_fmt
        return self.text(v)

    def base(self, key: str) -> list[tuple[str, Any, Any]]:
        """所属基地, 所在市, 所在县 of a base."""
        bt = self._base_texts.get(key)
        if bt is None:
            bt = self._base_texts[key] = [self.text(v) for v in self.bases[key]]
        return bt

    def file(self, path: str) -> tuple[str, Any, Any]:
        ft = self._file_texts.get(path)
        if ft is None:
            ft = self._file_texts[path] = ("s", cell_text(self.display.get(path, path)), self.keep)
        return ft

    def sheet(self, name: str) -> tuple[str, Any, Any]:
        st = self._sheet_texts.get(name)
        if st is None:
            st = self._sheet_texts[name] = ("s", cell_text(name), self.keep)
        return st

    def row(self, i: int, f) -> list[tuple[str, Any, Any]]:
        """The whole row of firm `f`, numbered `i`."""
        return [("n", i, self.plain), *self.base(f.base_key), *(self.value(j, v) for j, v in enumerate(f.values)),
                self.file(f.file), self.sheet(f.sheet), ("n", f.row, self.plain)]


# What makes a text need more than copying into <t>: cell_text's cleaning (control characters,
# surrogates), is_formula_like's quotePrefix (a trigger first), text_rest's escaping (markup,
# _xHHHH_) or xml:space (a space at either end). Texts longer than EXCEL_MAX_TEXT are cut.
# Tested on a whole column joined by _SEP, which none of these looks for.
_SEP = "\uffff"
_NEEDS_CLEANING = re.compile(r"[\x00-\x1f&<>\ud800-\udfff\ufffe]")     # U+FFFE: ooxml writes it _xFFFE_
_ESCAPE_LIKE = re.compile(r"_x[0-9a-fA-F]{4}_")
_EDGE = re.compile(_SEP + r"[=+\-@\s]")   # a text's first character
_EDGE_SPACE = re.compile(_SEP + r"\s")      # its last one, searched on the reversed column


def _all_plain(texts: list[str]) -> bool:
    """True when no text needs cleaning, quoting, escaping or xml:space.

    Checked on the joined column with patterns that start with one character class or a
    literal (which re scans for in C): about 4x faster than one search per text. A text
    that holds _SEP itself may be taken as not plain; it then goes cell by cell, as it should.
    """
    joined = _SEP + _SEP.join(texts) + _SEP
    if joined.count(_SEP) != max(len(texts), 1) + 1:      # a text holding U+FFFF itself (written _xFFFF_)
        return False
    return not (_NEEDS_CLEANING.search(joined) or ("_x" in joined and _ESCAPE_LIKE.search(joined))
                or _EDGE.search(joined) or _EDGE_SPACE.search(joined[::-1]))


class FirmXml:
    """The 入驻企业 rows as spliced cell XML, built a chunk of rows and a column at a time.

    A column whose cells in the chunk are all plain numbers, whole-day dates, texts with
    nothing to clean, quote or escape, or all blank, has its markup in the chunk's row
    template and its values go in as they are; with some blanks among them, it is a list
    of whole cells made by one format each. Any other column goes cell by cell through
    `FirmCells`, the rules the xlsxwriter path uses.
    """

    CHUNK = 2000    # rows per write: bounded memory at national scale

    def __init__(self, cells: FirmCells, xf_of: Callable[[Any], int | None] = xf_index) -> None:
        """`xf_of`: a format's style index (xlsxwriter's; `int` where the formats are the indices themselves)."""
        self.cells = cells
        self.xf: dict[Any, int] = {}
        for fm in cells.formats:
            xf = xf_of(fm)
            if xf is None:
                raise ValueError("bulk rows need the style indices of xlsxwriter's formats (see _bulk_rows_ok)")
            self.xf[fm] = xf
        p = self.xf[cells.plain]
        self.index, self.text, self.blank = number_cell(p), text_cell(p), blank_rest(p)
        self.numbers = [number_cell(self.xf[fm]) for fm in cells.num_fmts]
        self.date = number_cell(self.xf[cells.date_fmt])     # with whole-day serials

    def xfs(self) -> list[int]:
        """The style index of each of the sheet's formats, in `FirmCells.formats` order."""
        return [self.xf[fm] for fm in self.cells.formats]

    def block(self, payload: tuple[int, list[tuple]]) -> tuple[list[str], list]:
        """`chunk` of a block sent to the row helper (ooxml.row_render): (first number, firm tuples as
        `block_payload` makes them)."""
        first, rows = payload
        return self.chunk([FirmData._make(r) for r in rows], first)

    def chunks(self, firms: list) -> Iterator[tuple[list[str], list]]:
        for a in range(0, len(firms), self.CHUNK):
            yield self.chunk(firms[a:a + self.CHUNK], a + 1)

    def rest(self, cell: tuple[str, Any, Any]) -> str:
        """One cell's XML after its reference."""
        kind, v, fm = cell
        xf = self.xf[fm]
        if kind == "s":
            return text_rest(v, xf)
        if kind == "n":
            return number_rest(v, xf)
        if kind == "d":
            return number_rest(excel_date(v), xf)
        return blank_rest(xf)

    def chunk(self, firms: list, first: int) -> tuple[list[str], list]:
        """Each column's markup ('{}' where a value goes) and the values, for `firms` numbered from `first`."""
        c, rest = self.cells, self.rest
        bases = {k: [rest(x) for x in c.base(k)] for k in {f.base_key for f in firms}}
        files = {path: rest(c.file(path)) for path in {f.file for f in firms}}
        sheets = {name: rest(c.sheet(name)) for name in {f.sheet for f in firms}}
        parts = [self.index, "{}", "{}", "{}"]
        cols: list = [range(first, first + len(firms)), *zip(*(bases[f.base_key] for f in firms))]
        for j, vals in enumerate(zip(*(f.values for f in firms))):
            part, col = self.field(j, vals)
            parts.append(part)
            if col is not None:
                cols.append(col)
        parts += ["{}", "{}", self.index]
        cols += [[files[f.file] for f in firms], [sheets[f.sheet] for f in firms], [f.row for f in firms]]
        return parts, cols

    def field(self, j: int, vals: tuple) -> tuple[str, Any]:
        """Field `j`'s markup and values in this chunk.

        Its filled cells all of one plain kind: the values themselves, or whole cells when
        some are blank. Anything else: whole cells by the cell rules, blanks inline.
        """
        filled = [v for v in vals if v is not None]
        if not filled:
            return self.blank, None
        part, values = self.uniform(j, filled)
        if part is None:
            c, blank, rest = self.cells, self.blank, self.rest
            return "{}", [blank if v is None else rest(c.value(j, v)) for v in vals]
        if len(filled) == len(vals):
            return part, values
        fmt, it = part.format, iter(values)
        return "{}", [self.blank if v is None else fmt(next(it)) for v in vals]

    def uniform(self, j: int, filled: list) -> tuple[str | None, Any]:
        """(markup, values) when every filled cell is a plain number, a whole-day date or a plain text."""
        types = set(map(type, filled))
        if self.cells.numeric[j] and types <= {int, float}:
            return self.numbers[j], filled
        if types == {str} and max(map(len, filled)) <= EXCEL_MAX_TEXT and _all_plain(filled):
            return self.text, filled
        if types == {dt.date} and min(filled) >= SERIAL_FROM:
            return self.date, [v.toordinal() - SERIAL_ZERO for v in filled]
        return None, None
