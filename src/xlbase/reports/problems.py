"""Reports shared by validate and merge: the stable JSON report and the 问题清单 sheet.

The JSON shape is a contract for scripts (ARCHITECTURE.md); the sheet is for an
officer: one row per problem, filterable, coloured by severity, linked to the file.
"""

from __future__ import annotations

import json
from pathlib import Path
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterable

from .. import sheet_names
from ..forms import get_form
from ..forms.programmes import DEFAULT_NOUN
from ..problems import ERROR, INFO, SEVERITY_LABELS, WARNING, Problem, count_by_severity, sort_problems
from ..table import NOT_READ
from ..safe_output import atomic_output, cell_text, is_formula_like, write_text
from ..templates.styles import lines_needed
from ..problem_codes import FILE_UNUSABLE

if TYPE_CHECKING:
    import xlsxwriter

REPORT_VERSION = 1
BASE_COLUMN = DEFAULT_NOUN     # said as the programme's noun
PROBLEM_COLUMNS = ("严重程度", "文件", "工作表", "单元格", "表单", "字段", BASE_COLUMN, "问题类别", "问题说明", "值", "标准",
                   "规则编号", "文件完整路径")
_WIDTHS = (6, 16, 8, 7, 6, 12, 16, 10, 52, 10, 8, 22, 60)
UNPRINTED = 2           # 规则编号 and 文件完整路径: for filtering and the link, not for the printed return slip


def summary_counts(problems: Iterable[Problem], **extra: Any) -> dict[str, Any]:
    c = count_by_severity(problems)
    out = {"files": 0, "bases": 0, "firms": 0}
    out.update(extra)
    out.update(errors=c["error"], warnings=c["warning"], infos=c["info"])
    return out


def write_json_report(path: Path | str, *, command: str, pack: Any, inputs: list[dict], problems: Iterable[Problem],
                      summary: dict[str, Any]) -> None:
    """The --json report: {version, command, rule_pack, as_of, inputs, problems, summary}, written atomically."""
    problems = sort_problems(problems)
    counts = summary_counts(problems)
    doc = {
        "version": REPORT_VERSION,
        "command": command,
        "rule_pack": getattr(pack, "id", pack),
        "as_of": pack.as_of.isoformat() if getattr(pack, "as_of", None) else None,
        "inputs": [{k: i.get(k) for k in ("file", "status", "sha256", "rows_read", "rows_merged", "rows_rejected")}
                   for i in inputs],
        "problems": [p.to_dict() for p in problems],
        "summary": {**counts, **{k: v for k, v in summary.items() if k in ("files", "bases", "firms")},
                    **{k: v for k, v in summary.items() if k not in counts}},
    }
    with atomic_output(path) as tmp:
        # backslashreplace: a file name that is not valid UTF-8 becomes a \udcxx JSON escape
        tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8", errors="backslashreplace")


@lru_cache(maxsize=None)
def _posix_file_url() -> type:
    """xlsxwriter's Url (links as Url objects: xlsxwriter >= 3.2) for a local POSIX file; made on first use, so
    that reading the constants here (the 校验 button, the marked copy) does not import xlsxwriter."""
    from xlsxwriter.url import Url, UrlTypes

    class _PosixFileUrl(Url):
        """A link to a local POSIX file as an RFC 8089 URI (Path.as_uri(): absolute, Chinese percent-encoded).

        xlsxwriter rewrites every "file://" or "external:" link into a Windows path, so
        /tmp/收件/a.xlsx became the relationship Target "\\tmp\\收件\\a.xlsx", which no program
        can open; this keeps the URI as the Target and the cell as the link's location.
        """

        _text: str          # set by Url.__init__ (the cell's display text), read here

        def _parse_url(self) -> None:
            self._link_type = UrlTypes.EXTERNAL
            self._link, _, self._anchor = self._original_url.partition("#")
            self._relationship_link = self._link
            self._text = self._text or self._link

    return _PosixFileUrl


