"""Red marks on the cells the clerk typed: the tests the 表内检查 counts make, one cell at a time (codes,
repeats, dates, a 是/否 that must be 是, dates and numbers validate cannot read).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..forms import get_form
from ..rules.rule import Rule
from .checks import key_formula
from .count_answers import answer_formula, answers_table
from .count_codes import codes_invalid
from .dates import DATE_SHEET, UNREADABLE
from .numbers import NUMBER_SHEET
from .places import Places, excel_date, reference_date, rule_forms, rule_row


@dataclass(frozen=True)
class Mark:
    """A cell (or a list column) to fill red while `condition` holds; the condition refers to the area's
    first cell relatively, without its sheet (conditional formats live on the cell's own sheet)."""

    form_id: str
    area: tuple[int, int, int, int]
    condition: str


def judged_area(rule: Rule, places: Places) -> tuple[tuple[int, int, int, int], str | None] | None:
    """Where a one-field rule's failing value shows: (the cell's area, None) for a record's cell; for a list's
    `row: last` (the latest year's row, Places.at_row) the column's rows with the condition, relative to its
    first row, that holds on the judged row only. None when the rule reads no cell of its form."""
    key = rule.field or (rule.fields[0] if rule.fields else None)
    if key is None:
        return None
    if rule_row(rule) == "last" and places.at_row(rule.form, key, "last"):
        layout = places.tables[rule.form][1]
        c = layout.cols[key]
        return (layout.first_row, c, layout.last_row, c), places.is_latest(rule.form, key)
    if (at := _area(places, rule.form, key)) is None or at[2] is not None:
        return None
    return at[0], None


def _area(places: Places, form_id: str, key: str) -> tuple[tuple[int, int, int, int], str, str | None] | None:
    """(area, its first cell, the column's absolute top cell or None for a single cell)."""
    from xlsxwriter.utility import xl_rowcol_to_cell
    if form_id in places.tables and key in places.tables[form_id][1].cols:
        layout = places.tables[form_id][1]
        c = layout.cols[key]
        return ((layout.first_row, c, layout.last_row, c), xl_rowcol_to_cell(layout.first_row, c),
                xl_rowcol_to_cell(layout.first_row, c, True, True))
    ref = places.cell(form_id, key)
    if ref is None or ref in places.computed:
        return None
    cell = ref.split("!")[-1].replace("$", "")
    from xlsxwriter.utility import xl_cell_to_rowcol
    r, c = xl_cell_to_rowcol(cell)
    return (r, c, r, c), cell, None


def cell_marks(rule: Rule, places: Places) -> list[Mark]:
    """Where a failing value of `rule` can be shown on the cell the clerk typed (codes, repeats, dates,
    a 是/否 that must be 是): the same tests the 表内检查 counts make, one cell at a time."""
    out = []
    if rule.kind == "checksum":
        for form_id in rule_forms(rule):
            if (at := _area(places, form_id, rule.field)):
                out.append(Mark(form_id, at[0], f"{codes_invalid(at[1])}>0"))
    elif rule.kind == "unique":
        for key in rule.fields:
            if (at := _area(places, rule.form, key)) and at[2]:
                k = key_formula(f'{at[1]}&""')
                earlier = f'SUMPRODUCT(--({key_formula(f"{at[2]}:{at[1]}&{chr(34) * 2}")}={k}))'
                out.append(Mark(rule.form, at[0], f'AND({k}<>"",{earlier}>1)'))
    elif rule.kind == "date-range":
        if (at := _area(places, rule.form, rule.field)):
            earliest = rule.params.get("earliest")
            early = ""
            if earliest:
                d = earliest if isinstance(earliest, dt.date) else dt.date.fromisoformat(str(earliest))
                early = f",{_read_at(places, rule.form, rule.field, at)}<{excel_date(d)}"
            v = _read_at(places, rule.form, rule.field, at)
            out.append(Mark(rule.form, at[0], f"AND(ISNUMBER({v}),OR({v}>{excel_date(reference_date(places))}{early}))"))
    elif rule.kind == "equals" and isinstance(rule.threshold, bool):
        for form_id in [f for f in (*rule_forms(rule), rule.fallback) if f]:
            if (at := _area(places, form_id, rule.field)) and \
                    get_form(form_id).field(rule.field).type == "yesno":
                wrong = "否" if rule.threshold else "是"
                answer = answer_formula(at[1], answers_table(places, rule.field, get_form(form_id)))
                out.append(Mark(form_id, at[0], f'{answer}="{wrong}"'))
    return out


def _read_at(places: Places, form_id: str, key: str, at) -> str:
    """The value validate reads at the area's first cell, for a mark's condition: a date's or a number's
    read on its hidden sheet (its row relative, like the area's cell), else the typed cell itself."""
    for sheet, reads in ((DATE_SHEET, places.date_columns), (NUMBER_SHEET, places.number_columns)):
        if (form_id, key) in reads:
            layout = places.tables[form_id][1]
            return f"'{sheet}'!${reads[(form_id, key)][1]}{layout.first_row + 1}"
    ref = places.cell(form_id, key)
    return places.dates.get(ref, places.numbers.get(ref, at[1])) if ref else at[1]


#: what the red mark on a date the reader cannot read says, in the 填表说明
UNREADABLE_TITLE = "日期能够识别"


def date_marks(places: Places) -> list[Mark]:
    """Red on every typed date validate cannot read (its unparseable error): the template_dates read is
    UNREADABLE. Cells whose value flows from another sheet by formula are marked where it is typed."""
    return _unreadable_marks(places, places.dates, places.date_columns)


def number_marks(places: Places) -> list[Mark]:
    """Red on every typed number validate cannot read (its unparseable error: 请填写数字), as date_marks."""
    return _unreadable_marks(places, places.numbers, places.number_columns)


def unreadable_count(places: Places) -> str | None:
    """Excel (no "="): how many typed dates and numbers validate cannot read (each its unparseable 错误) — the
    cells date_marks and number_marks fill red, counted where typed (not where a formula carries the value on);
    None when the workbook reads none."""
    terms = [f'({read}="{UNREADABLE}")*1' for ref, read in {**places.dates, **places.numbers}.items()
             if ref not in places.computed]
    for sheet, columns in ((DATE_SHEET, places.date_columns), (NUMBER_SHEET, places.number_columns)):
        for (form_id, _key), (_, letter) in columns.items():
            layout = places.tables[form_id][1]
            rows = f"'{sheet}'!${letter}${layout.first_row + 1}:${letter}${layout.last_row + 1}"
            terms.append(f'SUMPRODUCT(({rows}="{UNREADABLE}")*1)')
    return "+".join(terms) if terms else None


def _unreadable_marks(places: Places, cells_read: dict, columns_read: dict) -> list[Mark]:
    out = []
    keys = [(form_id, key) for form_id, cells in places.cells.items() for key, ref in cells.items()
            if ref in cells_read] + list(columns_read)
    for form_id, key in keys:
        if (at := _area(places, form_id, key)):
            out.append(Mark(form_id, at[0], f'{_read_at(places, form_id, key, at)}="{UNREADABLE}"'))
    return out
