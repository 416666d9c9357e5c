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
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook

from ..forms import APPLICANT_FORMS, SUMMARY_FORM, Form, get_form
from ..safe_output import atomic_output
from .template_blocks import write_lines, write_notes, write_signatures, write_title
from .template_checks import (add_threshold_tables, mark_below_threshold, mark_mismatch, mismatch_conditions,
                              mismatch_values, table_type_cell, totals,
                              write_check_block)
from .template_guide import GUIDE_SHEET, general_notes, write_guide
from .template_lists import build_lists
from .template_print import setup_sheet
from .template_record import grid_width, write_record_grid, write_record_head
from .template_styles import Styles
from .template_table import TableLayout, write_table
from .template_thresholds import default_year

APPLICANT_NAME = "双创基地申报表"
SUMMARY_NAME = "附件11_基本情况汇总表"
CREATED = dt.datetime(2024, 1, 1)      # fixed: two runs give identical bytes
AUTHOR = "xlbase"
BUTTON_CELL = "B2"


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
        vba.insert_validate_button(guide, BUTTON_CELL)
        vba.add_xlwings_conf_sheet(wb, vba.xlwings_settings(python))
        vba.add_macros(wb)


def _build_applicant(wb: Workbook, base: dict, firms: list[dict], comparables: list[dict],
                     year: int, macros: bool, python: str | None = None) -> None:
    styles = Styles(wb)
    forms = {fid: get_form(fid) for fid in APPLICANT_FORMS}
    sheets = {fid: wb.add_worksheet(forms[fid].sheet) for fid in APPLICANT_FORMS}
    guide = wb.add_worksheet(GUIDE_SHEET)
    lists = build_lists(wb, styles)
    thresholds = add_threshold_tables(lists)
    a2, a3, a4, a10 = (forms[f] for f in APPLICANT_FORMS)

    # 附件2: the paper grid; identity cells get names the other sheets refer to
    ws = sheets["附件2"]
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
    type_key = next(f.key for f in a2.fields if f.identity == "base_type")
    type_abs = xl_rowcol_to_cell(*a2_cells[type_key], True, True)
    for key, table in thresholds.items():
        if key in a2_cells:
            rr, cc = a2_cells[key]
            mark_below_threshold(ws, styles, (rr, cc, rr, cc), xl_rowcol_to_cell(rr, cc), type_abs, table, key)

    # 附件3: one row per resident firm, 合计 row, check block beside
    ws = sheets["附件3"]
    l3 = _table_sheet(ws, a3, styles, year, rows=firms)
    # 附件10: one row for the base, identity from 附件2
    ws10 = sheets["附件10"]
    l10 = _table_sheet(ws10, a10, styles, year, rows=[base],
                       formulas=_identity_formulas(a10, base, identities), n_rows=max(1, a10.template_rows))
    _threshold_marks(ws10, l10, styles, thresholds)

    # cross-form totals: the pack's rules that total 附件3's rows against a figure stated on 附件10 (or 附件2)
    items = []
    for total in totals():
        rule, target = total.rule, total.target
        if rule.form != a3.id:
            continue
        agg = total.aggregate(f"'{a3.sheet}'!{l3.column_range(total.column)}")
        local = total.aggregate(l3.column_range(total.column))
        value = (sum(1 for f in firms if f.get(total.column) not in (None, "")) if total.how == "count"
                 else sum(v for f in firms if isinstance(v := f.get(total.column), (int, float))))
        # judged as validate judges them (template_checks.mismatch_conditions)
        stated_form = rule.args.target.forms[0]
        at = {stated_form: (ws10, l10.first_row, l10.cols[target]) if stated_form == a10.id and a10.has_field(target)
              else None,
              rule.fallback: (sheets[a2.id], *a2_cells[target]) if rule.fallback == a2.id and target in a2_cells
              else None}
        cells = {fid: _sheet_ref(forms[fid], r, c) for fid, (_, r, c) in ((k, v) for k, v in at.items() if v)}
        fails = mismatch_conditions(total, agg, cells.get(stated_form), cells.get(rule.fallback or ""))
        cached = mismatch_values(total, value, base.get(target), base.get(target))
        refs = []
        for fid, cond in fails.items():
            ws_at, r, c = at[fid]
            refs.append((forms[fid].sheet, cells[fid], base.get(target), cond, cached[fid]))
            mark_mismatch(ws_at, styles, r, c, cond)
        items.append((a10.field(target).label if a10.has_field(target) else target, local, value, refs))
    write_check_block(ws, styles, top=l3.header_top, col=l3.last_col + 2, items=items)

    # 附件4: head about the base, then the comparables
    ws = sheets["附件4"]
    from .template_table import column_plan
    _, _, last = column_plan(a4)
    r = write_title(ws, 0, last, a4.title_for(year), styles)
    r = write_lines(ws, r, last, a4, styles)
    head_formulas = {f.key: (f'=IF({_id_name(f.identity)}="","",{_id_name(f.identity)})', base.get(f.key))
                     for f in a4.record_fields if f.identity in identities}
    head_values = {f.key: base.get(f.key) for f in a4.record_fields}
    _, r = write_record_head(ws, a4, styles, top=r, last_col=last, values=head_values, formulas=head_formulas)
    l4 = write_table(ws, a4, styles, top=r, rows=comparables)
    r = write_notes(ws, l4.end_row, last, a4, styles, sum(l4.widths.values()))
    r = write_signatures(ws, r, last, a4, styles, label_cols=2)
    setup_sheet(ws, last_row=r - 1, last_col=last, repeat=(l4.header_top, l4.header_bottom))

    forms_list = [forms[f] for f in APPLICANT_FORMS]
    labels = [f.label for f in a2.fields]
    id_labels = [f"{f.section}{f.label}" if labels.count(f.label) > 1 and f.section else f.label
                 for f in a2.fields if f.identity and f.identity != "registered_on"]
    last = write_guide(guide, styles, forms_list, general_notes(id_labels, a2.sheet))
    setup_sheet(guide, last_row=last, last_col=4)
    _finish(wb, guide, styles, macros, python)


