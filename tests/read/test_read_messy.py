"""Hand-made-style workbooks read back to the exact records, with their A1 sources."""

from __future__ import annotations

import multiprocessing

import pytest

import messy
from conftest import soffice_convert
from xlbase.read import expand_inputs, read_files, read_workbook


def _table(wr, form_id):
    found = [t for t in wr.tables if t.form_id == form_id]
    assert len(found) == 1, [t.form_id for t in wr.tables]
    return found[0]


def _check_rows(t, rows):
    assert len(t.data) == len(rows)
    for i, exp in enumerate(rows):
        for key, want in exp.items():
            if key.startswith("_"):
                assert t.data[key].iloc[i] == want
                continue
            value, cell = want
            assert t.data[key].iloc[i] == value or (value is None and t.data[key].iloc[i] is None), (key, i)
            assert t.cell(key, int(t.data["_row"].iloc[i])) == cell, key


def _check_applicant(wr, exp):
    assert wr.ok
    a10 = _table(wr, "附件10")
    _check_rows(a10, exp["附件10"]["rows"])
    assert a10.extra_columns == ["备注"]
    assert {"city", "county", "base_type"} <= set(a10.missing_fields)
    a3 = _table(wr, "附件3")
    _check_rows(a3, exp["附件3"]["rows"])
    assert [t["_row"] for t in a3.totals] == [exp["附件3"]["total_row"]]
    assert a3.totals[0]["revenue"] == 1252.5
    a4 = _table(wr, "附件4")
    _check_rows(a4, exp["附件4"]["rows"])
    for key, (value, cell) in exp["附件4"]["record"].items():
        assert a4.record[key] == value and a4.record_cells[key] == cell, key
    a2 = _table(wr, "附件2")
    for key, (value, cell) in exp["附件2"]["record"].items():
        assert a2.record[key] == value, key
        assert a2.record_cells[key] == cell, key
    base = {"name": messy.BASE_NAME, "operator": messy.OPERATOR, "city": "忻州市", "county": "忻府区"}
    for t in wr.tables:
        assert {k: t.base[k] for k in base} == base
        assert t.base["key"]
    by_rule = {(p.rule, p.cell) for p in wr.problems}
    for rule, cell in exp["附件3"]["bad"].items():
        assert (rule, cell) in by_rule
    errors = {(p.rule, p.cell) for p in wr.problems if p.severity == "error"}
    assert errors == set(exp["附件3"]["bad"].items())
    assert wr.status == "partial"


def test_openpyxl_saved_applicant(tmp_path):
    path = tmp_path / "忻府区.xlsx"
    exp = messy.applicant_workbook(path)
    before = path.read_bytes()
    _check_applicant(read_workbook(path), exp)
    assert path.read_bytes() == before


def test_summary_rows_totals_and_bases(tmp_path):
    path = tmp_path / "汇总.xlsx"
    exp = messy.summary_workbook(path)
    wr = read_workbook(path)
    t = _table(wr, "附件11")
    _check_rows(t, exp["rows"])
    assert [x["_row"] for x in t.totals] == [exp["total_row"]]
    assert t.data["_base"].str.contains("|", regex=False).all()


def test_summary_without_title_decided_by_row_count(tmp_path):
    path = tmp_path / "x.xlsx"
    messy.summary_workbook(path, title=False)
    assert _table(read_workbook(path), "附件11").n_rows == 3


@pytest.mark.libreoffice
@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_libreoffice_resaved(tmp_path, fmt):
    src = tmp_path / "src" / "忻府区.xlsx"
    src.parent.mkdir()
    exp = messy.applicant_workbook(src)
    out = tmp_path / "out"
    out.mkdir()
    converted = soffice_convert(src, fmt, out)
    wr = read_workbook(converted)
    _check_applicant(wr, exp)


def test_unusable_files_do_not_stop_the_batch(tmp_path):
    good = tmp_path / "a.xlsx"
    messy.summary_workbook(good)
    (tmp_path / "b.xlsx").write_bytes(b"")
    (tmp_path / "c.xlsx").write_text("序号,名称\n1,x\n", encoding="utf-8")
    (tmp_path / "d.xlsx").write_bytes(good.read_bytes()[:500])
    from openpyxl import Workbook
    wb = Workbook()
    wb.active["A1"] = "与表格无关的内容"
    wb.save(tmp_path / "e.xlsx")
    files, problems = expand_inputs([str(tmp_path)])
    assert not problems
    reads = read_files(files)
    assert [r.path for r in reads] == [str(f) for f in files]
    assert reads[0].ok
    for r in reads[1:]:
        assert not r.ok
        assert len(r.problems) == 1 and r.problems[0].rule == "file-unusable"
    assert [r.status for r in reads[1:]] == ["empty", "no-form", "truncated", "no-form"]
    assert "实际是文本表格" in reads[2].problems[0].message      # the .xlsx that is a CSV is read as one, and said so


