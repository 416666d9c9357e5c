"""A row typed below a list — the sheet's protection removed, as a clerk may — gets the same verdict from the
workbook's 表内检查 as from `xlbase validate`: where validate reads the row as the list's, the sheet says so above
its table (check_sheet.OUTSIDE_TEXT) and no rule validate then reports an error for says 通过 (请核实: its counts do
not reach the row, templates.below); where validate does not read it (a table a record's lines follow), the sheet
says nothing of it either.

Real files: every applicant workbook (Shanxi's, each generic programme's) filled as a clerk fills it, one row typed
under each list in a copy, recalculated by LibreOffice. Before, the sheet said 通过 for 太原's 设备清单 with a
purchase date after the round typed under it, which validate reported as an error."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import openpyxl
import pytest

from every_template import generic_programmes

pytestmark = [pytest.mark.libreoffice, pytest.mark.filterwarnings("ignore:Print area cannot be set")]

TYPED = "表外补录一行"


def _filled(tmp: Path) -> dict[str, tuple[Path, str | None]]:
    """name -> (a filled applicant workbook, its programme or None for Shanxi's default)."""
    from programme_inbox import fill, load_case, make_templates
    from template_clerk import base_for
    from xlbase.templates.workbooks import write_applicant_workbook
    out: dict[str, tuple[Path, str | None]] = {}
    base, firms, comps = base_for(30)
    out["shanxi"] = (write_applicant_workbook(tmp / "shanxi.xlsx", base=base, firms=firms, comparables=comps,
                                              year=2024), None)
    for name in generic_programmes():
        case = load_case(name)
        templates = make_templates(name, tmp / name)
        fill(templates / case.applicant_file, tmp / f"{name}.xlsx", case.programme, case.answers(), "晋阳科创")
        out[name] = (tmp / f"{name}.xlsx", name)
    return out


def _problems(path: Path, programme: str | None, tmp: Path) -> list[dict]:
    from programme_inbox import xlbase
    report = tmp / f"{path.stem}.json"
    args = ["validate", str(path), "--json", str(report), *(["--programme", programme] if programme else [])]
    done = xlbase(*args)
    assert done.returncode in (0, 1), done.stdout + done.stderr
    return json.loads(report.read_text(encoding="utf-8"))["problems"]


def test_a_row_typed_below_a_list_gets_the_same_verdict_in_the_sheet_as_from_validate(tmp_path):
    from conftest import soffice_convert_all
    from saved_values import sheet_values
    from template_clerk import sheet_results
    from xlbase.check import pack_for
    from xlbase.forms.programmes import load_programme
    from xlbase.read import read_workbook
    from xlbase.templates.check_sheet import CHECK_SHEET, OUTSIDE_TEXT
    cases = []      # (workbook typed below a list, programme, form, typed row, validate reads it)
    for name, (src, programme) in _filled(tmp_path).items():
        tables = [t for t in read_workbook(str(src)).tables if t.columns and t.n_rows is not None]
        for t in tables:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                wb = openpyxl.load_workbook(src)
            ws = wb[t.sheet]
            row = ws.max_row + 2
            # a row of the list as a clerk adds one: its name and a figure (a lone words cell off the name column is
            # a line between rows to the reader, no row)
            cols = sorted(t.columns.values())
            ws.cell(row, cols[0], TYPED)
            ws.cell(row, cols[-1] if len(cols) > 1 else cols[0] + 1, 1)
            typed = tmp_path / f"{name}_{t.form_id}.xlsx"
            wb.save(typed)
            after = next(x for x in read_workbook(str(typed)).tables if x.form_id == t.form_id)
            cases.append((typed, programme, t.form_id, row, after.n_rows == t.n_rows + 1))
    assert any(read for *_, read in cases) and len({c[1] for c in cases if c[4]}) >= 2, cases
    books = soffice_convert_all([c[0] for c in cases], "xlsx", tmp_path / "lo", timeout=900)
    checked = 0
    for (typed, programme, _form, row, read), book in zip(cases, books):
        line = str(sheet_values(book, CHECK_SHEET)["A2"] or "")
        assert line.startswith(OUTSIDE_TEXT) == read, (typed.name, read, line[:60])
        if not read:
            continue
        pack = pack_for(programme=load_programme(programme)) if programme else pack_for()
        results = sheet_results(book)
        at_row = [p for p in _problems(typed, programme, tmp_path) if p["severity"] == "error"
                  and pack.has_rule(p["rule"]) and str(p.get("cell") or "").lstrip("$ABCDEFGHIJKLMNOPQRSTUVWXYZ") == str(row)]
        assert at_row, (typed.name, "validate reads the row: its blank required cells are errors")
        for p in at_row:
            if p["rule"] in results:
                assert results[p["rule"]] != "通过", (typed.name, p["rule"], p["cell"], results[p["rule"]])
                checked += 1
    assert checked, "no rule judged by the sheet was reported at a typed row"
