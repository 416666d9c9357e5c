"""Our marked copies sent beside their originals: `xlbase mark` writes NAME.校验.xlsx (the clerk's values, cells
coloured, a 校验结果 sheet and the hidden marks record), and a county that forwards it with the original sent
one application, not two.

A read is a marked copy by its content (WorkbookRead.marked: the marks record sheet_names.holds_marks finds),
never by its name. It is set aside, with an info, when another file of the batch holds the same forms with the
same values (the original, or the file the 校验 button marked); sent alone, or changed since it was marked, it
is read as any submission — it holds the clerk's values.
"""

from __future__ import annotations

from pathlib import Path

from ..problem_codes import MARKED_COPY
from ..problems import INFO, Problem
from ..table import Table, WorkbookRead

SKIPPED = "skipped"     # WorkbookRead.status of a read set aside: no unit sent it as its own (merge.lower too)


def content_key(tables: list[Table]) -> tuple:
    """What the clerk's forms hold, whatever the file is called or how its cells are coloured: each form's
    sheet, columns and values as read."""
    return tuple(sorted(
        (t.form_id, t.sheet, t.header_row, tuple(sorted(t.columns.items())),
         repr(t.data.drop(columns=[c for c in t.data.columns if str(c).startswith("_") and c != "_row"]).to_numpy()
              .tolist()), repr(sorted(t.record.items())))
        for t in tables))


def skip_marked_copies(reads: list[WorkbookRead]) -> list[WorkbookRead]:
    """`reads` with each marked copy whose forms another read of the batch holds alike set aside (status
    SKIPPED, one info naming that file); a copy alike to another copy only: the first by path is read."""
    marked = [r for r in reads if r.marked and r.ok and r.tables]
    if not marked:
        return reads
    keys = {id(r): content_key(r.tables) for r in reads if r.ok and r.tables}
    originals: dict[tuple, WorkbookRead] = {}
    for r in sorted((r for r in reads if id(r) in keys), key=lambda r: (r.marked, r.path)):
        originals.setdefault(keys[id(r)], r)
    out = []
    for r in reads:
        kept = originals.get(keys[id(r)]) if id(r) in keys else None
        if not r.marked or kept is None or kept is r:
            out.append(r)
            continue
        p = Problem(MARKED_COPY, INFO,
                    f"该文件是 xlbase 标注问题后生成的副本（含“校验结果”工作表和标注记录），其中的表格与同批的"
                    f"“{Path(kept.path).name}”相同，已跳过，以该文件为准。", file=r.path, value=Path(kept.path).name)
        out.append(WorkbookRead(path=r.path, status=SKIPPED, problems=[p], sha256=r.sha256))
    return out
