"""Strangers' county tables (tests/fixtures/strangers.py, words written from the notice alone), merged by
`xlbase merge` in a subprocess and measured per layout family: every cell under its right column, none
under a wrong one, every base once, and no 错误 the county would not really have to fix."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from hypothesis import assume, given, settings, strategies as st

import strangers
import strangers_measure
from xlbase.forms import get_form
from xlbase.read import read_workbook
from xlbase.read.normalise import parse_value
from xlbase.read.profile import cell_kind, fit, profile
from xlbase.read.units import is_units_statement
from xlbase.rules import load_pack
from xlbase.rules.live import untyped_threshold

# an error the county must really fix: a required official column left out of its table
DESERVED = {family: ("missing-column",) for family in ("missing", "everything", "applicant-swapped")}


@pytest.fixture(scope="module", params=[2024, 7])
def measured(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("strangers")
    corpus = strangers.inbox(tmp / "inbox", request.param)
    out, report = strangers_measure.merge(tmp / "inbox", tmp)
    return corpus, strangers_measure.measure(corpus, out, report), report, strangers_measure.totals(corpus, out)


def test_every_family_delivers_every_cell_under_its_column(measured):
    _, fams, _, _ = measured
    print("\n" + strangers_measure.table(fams))
    assert set(fams) == set(strangers.WRITERS) - {"no-base"}
    for name, f in fams.items():
        assert f.wrong == 0, (name, f.wrong_cells)
        assert f.missed == 0 and f.bases_found == f.bases and f.firms_found == f.firms, (name, f)


def test_the_total_row_is_the_sum_sent_or_says_it_is_incomplete(measured):
    corpus, _, _, (exact, marked, wrong) = measured
    missing = {k for b in corpus.bases for k in strangers.A10_ORDER if k not in corpus.present[b["base_name"]]}
    assert wrong == [] and marked == len(missing) and exact > 10


def _short_under_every_type(corpus, family: str) -> bool:
    """The family gave a base fewer resident firms than any 基地类型 asks for (its firm list kept short):
    with no 基地类型 typed, resident-firms-min's 错误 is then one the county must fix (untyped_threshold)."""
    loosest = untyped_threshold(load_pack().rule("resident-firms-min"))
    return any(b["resident_firms"] < loosest for b in corpus.bases
               if corpus.family_of_base.get(b["base_name"]) == family)


def test_errors_are_only_ones_the_county_must_fix(measured):
    corpus, fams, _, _ = measured
    for name, f in fams.items():
        rules = {e.split(":")[0] for e in f.errors}
        deserved = set(DESERVED.get(name, ())) | ({"resident-firms-min"} if _short_under_every_type(corpus, name) else set())
        assert rules <= deserved, (name, dict(f.errors))


def test_a_county_without_base_is_an_answer(measured):
    corpus, _, report, _ = measured
    (county,) = corpus.no_base_counties
    mine = [p for p in report["problems"] if f"/{county}/" in (p["file"] or "")]
    assert [p["rule"] for p in mine if p["severity"] != "info"] == []
    assert [p["rule"] for p in mine if p["rule"] == "no-base"] == ["no-base"]


@given(st.decimals(min_value=1000, max_value=10**8, places=2, allow_nan=False, allow_infinity=False),
       st.sampled_from(["{:.2f}", "{:,.2f}", "{:.1f}"]))
def test_an_amount_typed_as_text_is_an_amount_not_a_date(x, fmt):
    """'8983.56' is no date of the year 8983: a revenue column typed as text was left unread as dates.
    (2021.01 may be January 2021: a year of 1900..2099 with a month stays ambiguous and is left out.)"""
    text = fmt.format(x)
    assume(not (1900 <= int(x) <= 2099 and 1 <= int(text.split(".")[1]) <= 12))
    assert cell_kind(text) in ("dec", "int"), text


@given(st.integers(1950, 2030), st.integers(1, 12), st.sampled_from(["{y}.{m}", "{y}年{m}月", "{y}-{m:02d}"]))
def test_a_year_and_month_typed_as_text_is_a_date(y, m, fmt):
    """2021.3 fits a date column; so does 2021年3月 — and 2021.3 (1966.8) fits an amount column as well: a
    lone revenue typed as text "1966.8" lost its column to being read as a date."""
    text = fmt.format(y=y, m=m)
    assert fit(profile([text]), get_form("附件10").field("registered_on")) == 1.0
    assert (fit(profile([text]), get_form("附件10").field("revenue")) == 1.0) == (fmt == "{y}.{m}")


@pytest.mark.parametrize("text, statement", [
    ("单位：元、平米、人、户", True), ("金额单位：元", True), ("金额：元 面积：亩", True), ("（单位：元）", True),
    ("营业收入（单位：万元）", False), ("收入（元）", False), ("填报单位（盖章）：", False)])
