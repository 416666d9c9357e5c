"""Where each form's values sit in the applicant's workbook (Places), and the small Excel pieces every
kind's in-sheet count is built from (templates.rule_counts): a blank test, a number, a date, the value a
one-field rule judges, the size sheet's columns of a list.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from ..forms.roles import BASE_TYPE, RECORD_FORM
from ..rules.rule import Rule
from .checks import UNTYPED, type_key, type_unread
from .dates import DATE_SHEET
from .lists import ListSheet, hidden_sheet
from .estimates import OUTPUTS as RANGE_OUTPUTS, RANGE
from .numbers import NUMBER_SHEET, range_reads, slot_reads
from .table import TableLayout
from .thresholds import pack

#: the hidden sheet ordering a by-year list's rows by their year (Places.at_row: `row: last`)
ORDER_SHEET = "xl_order"

@dataclass
class Places:
    """Where each form's values sit in the applicant's workbook (sheet-qualified absolute references)."""

    cells: dict[str, dict[str, str]] = field(default_factory=dict)        # record / one-row forms: key -> ref
    tables: dict[str, tuple[str, TableLayout]] = field(default_factory=dict)  # list forms: (sheet, layout)
    lists: ListSheet = None  # type: ignore[assignment]   # every writer gives it
    type_form: str = RECORD_FORM           # the form whose 基地类型 cell the others take theirs from
    computed: set[str] = field(default_factory=set)   # refs holding a formula (a value flowing from 附件2)
    dates: dict[str, str] = field(default_factory=dict)   # a date cell's ref -> the date validate reads there
    numbers: dict[str, str] = field(default_factory=dict)  # a number cell's ref -> the number validate reads
    date_columns: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)  # (form, key) -> (range,
    #                                                      its column letter on the template_dates sheet)
    number_columns: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)  # the same, numbers
    sizes: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)   # template_sizes' columns
    place_reads: dict[tuple[str, str], str] = field(default_factory=dict)      # template_choices' place tests
    as_of: dt.date | None = None           # the pack's reference date (None: the default pack's)
    rows: Any = None          # a list form judged row by row (templates.row_counts.RowCounts), else None
    prefilled: set[tuple[str, str]] = field(default_factory=set)   # (form, key): list columns the template fills
    orders: dict[str, str] = field(default_factory=dict)   # "form.key" -> its rows' latest-year order (at_row)
    #: a list the clerk left empty is still counted against the figure stated for it (a programme's
    #: counts-match judges the list its workbook holds; Shanxi's leaves a submission without firm rows alone)
    count_empty_lists: bool = False
    #: a table form written as one row and judged by its cells (Shanxi's 附件10): the reader reads a row typed
    #: below it as another (templates.below)
    one_row: dict[str, tuple[str, TableLayout]] = field(default_factory=dict)
    #: a list's 基地类型 column whose rows a row's formulas read (sheet, column letter, first and last row, 0-based:
    #: templates.row_counts), read once a row on xl_types (templates.type_reads) where a formula needs the type
    type_rows: tuple[str, str, int, int] | None = None
    #: the number reads' value columns that carry a range's outputs (templates.numbers.NumberSheet.ranged)
    ranged: set[str] = field(default_factory=set)
    #: a list column's reads read with slots -> the slots' outputs (templates.numbers.NumberSheet.slots)
    slots: dict[str, dict[str, str]] = field(default_factory=dict)

    def slots_of(self, read: str | None) -> dict[str, str] | None:
        """The slots' outputs of a list column's reads (templates.numbers.slot_reads), or None."""
        return slot_reads(read, self.slots) if read else None

    def range_of(self, read: str | None) -> dict[str, str] | None:
        """The range outputs beside a number read (templates.numbers.range_reads), or None."""
        return range_reads(read, self.ranged) if read else None

    def row_range(self, form_id: str, key: str) -> dict[str, str] | None:
        """Excel, relative to a list's row: the range (templates.estimates.OUTPUTS) its cell of `key` is read as where
        typed as a bound or an estimate — beside the read (a column a rule judges row by row), else its slot's
        (templates.numbers: the slot that found this row, "" where none did: past the last slot it is UNREADABLE);
        None for a column read without ranges."""
        if (form_id, key) not in self.number_columns:
            return None
        read, letter = self.number_columns[(form_id, key)]
        if (beside := range_reads(f"'{NUMBER_SHEET}'!${letter}1", self.ranged)) is not None:
            return beside
        if (slots := self.slots_of(read)) is None:
            return None
        k = f"MATCH(ROW('{NUMBER_SHEET}'!${letter}1),{slots['at']},0)"
        return {s: f'IFERROR(INDEX({slots[s]},{k}),"")' for s in RANGE_OUTPUTS}

    def cell(self, form_id: str, key: str) -> str | None:
        return self.cells.get(form_id, {}).get(key)

    def read(self, form_id: str, key: str) -> str | None:
        """The value as validate reads it: a date cell's read date (templates.dates), a number cell's read
        number (templates.numbers), else the cell."""
        ref = self.cell(form_id, key)
        return self.dates.get(ref, self.numbers.get(ref, ref)) if ref else None

    def read_column(self, form_id: str, key: str) -> str | None:
        """A list column as validate reads it: a date or number column's reads, else the column."""
        for reads in (self.date_columns, self.number_columns):
            if (form_id, key) in reads:
                return reads[(form_id, key)][0]
        return self.column(form_id, key)

    def at_row(self, form_id: str, key: str, row: str | None) -> str | None:
        """A list form's value in the row a rule reads (`row: last`: of the rows where `key` is filled, the one
        whose first column names the latest year — rules.submission.year_of, as validate picks it), as validate
        reads what was typed there; None for other rules."""
        if row != "last" or form_id not in self.tables or key not in self.tables[form_id][1].cols:
            return None
        sheet, layout = self.tables[form_id]
        column = f"'{sheet}'!{layout.column_range(key)}"
        for reads in (self.date_columns, self.number_columns):
            if (form_id, key) in reads:     # the rows' reads, as validate reads what was typed there
                column = reads[(form_id, key)][0]
        order = self._latest_order(form_id, key)
        return f"INDEX({column},MATCH(MAX({order}),{order},0))"

    def range_at_row(self, form_id: str, key: str, row: str | None) -> dict[str, str] | None:
        """The range outputs (templates.estimates) beside `at_row`'s read, picked from the same row; None where
        that read is no number read."""
        if row != "last" or (form_id, key) not in self.number_columns:
            return None
        ranges = range_reads(self.number_columns[(form_id, key)][0], self.ranged)
        if ranges is None:
            return None
        order = self._latest_order(form_id, key)
        return {s: f"INDEX({r},MATCH(MAX({order}),{order},0))" for s, r in ranges.items()}

    def is_latest(self, form_id: str, key: str) -> str:
        """Excel, relative to a by-year list's first row: true on the row `at_row` reads (the latest year's, `key`
        filled) — a red mark's condition over the list's column."""
        order = self._latest_order(form_id, key)
        sheet, cells = order.split("!")
        first = cells.split(":")[0]
        row_relative = sheet + "!" + first[:first.rindex("$")] + first[first.rindex("$") + 1:]
        return f"AND({row_relative}>0,{row_relative}=MAX({order}))"

    def _read_at(self, form_id: str, key: str, row: int) -> str:
        """Excel: the read of a list cell (0-based sheet row) as validate reads it: its date or number read
        on the hidden sheets, else the cell."""
        for read_sheet, reads in ((DATE_SHEET, self.date_columns), (NUMBER_SHEET, self.number_columns)):
            if (form_id, key) in reads:
                return f"'{read_sheet}'!${reads[(form_id, key)][1]}${row + 1}"
        sheet, layout = self.tables[form_id]
        return f"'{sheet}'!{xl_rowcol_to_cell(row, layout.cols[key], True, True)}"

    def _latest_order(self, form_id: str, key: str) -> str:
        """A hidden column beside each row of a by-year list, on the list's own rows: 0 where `key` is blank, else
        the row's year × 100 + its place (the latest year wins, the lower row among equals); its absolute range."""
        name = f"{form_id}.{key}"
        if name not in self.orders:
            sheet, layout = self.tables[form_id]
            ws, _ = hidden_sheet(self.lists.workbook, ORDER_SHEET)
            col = len(self.orders)
            ws.write_string(0, col, name)
            years = layout.form.table_fields[0].key
            for i in range(layout.n_rows):
                y = f"TRIM('{sheet}'!{layout.cell(years, i, True, True)})"
                head = f'LEFT({y}&"xxxx",4)'
                digits = ",".join(f'ISNUMBER(FIND(MID({head},{k},1),"0123456789"))' for k in range(1, 5))
                read = self._read_at(form_id, key, layout.first_row + i)
                # validate's value: a number or date it read, or nothing; a text column's typed text
                blank = f"NOT(ISNUMBER({read}))" if read.startswith((f"'{NUMBER_SHEET}'", f"'{DATE_SHEET}'")) \
                    else f'TRIM({read})=""'
                # on the list's own row (as the date and number reads): a mark's condition refers to it relatively
                ws.write_formula(layout.first_row + i, col,
                                 f"=IF({blank},0,IF(AND({digits}),--{head},0)*100+{i + 1})", None, 0)
            letter = xl_col_to_name(col)
            self.orders[name] = f"'{ORDER_SHEET}'!${letter}${layout.first_row + 1}:${letter}${layout.last_row + 1}"
        return self.orders[name]

    def column(self, form_id: str, key: str) -> str | None:
        if form_id not in self.tables or key not in self.tables[form_id][1].cols:
            return None
        sheet, layout = self.tables[form_id]
        return f"'{sheet}'!{layout.column_range(key)}"

    def used(self, form_id: str) -> str:
        """Excel array: 1 for each row of a list form holding anything the clerk typed, else 0."""
        sheet, layout = self.tables[form_id]
        return rows_in_use(layout, sheet)

    def type_key(self) -> str:
        """Excel: the folded 基地类型 (template_checks.sheet_key), （未填） when blank."""
        return self._type_reads()[0]

    def type_unread(self) -> str:
        """Excel: true where the sheet cannot read the 基地类型 typed (checks.type_unread)."""
        return self._type_reads()[1]

    def _type_reads(self) -> tuple[str, str]:
        """The type's folded key and cannot-read flag: read once on xl_types (templates.type_reads) for a typed cell
        or a list's rows (`type_rows`: relative to the row), else in the formula."""
        from .type_reads import TYPE_SHEET, type_cell_reads, type_column_reads
        if self.type_rows:
            typed, unread = type_column_reads(self.lists, *self.type_rows)
            return f"'{TYPE_SHEET}'!${typed}1", f"'{TYPE_SHEET}'!${unread}1"
        ref = self.cell(self.type_form, BASE_TYPE)
        if ref is None:
            return f'"{UNTYPED}"', "FALSE"
        if self.lists is not None and re.search(r"\$[A-Z]+\$\d+$", ref):
            return type_cell_reads(self.lists, ref)
        return type_key(ref), type_unread(type_key(ref), self.lists)


