"""The 填表说明 sheet: how to fill the workbook, then every field's unit and prompt from the model."""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from ..forms import Form
from .template_styles import Styles, lines_needed, row_height

GUIDE_SHEET = "填表说明"
COLUMNS = (("表格", 10), ("栏目", 30), ("单位", 10), ("必填", 6), ("填写说明", 70))
TOP = 3   # rows left free at the top (the 校验 buttons of the .xlsm sit there)


def general_notes(identity_labels: list[str], source_sheet: str | None) -> list[str]:
    notes = []
    if source_sheet:
        notes.append(f"{'、'.join(identity_labels)}只在“{source_sheet}”填写一次，其他表自动引用（浅灰底的单元格为公式，不需填写）。")
    notes += [
        "带边框的白色单元格可以填写；选中单元格会显示填写提示，输入不符合要求时会弹出错误提示。",
        "所在市、所在县（市、区）、是/否、基地类型等请从下拉列表选择；先选市，再选县（市、区）。",
        "营业执照注册号（统一社会信用代码）按文本录入，18位（旧注册号15位），不要加空格。",
        "金额单位为万元，面积单位为平方米，数字栏只填数字，不要带单位或文字。",
        "灰色表头的栏目为非官方表格列，供校验使用，请一并填写。",
        "红色底纹：低于所选基地类型的门槛要求；黄色底纹：与附件3的企业户数或职工人数合计不一致。",
        "工作表已保护（无密码），只为防止误改表头和公式；如需调整，可在“审阅”中撤销工作表保护。",
    ]
    return notes


def write_guide(ws: Worksheet, styles: Styles, forms: list[Form], notes: list[str]) -> int:
    """Returns the last row written."""
    total = sum(w for _, w in COLUMNS)
    for c, (_, w) in enumerate(COLUMNS):
        ws.set_column(c, c, w)
    ws.merge_range(0, 0, 0, len(COLUMNS) - 1, GUIDE_SHEET, styles.title())
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
