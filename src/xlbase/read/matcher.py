"""Decide which column of a clerk's table holds which field: one decision per header band.

Clerks retype the forms with their own words (营收, 纳税, 服务企业户数), units ((元), 亩),
group rows and extra columns, but keep the official column order. Every signal a person
uses is scored for every (column, field) pair:

- words (`read.header_words.word_scores`): the official label and aliases (exact), the field's distinctive
  terms from the form model (营收 → 营业收入, 税 → 上缴税金), and a general fuzzy signal that carries to
  wordings nobody listed: IDF-weighted character uni- and bigram overlap with every spelling of
  the field (`read.match_vocab`), so 服务企业户数 lands on 年服务中小企业户数 and not on 服务次数;
- the unit stated over the column (a 万元 header is no count of people);
- the group above it (运营情况, 孵化成果) against the field's group;
- what the column holds (read.profile: dates, 是/否, credit codes, names, whole numbers)
  — the last three weigh the words in `read.pair_scores.pair_score`;
- the official order: after confident anchors are fixed by a maximum-weight assignment, the
  columns between two anchors are aligned with the fields the official order puts there (`read.assign`).

A header that names a neighbouring concept (`read.header_concepts`) does not become the field.
Two columns never take one field: ties are resolved by the assignment, not by who came first.
"""

from __future__ import annotations

from dataclasses import dataclass, field as dc_field
from functools import lru_cache

from ..forms.roles import BASE_NAME, CITY, COUNTY
from .assign import align, assign, increasing
from .column_head import ColumnHead
from .header_concepts import counts_other_thing, head_of_field, says_part
from .header_words import WORD_HIT, closer_to_other_form, word_scores
from .label_text import label_key
from .match_vocab import Vocab, vocabulary
from .pair_scores import pair_score, share_over_count
from .profile import fit
from .units import conflicts, field_family

CANDIDATE = 0.3          # a pair below this is never matched on words
ANCHOR = 0.55            # a pair at or above this is fixed regardless of order
POSITION_FIT = 0.7       # a column taken by position alone must hold values that fit this well
OUTWEIGH = 0.3           # a pair off the order's run takes its field back from one this much weaker
TIE = 0.15               # two strong claims on one field this close are a tie the official order settles


@dataclass
class Assignment:
    """field key -> column, and how each was decided."""

    columns: dict[str, int] = dc_field(default_factory=dict)
    how: dict[str, str] = dc_field(default_factory=dict)        # "label", "words" or "position"
    word: dict[str, float] = dc_field(default_factory=dict)     # the word score of the pair
    score: float = 0.0

    def word_hits(self) -> int:
        return sum(1 for k in self.columns if self.word.get(k, 0.0) >= WORD_HIT)


