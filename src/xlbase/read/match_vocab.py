"""What the column and record matchers know of a form's fields: every spelling (labels, aliases, the labels of
forms sharing its columns), the distinctive terms, their character uni- and bigrams with IDF weights, and the
labels of the programme's other forms (`vocabulary`); the fuzzy signal over them (`fuzzy_scores`: IDF-weighted gram
F1, through an inverted index) and the same signal against another form's labels (`foreign_f1`)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field as dc_field
from functools import lru_cache

from ..forms import Field, FORM_IDS, get_form
from ..text import fold, fold_unbracketed
from .units import strip_unit

@dataclass(frozen=True)
class Vocab:
    keys: tuple[str, ...]                       # field keys in official order (ours after)
    fields: tuple[Field, ...]
    spellings: tuple[tuple[str, ...], ...]      # folded spellings per field
    terms: tuple[tuple[str, ...], ...]          # folded terms per field
    grams: tuple[tuple[frozenset, ...], ...]    # gram sets per spelling, per field
    idf: dict
    not_fields: frozenset[str]
    groups: dict[str, str]                      # folded group -> group
    postings: dict = dc_field(default_factory=dict)   # gram -> ((field index, spelling index), …)
    weights: tuple[tuple[float, ...], ...] = ()       # IDF weight of each spelling's grams, per field
    foreign: tuple[frozenset, ...] = ()               # gram sets of other forms' labels for fields this form lacks
    kin: tuple[frozenset, ...] = ()                   # ... of those forms about the same thing (a base's forms)
    unlike: tuple[tuple[str, ...], ...] = ()          # folded words that make a header another concept, per field


def gram_set(k: str) -> frozenset[str]:
    return frozenset(k) | frozenset(k[i:i + 2] for i in range(len(k) - 1))


def spelling_variants(k: str) -> set[str]:
    out = {k, fold_unbracketed(k)}
    for v in list(out):
        if v.startswith("其中") and len(v) > 2:
            out.add(v[2:])
    return {v for v in out if v}


@lru_cache(maxsize=None)
def vocabulary(form_id: str, part: str = "table") -> Vocab:
    """Spellings, terms and gram statistics of a form's table fields (with the spellings of forms that
    share its columns, 附件11 for 附件10); `part="record"`: of its record (label/value) fields."""
    form = get_form(form_id)
    fields = tuple(f for f in (form.record_fields if part == "record" else form.table_fields) if not f.merge_only)
    sharing = [get_form(i) for i in FORM_IDS if get_form(i).columns_from == form_id]
    spellings, terms, grams = [], [], []
    for f in fields:
        texts = list(f.labels)
        for other in sharing:
            if other.has_field(f.key):
                texts += other.field(f.key).labels
        keys: set[str] = set()
        for t in texts:
            keys |= spelling_variants(strip_unit(t)) | spelling_variants(fold(t))
        spellings.append(tuple(sorted(keys)))
        terms.append(tuple(sorted({fold(t) for t in f.terms if fold(t)}, key=len, reverse=True)))
        grams.append(tuple(gram_set(k) for k in (*keys, *terms[-1])))
    df: dict[str, int] = {}
    for per_field in grams:
        for g in frozenset().union(*per_field):
            df[g] = df.get(g, 0) + 1
    n = len(fields)
    idf = {g: math.log((n + 1) / (c + 0.5)) for g, c in df.items()}
    groups = {fold_unbracketed(f.group): f.group for f in fields if f.group}
    groups.update({fold(f.group): f.group for f in fields if f.group})
    postings: dict[str, list[tuple[int, int]]] = {}
    for i, per_field in enumerate(grams):
        for j, gs in enumerate(per_field):
            for g in gs:
                postings.setdefault(g, []).append((i, j))
    weights = tuple(tuple(sum(idf[g] for g in gs) for gs in per_field) for per_field in grams)
    foreign, kin = (tuple(gram_set(k) for k in _foreign_labels(form_id, {f.key for f in fields},
                                                            {k for ks in (*spellings, *terms) for k in ks}, kin))
                    for kin in (False, True))
    return Vocab(tuple(f.key for f in fields), fields, tuple(spellings), tuple(terms), tuple(grams), idf,
                  frozenset(fold(w) for w in form.not_fields), groups,
                  {g: tuple(p) for g, p in postings.items()}, weights, foreign, kin,
                  tuple(tuple(fold(w) for w in f.unlike if fold(w)) for f in fields))


def _foreign_labels(form_id: str, keys: set[str], own: set[str], kin: bool) -> frozenset[str]:
    """The labels of the programme's other forms' fields that mean something this form has no field for
    (附件2's 占地面积 is land, not a firm's 厂房（场地）面积; its 建设项目总投资 is no 当年完成投资额); with `kin`,
    only of the forms about the same thing (a base's forms carry its identity, a firm list none): 附件3's
    场地面积 is a firm's, and a base's 场地面积 is still its 建筑面积."""
    if form_id not in FORM_IDS:
        return frozenset()
    this = get_form(form_id)
    out: set[str] = set()
    for other in FORM_IDS:
        form = get_form(other)
        if other == form_id or form.columns_from == form_id or this.columns_from == other:
            continue
        if kin and bool(form.identity_fields) != bool(this.identity_fields):
            continue
        for f in form.fields:
            if f.key not in keys:
                for t in f.labels:
                    out |= spelling_variants(strip_unit(t)) | spelling_variants(fold(t))
    return frozenset(out - own)


def _idf(v: Vocab, g: str) -> float:
    return v.idf.get(g, math.log((len(v.keys) + 1) / 0.5))


def foreign_f1(v: Vocab, head: frozenset, kin: bool = False) -> float:
    """How closely a header says another form's field (the same F1 of IDF-weighted grams as `fuzzy_scores`)."""
    head_w = sum(_idf(v, g) for g in head)
    best = 0.0
    for gs in (v.kin if kin else v.foreign):
        shared = sum(_idf(v, g) for g in head & gs)
        if shared:
            a, b = shared / sum(_idf(v, g) for g in gs), shared / head_w
            best = max(best, 2 * a * b / (a + b))
    return best


def fuzzy_scores(v: Vocab, head: frozenset) -> dict[int, float]:
    """Per field, the best F1 over its spellings of IDF-weighted gram containment both ways: how much of
    the spelling the header covers and how much of the header the spelling explains (inverted index: only
    spellings sharing a gram with the header are looked at)."""
    shared: dict[tuple[int, int], float] = {}
    for g in head:
        w = v.idf.get(g)
        if w is None:
            continue
        for p in v.postings[g]:
            shared[p] = shared.get(p, 0.0) + w
    head_w = sum(_idf(v, g) for g in head)
    out: dict[int, float] = {}
    for (i, j), w in shared.items():
        a, b = w / v.weights[i][j], w / head_w
        f1 = 2 * a * b / (a + b)
        if f1 > out.get(i, 0.0):
            out[i] = f1
    return out
