"""Fixed-seed fuzz campaign: mutants of our samples and templates, merged 100 at a time beside two good files.

    python bench/fuzz.py                         # 600 mutants, seed 18, into a temporary folder
    python bench/fuzz.py --count 300 --seed 7 --keep /tmp/fuzz   # keep the batches and reports
    python bench/fuzz.py --batch 50 --timeout 900
    python bench/fuzz.py --files ../shared/external_repro   # those files beside two good ones, default jobs and --jobs 1

Mutants are made at three levels from every workbook in samples/ and workbook_templates/ (and
an .xls and .ods made from them by LibreOffice when it is installed):
  zip  a member dropped, truncated, swapped with another, stored with a wrong size or method;
       local and central headers with byte flips; the file cut short
  xml  byte flips in a part; a cell reference grown to 20 digits (A99999999999999999999); a
       dimension of A1:XFD1048576; a shared-string index past the table; a DOCTYPE with an
       entity; tags cut; numbers made huge
  ole  FAT entries pointed at themselves (sector-chain loops); directory sizes made huge; BIFF
       record lengths and DIMENSIONS/row/column fields changed; byte flips in the Workbook stream
Each batch is `python -m xlbase merge BATCH -o OUT --json REPORT` in its own session, with a
wall-clock timeout; its process tree's RSS is sampled every 20 ms (largest process and sum; the
sum is what the budget is checked against: LibreOffice beside the reader processes once took it
to 682 MB while no single process passed 210 MB).
Verdicts (the issue-18 contract): tracebacks 0, exit codes other than 0/1/2 0, batch aborts
(no JSON or no 汇总表, or a good file not merged) 0, timeouts 0, runs over 500 MB (process tree) 0,
processes left behind 0.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEEDS = sorted([*(REPO / "samples").rglob("*.xls*"), *(REPO / "workbook_templates").glob("*.xls*")])
MAX_MB = 500


# ---------------------------------------------------------------- mutators

def _flip(data: bytes, rng: random.Random, n: int) -> bytes:
    b = bytearray(data)
    for _ in range(n):
        if b:
            b[rng.randrange(len(b))] = rng.randrange(256)
    return bytes(b)


def _members(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    import io
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(i, zf.read(i)) for i in zf.infolist()]


def _zip(members: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    import io
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as zf:
        for name, body in members:
            zf.writestr(name, body)
    return out.getvalue()


XML_MUTATIONS = ("flip", "bigref", "dimension", "sst-index", "doctype", "cut", "hugenum", "deeprow")


def mutate_xml(body: bytes, rng: random.Random) -> bytes:
    how = rng.choice(XML_MUTATIONS)
    if how == "flip":
        return _flip(body, rng, rng.randint(1, 20))
    if how == "bigref" and b' r="' in body:
        i = body.find(b'<c r="', rng.randrange(len(body)))
        if i < 0:
            i = body.find(b'<c r="')
        if i >= 0:
            j = body.find(b'"', i + 6)
            return body[:i + 6] + b"A99999999999999999999" + body[j:]
    if how == "dimension" and b"<dimension" in body:
        i = body.find(b"<dimension")
        j = body.find(b"/>", i)
        return body[:i] + b'<dimension ref="A1:XFD1048576"' + body[j:]
    if how == "sst-index" and b't="s"' in body:
        i = body.find(b't="s"', rng.randrange(len(body)))
        i = body.find(b"<v>", i if i >= 0 else 0)
        if i >= 0:
            j = body.find(b"</v>", i)
            return body[:i + 3] + str(rng.choice([99999, 2**31, 2**40])).encode() + body[j:]
    if how == "doctype" and body.startswith(b"<?xml"):
        j = body.find(b"?>") + 2
        return body[:j] + b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>' + body[j:]
    if how == "cut":
        return body[:rng.randrange(max(1, len(body)))]
    if how == "hugenum" and b"<v>" in body:
        return body.replace(b"<v>", b"<v>1e30", rng.randint(1, 50))
    if how == "deeprow" and b'<row r="' in body:
        i = body.find(b'<row r="', rng.randrange(len(body)))
        if i >= 0:
            j = body.find(b'"', i + 8)
            return body[:i + 8] + str(rng.choice([1048576, 1048577, 4294967295, 2**40])).encode() + body[j:]
    return _flip(body, rng, 3)


def mutate_zip(data: bytes, rng: random.Random) -> bytes:
    members = [(i.filename, body) for i, body in _members(data)]
    how = rng.choice(("xml", "xml", "xml", "drop", "swap", "truncate-member", "stored", "flip-headers", "cut",
                      "lying-size"))
    if how == "xml":
        xmls = [k for k, (n, _) in enumerate(members) if n.endswith((".xml", ".rels"))]
        for _ in range(rng.randint(1, 3)):
            k = rng.choice(xmls)
            members[k] = (members[k][0], mutate_xml(members[k][1], rng))
        return _zip(members)
    if how == "drop":
        members.pop(rng.randrange(len(members)))
        return _zip(members)
    if how == "swap" and len(members) > 2:
        a, b = rng.sample(range(len(members)), 2)
        members[a], members[b] = (members[a][0], members[b][1]), (members[b][0], members[a][1])
        return _zip(members)
    if how == "truncate-member":
        k = rng.randrange(len(members))
        members[k] = (members[k][0], members[k][1][:rng.randrange(max(1, len(members[k][1])))])
        return _zip(members)
    if how == "stored":
        return _zip(members, zipfile.ZIP_STORED)
    if how == "flip-headers":
        b = bytearray(data)
        for sig in (b"PK\x03\x04", b"PK\x01\x02"):
            for _ in range(rng.randint(1, 4)):
                i = data.find(sig, rng.randrange(len(data)))
                if i >= 0:
                    b[i + rng.randrange(4, 30)] = rng.randrange(256)
        return bytes(b)
    if how == "cut":
        return data[:rng.randrange(len(data) // 2, len(data))]
    if how == "lying-size":   # a central directory that declares a small size for a big member
        b = bytearray(data)
        i = data.find(b"PK\x01\x02", rng.randrange(len(data) // 2, len(data)))
        if i < 0:
            i = data.find(b"PK\x01\x02")
        if i >= 0:
            b[i + 24:i + 28] = struct.pack("<I", rng.choice([1, 10, 2**31 - 1, 2**32 - 1]))
        return bytes(b)
    return _flip(data, rng, 10)


def mutate_ole(data: bytes, rng: random.Random) -> bytes:
    """OLE2 compound file: FAT loops, directory sizes, BIFF records of the Workbook stream."""
    b = bytearray(data)
    sector = 1 << struct.unpack_from("<H", data, 30)[0] if len(data) > 512 else 512
    n_fat = struct.unpack_from("<I", data, 44)[0] if len(data) > 512 else 0
    how = rng.choice(("fat-loop", "fat-loop", "dir-size", "biff-length", "biff-dims", "biff-cell", "flip"))
    if how == "fat-loop" and n_fat:
        fat_sector = struct.unpack_from("<I", data, 76)[0]
        off = 512 + fat_sector * sector
        for _ in range(rng.randint(1, 5)):
            k = rng.randrange(sector // 4)
            if off + 4 * k + 4 <= len(b):
                target = rng.choice([k, max(0, k - 1), 0, k + 1])
                b[off + 4 * k:off + 4 * k + 4] = struct.pack("<I", target)
        return bytes(b)
    if how == "dir-size":
        dir_sector = struct.unpack_from("<I", data, 48)[0]
        off = 512 + dir_sector * sector
        for e in range(4):
            p = off + e * 128 + 120
            if p + 4 <= len(b) and rng.random() < 0.6:
                b[p:p + 4] = struct.pack("<I", rng.choice([2**31 - 1, 2**32 - 1, 10**9, 7]))
        return bytes(b)
    if how in ("biff-length", "biff-dims", "biff-cell"):
        rtypes = {"biff-length": None, "biff-dims": 0x0200, "biff-cell": rng.choice([0x0203, 0x00FD, 0x027E, 0x0204])}
        want = rtypes[how]
        for _ in range(rng.randint(1, 6)):
            start = rng.randrange(512, max(513, len(data) - 8))
            i = data.find(struct.pack("<H", want), start) if want is not None else start
            if i < 0 or i + 12 > len(b):
                continue
            if how == "biff-length":
                b[i + 2:i + 4] = struct.pack("<H", rng.choice([0, 1, 8224, 65535]))
            elif how == "biff-dims":
                b[i + 4:i + 12] = struct.pack("<II", 0, rng.choice([65536, 1048576, 2**31, 2**32 - 1]))
            else:
                b[i + 4:i + 8] = struct.pack("<HH", rng.choice([65535, 65534, 30000]), rng.choice([255, 16383, 65535]))
        return bytes(b)
    return _flip(data, rng, rng.randint(5, 60))


def mutant(seed_bytes: bytes, rng: random.Random) -> bytes:
    if seed_bytes.startswith(b"PK"):
        data = mutate_zip(seed_bytes, rng)
        if rng.random() < 0.3:     # an .xlsm's vbaProject.bin is OLE too: mutate it inside the zip
            members = [(i.filename, body) for i, body in _members(seed_bytes)]
            for k, (name, body) in enumerate(members):
                if body.startswith(b"\xd0\xcf\x11\xe0"):
                    members[k] = (name, mutate_ole(body, rng))
                    return _zip(members)
        return data
    if seed_bytes.startswith(b"\xd0\xcf\x11\xe0"):
        return mutate_ole(seed_bytes, rng)
    return _flip(seed_bytes, rng, 20)


# ---------------------------------------------------------------- seeds

def _seed_files(work: Path) -> list[Path]:
    """Our samples and templates, plus an .xls and an .ods of a sample converted by LibreOffice (if installed)."""
    seeds = [p for p in SEEDS if not p.read_bytes().startswith(b"PK") or zipfile.is_zipfile(p)]   # not the broken sample
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:
        src = next(p for p in SEEDS if p.suffix == ".xlsx" and "申报表" in p.name)
        profile = Path(tempfile.mkdtemp(prefix="xlbase_lo_"))
        for fmt in ("xls", "ods"):
            out = work / "seeds"
            out.mkdir(parents=True, exist_ok=True)
            subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                            "--convert-to", fmt, "--outdir", str(out), str(src)], capture_output=True, timeout=180)
            seeds += sorted(out.glob(f"*.{fmt}"))
        shutil.rmtree(profile, ignore_errors=True)
    return seeds


# ---------------------------------------------------------------- running

def _tree(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children.get(p, [])
    return out


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def run_batch(batch: Path, out: Path, timeout: float, jobs: int | None = None) -> dict:
    report = out / "report.json"
    summary = out / "汇总表.xlsx"
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "xlbase", "merge", str(batch), "-o", str(summary), "--json",
                             str(report), *(["--jobs", str(jobs)] if jobs else [])], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    peak = {"max": 0.0, "sum": 0.0}
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            rss = [_rss_mb(p) for p in _tree(proc.pid)]
            peak["max"] = max(peak["max"], max(rss, default=0))
            peak["sum"] = max(peak["sum"], sum(rss))

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    timed_out = False
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(proc.pid, signal.SIGKILL)
        stdout, stderr = proc.communicate()
    done.set()
    t.join()
    time.sleep(0.2)
    left = [p for p in _session(proc.pid)]
    for p in left:
        os.kill(p, signal.SIGKILL)
    rep = json.loads(report.read_text("utf-8")) if report.exists() else None
    good_ok = bool(rep) and all(i["status"] in ("ok", "partial") for i in rep["inputs"]
                                if Path(i["file"]).name.startswith("good_"))
    return {"exit": proc.returncode, "seconds": round(time.monotonic() - start, 1), "timed_out": timed_out,
            "traceback": "Traceback" in stderr or "panicked" in stderr, "stderr_tail": stderr[-400:],
            "json": rep is not None, "summary": summary.exists(), "good_merged": good_ok,
            "left_behind": len(left), "peak_process_mb": round(peak["max"]), "peak_tree_mb": round(peak["sum"]),
            "statuses": _count(i["status"] for i in rep["inputs"]) if rep else {}}


def _session(sid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == sid and fields[0] != "Z":
                out.append(int(entry))
    return out


def _count(items) -> dict:
    out: dict = {}
    for i in items:
        out[i] = out.get(i, 0) + 1
    return dict(sorted(out.items()))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--seed", type=int, default=18)
    ap.add_argument("--count", type=int, default=600)
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--keep", type=Path, default=None, help="folder for batches and reports (kept)")
    ap.add_argument("--files", type=Path, default=None,
                    help="no mutants: merge the files of this folder beside two good ones (default jobs, then --jobs 1)")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="xlbase_fuzz_"))
    work.mkdir(parents=True, exist_ok=True)
    goods = [p for p in SEEDS if p.suffix == ".xlsx" and "申报表" in p.name][:2]
    results = _given_files(args.files, goods, work, args.timeout) if args.files else \
        _mutant_batches(args, goods, work)
    verdict = {
        "mutants": 0 if args.files else args.count, "seed": None if args.files else args.seed,
        "files": str(args.files) if args.files else None, "batches": len(results),
        "tracebacks": sum(r["traceback"] for r in results),
        "exit_codes_not_0_1_2": sum(r["exit"] not in (0, 1, 2) for r in results),
        "batch_aborts": sum(not (r["json"] and r["summary"] and r["good_merged"]) for r in results),
        "timeouts": sum(r["timed_out"] for r in results),
        "runs_over_500_mb": sum(r["peak_tree_mb"] >= MAX_MB for r in results),
        "runs_with_a_process_over_500_mb": sum(r["peak_process_mb"] >= MAX_MB for r in results),
        "processes_left_behind": sum(r["left_behind"] for r in results),
        "slowest_batch_s": max((r["seconds"] for r in results), default=0),
        "peak_process_mb": max((r["peak_process_mb"] for r in results), default=0),
        "peak_tree_mb": max((r["peak_tree_mb"] for r in results), default=0),
    }
    print(json.dumps(verdict, ensure_ascii=False, indent=1))
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    bad = verdict["tracebacks"] + verdict["exit_codes_not_0_1_2"] + verdict["batch_aborts"] + verdict["timeouts"] \
        + verdict["runs_over_500_mb"] + verdict["processes_left_behind"]
    return 1 if bad else 0


def _given_files(folder: Path, goods: list[Path], work: Path, timeout: float) -> list[dict]:
    """The folder's files (hidden ones too) and two good ones in one batch, merged with the default jobs and --jobs 1."""
    batch = work / "given"
    shutil.rmtree(batch, ignore_errors=True)
    batch.mkdir(parents=True)
    for f in sorted(folder.iterdir()):
        if f.is_file():
            shutil.copy(f, batch / f.name)
    for g in goods:
        shutil.copy(g, batch / f"good_{g.name}")
    results = []
    for jobs in (None, 1):
        out = work / f"out-jobs-{jobs or 'default'}"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        r = run_batch(batch, out, timeout, jobs)
        r["batch"] = f"{folder.name} (jobs {jobs or 'default'})"
        results.append(r)
        print(json.dumps(r, ensure_ascii=False), flush=True)
    return results


def _mutant_batches(args, goods: list[Path], work: Path) -> list[dict]:
    rng = random.Random(args.seed)
    seeds = _seed_files(work)
    seed_bytes = [(p, p.read_bytes()) for p in seeds]
    results = []
    for b in range(0, args.count, args.batch):
        batch = work / f"batch{b // args.batch:02d}"
        shutil.rmtree(batch, ignore_errors=True)
        batch.mkdir(parents=True)
        for g in goods:
            shutil.copy(g, batch / f"good_{g.name}")
        for k in range(b, min(b + args.batch, args.count)):
            src, data = rng.choice(seed_bytes)
            (batch / f"m{k:04d}_{src.stem[:12]}{src.suffix}").write_bytes(mutant(data, rng))
        out = work / f"out{b // args.batch:02d}"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        r = run_batch(batch, out, args.timeout)
        r["batch"] = batch.name
        results.append(r)
        print(json.dumps(r, ensure_ascii=False), flush=True)
    return results


if __name__ == "__main__":
    sys.exit(main())
