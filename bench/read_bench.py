"""Reader measurements: python-calamine vs openpyxl read-only on ~400 applicant workbooks.

    python bench/read_bench.py                         # generate 400 workbooks in a temp dir
    python bench/read_bench.py --corpus bench/corpus/scale-1   # or time an existing inbox

Times (a) calamine to_python() of every sheet, (b) openpyxl read_only values_only of every
sheet, (c) xlbase.read.read_workbook serially, (d) read_files with the process pool.
The generated corpus is our own templates (write_applicant_workbook) filled with 25–80
firms each, so the figures reflect the reader's real input.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path


def generate(out: Path, n: int, seed: int = 7) -> list[Path]:
    from xlbase.forms import get_form
    from xlbase.templates.workbooks import write_applicant_workbook

    rng = random.Random(seed)
    a3 = get_form("附件3")
    paths = []
    for i in range(n):
        firms = []
        for j in range(rng.randint(25, 80)):
            firms.append({"firm_name": f"忻州第{i}-{j}商贸有限公司", "credit_code": f"91140902MA0K{i:03d}{j:02d}X",
                          "entered_on": dt.date(2020, 1 + j % 12, 1), "area": float(rng.randint(20, 900)),
                          "employees": rng.randint(1, 60), "revenue": rng.randint(1, 3000) / 10,
                          "profit": rng.randint(-50, 300) / 10, "taxes": rng.randint(0, 100) / 10})
        base = {"base_name": f"忻州市忻府区第{i}双创基地", "operator": f"忻州第{i}运营有限公司", "city": "忻州市",
                "county": "忻府区", "resident_firms": len(firms), "registered_on": dt.date(2019, 3, 15)}
        assert all(k in a3.keys for k in firms[0])
        p = out / f"{i:03d}.xlsx"
        write_applicant_workbook(p, base=base, firms=firms, year=2024)
        paths.append(p)
    return paths


def t_calamine(paths):
    from python_calamine import CalamineWorkbook
    for p in paths:
        wb = CalamineWorkbook.from_path(str(p))
        for name in wb.sheet_names:
            wb.get_sheet_by_name(name).to_python(skip_empty_area=False)


def t_openpyxl(paths):
    from openpyxl import load_workbook
    for p in paths:
        wb = load_workbook(p, read_only=True, data_only=True)
        for ws in wb.worksheets:
            for _ in ws.iter_rows(values_only=True):
                pass
        wb.close()


def t_read_workbook(paths):
    from xlbase.read import read_workbook
    for p in paths:
        read_workbook(p)


def t_read_files(paths):
    from xlbase.read import read_files
    read_files(paths)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=None)
    ap.add_argument("-n", type=int, default=400)
    ns = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        if ns.corpus:
            paths = sorted(ns.corpus.rglob("*.xlsx"))
        else:
            t0 = time.perf_counter()
            paths = generate(Path(tmp), ns.n)
            print(f"generated {len(paths)} workbooks in {time.perf_counter() - t0:.1f} s")
        size = sum(p.stat().st_size for p in paths)
        print(f"{len(paths)} files, {size / 1e6:.1f} MB")
        for name, fn in (("calamine values", t_calamine), ("openpyxl read-only values", t_openpyxl),
                         ("read_workbook serial", t_read_workbook), ("read_files pool", t_read_files)):
            t0 = time.perf_counter()
            fn(paths)
            print(f"{name:28s} {time.perf_counter() - t0:7.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
