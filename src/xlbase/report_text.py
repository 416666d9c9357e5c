"""The terminal table of problems, in Chinese, aligned for CJK (two columns per wide character)."""

from __future__ import annotations

import unicodedata
from typing import Iterable

from .problems import SEVERITY_LABELS, Problem, by_file, count_by_severity

_COLUMNS = (("严重程度", 8), ("位置", 14), ("规则", 22), ("问题说明", 0))


def width(text: str) -> int:
    """Display width: East Asian wide/full-width characters take two columns."""
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
               for ch in text)


def fit(text: str, cols: int) -> str:
    """Cut to `cols` display columns (with …) and pad with spaces to exactly `cols`."""
    text = " ".join(str(text).split())
    if width(text) > cols:
        out, w = [], 0
        for ch in text:
            cw = width(ch)
            if w + cw > cols - 1:
                break
            out.append(ch)
            w += cw
        text = "".join(out) + "…"
    return text + " " * (cols - width(text))


def _where(p: Problem) -> str:
    """Sheet!cell: what the clerk needs to find; the file heads its group of rows."""
    return "!".join(x for x in (p.sheet, p.cell) if x) or "—"


def problems_table(problems: Iterable[Problem], total_width: int = 120) -> list[str]:
    """Lines of a table: 严重程度 | 位置 | 规则 | 问题说明 (wrapped to fit the terminal)."""
    problems = by_file(problems)
    if not problems:
        return ["未发现问题。"]
    fixed = sum(w for _, w in _COLUMNS if w) + 3 * 2
    msg_w = max(30, total_width - fixed)
    lines = ["  ".join(fit(t, w or msg_w) for t, w in _COLUMNS).rstrip()]
    lines.append("-" * min(total_width, fixed + msg_w))
    current = None
    for p in problems:
        if p.file != current:
            current = p.file
            lines.append(f"【{p.file or '（无文件）'}】")
        chunks = _wrap(p.message, msg_w)
        first = [SEVERITY_LABELS[p.severity], _where(p), p.rule]
        lines.append("  ".join(fit(t, w) for t, (_, w) in zip(first, _COLUMNS)) + "  " + chunks[0])
        pad = " " * (fixed)
        lines += [pad + c for c in chunks[1:]]
    return lines


def _wrap(text: str, cols: int) -> list[str]:
    text = " ".join(str(text).split())
    out: list[str] = []
    cur: list[str] = []
    w = 0
    for ch in text:
        cw = width(ch)
        if w + cw > cols:
            out.append("".join(cur))
            cur, w = [], 0
        cur.append(ch)
        w += cw
    out.append("".join(cur))
    return out


def summary_line(problems: Iterable[Problem], files: int, bases: int, firms: int) -> str:
    c = count_by_severity(problems)
    return (f"共读取 {files} 个文件、{bases} 个基地、{firms} 户入驻企业；"
            f"错误 {c['error']} 条，警告 {c['warning']} 条，提示 {c['info']} 条。")
