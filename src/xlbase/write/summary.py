"""The merged 汇总表 workbook: 附件11 (official layout), 问题清单, 各县/各市情况, 入驻企业.

Layout comes from the form model only. The output is deterministic: workbook
properties carry a fixed date, and the only time-dependent text is the
generation time in ONE cell, `各县情况!A2` (`各市情况!A2` at province level); set
SOURCE_DATE_EPOCH to pin even that. Written through `atomic_output`.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any, Callable, Iterable

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from ..forms import SUMMARY_FORM, Field, get_form
from ..merge.core import MergeResult
from ..problems import Problem
from .safe import atomic_output, cell_text, is_formula_like, write_text
from .summary_sheets import write_firms_sheet, write_units_sheet
from .template_styles import Styles

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
    from .template_styles import num_format
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


def write_a11_sheet(wb, styles: Styles, result: MergeResult, *, year: Any, unit: str) -> None:
    form = get_form(SUMMARY_FORM)
    fields = list(form.table_fields)
    ncols = 1 + len(fields)
    ws = wb.add_worksheet(form.sheet)
    ws.set_column(0, 0, 5)
    for i, f in enumerate(fields, start=1):
        ws.set_column(i, i, f.width or 10)

    last = ncols - 1
    ws.set_row(0, 30)
    ws.merge_range(0, 0, 0, last, form.title_for(year), styles.title())
    half = max(1, last // 2)
    ws.merge_range(1, 0, 1, half, f"{form.org_line or ''}{cell_text(unit)}", styles.line())
    ws.merge_range(1, half + 1, 1, last, form.unit_line or "", styles.line("right"))

    top, sub = HEADER_TOP, HEADER_TOP + 1
    ws.set_row(sub, 48)
    ws.merge_range(top, 0, sub, 0, form.number_label or "序号", styles.header())
    col = 1
    for group, members in form.header_groups():
        official = members[0].official
        if group is None:
            for f in members:
                ws.merge_range(top, col, sub, col, f.header_text, styles.header(f.official))
                col += 1
        else:
            if len(members) > 1:
                ws.merge_range(top, col, top, col + len(members) - 1, group, styles.header(official))
            else:
                ws.write_string(top, col, group, styles.header(official))
            for j, f in enumerate(members):
                ws.write_string(sub, col + j, f.header_text, styles.header(f.official))
            col += len(members)

    first = sub + 1
    cell = {"border": 1, "valign": "vcenter", "text_wrap": True}
    for i, b in enumerate(result.bases):
        r = first + i
        ws.write_number(r, 0, i + 1, styles.get(align="center", **cell))
        for c, f in enumerate(fields, start=1):
            if f.key == "source_file":
                src = result.display.get(b.file, b.file)
                if b.carried_source:
                    src = f"{src} ← {b.carried_source}"
                put_text(ws, r, c, src, styles, **cell)
            else:
                put_value(ws, r, c, f, b.values.get(f.key), styles, cell)

    total_row = first + len(result.bases)
    totals = result.totals()
    bold = {"bold": True, **cell}
    ws.write_string(total_row, 0, form.total_label or "汇总", styles.get(align="center", **bold))
    from .template_styles import num_format
    for c, f in enumerate(fields, start=1):
        if f.is_numeric:
            a = xl_rowcol_to_cell(first, c)
            z = xl_rowcol_to_cell(max(first, total_row - 1), c)
            formula = f"=SUM({a}:{z})" if result.bases else "=0"
            ws.write_formula(total_row, c, formula, styles.get(num_format=num_format(f), **bold), totals[f.key])
        elif f.key == "base_name":
            ws.write_string(total_row, c, f"共 {len(result.bases)} 个基地", styles.get(**bold))
        else:
            ws.write_blank(total_row, c, None, styles.get(**bold))

    ws.freeze_panes(first, 2)
    ws.set_landscape()
    ws.set_paper(9)                       # A4
    ws.fit_to_pages(1, 0)                 # fit to width, as many pages down as needed
    ws.repeat_rows(top, sub)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_footer("&C第 &P 页，共 &N 页")
    # print like the paper form: the official columns; our columns stay on screen
    ws.print_area(0, 0, total_row, len(form.official_table_fields))


def write_summary_workbook(out: Path, result: MergeResult, problems: list[Problem], *, level: str, year: Any,
                           unit: str, as_of: dt.date | None = None,
                           add_problems_sheet: Callable[[Any, list[Problem]], Any] | None = None) -> None:
    """Write the whole 汇总表 atomically: a failure anywhere leaves `out` as it was."""
    if add_problems_sheet is None:
        from .report import add_problems_sheet
    stamp = as_of or dt.date(2000, 1, 1)
    with atomic_output(out) as tmp:
        # Never constant_memory: in that mode xlsxwriter writes a text shaped like
        # "<r>…</r>" as raw rich-text XML, so a clerk's cell could inject markup.
        # The one big sheet (入驻企业) is streamed by write.bulk_rows instead.
        wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": False, "strings_to_numbers": False,
                                            "strings_to_formulas": False, "strings_to_urls": False})
        wb.set_properties({"title": get_form(SUMMARY_FORM).title_for(year), "author": "xlbase",
                           "created": dt.datetime(stamp.year, stamp.month, stamp.day)})
        styles = Styles(wb)
        write_a11_sheet(wb, styles, result, year=year, unit=unit)
        add_problems_sheet(wb, problems)
        write_units_sheet(wb, styles, result, problems, level=level, stamp=generated_at())
        bulk = write_firms_sheet(wb, styles, result)
        wb.worksheets()[0].activate()
        wb.close()
        if bulk is not None:
            bulk.splice(tmp)
