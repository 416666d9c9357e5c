"""Where a table ends and which rows are not data: hidden sheets, 合计/小计 rows, sample rows,
stacked tables, 以下空白, notes between firms, retyped header labels, a column typed twice.

Every workbook is written by tests/fixtures/table_layouts.py; nothing that looks like data may
disappear without a problem naming its cells.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import table_layouts as tl
from conftest import soffice_convert
from xlbase import sheet_names
from xlbase.forms import FORM_IDS, divisions, get_form
from xlbase.merge.table_rows import is_sample_name
from xlbase.read import read_workbook
from xlbase.read.formats import load_book
from xlbase.read.tables import hidden_sheet_problem
from xlbase.read.workbook import A2_MIN_FIELDS
from xlbase.read.labels import TOTAL_WORDS, is_sample_text, is_total_text, label_stem, match_label
from xlbase.text import fold

BASES = [("忻州市繁峙县砂河镇创业街双创基地", "繁峙县砂河创业服务有限公司"),
         ("忻州市繁峙县大营镇创客工坊双创基地", "繁峙县大营工坊管理有限公司")]
BASES2 = [("忻州市宁武县芦芽山文旅双创基地", "宁武县芦芽山文旅开发有限公司"),
          ("忻州市宁武县凤凰镇电商双创基地", "宁武凤凰电商产业园有限公司")]


def _rules(wr, rule):
    return [p for p in wr.problems if p.rule == rule]


def _names(wr, form_id="附件11"):
    return [n for t in wr.tables if t.form_id == form_id for n in t.data[t.form.table_fields[0].key]]


# 1. hidden sheets ------------------------------------------------------------------------------

def _hidden_book(path):
    return tl.workbook(path, {
        "2023年": [tl.a11_block([("忻州市静乐县旧版双创基地", "静乐县旧版有限公司")])],
        "2024年": [tl.a11_block(BASES)],
        "旧表": [tl.a11_block([("忻州市静乐县更旧双创基地", "静乐县更旧有限公司")])],
        "lists": [[["是"], ["否"], ["楼宇型"]]],
    }, states={"2023年": "hidden", "旧表": "veryHidden", "lists": "hidden"})


def test_hidden_sheets_are_not_read_and_said(tmp_path):
    path = tmp_path / "静乐县附件11.xlsx"
    _hidden_book(path)
    wr = read_workbook(path)
    assert [t.sheet for t in wr.tables] == ["2024年"]
    assert _names(wr) == [b[0] for b in BASES]
    hidden = _rules(wr, "hidden-sheet")
    assert sorted(p.sheet for p in hidden) == ["2023年", "旧表"]           # the lists sheet holds no form
    assert all(p.severity == "info" and "隐藏" in p.message and "未读取" in p.message for p in hidden)


def test_a_helper_sheet_is_skipped_only_in_our_templates(tmp_path):
    """A hidden sheet named as our templates name their helper sheets (lists, xl_…) is not searched for forms
    in a workbook with our 填表说明/表内检查 sheet; in a clerk's own workbook it is searched like any other."""
    old = [tl.a11_block([("忻州市静乐县旧版双创基地", "静乐县旧版有限公司")])]
    sheets = {"2024年": [tl.a11_block(BASES)], "lists": old, "xl_old": old, "旧表": old}
    states = {"lists": "hidden", "xl_old": "hidden", "旧表": "hidden"}
    tl.workbook(tmp_path / "clerk.xlsx", sheets, states=states)
    tl.workbook(tmp_path / "ours.xlsx", {**sheets, sheet_names.GUIDE: [[["填表说明"]]]}, states=states)
    clerk, ours = read_workbook(tmp_path / "clerk.xlsx"), read_workbook(tmp_path / "ours.xlsx")
    assert sorted(p.sheet for p in _rules(clerk, "hidden-sheet")) == ["lists", "xl_old", "旧表"]
    assert [p.sheet for p in _rules(ours, "hidden-sheet")] == ["旧表"]
    assert [t.sheet for t in ours.tables] == [t.sheet for t in clerk.tables] == ["2024年"]


