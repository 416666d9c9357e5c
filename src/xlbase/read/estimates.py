"""A figure typed as a bound or an estimate ("30户以上", "≥18", "不少于25", "约300", "300余人", "近百", "2千多万元"),
read as what it says: the range the true value lies in.

The words and what each makes of the figure are data (data/estimates.yaml); the figure itself is read as
any typed number (read.normalise: the field's units, "万元", "人"). An `Estimate` is no value: the reader
keeps the cell's text (the 汇总表 shows it, its total says it is incomplete) and the rules decide what the
range proves (rules.kinds.thresholds: a bound that meets a threshold proves it, one that cannot decide it
is a warning saying what would).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any

from ..forms import estimate_words
from .figure_notes import MAX_LEN as NOTE_MAX_LEN, TOTALS, Noted, split_note
from .units import unit_key

AT_LEAST, MORE_THAN, AT_MOST, LESS_THAN, ABOUT, NEARLY = "at_least", "more_than", "at_most", "less_than", "about", "nearly"
PAST_FIGURE = "past_figure"


@dataclass(frozen=True)
class Estimate:
    """What a typed bound or estimate says of the value: low <= value <= high (None: unbounded), an end
    excluded when `low_open` / `high_open`; `about` when the ends are the estimate's margin, not the clerk's
    own words. `figure` is the number typed (in the field's unit), `words` the words that made it a range."""

    figure: float
    low: float | None
    high: float | None
    low_open: bool = False
    high_open: bool = False
    about: bool = False
    words: str = ""
    bare: bool = True           # the figure carried no unit of its own ("约3000", not "约3000元")
    note: str = ""              # what a note beside the figure makes of it (read.figure_notes), said after the range
    # a note's amount typed with its own unit beside a bare figure, and the note's kind: the range is made again from
    # the figure scaled and this amount as typed (scaled)
    typed_note: float | None = None
    note_kind: str = ""
    # the field's own bounds (the form model's min / max: a rent is never below 0), where estimate_of knows the field
    floor: float = -math.inf
    ceiling: float = math.inf

    @property
    def lowest(self) -> float:
        return self.low if self.low is not None else -math.inf

    @property
    def highest(self) -> float:
        return self.high if self.high is not None else math.inf

    @property
    def least(self) -> float:
        """The lowest value the field may hold within the range: an unbounded low end stops at the field's minimum
        ("不多于 30" of a rent: 0 to 30, not -inf to 30)."""
        return max(self.lowest, self.floor)

    @property
    def most(self) -> float:
        """The highest value the field may hold within the range (the field's maximum; inf when it has none)."""
        return min(self.highest, self.ceiling)

    def contains(self, x: float) -> bool:
        """Whether the value may be `x`."""
        return not (x < self.lowest or x > self.highest or (self.low_open and x == self.low)
                    or (self.high_open and x == self.high))

    def scaled(self, factor: Fraction) -> Estimate:
        """The same range in the field's unit when the figure was typed under a header stating another unit of
        its family (a column headed 元 over a 万元 field: factor 1/10000), exactly in decimal as a plain number
        is (read.normalise.scale_column); a figure typed with its own unit ("约3000万元") was read in it already."""
        if factor == 1 or not self.bare:
            return self

        def by(x: float) -> float:
            return float(Decimal(repr(x)) * factor.numerator / factor.denominator)
        if self.typed_note is not None:
            low, high = note_range(by(self.figure), self.typed_note, self.note_kind)
            return replace(self, figure=by(self.figure), low=low, high=high)
        return replace(self, figure=by(self.figure), low=None if self.low is None else by(self.low),
                       high=None if self.high is None else by(self.high))

    def at_least(self, threshold: float) -> bool:
        """Proven: the value is not below `threshold`."""
        return self.low is not None and self.low >= threshold

    def below(self, threshold: float) -> bool:
        """Proven: the value is below `threshold`."""
        return self.high is not None and (self.high < threshold or (self.high_open and self.high <= threshold))

    def at_most(self, threshold: float) -> bool:
        """Proven: the value is not above `threshold`."""
        return self.high is not None and self.high <= threshold

    def above(self, threshold: float) -> bool:
        """Proven: the value is above `threshold`."""
        return self.low is not None and (self.low > threshold or (self.low_open and self.low >= threshold))

    def describe(self, unit: str = "") -> str:
        """How the text was read, in words: "不少于 30 户", "30 至 40 户之间（不含 40）", "约 300 人"."""
        said = self._range_words(unit)
        return f"{said}（{self.note}）" if self.note else said

    def _range_words(self, unit: str) -> str:
        u = f" {unit}" if unit else ""
        f = shown(self.figure)
        if self.about:
            return f"约 {f}{u}"
        if self.low is not None and self.high is not None:
            return f"{shown(self.low)} 至 {shown(self.high)}{u}之间{'（不含 ' + shown(self.high) + '）' if self.high_open else ''}"
        if self.low is not None:
            return f"{'多于' if self.low_open else '不少于'} {shown(self.low)}{u}"
        if self.high is not None:
            return f"{'少于' if self.high_open else '不多于'} {shown(self.high)}{u}"
        return f"{f}{u}"


def exact(x: float) -> Estimate:
    """A plain figure as the one-value range a rule compares with a typed range."""
    return Estimate(x, x, x)


def shown(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:.10g}"


def _fold(text: str) -> str:
    s = unicodedata.normalize("NFKC", text).replace("\u2212", "-")
    return "".join(s.split())


@lru_cache(maxsize=None)
def _words() -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...], tuple[str, ...], dict[str, int]]:
    spec = estimate_words()

    def longest_first(group: dict) -> tuple[tuple[str, str], ...]:
        pairs = [(_fold(w), kind) for kind, words in group.items() for w in words]
        return tuple(sorted(pairs, key=lambda p: -len(p[0])))
    mags = {_fold(k): int(v) for k, v in spec["magnitudes"].items()}
    return longest_first(spec["before"]), longest_first(spec["after"]), tuple(map(_fold, spec["past_figure"])), mags


