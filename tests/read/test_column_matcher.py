"""Columns are matched to fields by what they mean: property tests over generated headers.

Headers are drawn per field from the clerk wordings of tests/fixtures/retyped.py (not the form
model's words), the field's label, any unit of its family, bracket styles and line breaks; the
tables are read from memory (read_grids) with a few data rows under them.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from retyped import CLERK_WORDS, base_values, firm_values
from xlbase.forms import get_form, unit_families
from xlbase.read.grid import Sheet
from xlbase.read.column_head import ColumnHead
from xlbase.read.header_concepts import counts_other_thing, qualifier
from xlbase.read.header_words import word_scores
from xlbase.read.matcher import match_columns
from xlbase.read.units import field_family, header_unit
from xlbase.read.workbook import read_grids

BRACKETS = [("（", "）"), ("(", ")"), ("【", "】"), ("/", ""), ("\n", ""), ("\n（", "）"), (" ", "")]
A10 = get_form("附件10").official_table_fields
A3 = get_form("附件3").official_table_fields


def _words(form_id: str, key: str) -> list[str]:
    f = get_form(form_id).field(key)
    own = CLERK_WORDS.get(key + "3" if form_id == "附件3" and key + "3" in CLERK_WORDS else key, [])
    return [f.label, *own]


@st.composite
def header_cell(draw, form_id: str, key: str) -> str:
    """One header as a clerk types it: a wording, perhaps a unit of the field's family in some bracket
    style, perhaps a line break inside."""
    f = get_form(form_id).field(key)
    word = draw(st.sampled_from(_words(form_id, key)))
    if len(word) > 3 and draw(st.booleans()):
        at = draw(st.integers(1, len(word) - 1))
        word = word[:at] + "\n" + word[at:]
    fam = field_family(f)
    if fam and draw(st.booleans()):
        unit = draw(st.sampled_from(sorted(unit_families()[fam]["units"])))
        left, right = draw(st.sampled_from(BRACKETS))
        word = f"{word}{left}{unit}{right}"
    return word


def _values(form_id: str, n: int) -> list[dict]:
    rng = random.Random(n)
    if form_id == "附件10":
        return [base_values(rng, f"忻州市忻府区测试{i}号双创基地", f"忻州测试{i}运营有限公司") for i in range(n)]
    return [firm_values(rng, i, "忻府区") for i in range(n)]


def _sheet(form_id: str, heads: list[str], keys: list[str], n_rows: int = 3) -> Sheet:
    rows = [["2024年表格"], ["序号", *heads]]
    for i, v in enumerate(_values(form_id, n_rows), 1):
        rows.append([i] + [("是" if v[k] else "否") if isinstance(v[k], bool) else v[k] for k in keys])
    width = max(map(len, rows))
    return Sheet("Sheet1", [r + [""] * (width - len(r)) for r in rows])


def _read(form_id: str, sheet: Sheet):
    wr = read_grids("t.xlsx", [sheet])
    tables = [t for t in wr.tables if t.form_id in (form_id, "附件11" if form_id == "附件10" else form_id)]
    assert tables, [p.message for p in wr.problems]
    return tables[0], wr


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("form_id, fields", [("附件10", A10), ("附件3", A3)])
@SETTINGS
@given(data=st.data())
def test_every_column_of_a_retyped_header_reaches_its_field(form_id, fields, data):
    keys = [f.key for f in fields]
    heads = [data.draw(header_cell(form_id, k)) for k in keys]
    t, wr = _read(form_id, _sheet(form_id, heads, keys))
    assert {k: t.columns.get(k) for k in keys} == {k: i + 2 for i, k in enumerate(keys)}, heads
    assert not [p for p in wr.problems if p.rule in ("unknown-column", "missing-column") and p.severity != "info"]


GROUP_CHARS = "基础本信息概况运营经营数据指标年度成果服务情况合作主体单位资料登记统计其他核心"
GLUE = ["-", "—", "_", "：", ":", "|", "·", "/", " - "]


@pytest.mark.parametrize("form_id, fields", [("附件10", A10), ("附件3", A3)])
@SETTINGS
@given(data=st.data())
def test_a_prefix_glued_on_by_several_headers_is_their_group_whatever_its_words(form_id, fields, data):
    """A one-row header whose clerk glued his own section names on ("基础信息-基地", "基础信息-运营机构" …,
    "运营数据-税收/元"): a prefix several columns share before a separator is their group, not part of each
    label — even where it is none of the form's groups and the rest is a single generic word (基地, 名称)."""
    keys = [f.key for f in fields]
    cuts = sorted(data.draw(st.sets(st.integers(1, len(keys) - 1), min_size=1, max_size=3)))
    runs = [keys[a:b] for a, b in zip([0, *cuts], [*cuts, len(keys)])]
    heads = []
    for run in runs:
        prefix = data.draw(st.text(GROUP_CHARS, min_size=2, max_size=5).filter(
            lambda g: not g.startswith("其中") and not any(s >= 0.5 for _, s, _ in word_scores(g, form_id))))
        glue = data.draw(st.sampled_from(GLUE))
        for k in run:
            head = data.draw(header_cell(form_id, k))
            heads.append(f"{prefix}{glue}{head}" if len(run) > 1 else head)
    t, wr = _read(form_id, _sheet(form_id, heads, keys))
    assert {k: t.columns.get(k) for k in keys} == {k: i + 2 for i, k in enumerate(keys)}, heads


