"""Fillable templates of a generic programme, from its form folder only (workbook.yaml, the specs, the pack).

The same building blocks as Shanxi's templates (templates.*: the paper grid of a record form,
table forms with their 合计 row, validations and prompts from the form model, print setup, the guide
sheet); what goes on which sheet comes from workbook.yaml. Live checks come from the pack: a `min`
rule colours its cell when the value typed is below the threshold, a `share-min` rule when the share is,
and the 表内检查 sheet counts, for every rule one workbook can decide, the problems validate reports
(templates.rule_counts, with the pack's numbers). The .xlsm carries the 校验 buttons of Shanxi's.
"""

from __future__ import annotations

from collections.abc import Set

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from ..forms import Form, value_list
from ..forms.programmes import DEFAULT_NOUN
from ..safe_output import atomic_output
from .blocks import write_lines, write_notes, write_title
from .checks import BAD
from .conditions import formula_format
from .check_sheet import CHECK_SHEET, judged_rules, unjudged_rules, write_check_sheet
from .field_guide import FIELDS_SHEET, write_field_guide
from .guide import COLUMNS as GUIDE_COLUMNS, GUIDE_SHEET, check_notes, filling_notes, merge_notes, write_guide
from .numbers import UNREADABLE_NUMBER_TITLE
from .on_open import computed_on_open
from .lists import ListSheet, list_name
from .printing import (A4_LANDSCAPE_PT, DEFAULT_ROW_PT, FOOTER, MARGINS, MIN_SCALE, fit_scale, page_starts, print_scale,
                       setup_sheet)
from .record import grid_width, write_record_grid
from .reads import read_typed, sum_reads
from .marks import UNREADABLE_TITLE, date_marks, judged_area, number_marks
from .places import Places, range_limits
from .rule_counts import count_formula
from .styles import Styles, lines_needed, row_height
from .table import (TableLayout, first_page_fit, printed_last_col, spread_plan,
                    printed_sizes, total_printed, write_table, write_total_row)

Cells = dict[str, dict[str, Any]]     # form id -> {field key: (row, col)} for records, or its TableLayout
MIXED_WIDTH = 15                      # columns of a sheet holding a record grid and tables
#: a form's last page holding less than this share of a page is avoided by printing a little smaller (_keep_tables_whole)
FEW_LINES = 0.25
TABLE_ROW_LINES = 2                   # a list's blank rows grow to their text (templates.table: autofit)
BAD_FILL = "#FFC7CE"


def applicant_name(programme) -> str:
    return programme.layout("workbook.yaml").get("name") or programme.name


def summary_name(programme) -> str:
    return programme.layout("summary.yaml").get("file_name") or f"{programme.name}_汇总表"


def write_applicant(programme, path: Path, *, values: dict | None = None, pack=None, macros: bool = False,
                    python: str | None = None) -> Cells:
    """The applicant's workbook; `values`: form id -> {key: value} (record) or [row dicts] (table); with
    `pack`, its live checks and 表内检查 sheet; `macros`: an .xlsm with the 校验 buttons (python: the
    python.exe they run). Returns where every record field and table landed."""
    layout = programme.layout("workbook.yaml")
    values = values or {}
    cells: Cells = {}
    prefilled: set[tuple[str, str]] = set()
    where: dict[str, str] = {}
    with atomic_output(path, suffix=".tmp" + path.suffix) as tmp:
        wb = xlsxwriter.Workbook(str(tmp))
        styles = Styles(wb)
        forms_used: list[Form] = []
        for sheet in layout.get("sheets") or []:
            form = programme.form(sheet["form"])
            ws = wb.add_worksheet(sheet.get("sheet") or form.sheet)
            blocks = sheet.get("blocks") or [{"table" if form.kind == "table" else "record": form.id}]
            _sheet(ws, programme, form, blocks, styles, values, cells)
            # the columns the layout fills itself (a by-year table's years): typing starts elsewhere
            prefilled |= {(b["table"], key) for b in blocks if "table" in b and not values.get(b["table"])
                          for row in b.get("rows") or [] for key in row}
            forms_used += [programme.form(b.get("record") or b.get("table")) for b in blocks if "heading" not in b]
            where.update((b.get("record") or b.get("table"), ws.name) for b in blocks if "heading" not in b)
        lists = _lists(wb, styles, forms_used)
        unique = list({f.id: f for f in forms_used}.values())
        _guide_and_checks(wb, styles, lists, unique, cells, where, pack, list(layout.get("guide") or []),
                          prefilled=prefilled, macros=macros, python=python, noun=programme.noun,
                          rows={fid: v for fid, v in values.items() if isinstance(v, list)})
        if values:      # its reads and checks computed on opening, not the blank form's (templates.on_open)
            computed_on_open(wb, {CHECK_SHEET})
        wb.close()
    return cells


