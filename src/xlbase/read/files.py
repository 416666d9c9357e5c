"""Turn command-line inputs into files, and read many files (in parallel when it pays).

Globs are expanded here because Windows shells do not expand them. Folders are
walked recursively and every file in them is an input, whatever its extension: the
reader decides by content what is a spreadsheet (a WPS .et, an .ods, an .xlsx saved as
.xls), and every other file is listed in the report as not read. Only system and lock
files are skipped without a word (`is_system_file`), hidden folders, and the JSON
reports xlbase wrote itself (kept beside the 汇总表s a higher level merges). A zip archive is replaced by
the files it holds, each an input of its own (read.archive: `县.zip!/folder/x.xlsx`). Files are read in
worker processes with limits (read.isolation).
"""

from __future__ import annotations

import glob
import multiprocessing
import os
import re
import sys
import threading
from pathlib import Path
from typing import Callable, Sequence

from ..problems import ERROR, Problem
from . import archive
from .system_files import is_system_file
from ..table import WorkbookRead
from .isolation import PoolUnavailable, read_isolated, readers_within
from .limits import DEFAULT_LIMITS, Limits
from .failed import read_failed
from .stray_forms import refuse_strays
from .workbook import read_workbook
from ..problem_codes import INPUT_MISSING


MAX_JOBS = 8     # default reader processes: the CPUs, at most this many


#: the start of a `--json` report xlbase wrote (reports.problems.write_json_report): an officer keeps them
#: beside the 汇总表s they merge on, and the 汇总表 itself carries everything the report says
_OWN_REPORT = re.compile(rb'\A\s*\{\s*"version":\s*\d+,\s*"command":\s*"(?:merge|validate)"')


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
                problems.append(Problem(INPUT_MISSING, ERROR, f"没有找到与“{arg}”匹配的文件。", file=arg))
            found += hits
        elif p.is_dir():
            files = _walk(p)
            if not files:
                problems.append(Problem(INPUT_MISSING, ERROR,
                                        f"文件夹“{arg}”中没有文件（系统文件和临时锁定文件不算）。", file=arg))
            found += files
        elif p.exists():
            found.append(p)
        else:
            problems.append(Problem(INPUT_MISSING, ERROR, f"找不到文件或文件夹“{arg}”，请检查路径。", file=arg))
    seen: dict[str, Path] = {}
    for f in found:
        seen.setdefault(_key(f), f)
    out: dict[str, Path] = {}
    for f in seen.values():     # a zip archive: the files it holds, each an input named 县.zip!/folder/x.xlsx
        inside = archive.members(f)
        for one in [Path(m) for m in inside] if inside else [f]:
            out.setdefault(_key(one), one)
    return sorted(out.values(), key=lambda x: (str(x.parent), x.name)), problems


def _key(f: Path) -> str:
    """What makes two inputs one: the file they resolve to (a member: its archive's, and its own name)."""
    parts = archive.split(f)
    if parts is not None:
        return f"{_key(Path(parts[0]))}{archive.SEP}{parts[1]}"
    try:
        return os.path.normcase(str(f.resolve()))
    except (OSError, RuntimeError):  # RuntimeError: symlink loop (Python < 3.13)
        return os.path.normcase(str(f.absolute()))


def cores() -> int:
    """The CPUs this process may run on (its affinity mask where the system has one: a container's share)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):   # no affinity call (Windows, macOS)
        return os.cpu_count() or 1


def default_readers(limits: Limits = DEFAULT_LIMITS, cpus: int | None = None, base: int | None = None) -> int:
    """Reader processes when the caller names none: one per CPU, at most MAX_JOBS, and no more than the
    process tree's memory budget holds (isolation.readers_within, `base` the command's resident memory);
    at least one."""
    return max(1, min(cores() if cpus is None else cpus, MAX_JOBS, readers_within(limits, base)))


def read_files(paths: Sequence[Path | str], jobs: int | None = None, on_read: Callable[[int], None] | None = None,
               limits: Limits = DEFAULT_LIMITS) -> list[WorkbookRead]:
    """read_workbook over many files, results in input order; `jobs` worker processes read them.
    `on_read(n)`: n more files are read (a progress bar; called in this process).

    No file is parsed in this process: each is read in a worker with a memory cap and a time
    limit (read.isolation), so a file that crashes its reader, or wants unbounded memory or
    time, costs only itself, with `jobs=1` as in parallel. Workers are forked on Linux and
    spawned elsewhere (Windows), so a script that calls this must do so under
    `if __name__ == "__main__":`. Where no worker can be started (a daemonic process may not
    have children, or the system refuses another process) the files are read here, panics
    caught but without the limits.
    """
    from ..forms.programmes import check_command_batch
    out = refuse_strays(_read_all(paths, jobs, on_read, limits))    # another call's form sent by one of ours
    check_command_batch(out)       # a batch of another programme, or of several, is refused (ProgrammeMismatch)
    return out


def _read_all(paths: Sequence[Path | str], jobs: int | None, on_read: Callable[[int], None] | None,
              limits: Limits) -> list[WorkbookRead]:
    names = [os.fspath(p) for p in paths]
    if not names:
        return []
    jobs = jobs if jobs and jobs > 0 else default_readers(limits)
    if not multiprocessing.current_process().daemon:
        try:
            return read_isolated(names, jobs, limits, _start_method(), on_read)
        except PoolUnavailable:
            pass
    out = []
    for p in names:
        out.append(_read_here(p))
        if on_read is not None:
            on_read(1)
    return out


def _read_here(path: str) -> WorkbookRead:
    """read_workbook in this process, when no worker can be had: panics and memory errors still cost one file."""
    try:
        return read_workbook(path)
    except MemoryError:
        return read_failed(path, "read-memory")
    except BaseException as exc:
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return read_failed(path, "read-crashed")


def _start_method() -> str:
    """fork where the platform has it and this process runs no other thread (a forked worker starts
    reading at once, with pandas and xlbase already imported; spawned, it first spends ~0.5 s
    importing them); spawn otherwise (Windows, macOS default, or threads that fork could deadlock)."""
    if "fork" in multiprocessing.get_all_start_methods() and sys.platform.startswith("linux") \
            and threading.active_count() == 1:
        return "fork"
    return "spawn"
