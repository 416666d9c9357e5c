"""The 校验 button's validation and `xlbase mark` on one 1 200-firm applicant workbook (issue 7: each < 2 s).

    python bench/button_bench.py [--firms 1200] [--repeat 3]

Builds the workbook from our own .xlsm template (firm rows from bench/corpus.py, so
~2 % of cells are typed the messy way), then times, each in a fresh process as a clerk
meets it (interpreter start-up and imports included):
  mark    `python -m xlbase mark FILE -o OUT` end to end
  button  what RunPython runs on a click, minus Excel: `xlbase.commands.excel.book_problems` on a
          book object that hands over the file's values the way xlwings does (rows from
          A1, None for blanks). The colouring itself is a few COM calls per problem cell
          and is not measurable without Excel.
Prints the minimum of --repeat runs of each.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
TARGET_SECONDS = 2.0


def make_workbook(path: Path, n_firms: int, seed: int = 20241125) -> Path:
    from corpus import _firm, region_codes

    from xlbase.templates.workbooks import write_applicant_workbook

    rng = random.Random(seed)
    region = region_codes()[("忻州市", "忻府区")]
    used: set[str] = set()
    names: set[str] = set()
    firms = [_firm(rng, region, used, names, messy=0.02) for _ in range(n_firms)]
    base = {"base_name": "忻州市忻府区云中双创基地", "operator": "山西云中园区运营有限公司", "city": "忻州市",
            "county": "忻府区", "base_type": "商务秘书型", "registered_on": dt.date(2015, 6, 1),
            "service_staff": 18, "resident_firms": n_firms, "employees": sum(
                f["employees"] for f in firms if isinstance(f["employees"], int))}
    return write_applicant_workbook(path, base=base, firms=firms, year=2024, macros=True)


def values_book(path: Path):
    """What xlwings' Book.caller() gives the reader: per sheet, its name, visibility and values from A1."""
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    sheets = []
    for meta in wb.sheets_metadata:
        rows = wb.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
        rows = [[None if v == "" else v for v in r] for r in rows] or [[None]]
        width = max(len(r) for r in rows)
        rows = [r + [None] * (width - len(r)) for r in rows]
        block = types.SimpleNamespace(value=rows)
        sheets.append(types.SimpleNamespace(
            name=meta.name, visible=str(meta.visible).lower().endswith("visible"),
            used_range=types.SimpleNamespace(last_cell=types.SimpleNamespace(row=len(rows), column=width)),
            range=lambda *a, _b=block: types.SimpleNamespace(options=lambda **k: _b)))
    return types.SimpleNamespace(name=path.name, sheets=sheets)


def _child_button(path: Path) -> None:
    from xlbase.commands import excel

    problems, _ = excel.book_problems(values_book(path))
    print(len(problems))


def _wall(cmd: list[str]) -> tuple[float, subprocess.CompletedProcess]:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    return time.perf_counter() - t0, proc


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="校验按钮与 xlbase mark 的耗时 / button and mark timing")
    p.add_argument("--firms", type=int, default=1200)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--child-button", type=Path, help=argparse.SUPPRESS)
    ns = p.parse_args(argv)
    if ns.child_button:
        _child_button(ns.child_button)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        book = make_workbook(Path(tmp) / "申报表.xlsm", ns.firms)
        runs = {"mark": [], "button": []}
        for _ in range(ns.repeat):
            sec, proc = _wall([sys.executable, "-m", "xlbase", "mark", str(book), "-o", str(Path(tmp) / "out.xlsm")])
            if proc.returncode not in (0, 1):
                raise SystemExit(f"xlbase mark failed: {proc.stderr[-500:]}")
            runs["mark"].append(sec)
            sec, proc = _wall([sys.executable, str(Path(__file__).resolve()), "--child-button", str(book)])
            if proc.returncode != 0:
                raise SystemExit(f"button validation failed: {proc.stderr[-500:]}")
            runs["button"].append(sec)
            problems = proc.stdout.strip()
    print(f"{ns.firms} 家入驻企业的申报表（.xlsm），发现问题 {problems} 个；各取 {ns.repeat} 次中的最小值，含 Python 启动：")
    for name, label in (("mark", "xlbase mark 端到端"), ("button", "校验按钮背后的读取+校验")):
        best = min(runs[name])
        verdict = "达标 ✔" if best < TARGET_SECONDS else "未达标 ✘"
        print(f"  {label}：{best:.2f} 秒（目标 < {TARGET_SECONDS:g} 秒）：{verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
