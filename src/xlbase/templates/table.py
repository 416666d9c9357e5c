"""A table form (附件3, 附件4's comparables, 附件10, 附件11) on a worksheet.

Title, 填报单位/units line, the two-row grouped header (`Form.header_groups()`:
a field without group is merged over both rows), numbered data rows with
validation, and the total row with SUM formulas. Forms with many template rows
(附件3: one row per resident firm) are "open-ended": a first block of numbered,
ruled rows (what a blank form prints: a table a clerk can fill by hand), then
rows that only carry their input formats, get borders by conditional formatting
once used and print only when used; the 合计 row sits just under the header,
frozen with it, so it stays in sight while the list grows below it. Only the
list's own rows are open to typing (each cell unlocked, the columns locked on the
protected sheet): a row typed below them would be read by `xlbase validate` and
missed by the 表内检查, whose ranges end with the list.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass, field as dc_field
from typing import Callable

from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from ..forms import Form
from ..read.normalise import estimate_of, parse_number
from ..rules.ranges import total_of
from .blocks import LINE_HEIGHT, TITLE_HEIGHT, notes_height
from .printing import DEFAULT_ROW_PT, MARGINS, WIDE_MARGINS, fits_page_width, rows_on_first_page
from .styles import (Styles, header_label, lines_needed, num_format, row_height,
                              width_for)
from .validation import validation_for
from ..cell_text import cell_text
from .values import cached, write_value

OPEN_ENDED_ROWS = 200      # more template rows than this: open-ended layout
NUMBER_WIDTH = 6
DEFAULT_WIDTH = 12
DATA_ROW_HEIGHT = 20

#: A locked cell computed from elsewhere (identity flowing from 附件2): key -> (formula, cached value)
Formula = Callable[[int], tuple[str, object]]


@dataclass
class TableLayout:
    """Where a table form landed on its sheet (0-based rows/columns)."""

    form: Form
    header_top: int
    header_bottom: int
    first_row: int
    n_rows: int
    cols: dict[str, int]
    number_col: int | None
    last_col: int
    total_row: int | None = None
    end_row: int = 0            # the row after everything written
    open_ended: bool = False
    widths: dict[int, float] = dc_field(default_factory=dict)
    ruled_rows: int = 0         # rows numbered and ruled from the start (all of a closed form's)

    @property
    def last_row(self) -> int:
        return self.first_row + self.n_rows - 1

    def column_range(self, key: str, absolute: bool = True) -> str:
        c = self.cols[key]
        return (xl_rowcol_to_cell(self.first_row, c, absolute, absolute) + ":"
                + xl_rowcol_to_cell(self.last_row, c, absolute, absolute))

    def cell(self, key: str, i: int = 0, col_abs: bool = False, row_abs: bool = False) -> str:
        return xl_rowcol_to_cell(self.first_row + i, self.cols[key], row_abs, col_abs)


def column_plan(form: Form) -> tuple[int | None, dict[str, int], int]:
    """Number column (if any), field columns in sheet order, last column."""
    col = 0
    number_col = None
    if form.number_label:
        number_col, col = 0, 1
    cols = {}
    for f in form.table_fields:
        cols[f.key] = col
        col += 1
    return number_col, cols, col - 1


def spread_plan(form: Form, across: int) -> tuple[dict[str, int], dict[int, int], int] | None:
    """A table inside a form (衡阳's 合作服务机构情况, 3 columns, under the 申请表's grid of 7): its printed columns
    (序号 and the official ones) spread over the form's `across` columns as the paper form's table spans its
    width, each field merged over a share of them in proportion to its model width (one at least; 序号 one); our
    columns after them, one each. (field -> its first column, a span's first column -> its last, the last column);
    None where the table is as wide as the form already."""
    number_col, cols, _ = column_plan(form)
    printed_to = printed_last_col(form)
    printed = [f for f in form.table_fields if cols[f.key] <= printed_to]
    extra = across - len(printed) - (number_col is not None)
    if extra <= 0 or not printed:
        return None
    weights = [f.width or DEFAULT_WIDTH for f in printed]
    shares = [extra * w / sum(weights) for w in weights]
    more = [int(x) for x in shares]
    for i in sorted(range(len(printed)), key=lambda i: more[i] - shares[i])[:extra - sum(more)]:
        more[i] += 1            # the largest remainders take what is left
    out: dict[str, int] = {}
    spans: dict[int, int] = {}
    col = 1 if number_col is not None else 0
    for f, m in zip(printed, more):
        out[f.key], spans[col] = col, col + m
        col += m + 1
    for f in form.table_fields:
        if f.key not in out:
            out[f.key] = col
            col += 1
    return out, spans, col - 1


def printed_last_col(form: Form) -> int:
    """The last column on paper: 序号 and the official columns (ours come after them)."""
    number_col, cols, last = column_plan(form)
    official = [cols[f.key] for f in form.official_table_fields]
    return max(official) if official else (number_col if number_col is not None else last)


def printed_sizes(form: Form) -> dict[str, float]:
    """Column widths (field key; "" the 序号 column) of a form too wide for the page at the model's
    widths (附件10/11, 21 official columns): each as narrow as its header allows (three characters a
    line, the unit on a line of its own; two for a 是/否 answer), dates as wide as a date, names four
    characters a line and
    wrapping, so the paper form prints one page wide at a legible size; {} when the model's widths fit."""
    number_col, cols, _ = column_plan(form)
    printed = printed_last_col(form)
    model = [f.width or DEFAULT_WIDTH for f in form.table_fields if cols[f.key] <= printed]
    if fits_page_width(model + ([NUMBER_WIDTH] if number_col is not None else [])):
        return {}
    out: dict[str, float] = {"": NARROW_NUMBER_WIDTH}
    for f in form.table_fields:
        if not f.official:
            out[f.key] = f.width or DEFAULT_WIDTH          # on screen only
        elif f.type in UNBROKEN_CHARS:      # a date, a phone, a credit code: no place to break it, as wide as it is
            out[f.key] = content_width(UNBROKEN_CHARS[f.type])
        elif f.type == "text":      # a short text (a person's name: 法人代表, 联系人) three characters a line
            out[f.key] = width_for(HEADER_CHARS if (f.width or DEFAULT_WIDTH) <= SHORT_TEXT_WIDTH else NAME_CHARS)
        elif f.type == "yesno":
            out[f.key] = width_for(ANSWER_HEADER_CHARS)
        else:
            out[f.key] = width_for(max(HEADER_CHARS, len(f.unit) + 2 if f.unit else 0))
    return out


HEADER_CHARS = 3       # full-width characters a header line of a narrow column holds
ANSWER_HEADER_CHARS = 2  # a 是/否 column holds one character: its header goes two a line
NAME_CHARS = 4         # a name column of a wide form: names wrap at four characters a line
SHORT_TEXT_WIDTH = 9   # a text column the model gives at most this width holds a short text (a person's name)
DATE_WIDTH = 9.5       # "2019-03-15" in the 10-point body font
#: the longest value of a type written without a place to break a line (half-width characters): a date
#: "2019-03-15", a phone "0351-12345678" (a mobile has 11 digits), a 统一社会信用代码 of 18 characters. A column
#: narrowed like a number broke 太原's 联系电话 over three lines.
UNBROKEN_CHARS = {"date": 10, "phone": 13, "credit_code": 18}


def content_width(chars: int) -> float:
    """The column width a value of `chars` half-width characters takes in the 10-point body font, whole on one
    line (a digit of it is 0.95 of the width unit: DATE_WIDTH for ten)."""
    return round(chars * DATE_WIDTH / UNBROKEN_CHARS["date"], 1)
NARROW_NUMBER_WIDTH = 3  # 序号 up to 99, its label one character a line


def first_page_fit(form: Form, sizes: dict[str, float], above: int, *, notes: bool = False
                   ) -> Callable[[float, float], int]:
    """write_table's ruled_rows for a list that opens its sheet: how many rows fill its first printed page under
    `above` rows of title (the first) and lines, its header and 合计 (the heights write_table gives) and, with
    `notes`, the form's notes written under it."""
    number_col, cols, _ = column_plan(form)
    printed = printed_last_col(form)
    widths = [sizes.get("", NUMBER_WIDTH) if c == number_col else 0 for c in range(printed + 1)]
    for f in form.table_fields:
        if cols[f.key] <= printed:
            widths[cols[f.key]] = sizes.get(f.key) or f.width or DEFAULT_WIDTH
    under = notes_height(form, sum(widths)) if notes else 0

    def fit(header_pt: float, row_pt: float) -> int:
        return rows_on_first_page(TITLE_HEIGHT + LINE_HEIGHT * (above - 1) + header_pt + under, row_pt, widths,
                                  WIDE_MARGINS if sizes else MARGINS)   # narrowed forms print with narrow margins
    return fit


def blank_row_lines(form: Form, sizes: dict[str, float]) -> int:
    """Lines a blank input row is tall: what the form's printed sample name needs in its column."""
    if not form.sample_row:
        return 1
    first_text = next((f for f in form.table_fields if f.type == "text"), None)
    if first_text is None:
        return 1
    return lines_needed(form.sample_row, sizes.get(first_text.key) or first_text.width or DEFAULT_WIDTH)


def set_widths(ws: Worksheet, form: Form, number_col: int | None, cols: dict[str, int],
               sizes: dict[str, float] | None = None) -> dict[int, float]:
    """Column widths from the model, or `sizes` (field key, and "" for the 序号 column)."""
    sizes = sizes or {}
    widths = {}
    if number_col is not None:
        widths[number_col] = sizes.get("", NUMBER_WIDTH)
        ws.set_column(number_col, number_col, widths[number_col])
    for f in form.table_fields:
        c = cols[f.key]
        widths[c] = sizes.get(f.key) or f.width or DEFAULT_WIDTH
        ws.set_column(c, c, widths[c])
    return widths


def open_formats(form: Form, layout: TableLayout, styles: Styles) -> dict[int, object]:
    """An open-ended list's unruled rows, per column: unlocked (our merge-only columns aside), the column's
    input format, no border until used (_border_used_rows). Written cell by cell on the list's rows only —
    a column format would open every row of the sheet to typing, below the reach of the checks."""
    out: dict[int, object] = {}
    if layout.number_col is not None:
        out[layout.number_col] = styles.get(locked=False, align="center")
    for f in form.table_fields:
        out[layout.cols[f.key]] = styles.get(locked=f.merge_only, num_format=num_format(f), text_wrap=True)
    return out


def write_header(ws: Worksheet, form: Form, top: int, number_col: int | None, cols: dict[str, int],
                 widths: dict[int, float], styles: Styles) -> int:
    """The grouped header from `Form.header_groups()`; returns its bottom row."""
    return _write_header(ws, form, top, number_col, cols, widths, styles)[0]


def _write_header(ws: Worksheet, form: Form, top: int, number_col: int | None, cols: dict[str, int],
                  widths: dict[int, float], styles: Styles, spans: dict[int, int] | None = None) -> tuple[int, float]:
    """write_header, also giving the header's height in points; `spans`: a column's last (spread_plan)."""
    end = spans or {}
    two = form.has_group_row
    bottom = top + 1 if two else top
    lines = {top: 1, bottom: 1}

    def put(r0: int, r1: int, c0: int, c1: int, text: str, fmt) -> None:
        if r0 == r1 and c0 == c1:
            ws.write_string(r0, c0, text, fmt)
        else:
            ws.merge_range(r0, c0, r1, c1, text, fmt)
        width = sum(widths.get(c, DEFAULT_WIDTH) for c in range(c0, c1 + 1))
        need = lines_needed(text, width)
        if r0 == r1:
            lines[r0] = max(lines[r0], need)
        else:
            lines[r1] = max(lines[r1], need - lines[r0])

    if number_col is not None:
        put(top, bottom, number_col, number_col, form.number_label or "", styles.header(form.number_official))
    for group, fields in form.header_groups():
        official = all(f.official for f in fields)
        if group is None:
            for f in fields:
                c = cols[f.key]
                put(top, bottom, c, end.get(c, c), header_label(f, widths.get(c)), styles.header(f.official))
        else:
            c0, c1 = cols[fields[0].key], cols[fields[-1].key]
            put(top, top, c0, end.get(c1, c1), group, styles.header(official))
            for f in fields:
                c = cols[f.key]
                put(bottom, bottom, c, end.get(c, c), header_label(f, widths.get(c)), styles.header(f.official))
    heights = {r: row_height(max(n, 1)) for r, n in lines.items()}
    for r, h in heights.items():
        ws.set_row(r, h)
    return bottom, sum(heights.values())


def write_table(ws: Worksheet, form: Form, styles: Styles, *, top: int,
                rows: list[dict] | None = None, n_rows: int | None = None,
                formulas: dict[str, Formula] | None = None,
                number_rows: bool = True, ruled_rows: int | Callable[[float, float], int] = 0,
                sizes: dict[str, float] | None = None, row_lines: int = 1, total: bool = True,
                open_ended: bool | None = None, incomplete: Set[str] = frozenset(),
                fill_page: bool = False, across: tuple[int, float] | None = None) -> TableLayout:
    """Header at `top`, then data rows (values keyed by field key), then the total row.

    `formulas` makes a column a locked computed cell (identity from 附件2).
    `ruled_rows`: of an open-ended form, how many rows are numbered and ruled before any is
    used (at least the rows given); a callable gets the header's (and 合计 row's) height and a
    row's height in points and says how many. `sizes`: column widths instead of the model's
    (see set_widths); `row_lines`: text lines a blank input row is tall; `total`: False leaves the 合计 row
    to the caller (write_total_row: a total no printed column shows goes under the notes, off the page);
    `open_ended`: the layout above for a list of any length (None: for lists longer than OPEN_ENDED_ROWS);
    `incomplete`: the columns whose 合计 lacks some rows' figures (a merged 汇总表), marked *; `fill_page`: a list
    shorter than its first page gets the rows that fill it (ruled_rows' count; 衡阳's 人员名单 has 12 in the model);
    `across` (columns, the width of each): a table inside a form spread over the form's columns (spread_plan: a
    field's header and cells merged over its span; the caller sets the columns' widths).
    Returns the layout; validation is applied here too.
    """
    rows = rows or []
    formulas = formulas or {}
    n = n_rows if n_rows is not None else max(len(rows), form.template_rows)
    asked = bool(open_ended)      # a list the caller made open-ended (a programme's) keeps its rows' autofit
    open_ended = form.template_rows > OPEN_ENDED_ROWS if open_ended is None else open_ended
    number_col, cols, last_col = column_plan(form)
    plan = spread_plan(form, across[0]) if across else None
    spans: dict[int, int] = {}
    if plan is not None and across is not None:
        cols, spans, last_col = plan
        # a span's width on its first column (the interior ones 0: a header's width sums its columns)
        inside = {c for c0, c1 in spans.items() for c in range(c0 + 1, c1 + 1)}
        widths = {c: 0.0 if c in inside else (spans.get(c, c) - c + 1) * across[1] for c in range(last_col + 1)}
    else:
        widths = set_widths(ws, form, number_col, cols, sizes)
    blank_height = max(DATA_ROW_HEIGHT, row_height(row_lines))
    # a list of names that wrap (附件11): blank rows keep no height of their own, so Excel, WPS and
    # LibreOffice grow each to the name typed into it
    autofit = row_lines > 1 and n > 1 and (not open_ended or asked)
    bottom, header_pt = _write_header(ws, form, top, number_col, cols, widths, styles, spans)
    total_row = None
    first = bottom + 1
    if form.total_label and open_ended and total:
        total_row, first = first, first + 1
    if callable(ruled_rows):    # as many as fit the first page under the header and 合计 row
        # at the height a blank row prints: the sheet's default where rows grow to their text (autofit), else its own
        # (the two-line height of a filled name left 11 ruled rows on half of 太原's blank 设备清单 page)
        printed = DEFAULT_ROW_PT if autofit else blank_height
        on_page = total_row is not None or bool(form.total_label and total)     # the 合计, above or under the rows
        ruled_rows = ruled_rows(header_pt + (DATA_ROW_HEIGHT if on_page else 0), printed)
        if fill_page:
            n = max(n, ruled_rows)
    ruled = min(n, max(len(rows), ruled_rows)) if open_ended else n
    layout = TableLayout(form, top, bottom, first, n, cols, number_col, last_col,
                         open_ended=open_ended, widths=widths, ruled_rows=ruled)
    unruled = open_formats(form, layout, styles) if open_ended else {}

    for i in range(n):
        r = first + i
        values = rows[i] if i < len(rows) else {}
        if i >= ruled and not values and not formulas:
            for c, fmt in unruled.items():      # an open-ended form's rows past the ruled block
                ws.write_blank(r, c, None, fmt)
            continue
        if values:
            ws.set_row(r, max(blank_height, row_height(_lines(form, values, widths, cols))))
        elif not autofit and (not open_ended or i < ruled):
            ws.set_row(r, blank_height)
        if number_col is not None:
            if number_rows:
                ws.write_number(r, number_col, i + 1, styles.get(border=1, align="center",
                                                                 locked=not open_ended))
            else:
                ws.write_blank(r, number_col, None, styles.get(border=1, locked=False, align="center"))
        for f in form.table_fields:
            c = cols[f.key]
            if c in spans:      # the field's cells merged over its span, the value in the first
                ws.merge_range(r, c, r, spans[c], "", styles.input(f))
            if f.key in formulas:
                formula, value = formulas[f.key](r)
                ws.write_formula(r, c, formula, styles.formula(f), cached(value))
            else:
                write_value(ws, r, c, f, values.get(f.key), styles)
    _validate_columns(ws, form, layout, formulas)
    if open_ended:
        _border_used_rows(ws, layout, styles)
    if form.total_label and (total or total_row is not None):
        if total_row is None:
            total_row = first + n
        layout.total_row = total_row
        _write_total(ws, form, layout, total_row, rows, styles, incomplete)
    layout.end_row = max(first + n, (total_row or 0) + 1)
    return layout


def total_printed(form: Form) -> bool:
    """Whether the form's 合计 line goes on paper: it totals a printed column (an official number). 衡阳's
    推荐汇总表 prints five text columns; its 合计 sums only our own columns, which stay on screen."""
    return bool(form.total_label) and any(f.official and f.is_numeric for f in form.table_fields)


def write_total_row(ws: Worksheet, layout: TableLayout, r: int, rows: list[dict], styles: Styles,
                    incomplete: Set[str] = frozenset()) -> int:
    """The 合计 row of a table written with total=False, at row `r` (below its notes); the row after it."""
    layout.total_row = r
    _write_total(ws, layout.form, layout, r, rows, styles, incomplete)
    return r + 1


def _lines(form: Form, values: dict, widths: dict[int, float], cols: dict[str, int]) -> int:
    """Wrapped lines the row's longest text needs in its column (a filled copy's row height)."""
    return max((lines_needed(cell_text(v), widths[cols[f.key]]) for f in form.table_fields
                if isinstance(v := values.get(f.key), str) and v), default=1)


def _validate_columns(ws: Worksheet, form: Form, layout: TableLayout, formulas: dict) -> None:
    if layout.n_rows == 0:
        return
    city_key = next((f.key for f in form.table_fields if f.choices == "city"), None)
    for f in form.table_fields:
        if f.key in formulas:
            continue
        city_cell = layout.cell(city_key, 0, col_abs=True) if city_key else None
        opts = validation_for(f, layout.cell(f.key, 0), city_cell=city_cell)
        if opts is None:
            continue
        c = layout.cols[f.key]
        ws.data_validation(layout.first_row, c, layout.last_row, c, opts)
    if layout.number_col is not None and layout.open_ended:
        ws.data_validation(layout.first_row, layout.number_col, layout.last_row, layout.number_col,
                           {"validate": "integer", "criteria": ">=", "value": 1, "ignore_blank": True,
                            "input_title": form.number_label, "input_message": f"{form.number_label}：1、2、3……",
                            "error_title": f"{form.number_label}填写有误",
                            "error_message": f"{form.number_label}应为从1开始的整数。"})


def _border_used_rows(ws: Worksheet, layout: TableLayout, styles: Styles) -> None:
    """Rows past the ruled block get their borders once something is typed in them."""
    top = layout.first_row + layout.ruled_rows
    if top > layout.last_row:
        return
    a = xl_col_to_name(0)
    z = xl_col_to_name(layout.last_col)
    r = top + 1
    ws.conditional_format(top, 0, layout.last_row, layout.last_col, {
        "type": "formula",
        "criteria": f"=COUNTA(${a}{r}:${z}{r})>0",
        "format": styles.cf(border=1),
    })


def _figures(rows: list[dict], f, reads: bool) -> list[float]:
    """The figures a 合计 formula sums: the numbers typed, or (`reads`) every value as validate reads it ("12人" is
    12), as the sheet's reads do (templates.numbers; test_template_numbers_agree)."""
    if reads:
        return [p.value for row in rows if (p := parse_number(row.get(f.key), f)).value is not None]
    return [v for row in rows if isinstance(v := row.get(f.key), (int, float)) and not isinstance(v, bool) and v == v]


def _sum_cached(figures: list[float]) -> float:
    total = float(sum(figures))
    return int(total) if total.is_integer() else total


def _write_total(ws: Worksheet, form: Form, layout: TableLayout, r: int, rows: list[dict],
                 styles: Styles, incomplete: Set[str] = frozenset()) -> None:
    ws.set_row(r, DATA_ROW_HEIGHT)
    label_fmt = styles.get(bold=True, border=1, align="center", locked=True)
    label_col = layout.number_col if layout.number_col is not None else 0
    first_field = form.table_fields[0]
    span_to = label_col
    if layout.number_col is not None and not first_field.is_numeric:
        span_to = layout.cols[first_field.key]
    if span_to > label_col:
        ws.merge_range(r, label_col, r, span_to, form.total_label, label_fmt)
    else:
        ws.write_string(r, label_col, form.total_label, label_fmt)
    for f in form.table_fields:
        c = layout.cols[f.key]
        if c <= span_to:
            continue
        if f.is_numeric:
            write_total_sum(ws, layout, f, layout.column_range(f.key), rows, styles, f.key in incomplete)
        else:
            ws.write_blank(r, c, None, styles.get(border=1, locked=True, bg_color="#F2F2F2"))


def write_total_sum(ws: Worksheet, layout: TableLayout, f, column: str, rows: list[dict], styles: Styles,
                    incomplete: bool = False, reads: bool = False,
                    ranged: tuple[str, dict[str, str]] | None = None) -> None:
    """The 合计 cell of a number column: the sum of `column` (the typed column, or its reads: templates.reads,
    `reads`), blank until a figure is there — a blank form prints a line to write on; its cached result is that sum
    of the pre-filled `rows`, what the formula computes (a suite showing cached results shows it). `incomplete`:
    some rows lack the figure (a merged 汇总表): the sum is marked *. `ranged` (templates.count_totals.column_total:
    whether a row is typed as a range, the total as a range): the total is then that range, in validate's words
    (rules.ranges.Total.describe: "120 至 150", "不少于 120")."""
    assert layout.total_row is not None
    figures = _figures(rows, f, reads)
    formula = f'IF(COUNT({column})=0,"",SUM({column}))'
    cached: object = _sum_cached(figures) if figures else ""
    if ranged is not None:
        some, total = ranged
        lo, hi = f"ROUND({total['lo']},6)", f"ROUND({total['hi']},6)"
        formula = f'IF({some},IF(ISNUMBER({total["hi"]}),{lo}&" 至 "&{hi},"不少于 "&{lo}),{formula})'
        typed = [e for row in rows if (e := estimate_of(row.get(f.key), f)) is not None]
        if typed:
            cached = total_of(figures, typed).describe()
    ws.write_formula(layout.total_row, layout.cols[f.key], "=" + formula,
                     styles.formula(f, bold=True, incomplete=incomplete), cached)
