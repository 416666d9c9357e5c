"""Our own 汇总表s as inputs: county → city → province gives what one merge of the sources gives.

Out: `build_record` is what a 汇总表 keeps in its hidden record (xlbase.summary_record).
In: `prepare_reads` turns the reads of a batch into what validation and the merge take:
  - a previous output of this same merge (every source it records, by sha256, is in the
    batch) is skipped with an info problem, so saving the output inside the inbox is harmless;
  - a lower level's 汇总表 brings its problems along (file = "汇总表 ← 原来源文件") and its
    rows are not validated again when it was checked with the same rule pack and date:
    the lower level validated the original rows, including 附件2/附件4 that a 汇总表 lacks;
    with another pack its 附件11 and 入驻企业 rows are validated again and an info says so.
Problems the merge recomputes from the carried rows (duplicate firms across bases) are not carried.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any, Iterable

from ..problems import INFO, PROBLEM_FIELDS, SEVERITIES, Problem
from ..table import Table, WorkbookRead

ORIGIN_SEP = " ← "
SKIPPED = "skipped"
MISSING = "missing"
NOT_SOURCES = (SKIPPED, MISSING)


def origin(path: str, shown: Any) -> str:
    """The provenance of a row or problem carried from the 汇总表 at `path`: “path ← original file”."""
    return f"{path}{ORIGIN_SEP}{shown}" if isinstance(shown, str) and shown else path


def pack_identity(pack: Any) -> dict[str, Any]:
    """Which rules found a 汇总表's problems: pack id, reference date and a digest of its rules and params."""
    rules = [{k: v for k, v in dataclasses.asdict(r).items() if k != "line"} for r in getattr(pack, "rules", ())]
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
                   "cell": b.cell} for b in result.bases],
        "firm_columns": [[shown(f), s, letter] for (f, s), letter in result.firm_columns.items()],
        "problems": [{**p.to_dict(), "file": shown(p.file)} for p in problems],
    }


def _carried(wr: WorkbookRead, skip_rules: frozenset[str]) -> list[Problem]:
    """The lower level's problems, pointing at “汇总表 ← 原来源文件”."""
    out = []
    for d in wr.record["problems"]:
        if d.get("rule") in skip_rules or d.get("severity") not in SEVERITIES:
            continue
        vals = {k: d.get(k) for k in PROBLEM_FIELDS}
        for k in ("rule", "message", "file", "sheet", "cell", "form", "field", "base"):
            vals[k] = "" if vals[k] is None else str(vals[k])
        vals["file"] = origin(wr.path, vals["file"])
        out.append(Problem(**vals))
    return out


def _previous_output(wr: WorkbookRead, batch: set[str]) -> bool:
    """Every source this 汇总表 records is in the batch: it is an earlier run of this merge."""
    sources = {s.get("sha256") for s in wr.record["sources"] if s.get("status") not in NOT_SOURCES}
    sources = {s for s in sources if isinstance(s, str) and s}
    return bool(sources) and sources <= batch - {wr.sha256}


def prepare_reads(reads: list[WorkbookRead], pack: Any, *, recomputed: Iterable[str] = ()
                  ) -> tuple[list[WorkbookRead], list[Table], list[Problem]]:
    """(reads with previous outputs skipped, the tables to validate, the problems found so far)."""
    batch = {wr.sha256 for wr in reads if wr.sha256}
    skip_rules = frozenset(recomputed)
    here = pack_identity(pack)
    out: list[WorkbookRead] = []
    tables: list[Table] = []
    problems: list[Problem] = []
    for wr in reads:
        rec = wr.record if wr.ok else None
        if rec is not None and _previous_output(wr, batch):
            p = Problem("previous-output", INFO, "该文件是 xlbase 此前生成的汇总表，其来源文件也在本次输入中，已跳过。",
                        file=wr.path, value=rec.get("unit") or None)
            out.append(WorkbookRead(path=wr.path, status=SKIPPED, problems=[p], sha256=wr.sha256))
            problems.append(p)
            continue
        out.append(wr)
        problems += wr.problems
        if rec is None:
            tables += wr.tables
            continue
        problems += _carried(wr, skip_rules)
        theirs = {k: rec.get(k) for k in here}
        if theirs != here:
            tables += wr.tables
            problems.append(Problem(
                "lower-pack-differs", INFO,
                f"该汇总表由下级按规则包 {theirs['rule_pack'] or '（未注明）'}（基准日期 {theirs['as_of'] or '（未注明）'}）"
                f"校验，本次为 {here['rule_pack']}（基准日期 {here['as_of']}）：下级的问题照录，其附件11和入驻企业各行"
                "又按本次规则包校验；附件2、附件4 不在汇总表中，未能重新校验。",
                file=wr.path, value=theirs["rule_pack"], threshold=here["rule_pack"]))
    return out, tables, problems
