"""Whether a header names the field's concept or a neighbouring one: its head noun is the field's
(`head_of_field`), it counts another thing (`counts_other_thing`), it says it is a part (`says_part`), or words
before the head noun qualify it (`qualifier`: 办公面积 read as 建筑面积 is asked about)."""

from __future__ import annotations

import re
from functools import lru_cache

from ..forms import Field, FORM_IDS, get_form, name_words, unit_families
from ..text import fold, fold_unbracketed
from .label_text import COUNT_WORDS, HAN, SEPARATORS, head_noun, label_key, marks_part, without_count_word
from .match_vocab import Vocab, vocabulary
from .units import field_family

@lru_cache(maxsize=8192)
def head_of_field(text: str, form_id: str, fi: int) -> bool:
    """The label's head noun is spelled in field `fi`'s own words (its labels, aliases or terms), or the
    label says nothing (a column known by its place and values only): the test a column taken by its place
    in the official order must pass, so that position fills a field worded oddly (惠及企业数 where 年服务中小
    企业户数 stands) but never gives a field to a column that names something else (专利数, 占地（亩）)."""
    k = label_key(text)
    bare = fold_unbracketed(k) or k
    if unlike(vocabulary(form_id), fi, bare):
        return False
    head = head_noun(bare)
    return not head or any(head in gs for gs in vocabulary(form_id).grams[fi])


def unlike(v: Vocab, fi: int, bare: str) -> bool:
    """The label holds a word the form model says makes it another concept than field `fi` (占地 for 建筑面积),
    read without the 其中 that opens a part (其中小微企业数 holds no 中小微)."""
    bare = bare.replace("其中", "")
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
    if not rest or not head_noun(rest) or head_of_field(rest, form_id, fi):
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
    k = label_key(SEPARATORS.split(text.strip())[-1] or text)      # a group glued on before is no qualifier
    core = without_count_word(fold_unbracketed(k) or k)
    own = {without_count_word(w) for w in (*v.spellings[fi], *v.terms[fi])}
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
    return tuple(sorted(g for g in out if len(g) == 2 and HAN.fullmatch(g[0]) and HAN.fullmatch(g[1])))


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


def says_part(text: str, f: Field) -> bool:
    """The header says it is a part of something ("其中：小微企业数", "其中大学生创业人数") and the field is no part
    of anything (no `part_of`, its label no 其中…): such a column breaks down the column before it — it is not
    the field, however alike their words (the field's own total would be read as its part)."""
    return marks_part(text) and not (f.part_of or marks_part(f.label))