def test_a_units_statement_is_no_label(text, statement):
    """A 单位 line typed on the 填报单位 row names no field (it made that row a header row, and its units
    were lost: a 元 table summed as 万元)."""
    assert is_units_statement(text) is statement


# ----------------------------------------------------------------------------- one table, read in-process

def _read_one(tmp_path, rng, rows, cols, style):
    grid = strangers.Grid()
    strangers.write_table(rng, grid, 1, rows, cols, style, title="基本情况表")
    path = strangers.save(tmp_path / f"t{rng.random()}.xlsx", {"Sheet1": grid})
    (table,) = [t for t in read_workbook(path).tables if not t.data.empty]
    return table


def same_cell(got, want) -> bool:
    """A value read (bool, date, number, text) equals the value sent."""
    if isinstance(want, (bool, str)) or want is None:
        return got == want
    if isinstance(want, dt.date):
        return getattr(got, "date", lambda: got)() == want
    return isinstance(got, (int, float)) and abs(got - want) <= 1e-6 * max(1.0, abs(want))


def _same_values(table, rows, keys):
    got = table.data.to_dict("records")
    assert len(got) == len(rows)
    for g, want in zip(got, rows):
        for k in keys:
            assert same_cell(g.get(k), want[k]), (k, g.get(k), want[k], table.columns)


@settings(derandomize=True, max_examples=25)
@given(st.integers(0, 2**32), st.sampled_from(["two-merged", "two-plain", "two-low"]))
def test_a_group_in_the_clerks_words_gives_its_unit_to_the_columns_under_it(tmp_path_factory, seed, header):
    """经营指标（元） over 营收 | 缴税 | 本年投资, a group no form names: its 元 holds for the three columns (only
    the first was converted, the others summed as 万元)."""
    rng = random.Random(seed)
    style = strangers.Style(header=header, units="group", money=strangers.MONEY_UNITS[1])
    bases = [strangers.base_values(rng, f"长治市潞州区{i}号双创基地", f"{i}号运营管理有限公司") for i in range(2)]
    cols = strangers.columns(rng, strangers.A10_WORDS, strangers.A10_GROUPS, style)
    table = _read_one(tmp_path_factory.mktemp("g"), rng, bases, cols, style)
    _same_values(table, bases, sorted(strangers.MONEY & set(strangers.A10_ORDER)))


@settings(derandomize=True, max_examples=25)
@given(st.integers(0, 2**32), st.sampled_from(strangers.NUMERIC_EXTRAS), st.booleans())
def test_a_column_of_another_meaning_beside_a_field_does_not_take_it(tmp_path_factory, seed, extra, before):
    """占地面积（亩） (附件2's land) beside a firm's 办公面积, 项目总投资 beside 本年度完成投资: the column that says
    another form's field is no better claim than the one that only resembles ours."""
    rng = random.Random(seed)
    style = strangers.Style(bracket=rng.choice(strangers.BRACKETS))
    firms = [strangers.firm_values(rng, i, "潞州区") for i in range(4)]
    cols = strangers.columns(rng, strangers.A3_WORDS, strangers.A3_GROUPS, style)
    at = next(i for i, c in enumerate(cols) if c.key == "area") + (0 if before else 1)
    cols.insert(at, strangers.Column(None, extra[0], extra=extra[1]))
    table = _read_one(tmp_path_factory.mktemp("x"), rng, firms, cols, style)
    _same_values(table, firms, strangers.A3_ORDER)


@settings(derandomize=True, max_examples=25)
@given(st.integers(0, 2**32))
def test_labels_typed_in_the_lower_header_row_past_empty_upper_cells_are_read(tmp_path_factory, seed):
    """An unmerged two-row header whose extra columns' labels sit in the lower row only, the upper row empty
    over them: the money labels past them (under 经济指标) were left out of the header (缺少营业收入列)."""
    rng = random.Random(seed)
    style = strangers.Style(header="two-plain", extras=2, numeric_extras=2, bracket=rng.choice(strangers.BRACKETS))
    firms = [strangers.firm_values(rng, i, "潞州区") for i in range(4)]
    cols = strangers.columns(rng, strangers.A3_WORDS, strangers.A3_GROUPS, style)
    table = _read_one(tmp_path_factory.mktemp("l"), rng, firms, cols, style)
    _same_values(table, firms, strangers.A3_ORDER)


NAME = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=4, max_size=20)


