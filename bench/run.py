"""Province-scale benchmark of `xlbase merge` against the read-and-write floor (issue 7).

    python bench/run.py                       # Shanxi scale: generate, time, print verdicts
    python bench/run.py --scale 0.02          # CI smoke size
    python bench/run.py --corpus DIR --keep   # reuse / keep an inbox
    python bench/run.py --national            # also the --scale 16 linearity check

In one run, each stage in its own child process (so imports and memory do not mix), the stages
taken in turn --repeat rounds (default 5; every other round in reverse order, so a slow minute weighs on
floor and merge alike):
  floor   python-calamine read of every cell of every file + xlsxwriter constant_memory
          write of the 附件3 firm rows (work time, measured inside the child)
  naive   pandas read_excel(engine="openpyxl") of every sheet, concat, to_excel (work time)
  merge   `python -m xlbase merge DIR -o OUT --json R` end to end (wall time, startup included)
merge/floor is judged on the median, over the rounds, of each round's merge time over the same round's
floor time, and printed with the lowest and highest round: on a shared 2-core machine the floor alone moves
by ±10 % between runs, so one run's noise must not decide. The fastest run of each stage is kept too.
`--baseline SRC` also times the merge of another copy of xlbase (SRC: the folder holding its `xlbase`
package, e.g. a checkout's src/) in the same rounds: the median of merge/baseline per round is the
before/after figure of a change, both measured against the same minutes.
Peak memory is the child's peak RSS (its own high-water mark, which it records at exit; with /proc, also the
sum over its process tree sampled, which counts parallel reader processes). Both ratios are conservative for merge: it
pays interpreter start-up and imports, the floor and naive stages do not.
Results go to bench/results/<timestamp>.json (git-ignored).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

FIRM_SHEET = "附件3"
HEADER_ROWS = 5
TARGETS = {"merge_over_floor": 1.2, "naive_over_merge": 4.0, "merge_peak_mb": 500,
           "national_growth": 20.0, "national_peak_mb": 2048}


# ---------------------------------------------------------------- stages (run in a child)

def _inputs(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*.xlsx") if not p.name.startswith("~$"))


def _write_rows_xlsxwriter(rows: list[list], out: Path) -> None:
    """The floor's writer: typed cells, strings with write_string (as merge must)."""
    import xlsxwriter
    wb = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    ws = wb.add_worksheet("入驻企业")
    datefmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws_string, ws_number, ws_date = ws.write_string, ws.write_number, ws.write_datetime
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v is None or v == "":
                continue
            if isinstance(v, str):
                ws_string(r, c, v)
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                ws_number(r, c, v)
            elif isinstance(v, (dt.date, dt.datetime)):
                ws_date(r, c, v, datefmt)
            else:
                ws_string(r, c, str(v))
    wb.close()


def _write_rows_rust(rows: list[list], out: Path) -> None:
    """rvgsrust-xlsxwriter (rust_xlsxwriter): same cells, its own API (close(path))."""
    from rvgsrust_xlsxwriter import Workbook
    wb = Workbook()
    ws = wb.add_worksheet("入驻企业", constant_memory=True)
    datefmt = wb.add_format()
    datefmt.set_num_format("yyyy-mm-dd")
    write, write_date, write_datetime = ws.write, ws.write_date_py, ws.write_datetime_py
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v is None or v == "":
                continue
            if isinstance(v, dt.datetime):
                write_datetime(r, c, v, datefmt)
            elif isinstance(v, dt.date):
                write_date(r, c, v, datefmt)
            else:
                write(r, c, v)
    wb.close(str(out))


def _calamine_rows(files: list[Path]) -> tuple[list[list], int]:
    """Every cell of every sheet; returns the 附件3 data rows and the cell count."""
    from python_calamine import CalamineWorkbook
    firm_rows, cells = [], 0
    for path in files:
        wb = CalamineWorkbook.from_path(str(path))
        for name in wb.sheet_names:
            rows = wb.get_sheet_by_name(name).to_python()
            cells += sum(len(r) for r in rows)
            if name == FIRM_SHEET:
                firm_rows.extend(rows[HEADER_ROWS:])
    return firm_rows, cells