def _table_sheet(ws, form: Form, styles: Styles, year: int, *, rows: list[dict], formulas=None,
                 n_rows: int | None = None, unit: str | None = None) -> TableLayout:
    """Title, lines, table, notes and print setup of a table form."""
    from .template_table import column_plan
    _, _, last = column_plan(form)
    r = write_title(ws, 0, last, form.title_for(year), styles)
    r = write_lines(ws, r, last, form, styles, unit=unit)
    layout = write_table(ws, form, styles, top=r, rows=rows, formulas=formulas, n_rows=n_rows)
    end = write_notes(ws, layout.end_row, last, form, styles, sum(layout.widths.values()))
    setup_sheet(ws, last_row=end - 1, last_col=last, repeat=(layout.header_top, layout.header_bottom),
                freeze_row=layout.first_row if not layout.total_row or layout.total_row > layout.first_row
                else layout.total_row, open_ended=layout.open_ended)
    return layout


def _threshold_marks(ws, layout: TableLayout, styles: Styles, thresholds: dict[str, str]) -> None:
    type_key = table_type_cell(layout.form)
    if type_key is None:
        return
    for key, table in thresholds.items():
        if key in layout.cols:
            c = layout.cols[key]
            mark_below_threshold(ws, styles, (layout.first_row, c, layout.last_row, c),
                                 layout.cell(key), layout.cell(type_key, col_abs=True), table, key)


def _build_summary(wb: Workbook, rows: list[dict], year: int, unit: str | None, macros: bool,
                   python: str | None = None) -> None:
    styles = Styles(wb)
    form = get_form(SUMMARY_FORM)
    ws = wb.add_worksheet(form.sheet)
    guide = wb.add_worksheet(GUIDE_SHEET)
    lists = build_lists(wb, styles)
    thresholds = add_threshold_tables(lists)
    layout = _table_sheet(ws, form, styles, year, rows=rows, n_rows=len(rows) if rows else form.template_rows,
                          unit=unit)
    _threshold_marks(ws, layout, styles, thresholds)
    last = write_guide(guide, styles, [form], general_notes([], None))
    setup_sheet(guide, last_row=last, last_col=4)
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
        wb.close()
    return path


def template_paths(out_dir: Path, macros: bool) -> tuple[Path, Path]:
    ext = ".xlsm" if macros else ".xlsx"
    return out_dir / f"{APPLICANT_NAME}{ext}", out_dir / f"{SUMMARY_NAME}{ext}"
