"""Dates typed as clerks type them are read inside the workbook (template_dates) as xlbase's reader reads
them, and a date cell's data validation refuses only what validate calls unreadable.

Each value is typed twice: into a cell formatted as the template's date cells (a number typed shows as
typed) and into one with a plain date format (a clerk's own, or an older template: 2019.03 is stored
there as a date of 1905). Each is read by the template's staged formulas as an ordinary date field and
as one that may hold a period (附件2 建设时间); LibreOffice recalculates them, and each must equal the
reader's value, or be UNREADABLE exactly where the reader reports the value unreadable (validate's error).
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from conftest import soffice_convert
from xlbase.forms import get_form
from xlbase.read.normalise import ESTIMATE, EXCEL_EPOCH, UNPARSEABLE, parse_date
from xlbase.templates.dates import UNREADABLE, DateSheet, date_validation
from xlbase.templates.lists import build_lists
from xlbase.templates.styles import DATE_FORMAT, Styles

pytestmark = pytest.mark.libreoffice

def _chinese(n: int, ten: str = "十") -> str:
    """1..31 as a date writes it in Chinese numerals: 五, 十, 十二, 二十, 三十一."""
    digits = "〇一二三四五六七八九"
    tens, ones = divmod(n, 10)
    return (digits[tens] if tens > 1 else "") + (ten if tens else "") + (digits[ones] if ones else "")


def _numeral_spellings(rng: random.Random, n: int) -> list[str]:
    """Dates spelled in Chinese numerals as strangers type them (read.date_numerals), right and wrong: the
    year digit by digit with any zero (〇 零 ○ O Ｏ), or in Arabic digits; month and day in numerals or digits;
    日 or 号, the event dated, a full stop; a Kangxi-radical 二 (⼆), a circled numeral (㊄), a month digit
    by digit (一二), a day past the month's end, a year of three digits, spaces between the parts."""
    zeros = "〇零○OＯ"
    out = []
    for _ in range(n):
        d = dt.date(1990, 1, 1) + dt.timedelta(days=rng.randrange(365 * 40))
        day = d.day if rng.random() < 0.85 else rng.choice((30, 31, 32))
        month = d.month if rng.random() < 0.9 else 13
        zero = rng.choice(zeros)
        year = "".join(zero if c == "0" else "〇一二三四五六七八九"[int(c)] for c in str(d.year))
        year = rng.choice((year, year, str(d.year), year[1:], year.replace("二", "⼆")))
        month_text = rng.choice((_chinese(month), _chinese(month), str(month), "".join(
            "〇一二三四五六七八九"[int(c)] for c in f"{month:02d}")))
        day_text = rng.choice((_chinese(day), _chinese(day), _chinese(day, "〸"), str(day)))
        if rng.random() < 0.05:
            day_text = "㊄"
        tail = rng.choice(("日", "日", "号", "", "日成立", "日。", "号起"))
        sep = rng.choice(("", "", " "))
        text = f"{year}{sep}年{sep}{month_text}{sep}月"
        out.append(text if rng.random() < 0.15 else text + day_text + tail)
    return out



#: what clerks type in a date cell, right and wrong (numbers as typed into a date-formatted cell)
TYPED = [
    "2019-03-15", "2019/3/15", "2019.3.15", " 2019.3.15 ", "2019年3月15日", "2019年3月5", "2019 年 3 月",
    "２０１９年３月", "20190315", 20190315, dt.datetime(2019, 3, 15), 43500,
    "2019年3月", "2019.03", 2019.03, 2019.5, "2019.12", 2019.12, "2019.1", 2019.1, 2019.13,
    "2019", 2019, "2019年", "2019年度", 10, "abc", "2019年春", "2019年13月", "2019-2-30", "无", "—",
    "2019年3月—2020年5月", "2019年3月-2020年5月", "2012-2016", "2016-2012", "2015年至今", "2019年3月～至今",
    "2019.3.15—2020", "2019.3.15-2019.5", "2015年以来", "2012—", "建成于2019年",
    # a digit typed as an ordinal (circled, bracketed, with a full stop, superscript, Arabic-Indic): no date
    "2019年③月", "2019.⑶.15", "2019年3月⒖日", "²⁰¹⁹年3月", "٢٠١٩-03-15", "2019年③月至今", "⑵⓪①⑨年",
    # a day closed by 号, the event dated after it, a full stop (read.normalise DAY_WORDS, DATE_EVENTS, DATE_STOPS):
    # only after a day
    "2019年05月06号", "2019年5月6日成立", "2019.05.06.", "2019年5月6日。", "2019-5-6入驻．", "2019年3月15起",
    "2019年5月成立", "2019年3月。", "2019起", "2019年5月6日成立起",
    # Chinese numerals (read.date_numerals): as a document writes a date, and as validate refuses them
    "二〇一九年五月六日", "二零一九年五月六日", "2019年五月六日", "二〇一九年十二月三十一日", "二〇一九年十月",
    "二〇一五年至今", "二〇一二—二〇一六年", "二〇一九年", "二〇一九年十三月", "二〇一九年二月三十日",
    "二〇一九年十十月", "二〇一九年五月二十十日", "二〇一九年㊄月六日", "一九年五月六日", "十",
    *_numeral_spellings(random.Random(14), 40),
]


FIELDS = (get_form("附件3").field("entered_on"), get_form("附件2").field("built_on"))
assert not FIELDS[0].period and FIELDS[1].period


ROWS = [(v, fmt) for fmt in (DATE_FORMAT, "yyyy-mm-dd") for v in TYPED]


