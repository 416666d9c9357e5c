"""A generic programme's 汇总表 workbook: its summary form with 合计, 问题清单, 各县情况, 入驻企业.

Written atomically; submitted text through write_text / write_value (never as a formula).
"""

from __future__ import annotations

from collections.abc import Set
from pathlib import Path

import xlsxwriter

from .. import sheet_names
from ..forms import value_list
from ..forms.programmes import DEFAULT_NOUN
from ..merge.programme import Checked
from ..merge.programme_levels import problem_units
from ..merge.rounds import Change, change_text
from ..problems import ERROR, INFO, WARNING
from ..rules.kinds import officer_notes
from ..rules.rule import RulePack
from ..reports.problems import add_problems_sheet, report_line
from ..safe_output import atomic_output, write_text
from ..summary_record import add_record_sheet
from ..templates.programme import summary_sheet
from ..templates.styles import Styles
from ..templates.values import write_value


def write_merged(programme, path: Path, checked: Checked, pack: RulePack, unit: str = "",
                 expected: list[str] | None = None, record: dict | None = None,
                 changes: dict[str, Change] | None = None) -> None:
    """The 汇总表 workbook; `expected`: the units that should report at its level (None: the layout's `units`);
    `record` (merge.programme_levels.summary_record) goes into the very hidden record sheet the next round
    reads; `changes` (merge.rounds.compare): each unit's errors against the previous round, in 各县情况."""
    layout = programme.layout("summary.yaml")
    form = programme.form(layout["form"])
    with atomic_output(path, suffix=".tmp.xlsx") as tmp:
        wb = xlsxwriter.Workbook(str(tmp))
        styles = Styles(wb)
        ws = wb.add_worksheet(form.sheet)
        rows = [{k: v for k, v in r.items() if not k.startswith("_")} for r in checked.rows]
        lay = summary_sheet(ws, form, styles, rows=rows, unit=unit, incomplete=set(checked.incomplete))
        _say_incomplete(ws, styles, form, lay, checked.incomplete)
        add_problems_sheet(wb, checked.problems, line=report_line(pack, checked.problems), pack=pack,
                           noun=programme.noun)
        _units_sheet(wb, styles, layout, checked, expected, changes, officer_notes(pack.rules), programme.noun)
        _firms_sheet(wb, styles, programme, layout, checked)
        if record is not None:
            add_record_sheet(wb, record)
        wb.close()


def _units_sheet(wb, styles: Styles, layout: dict, checked: Checked, expected: list[str] | None = None,
                 changes: dict[str, Change] | None = None, notes: Set[str] = frozenset(), noun: str = DEFAULT_NOUN) -> None:
    """One row per unit: reported or not, its applications, its 错误 and 警告 (`notes`, the pack's notes for the
    officer — the conditions to check on paper, one per application — are in the 问题清单, not counted here:
    a unit's warnings are what it may have to answer)."""
    key = layout.get("unit")
    if expected is None:
        expected = list(value_list(layout["units"])) if layout.get("units") else []
    seen: dict[str, list[dict]] = {}
    for row in checked.rows:
        seen.setdefault(str(row.get(key) or "（未填写）"), []).append(row)
    per_unit: dict[str, dict[str, int]] = {}
    for p, units in zip(checked.problems, problem_units(key, checked.rows, checked.problems, checked.homes,
                                                        checked.sent)):
        if p.rule in notes:
            continue
        for u in units:
            counts = per_unit.setdefault(u or "（未填写）", {ERROR: 0, WARNING: 0, INFO: 0})
            counts[p.severity] += 1
    ws = wb.add_worksheet(sheet_names.UNITS_COUNTY)
    head = styles.header()
    cell = styles.get(border=1, text_wrap=True)
    unit_label = _unit_label(layout)
    heads = [(unit_label, 14), ("报送情况", 10), (f"{noun}数", 8), ("错误", 8), ("警告", 8), (noun, 60)]
    if changes is not None:
        heads.append(("与上次比较", 36))
    for c, (text, width) in enumerate(heads):
        ws.write_string(0, c, text, head)
        ws.set_column(c, c, width)
    r = 1
    sent = set(checked.sent.values())      # a unit whose 汇总表 says it has no base this year did report
    for unit in expected + [u for u in seen if u not in expected]:
        got = seen.get(unit, [])
        errors = per_unit.get(unit, {}).get(ERROR, 0)
        warnings = per_unit.get(unit, {}).get(WARNING, 0)
        write_text(ws, r, 0, unit, cell)
        ws.write_string(r, 1, "已报送" if got or unit in sent else "未报送", cell)
        ws.write_number(r, 2, len(got), cell)
        ws.write_number(r, 3, errors, cell)
        ws.write_number(r, 4, warnings, cell)
        form_key = next(iter(layout.get("columns") or {}), None)
        write_text(ws, r, 5, "、".join(str(x.get(form_key) or "") for x in got), cell)
        if changes is not None:
            change = changes.get(unit)
            write_text(ws, r, 6, change_text(change) if change else "", cell)
        r += 1
    ws.freeze_panes(1, 0)


def _say_incomplete(ws, styles: Styles, form, lay, incomplete: dict[str, int]) -> None:
    """A line under the 合计 naming the columns whose sum lacks some rows' figures (marked *:
    merge.programme._incomplete_totals)."""
    if not incomplete or lay.total_row is None:
        return
    names = "、".join(form.field(k).label for k in incomplete)
    write_text(ws, lay.total_row + 1, 0, f"注：带 * 的合计不完整（{names}）：有的行没有这些数字，未计入，详见“问题清单”。",
               styles.get(font_color="#9C5700"))


def _unit_label(layout: dict) -> str:
    """The reporting unit's column as the summary form labels it (所在县市区, 所在县（市、区）)."""
    from ..forms import get_form
    form = get_form(layout["form"])
    key = layout.get("unit")
    return form.field(key).label if key and form.has_field(key) else "报送单位"


def _firms_sheet(wb, styles: Styles, programme, layout: dict, checked: Checked) -> None:
    if not layout.get("firms"):
        return
    form = programme.form(layout["firms"])
    ws = wb.add_worksheet(sheet_names.FIRMS)
    heads = [sheet_names.FIRMS_BASE] + [f.header_text for f in form.table_fields] + [
        sheet_names.FIRMS_FILE, sheet_names.FIRMS_SHEET, sheet_names.FIRMS_ROW]
    for c, h in enumerate(heads):
        ws.write_string(0, c, h, styles.header())
        ws.set_column(c, c, 16)
    for i, fr in enumerate(checked.firms, start=1):
        write_text(ws, i, 0, str(fr.get("_base") or ""), styles.get(border=1))
        for j, f in enumerate(form.table_fields, start=1):
            write_value(ws, i, j, f, fr.get(f.key), styles)
        n = len(form.table_fields)
        write_text(ws, i, n + 1, Path(fr["_file"]).name, styles.get(border=1))
        write_text(ws, i, n + 2, fr["_sheet"], styles.get(border=1))
        ws.write_number(i, n + 3, fr["_row"], styles.get(border=1))
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(checked.firms), 1), len(heads) - 1)
