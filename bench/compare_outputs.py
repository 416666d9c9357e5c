"""Prove a restructuring changed no output: the values of two 汇总表s, sheet by sheet, cell by cell.

    python bench/compare_outputs.py merge INBOX OUT.xlsx [--src DIR]   # run `xlbase merge` (code from DIR/src)
    python bench/compare_outputs.py compare BEFORE.xlsx AFTER.xlsx     # exit 1 when a checked sheet differs
    python bench/compare_outputs.py check INBOX [--before-src DIR]      # both merges of INBOX, then compare

`check` merges INBOX twice, once with the code of `--before-src` (a checkout of the code before the
change, e.g. `git archive main | tar -x -C /tmp/before`) and once with the code importable here,
into the same output path (the paths an output quotes are then the same), and compares them.

Values, not bytes, as python-calamine reads them (zip timestamps and compression may differ
without anyone seeing a difference). The contract sheets are 附件11, 问题清单 and 入驻企业;
every other sheet (各县情况, the hidden record, …) is compared too and reported, but only the
contract sheets decide the exit code. The run's own date and time (生成时间 on 各县情况, the
record's timestamp) are the documented non-deterministic cells and are blanked.
bench/fingerprint.py hashes the same values for a quick before/after of one corpus.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CONTRACT = ("附件11", "问题清单", "入驻企业")
_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?")


def _blank_stamps(v: object, today: dt.date) -> object:
    if isinstance(v, dt.datetime) and v.date() == today:
        return None
    if isinstance(v, dt.date) and v == today:
        return None
    if isinstance(v, str) and (today.isoformat() in v or _STAMP.search(v)):
        return _STAMP.sub("<time>", v).replace(today.isoformat(), "<today>")
    return v


def sheets(path: Path) -> dict[str, list[list[object]]]:
    """Every sheet's values (hidden ones too), the run's date and time blanked."""
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    today = dt.date.today()
    out = {}
    for name in wb.sheet_names:
        rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        out[name] = [[_blank_stamps(v, today) for v in row] for row in rows]
    return out


def differences(before: list[list[object]], after: list[list[object]], limit: int = 5) -> list[str]:
    """The first `limit` cells that differ, as 'B7: x -> y'."""
    from xlsxwriter.utility import xl_rowcol_to_cell

    found = []
    for r in range(max(len(before), len(after))):
        a = before[r] if r < len(before) else []
        b = after[r] if r < len(after) else []
        for c in range(max(len(a), len(b))):
            x = a[c] if c < len(a) else ""
            y = b[c] if c < len(b) else ""
            if x != y and not (x in ("", None) and y in ("", None)):
                found.append(f"{xl_rowcol_to_cell(r, c)}: {x!r} -> {y!r}")
                if len(found) >= limit:
                    return found
    return found


def compare(before: Path, after: Path) -> int:
    """Print each sheet's verdict; 1 when a contract sheet differs or is missing on one side."""
    a, b = sheets(before), sheets(after)
    bad = 0
    for name in list(dict.fromkeys([*a, *b])):
        checked = name in CONTRACT
        if name not in a or name not in b:
            print(f"{name:12} only in {'after' if name in b else 'before'}")
            bad += checked
            continue
        diff = differences(a[name], b[name])
        rows = len(a[name])
        print(f"{name:12} {'same' if not diff else 'DIFFERENT'} ({rows} rows){'' if checked else ' (not in the contract)'}")
        for line in diff:
            print(f"    {line}")
        bad += bool(diff) and checked
    missing = [n for n in CONTRACT if n not in a and n not in b]
    if missing:
        print(f"neither workbook has {'、'.join(missing)}")
    print("identical" if not bad else "DIFFERENT")
    return 1 if bad else 0


def merge(inbox: Path, out: Path, src: Path | None = None) -> int:
    """`python -m xlbase merge INBOX -o OUT`, with the package from `src` when given; its exit code."""
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src) + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.run([sys.executable, "-m", "xlbase", "merge", str(inbox), "-o", str(out)],
                          capture_output=True, text=True, env=env)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"merge failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return proc.returncode


def check(inbox: Path, before_src: Path) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "汇总表.xlsx"
        codes = []
        for side, src in (("before", before_src), ("after", None)):
            if out.exists():
                out.unlink()
            codes.append(merge(inbox, out, src))
            shutil.move(out, Path(tmp) / f"{side}.xlsx")
        print(f"exit codes: before {codes[0]}, after {codes[1]}")
        verdict = compare(Path(tmp) / "before.xlsx", Path(tmp) / "after.xlsx")
    return verdict or int(codes[0] != codes[1])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("merge")
    m.add_argument("inbox", type=Path)
    m.add_argument("out", type=Path)
    m.add_argument("--src", type=Path, help="a folder holding the xlbase package to run (e.g. CHECKOUT/src)")
    c = sub.add_parser("compare")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    k = sub.add_parser("check")
    k.add_argument("inbox", type=Path)
    k.add_argument("--before-src", type=Path, required=True, help="CHECKOUT/src of the code before the change")
    ns = p.parse_args(argv)
    if ns.cmd == "merge":
        return merge(ns.inbox, ns.out, ns.src)
    if ns.cmd == "compare":
        return compare(ns.before, ns.after)
    return check(ns.inbox, ns.before_src)


if __name__ == "__main__":
    sys.exit(main())