def stage_floor(corpus: Path, work: Path) -> dict:
    files = _inputs(corpus)
    t0 = time.perf_counter()
    rows, cells = _calamine_rows(files)
    t1 = time.perf_counter()
    _write_rows_xlsxwriter(rows, work / "floor.xlsx")
    t2 = time.perf_counter()
    return {"seconds": t2 - t0, "read_seconds": t1 - t0, "write_seconds": t2 - t1,
            "files": len(files), "cells": cells, "rows": len(rows)}


def stage_naive(corpus: Path, work: Path) -> dict:
    import pandas as pd
    files = _inputs(corpus)
    t0 = time.perf_counter()
    frames: dict[str, list] = {}
    for path in files:
        for name, df in pd.read_excel(path, sheet_name=None, engine="openpyxl", header=HEADER_ROWS - 1).items():
            frames.setdefault(name, []).append(df)
    merged = {name: pd.concat(dfs, ignore_index=True, sort=False) for name, dfs in frames.items()}
    with pd.ExcelWriter(work / "naive.xlsx") as xw:
        for name, df in merged.items():
            df.to_excel(xw, sheet_name=name, index=False)
    rows = len(merged.get(FIRM_SHEET, []))
    return {"seconds": time.perf_counter() - t0, "files": len(files), "rows": rows}


def stage_writers(corpus: Path, work: Path) -> dict:
    """The firm rows written by xlsxwriter constant_memory and by rvgsrust-xlsxwriter."""
    rows, _ = _calamine_rows(_inputs(corpus))
    out = {"rows": len(rows)}
    t0 = time.perf_counter()
    _write_rows_xlsxwriter(rows, work / "w_xlsxwriter.xlsx")
    out["xlsxwriter_seconds"] = time.perf_counter() - t0
    out["xlsxwriter_version"] = _version("xlsxwriter")
    try:
        t0 = time.perf_counter()
        _write_rows_rust(rows, work / "w_rust.xlsx")
        out["rust_seconds"] = time.perf_counter() - t0
        out["rust_version"] = _version("rvgsrust-xlsxwriter")
        from python_calamine import CalamineWorkbook   # read back: same cells?
        back = CalamineWorkbook.from_path(str(work / "w_rust.xlsx")).get_sheet_by_index(0).to_python()
        out["rust_rows_read_back"] = len(back)
    except ImportError:
        out["rust_seconds"] = None
    return out


STAGES = {"floor": stage_floor, "naive": stage_naive, "writers": stage_writers}


# ---------------------------------------------------------------- measuring a child

def _tree_rss(pid: int) -> int:
    """Sum of RSS (bytes) of pid and its descendants, from /proc; 0 where unavailable."""
    total, todo = 0, [pid]
    page = os.sysconf("SC_PAGE_SIZE")
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * page
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except (OSError, ValueError):
            continue
    return total


#: runs `python ARGS` (a script or -m module) in this interpreter and, at exit, writes its own peak RSS (KiB) to
#: BENCH_PEAK_FILE: /proc/self/status VmHWM, where Linux counts this process's memory only. Not ru_maxrss: a
#: process started by vfork+exec (Python's subprocess) is handed its parent's peak as its own ru_maxrss, so the
#: runner's peak (it may have generated the corpus in-process) became every stage's. Its reaped children
#: (RUSAGE_CHILDREN: the merge's reader workers) count too; a forked child inherits the handler, only the
#: process started here writes.
_OWN_PEAK = """import atexit, os, resource, runpy, sys
out, me = os.environ.pop("BENCH_PEAK_FILE"), os.getpid()
def own_peak():
    try:
        return int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0])
    except (OSError, IndexError, ValueError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // (1024 if sys.platform == "darwin" else 1)
def record():
    if os.getpid() == me:
        kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // (1024 if sys.platform == "darwin" else 1)
        open(out, "w").write(str(max(own_peak(), kids)))
atexit.register(record)
args = sys.argv[1:]
if args[0] == "-m":
    sys.argv = [args[1], *args[2:]]
    runpy.run_module(args[1], run_name="__main__", alter_sys=True)
else:
    sys.argv = args
    sys.path[0] = os.path.dirname(os.path.abspath(args[0]))
    runpy.run_path(args[0], run_name="__main__")
"""


