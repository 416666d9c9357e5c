"""Readers side by side share the process tree's memory budget; a file that needs more is read alone.

The bug: each reader process could take up to 384 MB for a file (256 bytes a byte of the file), so
two readers each reading a 1.4 MB mutant .xls at once took the merge's process tree (summed
resident memory, sampled every 20 ms) to 496-500 MB on a 100-file fuzz batch (bench/fuzz.py seed
4242, batch02), against the 500 MB budget. Now a reader's cap is its share of `read_tree_bytes`
left after the command and the readers themselves; a file that runs short is read again at the
end, alone, with a single reader's share. The reader is replaced by a stand-in that takes a set
amount of memory for files so named (forked readers inherit it) and logs what else is running.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import time
from pathlib import Path

import openpyxl
import pytest

import xlbase.read.formats as formats
import xlbase.read.isolation as isolation
from xlbase.read import read_files
from xlbase.read.limits import MB, Limits

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS and forked readers")

HUNGRY = 100 * MB
SIDE_BY_SIDE = 32 * MB


@pytest.fixture
def hungry(monkeypatch, tmp_path):
    """The xlsx chain's first reader, taking HUNGRY bytes (touched) first for files named hungry*; logs each
    read (file, process, start, end) when it is done, a hungry one only when it got its memory."""
    log = tmp_path / "log.txt"
    first, *rest = formats.CHAINS["xlsx"]

    def read(path, kind, limits):
        start = time.monotonic()
        if os.path.basename(path).startswith("hungry"):
            hoard = bytearray(HUNGRY)
            hoard[::4096] = b"x" * len(hoard[::4096])
            time.sleep(0.2)
            del hoard
        sheets = first.read(path, kind, limits)
        with open(log, "a") as fh:
            fh.write(f"{os.path.basename(path)}\t{os.getpid()}\t{start}\t{time.monotonic()}\n")
        return sheets

    monkeypatch.setitem(formats.CHAINS, "xlsx", (dataclasses.replace(first, read=read), *rest))
    return log


def _limits(tree: int) -> Limits:
    """`tree` bytes for the reading process tree; a file's own cap never the smaller one."""
    return Limits(read_share_min_bytes=SIDE_BY_SIDE, read_memory_bytes=4096 * MB, read_memory_per_byte=10**9,
                  read_tree_bytes=tree)


def _books(folder: Path, names: list[str]) -> list[Path]:
    out = []
    for name in names:
        wb = openpyxl.Workbook()
        wb.active.append(["名称", "数量"])
        wb.active.append([name, 1])
        wb.save(folder / name)
        out.append(folder / name)
    return out


def test_a_file_short_of_memory_beside_others_is_read_alone(hungry, tmp_path):
    books = _books(tmp_path, ["hungry.xlsx", *(f"表{k}.xlsx" for k in range(5))])
    base = isolation._resident(os.getpid())     # this process, as the pool measures it (each reader starts as large)
    assert base + 2 * SIDE_BY_SIDE - HUNGRY > 30 * MB   # alone, a reader has room for HUNGRY and the read
    reads = read_files(books, jobs=2, limits=_limits(3 * base + 2 * SIDE_BY_SIDE))   # side by side: 32 MB each
    assert [wr.status for wr in reads] == ["no-form"] * 6, [p.message for wr in reads for p in wr.problems]
    reads_logged = [line.split("\t") for line in hungry.read_text().splitlines()]
    [(_, pid, start, end)] = [r for r in reads_logged if r[0] == "hungry.xlsx"]   # it got its memory once,
    others = [r for r in reads_logged if r[0] != "hungry.xlsx"]
    assert len(others) == 5 and all(float(r[3]) < float(start) for r in others)   # after every other read


def test_a_file_short_of_memory_alone_too_is_named(hungry, tmp_path):
    books = _books(tmp_path, ["hungry.xlsx", "表.xlsx"])
    limits = _limits(2 * isolation._resident(os.getpid()) + 2 * SIDE_BY_SIDE)   # alone: 64 MB
    hungry_read, other = read_files(books, jobs=2, limits=limits)
    assert hungry_read.status == "read-memory" and other.status == "no-form"
    assert "hungry.xlsx" not in (hungry.read_text() if hungry.exists() else "")


def test_default_readers_are_as_many_as_the_budget_holds():
    base = isolation._resident(os.getpid())
    least = 64 * MB
    for n in (1, 2, 3):
        limits = Limits(read_share_min_bytes=least, read_tree_bytes=(n + 1) * base + n * least + least // 2)
        assert isolation.readers_within(limits) == n
