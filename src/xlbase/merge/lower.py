"""Our own 汇总表s as inputs: county → city → province gives what one merge of the sources gives.

Out: `build_record` is what a 汇总表 keeps in its hidden record (xlbase.summary_record).
In: `prepare_reads` turns the reads of a batch into what validation and the merge take:
  - a previous output of this same merge (every source it records, by sha256, is in the
    batch) is skipped with an info problem, so saving the output inside the inbox is harmless;
  - a lower level's 汇总表 brings its problems along (file = "汇总表 ← 原来源文件") and its
    rows are not validated again when it was checked with the same rule pack and date:
    the lower level validated the original rows, including 附件2/附件4 that a 汇总表 lacks;
    with another pack its 附件11 and 入驻企业 rows are validated again and an info says so;
  - a 汇总表 edited after it was written (its sheets no longer match the record's `digest`:
    a clerk retyped 已入驻企业数 or added a firm row instead of fixing the source) has its
    附件11 and 入驻企业 rows validated again with this run's pack; of its carried problems only
    those this level cannot find again are kept (附件2/附件4, the reader's, the lower merge's;
    the firm-count and employee-sum checks are found again on 附件11 against the 入驻企业 rows),
    and a warning names the file; a different pack or 基准日期 drops the carried findings the
    same way;
  - a 汇总表 some of whose sources are in the batch too: their carried problems are not carried
    (the source is read itself), and a warning names the sources that are not here.
Problems the merge recomputes from the carried rows (duplicate firms across bases) are not carried.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from functools import lru_cache
from typing import AbstractSet, Any, Callable, Iterable, Iterator

import numpy as np

from ..forms import SUMMARY_FORM, Field, get_form
from ..forms.roles import BASE_FORM, FIRM_FORM
from ..problems import INFO, PROBLEM_FIELDS, SEVERITIES, WARNING, Problem
from ..read.normalise import MAX_MAGNITUDE, parse_value
from ..summary_record import TEXT_SEP, date_bytes, digest, digests, joined_text, number_bytes, text_bytes
from ..table import Table, WorkbookRead
from ..text import some_of
from ..cell_text import EXCEL_MAX_TEXT, UNSAFE_CHARS, cell_text
from .marked import SKIPPED, skip_marked_copies
from ..problem_codes import LOWER_PACK_DIFFERS, PREVIOUS_OUTPUT, SUMMARY_EDITED, SUMMARY_SOURCES_PARTLY_HERE

ORIGIN_SEP = " ← "
MISSING = "missing"
NOT_SOURCES = (SKIPPED, MISSING)


def origin(path: str, shown: Any) -> str:
    """The provenance of a row or problem carried from the 汇总表 at `path`: “path ← original file”."""
    return f"{path}{ORIGIN_SEP}{shown}" if isinstance(shown, str) and shown else path


def pack_identity(pack: Any) -> dict[str, Any]:
    """Which rules found a 汇总表's problems: pack id, reference date and a digest of its rules and params."""
    # what the pack wrote; not its line, nor `args` (the kind's typed reading of the same values)
    rules = [{**{k: v for k, v in dataclasses.asdict(r).items() if k not in ("line", "args")}, "form": r.form or None}
             for r in getattr(pack, "rules", ())]
    text = json.dumps([rules, getattr(pack, "params", {})], sort_keys=True, ensure_ascii=True, default=str)
    as_of = getattr(pack, "as_of", None)
    return {"rule_pack": getattr(pack, "id", ""), "as_of": as_of.isoformat() if as_of else None,
            "pack_digest": hashlib.sha256(text.encode()).hexdigest()[:16]}


def build_record(result, problems: Iterable[Problem], *, level: str, unit: str, pack: Any) -> dict[str, Any]:
    """What the 汇总表 of `result` records for the next level up (see xlbase.summary_record)."""
    shown = result.shown
    return {
        "level": level, "unit": unit, **pack_identity(pack),
        "sources": [{"file": shown(a.file), "sha256": a.sha256, "status": a.status} for a in result.accounts],
        "bases": [{"key": b.key, "name": b.name, "file": shown(b.origin), "sheet": b.sheet, "row": b.row,
                   "cell": b.cell, **({"lacking": list(b.lacking)} if b.lacking else {})} for b in result.bases],
        "firm_columns": [[shown(f), s, letter] for (f, s), letter in result.firm_columns.items()],
        "firm_sources": firm_sources(result),
        "problems": [{**p.to_dict(), "file": shown(p.file)} for p in problems],
        **dict(zip(("digest", "digest_columns"), digests(_written_parts(result)))),
    }


