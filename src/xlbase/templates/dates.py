"""Dates read inside the workbook the way xlbase's reader reads them (read.normalise.parse_date, and
read.periods for a field that may hold a period).

Clerks type "2019.3.15", "2019年3月", the number 2019.03 or, where the notice allows a period (附件2
建设时间), "2019年3月—2020年5月" or "2015年至今". validate reads all of these; a date cell that only
took Excel dates would refuse them, and the live checks (age, date ranges, 附件2 = 附件10) would not
see a date typed as text. So every date input gets a row of staged formulas on the hidden sheet
`xl_dates` that turns what was typed into what validate reads: a date serial, "" for blank (or a
blank word such as 无), or UNREADABLE where validate reports the value as unreadable (an error).
Stages keep each formula short: Excel 2010, WPS and LibreOffice have no LET, and a date parsed in one
formula would repeat each part many times. Only functions of the allow-list
(tests/templates/test_template_formulas.py); IFERROR guards the text-to-number steps.

The data validation of a date cell (`date_validation`) is a coarse gate within Excel's 255-character
limit: it refuses only values validate calls an error, and the red mark on the cell (driven by the
staged read) shows the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook

import unicodedata

from ..read.date_numerals import DATE_NUMERALS, numeral_forms, numeral_steps
from ..read.normalise import DATE_EVENTS, DATE_STOPS, DAY_WORDS, MAX_SERIAL, MIN_SERIAL
from ..read.periods import _OPEN_END
from .lists import BLANK_WORDS, ListSheet

DATE_SHEET = "xl_dates"
UNREADABLE = "?"

#: typed separators of a date's parts (NFKC folds the full-width ones the same way)
_PART_SEPARATORS = ("年", "月", ".", "/", "-", "．", "／", "－")
#: what separates a period's two ends (read.periods._SEPARATOR; "-" only before a year, done apart)
_PERIOD_SEPARATORS = ("—", "–", "―", "─", "－", "~", "～", "至", "到")
_PERIOD_WORDS = ("建成", "建设", "期间", "左右")

#: what the reader's NFKC and space removal do to a typed date: no spaces, full-width digits as ASCII
_SPACES = ((" ", ""), ("　", ""))
_FULL_WIDTH = tuple((chr(0xFF10 + i), str(i)) for i in range(10))
_SPACELESS = (*_SPACES, *_FULL_WIDTH)


def _numeral_stages() -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """A date's Chinese numerals in Arabic digits as validate writes them (read.date_numerals: NFKC, then
    numeral_steps), in two stages of at most 64 nested calls each: full-width digits and the other forms of
    a numeral (⼆, Ｏ) folded, the table's digits; then the steps for 十."""
    steps = numeral_steps()
    digits = next(i for i, (old, _) in enumerate(steps) if old in DATE_NUMERALS) + len(DATE_NUMERALS)
    return (*_FULL_WIDTH, *numeral_forms(), *steps[:digits]), steps[digits:]

# the parser's stages, one column each (a, b, … refer to the stage cells of the same row)
_STAGES = ("spaceless", "numerals", "arabic", "no_stop", "no_event", "no_day", "no_month", "parts", "count", "year", "month", "day", "number",
           "from_number", "from_parts", "value")
#: what a stage computes on a blank cell (the result cached in the file, for a viewer that shows cached
#: results without recalculating); "" for the stages not named
_BLANK = {"count": 0, "day": "1", "from_number": UNREADABLE, "from_parts": UNREADABLE, "period_value": UNREADABLE}
#: the stages a list column keeps in cells, one per row; the others are names evaluated from them
_COLUMN_CELLS = ("numerals", "arabic", "no_stop", "no_day", "parts", "number", "value")
_PERIOD_STAGES = ("period_text", "start_text", "tail_text", "period_value")


