"""Recognise a cell's text as a field label of a form, however it was typed.

Labels come from the form model only (`Field.label_keys`); this module adds the
tolerance for what clerks do to them: units on a second line without brackets,
"其中：" prefixes dropped or added, trailing colons (handled by `fold`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterable

from ..forms import get_form
from ..text import fold, fold_unbracketed

UNIT_WORDS = ("万元", "平方米", "千米", "公里", "元/每年每平方米", "元/年/平方米", "人", "户", "个", "场", "家", "次", "㎡", "m2", "元")
TOTAL_WORDS = ("合计", "汇总", "小计", "总计", "累计", "共计")
_TOTAL_CHARS = frozenset("".join(TOTAL_WORDS))
# the only first / last characters a total label can have (before folding): the cheap test per cell
_TOTAL_FIRST = frozenset(w[0] for w in TOTAL_WORDS) | frozenset(" \u3000\t(（")
_TOTAL_LAST = frozenset(w[-1] for w in TOTAL_WORDS) | frozenset(" \u3000\t)）:：")
TOTAL_PREFIX_MAX = 12       # "忻州市忻府区小计", "全市合计": a place (or 本页/以上) before the total word
NOTE_PREFIXES = ("注", "备注", "说明", "填表说明", "填报说明")
SIGN_PREFIXES = ("填表人", "填报人", "制表人", "审核人", "单位负责人", "负责人", "统计负责人", "填表日期", "填报日期", "盖章")
ORG_PREFIXES = ("填报单位", "填表单位", "报送单位", "申报单位")
END_MARKS = ("以下空白", "以下无", "以下为空", "此页空白", "此行以下空白")
TITLE_TAILS = ("一览表", "统计表", "明细表", "登记表")
# a label that differs only by these endings names the same field ("服务人员数量" = "服务人员数")
STEM_SUFFIXES = ("数量", "金额", "户数", "个数", "数", "额")
STEM_SYNONYMS = (("日期", "时间"),)
# what clerks type for the "x 市 x 县" of a sample row
PLACEHOLDER_CHARS = "xX×✕✖╳*＊ｘＸⅹ"


_UNIT_KEYS = tuple(fold(u) for u in UNIT_WORDS)
# the row classifiers fold the same cell (often the firm name) several times per data row
cached_fold = lru_cache(maxsize=4096)(fold)
_SIGN_KEYS = tuple(fold(p) for p in SIGN_PREFIXES)       # folded once: these run for every data row
_UNIT_INNER = frozenset(_UNIT_KEYS) | {"元/年/平方米", "元/每年每平方米", "人次"}
_NOTE_MARK = re.compile(r"^\s*[（(]?\s*备\s*注")
_ORG_KEYS = tuple(fold(p) for p in ORG_PREFIXES)
_END_KEYS = tuple(fold(p) for p in END_MARKS)
# first characters of every line kind `line_kind` knows, and the last of a title: other text skips it
_LINE_FIRST = frozenset("".join(k[0] for k in (*NOTE_PREFIXES, *SIGN_PREFIXES, *ORG_PREFIXES, *END_MARKS)) + "附（(【[〔—-")
_LINE_LAST = frozenset("表）)】]见日")
_SIGN_TAILS = ("意见", "年月日")     # "县（市、区）中小企业管理部门意见", "（盖章） 年 月 日"
_TITLE_FORM_NO = re.compile(r"^附件\d+$")
_PLACEHOLDERS = str.maketrans({c: "x" for c in PLACEHOLDER_CHARS})
_PLACEHOLDER_SET = frozenset(PLACEHOLDER_CHARS)
_SAMPLE_PLACE = re.compile(r"^x+市x+[县区]|xx+双创基地")
_BRACKETED = re.compile(r"\([^()]*\)")


def label_variants(text: object) -> list[str]:
    """The folded spellings of a label the index is looked up by (unbracketed, first line, unit and 其中 dropped)."""
    s = str(text)
    keys = [fold(s), fold_unbracketed(s)]
    first = s.replace("\r", "\n").split("\n", 1)[0]
    if first != s:
        keys += [fold(first), fold_unbracketed(first)]
    more = []
    for k in keys:
        for fu in _UNIT_KEYS:
            if k.endswith(fu) and len(k) > len(fu) + 1:
                more.append(k[: -len(fu)])
        if k.startswith("其中") and len(k) > 2:
            more.append(k[2:])
    return [k for k in dict.fromkeys(keys + more) if k]


@lru_cache(maxsize=None)
def label_index(form_id: str, part: str) -> dict[str, tuple[str, ...]]:
    """folded label -> field keys (in form order) of `part` ('table' or 'record')."""
    form = get_form(form_id)
    fields = form.table_fields if part == "table" else form.record_fields
    index: dict[str, list[str]] = {}
    for f in fields:
        if f.merge_only:
            continue
        keys = set(f.label_keys)
        for k in list(keys):
            if k.startswith("其中") and len(k) > 2:
                keys.add(k[2:])
        if f.combined:
            pass  # the combined label is handled by the record reader
        for k in keys:
            index.setdefault(k, [])
            if f.key not in index[k]:
                index[k].append(f.key)
    return {k: tuple(v) for k, v in index.items()}


def label_stem(key: str) -> str:
    """A folded label without the endings clerks add or drop (数/数量/金额/户数…) and with 日期 as 时间."""
    for a, b in STEM_SYNONYMS:
        key = key.replace(a, b)
    for suffix in STEM_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix) + 1:
            return key[: -len(suffix)]
    return key


@lru_cache(maxsize=None)
def stem_index(form_id: str, part: str) -> dict[str, tuple[str, ...]]:
    """stem -> the one field key it names; a stem that two fields of the form share names neither."""
    stems: dict[str, set[str]] = {}
    for key, fields in label_index(form_id, part).items():
        stems.setdefault(label_stem(key), set()).update(fields)
    return {s: tuple(f) for s, f in stems.items() if len(f) == 1}


@lru_cache(maxsize=200_000)
def _match(text: str, form_id: str, part: str) -> tuple[str, ...]:
    index = label_index(form_id, part)
    variants = label_variants(text)
    for k in variants:
        if k in index:
            return index[k]
    stems = stem_index(form_id, part)
    for k in variants:
        hit = stems.get(label_stem(k))
        if hit:
            return hit
    return ()


def match_label(value: object, form_id: str, part: str = "table") -> tuple[str, ...]:
    """Field keys whose label the cell shows (several for an ambiguous record label like 名称)."""
    if not isinstance(value, str) or not value.strip() or len(value) > 80:
        return ()
    return _match(value, form_id, part)


@lru_cache(maxsize=None)
def group_keys(form_id: str) -> frozenset[str]:
    form = get_form(form_id)
    out = {fold(f.group) for f in form.table_fields if f.group}
    out |= {fold_unbracketed(f.group) for f in form.table_fields if f.group}
    if form.number_label:
        out.add(fold(form.number_label))
    return frozenset(out)


@lru_cache(maxsize=None)
def section_keys(form_id: str) -> dict[str, str]:
    """folded section label -> section label (record forms)."""
    form = get_form(form_id)
    return {fold(f.section): f.section for f in form.fields if f.section}


@lru_cache(maxsize=4096)
def _is_total_key(k: str) -> bool:
    k = _BRACKETED.sub("", k) if "(" in k else k       # "合计（3个基地）"
    for w in TOTAL_WORDS:
        if k.endswith(w):
            return len(k) - len(w) <= TOTAL_PREFIX_MAX
        if k.startswith(w) and (k[len(w):].isdigit() or k[len(w):].rstrip("个家户人项").isdigit()):
            return True                                # "合计3家"
    return False


def is_total_text(value: object) -> bool:
    """A 合计/小计/汇总 label: a total word alone or at the end of a short label ("忻府区小计",
    "全市合计", "总 计"). A name that only starts with one ("汇总科技有限公司") is not."""
    if type(value) is not str or not value or (value[0] not in _TOTAL_FIRST and value[-1] not in _TOTAL_LAST):
        return False
    return len(value) <= 40 and _is_total_key(cached_fold(value))


def has_total_text(values: Iterable[object]) -> bool:
    """Any of `values` is a 合计/汇总 label; ordinary cells are passed over on their first and last character."""
    return any(is_total_text(v) for v in values
               if type(v) is str and v and (v[0] in _TOTAL_FIRST or v[-1] in _TOTAL_LAST))


@lru_cache(maxsize=64)
def _sample_key(text: str) -> str:
    return fold(text.translate(_PLACEHOLDERS))


def is_sample_text(value: object, sample: str | None = None) -> bool:
    """The sample row a form prints ("x 市 x 县（区）xx 双创基地"), however its placeholders were typed:
    ×, ✕, X, x, ＊ or * (fold drops '*', so placeholders become 'x' first). One predicate for the
    reader and the merge."""
    if not isinstance(value, str) or _PLACEHOLDER_SET.isdisjoint(value):
        return False
    k = fold(value.translate(_PLACEHOLDERS))
    return bool(k) and ((sample is not None and k == _sample_key(sample)) or bool(_SAMPLE_PLACE.search(k)))


def is_note_text(value: object) -> bool:
    if not isinstance(value, str):
        return False
    s = value.strip()
    k = cached_fold(s)
    if k.startswith(_SIGN_KEYS):
        return True
    if s.startswith(("注：", "注:", "注 ：", "注 :", "注1", "注 1", "（注", "(注")) or k.startswith(("备注", "填表说明", "填报说明")):
        return True
    if s.startswith(("（备注", "(备注", "说明：", "说明:")):
        return True
    return bool(_NOTE_MARK.match(s))


@lru_cache(maxsize=4096)
def _line_kind(s: str) -> str | None:
    k = cached_fold(s)
    if not k:
        return None
    bare = k.strip("()")
    if bare.startswith(_END_KEYS):
        return "end"
    if k.startswith(_ORG_KEYS) or _model_org(s):
        return "org"
    if is_note_text(s) or bare.startswith(_SIGN_KEYS) or k.endswith(_SIGN_TAILS):
        return "note"
    unbracketed = _BRACKETED.sub("", k) if "(" in k else k
    if unbracketed.endswith(_title_tails()) or _TITLE_FORM_NO.match(k):
        return "title"
    return None


@lru_cache(maxsize=None)
def _title_tails() -> tuple[str, ...]:
    """How a form's title ends (…申请表, …情况表, …询价表, …汇总表), from the form model, plus the
    generic 一览表/统计表/明细表; a shop called "…仪表" is not a title."""
    from ..forms import FORM_IDS
    tails = {fold(get_form(f).title)[-3:] for f in FORM_IDS if get_form(f).title}
    return tuple(sorted(tails | set(TITLE_TAILS)))


@lru_cache(maxsize=None)
def _model_org_words() -> tuple[str, ...]:
    """The words of the page lines the form models print for who fills or sends a form, beyond ORG_PREFIXES: every
    programme's `org_line` ("推荐单位（盖章）：" -> 推荐单位, "申请单位（运营管理单位公章）：" -> 申请单位)."""
    from ..forms.programmes import list_programmes, load_programme
    words = set()
    for name in list_programmes():
        for form in load_programme(name).forms.values():
            word = re.split(r"[(（:：]", unicodedata.normalize("NFKC", form.org_line or ""), maxsplit=1)[0].strip()
            if word and not fold(word).startswith(_ORG_KEYS):
                words.add(word)
    return tuple(sorted(words, key=len, reverse=True))


