"""Compare the values of two 汇总表 workbooks sheet by sheet (before/after a change to the code).

    python bench/compare_summaries.py before.xlsx after.xlsx [--sheets 附件11 入驻企业]

Prints the cells that differ (at most 20 per sheet) and exits 1 when any does. Cells holding the time the
file was written (生成时间 lines) and the very hidden record sheet are left out: they differ on every run.
"""

from __future__ import annotations

import argparse
import re
import sys

import openpyxl

VOLATILE = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}")
SKIP = {"_xlbase_summary"}


def values(path: str, sheets: list[str] | None) -> dict[str, dict[str, object]]:
    wb = openpyxl.load_workbook(path, data_only=True, read_only=True)
    out = {}
    for ws in wb.worksheets:
        if ws.title in SKIP or (sheets and ws.title not in sheets):
            continue
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                v = c.value
                if v is None or (isinstance(v, str) and VOLATILE.search(v)):
                    continue
                cells[c.coordinate] = v
        out[ws.title] = cells
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("--sheets", nargs="*", default=None)
    ns = ap.parse_args(argv)
    a, b = values(ns.before, ns.sheets), values(ns.after, ns.sheets)
    differ = False
    for sheet in sorted(set(a) | set(b)):
        x, y = a.get(sheet, {}), b.get(sheet, {})
        diff = [k for k in sorted(set(x) | set(y)) if x.get(k) != y.get(k)]
        print(f"{sheet}: {len(x)} / {len(y)} cells, {len(diff)} differ")
        for k in diff[:20]:
            print(f"  {k}: {x.get(k)!r} -> {y.get(k)!r}")
        differ = differ or bool(diff) or sheet not in a or sheet not in b
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
