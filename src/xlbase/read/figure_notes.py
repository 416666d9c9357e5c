"""Where a typed figure's note stands: "15（其中创业辅导员4人）", "32户，含个体户5户", "全年48次",
"约1.2万平方米（含在建）" — the figure (perhaps a bound or an estimate, with its unit) and the note beside it.

Only the text is split here; what the note makes of the figure is read.estimates' (a note that changes the amount:
a range) and read.normalise's (a note that only qualifies it: the figure, with a 提示). The words and their kinds are
data (data/figure_notes.yaml). A note stands in brackets after the figure and runs to the end of the text, or after
a comma or semicolon, or right after the figure's unit; a word before the figure (全年, 共) is a lead word. The
figure part must hold a digit; whether it is a figure is for the caller to decide (it is parsed as any typed cell).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..forms import figure_note_words

PART, EXCLUDES, ADDS, TOTALS, LEAD = "part", "excludes", "adds", "totals", "lead"
NOTE_KINDS = (PART, EXCLUDES, ADDS, TOTALS)
#: a note is read in a text of at most this many characters (folded); the figure part alone is read as any cell
MAX_LEN = 80

_OPEN, _CLOSE = "([【〔", ")]】〕"
_SEPARATORS = ",;、:"


@dataclass(frozen=True)
class Noted:
    """A typed figure split from what stands beside it: `figure` the figure's own text (its unit, its estimate words),
    `lead` the word before it ("" for none), `kind` the note's kind (PART … TOTALS; "" for no note), `word` the word
    opening the note, `note` the note as typed (without its brackets)."""

    figure: str
    lead: str = ""
    kind: str = ""
    word: str = ""
    note: str = ""

    @property
    def changes_amount(self) -> bool:
        """The note may change the amount the field counts: it leaves something out, adds something, or gives a
        total with a figure of its own."""
        return self.kind in (EXCLUDES, ADDS) or (self.kind == TOTALS and any(c.isdigit() for c in self.note))

    def said(self) -> str:
        """How the cell was read, in words, for a 提示 ("括注“其中创业辅导员4人”是这个数的一部分，未另计入")."""
        out = []
        if self.lead:
            out.append(f"“{self.lead}”说明计数的范围")
        if self.kind == PART:
            out.append(f"“{self.note}”是对这个数的说明（其中的一部分或另外的情况），其中的数字未加到这个数上")
        elif self.kind == TOTALS:
            out.append(f"“{self.note}”说明这是合计数")
        return "，".join(out)


def fold_text(text: str) -> str:
    """NFKC, spaces out (as read.estimates folds a typed figure)."""
    return "".join(unicodedata.normalize("NFKC", text).replace("\u2212", "-").split())


@lru_cache(maxsize=None)
def _words() -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """((note word, kind) longest first, lead words longest first), folded."""
    spec = figure_note_words()
    notes = sorted(((fold_text(w), k) for k in NOTE_KINDS for w in spec.get(k) or ()), key=lambda p: -len(p[0]))
    leads = sorted({fold_text(w) for w in spec.get(LEAD) or ()}, key=len, reverse=True)
    return tuple(notes), tuple(leads)


def _note_word(s: str) -> tuple[str, str] | None:
    notes, _ = _words()
    return next(((w, k) for w, k in notes if s.startswith(w) and len(s) > len(w) - (k == TOTALS)), None)


_LEAD_DIGIT = re.compile(r"[\d约近超不≥≤><逾上]")


@lru_cache(maxsize=16384)
def split_note(text: str) -> Noted | None:
    """The figure, its lead word and its note of a typed text (folded as fold_text folds it); None when the text has
    neither a lead word nor a note, or its figure part holds no digit."""
    s = fold_text(text)
    if not s or len(s) > MAX_LEN:
        return None
    _, leads = _words()
    lead = next((w for w in leads if s.startswith(w) and len(s) > len(w) and _LEAD_DIGIT.match(s[len(w):])), "")
    body = s[len(lead):]
    for p in range(1, len(body)):
        c = body[p]
        if c in _OPEN:
            close = _CLOSE[_OPEN.index(c)]
            if not body.endswith(close):
                continue
            inner, start = body[p + 1:-1], p
        elif c in _SEPARATORS:
            inner, start = body[p + 1:], p
        else:
            inner, start = body[p:], p
        found = _note_word(inner)
        if found is None:
            continue
        figure = body[:start]
        if not any(ch.isdigit() for ch in figure):
            return None
        return Noted(figure, lead, found[1], found[0], inner)
    if lead and any(ch.isdigit() for ch in body):
        return Noted(body, lead)
    return None
