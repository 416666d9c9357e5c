"""The 附件1 cover (申请报告封面): where the notice asks for a base's 基地类型.

附件10 and 附件11 have no 基地类型 column, yet the resident-firm threshold depends on it (楼宇型 ≥ 25,
工业园区型 ≥ 10 …). The cover is a record form (specs/a1.yaml): a label cell with its value beside or
below it, or "基地类型：楼宇型" in one cell. Clerks often keep the printed options and tick one:
"☑楼宇型 □园区型", "√楼宇型", "楼宇型（√）" (marks: data/ticks.yaml). A ticked option, or a type typed
plainly, is the base's type; several ticked, none ticked or an option that names no one type (园区型:
工业园区型 or 其他园区型?) is no type, and the base gets one warning saying what would decide it.

The cover is looked for on sheets where no other form was found; what it gives fills the base's
identity only where 附件10 / 附件2 say nothing (read.base.assign_bases).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..forms import APPLICANT_FORMS, tick_marks, value_lists
from ..forms.roles import BASE_TYPE, COVER_FORM, OPERATOR
from ..problems import INFO, WARNING, Problem
from ..table import Table
from ..text import fold
from .grid import Sheet, a1
from .labels import section_title
from .records import find_record
from ..problem_codes import COVER_BASE_TYPE, COVER_BASE_TYPE_UNCLEAR

COVER_MIN_FIELDS = 2          # a cover has 基地类型 and at least one more of its lines


@dataclass
class Cover:
    """What a cover says of the base's type: `base_type` when decided, else `why` it is not."""

    sheet: str
    cell: str
    text: str                     # as typed (the whole row's options when they are ticked)
    base_type: str | None
    why: str = ""                 # no type: what is wrong with the text
    ticked: bool = False          # decided by a tick among printed options
    names: tuple[str, ...] = ()   # 申请单位名称, 运营主体 as typed: which base a cover sent alone is of


@lru_cache(maxsize=None)
def _marks() -> tuple[frozenset[str], frozenset[str]]:
    spec = tick_marks()
    return frozenset(spec["checked"]), frozenset(spec["unchecked"])


_NOISE = re.compile(r"[\s()（）\[\]【】:：,，、;；./／_]+")


@lru_cache(maxsize=None)
def _type_index() -> dict[str, str]:
    """folded spelling without brackets and spaces -> type, for every value of the base_type list and its
    aliases ("龙头企业(平台)带动型" and "龙头企业平台带动型" alike)."""
    spec = value_lists()["base_type"]
    pairs = [(v, v) for v in spec["values"]]
    pairs += [(s, canon) for canon, spellings in (spec.get("aliases") or {}).items() for s in spellings]
    return {_NOISE.sub("", fold(s)): canon for s, canon in pairs}


def _option(text: str) -> str | None:
    """The type an option's text names ('楼宇型 ', '（楼宇型）'), or None."""
    k = _NOISE.sub("", fold(text))
    return _type_index().get(k) if k else None


_TYPE_TAILS = ("基地", "类型", "类")
_COUNT_TAIL = re.compile(r"\s*[（(][^（()）]*[)）]\s*$")


def section_type(text: Any) -> str | None:
    """The base type a section row of a list of bases names — "一、楼宇型", "（二）工业园区型基地（1个）",
    "楼宇类" — or None (a place, a base's name, any other heading)."""
    if type(text) is not str or len(text) > 30:
        return None
    name = _COUNT_TAIL.sub("", section_title(text)).strip()
    for tail in _TYPE_TAILS:
        if name.endswith(tail) and len(name) > len(tail):
            name = name[: -len(tail)]
            break
    return _option(name) or _option(name + "型")


_SEPARATOR = re.compile(r"[\s、，,；;/／]+")


def _tokens(s: str) -> list[tuple[str, Any]]:
    """The text as marks ("M", checked?), separators ("S") and option texts ("T", text); brackets and
    colons around a mark ("楼宇型（√）") are no separator and no text."""
    checked, unchecked = _marks()
    out: list[tuple[str, Any]] = []
    buf = ""

    def flush() -> None:
        nonlocal buf
        for i, piece in enumerate(_SEPARATOR.split(buf)):
            if i:
                out.append(("S", None))
            if _NOISE.sub("", piece):
                out.append(("T", piece.strip()))
        buf = ""

    for ch in s:
        if ch in checked or ch in unchecked:
            flush()
            out.append(("M", ch in checked))
        else:
            buf += ch
    flush()
    return out


def _pairs(tokens: list[tuple[str, Any]], before: bool, strict: bool) -> list[tuple[bool, str | None]]:
    """(ticked, the option text it marks or None) per mark: the text right after it (`before`) or right
    before it; `strict`: touching it, else across a separator but never across another mark."""
    out = []
    step = 1 if before else -1
    used: set[int] = set()
    for i, (kind, on) in enumerate(tokens):
        if kind != "M":
            continue
        j = i + step
        while not strict and 0 <= j < len(tokens) and tokens[j][0] == "S":
            j += step
        hit = 0 <= j < len(tokens) and tokens[j][0] == "T" and j not in used
        if hit:
            used.add(j)
        out.append((on, tokens[j][1] if hit else None))
    return out


_OPENERS, _CLOSERS = "（([【〔", "）)]】〕"


_EMPTY_BRACKETS = re.compile(r"[（(\[【〔]\s*[）)\]】〕]")