@pytest.mark.parametrize("form_id, fields", [("附件10", A10), ("附件3", A3)])
@SETTINGS
@given(data=st.data())
def test_omitted_columns_are_missing_and_the_rest_still_match(form_id, fields, data):
    keys = [f.key for f in fields]
    drop = data.draw(st.sets(st.sampled_from(keys[2:]), max_size=len(keys) // 3))
    kept = [k for k in keys if k not in drop]
    heads = [data.draw(header_cell(form_id, k)) for k in kept]
    t, _ = _read(form_id, _sheet(form_id, heads, kept))
    got = {k: c for k, c in t.columns.items() if k in keys}
    wrong = {k: c for k, c in got.items() if k in kept and c != kept.index(k) + 2}
    assert not wrong, "|".join(heads) + f" {wrong}"
    assert not set(got) & drop, "|".join(heads) + f" {sorted(drop)} {got}"


@pytest.mark.parametrize("form_id, fields", [("附件10", A10), ("附件3", A3)])
@SETTINGS
@given(data=st.data())
def test_permuted_columns_match_by_their_words_and_values(form_id, fields, data):
    """Out of the official order only words, units and values decide: the official labels and the
    form's own spellings must all land, and nothing may land on a wrong column."""
    keys = data.draw(st.permutations([f.key for f in fields]))
    form = get_form(form_id)
    heads = [data.draw(st.sampled_from(form.field(k).labels)) for k in keys]
    t, _ = _read(form_id, _sheet(form_id, heads, keys))
    assert {k: t.columns.get(k) for k in keys} == {k: i + 2 for i, k in enumerate(keys)}, heads


@given(st.lists(st.sampled_from(sorted({w for ws in CLERK_WORDS.values() for w in ws} | {"备注", "联系人", "金额", "数量"})),
                min_size=3, max_size=30))
@settings(max_examples=200, deadline=None)
def test_no_two_columns_share_a_field_and_no_column_two_fields(texts):
    heads = tuple(ColumnHead(i, t) for i, t in enumerate(texts))
    for form_id in ("附件10", "附件3"):
        got = match_columns(heads, form_id)
        cols = list(got.columns.values())
        assert len(cols) == len(set(cols))          # one field per column
        assert set(got.columns) <= {f.key for f in get_form(form_id).table_fields}


def test_a_tie_is_decided_by_the_whole_table_not_by_who_came_first():
    """'服务企业户数' alone leans to 年服务中小企业户数 and a little to 已入驻企业数; with 入驻企业 taken by its
    own column, both land right, whichever comes first."""
    heads = ("服务企业户数", "入驻企业")
    for order in (heads, heads[::-1]):
        got = match_columns(tuple(ColumnHead(i, t, profile=(("int", 20),)) for i, t in enumerate(order)), "附件10")
        assert got.columns == {"smes_served": order.index("服务企业户数"), "resident_firms": order.index("入驻企业")}


@pytest.mark.parametrize("text, key", [("营收（万元）", "revenue"), ("纳税", "taxes"), ("当年投资", "investment_completed"),
                                       ("小升规", "upgraded_firms"), ("政府资金支持", "gov_funding"),
                                       ("服务企业户数", "smes_served"), ("孵化成功数", "incubated_firms"),
                                       ("参赛企业数", "contest_firms"), ("高新技术企业", "hightech_firms")])
def test_the_issue_wordings_name_their_field(text, key):
    assert word_scores(text, "附件10")[0][0] == key


def test_a_money_column_between_its_neighbours_is_read_by_the_official_order():
    """A header that says only 金额 sits where 营业收入 belongs (between 建筑面积 and 上缴税金): read as 营业收入,
    with a warning that it was read by position."""
    keys = [f.key for f in A10]
    heads = [f.label for f in A10]
    heads[keys.index("revenue")] = "金额"
    t, wr = _read("附件10", _sheet("附件10", heads, keys, 1))
    assert t.columns["revenue"] == keys.index("revenue") + 2
    (p,) = [p for p in wr.problems if p.rule == "column-by-position"]
    assert p.field == "revenue" and p.severity == "warning" and "“金额”" in p.message


def test_a_column_of_phone_numbers_is_never_taken_by_position():
    keys = [f.key for f in A3]
    heads = [f.label for f in A3]
    sheet = _sheet("附件3", heads[:-1] + ["联系电话"], keys)
    for r in sheet.rows[2:]:
        r[len(keys)] = "13912345678"
    t, wr = _read("附件3", sheet)
    assert "taxes" not in t.columns
    (p,) = [p for p in wr.problems if p.rule in ("unknown-column", "extra-column")]
    assert p.rule == "extra-column" and p.severity == "info" and "联系电话" in p.message         # the form model's no-field: decided, not in doubt


def test_dates_of_registration_are_not_taken_for_a_count_of_firms():
    """'入驻' in the header, dates below: 入驻时间 of 附件3, not 已入驻企业数 — the values decide."""
    heads = [f.label for f in A3]
    heads[2] = "入驻"
    t, _ = _read("附件3", _sheet("附件3", heads, [f.key for f in A3]))
    assert t.columns["entered_on"] == 4
    assert isinstance(t.data["entered_on"].iloc[0], dt.date)


@pytest.mark.parametrize("text, unit, key", [("举办活动场次\n人次", "人次", "service_events"),
                                             ("举办活动场次 人次", "人次", "service_events"),
                                             ("服务企业户数\n户", "户", "smes_served"),
                                             ("服务场次", None, "service_sessions"),
                                             ("服务\n场次", None, "service_sessions")])
def test_a_count_unit_after_a_counted_label_is_its_unit(text, unit, key):
    """A count unit typed after a label that already ends in its counting word (活动场次 + 人次, on a second
    line or after a space) is the column's unit, not part of what is counted: 举办活动场次/人次 counts 活动.
    A label that merely ends in a count word (服务场次) states no unit."""
    from xlbase.read.units import header_unit
    assert header_unit(text) == unit
    assert word_scores(text, "附件10")[0][0] == key


def _counting_labels() -> list[tuple[str, str, str]]:
    """(form, field, label) for every official label of a table form ending in a counting unit + 数
    (服务次数, 孵化成功企业户数 …): the labels a clerk may write as 服务（次）数."""
    counts = {u for fam in unit_families().values() if fam["counts"] for u in fam["units"]}
    out = []
    for form_id, fields in (("附件10", A10), ("附件3", A3)):
        for f in fields:
            if len(f.label) > 3 and f.label.endswith("数") and f.label[-2] in counts:
                out.append((form_id, f.key, f.label))
    return out


@pytest.mark.parametrize("form_id, key, label", _counting_labels())
@settings(max_examples=20, deadline=None)
@given(style=st.sampled_from(BRACKETS[:3]), tail=st.sampled_from(["", "（{u}）", "/{u}", "\n{u}"]))
def test_a_counting_unit_bracketed_inside_the_label_keeps_the_word(form_id, key, label, style, tail):
    """服务（次）数, 孵化成功企业（户）数: the unit marked inside the counting word is that word's first
    character, so the label still names its field (cutting it left 服务数, which named nothing and lost the
    column of a glued header such as 合作机构情况-服务（次）数(次))."""
    unit = label[-2]
    left, right = style
    text = f"{label[:-2]}{left}{unit}{right}数" + tail.format(u=unit)
    assert word_scores(text, form_id)[0][0] == key
    assert word_scores(text, form_id)[0][1] == word_scores(label, form_id)[0][1]


def test_a_converted_column_is_said_the_way_a_clerk_reads_it():
    """“占地（亩）”列 … 按“亩”换算为平方米（×666.67）: the header, the range, the unit and the factor in one
    plain sentence (it read "表格上方注明单位是“亩”，“占地”，该列…的数值已乘以 666.667 …")."""
    keys = [f.key for f in A3]
    heads = [f.label for f in A3]
    heads[keys.index("area")] = "厂房面积（亩）"
    heads[keys.index("revenue")] = "营业收入（元）"
    t, wr = _read("附件3", _sheet("附件3", heads, keys, 2))
    said = {p.field: p.message for p in wr.problems if p.rule == "column-unit-converted"}
    assert said["area"].endswith("“厂房面积（亩）”列（E3:E4）按“亩”换算为平方米（×666.67）后读取。"), said
    assert said["revenue"].endswith("“营业收入（元）”列（G3:G4）按“元”换算为万元（÷10000）后读取。"), said


def test_a_missing_column_names_only_headers_that_could_be_it():
    """营业收入 not found beside 主导产业, 备注 and 资产总额（万元）: none of them is offered as the column ("如果“主导
    产业”、“备注”就是该列" read as nonsense)."""
    keys = [f.key for f in A10]
    heads = [f.label for f in A10]
    for odd in ("主导产业", "备注", "资产总额（万元）"):
        heads[keys.index("revenue")] = odd
        _, wr = _read("附件10", _sheet("附件10", heads, keys, 2))
        (p,) = [p for p in wr.problems if p.rule == "missing-column" and p.field == "revenue"]
        assert odd not in p.message and "请按通知中的表样补上" in p.message, p.message


QUANTITIES = [(form_id, f.key) for form_id, fields in (("附件10", A10), ("附件3", A3)) for f in fields if f.is_numeric]
SCOPE = ["", "当年", "上年", "本年度", "总", "现有", "全年"]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(QUANTITIES), st.sampled_from(SCOPE), st.data())
def test_a_header_in_the_fields_own_words_is_neither_another_thing_nor_in_doubt(case, scope, data):
    """A field's own label, alias or distinctive term, after a scope word (当年, 总, 现有) and before a counting
    word or unit: never "counts another thing" (dropped) nor "a qualifier in doubt" (warned) — only what the
    form model's words do not say can make a header another concept."""
    form_id, key = case
    f = get_form(form_id).field(key)
    word = data.draw(st.sampled_from([w for w in (f.label, *f.aliases, *f.terms) if len(w) >= 2
                                      and header_unit(w) is None]))      # 平米 alone is a unit, no label
    tail = data.draw(st.sampled_from(["", "数", "（万元）" if field_family(f) == "money" else "（个）"]))
    text = f"{scope}{word}{tail}"
    fi = [g.key for g in get_form(form_id).table_fields if not g.merge_only].index(key)
    assert not counts_other_thing(text, form_id, fi), text
    assert qualifier(text, form_id, key) == "", text


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(QUANTITIES), st.data())
def test_a_header_sharing_only_a_counting_word_with_a_field_counts_another_thing(case, data):
    """学员人数, 专利数量, 大学生创业户数: a thing none of the field's words name, then a counting word — whatever
    else it shares with the field, it counts that thing, never the field."""
    form_id, key = case
    f = get_form(form_id).field(key)
    own = "".join((f.label, *f.aliases, *f.terms))
    noun = data.draw(st.sampled_from([n for n in ("学员", "专利", "大学生创业", "志愿者", "宿舍", "车位", "商标")
                                      if not set(n) & set(own)]))
    text = noun + data.draw(st.sampled_from(["人数", "数", "户数", "数量", "个数"]))
    fi = [g.key for g in get_form(form_id).table_fields if not g.merge_only].index(key)
    assert counts_other_thing(text, form_id, fi), text


