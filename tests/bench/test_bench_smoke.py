"""Smoke test of the province benchmark at tiny scale: it runs and prints its verdict lines.

No timing assertions: speed is judged by `python bench/run.py` on a real machine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

REPO = Path(__file__).resolve().parents[2]
BENCH = REPO / "bench"
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402  (bench/corpus.py, not a package)
from python_calamine import CalamineWorkbook  # noqa: E402
from stdnum.cn import uscc  # noqa: E402

from xlbase.forms import divisions, get_form  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=2**32), st.booleans())
def test_credit_codes_are_valid(seed, individual):
    import random
    code = corpus.credit_code(random.Random(seed), "140901", individual)
    assert len(code) == 18 and uscc.is_valid(code)


def test_firm_counts_follow_the_size_bands():
    import random
    counts = corpus.firm_counts(random.Random(1), 448)
    assert len(counts) == 448
    assert sum(25 <= c <= 80 for c in counts) / 448 > 0.8
    assert sum(500 <= c <= 1200 for c in counts) >= 20
    assert 50_000 < sum(counts) < 65_000


def test_every_county_gets_a_base_at_province_scale():
    import random
    places = corpus.place_bases(random.Random(2), 448)
    n_counties = sum(len(cs) for cs in divisions()["cities"].values())
    assert len(set(places)) == n_counties == 117


def test_corpus_is_deterministic_and_in_the_official_layout(tmp_path):
    a = corpus.generate(tmp_path / "a", scale=0.02)
    b = corpus.generate(tmp_path / "b", scale=0.02)
    assert a["files"] == b["files"] and a["firms"] == b["firms"] and a["bases"] == 9
    first = tmp_path / "a" / a["files"][0]
    assert first.read_bytes() != b""
    wb = CalamineWorkbook.from_path(str(first))
    assert set(wb.sheet_names) == {"附件3", "附件10"}
    a3 = get_form("附件3")
    rows = wb.get_sheet_by_name("附件3").to_python()
    assert rows[1][0] == a3.title
    labels = [c for c in rows[3] + rows[4] if c]
    for f in a3.official_table_fields:
        assert f.header_text in labels
    for g, _ in a3.header_groups():
        assert g is None or g in labels
    code_col = rows[3].index(a3.field("credit_code").header_text)
    codes = [uscc.compact(str(r[code_col])) for r in rows[5:]]
    assert codes and all(uscc.is_valid(c) for c in codes)
    a10 = wb.get_sheet_by_name("附件10").to_python()
    name_col = a10[4].index(get_form("附件10").field("base_name").header_text)
    assert a10[5][name_col].endswith("双创基地")


def test_run_prints_the_ratio_lines(tmp_path):
    proc = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--scale", "0.02", "--corpus", str(tmp_path / "inbox"),
         "--results", str(tmp_path / "results"), "--repeat", "2", "--baseline", str(REPO / "src")],
        capture_output=True, text=True, encoding="utf-8", timeout=600, cwd=REPO)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "比值 merge/floor" in out and "比值 naive/merge" in out and "峰值内存 merge" in out
    assert "floor" in out and "naive" in out
    saved = list((tmp_path / "results").glob("*.json"))
    assert len(saved) == 1
    res = json.loads(saved[0].read_text(encoding="utf-8"))
    assert res["floor"]["ok"] and res["floor"]["rows"] == res["corpus"]["firms"]
    assert res["naive"]["ok"]
    assert set(res["verdicts"]) >= {"merge_over_floor", "naive_over_merge", "merge_peak"}
    assert "共 2 轮" in out
    for stage in ("floor", "naive", "merge", "baseline"):      # every run kept, the fastest shown
        assert len(res[stage]["all_seconds"]) == 2
        assert res[stage]["seconds"] == pytest.approx(min(res[stage]["all_seconds"]), abs=1e-3)
    # the verdict is the median of each round's merge/floor, printed with its spread
    mf = res["merge_over_floor"]
    assert len(mf["ratios"]) == 2 and mf["low"] <= mf["median"] <= mf["high"]
    assert f"比值 merge/floor = {mf['median']:.2f}" in out and f"各轮 {mf['low']:.2f}–{mf['high']:.2f}" in out
    assert res["verdicts"]["merge_over_floor"] == (mf["median"] <= 1.2)
    # the baseline is the same source here: it ran in the same rounds, from the folder it was given
    assert res["baseline_xlbase"] == str(REPO / "src" / "xlbase" / "__init__.py")
    assert len(res["merge_over_baseline"]["ratios"]) == 2 and "比值 merge/baseline" in out
    if hasattr(os, "wait4"):     # CPU of the merge's process tree, the same ratio taken on it
        assert all(r["cpu"] > 0 for r in (res["merge"], res["baseline"]))
        assert len(res["merge_over_baseline_cpu"]["ratios"]) == 2 and "merge/baseline（CPU" in out


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.floats(0.5, 20), st.floats(0.5, 20), st.booleans(), st.booleans()), min_size=1, max_size=9))
def test_paired_ratio_is_the_median_of_rounds_where_both_ran(rounds):
    import run
    top = [{"ok": ok_t, "seconds": t} for t, _, ok_t, _ in rounds]
    bottom = [{"ok": ok_b, "seconds": b} for _, b, _, ok_b in rounds]
    both = sorted(t / b for t, b, ok_t, ok_b in rounds if ok_t and ok_b)
    r = run.paired_ratio(top, bottom)
    if not both:
        assert r is None
        return
    assert len(r["ratios"]) == len(both) and r["low"] == both[0] and r["high"] == both[-1]
    below = sum(x < r["median"] for x in both)
    above = sum(x > r["median"] for x in both)
    assert below <= len(both) // 2 and above <= len(both) // 2     # half at most on either side


def test_rounds_alternate_their_order():
    import run
    stages = ["floor", "naive", "merge"]
    orders = [run.round_order(stages, i) for i in range(4)]
    assert orders[0] == orders[2] == stages and orders[1] == orders[3] == stages[::-1]


def test_button_bench_runs_and_finds_the_messy_cells(tmp_path):
    """bench/button_bench.py at small size: the workbook it builds reads back with its firms, and it prints both verdicts."""
    import button_bench

    from xlbase.commands import excel
    from xlbase.read import read_workbook
    from xlbase.rules import load_pack
    from xlbase.commands.validate import validate_reads

    book = button_bench.make_workbook(tmp_path / "申报表.xlsm", 60)
    problems, label = excel.book_problems(button_bench.values_book(book))
    assert "shanxi-2024-base" in label
    wr = read_workbook(book)   # the stand-in hands over what the file holds: same problems as from the file
    assert [t.n_rows for t in wr.tables if t.form_id == "附件3"] == [60]
    from_file, _ = validate_reads([wr], load_pack(None, None))
    key = lambda ps: sorted((p.rule, p.sheet, p.cell, p.message) for p in ps)  # noqa: E731
    assert key(problems) == key(list(wr.problems) + from_file) and problems
    out = subprocess.run([sys.executable, str(BENCH / "button_bench.py"), "--firms", "40", "--repeat", "1"],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "xlbase mark 端到端" in out.stdout and "校验按钮背后的读取+校验" in out.stdout