def test_our_templates_hidden_sheets_are_helpers_holding_no_form(monkeypatch):
    """Skipping the helper sheets changes nothing for our templates: each hidden sheet they write (but the
    button's xlwings.conf) is named as a helper, is not loaded, and when loaded, searching it finds no form."""
    templates = sorted((Path(__file__).resolve().parents[2] / "workbook_templates").glob("*.xls[xm]"))
    assert templates
    for path in templates:
        skipped = {s.name: s for s in load_book(str(path), "xlsx").sheets}
        with monkeypatch.context() as m:
            m.setattr(sheet_names, "is_template_helper", lambda name, names: False)
            sheets = load_book(str(path), "xlsx").sheets
        hidden = [s for s in sheets if not s.visible and s.name != "xlwings.conf"]
        assert hidden, path
        for sheet in hidden:
            assert sheet_names.is_template_helper(sheet.name, [s.name for s in sheets]), (path, sheet.name)
            assert skipped[sheet.name].rows == [] and not skipped[sheet.name].visible
            assert hidden_sheet_problem(str(path), sheet, A2_MIN_FIELDS) is None, (path, sheet.name)
        assert any(sheet.rows for sheet in hidden)      # the lists sheet, at least, holds values when loaded
        assert all(skipped[s.name].rows == s.rows for s in sheets if s.visible)


@pytest.mark.libreoffice
def test_hidden_sheet_of_an_xls_is_not_read(tmp_path, soffice):
    src = tmp_path / "静乐县附件11.xlsx"
    _hidden_book(src)
    xls = soffice_convert(src, "xls", tmp_path / "out")
    wr = read_workbook(xls)
    assert [t.sheet for t in wr.tables] == ["2024年"]
    assert {p.sheet for p in _rules(wr, "hidden-sheet")} == {"2023年", "旧表"}


# 2. 合计 / 小计 rows ------------------------------------------------------------------------------

def test_place_subtotals_are_totals_and_reported(tmp_path):
    rows = tl.a11_block(BASES[:1])
    sub = ["", "繁峙县小计"] + [1] * 20
    rows += [sub, tl.base_row(2, *BASES[1]), ["", "宁武县 小计"] + [1] * 20, ["", "全市合计"] + [2] * 20,
             ["总 计", ""] + [2] * 20, ["合计", ""] + [2] * 20]
    path = tmp_path / "忻州市附件11.xlsx"
    tl.workbook(path, {"Sheet1": [rows]})
    wr = read_workbook(path)
    assert _names(wr) == [b[0] for b in BASES]
    t = wr.tables[0]
    assert [x["_row"] for x in t.totals] == [6, 8, 9, 10, 11]
    reported = {p.cell: p for p in _rules(wr, "total-row")}
    # every total row that carries a label a name could hide behind is named with its cells;
    # a bare 合计 or 总 计 under an empty name column is the form's own
    assert set(reported) == {"B6", "B8", "B9"}
    assert "B6“繁峙县小计”" in reported["B6"].message and "A6:V6" in reported["B6"].message
    assert all(p.severity == "info" for p in reported.values())


def test_firms_named_like_totals_are_firms(tmp_path):
    names = ["汇总科技有限公司", "小计家政服务部", "合计咨询服务部", "总计划设计有限公司", "忻州累计物流有限公司"]
    firms = [tl.firm_row(i, n) for i, n in enumerate(names)] + [tl.firm_row(9), ["合计", "", "", "", 500.0, 75]]
    path = tmp_path / "a3.xlsx"
    tl.workbook(path, {"附件3": [tl.a3_block(firms)]})
    wr = read_workbook(path)
    assert _names(wr, "附件3") == names + ["忻州晨光9号科技有限公司"]
    assert len(wr.tables[0].totals) == 1 and not _rules(wr, "total-row")


@given(place=st.sampled_from(sorted({c for cs in divisions()["cities"].values() for c in cs}
                                    | set(divisions()["cities"]) | {"全市", "全县", "本页", "以上", ""})),
       word=st.sampled_from(TOTAL_WORDS), spaces=st.sampled_from(["", " ", "　", "  "]),
       tail=st.sampled_from(["", "：", "（3个）", "(5家)"]))
def test_a_place_then_a_total_word_is_a_total(place, word, spaces, tail):
    assert is_total_text(f"{place}{spaces}{word[0]}{spaces}{word[1]}{tail}")


