"""How long the sniffer takes to refuse hostile files (moved here from tests/read/test_sniff.py:
tests assert behaviour and memory, never wall time).

    python bench/sniff_bench.py            # fastest of 3 per file, against the 2 s budget

A refusal must come from the ZIP directory and the first bytes of an XML part, never from
inflating or parsing the bomb: each file below is refused well within BUDGET_S on the
project's 2-core machine (a loaded machine: re-run before believing a slow figure).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "hostile"))
sys.path.insert(0, str(HERE.parent / "tests" / "fixtures"))

import hostile_files as H  # noqa: E402  (tests/hostile: the hostile files the tests read)

from xlbase.read.sniff import inspect_file  # noqa: E402

BUDGET_S = 2.0
REPEAT = 3


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases = {
            "zip bomb (1 GB of spaces)": H.zip_bomb(folder / "bomb.xlsx"),
            "zip bomb, sizes lying": H.zip_bomb_lying(folder / "lying.xlsx"),
            "billion laughs in sharedStrings": H.xml_bomb(folder / "laughs.xlsx", part="sst"),
            "billion laughs behind a 100 KB comment": H.xml_bomb_behind_comment(folder / "hidden.xlsx"),
        }
        worst = 0.0
        for name, path in cases.items():
            times = []
            for _ in range(REPEAT):
                t0 = time.perf_counter()
                check = inspect_file(path)
                times.append(time.perf_counter() - t0)
            best = min(times)
            worst = max(worst, best)
            print(f"{name:42s} {check.code:14s} {best * 1000:8.1f} ms (fastest of {REPEAT})")
    verdict = "ok" if worst < BUDGET_S else "SLOW"
    print(f"slowest refusal {worst:.3f} s, budget {BUDGET_S} s: {verdict}")
    return 0 if worst < BUDGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