def firm_sources(result) -> list[dict[str, str]]:
    """The key of 入驻企业 rows whose 来源文件 is not the file of their base's row: a firm list sent apart from
    its base (merge.attach), a base with firms but no 附件11 row. The next level finds the others' key by the
    base's own file and name (read.workbook._apply_record)."""
    names = {b.key: (b.name, b.origin) for b in result.bases}
    names.update({b.key: (b.name, "") for b in result.firm_only})    # in no record "bases": every file
    pairs = {(f.file, f.base_key) for f in result.firms}
    return [{"key": k, "name": names[k][0], "file": result.shown(file)} for file, k in sorted(pairs)
            if k in names and file != names[k][1]]


# --- the fingerprint of the visible sheets (summary_record.digest) ---------------------------

FIRM_PROVENANCE_TEXT = ("_base_name", "_src", "_src_sheet")   # read.sheet_tables.firm_provenance's columns
FIRM_PROVENANCE_ROW = "_src_row"


@lru_cache(maxsize=None)
def _digest_fields() -> tuple[tuple[Field, ...], tuple[Field, ...]]:
    """The 附件11 fields the sheet shows as values (not 来源文件), and every 附件3 field."""
    a11 = tuple(f for f in get_form(SUMMARY_FORM).table_fields if not f.merge_only)
    return a11, tuple(get_form(FIRM_FORM).table_fields)


def _as_written(v: Any, f: Field) -> Any:
    """The cell the 汇总表 writer makes of `v` in field `f` (summary.workbook.put_value, summary.firm_xml.FirmCells.value)."""
    if v is None:
        return None
    if isinstance(v, bool):
        return "是" if v else "否"
    if f.is_numeric and isinstance(v, (int, float)):
        return float(f"{v:.16G}")             # xlsxwriter writes 16 significant digits
    if isinstance(v, dt.date):
        return v
    return cell_text(v) or None


def _as_read(v: Any, f: Field) -> Any:
    """What the reader makes of the cell written for `v`."""
    return parse_value(_as_written(v, f), f).value