@lru_cache(maxsize=None)
def _model_org_line() -> re.Pattern[str] | None:
    """A line of one of _model_org_words: the word, perhaps spaced out, then a bracket (（盖章）) or a colon or a
    blank to fill (_____) — "推荐单位组织测评情况" (a title that opens with the word) is no such line, nor the word
    alone (太原's 推荐表 line 推荐单位, a column 推荐单位 naming each row's county)."""
    words = _model_org_words()
    if not words:
        return None
    spaced = "|".join(r"\s*".join(map(re.escape, w)) for w in words)
    return re.compile(r"^[\s(\[【〔]*(?:" + spaced + r")\s*(?:[(（][^()（）]{0,12}[)）]|[:：_＿])")


def _model_org(s: str) -> bool:
    pattern = _model_org_line()
    return pattern is not None and bool(pattern.match(unicodedata.normalize("NFKC", s)))


def line_kind(value: object) -> str | None:
    """What a line that starts with this text is, if not data: 'end' (以下空白), 'note' (注/备注/填表人…),
    'org' (填报单位…), 'title' (…情况表, 附件3), else None. Most names skip the work on their first
    and last characters."""
    if not isinstance(value, str):
        return None
    s = value.strip()
    if not s or (s[0] not in _line_first() and s[-1] not in _LINE_LAST and "以下" not in s[:4]):
        return None
    return _line_kind(s)


