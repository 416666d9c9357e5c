"""commands/excel.py (the buttons' entry points) against a minimal stand-in for xlwings' Book.caller(): only the wiring.

The decisions (which cells, result rows, the record format) are the ones
tested on real files in the other tests; the stand-in hands over the values
of a real workbook, read by the real reader and rules.
"""

from __future__ import annotations

import functools
import re
import sys
import types
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from mark_fixtures import applicant_workbook
from xlbase.commands import excel
from xlbase.commands.mark import mark_command
from xlbase.mark.marks import MARKS_SHEET, RESULT_SHEET, first_cell


class FakeRange:
    def __init__(self, sheet: "FakeSheet", ref: str) -> None:
        self.sheet, self.ref = sheet, ref

    @property
    def color(self):
        return self.sheet.colors.get(self.ref)

    @color.setter
    def color(self, value) -> None:
        api = self.sheet.api
        if api.ProtectContents and not api.Protection.AllowFormattingCells:  # what Excel does (error 1004)
            raise RuntimeError("Unable to set the Color property of the Interior class")
        self.sheet.colors[self.ref] = value
        self.sheet.book.log.append(("color", self.sheet.name, self.ref))

    @property
    def merge_cells(self) -> bool:
        return self._area() is not None

    @property
    def merge_area(self) -> "FakeRange":
        area = self._area()
        return FakeRange(self.sheet, area or self.ref)

    @property
    def address(self) -> str:
        return re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", self.ref)

    def _area(self) -> str | None:
        return next((str(m) for m in self.sheet.merges if self.ref in m), None)

    @property
    def value(self):
        return self.sheet.values.get(self.ref)

    @value.setter
    def value(self, rows) -> None:
        assert self.sheet.name in (RESULT_SHEET, MARKS_SHEET), "wrote a value into the clerk's sheet"
        # xlwings resizes the target to len(rows) x len(rows[0]): a ragged list would lose columns
        assert len({len(r) for r in rows}) == 1, "rows of different widths"
        self.sheet.rows = rows
        self.sheet.book.log.append(("value", self.sheet.name, self.ref))

    @property
    def formula(self):
        return self.sheet.formulas.get(self.ref)

    @formula.setter
    def formula(self, texts) -> None:
        assert self.sheet.name == RESULT_SHEET
        self.sheet.book.log.append(("formula", self.sheet.name, self.ref))
        first, _, last = self.ref.partition(":")
        col, r0 = first[0], int(first[1:])
        assert len(texts) == int(last[1:]) - r0 + 1 and all(len(t) == 1 for t in texts)
        for i, (text,) in enumerate(texts):
            self.sheet.formulas[f"{col}{r0 + i}"] = text


# openpyxl's SheetProtection flags (True = forbidden) behind Excel's Protection.Allow* (True = allowed)
ALLOW_FLAGS = {"AllowFormattingCells": "formatCells", "AllowFormattingColumns": "formatColumns",
               "AllowFormattingRows": "formatRows", "AllowInsertingColumns": "insertColumns",
               "AllowInsertingRows": "insertRows", "AllowInsertingHyperlinks": "insertHyperlinks",
               "AllowDeletingColumns": "deleteColumns", "AllowDeletingRows": "deleteRows",
               "AllowSorting": "sort", "AllowFiltering": "autoFilter", "AllowUsingPivotTables": "pivotTables"}


class FakeSheetApi:
    """Windows Excel's Worksheet protection interface, loaded from the file's <sheetProtection>."""

    def __init__(self, protection=None) -> None:
        self.ProtectContents = bool(protection is not None and protection.sheet)
        self.password = (protection.password or "") if protection is not None else ""
        self.Protection = types.SimpleNamespace(**{
            allow: bool(protection is None or not getattr(protection, flag)) for allow, flag in ALLOW_FLAGS.items()})
        self.ProtectDrawingObjects = bool(protection is not None and protection.objects)
        self.ProtectScenarios = bool(protection is not None and protection.scenarios)
        self.EnableSelection = 0   # xlNoRestrictions

    def Unprotect(self, password: str = "") -> None:
        if self.password and password != self.password:
            raise RuntimeError("The password you supplied is not correct")
        self.ProtectContents = False

    def Protect(self, password, drawing, contents, scenarios, ui_only, *allows) -> None:
        assert password == "" and ui_only is False and len(allows) == len(ALLOW_FLAGS)
        self.ProtectContents, self.ProtectDrawingObjects, self.ProtectScenarios = contents, drawing, scenarios
        self.Protection = types.SimpleNamespace(**dict(zip(ALLOW_FLAGS, allows)))

    def state(self) -> tuple:
        return (self.ProtectContents, self.ProtectDrawingObjects, self.ProtectScenarios, self.EnableSelection,
                vars(self.Protection))