@given(NAME, st.data())
def test_a_name_typed_with_spaces_or_wrapped_is_the_name(name, data):
    """长治市潞州区\\n智谷双创基地, 商贸 有限公司, a full-width space: the 汇总表 shows the name as a person reads it
    (only its identity ignored the spaces before); free text keeps its lines."""
    cut = data.draw(st.integers(1, len(name) - 1))
    gap = data.draw(st.sampled_from([" ", "  ", "\u3000", "\n", "\r\n", "\u00a0", " \n"]))
    typed = name[:cut] + gap + name[cut:]
    firm_name = get_form("附件3").field("firm_name")
    assume(parse_value(name, firm_name).value == name)      # not a blank word (以下空白) drawn by chance
    assert parse_value(typed, firm_name).value == name
    assert parse_value("ABC Technology 山西有限公司", firm_name).value == "ABC Technology山西有限公司"
    content = get_form("附件2").field("project_content")
    assert "\n" in (parse_value("1、孵化楼\n2、展厅", content).value or "")


@pytest.mark.parametrize("serial", [18264, 40000, 44287, 54788])
def test_a_date_typed_into_a_number_cell_fits_a_date_column(serial):
    """成立时间 over 44287 (a date shown as its serial): the column fits the date field, not only a count."""
    prof = profile([serial, min(serial + 31, 54788)])
    assert fit(prof, get_form("附件10").field("registered_on")) >= 0.7
    assert fit(prof, get_form("附件10").field("employees")) == 1.0


@settings(derandomize=True, max_examples=20)
@given(st.integers(0, 2**32), st.sampled_from([("resident_firms", "入驻率（%）", 60, 100), ("employees", "创业导师（人）", 3, 20),
                                               ("resident_firms", "入驻率", 60, 100)]))
def test_a_column_of_another_meaning_in_a_left_out_fields_place_is_not_read_as_it(tmp_path_factory, seed, case):
    """入驻率（%） or 创业导师（人） typed where 已入驻企业数 / 吸纳就业人数 was left out: a share is no count (units.yaml's
    ratio family), and a label like another form's field (附件2's 创业辅导师) is not read by its place alone."""
    key, label, lo, hi = case
    rng = random.Random(seed)
    style = strangers.Style(bracket=rng.choice(strangers.BRACKETS))
    bases = [strangers.base_values(rng, f"长治市潞州区{i}号双创基地", f"{i}号运营管理有限公司") for i in range(3)]
    cols = strangers.columns(rng, strangers.A10_WORDS, strangers.A10_GROUPS, style)
    at = next(i for i, c in enumerate(cols) if c.key == key)
    cols[at] = strangers.Column(None, label, extra=lambda r: r.randrange(lo, hi))
    table = _read_one(tmp_path_factory.mktemp("r"), rng, bases, cols, style)
    assert key not in table.columns
    _same_values(table, bases, [c.key for c in cols if c.key])


@settings(derandomize=True, max_examples=20)
@given(st.integers(0, 2**32))
def test_a_column_off_the_order_that_says_another_forms_field_is_not_read(tmp_path_factory, seed):
    """项目总投资（万元） typed among the basic columns while 当年完成投资额 was left out: it is 附件2's 建设项目总投资,
    not this year's investment (its words resemble both; off the official order only its words spoke)."""
    rng = random.Random(seed)
    style = strangers.Style(bracket=rng.choice(strangers.BRACKETS))
    bases = [strangers.base_values(rng, f"长治市潞州区{i}号双创基地", f"{i}号运营管理有限公司") for i in range(3)]
    cols = [c for c in strangers.columns(rng, strangers.A10_WORDS, strangers.A10_GROUPS, style)
            if c.key != "investment_completed"]
    cols.insert(rng.randrange(3, 7), strangers.Column(None, "项目总投资（万元）", extra=lambda r: round(r.uniform(500, 9000), 1)))
    table = _read_one(tmp_path_factory.mktemp("o"), rng, bases, cols, style)
    assert "investment_completed" not in table.columns
    _same_values(table, bases, [c.key for c in cols if c.key])


@given(st.integers(1_000_000, 99_999_999))
def test_seven_or_eight_digits_typed_as_text_are_an_amount(n):
    """'2263800' (元) typed as text is an amount, not a local phone number (the column lost its field)."""
    assert cell_kind(str(n)) == "int"
    assert cell_kind(f"0355-{n}") == "phone" and cell_kind("13912345678") == "phone"