@lru_cache(maxsize=None)
def _line_first() -> frozenset[str]:
    """_LINE_FIRST and the first characters of the form models' own page-line words (_model_org_line)."""
    return _LINE_FIRST | frozenset(w[0] for w in _model_org_words())


#: the words a page line opens with (填报单位, 填表人, 备注…), each letter perhaps spaced out ("填 表 人")
_LINE_WORDS = tuple(sorted({*ORG_PREFIXES, *SIGN_PREFIXES, "备注", "填表说明", "填报说明"}, key=len, reverse=True))
_GLUED_WORD = re.compile(r"^[\s(\[【〔]*(?:" + "|".join(r"\s*".join(map(re.escape, w)) for w in _LINE_WORDS)
                         + r")(?=[^\s:：(（)）\[\]【】〔〕,，.。;；、_＿/-])")


def glued_line_word(value: object) -> bool:
    """Whether a text opens with a page line's word (填报单位, 填表人, 备注…) glued to more words, with no colon,
    space or bracket after it: "填报单位乙1科技有限公司" may be a firm's name; the label shapes "填报单位：…",
    "填报单位（盖章）", "填表人 王丽" or the word alone are not glued."""
    return isinstance(value, str) and bool(_GLUED_WORD.match(unicodedata.normalize("NFKC", value)))


