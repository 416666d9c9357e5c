"""A column the clerk hid beside a visible one of the same field (营业收入（2022年） hidden, 营业收入（2023年） shown):
the visible column is read, the hidden one is the repeat set aside, and the warning says it was hidden. Before,
the first of the two was read whichever was hidden, so last year's hidden figures reached the 汇总表."""

from __future__ import annotations

import random
import zipfile

import pytest
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from xlbase.forms import get_form
from xlbase.read import read_workbook
from xlbase.read.sheet_xml import check_sheet_extents

A11 = get_form("附件11")
NUMERIC = [f for f in A11.official_table_fields if f.is_numeric]


def _workbook(path, rng, field, hide_old: bool):
    """A one-row-header 附件11 of three bases with `field` typed twice, "（2022年）" then "（2023年）", the first of the
    two hidden (`hide_old`) or neither; the values the visible 2023 column holds."""
    fields = list(A11.official_table_fields)
    heads, cols = ["序号"], []
    for f in fields:
        if f.key == field.key:
            cols += [(f, "old"), (f, "new")]
            heads += [f"{f.label}（2022年）", f"{f.label}（2023年）"]
        else:
            cols.append((f, None))
            heads.append(f.label)
    wb = Workbook()
    ws = wb.active
    ws.append(["2024年双创基地基本情况汇总表"])
    ws.append(["单位：万元、平方米、人、户"])
    ws.append(heads)
    want = []
    for i in range(3):
        new, old = rng.randrange(20, 90), rng.randrange(100, 200)
        want.append(new)
        row = [i + 1]
        for f, which in cols:
            if which is not None:
                row.append(old if which == "old" else new)
            elif f.type in ("integer", "decimal", "money", "area"):
                row.append(rng.randrange(10, 60))
            elif f.type == "date":
                row.append(f"2018-0{i + 1}-01")
            elif f.type == "yesno":
                row.append("是")
            else:
                row.append(f"晋中市榆次区隐藏列{i}号双创基地" if f.key == "base_name" else f"隐藏列{i}号运营有限公司")
        ws.append(row)
    old_col = 2 + [k for k, (f, w) in enumerate(cols) if w == "old"][0]
    if hide_old:
        ws.column_dimensions[get_column_letter(old_col)].hidden = True
    wb.save(path)
    return want, old_col


@pytest.mark.parametrize("seed", range(4))
def test_the_visible_one_of_two_columns_of_a_field_is_read(tmp_path, seed):
    rng = random.Random(seed)
    field = rng.choice(NUMERIC)
    want, old_col = _workbook(tmp_path / "t.xlsx", rng, field, hide_old=True)
    wr = read_workbook(str(tmp_path / "t.xlsx"))
    (t,) = [t for t in wr.tables if t.form_id == "附件11"]
    assert [float(v) for v in t.data[field.key]] == pytest.approx(want)
    (dup,) = [p for p in wr.problems if p.rule == "duplicate-column"]
    assert dup.cell == f"{get_column_letter(old_col)}3" and "隐藏的列" in dup.message


def test_with_no_column_hidden_the_first_is_read_as_before(tmp_path):
    rng = random.Random(7)
    field = NUMERIC[0]
    _workbook(tmp_path / "t.xlsx", rng, field, hide_old=False)
    wr = read_workbook(str(tmp_path / "t.xlsx"))
    (t,) = [t for t in wr.tables if t.form_id == "附件11"]
    assert all(v >= 100 for v in t.data[field.key])          # the 2022 column, first, as before
    (dup,) = [p for p in wr.problems if p.rule == "duplicate-column"]
    assert "隐藏" not in dup.message


def test_hidden_column_spans_are_found(tmp_path):
    xml = (b'<worksheet><cols><col min="2" max="4" width="0" hidden="1"/><col min="6" max="6" width="9"/>'
           b'<col min="9" max="9" hidden="true" customWidth="1"/></cols><sheetData><row r="1"><c r="A1" t="inlineStr">'
           b'<is><t>x</t></is></c></row></sheetData></worksheet>')
    path = tmp_path / "cols.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("xl/worksheets/sheet1.xml", xml)
    (seen,) = check_sheet_extents(str(path)).values()
    assert seen.cols == frozenset({1, 2, 3, 8}) and seen.rows == frozenset()