@settings(derandomize=True, max_examples=25)
@given(st.integers(0, 2**32))
def test_a_group_row_with_field_words_and_extras_over_the_labels_is_one_header(tmp_path_factory, seed):
    """基本情况 | 联系人 | 联系电话 | 服务机构情况 | 孵化成效 over the label row: the group words name fields and
    联系人/联系电话 are 附件4's, yet the band is one 附件10 header (it was read as a 附件4, every base lost)."""
    rng = random.Random(seed)
    style = strangers.Style(header="two-low", extras=0, bracket=rng.choice(strangers.BRACKETS))
    bases = [strangers.base_values(rng, f"长治市潞州区{i}号双创基地", f"{i}号运营管理有限公司") for i in range(3)]
    cols = strangers.columns(rng, strangers.A10_WORDS, strangers.A10_GROUPS, style)
    for name in ("联系人", "联系电话"):
        cols.insert(rng.randrange(2, len(cols)), strangers.Column(None, name, group="", extra=dict(strangers.EXTRA_COLUMNS)[name]))
    grid = strangers.Grid()
    strangers.write_table(rng, grid, 1, bases, cols, style, title="基本情况表")
    label_row = next(r for (r, c), v in grid.cells.items() if v == cols[1].header)
    for (r, c), v in list(grid.cells.items()):       # the extras' labels typed in the group row
        if r == label_row and v in ("联系人", "联系电话"):
            del grid.cells[(r, c)]
            grid.cells[(r - 1, c)] = v
    path = strangers.save(tmp_path_factory.mktemp("h") / "t.xlsx", {"Sheet1": grid})
    (table,) = [t for t in read_workbook(path).tables if not t.data.empty]
    assert table.form_id != "附件4"
    _same_values(table, bases, [c.key for c in cols if c.key])


def _rows_and_columns(rng, form, style):
    """Three bases of a 附件10 or four firms of a 附件3, and a stranger's columns for them."""
    if form == "附件10":
        rows = [strangers.base_values(rng, f"长治市潞州区{i}号双创基地", f"{i}号运营管理有限公司") for i in range(3)]
        return rows, strangers.columns(rng, strangers.A10_WORDS, strangers.A10_GROUPS, style)
    rows = [strangers.firm_values(rng, i, "潞州区") for i in range(4)]
    return rows, strangers.columns(rng, strangers.A3_WORDS, strangers.A3_GROUPS, style)


# nouns of the trade that name no field of 附件10 or 附件3 (patents, workstations, mentors, land, exports, loans …)
OTHER_HEADS = ["专利", "商标", "工位", "导师", "土地", "占地", "出口", "贷款", "车位", "学员", "会员", "绿地", "宿舍",
               "设备", "仪器", "版权", "展厅", "食堂"]


@settings(derandomize=True, max_examples=40)
@given(st.integers(0, 2**32), st.sampled_from(["附件10", "附件3"]), st.sampled_from(OTHER_HEADS),
       st.sampled_from(["数", "", "个数", "总数", "数量", "额"]), st.sampled_from(["", "（个）", "（亩）", "（件）", "（万元）"]))
def test_a_column_naming_something_else_in_a_left_out_fields_place_is_not_read_as_it(tmp_path_factory, seed, form,
                                                                                       head, count, unit):
    """专利数（件）, 占地（亩）, 工位数 typed exactly where a field was left out: its place in the official order is
    the field's, but its words name something else — the column stays unused and the field visibly missing
    (a missed cell, never a wrong one). It was read as the left-out field by position alone."""
    rng = random.Random(seed)
    style = strangers.Style(bracket=rng.choice(strangers.BRACKETS))
    rows, cols = _rows_and_columns(rng, form, style)
    numeric = [i for i, c in enumerate(cols) if c.key and isinstance(rows[0][c.key], (int, float))
               and not isinstance(rows[0][c.key], bool)]
    at = rng.choice(numeric)
    key = cols[at].key
    cols[at] = strangers.Column(None, f"{head}{count}{unit}", extra=lambda r: r.randrange(3, 900))
    table = _read_one(tmp_path_factory.mktemp("n"), rng, rows, cols, style)
    assert key not in table.columns, (key, cols[at].header)
    _same_values(table, rows, [c.key for c in cols if c.key])


@settings(derandomize=True, max_examples=30)
@given(st.integers(0, 2**32), st.sampled_from([
    ("附件10", "floor_area", ["占地", "用地", "土地", "宗地", "绿化"], ["面积", ""], ["（亩）", "（平方米）", ""]),
    ("附件3", "area", ["占地", "用地", "土地", "绿地"], ["面积", ""], ["（亩）", "（㎡）", ""]),
    ("附件10", "investment_completed", ["项目总", "计划总", "累计", "建设项目总"], ["投资", "投资额"], ["（万元）", "（元）", ""])]),
    st.data())
def test_a_column_of_another_concept_in_a_left_out_fields_place_is_not_read_as_it(tmp_path_factory, seed, case, data):
    """占地面积（亩） where 建筑面积 was left out, 项目总投资 where 当年完成投资额 was: the words and the place both
    point at the field, but the words say land, a project's whole cost — another concept (the field's
    `unlike` words in the form model). The column stays unused and the 汇总 says the field is missing."""
    form, key, mods, heads, units = case
    label = data.draw(st.sampled_from(mods)) + data.draw(st.sampled_from(heads)) + data.draw(st.sampled_from(units))
    rng = random.Random(seed)
    style = strangers.Style(bracket=rng.choice(strangers.BRACKETS))
    rows, cols = _rows_and_columns(rng, form, style)
    at = next(i for i, c in enumerate(cols) if c.key == key)
    cols[at] = strangers.Column(None, label, extra=lambda r: round(r.uniform(20, 9000), 1))
    table = _read_one(tmp_path_factory.mktemp("u"), rng, rows, cols, style)
    assert key not in table.columns, (key, label)
    _same_values(table, rows, [c.key for c in cols if c.key])


