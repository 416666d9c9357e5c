"""A file that could not be read: its WorkbookRead, with the one problem that says why.

read_workbook, a programme's reader (read.programme_sheets) and the worker pool (read.isolation,
read.files) give every unusable file this shape: status = the reason's code, one `file-unusable` error.
"""

from __future__ import annotations


from ..problems import ERROR, Problem
from ..problem_codes import FILE_UNUSABLE
from ..table import WorkbookRead
from . import archive
from .limits import DEFAULT_LIMITS, MB, Limits, read_memory_for
from .sniff import MESSAGES


def read_failed(path: str, code: str, limits: Limits = DEFAULT_LIMITS, sha: str | None = None) -> WorkbookRead:
    """The file whose read ran out of memory or time, or crashed its reader ("read-memory", "read-timeout",
    "read-crashed"): one problem naming the limit it passed."""
    msg = MESSAGES[code].format(name=archive.display_name(path), seconds=limits.read_seconds,
                                memory=f"{read_memory_for(limits, archive.size_of(path)) // MB} MB")
    return unusable(path, code, msg, sha)


def unusable(path: str, code: str, message: str, sha: str | None) -> WorkbookRead:
    p = Problem(rule=FILE_UNUSABLE, severity=ERROR, message=message, file=path, value=code)
    return WorkbookRead(path=path, status=code, problems=[p], sha256=sha)
