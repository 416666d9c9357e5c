"""text.fold's plain-text shortcut gives exactly what the full NFKC path gives."""

from __future__ import annotations

import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from xlbase.text import _BRACKETS, _DROP, PLAIN, fold


def slow_fold(text: object) -> str:
    """fold without the shortcut."""
    if text is None:
        return ""
    return _DROP.sub("", unicodedata.normalize("NFKC", str(text)).translate(_BRACKETS)).lower()


def test_every_plain_character_folds_to_its_lower_case():
    plain = [chr(c) for c in range(0x110000) if PLAIN.fullmatch(chr(c))]
    assert len(plain) == 0x9FFF - 0x4E00 + 1 + 10 + 52
    for ch in plain:
        assert slow_fold(ch) == ch.lower()


class Label(str):
    def __str__(self) -> str:
        return "改 过"


PLAINISH = st.text(alphabet=st.one_of(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
                                      st.sampled_from("0123456789ABCXYZabcxyzİKſﬁ（）【】 　·-ＡＢ１２\u309a\u0301")))


@settings(max_examples=1000, deadline=None)
@given(st.one_of(PLAINISH, st.text(), st.none(), st.integers(), st.floats(), st.booleans()))
@example("山西省ABC123")
@example("基 地 名 称")
@example("ＡＢＣ")
@example("")
@example(Label("山西"))
def test_fold_is_the_full_path(value):
    assert fold(value) == slow_fold(value)
