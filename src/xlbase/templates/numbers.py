"""Numbers read inside the workbook the way xlbase's reader reads them (read.normalise.parse_number).

Clerks type "25人", "1,200", "１２", "3.5万", "12.5万元" or "无" into a number cell; validate reads all of
these (a unit the field's unit family knows, its 万 multiple, grouping commas, full-width digits; 无 and
/ as 0), and reports what it cannot read as unparseable. A live check that took only numbers would skip
such a cell (or count it as 0) and disagree with validate. So every number input gets a read on the
hidden sheet `xl_numbers`: the number validate reads, "" for blank (or a blank word such as n/a), or
UNREADABLE where validate reports the value (unparseable, not whole in a count, too large), RANGE where it
reads a bound or an estimate ("约300", "30户以上", "20-30": read.estimates) — beside it the range's ends
(templates.estimates, `range_reads`); the 表内检查 counts and the red marks use the read, never the typed cell.

How the text is read, in steps each suite computes alike (no regular expressions, no LET):
- fold: the characters a Chinese input method types instead of ASCII (full-width digits, signs,
  brackets and the letters of the unit words, ㎡, ², ideographic and no-break spaces) are replaced as
  NFKC replaces them, spaces dropped, lower case — generated from the unit words the field accepts;
  other characters that hold a digit (①, ⑴, ⒈, ¹, 𝟏) are ordinals, not figures: neither the sheet
  nor validate reads them (read.normalise.ordinal_digits), the cell is red and the clerk types digits;
- the number part is the text up to its first character that is no digit, point, comma or sign
  (found with FIND of the first such character left after removing those); it must be a number
  (one sign first, one point, a digit) and its commas must group thousands (1,200 but not 12,00);
- the rest, without the brackets around it ("25（人）"), must be one of the field's unit words
  (read.units.cell_suffixes: the same table validate uses), whose factor converts the number.
Only functions of the allow-list (tests/templates/test_template_formulas.py).
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field as dc_field

from xlsxwriter.utility import xl_cell_to_rowcol, xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook

from ..forms import Field, unit_separators
from ..read.normalise import MAX_MAGNITUDE, NONE_WORDS, UNIT_SIGN_FOLDS
from ..read.units import cell_suffixes
from .dates import UNREADABLE
from .estimates import BLANK as RANGE_BLANK, OUTPUTS as RANGE_OUTPUTS, RANGE, STEPS as RANGE_STEPS, estimate_words, \
    stage_formulas as range_formulas, word_names
from .lists import BLANK_WORDS, ListSheet, hidden_sheet

NUMBER_SHEET = "xl_numbers"
_LIMIT = f"{MAX_MAGNITUDE:.0E}".replace("E+", "E")
#: how many texts typed as a range a list column no rule judges row by row works out (NumberSheet._slot_column): SLOTS
#: on a list of at least LONG rows (附件3, 1 500 rows), SHORT_SLOTS on a shorter one (附件11's 60 rows; every row of a
#: list of no more rows). Each column's slots cost its ~30 steps' defined names and some 35 cells a slot: 附件11's 13
#: such columns (91 KB without slots) 136 KB with 5, 146 KB with 10, 260 KB with 60 (measured)
SLOTS = 50
LONG = 200
SHORT_SLOTS = 10
NONE_LIST = "xl_none_words"


def slot_count(n_rows: int) -> int:
    """How many texts typed as a range a list column of `n_rows` rows no rule judges row by row reads (its slots)."""
    return min(SLOTS if n_rows >= LONG else SHORT_SLOTS, n_rows)


#: what a clerk is asked when the red mark shows on a number cell (填表说明)
UNREADABLE_NUMBER_TITLE = "数字能够识别（否则请填写数字）"

_NUMBER_CHARS = "0123456789.,+-"
_DIGITS = "0123456789"
_BRACKETS = ("(", ")")
#: characters that are no ASCII but fold to it (NFKC) and that Chinese input methods type, beyond the
#: full-width forms of the ASCII the unit words use (added per table, `_fold_pairs`)
_EXTRA_FOLDS = (("\u3000", ""), ("\u00a0", ""), (" ", ""), ("\u2212", "-"), *UNIT_SIGN_FOLDS,
                ("，", ","), ("＇", ","), ("'", ","))

# the parser's stages, one column each (a list column keeps a few in cells: NumberSheet.column); a range's outputs
# right after the value (templates.estimates: `range_reads` finds them there), its steps last
_STAGES = ("text", "others", "length", "part", "core", "skeleton", "grouped", "ok", "factor", "value",
           *RANGE_OUTPUTS, *RANGE_STEPS)
#: what each stage computes on a blank cell (the cached value, for a viewer that does not recalculate)
_BLANK: dict[str, object] = {"text": "", "others": "", "length": 0, "part": "", "core": "", "skeleton": "",
                             "grouped": True, "ok": False, "factor": 1, "value": "", **RANGE_BLANK}


def _subst(expr: str, pairs) -> str:
    for old, new in pairs:
        expr = f'SUBSTITUTE({expr},"{old}","{new}")'
    return expr


def _fold_pairs(words) -> tuple[tuple[str, str], ...]:
    """(typed, as NFKC reads it) for the full-width forms of every ASCII character of the numbers and of
    `words` (upper and lower case), then the extra folds."""
    ascii_chars = sorted({c for w in words for c in w if "!" <= c <= "~"} | set(_NUMBER_CHARS + "()/"))
    pairs = []
    for c in ascii_chars:
        for v in dict.fromkeys((c, c.upper())):     # in order: the same formula on every run
            pairs.append((chr(ord(v) + 0xFEE0), v))
    return tuple(pairs) + _EXTRA_FOLDS


@dataclass
class UnitTable:
    """A field unit's words on the lists sheet: (word, numerator, denominator) as three named columns."""

    word: str
    num: str
    den: str
    folds: tuple[tuple[str, str], ...]