class FakeBlock:
    """range((1, 1), (r, c)) as xlwings returns it: .value squeezed (one row or one column is a flat list)."""

    def __init__(self, grid: list, ndim: int | None = None) -> None:
        self.grid, self.ndim = grid, ndim

    def options(self, ndim=None) -> "FakeBlock":
        return FakeBlock(self.grid, ndim)

    @property
    def value(self):
        g = self.grid
        if self.ndim == 2:
            return g
        if len(g) == 1:
            return g[0][0] if len(g[0]) == 1 else g[0]
        if g and len(g[0]) == 1:
            return [r[0] for r in g]
        return g


class FakeSheet:
    def __init__(self, book: "FakeBook", name: str) -> None:
        self.book, self.name = book, name
        self.api = FakeSheetApi()
        self.colors: dict = {}
        self.values: dict = {}
        self.formulas: dict = {}
        self.grid: list = []   # the sheet's values as Excel holds them, A1-anchored
        self.visible = True
        self.merges: list = []  # openpyxl CellRanges of the file's merged cells

    @property
    def rows(self) -> list:
        return self.grid

    @rows.setter
    def rows(self, value: list) -> None:
        self.grid = value

    def range(self, ref, last=None):
        if isinstance(ref, tuple):  # range((1, 1), (r, c)): the grid xlwings hands over, A1-anchored
            (r0, c0), (r1, c1) = ref, last
            self.book.log.append(("read", self.name, (r1 - r0 + 1) * (c1 - c0 + 1)))
            return FakeBlock([row[c0 - 1:c1] for row in self.grid[r0 - 1:r1]])
        return FakeRange(self, ref)

    @property
    def used_range(self):
        last = types.SimpleNamespace(row=max(len(self.grid), 1), column=max((len(r) for r in self.grid), default=1))
        return types.SimpleNamespace(value=self.rows, last_cell=last)

    def delete(self) -> None:
        self.book.sheets._list.remove(self)


class FakeSheets:
    def __init__(self, book: "FakeBook", names: list[str]) -> None:
        self._list = [FakeSheet(book, n) for n in names]
        self.book = book

    def __getitem__(self, key):
        if isinstance(key, int):
            return self._list[key]
        return next(s for s in self._list if s.name == key)

    def __iter__(self):
        return iter(list(self._list))

    def __len__(self) -> int:
        return len(self._list)

    def add(self, name: str, after=None) -> FakeSheet:
        sheet = FakeSheet(self.book, name)
        self._list.insert(self._list.index(after) + 1 if after is not None else 0, sheet)
        return sheet