def _reads_back(values: list, f: Field, joined: str | None) -> bool:
    """The column holds values the reader gives for `f` and gets back from the sheet unchanged
    (every merged firm value is one): one check per column instead of write-then-read per value.
    `joined`: a text column's joined_text (None: not all str)."""
    if not (f.is_numeric or f.type in ("date", "yesno")):
        if joined is None or UNSAFE_CHARS.search(joined) or joined.count(TEXT_SEP) >= max(len(values), 1):
            return False
        return len(joined) <= EXCEL_MAX_TEXT or max(map(len, filter(None, values)), default=0) <= EXCEL_MAX_TEXT
    types = set(map(type, values)) - {type(None)}
    if f.type == "date":
        return types <= {dt.date}
    if f.type == "yesno":
        return types <= {bool}
    if not types <= {int, float}:
        return False
    arr = np.array(values, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        fine = (np.abs(arr) < MAX_MAGNITUDE) & ((arr == np.trunc(arr)) if f.type == "integer" else True)
    return bool((fine | np.isnan(arr)).all())


def _field_bytes(values: list, f: Field, exact: bool = False) -> bytes:
    """One column in canonical form; `exact` (or a column that does not read back as it is):
    value by value through write-then-read."""
    text = not (f.is_numeric or f.type in ("date", "yesno"))
    joined = joined_text(values) if text and not exact else None
    if (exact and not f.is_numeric) or not _reads_back(values, f, joined):
        values = [_as_read(v, f) for v in values]
        joined = None
    if f.is_numeric:
        return number_bytes(values)
    if f.type == "date":
        return date_bytes(values)
    if f.type == "yesno":
        return text_bytes([None if v is None else "是" if v else "否" for v in values])
    return text_bytes(values if joined is None else joined)


def written_digest(result) -> str:
    """The digest of the 附件11 and 入驻企业 rows as the writer writes them from `result`.

    附件11's texts go one by one through write-then-read (a few hundred rows; some were made
    by the merge, e.g. 所在市 '（未注明）'); its numbers and the firm rows column by column.
    """
    return digest(_written_parts(result))


def _written_parts(result) -> Iterator[tuple[str, bytes]]:
    """written_digest's columns one at a time: at national scale (900 000 firms) holding every
    column's bytes at once, or the rows transposed, cost a few hundred MB of peak memory."""
    a11, a3 = _digest_fields()
    for f in a11:
        yield f"{SUMMARY_FORM}.{f.key}", _field_bytes([b.values.get(f.key) for b in result.bases], f, exact=True)
    firms = result.firms
    for i, f in enumerate(a3):
        yield f"{FIRM_FORM}.{f.key}", _field_bytes([r.values[i] for r in firms], f)
    names = {b.key: cell_text(b.name) for b in (*result.bases, *result.firm_only)}
    files = {p: cell_text(result.display.get(p, p)) for p in {r.file for r in firms}}
    sheets = {s: cell_text(s) for s in {r.sheet for r in firms}}
    texts: tuple[Callable[[], list[str | None]], ...] = (
        lambda: [names.get(r.base_key) for r in firms], lambda: [files[r.file] for r in firms],
        lambda: [sheets[r.sheet] for r in firms])
    for name, column in zip(FIRM_PROVENANCE_TEXT, texts):
        yield name, text_bytes(column())
    yield FIRM_PROVENANCE_ROW, number_bytes([r.row for r in firms])


def read_digest(tables: list[Table]) -> str:
    """The digest of the 附件11 and 入驻企业 rows of our 汇总表 as the reader read them."""
    return digest(_read_parts(tables))


def _read_parts(tables: list[Table], only: Iterable[str] | None = None) -> list[tuple[str, bytes]]:
    """read_digest's columns (those named in `only`, when given) as the reader read them."""
    a11, a3 = _digest_fields()
    wanted = None if only is None else set(only)

    def column(form_id: str, key: str) -> list:
        out: list = []
        for t in tables:
            if t.form_id == form_id:
                out += t.data[key].tolist() if key in t.data.columns else [None] * len(t.data)
        return out

    def want(name: str) -> bool:
        return wanted is None or name in wanted

    parts = [(f"{form_id}.{f.key}", _field_bytes(column(form_id, f.key), f))
             for form_id, fields in ((SUMMARY_FORM, a11), (FIRM_FORM, a3)) for f in fields
             if want(f"{form_id}.{f.key}")]
    parts += [(name, text_bytes([v if isinstance(v, str) else None for v in column(FIRM_FORM, name)]))
              for name in FIRM_PROVENANCE_TEXT if want(name)]
    if want(FIRM_PROVENANCE_ROW):
        rows = column(FIRM_FORM, FIRM_PROVENANCE_ROW)
        parts.append((FIRM_PROVENANCE_ROW, number_bytes([v if isinstance(v, (int, float)) else None for v in rows])))
    return parts


def edited(wr: WorkbookRead) -> bool:
    """Our 汇总表's sheets no longer hold what its record says was written (an older record: unknown, trusted).

    With `digest_columns` (the field list the record was computed over, one digest per column), only the
    columns today's form spec still has are compared: a field removed from a spec since is not an edit."""
    rec = wr.record or {}
    columns = rec.get("digest_columns")
    if isinstance(columns, dict) and columns:
        _, now = digests(_read_parts(wr.tables, only=columns))
        return any(now[name] != want for name, want in columns.items() if name in now)
    want = rec.get("digest")
    return isinstance(want, str) and want != read_digest(wr.tables)


EQUIVALENT_FORM = {BASE_FORM: SUMMARY_FORM}    # an applicant's 附件10 row is a 汇总表's 附件11 row


def rechecked(pack: Any, held: set[str]) -> set[tuple[str, str]]:
    """(rule, form) whose problems validating a 汇总表's tables (forms `held`) finds again.

    Each rule's kind says which (rules.kinds.base.Kind.found_again): forms-present judges an applicant's
    workbook, not a 汇总表 (kept); a firm count against 已入驻企业数 reports on its target form (found
    again when the 汇总表 holds the firm rows and a target form); the others on their own forms.
    """
    from ..rules import kind_of
    out: set[tuple[str, str]] = set()
    for rule in getattr(pack, "rules", ()):
        out.update((rule.id, f) for f in kind_of(rule).found_again(rule, held))
    return out


def _carried(wr: WorkbookRead, rec: dict[str, Any], skip_rules: frozenset[str],
             found_again: AbstractSet[tuple[str, str]] = frozenset(), batch: AbstractSet[str] = frozenset()
             ) -> list[Problem]:
    """The lower level's problems, pointing at “汇总表 ← 原来源文件”; not those of `skip_rules`, nor
    those whose (rule, form) this run finds again in the 汇总表's own rows, nor those of a source
    file that is in this batch too (read from the file itself, its problems are found again)."""
    here = {str(s.get("file")) for s in rec["sources"] if s.get("sha256") in batch}
    out = []
    for d in rec["problems"]:
        if d.get("rule") in skip_rules or d.get("severity") not in SEVERITIES:
            continue
        if here and str(d.get("file") or "").split(ORIGIN_SEP)[0] in here:
            continue
        form = d.get("form")
        if found_again and (d.get("rule"), EQUIVALENT_FORM.get(form, form)) in found_again:
            continue
        out.append(carried_problem(wr.path, d))
    return out


def carried_problem(path: str, d: dict[str, Any]) -> Problem:
    """A problem a lower 汇总表's record holds (`d`, Problem.to_dict), pointing at “汇总表 ← 原来源文件”."""
    vals: dict[str, Any] = {k: d.get(k) for k in PROBLEM_FIELDS}
    for k in ("rule", "message", "file", "sheet", "cell", "form", "field", "base"):
        vals[k] = "" if vals[k] is None else str(vals[k])
    vals["file"] = origin(path, vals["file"])
    return Problem(**vals)


def _partly_here(wr: WorkbookRead, rec: dict[str, Any], batch: set[str]) -> list[Problem]:
    """A 汇总表 some of whose sources came in this batch too, others not: the others are counted from
    the 汇总表, which may bring back material withdrawn since (a deleted application, an old output
    left in the inbox). Say which, so the officer can remove the 汇总表 if they were withdrawn."""
    sources = [s for s in rec["sources"] if s.get("status") not in NOT_SOURCES and s.get("sha256")]
    absent = [str(s.get("file") or "") for s in sources if s["sha256"] not in batch]
    if not absent or len(absent) == len(sources):
        return []
    shown = some_of(absent, "个", 5)
    return [Problem(SUMMARY_SOURCES_PARTLY_HERE, WARNING,
                    f"该汇总表的 {len(sources)} 个来源文件中有 {len(sources) - len(absent)} 个也在本次输入中（以原文件为准），"
                    f"另有 {len(absent)} 个不在：{shown}。这些材料的基地按该汇总表计入；如果已经撤回，"
                    "请从输入中删除该汇总表后重新汇总。", file=wr.path, value=len(absent))]


def _previous_output(wr: WorkbookRead, rec: dict[str, Any], batch: set[str]) -> bool:
    """Every source this 汇总表 records (`rec`) is in the batch: it is an earlier run of this merge."""
    sources = {s.get("sha256") for s in rec["sources"] if s.get("status") not in NOT_SOURCES}
    sources = {s for s in sources if isinstance(s, str) and s}
    return bool(sources) and sources <= batch - {wr.sha256}


def prepare_reads(reads: list[WorkbookRead], pack: Any, *, recomputed: Iterable[str] = ()
                  ) -> tuple[list[WorkbookRead], list[Table], list[Problem]]:
    """(reads with previous outputs skipped, the tables to validate, the problems found so far)."""
    reads = skip_marked_copies(reads)
    batch = {wr.sha256 for wr in reads if wr.sha256}
    skip_rules = frozenset(recomputed)
    here = pack_identity(pack)
    out: list[WorkbookRead] = []
    tables: list[Table] = []
    problems: list[Problem] = []
    for wr in reads:
        rec = wr.record if wr.ok else None
        if rec is not None and _previous_output(wr, rec, batch):
            p = Problem(PREVIOUS_OUTPUT, INFO, "该文件是 xlbase 此前生成的汇总表，其来源文件也在本次输入中，已跳过。",
                        file=wr.path, value=rec.get("unit") or None)
            out.append(WorkbookRead(path=wr.path, status=SKIPPED, problems=[p], sha256=wr.sha256))
            problems.append(p)
            continue
        out.append(wr)
        problems += wr.problems
        if rec is None:
            tables += wr.tables
            continue
        changed = edited(wr)
        theirs = {k: rec.get(k) for k in here}
        recheck = changed or theirs != here     # its rows are validated again: what that finds is not carried
        problems += _carried(wr, rec, skip_rules, rechecked(pack, {t.form_id for t in wr.tables}) if recheck else set(),
                             batch - {wr.sha256})
        problems += _partly_here(wr, rec, batch)
        if recheck:
            tables += wr.tables
        if changed:
            problems.append(Problem(
                SUMMARY_EDITED, WARNING,
                "该汇总表在生成后被修改过（附件11/入驻企业与生成时记录不一致），已按本次规则包重新校验其各行；"
                "请确认修改已在原申报材料中同步。", file=wr.path))
        if theirs != here:
            problems.append(Problem(
                LOWER_PACK_DIFFERS, INFO,
                f"该汇总表由下级按规则包 {theirs['rule_pack'] or '（未注明）'}（基准日期 {theirs['as_of'] or '（未注明）'}）"
                f"校验，本次为 {here['rule_pack']}（基准日期 {here['as_of']}）：其附件11和入驻企业各行已按本次规则包"
                "重新校验（下级对这些行的同类问题不再照录）；附件2、附件4 不在汇总表中，下级对它们的问题照录。",
                file=wr.path, value=theirs["rule_pack"], threshold=here["rule_pack"]))
    return out, tables, problems
