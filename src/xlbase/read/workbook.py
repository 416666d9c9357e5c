"""read_workbook: one file in, every form found in it out, with provenance and problems.

Never raises for bad input: the safe-open check (sniff) runs first, and an unusable
file, a parse failure or a workbook with no known form becomes one `file-unusable`
Problem with a Chinese message. A file that is no spreadsheet and does not pretend to be
one (the notice as .docx/.pdf, photos of stamped pages) is one info instead, an archive not opened
one warning (`_not_read`): an inbox folder holds them beside the submissions. A member of a county's .zip
(`县.zip!/folder/x.xlsx`, read.archive) is read from a private copy of its bytes and named as such.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from .. import sheet_names, summary_record
from ..forms import SUMMARY_FORM
from ..forms.roles import BASE_FORM, BASE_NAME, FIRM_FORM, OWN_RENT, RECORD_FORM, RENT_FORM
from ..problems import ERROR, INFO, WARNING, Problem
from ..table import Table, WorkbookRead
from ..text import fold
from . import archive
from .base import assign_bases
from .cover import find_cover
from .docx_cover import read_docx_cover
from .formats import LibreOfficeLater, Unreadable, load_book
from .formats.decrypt import with_default_password
from .grid import Sheet
from .records import find_record
from .limits import DEFAULT_LIMITS, Limits
from .sniff import FOREIGN_KINDS, KINDS, MESSAGES, SniffError, inspect_file
from .no_base import is_unfilled, no_base_table, unfilled_answer
from .vertical import find_vertical, heading_line, turned_back, typed_at
from .own_row import own_row
from .tables import FoundTable, choose_summary, find_tables, hidden_sheet_problem, without
from .programme_sheets import read_programme_book, reading_programme
from .failed import read_failed, unusable
from .table_parts import join_parts
from .sheet_tables import (fill_record, firm_provenance, is_guide, org_line, split_by_row_base, table_from,
                           unread_sheet_problem)
from ..problem_codes import (FILE_ARCHIVE, FILE_DECRYPTED, FILE_FORMAT, FILE_NOT_SPREADSHEET, FILE_READER,
                             TOTAL_ROW, UNREAD_SHEET)

log = logging.getLogger(__name__)
#: where in its chain of readers a file is read from, and who hears which reader runs (formats.load_book)
Steps = tuple[int, Callable[[int], None] | None]

A2_MIN_FIELDS = 6


def read_workbook(path: str | os.PathLike, *, start: int = 0, limits: Limits = DEFAULT_LIMITS,
                  on_step: Callable[[int], None] | None = None) -> WorkbookRead:
    """Every known form in one file; never raises for bad input.

    The sniffer's verdict on the content picks the reader (read.formats), never the name;
    a file encrypted with Excel's default password is decrypted first. `start` and `on_step` as
    for formats.load_book: the isolated pool (read.isolation) reads a file again from the reader
    after the one that killed its worker.
    """
    spath = os.fspath(path)
    if archive.is_member(spath):     # a workbook inside a county's .zip: read from a private copy of its bytes
        got = archive.open_member(spath, limits, lambda local: _read_file(spath, local, (start, on_step), limits))
        if isinstance(got, archive.Refused):
            return unusable(spath, got.code, got.message, None)
        return got
    return _read_file(spath, spath, (start, on_step), limits)


def _read_file(spath: str, source: str, steps: Steps, limits: Limits) -> WorkbookRead:
    """read_workbook of the file at `source`, named `spath` in everything it reports."""
    check = inspect_file(source, limits, name=archive.display_name(spath))
    if source != spath:
        check = replace(check, path=spath)
    if check.code == "encrypted":
        data = with_default_password(source, limits.max_file_bytes)
        if data is not None:
            return _read_decrypted(spath, check, data, steps, limits)
    if check.foreign:      # a format only LibreOffice reads: refused by name unless it reads it
        return _read_checked(spath, source, replace(check, ok=True, kind=check.foreign), steps, [], limits,
                             refusal=check)
    if check.code == "word-file":
        cover = read_docx_cover(source, limits)
        if cover is not None:     # 附件1 filled in Word: merge.attach ties it to its base, as a workbook's
            return WorkbookRead(path=spath, status=NOT_SPREADSHEET, sha256=check.sha256, cover=cover)
    if not check.ok:
        return _not_read(spath, check)
    return _read_checked(spath, source, check, steps, [], limits)


def _read_decrypted(path: str, check, data: bytes, steps: Steps, limits: Limits) -> WorkbookRead:
    """The plain workbook inside a default-password file, read from a private temporary copy."""
    name = archive.display_name(path)
    note = Problem(FILE_DECRYPTED, INFO, f"文件“{name}”设有 Excel 内置的默认密码（Excel 打开时不询问密码），"
                   "已自动解密后读取。", file=path)
    with tempfile.TemporaryDirectory(prefix="xlbase-") as tmp:
        plain = os.path.join(tmp, "decrypted")
        with open(plain, "wb") as fh:
            fh.write(data)
        inner = inspect_file(plain, limits, name=name)
        if not inner.ok:
            return unusable(path, inner.code, MESSAGES[inner.code].format(
                name=name, kind="", limit="", what=""), check.sha256)
        return _read_checked(path, plain, replace(inner, path=path, sha256=check.sha256), steps, [note], limits)


def _read_checked(spath: str, source: str, check, steps: Steps, notes: list[Problem], limits: Limits,
                  refusal=None) -> WorkbookRead:
    """The forms in a file the sniffer passed: `source` is read, problems name `spath`, `steps` (start,
    on_step) go to load_book; `refusal` is the sniffer's verdict on a format only LibreOffice reads, given
    when it does not."""
    name = archive.display_name(spath)
    try:
        book = load_book(source, check.kind, start=steps[0], on_step=steps[1], limits=limits)
    except Unreadable as exc:
        log.debug("no reader opened %s: %s", spath, exc)
        if refusal is not None:
            return _not_read(spath, refusal)
        if exc.too_large is not None:
            msg = (f"文件“{name}”中有工作表的已用区域过大（约 {exc.too_large.cells:,} 个单元格，"
                   "通常是远处某个单元格误填了内容），无法读取；请删除多余的行列后另存再报送。")
            return unusable(spath, "sheet-too-large", msg, check.sha256)
        code = "corrupt-ole" if check.kind in ("xls", "biff") else "corrupt-zip"
        found = "；".join(dict.fromkeys(why for _, why in exc.failed))     # read.formats.reasons: in Chinese
        return unusable(spath, code, MESSAGES[code].format(name=name) + (f"读取时发现：{found}。" if found else ""),
                         check.sha256)
    except SniffError as exc:  # a part that inflates past its cap (lying ZIP sizes)
        return unusable(spath, exc.code, MESSAGES[exc.code].format(name=name), check.sha256)
    except MemoryError:
        return read_failed(spath, "read-memory", sha=check.sha256)
    except LibreOfficeLater:   # the isolated pool converts it when no other reader is at work
        raise
    except Exception:  # a bug of ours around the readers (each reader's own failure is caught in load_book)
        log.debug("loading failed on %s", spath, exc_info=True)
        return unusable(spath, "read-failed", MESSAGES["check-failed"].format(name=name), check.sha256)
    notes = notes + _format_notes(spath, check.kind, book)
    programme, recognised, said = reading_programme(spath, book.sheets)
    if programme.generic:    # another programme's forms: read by its own form set (read.programme_sheets)
        return read_programme_book(programme, recognised, spath, book.sheets, check, notes + said)
    try:
        tables, problems, record = _read_sheets(spath, book.sheets, check.kind or "")
    except MemoryError:
        return read_failed(spath, "read-memory", sha=check.sha256)
    except Exception:  # a reader bug must not stop the batch
        log.debug("reader failed on %s", spath, exc_info=True)
        msg = MESSAGES["check-failed"].format(name=name)
        return unusable(spath, "read-failed", msg, check.sha256)
    # a template sent back empty: the answer "no base", not 35 missing values — unless cells with content
    # were left unread (a column we could not place): then the tables and that warning stand
    if is_unfilled(tables) and all(p.severity == INFO for p in problems):
        tables, problems = unfilled_answer(spath, tables, problems)
    answer = no_base_table(spath, book.sheets) if not tables else None
    if answer is not None:       # "本县无申报" and no table: the county's answer, not an unreadable file
        tables, problems = [answer[0]], [answer[1]]
    cover = find_cover(book.sheets, tables, alone=True) if not tables else None
    if cover is not None:       # a cover sent as a file of its own: merge.attach ties it to its base
        return WorkbookRead(path=spath, status=NOT_SPREADSHEET, sha256=check.sha256, cover=cover)
    if not tables:
        suffix = Path(spath).suffix.lower()
        what = None
        if check.kind in TEXT_KINDS and suffix not in SPREADSHEET_SUFFIXES:
            what = DOCUMENT_SUFFIXES.get(suffix) or ("网页" if check.kind in ("html", "mhtml") else "文本文件")
        if what is not None:   # a page or a text file with no form in it: set aside, as any other document
            sev = WARNING if Path(spath).suffix.lower() in (".csv", ".tsv") else INFO
            p = Problem(FILE_NOT_SPREADSHEET, sev, f"文件“{name}”是{what}，其中没有找到可识别的表格"
                        "（附件2、3、4、10、11），未读取。", file=spath)
            return WorkbookRead(path=spath, status=NOT_SPREADSHEET, problems=[p], sha256=check.sha256)
        real = f"（实际是{KINDS[check.kind]}）" if any(p.rule == FILE_FORMAT for p in notes) else ""
        if any(_filled(sheet) for sheet in book.sheets):
            msg = (f"文件“{name}”{real}中没有找到可识别的表格（附件2、3、4、10、11）；"
                   "请确认报送的是申报表或汇总表，且表头栏目名称与通知中的表格一致。")
        elif book.reader == "LibreOffice" and book.failed:   # its content may be what the readers could not parse
            msg = (f"文件“{name}”{real}内部结构有误，常用读取器都无法读取；LibreOffice 能打开，但其中没有任何内容"
                   "（内容可能已丢失）；请用 Excel 或 WPS 打开核对，另存为 .xlsx 后重新报送。")
        else:
            msg = (f"文件“{name}”{real}的工作表都是空的，没有任何内容；"
                   "请确认是否选错了文件，填写后重新报送。")
        wr = unusable(spath, "no-form", msg, check.sha256)
        wr.problems += [p for p in problems if p.rule == UNREAD_SHEET]   # which sheets had rows, and where
        wr.problems += [p for p in notes if p.rule in (FILE_DECRYPTED, FILE_READER)]   # how it was opened
        return wr
    problems = join_parts(spath, tables, problems)     # one table's columns typed on two sheets
    problems = assign_bases(tables, notes + problems, spath, find_cover(book.sheets, tables))
    if record is not None:
        _apply_record(tables, record)
    status = "partial" if any(p.severity == ERROR for p in problems) else "ok"
    return WorkbookRead(path=spath, status=status, tables=tables, problems=problems, sha256=check.sha256,
                        record=record, programme=recognised.name if recognised is not None else None,
                        marked=sheet_names.holds_marks(book.sheets))


def _filled(sheet: Sheet) -> bool:
    """Any cell of the sheet holds something other than blanks."""
    return any(v is not None and v != "" and not (type(v) is str and not v.strip()) for row in sheet.rows for v in row)


#: the kinds a file name promises; a file of another kind gets an info naming what it really is
SUFFIX_KINDS = {
    **dict.fromkeys((".xlsx", ".xltx", ".xlsm", ".xltm", ".xlam"), ("xlsx", "xlsm")),
    **dict.fromkeys((".xls", ".xlt", ".xla"), ("xls", "biff")),
    ".xlsb": ("xlsb",), ".ods": ("ods",), ".ots": ("ods",), ".fods": ("fods",),
    **dict.fromkeys((".csv", ".tsv", ".txt"), ("csv",)),
    **dict.fromkeys((".htm", ".html"), ("html",)), **dict.fromkeys((".mht", ".mhtml"), ("mhtml",)),
    ".xml": ("xml2003",),
}
#: a web page or a text file with no form in it is set aside like any other document, unless named as a workbook
TEXT_KINDS = frozenset({"html", "mhtml", "csv"})


def _format_notes(path: str, kind: str, book) -> list[Problem]:
    """An info when the content is not what the name says (.xlsx named .xls, a web page named .xls, any WPS .et),
    and one when the fast reader failed and another read the file."""
    name, suffix = archive.display_name(path), Path(path).suffix.lower()
    out = []
    if kind not in SUFFIX_KINDS.get(suffix, ()) and kind in KINDS:
        out.append(Problem(FILE_FORMAT, INFO, f"文件“{name}”实际是{KINDS[kind]}，已按实际格式读取。", file=path))
    if book.reader == "LibreOffice":
        tried = "；".join(f"{reader}：{reason}" for reader, reason in book.failed)
        why = f"（其他读取器未能读取：{tried}）" if tried else ""
        if kind in FOREIGN_KINDS:   # the note below names the format already
            out = []
        out.append(Problem(FILE_READER, INFO, f"文件“{name}”是{KINDS.get(kind, kind)}，已由 LibreOffice 转换后读取{why}；"
                       "如读取的内容不全，请用 Excel 或 WPS 另存为 .xlsx 后重新报送。", file=path))
    elif book.failed:
        why = "；".join(f"{reader}：{reason}" for reader, reason in book.failed)
        out.append(Problem(FILE_READER, INFO, f"文件“{name}”由 {book.reader} 读取（此前的读取器未能读取：{why}）。",
                           file=path))
    return out


class _GridCheck:
    """What read_programme_book asks of a file's sniff, for sheets already in memory: no kind, no digest."""

    kind = "grid"
    sha256 = None


