"""The 汇总表's working sheets: per-unit status (各县情况 / 各市情况, with a chart) and 入驻企业."""

from __future__ import annotations

from functools import partial

import datetime as dt
import os
from typing import Any

from .. import sheet_names
from ..forms import get_form
from ..merge.core import UNKNOWN_UNIT, MergeResult, place_order
from ..merge.level import SHEET_NAME, UNIT_LABEL, file_units, unit_of
from ..problems import ERROR, WARNING, Problem
from ..text import fold
from .bulk_rows import BulkRows, blank, excel_date, inline_text, number, xf_index
from .safe import cell_text, is_formula_like, write_text
from .template_styles import Styles, num_format

STATUS_OK = "可上报"
STATUS_BACK = "需退回修改"


def unit_rows(result: MergeResult, problems: list[Problem], level: str) -> list[dict[str, Any]]:
    """One dict per unit: files, bases, resident firms, 附件3 rows, errors, warnings, status."""
    units: dict[str, dict[str, Any]] = {}

    def row(u: str) -> dict[str, Any]:
        return units.setdefault(u, {"unit": u, "files": 0, "bases": 0, "firms": 0, "firm_rows": 0,
                                    "errors": 0, "warnings": 0})

    by_file = {a.file: file_units(result, level, a.file) for a in result.accounts}
    for f, us in by_file.items():
        for u in us:
            row(u)["files"] += 1
    base_unit = {}
    for b in result.bases:
        u = unit_of(b, level)
        r = row(u)
        r["bases"] += 1
        n = b.values.get("resident_firms")
        r["firms"] += int(n) if isinstance(n, (int, float)) and not isinstance(n, bool) else 0
        base_unit[b.key] = u
        base_unit[fold(b.name)] = u
    for f in result.firms:
        row(base_unit.get(f.base_key, UNKNOWN_UNIT))["firm_rows"] += 1
    for p in problems:
        us = {base_unit[fold(p.base)]} if p.base and fold(p.base) in base_unit else \
            {base_unit[p.base]} if p.base in base_unit else by_file.get(p.file, {UNKNOWN_UNIT})
        for u in us:
            if p.severity == ERROR:
                row(u)["errors"] += 1
            elif p.severity == WARNING:
                row(u)["warnings"] += 1
    city_of = {unit_of(b, level): b.city for b in result.bases}
    out = sorted(units.values(), key=lambda r: (r["unit"] == UNKNOWN_UNIT,
                                                place_order(r["unit"], "") if level == "province"
                                                else place_order(city_of.get(r["unit"], ""), r["unit"])))
    for r in out:
        r["status"] = STATUS_BACK if r["errors"] else STATUS_OK
    return out


def write_units_sheet(wb, styles: Styles, result: MergeResult, problems: list[Problem], *, level: str,
                      stamp: dt.datetime) -> list[dict[str, Any]]:
    rows = unit_rows(result, problems, level)
    ws = wb.add_worksheet(SHEET_NAME[level])
    heads = ["序号", UNIT_LABEL[level], "收到文件数", "基地数", "入驻企业数（户）", "附件3企业行数", "错误数", "警告数", "状态"]
    widths = [6, 16, 11, 9, 14, 13, 9, 9, 12]
    ws.merge_range(0, 0, 0, len(heads) - 1, f"{SHEET_NAME[level]}（报送与审核状态）", styles.title())
    ws.merge_range(1, 0, 1, len(heads) - 1, f"生成时间：{stamp:%Y-%m-%d %H:%M:%S}", styles.line())
    ws.merge_range(2, 0, 2, len(heads) - 1,
                   "状态：有“错误”的单位为“需退回修改”，请对照“问题清单”退回修改；只有“警告”的请核实后上报。",
                   styles.get(text_wrap=True))
    ws.set_row(2, 30)
    for c, (h, w) in enumerate(zip(heads, widths)):
        ws.set_column(c, c, w)
        ws.write_string(3, c, h, styles.header())
    cell = {"border": 1}
    first = 4
    for i, r in enumerate(rows):
        y = first + i
        ws.write_number(y, 0, i + 1, styles.get(align="center", **cell))
        ws.write_string(y, 1, cell_text(r["unit"]), styles.get(**cell))
        for c, k in enumerate(("files", "bases", "firms", "firm_rows", "errors", "warnings"), start=2):
            ws.write_number(y, c, r[k], styles.get(num_format="0", **cell))
        back = r["status"] == STATUS_BACK
        ws.write_string(y, 8, r["status"], styles.get(bold=True, font_color="#C00000" if back else "#006100",
                                                     bg_color="#FFC7CE" if back else "#C6EFCE", align="center", **cell))
    last = first + len(rows)
    ws.write_string(last, 1, "合计", styles.get(bold=True, **cell))
    ws.write_blank(last, 0, None, styles.get(**cell))
    for c, k in enumerate(("files", "bases", "firms", "firm_rows", "errors", "warnings"), start=2):
        col = chr(ord("A") + c)
        total = sum(r[k] for r in rows)
        ws.write_formula(last, c, f"=SUM({col}{first + 1}:{col}{max(first + 1, last)})" if rows else "=0",
                         styles.get(bold=True, num_format="0", **cell), total)
    ws.write_blank(last, 8, None, styles.get(**cell))
    ws.freeze_panes(first, 2)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    if rows:
        chart = wb.add_chart({"type": "column"})
        name = SHEET_NAME[level]
        cats = [name, first, 1, last - 1, 1]
        chart.add_series({"name": "基地数", "categories": cats, "values": [name, first, 3, last - 1, 3],
                          "data_labels": {"value": True}})
        line = wb.add_chart({"type": "line"})
        line.add_series({"name": "入驻企业数（户）", "categories": cats, "values": [name, first, 4, last - 1, 4],
                         "y2_axis": True, "marker": {"type": "circle"}, "data_labels": {"value": True}})
        chart.combine(line)
        chart.set_title({"name": f"各{UNIT_LABEL[level][:1]}基地数和入驻企业数"})
        chart.set_y_axis({"name": "基地数", "major_gridlines": {"visible": True}})
        line.set_y2_axis({"name": "入驻企业数（户）"})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 760, "height": 360})
        ws.insert_chart(last + 2, 1, chart)
    return rows