def _shared_word_pairs() -> list[tuple[str, str, str, str]]:
    """(form, field a, field b, word) for two quantities of a table form whose own words (labels, aliases,
    terms) share a two-character word that is no counting fragment (人员, 服务, 企业, 场次 …): the word a
    stranger may type alone, which names either field."""
    import re
    from xlbase.text import fold, fold_unbracketed
    out = []
    for form_id, fields in (("附件10", A10), ("附件3", A3)):
        nums = [f for f in fields if f.is_numeric]

        def bigrams(f):
            ws = {fold_unbracketed(t) or fold(t) for t in (*f.labels, *f.terms)}
            return {w[i:i + 2] for w in ws for i in range(len(w) - 1)
                    if re.fullmatch(r"[\u4e00-\u9fff]{2}", w[i:i + 2]) and w[i + 1] not in "数户"}
        for i, a in enumerate(nums):
            for b in nums[i + 1:]:
                out += [(form_id, a.key, b.key, w) for w in sorted(bigrams(a) & bigrams(b))]
    return out


def _distinct_words(form_id: str, key: str, other: str) -> list[str]:
    """A stranger's words (tests/fixtures/retyped.py) that name `key` alone and share no two characters with
    any word of `other`."""
    g = get_form(form_id).field(other)
    theirs = "|".join((*g.labels, *g.terms))
    return [w for w in _words(form_id, key)[1:]
            if word_scores(w, form_id) and word_scores(w, form_id)[0][0] == key
            and not any(w[i:i + 2] in theirs for i in range(len(w) - 1))]


