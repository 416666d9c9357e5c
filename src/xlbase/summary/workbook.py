"""The merged 汇总表 workbook: 附件11 (official layout), 问题清单, 各县/各市情况, 入驻企业.

Layout comes from the form model only. The output is deterministic: workbook
properties carry a fixed date, and the only time-dependent text is the
generation time in ONE cell, `各县情况!A2` (`各市情况!A2` at province level); set
SOURCE_DATE_EPOCH to pin even that. Written through `atomic_output`.
"""

from __future__ import annotations

import datetime as dt
import os
from functools import partial
from pathlib import Path
from typing import Any, Callable

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from ..forms.roles import BASE_NAME, SOURCE_FILE
from ..forms import SUMMARY_FORM, Field, get_form
from ..forms.programmes import worded
from ..merge.rows import MergeResult
from ..problems import Problem
from ..safe_output import atomic_output, cell_text, is_formula_like, write_text
from .sheets import FirmRowsAhead, write_firms_sheet, write_units_sheet
from ..templates.printing import A4, FOOTER, MIN_SCALE, narrow_to_scale
from ..templates.styles import Styles, display_width, lines_needed, num_format, row_height, width_for
from ..templates.table import DATA_ROW_HEIGHT, UNBROKEN_CHARS, column_plan, printed_sizes, write_header

TIMESTAMP_CELL = "A2"            # on the 各县情况 / 各市情况 sheet
HEADER_TOP = 2                   # 0-based row of the first header row on 附件11


def generated_at() -> dt.datetime:
    """Generation time, or SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).replace(tzinfo=None)
    return dt.datetime.now().replace(microsecond=0)


def put_text(ws, row: int, col: int, value: Any, styles: Styles, **fmt: Any) -> None:
    """Submission text: write_string, with quotePrefix when a spreadsheet would run it."""
    text = cell_text(value)
    write_text(ws, row, col, text, styles.get(quote_prefix=True if is_formula_like(text) else None, **fmt))


def put_value(ws, row: int, col: int, f: Field, value: Any, styles: Styles, fmt: dict) -> None:
    """One merged value, typed by its field: numbers as numbers, dates as dates, text as text."""
    if value is None:
        ws.write_blank(row, col, None, styles.get(**fmt))
    elif isinstance(value, bool):
        ws.write_string(row, col, "是" if value else "否", styles.get(align="center", **fmt))
    elif f.is_numeric and isinstance(value, (int, float)):
        ws.write_number(row, col, value, styles.get(num_format=num_format(f), **fmt))
    elif isinstance(value, (dt.date, dt.datetime)):
        d = value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)
        ws.write_datetime(row, col, d, styles.get(num_format="yyyy-mm-dd", align="center", **fmt))
    else:
        put_text(ws, row, col, value, styles, **fmt)


# Print layout of the merged 附件11: the paper copy is the deliverable, so its official
# columns must fit one A4 landscape page wide at a readable size. Text columns are
# capped and wrap; numeric columns are as wide as their widest value or their header
# (A11_HEADER_CHARS characters a line, the unit on a line of its own).
A11_NUMBER_WIDTH = 4.5
A11_TEXT_MAX = 14
A11_MIN_WIDTH = 6.5
A11_HEADER_CHARS = 3
A11_DIGIT_PAD = 1.0     # a number's column: its widest value and a character's room (宋体's digits are narrower)
A11_MARGINS = {"left": 0.3, "right": 0.3, "top": 0.5, "bottom": 0.5}
#: the print scale the merged 附件11 keeps to (printing.print_scale, at LibreOffice's wider layout): 10-point text at
#: 7 pt and a little more, for the rounding of LibreOffice's fit
A11_MIN_SCALE = MIN_SCALE + 3
#: the narrowest a name column of the merged 附件11 wraps to: three characters a line, with the pixel xlsxwriter's
#: rounding takes off width_for(3) (41 px + 5 for 5.9, where three characters and the padding need 46.2)
A11_NAME_FLOOR = width_for(A11_HEADER_CHARS) + 0.1


def _shown(f: Field, v: Any) -> str:
    """Roughly the text a cell shows (for widths and heights)."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是"
    if f.is_numeric and isinstance(v, (int, float)):
        return f"{v:.2f}" if num_format(f) == "0.00" else f"{v:.0f}"
    if isinstance(v, (dt.date, dt.datetime)):
        return "0000-00-00"
    return cell_text(v)


