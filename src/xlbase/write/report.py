"""Reports shared by validate and merge: the stable JSON report and the 问题清单 sheet.

The JSON shape is a contract for scripts (ARCHITECTURE.md); the sheet is for an
officer: one row per problem, filterable, coloured by severity, linked to the file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable

import xlsxwriter

from .. import sheet_names
from ..report_text import width as display_width
from ..forms import get_form
from ..problems import SEVERITY_LABELS, Problem, count_by_severity, sort_problems
from .safe import atomic_output, cell_text, is_formula_like, write_text

REPORT_VERSION = 1
PROBLEM_COLUMNS = ("严重程度", "文件", "工作表", "单元格", "表单", "字段", "基地", "规则", "问题说明", "值", "标准")
_WIDTHS = (8, 28, 10, 8, 8, 16, 28, 22, 60, 16, 12)
_COLOURS = {"错误": "#FFC7CE", "警告": "#FFEB9C", "提示": "#DDEBF7"}


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


def _link(file: str, sheet: str, cell: str) -> str | None:
    """file:///…#'Sheet'!A1 for a local file that exists; None for anything else (URLs, missing)."""
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
    # xlsxwriter turns file:///C:/… into C:\… (right on Windows) but drops the root of a
    # POSIX path, so those go as "external:" with the absolute path.
    uri = "file:///" + full.as_posix() if full.drive else f"external:{full}"
    if sheet and cell:
        return f"{uri}#'{sheet.replace(chr(39), chr(39) * 2)}'!{cell}"
    return uri


def add_problems_sheet(workbook: xlsxwriter.Workbook, problems: Iterable[Problem], *, name: str = sheet_names.PROBLEMS):
    """Add the 问题清单 sheet: header, autofilter, frozen header, severity colours, links to sources."""
    problems = sort_problems(problems)
    ws = workbook.add_worksheet(name)
    head = workbook.add_format({"bold": True, "bg_color": "#D9D9D9", "border": 1, "text_wrap": True,
                                "valign": "vcenter"})
    text = workbook.add_format({"text_wrap": True, "valign": "top"})
    quoted = workbook.add_format({"text_wrap": True, "valign": "top", "quote_prefix": True})
    link = workbook.add_format({"font_color": "blue", "underline": 1, "valign": "top"})
    for c, (title, width) in enumerate(zip(PROBLEM_COLUMNS, _WIDTHS)):
        ws.write_string(0, c, title, head)
        ws.set_column(c, c, width)
    ws.freeze_panes(1, 0)

    def put(r: int, c: int, value: Any) -> None:
        s = cell_text("" if value is None else value)
        write_text(ws, r, c, s, quoted if is_formula_like(s) else text)

    for r, p in enumerate(problems, start=1):
        put(r, 0, SEVERITY_LABELS[p.severity])
        url = _link(p.file, p.sheet, p.cell)
        if url and len(url) <= 2079:
            ws.write_url(r, 1, url, link, string=cell_text(p.file))
        else:
            put(r, 1, p.file)
        cells = (p.sheet, p.cell, p.form, field_label(p.form, p.field), p.base, p.rule, p.message,
                 _show(p.value), _show(p.threshold))
        for c, v in enumerate(cells, start=2):
            put(r, c, v)
        ws.set_row(r, _row_height(cells, _WIDTHS[2:]))
    last = max(len(problems), 1)
    ws.autofilter(0, 0, last, len(PROBLEM_COLUMNS) - 1)
    # printable as a return slip to the counties: A4 landscape, one page wide, header repeated
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    ws.set_footer("&C第 &P 页，共 &N 页")
    for label, colour in _COLOURS.items():
        ws.conditional_format(1, 0, last, 0, {"type": "cell", "criteria": "==", "value": f'"{label}"',
                                             "format": workbook.add_format({"bg_color": colour})})
    return ws


def _row_height(texts: Iterable[Any], widths: Iterable[int]) -> float:
    """Points for a row whose wrapped texts all show: spreadsheets do not grow rows on open."""
    lines = max((-(-display_width(str(t or "")) // max(w - 1, 1)) for t, w in zip(texts, widths)), default=1)
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


def write_problems_workbook(path: Path | str, problems: Iterable[Problem], inputs: list[dict]) -> None:
    """The --xlsx report of validate: 问题清单 plus a 文件 sheet (status, sha256)."""
    with atomic_output(path) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False})
        add_problems_sheet(wb, problems)
        ws = wb.add_worksheet("文件")
        head = wb.add_format({"bold": True, "bg_color": "#D9D9D9", "border": 1})
        for c, (title, width) in enumerate((("文件", 40), ("状态", 12), ("读取行数", 10), ("SHA-256", 66))):
            ws.write_string(0, c, title, head)
            ws.set_column(c, c, width)
        for r, i in enumerate(inputs, start=1):
            write_text(ws, r, 0, cell_text(i.get("file", "")))
            ws.write_string(r, 1, cell_text(i.get("status", "")))
            if i.get("rows_read") is not None:
                ws.write_number(r, 2, i["rows_read"])
            ws.write_string(r, 3, cell_text(i.get("sha256") or ""))
        wb.close()