def _unit_table(lists: ListSheet, unit: str | None) -> UnitTable:
    table = {w: f for w, f in cell_suffixes(unit).items() if w}
    n = sorted(table)
    key = f"xl_units_{zlib.crc32('|'.join(n).encode()):08x}"
    if key + "_word" not in lists.names:
        lists.add(key + "_word", f"单位写法（{unit or '无单位'}）", n or ["—"])
        lists.add(key + "_num", "倍数分子", [table[w].numerator for w in n] or [1])
        lists.add(key + "_den", "倍数分母", [table[w].denominator for w in n] or [1])
    return UnitTable(key + "_word", key + "_num", key + "_den", _fold_pairs([*n, *estimate_words()]))


def _none_list(lists: ListSheet) -> str:
    if NONE_LIST not in lists.names:
        lists.add(NONE_LIST, "读作0的写法", sorted(NONE_WORDS))
    return NONE_LIST


def _has(words: str, value: str) -> str:
    """Excel: `value` is one of the named list `words` (compared with =, so no wildcard reading)."""
    return f"(SUMPRODUCT(--({words}={value}))>0)"


def _stage_formulas(x: str, c: dict[str, str], units: UnitTable, none_words: str, whole: bool,
                    ranges: bool = True, skip: str | None = None) -> dict[str, str]:
    """Each stage's formula for the typed cell `x`; c maps a stage to its cell (or name) in the same row; `ranges`:
    a bound or an estimate reads as RANGE with its range worked out (templates.estimates), else as UNREADABLE;
    `skip`: where the range's steps are not worked out (default: where the text reads as a number)."""
    t, o, n, p, core, sk = c["text"], c["others"], c["length"], c["part"], c["core"], c["skeleton"]
    key = _subst(core, ((s, "") for s in unit_separators()))
    rest = f"MID({t},{n}+1,999)"
    typed = f"LEFT({t},{n})"
    commas = f'(LEN({typed})-LEN({p}))'
    unsigned = f'IF(OR(LEFT({typed},1)="+",LEFT({typed},1)="-"),MID({typed},2,999),{typed})'
    whole_part = f'IFERROR(LEFT({unsigned},FIND(".",{unsigned})-1),{unsigned})'
    positions = "{3,7,11,15,19}"
    at_groups = (f'SUMPRODUCT(--(MID(REPT("0",24)&{whole_part},24+LEN({whole_part})-{positions},1)=",")'
                 f'*({{1,2,3,4,5}}<={commas}))')
    number = f"(--{p})"
    value = f"{number}*{c['factor']}"
    judged = f'IF(ABS({value})>={_LIMIT},"{UNREADABLE}",{value})'
    if whole:
        judged = f'IF({value}<>INT({value}),"{UNREADABLE}",{judged})'
    numeric = f'IF(ABS({x})>={_LIMIT},"{UNREADABLE}",{x})'
    if whole:
        numeric = f'IF({x}<>INT({x}),"{UNREADABLE}",{numeric})'
    def factor(unit: str) -> str:
        """A unit text's factor in the field's unit ("" where the field takes no such unit), as `factor` below."""
        k = _subst(_subst(unit, ((b, "") for b in _BRACKETS)), ((s, "") for s in unit_separators()))
        return (f'IF({k}="",1,IF({_has(units.word, k)},SUMPRODUCT(({units.word}={k})*{units.num})'
                f'/SUMPRODUCT(({units.word}={k})*{units.den}),""))')
    ranged = f'IF({c["est"]}=1,"{RANGE}",' if ranges else ""
    return {
        # what was typed, folded as NFKC folds it, without spaces, in lower case; "" for a number
        "text": f'IF(ISNUMBER({x}),"",LOWER({_subst(x + chr(38) + chr(34) * 2, units.folds)}))',
        # the characters that are no part of a number (the first one ends the number part)
        "others": _subst(t, ((ch, "") for ch in _NUMBER_CHARS)),
        "length": f'IF(LEFT({o},1)="",LEN({t}),FIND(LEFT({o},1),{t})-1)',
        "part": f'SUBSTITUTE({typed},",","")',
        # the unit word: the rest without brackets (and its parts' separators dropped where it is looked up:
        # read.units.unit_key)
        "core": _subst(rest, ((b, "") for b in _BRACKETS)),
        "skeleton": _subst(p, ((d, "") for d in _DIGITS)),
        "grouped": (f'IF({commas}=0,TRUE,AND({commas}<=5,LEN({whole_part})-LEN(SUBSTITUTE({whole_part},",",""))={commas},'
                    f'LEN({whole_part})-4*{commas}>=1,LEN({whole_part})-4*{commas}<=3,{at_groups}={commas}))'),
        "ok": (f'AND(LEN({sk})<LEN({p}),OR({sk}="",{sk}=".",{sk}="+",{sk}="-",{sk}="+.",{sk}="-."),'
               f'OR({sk}="",LEFT({sk},1)=".",LEFT({p},1)=LEFT({sk},1)),{c["grouped"]},'
               f'OR({core}="",{_has(units.word, key)}))'),
        "factor": (f'IF({core}="",1,IFERROR(SUMPRODUCT(({units.word}={key})*{units.num})'
                   f'/SUMPRODUCT(({units.word}={key})*{units.den}),1))'),
        # a number as typed; else a bound or an estimate (read.estimates reads it before a number, but no text is
        # both: the range's steps run only where the number's fail)
        "value": (f'IF(ISNUMBER({x}),{numeric},IF({t}="","",IF({_has(none_words, t)},0,'
                  f'IF({_has(BLANK_WORDS, t)},"",IF(IFERROR({c["ok"]},FALSE),IFERROR({judged},"{UNREADABLE}"),'
                  f'{ranged}"{UNREADABLE}"{")" if ranges else ""})))))'),
        # a bound or an estimate ("约300", "20-30户"): the range it says (templates.estimates)
        **(range_formulas(t, c, factor, skip=skip or f'IFERROR({c["ok"]},FALSE)') if ranges else {}),
    }


