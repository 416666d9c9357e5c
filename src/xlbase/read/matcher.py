"""Decide which column of a clerk's table holds which field: one decision per header band.

Clerks retype the forms with their own words (营收, 纳税, 服务企业户数), units ((元), 亩),
group rows and extra columns, but keep the official column order. Every signal a person
uses is scored for every (column, field) pair:

- words (`word_scores`): the official label and aliases (exact), the field's distinctive terms
  from the form model (营收 → 营业收入, 税 → 上缴税金), and a general fuzzy signal that carries to
  wordings nobody listed: IDF-weighted character uni- and bigram overlap with every spelling of
  the field, so 服务企业户数 lands on 年服务中小企业户数 and not on 服务次数;
- the unit stated over the column (a 万元 header is no count of people);
- the group above it (运营情况, 孵化成果) against the field's group;
- what the column holds (read.profile: dates, 是/否, credit codes, names, whole numbers);
- the official order: after confident anchors are fixed by a maximum-weight assignment, the
  columns between two anchors are aligned with the fields the official order puts there.

Two columns never take one field: ties are resolved by the assignment, not by who came first.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field as dc_field
from functools import lru_cache

from ..forms import Field, FORM_IDS, get_form, name_words, unit_families
from ..forms.roles import BASE_NAME, CITY, COUNTY
from ..text import fold, fold_unbracketed
from .labels import label_index, label_stem, stem_index
from .profile import fit
from .units import conflicts, field_family, label_family, strip_unit

EXACT, STEM = 1.0, 0.95
TERM_BASE, TERM_SPAN, TERM_TAIL = 0.55, 0.3, 0.1
FUZZY_MAX = 0.85
CANDIDATE = 0.3          # a pair below this is never matched on words
ANCHOR = 0.55            # a pair at or above this is fixed regardless of order
WORD_HIT = 0.5           # a header cell "names" a field at this word score (header detection)
POSITION_FIT = 0.7       # a column taken by position alone must hold values that fit this well
SAYS_OTHER = 0.8         # a header this like another form's field (gram F1; 1.0 for its exact label) may say it
                         # rather than ours (measured: with no floor, 基地面积 and 合作机构服务频次, 0.7 like 附件2's
                         # labels, lost their fields — 22 cells missed over the strangers' seeds 1-32; none at 0.8)
OUTWEIGH = 0.3           # a pair off the order's run takes its field back from one this much weaker
REPEATED = 0.4           # weight left to a list's name or code field over a column repeating one value
TIE = 0.15               # two strong claims on one field this close are a tie the official order settles


@dataclass(frozen=True)
class ColumnHead:
    """One column of a header band as the matcher sees it."""

    col: int
    label: str = ""                    # the clerk's label text (lowest label cell of the band)
    group: str = ""                    # group text over it (a group row, or glued on "基本情况-基地名称")
    unit: str | None = None            # folded unit stated for it (header, units line or group)
    profile: tuple = ()                # read.profile.profile of the cells below
    row: int = dc_field(default=0, compare=False, hash=False)   # 0-based row of the label (for messages)
    repeated: bool = False             # three or more values below, all the same (a 所属基地 column of a list)
    table_units: tuple = ()            # (family, unit) named by a 单位 line over the whole table ("单位：元",
                                       # "单位：元、平方米、人"): converts the columns of those families that
                                       # state none; not a matching signal (a count column under 元 is fine)


@dataclass
class Assignment:
    """field key -> column, and how each was decided."""

    columns: dict[str, int] = dc_field(default_factory=dict)
    how: dict[str, str] = dc_field(default_factory=dict)        # "label", "words" or "position"
    word: dict[str, float] = dc_field(default_factory=dict)     # the word score of the pair
    score: float = 0.0

    def word_hits(self) -> int:
        return sum(1 for k in self.columns if self.word.get(k, 0.0) >= WORD_HIT)


# --------------------------------------------------------------------------- vocabulary

@dataclass(frozen=True)
class _Vocab:
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


def _grams(k: str) -> frozenset[str]:
    return frozenset(k) | frozenset(k[i:i + 2] for i in range(len(k) - 1))


def _variants(k: str) -> set[str]:
    out = {k, fold_unbracketed(k)}
    for v in list(out):
        if v.startswith("其中") and len(v) > 2:
            out.add(v[2:])
    return {v for v in out if v}


@lru_cache(maxsize=None)
def vocabulary(form_id: str, part: str = "table") -> _Vocab:
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
            keys |= _variants(strip_unit(t)) | _variants(fold(t))
        spellings.append(tuple(sorted(keys)))
        terms.append(tuple(sorted({fold(t) for t in f.terms if fold(t)}, key=len, reverse=True)))
        grams.append(tuple(_grams(k) for k in (*keys, *terms[-1])))
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
    foreign, kin = (tuple(_grams(k) for k in _foreign_labels(form_id, {f.key for f in fields},
                                                            {k for ks in (*spellings, *terms) for k in ks}, kin))
                    for kin in (False, True))
    return _Vocab(tuple(f.key for f in fields), fields, tuple(spellings), tuple(terms), tuple(grams), idf,
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
                    out |= _variants(strip_unit(t)) | _variants(fold(t))
    return frozenset(out - own)


def _idf(v: _Vocab, g: str) -> float:
    return v.idf.get(g, math.log((len(v.keys) + 1) / 0.5))


def _foreign_f1(v: _Vocab, head: frozenset, kin: bool = False) -> float:
    """How closely a header says another form's field (the same F1 of IDF-weighted grams as `_fuzzy`)."""
    head_w = sum(_idf(v, g) for g in head)
    best = 0.0
    for gs in (v.kin if kin else v.foreign):
        shared = sum(_idf(v, g) for g in head & gs)
        if shared:
            a, b = shared / sum(_idf(v, g) for g in gs), shared / head_w
            best = max(best, 2 * a * b / (a + b))
    return best


