"""The 校验 / 清除标记 buttons: a thin xlwings shell over the shared validation core.

The VBA macros (macros/XlbaseButton.bas) call `validate_caller()` and
`clear_marks_caller()` through xlwings' RunPython. Everything that decides
something lives in pure functions (xlbase.mark.copy: which cells, which
rows, the record format) tested on real files; here we only move values in
and out of the open workbook. Values the clerk typed are never written: we
only change cell fills and write our own two sheets, 校验结果 and the hidden
`_xlbase_marks`, where each marked cell's original fill colour is kept so
clearing restores it.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from xlbase import sheet_names
from xlbase.problems import ERROR, INFO, Problem, sort_problems
from xlbase.mark.marks import MARK_FILLS, MARKS_HEADER, MARKS_SHEET, RESULT_SHEET, MarkRecord, first_cell, problems_to_mark, result_rows, sheet_location
from xlbase.reports.problems import pack_label
from xlbase.safe_output import cell_text, is_formula_like
from ..problem_codes import SHEET_LOCKED

#: the fills of `xlbase mark` (mark.marks.MARK_FILLS) as xlwings colours, by severity
MARK_COLORS = {sev: tuple(int(argb[i:i + 2], 16) for i in (2, 4, 6)) for sev, argb in MARK_FILLS.items()}
MARK_COLOR = MARK_COLORS[ERROR]
XL_SHEET_HIDDEN = 0  # xlSheetHidden
# Worksheet.Protect's arguments after Password, DrawingObjects, Contents, Scenarios, UserInterfaceOnly,
# in Excel's order: what a protected sheet allows, read from Worksheet.Protection and given back as they were.
PROTECTION_ALLOWS = ("AllowFormattingCells", "AllowFormattingColumns", "AllowFormattingRows",
                     "AllowInsertingColumns", "AllowInsertingRows", "AllowInsertingHyperlinks",
                     "AllowDeletingColumns", "AllowDeletingRows", "AllowSorting", "AllowFiltering",
                     "AllowUsingPivotTables")


# ---------------------------------------------------------------------------
# entry points for RunPython
# ---------------------------------------------------------------------------


def validate_caller(rules: str | None = None, as_of: date | None = None) -> None:
    """校验 button: validate the calling workbook and mark its problems in place."""
    import xlwings as xw

    book = xw.Book.caller()
    with alert_on_failure(book, "校验"):
        validate_book(book, rules=rules, as_of=as_of)


def clear_marks_caller() -> None:
    """清除标记 button: restore every marked cell's fill and remove 校验结果."""
    import xlwings as xw

    book = xw.Book.caller()
    with alert_on_failure(book, "清除标记"), step(CLEARING):
        clear_book(book)


@contextmanager
def alert_on_failure(book: Any, action: str):
    """A failure reaches the clerk as one Chinese message box (failure_text), not a Python traceback."""
    try:
        yield
    except Exception as exc:
        cause = exc.cause if isinstance(exc, StepFailed) else exc
        try:
            book.app.alert(failure_text(action, exc), title="xlbase")
        except Exception:
            raise cause from None


@dataclass(frozen=True)
class Step:
    """One step of a button, as the clerk would name it; `changes`: it changes the book (fills, sheets)."""
    doing: str
    changes: bool


CLEARING = Step("清除上次的标记", True)
CHECKING = Step("读取并校验工作簿的内容", False)
MARKING = Step("给问题单元格标色", True)
LISTING = Step(f"写出“{RESULT_SHEET}”工作表", True)


class StepFailed(Exception):
    """A step of a button that raised: the step, and the exception it raised (`cause`)."""

    def __init__(self, step: Step, cause: BaseException) -> None:
        super().__init__(step.doing)
        self.step, self.cause = step, cause


@contextmanager
def step(what: Step):
    """Run one step of a button; what it raises comes out as StepFailed, naming the step."""
    try:
        yield
    except Exception as exc:
        raise StepFailed(what, exc) from exc


