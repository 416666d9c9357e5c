"""A1 references as the marked copy reads and writes them (xlbase.cell_refs)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, strategies as st
from openpyxl.utils.cell import column_index_from_string
from xlsxwriter.utility import xl_col_to_name

from xlbase.cell_refs import col_index, col_letters, expand_cells, parse_ref


@given(st.integers(1, 16384), st.integers(1, 1_048_576), st.booleans())
def test_refs_round_trip(col: int, row: int, dollars: bool) -> None:
    letters = col_letters(col)
    ref = f"${letters}${row}" if dollars else f"{letters.lower()}{row}"
    assert parse_ref(ref) == (row, col)
    assert expand_cells(ref) == [f"{letters}{row}"]


@given(st.text(max_size=30))
def test_expand_cells_never_raises(text: str) -> None:
    for ref in expand_cells(text):
        assert parse_ref(ref) is not None


def test_expand_ranges_and_lists() -> None:
    assert expand_cells("B7:C8") == ["B7", "C7", "B8", "C8"]
    assert expand_cells("B7，C9; B7") == ["B7", "C9"]
    assert expand_cells("A0") == [] and expand_cells("XFE1") == []
    assert len(expand_cells("A1:Z1000")) == 1000


@given(st.integers(0, 20_000))
def test_letters_as_the_writer_names_columns(col: int) -> None:
    assert col_letters(col) == xl_col_to_name(col - 1)


def test_letters_past_excels_last_column_are_no_reference() -> None:
    assert col_letters(16384) == "XFD" and col_index("xfd") == 16384
    assert parse_ref("XFE1") is None and parse_ref("ZZZ1") is None and parse_ref("A1048577") is None
    assert parse_ref("A1048576") == (1048576, 1)


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcxyz", min_size=1, max_size=3))
def test_col_index_agrees_with_openpyxl(letters: str) -> None:
    assert col_index(letters) == column_index_from_string(letters.upper())


@pytest.mark.parametrize("bad", ["", "AAAA", "A1", "Ａ", "É", "$A", " A"])
def test_col_index_refuses_what_is_no_column_name(bad: str) -> None:
    with pytest.raises(ValueError):
        col_index(bad)


def test_merge_validate_and_read_start_without_openpyxl() -> None:
    """openpyxl/__init__ costs ~0.1 s of every start-up; the reading and merging path never needs it."""
    code = ("import sys, xlbase.cli, xlbase.commands.merge, xlbase.commands.validate, xlbase.read.files, "
            "xlbase.check, xlbase.summary.workbook; print(sorted(m for m in sys.modules if m.startswith('openpyxl')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