_READ = re.compile(r"^'" + NUMBER_SHEET + r"'!\$([A-Z]+)(\$?\d+)(?::\$([A-Z]+)(\$?\d+))?$")


def range_reads(read: str, ranged: set[str]) -> dict[str, str] | None:
    """The range outputs (templates.estimates.OUTPUTS: est, lo, hi, lo_open, hi_open, about) beside a number read
    `read` (a cell or a column's rows on this sheet, absolute or row-relative, as Places holds them) whose value
    column is one of `ranged` (NumberSheet.ranged); None for any other reference (a formula cell, a text, a column
    read without ranges)."""
    m = _READ.match(read)
    if m is None or m.group(1) not in ranged:
        return None
    col, row, col2, row2 = m.groups()
    at = xl_cell_to_rowcol(col + "1")[1]
    out = {}
    for i, stage in enumerate(RANGE_OUTPUTS, start=1):
        letter = xl_col_to_name(at + i)
        out[stage] = f"'{NUMBER_SHEET}'!${letter}{row}" + (f":${letter}{row2}" if col2 else "")
    return out


def slot_reads(read: str, slots: dict[str, dict[str, str]]) -> dict[str, str] | None:
    """The slots' outputs (templates.estimates.OUTPUTS and `at`, each over the column's slots) of a list column's
    reads `read` (NumberSheet.column's range) read with slots (NumberSheet.slots), else None."""
    m = _READ.match(read)
    return slots.get(m.group(1)) if m is not None and m.group(3) else None


