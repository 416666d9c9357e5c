"""The 填表说明 sheet: how to fill the workbook, what the sheet checks and what only the city's merge can,
on one printed page. Every statement is built from the form model (identity fields, choices, units,
optional and non-official columns, 附件3's layout) and the default rule pack (its rules, the ones the
表内检查 sheet judges and the rest), so it stays true when either changes.
"""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from .. import sheet_names
from ..forms import Form, divisions
from ..forms.programmes import DEFAULT_NOUN, choices_of
from ..rules.ranges import Total
from ..rules.rule import Rule, RulePack
from .dates import date_forms
from .validation import NUMBER_FORMS
from .styles import Styles, lines_needed, row_height

GUIDE_SHEET = sheet_names.GUIDE
WIDTH = 110            # characters across the page (A4 landscape at about 100 %)
COLUMNS = 6            # notes are merged across them (one very wide column prints badly in LibreOffice)
TOP = 3                # rows left free at the top (the 校验 buttons of the .xlsm sit there)

Section = tuple[str, list[str]]


def _labels(fields) -> str:
    """Labels in order, once each."""
    return "、".join(dict.fromkeys(f.label for f in fields))


def _at_most(n: int | None) -> str:
    return f"；最多 {n} 行" if n else ""


def range_note(forms: list[Form], limits: dict[str, int]) -> str:
    """What the sheet makes of ranges in a list: its 合计 (汇总) row adds them up into a range (rules.ranges.Total, as
    validate totals them), and how many of them a column reads (`limits`: sheet -> slots, templates.numbers
    .slot_count, where fewer than the list's rows) — the ones past it are red."""
    totals = list(dict.fromkeys(f.total_label for f in forms
                                if f.kind == "table" and f.total_label and any(x.is_numeric for x in f.table_fields)))
    parts = []
    if totals:
        example = Total(exact=100.0, low=20.0, high=50.0, ranges=1).describe()
        parts.append(f"{'、'.join(totals)}行把各行的范围相加，显示为范围（如“{example}”）")
    by_count: dict[int, list[str]] = {}
    for sheet, n in limits.items():
        by_count.setdefault(n, []).append(f"“{sheet}”")
    parts += [f"{'、'.join(sheets)}每列只读前 {n} 个范围写法，其后的标红" for n, sheets in sorted(by_count.items())]
    return "；".join(parts) + "。" if parts else ""


def filling_notes(forms: list[Form], *, identity_form: Form | None, ruled: dict[str, int],
                  record_ours: bool = False, rows: dict[str, int] | None = None,
                  range_limits: dict[str, int] | None = None) -> list[str]:
    """一、怎样填写: from the forms' fields, units and layout; `ruled`: an open-ended list's ruled rows, `rows`: all
    its rows (the last a clerk can type in: templates.table opens no row below them); `record_ours`: name our own
    fields of the record forms too (a programme's 所在县, which the 汇总 uses), not only our table columns;
    `range_limits`: how many ranges a list's columns read (range_note)."""
    notes = []
    if identity_form is not None:
        shared = [f.label for f in identity_form.fields]
        ids = [f for f in identity_form.fields if f.identity]
        ids_text = "、".join(f"{f.section}{f.label}" if f.section and shared.count(f.label) > 1 else f.label
                             for f in ids)
        others = [f.id for f in forms if f is not identity_form and any(g.identity for g in f.fields)]
        notes.append(f"先填“{identity_form.sheet}”：{ids_text}只在“{identity_form.sheet}”填写一次，"
                     f"{'、'.join(others)}自动引用（浅灰底的单元格是公式，不需填写）。")
    choices = [f for form in forms for f in form.fields if f.type in ("choice", "yesno") and not f.merge_only
               and choices_of(f)]
    county = any(choices_of(f) == "county" for f in choices)
    notes.append(f"带边框的白色单元格可以填写，选中时显示填写提示；{_labels(choices)}从下拉列表选择"
                 + ("，先选市，再选县（市、区）" + ("，开发区也在县（市、区）列表中" if county and divisions().get("zones") else "")
                    if county else "") + "；列表外的写法会提示确认。")
    for form in forms:
        n = ruled.get(form.id)
        if n:      # an open-ended list (附件3): template_table's ruled block under a frozen total line
            total = (f"“{form.total_label}”行在表头下方，随填写自动计算，冻结在屏幕上方，滚动时始终可见。"
                     if form.total_label else "")
            most = (rows or {}).get(form.id)
            more = (f"前 {n} 行已编号并画好表格线，空白表打印出来可以手写；超过 {n} 行时接着往下填并续编"
                    f"{form.number_label or '号'}，表格线自动出现，打印时包括所有已填的行{_at_most(most)}。"
                    if most is None or most > n else f"{n} 行都已编号并画好表格线，空白表打印出来可以手写。")
            notes.append(f"“{form.sheet}”每行填一条，从{form.number_label or '编号'}为 1 的行开始往下填写。{more}{total}")
        elif form.kind == "table" and form.template_rows > 1 and form.total_label:
            notes.append(f"“{form.sheet}”每行填一条，{form.number_label or '序号'}已编好；"
                         f"最后的“{form.total_label}”行自动求和。")
    units = list(dict.fromkeys(form.unit_line for form in forms if form.unit_line))
    notes.append(f"数字栏填数字，单位见各表的单位行（{'；'.join(units)}）；{NUMBER_FORMS[:-1]}，"
                 "与 xlbase 的读法相同，读不出数字的单元格标红。写成范围或估计值（如“约300”“30户以上”“20-30”“近百”）时，"
                 "表内与 xlbase 一样按整个范围检查：整个范围都达到要求的通过，整个范围都达不到的为不符合（标红），"
                 "不能判定或只凭“约”的误差判定的为请核实（标黄），请改填确切数字。" + range_note(forms, range_limits or {})
                 + "输入时只拒绝既无数字、也无“十百千万”的文字"
                 "（如“见附表”）：xlbase 能读出的写法（包括范围和估计值）都含有其中之一，其余由表内的读法判断。")
    dates = [f for form in forms for f in form.fields if f.type == "date" and not f.merge_only]
    if dates:
        periods = [f for f in dates if f.period]
        notes.append(f"日期栏（{_labels(dates)}）{date_forms()}" + (
            f"{_labels(periods)}{date_forms(period=True)}" if periods else ""))
    codes = [f for form in forms for f in form.fields if f.type == "credit_code"]
    if codes:
        notes.append(f"{_labels(codes)}按文本录入：18 位统一社会信用代码（旧营业执照注册号 15 位），不要加空格。")
    optional = {form.sheet: [f for f in form.fields if not f.required and not f.merge_only] for form in forms}
    optional = {k: v for k, v in optional.items() if v}
    if optional:
        notes.append("各表带边框的白色栏目都必须填写，以下除外：" +
                     "；".join(f"{sheet} {_labels(fs)}" for sheet, fs in optional.items()) + "。")
    ours = [f for form in forms for f in (form.fields if record_ours else form.table_fields)
            if not f.official and not f.merge_only]
    if ours:
        notes.append(f"灰色表头的栏目（{_labels(ours)}）是官方表格没有的栏目，供校验{'和汇总' if record_ours else ''}使用，"
                     "请一并填写；它们只在屏幕上显示，不打印" + ("（这几行排在各表下方）" if record_ours else "") + "。")
    notes.append("工作表已保护（无密码），只为防止误改表头和公式；如需调整，可在“审阅”中撤销工作表保护。")
    return notes