class FakeBook:
    """What validate_caller touches of xlwings.Book, backed by the values of a real file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = path.name
        self.log: list = []
        st = path.stat()
        sheets, names = _file_book(path, st.st_size, st.st_mtime_ns)
        self.sheets = FakeSheets(self, [s.title for s in sheets])
        for s in sheets:        # each book its own dicts and api: the tests change them
            fake = self.sheets[s.title]
            fake.api = FakeSheetApi(s.protection)
            fake.merges, fake.colors, fake.formulas = list(s.merges), dict(s.colors), dict(s.formulas)
            fake.grid, fake.visible = s.grid, s.visible      # replaced, never changed in place (FakeSheet.rows)
        # Book.names: workbook-level defined names (our templates name 附件2's identity cells)
        self.names = [types.SimpleNamespace(name=n, refers_to=r) for n, r in names]


@functools.lru_cache(maxsize=1)      # the tests that read one file are neighbours
def _file_book(path: Path, size: int, mtime_ns: int) -> tuple[list[types.SimpleNamespace], list[tuple[str, str]]]:
    """What a FakeBook of the file holds, read once per file as it is (two full openpyxl loads of an applicant
    workbook: ~8 s): per sheet its protection, merges, fills (as Excel reports them), formulas, values grid."""
    wb = load_workbook(path)
    values = load_workbook(path, data_only=True)  # cached formula results, as Excel shows them
    sheets = []
    for ws in wb.worksheets:  # the fills Excel would report
        s = types.SimpleNamespace(title=ws.title, protection=ws.protection, merges=list(ws.merged_cells.ranges),
                                  colors={}, formulas={})
        for row in ws.iter_rows():
            for c in row:
                rgb = c.fill.fgColor.rgb if c.fill and c.fill.fill_type == "solid" else None
                if isinstance(rgb, str):
                    s.colors[c.coordinate] = tuple(int(rgb[i:i + 2], 16) for i in (2, 4, 6))
                if isinstance(c.value, str) and c.value.startswith("="):   # Range.formula, as Excel gives it
                    s.formulas[c.coordinate] = c.value
        done = values[ws.title]
        s.grid = [list(r) for r in done.iter_rows(values_only=True)]
        s.visible = done.sheet_state == "visible"
        sheets.append(s)
    return sheets, [(n, "=" + d.attr_text) for n, d in wb.defined_names.items()]


@pytest.fixture
def fake_xlwings(monkeypatch):
    holder = {}
    module = types.SimpleNamespace(Book=types.SimpleNamespace(caller=lambda: holder["book"]))
    monkeypatch.setitem(sys.modules, "xlwings", module)
    return holder


def test_validate_caller_marks_the_same_cells_as_xlbase_mark(tmp_path: Path, fake_xlwings) -> None:
    book_path = applicant_workbook(tmp_path / "申报表.xlsx", n_firms=12)
    book = FakeBook(book_path)
    fake_xlwings["book"] = book
    before = {s.name: dict(s.colors) for s in book.sheets}
    excel.validate_caller()
    # the file route on the same file marks the same cells
    mark_command(book_path)
    out = load_workbook(tmp_path / "申报表.校验.xlsx")
    # a cell in a merged range is listed as the range and marked on its top-left cell
    # a problem naming several cells (the firms a share rule counts) marks each of them
    expected = {(str(r[2].value), first_cell(ref)) for r in out[RESULT_SHEET].iter_rows(min_row=4) if r[3].value
                for ref in str(r[3].value).split(",")}
    got = {(sheet, ref) for kind, sheet, ref in book.log if kind == "color"}
    assert got == expected and got
    assert any(":" in str(r[3].value) for r in out[RESULT_SHEET].iter_rows(min_row=4))
    for sheet, ref in got:   # the colours of the file route, by severity
        rgb = out[sheet][ref].fill.fgColor.rgb
        assert book.sheets[sheet].colors[ref] == tuple(int(rgb[i:i + 2], 16) for i in (2, 4, 6))
        assert book.sheets[sheet].colors[ref] in excel.MARK_COLORS.values()
    names = [s.name for s in book.sheets]
    assert names[-2:] == [RESULT_SHEET, MARKS_SHEET] and book.sheets[MARKS_SHEET].visible is False
    rows = book.sheets[RESULT_SHEET].rows
    assert rows[2] == ["序号", "严重程度", "工作表", "单元格", "问题说明"] and len(rows) - 3 == out[RESULT_SHEET].max_row - 3
    formulas = book.sheets[RESULT_SHEET].formulas
    for r, row in enumerate(rows[3:], 4):   # a link where the problem has a cell, its text otherwise
        linked = row[2] in names and row[3]
        assert formulas[f"D{r}"].startswith('=HYPERLINK("#\'') if linked else formulas[f"D{r}"] == row[3]
    assert len([e for e in book.log if e[0] == "formula"]) == 1   # one call, not one per problem
    # pressing 校验 again does not stack sheets or lose the original fills
    excel.validate_caller()
    assert [s.name for s in book.sheets].count(RESULT_SHEET) == 1
    excel.clear_marks_caller()
    assert [s.name for s in book.sheets] == list(before)
    for s in book.sheets:
        assert {k: v for k, v in s.colors.items() if v is not None} == before[s.name], s.name


def _template_with_problems(path: Path) -> Path:
    """Our own applicant template (every form sheet protected, no password), filled with bad credit codes."""
    from xlbase.forms import get_form
    from xlbase.templates.workbooks import write_applicant_workbook

    firms = [{"firm_name": f"企业{i}", "credit_code": f"91140902MA0K1234X{i}", "employees": 10 + i}
             for i in range(3)]
    base = {"base_name": "忻州市忻府区云中双创基地", "city": "忻州市", "county": "忻府区", "base_type": "楼宇型"}
    assert {"firm_name", "credit_code", "employees"} <= set(get_form("附件3").keys)
    return write_applicant_workbook(path, base=base, firms=firms, year=2024)


@pytest.fixture(scope="module")
def with_problems(tmp_path_factory) -> Path:
    """_template_with_problems, written once for the tests that only read it (through a FakeBook each)."""
    return _template_with_problems(tmp_path_factory.mktemp("with_problems") / "申报表.xlsx")


def test_marks_protected_sheets_and_protects_them_again(with_problems: Path) -> None:
    book = FakeBook(with_problems)
    a3 = book.sheets["附件3"].api
    assert a3.ProtectContents and not a3.Protection.AllowFormattingCells   # as the template ships
    before = {s.name: s.api.state() for s in book.sheets}
    fills = {s.name: dict(s.colors) for s in book.sheets}
    excel.validate_book(book)
    marked = {(sheet, ref) for kind, sheet, ref in book.log if kind == "color"}
    assert any(sheet == "附件3" for sheet, _ in marked)
    assert {s.name: s.api.state() for s in book.sheets if s.name in before} == before
    assert excel.clear_book(book) == len(marked)
    assert {s.name: s.api.state() for s in book.sheets} == before
    assert all(book.sheets[sheet].colors[ref] == fills[sheet].get(ref) for sheet, ref in marked if sheet == "附件3")


def test_a_password_protected_sheet_is_listed_not_marked(with_problems: Path) -> None:
    book = FakeBook(with_problems)
    book.sheets["附件3"].api.password = "clerk's own"
    problems = excel.validate_book(book)
    assert any(p.sheet == "附件3" and p.cell for p in problems)
    assert not [ref for kind, sheet, ref in book.log if kind == "color" and sheet == "附件3"]
    assert book.sheets["附件3"].api.ProtectContents
    rows = book.sheets[RESULT_SHEET].rows
    assert any("附件3" in str(r[-1]) and "保护密码" in str(r[-1]) for r in rows[3:])


def test_a_failure_reaches_the_clerk_as_one_chinese_message(with_problems: Path, fake_xlwings) -> None:
    book = FakeBook(with_problems)
    alerts: list = []
    book.app = types.SimpleNamespace(alert=lambda text, title=None: alerts.append((title, text)))

    def refuse(*args, **kwargs):
        raise RuntimeError("workbook structure is protected")
    book.sheets.add = refuse
    fake_xlwings["book"] = book
    excel.validate_caller()
    assert len(alerts) == 1 and alerts[0][1].startswith("校验未完成") and "保护工作簿" in alerts[0][1]
    assert f"写出“{RESULT_SHEET}”工作表时" in alerts[0][1]     # the step it failed at, in words
    assert not re.search(r"[A-Za-z]+Error|structure is protected", alerts[0][1])   # no class, no English text

    def no_alert(*args, **kwargs):
        raise RuntimeError("no Excel")
    book.app = types.SimpleNamespace(alert=no_alert)
    with pytest.raises(RuntimeError, match="structure is protected"):
        excel.validate_caller()


def test_a_one_column_sheet_reads_as_rows(tmp_path: Path) -> None:
    book = FakeBook(applicant_workbook(tmp_path / "a.xlsx", n_firms=3))
    notes = book.sheets.add("填表说明", after=book.sheets[0])
    notes.grid = [["填表说明"], ["1. 金额单位为万元"], ["2. 日期按 2024-05-01 填写"]]
    assert excel._sheet_rows(notes) == notes.grid


def test_clear_restores_a_yellow_cell(tmp_path: Path) -> None:
    book = FakeBook(applicant_workbook(tmp_path / "a.xlsx", n_firms=3))
    assert book.sheets["附件3"].colors["J5"] == (255, 255, 0)
    records = [["工作表", "单元格"], ["附件3", "J5", "", 0, "", "#FFFF00", RESULT_SHEET]]
    book.sheets.add(MARKS_SHEET, after=book.sheets[len(book.sheets) - 1]).rows = records
    book.sheets["附件3"].colors["J5"] = excel.MARK_COLOR
    assert excel.clear_book(book) == 1
    assert book.sheets["附件3"].colors["J5"] == (255, 255, 0)


def test_pure_helpers() -> None:
    assert excel.fill_text(None) == "none" and excel.fill_text((255, 255, 0)) == "#FFFF00"
    assert excel.color_of("#FFFF00") == (255, 255, 0) and excel.color_of("none") is None
    assert excel.color_of(excel.fill_text((1, 2, 3))) == (1, 2, 3)
    assert excel.excel_text("=1+1") == "'=1+1" and excel.excel_text(3) == 3
    assert excel.hyperlink_formula("附件3", "B7") == '=HYPERLINK("#\'附件3\'!B7","B7")'
    assert datetime  # timestamp comes from result_rows (tested in test_mark_workbook)


def test_the_buttons_module_name_still_holds_their_entry_points():
    """Every .xlsm handed out runs `import xlbase.excel; xlbase.excel.validate_caller()` (macros/XlbaseButton.bas)."""
    import importlib

    old = importlib.import_module("xlbase.excel")
    assert old.validate_caller is excel.validate_caller
    assert old.clear_marks_caller is excel.clear_marks_caller


@pytest.mark.parametrize("programme", ["hengyang-2023", "taiyuan-2023"])
def test_the_button_of_a_programmes_template_judges_by_its_pack(tmp_path: Path, programme: str) -> None:
    """A programme's .xlsm button (its template recognised by its titles): the same cells as `xlbase mark`,
    by the programme's own pack, on the cell of each rule its case breaks."""
    from programme_inbox import fill, load_case, make_templates
    case = load_case(programme)
    v = next(v for v in case.violations if "@" not in v["at"] or v["at"].endswith("@last"))
    src = tmp_path / "申报.xlsx"
    cells = fill(make_templates(programme, tmp_path / "t") / case.applicant_file, src, case.programme,
                 case.answers(v["change"]), "某单位")
    book = FakeBook(src)
    excel.validate_book(book)
    marked = {(sheet, ref) for kind, sheet, ref in book.log if kind == "color"}
    from xlbase.commands.programmes import mark_command as mark_programme
    mark_programme(case.programme, src, out=tmp_path / "标注.xlsx")
    out = load_workbook(tmp_path / "标注.xlsx")
    expected = {(str(r[2].value), first_cell(ref)) for r in out[RESULT_SHEET].iter_rows(min_row=4) if r[3].value
                for ref in str(r[3].value).split(",")}
    assert marked == expected
    assert any(ref == cells[v["at"]] for _, ref in marked), (v, marked)