@pytest.mark.parametrize("layout", strangers.CITY_LAYOUTS)
@pytest.mark.parametrize("seed", [3, 11])
def test_a_city_table_says_each_bases_county_in_a_merged_or_first_row_column(tmp_path, layout, seed):
    """县区 | 基地名称 | … with the county merged down its block, repeated, or typed on the block's first row
    only, a 小计 row after each block: every base in its county (the blank cells took the folder's county),
    while a blank place in a table not grouped so stays blank (xlbase's own 汇总表 reads back as written);
    whatever the column's header (地区 names no field: its values are county names)."""
    rng = random.Random(seed)
    corpus = strangers.Corpus(tmp_path)
    (path,) = strangers._city_subtotals(rng, corpus, tmp_path / "潞州区", "潞州区", "city-subtotals", layout)
    wr = read_workbook(path)
    (t,) = [t for t in wr.tables if not t.data.empty]
    got = dict(zip(t.data["base_name"], t.data["county"]))
    assert got == {b["base_name"]: corpus.county_of[b["base_name"]] for b in corpus.bases}
    assert len(t.totals) == 4          # three 小计 and the 合计, none of them a base


@pytest.mark.parametrize("layout", strangers.STACK_LAYOUTS)
def test_firms_of_several_bases_stacked_in_one_list_go_to_their_base(tmp_path, layout):
    """One 附件3 sheet with the firms of three bases one after another: a 所属基地 column on every row or on
    each base's first row, or a section row "二、xx双创基地（6户）" over each base's firms."""
    rng = random.Random(5)
    corpus = strangers.Corpus(tmp_path)
    _, path = strangers._firms_stacked(rng, corpus, tmp_path / "潞州区", "潞州区", "firms-stacked", layout)
    wr = read_workbook(path)
    got = {f: b for t in wr.tables for f, b in zip(t.data["firm_name"], t.data["_row_base"])}
    assert got == {f["firm_name"]: base for base, f in corpus.firms}


@settings(derandomize=True, max_examples=15)
@given(st.integers(0, 2**32), st.sampled_from(["成立时间", "成立日期", "设立时间"]))
def test_the_one_date_column_typed_out_of_order_is_the_date_field(tmp_path_factory, seed, label):
    """成立时间 typed elsewhere in the order (a clerk's own order): its words are also 附件2's label for the
    service organisation's founding, but over dates in a 附件10 — whose only date field is 注册时间 — it is
    that field (it was left unread, 注册时间 missing)."""
    rng = random.Random(seed)
    style = strangers.Style(bracket=rng.choice(strangers.BRACKETS))
    rows, cols = _rows_and_columns(rng, "附件10", style)
    at = next(i for i, c in enumerate(cols) if c.key == "registered_on")
    col = cols.pop(at)
    col.header = label
    cols.insert(rng.randrange(at + 3, len(cols) + 1), col)
    table = _read_one(tmp_path_factory.mktemp("d"), rng, rows, cols, style)
    _same_values(table, rows, [c.key for c in cols if c.key])


# nouns a clerk counts people or firms by that are not the field's (student founders, trainees, mentors, patents)
OTHER_COUNTED = ["大学生创业", "学员", "导师", "退役军人创业", "返乡创业", "专利", "培训", "会员", "志愿者"]


@settings(derandomize=True, max_examples=30)
@given(st.integers(0, 2**32), st.sampled_from([("附件3", "employees"), ("附件10", "employees"),
                                               ("附件10", "service_staff"), ("附件10", "resident_firms")]),
       st.sampled_from(OTHER_COUNTED), st.sampled_from(["人数", "数", "户数", "数量", "人次"]),
       st.sampled_from(["", "（人）", "(户)", "/个"]))
def test_a_column_counting_another_thing_is_not_the_field(tmp_path_factory, seed, case, noun, count, unit):
    """大学生创业人数 where 职工人数 stands: its words share 人数 with the field, but a counting word names no
    thing — it counts student founders. The column is unused and the field missing, both pointing at cells
    (it was read as 职工人数, the firms' staff summed from another concept)."""
    form, key = case
    rng = random.Random(seed)
    style = strangers.Style(bracket=rng.choice(strangers.BRACKETS))
    rows, cols = _rows_and_columns(rng, form, style)
    at = next(i for i, c in enumerate(cols) if c.key == key)
    label = f"{noun}{count}{unit}"
    cols[at] = strangers.Column(None, label, extra=lambda r: r.randrange(3, 90))
    grid = strangers.Grid()
    strangers.write_table(rng, grid, 1, rows, cols, style, title="基本情况表")
    path = strangers.save(tmp_path_factory.mktemp("c") / "t.xlsx", {"Sheet1": grid})
    wr = read_workbook(path)
    (table,) = [t for t in wr.tables if not t.data.empty]
    assert key not in table.columns, label
    _same_values(table, rows, [c.key for c in cols if c.key])
    unused = [p for p in wr.problems if p.rule == "unknown-column" and p.value == label]
    missing = [p for p in wr.problems if p.rule == "missing-column" and key in p.value]
    assert unused and unused[0].severity == "warning" and unused[0].cell and missing and missing[0].cell


