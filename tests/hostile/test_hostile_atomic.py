"""Kill `xlbase merge` (SIGKILL) while it writes: the output is the old file or the complete new one.

The kill is timed by the writer's own temporary file (.汇总表.*.xlsx.tmp, created beside the
output when writing starts and renamed onto it at the end): it is sent once that file exists,
after a seeded random delay. SIGKILL runs no cleanup, so a temporary file still there after the
kill proves the kill landed mid-write; then the output must be the old file, byte for byte.
Temporary files may remain after a kill, never under the output name.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).parent))
import hostile_files as H  # noqa: E402


def _start(inbox: Path, out: Path) -> subprocess.Popen:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(H.REPO / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.Popen([sys.executable, "-m", "xlbase", "merge", str(inbox), "-o", str(out), "--jobs", "1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)


def _complete(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            if zf.testzip() is not None:
                return False
        wb = openpyxl.load_workbook(path, read_only=True)
        return "附件11" in wb.sheetnames and "问题清单" in wb.sheetnames
    except Exception:
        return False


def _temporaries(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(".") and p.name.endswith(".tmp")]


def _kill_when_writing(proc: subprocess.Popen, folder: Path, delay: float) -> bool:
    """SIGKILL `proc` `delay` s after its first temporary file appears in `folder`; False when it ended first."""
    deadline = time.monotonic() + 300
    while not _temporaries(folder):
        if proc.poll() is not None or time.monotonic() > deadline:
            return False
        time.sleep(0.001)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    return proc.wait(timeout=60) == -signal.SIGKILL


def test_sigkill_never_leaves_a_partial_output(tmp_path, generated_counties):
    # the samples' county inbox (made once a session for every module that merges it): 7 bases, 128 firms,
    # enough for the write to take a moment (12 workbooks written here took ~24 s of the test's ~33 s CPU)
    inbox = tmp_path / "inbox"
    shutil.copytree(generated_counties, inbox)
    out = tmp_path / "out" / "汇总表.xlsx"
    assert _start(inbox, out).wait(timeout=300) in (0, 1)
    assert _complete(out)
    rng = random.Random(20240825)
    mid_write = 0
    for _ in range(3):   # each kill lands mid-write (6 of 6 did, with this inbox and these delays): 3 prove it
        previous = out.read_bytes()
        assert not _temporaries(out.parent)
        killed = _kill_when_writing(_start(inbox, out), out.parent, rng.uniform(0.0, 0.05))
        left = _temporaries(out.parent)
        if killed and left:                          # killed between creating its file and renaming it
            mid_write += 1
            assert out.read_bytes() == previous, "the output changed although the write was cut off"
        else:                                        # the write had finished: the new file, whole
            assert _complete(out), "partial output at the output name"
        for stray in out.parent.iterdir():           # temp files may remain, never as the output
            assert stray == out or stray in left, stray.name
        for stray in left:
            stray.unlink()
    assert mid_write >= 1, "no kill landed while the output was being written"
