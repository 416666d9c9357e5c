"""A county's answer "no base this year", typed without a known form: "本县无申报", "暂无".

Counties without an applicant still send a file, often a sheet with a title, the 填报单位 line
and one line saying so, or a short table of their own (基地名称 | 运营主体 | 入驻企业数) whose only
row says 无 (a header too short for the table finder to take for a form; a full 附件11 saying 无 is read
by read.tables). That is an answer, not an unreadable file: it becomes an empty 附件11 (so the county
is counted with 0 bases, its place taken from the 填报单位 line or the folder) and one info, never an
error.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..forms import SUMMARY_FORM, get_form
from ..forms.roles import BASE_FORM
from ..problems import INFO, Problem
from ..table import Table
from .grid import Sheet, a1
from .labels import is_no_base_text, line_kind, ordinal
from .header_words import word_scores
from .matcher import CANDIDATE
from .normalise import NONE_WORDS
from ..problem_codes import NO_BASE

MAX_FILLED_ROW = 2     # a row of three or more filled cells is a table's: its header, or data that is no answer
MAX_HEADER_ROWS = 3    # a short table's header band (groups, labels, units)


def no_base_table(path: str, sheets: list[Sheet], form_id: str = SUMMARY_FORM, noun: str = "基地"
                  ) -> tuple[Table, Problem] | None:
    """The empty 附件11 and its info when a visible sheet holds only the answer "no base": a title, a 填报单位
    line and the answer, or a short table of the clerk's own (基地名称 | 运营主体 | 入驻企业数) whose only
    row says 无. Such a header is no known form's, so the table finder passes it by; it must name a base
    by at least one identifying column (base name, operator, place), or the sheet is not read as an answer."""
    for sheet in sheets:
        if not sheet.visible:
            continue
        found = _answer(sheet)
        if found is None:
            continue
        r, c, text, org = found
        t = Table(form_id=form_id, file=path, sheet=sheet.name, org_line=org)
        p = Problem(NO_BASE, INFO, f"工作表“{sheet.name}”填写“{text}”，没有{noun}数据：按“本年度没有申报{noun}”读取，"
                    f"{noun}数为 0。", path, sheet.name, a1(r, c), form_id, value=text)
        return t, p
    return None


def _answer(sheet: Sheet) -> tuple[int, int, str, str] | None:
    """(row, column, text, 填报单位 line) of the answer "no base" when it is all the sheet says.

    Title, 填报单位, note and signature lines pass anywhere (and any line of one or two cells naming no
    base above a header); another row is a header (labels only, above the answer, one of them identifying
    a base) or the answer: 无 / 本县无申报 with none-marks beside, or under a header none-marks alone
    (/ | — | －). Any other row — a value, a header naming no base — means the sheet is no answer."""
    answer: tuple[int, int, str] | None = None
    org = ""
    header_rows = 0
    labels: list[str] = []
    for r, row in enumerate(sheet.rows):
        filled = [(c, v) for c, v in enumerate(row) if v != "" and v is not None
                  and not (type(v) is str and not v.strip())]
        if not filled:
            continue
        texts = [v for _, v in filled if type(v) is str]
        kinds = [_line_kind(v, len(texts)) for v in texts]
        if "org" in kinds:
            org = " ".join(v.strip() for v in texts)
            continue
        said = next(((c, v.strip()) for c, v in filled if type(v) is str and is_no_base_text(v)), None)
        if said is None and header_rows:     # under a header, a row of "/" and "—" alone says none as well
            said = next(((c, v.strip()) for c, v in filled if type(v) is str and v.strip() in NONE_WORDS), None)
        if said is not None and is_none_row(row, _number_col(filled)):
            answer = answer or (r, *said)
            continue
        labels_only = len(texts) == len(filled)
        if len(filled) <= MAX_FILLED_ROW and (any(kinds) or not header_rows and not (
                labels_only and any(map(_identifies_base, texts)))):
            continue        # a title, note or signature line (a short line naming no base, above any header)
        if answer is not None and labels_only and len(filled) <= MAX_FILLED_ROW and all(map(_signed, texts)):
            continue        # a letter's close under its answer: the office that signs it, the date
        if answer is not None or header_rows == MAX_HEADER_ROWS or not labels_only:
            return None     # a value, or more rows than a header
        header_rows += 1
        labels += [v.strip() for v in texts]
    if answer is None or (header_rows and not any(map(_identifies_base, labels))):
        return None
    return (*answer, org)


_DATE_LINE = re.compile(r"^\s*(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年.{1,8}日\s*$|^\s*\d{4}[./-]\d{1,2}[./-]\d{1,2}\s*$")


def _signed(text: str) -> bool:
    """A letter's signature line: the date (2024年8月16日), or an office's name (广灵县工业和信息化局: a name ending as
    a government office does, data/names.yaml office_endings), perhaps with （盖章）."""
    s = re.sub(r"[（(]\s*(?:盖章|公章|章)\s*[)）]", "", text).strip()
    return bool(_DATE_LINE.match(s)) or (0 < len(s) <= MAX_OFFICE_NAME and s.endswith(_office_endings())
                                        and not any(ch.isdigit() for ch in s))


MAX_OFFICE_NAME = 24


@lru_cache(maxsize=None)
def _office_endings() -> tuple[str, ...]:
    from ..forms import name_words
    return tuple(name_words().get("office_endings") or ())


def _line_kind(text: str, cells: int) -> str | None:
    """line_kind, except that a 申报单位名称 among other labels (no colon, no unit named) is a header cell,
    not a 填报单位 line."""
    kind = line_kind(text)
    if kind == "org" and cells > 1 and ":" not in text and "：" not in text:
        return None
    return kind


def _number_col(filled: list[tuple[int, object]]) -> int | None:
    """The 序号 column of a row: its first cell when that is a small whole number (1, "1")."""
    c, v = filled[0]
    return c if ordinal(v) is not None else None


@lru_cache(maxsize=1024)
def _identifies_base(label: str) -> bool:
    """A header cell whose words name, first of all a base's fields, one that identifies a base (基地名称,
    运营主体, 项目名称, 所在县…) — at the matcher's candidate score, as a short header gives no other signal."""
    got = word_scores(label, BASE_FORM) if len(label) <= 80 else ()
    return bool(got) and got[0][1] >= CANDIDATE and get_form(BASE_FORM).field(got[0][0]).identity is not None


