"""A .xls (WPS's and Excel 97-2003's format, what many county clerks save) is marked on the .xlsx LibreOffice
converts it to, by `xlbase mark` and by merge's return pack: the same cells marked as on the workbook it was
saved from, the input untouched. Before, mark refused it ("请另存为 .xlsx") and the return pack sent it back
unmarked with only its 问题清单."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from conftest import soffice_convert
from mark_fixtures import applicant_workbook
from xlbase.commands.mark import mark_command
from xlbase.mark.marks import MARK_FILLS, RESULT_SHEET
from xlbase.result import EXIT_UNUSABLE


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _listed(out: Path) -> Counter:
    """(severity, sheet, cells) of each row of 校验结果."""
    rows = list(openpyxl.load_workbook(out, read_only=True)[RESULT_SHEET].iter_rows(min_row=4, values_only=True))
    return Counter((r[1], r[2], r[3]) for r in rows if r and r[1])


def _marks(out: Path, sheet: str) -> dict[str, str]:
    """cell -> the severity fill mark put on it."""
    colours = {rgb[-6:].upper(): severity for severity, rgb in MARK_FILLS.items()}
    ws = openpyxl.load_workbook(out)[sheet]
    return {c.coordinate: colours[c.fill.fgColor.rgb[-6:].upper()] for row in ws.iter_rows() for c in row
            if c.fill is not None and c.fill.fill_type == "solid" and isinstance(c.fill.fgColor.rgb, str)
            and c.fill.fgColor.rgb[-6:].upper() in colours}


@pytest.mark.libreoffice
def test_a_xls_is_marked_where_the_workbook_it_was_saved_from_is(tmp_path):
    (tmp_path / "src").mkdir()
    xlsx = applicant_workbook(tmp_path / "src" / "申报表.xlsx", n_firms=12)
    xls = soffice_convert(xlsx, "xls", tmp_path)
    before = _sha(xls)
    proc = subprocess.run([sys.executable, "-m", "xlbase", "mark", str(xls)], capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 1, proc.stdout + proc.stderr      # invalid credit codes: errors
    out = tmp_path / "申报表.校验.xlsx"
    assert out.exists() and "LibreOffice" in proc.stdout and "原文件未改动" in proc.stdout
    assert _sha(xls) == before
    direct = mark_command(xlsx)
    assert _listed(out) == _listed(direct.lines and tmp_path / "src" / "申报表.校验.xlsx")
    assert _marks(out, "附件3") and _marks(out, "附件3") == _marks(tmp_path / "src" / "申报表.校验.xlsx", "附件3")


@pytest.mark.libreoffice
def test_a_xls_is_never_marked_in_place(tmp_path):
    (tmp_path / "src").mkdir()
    xls = soffice_convert(applicant_workbook(tmp_path / "src" / "a.xlsx", n_firms=3), "xls", tmp_path)
    before = _sha(xls)
    res = mark_command(xls, in_place=True)
    assert res.exit_code == EXIT_UNUSABLE and "另存" in res.errors[0] and _sha(xls) == before


@pytest.mark.libreoffice
def test_the_return_pack_marks_a_countys_xls(tmp_path):
    inbox = tmp_path / "inbox" / "定襄县"
    inbox.mkdir(parents=True)
    (tmp_path / "src").mkdir()
    xls = soffice_convert(applicant_workbook(tmp_path / "src" / "定襄县申报表.xlsx", n_firms=12), "xls", inbox)
    proc = subprocess.run([sys.executable, "-m", "xlbase", "merge", str(tmp_path / "inbox"), "-o",
                           str(tmp_path / "out" / "汇总表.xlsx"), "--return-dir", str(tmp_path / "ret"), "-q"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode in (0, 1), proc.stderr
    sent = sorted(p.name for p in (tmp_path / "ret").rglob("*.xlsx") if not p.name.startswith("问题清单"))
    assert sent == [f"{xls.stem}.校验.xlsx"], sent
    assert _listed(next((tmp_path / "ret").rglob(f"{xls.stem}.校验.xlsx")))
