"""A figure typed with a note beside it ("15（其中创业辅导员4人）", "32户，含个体户5户", "全年48次", "约1.2万平方米（含在建）")
was an unparseable 错误. Now (read.figure_notes, data/figure_notes.yaml):
- a note that only qualifies the figure (其中/含/包括/另有 …) or a word before it (全年, 共): the figure is read, the
  note's own figure is never added, and a 提示 says how the cell was read;
- a note that may change the amount (不含, 另加, a 合计 with its figure): the range between the figure and the figure with
  the note's amount, which the rules judge — both ends meet a threshold: met; both break it: the rule's problem;
  between: a warning saying the note decides.
A share said in words in a field in % (六成, 三成五, 八成以上, 过半, 三分之二, 百分之六十) is read as the percent it says."""

from __future__ import annotations

import json
import subprocess
import sys

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from xlbase.forms import figure_note_words, get_form, share_words
from xlbase.forms.programmes import load_programme, using
from xlbase.read.normalise import ESTIMATE, NOTED, UNPARSEABLE, estimate_of, parse_number
from typed_numbers import spelling

A10 = get_form("附件10")
COUNTS = [f for f in A10.table_fields if f.type == "integer"]
AREA = A10.field("floor_area")
WORDS = figure_note_words()
UNITS = ["", "人", "户", "个", "家", "场", "次"]
# how a clerk sets a note apart from the figure: brackets of either width, a comma or semicolon, or nothing
FRAMES = [("（", "）"), ("(", ")"), ("【", "】"), ("，", ""), (",", ""), ("；", ""), (" ", ""), ("", "")]
# what a note names, as strangers write it (never the form's labels)
THINGS = ["创业辅导员", "个体户", "兼职人员", "线上活动", "在建部分", "配套资金", "高校", "意向合作单位", "外聘专家", "小微企业"]


def _note(word: str, thing: str, figure: str, frame: tuple[str, str]) -> str:
    return f"{frame[0]}{word}{thing}{figure}{frame[1]}"


@given(st.sampled_from(COUNTS), st.integers(0, 99999), st.sampled_from(UNITS), st.sampled_from(WORDS["part"]),
       st.sampled_from(THINGS), st.integers(0, 99999), st.sampled_from(UNITS), st.sampled_from(FRAMES))
def test_a_note_naming_a_part_leaves_the_figure_as_typed(field, n, unit, word, thing, m, note_unit, frame):
    text = f"{n}{unit}" + _note(word, thing, f"{m}{note_unit}", frame)
    p = parse_number(text, field)
    assert p.value == n and p.note == NOTED, (text, p)
    assert f"“{n}{unit}”" in p.detail and word in p.detail        # the 提示 says what was read and which note was left
    assert estimate_of(text, field) is None


@given(st.sampled_from(COUNTS), st.integers(0, 99999), st.sampled_from(UNITS), st.sampled_from(WORDS["lead"]),
       st.randoms(use_true_random=False))
def test_a_word_before_the_figure_saying_what_it_counts_leaves_the_figure(field, n, unit, lead, rng):
    typed = spelling(n, field, rng) if rng.random() < 0.5 else f"{n}{unit}"
    text = lead + rng.choice(["", " "]) + typed
    p = parse_number(text, field)
    assert p.value == n and p.note == NOTED and lead in p.detail, (text, p)


@given(st.sampled_from(COUNTS), st.integers(0, 99999), st.sampled_from(["", "人", "户"]),
       st.sampled_from(WORDS["excludes"] + WORDS["adds"]), st.sampled_from(THINGS), st.integers(1, 9999),
       st.sampled_from(FRAMES[:5]))
def test_a_note_that_leaves_out_or_adds_an_amount_makes_a_range_the_rules_judge(field, n, unit, word, thing, m, frame):
    text = f"{n}{unit}" + _note(word, thing, f"{m}{unit}", frame)
    p = parse_number(text, field)
    e = estimate_of(text, field)
    assert p.value is None and p.note == ESTIMATE and e is not None, (text, p)
    assert (e.low, e.high, e.low_open, e.high_open) == (n, n + m, False, False)
    assert e.at_least(n) and not e.at_least(n + 1) and e.at_most(n + m) and not e.below(n + m)
    assert "按通知的口径" in p.detail
    bare = f"{n}{unit}" + _note(word, thing, "", frame)       # no amount in the note: at least the figure
    e = estimate_of(bare, field)
    assert e is not None and (e.low, e.high) == (n, None)


@given(st.integers(0, 9999), st.integers(0, 9999), st.sampled_from(WORDS["totals"]), st.sampled_from(FRAMES[:5]))
def test_a_total_beside_the_figure_makes_a_range_and_a_bare_total_word_leaves_it(n, m, word, frame):
    field = COUNTS[0]
    e = estimate_of(f"{n}人" + _note(word, "", f"{m}人", frame), field)
    assert e is not None and (e.low, e.high) == (min(n, m), max(n, m))
    p = parse_number(f"{n}人" + _note(word, "", "", ("（", "）")), field)
    assert p.value == n and p.note == NOTED


@given(st.integers(1, 99), st.sampled_from(["", "平方米", "万平方米", "㎡"]), st.sampled_from(WORDS["part"]),
       st.sampled_from(["约", "近", "不少于", ""]))
def test_a_bound_or_an_estimate_with_a_note_naming_a_part_is_the_same_range(k, unit, word, before):
    figure = f"{before}{k}{unit}" + ("以上" if not before else "")
    plain = estimate_of(figure, AREA)
    noted = estimate_of(figure + f"（{word}在建部分）", AREA)
    assert plain is not None and noted is not None
    assert (noted.low, noted.high, noted.about) == (plain.low, plain.high, plain.about)
    assert "在建部分" in noted.describe(AREA.unit)