def _typed_workbook(path: Path) -> Path:
    """Column A: the typed values; B, C: the template's reads (date, period); D: the data validation."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("typed")
    dates = DateSheet(wb, build_lists(wb, Styles(wb)))
    for i, (v, num_format) in enumerate(ROWS):
        fmt = wb.add_format({"num_format": num_format})
        if isinstance(v, str):
            ws.write_string(i, 0, v)
        elif isinstance(v, dt.datetime):
            ws.write_datetime(i, 0, v, fmt)
        else:       # a date cell shows a number as a date; past 9999-12-31 a reader cannot, so General
            ws.write_number(i, 0, v, fmt if v < 2958466 else None)
        ref = f"'typed'!$A${i + 1}"
        for col, period in ((1, False), (2, True)):
            ws.write_formula(i, col, "=" + dates.cell(ref, period=period))
        ws.write_formula(i, 3, date_validation(f"A{i + 1}"))
    wb.close()
    wb = openpyxl.load_workbook(path)       # no cached results: LibreOffice computes every formula
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("dates")
    return soffice_convert(_typed_workbook(d / "typed.xlsx"), "xlsx", d / "lo")


def _sheet_value(v):
    if v is None or v == "":
        return ""
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return EXCEL_EPOCH + dt.timedelta(days=int(v))
    return v


def _reader_value(typed, field):
    p = parse_date(typed, field)
    if p.value is not None:
        return p.value
    # a year alone ("2019年") is a range of days to validate (ESTIMATE, judged where the year decides): the sheet's
    # read, which takes dates only, asks for the full date
    return UNREADABLE if p.note in (UNPARSEABLE, ESTIMATE) else ""


def test_the_sheet_reads_each_date_as_the_reader_does(recalculated):
    ws = openpyxl.load_workbook(recalculated, data_only=True)["typed"]
    differ = []
    for i, (v, _) in enumerate(ROWS, start=1):
        typed = ws.cell(i, 1).value          # as the reader gets it: 2019.03 in a date cell is a 1905 date
        for col, field in ((2, FIELDS[0]), (3, FIELDS[1])):
            sheet, reader = _sheet_value(ws.cell(i, col).value), _reader_value(typed, field)
            if sheet != reader:
                differ.append((v, field.label, sheet, reader))
    assert not differ, differ
    reads = [_reader_value(ws.cell(i, 1).value, FIELDS[1]) for i in range(1, len(ROWS) + 1)]
    assert UNREADABLE in reads and "" in reads and any(isinstance(r, dt.date) for r in reads)
    kinds = {type(ws.cell(i, 1).value) for i in range(1, len(ROWS) + 1)}
    assert dt.datetime in kinds and float in kinds and str in kinds    # both formats, as the reader gets them


def test_the_data_validation_refuses_only_what_validate_cannot_read(recalculated):
    ws = openpyxl.load_workbook(recalculated, data_only=True)["typed"]
    refused, accepted = [], []
    for i, (v, _) in enumerate(ROWS, start=1):
        allowed = ws.cell(i, 4).value
        assert allowed in (True, False), (v, allowed)
        readable = any(_reader_value(ws.cell(i, 1).value, f) != UNREADABLE for f in FIELDS)
        (accepted if allowed else refused).append(v)
        if readable and _reader_value(ws.cell(i, 1).value, FIELDS[0]) != "":
            assert allowed, f"{v!r}: validate reads it, the cell refuses it"
    assert refused and "abc" in refused and 10 in refused
    for v in ("2019.3.15", "2019年3月", 2019.03, "2019年3月—2020年5月", "2015年至今", "２０１９年３月",
              "二〇一九年五月六日", "二零一九年五月六日", "2019年五月六日"):
        assert v in accepted, v


def test_the_validation_fits_excel(tmp_path):
    """Excel refuses a data-validation formula over 255 characters."""
    assert len(date_validation("$XFD$1048576")[1:]) <= 255
    assert len(date_validation("$XFD$1048576", blank_words=True)[1:]) <= 255


def test_the_summary_template_marks_a_date_validate_cannot_read(tmp_path):
    """附件11 typed by a county: 注册时间 read in the sheet too, red where validate reports it unreadable."""
    import re

    from xlbase.templates.workbooks import write_summary_workbook
    path = write_summary_workbook(tmp_path / "a11.xlsx")
    form = get_form("附件11")
    wb = openpyxl.load_workbook(path)
    ws = wb[form.sheet]
    def named(formula: str) -> str:      # a reference to another sheet is a defined name (templates.conditions)
        return re.sub(r"\bxl_ref_\d+\b", lambda m: wb.defined_names[m.group()].attr_text, formula)

    rules = [(str(rng.sqref), named(r.formula[0])) for rng, rs in ws.conditional_formatting._cf_rules.items()
             for r in rs if r.formula and "xl_dates" in named(r.formula[0]) and UNREADABLE in r.formula[0]]
    assert len(rules) == 1, rules
    area, condition = rules[0]
    first = int(re.search(r"[A-Z]+(\d+)", area).group(1))
    letter = re.search(r"'xl_dates'!\$([A-Z]+)\d+", condition).group(1)
    column = re.match(r"[A-Z]+", area).group(0)
    typed = {first: "2019.3.15", first + 1: "2019年春", first + 2: 2019.03}
    for row, value in typed.items():
        ws[f"{column}{row}"] = value
    wb.save(path)
    done = openpyxl.load_workbook(soffice_convert(path, "xlsx", tmp_path / "lo"), data_only=True)
    got = {row: done["xl_dates"][f"{letter}{row}"].value for row in typed}
    assert _sheet_value(got[first]) == dt.date(2019, 3, 15)
    assert got[first + 1] == UNREADABLE
    assert _sheet_value(got[first + 2]) == dt.date(2019, 3, 1)
