"""rules.uscc.uscc_valid agrees with stdnum's is_valid on any text (it replaces it for speed)."""

from __future__ import annotations

from hypothesis import example, given, settings, strategies as st
from stdnum.cn import uscc

from xlbase.rules.uscc import uscc_valid, uscc_valid_many

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXYZIOSVabc -\n\t１"


def _with_check(body: str) -> str:
    return body + uscc.calc_check_digit(body + "0")


@settings(max_examples=2000)
@given(st.one_of(st.text(alphabet=ALPHABET, max_size=22), st.text(max_size=20),
                 st.from_regex(r"[0-9]{8}[0-9A-HJ-NPQRTUWXY]{9}", fullmatch=True).map(_with_check)))
@example("91140900MA0K000001")
@example("9114 0900-MA0K00000 ")
@example("91140900ma0k00000x")
def test_uscc_valid_matches_stdnum(code):
    assert uscc_valid(code) == uscc.is_valid(code)


@settings(max_examples=300)
@given(st.lists(st.one_of(st.text(alphabet=ALPHABET, min_size=16, max_size=20), st.text(max_size=20),
                          st.from_regex(r"[0-9]{8}[0-9A-HJ-NPQRTUWXY]{9}", fullmatch=True).map(_with_check),
                          st.from_regex(r"[0-9]{8}[0-9A-HJ-NPQRTUWXY]{9}", fullmatch=True).map(_with_check)
                          .map(str.lower)), max_size=30))
@example(["91140900MA0K000001", "9114 0900-MA0K00000 ", "91140900ma0k00000x", "", "91140900MA0K0000-1"])
def test_uscc_valid_many_matches_uscc_valid(codes):
    # the numpy path of the checksum rule decides exactly as the per-code function
    assert uscc_valid_many(codes).tolist() == [uscc_valid(c) for c in codes]