def test_the_button_fetches_no_value_of_our_hidden_helper_sheets(monkeypatch) -> None:
    """Our template's hidden helper sheets (lists, xl_numbers…: ~90 000 cells, never a form) are not fetched
    from Excel; the problems are those found when they are."""
    from xlbase import sheet_names
    book = FakeBook(Path(__file__).resolve().parents[2] / "workbook_templates" / "双创基地申报表.xlsx")
    helpers = {s.name for s in book.sheets if not s.visible and s.name != "xlwings.conf"}
    problems, _ = excel.book_problems(book)
    read = {sheet for kind, sheet, *_ in book.log if kind == "read"}
    assert helpers and not read & helpers and {"附件2", "附件3", "附件4", "附件10"} <= read
    monkeypatch.setattr(sheet_names, "is_template_helper", lambda name, names: False)
    book.log.clear()
    assert excel.book_problems(book)[0] == problems
    assert helpers <= {sheet for kind, sheet, *_ in book.log if kind == "read"}


def test_the_failure_box_says_the_step_and_its_cause_in_chinese() -> None:
    """failure_text: what the button was doing and why, in words a clerk reads; never a class name."""
    from xlbase.check import PackUnusable
    cases = {
        excel.StepFailed(excel.CLEARING, PermissionError("COM: read-only")): ("清除上次的标记时", "只读"),
        excel.StepFailed(excel.MARKING, RuntimeError("0x800A03EC")): ("标色时", "保护工作簿"),
        excel.StepFailed(excel.CHECKING, KeyError("附件3")): ("读取并校验工作簿的内容时出错", "xlbase validate"),
        excel.StepFailed(excel.CHECKING, MemoryError()): ("内存不足", "xlbase mark"),
        excel.StepFailed(excel.CHECKING, PackUnusable("规则包无法使用：找不到规则包“x”")): ("找不到规则包“x”", ""),
        ValueError("outside any step"): ("校验未完成：校验时出错", "xlbase validate"),
    }
    for exc, (step, hint) in cases.items():
        text = excel.failure_text("校验", exc)
        assert text.startswith("校验未完成：") and step in text and hint in text, text
        assert not re.search(r"[A-Za-z]+Error|read-only|0x800A03EC", text), text