def _link(file: str, sheet: str, cell: str):
    """The link to `file` (at 'Sheet'!A1 when given) for a local file that exists, as an xlsxwriter Url;
    None for anything else (URLs, missing files, a name that is not valid UTF-8, a link too long)."""
    if not file or "://" in file:
        return None
    p = Path(file)
    try:
        if not p.is_file():
            return None
        full = p.resolve()
        str(full).encode("utf-8")  # a name that is not valid UTF-8 cannot go into the sheet XML
    except (OSError, ValueError, RuntimeError):  # UnicodeEncodeError is a ValueError
        return None
    anchor = f"#'{sheet.replace(chr(39), chr(39) * 2)}'!{cell}" if sheet and cell else ""
    from xlsxwriter.url import Url
    try:
        if full.drive:  # Windows: xlsxwriter's documented form, written as Excel writes it (file:///C:\…)
            return Url("file:///" + full.as_posix() + anchor)
        return _posix_file_url()(full.as_uri() + anchor)
    except ValueError:  # longer than Excel allows
        return None


def pack_label(pack: object, rules: str | None = None) -> str:
    """'2024年山西省…认定（shanxi-2024-base）': the title a clerk reads, the id to quote."""
    title, pid = getattr(pack, "title", "") or "", getattr(pack, "id", "") or getattr(pack, "name", "") or ""
    if title and pid:
        return f"{title}（{pid}）"
    return str(title or pid or rules or "")


def counts_text(problems: Iterable[Problem]) -> str:
    """'共 23 个问题（错误 8，警告 10，提示 5）'."""
    problems = list(problems)
    c = count_by_severity(problems)
    return f"共 {len(problems)} 个问题（错误 {c['error']}，警告 {c['warning']}，提示 {c['info']}）"


def report_line(pack: object = None, problems: Iterable[Problem] | None = None, *, as_of: Any = None) -> str:
    """The line under a report's title: rule pack, 基准日期 and problem counts, as far as known."""
    as_of = as_of or getattr(pack, "as_of", None)
    parts = [f"规则包：{pack_label(pack)}" if pack is not None else "",
             f"基准日期：{_show(as_of)}" if as_of else "",
             counts_text(problems) if problems is not None else ""]
    return "　".join(p for p in parts if p)


#: short status of an input file, for 文件 sheets (sniff codes: xlbase.read.sniff.MESSAGES)
FILE_STATUS = {
    "ok": "已读取", "partial": "已读取（有错误）", "skipped": "已跳过",
    "not-found": "找不到文件", "is-directory": "是文件夹", "not-a-file": "不是普通文件", "symlink-loop": "循环链接",
    "unreadable": "没有读取权限", "empty": "空文件", "too-large": "文件过大", "encrypted": "已加密",
    "corrupt-zip": "文件已损坏", "truncated": "文件不完整", "missing-workbook": "缺少工作簿内容",
    "zip-bomb": "疑似压缩炸弹", "xml-bomb": "含恶意 XML 定义", "corrupt-ole": "文件已损坏",
    "xlsb": "不支持 .xlsb", "ods-file": "不支持 .ods", "csv-renamed": "CSV 改了扩展名", "html-renamed": "网页改了扩展名",
    "xml2003-renamed": "Excel 2003 XML 表格", "word-file": "Word 文档", "ppt-file": "PowerPoint 文稿",
    "pdf-file": "PDF 文件", "archive": "压缩包", "not-excel": "不是 Excel 文件", "check-failed": "检查失败",
    "image-file": "图片", "sheet-too-large": "工作表过大", "not-spreadsheet": "不是表格文件",
    "no-form": "没有可识别的表格", "read-failed": "读取出错", "read-timeout": "读取超时", "read-memory": "内存超限",
    "read-crashed": "读取程序异常终止", "unsupported-format": "不支持的表格格式",
    # a member of a county's .zip refused alone (read.archive)
    "unsafe-path": "路径指向压缩包以外", "zip-method": "压缩方式不支持",
}


def file_status(code: Any) -> str:
    """A reader status or sniff code in Chinese: '已读取', '无法读取：文件不完整'."""
    code = "" if code is None else str(code)
    label = FILE_STATUS.get(code)
    if label is None:
        return f"无法读取（{code}）" if code else ""
    if code in ("ok", "partial", "skipped"):
        return label
    return f"未读取：{label}" if code in NOT_READ else f"无法读取：{label}"