def _guide_and_checks(wb, styles: Styles, lists: ListSheet, forms: list[Form], cells: Cells, where: dict[str, str],
                      pack, notes: list[str], *, prefilled: set[tuple[str, str]], macros: bool,
                      python: str | None, rules: list | None = None, rows: dict[str, list] | None = None,
                      noun: str = DEFAULT_NOUN) -> None:
    """The 填表说明, 表格说明 and 表内检查 sheets of a programme's workbook — the applicant's, and the blank 汇总表
    (`rules`: the pack's rules on its form) — with the pack's live checks, and the .xlsm's 校验 buttons.
    `cells`/`where`: where each form landed (form id -> its record cells or {"layout": …}; -> its sheet);
    `noun`: the programme's word for what one application is about (基地, 平台)."""
    guide = wb.add_worksheet(GUIDE_SHEET)
    fields = wb.add_worksheet(FIELDS_SHEET)
    last = write_field_guide(fields, styles, forms, [], title=FIELDS_SHEET)
    setup_sheet(fields, last_row=last, last_col=4)
    judged: list = []
    rest: list = []
    marked: list[str] = []
    limits: dict[str, int] = {}
    if pack is not None:
        places = Places(lists=lists, as_of=pack.as_of, prefilled=prefilled, count_empty_lists=True)
        for form_id, got in cells.items():
            if "layout" in got:
                places.tables[form_id] = (where[form_id], got["layout"])
            else:
                places.cells[form_id] = {k: f"'{where[form_id]}'!{xl_rowcol_to_cell(r, c, True, True)}"
                                         for k, (r, c) in got.items()}
        read_typed(wb, lists, places, {f.id: f for f in forms})     # dates and numbers as validate reads them
        limits = range_limits(places)
        marked += _live_checks(wb, styles, pack, places, where)
        sum_reads({fid: wb.get_worksheet_by_name(where[fid]) for fid in places.tables}, places, rows or {}, styles)
        for title, marks in ((UNREADABLE_TITLE, date_marks(places)), (UNREADABLE_NUMBER_TITLE, number_marks(places))):
            for m in marks:
                formula_format(wb, wb.get_worksheet_by_name(where[m.form_id]), m.area, m.condition,
                               styles.cf(**BAD))
            marked += [title] if marks else []
        write_check_sheet(wb.add_worksheet(CHECK_SHEET), styles, places, pack, rules=rules, who="上级", noun=noun)
        wanted = None if rules is None else {r.id for r in rules}
        judged = [r for r, _ in judged_rules(pack, places) if wanted is None or r.id in wanted]
        rest = [r for r in unjudged_rules(pack, places) if wanted is None or r.id in wanted]
    ruled = {fid: got["layout"].ruled_rows for fid, got in cells.items()       # lists ruled on their first page
             if "layout" in got and got["layout"].open_ended}
    sections = [
        ("一、怎样填写", [*filling_notes(forms, identity_form=None, ruled=ruled, record_ours=True,
                                      rows={fid: cells[fid]["layout"].n_rows for fid in ruled},
                                      range_limits=limits), *notes,
                     f"每个栏目的单位、是否必填和填写说明见“{FIELDS_SHEET}”表（选中单元格时也会显示）。"]),
        ("二、表内检查", check_notes(pack, judged, CHECK_SHEET, _mark_notes(marked), "上级") if pack is not None else []),
        ("三、由上级汇总时检查", merge_notes(rest, "上级", noun, firms_across=False) if pack is not None else []),
    ]
    last = write_guide(guide, styles, sections)
    setup_sheet(guide, last_row=last, last_col=GUIDE_COLUMNS - 1, one_page=True)
    if macros:      # pyOpenVBA loads only for the .xlsm
        from .vba import add_validate_buttons
        add_validate_buttons(wb, guide, python)