@lru_cache(maxsize=None)
def record_label_keys() -> frozenset[str]:
    """Folded labels of every record (key/value) part: 附件2's fields, 附件4's head."""
    from ..forms import FORM_IDS
    out: set[str] = set()
    for form_id in FORM_IDS:
        if get_form(form_id).record_fields:
            out |= set(label_index(form_id, "record"))
    return frozenset(out)


@lru_cache(maxsize=None)
def _record_label_first() -> frozenset[str]:
    return frozenset(k[0] for k in record_label_keys() if k) | frozenset(" \u3000\t")


def is_record_label_text(value: object) -> bool:
    """A record form's label ("小微企业双创基地名称", "所在市：忻州市"): the line is another form's."""
    if type(value) is not str or not value or value[0] not in _record_label_first():
        return False
    keys = record_label_keys()
    if cached_fold(value) in keys:
        return True
    for colon in ("：", ":"):
        if colon in value:
            left = value.split(colon, 1)[0]
            return bool(left.strip()) and cached_fold(left) in keys
    return False


def is_unit_text(value: object) -> bool:
    """'（万元）', '单位：人', '户' — a units line under a header."""
    if not isinstance(value, str):
        return False
    k = cached_fold(value)
    if k.startswith("单位"):
        return True
    inner = k.strip("()")
    return inner in _UNIT_INNER


