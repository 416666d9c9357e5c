"""Where `xlbase validate` / `xlbase merge` of a small input spend their time: the 校验 button's wait, and
what every CLI test pays.

    python bench/small_file.py INPUT [INPUT…] [--repeat 5]

INPUT: a file or folder (one county's applications, say). Everything is byte-compiled first (bench/run.py's
precompile: an installed xlbase has its .pyc files). Printed, each from fresh child processes:
  the commands   `xlbase validate INPUT` and `xlbase merge INPUT -o …` end to end: wall and CPU (this
                 process's children: the command and its reader processes), median of --repeat
  the stages     in one child: imports (what `xlbase validate` loads), the pack, read_files (reader
                 processes, as the command), check.check first and warm; median of --repeat children
  the rules      rules.validate over the inputs' tables, per rule kind: CPU, min of 10 calls in one child
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _child(what: str, inputs: list[str]) -> dict:
    """Run this file's `--child what` in a fresh interpreter; its JSON line."""
    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", what, *inputs],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def stages(inputs: list[str]) -> dict:
    t0 = time.perf_counter()
    import xlbase.commands.validate  # noqa: F401 - what the command loads
    from xlbase.check import check, pack_for
    from xlbase.read import expand_inputs, read_files
    t1 = time.perf_counter()
    pack = pack_for()
    t2 = time.perf_counter()
    paths, _ = expand_inputs(inputs)
    reads = read_files(paths)
    t3 = time.perf_counter()
    check(reads, pack)
    t4 = time.perf_counter()
    check(reads, pack)
    t5 = time.perf_counter()
    return {"import": t1 - t0, "pack": t2 - t1, "read": t3 - t2, "check first": t4 - t3, "check warm": t5 - t4}


def kinds(inputs: list[str]) -> dict:
    from xlbase.check import pack_for
    from xlbase.read import expand_inputs, read_files
    from xlbase.rules import kind_of, validate
    from xlbase.rules.context import Context
    pack = pack_for()
    paths, _ = expand_inputs(inputs)
    tables = [t for r in read_files(paths) if r.ok for t in r.tables]
    validate(tables, pack)
    spent: dict[str, float] = {}
    total = []
    for _ in range(10):
        t = time.process_time()
        validate(tables, pack)
        total.append(time.process_time() - t)
        t = time.process_time()
        ctx = Context(list(tables), pack)
        spent["(context)"] = min(spent.get("(context)", 1e9), time.process_time() - t)
        by_kind: dict[str, float] = {}
        for rule in pack.rules:
            t = time.process_time()
            list(kind_of(rule)().check(ctx, rule))
            by_kind[rule.kind] = by_kind.get(rule.kind, 0.0) + time.process_time() - t
        for k, v in by_kind.items():
            spent[k] = min(spent.get(k, 1e9), v)
    return {"validate": min(total), **dict(sorted(spent.items(), key=lambda kv: -kv[1]))}


def command(args: list[str]) -> tuple[float, float]:
    """Wall and CPU (user + system of the command and its reader processes) of `python -m xlbase args`."""
    before = os.times()
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "xlbase", *args], capture_output=True, check=False)
    wall = time.perf_counter() - t
    after = os.times()
    return wall, (after.children_user - before.children_user) + (after.children_system - before.children_system)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("inputs", nargs="+")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--child", choices=("stages", "kinds"), help=argparse.SUPPRESS)
    ns = p.parse_args()
    if ns.child:
        print(json.dumps(stages(ns.inputs) if ns.child == "stages" else kinds(ns.inputs)))
        return
    from run import precompile
    precompile()
    with tempfile.TemporaryDirectory() as work:
        for name, args in (("validate", ["validate", *ns.inputs]),
                           ("merge", ["merge", *ns.inputs, "-o", str(Path(work) / "汇总表.xlsx"), "--quiet"])):
            runs = [command(args) for _ in range(ns.repeat)]
            print(f"xlbase {name:8s}  wall {statistics.median(w for w, _ in runs):6.2f} s   "
                  f"cpu {statistics.median(c for _, c in runs):6.2f} s   (median of {ns.repeat})")
    runs = [_child("stages", ns.inputs) for _ in range(ns.repeat)]
    print("stages (one child each, median): " + "  ".join(
        f"{k} {statistics.median(r[k] for r in runs) * 1000:.0f} ms" for k in runs[0]))
    spent = _child("kinds", ns.inputs)
    print("rules.validate CPU (min of 10): " + "  ".join(f"{k} {v * 1000:.1f} ms" for k, v in spent.items()))


if __name__ == "__main__":
    main()
