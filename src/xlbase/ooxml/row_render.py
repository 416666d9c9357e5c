"""Bulk rows' sheet XML rendered and deflated in a helper process while the caller goes on (bulk_rows).

Why: at province scale the 入驻企业 sheet is ~1 M cells; formatting them into XML and deflating
it is ~0.5 s of one core, and it needs only the merged rows — not the validation and the other
sheets that follow the merge. A helper interpreter does it on the second core meanwhile; the
splice then copies its compressed bytes into the sheet part (bulk_rows.write_deflated). A fresh
interpreter, not a fork: a fork would carry (and, in the process tree's RSS, count twice) the
merge's whole heap. This module imports neither xlsxwriter nor pandas, so the helper starts in
~50 ms; nothing here knows what the rows hold.

The rows go to the helper in a file of pickled blocks, written before it starts (so the caller never
waits on a pipe): the column letters and a `builder` first, then (first 1-based row, payload) per
block; the builder's `block(payload)` gives the block's (parts, columns) for render_rows (without a
builder the payload is those). A builder is what knows the cells (summary.firm_xml.FirmXml): the
helper imports its module when it unpickles it, and builds the XML there too. The helper writes a
raw deflate stream ended by a sync flush (so more can follow it in one member) and prints its
crc32 and sizes. Anything amiss — no helper, a crash, a short answer — makes `result()` None and
the caller renders the rows itself as before: the output never depends on the helper.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
import weakref
import zlib
from dataclasses import dataclass
from itertools import islice
from typing import Any, Iterable

ROWS_PER_JOIN = 100     # rows joined by one C call (bulk_rows: the GIL is free for its deflate thread between them)
LEVEL = 1               # the big part: level 1 is ~3x faster than 6 on this XML, file ~30 % larger
HELPER_SECONDS = 120    # a helper that has not answered by then is killed (its rows are rendered here)


def deflater() -> Any:
    """A raw-deflate compressor at LEVEL: zlib-ng's when installed (the same stream, ~2.3x faster), else zlib's."""
    try:
        from zlib_ng import zlib_ng
    except ImportError:   # a platform without its wheel
        return zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return zlib_ng.compressobj(LEVEL, zlib.DEFLATED, -15)


def crc32_combine(crc1: int, crc2: int, len2: int) -> int | None:
    """crc32 of A+B from crc32(A), crc32(B) and len(B); None without zlib-ng (the stdlib has no combine)."""
    try:
        from zlib_ng import zlib_ng
    except ImportError:
        return None
    return zlib_ng.crc32_combine(crc1, crc2, len2)


def _crc32() -> Any:
    """zlib-ng's crc32 (several times faster on 57 MB of XML) where installed, else zlib's: the same values."""
    try:
        from zlib_ng import zlib_ng
    except ImportError:
        return zlib.crc32
    return zlib_ng.crc32


def render_rows(cols: list[str], first: int, parts: list[str], columns: list) -> str:
    """Rows from a block's columns, a str.format per row; `first` is the 1-based sheet row of the first.

    parts[c] is column c's (letters cols[c]) cell markup after its reference (bulk_rows.text_cell,
    number_cell, blank_rest), with one '{}' or '{:spec}' where that cell's value goes — the values
    come from the next of `columns`, in order — or none (the same cell in every row). Values go in
    verbatim: the caller has escaped them or knows they need nothing. Joined ROWS_PER_JOIN rows at a
    time, so that a deflate thread gets the GIL back between short C calls.
    """
    fields = iter(range(1, len(columns) + 1))
    cells = [f'<c r="{col}{{0}}' + (part.replace("{", f"{{{next(fields)}", 1) if "{" in part else part)
             for col, part in zip(cols, parts)]
    assert next(fields, None) is None and len(parts) == len(cols), "one column of values per field"
    n = len(columns[0])
    # the row number goes into every cell's reference: as a str it is copied, as an int formatted each time
    numbers = map(str, range(first, first + n))
    rows = map(('<row r="{0}">' + "".join(cells) + "</row>").format, numbers, *columns)
    return "".join(["".join(islice(rows, ROWS_PER_JOIN)) for _ in range(0, n, ROWS_PER_JOIN)])


@dataclass(frozen=True)
class Deflated:
    """The helper's rows: a raw deflate stream (sync-flushed) in `path`, and what a zip member needs of it."""
    path: str
    crc: int          # crc32 of the uncompressed XML
    size: int         # uncompressed bytes
    compressed: int   # bytes in `path`


