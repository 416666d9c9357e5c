"""The rules of a one-row-per-base list (附件11, typed by a county) judged row by row, as validate judges
each row of it.

validate reads every row of a 汇总表 as one base and applies the pack's one-value rules (required, range,
choice, age, equals, minimums) to it. The 表内检查 of the applicant's workbook builds those counts from
cells (templates.rule_counts); here the same builders are given a row instead of a cell: each field's
reference is relative to the row (`'汇总'!$G1`), the count is a defined name (whose relative references
read the row it is used in, as the date reads of templates.dates do), and the hidden sheet `xl_rows`
evaluates it on every row of the form that holds anything typed. The 表内检查 sums the column. Rules the
row builders cannot judge (they need more than one row, or other forms) stay for the merge.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xlsxwriter.utility import xl_col_to_name

from ..forms import Form
from ..rules.rule import Rule
from .checks import table_type_cell
from .dates import DATE_SHEET
from .lists import ListSheet, hidden_sheet
from .numbers import NUMBER_SHEET
from .places import Places
from .rule_counts import count_formula, doubt_formula
from .table import TableLayout

ROW_SHEET = "xl_rows"


@dataclass
class RowCounts:
    """Per-row counts of a list form's rules; `date_letters`: a date field's column on the dates sheet."""

    form: Form
    sheet: str
    layout: TableLayout
    lists: ListSheet
    date_letters: dict[str, str] = field(default_factory=dict)
    number_letters: dict[str, str] = field(default_factory=dict)     # a number field's column, numbers sheet
    done: dict[tuple[str, str], str | None] = field(default_factory=dict)     # (rule id, what) -> total
    place_reads: dict[tuple[str, str], str] = field(default_factory=dict)
    ranged: set[str] = field(default_factory=set)      # number reads with a range beside them (Places.ranged)

    def _row_places(self) -> Places:
        cells = {k: f"'{self.sheet}'!${xl_col_to_name(c)}1" for k, c in self.layout.cols.items()}
        places = Places(lists=self.lists, type_form=self.form.id, place_reads=self.place_reads)
        places.cells[self.form.id] = cells
        places.dates = {cells[k]: f"'{DATE_SHEET}'!${letter}1" for k, letter in self.date_letters.items()}
        places.numbers = {cells[k]: f"'{NUMBER_SHEET}'!${letter}1" for k, letter in self.number_letters.items()}
        places.ranged = self.ranged
        if (key := table_type_cell(self.form)) and key in self.layout.cols:     # read once a row on xl_types
            places.type_rows = (self.sheet, xl_col_to_name(self.layout.cols[key]), self.layout.first_row,
                                self.layout.last_row)
        return places

    def _used(self) -> str:
        """A name, true on a row holding anything typed (what the reader reads as a base)."""
        name = "xl_rows_used"
        if not any(n == name for n, *_ in self.lists.workbook.defined_names):
            parts = "&".join(f"'{self.sheet}'!${xl_col_to_name(self.layout.cols[f.key])}1"
                             for f in self.form.table_fields if not f.merge_only and f.key in self.layout.cols)
            self.lists.workbook.define_name(name, f'=({parts})<>""')
        return name

    def _column(self, rule: Rule, what: str, formula: str) -> str:
        """The per-row `formula` on a column of ROW_SHEET; returns the Excel sum over the form's rows."""
        ws, new = hidden_sheet(self.lists.workbook, ROW_SHEET)
        col = sum(1 for v in self.done.values() if v)
        name = f"xl_row{col + 1}"
        self.lists.workbook.define_name(name, "=" + formula)
        ws.write_string(0, col, f"{rule.id} {what}")
        used = self._used()
        for row in range(self.layout.first_row, self.layout.last_row + 1):
            ws.write_formula(row, col, f"=IF({used},{name},0)", None, 0)
        letter = xl_col_to_name(col)
        return f"SUM('{ROW_SHEET}'!${letter}${self.layout.first_row + 1}:${letter}${self.layout.last_row + 1})"

    def _total(self, rule: Rule, what: str, per_row) -> str | None:
        key = (rule.id, what)
        if key not in self.done:
            formula = per_row(rule, self._row_places())
            self.done[key] = self._column(rule, what, formula) if formula else None
        return self.done[key]

    def count(self, rule: Rule) -> str | None:
        """Excel: the rule's problems over the form's rows, or None when a row cannot judge it."""
        if self.form.id not in (*rule.forms, rule.form):
            return None
        return self._total(rule, "count", count_formula)

    def doubt(self, rule: Rule) -> str | None:
        if self.form.id not in (*rule.forms, rule.form) or self.count(rule) is None:
            return None
        return self._total(rule, "doubt", doubt_formula)