#: a full stop closing a date, as typed: validate's (read.normalise.DATE_STOPS) and what NFKC folds to one (．)
_STOPS = tuple(sorted({c for c in map(chr, range(0x2000, 0x10000)) if unicodedata.normalize("NFKC", c) in DATE_STOPS}
                      | set(DATE_STOPS)))


def _strip_end(text: str, words) -> str:
    """Excel: `text` without the one of `words` it ends with (none of them ends another), `text` named three
    times whatever the words."""
    assert not any(a != b and a.endswith(b) for a in words for b in words), words     # one word matches at most
    def array(items) -> str:
        return "{" + ",".join(items) + "}"
    lengths = array(str(len(w)) for w in words)
    found = f'SUMPRODUCT((RIGHT({text},{lengths})={array(chr(34) + w + chr(34) for w in words)})*{lengths})'
    return f"LEFT({text},LEN({text})-{found})"


def _subst(expr: str, pairs) -> str:
    for old, new in pairs:
        expr = f'SUBSTITUTE({expr},"{old}","{new}")'
    return expr


def _digits(text: str) -> str:
    """Excel: `text` is ASCII digits only (a number whose digits are all of it: no sign, point, exponent)."""
    return f"IFERROR(LEN(--{text})=LEN({text}),FALSE)"


def _from_number(v: str, period: bool) -> str:
    """Excel: the date read from the number `v` (read.normalise._date_from_serial): YYYYMMDD, a year.month
    typed as a number (2019.03; 2019.1 is January or October, unreadable; a bare year only as a period),
    or a serial of 1950..2099."""
    y, m, d = f"INT({v}/10000)", f"MOD(INT({v}/100),100)", f"MOD({v},100)"
    compact = f'IF(AND({m}>=1,{m}<=12,{d}>=1,{d}<=DAY(DATE({y},{m}+1,0))),DATE({y},{m},{d}),"{UNREADABLE}")'
    f1, f2 = f"({v}-INT({v}))*10", f"({v}-INT({v}))*100"
    whole = f"DATE({v},1,1)" if period else f'"{UNREADABLE}"'
    year_month = (f'IF({v}=INT({v}),{whole},IF(ABS({f1}-ROUND({f1},0))<1E-6,'
                  f'IF(ROUND({f1},0)=1,"{UNREADABLE}",DATE(INT({v}),ROUND({f1},0),1)),'
                  f'IF(AND(ABS({f2}-ROUND({f2},0))<1E-6,ROUND({f2},0)>=1,ROUND({f2},0)<=12),'
                  f'DATE(INT({v}),ROUND({f2},0),1),"{UNREADABLE}")))')
    return (f'IF({v}="","{UNREADABLE}",IF(AND({v}=INT({v}),{v}>=19000101,{v}<=21001231),{compact},'
            f'IF(AND({v}>=1900,{v}<2101),{year_month},'
            f'IF(AND({v}>={MIN_SERIAL},{v}<{MAX_SERIAL}),INT({v}),"{UNREADABLE}"))))')