@settings(derandomize=True, max_examples=20)
@given(st.integers(0, 2**32), st.sampled_from(["固定资产投资", "已完成固定资产投资", "其中：固定资产投资", "建设项目总投资"]),
       st.sampled_from(["（万元）", "", "/万元"]))
def test_another_forms_quantity_is_not_read_as_the_field_in_its_place(tmp_path_factory, seed, label, unit):
    """固定资产投资 typed where 当年完成投资额 stands: 附件2 has that concept as a field of its own (其中：固定资产
    投资), so the form model says it is another amount — it is not summed as this year's investment (it was, with
    only an info)."""
    rng = random.Random(seed)
    style = strangers.Style(bracket=rng.choice(strangers.BRACKETS))
    rows, cols = _rows_and_columns(rng, "附件10", style)
    at = next(i for i, c in enumerate(cols) if c.key == "investment_completed")
    cols[at] = strangers.Column(None, label + unit, extra=lambda r: round(r.uniform(100, 9000), 1))
    table = _read_one(tmp_path_factory.mktemp("f"), rng, rows, cols, style)
    assert "investment_completed" not in table.columns, label
    _same_values(table, rows, [c.key for c in cols if c.key])


@settings(derandomize=True, max_examples=20)
@given(st.integers(0, 2**32), st.sampled_from([("附件10", "floor_area", "办公面积"), ("附件10", "floor_area", "孵化面积"),
                                               ("附件10", "service_events", "双创活动")]),
       st.sampled_from(["", "（平方米）", "(㎡)"]))
def test_a_column_whose_qualifier_may_make_it_another_concept_is_read_with_a_warning(tmp_path_factory, seed, case,
                                                                                    unit):
    """办公面积 where 建筑面积 stands: it may be the base's whole floor area or only its offices — the file
    cannot tell. The column is read (its values reach the 汇总) and a 警告 at its header says which word is in
    doubt and what decides it (the unit's own family only: 面积 in ㎡)."""
    form, key, label = case
    unit = unit if key == "floor_area" else ""
    rng = random.Random(seed)
    style = strangers.Style(bracket=rng.choice(strangers.BRACKETS))
    rows, cols = _rows_and_columns(rng, form, style)
    at = next(i for i, c in enumerate(cols) if c.key == key)
    cols[at].header = label + unit
    grid = strangers.Grid()
    strangers.write_table(rng, grid, 1, rows, cols, style, title="基本情况表")
    path = strangers.save(tmp_path_factory.mktemp("q") / "t.xlsx", {"Sheet1": grid})
    wr = read_workbook(path)
    (table,) = [t for t in wr.tables if not t.data.empty]
    _same_values(table, rows, [c.key for c in cols if c.key])
    (warned,) = [p for p in wr.problems if p.field == key and p.rule == "column-read-unsure"]
    column = table.cell(key, 1).rstrip("0123456789")
    assert warned.severity == "warning" and warned.cell.rstrip("0123456789") == column      # at its header
    assert label[:2] in warned.message and "核实" in warned.message
    assert not [p for p in wr.problems if p.field == key and p.rule == "column-read-as"]


def _merged_city(tmp_path, seed: int) -> tuple[strangers.Corpus, Path]:
    """A city office's table with each county merged down its bases' rows and no 小计 row between the blocks."""
    corpus = strangers.Corpus(tmp_path)
    (path,) = strangers._city_subtotals(random.Random(seed), corpus, tmp_path / "潞州区", "潞州区", "city-subtotals",
                                        "merged", subtotals=False)
    return corpus, path


@pytest.mark.parametrize("seed", [3, 11, 12])
def test_a_county_merged_down_its_bases_places_each_base_without_subtotal_rows(tmp_path, seed):
    """县区 | 基地名称 | … with each county merged down its bases' rows and no 小计 row between the blocks: the
    merge is the clerk's "as above" — every base in the county the merged cell shows (the blank cells under the
    merge took the county of the folder the file came in), with one info naming the cells so read."""
    corpus, path = _merged_city(tmp_path, seed)
    wr = read_workbook(path)
    (t,) = [t for t in wr.tables if not t.data.empty]
    assert dict(zip(t.data["base_name"], t.data["county"])) == {b["base_name"]: corpus.county_of[b["base_name"]]
                                                                  for b in corpus.bases}
    assert [p.rule for p in wr.problems if p.rule == "place-from-above"] == ["place-from-above"]