def check_notes(pack: RulePack, judged: list[Rule], check_sheet: str | None, marks: list[str],
                who: str = "市级") -> list[str]:
    """二、表内检查: how many of the pack's rules the workbook computes as it is typed, and where each is stated
    with its numbers (the check sheet's 要求 column, quoted from the pack: the note restates none of them, and
    stays a few lines long however many rules a pack has); `who` merges next (市级, a programme's 上级)."""
    notes = []
    if check_sheet and judged:
        notes.append(f"“{check_sheet}”表随填写按规则包“{pack.title}”逐项计算 {len(judged)} 项检查的不符合处，"
                     f"每项的要求和门槛见该表“要求”列（取自规则包），不符合处为 0 即通过，与 xlbase 校验和{who}汇总的结论一致。"
                     "只用 WPS、Excel 2010、LibreOffice 计算结果相同的函数，打开文件时自动重算。")
    notes += marks
    return notes


def merge_notes(rest: list[Rule], who: str = "市级", noun: str = DEFAULT_NOUN, firms_across: bool = True) -> list[str]:
    """三、由市级汇总时检查: the pack's rules the workbook does not compute, and the checks across applications
    the merge makes (`noun`: what one application is about; `firms_across`: the merge also finds a firm
    listed by several — Shanxi's does, a programme's merge finds only an application sent twice)."""
    from .check_sheet import title
    notes = []
    if rest:
        notes.append(f"以下各项表内不计算，由{who}汇总时检查（也可用“校验”按钮或 xlbase validate 检查）：" +
                     "；".join(dict.fromkeys(title(r) for r in rest)) + "。")
    firms = f"同一企业是否出现在多个{noun}、" if firms_across else ""
    notes.append(f"由{who}汇总时检查：{firms}同一{noun}是否重复报送（要把各{noun}的材料放在一起才能判断）。")
    return notes


def write_guide(ws: Worksheet, styles: Styles, sections: list[Section]) -> int:
    """The notes under their headings, numbered through; returns the last row written (columns: COLUMNS)."""
    ws.set_column(0, COLUMNS - 1, WIDTH / COLUMNS)
    last = COLUMNS - 1
    ws.merge_range(0, 0, 0, last, GUIDE_SHEET, styles.title())
    ws.set_row(0, 32)
    r, n = TOP, 0
    for heading, notes in sections:
        if not notes:
            continue
        ws.merge_range(r, 0, r, last, heading, styles.get(bold=True))
        ws.set_row(r, row_height(1))
        r += 1
        for note in notes:
            n += 1
            text = f"{n}. {note}"
            ws.merge_range(r, 0, r, last, text, styles.note())
            ws.set_row(r, row_height(lines_needed(text, WIDTH)))
            r += 1
    return r - 1
