"""read.formula_refs: the one cell a formula copies, from formula texts a stranger or our template writes."""

from __future__ import annotations

import re
import zipfile

from hypothesis import given, strategies as st
from openpyxl import Workbook

from xlbase.read.formula_refs import FileFormulas, follow, shift, single_reference

NAMES = {"xl_id_registered_on": "'附件2'!$C$9"}


def test_formulas_that_copy_one_cell():
    cases = {
        "=附件2!C9": ("附件2", "C9"), "='附件2'!$C$9": ("附件2", "C9"), "=IF(附件2!C9=\"\",\"\",附件2!C9)": ("附件2", "C9"),
        "=IF(xl_id_registered_on=\"\",\"\",xl_id_registered_on)": ("附件2", "C9"), "=C5": ("附件10", "C5"),
        "=附件2!B3*1": ("附件2", "B3"), "='申请 表'!B3": ("申请 表", "B3"), "='It''s'!A1": ("It's", "A1"),
        "=\"A1\"&B2": ("附件10", "B2"),
    }
    for formula, want in cases.items():
        assert single_reference(formula, "附件10", NAMES) == want, formula


def test_formulas_that_copy_no_single_cell():
    for formula in ("=SUM(A1:A5)", "=A1+B2", "=附件2!C9+附件2!C10", "=TODAY()", "=\"x\"", "=unknown_name",
                    "=SUM(附件3!F6:F20)"):
        assert single_reference(formula, "附件10", NAMES) is None, formula


SHEETS = st.text(alphabet="附件申请表基本情况 -_'1234567890AB", min_size=1, max_size=8).filter(lambda s: s.strip("'"))


@given(SHEETS, st.integers(0, 200), st.integers(1, 5000), st.booleans(), st.booleans())
def test_any_sheet_name_and_cell_round_trip(sheet, col, row, absolute, wrap):
    from xlsxwriter.utility import xl_rowcol_to_cell
    cell = xl_rowcol_to_cell(row - 1, col)
    ref = xl_rowcol_to_cell(row - 1, col, row_abs=absolute, col_abs=absolute)
    quoted = "'" + sheet.replace("'", "''") + "'"
    formula = f'=IF({quoted}!{ref}="","",{quoted}!{ref})' if wrap else f"={quoted}!{ref}"
    assert single_reference(formula, "附件10") == (sheet, cell)


def test_shift_moves_relative_references_only():
    assert shift("=A1+$B$2+附件2!C3+\"D4\"", "D5", "E7") == "=B3+$B$2+附件2!D5+\"D4\""


CELLS = st.tuples(st.integers(0, 2000), st.integers(0, 800), st.booleans(), st.booleans())


@given(CELLS, CELLS, CELLS)
def test_shift_moves_a_reference_as_the_writer_addresses_cells(ref, origin, to):
    """shift's own A1 arithmetic (no xlsxwriter import on validate's path) agrees with xlsxwriter's."""
    from xlsxwriter.utility import xl_cell_to_rowcol, xl_rowcol_to_cell
    row, col, row_abs, col_abs = ref
    (r0, c0), (r1, c1) = xl_cell_to_rowcol(xl_rowcol_to_cell(*origin[:2])), xl_cell_to_rowcol(xl_rowcol_to_cell(*to[:2]))
    r = row if row_abs else row + r1 - r0
    c = col if col_abs else col + c1 - c0
    written = xl_rowcol_to_cell(row, col, row_abs=row_abs, col_abs=col_abs)
    moved = xl_rowcol_to_cell(r, c, row_abs=row_abs, col_abs=col_abs) if r >= 0 and c >= 0 else written
    assert shift(f"=附件2!{written}+1", xl_rowcol_to_cell(*origin[:2]), xl_rowcol_to_cell(*to[:2])) == f"=附件2!{moved}+1"


def test_follow_stops_at_the_input_cell_and_at_cycles():
    formulas = {("附件10", "D5"): "=附件2!C9", ("附件2", "C9"): None, ("S", "A1"): "=S!A2", ("S", "A2"): "=S!A1"}
    look = lambda s, c: formulas.get((s, c))   # noqa: E731
    assert follow("附件10", "D5", look, {}) == ("附件2", "C9")
    assert follow("附件2", "C9", look, {}) is None
    assert follow("S", "A1", look, {}) == ("S", "A2")


def test_formula_texts_from_a_file_plain_and_shared(tmp_path):
    path = tmp_path / "book.xlsx"
    wb = Workbook()
    wb.active.title = "附件2"
    wb.active["C9"] = "2024-03-10"
    ws = wb.create_sheet("附件10")
    ws["D5"] = "=附件2!C9"
    ws["E5"] = "=附件2!C10"
    ws["F5"] = 12
    wb.save(path)
    # Excel writes a column of like formulas as one shared formula: E5 the master, E6 a follower
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    part = "xl/worksheets/sheet2.xml"
    xml = parts[part].decode()
    xml = re.sub(r'<c r="E5"([^>]*)><f>([^<]*)</f>', r'<c r="E5"\1><f t="shared" ref="E5:E6" si="0">\2</f>', xml)
    xml = xml.replace("</row></sheetData>", '</row><row r="6"><c r="E6"><f t="shared" si="0"/><v>1</v></c></row>'
                                            "</sheetData>")
    parts[part] = xml.encode()
    with zipfile.ZipFile(path, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    book = FileFormulas(str(path))
    assert book.formula("附件10", "D5") == "=附件2!C9"
    assert book.formula("附件10", "E6") == "=附件2!C11"
    assert book.formula("附件10", "F5") is None and book.formula("附件10", "Z99") is None
    assert book.formula("没有这张表", "A1") is None