def range_limits(places: Places) -> dict[str, int]:
    """Sheet -> how many texts typed as a range each of its list columns read with slots reads
    (templates.numbers.slot_count), where that is fewer than its rows (填表说明: the ones past it are red)."""
    from .numbers import slot_count
    out = {}
    for (form_id, _), (read, _) in places.number_columns.items():
        sheet, layout = places.tables[form_id]
        if places.slots_of(read) is not None and slot_count(layout.n_rows) < layout.n_rows:
            out[sheet] = slot_count(layout.n_rows)
    return out


def rows_in_use(layout: TableLayout, sheet: str | None = None) -> str:
    """Excel array over a list form's rows: true where anything is typed (what the reader reads as a row;
    a 序号 alone is none)."""
    prefix = f"'{sheet}'!" if sheet else ""
    parts = "&".join(prefix + layout.column_range(f.key) for f in layout.form.table_fields if not f.merge_only)
    return f'(({parts})<>"")'


def blank(ref: str) -> str:
    return f'TRIM({ref})=""'


def number_text(x: float) -> str:
    return f"{float(x):G}"


def excel_date(d: dt.date) -> str:
    return f"DATE({d.year},{d.month},{d.day})"


def rule_forms(rule: Rule) -> tuple[str, ...]:
    return rule.forms or ((rule.form,) if rule.form else ())