def read_grids(label: str, sheets: list[Sheet]) -> WorkbookRead:
    """Every known form in sheets already in memory (the open book behind Excel's 校验 button).

    `label` names the workbook in problems; each Sheet's rows start at A1. Same
    rules as read_workbook, without a file: no sniffing and no formula check. An xlbase 汇总表
    keeps its record (its hidden sheet is among the book's sheets), so the button judges it as
    `xlbase validate` does.
    """
    programme, recognised, said = reading_programme(label, sheets)
    if programme.generic:    # another programme's workbook (its template's 校验 button): its own form set
        return read_programme_book(programme, recognised, label, sheets, _GridCheck(), said)
    try:
        tables, problems, record = _read_sheets(label, sheets, "grid")
    except Exception:  # a reader bug must not stop the button
        log.exception("reader failed on %s", label)
        return unusable(label, "read-failed", MESSAGES["check-failed"].format(name=label), None)
    if not tables:
        msg = f"工作簿“{label}”中没有找到可识别的表格（附件2、3、4、10、11）。"
        return unusable(label, "no-form", msg, None)
    problems = assign_bases(tables, problems, label, find_cover(sheets, tables))
    if record is not None:
        _apply_record(tables, record)
    status = "partial" if any(p.severity == ERROR for p in problems) else "ok"
    return WorkbookRead(path=label, status=status, tables=tables, problems=problems, record=record)


