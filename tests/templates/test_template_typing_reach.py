"""A clerk can type only where the workbook's checks read: on every protected sheet of every template, no
whole column or row is open to typing, and no list continues past the last row the workbook's formulas
(the 表内检查, the hidden read sheets, the red marks) read in its column: the cell below it is locked.

`xlbase validate` reads a list down to the end of its sheet; the 表内检查's ranges end with the list's rows.
An open-ended list (Shanxi's 附件3, 太原's 设备清单) used to unlock its whole columns, so a row typed below
the template's rows (太原 设备清单 D36) was judged by validate and not counted by the sheet. Its rows are
now opened cell by cell; the protected sheet refuses a value typed below them in Excel, WPS and LibreOffice.
"""

from __future__ import annotations

import re
import warnings
from collections import defaultdict
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import column_index_from_string

from every_template import TEMPLATE_IDS, template_path


def _reach(wb) -> dict[tuple[str, int], list[tuple[int, int]]]:
    """(sheet, column) -> the (first, last) rows of every range of the workbook's formulas in that column (cell
    formulas of every sheet, conditional formats, defined names): a list's columns, not a record's lone cells."""
    reach: dict[tuple[str, int], list[tuple[int, int]]] = defaultdict(list)

    def scan(formula: str, home: str) -> None:
        text = re.sub(r'"[^"]*"', '""', formula)       # string constants hold no reference
        for m in re.finditer(r"(?:'((?:[^']|'')+)'|([A-Za-z_\u4e00-\u9fff][\w\u4e00-\u9fff.]*))!"
                             r"\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?"
                             r"|(?<![\w!$'])\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?(?![\w(])", text):
            if m.group(3):
                sheet = (m.group(1) or m.group(2)).replace("''", "'")
                c0, r0, c1, r1 = m.group(3), m.group(4), m.group(5) or m.group(3), m.group(6) or m.group(4)
            else:
                sheet = home
                c0, r0, c1, r1 = m.group(7), m.group(8), m.group(9) or m.group(7), m.group(10) or m.group(8)
            if r0 == r1:
                continue
            for c in range(column_index_from_string(c0), column_index_from_string(c1) + 1):
                reach[(sheet, c)].append((min(int(r0), int(r1)), max(int(r0), int(r1))))

    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    scan(cell.value, ws.title)
        for rules in ws.conditional_formatting._cf_rules.values():
            for rule in rules:
                for f in rule.formula or []:
                    scan(f, ws.title)
    for name in wb.defined_names.values():
        if name.attr_text and "!" in name.attr_text:
            scan(name.attr_text, "")
    return reach


@pytest.fixture
def path(request, programme_templates) -> Path:
    return template_path(request.param, programme_templates)


@pytest.mark.parametrize("path", TEMPLATE_IDS, indirect=True)
def test_a_clerk_types_only_where_the_checks_read(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(path)
    reach = _reach(wb)
    checked = 0
    for ws in wb.worksheets:
        if ws.sheet_state != "visible" or not ws.protection.sheet:
            continue
        open_cols = [k for k, d in ws.column_dimensions.items() if not d.protection.locked]
        assert not open_cols, f"{ws.title}: whole columns open to typing: {open_cols}"
        open_rows = [r for r, d in ws.row_dimensions.items() if d.s and not d.protection.locked]
        assert not open_rows, f"{ws.title}: whole rows open to typing: {open_rows[:5]}"
        open_cells = {(cell.row, cell.column) for row in ws.iter_rows() for cell in row
                      if cell.has_style and not cell.protection.locked}
        for (sheet, col), ranges in reach.items():
            typed = [r for r, c in open_cells if c == col]
            # the ranges over the list's rows: not the block under the sheet the 表内检查 counts for what is typed
            # below a list (templates.below), which starts under every open cell
            read = max((r1 for r0, r1 in ranges if typed and r0 <= max(typed)), default=0)
            if sheet != ws.title or not any((r, col) in open_cells for r in range(read - 1, read + 1)):
                continue        # not a list column the clerk types in
            checked += 1
            # the row under a list's last checked row takes no value, unless it is another block's line (a
            # record's label, a caption: the reader's table ends there); a row typed there would continue the list
            below = read + 1
            labelled = any(isinstance(c.value, str) and c.value.strip() and c.protection.locked for c in ws[below])
            assert (below, col) not in open_cells or labelled, \
                f"{ws.title} column {col}: row {below} open to typing, the checks read to row {read}"
    assert checked, "no list column found: the scan checks nothing"


@pytest.mark.parametrize("path", TEMPLATE_IDS, indirect=True)
def test_the_guide_says_how_many_rows_a_list_takes(path):
    """填表说明 says a list takes at most N rows: N is the rows of its sheet open to typing under its 序号."""
    from xlbase.templates.guide import GUIDE_SHEET
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(path)
    guide = "".join(str(v) for row in wb[GUIDE_SHEET].iter_rows(values_only=True) for v in row if isinstance(v, str))
    said = re.findall(r"“([^”]+)”每行填一条[^“]*?最多 (\d+) 行", guide)
    for sheet, n in said:
        ws = wb[sheet]
        open_numbers = sum(1 for (cell,) in ws.iter_rows(min_col=1, max_col=1)
                           if cell.has_style and not cell.protection.locked)
        assert open_numbers == int(n), (sheet, open_numbers, n)
    if "申报表" in path.name or "申请" in path.name:
        assert said, "an applicant workbook's lists say how many rows they take"