def _fuzzy(v: _Vocab, head: frozenset) -> dict[int, float]:
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


COUNT_WORDS = ("场次", "次数", "人次", "户数", "人数", "个数", "家数", "数量", "总数", "总额", "金额", "数", "额")


def _without_count_word(k: str) -> str:
    """A label without its trailing counting words (活动场次 -> 活动, 活动场次人次 -> 活动), for where its head
    noun ends."""
    cut = True
    while cut:
        cut = False
        for w in COUNT_WORDS:
            if k.endswith(w) and len(k) > len(w):
                k, cut = k[: -len(w)], True
                break
    return k


# a column number typed before a label: "1.基地名称", "（2）运营单位", "三、营业收入"
_LEAD_ORDINAL = re.compile(r"^\s*(?:[(（]\s*[0-9一二三四五六七八九十]{1,3}\s*[)）]|[0-9一二三四五六七八九十]{1,3}\s*[.、．:：)）])\s*(?=\S)")


@lru_cache(maxsize=8192)
def label_key(text: str) -> str:
    """The comparable part of a header label: folded, its unit, a leading column number and 其中 removed."""
    text = _LEAD_ORDINAL.sub("", text) if text else text
    k = strip_unit(text) if text else ""
    return k[2:] if k.startswith("其中") and len(k) > 2 else k


@lru_cache(maxsize=200_000)
def word_scores(text: str, form_id: str) -> tuple[tuple[str, float, bool], ...]:
    """(field key, word score, exact) for the fields a header label may name, best first; () for none."""
    k = label_key(text)
    if not k or len(k) > 40:
        return ()
    v = vocabulary(form_id)
    variants = _variants(k)
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
    core = _without_count_word(bare)
    head = _grams(bare)
    fuzzies = _fuzzy(v, head)
    for i, key in enumerate(v.keys):
        if key in out or _unlike(v, i, bare):
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


@lru_cache(maxsize=8192)
def foreign_likeness(text: str, form_id: str, kin: bool = False) -> float:
    """How closely a header label says a field of another form (0..1; `kin`: of a form about the same thing):
    创业导师 is 附件2's 创业辅导师, 占地面积 its land. 名称 alone says no field of any form."""
    k = label_key(text)
    bare = fold_unbracketed(k) or k
    return _foreign_f1(vocabulary(form_id), _grams(bare), kin) if len(bare) > 2 else 0.0


