"""Progress of a long run on a terminal: the stage, and files done / total while reading.

A province merge (448 files) takes seconds and a national one about a minute; an officer at a
terminal sees a bar (rich) once a run has taken more than DELAY seconds. Nothing is drawn when
stderr is not a terminal (scripts, pipes, CI) or with --quiet, and the bar is removed when the run
ends, so the printed result is the same either way.

No refresh thread: the bar is redrawn when a file is done or the stage changes. A thread would make
read.files spawn its workers instead of forking them (~0.5 s of imports each).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from typing import Any

DELAY = 1.5     # seconds before a bar appears: short runs print nothing extra
REDRAWS = 10    # at most this many redraws a second


class Progress:
    """Stages and file counts of one command; a no-op unless `enabled`."""

    def __init__(self, enabled: bool, delay: float | None = None) -> None:
        self.enabled = enabled
        env = os.environ.get("XLBASE_PROGRESS_DELAY", "")   # tests on a pseudo-terminal: draw at once
        self.delay = delay if delay is not None else float(env) if env.replace(".", "", 1).isdigit() else DELAY
        self._t0 = time.monotonic()
        self._bar: Any = None
        self._task: Any = None
        self._stage = ""
        self._total: int | None = None
        self._done = 0
        self._drawn = 0.0
        self._lock = threading.Lock()

    @classmethod
    def for_terminal(cls, quiet: bool = False) -> "Progress":
        """Enabled when stderr is a terminal and the user did not ask for quiet."""
        try:
            tty = sys.stderr.isatty()
        except (AttributeError, ValueError):
            tty = False
        return cls(tty and not quiet)

    def stage(self, name: str, total: int | None = None) -> None:
        """A new stage ('读取文件', '校验', '写出汇总表' …), counted up to `total` files when given."""
        self._stage, self._total, self._done = name, total, 0
        if self._bar is not None:
            self._bar.update(self._task, description=name, total=total, completed=0, count=self._count())
        self._draw(now=True)

    def advance(self, n: int = 1) -> None:
        """`n` more files done (may be called from the reader pool's callback thread)."""
        with self._lock:
            self._done += n
        if self._bar is not None:
            self._bar.update(self._task, completed=self._done, count=self._count())
        self._draw(now=self._done == self._total)       # the last file is always shown

    def _count(self) -> str:
        return f"{min(self._done, self._total)}/{self._total} 个文件" if self._total else ""

    @property
    def on_read(self):
        """The callback for read.files.read_files: None when nothing is drawn (the reader's plain path)."""
        return self.advance if self.enabled else None

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _draw(self, now: bool = False) -> None:
        """Redraw, at most REDRAWS times a second while counting (a new stage is drawn at once)."""
        if not self.enabled:
            return
        t = time.monotonic()
        if self._bar is None:
            if t - self._t0 < self.delay:
                return
            self._start()
        elif not now and t - self._drawn < 1 / REDRAWS:
            return
        self._drawn = t
        self._bar.refresh()

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress as Bar, TextColumn, TimeElapsedColumn
        self._bar = Bar(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[count]}"),
                        TimeElapsedColumn(), console=Console(stderr=True), transient=True, auto_refresh=False)
        self._bar.start()
        self._task = self._bar.add_task(self._stage, total=self._total, completed=self._done, count=self._count())
