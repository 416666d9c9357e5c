"""Record labels in a clerk's own words (`record_word`): the one record field a label names by the fuzzy
signal of `match_vocab` when no exact label, alias or stem does."""

from __future__ import annotations

import re
from functools import lru_cache

from ..text import fold_unbracketed
from .label_text import label_key
from .match_vocab import fuzzy_scores, gram_set, vocabulary

RECORD_FUZZY = 0.75       # a record label this like one field's spelling (gram F1) …
RECORD_MARGIN = 0.15      # … and this much more than like any other field's, names that field


@lru_cache(maxsize=8192)
def record_word(text: str, form_id: str) -> str | None:
    """The one record field a clerk's own label names by its words, where no exact label, alias or stem does
    ("对区域中小企业发展的作用" -> 对区域中小企业发展的影响和作用): the gram F1 of `fuzzy_scores` over the record
    fields' spellings, high and clearly ahead of the next field. A cell with digits or a 标签：值 colon, or
    shorter than four or longer than thirty characters, is a value, never a label."""
    if re.search(r"[:：]\s*\S", text):           # 标签：值 — the inline reader's, never one label
        return None
    k = label_key(text)
    bare = fold_unbracketed(k) or k
    if not 4 <= len(bare) <= 30 or any(ch.isdigit() for ch in bare):
        return None
    v = vocabulary(form_id, "record")
    if not v.keys or bare in v.not_fields:
        return None
    ranked = sorted(fuzzy_scores(v, gram_set(bare)).items(), key=lambda x: -x[1])
    if not ranked or ranked[0][1] < RECORD_FUZZY or (len(ranked) > 1 and ranked[1][1] > ranked[0][1] - RECORD_MARGIN):
        return None
    return v.keys[ranked[0][0]]