@given(word=st.sampled_from(TOTAL_WORDS), middle=st.text(alphabet="忻州晨光创新电子商务信息", max_size=6),
       suffix=st.sampled_from(["科技有限公司", "服务部", "有限责任公司", "商贸中心", "工作室", "店"]))
def test_a_name_starting_with_a_total_word_is_not_a_total(word, middle, suffix):
    assert not is_total_text(f"{word}{middle}{suffix}")


# 3. sample rows --------------------------------------------------------------------------------

PLACEHOLDERS = ["×", "✕", "X", "x", "＊", "*", "ｘ", "Ｘ"]


@given(ph=st.sampled_from(PLACEHOLDERS), n=st.integers(1, 3), space=st.sampled_from(["", " "]),
       bracket=st.sampled_from(["（区）", "(区)", ""]), county=st.sampled_from(["县", "区"]))
def test_sample_placeholders_alike_in_reader_and_merge(ph, n, space, bracket, county):
    p = ph * n
    text = f"{p}{space}市{space}{p}{space}{county}{bracket}{p}{p}{space}双创基地"
    assert is_sample_text(text, get_form("附件11").sample_row)
    assert is_sample_name(text)


def test_real_names_are_not_samples():
    for name in ["忻州市忻府区云中双创基地", "忻州市XX科技双创基地".replace("XX", "星新"), "忻州市忻府区Box创客空间双创基地"]:
        assert not is_sample_text(name) and not is_sample_name(name)


def test_sample_rows_typed_with_times_signs_are_not_bases(tmp_path):
    rows = tl.a11_block([], after=[[1, "××市××县（区）××双创基地"], [2, "XX市XX县(区)XX双创基地"],
                                   [3, "＊＊市＊＊县（区）＊＊双创基地", "XX有限公司", "2019-05-08", "是"] + [0] * 17,
                                   tl.base_row(1, *BASES[0])])
    path = tmp_path / "五台县附件11.xlsx"
    tl.workbook(path, {"Sheet1": [rows]})
    wr = read_workbook(path)
    assert _names(wr) == [BASES[0][0]]
    assert len(_rules(wr, "sample-row")) == 3


# 4. where a table ends ---------------------------------------------------------------------------

def test_two_counties_stacked_on_one_sheet(tmp_path):
    path = tmp_path / "两县.xlsx"
    tl.workbook(path, {"Sheet1": [tl.a11_block(BASES, title="繁峙县2024年省级小微企业双创基地基本情况汇总表"),
                                  tl.a11_block(BASES2, title="宁武县2024年省级小微企业双创基地基本情况汇总表",
                                               org="填报单位：宁武县工信局")]}, gap=2)
    wr = read_workbook(path)
    assert _names(wr) == [b[0] for b in BASES + BASES2]
    assert not [p for p in wr.problems if p.severity == "error" and p.rule != "missing-column"]


def test_a_repeated_header_without_title_continues_the_table(tmp_path):
    first = tl.a11_block(BASES)
    page2 = tl.a11_block(BASES2, title=None, org=None)
    for i, row in enumerate(page2[2:], 3):
        row[0] = i
    path = tmp_path / "续页.xlsx"
    tl.workbook(path, {"Sheet1": [first, page2]}, gap=0)
    wr = read_workbook(path)
    assert len(wr.tables) == 1 and _names(wr) == [b[0] for b in BASES + BASES2]


def test_every_form_stacked_on_one_sheet(tmp_path):
    name = "忻州市忻府区云帆楼宇双创基地"
    firms = [tl.firm_row(i) for i in range(30)]
    path = tmp_path / "一页.xlsx"
    tl.workbook(path, {"Sheet1": [tl.a2_block(), tl.a3_block(firms), tl.a4_block(name),
                                  tl.a10_block(name, "忻州云帆企业管理有限公司")]}, gap=2)
    wr = read_workbook(path)
    forms = {t.form_id: t for t in wr.tables}
    assert set(forms) == {"附件2", "附件3", "附件4", "附件10"}
    assert len(forms["附件3"].data) == 30
    assert forms["附件3"].data["firm_name"].tolist() == [f[1] for f in firms]
    assert forms["附件4"].record["base_name"] == name and forms["附件4"].record["base_rent"] == 60
    assert len(forms["附件4"].data) == 3
    assert forms["附件10"].data["base_name"].tolist() == [name]
    assert not _rules(wr, "skipped-line")