@lru_cache(maxsize=None)
def _any_word() -> re.Pattern:
    """Any word of the data (before, after, past the figure): a text without one is no bound or estimate."""
    before, after, past, _ = _words()
    words = sorted({w for w, _ in (*before, *after)} | set(past), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


def word_lists() -> dict[str, Any]:
    """The data's words as the parser compares them (folded; before and after longest first, with their kinds):
    {"before": ((word, kind), …), "after": …, "past": (word, …), "magnitudes": {word: value}, "between": (…)} —
    what the templates' in-sheet read of a typed range is built from (templates.estimates)."""
    before, after, past, mags = _words()
    between = tuple(sorted(map(_fold, estimate_words().get("between") or ()), key=len, reverse=True))
    return {"before": before, "after": after, "past": past, "magnitudes": mags, "between": between}


def about_margin() -> float:
    return float(estimate_words()["about_margin"])


_DIGITS = re.compile(r"^(\d+(?:\.\d+)?|\.\d+)(.*)$")


def _strip(s: str, pairs: tuple[tuple[str, str], ...], front: bool) -> tuple[str, str | None, str]:
    for w, kind in pairs:
        if front and s.startswith(w) and len(s) > len(w):
            return s[len(w):], kind, w
        if not front and s.endswith(w) and len(s) > len(w):
            return s[:-len(w)], kind, w
    return s, None, ""


def _place(number: str) -> Decimal:
    """The place of a typed number's last non-zero digit: 300 -> 100, 1250 -> 10, 2 -> 1, 2.5 -> 0.1."""
    d = Decimal(number)
    if d == 0:
        return Decimal(1)
    exp = d.normalize().as_tuple().exponent
    return Decimal(1).scaleb(int(exp))


def parse_estimate(text: Any, suffixes: dict[str, Fraction]) -> Estimate | None:
    """The range a typed bound or estimate says, in the field's unit (`suffixes`: the unit words a number in
    the field's cells may carry and their factors, read.units.cell_suffixes); None when `text` is no bound or
    estimate of a number (a plain number, words, two figures)."""
    if not isinstance(text, str):
        return None
    s = _fold(text)
    if not s or len(s) > NOTE_MAX_LEN:
        return None
    s = _unbracket_after(s)         # "15（以上）": the word after the figure, bracketed
    noted = split_note(s)
    if noted is not None:
        return _noted(noted, suffixes)
    if len(s) > 40:
        return None
    if (between := _between(s, suffixes)) is not None:
        return between
    if not _any_word().search(s):
        return None
    before, after, past_words, mags = _words()
    s, head, head_word = _strip(s, before, front=True)
    s, tail, tail_word = _strip(s, after, front=False)
    figure = _figure(s, suffixes, past_words, mags)
    if figure is None:
        return None
    value, past, place, bare = figure
    kinds = [k for k in (head, tail) if k]
    if past:
        kinds.append(PAST_FIGURE)
    if not kinds:
        return None
    words = "".join(w for w in (head_word, past or "", tail_word) if w)
    found = _range(value, place, kinds, words)
    return found if found is None or bare else replace(found, bare=False)


def _unbracket_after(s: str) -> str:
    """A text ending in a bracketed word of those after a figure ("15(以上)", "300人(左右)") without the brackets."""
    if not s.endswith(")") or "(" not in s:
        return s
    i = s.rindex("(")
    word = s[i + 1:-1]
    return s[:i] + word if i and any(w == word for w, _ in _words()[1]) else s


def _noted(n: Noted, suffixes: dict[str, Fraction]) -> Estimate | None:
    """What a figure with a lead word or a note says (read.figure_notes): a bound or an estimate whose note only
    qualifies it stays that range (the note said after it); a figure whose note may change the amount the field
    counts is the range between the figure and the figure with the note's amount (the total a 合计 note gives; no
    amount: at least the figure); None for an exact figure whose note only qualifies it (read.normalise reads it),
    and for what is no figure."""
    typed = parse_estimate(n.figure, suffixes)
    if not n.changes_amount:
        if typed is None:
            return None
        said = f"括注“{n.note}”未另计入" if n.note else f"“{n.lead}”说明计数的范围"
        return replace(typed, note=f"{typed.note}，{said}" if typed.note else said)
    if typed is not None:
        return None                 # an estimate whose note changes its amount: too loose to read
    *_, mags = _words()
    figure = _figure(n.figure, suffixes, (), mags)
    if figure is None:
        return None
    value, _, _, bare = figure
    extra = _note_figure(n.note, suffixes, mags)
    if extra is not None and extra[1] and not bare:
        return None                 # "300元（另加50）": the note's bare amount is in no unit we can tell
    if n.kind == TOTALS and extra is None:
        return None
    low, high = note_range(value, None if extra is None else extra[0], n.kind)
    note = (f"“{n.note}”与前面的数哪个是本栏目所问，按通知的口径而定" if n.kind == TOTALS else
            f"“{n.note}”的部分是否应计入，按通知的口径而定")
    own_unit = extra[0] if extra is not None and bare and not extra[1] else None
    return Estimate(value, low, high, words=n.word, bare=bare, note=note, typed_note=own_unit, note_kind=n.kind)


def note_range(figure: float, amount: float | None, kind: str) -> tuple[float, float | None]:
    """The range a figure and its note's amount say: between the figure and the total a 合计 note gives; else from the
    figure to the figure with the amount left out or added (no amount: unbounded)."""
    if kind == TOTALS and amount is not None:
        low, high = sorted((figure, amount))
        return low, high
    return figure, (None if amount is None else figure + amount)


_NOTE_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _note_figure(note: str, suffixes: dict[str, Fraction], mags: dict[str, int]) -> tuple[float, bool] | None:
    """The first figure of a note in the field's unit ("在建3000平方米", "设备5万元") and whether it was typed bare;
    None when the note's figures are of another unit ("个体户5户" beside a count of people) or it has none."""
    for m in _NOTE_NUMBER.finditer(note):
        rest = note[m.end():]
        for end in range(len(rest), -1, -1):
            if end == 0 and rest and (rest[0].isalnum()):
                break               # a bare figure followed by a word: a unit we do not read here
            got = _figure(m.group() + rest[:end], suffixes, (), mags)
            if got is not None:
                return got[0], got[3]
    return None


def _unit_factor(suffixes: dict[str, Fraction], unit: str) -> Fraction | None:
    """The factor of a unit typed after a figure: as typed, else without the separators between its parts
    (约1.5元/㎡/天, read.units.unit_key), as a plain figure's unit is looked up."""
    factor = suffixes.get(unit)
    return suffixes.get(unit_key(unit)) if factor is None and unit else factor


@lru_cache(maxsize=None)
def _between_pattern() -> re.Pattern:
    """Two figures joined by a between word of the data, each perhaps with a unit: (low, its unit, high, unit)."""
    joins = "|".join(map(re.escape, sorted(map(_fold, estimate_words().get("between") or ()), key=len, reverse=True)))
    return re.compile(rf"^(\d+(?:\.\d+)?)(.*?)(?:{joins})(\d+(?:\.\d+)?)(.*)$") if joins else re.compile(r"(?!)")


def _between(s: str, suffixes: dict[str, Fraction]) -> Estimate | None:
    """"1.2-1.5元/㎡/天", "20至30户": both ends included, in the unit after the second figure (the first may repeat
    it); None when the text is no such range, the units differ or the low end is above the high one."""
    m = _between_pattern().match(s)
    if m is None:
        return None
    low, unit_low, high, unit = m.group(1), m.group(2).lower(), m.group(3), m.group(4).lower()
    factor = _unit_factor(suffixes, unit)
    if factor is None or (unit_low and _unit_factor(suffixes, unit_low) != factor):
        return None
    a, b = (float(Decimal(x) * factor.numerator / factor.denominator) for x in (low, high))
    if a > b:
        return None
    return Estimate(a, a, b, words=s[m.end(2):m.start(3)], bare=not unit)


def _figure(s: str, suffixes: dict[str, Fraction], past_words: tuple[str, ...], mags: dict[str, int]
            ) -> tuple[float, str | None, float, bool] | None:
    """(value in the field's unit, the word past the figure or None, the value of one at its last digit's
    place, whether no unit was typed) of "300", "300余人", "2千多万元", "百余", or None."""
    m = _DIGITS.match(s)
    number, rest = (m.group(1), m.group(2)) if m else ("1", s)
    for mag_word, mag in [("", 1), *mags.items()]:
        if mag_word:
            if not rest.startswith(mag_word):
                continue
            tail = rest[len(mag_word):]
        else:
            if not m:
                continue        # a lone magnitude ("近百") needs its magnitude
            tail = rest
        past = next((w for w in past_words if tail.startswith(w)), None)
        unit = (tail[len(past):] if past else tail).strip("()（）").lower()
        factor = _unit_factor(suffixes, unit)
        if factor is None:
            continue
        scale = Decimal(mag) * factor.numerator / factor.denominator
        value = float(Decimal(number) * scale)
        if math.isnan(value) or math.isinf(value) or value < 0:
            return None
        return value, past, float(_place(number) * scale), not unit
    return None


def _range(value: float, place: float, kinds: list[str], words: str) -> Estimate | None:
    """The range the words make of `value`; None when they contradict each other (不少于300以下)."""
    bounds = {AT_LEAST, MORE_THAN, AT_MOST, LESS_THAN}
    said = [k for k in kinds if k in bounds]
    if len(set(said)) > 1:
        return None
    if ABOUT in kinds or NEARLY in kinds:
        if said:
            return None
        margin = value * about_margin()
        return Estimate(value, value - margin, value if NEARLY in kinds else value + margin, about=True, words=words)
    low: float | None = None
    high: float | None = None
    low_open = high_open = False
    if PAST_FIGURE in kinds:        # 300余: 300 up to (not) 400
        low, low_open, high, high_open = value, True, value + place, True
    kind = said[0] if said else None
    if kind in (AT_LEAST, MORE_THAN):
        low, low_open = value, kind == MORE_THAN or PAST_FIGURE in kinds
        high, high_open = None, False
    elif kind in (AT_MOST, LESS_THAN):
        if PAST_FIGURE in kinds:
            return None
        low, high, high_open = None, value, kind == LESS_THAN
    return Estimate(value, low, high, low_open, high_open, words=words)


_YEAR = re.compile(r"^(\d{4})(?:\.0+)?年?$")


def year_range(text: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day of a year typed alone in a date field ("2018年", "2018"), or None."""
    m = _YEAR.match(_fold(text))
    if not m or not 1900 <= int(m.group(1)) <= 2100:
        return None
    y = int(m.group(1))
    return dt.date(y, 1, 1), dt.date(y, 12, 31)