def rule_row(rule: Rule) -> str | None:
    """The table row a rule reads (`row: last`), for the kinds that take one."""
    return getattr(rule.args, "row", None)


def reference_date(places: Places) -> dt.date:
    return places.as_of or pack().as_of


def stated_value(rule: Rule, places: Places, key: str) -> str | None:
    """Excel: the value a one-field rule judges, as rules.context.with_fallback picks it: the first of the
    rule's forms that states it (a number or date), else the fallback form's; a list form's row the rule
    names (`row: last`)."""
    refs = [places.read(f, key) or places.at_row(f, key, rule_row(rule)) for f in (*rule_forms(rule), rule.fallback) if f]
    refs = [r for r in refs if r]
    if not refs:
        return None
    out = refs[-1]
    for ref in reversed(refs[:-1]):
        out = f"IF(ISNUMBER({ref}),{ref},{out})"
    return out


def stated_range(rule: Rule, places: Places, key: str) -> dict[str, str] | None:
    """Excel: where the value a one-field rule judges (`stated_value`) is typed as a bound or an estimate
    ("约300", "30户以上": templates.estimates), the range's outputs (lo, hi, lo_open, hi_open, about) and "in", true
    where the range is judged: no read of the chain holds a number and one holds a range — the first such, as
    rules.context.with_fallback keeps a form whose value is typed so; None where no read can hold a range."""
    return chain_range(places, [(f, key) for f in (*rule_forms(rule), rule.fallback) if f], rule_row(rule))