#: fills by severity: 问题清单's 严重程度 column and the cells `xlbase mark` and the 校验 button mark.
#: Light enough to read the value on screen and on a black-and-white print.
SEVERITY_FILLS = {ERROR: "FFC7CE", WARNING: "FFEB9C", INFO: "DDEBF7"}
_TITLE = {"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"}
_HEAD = {"bold": True, "bg_color": "#D9D9D9", "border": 1, "text_wrap": True, "valign": "vcenter", "align": "center"}
TITLE_ROWS = 2          # title and report line above the header of every report sheet


def _heading(workbook, ws, title: str, line: str, last_col: int, width: float = 0) -> None:
    """Title and the line under it; a line longer than `width` (the merged columns' width) wraps in a row
    tall enough for it (the return pack's 问题清单 says there what to correct and how to resubmit)."""
    ws.merge_range(0, 0, 0, last_col, title, workbook.add_format(_TITLE))
    ws.set_row(0, 24)
    ws.merge_range(1, 0, 1, last_col, cell_text(line), workbook.add_format({"valign": "vcenter", "text_wrap": True}))
    if width and lines_needed(cell_text(line), width) > 1:
        ws.set_row(1, _row_height([line], [width]) + 2)


def _print_setup(ws, header_row: int, last_row: int, last_col: int) -> None:
    """A4 landscape, one page wide, header repeated, page numbers: every report prints as a document."""
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(header_row)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    ws.set_footer("&C第 &P 页，共 &N 页")
    ws.print_area(0, 0, last_row, last_col)


def add_problems_sheet(workbook: xlsxwriter.Workbook, problems: Iterable[Problem], *, name: str = sheet_names.PROBLEMS,
                       display: dict[str, str] | None = None, title: str = "问题清单", line: str | None = None,
                       pack: object = None, noun: str = DEFAULT_NOUN):
    """Add the 问题清单 sheet: title, header, autofilter, frozen header, severity colours, links to sources.

    Rows come as problems.sort_problems orders them: files that could not be used first, then errors,
    warnings and infos, each by file and cell. The 文件 column shows `display` names (relative to the
    inputs' folder, as merge.rows.display_names gives them); 问题类别 the Chinese title of the problem's
    code (problem_codes.title_of: the pack rule's title, else the registry's). The last two columns,
    which do not print, hold the code (as the JSON report has it) and the full path as a link to the cell.
    `noun`: the programme's word for what one application is about (基地, 平台: Programme.noun).
    """
    from ..problem_codes import title_of
    from ..merge.rows import display_names
    problems = sort_problems(problems)
    shown = display if display is not None else display_names(p.file for p in problems if p.file)
    ws = workbook.add_worksheet(name)
    head = workbook.add_format(_HEAD)
    text = workbook.add_format({"text_wrap": True, "valign": "top"})
    quoted = workbook.add_format({"text_wrap": True, "valign": "top", "quote_prefix": True})
    link = workbook.add_format({"font_color": "blue", "underline": 1, "valign": "top", "text_wrap": True})
    printed = len(PROBLEM_COLUMNS) - UNPRINTED - 1     # the last printed column
    _heading(workbook, ws, title, report_line(problems=problems) if line is None else line, printed,
             sum(_WIDTHS[:printed + 1]))
    top = TITLE_ROWS
    for c, (head_text, width) in enumerate(zip(PROBLEM_COLUMNS, _WIDTHS)):
        ws.write_string(top, c, noun if head_text == BASE_COLUMN else head_text, head)
        ws.set_column(c, c, width)
    ws.freeze_panes(top + 1, 0)

    def put(r: int, c: int, value: Any) -> None:
        s = cell_text("" if value is None else value)
        write_text(ws, r, c, s, quoted if is_formula_like(s) else text)

    for r, p in enumerate(problems, start=top + 1):
        put(r, 0, SEVERITY_LABELS[p.severity])
        name_shown = shown.get(p.file) or p.file
        put(r, 1, name_shown)
        value = file_status(p.value) if p.rule == FILE_UNUSABLE else _show(p.value)
        cells = (p.sheet, p.cell, p.form, field_label(p.form, p.field), p.base, title_of(p.rule, pack, noun) or p.rule,
                 p.message, value, _show(p.threshold), p.rule)
        for c, v in enumerate(cells, start=2):
            put(r, c, v)
        # the link goes on the full path: LibreOffice does not wrap a linked cell, so a
        # linked file name would print cut off
        url = _link(p.file, p.sheet, p.cell.replace(":", ",").split(",")[0])   # a link goes to one cell
        if url is not None:
            url.text = cell_text(p.file)
            ws.write_url(r, len(PROBLEM_COLUMNS) - 1, url, link)
        else:
            put(r, len(PROBLEM_COLUMNS) - 1, p.file)
        ws.set_row(r, _row_height((name_shown, *cells[:-1]), _WIDTHS[1:]))
    last = top + max(len(problems), 1)
    ws.autofilter(top, 0, last, len(PROBLEM_COLUMNS) - 1)
    # printable as a return slip to the counties
    _print_setup(ws, top, last, printed)
    for label, colour in zip(SEVERITY_LABELS.values(), SEVERITY_FILLS.values()):
        ws.conditional_format(top + 1, 0, last, 0, {"type": "cell", "criteria": "==", "value": f'"{label}"',
                                                   "format": workbook.add_format({"bg_color": "#" + colour})})
    return ws


