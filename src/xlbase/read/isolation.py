"""Read each file in a worker process with a memory cap and a time limit, so one file costs only itself.

A submission can make a reader fail in ways no `except` catches: calamine panics (a
BaseException), aborts the process when an allocation fails (a cell reference of 20 digits
asks for 26 GB), or loops over a damaged sector chain until the machine runs out of memory.
So the command's own process never parses a submission: long-lived workers do (forked on
Linux, so they start at once with everything imported), each with its address space capped
(above what it holds before each file: `Limits.read_memory_*`, by the file's size) and each file with a deadline
(`Limits.read_seconds`). A worker sends its reads by a thread of its own (`_Sender`) and goes on with its
next file meanwhile. A worker that dies or overruns is killed and replaced, and its file
becomes one Problem saying why; every other file is read as usual. A file whose worker died in
one of its readers is read once more from the next reader of its chain on (`read_workbook(...,
start=n)`; the worker tells which reader runs through a shared value): one reader's crash is
not the file's fault when another reader opens it, and every chain reaches its last reader. A file that needs
LibreOffice (~210 MB resident) is answered "later" and converted after every other file was
read, by one remaining reader process, one file at a time.

The whole process tree — this process, its readers, LibreOffice — has a memory budget
(`Limits.read_tree_bytes`; summed resident memory, where each forked reader counts the pages it
shares with this process again). Readers working side by side share it: each file's cap is its
part of what is left after the processes themselves, and a file that needs more is read again
alone, at the end, with the cap a single reader can have. By default no more readers are started
than leave each at least `read_share_min_bytes`.

Workers never outlive the command: each asks the kernel to kill it when its parent dies
(Linux), watches its parent otherwise, and the pool stops and reaps them on the way out.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection, wait
from queue import Queue
from typing import Any

from ..table import WorkbookRead
from . import archive
from .formats import LibreOfficeLater
from .limits import DEFAULT_LIMITS, Limits, read_memory_for
from .failed import read_failed
from .workbook import read_workbook
from .read_pickle import ReadPickler

log = logging.getLogger(__name__)

#: how much of a dead worker's stderr is kept to tell why it died (Rust prints "memory allocation of N bytes failed")
STDERR_TAIL_BYTES = 16 * 1024
_STOP_GRACE_SECONDS = 2.0
#: a file whose worker died in a reader is read again by the readers after it (read_workbook(start=...))
RETRY_WITH_FALLBACK = True
#: a worker collects cyclic garbage after this many files (its parent may have the collector off)
GC_EVERY = 32
#: files sent to a worker ahead of its answers, so that it never waits for this process to unpickle one
PIPELINE = 8
#: a worker's answer for a file that needs LibreOffice while other readers are at work
LATER = "libreoffice-later"


class PoolUnavailable(RuntimeError):
    """Not one reader process could be started."""


@dataclass
class _Task:
    index: int
    path: str
    start: int = 0                  # the first reader of its chain tried (those before it killed a worker)
    retried: bool = False           # a worker died on it before: read again with twice the memory
    first_death: str | None = None  # why the first attempt's worker died
    libreoffice: bool = False       # LibreOffice may run now (the pool's last stage): no other reader is at work
    alone: bool = False             # no other reader runs beside it: its cap is a single reader's share of the tree


@dataclass
class _Worker:
    proc: multiprocessing.process.BaseProcess
    conn: Connection
    log_path: str
    reading: Any                                  # shared with the worker: the index of the task it reads, or -1
    step: Any                                     # shared too: which reader of the task's chain runs, or -1
    tasks: deque = field(default_factory=deque)   # sent, in order, not answered yet
    deadline: float = 0.0                         # of the first task
    log_offset: int = 0                           # where the first task's stderr starts


def read_isolated(paths: list[str], workers: int, limits: Limits = DEFAULT_LIMITS, start_method: str = "fork",
                  on_read: Callable[[int], None] | None = None) -> list[WorkbookRead]:
    """read_workbook of every path in worker processes, results in input order; never raises for bad input.
    `on_read(1)` after each file (in this process)."""
    pool = _Pool(max(1, min(workers, len(paths))), limits, multiprocessing.get_context(start_method), on_read)
    try:
        return pool.run(paths)
    finally:
        pool.stop()


#: rounds in a row in which every reader left as it was handed a file before the pool gives up (the
#: command then reads in its own process, read.files)
_REFUSALS = 8


class _Pool:
    def __init__(self, size: int, limits: Limits, ctx, on_read: Callable[[int], None] | None = None) -> None:
        self.size, self.limits, self.ctx, self.on_read = size, limits, ctx, on_read
        self.base = _resident(os.getpid())   # a forked reader starts as large as this process
        self.workers: list[_Worker] = []
        self.later: list[_Task] = []     # files answered LATER (they need LibreOffice) or that need a reader's whole share
        self.log_dir = tempfile.mkdtemp(prefix="xlbase-read-")

    def run(self, paths: list[str]) -> list[WorkbookRead]:
        results: list[WorkbookRead | None] = [None] * len(paths)
        # largest files first: what is left when the queue runs dry (up to PIPELINE files per worker) is the
        # smallest, so no worker idles while another still reads a 1 200-firm list (results keep input order)
        alone = self.size == 1
        self._drain(deque(_Task(i, paths[i], alone=alone)
                          for i in sorted(range(len(paths)), key=lambda i: -_size(paths[i]))), results)
        if self.later:   # one reader process (the smallest), LibreOffice's conversions first, one at a time
            self._keep_smallest()
            self.size = 1
            queue = deque(replace(t, libreoffice=True, alone=True)
                          for t in sorted(self.later, key=lambda t: not t.libreoffice))
            self.later = []
            self._drain(queue, results)
        return [r for r in results if r is not None]

    def share(self, readers: int) -> int:
        """The memory one of `readers` reader processes may take for a file: its part of the tree's budget left
        after this process and the readers themselves (at least read_share_min_bytes)."""
        left = self.limits.read_tree_bytes - (readers + 1) * self.base
        return max(self.limits.read_share_min_bytes, left // readers)

    def budget(self, task: _Task) -> int:
        """The address space `task`'s reader may take above what it holds."""
        return min(read_memory_for(self.limits, _size(task.path), retry=task.retried),
                   self.share(1 if task.alone else self.size))

    def _more_alone(self, task: _Task) -> bool:
        """`task` ran short of memory beside other readers, and alone it would have more."""
        return not task.alone and self.budget(replace(task, alone=True, retried=True)) > self.budget(task)

    def _drain(self, queue: deque, results: list) -> None:
        refused = 0
        while queue or any(w.tasks for w in self.workers):
            self._fill(queue)
            busy = [w for w in self.workers if w.tasks]
            if not busy:   # every idle reader left as it was handed a file: _fill retired them, starts others
                refused += 1
                if refused > _REFUSALS:
                    raise PoolUnavailable
                continue
            refused = 0
            timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic())
            ready = set(wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], timeout))
            for w in busy:
                if w.conn in ready or w.proc.sentinel in ready:
                    self._collect(w, results, queue)
                elif time.monotonic() >= w.deadline:
                    self._lost(w, "read-timeout", results, queue)

    def _keep_smallest(self) -> None:
        """Retire every idle worker but the one holding the least memory (a worker that read large files
        keeps its heap), and that one too when a fresh one would be smaller."""
        idle = [w for w in self.workers if not w.tasks]
        gone = [w for w in idle if not w.proc.is_alive()]          # left on purpose: reaped, not kept
        idle = sorted((w for w in idle if w not in gone), key=lambda w: _resident(w.proc.pid))
        for w in gone + idle[1:] + [w for w in idle[:1] if _resident(w.proc.pid) > _resident(os.getpid())]:
            self._retire(w)

    def _fill(self, queue: deque) -> None:
        """Keep PIPELINE tasks with every worker (so none waits for this process), starting workers as needed."""
        self.workers = [w for w in self.workers if w.tasks or w.proc.is_alive()]
        while queue and len(self.workers) < self.size:
            try:
                self.workers.append(self._start())
            except OSError:   # no process could be started (EAGAIN, no fork): go on with those there are
                if not self.workers:
                    raise PoolUnavailable from None
                break
        for w in list(self.workers):
            while queue and len(w.tasks) < PIPELINE:
                task = queue.popleft()
                try:
                    w.conn.send((task.index, task.path, task.start, self.budget(task), task.libreoffice))
                except (OSError, ValueError):   # it died between reads: the loop reports its first task
                    queue.appendleft(task)
                    if not w.tasks:   # it was leaving (after a file that exhausted it) with nothing of ours
                        self._retire(w)
                    break
                if not w.tasks:
                    self._started(w)
                w.tasks.append(task)

    def _started(self, w: _Worker) -> None:
        w.deadline = time.monotonic() + self.limits.read_seconds
        w.log_offset = _size(w.log_path)

    def _start(self) -> _Worker:
        parent_end, child_end = self.ctx.Pipe()
        fd, log_path = tempfile.mkstemp(prefix="worker-", suffix=".log", dir=self.log_dir)
        os.close(fd)
        reading = self.ctx.Value("q", -1, lock=False)
        step = self.ctx.Value("i", -1, lock=False)
        proc = self.ctx.Process(target=_worker_main, name="xlbase-reader", daemon=True,
                                args=(child_end, log_path, self.limits, os.getpid(), reading, step))
        proc.start()
        child_end.close()
        return _Worker(proc, parent_end, log_path, reading, step)

    def _collect(self, w: _Worker, results: list, queue: deque) -> None:
        """The worker's answer for its first task, or, when it died instead, why."""
        answer = None
        if w.conn.poll():
            try:
                answer = w.conn.recv()
            except Exception:   # died mid-answer (EOFError, OSError), or an answer that will not unpickle
                answer = None
        if isinstance(answer, tuple) and len(answer) == 2 and answer[0] == w.tasks[0].index:
            task = w.tasks.popleft()
            if answer[1] == LATER:
                self.later.append(replace(task, libreoffice=True))
            elif getattr(answer[1], "status", None) == "read-memory" and self._more_alone(task):
                self.later.append(replace(task, alone=True, retried=True))   # again, with a reader's whole share
            else:
                self._store(results, task.index, answer[1])
            if w.tasks:
                self._started(w)
            return
        w.proc.join(_STOP_GRACE_SECONDS)   # its pipe closed: it is on its way out
        if w.proc.exitcode == 0:   # it left on purpose after a file that exhausted it: the rest were never read
            self._retire(w)
            queue.extendleft(reversed(w.tasks))
            return
        cause = "read-crashed" if w.proc.exitcode is None else _death_cause(w.proc.exitcode,
                                                                           _tail(w.log_path, w.log_offset))
        self._lost(w, cause, results, queue)

    def _retire(self, w: _Worker) -> None:
        _kill(w.proc)
        w.proc.join(_STOP_GRACE_SECONDS)
        w.conn.close()
        self.workers.remove(w)

    def _lost(self, w: _Worker, cause: str, results: list, queue: deque) -> None:
        """The worker died or overran: retire it; the task it was reading (its first unanswered one if it
        said none) is retried from the reader after the one that died, or reported; the rest are requeued —
        reads it made but had not sent yet too."""
        self._retire(w)
        task = next((t for t in w.tasks if t.index == w.reading.value), w.tasks[0])
        in_reader = w.step.value if task.index == w.reading.value else -1
        w.tasks.remove(task)
        queue.extendleft(reversed(w.tasks))
        log.debug("reader worker for %s ended (%s, exit %s, reader %s)", task.path, cause, w.proc.exitcode, in_reader)
        if cause == "read-memory" and self._more_alone(task):   # the same readers again, alone, with more memory
            self.later.append(replace(task, start=max(in_reader, task.start), alone=True, retried=True,
                                      first_death=task.first_death or cause))
            return
        if cause != "read-timeout" and RETRY_WITH_FALLBACK and (in_reader >= 0 or not task.retried):
            # a fresh worker, from the reader after the one that died (the same ones when it died elsewhere)
            queue.appendleft(replace(task, start=in_reader + 1 if in_reader >= 0 else task.start, retried=True,
                                     first_death=task.first_death or cause))
            return
        self._store(results, task.index, read_failed(task.path, task.first_death or cause, self.limits,
                                                     _sha256(task.path)))

    def _store(self, results: list, index: int, wr: WorkbookRead) -> None:
        results[index] = wr
        if self.on_read is not None:
            self.on_read(1)

    def stop(self) -> None:
        for w in self.workers:
            try:
                w.conn.send(None)
            except (OSError, ValueError):
                pass
        end = time.monotonic() + _STOP_GRACE_SECONDS
        for w in self.workers:
            w.proc.join(max(0.0, end - time.monotonic()))
            if w.proc.is_alive():
                _kill(w.proc)
                w.proc.join(_STOP_GRACE_SECONDS)
            w.conn.close()
        self.workers = []
        shutil.rmtree(self.log_dir, ignore_errors=True)


