"""Profile `xlbase merge` in-process on a bench corpus: where do the seconds go?

    python bench/profile_merge.py bench/corpus/scale-1 [--top 30] [--jobs 1]

Times the four stages (read, validate, merge, write) separately with the same functions
merge_command calls, then prints cProfile's top functions by own time for the whole run.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import time
from pathlib import Path


def stages(corpus: Path, out: Path, jobs: int | None) -> dict[str, float]:
    from xlbase.merge.core import merge_reads
    from xlbase.merge.level import default_unit_name, infer_level
    from xlbase.problems import sort_problems
    from xlbase.read import expand_inputs, read_files
    from xlbase.rules import load_pack, validate
    from xlbase.summary.workbook import write_summary_workbook

    t = {}
    t0 = time.perf_counter()
    paths, _ = expand_inputs([str(corpus)])
    pack = load_pack(None, None)
    t["setup"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    reads = read_files(paths, jobs)
    t["read"] = time.perf_counter() - t0
    tables = [tb for wr in reads for tb in wr.tables]
    t0 = time.perf_counter()
    problems = validate(tables, pack)
    t["validate"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = merge_reads(reads)
    problems = sort_problems(problems + result.problems + [p for wr in reads for p in wr.problems])
    t["merge"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    lvl = infer_level(result)
    write_summary_workbook(out, result, problems, level=lvl, year=pack.year,
                           unit=default_unit_name(result, lvl), as_of=pack.as_of)
    t["write"] = time.perf_counter() - t0
    t["problems"] = len(problems)
    t["firms"] = len(result.firms)
    return t


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="cProfile of xlbase merge on a bench corpus")
    p.add_argument("corpus", type=Path)
    p.add_argument("--top", type=int, default=35)
    p.add_argument("--jobs", type=int, default=1, help="1 keeps the reading in this process (visible to cProfile)")
    p.add_argument("--sort", default="tottime")
    p.add_argument("--times-only", action="store_true", help="stage times without the profiler")
    ns = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "附件11.xlsx"
        if ns.times_only:
            t0 = time.perf_counter()
            t = stages(ns.corpus, out, ns.jobs)
            print("stage seconds:", ", ".join(f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}"
                                              for k, v in t.items()), f"| total {time.perf_counter() - t0:.2f}")
            return 0
        prof = cProfile.Profile()
        t0 = time.perf_counter()
        prof.enable()
        t = stages(ns.corpus, out, ns.jobs)
        prof.disable()
        total = time.perf_counter() - t0
    print("stage seconds (under cProfile, so inflated):",
          ", ".join(f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}" for k, v in t.items()),
          f"| total {total:.2f}")
    s = io.StringIO()
    pstats.Stats(prof, stream=s).sort_stats(ns.sort).print_stats(ns.top)
    print(s.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
