"""The 表格说明 sheet of a programme's workbook: one row per field (unit, required, prompt), beside its
one-page 填表说明 (templates.guide, built from the form model and the pack as Shanxi's). The reader
skips it as an instruction sheet (read.workbook._is_guide: 表格 and 说明 only)."""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from ..forms import Form
from .guide import GUIDE_SHEET
from .styles import Styles, lines_needed, row_height

FIELDS_SHEET = "表格说明"
COLUMNS = (("表格", 10), ("栏目", 30), ("单位", 10), ("必填", 6), ("填写说明", 70))
TOP = 3   # rows left free at the top (the 校验 buttons of the .xlsm sit there)


def write_field_guide(ws: Worksheet, styles: Styles, forms: list[Form], notes: list[str],
                      title: str = GUIDE_SHEET) -> int:
    """The notes, then one row per field (form, label, unit, required, prompt); returns the last row written."""
    total = sum(w for _, w in COLUMNS)
    for c, (_, w) in enumerate(COLUMNS):
        ws.set_column(c, c, w)
    ws.merge_range(0, 0, 0, len(COLUMNS) - 1, title, styles.title())
    ws.set_row(0, 32)
    r = TOP
    for i, note in enumerate(notes, start=1):
        text = f"{i}. {note}"
        ws.merge_range(r, 0, r, len(COLUMNS) - 1, text, styles.note())
        ws.set_row(r, row_height(lines_needed(text, total)))
        r += 1
    r += 1
    head = styles.header()
    for c, (name, _) in enumerate(COLUMNS):
        ws.write_string(r, c, name, head)
    header_row = r
    r += 1
    cell = styles.get(border=1, text_wrap=True, locked=True)
    for form in forms:
        for f in form.fields:
            if f.merge_only:
                continue
            label = f.label if f.official else f"{f.label}（非官方表格列）"
            if f.section:
                label = f"{f.section}：{label}"
            row = (form.sheet, label, f.unit or "", "是" if f.required else "", f.prompt)
            for c, v in enumerate(row):
                ws.write_string(r, c, v, cell)
            ws.set_row(r, row_height(max(lines_needed(label, COLUMNS[1][1]), lines_needed(f.prompt, COLUMNS[4][1]))))
            r += 1
        for note in form.notes:
            ws.write_string(r, 0, form.sheet, cell)
            ws.merge_range(r, 1, r, len(COLUMNS) - 1, note, cell)
            ws.set_row(r, row_height(lines_needed(note, total - COLUMNS[0][1])))
            r += 1
    ws.repeat_rows(header_row, header_row)
    return r - 1