def _head(bare: str) -> str:
    """The head noun of a label (Chinese compounds are head-final): its last two characters once its
    counting words are set aside (惠及企业数 -> 企业, 占用土地 -> 土地, 专利数 -> 专利); "" for a label
    of counting words only (金额, 数量), which names no thing, and for one without Chinese (USCC)."""
    if any(bare == w or (bare.endswith(w) and bare[: -len(w)] in COUNT_WORDS) for w in COUNT_WORDS):
        return ""
    if not _HAN.search(bare):
        return ""       # an abbreviation (USCC, Rev, QYMC): no Chinese head noun to read, known by place and values
    return _without_count_word(bare)[-2:]


_HAN = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=8192)
def head_of_field(text: str, form_id: str, fi: int) -> bool:
    """The label's head noun is spelled in field `fi`'s own words (its labels, aliases or terms), or the
    label says nothing (a column known by its place and values only): the test a column taken by its place
    in the official order must pass, so that position fills a field worded oddly (惠及企业数 where 年服务中小
    企业户数 stands) but never gives a field to a column that names something else (专利数, 占地（亩）)."""
    k = label_key(text)
    bare = fold_unbracketed(k) or k
    if _unlike(vocabulary(form_id), fi, bare):
        return False
    head = _head(bare)
    return not head or any(head in gs for gs in vocabulary(form_id).grams[fi])


def _unlike(v: _Vocab, fi: int, bare: str) -> bool:
    """The label holds a word the form model says makes it another concept than field `fi` (占地 for 建筑面积)."""
    return any(w in bare for w in v.unlike[fi])


@lru_cache(maxsize=8192)
def counts_other_thing(text: str, form_id: str, fi: int) -> bool:
    """The label counts something field `fi` is not: its head noun is not the field's, and what it shares with
    the field's words is a counting word only (大学生创业人数 shares 人数 with 职工人数 but counts student
    founders; 服务团队人数 holds 服务团队, a word of 基地服务人员数). A counting word names no thing; only a
    quantity has one (管理方 for 运营单位 is a wording, not a count of something else)."""
    v = vocabulary(form_id)
    if not v.fields[fi].is_numeric or head_of_field(text, form_id, fi):
        return False
    k = label_key(text)
    bare = fold_unbracketed(k) or k
    rest = bare
    for w in _scope_words(form_id):
        rest = rest.replace(w, "")
    if not rest or not _head(rest) or head_of_field(rest, form_id, fi):
        return False        # 当年人数, 服务总次数: without its scope words it names nothing else
    words = (*v.terms[fi], *v.spellings[fi])
    return not any(w not in COUNT_WORDS and (w in bare or w in rest) for w in words)


_NAME_ENDS = ("名称", "全称", "名")


@lru_cache(maxsize=None)
def _scope_words(form_id: str) -> tuple[str, ...]:
    """Words before a head noun that keep a field's concept (data/names.yaml's scope_words: 当年, 总, 现有) and
    the nouns of the form's subject, from its name field's words (基地名称, 载体名称 -> 基地, 载体; 企业名称 ->
    企业): 基地面积 is the base's area, 入驻企业职工 a firm's staff. Longest first."""
    v = vocabulary(form_id)
    out = {fold(w) for w in name_words()["scope_words"]}
    subject = next((f for f in v.fields if f.type == "text"), None)
    for t in (*subject.labels, *subject.terms) if subject else ():
        k = fold_unbracketed(t) or fold(t)
        end = next((e for e in _NAME_ENDS if k.endswith(e)), None)
        if end and len(k) > len(end):
            out.add(k[: -len(end)])
    return tuple(sorted((w for w in out if w), key=len, reverse=True))


@lru_cache(maxsize=None)
def _field_chars(form_id: str, fi: int) -> frozenset[str]:
    """The characters of field `fi`'s own words: labels, aliases, terms and its prompt (what the form asks)."""
    v = vocabulary(form_id)
    return frozenset("".join((*v.spellings[fi], *v.terms[fi], fold(v.fields[fi].prompt))))