# "no base this year", however a county says it: 无, 暂无, 没有, 本县无申报, 我县今年没有符合条件的基地,
# 本年度未申报, 无拟推荐基地 … (a place or time, then a none word, then what there is none of: a phrase,
# never a name like 无锡…公司), perhaps with a note in brackets after it: 无（本县今年没有申报）
# who and when an answer speaks of, before its none word: 本县, 我区今年, 该单位2024年度
# when, before or after who: 目前我县…, 我县今年…, 本次不作推荐
_WHEN = r"(?:目前|当前|现阶段|截至目前|本次|此次|今年|本年|本年度|今年度|\d{4}年度?)?"
_WHO_WHEN = r"^" + _WHEN + r"(?:本|我|该|全)?(?:县|区|市|县区|县市区|县\(市区\)|县\(区\)|单位|地区)?" + _WHEN
_NO_BASE = re.compile(
    _WHO_WHEN + r"(?:暂|均|尚|目前|暂时)?(?:无|没有|未有|未)"
    r"(?:拟)?(?:申报|上报|报送|推荐|认定|符合条件|符合要求|新申报)?(?:的)?"
    r"(?:小微企业)?(?:双创)?(?:基地|项目|单位|数据|内容|情况|申报主体|主体|此项)?(?:申报|上报|报送|推荐)?"
    r"(?:\([^()]*\))?$")


# a nil return said as one word: 零报告, 零申报 (a form sent back to say there is nothing to report)
_NIL_RETURN = re.compile(r"^(?:本|我|该)?(?:县|区|市|单位)?(?:今年|本年|本年度|\d{4}年度?)?(?:为|系|属)?"
                         r"(?:零报告|零申报|零上报|零报送|空报)$")
# how the answer was reached, said before it ("经摸底排查，…", "根据通知要求，经核实，…"), and the close after it
# ("…，特此说明"): clauses of a sentence, apart from the answer, that name nothing
_LEAD_IN = re.compile(r"^(?:经|通过|根据|按照|依据|对照)[^，,；;：:0-9]{0,24}$")
# or what the office did to find out, naming no figure: 我局对全县小微企业双创基地进行了摸底
_LOOKED = re.compile(r"^(?:我|本)(?:局|县|区|市|单位|科)(?:对|经|通过|已|认真|组织|进行|开展|会同)[^0-9]{0,30}$")
_TITLED = re.compile(r"《[^《》]*》")     # a notice named in a lead-in (根据《关于组织开展2024年…的通知》要求): no figure
_CLOSE = re.compile(r"^特此(?:说明|报告|证明|函告)$")
MAX_ANSWER, MAX_ANSWER_SENTENCE = 40, 200     # an answer's length; with how it was found out and a close
_CLAUSES = re.compile(r"[，,；;：:。.!！]+")


@lru_cache(maxsize=4096)
def is_no_base_text(value: object) -> bool:
    """A cell that answers "no base" (无, 暂无, 本县无申报, 今年没有申报的基地, 零报告), not a name that holds 无;
    the answer may be the last clause of a sentence opened by how it was reached ("经摸底排查，我县今年没有
    符合条件的基地申报。") and closed by 特此说明."""
    if type(value) is not str or not value.strip() or len(value) > MAX_ANSWER_SENTENCE:
        return False
    if len(value) <= MAX_ANSWER and _answers_no_base(cached_fold(value)):
        return True
    clauses = [c for c in _CLAUSES.split(_TITLED.sub("《》", unicodedata.normalize("NFKC", value).strip())) if c.strip()]
    while len(clauses) > 1 and _CLOSE.match(cached_fold(clauses[-1])):
        clauses.pop()
    if not clauses or not _answers_no_base(cached_fold(clauses[-1])):
        return False        # the answer is the conclusion: nothing but a close after it
    # before it: how it was found out, or the answer said once more (…无符合申报条件的基地，不予推荐)
    return all(_LEAD_IN.match(k) or _LOOKED.match(k) or _answers_no_base(k) for k in map(cached_fold, clauses[:-1]))


def _answers_no_base(folded: str) -> bool:
    if _NO_BASE.match(folded) or _NIL_RETURN.match(folded):
        return True
    m = _NONE_WORD.match(folded)
    rest = folded[m.end():] if m else ""
    return bool(m) and (bool(rest) or not folded.endswith("不")) and _only_none_of_words(rest)   # 不 alone: no answer