SHARED = [(fid, a, b, w) for fid, a, b, w in _shared_word_pairs()
          if _distinct_words(fid, a, b) or _distinct_words(fid, b, a)]


@pytest.mark.parametrize("form_id, a, b, shared", SHARED)
@settings(max_examples=12, deadline=None)
@given(data=st.data())
def test_two_columns_one_with_a_fields_own_word_one_with_a_shared_word_each_get_their_field(form_id, a, b,
                                                                                                 shared, data):
    """Two fields share a word (人员 in 基地服务人员数 and 吸纳就业人员数, 企业 in six counts): one column says its
    field's own everyday word, the other only the shared word, each in its official place. The assignment is
    one decision: the column with the distinctive word takes its field, the other its place's — never the
    two swapped, never one dropped, whichever of the two fields gets the distinctive word."""
    fields = {"附件10": A10, "附件3": A3}[form_id]
    keys = [f.key for f in fields]
    pair = [(a, b), (b, a)]
    pair = [p for p in pair if _distinct_words(form_id, p[0], p[1])]
    own, plain = data.draw(st.sampled_from(pair))
    heads = [f.label for f in fields]
    heads[keys.index(own)] = data.draw(st.sampled_from(_distinct_words(form_id, own, plain)))
    unit = get_form(form_id).field(plain).unit
    left, right = data.draw(st.sampled_from(BRACKETS[:3]))
    heads[keys.index(plain)] = shared + data.draw(st.sampled_from(["", f"{left}{unit}{right}" if unit else ""]))
    t, wr = _read(form_id, _sheet(form_id, heads, keys))
    got = {k: t.columns.get(k) for k in (own, plain)}
    assert got == {own: keys.index(own) + 2, plain: keys.index(plain) + 2}, (heads[keys.index(own)],
                                                                          heads[keys.index(plain)], got)
    assert not [p for p in wr.problems if p.rule == "unknown-column" and p.severity != "info"]