def a11_widths(fields: list[Field], columns: list[list[str]], narrow: dict[str, float] | None = None) -> list[float]:
    """Column widths for the merged 附件11 from what the columns hold (`columns[i]`: shown texts): an official
    column no wider than the paper form's (`narrow`: templates.table.printed_sizes — headers three characters a line,
    names four, wrapping), wider only for a value that cannot wrap (a number, a date: its widest value). At the
    content's widths (names up to 14) Shanxi's 附件11 printed at 6.3 pt in LibreOffice."""
    narrow = narrow or {}
    out = []
    for f, texts in zip(fields, columns):
        widest = max((display_width(t) for t in texts), default=0)
        if not f.official:
            out.append(f.width or A11_TEXT_MAX)
        elif f.type in UNBROKEN_CHARS and f.key in narrow:      # a date: as wide as one, whole on its line
            out.append(narrow[f.key])
        elif f.is_numeric or f.type in ("date", "yesno"):
            unit = len(f.unit) + 2 if f.unit else 0
            out.append(max(narrow.get(f.key) or width_for(max(A11_HEADER_CHARS, unit)), widest + A11_DIGIT_PAD))
        else:
            cap = min(narrow.get(f.key) or A11_TEXT_MAX, A11_TEXT_MAX, f.width or A11_TEXT_MAX)
            out.append(min(max(A11_MIN_WIDTH, widest + 1.5), cap))
    # numbers wide enough for their widest value may still push the page under 7 pt: the names wrap narrower
    printed = [i for i, f in enumerate(fields) if f.official]
    names = [i for i in printed if fields[i].type == "text"]
    fitted = narrow_to_scale([*out, A11_NUMBER_WIDTH], [*printed, len(out)], names, A11_NAME_FLOOR, A11_MIN_SCALE,
                             A11_MARGINS)
    out = fitted[:-1]
    return out