def _sheet(ws, programme, form: Form, blocks: list[dict], styles: Styles, values: dict, cells: Cells) -> None:
    mixed = any("record" in b for b in blocks)
    # the page holds 序号 and the official columns; ours stay on screen after them (as Shanxi's forms)
    width = grid_width(form) if form.kind == "record" else printed_last_col(form) + 1
    for b in blocks:
        if "table" in b:
            width = max(width, printed_last_col(programme.form(b["table"])) + 1)
    last = width - 1
    r = write_title(ws, 0, last, form.title, styles)
    r = write_lines(ws, r, last, form, styles)
    top_of_data = r
    rows_done = 0
    opens = blocks[0]
    if _ruled_list(programme, opens):
        # a list ruled on its first page only (太原's 服务企业名单, 100 rows) prints its later rows only once typed:
        # a record line written under all its rows (上一年度共服务企业) printed alone on a page of its own, under the
        # repeated header, blank or filled. It goes above the list's header, on the list's first page.
        blocks = [b for b in blocks if "record" in b] + [b for b in blocks if "record" not in b]
    repeat = None
    wide = False
    ours: dict[str, tuple[Form, list]] = {}   # record lines holding only our own fields: below the printed form
    late_totals: list[tuple[TableLayout, list]] = []
    footer, paper_end = "", None
    units: list[tuple[int, int]] = []   # tables inside the form (from the heading line above them): never split
    heading = None
    for b in blocks:
        if "heading" in b:      # the paper's section line (二、运营管理情况（单位：万元）), across the page
            ws.merge_range(r, 0, r, last, b["heading"], styles.get(bold=True, border=1, valign="vcenter"))
            ws.set_row(r, row_height(lines_needed(b["heading"], width * MIXED_WIDTH)))
            heading = r
            r += 1
            continue
        if "record" in b:
            rec = programme.form(b["record"])
            upto = b.get("upto")
            rows = list(rec.rows)[rows_done:]
            if upto:
                end = next(i for i, row in enumerate(rows) if upto in (row["fields"] if isinstance(row, dict) else row))
                rows = rows[:end + 1]
            rows_done += len(rows)
            paper = [row for row in rows if not _ours_only(rec, row)]
            ours.setdefault(rec.id, (rec, []))[1].extend(row for row in rows if _ours_only(rec, row))
            if paper:
                got, r = write_record_grid(ws, replace(rec, rows=tuple(paper)), styles, top=r, width=width,
                                           values=values.get(rec.id) or {})
                cells.setdefault(rec.id, {}).update(got)
        else:
            tab = programme.form(b["table"])
            given = values.get(tab.id) or b.get("rows") or []
            sizes = printed_sizes(tab) if not mixed else {}
            wide = wide or bool(sizes)
            # rows keep no height of their own: each grows to what is typed (a name wraps in its column)
            on_paper = mixed or total_printed(tab)
            # a list opening its sheet (太原's 服务企业名单, 100 rows; 衡阳's 入驻企业名单, 30 rows + 合计): its first
            # page ruled and numbered — as many rows as fill it, more than the model's when they are fewer — under
            # its 合计 (frozen under the header, as 附件3's), the rows after it ruled once typed: a blank list
            # prints one full page, a filled one its rows, not 100 blank ones
            ruled = first_page_fit(tab, sizes, r) if _ruled_list(programme, b) and b is opens else None
            # a table inside a form spread over its width (spread_plan): its wide cells hold a line of text
            spread = mixed and spread_plan(tab, width) is not None
            lay = write_table(ws, tab, styles, top=r, rows=list(given), n_rows=max(len(given), tab.template_rows),
                              sizes=sizes, row_lines=1 if spread else TABLE_ROW_LINES, total=on_paper,
                              open_ended=bool(ruled) or None, ruled_rows=ruled or 0, fill_page=bool(ruled),
                              across=(width, MIXED_WIDTH) if mixed else None)
            cells[tab.id] = {"layout": lay}
            if not mixed or b is opens:     # a list that opens its sheet: its header on every page
                repeat = (lay.header_top, lay.header_bottom)
            else:
                units.append((lay.header_top if heading is None else heading, lay.end_row - 1))
            r = lay.end_row
            if not mixed and ruled and tab.notes:
                # an open-ended list's notes (人员名单's 备注：不少于12人) print in the page footer, under the rows
                # typed: written under all its rows they printed alone on a page of their own (the blank rows
                # between print nothing); on screen they stay under the list
                footer = "；".join(tab.notes)
                paper_end = r
            if not mixed:
                r = write_notes(ws, r, last, tab, styles, sum(lay.widths.values()))
            if tab.total_label and not on_paper:    # a 合计 of our columns only: under the notes, off the page
                late_totals.append((lay, list(given)))
        heading = None
    printed = paper_end if paper_end is not None else r
    for lay, given in late_totals:
        r = write_total_row(ws, lay, r + 1, given, styles)
    if any(rows for _, rows in ours.values()):     # on screen under the form, off the page (as our columns)
        r += 1
        ws.merge_range(r, 0, r, last, OURS_LINES, styles.note())
        ws.set_row(r, row_height(lines_needed(OURS_LINES, (last + 1) * MIXED_WIDTH)))
        r += 1
        for rec, rows in ours.values():
            if rows:
                got, r = write_record_grid(ws, replace(rec, rows=tuple(rows)), styles, top=r, width=width,
                                           values=values.get(rec.id) or {})
                cells.setdefault(rec.id, {}).update(got)
    if mixed:
        ws.set_column(0, last, MIXED_WIDTH)
    setup_sheet(ws, last_row=max(printed - 1, top_of_data), last_col=last, repeat=repeat, one_page=False, wide=wide)
    if units:
        _keep_tables_whole(ws, units, printed, [MIXED_WIDTH] * width, repeat)
    if footer:
        ws.set_footer("&L" + footer.replace("&", "&&") + FOOTER)