@lru_cache(maxsize=8192)
def qualifier(text: str, form_id: str, key: str) -> str:
    """The words a header puts before the field's head noun that neither the field's own words nor a scope or
    subject word (`_scope_words`) say: "办公" in 办公面积 read as 建筑面积 — the office space may be all of the
    base's floor area or a part of it, which the file cannot tell; "" when nothing stands there that the field
    does not say (总建筑面积, 基地面积, 带动就业人数, 主营业务收入) or the head noun is not the field's. A word the
    form model does not know (减免, 使用) is in doubt too where the field's own words leave no room for it."""
    v = vocabulary(form_id)
    if key not in v.keys or not v.fields[v.keys.index(key)].is_numeric:
        return ""           # a name, a date, a yes/no: what stands before it says whose, not how much
    fi = v.keys.index(key)
    k = label_key(_SEPARATORS.split(text.strip())[-1] or text)      # a group glued on before is no qualifier
    core = _without_count_word(fold_unbracketed(k) or k)
    own = {_without_count_word(w) for w in (*v.spellings[fi], *v.terms[fi])}
    end = max((w for w in own if w and core.endswith(w)), key=len, default="")
    if not end:
        head = core[-2:]
        if len(core) <= 2 or not any(head in gs for gs in v.grams[fi]):
            return ""
        end = head
    before = _HAN_ONLY.sub("", core[: -len(end)])      # "Revenue 营收", "2023年经济指标收入": Latin and digits say nothing
    for g in _group_heads():
        at = before.rfind(g)
        if at >= 0:                                       # a group glued on without a separator (经营情况当年投资)
            before = before[at + len(g):]
    for w in _scope_words(form_id):
        before = before.replace(w, "")
    chars = _field_chars(form_id, fi)
    if len(before) < 2 or 2 * sum(1 for c in before if c in chars) >= len(before):
        return ""
    # a word the form model tells fields apart by (办公 is in 附件3's 办公用房) makes another concept likely
    if any(before in w for w in _words_of_other_fields(form_id, key)):
        return before
    # one it does not know (减免税金, 使用面积) is in doubt for an amount (money, area: the word says which amount)
    # where the field's own words fix what stands before its head noun (建筑面积: one kind of area, so usable area
    # is another; 上缴税金: tax paid, so relief is another); where they already vary it (专项资金, 支持资金, 奖励资金)
    # it is one more wording of the same thing (争取资金), and before a count's head noun (解决就业, 签约服务机构,
    # 在岗职工) the head noun says what is counted
    kinds = {w[: -len(end)] for w in own if w.endswith(end) and len(w) > len(end)}
    fam = field_family(v.fields[fi])
    counted = fam is None or unit_families()[fam]["counts"]     # a count: its head noun says what is counted
    return before if len(kinds) < 2 and not counted else ""


_HAN_ONLY = re.compile(r"[^\u4e00-\u9fff]")


@lru_cache(maxsize=None)
def _group_heads() -> tuple[str, ...]:
    """The head nouns of the programme's forms' group names (情况, 成果, 指标): what ends a group a clerk glues on."""
    out = {(fold_unbracketed(f.group) or fold(f.group))[-2:] for i in FORM_IDS for f in get_form(i).fields if f.group}
    return tuple(sorted(g for g in out if len(g) == 2 and _HAN.fullmatch(g[0]) and _HAN.fullmatch(g[1])))


@lru_cache(maxsize=None)
def _words_of_other_fields(form_id: str, key: str) -> tuple[str, ...]:
    """The folded labels, aliases and terms of every other quantity of the programme's forms (names and other
    texts say whose, not what; a field of the same key in another form is the same concept, a firm's 职工人数
    and a base's 吸纳就业人数): the words the form model tells concepts apart by."""
    own = get_form(form_id)
    forms = [get_form(i) for i in FORM_IDS] if form_id in FORM_IDS else [own]
    out: set[str] = set()
    for form in forms:
        for f in form.fields:
            if not f.is_numeric or f.key == key:      # one key is one concept across the forms (职工人数, 吸纳就业)
                continue
            out |= {fold_unbracketed(t) or fold(t) for t in (*f.labels, *f.terms)}
    return tuple(sorted(w for w in out if w))


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


RECORD_FUZZY = 0.75       # a record label this like one field's spelling (gram F1) …
RECORD_MARGIN = 0.15      # … and this much more than like any other field's, names that field


