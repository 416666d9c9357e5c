"""Fingerprint what `xlbase merge` produces, to prove a speed change changed nothing.

    python bench/fingerprint.py bench/corpus/scale-1            # prints one hash per part
    python bench/fingerprint.py DIR --save before.json          # keep them
    python bench/fingerprint.py DIR --compare before.json       # exit 1 and name the parts that differ

Runs the CLI (`python -m xlbase merge DIR -o … --json …`) and hashes: the JSON report
(problems, inputs and summary; the run's timestamp is not in it) and every sheet of the
汇总表 as python-calamine reads it (values, not bytes: zip timestamps and compression
levels may differ without anyone seeing a difference). The 填报日期 cell that carries
today's date is the one documented non-deterministic cell and is blanked.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path


def _digest(obj) -> str:
    return hashlib.sha256(json.dumps(obj, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()[:16]


def fingerprint(corpus: Path) -> dict[str, str]:
    from python_calamine import CalamineWorkbook

    with tempfile.TemporaryDirectory() as tmp:
        out, rep = Path(tmp) / "汇总表.xlsx", Path(tmp) / "report.json"
        proc = subprocess.run([sys.executable, "-m", "xlbase", "merge", str(corpus), "-o", str(out),
                               "--json", str(rep)], capture_output=True, text=True)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"merge failed ({proc.returncode}):\n{proc.stderr}")
        report = json.loads(rep.read_text(encoding="utf-8"))
        parts = {"exit": str(proc.returncode)}
        for key in ("inputs", "problems", "summary"):
            parts[f"json.{key}"] = _digest(report.get(key))
        wb = CalamineWorkbook.from_path(str(out))
        today = dt.date.today()
        for name in wb.sheet_names:
            rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            rows = [[None if (isinstance(v, (dt.date, dt.datetime)) and v == today)
                     or (isinstance(v, str) and today.isoformat() in v) else v for v in r] for r in rows]
            parts[f"sheet.{name}"] = _digest(rows)
    return parts


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("corpus", type=Path)
    p.add_argument("--save", type=Path)
    p.add_argument("--compare", type=Path)
    ns = p.parse_args(argv)
    parts = fingerprint(ns.corpus)
    for k, v in parts.items():
        print(f"{k:28} {v}")
    if ns.save:
        ns.save.write_text(json.dumps(parts, ensure_ascii=False, indent=1), encoding="utf-8")
    if ns.compare:
        before = json.loads(ns.compare.read_text(encoding="utf-8"))
        diff = sorted(k for k in before.keys() | parts.keys() if before.get(k) != parts.get(k))
        if diff:
            print("DIFFERENT:", ", ".join(diff))
            return 1
        print("identical")
    return 0


if __name__ == "__main__":
    sys.exit(main())