def _stage_formulas(x: str, c: dict[str, str], period: bool) -> dict[str, str]:
    """Each stage's formula for the typed cell `x`; c maps a stage to its cell in the same row."""
    s, nd, nm, p, k = c["arabic"], c["no_day"], c["no_month"], c["parts"], c["count"]
    ns, ne = c["no_stop"], c["no_event"]
    y, m, d, n = c["year"], c["month"], c["day"], c["number"]
    second = f'FIND("|",{p},FIND("|",{p})+1)'
    parts_ok = (f'AND({k}>=2,{k}<=3,LEN({y})=4,LEN({m})>=1,LEN({m})<=2,LEN({d})>=1,LEN({d})<=2,'
                f'{_digits(f"SUBSTITUTE({p},{chr(34)}|{chr(34)},{chr(34)}{chr(34)})")},'
                f'OR({nd}={s},{k}=3),OR({nm}={nd},{k}=2))')
    digits = f'IF(RIGHT({nd},1)="年",{nm},{s})' if period else s     # "2015年" is the year 2015 as a period's end
    valid = f"AND(--{y}>=1900,--{y}<=2100,--{m}>=1,--{m}<=12,--{d}>=1,--{d}<=DAY(DATE(--{y},--{m}+1,0)))"
    return {
        # what was typed, without spaces; "" for a number (the number stages read it): for the blank words
        "spaceless": f'IF(ISNUMBER({x}),"",{_subst(x + chr(38) + chr(34) * 2, _SPACELESS)})',
        # ... with Chinese numerals in Arabic digits (二〇一九年五月六日), then without spaces: what is parsed
        "numerals": f'IF(ISNUMBER({x}),"",{_subst(x + chr(38) + chr(34) * 2, _numeral_stages()[0])})',
        "arabic": _subst(_subst(c["numerals"], _numeral_stages()[1]), _SPACES),
        # after a day (a date of three parts: parts_ok), as validate reads it: a final full stop, the event dated
        # (2019年5月6日成立) and the day's 日 or 号 are dropped; a final 月 only after a month ("2019年3月")
        # (each text referred to three times: a list column's stages are names, which the suites expand in place —
        # a nested IF per word made LibreOffice's formulas too long to compute, #N/A)
        "no_stop": _strip_end(s, _STOPS),
        "no_event": _strip_end(ns, DATE_EVENTS),
        "no_day": _strip_end(ne, DAY_WORDS),
        # a final 月 ("2019年3月"); for a period's end also a final 年 or 年度 ("2015年至今")
        "no_month": (f'IF(OR(RIGHT({nd},1)="月",RIGHT({nd},1)="年"),LEFT({nd},LEN({nd})-1),{nd})' if period
                     else f'IF(RIGHT({nd},1)="月",LEFT({nd},LEN({nd})-1),{nd})'),
        "parts": _subst(nm, ((sep, "|") for sep in _PART_SEPARATORS)),
        "count": f'IF({p}="",0,LEN({p})-LEN(SUBSTITUTE({p},"|",""))+1)',
        "year": f'IFERROR(LEFT({p},FIND("|",{p})-1),{p})',
        "month": f'IFERROR(IF({k}=3,MID({p},FIND("|",{p})+1,{second}-FIND("|",{p})-1),MID({p},FIND("|",{p})+1,99)),"")',
        "day": f'IFERROR(IF({k}=3,MID({p},{second}+1,99),"1"),"1")',
        # a number typed, or text that is only digits (20190315, 43500, 2019)
        "number": f'IF(ISNUMBER({x}),{x},IF({k}=1,IFERROR(IF({_digits(digits)},--{digits},""),""),""))',
        "from_number": _from_number(n, period),
        "from_parts": f'IFERROR(IF({parts_ok},IF({valid},DATE(--{y},--{m},--{d}),"{UNREADABLE}"),"{UNREADABLE}"),"{UNREADABLE}")',
        "value": (f'IFERROR(IF(TRIM({x}&"")="","",IF(ISNUMBER({x}),{c["from_number"]},'
                  f'IF(ISNUMBER(MATCH({c["spaceless"]},{BLANK_WORDS},0)),"",IF({k}=1,{c["from_number"]},{c["from_parts"]})))),'
                  f'"{UNREADABLE}")'),
    }