def _keep_tables_whole(ws, units: list[tuple[int, int]], printed: int, widths: list[float],
                       repeat: tuple[int, int] | None) -> None:
    """A table inside a form (衡阳's 合作服务机构情况 under the 申请表's lines) printed with its header on one page
    and its rows on the next: where the tools' own page breaks (fit to width, at Excel's scale or LibreOffice's
    wider layout) would split one, the sheet prints at an explicit scale with a page break before each page, the
    table starting a page (Excel ignores manual breaks on a sheet set to fit to page: printing.print_scale)."""
    # xlsxwriter keeps a row's height in pixels (4/3 of a point); a row without one prints DEFAULT_ROW_PT
    heights = [0.75 * ws.row_sizes[r][0] if r in ws.row_sizes else DEFAULT_ROW_PT for r in range(printed)]
    above = sum(heights[repeat[0]:repeat[1] + 1]) if repeat else 0.0
    scale = print_scale(widths)
    if not any(page_starts(heights, units, scale=s, repeat=above)[1] for s in (fit_scale(widths), scale / 100)):
        return
    starts, _ = page_starts(heights, units, scale=scale / 100, repeat=above)
    # a last page holding a few lines (衡阳 申请表's 优惠政策 line alone under the tables moved whole): the largest scale,
    # down to MIN_SCALE (7-point text), at which the form takes a page fewer, its tables still whole
    body = A4_LANDSCAPE_PT[1] - 72 * (MARGINS["top"] + MARGINS["bottom"])
    if starts and sum(heights[starts[-1]:]) < FEW_LINES * body / (scale / 100):
        for smaller in range(scale - 1, MIN_SCALE - 1, -1):
            fewer, _ = page_starts(heights, units, scale=smaller / 100, repeat=above)
            if len(fewer) < len(starts):
                scale, starts = smaller, fewer
                break
    ws.set_print_scale(scale)
    ws.set_h_pagebreaks(starts)


