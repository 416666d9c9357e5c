"""Every number column of every list of every programme's templates reads a figure typed as a bound or an estimate
("约30", "20-30人", "不足50") as validate reads it — a range, not an unreadable number — whether a rule judges the
column row by row or not, on long lists and short ones (附件11's 60 rows, 附件4's 10): the cell is not red.

The columns are the ones the template writer reads as lists (templates.numbers.NumberSheet.column, watched while
each programme's applicant workbook and 汇总表 are written); a programme whose lists are read cell by cell
(NumberSheet.cell) reads ranges in every cell already. Each column gets ranges (typed_numbers.estimate_spelling,
kept where validate reads a range) in as many of its first rows as it has slots for ranges (numbers.slot_count)
up to 3; all workbooks recalculated in ONE LibreOffice run; no read of the xl_numbers sheet is then UNREADABLE
(a slot column's "plain" reads are, by design: a number reading of "约30").
"""

from __future__ import annotations

import random
import re

import openpyxl
import pytest

from conftest import soffice_convert_all
from xlbase.check import pack_for
from typed_numbers import estimate_spelling
from xlbase.forms.programmes import known_programmes, using
from xlbase.read.normalise import ESTIMATE, parse_number
from xlbase.templates import numbers
from xlbase.rules.ranges import Total
from xlbase.templates.dates import UNREADABLE
from xlbase.templates.guide import GUIDE_SHEET
from xlbase.templates.numbers import NUMBER_SHEET, slot_count
from xlbase.templates.programme import write_applicant, write_summary_template
from xlbase.templates.workbooks import write_applicant_workbook, write_summary_workbook

pytestmark = [pytest.mark.libreoffice, pytest.mark.filterwarnings("ignore:Print area cannot be set")]

TYPED_PER_COLUMN = 3


def _written(d, monkeypatch) -> list[tuple[object, list[tuple]]]:
    """Each programme's templates, with the list columns the writer read in each: (path, [(sheet, first row, rows,
    column, field, read row by row)])."""
    columns: list[tuple] = []
    plain = numbers.NumberSheet.column

    def watch(self, sheet, first_row, last_row, col, f, ranges=False):
        columns.append((sheet, first_row, last_row - first_row + 1, col, f, ranges))
        return plain(self, sheet, first_row, last_row, col, f, ranges)

    monkeypatch.setattr(numbers.NumberSheet, "column", watch)
    out = []
    for p in known_programmes():
        with using(p):
            for what in ("applicant", "summary"):
                path = d / f"{p.name}_{what}.xlsx"
                if p.engine == "shanxi":
                    (write_applicant_workbook if what == "applicant" else write_summary_workbook)(path)
                else:
                    (write_applicant if what == "applicant" else write_summary_template)(p, path,
                                                                                           pack=pack_for(programme=p))
                out.append((path, list(columns)))
                columns.clear()
    return out


def _spelled(f, rng: random.Random) -> str:
    for _ in range(80):
        text = estimate_spelling(float(rng.choice((8, 30, 120, 2500))), f, rng)
        if parse_number(text, f).note == ESTIMATE:
            return text
    raise AssertionError(f"no range spelling for {f.key}")


@pytest.fixture(scope="module")
def typed(tmp_path_factory):
    d = tmp_path_factory.mktemp("list_columns")
    mp = pytest.MonkeyPatch()
    try:
        written = _written(d, mp)
    finally:
        mp.undo()
    rng = random.Random(14)
    sources, cases = [], []
    for path, columns in written:
        if not columns:
            continue
        wb = openpyxl.load_workbook(path)
        done = []
        for sheet, first, n, col, f, by_row in columns:
            for k in range(min(TYPED_PER_COLUMN, n if by_row else slot_count(n))):
                text = _spelled(f, rng)
                wb[sheet].cell(first + k + 1, col + 1).value = text
                done.append((sheet, f.key, first + k + 1, text, "row" if by_row else f"{slot_count(n)} slots"))
        wb.save(path)
        sources.append(path)
        cases.append(done)
    # the limit the 填表说明 states: one column of a short list with one range more than its slots
    path, columns = next((p, c) for p, c in written if p.name == "shanxi-2024-base_summary.xlsx")
    sheet, first, n, col, f, _ = next(c for c in columns if not c[5] and slot_count(c[2]) < c[2])
    wb = openpyxl.load_workbook(path)
    for k in range(slot_count(n) + 1):
        wb[sheet].cell(first + k + 1, col + 1).value = _spelled(f, rng)
    over = path.with_name("over_the_limit.xlsx")
    wb.save(over)
    books = soffice_convert_all([*sources, over], "xlsx", d / "lo", timeout=900, recalc=True)
    return list(zip(sources, books, cases)), (over, books[-1], sheet, first + slot_count(n) + 1, col + 1), written


def _unreadable(src, book) -> list[str]:
    """The reads of the xl_numbers sheet that are UNREADABLE (the slot columns' plain number reads left out)."""
    plain = {cl.column_letter for row in openpyxl.load_workbook(src)[NUMBER_SHEET].iter_rows() for cl in row
             if isinstance(cl.value, str) and re.fullmatch(r"=xl_num\d+_plain", cl.value)}
    ws = openpyxl.load_workbook(book, data_only=True)[NUMBER_SHEET]
    return [cl.coordinate for row in ws.iter_rows() for cl in row if cl.value == UNREADABLE and cl.column_letter not in plain]


def test_every_list_column_is_reached(typed):
    """The programmes' lists: Shanxi's 附件3 (long), 附件4 and 附件11 (short), a programme's firm list and 汇总表, read
    with and without a rule's ranges."""
    typed, _, _ = typed
    reached = {(src.name.split("_")[0], sheet, how == "row") for src, _, done in typed for sheet, *_, how in done}
    assert {s for _, s, _ in reached} >= {"附件3", "附件4", "附件11", "入驻企业名单", "汇总表"}, reached
    assert {by_row for *_, by_row in reached} == {True, False}


def test_no_range_typed_in_a_list_is_unreadable(typed):
    typed, _, _ = typed
    bad = []
    total = 0
    for src, book, done in typed:
        unreadable = _unreadable(src, book)
        total += len(done)
        if unreadable:
            bad.append((src.name, len(unreadable), unreadable[:5], done[:3]))
    red = sum(n for _, n, *_ in bad)
    print(f"ranges typed in list columns: {total}; reads UNREADABLE (red): {red}")
    assert not bad, bad


def test_the_guide_says_how_many_ranges_a_column_reads(typed):
    """填表说明 states each short or long list's limit (numbers.slot_count, where below its rows) and the ranged 合计
    (rules.ranges.Total's words); past the limit the range is red, before it not."""
    _, (over, book, sheet, row, col), written = typed
    unreadable = _unreadable(over, book)
    assert len(unreadable) == 1, unreadable
    example = Total(exact=100.0, low=20.0, high=50.0, ranges=1).describe()
    for path, columns in written:
        guide = "".join(str(c.value) for c in openpyxl.load_workbook(path)[GUIDE_SHEET]["A"] if c.value)
        limits = {(sheet, slot_count(n)) for sheet, _, n, _, _, by_row in columns if not by_row and slot_count(n) < n}
        for sheet, n in limits:
            assert f"“{sheet}”" in guide and f"每列只读前 {n} 个范围写法" in guide, (path.name, sheet, n)
        if path.name.startswith("shanxi-2024-base"):       # 附件3's 合计, 附件11's 汇总
            assert example in guide, path.name