#: names a spreadsheet goes by: such a file that is no readable spreadsheet is an error (disguised or broken)
SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".xlt", ".xlsb", ".et", ".ett",
                                  ".ods", ".ots", ".fods"})
ARCHIVE_SUFFIXES = frozenset({".zip", ".rar", ".7z", ".gz", ".tgz", ".tar", ".bz2", ".xz"})
#: what other files are, by sniff code or, for files sniff cannot vet (too large, encrypted), by name
NOT_SHEET_KINDS = {
    "word-file": "Word 文档", "pdf-file": "PDF 文件", "image-file": "图片", "ppt-file": "演示文稿",
    "html-renamed": "网页", "csv-renamed": "文本文件", "not-excel": "其他文件",
}
DOCUMENT_SUFFIXES = {
    **dict.fromkeys((".doc", ".docx", ".docm", ".dot", ".dotx", ".wps", ".wpt", ".odt", ".rtf"), "Word 文档"),
    **dict.fromkeys((".pdf", ".ofd"), "PDF 文件"),
    **dict.fromkeys((".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".heic"), "图片"),
    **dict.fromkeys((".ppt", ".pptx", ".dps", ".odp"), "演示文稿"),
    **dict.fromkeys((".htm", ".html", ".mht", ".mhtml"), "网页"),
    **dict.fromkeys((".txt", ".csv", ".tsv"), "文本文件"),
}
NOT_SPREADSHEET = "not-spreadsheet"   # WorkbookRead.status of a file that is no spreadsheet (JSON inputs)


def _not_read(path: str, check) -> WorkbookRead:
    """A file sniff did not pass: an error when it should have been a spreadsheet, else said once and set aside.

    Named .xlsx/.xls/.et/.ods… it is a disguised or broken submission (error). An archive here is one the
    command did not open (read.archive: a zip is opened when its inputs are listed): a warning saying why. Any other file that
    is no spreadsheet by content, or by its name when sniff could not look (too large,
    encrypted .docx), is an info; a .csv a warning, as it may hold a table typed elsewhere.
    """
    name = archive.display_name(path)
    suffix = Path(path).suffix.lower()
    if suffix in SPREADSHEET_SUFFIXES:
        return unusable(path, check.code, check.message, check.sha256)
    if check.code == "archive" or suffix in ARCHIVE_SUFFIXES:
        # a zip the command could not list (damaged, too many entries, no file), a RAR/7z, or a zip in a zip
        p = Problem(FILE_ARCHIVE, WARNING, archive.refusal(path), file=path)
        return WorkbookRead(path=path, status="archive", problems=[p], sha256=check.sha256)
    what = NOT_SHEET_KINDS.get(check.code) if check.code != "not-excel" else None
    what = what or DOCUMENT_SUFFIXES.get(suffix) or NOT_SHEET_KINDS.get(check.code)
    if what is None:
        return unusable(path, check.code, check.message, check.sha256)
    if suffix == ".csv":
        msg = (f"文件“{name}”是 CSV 文本文件，不是表格文件，未读取；如果其中是申报数据，"
               "请用 Excel 或 WPS 打开后另存为 .xlsx 再放进收件文件夹。")
        p = Problem(FILE_NOT_SPREADSHEET, WARNING, msg, file=path)
    else:
        p = Problem(FILE_NOT_SPREADSHEET, INFO, f"文件“{name}”不是表格文件（{what}），未读取。", file=path)
    return WorkbookRead(path=path, status=NOT_SPREADSHEET, problems=[p], sha256=check.sha256)


def _read_sheets(path: str, sheets: list[Sheet], kind: str) -> tuple[list[Table], list[Problem], dict | None]:
    """The forms in `sheets`, their problems, and the record when the workbook is an xlbase 汇总表.

    A 汇总表 of ours (it carries a record) is read as a lower level's submission: 附件11 as usual,
    and 入驻企业 as its 附件3 rows, with the provenance columns kept (`firm_provenance`).
    """
    tables: list[Table] = []
    problems: list[Problem] = []
    ours = sheet_names.is_xlbase_output([s.name for s in sheets])
    record = next((summary_record.from_cells(s.rows) for s in sheets if s.name == sheet_names.SUMMARY_RECORD),
                  None) if ours else None
    found_in: dict[int, list[FoundTable]] = {}
    verticals: dict[int, tuple[Sheet, list[FoundTable], dict[str, str]]] = {}
    for i, sheet in enumerate(sheets):
        report = ours and sheet.name in sheet_names.REPORT_SHEETS
        own_firms = record is not None and sheet.name == sheet_names.FIRMS
        if sheet.visible and not is_guide(sheet.name) and (own_firms or not report):
            found_in[i] = find_tables(sheet)
            vertical = find_vertical(sheet) if not found_in[i] and not ours else None
            if vertical is not None and not _more_a_record(sheet, vertical[1]):
                verticals[i] = vertical
    several = _several_bases([(sheets[i], found) for i, found in found_in.items()]
                             + [(turned, vts) for turned, vts, _ in verticals.values()])
    names = [s.name for s in sheets]
    for i, sheet in enumerate(sheets):
        own_firms = record is not None and sheet.name == sheet_names.FIRMS
        report = ours and sheet.name in sheet_names.REPORT_SHEETS
        if not sheet.visible and not is_guide(sheet.name) and not report and \
                not sheet_names.is_template_helper(sheet.name, names):
            problems.extend(p for p in [hidden_sheet_problem(path, sheet, A2_MIN_FIELDS)] if p)
        if i not in found_in:
            continue
        n_tables = len(tables)
        found = found_in[i]
        if own_firms:
            found = [ft for ft in found if ft.family == FIRM_FORM][:1]
        if i in verticals:      # 附件10 typed down a column: read on the transpose, addresses turned back
            turned, vts, where = verticals[i]     # where: pairs side by side, unfolded (vertical.unfold_pairs)
            for ft in vts:
                n_problems = len(problems)
                form_id = choose_summary(turned, ft, 0)
                if several and form_id == BASE_FORM:     # one base per sheet: the county's list, turned
                    form_id = SUMMARY_FORM
                heading = heading_line(turned, ft)
                t = table_from(path, turned, ft, form_id, kind, problems, heading=heading)
                t.transposed, t.org_line = True, org_line(sheet, ft.heads[min(ft.heads)].col if ft.heads else 0, 0)
                t.cell_map = where
                problems[n_problems:] = [replace(p, cell=typed_at(p.cell, where), message=typed_at(p.message, where))
                                         for p in turned_back(problems[n_problems:], heading)]
                tables.append(t)
            continue
        used_rows: set[int] = set()
        top = 0
        for ft in found:
            # a table typed beside another (a 附件11 and its firm list side by side) is read without the other's cells
            view, top = (without(sheet, ft.beside), 0) if ft.beside else (sheet, top)
            form_id = FIRM_FORM if own_firms else choose_summary(view, ft, top)
            if several and form_id == BASE_FORM:     # one base per sheet or table: the county's list
                form_id = SUMMARY_FORM
            used_rows.update(range(ft.header_rows[0], ft.end_row))
            ours_extra = dict(ft.extra) if record is not None else {}
            ft.extra = {} if record is not None else ft.extra   # our own columns (来源文件, 所属基地…) are not unknown
            n_problems = len(problems)
            t = table_from(path, view, ft, form_id, kind, problems, top)
            if record is not None:   # our own 汇总 row is no clerk's doing
                problems[n_problems:] = [p for p in problems[n_problems:] if p.rule != TOTAL_ROW]
            if own_firms:
                firm_provenance(t, view, ft, ours_extra)
            if "_row_base" in t.data.columns:
                pieces = split_by_row_base(t)
                tables += pieces[:-1]
                t = pieces[-1]
            if t.form.kind == "mixed":     # a record head above the table (附件4's own rent)
                head = find_record(view, form_id, rows=range(top, ft.header_rows[0]))
                if head:
                    fill_record(path, view, t, head, problems, say_missing=True)
                    used_rows.update(head.rows)
                own_row(path, t, problems, {r + 1: view.get(r, ft.number_col) for r in range(ft.header_rows[1] + 1, ft.end_row)}
                        if ft.number_col is not None else None)
            tables.append(t)
            top = ft.end_row
        a2 = find_record(sheet, RECORD_FORM, skip=used_rows, min_fields=A2_MIN_FIELDS)
        if a2 is not None:
            t = Table(form_id=RECORD_FORM, file=path, sheet=sheet.name)
            fill_record(path, sheet, t, a2, problems, say_missing=True)
            tables.append(t)
        elif not any(t.form_id == RENT_FORM and t.sheet == sheet.name for t in tables):
            head = find_record(sheet, RENT_FORM, skip=used_rows, min_fields=2)
            if head is not None and OWN_RENT in head.values:
                t = Table(form_id=RENT_FORM, file=path, sheet=sheet.name)
                fill_record(path, sheet, t, head, problems, say_missing=True)
                t.missing_fields = [f.key for f in t.form.table_fields]
                tables.append(t)
        if len(tables) == n_tables:
            problems.extend(p for p in [unread_sheet_problem(path, sheet)] if p)
    return tables, problems, record


def _more_a_record(sheet: Sheet, vertical: list[FoundTable]) -> bool:
    """The sheet read as a 附件2 (label | value pairs, across several columns too) explains more of its lines than
    the 附件10 found down its columns: a hand-typed 申请表 in four columns is no two bases' 基本情况 turned (its
    labels in the third column were read as a second base's values)."""
    rec = find_record(sheet, RECORD_FORM, min_fields=A2_MIN_FIELDS)
    return rec is not None and len(rec.values) > max(len(ft.columns) for ft in vertical)


def _several_bases(found_in: list[tuple[Sheet, list[FoundTable]]]) -> bool:
    """The workbook's 附件10 tables name two or more bases: a county's list typed one base per sheet (or per
    table, across or down a column: a vertical table's sheet is its transpose), not one applicant's forms:
    each row is its own base, as in 附件11."""
    names: set[str] = set()
    for sheet, found in found_in:
        rows = sheet.rows
        for ft in found:
            c = ft.columns.get(BASE_NAME)
            if ft.family != BASE_FORM or c is None:
                continue
            names.update(fold(v) for r in ft.data_rows if c < len(rows[r]) and isinstance(v := rows[r][c], str)
                         and fold(v))
            if len(names) >= 2:
                return True
    return False


def _apply_record(tables: list[Table], record: dict) -> None:
    """Each row of our 汇总表 gets its key and its original place from the record.

    附件11 rows: `_base` (the key the lower merge used) and `_src`, `_src_sheet`, `_src_row`,
    `_src_cell` (file shown there, sheet, row, cell of the row it took). 入驻企业 rows: `_base`
    from 所属基地 + 来源文件 (the base's file, or a firm list's own: record `firm_sources`), and `_src_cell` from the source sheet's credit-code column. A row
    the record does not know (the sheet was edited after it was written) keeps only its own place.
    """
    bases = [b for b in record["bases"] if isinstance(b.get("key"), str)]
    by_key = {b["key"]: b for b in bases}
    by_name = {fold(b.get("name")): b for b in bases if b.get("name")}
    apart = [b for b in record.get("firm_sources") or () if isinstance(b, dict) and isinstance(b.get("key"), str)]
    by_firm_source = {(b.get("file"), fold(b.get("name"))): b["key"] for b in (*bases, *apart)}
    letters = {(c[0], c[1]): c[2] for c in record["firm_columns"] if len(c) == 3}
    for t in tables:
        if t.form_id == SUMMARY_FORM and "_base" in t.data.columns:
            picked = [by_key.get(k) or by_name.get(fold(n)) for k, n in zip(t.data["_base"], t.data[BASE_NAME])]
            t.data["_base"] = [b["key"] if b else k for b, k in zip(picked, t.data["_base"])]
            for col, key in (("_src", "file"), ("_src_sheet", "sheet"), ("_src_row", "row"), ("_src_cell", "cell")):
                t.data[col] = [b.get(key) if b else None for b in picked]
            if any(b and b.get("lacking") for b in picked):   # columns its source lacked: its 汇总 stays marked
                t.data["_lacking"] = [tuple(b.get("lacking") or ()) if b else () for b in picked]
        elif t.form_id == FIRM_FORM and "_src" in t.data.columns:
            names = t.data["_base_name"].tolist() if "_base_name" in t.data.columns else [None] * len(t.data)
            folded = {n: fold(n) for n in set(names)}
            srcs, sheets, rows = t.data["_src"].tolist(), t.data["_src_sheet"].tolist(), t.data["_src_row"].tolist()
            t.data["_base"] = [by_firm_source.get((s, folded[n]), "") for s, n in zip(srcs, names)]
            t.data["_src_cell"] = [f"{letters[(s, sh)]}{r}" if (s, sh) in letters and r else ""
                                   for s, sh, r in zip(srcs, sheets, rows)]