@dataclass
class NumberSheet:
    """The hidden sheet of staged number reads. `cell` reads one input cell, `column` a list column."""

    workbook: Workbook
    lists: ListSheet
    reads: dict[str, str] = dc_field(default_factory=dict)     # typed cell (sheet-qualified) -> its read
    shared: dict[str, dict[str, str]] = dc_field(default_factory=dict)   # unit table -> its stages' names
    #: the value columns whose reads carry a range's outputs beside them (range_reads)
    ranged: set[str] = dc_field(default_factory=lambda: {xl_col_to_name(_STAGES.index("value"))})
    #: a list column read with slots (`column`): its value column's letter -> each slot stage's absolute range
    slots: dict[str, dict[str, str]] = dc_field(default_factory=dict)

    def __post_init__(self) -> None:
        self.sheet, _ = hidden_sheet(self.workbook, NUMBER_SHEET)
        self.row = 1            # next free row of the first block (single cells)
        self.columns = 0        # list columns read so far
        self.next_col = len(_STAGES) + 1

    def _formulas(self, x: str, cells: dict[str, str], f: Field, ranges: bool = True,
                  skip: str | None = None) -> dict[str, str]:
        if ranges:
            word_names(self.lists)
        return _stage_formulas(x, cells, _unit_table(self.lists, f.unit), _none_list(self.lists),
                               whole=f.type == "integer", ranges=ranges, skip=skip)

    def cell(self, typed: str, f: Field) -> str:
        """The read value of one input cell (`typed`: sheet-qualified absolute reference), as an absolute
        reference on this sheet. The stages that read only the row's own stages are defined names shared by every
        cell of the same unit (relative to the row, as a list column's are); what was typed and the value read
        are the row's own formulas."""
        row = self.row
        self.row += 1
        cells = {s: xl_rowcol_to_cell(row, i) for i, s in enumerate(_STAGES)}
        shared = self._shared(f)
        for i, (stage, formula) in enumerate(self._formulas(typed, cells, f).items()):
            self.sheet.write_formula(row, i, "=" + shared.get(stage, formula), None, _BLANK[stage])
        ref = f"'{NUMBER_SHEET}'!" + xl_rowcol_to_cell(row, _STAGES.index("value"), True, True)
        self.reads[typed] = ref
        return ref

    def _shared(self, f: Field) -> dict[str, str]:
        """stage -> the defined name computing it on a single cell's row for `f`'s unit (all but text and value)."""
        units = _unit_table(self.lists, f.unit)
        key = units.word.removeprefix("xl_units_")
        if key not in self.shared:
            at = {s: f"'{NUMBER_SHEET}'!${xl_col_to_name(i)}1" for i, s in enumerate(_STAGES)}
            names = {}
            for stage, formula in self._formulas("#N/A", at, f).items():
                if stage not in ("text", "value"):
                    names[stage] = f"xl_nums_{key}_{stage}"
                    self.workbook.define_name(names[stage], "=" + formula)
            self.shared[key] = names
        return self.shared[key]

    def column(self, sheet: str, first_row: int, last_row: int, col: int, f: Field, ranges: bool = False
               ) -> tuple[str, str]:
        """Read values of a list column (rows first_row..last_row of `sheet`, column `col`), on the same rows
        of this sheet: (the absolute range, the column's letter for relative references). The stages are
        defined names relative to the row they are used in (as templates.dates does); the stages many
        others use are kept in cells. A bound or an estimate reads as RANGE: `ranges` (a rule judges the column's
        rows one by one) with its steps beside each row, else in its slots (slot_count: enough for its 合计 and its
        red marks; a range past the last slot reads as UNREADABLE)."""
        if ranges:
            return self._row_column(sheet, first_row, last_row, col, f)
        return self._slot_column(sheet, first_row, last_row, col, f)

    def _slot_column(self, sheet: str, first_row: int, last_row: int, col: int, f: Field) -> tuple[str, str]:
        """A list column no rule judges row by row (附件3's 职工人数, 1 500 rows; 附件11's 营业收入): each row keeps its
        text, the value a number reading gives ("plain": UNREADABLE for "约30") and the value read; the range's steps
        run in slot_count(rows) slots of their own, each on the next row whose plain read is UNREADABLE (MATCH from
        the row after the slot before). A row reads RANGE where its slot found a range. The slots' outputs
        (NumberSheet.slots) give the column's total as a range (templates.count_totals.column_total). A column with
        more such rows than slots reads those past the last slot as UNREADABLE (their red mark asks for a figure;
        validate reads them)."""
        kept = ("text", "length", "plain", "value")
        slot_stages = ("at", "text", *RANGE_OUTPUTS, *RANGE_STEPS)
        block = self.next_col
        self.next_col += len(kept) + len(slot_stages) + 1
        self.columns += 1
        n = last_row - first_row + 1
        n_slots = slot_count(n)
        x = f"'{sheet}'!${xl_col_to_name(col)}1"
        names = {s: f"xl_num{self.columns}_{s}" for s in (*_STAGES, "plain")}
        at = {s: f"'{NUMBER_SHEET}'!${xl_col_to_name(block + kept.index(s))}1" if s in kept else names[s]
              for s in (*_STAGES, "plain")}
        formulas = self._formulas(x, at, f, ranges=False)
        plain_col = xl_col_to_name(block + kept.index("plain"))
        plain = f"'{NUMBER_SHEET}'!${plain_col}${first_row + 1}:${plain_col}${last_row + 1}"
        text_col = xl_col_to_name(block + kept.index("text"))
        texts = f"'{NUMBER_SHEET}'!${text_col}${first_row + 1}:${text_col}${last_row + 1}"
        slot_cols = {s: block + len(kept) + i for i, s in enumerate(slot_stages)}
        top = first_row
        slot_range = {s: f"'{NUMBER_SHEET}'!${xl_col_to_name(c)}${top + 1}:${xl_col_to_name(c)}${top + n_slots}"
                      for s, c in slot_cols.items()}
        formulas["plain"] = formulas["value"]
        formulas["value"] = (f'IF({at["plain"]}="{UNREADABLE}",IF(COUNTIFS({slot_range["at"]},ROW({at["plain"]}),'
                             f'{slot_range["est"]},1)>0,"{RANGE}","{UNREADABLE}"),{at["plain"]})')
        for stage, formula in formulas.items():
            self.workbook.define_name(names[stage], "=" + formula)
        blank = {**_BLANK, "plain": ""}
        for row in range(first_row, last_row + 1):
            for i, stage in enumerate(kept):
                self.sheet.write_formula(row, block + i, "=" + names[stage], None, blank[stage])
        # the slots: the sheet row of the k-th UNREADABLE plain read (0: none), its text, the range's stages
        slot_names = {s: f"xl_num{self.columns}_s_{s}" for s in slot_stages}
        cells = {s: f"'{NUMBER_SHEET}'!${xl_col_to_name(c)}1" for s, c in slot_cols.items()}
        steps = self._formulas("#N/A", {**{s: "0" for s in _STAGES}, **cells}, f, skip="FALSE")
        for stage in (*RANGE_OUTPUTS, *RANGE_STEPS):
            self.workbook.define_name(slot_names[stage], "=" + steps[stage])
        at_col = xl_col_to_name(slot_cols["at"])
        for k in range(n_slots):
            row = top + k
            if k == 0:
                found = f'IFERROR({first_row}+MATCH("{UNREADABLE}",{plain},0),0)'
            else:
                prev = f"${at_col}${row}"
                found = (f'IF({prev}=0,0,IFERROR({prev}+MATCH("{UNREADABLE}",INDEX({plain},{prev}-{first_row}+1):'
                         f'INDEX({plain},{n}),0),0))')
            self.sheet.write_formula(row, slot_cols["at"], "=" + found, None, 0)
            self.sheet.write_formula(row, slot_cols["text"],
                                     f'=IF(${at_col}{row + 1}=0,"",INDEX({texts},${at_col}{row + 1}-{first_row}))',
                                     None, "")
            for stage in (*RANGE_OUTPUTS, *RANGE_STEPS):
                self.sheet.write_formula(row, slot_cols[stage], "=" + slot_names[stage], None, _BLANK[stage])
        letter = xl_col_to_name(block + kept.index("value"))
        self.slots[letter] = slot_range
        return f"'{NUMBER_SHEET}'!${letter}${first_row + 1}:${letter}${last_row + 1}", letter

    def _row_column(self, sheet: str, first_row: int, last_row: int, col: int, f: Field) -> tuple[str, str]:
        """A list column a rule judges row by row (a minimum, a distance): a bound or an estimate is read as RANGE,
        the range's outputs and steps kept in cells beside each row's value (range_reads finds them; a name cannot
        hold the steps: LibreOffice inlines a name where it is used, and the steps' tree outgrows a formula —
        measured: #N/A on every row)."""
        out = self._kept_column(sheet, first_row, last_row, col, f, ("text", "length", "value", *RANGE_OUTPUTS,
                                                                     *RANGE_STEPS), ranges=True)
        self.ranged.add(out[1])
        return out

    def _kept_column(self, sheet: str, first_row: int, last_row: int, col: int, f: Field, cells_kept: tuple[str, ...],
                     ranges: bool) -> tuple[str, str]:
        """The stages as names relative to the row, `cells_kept` of them in cells on every row of the list."""
        block = self.next_col
        self.next_col += len(cells_kept) + 1
        self.columns += 1
        x = f"'{sheet}'!${xl_col_to_name(col)}1"
        names = {s: f"xl_num{self.columns}_{s}" for s in _STAGES}
        at = {s: f"'{NUMBER_SHEET}'!${xl_col_to_name(block + cells_kept.index(s))}1" if s in cells_kept else names[s]
              for s in _STAGES}
        for stage, formula in self._formulas(x, at, f, ranges).items():
            self.workbook.define_name(names[stage], "=" + formula)
        for row in range(first_row, last_row + 1):
            for i, stage in enumerate(cells_kept):
                self.sheet.write_formula(row, block + i, "=" + names[stage], None, _BLANK[stage])
        letter = xl_col_to_name(block + cells_kept.index("value"))
        return f"'{NUMBER_SHEET}'!${letter}${first_row + 1}:${letter}${last_row + 1}", letter