def write_firms_sheet(wb, styles: Styles, result: MergeResult) -> BulkRows | None:
    """Every merged 附件3 row with its base and source, filterable.

    Returns the rows still to splice into the closed workbook (bulk_rows), or None when written here.
    """
    a3 = get_form("附件3")
    fields = list(a3.table_fields)
    ws = wb.add_worksheet(sheet_names.FIRMS)
    heads = ["序号", "所属基地", "所在市", "所在县（市、区）"] + [f.header_text for f in fields] + ["来源文件", "工作表", "行号"]
    for c, h in enumerate(heads):
        width = 30 if h == "所属基地" else (fields[c - 4].width or 10) if 4 <= c < 4 + len(fields) else 10
        if h == "来源文件":
            width = 28
        ws.set_column(c, c, width)
        ws.write_string(0, c, h, styles.header(c < 4 + len(fields) and (c < 4 or fields[c - 4].official)))
    bases = {b.key: b for b in result.bases}
    # formats and repeated texts resolved once, not per cell (58 000 rows x 17 columns at province scale)
    plain, quoted = styles.get(border=1), styles.get(quote_prefix=True, border=1)
    date_fmt = styles.get(num_format="yyyy-mm-dd", border=1)
    num_fmts = [styles.get(num_format=num_format(fld), border=1) for fld in fields]
    numeric = [fld.is_numeric for fld in fields]
    keys = [fld.key for fld in fields]

    def text(v: Any) -> tuple[str, Any]:
        t = cell_text(v)
        return t, (quoted if is_formula_like(t) else plain)

    def row_cells(i: int, f) -> list[tuple[str, Any, Any]]:
        """("n"|"s"|"d"|"b", value, format) per column, typed by the field."""
        bt = base_texts.get(f.base_key)
        if bt is None:
            b = bases[f.base_key]
            bt = base_texts[f.base_key] = [("s", *text(v)) for v in (b.name, b.city, b.county)]
        cells: list[tuple[str, Any, Any]] = [("n", i, plain), *bt]
        values = f.values
        for j, v in enumerate(values):
            if v is None:
                cells.append(("b", None, plain))
                continue
            tv = type(v)
            if numeric[j] and (tv is int or tv is float or (isinstance(v, (int, float)) and tv is not bool)):
                cells.append(("n", v, num_fmts[j]))
            elif tv is not str and isinstance(v, (dt.date, dt.datetime)):
                cells.append(("d", v if isinstance(v, dt.datetime) else dt.datetime(v.year, v.month, v.day),
                              date_fmt))
            else:
                cells.append(("s", *text(v)))
        ft = file_texts.get(f.file)
        if ft is None:
            ft = file_texts[f.file] = ("s", cell_text(result.display.get(f.file, f.file)), plain)
        st = sheet_texts.get(f.sheet)
        if st is None:
            st = sheet_texts[f.sheet] = ("s", cell_text(f.sheet), plain)
        cells += [ft, st, ("n", f.row, plain)]
        return cells

    base_texts: dict[str, list] = {}
    file_texts: dict[str, tuple] = {}
    sheet_texts: dict[str, tuple] = {}
    bulk = _bulk_rows(wb, ws, len(heads), [plain, quoted, date_fmt, *num_fmts]) if result.firms else None
    if bulk is not None:
        try:
            _add_bulk(bulk, result, row_cells, {id(fm): xf_index(fm) for fm in (plain, quoted, date_fmt, *num_fmts)})
        except BaseException:
            bulk.discard()
            raise
    else:
        write = {"s": partial(write_text, ws), "n": ws.write_number, "d": ws.write_datetime, "b": ws.write_blank}
        for i, f in enumerate(result.firms, start=1):
            for c, (kind, v, fm) in enumerate(row_cells(i, f)):
                write[kind](i, c, v, fm)
    ws.autofilter(0, 0, max(len(result.firms), 1), len(heads) - 1)
    ws.freeze_panes(1, 2)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    return bulk


def _add_bulk(bulk: BulkRows, result: MergeResult, row_cells, xf: dict[int, int]) -> None:
    cols = bulk.cols
    for i, f in enumerate(result.firms, start=1):
        r = str(bulk.next_row + 1)
        out = []
        for col, (kind, v, fm) in zip(cols, row_cells(i, f)):
            ref = col + r
            if kind == "s":
                out.append(inline_text(ref, v, xf[id(fm)]))
            elif kind == "n":
                out.append(number(ref, v, xf[id(fm)]))
            elif kind == "d":
                out.append(number(ref, excel_date(v), xf[id(fm)]))
            else:
                out.append(blank(ref, xf[id(fm)]))
        bulk.add(out)


def _bulk_rows(wb, ws, ncols: int, formats: list) -> BulkRows | None:
    """Rows as spliced sheet XML (fast), unless XLBASE_XLSXWRITER_ROWS=1 or xlsxwriter hides style indices."""
    if os.environ.get("XLBASE_XLSXWRITER_ROWS") == "1" or any(xf_index(fm) is None for fm in formats):
        return None
    return BulkRows(wb.worksheets().index(ws), 1, ncols)