def failure_text(action: str, exc: BaseException) -> str:
    """The message box of a button that failed: the step and its cause in words. Never an exception's class
    or Excel's English text: a clerk reads it (the command line's xlbase validate shows the details)."""
    from xlbase.check import PackUnusable
    cause = exc.cause if isinstance(exc, StepFailed) else exc
    what = exc.step if isinstance(exc, StepFailed) else None
    doing = what.doing if what is not None else action
    if isinstance(cause, PackUnusable):       # the same message validate, merge and mark print
        return f"{action}未完成：{cause}"
    if isinstance(cause, MemoryError):
        return (f"{action}未完成：{doing}时内存不足。\n\n请关闭其他工作簿后再点“{action}”，"
                "或在命令行运行 xlbase mark 文件名.xlsx 得到标注副本。")
    if what is not None and what.changes:
        return (f"{action}未完成：{doing}时，Excel 不允许修改这个工作簿。\n\n"
                "常见原因：工作簿结构受保护（请在“审阅 → 保护工作簿”中撤销），或工作簿为只读。"
                "也可以在命令行运行 xlbase mark 文件名.xlsx 得到标注副本。")
    return (f"{action}未完成：{doing}时出错。\n\n请保存工作簿，在命令行运行 xlbase validate 文件名.xlsx 查看原因；"
            "也可以运行 xlbase mark 文件名.xlsx 得到标注副本。")


# ---------------------------------------------------------------------------
# the shell, written against the few xlwings calls a stand-in can provide
# ---------------------------------------------------------------------------


def validate_book(book: Any, *, rules: str | None = None, as_of: date | None = None,
                  when: datetime | None = None) -> list[Problem]:
    """Clear old marks, validate the book's current values, mark and list the problems."""
    with step(CLEARING):
        clear_book(book)
    with step(CHECKING):
        problems, label = book_problems(book, rules=rules, as_of=as_of)
    names = {s.name for s in book.sheets}
    records: list[MarkRecord] = []
    locked: list[Problem] = []
    merged: dict[tuple[str, str], str] = {}
    own = str(book.name)     # a 汇总表's problems about its sources (“汇总表 ← 原来源文件”) are listed, not marked
    mine = [p for p in problems if p.file == own and p.sheet in names and p.sheet not in (RESULT_SHEET, MARKS_SHEET)]
    with step(MARKING):
        _mark_cells(book, mine, records, locked, merged)
    with step(LISTING):
        _write_result_sheet(book, locked + problems, label, when or datetime.now(), names, merged, own)
        _write_marks_sheet(book, records)
    return problems


def _mark_cells(book: Any, mine: list[Problem], records: list[MarkRecord], locked: list[Problem],
                merged: dict[tuple[str, str], str]) -> None:
    """Colour each problem's cell by its severity, recording its fill; a sheet with a password is listed."""
    for sheet, cells in problems_to_mark(mine, lambda s, ref: merge_area(book.sheets[s].range(ref)), merged).items():
        ws = book.sheets[sheet]
        with formattable(ws) as ok:
            if not ok:
                locked.append(Problem(SHEET_LOCKED, INFO,
                                      f"工作表“{sheet}”设有保护密码，无法给问题单元格标色；请按本表所列单元格逐一核对，"
                                      "或撤销保护后再点“校验”。", sheet=sheet))
                continue
            for ref, severity in cells.items():
                rng = ws.range(ref)
                records.append(MarkRecord(sheet, ref, fill=fill_text(rng.color)))
                rng.color = MARK_COLORS[severity]


def clear_book(book: Any) -> int:
    """Undo the marks recorded in `_xlbase_marks`; drop our sheets. Returns cells restored."""
    names = {s.name for s in book.sheets}
    if MARKS_SHEET not in names:
        return 0
    rows = _sheet_rows(book.sheets[MARKS_SHEET])
    records = [r for r in (MarkRecord.from_row(list(row)) for row in (rows or [])[1:]) if r]
    result_name = next((str(row[6]) for row in (rows or [])[1:2] if len(row) > 6 and row[6]), RESULT_SHEET)
    restored = 0
    for sheet in dict.fromkeys(rec.sheet for rec in reversed(records)):
        if sheet not in names:
            continue
        with formattable(book.sheets[sheet]) as ok:
            if not ok:
                continue
            for rec in reversed(records):
                if rec.sheet == sheet:
                    book.sheets[sheet].range(rec.cell).color = color_of(rec.fill)
                    restored += 1
    for name in (result_name, MARKS_SHEET):
        if name in {s.name for s in book.sheets}:
            book.sheets[name].delete()
    return restored


