"""The 汇总表's working sheets: per-unit status (各县情况 / 各市情况, with a chart) and 入驻企业."""

from __future__ import annotations

from collections import Counter
from functools import partial

import datetime as dt
import os
from typing import Any, Iterator

from ..forms.roles import FIRM_FORM, FIRM_NAME, RESIDENT_FIRMS
from .. import sheet_names
from ..forms import get_form, value_list
from ..merge.places import UNKNOWN_UNIT
from ..merge.rows import MergeResult, place_order
from ..merge.rounds import Change
from ..merge.level import SHEET_NAME, UNIT_LABEL, UNIT_NOT_REPORTED, file_units, level_city, problem_units, unit_of
from ..problems import ERROR, WARNING, Problem
from ..text import fold
from ..table import NOT_READ
from ..ooxml.bulk_rows import BulkRows, column_letters, xf_index
from ..ooxml.row_render import Deflated, RowRenderer
from ..safe_output import cell_text, write_text
from .firm_xml import CellFormats, FirmCells, FirmXml, block_payload
from ..templates.printing import A4, FOOTER, MIN_SCALE, narrow_to_scale
from ..templates.styles import (Styles, balanced_lines, display_width, header_label, lines_needed, num_format, row_height,
                               width_for)

STATUS_OK = "可上报"
STATUS_BACK = "需退回修改"
STATUS_MISSING = "未报送"
#: (font, fill) of each status: red to send back, green to forward, yellow (the warning colour) to chase
STATUS_COLOURS = {STATUS_BACK: ("#C00000", "#FFC7CE"), STATUS_OK: ("#006100", "#C6EFCE"),
                  STATUS_MISSING: ("#9C5700", "#FFEB9C")}


def unit_rows(result: MergeResult, problems: list[Problem], level: str) -> list[dict[str, Any]]:
    """One dict per unit: files, bases, resident firms, 附件3 rows, errors, warnings, status.

    Every unit that sent something, and every expected unit that did not (its unit-not-reported
    problem, merge.level.units_not_reported): status 未报送, in the division list's order.
    """
    units: dict[str, dict[str, Any]] = {}

    def row(u: str) -> dict[str, Any]:
        return units.setdefault(u, {"unit": u, "files": 0, "bases": 0, "firms": 0, "firm_rows": 0,
                                    "errors": 0, "warnings": 0})

    by_file = {a.file: file_units(result, level, a.file) for a in result.accounts}
    for a in result.accounts:
        if a.status in NOT_READ:     # the notice .docx, a scan: no submission of any unit
            continue
        for u in by_file[a.file]:
            row(u)["files"] += 1
    base_unit = {}
    for b in result.bases:
        u = unit_of(b, level)
        r = row(u)
        r["bases"] += 1
        n = b.values.get(RESIDENT_FIRMS)
        r["firms"] += int(n) if isinstance(n, (int, float)) and not isinstance(n, bool) else 0
        base_unit[b.key] = u
        base_unit[fold(b.name)] = u
    for b in result.firm_only:      # a base with firms but no 附件10/附件11 row: its firms count for its unit
        base_unit.setdefault(b.key, unit_of(b, level))
        base_unit.setdefault(fold(b.name), unit_of(b, level))
    for key, n in Counter(f.base_key for f in result.firms).items():
        row(base_unit.get(key, UNKNOWN_UNIT))["firm_rows"] += n
    missing = set()
    for p, us in zip(problems, problem_units(result, problems, level, base_unit, by_file)):
        if p.rule == UNIT_NOT_REPORTED:
            missing |= us
        for u in us:
            if p.severity == ERROR:
                row(u)["errors"] += 1
            elif p.severity == WARNING:
                row(u)["warnings"] += 1
    city_of = {unit_of(b, level): b.city for b in result.bases}
    home = level_city(result, None) or ""
    out = sorted(units.values(), key=lambda r: (r["unit"] == UNKNOWN_UNIT,
                                                place_order(r["unit"], "") if level == "province"
                                                else place_order(city_of.get(r["unit"], home), r["unit"])))
    for r in out:
        r["status"] = STATUS_MISSING if r["unit"] in missing and not r["files"] else \
            STATUS_BACK if r["errors"] else STATUS_OK
    return out


