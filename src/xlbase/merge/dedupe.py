"""One base sent twice: which spellings are one base (`same_base_aliases`), which row wins (the duplicate
rule of merge.core's docstring: `winner_sort_key`, `why_adopted`) and how the loser's problems become notes."""

from __future__ import annotations

from dataclasses import replace
from pathlib import PurePath


from ..forms.roles import (OPERATOR)
from ..forms.programmes import DEFAULT_NOUN
from ..identity import split_place
from ..problems import INFO, Problem
from ..text import fold
from .lower import ORIGIN_SEP
from .revision import revision_rank
from ..problem_codes import (DUPLICATE_BASE)
from .rows import APPLICANT, BaseRow, MergeResult, cell_row


def _compatible(a: tuple[str | None, str | None], b: tuple[str | None, str | None]) -> bool:
    """Two (city, county) that may be the same place: equal where both are known."""
    return all(x is None or y is None or x == y for x, y in zip(a, b))


def same_base_aliases(bases: list[BaseRow]) -> dict[str, str]:
    """Keys of one base spelled with and without its place ("原平市同川…", "同川…", "忻州市原平市同川…"),
    each mapped to the most specific spelling's key.

    Same operator and the same name after the place prefix, in places that do not contradict
    each other. A short spelling that fits two different bases (同川… run by one operator in two
    counties) is left alone: the officer sees both rows rather than one base swallowing another.
    """
    groups: dict[tuple[str, str], dict[str, tuple[int, str | None, str | None]]] = {}
    for b in bases:
        if not b.name:
            continue
        prefix, rest = split_place(b.name)
        seen = groups.setdefault((rest, fold(b.values.get(OPERATOR))), {})
        _, city, county = seen.get(b.key, (0, None, None))
        seen[b.key] = (len(prefix), city or b.city or None, county or b.county or None)
    alias: dict[str, str] = {}
    for keys in groups.values():
        if len(keys) < 2:
            continue
        canon: list[tuple[str, tuple[str | None, str | None]]] = []
        for key, (_, city, county) in sorted(keys.items(), key=lambda kv: (-kv[1][0], kv[0])):
            fits = [c for c in canon if _compatible(c[1], (city, county))]
            if not fits:
                canon.append((key, (city, county)))
            elif len(fits) == 1:
                alias[key] = fits[0][0]
    return alias


def superseded_note(noun: str = DEFAULT_NOUN) -> str:
    """The lead of a problem of material the merge did not adopt; `noun`: the programme's word (基地, 平台)."""
    return f"（该份材料未被采用：同一{noun}已采用另一份，本条仅供核对）"


SUPERSEDED_NOTE = superseded_note()


def superseded_problems(problems: list[Problem], result: MergeResult) -> list[Problem]:
    """Problems of material the merge did not adopt, as notes: they do not make a county's status.

    An applicant workbook whose base lost to a resubmission is outdated as a whole (its 附件2/3/4
    too); in a 汇总表 only the row that lost. The duplicate-base warning itself stays.
    """
    whole = {b.origin for b in result.superseded if b.kind == APPLICANT}
    if result.superseded:   # an applicant file adopted for another base keeps its problems
        whole -= {b.origin for b in result.bases}
    rows = {(b.origin, b.sheet, b.row) for b in result.superseded if b.kind != APPLICANT and b.row}
    rows |= {(b.file, *b.at) for b in result.superseded if b.kind != APPLICANT and b.at[1]}   # re-checked rows
    if not whole and not rows:
        return problems
    out = []
    for p in problems:
        stale = p.rule != DUPLICATE_BASE and p.severity != INFO and (
            p.file in whole or (p.file, p.sheet, cell_row(p.cell)) in rows)
        out.append(replace(p, severity=INFO, message=SUPERSEDED_NOTE + p.message) if stale else p)
    return out


def copied_from(row: BaseRow, source: BaseRow) -> bool:
    """A 汇总表 row carried from the very file that won (both in the batch): expected, not a conflict.
    Compared on the first file of each chain (“市汇总表 ← 县汇总表 ← 申报表” ends at the 申报表)."""
    if not row.carried_source:
        return False
    first = [PurePath(b.origin.split(ORIGIN_SEP)[-1]).name for b in (row, source)]
    return first[0] == first[1]


def winner_sort_key(b: BaseRow) -> tuple:
    """Larger wins: an applicant's own workbook; a resubmission (by its file name) over the original;
    a county's list for its own base over a neighbour's; the fuller row; the later path and row."""
    source = b.carried_source or b.file
    return (b.kind == APPLICANT, revision_rank(PurePath(source).name), b.reporter == b.county,
            b.completeness, b.file_order, b.row)


def why_adopted(win: BaseRow, lose: BaseRow) -> str:
    """Which step of the duplicate rule (module docstring) chose `win` over `lose`, in the officer's words."""
    reasons = ("申报表优先于汇总表中的行", "重新报送的一份优先于原件", "基地所在县报来的一份优先",
               "填写更完整的一份优先", "文件路径排序靠后的一份优先", "同一文件中靠后的一行优先")
    for reason, a, b in zip(reasons, winner_sort_key(win), winner_sort_key(lose)):
        if a != b:
            return f"取舍规则：{reason}"
    return "取舍规则：两份相同时取后读到的一份"
