"""The printed lines around a form: title, 填报单位（盖章） and units line, notes, opinion blocks."""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from ..forms import Form
from .styles import Styles, lines_needed, row_height

TITLE_HEIGHT = 32
LINE_HEIGHT = 20


def write_title(ws: Worksheet, row: int, last_col: int, text: str, styles: Styles) -> int:
    ws.merge_range(row, 0, row, last_col, text, styles.title())
    ws.set_row(row, TITLE_HEIGHT)
    return row + 1


def write_lines(ws: Worksheet, row: int, last_col: int, form: Form, styles: Styles,
                unit: str | None = None) -> int:
    """The 填报单位（盖章） line (left, with the unit's name when known) and the units line (right)."""
    if not form.org_line and not form.unit_line:
        return row
    split = max(1, (last_col + 1) // 2)
    if form.org_line:
        text = form.org_line + (unit or "")
        if split - 1 > 0:
            ws.merge_range(row, 0, row, split - 1, text, styles.line("left"))
        else:
            ws.write_string(row, 0, text, styles.line("left"))
    if form.unit_line:
        start = split if form.org_line else 0
        if last_col > start:
            ws.merge_range(row, start, row, last_col, form.unit_line, styles.line("right"))
        else:
            ws.write_string(row, last_col, form.unit_line, styles.line("right"))
    ws.set_row(row, LINE_HEIGHT)
    return row + 1


def notes_height(form: Form, total_width: float) -> float:
    """The points write_notes' rows take under a table `total_width` characters wide."""
    return sum(row_height(lines_needed(note, total_width)) for note in form.notes)


def write_notes(ws: Worksheet, row: int, last_col: int, form: Form, styles: Styles,
                total_width: float) -> int:
    for note in form.notes:
        if last_col > 0:
            ws.merge_range(row, 0, row, last_col, note, styles.note())
        else:
            ws.write_string(row, 0, note, styles.note())
        ws.set_row(row, row_height(lines_needed(note, total_width)))
        row += 1
    return row


def write_signatures(ws: Worksheet, row: int, last_col: int, form: Form, styles: Styles,
                     label_cols: int = 1, height: int = 3) -> int:
    """Each opinion block: its label on the left, an open (unlocked) box with the date line."""
    for sig in form.signatures:
        top, bottom = row, row + height - 1
        label_last = max(0, label_cols - 1)
        if bottom > top or label_last > 0:
            ws.merge_range(top, 0, bottom, label_last, sig["label"], styles.label())
        else:
            ws.write_string(top, 0, sig["label"], styles.label())
        box = styles.get(border=1, locked=False, text_wrap=True, valign="top", align="left")
        ws.merge_range(top, label_last + 1, bottom - 1, last_col, "", box)
        date_line = sig.get("date_line") or ""
        ws.merge_range(bottom, label_last + 1, bottom, last_col, date_line,
                       styles.get(border=1, locked=True, align="right"))
        for r in range(top, bottom + 1):
            ws.set_row(r, 30)
        row = bottom + 1
    return row