ROUND_HEADS = ["上次错误数", "已改正", "仍有", "新增错误"]
ROUND_FIELDS = ("before", "fixed", "still", "new")     # merge.rounds.Change
NO_CHANGE = Change(0, 0, 0, 0)                         # a unit with no error in either round


def write_units_sheet(wb, styles: Styles, result: MergeResult, problems: list[Problem], *, level: str,
                      stamp: dt.datetime, changes: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Per-unit status; with `changes` (merge.rounds.compare) four more columns: the unit's errors in
    the previous round, how many are gone, still there, and new (who fixed what)."""
    rows = unit_rows(result, problems, level)
    ws = wb.add_worksheet(SHEET_NAME[level])
    heads = ["序号", UNIT_LABEL[level], "收到文件数", "基地数", "入驻企业数（户）", "附件3企业行数", "错误数", "警告数", "状态"]
    widths = [6, 16, 11, 9, 14, 13, 9, 9, 12]
    if changes is not None:
        heads += ROUND_HEADS
        widths += [11, 9, 9, 9]
    ws.merge_range(0, 0, 0, len(heads) - 1, f"{SHEET_NAME[level]}（报送与审核状态）", styles.title())
    ws.merge_range(1, 0, 1, len(heads) - 1, f"生成时间：{stamp:%Y-%m-%d %H:%M:%S}", styles.line())
    ws.merge_range(2, 0, 2, len(heads) - 1,
                   "状态：有“错误”的单位为“需退回修改”，请对照“问题清单”退回修改；只有“警告”的请核实后上报；"
                   "“未报送”的单位请催报，收到后重新汇总。"
                   + ("后四列与上次汇总表比较：上次的错误中已改正、仍有几条，以及新出现的错误。" if changes is not None else ""),
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
        font, fill = STATUS_COLOURS[r["status"]]
        ws.write_string(y, 8, r["status"], styles.get(bold=True, font_color=font, bg_color=fill, align="center", **cell))
        if changes is not None:
            change = changes.get(r["unit"], NO_CHANGE) if r["status"] != STATUS_MISSING else None
            for c, v in enumerate([getattr(change, f) for f in ROUND_FIELDS] if change else [None] * 4, start=9):
                if v is None:
                    ws.write_blank(y, c, None, styles.get(**cell))
                else:
                    ws.write_number(y, c, v, styles.get(num_format="0", **cell,
                                                         **({"font_color": "#006100"} if c == 10 and v else {})))
    last = first + len(rows)
    ws.write_string(last, 1, "合计", styles.get(bold=True, **cell))
    ws.write_blank(last, 0, None, styles.get(**cell))
    for c, k in enumerate(("files", "bases", "firms", "firm_rows", "errors", "warnings"), start=2):
        col = chr(ord("A") + c)
        total = sum(r[k] for r in rows)
        ws.write_formula(last, c, f"=SUM({col}{first + 1}:{col}{max(first + 1, last)})" if rows else "=0",
                         styles.get(bold=True, num_format="0", **cell), total)
    ws.write_blank(last, 8, None, styles.get(**cell))
    for c, name in enumerate(ROUND_FIELDS if changes is not None else (), start=9):
        col = chr(ord("A") + c)
        total = sum(getattr((changes or {}).get(r["unit"], NO_CHANGE), name) for r in rows if r["status"] != STATUS_MISSING)
        ws.write_formula(last, c, f"=SUM({col}{first + 1}:{col}{max(first + 1, last)})" if rows else "=0",
                         styles.get(bold=True, num_format="0", **cell), total)
    ws.freeze_panes(first, 2)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    if rows:
        chart = wb.add_chart({"type": "column"})
        name = SHEET_NAME[level]
        cats = [name, first, 1, last - 1, 1]
        # bar labels at the bars' feet and line labels above its points: they never meet;
        # base counts are whole numbers, so the axis steps by whole numbers too
        chart.add_series({"name": "基地数", "categories": cats, "values": [name, first, 3, last - 1, 3],
                          "data_labels": {"value": True, "position": "inside_base",
                                          "font": {"color": "white", "bold": True}}})
        line = wb.add_chart({"type": "line"})
        line.add_series({"name": "入驻企业数（户）", "categories": cats, "values": [name, first, 4, last - 1, 4],
                         "y2_axis": True, "marker": {"type": "circle"},
                         "data_labels": {"value": True, "position": "above"}})
        chart.combine(line)
        chart.set_title({"name": f"各{UNIT_LABEL[level][:1]}基地数和入驻企业数"})
        most = max((r["bases"] for r in rows), default=0)
        step = max(1, -(-most // 8))
        chart.set_y_axis({"name": "基地数", "major_gridlines": {"visible": True}, "min": 0,
                          "max": step * (-(-most // step) + 1), "major_unit": step, "num_format": "0"})
        line.set_y2_axis({"name": "入驻企业数（户）", "min": 0, "num_format": "0"})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 760, "height": 360})
        ws.insert_chart(last + 2, 1, chart)
    return rows


FIRMS_HEAD_ROW = 2          # 0-based: title, 填报单位 line, then the header
NAME_WIDTH = 30.0           # 所属基地 and 企业名称 wrap beyond 15 Chinese characters
FIRMS_MARGINS = {"left": 0.25, "right": 0.25, "top": 0.5, "bottom": 0.5}
NAME_LINE_CHARS = 4     # the narrowest a name wraps to in 入驻企业: four characters a line
BOOKKEEPING = (sheet_names.FIRMS_FILE, sheet_names.FIRMS_SHEET, sheet_names.FIRMS_ROW)   # on screen, not on paper


def firm_widths(result: MergeResult, fields: list) -> list[float]:
    """Column widths of 入驻企业 from what the columns hold, so the printed columns fit one A4 page wide
    at a readable size (the spec's widths printed 17 columns at about 5 pt). Text is measured where it
    is cheap: bases, cities and counties exactly; firm names by their longest (CJK width); other fields
    by their values list or type. Names longer than NAME_WIDTH wrap (rows without a set height grow
    to fit when Excel or LibreOffice lays them out)."""
    def fit(texts, low: float, high: float) -> float:
        return min(high, max(low, max((display_width(cell_text(t)) for t in texts), default=0) + 1.5))

    bases = result.bases
    widths = [max(4.5, len(str(len(result.firms))) + 2.0), fit((b.name for b in bases), 12, NAME_WIDTH),
              fit((b.city for b in bases), 6, 12), fit((b.county for b in bases), 6, 16)]
    for j, f in enumerate(fields):
        if f.key == FIRM_NAME:
            longest = max((len(v) for v in (r.values[j] for r in result.firms) if type(v) is str), default=0)
            widths.append(min(NAME_WIDTH, max(12.0, 2 * longest + 1.5)))
        elif f.type == "choice" and f.choices:
            widths.append(fit(value_list(f.choices), 6, 16))
        elif f.type == "credit_code":
            widths.append(20.0)
        elif f.type == "date":
            widths.append(11.0)
        elif f.is_numeric:
            widths.append(7.0 if f.type == "integer" else 9.5)
        else:
            widths.append(float(f.width or 10))
    # the base's and the firm's names wrap narrower where the printed columns would print under 7 pt (issue 14:
    # Shanxi's printed at 6.0 pt in LibreOffice)
    names = [1, *(4 + j for j, f in enumerate(fields) if f.key == FIRM_NAME)]
    widths = narrow_to_scale(widths, list(range(len(widths))), names, width_for(NAME_LINE_CHARS) + 0.1,
                             MIN_SCALE + 3, FIRMS_MARGINS)
    return widths + [28.0, 10.0, 7.0]


def write_firms_sheet(wb, styles: Styles, result: MergeResult, *, year: Any = None, unit: str = "",
                      ahead: FirmRowsAhead | None = None) -> BulkRows | None:
    """Every merged 附件3 row with its base and source, filterable, printable as the list an officer files.

    A title and 填报单位 line over the header; on paper A4 landscape one page wide, the header on every
    page, the bookkeeping columns (来源文件, 工作表, 行号) left off the print area.
    Returns the rows still to splice into the closed workbook (bulk_rows), or None when written here.
    `ahead`: the same rows already being rendered by a helper (firm_rows_ahead), used when its style
    indices are this workbook's.
    """
    a3 = get_form(FIRM_FORM)
    fields = list(a3.table_fields)
    ws = wb.add_worksheet(sheet_names.FIRMS)
    heads = _firm_heads(fields)
    widths = firm_widths(result, fields)
    printed = len(heads) - len(BOOKKEEPING) - 1          # the last column on paper
    top = FIRMS_HEAD_ROW
    lines = 1
    for c, (h, width) in enumerate(zip(heads, widths)):
        text = header_label(fields[c - 4], width) if 4 <= c < 4 + len(fields) else balanced_lines(h, width)
        lines = max(lines, lines_needed(text, width))
        ws.set_column(c, c, width)
        ws.write_string(top, c, text, styles.header(c < 4 + len(fields) and (c < 4 or fields[c - 4].official)))
    ws.set_row(top, row_height(lines))
    ws.set_row(0, 26)
    ws.merge_range(0, 0, 0, printed, f"{a3.title_for(year)}（汇总）", styles.title())
    half = max(1, printed // 2)
    ws.set_row(1, 18)
    ws.merge_range(1, 0, 1, half, f"{a3.org_line or ''}{cell_text(unit)}", styles.line())
    ws.merge_range(1, half + 1, 1, printed, a3.unit_line or "", styles.line("right"))
    first = top + 1
    cells = firm_cells(styles, result, fields)
    bulk = None
    if result.firms and _bulk_rows_ok(cells.formats):
        xml = FirmXml(cells)
        done = ahead.result if ahead is not None and ahead.fits(xml, len(result.firms)) else None
        bulk = BulkRows(wb.worksheets().index(ws), first, len(heads), len(result.firms), xml.chunks(result.firms),
                        ahead=done)
    else:
        write = {"s": partial(write_text, ws), "n": ws.write_number, "d": ws.write_datetime, "b": ws.write_blank}
        for i, f in enumerate(result.firms, start=1):
            for c, (kind, v, fm) in enumerate(cells.row(i, f)):
                write[kind](top + i, c, v, fm)
    last = top + max(len(result.firms), 1)
    ws.autofilter(top, 0, last, len(heads) - 1)
    ws.freeze_panes(first, 2)
    ws.set_landscape()
    ws.set_paper(A4)
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.repeat_rows(top)
    ws.set_margins(**FIRMS_MARGINS)
    ws.set_footer(FOOTER)
    ws.print_area(0, 0, top + len(result.firms), printed)
    return bulk


def _firm_heads(fields: list) -> list[str]:
    """The 入驻企业 sheet's column heads: number, base, place, the 附件3 fields, bookkeeping."""
    return ["序号", sheet_names.FIRMS_BASE, "所在市", "所在县（市、区）"] + [f.header_text for f in fields] + list(BOOKKEEPING)


#: fewer merged firms than this are rendered in the command's process: a helper costs ~0.05 s to start,
#: the rows ~8 µs each (a county's few hundred firms never wait for it)
AHEAD_MIN_FIRMS = 10_000


class FirmRowsAhead:
    """The 入驻企业 rows built, rendered and deflated by a helper process (ooxml.row_render) while the
    merge command validates and writes the other sheets; at province scale that is ~0.6 s of one core
    off the command's critical path. The helper gets the firms' values (firm_xml.block_payload) and a
    FirmXml whose formats are the style indices a fresh workbook gives the sheet's formats (they are
    registered before any other cell's: see write_firms_sheet); write_firms_sheet uses its rows only
    if its workbook gave the same ones, else renders them itself."""

    def __init__(self, renderer: RowRenderer, xfs: list[int], nrows: int) -> None:
        self.renderer, self.xfs, self.nrows = renderer, xfs, nrows

    @classmethod
    def start(cls, result: MergeResult) -> FirmRowsAhead | None:
        """Start the helper on `result`'s firm rows; None for a small batch or where no helper can run."""
        if len(result.firms) < AHEAD_MIN_FIRMS:
            return None
        import io
        import xlsxwriter

        fields = list(get_form(FIRM_FORM).table_fields)
        scratch = cell_formats(Styles(xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})), fields)  # never closed
        if not _bulk_rows_ok(scratch.all()):
            return None
        xfs = CellFormats(xf_index(scratch.plain), xf_index(scratch.quoted), xf_index(scratch.keep),
                          xf_index(scratch.date), tuple(map(xf_index, scratch.numbers)))
        xml = FirmXml(_firm_cells(xfs, result, fields), xf_of=int)

        def blocks() -> Iterator[tuple[int, tuple]]:
            row = FIRMS_HEAD_ROW + 2          # 1-based sheet row of the first firm, as BulkRows.blocks counts
            for a in range(0, len(result.firms), FirmXml.CHUNK):
                firms = result.firms[a:a + FirmXml.CHUNK]
                yield row + a, block_payload(firms, a + 1)

        renderer = RowRenderer.start(column_letters(len(_firm_heads(fields))), blocks(), builder=xml)
        return cls(renderer, xml.xfs(), len(result.firms)) if renderer is not None else None

    def fits(self, xml: FirmXml, nrows: int) -> bool:
        """Whether the helper's rows are these: same number of rows, same style indices."""
        return nrows == self.nrows and xml.xfs() == self.xfs

    def result(self) -> Deflated | None:
        return self.renderer.result()

    def close(self) -> None:
        self.renderer.close()


