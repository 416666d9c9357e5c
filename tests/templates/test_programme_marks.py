"""The red mark of a `row: last` threshold (衡阳's 入驻企业20家以上 on 近两年运营情况) sits on the row validate
judges — the latest year's, whatever order the years were typed in — and judges the value as validate reads
it ("17家" is 17). Seen where a clerk sees it: the page LibreOffice prints, the cell's background colour.

Before, the mark was fixed to the template's last row and compared the typed cell: a table typed newest
first (2022年 above 2021年) showed no red though validate reported 2022's 17 firms, and a red 2021 figure
would have been shown for a year validate does not judge.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import openpyxl
import pytest

from conftest import soffice_convert_all
from pdf_pages import words
from programme_inbox import fill, load_case, make_templates, sheet_of, xlbase

pytestmark = pytest.mark.libreoffice

CASE = load_case("hengyang-2023")
TABLE = "衡阳运营情况"
RED = (0xFF, 0xC7, 0xCE)           # programme.BAD_FILL
LATEST, OLDER = "17", "31"         # 入驻企业 of 2022年 (below the pack's 20) and of 2021年 (above it)


def _newest_first(template: Path, out: Path, latest_firms) -> tuple[Path, dict]:
    answers = CASE.answers()
    rows = answers[TABLE]
    where = fill(template, out, CASE.programme, answers, "甲单位")
    wb = openpyxl.load_workbook(out)
    ws = wb[sheet_of(CASE.programme, TABLE)]
    for n, row in enumerate(reversed(rows), start=1):      # 2022年 first, then 2021年
        for k, v in row.items():
            ws[where[f"{TABLE}.{k}@{n}"]].value = v
    ws[where[f"{TABLE}.firms@1"]].value = latest_firms
    ws[where[f"{TABLE}.firms@2"]].value = int(OLDER)
    wb.save(out)
    return out, where


def _pixel(pdf: Path, page: int, x: float, y: float) -> tuple[int, int, int]:
    """One pixel at 72 dpi (a point a pixel) as poppler renders the page: a binary PPM's last 3 bytes."""
    ppm = subprocess.run(["pdftoppm", "-f", str(page), "-l", str(page), "-r", "72", "-x", str(int(x)), "-y", str(int(y)),
                          "-W", "1", "-H", "1", str(pdf)], capture_output=True, check=True).stdout
    r, g, b = ppm[-3:]
    return r, g, b


def _cell_colours(pdf: Path, text: str) -> set[tuple[int, int, int]]:
    """The background on both sides of the one word `text` printed on the 申请表's pages (a number stands at
    its cell's right, a text at its left: one side is the cell's)."""
    for page in range(1, 4):
        found = [w for w in words(pdf, page) if w[4] == text]
        if found:
            assert len(found) == 1, (text, found)
            x0, y0, x1, y1, _ = found[0]
            return {_pixel(pdf, page, x, (y0 + y1) / 2) for x in (x0 - 2, x1 + 2)}
    raise AssertionError(f"{text} not printed")


@pytest.mark.parametrize("typed", [17, "17家"], ids=["number", "with-unit"])
def test_the_mark_sits_on_the_latest_year_validate_judges(typed, tmp_path):
    templates = make_templates(CASE.name, tmp_path / "templates")
    (tmp_path / "src").mkdir()
    path, where = _newest_first(templates / CASE.applicant_file, tmp_path / "src" / "newest-first.xlsx", typed)
    res = xlbase("validate", str(path), "--programme", CASE.name, "--json", str(tmp_path / "r.json"))
    assert res.returncode in (0, 1), res.stderr
    cells = [p["cell"] for p in json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["problems"]
             if p["rule"] == "resident-firms-min"]
    assert cells == [where[f"{TABLE}.firms@1"]], cells        # validate: the latest year, the first row
    pdf = soffice_convert_all([path], "pdf", tmp_path / "pdf")[0]
    latest = _cell_colours(pdf, str(typed))
    older = _cell_colours(pdf, OLDER)
    assert RED in latest, f"the latest year's {typed} is not marked: {latest}"
    assert RED not in older, f"2021年's {OLDER}, not judged, is marked"
