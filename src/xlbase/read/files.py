"""Turn command-line inputs into files, and read many files (in parallel when it pays).

Globs are expanded here because Windows shells do not expand them. Folders are
walked recursively and every file in them is an input, whatever its extension: the
reader decides by content what is a spreadsheet (a WPS .et, an .ods, an .xlsx saved as
.xls), and every other file is listed in the report as not read. Only system and lock
files are skipped without a word (`is_system_file`), hidden folders, and the JSON
reports xlbase wrote itself (kept beside the 汇总表s a higher level merges). The pool uses
the spawn context so it behaves the same on Windows.
"""

from __future__ import annotations

import glob
import logging
import multiprocessing
import os
import re
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Callable

from ..problems import ERROR, Problem
from ..table import WorkbookRead
from .workbook import read_workbook

log = logging.getLogger(__name__)

#: files no clerk sends: Windows thumbnails and folder settings (Thumbs.db, desktop.ini), macOS
#: folder metadata; Office/WPS lock files (~$x.xlsx) and every hidden file (.DS_Store, ._x AppleDouble
#: twins, LibreOffice's .~lock.x#, a killed run's .x.xlsx.tmp) are matched by their first characters
SYSTEM_FILES = frozenset({"thumbs.db", "ehthumbs.db", "desktop.ini", "icon\r"})
POOL_MIN_FILES = 8
CHUNK_FILES = 8      # files per pool task: small enough to balance, large enough to amortise the IPC


#: the start of a `--json` report xlbase wrote (write.report.write_json_report): an officer keeps them
#: beside the 汇总表s they merge on, and the 汇总表 itself carries everything the report says
_OWN_REPORT = re.compile(rb'\A\s*\{\s*"version":\s*\d+,\s*"command":\s*"(?:merge|validate)"')


def is_system_file(name: str) -> bool:
    """A lock, thumbnail, folder-settings or hidden file: skipped silently wherever it is found."""
    return name.startswith(("~$", ".")) or name.lower() in SYSTEM_FILES


def _is_own_report(path: Path) -> bool:
    """An xlbase JSON report, by its first bytes (only .json files are opened)."""
    if path.suffix.lower() != ".json":
        return False
    try:
        with open(path, "rb") as fh:
            return bool(_OWN_REPORT.match(fh.read(256)))
    except OSError:   # the reader will say what is wrong with it
        return False


def _walk(folder: Path) -> list[Path]:
    """Every file under `folder` but system files and xlbase's own JSON reports, none in hidden folders (.git)."""
    out = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        out += [p for p in (Path(root) / name for name in files if not is_system_file(name)) if not _is_own_report(p)]
    return out


def expand_inputs(args: list[str]) -> tuple[list[Path], list[Problem]]:
    """Files, globs and folders -> sorted, de-duplicated files; a missing path is a Problem."""
    found: list[Path] = []
    problems: list[Problem] = []
    for arg in args:
        p = Path(arg)
        if any(ch in arg for ch in "*?[") and not p.exists():
            matches = sorted(glob.glob(arg, recursive=True))
            hits = []
            for m in matches:
                mp = Path(m)
                if mp.is_dir():
                    hits += _walk(mp)
                elif not is_system_file(mp.name):
                    hits.append(mp)
            if not hits:
                problems.append(Problem("input-missing", ERROR, f"没有找到与“{arg}”匹配的文件。", file=arg))
            found += hits
        elif p.is_dir():
            files = _walk(p)
            if not files:
                problems.append(Problem("input-missing", ERROR,
                                        f"文件夹“{arg}”中没有文件（系统文件和临时锁定文件不算）。", file=arg))
            found += files
        elif p.exists():
            found.append(p)
        else:
            problems.append(Problem("input-missing", ERROR, f"找不到文件或文件夹“{arg}”，请检查路径。", file=arg))
    seen: dict[str, Path] = {}
    for f in found:
        try:
            k = os.path.normcase(str(f.resolve()))
        except (OSError, RuntimeError):  # RuntimeError: symlink loop (Python < 3.13)
            k = os.path.normcase(str(f.absolute()))
        seen.setdefault(k, f)
    return sorted(seen.values(), key=lambda x: (str(x.parent), x.name)), problems


def read_files(paths: list[Path | str], jobs: int | None = None,
               on_read: Callable[[int], None] | None = None) -> list[WorkbookRead]:
    """read_workbook over many files, results in input order; `jobs` processes read (this one included).

    Workers are forked on Linux and spawned elsewhere (Windows), so a script that calls this must
    do so under `if __name__ == "__main__":`; a process that is itself a child never starts a pool.
    `on_read(n)`: n more files are read (a progress bar; called in this process, maybe from the pool's thread).
    """
    paths = [os.fspath(p) for p in paths]
    jobs = jobs if jobs and jobs > 0 else min(os.cpu_count() or 1, 8)
    if len(paths) <= POOL_MIN_FILES or jobs <= 1 or multiprocessing.parent_process() is not None:
        return _read_chunk(paths, on_read)
    try:
        return _read_shared(paths, jobs - 1, on_read)
    except Exception:  # a broken pool (e.g. no fork/spawn allowed): read serially
        log.warning("process pool failed; reading serially", exc_info=True)
        return _read_chunk(paths)


def _read_chunk(paths: list[str], on_read: Callable[[int], None] | None = None) -> list[WorkbookRead]:
    if on_read is None:
        return [read_workbook(p) for p in paths]
    out = []
    for p in paths:
        out.append(read_workbook(p))
        on_read(1)
    return out


def _start_method() -> str:
    """fork where the platform has it and this process runs no other thread (a forked worker starts
    reading at once, with pandas and xlbase already imported; spawned, it first spends ~0.5 s
    importing them); spawn otherwise (Windows, macOS default, or threads that fork could deadlock)."""
    if "fork" in multiprocessing.get_all_start_methods() and sys.platform.startswith("linux") \
            and threading.active_count() == 1:
        return "fork"
    return "spawn"


def _read_shared(paths: list[str], workers: int, on_read: Callable[[int], None] | None = None) -> list[WorkbookRead]:
    """Spawned workers read chunks from the front while this process reads from the back.

    This process would otherwise idle while the workers start (each imports pandas) and wait for
    their pickled results; chunks it reads itself cost no pickling. A chunk it can still cancel
    has not been taken by a worker; the first one it cannot cancel means the rest are taken.
    """
    size = max(1, min(CHUNK_FILES, len(paths) // ((workers + 1) * 8)))
    chunks = [paths[i:i + size] for i in range(0, len(paths), size)]
    ctx = multiprocessing.get_context(_start_method())
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        futures = [pool.submit(_read_chunk, chunk) for chunk in chunks]
        if on_read is not None:
            for f, chunk in zip(futures, chunks):
                f.add_done_callback(lambda f, n=len(chunk): f.cancelled() or on_read(n))
        here: dict[int, list[WorkbookRead]] = {}
        for i in reversed(range(len(chunks))):
            if not futures[i].cancel():
                break
            here[i] = _read_chunk(chunks[i], on_read)
        return [wr for i, f in enumerate(futures) for wr in (here[i] if i in here else f.result())]
