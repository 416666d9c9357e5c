"""The machine record inside every 汇总表 xlbase writes: how a higher level reads our own output.

A city that merges its counties' 汇总表s must get what merging the counties' original
submissions would give: the same bases, firms and problems. The visible sheets hold the
values (附件11, 入驻企业); the record holds what they cannot: each base row's key and
original file, sheet and row; the credit-code column of each source sheet; every problem in
full (问题清单 shows labels and formatted values); the rule pack that found them; and the
sha256 of each source file, by which a previous output of the same merge is recognised.

It is JSON (ASCII only) split over column A of a very hidden sheet (a cell holds at most
32 767 characters). Written by write.summary, read by read.workbook, built and interpreted
by merge.lower. A record that does not parse is no record: the workbook is then read like
any other 汇总表.
"""

from __future__ import annotations

import json
from typing import Any

from .sheet_names import SUMMARY_RECORD

MAGIC = "xlbase-summary"
VERSION = 1
CHUNK = 30_000
SECTIONS = ("sources", "bases", "firm_columns", "problems")


def to_cells(record: dict[str, Any]) -> list[str]:
    """The record as the texts of A1, A2, …"""
    text = json.dumps({"magic": MAGIC, "version": VERSION, **record}, ensure_ascii=True, separators=(",", ":"),
                      default=str)
    return [text[i:i + CHUNK] for i in range(0, len(text), CHUNK)]


def add_record_sheet(wb, record: dict[str, Any]) -> None:
    """The very hidden record sheet, written last so it is never the first or active sheet."""
    from .write.safe import is_formula_like
    ws = wb.add_worksheet(SUMMARY_RECORD)
    plain, quoted = wb.add_format(), wb.add_format({"quote_prefix": True})
    for r, chunk in enumerate(to_cells(record)):
        ws.write_string(r, 0, chunk, quoted if is_formula_like(chunk) else plain)
    ws.very_hidden()


def from_cells(rows: list[list[Any]]) -> dict[str, Any] | None:
    """The record in a record sheet's rows, or None when it is not one of ours (or was damaged)."""
    text = "".join(row[0] for row in rows if row and isinstance(row[0], str))
    try:
        doc = json.loads(text)
    except ValueError:
        return None
    if not isinstance(doc, dict) or doc.get("magic") != MAGIC or doc.get("version") != VERSION:
        return None
    for key in SECTIONS:
        part = doc.get(key)
        if not isinstance(part, list):
            return None
        want = list if key == "firm_columns" else dict
        if not all(isinstance(x, want) for x in part):
            return None
    return doc
