"""A row typed past a list's numbered block gets its 序号 or the 表内检查 says why it has none.

An open-ended list numbers only its first rows (as many as the first page holds: 太原's 服务企业名单 11, Shanxi's
附件3 more); the spare rows below are not numbered in advance — a number or formula in each would print every spare
row on blank pages — and the 填表说明 asks the clerk to number on. A row typed there with its 序号 left blank is
counted on the 表内检查's top line (templates.unnumbered.UNNUMBERED_TEXT); numbered, it is not. Before, such a row
printed without a 序号 and nothing said so.

Real files: every applicant workbook (Shanxi's, each generic programme's) filled as a clerk fills it, one row typed
under each open-ended list's last numbered row — with and without its 序号 — recalculated by LibreOffice."""

from __future__ import annotations

import re
import warnings

import openpyxl
import pytest

pytestmark = [pytest.mark.libreoffice, pytest.mark.filterwarnings("ignore:Print area cannot be set")]

TYPED = "编号以外补录的企业"


def _next_unnumbered(ws, first_row: int, number_col: int) -> int:
    """The sheet row (1-based) after the last numbered row of a list starting at `first_row`."""
    r = first_row
    while isinstance(ws.cell(r, number_col).value, (int, float)):
        r += 1
    return r


def test_a_row_typed_past_the_numbered_block_gets_a_number_or_a_reason(tmp_path):
    from conftest import soffice_convert_all
    from saved_values import sheet_values
    from test_template_typing_below import _filled
    from xlbase.read import read_workbook
    from xlbase.templates.check_sheet import CHECK_SHEET
    from xlbase.templates.unnumbered import UNNUMBERED_TEXT
    cases = []      # (workbook, list, whether its 序号 was typed)
    for name, (src, _programme) in _filled(tmp_path).items():
        for t in read_workbook(str(src)).tables:
            if not t.columns or t.transposed or t.data is None or not len(t.data):
                continue
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                wb = openpyxl.load_workbook(src)
            ws = wb[t.sheet]
            first = int(t.data["_row"].min())
            if not isinstance(ws.cell(first, 1).value, (int, float)):
                continue                                   # no 序号 column
            row = _next_unnumbered(ws, first, 1)
            col = min(t.columns.values())
            if ws.cell(row, col).protection.locked:
                continue                                   # a closed list: below it is outside (test_template_typing_below)
            for numbered in (False, True):
                ws.cell(row, col, TYPED)
                ws.cell(row, 1, row - first + 1 if numbered else None)
                typed = tmp_path / f"{name}_{t.form_id}_{int(numbered)}.xlsx"
                wb.save(typed)
                cases.append((typed, t.form_id, numbered))
    forms = {c[1] for c in cases}
    assert len(forms) >= 2, cases                     # Shanxi's 附件3 and a programme's list at least
    books = soffice_convert_all([c[0] for c in cases], "xlsx", tmp_path / "lo", timeout=900)
    said = {}
    for (typed, _form, numbered), book in zip(cases, books):
        line = str(sheet_values(book, CHECK_SHEET)["A2"] or "")
        m = re.search(rf"有 (\d+){re.escape(UNNUMBERED_TEXT)}", line)
        said[(typed.name.rsplit("_", 1)[0], numbered)] = int(m.group(1)) if m else 0
    for (stem, numbered), n in said.items():
        if not numbered:        # the rows the clerk's fill left unnumbered, and the one typed without its 序号
            assert n == said[(stem, True)] + 1, (stem, n, said[(stem, True)])
    assert any(n == 1 for (_, numbered), n in said.items() if not numbered), said
