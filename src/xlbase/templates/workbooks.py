"""Fillable templates generated from the form model (`xlbase templates -o DIR`).

`write_applicant_workbook` (附件2/3/4/10 + 填表说明 + hidden lists) and
`write_summary_workbook` (附件11) are the one code path for the blank
templates and for pre-filled copies other commands write. Everything shown
comes from `xlbase.forms`; the per-feature writers are template_*.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook

from ..forms import APPLICANT_FORMS, SUMMARY_FORM, Form, get_form
from ..forms.roles import BASE_TYPE
from ..forms.programmes import worded
from ..safe_output import atomic_output
from .blocks import write_lines, write_notes, write_signatures, write_title
from .conditions import formula_format
from .checks import (BAD, add_threshold_tables, mark_below_threshold, mark_mismatch, mark_notes,
                              mismatch_conditions, mismatch_values, table_type_cell, totals,
                              write_check_block)
from .guide import COLUMNS as GUIDE_COLUMNS, GUIDE_SHEET, check_notes, filling_notes, merge_notes, write_guide
from .lists import ListSheet, build_lists
from .on_open import computed_on_open
from .type_reads import TYPE_SHEET, type_cell_reads, type_column_reads
from .printing import setup_sheet
from .record import grid_width, write_record_grid, write_record_head
from .styles import Styles
from .table import (TableLayout, blank_row_lines, column_plan, first_page_fit,
                             printed_last_col, printed_sizes, write_table)
from .check_sheet import CHECK_SHEET, judged_rules, title, unjudged_rules, write_check_sheet
from .numbers import NUMBER_SHEET, UNREADABLE_NUMBER_TITLE
from .row_counts import RowCounts
from .reads import read_typed, sum_reads
from .marks import UNREADABLE_TITLE, cell_marks, date_marks, number_marks
from .count_totals import column_total
from .places import Places, chain_range, range_limits, rows_in_use
from .thresholds import default_year, pack

APPLICANT_NAME = "双创基地申报表"
SUMMARY_NAME = "附件11_基本情况汇总表"
CREATED = dt.datetime(2024, 1, 1)      # fixed: two runs give identical bytes
AUTHOR = "xlbase"
BUTTON_CELL = "A2"


def _workbook(path: Path, title: str) -> Workbook:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                         "strings_to_urls": False})
    wb.set_properties({"title": title, "author": AUTHOR, "company": "", "created": CREATED})
    return wb


def _sheet_ref(form: Form, row: int, col: int) -> str:
    return f"'{form.sheet}'!{xl_rowcol_to_cell(row, col, True, True)}"


def _id_name(identity: str) -> str:
    return f"xl_id_{identity}"


def _identity_formulas(form: Form, base: dict, keys: set[str]) -> dict:
    """Columns of `form` whose value flows from 附件2 through the xl_id_* names."""
    out = {}
    for f in form.table_fields:
        if f.identity and f.identity in keys:
            name = _id_name(f.identity)
            out[f.key] = (lambda r, name=name, key=f.key: (f'=IF({name}="","",{name})', base.get(key)))
    return out


def _finish(wb: Workbook, guide, styles: Styles, macros: bool, python: str | None = None) -> None:
    if macros:
        from . import vba
        vba.add_validate_buttons(wb, guide, python, BUTTON_CELL)


def _build_applicant(wb: Workbook, base: dict, firms: list[dict], comparables: list[dict],
                     year: int, macros: bool, python: str | None = None) -> None:
    styles = Styles(wb)
    forms = {fid: worded(get_form(fid)) for fid in APPLICANT_FORMS}
    sheets = {fid: wb.add_worksheet(forms[fid].sheet) for fid in APPLICANT_FORMS}
    guide = wb.add_worksheet(GUIDE_SHEET)
    check_sheet = wb.add_worksheet(CHECK_SHEET)
    lists = build_lists(wb, styles)
    thresholds = add_threshold_tables(lists)
    a2, a3, a4, a10 = (forms[f] for f in APPLICANT_FORMS)

    # 附件2: the paper grid; identity cells get names the other sheets refer to
    ws = sheets[a2.id]
    width = grid_width(a2)
    r = write_title(ws, 0, width - 1, a2.title_for(year), styles)
    r = write_lines(ws, r, width - 1, a2, styles)
    a2_cells, r = write_record_grid(ws, a2, styles, top=r, width=width, values=base)
    r = write_signatures(ws, r, width - 1, a2, styles, label_cols=1)
    setup_sheet(ws, last_row=r - 1, last_col=width - 1, one_page=True)
    for f in a2.fields:
        if f.identity:
            wb.define_name(_id_name(f.identity), "=" + _sheet_ref(a2, *a2_cells[f.key]))
    identities = {f.identity for f in a2.fields if f.identity}
    type_key = next(f.key for f in a2.fields if f.identity == BASE_TYPE)

    # 附件3: one row per resident firm, 合计 row, check block beside
    ws = sheets[a3.id]
    l3 = _table_sheet(ws, a3, styles, year, rows=firms)
    # 附件10: one row for the base, identity from 附件2
    ws10 = sheets[a10.id]
    l10 = _table_sheet(ws10, a10, styles, year, rows=[base],
                       formulas=_identity_formulas(a10, base, identities), n_rows=max(1, a10.template_rows))


    # 附件4: head about the base, then the comparables
    ws = sheets[a4.id]
    _, _, last = column_plan(a4)
    r = write_title(ws, 0, last, a4.title_for(year), styles)
    r = write_lines(ws, r, last, a4, styles)
    head_formulas = {f.key: (f'=IF({_id_name(f.identity)}="","",{_id_name(f.identity)})', base.get(f.key))
                     for f in a4.record_fields if f.identity in identities}
    head_values = {f.key: base.get(f.key) for f in a4.record_fields}
    a4_cells, r = write_record_head(ws, a4, styles, top=r, last_col=last, values=head_values,
                                    formulas=head_formulas)
    l4 = write_table(ws, a4, styles, top=r, rows=comparables)
    r = write_notes(ws, l4.end_row, last, a4, styles, sum(l4.widths.values()))
    r = write_signatures(ws, r, last, a4, styles, label_cols=2)
    setup_sheet(ws, last_row=r - 1, last_col=last, repeat=(l4.header_top, l4.header_bottom))

    # every rule of the default pack the workbook can judge, counted as validate counts it
    places = Places(lists=lists, tables={a3.id: (a3.sheet, l3), a4.id: (a4.sheet, l4)})
    places.cells[a2.id] = {k: _sheet_ref(a2, r, c) for k, (r, c) in a2_cells.items()}
    places.cells[a4.id] = {k: _sheet_ref(a4, r, c) for k, (r, c) in a4_cells.items()}
    places.cells[a10.id] = {k: _sheet_ref(a10, l10.first_row, c) for k, c in l10.cols.items()}
    places.one_row[a10.id] = (a10.sheet, l10)
    places.computed = {places.cells[a10.id][k] for k in _identity_formulas(a10, base, identities)} | \
                      {places.cells[a4.id][k] for k in head_formulas}
    read_typed(wb, lists, places, forms)
    sum_reads(sheets, places, {a3.id: firms, a4.id: comparables, a10.id: [base]}, styles)
    # below a threshold: red on the cell typed, judged on its read (a range as validate judges it: templates.estimates)
    for key, table in thresholds.items():
        if key in a2_cells:
            rr, cc = a2_cells[key]
            mark_below_threshold(sheets[a2.id], styles, (rr, cc, rr, cc), xl_rowcol_to_cell(rr, cc),
                                 lambda: type_cell_reads(lists, _sheet_ref(a2, *a2_cells[type_key])), table, key,
                                 read=places.read(a2.id, key), ranges=places.range_of(places.read(a2.id, key)))
    _threshold_marks(ws10, l10, styles, lists, thresholds, places,
                     {k: read for k, ref in places.cells[a10.id].items()
                      if l10.n_rows == 1 and (read := places.numbers.get(ref)) is not None})
    # cross-form totals: the pack's rules that total 附件3's rows against a figure stated on 附件10 (or 附件2)
    items: list[tuple[str, str, object, list[tuple[str, str, object, str, bool]]]] = []
    for total in totals():
        rule, target = total.rule, total.target
        if rule.form != a3.id:
            continue
        value: float
        read = None
        if total.how == "count":      # rows as the reader reads them: anything typed, a name or not
            agg, local = (f"SUMPRODUCT(1*{rows_in_use(l3, sheet)})" for sheet in (a3.sheet, None))
            value = sum(1 for f in firms if any(v not in (None, "") for v in f.values()))
        else:
            read = places.read_column(a3.id, total.column)      # as validate reads each row's figure
            agg = local = total.aggregate(read or f"'{a3.sheet}'!{l3.column_range(total.column)}")
            value = sum(v for f in firms if isinstance(v := f.get(total.column), (int, float)))
        # judged as validate judges them (template_checks.mismatch_conditions)
        stated_form = rule.args.target.forms[0]
        at = {stated_form: (ws10, l10.first_row, l10.cols[target]) if stated_form == a10.id and a10.has_field(target)
              else None,
              rule.fallback: (sheets[a2.id], *a2_cells[target]) if rule.fallback == a2.id and target in a2_cells
              else None}
        cells = {fid: places.read(fid, target) or _sheet_ref(forms[fid], r, c)
                 for fid, (_, r, c) in ((k, v) for k, v in at.items() if v)}
        typed = chain_range(places, [(f, target) for f in (stated_form, rule.fallback) if f])
        rows_typed = column_total(places, read) if total.how == "sum" and read else None
        fails = mismatch_conditions(total, agg, cells.get(stated_form), cells.get(rule.fallback or ""),
                                    (typed, rows_typed))
        cached = mismatch_values(total, value, base.get(target), base.get(target))
        refs: list[tuple[str, str, object, str, bool]] = []
        for fid, cond in fails.items():
            where = at[fid]
            assert where is not None     # fails names only the forms `at` found
            ws_at, r, c = where
            refs.append((forms[fid].sheet, cells[fid], base.get(target), cond, cached[fid]))
            mark_mismatch(ws_at, styles, r, c, cond)
        items.append((a10.field(target).label if a10.has_field(target) else target, local, value, refs))
    write_check_block(sheets[a3.id], styles, top=l3.header_top, col=l3.last_col + 2, items=items)
    write_check_sheet(check_sheet, styles, places, pack())
    marked = []
    marks = [(title(rule), m) for rule in pack().rules for m in cell_marks(rule, places)]
    marks += [(UNREADABLE_TITLE, m) for m in date_marks(places)]
    marks += [(UNREADABLE_NUMBER_TITLE, m) for m in number_marks(places)]
    for what, m in marks:      # and red on the very cell, where one cell shows the mistake
        formula_format(wb, sheets[m.form_id], m.area, m.condition, styles.cf(**BAD))
        marked.append(what)

    judged = [r for r, _ in judged_rules(pack(), places)]
    sections = [
        ("一、怎样填写", filling_notes([forms[f] for f in APPLICANT_FORMS], identity_form=a2,
                                   ruled={a3.id: l3.ruled_rows}, rows={a3.id: l3.n_rows},
                                   range_limits=range_limits(places))),
        ("二、表内检查", check_notes(pack(), judged, CHECK_SHEET, mark_notes(list(forms.values()), list(dict.fromkeys(marked))))),
        ("三、由市级汇总时检查", merge_notes(unjudged_rules(pack(), places))),
    ]
    last = write_guide(guide, styles, sections)
    setup_sheet(guide, last_row=last, last_col=GUIDE_COLUMNS - 1, one_page=True)
    _finish(wb, guide, styles, macros, python)


def _table_sheet(ws, form: Form, styles: Styles, year: int, *, rows: list[dict], formulas=None,
                 n_rows: int | None = None, unit: str | None = None) -> TableLayout:
    """Title, lines, table, notes and print setup of a table form.

    The page holds what the paper form holds: title, lines and notes span the printed
    columns (序号 and the official ones); our grey columns stay on screen beside them.
    """
    printed = printed_last_col(form)
    sizes = printed_sizes(form)
    r = write_title(ws, 0, printed, form.title_for(year), styles)
    r = write_lines(ws, r, printed, form, styles, unit=unit)
    layout = write_table(ws, form, styles, top=r, rows=rows, formulas=formulas, n_rows=n_rows,
                         ruled_rows=first_page_fit(form, sizes, r), sizes=sizes,
                         row_lines=blank_row_lines(form, sizes))
    end = write_notes(ws, layout.end_row, printed, form, styles,
                      sum(w for c, w in layout.widths.items() if c <= printed))
    setup_sheet(ws, last_row=end - 1, last_col=printed, repeat=(layout.header_top, layout.header_bottom),
                freeze_row=layout.first_row, open_ended=layout.open_ended, wide=bool(sizes))
    return layout


def _list_type_reads(lists: ListSheet, sheet: str, layout: TableLayout, type_key: str) -> tuple[str, str]:
    """A list's 基地类型 read on xl_types (templates.type_reads), relative to the list's first row."""
    typed, unread = type_column_reads(lists, sheet, xl_col_to_name(layout.cols[type_key]), layout.first_row,
                                      layout.last_row)
    return f"'{TYPE_SHEET}'!${typed}{layout.first_row + 1}", f"'{TYPE_SHEET}'!${unread}{layout.first_row + 1}"


def _threshold_marks(ws, layout: TableLayout, styles: Styles, lists: ListSheet, thresholds: dict[str, str],
                     places: Places, reads: dict[str, str]) -> None:
    """The threshold marks of a list's columns; `reads`: a column's number read relative to its first row."""
    type_key = table_type_cell(layout.form)
    if type_key is None:
        return
    for key, table in thresholds.items():
        if key in layout.cols:
            c = layout.cols[key]
            mark_below_threshold(ws, styles, (layout.first_row, c, layout.last_row, c), layout.cell(key),
                                 lambda: _list_type_reads(lists, ws.name, layout, type_key), table, key,
                                 read=reads.get(key), ranges=places.range_of(reads.get(key)))


def _build_summary(wb: Workbook, rows: list[dict], year: int, unit: str | None, macros: bool,
                   python: str | None = None) -> None:
    styles = Styles(wb)
    form = worded(get_form(SUMMARY_FORM))
    ws = wb.add_worksheet(form.sheet)
    guide = wb.add_worksheet(GUIDE_SHEET)
    check_sheet = wb.add_worksheet(CHECK_SHEET)
    lists = build_lists(wb, styles)
    thresholds = add_threshold_tables(lists)
    layout = _table_sheet(ws, form, styles, year, rows=rows, n_rows=len(rows) if rows else form.template_rows,
                          unit=unit)
    # a date the county typed that validate cannot read is red on its cell, as in the applicant's workbook
    places = Places(lists=lists, tables={form.id: (form.sheet, layout)})
    read_typed(wb, lists, places, {form.id: form})
    _threshold_marks(ws, layout, styles, lists, thresholds, places,
                     {key: f"'{NUMBER_SHEET}'!${letter}{layout.first_row + 1}"
                      for (_, key), (_, letter) in places.number_columns.items()})
    sum_reads({form.id: ws}, places, {form.id: rows}, styles)
    marks = date_marks(places)
    number_marked = number_marks(places)
    for m in number_marked:
        formula_format(wb, ws, m.area, m.condition, styles.cf(**BAD))
    for m in marks:
        formula_format(wb, ws, m.area, m.condition, styles.cf(**BAD))
    # the pack's one-value rules judged on each row, as validate judges each base of a 汇总表
    places.rows = RowCounts(form, form.sheet, layout, lists,
                            {key: letter for (_, key), (_, letter) in places.date_columns.items()},
                            {key: letter for (_, key), (_, letter) in places.number_columns.items()},
                            ranged=places.ranged)
    ours = [r for r in pack().rules if form.id in r.forms or r.form == form.id]
    write_check_sheet(check_sheet, styles, places, pack(), rules=ours, who="上级")
    judged = [r for r, _ in judged_rules(pack(), places) if r in ours]
    rest = [r for r in ours if r not in judged]
    sections = [
        ("一、怎样填写", filling_notes([form], identity_form=None, ruled={}, range_limits=range_limits(places))),
        ("二、表内检查", check_notes(pack(), judged, CHECK_SHEET,
                                 mark_notes([form], ([UNREADABLE_TITLE] if marks else [])
                                            + ([UNREADABLE_NUMBER_TITLE] if number_marked else [])))),
        ("三、由上级汇总时检查", merge_notes(rest, "上级")),
    ]
    last = write_guide(guide, styles, sections)
    setup_sheet(guide, last_row=last, last_col=GUIDE_COLUMNS - 1, one_page=True)
    _finish(wb, guide, styles, macros, python)


def _output(path: Path | str, macros: bool) -> Path:
    path = Path(path)
    want = ".xlsm" if macros else ".xlsx"
    if path.suffix.lower() != want:
        raise ValueError(f"{path}: 文件扩展名应为 {want}")
    return path


def write_applicant_workbook(path: Path | str, *, base: dict | None = None, firms: list[dict] | None = None,
                             comparables: list[dict] | None = None, year: int | None = None,
                             macros: bool = False, python: str | None = None) -> Path:
    """The applicant's workbook (附件2/3/4/10), blank or pre-filled by field key.

    python: the python.exe the .xlsm's 校验 button runs (xlwings' Interpreter_Win); default: python on PATH.
    """
    path = _output(path, macros)
    year = year or default_year()
    with atomic_output(path, suffix=".tmp" + path.suffix) as tmp:
        wb = _workbook(tmp, APPLICANT_NAME)
        _build_applicant(wb, dict(base or {}), list(firms or []), list(comparables or []), year, macros, python)
        if base or firms or comparables:    # its reads and checks computed on opening, not the blank form's
            computed_on_open(wb, {CHECK_SHEET})
        wb.close()
    return path


def write_summary_workbook(path: Path | str, rows: list[dict] | None = None, *, year: int | None = None,
                           unit: str | None = None, macros: bool = False, python: str | None = None) -> Path:
    """附件11: one numbered row per base (by field key) and the 汇总 row; python as for the applicant's."""
    path = _output(path, macros)
    year = year or default_year()
    with atomic_output(path, suffix=".tmp" + path.suffix) as tmp:
        wb = _workbook(tmp, SUMMARY_NAME)
        _build_summary(wb, list(rows or []), year, unit, macros, python)
        if rows:
            computed_on_open(wb, {CHECK_SHEET})
        wb.close()
    return path


def template_paths(out_dir: Path, macros: bool) -> tuple[Path, Path]:
    ext = ".xlsm" if macros else ".xlsx"
    return out_dir / f"{APPLICANT_NAME}{ext}", out_dir / f"{SUMMARY_NAME}{ext}"