@lru_cache(maxsize=4096)
def match_columns(heads: tuple[ColumnHead, ...], form_id: str) -> Assignment:
    """The assignment of a header band's columns to `form_id`'s table fields (cached: a province of files
    typed from one template asks the same question hundreds of times)."""
    v = vocabulary(form_id)
    first_text = next((f.key for f in v.fields if f.type == "text"), None)
    words: dict[tuple[int, int], float] = {}
    exact: set[tuple[int, int]] = set()
    scores: dict[tuple[int, int], float] = {}
    for ci, h in enumerate(heads):
        ws = word_scores(h.label, form_id) if h.label else ()
        got = {key: (s, e) for key, s, e in ws}
        for fi, f in enumerate(v.fields):
            w, e = got.get(f.key, (0.0, False))
            words[(ci, fi)] = w
            if e:
                exact.add((ci, fi))
            if w > 0:
                scores[(ci, fi)] = pair_score(v, h, f, w, f.key == first_text and f.identity != BASE_NAME, e)
    _contested_foreign(scores, heads, form_id)
    _other_concepts(v, scores, heads, form_id, exact)
    candidates = {p: s for p, s in scores.items() if s >= CANDIDATE}
    named: dict[int, tuple[int, float]] = {}     # column -> the field its words name best, and how well
    for (ci, fi), w in words.items():
        if w > named.get(ci, (fi, 0.0))[1]:
            named[ci] = (fi, w)
    _ties_by_order(candidates)
    picked = assign(candidates, len(heads), len(v.fields))
    anchors = [(ci, fi) for ci, fi in picked.items() if candidates[(ci, fi)] >= ANCHOR]
    spine = increasing(anchors, candidates.get)
    # an anchor out of the official order stands when its label is exact (a permuted table); otherwise
    # it is weighed again among the fields its place in the order offers
    on_spine = set(spine)
    anchors = [p for p in anchors if p in on_spine or p in exact]
    weak = {ci: fi for ci, fi in picked.items() if (ci, fi) not in anchors}
    chosen = dict(anchors)
    # the columns between two anchors of the official order: aligned with the fields that order puts there
    bounds = [(-1, -1)] + spine + [(len(heads), len(v.fields))]
    taken_fields = set(chosen.values())
    position: set[int] = set()
    for (c0, f0), (c1, f1) in zip(bounds, bounds[1:]):
        gap_cols = [ci for ci in range(c0 + 1, c1) if ci not in chosen]
        gap_fields = [fi for fi in range(f0 + 1, f1) if fi not in taken_fields]
        if not gap_cols or not gap_fields:
            continue
        usable = [ci for ci in gap_cols if (heads[ci].label or heads[ci].profile)
                  and label_key(heads[ci].label) not in v.not_fields]
        # the form's own fields (所在市, 基地类型 after the official ones) are never expected in a clerk's table
        by_position = len(usable) == sum(1 for fi in gap_fields if v.fields[fi].official)

        def score(ci: int, fi: int) -> float | None:
            h, f = heads[ci], v.fields[fi]
            s = scores.get((ci, fi), 0.0)
            if weak.get(ci) == fi or s >= CANDIDATE:
                return s
            # by position only a column whose words name no other field (办公面积 between 员工数 and 利润, the
            # clerk's order swapped and 营业收入 left out, is the firms' area, not their revenue)
            # nor one that says a field of another form (创业导师（人） where 吸纳就业人数 was left out)
            # and one whose head noun is the field's (惠及企业数 counts 企业; 专利数, 占地（亩）, 创业导师 name
            # something this field is not: a column of another meaning typed where the field was left out)
            # — unless what its words name best is held by a column that says it at least as well, and its
            # words touch this field too, its head noun is the other field's and both count the same kind of thing
            # (员工 where 基地服务人员数 stands, 带动就业 holding 吸纳就业人员数; 服务 alone where 服务活动 stands, 服务次数
            # in its own place): a word several fields share, read by its place
            other, w = named.get(ci, (fi, 0.0))
            shared = words.get((ci, fi), 0.0) > 0 and other != fi and _held_by_better(other, ci, chosen, scores) \
                and head_of_field(h.label, form_id, other) and field_family(v.fields[other]) == field_family(f)
            if by_position and ci in usable and (f.official or s > 0) and (w < WORD_HIT or other == fi or shared) \
                    and (shared or head_of_field(h.label, form_id, fi)) and not says_part(h.label, f) \
                    and not closer_to_other_form(h.label, form_id, fi, True):  # noqa: B023
                d = fit(h.profile, f, f.key == first_text)
                if (d is None or d >= POSITION_FIT) and not (h.unit and conflicts(h.unit, f)) and (h.label or d) \
                        and not share_over_count(h, f):
                    return 0.05 + 0.1 * (d or 0)
            return None

        for ci, fi in align(gap_cols, gap_fields, score):
            chosen[ci] = fi
            if scores.get((ci, fi), 0.0) < CANDIDATE and weak.get(ci) != fi:
                position.add(ci)
    # weak pairs outside the order (a permuted table): kept when nothing else took their field, or when
    # what took it by its place in the order has much weaker evidence (基地名称 before 信用代码 took 企业名称
    # by position while 公司名称 stood after it)
    holder = {fi: ci for ci, fi in chosen.items()}
    for ci, fi in weak.items():
        if ci in chosen or ((ci, fi) not in exact and closer_to_other_form(heads[ci].label, form_id, fi, True)
                            and not _values_name(v, heads[ci], fi)):
            continue        # off the order, and more like another form's field (项目总投资 is no 当年完成投资额)
        other = holder.get(fi)
        if other is None:
            chosen[ci], holder[fi] = fi, ci
        elif (other, fi) not in anchors and scores.get((ci, fi), 0.0) >= scores.get((other, fi), 0.0) + OUTWEIGH:
            del chosen[other]
            position.discard(other)
            chosen[ci], holder[fi] = fi, ci
    _places_by_values(v, heads, chosen, named)
    out = Assignment()
    for ci, fi in sorted(chosen.items()):
        key = v.keys[fi]
        out.columns[key] = heads[ci].col
        out.word[key] = words.get((ci, fi), 0.0)
        out.how[key] = "position" if ci in position else "label" if (ci, fi) in exact else "words"
        out.score += scores.get((ci, fi), 0.0)
    return out


def _held_by_better(fi: int, ci: int, chosen: dict[int, int], scores: dict[tuple[int, int], float]) -> bool:
    """Field `fi` is held by another column whose claim on it is as strong as column `ci`'s (within `TIE`: a
    tie the official order settled)."""
    holder = next((c for c, f in chosen.items() if f == fi and c != ci), None)
    return holder is not None and scores.get((holder, fi), 0.0) >= scores.get((ci, fi), 0.0) - TIE


