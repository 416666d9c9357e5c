"""The 表内检查 names where each rule looks by the sheets the clerk sees: every name in its 表格 column (and in the
required rule's 要求) is a sheet of the workbook. 太原's listed its form ids — 太原运营情况, 太原服务内容, 太原测评企业 —
which name no sheet (they sit on 申请表 and 推荐表), and wrapped its first rows six lines tall."""

from __future__ import annotations

import warnings

import openpyxl
import pytest

from every_template import TEMPLATE_IDS, template_path
from xlbase.templates.check_sheet import CHECK_SHEET, COLUMNS

FORMS_COL = [name for name, _ in COLUMNS].index("表格")


@pytest.mark.parametrize("template", TEMPLATE_IDS)
def test_the_check_sheet_names_the_sheets_the_clerk_sees(template, programme_templates):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(template_path(template, programme_templates), read_only=True)
    visible = {ws.title for ws in wb.worksheets if ws.sheet_state == "visible"}
    named = 0
    for row in wb[CHECK_SHEET].iter_rows(min_row=4, values_only=True):
        if len(row) > FORMS_COL and isinstance(row[0], int) and row[FORMS_COL]:
            for name in str(row[FORMS_COL]).split("、"):
                assert name in visible, (template, row[0], name, sorted(visible))
                named += 1
            if str(row[2] or "").endswith("中标明必填的栏目不为空"):
                for name in str(row[2]).removesuffix("中标明必填的栏目不为空").split("、"):
                    assert name in visible, (template, name)
    assert named, template