def cell_formats(styles: Styles, fields: list) -> CellFormats:
    """The 入驻企业 cells' formats. Text wraps within its column (a long base or firm name takes a second
    line instead of widening the printed page); the bookkeeping texts (file, sheet) stay on one line."""
    cell = {"border": 1, "valign": "vcenter"}
    return CellFormats(styles.get(text_wrap=True, **cell), styles.get(quote_prefix=True, text_wrap=True, **cell),
                       styles.get(**cell), styles.get(num_format="yyyy-mm-dd", **cell),
                       tuple(styles.get(num_format=num_format(fld), **cell) for fld in fields))


def firm_cells(styles: Styles, result: MergeResult, fields: list) -> FirmCells:
    """The 入驻企业 cells of `result` with this workbook's formats."""
    return _firm_cells(cell_formats(styles, fields), result, fields)


def _firm_cells(formats: CellFormats, result: MergeResult, fields: list) -> FirmCells:
    bases = {b.key: (b.name, b.city, b.county) for b in (*result.bases, *result.firm_only)}  # firms but no row too
    return FirmCells(formats, bases, result.display, [fld.is_numeric for fld in fields])


def _bulk_rows_ok(formats: list) -> bool:
    """Rows as spliced sheet XML (fast), unless XLBASE_XLSXWRITER_ROWS=1 or xlsxwriter hides style indices."""
    return os.environ.get("XLBASE_XLSXWRITER_ROWS") != "1" and all(xf_index(fm) is not None for fm in formats)