@pytest.mark.parametrize("mark,where", [("以下空白", 1), ("（以下空白）", 0), ("以下无", 1), ("—以下空白—", 1)])
def test_nothing_below_marks_end_the_table(tmp_path, mark, where):
    firms = [tl.firm_row(i) for i in range(5)]
    line = [6, mark] if where else [mark]
    path = tmp_path / "a3.xlsx"
    tl.workbook(path, {"附件3": [tl.a3_block(firms + [line, [7], [8], ["合  计", "", "", "", 500.0, 75]])]})
    wr = read_workbook(path)
    assert _names(wr, "附件3") == [f[1] for f in firms]
    assert len(wr.tables[0].totals) == 1
    assert not _rules(wr, "skipped-line")


def test_a_note_between_firms_is_skipped_and_said(tmp_path):
    firms = [tl.firm_row(i) for i in range(20)]
    note = ["备注：以下为2024年新入驻企业"]
    path = tmp_path / "a3.xlsx"
    starts = tl.workbook(path, {"附件3": [tl.a3_block(firms[:10] + [note] + firms[10:])]})
    wr = read_workbook(path)
    assert _names(wr, "附件3") == [f[1] for f in firms]
    (p,) = _rules(wr, "skipped-line")
    row = starts["附件3"][0] + 4 + 10
    assert p.cell == f"A{row}" and p.severity == "info" and "备注：以下为2024年新入驻企业" in p.message


def test_a_note_and_signature_at_the_end_end_the_table(tmp_path):
    firms = [tl.firm_row(i) for i in range(5)]
    path = tmp_path / "a3.xlsx"
    tl.workbook(path, {"附件3": [tl.a3_block(firms + [["注：职工人数为上年末人数。"], [],
                                                     ["填表人：王小二", "", "", "", "联系电话：13900000000"],
                                                     ["", "", "（盖章） 年 月 日"]])]})
    wr = read_workbook(path)
    assert _names(wr, "附件3") == [f[1] for f in firms]
    assert not _rules(wr, "skipped-line")


# 5. header labels as clerks retype them -----------------------------------------------------------

RETYPED = {"registered_on": "注册日期", "service_staff": "服务人员数量", "resident_firms": "入驻企业数量",
           "partner_orgs": "合作机构数", "gov_funding": "获得政府支持资金（万元）", "specialised_firms": "培育专精特新企业",
           "revenue": "年营业收入", "smes_served": "年服务中小企业数"}


def test_everyday_label_variants_are_recognised(tmp_path):
    labels = [RETYPED.get(k, label) for k, label in zip(tl.A10_KEYS, tl.A10_LABELS)]
    path = tmp_path / "宁武县附件10.xlsx"
    tl.workbook(path, {"Sheet1": [tl.a11_block([BASES[0]], title="2024年省级小微企业双创基地基本情况表",
                                               group_row=False, labels=labels)]})
    wr = read_workbook(path)
    (t,) = wr.tables
    assert not t.extra_columns
    assert set(t.missing_fields) == {"city", "county", "base_type"}
    assert t.data["registered_on"].iloc[0] is not None and t.data["gov_funding"].iloc[0] == 10


def test_resident_firms_label_with_its_unit():
    assert match_label("已入驻企业（户）", "附件10") == ("resident_firms",)
    assert match_label("已入驻企业户数", "附件10") == ("resident_firms",)


def test_no_two_official_labels_of_a_form_collapse():
    for form_id in FORM_IDS:
        form = get_form(form_id)
        for part, fields in (("table", form.table_fields), ("record", form.record_fields)):
            stems: dict[str, str] = {}
            for f in fields:
                if f.merge_only:
                    continue
                # each spelling the model gives still names its own field (or a field with the same label)
                for text in f.labels:
                    got = match_label(text, form_id, part)
                    assert f.key in got, (form_id, text, got)
                s = label_stem(fold(f.label))
                same_label = [g for g in fields if fold(g.label) == fold(f.label)]
                assert stems.get(s, f.key) == f.key or len(same_label) > 1, (form_id, f.label, stems.get(s))
                stems[s] = f.key