# a place or time, then a none word: what follows must say only what there is none of (data: no_base_words)
_NONE_WORD = re.compile(_WHO_WHEN + r"(?:暂|均|尚|目前|暂时|仍|还)?(?:没有|未有|暂无|无|未|不)")


def _only_none_of_words(rest: str) -> bool:
    """`rest` is made of no_base_words alone (longest first at each place), an optional note in brackets at its end."""
    rest = _TAIL_NOTE.sub("", rest)
    words = _none_of_words()
    i = 0
    while i < len(rest):
        w = next((w for w in words if rest.startswith(w, i)), None)
        if w is None:
            return False
        i += len(w)
    return True


_TAIL_NOTE = re.compile(r"\([^()]*\)$")


@lru_cache(maxsize=None)
def _none_of_words() -> tuple[str, ...]:
    """names.yaml's no_base_words and what each shipped programme's application is about (its noun: 太原's 平台,
    so that "我区今年无推荐平台" is an answer)."""
    from ..forms import name_words
    from ..forms.programmes import known_programmes
    words = {*(name_words().get("no_base_words") or ()), *(p.noun for p in known_programmes())}
    return tuple(sorted({fold(w) for w in words}, key=len, reverse=True))


_ORDINAL = re.compile(r"^\s*(?:[（(]?[一二三四五六七八九十]{1,3}[)）、.．]|[（(]\d{1,2}[)）]|\d{1,2}[、．])\s*\S")


def section_title(text: str) -> str:
    """A section line without its ordinal: "二、晋中开发区（代报）" -> "晋中开发区（代报）"."""
    m = _ORDINAL.match(text)
    return text[m.end() - 1:].strip() if m else text.strip()


_COUNT_TAIL = re.compile(r"\s*[（(][^（()）]*[)）]\s*$")
_TAIL_BRACKET = re.compile(r"\s*[（(【\[]\s*([^（()）【】\[\]]{1,12}?)\s*[)）】\]]\s*$")


@lru_cache(maxsize=None)
def _status_words() -> re.Pattern:
    from ..forms import name_words
    words = sorted((fold(w) for w in name_words().get("status_tags") or ()), key=len, reverse=True)
    return re.compile(r"^(?:\d{4}年度?)?(?:" + "|".join(map(re.escape, words)) + r")(?:基地)?$") if words \
        else re.compile(r"(?!)")


def status_tag(name: object) -> tuple[str, str] | None:
    """(the name, the tag) of a base's name that ends in a bracketed status of the submission — "…双创基地（续报）",
    "…（2024年新申报）", "…【拟推荐】" (data/names.yaml status_tags) — else None: a bracket that is part of a name
    (…（晋中）双创基地, …（一期）) is kept."""
    if type(name) is not str or not name.endswith((")", "）", "】", "]")):
        return None
    m = _TAIL_BRACKET.search(name)
    if m is None or not _status_words().match(fold(m.group(1))):
        return None
    rest = name[:m.start()].rstrip()
    return (rest, name[m.start():].strip()) if rest else None


_SAID_BASE = re.compile(r"^([^：:]{1,10})[：:]\s*(\S.*)$")


@lru_cache(maxsize=None)
def base_column_words() -> frozenset[str]:
    """Headers of a firm list's column naming each row's base (and labels typed before a base's name, 所属基地：…):
    data/names.yaml's base_column and the form model's words for a base's name (附件10's 基地名称: its label,
    aliases and terms — 载体名称, 园区名称, 双创基地)."""
    from ..forms import get_form, name_words
    from ..forms.roles import BASE_FORM, BASE_NAME
    base_name = next(f for f in get_form(BASE_FORM).fields if f.identity == BASE_NAME)
    said = (*(name_words().get("base_column") or ()), *base_name.labels, *base_name.terms)
    return frozenset(fold_unbracketed(w) or fold(w) for w in said)