def test_a_staff_word_in_the_service_staffs_place_leaves_employment_to_its_own_word():
    """A 附件10 typed by a stranger: 员工(人) where 基地服务人员数 stands, 带动就业（人） where 吸纳就业人员数 stands.
    带动就业 is employment's own word, 员工 a word for people several fields count: the two claims on 吸纳就业人员数
    are settled by the whole table — words and the official order — not by who came first."""
    keys = [f.key for f in A10]
    for staff, jobs in (("员工(人)", "带动就业（人）"), ("员工数", "带动就业人数"), ("员工", "解决就业")):
        heads = [f.label for f in A10]
        heads[keys.index("service_staff")], heads[keys.index("employees")] = staff, jobs
        t, wr = _read("附件10", _sheet("附件10", heads, keys))
        got = {k: t.columns.get(k) for k in ("service_staff", "employees")}
        assert got == {"service_staff": keys.index("service_staff") + 2, "employees": keys.index("employees") + 2}, \
            (staff, jobs, got)
        assert not [p for p in wr.problems if p.rule in ("unknown-column", "missing-column")
                    and p.severity != "info"], (staff, jobs)
        # not silent: the staff column read by its place is said, at its header
        assert [p for p in wr.problems if p.field == "service_staff" and p.severity == "warning"], (staff, jobs)


# words a stranger may put before a field's head noun that no form of the programme uses: each may make another
# amount (减免税金 is tax relief, 使用面积 usable area, 应缴 owed, 预计 expected) or be a flourish
UNKNOWN_QUALIFIERS = ["减免", "使用", "应缴", "预计", "可用", "返还", "欠缴", "意向", "出租", "闲置", "对外", "线上"]


