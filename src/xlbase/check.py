"""One check: a rule pack and what was read of some files in, every problem out.

`xlbase validate`, `xlbase merge`, `xlbase mark` and the 校验 button all take their pack from `pack_for`
and their problems from `check`, for Shanxi's forms and a programme's own alike, so the same files give
the same problems (and a pack that cannot be used the same message) whichever way an officer or a clerk
checks them. A programme with its own forms is judged per submission by its pack
(merge.programme.check_files); Shanxi's forms by `check_reads`:
  1. merge.lower.prepare_reads — a lower level's 汇总表 brings its recorded problems, a previous
     output is skipped, an edited 汇总表 is checked again;
  2. merge.attach.attach_firm_lists — a firm list (附件3) whose workbook names no base is tied to the
     base its sheet name, title, 填报单位 line, file name or folder names, so the rules count its firms;
  3. merge.core.merge_reads — one base arriving twice (duplicate-base, and base-conflict per field
     that differs), the same firm under two bases, rows that cannot be merged; run before the rules
     (it changes no table), so the merge command can start writing its 入驻企业 rows meanwhile;
  4. rules.validate — every rule of the pack over every readable table; what a resubmission
     replaced becomes a note (superseded_problems);
  5. unproven_where_rows_unread — a firm count or share is no proven error in a file with firm rows
     the reader could not take (a continued 附件3 without its header);
  6. to_input_cells — a problem on a formula cell that copies one other cell (附件10 pulling from
     附件2) is moved to that cell, the one the clerk typed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Protocol, overload

from .forms.programmes import ProgrammeError
from .merge.attach import attach_firm_lists
from .merge.core import merge_reads
from .merge.dedupe import superseded_problems
from .merge.rows import RECOMPUTED_RULES, MergeResult
from .merge.level import UNIT_NOT_REPORTED
from .merge.lower import prepare_reads
from .problems import ERROR, WARNING, Problem, sort_problems
from .read.formula_refs import follow, formula_files
from .rules import PackError, RulePack, load_pack, validate
from .table import Table, WorkbookRead
from .problem_codes import (DUPLICATE_BASE, DUPLICATE_ENTERPRISE, ERROR_VALUE, FORMULA_NO_VALUE,
                            MERGE_SAMPLE_ROW, MERGE_UNNAMED_BASE, UNREAD_SHEET)

if TYPE_CHECKING:
    from .forms.programmes import Programme
    from .merge.programme import Checked as ProgrammeChecked


class Formulas(Protocol):
    """Formula texts of one workbook (a file's sheet XML, or the open book behind the 校验 button)."""

    @property
    def names(self) -> Mapping[str, str]: ...

    def formula(self, sheet: str, cell: str) -> str | None: ...


@dataclass
class Checked:
    reads: list[WorkbookRead]      # as counted: a previous output of this merge is marked skipped
    problems: list[Problem]        # sorted (problems.sort_problems)
    merged: MergeResult

    @property
    def tables(self) -> list[Table]:
        return [t for r in self.reads if r.ok for t in r.tables]


class PackUnusable(Exception):
    """A rule pack no check can run under. Its text is the one Chinese message every route shows:
    validate, merge and mark print it (exit 2), the 校验 button puts it in its message box."""


def pack_for(rules: str | None = None, as_of: dt.date | None = None,
             programme: Programme | None = None) -> RulePack:
    """The pack a check runs under: `rules` (a shipped pack's name or a YAML file) or, without it, a
    programme's own pack (`programme` with its own forms: the pack is checked against them) or Shanxi's
    default; `as_of` replaces the pack's reference date. Raises PackUnusable."""
    try:
        if programme is not None and programme.generic:
            from .rules.programme import load_generic_pack
            return load_generic_pack(programme, rules, as_of)
        return load_pack(rules, as_of)
    except (PackError, ProgrammeError) as exc:
        raise PackUnusable(f"规则包无法使用：{exc}") from None


@overload
def check(reads: list[WorkbookRead], pack: RulePack, *, programme: None = None, missing: Iterable[str] = (),
          formulas: Mapping[str, Formulas] | None = None,
          stage: Callable[[str], None] | None = None,
          on_merged: Callable[[MergeResult], None] | None = None) -> Checked: ...


@overload
def check(reads: list[WorkbookRead], pack: RulePack, *, programme: Programme, missing: Iterable[str] = (),
          formulas: Mapping[str, Formulas] | None = None,
          stage: Callable[[str], None] | None = None) -> ProgrammeChecked: ...


def check(reads: list[WorkbookRead], pack: RulePack, *, programme: Programme | None = None,
          missing: Iterable[str] = (), formulas: Mapping[str, Formulas] | None = None,
          stage: Callable[[str], None] | None = None,
          on_merged: Callable[[MergeResult], None] | None = None) -> Checked | ProgrammeChecked:
    """Every problem of `reads` under `pack` (from pack_for): the one function validate, merge, mark and the
    校验 button call. `programme`: a programme with its own forms, whose 汇总表 rows come back too
    (merge.programme.Checked); None for Shanxi's forms (Checked, with the merge of the batch). `missing`,
    `formulas`, `stage`, `on_merged`: as check_reads takes them (Shanxi's forms)."""
    if programme is None:
        return check_reads(reads, pack, missing=missing, formulas=formulas, stage=stage, on_merged=on_merged)
    if not programme.generic:
        raise ValueError(f"{programme.name} reads Shanxi's forms: check it with programme=None")
    from .merge.programme import check_files
    return check_files(programme, reads, pack)


def check_reads(reads: list[WorkbookRead], pack: Any, *, missing: Iterable[str] = (),
                formulas: Mapping[str, Formulas] | None = None,
                stage: Callable[[str], None] | None = None,
                on_merged: Callable[[MergeResult], None] | None = None) -> Checked:
    """Every problem of `reads` under `pack`. `missing`: arguments that named no file (merge accounts
    for them); `formulas`: file -> its formula texts (default: read from each .xlsx/.xlsm as needed);
    `stage`: told when the merging starts (a terminal's progress bar); `on_merged`: given the merge
    result as soon as it is made, before the rules run (the merge command starts its 入驻企业 rows)."""
    # found again by the merge of this batch (duplicate firms), or the merging level's own finding (who did
    # not report): never carried from a lower level's 汇总表
    reads, tables, problems = prepare_reads(reads, pack, recomputed=RECOMPUTED_RULES | {UNIT_NOT_REPORTED})
    problems = attach_firm_lists(reads, problems)
    if stage is not None:
        stage("合并")
    result = merge_reads(reads, missing=missing)    # reads the tables, changes none: before the rules or after
    if on_merged is not None:
        on_merged(result)
    problems += validate(tables, pack)
    del tables      # not needed past validation
    problems = superseded_problems(problems, result) + result.problems
    problems = unproven_where_rows_unread(problems, pack)
    if formulas is None:
        formulas = formula_files(sorted({p.file for p in problems if p.cell and p.sheet}))
    problems = to_input_cells(problems, formulas)
    return Checked(reads, sort_problems(problems), result)


#: rule kinds that judge a submission's firm rows as a whole: a file with rows we could not read (a sheet of
#: firms with no header: unread-sheet) does not prove them wrong
WHOLE_LIST_KINDS = ("counts-match", "sum-matches", "ratio")
UNREAD_NOTE = "（该文件另有未能读取的工作表，其中可能有其余企业，请核对后再定）"


def unproven_where_rows_unread(problems: list[Problem], pack: Any) -> list[Problem]:
    """Errors of the whole-list rules in a file that has rows the reader could not take (unread-sheet):
    warnings, since the rows not read may be the firms that are missing."""
    unread = {p.file for p in problems if p.rule == UNREAD_SHEET}
    if not unread:
        return problems
    kinds = {r.id: r.kind for r in getattr(pack, "rules", ())}
    return [replace(p, severity=WARNING, message=p.message + UNREAD_NOTE)
            if p.file in unread and p.severity == ERROR and kinds.get(p.rule) in WHOLE_LIST_KINDS else p
            for p in problems]


REDIRECT_NOTE = "（{where} 是公式，取自本单元格，请在此修改）"
#: problems that stay on their cell: about a whole row, pointing at the name that identifies it (merge.core, merge.dedupe:
#: not about a value a formula copies, and kept where they are so a county's 汇总表 carries them as a direct
#: merge finds them); about the formula cell itself (it shows #REF!, or was saved without a result)
STAY_PROBLEMS = frozenset({DUPLICATE_BASE, MERGE_SAMPLE_ROW, MERGE_UNNAMED_BASE, DUPLICATE_ENTERPRISE,
                           ERROR_VALUE, FORMULA_NO_VALUE})


def to_input_cells(problems: list[Problem], formulas: Mapping[str, Formulas]) -> list[Problem]:
    """Problems on a formula cell that shows one other cell, moved to that cell; the formula cell is named
    in the message. A problem then standing twice on one cell (found on both copies) is kept once."""
    out: list[Problem] = []
    seen: set[tuple] = set()
    cache: dict[tuple[str, str, str], tuple[str, str] | None] = {}
    for p in problems:
        single = p.sheet and p.cell and "," not in p.cell and ":" not in p.cell and p.rule not in STAY_PROBLEMS
        book = formulas.get(p.file) if single else None
        if book is not None:
            key = (p.file, p.sheet, p.cell)
            if key not in cache:
                cache[key] = _input_cell(book, p.sheet, p.cell)
            target = cache[key]
            if target is not None:
                p = replace(p, sheet=target[0], cell=target[1],
                            message=p.message + REDIRECT_NOTE.format(where=f"{p.sheet}!{p.cell}"))
        ident = (p.rule, p.severity, p.file, p.sheet, p.cell, p.field, p.base)
        if ident in seen and p.cell:
            continue
        seen.add(ident)
        out.append(p)
    return out


def _input_cell(book: Formulas, sheet: str, cell: str) -> tuple[str, str] | None:
    try:
        if not book.formula(sheet, cell):     # a typed value (nearly every cell): no need for the names
            return None
        return follow(sheet, cell, book.formula, dict(book.names))
    except Exception:   # best effort: a problem stays where it was found
        return None


def book_formulas(formula_of: Callable[[str, str], str | None], names: Mapping[str, str]) -> Formulas:
    """A Formulas from a lookup function and defined names (the 校验 button's open book)."""
    class _Book:
        def __init__(self) -> None:
            self.names = dict(names)

        def formula(self, sheet: str, cell: str) -> str | None:
            return formula_of(sheet, cell)
    return _Book()