def test_expand_inputs_globs_folders_lock_files(tmp_path):
    d = tmp_path / "counties" / "忻州市" / "忻府区"
    d.mkdir(parents=True)
    for name in ("b.xlsx", "a.xls", "~$b.xlsx", ".hidden.xlsx", "notes.txt", "Thumbs.db", "desktop.ini", ".DS_Store"):
        (d / name).write_bytes(b"x")
    files, problems = expand_inputs([str(tmp_path / "counties"), str(d / "*.xlsx"), str(tmp_path / "missing.xlsx")])
    assert [f.name for f in files] == ["a.xls", "b.xlsx", "notes.txt"]   # every file but system and lock files
    assert len(problems) == 1 and problems[0].rule == "input-missing"


def _ten_summaries(tmp_path) -> list:
    """Enough small 附件11 workbooks for read_files to start its process pool."""
    paths = []
    for i in range(10):
        p = tmp_path / f"f{i:02d}.xlsx"
        messy.summary_workbook(p, title=bool(i % 2))
        paths.append(p)
    return paths


def test_parallel_read_keeps_order(tmp_path):
    paths = _ten_summaries(tmp_path)
    reads = read_files(paths, jobs=2)
    assert [r.path for r in reads] == [str(p) for p in paths]
    assert all(r.ok and r.tables[0].n_rows == 3 for r in reads)


def test_formula_without_cached_value_is_a_problem_not_zero(tmp_path):
    from openpyxl import load_workbook
    path = tmp_path / "f.xlsx"
    exp = messy.summary_workbook(path)
    wb = load_workbook(path)
    cell = exp["rows"][1]["resident_firms"][1]
    wb.active[cell] = "=10+21"          # openpyxl stores no cached value
    wb.save(path)
    wr = read_workbook(path)
    t = _table(wr, "附件11")
    assert t.data["resident_firms"].iloc[1] is None
    probs = [p for p in wr.problems if p.rule == "formula-no-value"]
    assert [(p.cell, p.severity) for p in probs] == [(cell, "error")]


def test_error_values_are_named_not_taken_for_blanks(tmp_path):
    """#REF! and #DIV/0! arrive from calamine as empty cells; the sheet XML says what they were."""
    from openpyxl import load_workbook
    path = tmp_path / "e.xlsx"
    exp = messy.summary_workbook(path)
    wb = load_workbook(path)
    ref_cell = exp["rows"][0]["resident_firms"][1]
    div_cell = exp["rows"][1]["resident_firms"][1]
    wb.active[ref_cell] = "#REF!"      # openpyxl writes these as error cells (t="e")
    wb.active[div_cell] = "#DIV/0!"
    wb.save(path)
    wr = read_workbook(path)
    t = _table(wr, "附件11")
    assert t.data["resident_firms"].iloc[0] is None and t.data["resident_firms"].iloc[1] is None
    probs = sorted((p.cell, p.value, p.severity) for p in wr.problems if p.rule == "error-value")
    assert probs == sorted([(ref_cell, "#REF!", "error"), (div_cell, "#DIV/0!", "error")])
    assert not [p for p in wr.problems if p.rule == "formula-no-value"]


def test_parallel_read_by_either_start_method_reads_the_same(tmp_path, monkeypatch):
    """Forked workers (Linux, no threads) and spawned ones (Windows, or threads running) give equal reads."""
    import threading

    from xlbase.read import files as files_mod

    paths = _ten_summaries(tmp_path)
    serial = read_files(paths, jobs=1)
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        assert files_mod._start_method() == "spawn"      # a running thread: never fork
    finally:
        stop.set()
        t.join()
    for method in ("fork", "spawn"):
        if method not in multiprocessing.get_all_start_methods():
            continue
        monkeypatch.setattr(files_mod, "_start_method", lambda m=method: m)
        reads = read_files(paths, jobs=2)
        assert [(r.path, r.status, [tb.data.to_dict() for tb in r.tables]) for r in reads] == \
            [(r.path, r.status, [tb.data.to_dict() for tb in r.tables]) for r in serial]
