"""rules.engine.uscc_valid agrees with stdnum's is_valid on any text (it replaces it for speed)."""

from __future__ import annotations

from hypothesis import example, given, settings, strategies as st
from stdnum.cn import uscc

from xlbase.rules.engine import uscc_valid

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