def _row_height(texts: Iterable[Any], widths: Iterable[float]) -> float:
    """Points for a row whose wrapped texts all show: spreadsheets do not grow rows on open."""
    lines = max((lines_needed(str(t or ""), w) for t, w in zip(texts, widths)), default=1)
    return min(15.0 * max(lines, 1), 409.0)


def field_label(form_id: str, field: str) -> str:
    """Problems may name a field by key (merge, reader) or by label (rules): show the label."""
    if not field or not form_id:
        return field or ""
    try:
        return get_form(form_id).field(field).label
    except KeyError:
        return field


def _show(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.4f}".rstrip("0").rstrip(".")
    if hasattr(v, "isoformat"):
        return v.isoformat()
    if isinstance(v, bool):
        return "是" if v else "否"
    return str(v)


def write_problems_workbook(path: Path | str, problems: Iterable[Problem], inputs: list[dict], *,
                            pack: object = None, noun: str = DEFAULT_NOUN) -> None:
    """The --xlsx report of validate: 问题清单 plus a 文件 sheet (status in Chinese, rows, sha256).

    Both sheets carry a title and the rule pack and 基准日期 the problems were found with, and
    print one A4 page wide: it is the document a clerk files or sends back to a county.
    """
    from ..merge.rows import display_names
    problems = sort_problems(problems)
    shown = display_names([*(i.get("file") or "" for i in inputs), *(p.file for p in problems if p.file)])
    line = report_line(pack, problems)
    with atomic_output(path) as tmp:
        import xlsxwriter
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False})
        add_problems_sheet(wb, problems, display=shown, title="校验问题清单", line=line, pack=pack,
                           noun=noun)
        ws = wb.add_worksheet(sheet_names.FILES)
        head = wb.add_format(_HEAD)
        text = wb.add_format({"text_wrap": True, "valign": "top"})
        mono = wb.add_format({"valign": "top", "font_name": "Consolas", "font_size": 8})
        columns = (("序号", 6), ("文件", 44), ("状态", 20), ("读取行数", 9), ("SHA-256", 58), ("文件完整路径", 60))
        _heading(wb, ws, "校验文件清单", f"{report_line(pack)}　共 {len(inputs)} 个文件", len(columns) - 2)
        top = TITLE_ROWS
        for c, (title, width) in enumerate(columns):
            ws.write_string(top, c, title, head)
            ws.set_column(c, c, width)
        ws.freeze_panes(top + 1, 0)
        for r, i in enumerate(inputs, start=top + 1):
            file = cell_text(i.get("file") or "")
            name = cell_text(shown.get(i.get("file") or "", file))
            ws.write_number(r, 0, r - top, text)
            write_text(ws, r, 1, name, text)
            ws.write_string(r, 2, file_status(i.get("status")), text)
            if i.get("rows_read") is not None:
                ws.write_number(r, 3, i["rows_read"], text)
            ws.write_string(r, 4, cell_text(i.get("sha256") or ""), mono)
            write_text(ws, r, 5, file, text)
            ws.set_row(r, _row_height((name, file_status(i.get("status"))), (44, 20)))
        _print_setup(ws, top, top + max(len(inputs), 1), len(columns) - 2)
        wb.close()