@contextmanager
def formattable(sheet: Any):
    """Let the macro colour cells of a protected sheet, then protect it again exactly as it was.

    Excel refuses Interior.Color on a protected sheet unless formatting cells is allowed, and
    our templates protect every form sheet (without a password) to keep labels in place. Yields
    False, changing nothing, when the clerk set a password: that sheet cannot be marked.
    """
    api = _api(sheet)
    if api is None or not api.ProtectContents:
        yield True
        return
    allows = [bool(getattr(api.Protection, name)) for name in PROTECTION_ALLOWS]
    drawing, scenarios, selection = api.ProtectDrawingObjects, api.ProtectScenarios, api.EnableSelection
    try:
        api.Unprotect("")
    except Exception:   # a password: Excel raises "the password you supplied is not correct"
        yield False
        return
    try:
        yield True
    finally:
        api.Protect("", drawing, True, scenarios, False, *allows)
        api.EnableSelection = selection


def _api(sheet: Any) -> Any:
    """The sheet's Excel object when it has Windows Excel's protection interface, else None (Mac, stand-ins)."""
    try:
        api = sheet.api
        _ = api.ProtectContents     # Excel's object has it; a stand-in raises
    except Exception:
        return None
    return api


def _write_rows(sheet: Any, rows: list[list]) -> None:
    """Rows from A1 in one call; padded to a rectangle, because xlwings sizes the target by the first row."""
    width = max((len(r) for r in rows), default=0)
    sheet.range("A1").value = [[excel_text(v) for v in row] + [None] * (width - len(row)) for row in rows]


def _sheet_rows(sheet: Any) -> list[list]:
    """A sheet's values as rows anchored at A1 (used_range may start further in).

    ndim=2: without it xlwings hands a one-column sheet (a 填表说明 page) back as a flat list,
    which would read as one long row.
    """
    last = sheet.used_range.last_cell
    value = sheet.range((1, 1), (last.row, last.column)).options(ndim=2).value
    return [["" if v is None else v for v in row] for row in (value or [])]


def _write_result_sheet(book: Any, problems: list[Problem], label: str, when: datetime, names: set[str],
                        merged: dict[tuple[str, str], str] | None = None, own: str = "") -> None:
    """校验结果: every problem; the 单元格 of those about this book (not a 汇总表's carried ones) as links."""
    problems = sort_problems(problems)
    rows, header_row = result_rows(problems, label, when, merged)
    ws = book.sheets.add(RESULT_SHEET, after=book.sheets[len(book.sheets) - 1])
    _write_rows(ws, rows)
    body = rows[header_row:]   # header_row: 1-based row of the header = 0-based index of the first problem
    if body:   # the 单元格 column as links, in one call: one COM round trip per problem is seconds in Excel
        here = [p.file in ("", own) for p in problems]
        links = [[hyperlink_formula(r[2], r[3]) if r[2] in names and r[3] and ok else excel_text(r[3])]
                 for r, ok in zip(body, here)]
        ws.range(f"D{header_row + 1}:D{header_row + len(body)}").formula = links


def _write_marks_sheet(book: Any, records: list[MarkRecord]) -> None:
    ws = book.sheets.add(MARKS_SHEET, after=book.sheets[len(book.sheets) - 1])
    body = [rec.row() + ([RESULT_SHEET] if i == 0 else [""]) for i, rec in enumerate(records)]
    rows = [MARKS_HEADER] + (body or [[""] * 6 + [RESULT_SHEET]])
    _write_rows(ws, rows)
    try:
        ws.visible = False
    except AttributeError:  # older xlwings: go through the COM object
        ws.api.Visible = XL_SHEET_HIDDEN


# ---------------------------------------------------------------------------
# reading the open book: the shared core on its current values
# ---------------------------------------------------------------------------