class RowRenderer:
    """One helper process rendering and deflating the blocks given to `start`."""

    def __init__(self, proc: subprocess.Popen, blocks_path: str, out_path: str) -> None:
        self.proc, self.blocks_path, self.out_path = proc, blocks_path, out_path
        self._result: Deflated | None = None
        self._done = False
        # whatever way the caller ends (an exception before its splice, the interpreter's exit), the helper
        # is stopped and its files removed
        self._cleanup = weakref.finalize(self, _stop, proc, blocks_path, out_path)

    @classmethod
    def start(cls, cols: list[str], blocks: Iterable[tuple[int, Any]], builder: Any = None) -> RowRenderer | None:
        """Write `builder` and `blocks` to a file and start the helper on it; None where no helper can be
        had (a frozen executable has no interpreter to start, or the system refuses a process)."""
        if getattr(sys, "frozen", False) or crc32_combine(0, 0, 0) is None:
            return None
        fd, blocks_path = tempfile.mkstemp(prefix="xlbase-rows-", suffix=".pickle")
        out_path = blocks_path[: -len(".pickle")] + ".deflate"
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump((cols, builder), fh, protocol=pickle.HIGHEST_PROTOCOL)
                for block in blocks:   # one at a time: the caller's memory holds one block, never all rows
                    pickle.dump(block, fh, protocol=pickle.HIGHEST_PROTOCOL)
            proc = subprocess.Popen([sys.executable, "-m", __name__, blocks_path, out_path],
                                    stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        except OSError:
            _remove(blocks_path, out_path)
            return None
        return cls(proc, blocks_path, out_path)

    def result(self) -> Deflated | None:
        """The deflated rows once the helper is done; None if it failed (then the caller renders them)."""
        if not self._done:
            self._done = True
            try:
                out, _ = self.proc.communicate(timeout=HELPER_SECONDS)
                crc, size, compressed = (int(x) for x in out.split())
                if self.proc.returncode == 0 and os.path.getsize(self.out_path) == compressed:
                    self._result = Deflated(self.out_path, crc, size, compressed)
            except (subprocess.TimeoutExpired, ValueError, OSError):
                self._result = None
            finally:
                _stop(self.proc)
                _remove(self.blocks_path)
        return self._result

    def close(self) -> None:
        """Stop the helper if it still runs and remove its files."""
        self._done = True
        self._cleanup()


def _stop(proc: subprocess.Popen, *paths: str) -> None:
    """Kill `proc` if it still runs (and reap it), then remove `paths`."""
    if proc.poll() is None:
        proc.kill()
        proc.wait()
    if proc.stdout is not None:
        proc.stdout.close()
    _remove(*paths)


def _remove(*paths: str) -> None:
    for p in paths:
        try:
            os.unlink(p)
        except OSError:
            pass


def _helper(blocks_path: str, out_path: str) -> int:
    """The helper process: render and deflate every block of `blocks_path` into `out_path`."""
    comp, crc32, crc, size, compressed = deflater(), _crc32(), 0, 0, 0
    with open(blocks_path, "rb") as src, open(out_path, "wb") as dst:
        cols, builder = pickle.load(src)
        while True:
            try:
                first, payload = pickle.load(src)
            except EOFError:
                break
            parts, columns = builder.block(payload) if builder is not None else payload
            data = render_rows(cols, first, parts, columns).encode("utf-8")
            crc, size = crc32(data, crc), size + len(data)
            out = comp.compress(data)
            compressed += len(out)
            dst.write(out)
        out = comp.flush(zlib.Z_SYNC_FLUSH)
        compressed += len(out)
        dst.write(out)
    sys.stdout.write(f"{crc} {size} {compressed}\n")
    return 0


if __name__ == "__main__":
    sys.exit(_helper(sys.argv[1], sys.argv[2]))