def measure(cmd: list[str], env: dict | None = None) -> dict:
    """Run cmd (`sys.executable` and its arguments); wall time, exit code, output, CPU (wait4), peak RSS: the
    larger of the child's own high-water mark (recorded at its exit, _OWN_PEAK) and its process tree's RSS
    summed, sampled every 50 ms from /proc (the sample alone for a child that died before it could record)."""
    assert cmd[0] == sys.executable, cmd
    fd, peak_file = tempfile.mkstemp(prefix="bench_peak_")
    os.close(fd)
    env = dict(os.environ if env is None else env, BENCH_PEAK_FILE=peak_file)
    t0 = time.perf_counter()
    proc = subprocess.Popen([cmd[0], "-c", _OWN_PEAK, *cmd[1:]], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    if Path("/proc").is_dir():
        sampler.start()
    if hasattr(os, "wait4"):
        # wait4: this child's CPU (not its ru_maxrss, the spawner's peak by vfork: see _OWN_PEAK)
        chunks: dict[str, bytes] = {}
        readers = [threading.Thread(target=lambda n=n, s=s: chunks.__setitem__(n, s.read()), daemon=True)
                   for n, s in (("out", proc.stdout), ("err", proc.stderr))]
        for t in readers:
            t.start()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        for t in readers:
            t.join()
        out, err = chunks.get("out", b""), chunks.get("err", b"")
        # CPU of the child and of the children it waited for (reader workers, the row helper): what the code
        # costs, less moved than wall time by what else runs on the machine
        cpu: float | None = usage.ru_utime + usage.ru_stime
    else:  # Windows: sampled tree RSS only (none without /proc)
        out, err = proc.communicate()
        cpu = None
    wall = time.perf_counter() - t0
    done.set()
    try:
        text = Path(peak_file).read_text().strip()
    finally:
        os.unlink(peak_file)
    own = int(text) * 1024 if text else 0
    return {"wall": wall, "rc": proc.returncode, "stdout": out.decode("utf-8", "replace"),
            "stderr": err.decode("utf-8", "replace"), "peak_mb": max(peak[0], own) / 2**20,
            "own_peak_mb": own / 2**20 if text else None, "cpu": cpu}


def run_stage(name: str, corpus: Path, work: Path) -> dict:
    m = measure([sys.executable, str(Path(__file__).resolve()), "--stage", name,
                 "--corpus", str(corpus), "--work", str(work)])
    result = {"ok": m["rc"] == 0, "wall": m["wall"], "peak_mb": m["peak_mb"], "cpu": m["cpu"]}
    if m["rc"] == 0:
        result.update(json.loads(m["stdout"].strip().splitlines()[-1]))
    else:
        result["error"] = m["stderr"][-2000:]
    return result


def source_env(src: Path | None) -> dict | None:
    """The environment of a child that imports xlbase from `src` (None: this process's own)."""
    return None if src is None else {**os.environ, "PYTHONPATH": str(src)}


def xlbase_path(src: Path | None = None) -> str:
    """Where a child (with `src`, as source_env gives it) imports xlbase from: the code a time belongs to."""
    out = subprocess.run([sys.executable, "-c", "import xlbase; print(xlbase.__file__)"], capture_output=True,
                         text=True, env=source_env(src), check=False)
    return out.stdout.strip() or out.stderr.strip()[-300:]


def run_merge(corpus: Path, work: Path, jobs: int | None, src: Path | None = None) -> dict:
    out, report = work / "附件11汇总.xlsx", work / "merge.json"
    cmd = [sys.executable, "-m", "xlbase", "merge", str(corpus), "-o", str(out), "--json", str(report)]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    m = measure(cmd, env=source_env(src))
    # exit 0 (clean) and 1 (problems found) are both a finished merge; 2 or a crash is not
    result = {"ok": m["rc"] in (0, 1) and out.exists(), "rc": m["rc"], "seconds": m["wall"], "peak_mb": m["peak_mb"],
              "cpu": m["cpu"]}
    if report.exists():
        try:
            summary = json.loads(report.read_text(encoding="utf-8")).get("summary", {})
            result["summary"] = summary
        except (ValueError, OSError):
            pass
    if not result["ok"]:
        result["error"] = (m["stderr"] or m["stdout"])[-2000:]
    return result


def precompile(src: Path | None = None) -> None:
    """Bytecode for xlbase in its __pycache__ folders before anything is timed.

    An installed xlbase has its .pyc files (pip compiles them at install). An editable checkout in a
    shell with PYTHONDONTWRITEBYTECODE=1 (as on the team's machines) has none and writes none, so
    every merge child recompiled all of xlbase's modules (~0.1 s CPU; more wall on a loaded machine),
    a cost no installed copy pays and the floor's precompiled libraries never did. compileall writes
    them whatever that variable says, and Python reads them whatever it says. (Not PYTHONPYCACHEPREFIX:
    with it set, every library's bytecode is looked for in that folder only and recompiled.)
    """
    import importlib.util

    if src is not None:
        dirs = [str(src / "xlbase")]
    else:
        spec = importlib.util.find_spec("xlbase")
        dirs = [str(d) for d in (spec.submodule_search_locations or [])] if spec else []
    if dirs:   # a folder we may not write to (a system install) keeps what it has: not an error
        subprocess.run([sys.executable, "-m", "compileall", "-q", *dirs], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def startup_seconds() -> float:
    return measure([sys.executable, "-m", "xlbase", "--version"])["wall"]


# ---------------------------------------------------------------- report

def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def machine() -> dict:
    return {"platform": platform.platform(), "python": platform.python_version(),
            "cpus": os.cpu_count(), "processor": platform.processor() or platform.machine(),
            "versions": {d: _version(d) for d in ("xlbase", "python-calamine", "xlsxwriter", "openpyxl",
                                                  "pandas", "rvgsrust-xlsxwriter")}}


def _verdict(ok: bool | None) -> str:
    return {True: "达标 ✔", False: "未达标 ✘", None: "未测（merge 未成功运行）"}[ok]


def _ratio_line(label: str, value: float | None, op: str, target: float) -> tuple[str, bool | None]:
    if value is None:
        return f"比值 {label} = 无法计算（目标 {op} {target:g}）：{_verdict(None)}", None
    ok = value <= target if op == "≤" else value >= target
    return f"比值 {label} = {value:.2f}（目标 {op} {target:g}）：{_verdict(ok)}", ok


def _spread(r: dict | None, top: dict | None = None, bottom: dict | None = None) -> str:
    """'（各轮 1.05–1.19，n = 5；最快一次之比 1.08）' for a paired_ratio; '' without one."""
    if not r:
        return ""
    fastest_ = (f"；最快一次之比 {top['seconds'] / bottom['seconds']:.2f}"
                if top and bottom and top.get("ok") and bottom.get("ok") else "")
    return f"（各轮 {r['low']:.2f}–{r['high']:.2f}，n = {len(r['ratios'])}{fastest_}）"


def _rate(rows: int, seconds: float) -> str:
    return f"{rows / seconds:,.0f} 行/秒" if seconds > 0 else "-"


def report(res: dict) -> list[str]:
    fl, nv, mg = res["floor"], res.get("naive"), res["merge"]
    rows = fl.get("rows", 0)
    lines = [f"语料：{res['corpus']['bases']} 个基地、{res['corpus']['firms']} 家入驻企业、"
             f"{fl.get('files', 0)} 个文件（scale {res['corpus']['scale']:g}）"]
    bl = res.get("baseline")
    if res.get("repeat", 1) > 1:
        each = "；".join(f"{name} " + " / ".join(f"{t:.2f}" for t in r.get("all_seconds", []))
                        for name, r in (("floor", fl), ("naive", nv), ("merge", mg), ("baseline", bl)) if r)
        lines.append(f"共 {res['repeat']} 轮，每轮各阶段运行一次（隔轮倒序）；下列秒数为最快一次，比值为各轮之比的中位数"
                     f"（各次秒数：{each}）")
    if fl["ok"]:
        lines.append(f"floor  （calamine 读全部单元格 + xlsxwriter 写企业行）：{fl['seconds']:.2f} 秒"
                     f"（读 {fl['read_seconds']:.2f} + 写 {fl['write_seconds']:.2f}），{_rate(rows, fl['seconds'])}，"
                     f"峰值内存 {fl['peak_mb']:.0f} MB")
    else:
        lines.append(f"floor 失败：{fl.get('error', '')[-300:]}")
    if nv is not None:
        lines.append(f"naive  （pandas read_excel/openpyxl + concat + to_excel）：{nv.get('seconds', float('nan')):.2f} 秒，"
                     f"{_rate(rows, nv.get('seconds', 0))}，峰值内存 {nv['peak_mb']:.0f} MB" if nv["ok"]
                     else f"naive 失败：{nv.get('error', '')[-300:]}")
    if mg["ok"]:
        s = mg.get("summary", {})
        lines.append(f"merge  （xlbase merge 端到端，含启动 {res['startup_seconds']:.2f} 秒）：{mg['seconds']:.2f} 秒，"
                     f"{_rate(rows, mg['seconds'])}，峰值内存 {mg['peak_mb']:.0f} MB，退出码 {mg['rc']}；"
                     f"报告：{s.get('bases', '?')} 个基地、{s.get('firms', '?')} 家企业、"
                     f"{s.get('errors', '?')} 个错误、{s.get('warnings', '?')} 个警告")
    else:
        lines.append(f"merge 未成功运行（退出码 {mg.get('rc')}）：{mg.get('error', '').strip()[-400:]}")
    if bl is not None:
        lines.append(f"baseline（对照：{res.get('baseline_xlbase', '?')} 的 xlbase merge）：{bl['seconds']:.2f} 秒"
                     if bl["ok"] else f"baseline 未成功运行（退出码 {bl.get('rc')}）：{bl.get('error', '').strip()[-400:]}")
    mf, nm = res.get("merge_over_floor"), res.get("naive_over_merge")
    verdicts = {}
    line, verdicts["merge_over_floor"] = _ratio_line("merge/floor", mf and mf["median"], "≤",
                                                     TARGETS["merge_over_floor"])
    lines.append(line + _spread(mf, mg, fl))
    mfc = res.get("merge_over_floor_cpu")
    if mfc:
        lines.append(f"比值 merge/floor（CPU，含读取进程）= {mfc['median']:.3f}{_spread(mfc)}")
    if nv is not None:
        line, verdicts["naive_over_merge"] = _ratio_line("naive/merge", nm and nm["median"], "≥",
                                                         TARGETS["naive_over_merge"])
        lines.append(line + _spread(nm, nv, mg))
    for key, label in (("baseline_over_floor", "baseline/floor"), ("merge_over_baseline", "merge/baseline"),
                       ("merge_over_baseline_cpu", "merge/baseline（CPU，含读取进程）")):
        r = res.get(key)
        if bl is not None:
            lines.append(f"比值 {label} = " + (f"{r['median']:.3f}{_spread(r)}" if r else "无法计算"))
    else:
        lines.append(f"比值 naive/merge = 未测（--skip-naive）（目标 ≥ {TARGETS['naive_over_merge']:g}）")
    verdicts["merge_peak"] = mg["peak_mb"] < TARGETS["merge_peak_mb"] if mg["ok"] else None
    lines.append(f"峰值内存 merge = {mg['peak_mb']:.0f} MB（目标 < {TARGETS['merge_peak_mb']} MB）："
                 f"{_verdict(verdicts['merge_peak'])}" if mg["ok"] else
                 f"峰值内存 merge（目标 < {TARGETS['merge_peak_mb']} MB）：{_verdict(None)}")
    wr = res.get("writers")
    if wr and not wr.get("ok"):
        lines.append(f"写入器比较失败：{wr.get('error', '')[-300:]}")
    if wr and wr.get("ok"):
        rust = wr.get("rust_seconds")
        lines.append(f"写入器：xlsxwriter {wr['xlsxwriter_version']} constant_memory {wr['xlsxwriter_seconds']:.2f} 秒；"
                     + (f"rvgsrust-xlsxwriter {wr['rust_version']} {rust:.2f} 秒（快 {wr['xlsxwriter_seconds'] / rust:.1f} 倍）"
                        if rust else "rvgsrust-xlsxwriter 未安装"))
    nat = res.get("national")
    if nat:
        nm_ = nat["merge"]
        growth = nm_["seconds"] / mg["seconds"] if (nm_["ok"] and mg["ok"]) else None
        lines.append(f"全国规模（scale {nat['corpus']['scale']:g}，{nat['corpus']['firms']} 家企业）："
                     f"floor {nat['floor'].get('seconds', float('nan')):.1f} 秒，"
                     + (f"merge {nm_['seconds']:.1f} 秒，峰值内存 {nm_['peak_mb']:.0f} MB" if nm_["ok"] else "merge 未成功运行"))
        line, verdicts["national_growth"] = _ratio_line("national/province merge", growth, "≤", TARGETS["national_growth"])
        lines.append(line)
        verdicts["national_peak"] = nm_["peak_mb"] < TARGETS["national_peak_mb"] if nm_["ok"] else None
        lines.append(f"全国规模峰值内存（目标 < {TARGETS['national_peak_mb']} MB）：{_verdict(verdicts['national_peak'])}")
    res["verdicts"] = verdicts
    return lines


# ---------------------------------------------------------------- driver

def ensure_corpus(path: Path, scale: float) -> dict:
    manifest = path / "corpus.json"
    if manifest.exists():
        m = json.loads(manifest.read_text(encoding="utf-8"))
        if m.get("scale") == scale or scale is None:
            return m
        raise SystemExit(f"语料 {path} 的 scale 为 {m.get('scale')}，与 --scale {scale} 不符；请换一个文件夹")
    from corpus import generate
    t0 = time.perf_counter()
    m = generate(path, scale=scale)
    print(f"已生成语料 {path}：{m['bases']} 个基地、{m['firms']} 家企业，用时 {time.perf_counter() - t0:.1f} 秒", flush=True)
    return m


def fastest(runs: list[dict]) -> dict:
    """The quickest successful run of a stage, with every run's time kept under "all_seconds"."""
    ok = [r for r in runs if r.get("ok")]
    best = dict(min(ok, key=lambda r: r["seconds"]) if ok else runs[-1])
    best["all_seconds"] = [round(r["seconds"], 3) for r in runs if r.get("ok")]
    return best


def paired_ratio(top: list[dict], bottom: list[dict], key: str = "seconds") -> dict | None:
    """top/bottom (their `key`: seconds, or cpu) of each round whose two runs both succeeded: their median,
    lowest, highest and every one.

    Runs of one round are taken within seconds of each other, so the machine's load of that minute is in both;
    the median over the rounds is not moved by one slow run, as the ratio of two fastest runs (each from any
    round) is. None when no round has both.
    """
    ratios = [t[key] / b[key] for t, b in zip(top, bottom)
              if t.get("ok") and b.get("ok") and t.get(key) is not None and b.get(key)]
    if not ratios:
        return None
    return {"median": statistics.median(ratios), "low": min(ratios), "high": max(ratios),
            "ratios": [round(r, 4) for r in ratios]}


def round_order(stages: list[str], i: int) -> list[str]:
    """Round i's order: as given on even rounds, reversed on odd ones (a drift of the load costs each alike)."""
    return stages if i % 2 == 0 else stages[::-1]


def bench_one(corpus: Path, scale: float, work: Path, jobs: int | None, naive: bool, writers: bool,
              repeat: int = 1, baseline: Path | None = None) -> dict:
    m = ensure_corpus(corpus, scale)
    res = {"corpus": {k: m[k] for k in ("scale", "bases", "firms", "counties", "seed", "generator_version")}}
    res["corpus"]["path"] = str(corpus)
    res["startup_seconds"] = startup_seconds()
    res["repeat"] = repeat
    res["xlbase"] = xlbase_path()
    stages = ["floor"] + (["naive"] if naive else []) + ["merge"] + (["baseline"] if baseline else [])
    if baseline is not None:
        res["baseline_xlbase"] = xlbase_path(baseline)
    run = {"floor": lambda: run_stage("floor", corpus, work), "naive": lambda: run_stage("naive", corpus, work),
           "merge": lambda: run_merge(corpus, work, jobs),
           "baseline": lambda: run_merge(corpus, work, jobs, src=baseline)}
    runs: dict[str, list[dict]] = {name: [] for name in stages}
    for i in range(repeat):
        for name in round_order(stages, i):
            runs[name].append(run[name]())
    for name in stages:
        res[name] = fastest(runs[name])
    res["merge_over_floor"] = paired_ratio(runs["merge"], runs["floor"])
    # the same on CPU, each whole process (start-up and imports; the merge's reader processes and row helper
    # included): what the code costs, moved far less than wall time by others' work on a shared machine. Not the
    # contract's ratio (wall time on a quiet machine, where the merge's readers run side by side).
    res["merge_over_floor_cpu"] = paired_ratio(runs["merge"], runs["floor"], "cpu")
    if naive:
        res["naive_over_merge"] = paired_ratio(runs["naive"], runs["merge"])
    if baseline is not None:
        res["baseline_over_floor"] = paired_ratio(runs["baseline"], runs["floor"])
        res["merge_over_baseline"] = paired_ratio(runs["merge"], runs["baseline"])
        res["merge_over_baseline_cpu"] = paired_ratio(runs["merge"], runs["baseline"], "cpu")
    if writers:
        res["writers"] = run_stage("writers", corpus, work)
    return res


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="xlbase merge 省级规模基准测试 / province-scale merge benchmark")
    p.add_argument("--scale", type=float, default=1.0, help="语料规模（1 = 山西 448 个基地）")
    p.add_argument("--corpus", type=Path, default=None, help="语料文件夹（不存在则生成）/ inbox folder")
    p.add_argument("--keep", action="store_true", help="保留生成的语料（bench/corpus/scale-N）")
    p.add_argument("--national", action="store_true", help="另测 --scale 16 的线性增长与内存")
    p.add_argument("--jobs", type=int, default=None, help="传给 xlbase merge --jobs")
    p.add_argument("--repeat", type=int, default=5,
                   help="轮数：每轮 floor、naive、merge 各运行一次，merge/floor 取各轮之比的中位数（默认 5）"
                        " / rounds; merge/floor is the median of each round's ratio")
    p.add_argument("--baseline", type=Path, default=None,
                   help="另一份 xlbase 源码（含 xlbase 包的文件夹，如 检出/src），在同样的各轮中计时作对照"
                        " / another xlbase source folder, timed in the same rounds")
    p.add_argument("--skip-naive", action="store_true", help="不测 pandas 朴素做法")
    p.add_argument("--no-writers", action="store_true", help="不比较 xlsxwriter 与 rvgsrust-xlsxwriter")
    p.add_argument("--results", type=Path, default=HERE / "results", help="结果 JSON 文件夹 / results folder")
    p.add_argument("--stage", choices=sorted(STAGES), help=argparse.SUPPRESS)
    p.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    ns = p.parse_args(argv)

    if ns.stage:   # child: one stage, JSON on the last stdout line
        print(json.dumps(STAGES[ns.stage](ns.corpus, ns.work)))
        return 0

    tmp = Path(tempfile.mkdtemp(prefix="xlbase_bench_"))
    cleanup = []
    try:
        def corpus_for(scale: float, given: Path | None) -> Path:
            if given:
                return given
            if ns.keep:
                return HERE / "corpus" / f"scale-{scale:g}"
            path = tmp / f"corpus-{scale:g}"
            cleanup.append(path)
            return path

        work = tmp / "work"
        work.mkdir()
        precompile()
        baseline = ns.baseline.resolve() if ns.baseline else None
        if baseline is not None:
            if not (baseline / "xlbase" / "__init__.py").is_file():
                raise SystemExit(f"--baseline {ns.baseline}：其中没有 xlbase 包（应指向含 xlbase 文件夹的 src）")
            precompile(baseline)
        res = {"date": dt.datetime.now().isoformat(timespec="seconds"), "machine": machine()}
        res.update(bench_one(corpus_for(ns.scale, ns.corpus), ns.scale, work, ns.jobs,
                             naive=not ns.skip_naive, writers=not ns.no_writers, repeat=max(1, ns.repeat),
                             baseline=baseline))
        if ns.national:
            nwork = tmp / "work16"
            nwork.mkdir()
            nat_corpus = corpus_for(16.0, None)
            nm = ensure_corpus(nat_corpus, 16.0)
            res["national"] = {"corpus": {k: nm[k] for k in ("scale", "bases", "firms")},
                               "floor": run_stage("floor", nat_corpus, nwork),
                               "merge": run_merge(nat_corpus, nwork, ns.jobs)}
        for line in report(res):
            print(line)
        results = ns.results
        results.mkdir(parents=True, exist_ok=True)
        path = results / f"{dt.datetime.now():%Y%m%d-%H%M%S}.json"
        path.write_text(json.dumps(res, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
        print(f"结果已保存：{path}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