def is_none_row(row: list, number_col: int | None) -> bool:
    """A row whose only content (besides its 序号) is the answer "no base": 无, 本县无申报, with "/" or "—"
    beside, or "/" and "—" alone (every cell struck through: nothing to report)."""
    said = False
    for c, v in enumerate(row):
        if v == "" or v is None or c == number_col or (type(v) in (int, float) and v == 0):   # 0: none as well
            continue
        if type(v) is not str:
            return False
        s = v.strip()
        if s in NONE_WORDS or is_no_base_text(s):
            said = True
        elif s:
            return False
    return said


def is_unfilled(tables: list[Table]) -> bool:
    """Every form found is empty: no data row in any table and no value on any record form (a template
    sent back as it came, the county's way of saying it has nothing to report)."""
    return bool(tables) and all(t.data.empty and not any(v not in (None, "") for v in t.record.values())
                                for t in tables)


def unfilled_answer(path: str, tables: list[Table], problems: list[Problem]) -> tuple[list[Table], list[Problem]]:
    """An unfilled template read as "no base": one empty 附件11 (for the county's place) and one info — the
    table's own, at the row that says 无 or "/", when it has one; else one for the file."""
    first = tables[0]
    t = Table(form_id=SUMMARY_FORM, file=path, sheet=first.sheet, org_line=first.org_line)
    said = [p for p in problems if p.rule == NO_BASE][:1]
    if said:
        return [t], said
    forms = "、".join(dict.fromkeys(x.form_id for x in tables))
    p = Problem(NO_BASE, INFO, f"表格（{forms}）都没有填写内容：按“本年度没有申报基地”读取，基地数为 0。",
                path, first.sheet, "", SUMMARY_FORM)   # nothing typed: no cell to point at
    return [t], [p]