def _ties_by_order(candidates: dict[tuple[int, int], float]) -> None:
    """Two strong claims on one field within `TIE` of each other are settled by the official order: the
    claim whose column stands where the field's neighbours put it keeps its weight, a claim out of place
    loses `TIE` (员工 between 是否独立法人 and 已入驻企业数, 带动就业 between 已入驻企业数 and 建筑面积: both say
    吸纳就业人员数, only the second stands in its place). The neighbours are the nearest columns on each side
    with a strong claim of their own, not in the tie; a side without one bounds nothing."""
    best: dict[int, tuple[int, float]] = {}          # column -> its strongest claim
    claims: dict[int, list[tuple[float, int]]] = {}
    for (ci, fi), s in candidates.items():
        if s >= ANCHOR:
            claims.setdefault(fi, []).append((s, ci))
            if s > best.get(ci, (fi, 0.0))[1]:
                best[ci] = (fi, s)
    for fi, strong in claims.items():
        top = max(s for s, _ in strong)
        tied = {ci for s, ci in strong if s >= top - TIE}
        if len(tied) < 2:
            continue
        others = sorted((c, f) for c, (f, _) in best.items() if c not in tied)
        placed = {ci: _in_place(ci, fi, others) for ci in tied}
        if any(placed.values()) and not all(placed.values()):
            for ci, ok in placed.items():
                if not ok:
                    candidates[(ci, fi)] -= TIE


def _in_place(ci: int, fi: int, others: list[tuple[int, int]]) -> bool:
    """Column `ci` stands where the official order puts field `fi`: between the fields of its nearest
    neighbours among `others` ((column, field) sorted by column)."""
    left = [f for c, f in others if c < ci]
    right = [f for c, f in others if c > ci]
    return (not left or left[-1] < fi) and (not right or fi < right[0])


DISTINCT_TYPES = ("date", "yesno", "credit_code")     # value kinds a column's cells show beyond doubt


def _values_name(v: Vocab, head: ColumnHead, fi: int) -> bool:
    """The column's values say it is field `fi`: they fit it, and it is the form's only field of its kind of
    value (成立时间 typed elsewhere in the order, over dates, is 附件10's one date field — whatever 附件2 calls
    its service organisation's founding date)."""
    f = v.fields[fi]
    if f.type not in DISTINCT_TYPES or sum(1 for g in v.fields if g.type == f.type) > 1:
        return False
    return (fit(head.profile, f) or 0.0) >= POSITION_FIT


def _places_by_values(v: Vocab, heads: tuple[ColumnHead, ...], chosen: dict[int, int],
                      named: dict[int, tuple[int, float]]) -> None:
    """A column left over whose values are the programme's county (or city) names is the place column of
    that level, whatever its header (地区, 区域, 所属): a city office's table says each base's county there,
    and it would otherwise be placed in the county of the folder it came in. Only a header that names no
    other field, and only a place field no column took."""
    taken = set(chosen.values())
    for fi, f in enumerate(v.fields):
        if f.identity not in (CITY, COUNTY) or fi in taken:
            continue
        fits = [ci for ci, h in enumerate(heads) if ci not in chosen and h.profile
                and label_key(h.label) not in v.not_fields and named.get(ci, (fi, 0.0))[1] < WORD_HIT
                and (fit(h.profile, f) or 0.0) >= POSITION_FIT]
        if len(fits) == 1:
            chosen[fits[0]] = fi


def _contested_foreign(scores: dict[tuple[int, int], float], heads: tuple[ColumnHead, ...], form_id: str) -> None:
    """Where two columns claim one field and one of them is closer to another form's field than to it (占地面积
    （亩） beside a firm's 办公面积, 项目总投资 beside 本年度完成投资), that one loses its claim."""
    claims: dict[int, list[int]] = {}
    for (ci, fi), sc in scores.items():
        if sc >= CANDIDATE:
            claims.setdefault(fi, []).append(ci)
    for fi, cols in claims.items():
        if len(cols) < 2:
            continue
        like = {ci: closer_to_other_form(heads[ci].label, form_id, fi, False) for ci in cols}
        if any(like.values()) and not all(like.values()):
            for ci in cols:
                if like[ci]:
                    del scores[(ci, fi)]


def _other_concepts(v: Vocab, scores: dict[tuple[int, int], float], heads: tuple[ColumnHead, ...], form_id: str,
                    exact: set[tuple[int, int]]) -> None:
    """A header that names a neighbouring concept does not become the field, contested or not: one that counts
    another thing (`counts_other_thing`: 大学生创业人数 is no 职工人数), one that says it is a part (`says_part`:
    其中：小微企业数 is no 已入驻企业数), or a quantity's header closer to another
    form's field than to this one (固定资产投资 is 附件2's, not 当年完成投资额: it would be summed as this
    year's investment). The column is then unused and the field missing, each reported at its cells — never the
    field read silently from another concept. A name or a date keeps its nearest field (成立时间 over the
    operators' founding dates is 附件10's 注册时间, whatever 附件2 calls its service organisation's)."""
    for ci, fi in list(scores):
        label = heads[ci].label
        if says_part(label, v.fields[fi]):          # 其中：吸纳就业人数 — the field's exact words, as a part
            del scores[(ci, fi)]
            exact.discard((ci, fi))
        elif (ci, fi) not in exact and (counts_other_thing(label, form_id, fi) or (
                v.fields[fi].is_numeric and closer_to_other_form(label, form_id, fi, True))):
            del scores[(ci, fi)]