@given(st.sampled_from(COUNTS), st.integers(0, 99999), st.sampled_from(UNITS), st.sampled_from(FRAMES))
def test_a_note_of_no_known_word_stays_unread(field, n, unit, frame):
    text = f"{n}{unit}" + _note("", "待核实", "", frame)
    p = parse_number(text, field)
    assert p.value is None and p.note == UNPARSEABLE, (text, p)


def test_a_bare_figure_with_a_note_takes_its_column_unit_as_any_bare_figure():
    money = A10.field("gov_funding")
    from fractions import Fraction
    from xlbase.read.normalise import normalise_column, scale_column
    values = ["300000（其中配套资金10万元）", "120000元（其中配套资金10万元）", 500000]
    normed, notes = normalise_column(values, money)
    assert scale_column(values, normed, notes, Fraction(1, 10000)) == [30.0, 12.0, 50.0]


# --------------------------------------------------------------------------- shares in words

SHARE_FORMS = ("太原申请表", "staff_professional_share")
CN = "零一二三四五六七八九"


def _share_field():
    with using(load_programme("taiyuan-2023")):
        return get_form(SHARE_FORMS[0]).field(SHARE_FORMS[1])


SHARE = _share_field()
SPEC = share_words()


@given(st.integers(1, 9), st.integers(0, 9), st.booleans())
def test_tenths_in_words_are_read_as_their_percent(a, b, chinese):
    text = (CN[a] if chinese else str(a)) + SPEC["tenth"] + ((CN[b] if chinese else str(b)) if b else "")
    p = parse_number(text, SHARE)
    assert p.value == a * 10 + b and text in p.detail, (text, p)


@given(st.integers(2, 9), st.integers(1, 9))
def test_a_fraction_in_words_is_read_as_its_percent(whole, part):
    text = CN[whole] + SPEC["fraction"] + CN[part]
    p = parse_number(text, SHARE)
    assert abs(p.value - part * 100 / whole) < 1e-9, (text, p)


@given(st.integers(1, 99))
def test_percent_in_words_is_read_as_the_percent(n):
    tens, ones = divmod(n, 10)
    words = (CN[tens] if tens > 1 else "") + ("十" if tens else "") + (CN[ones] if ones else "")
    assert parse_number(SPEC["percent"] + words, SHARE).value == n


@given(st.integers(1, 9), st.sampled_from(["以上", "左右", "多"]))
def test_a_share_in_words_with_a_bound_word_is_a_range(a, word):
    text = CN[a] + SPEC["tenth"] + word
    e = estimate_of(text, SHARE)
    if word == "多":       # "八成多" is no word of the estimates' after a unit: not read, as "80%多" is not
        assert e is None
    else:
        assert e is not None and e.figure == a * 10 and parse_number(text, SHARE).note == ESTIMATE


def test_half_words_bound_the_share():
    over = estimate_of("过半", SHARE)
    assert over is not None and over.low == 50 and over.low_open and over.above(50) and not over.at_least(51)
    assert parse_number("一半", SHARE).value == 50


def test_share_words_are_read_only_in_a_field_in_percent():
    assert parse_number("六成", COUNTS[0]).note == UNPARSEABLE


# --------------------------------------------------------------------------- validate on a stranger's 附件10

def _a10(path, rows):
    """附件10 as a county types it: its own short labels, the figures with their notes."""
    wb = Workbook()
    ws = wb.active
    ws.title = "基地情况"
    ws.append(["双创基地基本情况表"])
    ws.append(["基地名称", "运营单位", "注册时间", "独立法人", "服务人员（人）", "入驻企业（户）", "建筑面积（平方米）", "服务活动（场）"])
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_validate_reads_noted_figures_and_judges_what_the_note_leaves_open(tmp_path):
    rows = [["城东双创基地", "城东园区公司", "2018-03-01", "是", "15（其中创业辅导员4人）", "32户，含个体户5户", "全年共12000", "全年48场"],
            ["城西创客空间", "城西科技公司", "2019-05-01", "是", "9人（不含兼职3人）", "30", "8000", "20"],
            ["城南孵化园", "城南发展公司", "2017-01-01", "是", "6（不含兼职2人）", "40", "9000", "12"],
            ["城北众创园", "城北实业公司", "2016-01-01", "是", "12（不含兼职3人）", "35", "10000", "15"]]
    path = _a10(tmp_path / "情况表.xlsx", rows)
    out = tmp_path / "r.json"
    subprocess.run([sys.executable, "-m", "xlbase", "validate", str(path), "--json", str(out)], capture_output=True,
                   timeout=300)
    problems = json.loads(out.read_text(encoding="utf-8"))["problems"]
    by_cell: dict[str, list[dict]] = {}
    for p in problems:
        by_cell.setdefault(p.get("cell") or "", []).append(p)
    assert not [p for p in problems if p["rule"] == "unparseable"], problems
    for cell in ("E3", "F3", "G3", "H3"):
        assert any(p["severity"] == "info" and p["rule"] == "value-converted" for p in by_cell[cell]), cell
    staff = {c: [p for p in by_cell.get(c, []) if p["rule"] == "service-staff-min"] for c in ("E4", "E5", "E6")}
    assert [p["severity"] for p in staff["E4"]] == ["warning"] and "按通知的口径" in staff["E4"][0]["message"]
    assert [p["severity"] for p in staff["E5"]] == ["error"]        # 6 to 8: below 10 either way
    assert staff["E6"] == []                                         # 12 to 15: 10 met either way