def _ruled_list(programme, block: dict) -> bool:
    """Whether a sheet's first block is a list a clerk extends (a table without pre-filled rows, whatever its
    length, with or without a 合计 on paper): its first printed page is ruled and numbered
    (table.first_page_fit), the rows after it once typed."""
    if "table" not in block or block.get("rows"):
        return False
    return total_printed(tab := programme.form(block["table"])) or not tab.total_label


#: the line above a record form's lines of our own, written under the printed form
OURS_LINES = "以下栏目不在官方表格中（灰色），供 xlbase 校验和汇总使用，请一并填写；打印时不出现。"


def _ours_only(form: Form, row) -> bool:
    """A paper row of a record form (Form.rows) holding only fields of our own (official: false)."""
    keys = row["fields"] if isinstance(row, dict) else row
    return all(not form.field(k).official for k in keys)


def _lists(wb, styles: Styles, forms: list[Form]) -> ListSheet:
    """The hidden sheet of the dropdowns' value lists (the 表内检查 formulas add theirs to it)."""
    names = sorted({f.choices for form in forms for f in form.fields if f.choices and f.type in ("choice", "yesno")})
    lists = ListSheet(wb, styles)
    for name in names:
        lists.add(list_name(name), name, list(value_list(name)))
    return lists


def _mark_notes(marked: list[str]) -> list[str]:
    """What the red fill on the forms means, for the 填表说明: the rules whose mark shows on the cell typed."""
    return [f"红色底纹：不符合“{'”“'.join(dict.fromkeys(marked))}”，输入时就会变色。"] if marked else []


def _live_checks(wb, styles: Styles, pack, places: Places, where: dict[str, str]) -> list[str]:
    """Colour a value as it is typed when the pack's `min` / `share-min` rule would reject it, on the cell validate
    points at: a record's cell, or of a by-year list (`row: last`) the row of the latest year, whatever the order
    the years were typed in (places.Places.at_row) — the condition is the rule's own 表内检查 count, so the mark
    and the count judge the same value, read as validate reads it. Returns the titles of the rules so marked."""
    from .check_sheet import title
    bad = styles.cf(bg_color=BAD_FILL, font_color="#9C0006")
    marked = []
    for rule in pack.rules:
        if rule.kind not in ("min", "share-min") or rule.form not in where:
            continue
        area = judged_area(rule, places)
        count = count_formula(rule, places)
        if area is None or count is None:
            continue
        cells, latest = area
        condition = f"({count})>0" if latest is None else f"AND({latest},({count})>0)"
        formula_format(wb, wb.get_worksheet_by_name(where[rule.form]), cells, condition, bad)
        marked.append(title(rule))
    return marked


def write_summary_template(programme, path: Path, *, rows: list[dict] | None = None, unit: str = "",
                           year: Any = None, pack=None, macros: bool = False, python: str | None = None) -> TableLayout:
    """The blank (or filled) 汇总表 form a reporting unit sends: title, 填报单位, table with 合计, notes; with
    `pack`, the 填表说明 and the 表内检查 sheet of the pack's rules on the summary form; `macros`: an .xlsm with
    the 校验 buttons on the 填表说明, as Shanxi's 附件11 template."""
    layout = programme.layout("summary.yaml")
    form = programme.form(layout["form"])
    form = replace(form, fields=tuple(f for f in form.fields if not f.merge_only))   # a unit fills no merge column
    with atomic_output(path, suffix=".tmp" + path.suffix) as tmp:
        wb = xlsxwriter.Workbook(str(tmp))
        styles = Styles(wb)
        ws = wb.add_worksheet(form.sheet)
        lay = summary_sheet(ws, form, styles, rows=rows or [], unit=unit)
        lists = _lists(wb, styles, [form])
        if pack is not None or macros:
            _guide_and_checks(wb, styles, lists, [form], {form.id: {"layout": lay}}, {form.id: ws.name}, pack,
                              list(layout.get("guide") or []), prefilled=set(), macros=macros,
                              python=python, rules=[r for r in pack.rules if form.id in (*r.forms, r.form)]
                              if pack is not None else None, rows={form.id: rows or []}, noun=programme.noun)
        if rows:
            computed_on_open(wb, {CHECK_SHEET})
        wb.close()
    return lay