def _period_formulas(x: str, arabic: str, c: dict[str, str], start: str, start_parts: str, end: str,
                     tail_cell: str) -> dict[str, str]:
    """A period "2019年3月—2020年5月", "2015年至今", "2012-2016" (read.periods.period_start): its start,
    when the typed value is no date. `start`/`end` are the dates the parser rows read from the two ends
    (as periods: a bare year counts), `start_parts` the start's number of parts (a day: no lone start);
    `arabic` what was typed in Arabic digits, without spaces (the stage of the date's read)."""
    text = _subst(arabic, (("年度", "年"), ("月份", "月"), *((w, "") for w in _PERIOD_WORDS),
                             *((sep, "~") for sep in _PERIOD_SEPARATORS), ("-19", "~19"), ("-20", "~20"),
                             ("~~", "~"), ("~~", "~")))
    p = c["period_text"]
    opens = ",".join(f'{tail_cell}="{w}"' for w in _OPEN_END)
    lone = f'IF(AND(ISNUMBER({start}),{start_parts}<=2),{start},"{UNREADABLE}")'
    ended = (f'IF(AND(ISNUMBER({start}),OR({opens})),{start},'
             f'IF(AND(ISNUMBER({start}),ISNUMBER({end})),IF({end}>={start},{start},"{UNREADABLE}"),"{UNREADABLE}"))')
    return {
        "period_text": f'IF(ISNUMBER({x}),"",{text})',
        "start_text": f'IFERROR(LEFT({p},FIND("~",{p})-1),{p})',
        "tail_text": f'IFERROR(MID({p},FIND("~",{p})+1,99),"")',
        "period_value": f'IF(ISERROR(FIND("~",{p})),{lone},{ended})',
    }


@dataclass
class DateSheet:
    """The hidden sheet of staged date reads. `cell` reads one input cell, `column` a list column."""

    workbook: Workbook
    lists: ListSheet
    reads: dict[str, str] = field(default_factory=dict)     # typed cell (sheet-qualified) -> its read value

    def __post_init__(self) -> None:
        self.sheet = self.workbook.add_worksheet(DATE_SHEET)
        self.sheet.hide()
        self.sheet.protect("")
        self.row = 1            # next free row of the first block (single cells)
        self.columns = 0        # list columns read so far
        self.next_col = 0       # first column of the next block
        self.cell_block = self._block(len(_STAGES) + len(_PERIOD_STAGES))

    def _block(self, width: int) -> int:
        col = self.next_col
        self.next_col += width + 1
        return col

    def _write_parser(self, x: str, row: int, col: int, period: bool) -> dict[str, str]:
        cells = {s: xl_rowcol_to_cell(row, col + i) for i, s in enumerate(_STAGES)}
        for i, (stage, formula) in enumerate(_stage_formulas(x, cells, period).items()):
            self.sheet.write_formula(row, col + i, "=" + formula, None, _BLANK.get(stage, ""))
        return cells

    def cell(self, typed: str, period: bool = False) -> str:
        """The read value of one input cell (`typed`: sheet-qualified absolute reference), as an absolute
        reference on this sheet."""
        col = self.cell_block
        row = self.row
        cells = self._write_parser(typed, row, col, period=False)
        value = cells["value"]
        self.row += 1
        if period:
            pcol = col + len(_STAGES)
            pcells = {s: xl_rowcol_to_cell(row, pcol + i) for i, s in enumerate(_PERIOD_STAGES)}
            start = self._write_parser(pcells["start_text"], self.row, col, period=True)
            end = self._write_parser(pcells["tail_text"], self.row + 1, col, period=True)
            self.row += 2
            formulas = _period_formulas(typed, cells["arabic"], pcells, start["value"], start["count"], end["value"],
                                        pcells["tail_text"])
            for i, stage in enumerate(_PERIOD_STAGES):
                self.sheet.write_formula(row, pcol + i, "=" + formulas[stage], None, _BLANK.get(stage, ""))
            value = xl_rowcol_to_cell(row, pcol + len(_PERIOD_STAGES))
            self.sheet.write_formula(row, pcol + len(_PERIOD_STAGES),
                                     f'=IF({cells["value"]}<>"{UNREADABLE}",{cells["value"]},IF(ISNUMBER({typed}),'
                                     f'IF(AND({typed}=INT({typed}),{typed}>=1900,{typed}<2101),DATE({typed},1,1),'
                                     f'"{UNREADABLE}"),{pcells["period_value"]}))',
                                     None, "")
        ref = f"'{DATE_SHEET}'!" + _absolute(value)
        self.reads[typed] = ref
        return ref

    def column(self, sheet: str, first_row: int, last_row: int, col: int) -> tuple[str, str]:
        """Read values of a list column (rows first_row..last_row of `sheet`, column `col`), on the same rows
        of this sheet: (the absolute range, the column's letter for relative references).

        Each stage is a defined name whose references are relative to the row it is used in (a name's
        relative references count from A1, in Excel, WPS and LibreOffice alike); only the stages many
        others use are kept in cells (each holding `=xl_dateN_stage`), so the file stays small."""
        block = self._block(len(_COLUMN_CELLS))
        self.columns += 1
        x = f"'{sheet}'!${xl_col_to_name(col)}1"
        names = {s: f"xl_date{self.columns}_{s}" for s in _STAGES}
        at = {s: f"'{DATE_SHEET}'!${xl_col_to_name(block + _COLUMN_CELLS.index(s))}1" if s in _COLUMN_CELLS
              else names[s] for s in _STAGES}
        for stage, formula in _stage_formulas(x, at, period=False).items():
            self.workbook.define_name(names[stage], "=" + formula)
        for row in range(first_row, last_row + 1):
            for i, stage in enumerate(_COLUMN_CELLS):
                self.sheet.write_formula(row, block + i, "=" + names[stage], None, "")
        letter = xl_col_to_name(block + _COLUMN_CELLS.index("value"))
        return f"'{DATE_SHEET}'!${letter}${first_row + 1}:${letter}${last_row + 1}", letter


