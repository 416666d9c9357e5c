"""附件2 laid out like its paper grid, and the key/value head of 附件4.

`Form.record_rows()` gives the paper rows: a plain row is label/value pairs
sharing the grid's width; a section row has its section label spanning two
rows on the left, sub-labels above their values. The grid is as wide as the
widest section plus the section-label column.
"""

from __future__ import annotations

from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from ..forms import Field, Form
from .styles import Styles, lines_needed, row_height
from .validation import validation_for
from .values import cached, write_value

LABEL_WIDTH = 14
CELL_WIDTH = 13

Cells = dict[str, tuple[int, int]]


def grid_width(form: Form) -> int:
    """Columns of the paper grid: the section-label column plus the widest section."""
    widest = max((len(fs) for sec, fs in form.record_rows() if sec), default=0)
    plain = max((2 * len(fs) for sec, fs in form.record_rows() if not sec), default=2)
    return max(1 + widest, plain)


def _spans(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _label_fmt(styles: Styles, f: Field):
    return styles.header(f.official) if not f.official else styles.label()


def _put(ws: Worksheet, r0: int, c0: int, r1: int, c1: int, text: str, fmt) -> None:
    if r0 == r1 and c0 == c1:
        ws.write_string(r0, c0, text, fmt)
    else:
        ws.merge_range(r0, c0, r1, c1, text, fmt)


def _value(ws: Worksheet, r: int, c0: int, c1: int, f: Field, value: object, styles: Styles) -> None:
    if c1 > c0:
        ws.merge_range(r, c0, r, c1, "", styles.input(f))
    write_value(ws, r, c0, f, value, styles)


def write_record_grid(ws: Worksheet, form: Form, styles: Styles, *, top: int, width: int,
                      values: dict | None = None) -> tuple[Cells, int]:
    """The paper grid from `top`; returns each field's value cell and the next free row."""
    values = values or {}
    ws.set_column(0, 0, LABEL_WIDTH)
    ws.set_column(1, width - 1, CELL_WIDTH)
    widths = [LABEL_WIDTH] + [CELL_WIDTH] * (width - 1)
    cells: Cells = {}
    r = top
    for section, fields in form.record_rows():
        if section:
            _put(ws, r, 0, r + 1, 0, section, styles.label())
            spans = [1] * len(fields)
            spans[-1] += (width - 1) - len(fields)
            c = 1
            need = 1
            for f, span in zip(fields, spans):
                _put(ws, r, c, r, c + span - 1, f.label, _label_fmt(styles, f))
                need = max(need, lines_needed(f.label, sum(widths[c:c + span])))
                _value(ws, r + 1, c, c + span - 1, f, values.get(f.key), styles)
                cells[f.key] = (r + 1, c)
                c += span
            need = max(need, lines_needed(section, LABEL_WIDTH) - 1)
            ws.set_row(r, row_height(need))
            ws.set_row(r + 1, 24)
            r += 2
        else:
            spans = _spans(width - len(fields), len(fields))
            c = 0
            need = 1
            for f, span in zip(fields, spans):
                _put(ws, r, c, r, c, f.label, _label_fmt(styles, f))
                need = max(need, lines_needed(f.label, widths[c]))
                _value(ws, r, c + 1, c + span, f, values.get(f.key), styles)
                cells[f.key] = (r, c + 1)
                c += span + 1
            ws.set_row(r, max(24, row_height(need)))
            r += 1
    _validate(ws, form, cells)
    return cells, r


def write_record_head(ws: Worksheet, form: Form, styles: Styles, *, top: int, last_col: int,
                      label_cols: int = 2, values: dict | None = None,
                      formulas: dict | None = None) -> tuple[Cells, int]:
    """A record form's head (the rent enquiry's): one row per record field, label over `label_cols` columns, value across the rest."""
    values, formulas = values or {}, formulas or {}
    cells: Cells = {}
    r = top
    for f in form.record_fields:
        _put(ws, r, 0, r, label_cols - 1, f.label, _label_fmt(styles, f))
        c0 = label_cols
        if f.key in formulas:
            formula, cached_value = formulas[f.key]
            fmt = styles.formula(f)
            ws.merge_range(r, c0, r, last_col, "", fmt)
            ws.write_formula(r, c0, formula, fmt, cached(cached_value))
        else:
            _value(ws, r, c0, last_col, f, values.get(f.key), styles)
        cells[f.key] = (r, c0)
        ws.set_row(r, 30)
        r += 1
    _validate(ws, form, {k: v for k, v in cells.items() if k not in formulas}, record_only=True)
    return cells, r


def _validate(ws: Worksheet, form: Form, cells: Cells, record_only: bool = False) -> None:
    city = next((k for k, f in ((k, form.field(k)) for k in cells) if f.choices == "city"), None)
    city_cell = xl_rowcol_to_cell(*cells[city], True, True) if city else None
    for key, (r, c) in cells.items():
        f = form.field(key)
        opts = validation_for(f, xl_rowcol_to_cell(r, c), city_cell=city_cell)
        if opts:
            ws.data_validation(r, c, r, c, opts)