def write_a11_sheet(wb, styles: Styles, result: MergeResult, *, year: Any, unit: str) -> None:
    form = worded(get_form(SUMMARY_FORM))
    fields = list(form.table_fields)
    number_col, cols, last = column_plan(form)
    if number_col is None:
        raise ValueError(f"{form.id}: the 汇总表 is numbered (number_label in its spec)")
    printed = len(form.official_table_fields)        # last printed column: the official ones only
    ws = wb.add_worksheet(form.sheet)

    totals = result.totals()
    rows = []
    for b in result.bases:
        values = dict(b.values)
        for k, text in (b.typed or {}).items():     # a bound or an estimate ("30户以上"): shown as typed
            if values.get(k) is None:
                values[k] = text
        src = result.display.get(b.file, b.file)
        values[SOURCE_FILE] = f"{src} ← {b.carried_source}" if b.carried_source else src
        rows.append(values)
    shown = [[_shown(f, r.get(f.key)) for r in rows] + [_shown(f, totals.get(f.key))] for f in fields]
    widths: dict[int, float] = {number_col: A11_NUMBER_WIDTH, **{cols[f.key]: w for f, w in zip(fields, a11_widths(fields, shown, printed_sizes(form)))}}
    for c, w in widths.items():
        ws.set_column(c, c, w)

    ws.set_row(0, 30)
    ws.merge_range(0, 0, 0, printed, form.title_for(year), styles.title())
    half = max(1, printed // 2)
    ws.set_row(1, 20)
    ws.merge_range(1, 0, 1, half, f"{form.org_line or ''}{cell_text(unit)}", styles.line())
    ws.merge_range(1, half + 1, 1, printed, form.unit_line or "", styles.line("right"))
    top = HEADER_TOP
    sub = write_header(ws, form, top, number_col, cols, widths, styles)

    first = sub + 1
    cell = {"border": 1, "valign": "vcenter", "text_wrap": True}
    for i, values in enumerate(rows):
        r = first + i
        ws.write_number(r, number_col, i + 1, styles.get(align="center", **cell))
        lines = 1
        for f in fields:
            c, v = cols[f.key], values.get(f.key)
            if f.key == SOURCE_FILE:
                put_text(ws, r, c, v, styles, **cell)
            else:
                put_value(ws, r, c, f, v, styles, cell)
            if not f.is_numeric and c <= printed and isinstance(v, str):
                lines = max(lines, lines_needed(cell_text(v), widths[c]))
        ws.set_row(r, max(row_height(lines), DATA_ROW_HEIGHT))

    total_row = first + len(result.bases)
    bold = {"bold": True, **cell}
    ws.set_row(total_row, DATA_ROW_HEIGHT)
    ws.write_string(total_row, number_col, form.total_label or "汇总", styles.get(align="center", **bold))
    incomplete = result.incomplete()
    for f in fields:
        c = cols[f.key]
        if f.is_numeric:
            a = xl_rowcol_to_cell(first, c)
            z = xl_rowcol_to_cell(max(first, total_row - 1), c)
            formula = f"=SUM({a}:{z})" if result.bases else "=0"
            # a column some tables lack: its 汇总 is marked, never a quietly lower sum
            mark = {"num_format": f'{num_format(f)}"*"', "bg_color": INCOMPLETE_FILL} if f.key in incomplete else \
                {"num_format": num_format(f)}
            ws.write_formula(total_row, c, formula, styles.get(**mark, **bold), totals[f.key])
        elif f.key == BASE_NAME:
            ws.write_string(total_row, c, f"共 {len(result.bases)} 个基地", styles.get(**bold))
        else:
            ws.write_blank(total_row, c, None, styles.get(**bold))

    last_printed = total_row
    if incomplete:
        last_printed += 1
        names = "、".join(f.label for f in fields if f.key in incomplete)
        n = len({b.key for bs in incomplete.values() for b in bs})
        ws.set_row(last_printed, 30)
        ws.merge_range(last_printed, 0, last_printed, printed,
                       f"注：带 * 的汇总数不完整（{names}）：有 {n} 个基地的报表没有这些栏目或只填了范围、估计值，其数值未计入，"
                       "详见“问题清单”。",
                       styles.get(text_wrap=True, valign="vcenter", font_color="#9C5700"))
    ws.freeze_panes(first, 2)
    ws.set_landscape()
    ws.set_paper(A4)
    ws.fit_to_pages(1, 0)                 # fit to width, as many pages down as needed
    ws.center_horizontally()
    ws.repeat_rows(top, sub)
    ws.set_margins(**A11_MARGINS)
    ws.set_footer(FOOTER)
    # print like the paper form: the official columns; our columns stay on screen
    ws.print_area(0, 0, last_printed, printed)


INCOMPLETE_FILL = "#FFEB9C"     # the 问题清单's warning colour


def write_summary_workbook(out: Path, result: MergeResult, problems: list[Problem], *, level: str, year: Any,
                           unit: str, as_of: dt.date | None = None, pack: Any = None,
                           add_problems_sheet: Callable[[Any, list[Problem]], Any] | None = None,
                           record: dict[str, Any] | None = None, changes: dict[str, Any] | None = None,
                           firm_rows: FirmRowsAhead | None = None) -> None:
    """Write the whole 汇总表 atomically: a failure anywhere leaves `out` as it was.

    `record` (merge.lower.build_record) goes into a very hidden sheet, so that a higher level
    merging this file gets the same rows and problems as from its sources (xlbase.summary_record).
    `changes` (merge.rounds.compare): each unit's errors against the previous round, shown in 各县情况.
    `firm_rows`: the 入驻企业 rows already being rendered by a helper (sheets.FirmRowsAhead.start).
    """
    if add_problems_sheet is None:
        from ..reports.problems import add_problems_sheet as sheet, report_line
        add_problems_sheet = partial(sheet, display=result.display, pack=pack,
                                     line=report_line(pack, problems, as_of=as_of))
    stamp = as_of or dt.date(2000, 1, 1)
    with atomic_output(out) as tmp:
        # Never constant_memory: in that mode xlsxwriter writes a text shaped like
        # "<r>…</r>" as raw rich-text XML, so a clerk's cell could inject markup.
        # The one big sheet (入驻企业) is streamed by ooxml.bulk_rows instead.
        wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": False, "strings_to_numbers": False,
                                            "strings_to_formulas": False, "strings_to_urls": False})
        wb.set_properties({"title": worded(get_form(SUMMARY_FORM)).title_for(year), "author": "xlbase",
                           "created": dt.datetime(stamp.year, stamp.month, stamp.day)})
        styles = Styles(wb)
        write_a11_sheet(wb, styles, result, year=year, unit=unit)
        add_problems_sheet(wb, problems)
        write_units_sheet(wb, styles, result, problems, level=level, stamp=generated_at(), changes=changes)
        bulk = write_firms_sheet(wb, styles, result, year=year, unit=unit, ahead=firm_rows)
        if record is not None:
            from ..summary_record import add_record_sheet
            add_record_sheet(wb, record)
        wb.worksheets()[0].activate()
        wb.close()
        if bulk is not None:
            bulk.splice(tmp)