@lru_cache(maxsize=8192)
def record_word(text: str, form_id: str) -> str | None:
    """The one record field a clerk's own label names by its words, where no exact label, alias or stem does
    ("对区域中小企业发展的作用" -> 对区域中小企业发展的影响和作用): the gram F1 of `_fuzzy` over the record
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
    ranked = sorted(_fuzzy(v, _grams(bare)).items(), key=lambda x: -x[1])
    if not ranked or ranked[0][1] < RECORD_FUZZY or (len(ranked) > 1 and ranked[1][1] > ranked[0][1] - RECORD_MARGIN):
        return None
    return v.keys[ranked[0][0]]


def best_word(text: str, form_id: str) -> tuple[str, float] | None:
    got = word_scores(text, form_id)
    return (got[0][0], got[0][1]) if got else None


# --------------------------------------------------------------------------- pair scores

def _group_signal(v: _Vocab, group: str, f: Field) -> float:
    """+1 when the group over a column is the field's, -1 when it is another field's known group, else 0."""
    if not group:
        return 0.0
    g = fold_unbracketed(group) or fold(group)
    known = next((name for key, name in v.groups.items() if key and (key in g or (len(g) >= 2 and g in key))), None)
    if known is None:
        return 0.0
    return 1.0 if known == f.group else -1.0


def _share_over_count(head: ColumnHead, f: Field) -> bool:
    """The label's own head noun says another family than the field's (入驻率 is a share, not a count)."""
    said = label_family(head.label)
    return said is not None and f.is_numeric and said != field_family(f)


def pair_score(v: _Vocab, head: ColumnHead, f: Field, word: float, first_text: bool, exact: bool = False) -> float:
    """The combined evidence that `head` holds `f` (about 0..1.3).

    The unit and the values weigh against a pair they contradict; against an exact label only a
    little (0.7 at worst): the official label is the clerk's own statement, and values that do not fit
    it (a formula's lost 0 in 基地名称) are for validation to report, not a reason to drop the column.
    """
    s = word + 0.12 * _group_signal(v, head.group, f)
    floor = 0.7 if exact else 0.25
    if _share_over_count(head, f):
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


# --------------------------------------------------------------------------- assignment

def _hungarian(weights: list[list[float]]) -> list[int]:
    """Maximum-weight assignment of rows to columns (rows <= columns): for each row its column.

    The O(n^2 m) shortest augmenting path method with potentials (Kuhn-Munkres); the matrices here are
    at most ~30 x 30, so plain Python is fast enough and needs no numerical library.
    """
    n, m = len(weights), len(weights[0]) if weights else 0
    INF = float("inf")
    u, w = [0.0] * (n + 1), [0.0] * (m + 1)
    p, way = [0] * (m + 1), [0] * (m + 1)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = [INF] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = p[j0], INF, 0
            row = weights[i0 - 1]
            for j in range(1, m + 1):
                if not used[j]:
                    cur = -row[j - 1] - u[i0] - w[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]] += delta
                    w[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while True:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
            if j0 == 0:
                break
    out = [-1] * n
    for j in range(1, m + 1):
        if p[j]:
            out[p[j] - 1] = j - 1
    return out


def _assign(pairs: dict[tuple[int, int], float], n_cols: int, n_fields: int) -> dict[int, int]:
    """Maximum-weight matching over candidate pairs (column index, field index) -> weight."""
    if not pairs:
        return {}
    cols = sorted({c for c, _ in pairs})
    fields = sorted({f for _, f in pairs})
    # uncontested pairs (the column's only candidate, and the field's only candidate) need no solver
    by_col: dict[int, list[int]] = {}
    by_field: dict[int, list[int]] = {}
    for c, f in pairs:
        by_col.setdefault(c, []).append(f)
        by_field.setdefault(f, []).append(c)
    out = {c: by_col[c][0] for c in cols if len(by_col[c]) == 1 and len(by_field[by_col[c][0]]) == 1}
    rest_cols = [c for c in cols if c not in out]
    rest_fields = [f for f in fields if f not in out.values()]
    if rest_cols:
        transpose = len(rest_cols) > len(rest_fields)
        rows, others = (rest_fields, rest_cols) if transpose else (rest_cols, rest_fields)
        matrix = [[(pairs.get((o, r)) if transpose else pairs.get((r, o))) or 0.0 for o in others] for r in rows]
        for i, j in enumerate(_hungarian(matrix)):
            if j < 0 or matrix[i][j] <= 0:
                continue
            c, f = (others[j], rows[i]) if transpose else (rows[i], others[j])
            out[c] = f
    return out


def _increasing(anchors: list[tuple[int, int]], weight=None) -> list[tuple[int, int]]:
    """The run of (column, field index) anchors whose fields rise with the columns and whose summed
    `weight` is largest (the longest run when no weight is given): where two strong anchors disagree with
    the official order (a clerk typed 信用代码 before 名称), the stronger evidence keeps its place."""
    if not anchors:
        return []
    anchors = sorted(anchors)
    w = [weight(a) if weight else 1.0 for a in anchors]
    best = list(w)
    prev = [-1] * len(anchors)
    for i in range(len(anchors)):
        for j in range(i):
            if anchors[j][1] < anchors[i][1] and best[j] + w[i] > best[i]:
                best[i], prev[i] = best[j] + w[i], j
    i = max(range(len(anchors)), key=lambda k: best[k])
    out = []
    while i >= 0:
        out.append(anchors[i])
        i = prev[i]
    return out[::-1]


def _align(cols: list[int], fields: list[int], score) -> list[tuple[int, int]]:
    """Monotone alignment of gap columns with gap fields (both in sheet/official order), maximising the sum
    of `score(c, f)` (pairs scoring None are not allowed); a column or field may stay unpaired."""
    n, m = len(cols), len(fields)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    step = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            options = [(best[i + 1][j], 1), (best[i][j + 1], 2)]
            s = score(cols[i], fields[j])
            if s is not None:
                options.append((best[i + 1][j + 1] + s, 3))
            best[i][j], step[i][j] = max(options)
    out, i, j = [], 0, 0
    while i < n and j < m:
        if step[i][j] == 3:
            out.append((cols[i], fields[j]))
            i, j = i + 1, j + 1
        elif step[i][j] == 1:
            i += 1
        else:
            j += 1
    return out


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
    picked = _assign(candidates, len(heads), len(v.fields))
    anchors = [(ci, fi) for ci, fi in picked.items() if candidates[(ci, fi)] >= ANCHOR]
    spine = _increasing(anchors, candidates.get)
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
                        and not _share_over_count(h, f):
                    return 0.05 + 0.1 * (d or 0)
            return None

        for ci, fi in _align(gap_cols, gap_fields, score):
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


def _values_name(v: _Vocab, head: ColumnHead, fi: int) -> bool:
    """The column's values say it is field `fi`: they fit it, and it is the form's only field of its kind of
    value (成立时间 typed elsewhere in the order, over dates, is 附件10's one date field — whatever 附件2 calls
    its service organisation's founding date)."""
    f = v.fields[fi]
    if f.type not in DISTINCT_TYPES or sum(1 for g in v.fields if g.type == f.type) > 1:
        return False
    return (fit(head.profile, f) or 0.0) >= POSITION_FIT


def _places_by_values(v: _Vocab, heads: tuple[ColumnHead, ...], chosen: dict[int, int],
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
    return other > _fuzzy(vocabulary(form_id), _grams(fold_unbracketed(k) or k)).get(fi, 0.0)


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


def _other_concepts(v: _Vocab, scores: dict[tuple[int, int], float], heads: tuple[ColumnHead, ...], form_id: str,
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


def says_part(text: str, f: Field) -> bool:
    """The header says it is a part of something ("其中：小微企业数", "其中大学生创业人数") and the field is no part
    of anything (no `part_of`, its label no 其中…): such a column breaks down the column before it — it is not
    the field, however alike their words (the field's own total would be read as its part)."""
    return marks_part(text) and not (f.part_of or marks_part(f.label))


def marks_part(text: str) -> bool:
    """The text opens with 其中 (a leading ordinal aside): what follows is a part of what stands before it."""
    return bool(text) and fold(_LEAD_ORDINAL.sub("", text)).startswith("其中")


_SEPARATORS = re.compile(r"\s*[-—–_:：|/·]+\s*")


def glued_parts(text: str) -> tuple[str, str]:
    """("基础信息", "基地") for "基础信息-基地": the text before its first separator and the rest, each
    stripped; ("", text) when there is no separator between two non-empty parts."""
    parts = _SEPARATORS.split(text.strip(), maxsplit=1)
    if len(parts) == 2 and parts[0].strip() and parts[1].strip():
        return parts[0].strip(), parts[1].strip()
    return "", text


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
