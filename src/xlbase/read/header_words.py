"""Which fields a header label names by its words (`word_scores`): the official label and aliases (exact), a
stem, the field's distinctive terms from the form model (营收 → 营业收入, 税 → 上缴税金, the term nearer the label's
end weighing more) and the general fuzzy signal (`match_vocab.fuzzy_scores`) that carries to wordings nobody listed; how
closely it says another form's field instead (`foreign_likeness`, `closer_to_other_form`); a group glued on
before the label (`split_glued_group`); whether an unplaced header might be a field (`might_name`)."""

from __future__ import annotations

from functools import lru_cache

from ..text import fold, fold_unbracketed
from .header_concepts import head_of_field, unlike
from .label_text import glued_parts, label_key, without_count_word
from .labels import label_index, label_stem, stem_index
from .match_vocab import foreign_f1, fuzzy_scores, gram_set, spelling_variants, vocabulary

EXACT, STEM = 1.0, 0.95
TERM_BASE, TERM_SPAN, TERM_TAIL = 0.55, 0.3, 0.1
FUZZY_MAX = 0.85
WORD_HIT = 0.5           # a header cell "names" a field at this word score (header detection)
SAYS_OTHER = 0.8         # a header this like another form's field (gram F1; 1.0 for its exact label) may say it
                         # rather than ours (measured: with no floor, 基地面积 and 合作机构服务频次, 0.7 like 附件2's
                         # labels, lost their fields — 22 cells missed over the strangers' seeds 1-32; none at 0.8)


@lru_cache(maxsize=200_000)
def word_scores(text: str, form_id: str) -> tuple[tuple[str, float, bool], ...]:
    """(field key, word score, exact) for the fields a header label may name, best first; () for none."""
    k = label_key(text)
    if not k or len(k) > 40:
        return ()
    v = vocabulary(form_id)
    variants = spelling_variants(k)
    if k in v.not_fields or fold_unbracketed(k) in v.not_fields:
        exact_only = True
    else:
        exact_only = False
    index = label_index(form_id, "table")
    stems = stem_index(form_id, "table")
    out: dict[str, tuple[float, bool]] = {}
    for var in variants:
        for key in index.get(var, ()):
            out[key] = (EXACT, True)
        for key in stems.get(label_stem(var), ()):
            out.setdefault(key, (STEM, True))
    if exact_only:
        return tuple((key, s, e) for key, (s, e) in out.items())
    bare = fold_unbracketed(k) or k
    core = without_count_word(bare)
    head = gram_set(bare)
    fuzzies = fuzzy_scores(v, head)
    for i, key in enumerate(v.keys):
        if key in out or unlike(v, i, bare):
            continue
        term_score = 0.0
        for term in v.terms[i]:
            at = bare.rfind(term)
            if at < 0:
                continue
            # Chinese compounds are head-final: the term nearer the end of the label (its counting word
            # 次数/场次/户数 set aside) says what is counted: 入驻企业职工数 counts 职工, 活动场次 counts 活动
            tail = min(at + len(term), len(core)) / len(core) if at < len(core) else 0.0
            score = TERM_BASE + TERM_SPAN * min(1.0, len(term) / len(bare)) + TERM_TAIL * tail
            term_score = max(term_score, score)
        fuzzy = fuzzies.get(i, 0.0) * FUZZY_MAX
        best = min(STEM, max(term_score, fuzzy) + 0.1 * min(term_score, fuzzy))   # the other signal breaks ties
        if best >= 0.12:
            out[key] = (round(best, 4), False)
    return tuple(sorted(((key, s, e) for key, (s, e) in out.items()), key=lambda x: -x[1]))


def best_word(text: str, form_id: str) -> tuple[str, float] | None:
    got = word_scores(text, form_id)
    return (got[0][0], got[0][1]) if got else None


@lru_cache(maxsize=8192)
def foreign_likeness(text: str, form_id: str, kin: bool = False) -> float:
    """How closely a header label says a field of another form (0..1; `kin`: of a form about the same thing):
    创业导师 is 附件2's 创业辅导师, 占地面积 its land. 名称 alone says no field of any form."""
    k = label_key(text)
    bare = fold_unbracketed(k) or k
    return foreign_f1(vocabulary(form_id), gram_set(bare), kin) if len(bare) > 2 else 0.0


@lru_cache(maxsize=8192)
def closer_to_other_form(text: str, form_id: str, fi: int, kin: bool) -> bool:
    """The label is closer to a field of another form (`kin`: of one about the same thing) than to field `fi`
    of this one, both measured alike (F1 of IDF-weighted grams with the nearest spelling): 创业导师 is
    附件2's 创业辅导师 rather than 吸纳就业人数, 占地面积 附件2's land rather than a firm's 厂房（场地）面积.

    Weighed only where something else speaks for the field — its place in the official order, or another
    column claiming it: uncontested, a clerk's word that happens to be another form's label (成立时间 is
    附件2's service organisation's) is still the nearest field of the table he typed."""
    other = foreign_likeness(text, form_id, kin)
    if other < SAYS_OTHER:
        return False
    k = label_key(text)
    return other > fuzzy_scores(vocabulary(form_id), gram_set(fold_unbracketed(k) or k)).get(fi, 0.0)


def might_name(text: str, form_id: str, key: str) -> bool:
    """Whether an unplaced header could be field `key` under a wording we did not recognise: some of its words
    are the field's, or its head noun is (not 主导产业, 备注 or 资产总额 for 营业收入) — the headers worth naming
    to the clerk when the field's column was not found."""
    v = vocabulary(form_id)
    if key not in v.keys:
        return False
    k = label_key(text)
    if not k or k in v.not_fields or fold_unbracketed(k) in v.not_fields:
        return False
    return any(got == key for got, _, _ in word_scores(text, form_id)) or head_of_field(text, form_id,
                                                                                           v.keys.index(key))


@lru_cache(maxsize=8192)
def split_glued_group(text: str, form_id: str) -> tuple[str, str]:
    """("基本情况", "基地名称") for a one-row header with its group glued on ("基本情况-基地名称",
    "运营情况：营业收入", "孵化成果孵化成功企业数"); ("", text) when no group of the form starts it."""
    v = vocabulary(form_id)
    left, rest = glued_parts(text)
    if left:
        g = fold_unbracketed(left)
        right = word_scores(rest, form_id)
        if any(key and key == g for key in v.groups):
            return left, rest     # the form's group, a separator: whatever follows
        if any(key and key in g for key in v.groups) and right and right[0][1] >= WORD_HIT:
            return left, rest
    k = fold(text)
    for key, name in sorted(v.groups.items(), key=lambda kv: -len(kv[0])):
        if key and k.startswith(key) and len(k) > len(key) + 1:
            got = word_scores(k[len(key):], form_id)
            if got and got[0][1] >= WORD_HIT:
                return name, k[len(key):]
    return "", text
