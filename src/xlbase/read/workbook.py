"""read_workbook: one file in, every form found in it out, with provenance and problems.

Never raises for bad input: the safe-open check (sniff) runs first, and an unusable
file, a parse failure or a workbook with no known form becomes one `file-unusable`
Problem with a Chinese message. A file that is no spreadsheet and does not pretend to be
one (the notice as .docx/.pdf, photos of stamped pages) is one info instead, an archive
one warning (`_not_read`): an inbox folder holds them beside the submissions.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import sheet_names, summary_record
from ..forms import SUMMARY_FORM, get_form, name_words
from ..forms.roles import BASE_NAME, CITY, FIRM_FORM, OWN_RENT, RECORD_FORM, RENT_FORM
from ..problems import ERROR, INFO, WARNING, Problem
from ..table import Table, WorkbookRead
from ..text import fold, fold_unbracketed
from .base import assign_bases
from .cover import find_cover
from .docx_cover import read_docx_cover
from .formats import Unreadable, load_book
from .formats.decrypt import with_default_password
from .grid import Sheet, a1, unread_cells
from .normalise import (CONVERTED, NONE_ZERO, NOT_WHOLE, Parsed, describe_expected, normalise_column,
                        parse_value, raw_text)
from .records import FORMULA_NO_VALUE, FoundRecord, find_record, unread_problem, unread_record_problems
from .limits import DEFAULT_LIMITS, MB, Limits, read_memory_for
from .sniff import FOREIGN_KINDS, KINDS, MESSAGES, SniffError, inspect_file
from .labels import line_kind
from .column_notes import header_cells, none_zero_problem, settle_column
from .no_base import is_unfilled, no_base_table, unfilled_answer
from .vertical import find_vertical, turned_back
from .tables import FoundTable, choose_summary, find_tables, hidden_sheet_problem, table_problems
from .programme_sheets import read_programme_book, reading_programme
from ..problem_codes import (FILE_ARCHIVE, FILE_DECRYPTED, FILE_FORMAT, FILE_NOT_SPREADSHEET, FILE_READER,
                             FILE_UNUSABLE, MISSING_COLUMN, PRECISION_LOST, SAMPLE_ROW, TOTAL_ROW,
                             UNPARSEABLE, UNREAD_SHEET, VALUE_CONVERTED)

log = logging.getLogger(__name__)

A2_MIN_FIELDS = 6


def read_workbook(path: str | os.PathLike, *, fast: bool = True, limits: Limits = DEFAULT_LIMITS) -> WorkbookRead:
    """Every known form in one file; never raises for bad input.

    The sniffer's verdict on the content picks the reader (read.formats), never the name;
    a file encrypted with Excel's default password is decrypted first. `fast=False` leaves
    the fast reader (calamine) out: the isolated pool (read.isolation) asks for that after
    calamine killed its worker.
    """
    spath = os.fspath(path)
    check = inspect_file(spath, limits)
    if check.code == "encrypted":
        data = with_default_password(spath, limits.max_file_bytes)
        if data is not None:
            return _read_decrypted(spath, check, data, fast, limits)
    if check.foreign:      # a format only LibreOffice reads: refused by name unless it reads it
        return _read_checked(spath, spath, replace(check, ok=True, kind=check.foreign), fast, [], limits,
                             refusal=check)
    if check.code == "word-file":
        cover = read_docx_cover(spath, limits)
        if cover is not None:     # 附件1 filled in Word: merge.attach ties it to its base, as a workbook's
            return WorkbookRead(path=spath, status=NOT_SPREADSHEET, sha256=check.sha256, cover=cover)
    if not check.ok:
        return _not_read(spath, check)
    return _read_checked(spath, spath, check, fast, [], limits)


def _read_decrypted(path: str, check, data: bytes, fast: bool, limits: Limits) -> WorkbookRead:
    """The plain workbook inside a default-password file, read from a private temporary copy."""
    name = Path(path).name
    note = Problem(FILE_DECRYPTED, INFO, f"文件“{name}”设有 Excel 内置的默认密码（Excel 打开时不询问密码），"
                   "已自动解密后读取。", file=path)
    with tempfile.TemporaryDirectory(prefix="xlbase-") as tmp:
        plain = os.path.join(tmp, "decrypted")
        with open(plain, "wb") as fh:
            fh.write(data)
        inner = inspect_file(plain, limits)
        if not inner.ok:
            return _unusable(path, inner.code, MESSAGES[inner.code].format(
                name=name, kind="", limit="", what=""), check.sha256)
        return _read_checked(path, plain, replace(inner, path=path, sha256=check.sha256), fast, [note], limits)


def _read_checked(spath: str, source: str, check, fast: bool, notes: list[Problem], limits: Limits,
                  refusal=None) -> WorkbookRead:
    """The forms in a file the sniffer passed: `source` is read, problems name `spath`; `refusal` is the
    sniffer's verdict on a format only LibreOffice reads, given when it does not."""
    name = Path(spath).name
    try:
        book = load_book(source, check.kind, fast=fast, limits=limits)
    except Unreadable as exc:
        log.debug("no reader opened %s: %s", spath, exc)
        if refusal is not None:
            return _not_read(spath, refusal)
        if exc.too_large is not None:
            msg = (f"文件“{name}”中有工作表的已用区域过大（约 {exc.too_large.cells:,} 个单元格，"
                   "通常是远处某个单元格误填了内容），无法读取；请删除多余的行列后另存再报送。")
            return _unusable(spath, "sheet-too-large", msg, check.sha256)
        code = "corrupt-ole" if check.kind in ("xls", "biff") else "corrupt-zip"
        found = "；".join(dict.fromkeys(why for _, why in exc.failed))     # read.formats.reasons: in Chinese
        return _unusable(spath, code, MESSAGES[code].format(name=name) + (f"读取时发现：{found}。" if found else ""),
                         check.sha256)
    except SniffError as exc:  # a part that inflates past its cap (lying ZIP sizes)
        return _unusable(spath, exc.code, MESSAGES[exc.code].format(name=name), check.sha256)
    except MemoryError:
        return read_failed(spath, "read-memory", sha=check.sha256)
    except Exception:  # a bug of ours around the readers (each reader's own failure is caught in load_book)
        log.debug("loading failed on %s", spath, exc_info=True)
        return _unusable(spath, "read-failed", MESSAGES["check-failed"].format(name=name), check.sha256)
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
        return _unusable(spath, "read-failed", msg, check.sha256)
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
        wr = _unusable(spath, "no-form", msg, check.sha256)
        wr.problems += [p for p in problems if p.rule == UNREAD_SHEET]   # which sheets had rows, and where
        wr.problems += [p for p in notes if p.rule in (FILE_DECRYPTED, FILE_READER)]   # how it was opened
        return wr
    problems = assign_bases(tables, notes + problems, spath, find_cover(book.sheets, tables))
    if record is not None:
        _apply_record(tables, record)
    status = "partial" if any(p.severity == ERROR for p in problems) else "ok"
    return WorkbookRead(path=spath, status=status, tables=tables, problems=problems, sha256=check.sha256,
                        record=record, programme=recognised.name if recognised is not None else None)


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
    name, suffix = Path(path).name, Path(path).suffix.lower()
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
        return _unusable(label, "read-failed", MESSAGES["check-failed"].format(name=label), None)
    if not tables:
        msg = f"工作簿“{label}”中没有找到可识别的表格（附件2、3、4、10、11）。"
        return _unusable(label, "no-form", msg, None)
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

    Named .xlsx/.xls/.et/.ods… it is a disguised or broken submission (error). An archive
    is a warning: it may hold submissions, and it is never unpacked. Any other file that
    is no spreadsheet by content, or by its name when sniff could not look (too large,
    encrypted .docx), is an info; a .csv a warning, as it may hold a table typed elsewhere.
    """
    name = Path(path).name
    suffix = Path(path).suffix.lower()
    if suffix in SPREADSHEET_SUFFIXES:
        return _unusable(path, check.code, check.message, check.sha256)
    if check.code == "archive" or suffix in ARCHIVE_SUFFIXES:
        msg = f"文件“{name}”是压缩包，请解压后把其中的表格放进收件文件夹再汇总（本工具不会自动解压）。"
        p = Problem(FILE_ARCHIVE, WARNING, msg, file=path)
        return WorkbookRead(path=path, status="archive", problems=[p], sha256=check.sha256)
    what = NOT_SHEET_KINDS.get(check.code) if check.code != "not-excel" else None
    what = what or DOCUMENT_SUFFIXES.get(suffix) or NOT_SHEET_KINDS.get(check.code)
    if what is None:
        return _unusable(path, check.code, check.message, check.sha256)
    if suffix == ".csv":
        msg = (f"文件“{name}”是 CSV 文本文件，不是表格文件，未读取；如果其中是申报数据，"
               "请用 Excel 或 WPS 打开后另存为 .xlsx 再放进收件文件夹。")
        p = Problem(FILE_NOT_SPREADSHEET, WARNING, msg, file=path)
    else:
        p = Problem(FILE_NOT_SPREADSHEET, INFO, f"文件“{name}”不是表格文件（{what}），未读取。", file=path)
    return WorkbookRead(path=path, status=NOT_SPREADSHEET, problems=[p], sha256=check.sha256)


def read_failed(path: str, code: str, limits: Limits = DEFAULT_LIMITS, sha: str | None = None) -> WorkbookRead:
    """The file whose read ran out of memory or time, or crashed its reader ("read-memory", "read-timeout",
    "read-crashed"): one problem naming the limit it passed."""
    msg = MESSAGES[code].format(name=Path(path).name, seconds=limits.read_seconds,
                                memory=f"{read_memory_for(limits, _file_size(path)) // MB} MB")
    return _unusable(path, code, msg, sha)


def _file_size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _unusable(path: str, code: str, message: str, sha: str | None) -> WorkbookRead:
    p = Problem(rule=FILE_UNUSABLE, severity=ERROR, message=message, file=path, value=code)
    return WorkbookRead(path=path, status=code, problems=[p], sha256=sha)


def _read_sheets(path: str, sheets: list[Sheet], kind: str) -> tuple[list[Table], list[Problem], dict | None]:
    """The forms in `sheets`, their problems, and the record when the workbook is an xlbase 汇总表.

    A 汇总表 of ours (it carries a record) is read as a lower level's submission: 附件11 as usual,
    and 入驻企业 as its 附件3 rows, with the provenance columns kept (`_firm_provenance`).
    """
    tables: list[Table] = []
    problems: list[Problem] = []
    ours = sheet_names.is_xlbase_output([s.name for s in sheets])
    record = next((summary_record.from_cells(s.rows) for s in sheets if s.name == sheet_names.SUMMARY_RECORD),
                  None) if ours else None
    for sheet in sheets:
        own_firms = record is not None and sheet.name == sheet_names.FIRMS
        report = ours and sheet.name in sheet_names.REPORT_SHEETS
        if not sheet.visible and not _is_guide(sheet.name) and not report:
            problems.extend(p for p in [hidden_sheet_problem(path, sheet, A2_MIN_FIELDS)] if p)
        if not sheet.visible or _is_guide(sheet.name) or (report and not own_firms):
            continue
        n_tables = len(tables)
        found = find_tables(sheet)
        if own_firms:
            found = [ft for ft in found if ft.family == FIRM_FORM][:1]
        vertical = find_vertical(sheet) if not found and not ours else None
        if vertical is not None:      # 附件10 typed down a column: read on the transpose, addresses turned back
            turned, vts = vertical
            for ft in vts:
                n_problems = len(problems)
                t = _table_from(path, turned, ft, choose_summary(turned, ft, 0), kind, problems)
                t.transposed, t.org_line = True, _org_line(sheet, ft.heads[min(ft.heads)].col if ft.heads else 0, 0)
                problems[n_problems:] = turned_back(problems[n_problems:])
                tables.append(t)
            continue
        used_rows: set[int] = set()
        top = 0
        for ft in found:
            form_id = FIRM_FORM if own_firms else choose_summary(sheet, ft, top)
            used_rows.update(range(ft.header_rows[0], ft.end_row))
            ours_extra = dict(ft.extra) if record is not None else {}
            ft.extra = {} if record is not None else ft.extra   # our own columns (来源文件, 所属基地…) are not unknown
            n_problems = len(problems)
            t = _table_from(path, sheet, ft, form_id, kind, problems, top)
            if record is not None:   # our own 汇总 row is no clerk's doing
                problems[n_problems:] = [p for p in problems[n_problems:] if p.rule != TOTAL_ROW]
            if own_firms:
                _firm_provenance(t, sheet, ft, ours_extra)
            if "_row_base" in t.data.columns:
                pieces = split_by_row_base(t)
                tables += pieces[:-1]
                t = pieces[-1]
            if t.form.kind == "mixed":     # a record head above the table (附件4's own rent)
                head = find_record(sheet, form_id, rows=range(top, ft.header_rows[0]))
                if head:
                    _fill_record(path, sheet, t, head, problems)
                    used_rows.update(head.rows)
            tables.append(t)
            top = ft.end_row
        a2 = find_record(sheet, RECORD_FORM, skip=used_rows, min_fields=A2_MIN_FIELDS)
        if a2 is not None:
            t = Table(form_id=RECORD_FORM, file=path, sheet=sheet.name)
            _fill_record(path, sheet, t, a2, problems)
            tables.append(t)
        elif not any(t.form_id == RENT_FORM and t.sheet == sheet.name for t in tables):
            head = find_record(sheet, RENT_FORM, skip=used_rows, min_fields=2)
            if head is not None and OWN_RENT in head.values:
                t = Table(form_id=RENT_FORM, file=path, sheet=sheet.name)
                _fill_record(path, sheet, t, head, problems)
                t.missing_fields = [f.key for f in t.form.table_fields]
                tables.append(t)
        if len(tables) == n_tables:
            problems.extend(p for p in [unread_sheet_problem(path, sheet)] if p)
    return tables, problems, record


#: a visible sheet where no form was found is reported when it has at least UNREAD_MIN_ROWS rows of at
#: least UNREAD_MIN_CELLS filled cells each: rows of a table (a 附件3 continued without its header); a
#: cover (label, value), a notes sheet (one cell a line) or a signature line stay quiet
UNREAD_MIN_ROWS = 3
UNREAD_MIN_CELLS = 3


def unread_sheet_problem(path: str, sheet: Sheet) -> Problem | None:
    """A warning naming a visible sheet whose table rows were not read because no header was found on it."""
    filled = []
    for r, row in enumerate(sheet.rows):
        cols = [c for c, v in enumerate(row) if v != "" and v is not None and not (type(v) is str and not v.strip())]
        if cols:
            filled.append((r, cols))
    if sum(len(cols) >= UNREAD_MIN_CELLS for _, cols in filled) < UNREAD_MIN_ROWS:
        return None
    top, left = filled[0][0], min(cols[0] for _, cols in filled)
    span = f"{a1(top, left)}:{a1(filled[-1][0], max(cols[-1] for _, cols in filled))}"
    return Problem(UNREAD_SHEET, WARNING,
                   f"工作表“{sheet.name}”有 {len(filled)} 行内容（{span}），但没有找到官方表格的表头，未读取；"
                   "如果是附件3的续表，请把表头复制到数据上方，或把这些行移到附件3 表中。",
                   path, sheet.name, a1(top, left))


PROVENANCE_HEADS = {sheet_names.FIRMS_BASE: "_base_name", sheet_names.FIRMS_FILE: "_src",
                    sheet_names.FIRMS_SHEET: "_src_sheet", sheet_names.FIRMS_ROW: "_src_row"}


def _firm_provenance(t: Table, sheet: Sheet, ft: FoundTable, extra: dict[int, str]) -> None:
    """The 入驻企业 columns that say where each row came from, as `_base_name`, `_src`, `_src_sheet`, `_src_row`."""
    heads = {fold(h): name for h, name in PROVENANCE_HEADS.items()}
    cols = {heads[fold(text)]: c for c, text in extra.items() if fold(text) in heads}
    picked = _column_cells(sheet.rows, ft.data_rows, list(cols.values()))
    for name, values in zip(cols, picked):
        if name == "_src_row":
            values = [int(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None for v in values]
        else:
            values = [v if isinstance(v, str) and v else None for v in values]
        t.data[name] = values


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


GUIDE_WORDS = ("说明", "指南", "帮助", "须知", "readme")
#: the sheets our templates add beside the forms (templates.guide, templates.check_sheet)
TEMPLATE_SHEETS = ("填表说明", "表内检查")
_GUIDE_QUALIFIERS = re.compile(r"填表|填报|填写|使用|操作|表格|模板|工作表|sheet|[\W\d_]")


def _is_guide(name: str) -> bool:
    """Instruction sheets (ours: 填表说明) list every label: never read them as forms.

    Only a sheet named for instructions alone (说明, 填报说明, 使用指南 2): a clerk's
    "入驻企业情况说明" is a form sheet that happens to say 说明, and is read.
    """
    if name in TEMPLATE_SHEETS:
        return True
    low = name.lower()
    if not any(w in low for w in GUIDE_WORDS):
        return False
    rest = low
    for w in GUIDE_WORDS:
        rest = rest.replace(w, "")
    return not _GUIDE_QUALIFIERS.sub("", rest)


def _problem(path: str, sheet: str, cell: str, form_id: str, key: str, raw: str, p: Parsed) -> Problem:
    f = get_form(form_id).field(key)
    label = f.label
    expected = describe_expected(f)
    if p.note == CONVERTED:
        return Problem(VALUE_CONVERTED, INFO, f"{form_id}“{label}”{p.detail}", path, sheet, cell, form_id, key,
                       value=raw)
    if p.note == NOT_WHOLE:
        msg = f"{form_id}“{label}”的值“{raw}”不是整数，已保留原文；请填写整数。"
    elif p.note == PRECISION_LOST:
        msg = f"{form_id}“{label}”的值“{raw}”{p.detail}。"
        return Problem(PRECISION_LOST, ERROR, msg, path, sheet, cell, form_id, key, value=raw)
    else:
        extra = f"（{p.detail}）" if p.detail else ""
        msg = f"{form_id}“{label}”的值“{raw}”无法识别为{expected}{extra}，已保留原文；请按{expected}填写。"
    return Problem(UNPARSEABLE, ERROR, msg, path, sheet, cell, form_id, key, value=raw)


ORG_LINE_REACH = 4   # rows above a header searched for its 填报单位 line


def _org_line(sheet: Sheet, header_top: int, top: int) -> str:
    """The 填报单位 line just above a table (not above the previous table's end), its cells joined."""
    for r in range(header_top - 1, max(top, header_top - ORG_LINE_REACH) - 1, -1):
        row = sheet.rows[r] if r < sheet.n_rows else ()
        if any(line_kind(v) == "org" for v in row):
            return " ".join(str(v).strip() for v in row if isinstance(v, str) and v.strip())
    return ""


def _heading(sheet: Sheet, header_top: int, top: int) -> tuple[tuple[str, str], ...]:
    """The text lines just above a table's header (not above the previous table's end): (A1, texts joined)."""
    out = []
    for r in range(max(top, header_top - ORG_LINE_REACH), min(header_top, sheet.n_rows)):
        cells = [(c, v.strip()) for c, v in enumerate(sheet.rows[r]) if isinstance(v, str) and v.strip()]
        if cells:
            out.append((a1(r, cells[0][0]), " ".join(v for _, v in cells)))
    return tuple(out)


def _row_bases(t: Table, sheet: Sheet, ft: FoundTable) -> None:
    """A firm list's column naming each row's base (所属基地: one county list for several bases) as
    `_row_base`, a blank cell taking the name above it (a name merged down its base's rows); the column
    is used, so no unknown column. merge.attach ties each base's rows to it."""
    words = {fold_unbracketed(w) for w in name_words().get("base_column") or ()}
    col = next((c for c, head in ft.extra.items() if fold_unbracketed(head) in words), None)
    if col is None:
        return
    names, last = [], None
    for r in ft.data_rows:
        v = sheet.get(r, col)
        if isinstance(v, str) and v.strip():
            last = v.strip()
        names.append(last)
    if any(names):
        t.data["_row_base"] = names
        del ft.extra[col]


def split_by_row_base(t: Table) -> list[Table]:
    """A firm list whose 所属基地 column names several bases, as one table per base named (in the order
    first named; rows above the first name go with the first): each is a list of its own base, tied to
    it by merge.attach like a list sent alone."""
    col = t.data["_row_base"]
    names = list(dict.fromkeys(v for v in col if isinstance(v, str)))
    if len(names) < 2:
        return [t]
    pieces = []
    for i, name in enumerate(names):
        mask = ((col == name) | col.isna()).to_numpy() if i == 0 else (col == name).to_numpy()
        pieces.append(replace(t, data=t.data[mask].reset_index(drop=True), raw=t.raw[mask].reset_index(drop=True),
                              totals=list(t.totals) if i == 0 else [], base=dict(t.base)))
    return pieces


def _table_from(path: str, sheet: Sheet, ft: FoundTable, form_id: str, kind: str,
                problems: list[Problem], top: int = 0) -> Table:
    form = get_form(form_id)
    t = Table(form_id=form_id, file=path, sheet=sheet.name, header_row=ft.header_rows[1] + 1,
              org_line=_org_line(sheet, ft.header_rows[0], top))
    if form_id == FIRM_FORM:    # where a firm list sent apart from its base names it (merge.attach)
        t.heading = _heading(sheet, ft.header_rows[0], top)
    t.columns = {k: c + 1 for k, c in ft.columns.items()}
    rows = ft.data_rows
    n = len(rows)
    ordered = [f.key for f in form.table_fields if f.key in ft.columns]
    data = np.empty((len(ordered), n), dtype=object)     # one row per field: a frame per table, not per column
    raw = np.empty((len(ordered), n), dtype=object)      # None where nothing needs the clerk's text
    empties: dict[str, tuple[str, int]] = {}
    cells = _column_cells(sheet.rows, rows, [ft.columns[k] for k in ordered])
    for j, (key, values) in enumerate(zip(ordered, cells)):
        col = ft.columns[key]
        normed, notes = normalise_column(values, form.field(key))
        normed, notes = settle_column(path, sheet, ft, form_id, form.field(key), values, normed, notes, problems)
        data[j] = np.fromiter(normed, dtype=object, count=n)
        raw[j] = np.fromiter(_raw_where_none(values, normed), dtype=object, count=n)
        for i, p in enumerate(notes):
            if p is not None:
                problems.append(_problem(path, sheet.name, a1(rows[i], col), form_id, key, _text(values[i]), p))
        if "" in values:
            for i, v in enumerate(values):
                if v == "":
                    empties[a1(rows[i], col)] = (key, i)
    row_numbers = np.fromiter((r + 1 for r in rows), dtype="int64", count=n)
    t.data = _frame(row_numbers, ordered, data)
    if ft.row_section:    # a list of bases in sections (一、榆次区): each row's section, for its place
        t.data["_section"] = [ft.sections.get(ft.row_section.get(r, -1)) for r in rows]
    t.raw = _frame(row_numbers.copy(), ordered, raw)
    if empties and kind in ("xlsx", "xlsm"):
        for cell, error in sorted(unread_cells(path, sheet.name, set(empties)).items()):
            key, i = empties[cell]
            t.raw.at[i, key] = error or FORMULA_NO_VALUE       # not blank: no second problem (required)
            problems.append(unread_problem(path, sheet.name, cell, form_id, key, error))
    for r in ft.total_rows:
        total: dict[str, Any] = {"_row": r + 1}
        for key in ordered:
            total[key] = parse_value(sheet.get(r, ft.columns[key]), form.field(key)).value
        t.totals.append(total)
    if form_id == FIRM_FORM and ft.extra:
        _row_bases(t, sheet, ft)
    t.extra_columns.extend(ft.extra.values())
    problems.extend(table_problems(path, sheet, ft, form_id))   # unknown/repeated columns, totals, skipped lines
    for f in form.table_fields:
        if f.key in ft.columns or f.merge_only or not rows:   # an empty table ("无", unfilled) lacks nothing
            continue
        t.missing_fields.append(f.key)
        if f.official:   # our own columns (所在市, 基地类型, 所属行业…) are no clerk's duty: nothing to report
            problems.append(_missing_column(path, sheet.name, header_cells(ft), form_id, f, list(ft.extra.values())))
    for r in ft.sample_rows:
        problems.append(Problem(SAMPLE_ROW, INFO, f"{form_id}第{r + 1}行是填表示例行，已忽略。",
                                path, sheet.name, a1(r, ft.columns.get(form.table_fields[0].key, 0)), form_id))
    return t


def _missing_column(path: str, sheet: str, header: str, form_id: str, f, unrecognised: list[str]) -> Problem:
    """An official column the table lacks, pointed at the table's header (`header`, its cells): an error when
    it is required and the table has no header we could not place (the column is really absent); a warning
    when one of those might be it under another wording (not proven absent) or the column's values are often
    none (Field.blank_may_be_zero: a column left out is every cell blank); an info for a column the form
    does not require."""
    if f.required and not f.blank_may_be_zero and not unrecognised:
        return Problem(MISSING_COLUMN, ERROR, f"{form_id}表头（{header}）缺少“{f.label}”列；请按通知中的表样补上该列。",
                       path, sheet, header, form_id, f.key)
    maybe = "、".join(f"“{h}”" for h in unrecognised[:3])
    tail = f"如果{maybe}就是该列，请改用标准栏目名称“{f.label}”" if unrecognised else "请按通知中的表样补上该列"
    return Problem(MISSING_COLUMN, WARNING if f.required else INFO,
                   f"{form_id}表头（{header}）中没有找到“{f.label}”列；{tail}。", path, sheet, header, form_id, f.key)


def _column_cells(grid: list[list[Any]], rows: list[int], cols: list[int]) -> list[list[Any]]:
    """The cells of `cols` in `rows`, one list per column ('' past the end of a short row)."""
    picked = [grid[r] for r in rows]
    if not picked:
        return [[] for _ in cols]
    if min(map(len, picked)) > max(cols, default=-1):   # calamine's rows are all full width: transpose in C
        transposed = list(zip(*picked))
        return [list(transposed[c]) for c in cols]
    return [[row[c] if c < len(row) else "" for row in picked] for c in cols]


def _text(v: Any) -> str:
    """The clerk's text of a cell (str cells as they are)."""
    return v if type(v) is str else raw_text(v)


def _raw_where_none(values: list[Any], normed: list[Any]) -> list[str | None]:
    """Table.raw for one column: the clerk's text where no value was read (blank words, unparseable text,
    what a message quotes), None where the value itself says it; no text is built for typed numbers."""
    if None not in normed:
        return [None] * len(values)
    return [_text(v) if d is None else None for v, d in zip(values, normed)]


def _frame(row_numbers: np.ndarray, keys: list[str], columns: np.ndarray) -> pd.DataFrame:
    """`_row` (int64) then one object column per key (rows of `columns`); dtype=object keeps pandas from
    inferring str columns."""
    df = pd.DataFrame(columns.T, index=pd.RangeIndex(len(row_numbers)), columns=_column_index(tuple(keys)),
                      dtype=object, copy=False)
    df.insert(0, "_row", row_numbers)
    return df


@lru_cache(maxsize=256)
def _column_index(keys: tuple[str, ...]) -> pd.Index:
    """One (immutable) column Index per field layout: building it infers its dtype, half a frame's cost."""
    return pd.Index(keys)


def _fill_record(path: str, sheet: Sheet, t: Table, rec: FoundRecord, problems: list[Problem]) -> None:
    form = get_form(t.form_id)
    none_cells = []
    for key, value in rec.values.items():
        f = form.field(key)
        cell = a1(*rec.cells[key])
        p = parse_value(value, f)
        t.record[key] = p.value
        t.record_raw[key] = raw_text(value)
        t.record_cells[key] = cell
        if p.note == NONE_ZERO:          # "无", "/": none, said once per form
            none_cells.append(cell)
        elif p.note:
            problems.append(_problem(path, sheet.name, cell, t.form_id, key, raw_text(value), p))
    problems += [p for p in [none_zero_problem(path, sheet.name, t.form_id, none_cells)] if p]
    problems += unread_record_problems(path, t)
    from ..identity import locate
    for label, (value, pos) in rec.combined.items():
        city, county = locate(value)
        targets = [f for f in form.record_fields if f.combined == label]
        for f in targets:
            if f.key in t.record and t.record[f.key] is not None:
                continue
            got = city if f.identity == CITY else county
            t.record[f.key] = got
            t.record_raw[f.key] = raw_text(value)
            t.record_cells[f.key] = a1(*pos)
        if raw_text(value).strip() and (city is None or county is None):
            problems.append(Problem(UNPARSEABLE, WARNING if city else ERROR,
                                    f"{t.form_id}“{label}”的值“{raw_text(value)}”无法识别出所在市和县（市、区），"
                                    "请填写如“忻州市忻府区”。", path, sheet.name, a1(*pos), t.form_id,
                                    targets[0].key if targets else "", value=raw_text(value)))
    for f in form.record_fields:
        if f.key not in t.record:
            t.record[f.key] = None
            if f.key not in t.missing_fields:
                t.missing_fields.append(f.key)
