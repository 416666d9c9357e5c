"""The XML prolog scan that refuses DTDs (xlbase.ooxml.zip): what it decides on a prefix holds for the whole."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from xlbase.ooxml.zip import scan_prolog


PROLOG_PIECES = st.sampled_from(["<?xml version='1.0'?>", "<!-- c -->", "<?pi x?>", "<!DOCTYPE x>", "<!ENTITY a 'b'>",
                                 "<!---->", "<root/>", "<r a='<!x'>", " ", "\n", "\ufeff"])


@given(st.lists(PROLOG_PIECES, max_size=8), st.data())
def test_prolog_verdict_on_a_prefix_is_final(pieces, data) -> None:
    text = "".join(pieces)
    cut = data.draw(st.integers(0, len(text)))
    verdict = scan_prolog(text[:cut])
    if verdict != "incomplete":
        assert verdict == scan_prolog(text)