def _marks_after(text: str, tokens: list[tuple[str, Any]]) -> bool:
    """The options carry their marks after them: every mark stands in brackets of its own (the text before
    it ends with an opening bracket, the text after it starts with the closing one), or an option is
    followed by empty brackets (楼宇型（ ）: its mark's place left blank)."""
    marks = [i for i, (kind, _) in enumerate(tokens) if kind == "M"]
    if _EMPTY_BRACKETS.search(text):
        return True
    return all(0 < i < len(tokens) - 1 and tokens[i - 1][0] == "T" and tokens[i + 1][0] == "T"
               and tokens[i - 1][1].endswith(tuple(_OPENERS)) and tokens[i + 1][1].startswith(tuple(_CLOSERS))
               for i in marks)


def ticked_type(text: Any) -> tuple[str | None, str, bool]:
    """(type, why not, decided by a tick) for a cover's 基地类型 text.

    With tick marks each mark belongs to the option it touches, before or after it ("☑楼宇型 □园区型",
    "楼宇型（√） 园区型（ ）"), the reading that pairs more marks winning (then: marks first when the text
    starts with one); with spaces between marks and options, to the nearest option the same way. Exactly
    one ticked option that names a type decides; anything else is undecided, with the reason. Without
    marks the whole text is the type."""
    if not isinstance(text, str) or not text.strip():
        return None, "未填写", False
    s = text.strip()
    tokens = _tokens(_EMPTY_BRACKETS.sub(" ", s))     # an option's empty brackets (its mark left out) part it from the next
    if not any(kind == "M" for kind, _ in tokens):
        t = _option(s)
        return (t, "", False) if t else (None, f"“{s}”不是通知列出的基地类型", False)
    solid = [kind for kind, _ in tokens if kind != "S"]
    # a mark in brackets closes onto the option before them ("楼宇型（√）工业园区型（ ）", typed without a space)
    marks_first = (solid[0] == "M" or solid[-1] != "M") and not _marks_after(s, tokens)
    for strict in (True, False):
        readings = [_pairs(tokens, before, strict) for before in (marks_first, not marks_first)]
        paired = [sum(1 for _, opt in r if opt is not None) for r in readings]
        if max(paired):
            parts = readings[0] if paired[0] >= paired[1] else readings[1]
            break
    else:
        return None, "勾选符号旁没有类型名称", False
    chosen = [opt or "" for on, opt in parts if on]
    if not chosen:
        return None, "没有勾选任何一项", False
    if len(chosen) > 1:
        return None, f"勾选了{len(chosen)}项（{'、'.join(o for o in chosen if o)}）", False
    t = _option(chosen[0]) if chosen[0] else None
    if t is None:
        return None, f"勾选的“{chosen[0]}”不能确定是通知列出的哪一种基地类型", False
    return t, "", True


def find_cover(sheets: list[Sheet], tables: list[Table], alone: bool = False) -> Cover | None:
    """The first visible sheet without another form that reads as a cover with a 基地类型 line, in a
    workbook holding an application (a 汇总表's workbook has no cover of one base), or (`alone`) in a
    workbook with no form at all: a cover sent as a file of its own."""
    if not alone and not any(t.form_id in APPLICANT_FORMS for t in tables):
        return None
    taken = {t.sheet for t in tables}
    for sheet in sheets:
        if not sheet.visible or sheet.name in taken or sheet.n_rows == 0:
            continue
        rec = find_record(sheet, COVER_FORM, min_fields=COVER_MIN_FIELDS)
        if rec is None or BASE_TYPE not in rec.cells:
            continue
        r, c = rec.cells[BASE_TYPE]
        value = rec.values.get(BASE_TYPE)
        text = value if isinstance(value, str) else ("" if value is None else str(value))
        checked, unchecked = _marks()
        if any(ch in checked or ch in unchecked for ch in text):
            # printed options ticked in cells of their own: the value and the cells after it on its line
            row = sheet.rows[r] if r < sheet.n_rows else []
            text = " ".join([text.strip(), *(v.strip() for v in row[c + 1:] if isinstance(v, str) and v.strip())])
        base_type, why, ticked = ticked_type(text)
        names = tuple(str(rec.values[k]).strip() for k in ("applicant", OPERATOR)
                      if isinstance(rec.values.get(k), str) and rec.values[k].strip())
        return Cover(sheet.name, a1(r, c), text, base_type, why, ticked, names)
    return None


def cover_problems(path: str, cover: Cover, base: str, where: str = "") -> list[Problem]:
    """One line for a cover whose type the base takes (附件10 / 附件2 gave none): an info when it decided
    the type, a warning when it could not. `where`: how a cover sent alone was tied to its base."""
    if cover.base_type:
        how = f"按勾选读作“{cover.base_type}”" if cover.ticked else f"读作“{cover.base_type}”"
        return [Problem(COVER_BASE_TYPE, INFO, f"基地类型取自附件1封面“{cover.text}”{where}，{how}，按该类型核对入驻企业户数等门槛。",
                        path, cover.sheet, cover.cell, COVER_FORM, "基地类型", base=base, value=cover.base_type)]
    types = "、".join(value_lists()["base_type"]["values"])
    return [Problem(COVER_BASE_TYPE_UNCLEAR, WARNING,
                    f"附件1封面的基地类型“{cover.text}”{cover.why}，附件10、附件2 中也没有基地类型，"
                    f"入驻企业户数等门槛无法按类型核对；请在封面勾选或写明一种基地类型（{types}）。",
                    path, cover.sheet, cover.cell, COVER_FORM, "基地类型", base=base, value=cover.text)]
