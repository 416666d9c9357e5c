"""Kill `xlbase merge` (SIGKILL) at random points: the output is the old file or the complete new one.

Stray temporary files (.汇总表.*.xlsx.tmp) may remain after a kill — SIGKILL runs no
cleanup — but never under the output name. Delays come from a seeded RNG.
"""

from __future__ import annotations

import os
import random
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


def test_sigkill_never_leaves_a_partial_output(tmp_path):
    inbox = tmp_path / "inbox"
    for i in range(12):  # enough files for the run to take a moment
        H.write_good(inbox / f"代县_{i}_申报表.xlsx", "代县", f"第{i}双创基地", f"代县第{i}有限公司", 20 + i)
    out = tmp_path / "out" / "汇总表.xlsx"
    t0 = time.monotonic()
    assert _start(inbox, out).wait(timeout=300) in (0, 1)
    full = time.monotonic() - t0
    assert _complete(out)
    rng = random.Random(20240825)
    outcomes = set()
    for _ in range(6):
        previous = out.read_bytes()
        proc = _start(inbox, out)
        time.sleep(rng.uniform(0.3, 1.0) * full)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        now = out.read_bytes()
        if now == previous:
            outcomes.add("old")
        else:
            assert _complete(out), "partial output at the output name"
            outcomes.add("new")
        for stray in out.parent.iterdir():           # temp files may remain, never as the output
            assert stray == out or stray.name.startswith(".") and stray.name.endswith(".tmp"), stray.name
    assert outcomes  # at least one kill happened; which outcome is timing-dependent