def _absolute(cell: str) -> str:
    from xlsxwriter.utility import xl_cell_to_rowcol
    r, c = xl_cell_to_rowcol(cell)
    return xl_rowcol_to_cell(r, c, True, True)


def date_validation(top_left: str, blank_words: bool = False) -> str:
    """Excel data-validation formula (at most 255 characters) for a date cell: numbers validate may read
    as a date (a serial of 1950..2099, 2019.03, 20190315) and text whose first character may begin a
    year of 19xx or 20xx, in any digits validate reads (２, 二, 一: _year_characters) (any text in a field
    that may stay blank, where validate reads 无 or — as blank). What it lets through and validate cannot
    read gets the red mark (template_rules.date_marks)."""
    x = top_left
    text = "TRUE" if blank_words else f'ISNUMBER(FIND(LEFT(TRIM({x}),1),"{_year_characters("12")}"))'
    return (f"=IF(ISNUMBER({x}),OR(AND({x}>=1900,{x}<2101),AND({x}>={MIN_SERIAL},{x}<{MAX_SERIAL}),"
            f"AND({x}>=19000101,{x}<=21001231)),{text})")


def _year_characters(digits: str) -> str:
    """Every character validate reads as one of `digits` in a date: the digit, full width, and the Chinese
    numerals (and their other forms) that are that digit (read.date_numerals)."""
    numerals = {**DATE_NUMERALS, **{c: DATE_NUMERALS.get(n, "") for c, n in numeral_forms()}}
    return "".join([*digits, *(w for w, d in _FULL_WIDTH if d in digits), *(c for c, d in numerals.items() if d and d in digits)])


def date_forms(field=None, *, period: bool | None = None) -> str:
    """What a date cell accepts, in the clerk's words: the forms validate reads (read.normalise), and for a
    field that may hold a period (read.periods) a year or a start and end. `field` gives the prompt of
    its cell; period=True only the period sentence (the 填表说明 says it once)."""
    dates = "可填2019-03-15、2019.3.15或2019年3月15日，只有年月的（2019年3月、2019.03）按当月1日计。"
    periods = "还可填年份或起止时间，如2019年、2019年3月—2020年5月、2015年至今（按开始时间计）。"
    if period:
        return periods
    return dates + (periods if field is not None and field.period else "")
