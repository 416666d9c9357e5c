"""Print setup, frozen panes and sheet protection for a template sheet.

A4 landscape, one page wide (as many pages tall as needed), header rows
repeated on every page, page numbers in the footer; the print area holds the
official columns only (our grey columns stay on screen, off the page); sheets
protected without a password so locked labels and formulas stay put while
clerks can still resize columns and rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xlsxwriter.worksheet import Worksheet

A4 = 9
A4_LANDSCAPE_PT = (841.89, 595.28)
LAST_ROW = 1_048_575     # a print area of whole columns prints down to the last used row
FOOTER = "&C第 &P 页，共 &N 页"
#: the height of a row without its own (the sheet's defaultRowHeight, as xlsxwriter writes it and Excel, WPS and
#: LibreOffice print a blank row that grows to its text): 15 pt, measured in LibreOffice's PDF
DEFAULT_ROW_PT = 15
#: page margins in inches of the template sheets (and of 校验结果 in marked copies)
MARGINS = {"left": 0.4, "right": 0.4, "top": 0.5, "bottom": 0.6}
#: of a form whose 22 official columns must share one page (附件10/11): every point of width counts
WIDE_MARGINS = {**MARGINS, "left": 0.25, "right": 0.25}
PROTECT_OPTIONS = {
    "format_cells": False,
    "format_columns": True,
    "format_rows": True,
    "autofilter": True,
    "sort": False,
    "select_locked_cells": True,
    "select_unlocked_cells": True,
}


def column_points(width: float) -> float:
    """A column `width` (characters of the default font) in points, as Excel lays it out."""
    return int(width * 7 + 5) * 0.75 if width >= 1 else int(width * 12) * 0.75


def _printable_width_pt(margins: dict[str, float] | None = None) -> float:
    m = margins or MARGINS
    return A4_LANDSCAPE_PT[0] - 72 * (m["left"] + m["right"])


def fits_page_width(widths: list[float]) -> bool:
    """Columns of these widths print one A4 landscape page wide at full size."""
    return sum(column_points(w) for w in widths) <= _printable_width_pt()


def rows_on_first_page(above_pt: float, row_pt: float, widths: list[float],
                       margins: dict[str, float] | None = None) -> int:
    """Rows of `row_pt` that fit A4 landscape's first page under `above_pt` of title and header,
    printed one page wide (fit to width shrinks heights too) within the sheet's `margins`; one row kept
    spare for the tools' rounding."""
    width_pt = sum(column_points(w) for w in widths)
    page_w, page_h = A4_LANDSCAPE_PT
    scale = min(1.0, _printable_width_pt(margins) / width_pt)
    body = page_h - 72 * (MARGINS["top"] + MARGINS["bottom"])
    return max(1, int((body / scale - above_pt) // row_pt) - 1)


#: LibreOffice lays a column out wider than Excel where the workbook's default font (Calibri) is missing (it measures
#: the width unit with a substitute's digit): 9.7 px a unit against Excel's 7, measured from the merged 附件11 printed
#: to PDF — 163.0 units asked over 22 columns at 63 % of A4 landscape's width, 145.7 units at 70 %: both 9.69 px a
#: unit and 5 px a column
SUBSTITUTE_PX_PER_CHAR = 9.7
# Carlito (Debian's fonts-crosextra-carlito, Calibri's metric twin), tried for issue 14 (session 14), does not make
# LibreOffice lay a sheet out as Excel: with it the samples' merged 附件11 printed at ~90 % (its CJK word boxes 1.26x
# those printed without it, at 71.6 %: ~7.5 px a unit, not Excel's 7; column_points puts Excel at 98.4 %), and the
# cells' 宋体 has no metric twin here (fontconfig gives DejaVu Sans, whose digits are ~16 % wider than SimSun's
# half-width ones), so the 注册时间 column, sized for 宋体's digits, printed ### on every row. The print tests keep
# LibreOffice without Carlito (this constant) and the heights stay Excel's: rows look loose in LibreOffice, never
# cut in Excel.
#: the smallest print scale that keeps 10-point text at 7 pt on paper (issue 14)
MIN_SCALE = 70


def column_points_wide(width: float) -> float:
    """A column `width` in points as LibreOffice lays it out without Calibri (SUBSTITUTE_PX_PER_CHAR)."""
    return (width * SUBSTITUTE_PX_PER_CHAR + 5) * 0.75


def print_scale(widths: list[float], margins: dict[str, float] | None = None) -> int:
    """The print scale (percent) at which columns of these widths print one A4 landscape page wide in Excel, WPS
    and LibreOffice alike (at LibreOffice's wider layout, column_points_wide), at most 100: what a sheet with manual
    page breaks sets instead of fit to width, which Excel obeys by ignoring the breaks."""
    m = margins or MARGINS
    room = A4_LANDSCAPE_PT[0] - 72 * (m["left"] + m["right"])
    return max(10, min(100, int(100 * room / sum(column_points_wide(w) for w in widths))))


def narrow_to_scale(widths: list[float], printed: list[int], wrapping: list[int], floor: float, scale: int,
                    margins: dict[str, float] | None = None) -> list[float]:
    """`widths` with the columns that wrap (`wrapping`: indices, names and such) narrowed, the widest first by half a
    character down to `floor`, until the `printed` columns print one page wide at `scale` percent or more
    (print_scale); what cannot reach it stays at the floor. Numbers and dates keep their widths: they cannot wrap."""
    out = list(widths)
    while print_scale([out[i] for i in printed], margins) < scale:
        wide = [i for i in wrapping if out[i] > floor]
        if not wide:
            break
        i = max(wide, key=lambda i: out[i])
        out[i] = max(floor, round(out[i] - 0.5, 1))
    return out


def balanced_breaks(heights: list[float], *, above: float, repeat: float, widths: list[float],
                    scale: int | None = None) -> list[int]:
    """Where to break the pages of a list of rows (`heights` in points, under `above` points of title and header
    on the first page and the `repeat`ed header on the others), printed one page wide: before which of them
    (indices), so that each page holds about as much as the others and the last one never just a row or two.
    The pages are counted at the largest scale the tools may print at (our column widths: LibreOffice lays the
    columns out wider and so shrinks more, fitting more), so each share fits on its page whatever the tool;
    [] when the list fits one page. A manual break comes before the automatic one, which it replaces. `scale`: the
    sheet's print scale (percent; print_scale), which every tool then prints at."""
    width_pt = sum(column_points(w) for w in widths)
    fit = min(1.0, _printable_width_pt() / width_pt) if width_pt else 1.0
    room = (A4_LANDSCAPE_PT[1] - 72 * (MARGINS["top"] + MARGINS["bottom"])) / (scale / 100 if scale else fit)
    pages, used = 1, above
    for h in heights:
        if used + h > room and used > repeat:
            pages, used = pages + 1, repeat
        used += h
    if pages == 1:
        return []
    share = sum(heights) / pages
    breaks: list[int] = []
    done = 0.0
    for i, h in enumerate(heights):
        if done + h / 2 > share * (len(breaks) + 1) and len(breaks) < pages - 1 and i:
            breaks.append(i)
        done += h
    return breaks


def setup_sheet(ws: Worksheet, *, last_row: int, last_col: int, repeat: tuple[int, int] | None = None,
                freeze_row: int | None = None, open_ended: bool = False, protect: bool = True,
                one_page: bool = False, wide: bool = False) -> None:
    """`open_ended`: the print area is whole columns, so rows a clerk adds print and unused ones do not;
    `wide`: narrow side margins (WIDE_MARGINS)."""
    ws.set_paper(A4)
    ws.set_landscape()
    ws.fit_to_pages(1, 1 if one_page else 0)   # a record form is one sheet of paper
    ws.center_horizontally()
    ws.set_margins(**(WIDE_MARGINS if wide else MARGINS))
    ws.set_footer(FOOTER)
    ws.print_area(0, 0, LAST_ROW if open_ended else last_row, last_col)
    if repeat is not None:
        ws.repeat_rows(*repeat)
    if freeze_row is not None:
        ws.freeze_panes(freeze_row, 0)
    if protect:
        ws.protect("", PROTECT_OPTIONS)


def fit_scale(widths: list[float], margins: dict[str, float] | None = None) -> float:
    """The scale (a fraction, at most 1) at which Excel prints columns of these widths one page wide (fit to width)."""
    width_pt = sum(column_points(w) for w in widths)
    return min(1.0, _printable_width_pt(margins) / width_pt) if width_pt else 1.0


def page_starts(heights: list[float], units: list[tuple[int, int]], *, scale: float, repeat: float = 0.0,
                margins: dict[str, float] | None = None) -> tuple[list[int], bool]:
    """How a sheet's printed rows (`heights` in points, from its first row) fall on A4 landscape pages at `scale`
    (a fraction) under `repeat` points of header repeated on every page after the first, when no unit (a table
    inside a form: (first, last) row, its heading and header over its rows) is split across two pages where it fits
    on one: a page breaks before it instead. Returns the rows each page after the first begins with, and whether
    a unit moved to the next page for it (without that the tools' own breaks split none). One row's height
    (DEFAULT_ROW_PT) is kept spare on each page for the tools' rounding."""
    m = margins or MARGINS
    room = (A4_LANDSCAPE_PT[1] - 72 * (m["top"] + m["bottom"])) / scale - DEFAULT_ROW_PT
    ends = dict(units)
    starts: list[int] = []
    moved = False
    used = 0.0
    for r, h in enumerate(heights):
        top = repeat if starts else 0.0
        whole = sum(heights[r:ends[r] + 1]) if r in ends else h
        if used > top and used + whole > room and whole <= room - repeat:
            moved = moved or used + h <= room       # the row itself would have fitted: a break kept the unit whole
            starts.append(r)
            used = repeat
        elif used > top and used + h > room:
            starts.append(r)
            used = repeat
        used += h
    return starts, moved
