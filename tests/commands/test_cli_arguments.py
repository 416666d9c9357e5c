"""Unusable arguments: exit 2 and a Chinese message a clerk can act on (the English kept for searching)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from xlbase.cli import build_parser, chinese_error

REPO = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xlbase", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=REPO, timeout=120)


@pytest.mark.parametrize("args, words", [
    (("merge", "samples/counties"), ("缺少必需的参数", "-o/--out")),
    (("merge", "samples/counties", "-o", "x.xlsx", "--level", "town"), ("不可用", "county")),
    (("merge", "samples/counties", "-o", "x.xlsx", "--jobs", "0"), ("进程数",)),
    (("merge", "samples/counties", "-o", "x.xlsx", "--jobs", "-3"), ("进程数",)),
    (("merge", "samples/counties", "-o"), ("后面需要给出一个值",)),
    (("mark", "a.xlsx", "b.xlsx"), ("无法识别的参数", "b.xlsx")),
    (("validate", "samples/counties", "--as-of", "2024-13-01"), ("YYYY-MM-DD",)),
    (("validate", "samples/counties", "--as-of", "2024-08"), ("YYYY-MM-DD",)),
])
def test_unusable_arguments_exit_2_in_chinese(args, words):
    proc = _run(*args)
    assert proc.returncode == 2, proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("xlbase: 参数错误："), last
    for w in words:
        assert w in last, last
    assert "Traceback" not in proc.stderr


def test_reference_date_in_a_clerks_spelling():
    parser = build_parser()
    for text in ("2024-08-25", "2024/8/25", "2024年8月25日", "2024.08.25"):
        assert str(parser.parse_args(["validate", "x", "--as-of", text]).as_of) == "2024-08-25", text


def test_unknown_messages_pass_through_unchanged():
    assert chinese_error("something new from argparse") == "something new from argparse"