def test_a_header_in_other_words_is_read_as_its_field_and_said(tmp_path):
    labels = list(tl.A10_LABELS)
    labels[11] = "当年投资金额"
    path = tmp_path / "a10.xlsx"
    tl.workbook(path, {"Sheet1": [tl.a11_block([BASES[0]], title="2024年省级小微企业双创基地基本情况表",
                                               group_row=False, labels=labels)]})
    wr = read_workbook(path)
    assert not _rules(wr, "unknown-column")
    assert not [p for p in _rules(wr, "missing-column") if p.severity == "error"]
    (p,) = _rules(wr, "column-read-as")
    assert p.cell == "L3" and p.field == "investment_completed" and "“当年投资金额”" in p.message
    assert "按“当年完成投资额”读取" in p.message and p.severity == "info"
    assert wr.tables[0].data["investment_completed"].iloc[0] == 100


def test_an_unknown_header_with_values_is_a_warning_only_while_a_column_is_missing(tmp_path):
    """主导产业 is no field and the form model does not know it. While a column the notice asks for is missing, its
    values may be that column's under another wording: a warning naming header and range. With every column of the
    notice read, it can be none of them — the county added it: how it was read (an info), as 联系人 is, which the
    model lists as no field of the form (not_fields)."""
    for lacking in (None, "营业收入"):
        labels = [x for x in tl.A10_LABELS if x != lacking] + ["主导产业", "联系人"]
        path = tmp_path / f"a10{lacking}.xlsx"
        block = tl.a11_block(BASES[:2], title="2024年省级小微企业双创基地基本情况汇总表", group_row=False, labels=labels)
        if lacking:
            at = tl.A10_LABELS.index(lacking)
            for row in block[3:]:
                del row[at]
        block[3] += ["新材料", "王丽"]
        tl.workbook(path, {"Sheet1": [block]})
        wr = read_workbook(path)
        col = "W" if lacking is None else "V"
        said = {q.value: q for q in wr.problems if q.rule in ("unknown-column", "extra-column")}
        p, q = said["主导产业"], said["联系人"]
        assert p.severity == ("info" if lacking is None else "warning"), (lacking, p.message)
        assert f"“主导产业”（{col}3）" in p.message and f"{col}4:{col}5" in p.message
        assert q.severity == "info" and q.rule == "extra-column" and "“联系人”" in q.message


def test_a_column_typed_twice_is_a_repeated_column(tmp_path):
    firms = [row[:3] + [row[2]] + row[3:] for row in (tl.firm_row(i) for i in range(3))]
    head = ["序号", "企业名称", "营业执照注册号", "统一社会信用代码", "入驻时间", "厂房（场地）面积", "职工人数", "营业收入",
            "利润总额", "上缴税金"]
    path = tmp_path / "a3.xlsx"
    tl.workbook(path, {"附件3": [[head] + firms]})
    wr = read_workbook(path)
    assert not _rules(wr, "unknown-column")
    (p,) = _rules(wr, "duplicate-column")
    assert p.cell == "D1" and "C1" in p.message and "重复" in p.message and p.field == "credit_code"
    assert wr.tables[0].cell("credit_code", 2) == "C2"


# 7. hidden rows -------------------------------------------------------------------------------------

def test_hidden_data_rows_are_not_read_and_each_is_said(tmp_path):
    from openpyxl import load_workbook
    path = tmp_path / "定襄县附件11.xlsx"
    tl.workbook(path, {"Sheet1": [tl.a11_block(BASES + BASES2)]})
    wb = load_workbook(path)
    ws = wb["Sheet1"]
    for r in (6, 8, 40):                     # two bases (the 2nd and 4th) and an empty row far below
        ws.row_dimensions[r].hidden = True
    ws.cell(40, 30, None)
    wb.save(path)
    wr = read_workbook(path)
    every = [b[0] for b in BASES + BASES2]
    assert _names(wr) == [n for i, n in enumerate(every) if i not in (1, 3)]     # the stamped copy lacks them
    said = _rules(wr, "hidden-row")
    # one warning a row, by its base: whether it was withdrawn or belongs is the clerk's to say
    assert [(p.cell, p.value, p.severity) for p in said] == [("B6", every[1], "warning"), ("B8", every[3], "warning")]
    assert all("纸质" in p.message and "取消隐藏后重新报送" in p.message for p in said)


