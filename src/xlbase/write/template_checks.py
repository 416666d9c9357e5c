"""Live checks that need no Python (they work in Excel, WPS and LibreOffice).

* Thresholds: a count below the default rule pack's minimum for the row's
  基地类型 turns red (conditional formatting with VLOOKUP into a table on the
  hidden lists sheet; the numbers come from `template_thresholds`).
* Cross-form totals: 附件3's firm count and employee sum shown beside the
  附件10 / 附件2 figures they must equal, the result red when they differ.
"""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from ..forms import Form, value_list
from .template_lists import ListSheet
from .template_styles import Styles
from .template_thresholds import threshold_for

#: field key -> rule id in the rule pack (the rules' own ids)
THRESHOLD_RULES = {
    "resident_firms": "resident-firms-min",
    "service_staff": "service-staff-min",
    "tutors": "tutors-min",
    "partner_orgs": "partners-min",
}
#: what 附件3 must add up to: (field key on 附件10/附件2, "count"|"sum", 附件3 column key)
AGGREGATES = (("resident_firms", "count", "firm_name"), ("employees", "sum", "employees"))

BAD = {"bg_color": "#FFC7CE", "font_color": "#9C0006"}
MISMATCH = {"bg_color": "#FFEB9C", "font_color": "#9C5700"}
CHECK_LABELS = ("核对项", "附件3", "结果")
SAME, DIFFERENT = "一致", "不一致"


def threshold_name(key: str) -> str:
    return f"xl_thr_{key}"


def add_threshold_tables(lists: ListSheet) -> dict[str, str]:
    """One (基地类型, minimum) table per rule that has any threshold; field key -> defined name."""
    out = {}
    for key, rule in THRESHOLD_RULES.items():
        rows = [(bt, threshold_for(rule, bt)) for bt in value_list("base_type")]
        if all(v is None for _, v in rows):
            continue
        out[key] = lists.add_table(threshold_name(key), ("基地类型", rule), rows)
    return out


def mark_below_threshold(ws: Worksheet, styles: Styles, area: tuple[int, int, int, int],
                         value_cell: str, type_cell: str, table: str) -> None:
    """Red when the value (relative ref to the area's first cell) is below the type's minimum."""
    ws.conditional_format(*area, {
        "type": "formula",
        "criteria": (f'=AND({type_cell}<>"",ISNUMBER({value_cell}),'
                     f'{value_cell}<IFERROR(VLOOKUP({type_cell},{table},2,FALSE),0))'),
        "format": styles.cf(**BAD),
    })


def mark_mismatch(ws: Worksheet, styles: Styles, row: int, col: int, cell: str, expected: str) -> None:
    """Yellow when a figure that 附件3 also gives differs from 附件3's count/sum."""
    ws.conditional_format(row, col, row, col, {
        "type": "formula",
        "criteria": f"=AND(ISNUMBER({cell}),{cell}<>{expected})",
        "format": styles.cf(**MISMATCH),
    })


def aggregate_formula(how: str, rng: str) -> str:
    return f"COUNTA({rng})" if how == "count" else f"SUM({rng})"


def write_check_block(ws: Worksheet, styles: Styles, *, top: int, col: int,
                      items: list[tuple[str, str, object, list[tuple[str, str, object]]]]) -> None:
    """A small table: item | 附件3's figure | each other form's figure | 一致/不一致.

    `items`: (label, 附件3 formula, its cached value, [(form id, formula, cached value)…]).
    """
    others = [fid for fid, _, _ in items[0][3]] if items else []
    heads = [CHECK_LABELS[0], CHECK_LABELS[1], *others, CHECK_LABELS[2]]
    hfmt = styles.get(bold=True, border=1, align="center", bg_color="#D9D9D9", locked=True)
    for j, h in enumerate(heads):
        ws.write_string(top, col + j, h, hfmt)
    cell_fmt = styles.get(border=1, locked=True, align="center")
    for i, (label, formula, value, refs) in enumerate(items, start=1):
        r = top + i
        ws.write_string(r, col, label, styles.get(border=1, locked=True, text_wrap=True))
        ws.write_formula(r, col + 1, "=" + formula, cell_fmt, value)
        conds = []
        same = True
        for j, (_, ref, ref_value) in enumerate(refs, start=2):
            ws.write_formula(r, col + j, f'=IF({ref}="","",{ref})', cell_fmt, "" if ref_value is None else ref_value)
            conds.append(f"{_a1(r, col + 1)}={_a1(r, col + j)}")
            same = same and ref_value == value
        res_col = col + 2 + len(refs)
        ws.write_formula(r, res_col, f'=IF(AND({",".join(conds)}),"{SAME}","{DIFFERENT}")', cell_fmt,
                         SAME if same else DIFFERENT)
        ws.conditional_format(r, res_col, r, res_col, {
            "type": "cell", "criteria": "==", "value": f'"{DIFFERENT}"', "format": styles.cf(**BAD)})
    ws.set_column(col, col, 16)
    ws.set_column(col + 1, col + 2 + len(others), 9)


def _a1(r: int, c: int) -> str:
    from xlsxwriter.utility import xl_rowcol_to_cell
    return xl_rowcol_to_cell(r, c)


def table_type_cell(form: Form) -> str | None:
    """The key of the form's 基地类型 column, if it has one."""
    return next((f.key for f in form.table_fields if f.identity == "base_type"), None)