def _amounts_with_one_kind() -> list[tuple[str, str, str]]:
    """(form, field, head noun) for the amounts (money, area: no count) whose own words put one kind of word before
    their head noun, at most (建筑面积; 上缴税金): the fields where a word no form knows in that place says another
    amount may be meant. (获得政府支持资金 with 专项资金, 奖励资金 … already varies it: 争取资金 is its wording.)"""
    from xlbase.read.label_text import without_count_word
    from xlbase.text import fold, fold_unbracketed
    out = []
    for form_id, fields in (("附件10", A10), ("附件3", A3)):
        for f in fields:
            fam = field_family(f)
            if not f.is_numeric or fam is None or unit_families()[fam]["counts"]:
                continue
            head = without_count_word(fold_unbracketed(f.label) or fold(f.label))[-2:]
            words = {without_count_word(fold_unbracketed(t) or fold(t)) for t in (*f.labels, *f.terms)}
            if len({w[:-2] for w in words if w.endswith(head) and len(w) > 2}) < 2:
                out.append((form_id, f.key, head))
    return out


AMOUNTS = _amounts_with_one_kind()


def test_the_amounts_in_doubt_are_the_ones_a_person_would_doubt():
    assert {("附件10", "floor_area"), ("附件10", "taxes"), ("附件3", "taxes")} <= {(f, k) for f, k, _ in AMOUNTS}


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(AMOUNTS), st.sampled_from(UNKNOWN_QUALIFIERS), st.sampled_from(["", "unit"]))
def test_a_qualifier_no_form_knows_before_an_amounts_head_noun_is_never_silently_the_field(case, word, tail):
    """减免税金 where 上缴税金 stands, 使用面积 where 建筑面积 stands: the head noun is the field's, the word before it
    none of the forms' and not the field's own — the column is either left unread (a warning at its header) or
    read with a warning that names the word in doubt and who decides; never read as the field with an info only."""
    form_id, key, head = case
    fields = {"附件10": A10, "附件3": A3}[form_id]
    f = get_form(form_id).field(key)
    if set(word) & set("".join((f.label, *f.aliases, *f.terms, f.prompt))):
        return                                   # a word the field itself says is no qualifier in doubt
    keys = [g.key for g in fields]
    heads = [g.label for g in fields]
    text = word + head + (f"（{f.unit}）" if tail == "unit" else "")
    heads[keys.index(key)] = text
    t, wr = _read(form_id, _sheet(form_id, heads, keys))
    if t.columns.get(key) != keys.index(key) + 2:
        return                                   # not taken: the unread column and the missing field are warned
    said = [p for p in wr.problems if p.field == key and p.severity == "warning"]
    assert said, (text, [p.message for p in wr.problems if p.field == key])
    assert any(f"“{word}”" in p.message or p.rule == "column-by-position" for p in said), [p.message for p in said]


@pytest.mark.parametrize("text, key", [("争取资金（万元）", "gov_funding"), ("解决就业", "employees"),
                                       ("签约服务机构", "partner_orgs"), ("Revenue 营收", "revenue"),
                                       ("经营情况当年投资（万元）", "investment_completed"), ("2023年经济指标收入", "revenue")])
def test_a_wording_of_the_same_thing_is_not_in_doubt(text, key):
    """Before a count's head noun (解决就业, 签约服务机构), before a head noun the field's own words already qualify
    several ways (争取资金: 专项资金, 奖励资金 …), a Latin gloss (Revenue 营收) or a group glued on without a
    separator (经营情况…, 2023年经济指标…): the clerk's wording of the field, read as it with an info."""
    assert qualifier(text, "附件10", key) == ""


# a base's table (附件10) saying only 在职人数 may count the base's own staff (基地服务人员数): not asserted there
PAYROLL = [(form_id, status + noun) for form_id in ("附件3", "附件10") for status in ("在职", "在岗", "在册")
           for noun in ("人数", "职工人数", "员工数", "职工（人）") if not (form_id == "附件10" and noun == "人数")]


@pytest.mark.parametrize("form_id, label", PAYROLL)
def test_a_headcount_on_the_payroll_now_is_the_staff_column(form_id, label):
    """在职人数, 在岗职工人数, 在册员工数: the firm's (the base's firms') staff as a payroll counts them today — a
    clerk's everyday word for 职工人数 / 吸纳就业人员数. It once counted "another thing" (its head noun 在职 is none
    of the field's words) and the column was left unread (a CI run of test_stranger_a3 drew 在职人数)."""
    fields = A3 if form_id == "附件3" else A10
    keys = [f.key for f in fields]
    heads = [f.label for f in fields]
    at = keys.index("employees")
    heads[at] = label
    table, wr = _read(form_id, _sheet(form_id, heads, keys))
    assert table.columns.get("employees") == at + 2, (label, table.columns)
    assert not [p for p in wr.problems if p.rule in ("unknown-column", "missing-column")], label
