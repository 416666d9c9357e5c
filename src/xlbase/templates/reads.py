"""Every date and number a clerk types, read in the sheet as validate reads it (templates.dates,
templates.numbers): the live checks and the red marks of a workbook use these reads, never the typed
cell, in Shanxi's workbooks and in a programme's alike."""

from __future__ import annotations

from xlsxwriter.workbook import Workbook

from ..forms import Form
from .count_totals import column_total
from .dates import DateSheet
from .lists import ListSheet, add_blank_words
from .numbers import NumberSheet
from .places import Places
from .styles import Styles
from .table import write_total_sum


def read_dates(dates: DateSheet, places: Places, forms: dict[str, Form]) -> None:
    """Every date input read as validate reads it (templates.dates), for the live checks and the marks."""
    for form_id, cells in places.cells.items():
        for key, ref in cells.items():
            f = forms[form_id].field(key) if forms[form_id].has_field(key) else None
            if f is not None and f.type == "date":
                places.dates[ref] = dates.cell(ref, period=f.period)
    for form_id, (sheet, layout) in places.tables.items():
        for f in layout.form.table_fields:
            if f.type == "date" and f.key in layout.cols:
                places.date_columns[(form_id, f.key)] = dates.column(sheet, layout.first_row, layout.last_row,
                                                                     layout.cols[f.key])


def read_numbers(numbers: NumberSheet, places: Places, forms: dict[str, Form]) -> None:
    """Every number input read as validate reads it (templates.numbers), for the live checks and the marks: a
    record's cell read as a range where typed as a bound or an estimate, a list's column where a rule judges its
    figures so (ranged_fields)."""
    ranged = ranged_fields()
    for form_id, cells in places.cells.items():
        for key, ref in cells.items():
            f = forms[form_id].field(key) if forms[form_id].has_field(key) else None
            if f is not None and f.is_numeric and not f.merge_only and ref not in places.computed:
                places.numbers[ref] = numbers.cell(ref, f)
    for form_id, (sheet, layout) in places.tables.items():
        for f in layout.form.table_fields:
            if f.is_numeric and not f.merge_only and f.key in layout.cols:
                places.number_columns[(form_id, f.key)] = numbers.column(sheet, layout.first_row, layout.last_row,
                                                                         layout.cols[f.key], f, f.key in ranged)
    places.ranged, places.slots = numbers.ranged, numbers.slots


def ranged_fields() -> set[str]:
    """The fields whose figures a rule the sheet judges compares as ranges when typed as a bound or an estimate: the
    pack's minimums and maximums and the shares' parts and wholes (count_thresholds), the comparables' distances and
    rents (count_thresholds: within the distance, the rent discount). A list's column read so keeps the range's steps in cells beside each row's
    read (some 30 a row); another list column (附件3's 职工人数, 1 500 rows) works them out in a few slots
    (templates.numbers.NumberSheet.column), enough for its total."""
    from ..forms.roles import SITE_DISTANCE, SITE_RENT
    from .thresholds import pack
    out: set[str] = set()
    for r in pack().rules:
        if r.field and r.kind in ("min", "max"):
            out.add(r.field)
        elif r.kind == "share-min":
            out |= set(r.fields[:2])
        elif r.kind in ("comparables", "rent-discount"):
            out |= {SITE_DISTANCE, SITE_RENT}
    return out


def read_typed(wb: Workbook, lists: ListSheet, places: Places, forms: dict[str, Form]) -> None:
    """Dates and numbers of every form in `places`, each on its hidden sheet."""
    add_blank_words(lists)
    read_dates(DateSheet(wb, lists), places, forms)
    read_numbers(NumberSheet(wb, lists), places, forms)


def sum_reads(sheets: dict, places: Places, rows: dict[str, list[dict]], styles: Styles) -> None:
    """Each 合计 cell of a number column sums the column's reads, as validate sums what was typed ("25人" is
    25), not only the cells holding numbers; a row typed as a range ("约30") makes it a range ("120 至 150").
    `sheets`: form id -> its worksheet; `rows`: the pre-filled rows."""
    for (form_id, key), (read, _) in places.number_columns.items():
        sheet = sheets.get(form_id)
        layout = places.tables[form_id][1]
        if sheet is not None and layout.total_row is not None:
            write_total_sum(sheet, layout, layout.form.field(key), read, rows.get(form_id) or [], styles,
                            reads=True, ranged=column_total(places, read))