def book_problems(book: Any, *, rules: str | None = None, as_of: date | None = None) -> tuple[list[Problem], str]:
    """Problems of the book as it is now (unsaved edits included) and the rule pack's label.

    The open book's values go straight to the shared reader (read_grids): nothing
    is saved, and the same reading and rules as `xlbase validate` apply.
    """
    from xlbase.check import book_formulas, check, pack_for
    from xlbase.forms.programmes import load_programme
    from xlbase.read import Sheet, read_grids

    names = [ws.name for ws in book.sheets]
    # a hidden helper sheet of our template (lists, xl_numbers: ~90 000 cells) is never read as a form
    # (read.workbook): its values are not fetched from Excel, one call across the process boundary each
    sheets = [Sheet(name=ws.name, visible=visible,
                    rows=[] if not visible and sheet_names.is_template_helper(ws.name, names) else _sheet_rows(ws))
              for ws, visible in ((ws, _visible(ws)) for ws in book.sheets) if ws.name not in (RESULT_SHEET, MARKS_SHEET)]
    label = str(book.name)
    read = read_grids(label, sheets)
    if read.programme and load_programme(read.programme).generic:   # another programme's template: its pack
        programme = load_programme(read.programme)
        pack = pack_for(rules, as_of, programme)
        return check([read], pack, programme=programme).problems, pack_label(pack, rules)
    pack = pack_for(rules, as_of)
    formulas = book_formulas(lambda sheet, cell: _formula(book, sheet, cell), _defined_names(book))
    return check([read], pack, formulas={label: formulas}).problems, pack_label(pack, rules)


def _formula(book: Any, sheet: str, cell: str) -> str | None:
    """The formula of one cell of the open book ('=…'), None for a value; asked only for problem cells."""
    try:
        text = book.sheets[sheet].range(cell).formula
    except Exception:
        return None
    return text if isinstance(text, str) and text.startswith("=") else None


def _defined_names(book: Any) -> dict[str, str]:
    """Workbook-level defined names -> what they refer to (our templates name 附件2's identity cells)."""
    out: dict[str, str] = {}
    try:
        for name in book.names:
            refers = str(name.refers_to or "")
            if "!" not in str(name.name):      # a sheet-level name ('申请表'!x) is not the workbook's
                out[str(name.name)] = refers.lstrip("=")
    except Exception:
        return out
    return out


def merge_area(rng: Any) -> str | None:
    """'B2:B3' when the cell lies in a merged range (xlwings Range.merge_area), else None."""
    try:
        if not rng.merge_cells:
            return None
        area = rng.merge_area.address.replace("$", "")
    except AttributeError:   # an xlwings without merge_area: mark the cell itself
        return None
    return area if ":" in area else None


def _visible(sheet: Any) -> bool:
    try:
        return bool(sheet.visible)
    except AttributeError:
        return True


# ---------------------------------------------------------------------------
# pure helpers
# ---------------------------------------------------------------------------


def fill_text(color: Any) -> str:
    """xlwings' Range.color (None or an (r, g, b) tuple) as stored in `_xlbase_marks`."""
    if not color:
        return "none"
    if isinstance(color, str):
        return color if color.startswith("#") else "#" + color
    r, g, b = (int(x) for x in color)
    return f"#{r:02X}{g:02X}{b:02X}"


def color_of(fill: str) -> tuple[int, int, int] | None:
    """The inverse of fill_text: None for no fill."""
    text = (fill or "").strip().lstrip("#")
    if not text or text == "none" or len(text) != 6:
        return None
    try:
        return (int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16))
    except ValueError:
        return None


def excel_text(value: Any) -> Any:
    """A value written by Range.value: text that Excel would run as a formula gets a leading apostrophe."""
    if not isinstance(value, str):
        return value
    text = cell_text(value)
    return "'" + text if is_formula_like(text) else text


def hyperlink_formula(sheet: str, cell: str) -> str:
    """=HYPERLINK("#'入驻企业'!B7","B7"): an internal link that works in Excel and WPS (a range: to its first cell)."""
    target = ("#" + sheet_location(sheet, first_cell(cell))).replace('"', '""')
    return f'=HYPERLINK("{target}","{cell}")'
