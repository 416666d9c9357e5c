"""Progress on a terminal: the stage and files done / total while a merge or validate runs; nothing
extra when the output is not a terminal or with --quiet, and the printed result is the same."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "samples" / "counties"
N_FILES = sum(1 for p in SAMPLE.rglob("*") if p.is_file())
BAR = re.compile(r"读取文件.*?(\d+)/(\d+) 个文件")

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal (POSIX)")


def on_terminal(*args: str, delay: str = "0") -> tuple[int, str]:
    """Run xlbase with stdout and stderr on a pseudo-terminal; (exit code, everything it wrote)."""
    import pty
    master, slave = pty.openpty()
    env = dict(os.environ, XLBASE_PROGRESS_DELAY=delay, COLUMNS="120")
    proc = subprocess.Popen([sys.executable, "-m", "xlbase", *args], stdin=slave, stdout=slave, stderr=slave,
                            env=env, cwd=REPO, close_fds=True)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:       # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return proc.wait(timeout=300), b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.parametrize("command", ["merge", "validate"])
def test_a_terminal_shows_stage_and_files(command, tmp_path):
    args = [command, str(SAMPLE)] + (["-o", str(tmp_path / "汇总表.xlsx")] if command == "merge" else [])
    code, text = on_terminal(*args)
    assert code == 1, text[-2000:]
    counts = [(int(a), int(b)) for a, b in BAR.findall(text)]
    assert counts and {b for _, b in counts} == {N_FILES}
    assert counts[-1][0] == N_FILES and all(x <= y for (x, _), (y, _) in zip(counts, counts[1:]))
    assert "校验" in text
    assert ("汇总表已写入" if command == "merge" else "共读取") in text        # the result follows


def test_quiet_and_pipes_show_no_bar(tmp_path):
    code, text = on_terminal("merge", str(SAMPLE), "-o", str(tmp_path / "a.xlsx"), "--quiet")
    assert code == 1 and not BAR.search(text) and "汇总表已写入" in text
    proc = subprocess.run([sys.executable, "-m", "xlbase", "merge", str(SAMPLE), "-o", str(tmp_path / "b.xlsx")],
                          capture_output=True, text=True, encoding="utf-8", cwd=REPO, timeout=300,
                          env=dict(os.environ, XLBASE_PROGRESS_DELAY="0"))
    assert proc.returncode == 1 and "个文件" not in proc.stderr and "\x1b[" not in proc.stdout + proc.stderr


def test_short_runs_draw_nothing(tmp_path):
    code, text = on_terminal("validate", str(next(SAMPLE.glob("五台县/*.xlsx"))), delay="600")
    assert code == 1 and not BAR.search(text) and "\x1b[" not in text
