"""How strongly one column holds one field (`pair_score`): its word score, weighed by the group over it, the
unit stated for it and what its cells hold (read.profile)."""

from __future__ import annotations

from ..forms import Field
from ..text import fold, fold_unbracketed
from .column_head import ColumnHead
from .match_vocab import Vocab
from .profile import fit
from .units import conflicts, field_family, label_family

REPEATED = 0.4           # weight left to a list's name or code field over a column repeating one value


def _group_signal(v: Vocab, group: str, f: Field) -> float:
    """+1 when the group over a column is the field's, -1 when it is another field's known group, else 0."""
    if not group:
        return 0.0
    g = fold_unbracketed(group) or fold(group)
    known = next((name for key, name in v.groups.items() if key and (key in g or (len(g) >= 2 and g in key))), None)
    if known is None:
        return 0.0
    return 1.0 if known == f.group else -1.0


def share_over_count(head: ColumnHead, f: Field) -> bool:
    """The label's own head noun says another family than the field's (入驻率 is a share, not a count)."""
    said = label_family(head.label)
    return said is not None and f.is_numeric and said != field_family(f)


def pair_score(v: Vocab, head: ColumnHead, f: Field, word: float, first_text: bool, exact: bool = False) -> float:
    """The combined evidence that `head` holds `f` (about 0..1.3).

    The unit and the values weigh against a pair they contradict; against an exact label only a
    little (0.7 at worst): the official label is the clerk's own statement, and values that do not fit
    it (a formula's lost 0 in 基地名称) are for validation to report, not a reason to drop the column.
    """
    s = word + 0.12 * _group_signal(v, head.group, f)
    floor = 0.7 if exact else 0.25
    if share_over_count(head, f):
        s *= max(0.3, floor)
    elif head.unit:
        if conflicts(head.unit, f):
            s *= max(0.3, floor)
        elif field_family(f) is not None:
            s += 0.08
    d = fit(head.profile, f, first_text)
    if d is not None:
        s *= floor + (1 - floor) * d
    if head.repeated and (first_text or f.type == "credit_code"):
        # one value on every row names no row: not a list's names or codes — unless the header says
        # so in the form's own words (the same firm typed three times is still a list of firms)
        s *= max(REPEATED, floor) if exact else REPEATED
    return s
