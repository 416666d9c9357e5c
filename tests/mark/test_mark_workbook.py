"""mark_workbook / clear_marks: marks exactly the problem cells and keeps everything else."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from pathlib import Path

import pytest
from lxml import etree

from mark_fixtures import (NS, applicant_workbook, cell_styles, element_xml, fill_of_xf, parts, sheet_names,
                           sheet_part, values)
from xlbase.problems import Problem
from xlbase.mark.marks import MARK_FILLS, MARKS_SHEET, RESULT_SHEET, sheet_location
from xlbase.mark.copy import clear_marks, default_output, mark_workbook
from xlbase.safe_output import OutputPathError

WHEN = datetime(2024, 8, 15, 9, 30, 0)


def _problems(file: str = "") -> list[Problem]:
    return [
        Problem("a3-employees", "error", "职工人数应为整数，填写了“25人”", file=file, sheet="附件3", cell="F4"),
        Problem("a3-tax", "warning", "上缴税金为空", file=file, sheet="附件3", cell="I8"),
        Problem("a3-small", "error", "是否小微为空", file=file, sheet="附件3", cell="J5"),  # yellow-filled cell
        Problem("a2-type", "error", "=基地类型不在下拉列表中", file=file, sheet="附件2", cell="$B$2"),
        Problem("a3-absent", "warning", "缺少企业（此处无单元格）", file=file, sheet="附件3", cell="D200"),
        Problem("a3-col", "info", "格式化空列", file=file, sheet="附件3", cell="L6"),
        Problem("firms", "error", "入驻企业数不足 25 户", file=file, sheet="附件3"),
        Problem("nosheet", "error", "找不到的工作表", file=file, sheet="附件9", cell="A1"),
        Problem("whole", "info", "整体提示", file=file),
    ]


SEVERITIES = {("附件3", "I8"): "warning", ("附件3", "D200"): "warning", ("附件3", "L6"): "info"}
MARKED = {("附件3", "F4"), ("附件3", "I8"), ("附件3", "J5"), ("附件2", "B2"), ("附件3", "D200"), ("附件3", "L6")}


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return applicant_workbook(tmp_path / "申报表.xlsx")


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def test_marks_exactly_the_problem_cells_and_keeps_the_rest(book: Path) -> None:
    before_sha = _sha(book)
    res = mark_workbook(book, _problems(), rule_pack="shanxi-2024-base", when=WHEN)
    out = res.out
    assert out == book.with_name("申报表.校验.xlsx") and _sha(book) == before_sha
    assert set(res.marked) == MARKED
    assert [p.rule for p in res.unplaced] == ["nosheet"]
    for sheet in ("附件2", "附件3"):
        old, new = cell_styles(book, sheet), cell_styles(out, sheet)
        for ref, s in new.items():
            if (sheet, ref) in MARKED:   # light fills by severity: L6 has only an info problem
                assert fill_of_xf(out, s) == MARK_FILLS[SEVERITIES.get((sheet, ref), "error")], (sheet, ref)
            else:
                assert s == old[ref], (sheet, ref)   # no other cell changed style
        assert set(new) - set(old) <= {r for sh, r in MARKED if sh == sheet}
        # validations, merges and formats untouched
        for local in ("dataValidation", "mergeCell", "col", "pageMargins"):
            assert element_xml(out, sheet, local) == element_xml(book, sheet, local), local
    # marked clone keeps the number format, font and border of the original style
    old3, new3 = cell_styles(book, "附件3"), cell_styles(out, "附件3")
    st_new = etree.fromstring(parts(out)["xl/styles.xml"]).find("m:cellXfs", NS)
    st_old = etree.fromstring(parts(book)["xl/styles.xml"]).find("m:cellXfs", NS)
    xo, xn = list(st_old)[old3["E4"]], list(st_new)[new3["E4"]]
    assert xn.get("numFmtId") == xo.get("numFmtId")  # E4 is unmarked: same xf
    xo, xn = list(st_old)[old3["J5"]], list(st_new)[new3["J5"]]
    assert (xo.get("fontId"), xo.get("borderId"), xo.get("numFmtId")) == (xn.get("fontId"), xn.get("borderId"), xn.get("numFmtId"))
    # every value the clerk typed is still there
    v_old, v_new = values(book), values(out)
    for name in v_old:
        assert v_new[name] == v_old[name], name
    # the two sheets we add
    assert sheet_names(out)[-2:] == [(RESULT_SHEET, None), (MARKS_SHEET, "hidden")]
    rows = v_new[RESULT_SHEET]
    assert "shanxi-2024-base" in rows[1][0] and "2024-08-15 09:30:00" in rows[1][0]
    assert rows[2] == ["序号", "严重程度", "工作表", "单元格", "问题说明"]
    assert len(rows) == 3 + len(_problems())
    listed = {(r[2], r[3]) for r in rows[3:]}
    assert ("附件2", "B2") in listed and ("", "") in listed
    # hyperlinks to the marked cells, none for unknown sheets
    res_root = etree.fromstring(parts(out)[sheet_part(out, RESULT_SHEET)])
    links = {h.get("location") for h in res_root.iter("{%s}hyperlink" % NS["m"])}
    assert "'附件3'!F4" in links and "'附件2'!B2" in links
    assert not any("附件9" in loc for loc in links)
    # it prints: A4 landscape, one page wide, as tall as needed
    setup = res_root.find("m:pageSetup", NS)
    assert (setup.get("paperSize"), setup.get("orientation"), setup.get("fitToWidth"), setup.get("fitToHeight")) \
        == ("9", "landscape", "1", "0")
    assert res_root.find("m:sheetPr/m:pageSetUpPr", NS).get("fitToPage") == "1"


def test_formula_like_message_is_text_with_quote_prefix(book: Path) -> None:
    out = mark_workbook(book, _problems(), when=WHEN).out
    root = etree.fromstring(parts(out)[sheet_part(out, RESULT_SHEET)])
    cells = [c for c in root.iter("{%s}c" % NS["m"]) if "".join(c.itertext()).startswith("=")]
    assert cells and all(c.get("t") == "inlineStr" and c.find("m:f", NS) is None for c in cells)
    xfs = list(etree.fromstring(parts(out)["xl/styles.xml"]).find("m:cellXfs", NS))
    assert all(xfs[int(c.get("s"))].get("quotePrefix") == "1" for c in cells)


def test_clear_restores_original_styles_exactly(book: Path, tmp_path: Path) -> None:
    marked = mark_workbook(book, _problems(), when=WHEN).out
    res = clear_marks(marked, tmp_path / "cleared.xlsx")
    assert res.cleared == len(MARKED)
    for sheet in ("附件2", "附件3", "lists"):
        assert cell_styles(res.out, sheet) == cell_styles(book, sheet)
        # rows as before (the spans="" hint may stay widened: it is an optimisation only)
        strip = lambda rows: [re.sub(rb' spans="[^"]*"', b"", r) for r in rows]  # noqa: E731
        assert strip(element_xml(res.out, sheet, "row")) == strip(element_xml(book, sheet, "row"))
    assert sheet_names(res.out) == sheet_names(book)
    assert values(res.out) == values(book)
    p_old, p_new = parts(book), parts(res.out)
    assert set(p_new) == set(p_old)


def test_remark_clears_old_marks_and_does_not_grow_styles(book: Path, tmp_path: Path) -> None:
    first = mark_workbook(book, _problems(), tmp_path / "m1.xlsx", when=WHEN).out
    again = mark_workbook(first, _problems(), tmp_path / "m2.xlsx", when=WHEN).out
    n_xf = lambda p: len(etree.fromstring(parts(p)["xl/styles.xml"]).find("m:cellXfs", NS))  # noqa: E731
    assert n_xf(again) == n_xf(first)
    assert cell_styles(again, "附件3") == cell_styles(first, "附件3")
    assert [n for n, _ in sheet_names(again)].count(RESULT_SHEET) == 1
    # fewer problems the second time: the old marks go away
    third = mark_workbook(first, _problems()[:1], tmp_path / "m3.xlsx", when=WHEN)
    assert third.cleared == len(MARKED) and third.marked == [("附件3", "F4")]
    styles3, orig = cell_styles(third.out, "附件3"), cell_styles(book, "附件3")
    assert {r for r, s in styles3.items() if s != orig.get(r)} == {"F4"}
    cleared = clear_marks(third.out, tmp_path / "c.xlsx").out
    assert cell_styles(cleared, "附件3") == orig


def test_users_own_result_sheet_is_kept(tmp_path: Path) -> None:
    import xlsxwriter

    p = tmp_path / "own.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    wb.add_worksheet("附件3").write_string("A1", "x")
    wb.add_worksheet(RESULT_SHEET).write_string("A1", "我自己的表")
    wb.close()
    out = mark_workbook(p, [Problem("r", "error", "m", sheet="附件3", cell="A1")]).out
    names = [n for n, _ in sheet_names(out)]
    assert names[:2] == ["附件3", RESULT_SHEET] and f"{RESULT_SHEET}(2)" in names
    cleared = clear_marks(out, tmp_path / "c.xlsx").out
    assert [n for n, _ in sheet_names(cleared)] == ["附件3", RESULT_SHEET]
    assert values(cleared)[RESULT_SHEET] == [["我自己的表"]]


def test_never_overwrites_the_input_unless_in_place(book: Path) -> None:
    with pytest.raises(OutputPathError):
        mark_workbook(book, _problems(), book)
    before = values(book)
    res = mark_workbook(book, _problems(), in_place=True)
    assert res.out == book and values(book) == {**before, **{k: v for k, v in values(book).items() if k not in before}}
    assert RESULT_SHEET in [n for n, _ in sheet_names(book)]


def test_default_output_names() -> None:
    assert default_output(Path("d/a.xlsx")) == Path("d/a.校验.xlsx")
    assert default_output(Path("d/a.XLSM")) == Path("d/a.校验.xlsm")


def test_sheet_location_quotes() -> None:
    assert sheet_location("附件3", "B7") == "'附件3'!B7"
    assert sheet_location("It's", "A1") == "'It''s'!A1"