def _death_cause(exitcode: int | None, stderr_tail: bytes) -> str:
    """Why a worker died: its memory cap (Rust and C++ say so on stderr; the kernel's OOM killer sends SIGKILL) or a crash."""
    if b"memory allocation of" in stderr_tail or b"MemoryError" in stderr_tail or b"bad_alloc" in stderr_tail \
            or exitcode == -signal.SIGKILL:
        return "read-memory"
    return "read-crashed"


def _sha256(path: str) -> str | None:
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest() if hasattr(hashlib, "file_digest") \
                else hashlib.sha256(fh.read()).hexdigest()
    except OSError:
        return None


def _kill(proc) -> None:
    if proc.is_alive():
        try:
            proc.kill()
        except (OSError, AttributeError):
            pass


def _resident(pid: int | None) -> int:
    """A process's resident memory in bytes (Linux), 0 where that cannot be told."""
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return 0


def readers_within(limits: Limits, base: int | None = None) -> int:
    """How many reader processes the tree's memory budget holds beside this process, each with at least
    read_share_min_bytes to read in: n readers where the command and the n readers, each starting as large
    as the command (`base`, its resident memory now: a forked reader counts its pages again), leave each
    reader that share, (n + 1) * base + n * share <= budget. Never fewer than one."""
    base = _resident(os.getpid()) if base is None else base
    return max(1, (limits.read_tree_bytes - base) // (base + limits.read_share_min_bytes))


def _size(path: str) -> int:
    """An input's bytes (a member of an archive: its declared size), for the memory its reader may take."""
    return archive.size_of(path)


def _tail(path: str, offset: int) -> bytes:
    """What the worker wrote to stderr while reading its last file (at most STDERR_TAIL_BYTES)."""
    try:
        with open(path, "rb") as fh:
            fh.seek(max(offset, _size(path) - STDERR_TAIL_BYTES))
            return fh.read(STDERR_TAIL_BYTES)
    except OSError:
        return b""


# ---------------------------------------------------------------- the worker


def _worker_main(conn: Connection, log_path: str, limits: Limits, parent_pid: int, reading: Any, step: Any) -> None:
    """Read the files the parent sends, one at a time, until it sends None or goes away; `reading` (shared
    with the parent) holds the index of the task being read, -1 between tasks, `step` the reader of its
    chain that runs, -1 outside the readers."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)       # Ctrl-C is the parent's to handle: it stops us
    _stderr_to(log_path)
    # a panic's backtrace is resolved from debug info, which needs memory: under the cap that hung
    # the worker until its time ran out (a fuzzed .xls); nobody reads the backtrace here anyway
    os.environ["RUST_BACKTRACE"] = os.environ["RUST_LIB_BACKTRACE"] = "0"
    gc.freeze()   # what the parent built is never scanned here (nor copied page by page by the scan)
    sender = _Sender(conn)   # its thread's stack is mapped before the memory cap
    try:
        _read_tasks(conn, sender, limits, parent_pid, reading, step)
    finally:
        sender.close()


def _read_tasks(conn: Connection, sender: _Sender, limits: Limits, parent_pid: int, reading: Any, step: Any) -> None:
    if _cap_memory(limits.read_memory_bytes):   # the cap and the retry stand in for counting cells first
        limits = replace(limits, scan_sheet_extents=False)
        capped = True
    else:
        capped = False
    read = 0
    while not sender.broken:
        try:
            while not conn.poll(1.0):
                if os.getppid() != parent_pid:
                    return
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, path, start, budget, libreoffice = task
        read += 1
        if read % GC_EVERY == 0:
            gc.collect()   # the parent may run with the collector off (merge): cycles must not creep up to the cap
        if capped:
            _cap_memory(budget)
        fresh = True
        reading.value = index
        wr: WorkbookRead | str
        try:
            wr = read_workbook(path, start=start, limits=replace(limits, libreoffice_later=not libreoffice),
                               on_step=lambda i: setattr(step, "value", i))
        except LibreOfficeLater:
            wr = LATER
        except MemoryError:
            wr, fresh = read_failed(path, "read-memory", limits), False
        except BaseException as exc:   # pyo3's PanicException and anything else read_workbook let through
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            wr, fresh = read_failed(path, "read-crashed", limits), False
        try:
            sender.send((index, wr))
        except MemoryError:
            sender.send((index, read_failed(path, "read-memory", limits)))
            fresh = False
        reading.value = -1
        if not fresh:
            return   # a heap that ran out or a half-unwound reader is not reused: the parent starts another worker


class _Sender:
    """A worker's reads, pickled by the worker and written to the parent by a thread of their own.

    The parent takes a read only when it gets to it (it is unpickling the other worker's read, or
    waiting for a core): written by the reading thread, a read larger than the pipe's buffer held
    the worker until then instead of letting it read its next file. On a loaded 2-core machine that
    was most of the read stage: scale 1, in process, interleaved, read_files 4.3-8.5 -> 2.2-4.5 s.
    The write releases the GIL. Reads leave in order; `close` sends what is queued before the worker
    ends, so the parent has every read of a worker that ends on purpose. One that dies loses what was
    queued: the shared `reading` index tells the parent which task killed it (Pool._lost).
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.broken = False     # the parent is gone: the worker stops
        self.queue: Queue = Queue(PIPELINE)
        self.thread = threading.Thread(target=self._write, name="xlbase-reader-send", daemon=True)
        self.thread.start()

    def send(self, answer: tuple) -> None:
        """Pickle `answer` here (a MemoryError is the caller's, as from Connection.send) and queue it."""
        self.queue.put(ReadPickler.dumps(answer))

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()

    def _write(self) -> None:
        while True:
            data = self.queue.get()
            if data is None:
                return
            if self.broken:
                continue
            try:
                self.conn.send_bytes(data)
            except (OSError, ValueError):
                self.broken = True


def _die_with_parent() -> None:
    """Linux: the kernel kills this worker when the parent dies, however it dies."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _stderr_to(log_path: str) -> None:
    """A panicking or aborting native reader writes to fd 2: keep it out of the officer's terminal."""
    try:
        fd = os.open(log_path, os.O_WRONLY | os.O_APPEND)
        os.dup2(fd, 2)
        os.close(fd)
    except OSError:
        pass


def _cap_memory(budget: int) -> bool:
    """Cap the address space at what the worker has now plus `budget` (Linux); False where that cannot be done.
    Only the soft limit moves, so the next file may be given more than this one."""
    try:
        import resource
        with open("/proc/self/statm") as fh:
            current = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        limit = current + budget
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        return True
    except (ImportError, OSError, ValueError, AttributeError):
        return False