@pytest.mark.libreoffice
def test_a_county_merged_down_its_bases_in_an_xls_places_each_base(tmp_path):
    """The same table saved as .xls (BIFF8, by LibreOffice as WPS and old Excel save it): the merges are read
    from the .xls too."""
    from conftest import soffice_convert

    corpus, path = _merged_city(tmp_path, 11)
    xls = soffice_convert(path, "xls", tmp_path / "xls")
    (t,) = [t for t in read_workbook(xls).tables if not t.data.empty]
    assert dict(zip(t.data["base_name"], t.data["county"])) == {b["base_name"]: corpus.county_of[b["base_name"]]
                                                                  for b in corpus.bases}


@pytest.mark.libreoffice
def test_a_county_merged_down_its_bases_in_an_ods_places_each_base(tmp_path):
    """The same table saved as .ods (LibreOffice's own format, which WPS and web systems also export): calamine
    reports no merged range for an .ods, so the ranges are read from content.xml (table:number-rows-spanned) —
    by calamine's path and by odfpy's (the fallback for an .ods calamine refuses) alike. Every base but each
    block's first fell back to the folder's county before."""
    from conftest import soffice_convert
    from xlbase.read.formats.ods import read_odfpy
    from xlbase.read.grid import load_sheets

    corpus, path = _merged_city(tmp_path, 11)
    ods = soffice_convert(path, "ods", tmp_path / "ods")
    (t,) = [t for t in read_workbook(ods).tables if not t.data.empty]
    assert dict(zip(t.data["base_name"], t.data["county"])) == {b["base_name"]: corpus.county_of[b["base_name"]]
                                                                  for b in corpus.bases}
    xlsx_merges = {s.name: set(s.merged) for s in load_sheets(str(path))}
    assert xlsx_merges and any(xlsx_merges.values())
    assert {s.name: set(s.merged) for s in load_sheets(str(ods), "ods")} == xlsx_merges
    assert {s.name: set(s.merged) for s in read_odfpy(str(ods))} == xlsx_merges


@pytest.mark.parametrize("seed", [3, 11])
def test_the_openpyxl_fallback_sees_the_merged_ranges_too(tmp_path, seed):
    """openpyxl's read-only mode (the reader of an .xlsx calamine refuses) shows no merged range: they are read from
    each worksheet part's <mergeCell> elements, the same ranges calamine gives."""
    from xlbase.read.formats.ooxml import read_openpyxl
    from xlbase.read.grid import load_sheets

    corpus, path = _merged_city(tmp_path, seed)
    want = {s.name: set(s.merged) for s in load_sheets(str(path))}
    assert any(want.values())
    assert {s.name: set(s.merged) for s in read_openpyxl(str(path), "xlsx")} == want


_FULL_WIDTH = str.maketrans("0123456789.,-/ABCDEFGHJKLMNPQRTUWXY", "０１２３４５６７８９．，－／ＡＢＣＤＥＦＧＨＪＫＬＭＮＰＱＲＴＵＷＸＹ")


@given(st.one_of(st.integers(0, 10**6).map(str), st.integers(0, 10**7).map(lambda n: f"{n:,}"),
                 st.decimals(0, 10**5, places=2).map(str), st.integers(1, 10**6).map(strangers.credit_code),
                 st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)).map(lambda d: f"{d.year}.{d.month}.{d.day}"),
                 st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)).map(lambda d: f"{d.year}-{d.month:02d}-{d.day:02d}")),
       st.sampled_from(["", "万", "人", "户"]))
def test_a_value_typed_in_full_width_is_the_same_kind_of_value(text, unit):
    """１２３４５, ２０２１．３．５, a credit code typed in full-width mode (WPS, a Chinese input method): the same
    kind of cell as typed in half-width — a column of full-width codes lost its field (USCC over codes, by
    position, fitted 0.68 as text)."""
    typed = text + unit if not any(c in text for c in ".-") or unit == "" else text
    assert cell_kind(typed.translate(_FULL_WIDTH)) == cell_kind(typed), typed


BASE_NAMES = st.builds(lambda county, word, end: f"{strangers.CITY}{county}{word}{end}", st.sampled_from(strangers.COUNTIES),
                       st.sampled_from(strangers.BASE_WORDS), st.sampled_from(["双创基地", "众创空间", "创业园", "孵化基地"]))


@given(BASE_NAMES, st.sampled_from(["", "基地：", "所属基地：", "基地名称:", "一、", "（二）"]),
       st.sampled_from(["", "入驻企业", "入驻企业名单", "（6户）", "入驻企业（12户）"]))
