"""A figure typed with its unit — every field unit of every programme ("35台（套）", "35台(套)", "25（人）", "3.5万元"), and a
unit of several parts — a rent "1.2元/㎡·天", "1.2元/㎡.天", "1.2元每平方米每天", "1.2元／平米・月"
— is read by the templates' in-sheet read (templates.numbers) exactly as the reader reads it (read.normalise): the
same number, or UNREADABLE in both (the cell turns red in the sheet, validate reports it). The separators between a
unit's parts are data (forms/specs/units.yaml `separators`), dropped by both before the unit is looked up
(read.units.unit_key); the rent family's units are every area unit with every time, in either order
(`per_area_and`). Before: "1.2元/㎡·天" was unparseable to validate and to the sheet.

The spellings are drawn by hypothesis (derandomized) from the unit words the families hold — numerator, area,
time, their order, the separators (the data's, full-width forms, and some that are none: -, |, 、), brackets,
full width, spaces — written into ONE workbook with the templates' own read (NumberSheet), recalculated in ONE
LibreOffice run and compared cell by cell with read.normalise.parse_number.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import strategies as st

from every_template import generic_programmes
from typed_choices import drawn, wide
from xlbase.forms import FORM_IDS, get_form, unit_families, unit_separators
from xlbase.forms.programmes import load_programme
from xlbase.read.normalise import parse_number
from xlbase.read.units import field_family
from xlbase.templates.dates import UNREADABLE

EXAMPLES = 400
#: typed between parts, but no separator of the data: the reader and the sheet must both refuse the unit
NOT_SEPARATORS = ["-", "|", "、", "~"]


def _rent_field():
    for form_id in ("附件4", "附件10", "附件2"):
        for f in get_form(form_id).fields:
            if f.is_numeric and field_family(f) == "rent":
                return f
    raise AssertionError("no form asks for a rent")


FIELD = _rent_field()


@st.composite
def rent_typed(draw) -> str:
    fams = unit_families()
    areas = [u for u, f in fams["area"]["units"].items() if f == 1]
    times = list(fams["rent"].get("per_area_and") or {}) or ["年"]
    number = draw(st.sampled_from(["1.2", "0.8", "30", "365", "1,200.5", "12"]))
    seps = [*unit_separators(), "／", "．", "･", *NOT_SEPARATORS]
    parts = [draw(st.sampled_from(areas)), draw(st.sampled_from(times))]
    if draw(st.booleans()):
        parts.reverse()
    if draw(st.integers(0, 5)) == 0:
        parts = [p for p in parts if p in areas]  # 元/㎡: a year's rent
    unit = "元"
    for part in parts:
        unit += draw(st.sampled_from(seps)) + part
    if draw(st.integers(0, 4)) == 0:
        unit = f"（{unit}）"
    if draw(st.integers(0, 4)) == 0:
        unit = wide(unit)
    space = draw(st.sampled_from(["", "", " ", "\u3000"]))
    return number + space + unit


def _reader(text: str, field=FIELD):
    read = parse_number(text, field)
    return UNREADABLE if read.value is None else round(float(read.value), 6)


def _unit_fields() -> list:
    """One numeric field per unit that any form of any programme asks for (Shanxi's and the generic ones')."""
    fields = [f for form_id in FORM_IDS for f in get_form(form_id).fields]
    fields += [f for name in generic_programmes() for form in load_programme(name).forms.values() for f in form.fields]
    return list({f.unit: f for f in fields if f.is_numeric and f.unit}.values())


UNIT_FIELDS = _unit_fields()


def _unit_spellings(unit: str, n: str) -> list[str]:
    """The field's own unit as clerks type it after a figure: as written, brackets of the other width, in brackets,
    after a space, its ASCII in full width."""
    ascii_brackets = unit.replace("（", "(").replace("）", ")")
    wide_brackets = unit.replace("(", "（").replace(")", "）")
    return list(dict.fromkeys([f"{n}{unit}", f"{n}{ascii_brackets}", f"{n}{wide_brackets}", f"{n}（{unit}）",
                               f"{n}({unit})", f"{n} {unit}", f"{n}{wide(unit)}"]))


def test_every_field_unit_reads_its_figure():
    """'<n><unit>' in a field asking for that unit is n, for every unit of every programme (台（套）, 岁, 万元, 平方米…)."""
    assert any("（" in f.unit for f in UNIT_FIELDS), "no unit with brackets (太原's 台（套）)"
    for f in UNIT_FIELDS:
        for n in ("35", "0", "1200"):
            for text in _unit_spellings(f.unit, n):
                assert _reader(text, f) == float(n), (f.key, f.unit, text, parse_number(text, f))


def test_the_reader_reads_the_data_separators():
    """Python alone: every drawn spelling with only the data's separators is read, with its time's factor."""
    fams = unit_families()
    per = {t: float(f) for t, f in (fams["rent"].get("per_area_and") or {}).items()}
    for text in drawn(rent_typed(), EXAMPLES):
        if any(s in unicodedata.normalize("NFKC", text) for s in NOT_SEPARATORS):
            continue
        got = _reader(text)
        assert got != UNREADABLE, text
        number = float(unicodedata.normalize("NFKC", text).split("元")[0].strip(" (").replace(",", ""))
        factor = next((f for t, f in per.items() if t in text), 1.0)
        assert got == pytest.approx(number * factor), text


@pytest.mark.libreoffice
def test_libreoffice_reads_each_spelling_as_the_reader_does(tmp_path):
    import openpyxl
    import xlsxwriter

    from conftest import soffice_convert_all
    from xlbase.templates.lists import build_lists
    from xlbase.templates.numbers import NumberSheet
    from xlbase.templates.styles import Styles

    path = tmp_path / "units.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("probe")
    numbers = NumberSheet(wb, build_lists(wb, Styles(wb)))
    cases = [(text, FIELD) for text in drawn(rent_typed(), EXAMPLES)]
    cases += [(text, f) for f in UNIT_FIELDS for text in _unit_spellings(f.unit, "35")]
    for row, (text, f) in enumerate(cases):
        ws.write_string(row, 0, text)
        ws.write_formula(row, 1, "=" + numbers.cell(f"'probe'!$A${row + 1}", f))
    wb.close()
    book = soffice_convert_all([path], "xlsx", tmp_path / "lo", recalc=True)[0]
    got = [r[1] for r in openpyxl.load_workbook(book, data_only=True)["probe"].iter_rows(max_col=2, values_only=True)]
    assert len(got) == len(cases) > 150
    sheet = [g if g == UNREADABLE else round(float(g), 6) for g in got]
    differ = [(t, f.unit, s, _reader(t, f)) for (t, f), s in zip(cases, sheet) if s != _reader(t, f)]
    assert not differ, f"(typed, unit, sheet, reader): {differ[:20]}"
    assert UNREADABLE in sheet and any(s != UNREADABLE for s in sheet)
    assert any("·" in t and s != UNREADABLE for (t, _), s in zip(cases, sheet)), "no 元/㎡·天 read"