def test_a_form_sheet_whose_name_says_shuoming_is_read(tmp_path):
    """'入驻企业情况说明' holds 附件3; only sheets named for instructions alone are guides."""
    from openpyxl import Workbook

    from xlbase.forms import get_form
    from xlbase.read import read_workbook
    from xlbase.read.sheet_tables import is_guide

    for guide in ("填表说明", "说明", "使用说明", "填报须知", "README", "填写指南(2)"):
        assert is_guide(guide), guide
    for form_sheet in ("入驻企业情况说明", "附件3 说明", "基本情况说明"):
        assert not is_guide(form_sheet), form_sheet
    form = get_form("附件3")
    wb = Workbook()
    ws = wb.active
    ws.title = "入驻企业情况说明"
    ws.append([f.label for f in form.official_table_fields])
    for i in range(3):
        ws.append([f"忻州测试{i}号商贸有限公司", f"9114090{i}MA0K5X4L2C", "2021-03-01", 100, 5, 50, 5, 1])
    path = tmp_path / "说明.xlsx"
    wb.save(path)
    (table,) = [t for t in read_workbook(path).tables if t.form_id == "附件3"]
    assert len(table.data) == 3


# a column typing one value on every row --------------------------------------------------------------

@settings(max_examples=15, deadline=None)
@given(name=st.text("1２9甲乙丙AB", min_size=1, max_size=4).map(lambda s: f"{s}有限公司"),
       n=st.integers(3, 6), only_names=st.booleans())
@example(name="1有限公司", n=3, only_names=True)
def test_one_firm_typed_on_every_row_is_still_the_list(tmp_path_factory, name, n, only_names):
    """A 企业名称 column repeating one value (a row pasted n times, the rest blank or not) is still the
    firm names: the official label is the clerk's statement; the repeats are for validation to report.
    Found by the 汇总表 digest property: "1有限公司" three times in a list with columns of our own on the
    right (来源文件, 工作表, 行号) — the column went unread, the sheet was taken for an empty 附件11 and
    the three rows vanished behind a 提示 "没有申报基地"."""
    head = list(tl.A3_HEAD) + ["来源文件", "工作表", "行号"]
    width = len(tl.A3_HEAD) - 1
    rows = [([i + 1, name] + [""] * (width - 1) if only_names else tl.firm_row(i, name)) + ["汇总表.xlsx", "附件3", 6 + i]
            for i in range(n)]
    path = tmp_path_factory.mktemp("same") / "入驻企业.xlsx"
    tl.workbook(path, {"入驻企业": [[["入驻企业基本情况表"], head] + rows]})
    wr = read_workbook(path)
    assert _names(wr, "附件3") == [name] * n


@pytest.mark.parametrize("layout", ["序号 typed twice", "remarks only"])
def test_rows_typed_only_under_headers_we_cannot_place_are_warned_not_dropped(tmp_path, layout):
    """A row with nothing under the form's columns but text under a header we could not place is no blank
    template row: it is one 警告 naming the rows and the first cell typed — never a silent loss, and never
    the answer "no base" (an unfilled template) when the list has content."""
    if layout == "序号 typed twice":      # the names slide under the second 序号
        head = ["序号"] + list(tl.A3_HEAD)
        rows = [[i + 1, f"忻州晨光{i}号科技有限公司"] for i in range(3)]
        first_cell, read = "B3", 0
    else:                                 # a remark typed on rows left blank, under real data
        head = list(tl.A3_HEAD) + ["备注"]
        rows = [tl.firm_row(0) + ["已迁出"], [2] + [""] * (len(tl.A3_HEAD) - 1) + ["待补充"],
                [3] + [""] * (len(tl.A3_HEAD) - 1) + ["待补充"]]
        first_cell, read = f"{chr(ord('A') + len(tl.A3_HEAD))}4", 1
    path = tmp_path / "附件3.xlsx"
    tl.workbook(path, {"附件3": [[["入驻企业基本情况表"], head] + rows]})
    wr = read_workbook(path)
    assert not _rules(wr, "no-base")
    assert len(_names(wr, "附件3")) == read
    [p] = _rules(wr, "unplaced-rows")
    assert p.severity == "warning" and p.cell == first_cell and p.value == len(rows) - read
