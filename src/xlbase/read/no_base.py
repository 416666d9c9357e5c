"""A county's answer "no base this year", typed without any table: "本县无申报", "暂无".

Counties without an applicant still send a file, often a sheet with a title, the 填报单位 line
and one line saying so. That is an answer, not an unreadable file: it becomes an empty 附件11
(so the county is counted with 0 bases, its place taken from the 填报单位 line or the folder)
and one info, never an error.
"""

from __future__ import annotations

from ..forms import SUMMARY_FORM
from ..problems import INFO, Problem
from ..table import Table
from .grid import Sheet, a1
from .labels import is_no_base_text, line_kind

MAX_FILLED_ROW = 2     # a sheet with a row of three or more filled cells holds a table, not an answer


def no_base_table(path: str, sheets: list[Sheet]) -> tuple[Table, Problem] | None:
    """The empty 附件11 and its info when a visible sheet holds only a title, a 填报单位 line and the answer."""
    for sheet in sheets:
        if not sheet.visible:
            continue
        answer = None
        org = ""
        for r, row in enumerate(sheet.rows):
            filled = [(c, v) for c, v in enumerate(row) if v != "" and v is not None
                      and not (type(v) is str and not v.strip())]
            if len(filled) > MAX_FILLED_ROW:
                answer = None
                break
            for c, v in filled:
                if type(v) is not str:
                    continue
                if line_kind(v) == "org":
                    org = " ".join(str(x).strip() for _, x in filled if type(x) is str)
                elif answer is None and is_no_base_text(v):
                    answer = (r, c, v.strip())
        if answer is None:
            continue
        r, c, text = answer
        t = Table(form_id=SUMMARY_FORM, file=path, sheet=sheet.name, org_line=org)
        p = Problem("no-base", INFO, f"工作表“{sheet.name}”填写“{text}”，没有表格：按“本年度没有申报基地”读取，基地数为 0。",
                    path, sheet.name, a1(r, c), SUMMARY_FORM, value=text)
        return t, p
    return None


def is_unfilled(tables: list[Table]) -> bool:
    """Every form found is empty: no data row in any table and no value on any record form (a template
    sent back as it came, the county's way of saying it has nothing to report)."""
    return bool(tables) and all(t.data.empty and not any(v not in (None, "") for v in t.record.values())
                                for t in tables)


def unfilled_answer(path: str, tables: list[Table]) -> tuple[list[Table], list[Problem]]:
    """An unfilled template read as "no base": one empty 附件11 (for the county's place) and one info."""
    first = tables[0]
    t = Table(form_id=SUMMARY_FORM, file=path, sheet=first.sheet, org_line=first.org_line)
    forms = "、".join(dict.fromkeys(x.form_id for x in tables))
    p = Problem("no-base", INFO, f"表格（{forms}）都没有填写内容：按“本年度没有申报基地”读取，基地数为 0。",
                path, first.sheet, "", SUMMARY_FORM)
    return [t], [p]
