"""Property tests for the template building blocks: Excel limits and safe values."""

from __future__ import annotations

import dataclasses

import openpyxl
import xlsxwriter
from hypothesis import given, settings, strategies as st

from xlbase.forms import FIELD_TYPES, all_forms
from xlbase.safe_output import cell_text
from xlbase.templates.styles import Styles, lines_needed
from xlbase.templates.validation import MESSAGE_MAX, TITLE_MAX, number_text, validation_for
from xlbase.templates.values import write_value

FIELDS = [f for form in all_forms() for f in form.fields]


@given(field=st.sampled_from(FIELDS), label=st.text(max_size=80), prompt=st.text(max_size=400))
def test_validation_respects_excel_limits(field, label, prompt):
    f = dataclasses.replace(field, label=label or field.label, prompt=prompt)
    opts = validation_for(f, "B5", city_cell="$A$5")
    if opts is None:
        assert f.merge_only
        return
    assert len(opts["input_title"]) <= TITLE_MAX and len(opts["input_message"]) <= MESSAGE_MAX
    assert len(opts.get("error_title", "")) <= TITLE_MAX and len(opts.get("error_message", "")) <= MESSAGE_MAX
    if f.type in ("integer", "money", "area", "decimal"):     # a custom formula: the bounds, or text with a digit
        assert len(opts["value"]) - 1 <= 255
        if f.min is not None:
            assert f"B5>={number_text(f.min)}" in opts["value"]


# "\r" is left out: xlsxwriter stores it as _x000D_, which openpyxl does not unescape on read
SAFE_TEXT = st.text(alphabet=st.characters(blacklist_characters="\r"), min_size=1, max_size=40)


@settings(max_examples=40, deadline=None)
@given(texts=st.lists(SAFE_TEXT, min_size=1, max_size=8),
       ftype=st.sampled_from(FIELD_TYPES))
def test_submitted_text_stays_text(tmp_path_factory, texts, ftype):
    path = tmp_path_factory.mktemp("v") / "v.xlsx"
    field = next(f for f in FIELDS if f.type == ftype)
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    styles = Styles(wb)
    for i, t in enumerate(texts):
        write_value(ws, i, 0, field, t, styles)
    wb.close()
    back = openpyxl.load_workbook(path).active
    for i, t in enumerate(texts):
        c = back.cell(i + 1, 1)
        expected = cell_text(t)
        if expected == "":
            continue
        assert c.data_type == "s" and c.value == expected


@given(text=st.text(max_size=60), width=st.floats(min_value=4, max_value=80))
def test_lines_needed_is_positive_and_monotone(text, width):
    assert lines_needed(text, width) >= 1
    assert lines_needed(text, width) >= lines_needed(text, width * 2)