@lru_cache(maxsize=None)
def _list_tails() -> tuple[str, ...]:
    from ..forms import name_words
    return tuple(sorted(name_words().get("list_tails") or (), key=len, reverse=True))


def base_section_name(text: str) -> str | None:
    """The base a section line of a firm list names ("一、长治市潞州区智谷双创基地（6户）" -> "长治市潞州区智谷双创
    基地"), or None: the line without its ordinal and a bracketed tail must end like a base's name
    (data/names.yaml), and either carry an ordinal or say 基地 — a firm's name typed alone on its row
    (xx服务中心) is no section. A label before it ("基地：…", "所属基地：…") and the list's own words after it
    ("…双创基地入驻企业", data/names.yaml list_tails) are not the name."""
    if type(text) is not str or len(text) > 60:
        return None
    from .profile import BASE_ENDINGS, ORG_ENDINGS
    name = _COUNT_TAIL.sub("", section_title(text)).strip()
    said = _SAID_BASE.match(name)             # "基地：…", "所属基地：…": the label of the name typed before it
    labelled = said is not None and (fold_unbracketed(said.group(1)) in base_column_words()
                                     or said.group(1).strip().endswith("基地"))
    if said is not None and labelled:
        name = said.group(2).strip()
    tail = next((w for w in _list_tails() if name.endswith(w) and name[: -len(w)].endswith(BASE_ENDINGS)), "")
    name = name[: len(name) - len(tail)] if tail else name      # "…双创基地入驻企业": the list's words after it
    if len(name) < 4 or not name.endswith(BASE_ENDINGS):
        return None
    if not (_ORDINAL.match(text) or "基地" in name or labelled or tail):
        return None
    if any(name.endswith(e) for e in ORG_ENDINGS if e not in BASE_ENDINGS):
        return None
    return name


@lru_cache(maxsize=4096)
def is_section_text(value: object) -> bool:
    """A section line in a list of bases: an ordinal and a heading ("一、榆次区", "（二）开发区（代报）"), or a
    place alone ("榆次区", "晋中市太谷区")."""
    if type(value) is not str or not value.strip() or len(value) > 30:
        return False
    if _ORDINAL.match(value):
        return True
    from ..identity import locate
    city, county = locate(value)
    if not (city or county):
        return False
    rest = fold_unbracketed(value)
    for name in (city, county, (city or "")[:-1]):
        if name and len(name) >= 2:
            rest = rest.replace(fold(name), "", 1)
    return len(rest) <= 2


_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九十", 0)}
_ORDINAL_TEXT = re.compile(r"^[\s(（\[【]*([0-9]{1,3}|[一二三四五六七八九十]{1,3}|[\u2460-\u2473])[\s)）\]】.、．]*$")


def ordinal(v: object) -> int | None:
    """The number of a column-number cell: 3, 3.0, "3", "(3)", "（三）", "③"; None for anything else."""
    if type(v) is int or type(v) is float:     # exactly these types (not bool), as mypy narrows them
        return int(v) if float(v).is_integer() else None
    if type(v) is not str or len(v) > 8:
        return None
    m = _ORDINAL_TEXT.match(v)
    if not m:
        return None
    t = m.group(1)
    if t.isascii():
        return int(t)
    if "\u2460" <= t <= "\u2473":
        return ord(t) - 0x2460 + 1
    if len(t) == 1:
        return _CN_DIGITS[t]
    if t[0] == "十":
        return 10 + _CN_DIGITS.get(t[1], 0)
    return _CN_DIGITS[t[0]] * 10 + (_CN_DIGITS.get(t[2], 0) if len(t) == 3 else 0)


def is_column_numbers(cells: list) -> bool:
    """A '1 2 3 …' line under a header (numbers or ordinals such as "(1)" "①"): three or more filled cells
    counting up by one from 0 or 1; `cells` are the line's non-empty cells."""
    if len(cells) < 3:
        return False
    nums = [n for n in map(ordinal, cells) if n is not None]
    return len(nums) == len(cells) and nums[0] in (0, 1) and all(b - a == 1 for a, b in zip(nums, nums[1:]))