def summary_sheet(ws, form: Form, styles: Styles, *, rows: list[dict], unit: str = "",
                  incomplete: Set[str] = frozenset()) -> TableLayout:
    """The 汇总表 sheet: on paper 序号 and the official columns, narrowed to one legible page width when
    they are many (templates.table.printed_sizes); our columns (所在县, the figures the checks use) on
    screen after them. `incomplete`: columns whose 合计 lacks some rows' figures (marked *)."""
    last = printed_last_col(form)
    sizes = printed_sizes(form)
    r = write_title(ws, 0, last, form.title, styles)
    r = write_lines(ws, r, last, form, styles, unit=unit)
    on_paper = total_printed(form)
    # blank, a list a unit extends (as an applicant's): as many rows ruled as fill the first page under its header,
    # 合计 and notes (衡阳's had 10 on half a page), more than the model's when they are fewer; when they are more
    # (太原's 20 rows + 合计 overran a page at Excel's scale) the 合计 is frozen under the header, the rows past the
    # page ruled once typed, the notes in the page footer. Filled (merge's 汇总表): every row, the 合计 under them.
    lay = write_table(ws, form, styles, top=r, rows=rows, n_rows=len(rows) if rows else form.template_rows,
                      sizes=sizes, total=on_paper, incomplete=incomplete, open_ended=not rows or None,
                      ruled_rows=first_page_fit(form, sizes, r, notes=True), fill_page=not rows)
    width = sum(w for c, w in lay.widths.items() if c <= last)
    footer = lay.open_ended and lay.ruled_rows < lay.n_rows and form.notes
    end = lay.end_row if footer else write_notes(ws, lay.end_row, last, form, styles, width)
    if form.total_label and not on_paper:       # on screen under the notes, off the page
        write_total_row(ws, lay, end + 1, rows, styles, incomplete)
    setup_sheet(ws, last_row=end - 1, last_col=last, repeat=(lay.header_top, lay.header_bottom),
                freeze_row=lay.first_row, wide=bool(sizes))
    if footer:
        ws.set_footer("&L" + "；".join(form.notes).replace("&", "&&") + FOOTER)
    return lay


def templates_for(programme, out_dir: Path, pack=None, python: str | None = None) -> tuple[list[Path], list[str]]:
    """`xlbase templates --programme NAME`: the applicant's workbook and the blank 汇总表 (.xlsx, and .xlsm with
    the 校验 buttons when VBA can be built); (files written, why the .xlsm could not be)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    a = out_dir / f"{applicant_name(programme)}.xlsx"
    s = out_dir / f"{summary_name(programme)}.xlsx"
    write_applicant(programme, a, pack=pack)
    write_summary_template(programme, s, pack=pack)
    made, errors = [a, s], []
    try:
        write_applicant(programme, a.with_suffix(".xlsm"), pack=pack, macros=True, python=python)
        made.insert(1, a.with_suffix(".xlsm"))
        write_summary_template(programme, s.with_suffix(".xlsm"), pack=pack, macros=True, python=python)
        made.append(s.with_suffix(".xlsm"))
    except (ImportError, FileNotFoundError) as exc:   # pyOpenVBA or xlwings' VBA sources missing
        errors.append(f"未能生成含宏的 .xlsm 模板（{exc}）；.xlsx 模板已生成，可用 xlbase mark 校验")
    return made, errors


def today() -> dt.date:
    return dt.date.today()
