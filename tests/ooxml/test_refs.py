"""A1 references as the marked copy reads and writes them (xlbase.ooxml.refs)."""

from __future__ import annotations

from hypothesis import given, strategies as st

from xlbase.ooxml.refs import col_index, col_letters, expand_cells, parse_ref


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


def test_letters_past_excels_last_column_are_no_reference() -> None:
    assert col_letters(16384) == "XFD" and col_index("xfd") == 16384
    assert parse_ref("XFE1") is None and parse_ref("ZZZ1") is None and parse_ref("A1048577") is None
    assert parse_ref("A1048576") == (1048576, 1)