def test_a_line_naming_a_base_over_its_firms_gives_the_base(name, lead, tail):
    """基地：长治市潞州区智谷双创基地, 长治市潞州区创客港双创基地入驻企业 over a base's firms (WPS habit, 序号 starting
    again under each): the base is the name, without the label before it or the list's words after it (the
    second base's firms went with the first, the line was not seen as one)."""
    from xlbase.read.labels import base_section_name

    text = f"{lead}{name}{tail}"
    assume(lead or "基地" in name or "入驻" in tail)      # a name alone with a count may be a firm (xx空间（有限合伙）)
    assert base_section_name(text) == name, text


@settings(derandomize=True, max_examples=15)
@given(st.integers(0, 2**32), st.sampled_from([("附件3", "credit_code", "USCC"), ("附件10", "revenue", "Revenue"),
                                               ("附件10", "resident_firms", "Firms"), ("附件10", "operator", "YYDW")]))
def test_a_header_in_latin_letters_is_known_by_its_place_and_values(tmp_path_factory, seed, case):
    """USCC, Revenue, YYDW (pinyin initials) over a field's values in its place: no Chinese head noun to read, so
    the column is the field by its place in the official order and what it holds — read, with the
    column-by-position warning (it was unused and the field missing)."""
    form, key, label = case
    rng = random.Random(seed)
    style = strangers.Style(bracket=rng.choice(strangers.BRACKETS))
    rows, cols = _rows_and_columns(rng, form, style)
    next(c for c in cols if c.key == key).header = label
    table = _read_one(tmp_path_factory.mktemp("a"), rng, rows, cols, style)
    assert key in table.columns, label
    _same_values(table, rows, [c.key for c in cols if c.key])


@settings(derandomize=True, max_examples=10)
@given(st.integers(0, 2**32), st.integers(2, 6))
def test_latin_headers_read_by_their_place_are_one_warning_for_the_table(tmp_path_factory, seed, n):
    """Staff, Tax, RZQYS, HNTE … over the fields' values in their places: each read by its place (right), and one
    warning for the table naming every such header, its cell and the field it was read as — one check of the
    column order decides them all (it was one warning per column: 108 of the corpus's 147 position warnings)."""
    rng = random.Random(seed)
    style = strangers.Style(bracket=rng.choice(strangers.BRACKETS))
    rows, cols = _rows_and_columns(rng, "附件10", style)
    keys = rng.sample(sorted(strangers.WPS_ABBREVIATIONS), n)
    for c in cols:
        if c.key in keys:
            c.header = rng.choice(strangers.WPS_ABBREVIATIONS[c.key])
    grid = strangers.Grid()
    strangers.write_table(rng, grid, 1, rows, cols, style, title="基本情况表")
    wr = read_workbook(strangers.save(tmp_path_factory.mktemp("l") / "t.xlsx", {"Sheet1": grid}))
    (table,) = [t for t in wr.tables if not t.data.empty]
    _same_values(table, rows, [c.key for c in cols if c.key])
    (said,) = [p for p in wr.problems if p.rule == "column-by-position"]
    assert said.severity == "warning"
    for c in cols:
        if c.key in keys:
            label = get_form(table.form_id).field(c.key).label
            assert f"“{c.header}”（" in said.message and f"按“{label}”" in said.message, (c.header, said.message)


COUNTED = ["resident_firms", "employees", "service_staff", "smes_served", "incubated_firms", "revenue", "taxes"]


@settings(derandomize=True, max_examples=30)
@given(st.integers(0, 2**32), st.sampled_from(COUNTED), st.sampled_from(["其中：", "其中", "其中:", "（1）其中："]),
       st.sampled_from(["小微企业", "高校毕业生", "", "科技型企业"]), st.booleans())
def test_a_column_saying_it_is_a_part_is_not_the_field(tmp_path_factory, seed, key, lead, what, keep):
    """其中：入驻企业数 (of which …) beside or instead of 已入驻企业数: a breakdown of the column before it, not the
    field — with the field's column kept, the field keeps its own values; with it left out, the part is not
    read as the total (it was, by its words or its place)."""
    rng = random.Random(seed)
    style = strangers.Style(bracket=rng.choice(strangers.BRACKETS))
    rows, cols = _rows_and_columns(rng, "附件10", style)
    at = next(i for i, c in enumerate(cols) if c.key == key)
    label = f"{lead}{what}{rng.choice(strangers.A10_WORDS[key])}"
    part = strangers.Column(None, label, extra=lambda r: r.randrange(0, 5))
    if keep:
        cols.insert(at + 1, part)
    else:
        cols[at] = part
    table = _read_one(tmp_path_factory.mktemp("p"), rng, rows, cols, style)
    assert (key in table.columns) == keep, label
    _same_values(table, rows, [c.key for c in cols if c.key])
