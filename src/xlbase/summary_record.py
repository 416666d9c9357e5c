"""The machine record inside every 汇总表 xlbase writes: how a higher level reads our own output.

A city that merges its counties' 汇总表s must get what merging the counties' original
submissions would give: the same bases, firms and problems. The visible sheets hold the
values (附件11, 入驻企业); the record holds what they cannot: each base row's key and
original file, sheet and row; the credit-code column of each source sheet; every problem in
full (问题清单 shows labels and formatted values); the rule pack that found them; and the
sha256 of each source file, by which a previous output of the same merge is recognised.

It is JSON (ASCII only) split over column A of a very hidden sheet (a cell holds at most
32 767 characters). Written by summary.workbook, read by read.workbook, built and interpreted
by merge.lower. A record that does not parse is no record: the workbook is then read like
any other 汇总表.

`digest` (optional) fingerprints what the visible sheets held when written: each 附件11 base
row's values and each 入驻企业 row's values and provenance, in a canonical form that the
reader's values give back exactly (`number_bytes`, `date_bytes`, `text_bytes`, `digest`). A 汇总表 whose
sheets no longer match it was edited after it was written, and its record cannot be trusted.
`digest_columns` (optional) holds the digest of each column on its own, by name (附件11.base_name, …):
the field list the digest was computed over. A reader whose form spec has lost or gained a field
compares the columns both know; a record without it is checked against `digest` over today's fields.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Iterable

import numpy as np

from .cell_text import is_formula_like
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


# --- what the visible sheets hold --------------------------------------------------------------

CLEAN_DECIMALS = 6          # a number with at most this many decimals …
CLEAN_BELOW = 1e9           # … and below this magnitude has at most 15 significant digits
TEXT_SEP = "\uffff"        # a noncharacter: no cell of an .xlsx holds it (XML forbids it)


def canonical_number(v: float) -> float:
    """The number a spreadsheet gives back for `v`: 15 significant digits of what xlsxwriter writes (16).

    Written with 16 digits (xlsxwriter's '%.16G'), read back exactly; LibreOffice saves 15. Rounding
    the 16-digit text to 15 makes both read back the same value (for LibreOffice: unless the 16th and
    17th digits of `v` are close to a half, e.g. a full-precision 1/3 near a rounding boundary).
    """
    return float(f"{float(f'{v:.16G}'):.15G}") + 0.0


def number_bytes(values: list) -> bytes:
    """A numeric column (int, float, None) in canonical form, as float64 bytes (None: NaN).

    Most numbers are short decimals (≤ 6 decimals, < 10⁹): they are their own canonical value,
    found for the whole column in numpy; only the others are formatted one by one.
    """
    arr = np.array(values, dtype=np.float64)
    blank = np.isnan(arr)
    with np.errstate(invalid="ignore"):
        clean = blank | ((np.round(arr, CLEAN_DECIMALS) == arr) & (np.abs(arr) < CLEAN_BELOW))
    for i in np.flatnonzero(~clean).tolist():
        arr[i] = canonical_number(arr[i])
    arr += 0.0                    # -0 is 0
    arr[blank] = np.nan           # one NaN pattern
    return arr.tobytes()


def date_bytes(values: list) -> bytes:
    """A date column (dt.date, None) as int64 day ordinals (None: 0)."""
    return np.array([0 if v is None else v.toordinal() for v in values], dtype=np.int64).tobytes()


def joined_text(values: list) -> str | None:
    """A text column (str, None) as one string, None and '' alike (the reader gives None for a blank);
    None when it holds anything else."""
    try:
        return TEXT_SEP.join(values)
    except TypeError:
        try:
            return TEXT_SEP.join(["" if v is None else v for v in values])
        except TypeError:
            return None


def text_bytes(values: list | str) -> bytes:
    """A text column (or its `joined_text`) as bytes."""
    joined = values if isinstance(values, str) else joined_text(values)
    if joined is None:
        raise TypeError("text_bytes: a column of str and None only")
    return joined.encode("utf-8", "surrogatepass")


def digests(parts: Iterable[tuple[str, bytes]]) -> tuple[str, dict[str, str]]:
    """`digest` of all the parts, and the digest of each part on its own (by name), in one pass: a record
    keeps both, so a reader that no longer knows a column (a field removed from the form spec) checks the
    columns it does know instead of calling the whole 汇总表 edited."""
    whole = hashlib.sha256()
    each = {}
    for name, data in parts:
        one = hashlib.sha256()
        for chunk in (name.encode("utf-8"), data):
            for h in (whole, one):
                h.update(len(chunk).to_bytes(8, "little"))
                h.update(chunk)
        each[name] = one.hexdigest()[:32]
    return whole.hexdigest()[:32], each


def digest(parts: Iterable[tuple[str, bytes]]) -> str:
    """One fingerprint of named canonical columns (order matters: rows are compared in sheet order)."""
    h = hashlib.sha256()      # hardware-accelerated on current CPUs: the fastest of hashlib's
    for name, data in parts:
        for chunk in (name.encode("utf-8"), data):
            h.update(len(chunk).to_bytes(8, "little"))
            h.update(chunk)
    return h.hexdigest()[:32]