def chain_range(places: Places, chain: list[tuple[str, str]], row: str | None = None) -> dict[str, str] | None:
    """stated_range over the (form, field) reads of `chain` in order (a record's cell, or a list's `row`)."""
    reads = []
    for f, key in chain:
        read = places.read(f, key)
        if read:
            reads.append((read, places.range_of(read)))
        elif (at := places.at_row(f, key, row)):
            reads.append((at, places.range_at_row(f, key, row)))
    ranged = [(read, r) for read, r in reads if r]
    if not ranged:
        return None
    out = {}
    for stage in ("lo", "hi", "lo_open", "hi_open", "about"):
        pick = ranged[-1][1][stage]
        for read, r in reversed(ranged[:-1]):
            pick = f'IF({read}="{RANGE}",{r[stage]},{pick})'
        out[stage] = pick
    numbers = ",".join(f"ISNUMBER({read})" for read, _ in reads)
    out["in"] = f'AND(NOT(OR({numbers})),OR({",".join(f"{read}={chr(34)}{RANGE}{chr(34)}" for read, _ in ranged)}))'
    return out


# ------------------------------------------------------------------ per kind


def size_mode(rule: Rule | None = None) -> str:
    """How a firm without 所属行业 is sized (the rule's `unknown_industry`, else the pack's)."""
    from ..rules.sizing import UNKNOWN_INDUSTRY
    own = rule.args.unknown_industry if rule is not None and rule.kind == "ratio" else None
    return own or pack().params.get("unknown_industry") or UNKNOWN_INDUSTRY[0]


def size_columns_of(places: Places, form_id: str, rule: Rule | None = None) -> dict[str, str]:
    """The size sheet's columns for a list form's rows (templates.sizes)."""
    from .sizes import size_columns
    sheet, layout = places.tables[form_id]
    reads = {key: f"'{NUMBER_SHEET}'!${letter}1" for (fid, key), (_, letter) in places.number_columns.items()
             if fid == form_id}
    ranges = {key: r for key in reads if (r := places.row_range(form_id, key)) is not None}
    return size_columns(places.lists, sheet, layout, size_mode(rule), places.sizes, reads, ranges)
