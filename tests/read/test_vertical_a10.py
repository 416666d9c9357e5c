"""附件10 typed vertically (labels down a column, values beside them) is read like the one-row form."""

from __future__ import annotations

import random

import pytest

import retyped
from xlbase.read import read_workbook
from xlbase.read.vertical import swap_a1


@pytest.mark.parametrize("groups", [False, True])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_vertical_a10_is_read_with_every_value_and_its_own_cells(tmp_path, groups, seed):
    rng = random.Random(seed)
    base = retyped.base_values(rng, "晋中市榆次区竖表双创基地", "榆次竖表运营管理有限公司")
    t10 = retyped.a10_vertical(rng, [base], groups=groups, money_in_yuan=seed == 2)
    firms = [retyped.firm_values(rng, i, "榆次区") for i in range(4)]
    t3 = retyped.a3_table(rng, firms, layout="one-row")
    path = retyped.save(tmp_path / "竖表.xlsx", {"附件10": t10.rows, "附件3": t3.rows})
    wr = read_workbook(path)
    (a10,) = [t for t in wr.tables if t.form_id == "附件10"]
    assert a10.n_rows == 1 and a10.transposed
    row = a10.data.iloc[0]
    for key, want in t10.expected[0].items():
        got = row[key]
        assert got == pytest.approx(want) if isinstance(want, float) else got == want, key
    col = "C" if groups else "B"
    first = 3                                  # labels start under the title and the 填报单位 line
    assert a10.cell("base_name", int(row["_row"])) == f"{col}{first}"
    assert a10.cell("gov_funding", int(row["_row"])) == f"{col}{first + 20}"
    assert a10.base["name"] == base["base_name"]
    assert not [p for p in wr.problems if p.severity == "error" and p.form == "附件10"]
    assert not [p for p in wr.problems if p.form == "附件2"]      # the labels are no 附件2
    for p in wr.problems:
        if p.form == "附件10" and p.cell:
            letters = "".join(ch for ch in p.cell if ch.isalpha())
            assert letters in ("A", "B", "C"), p      # addressed on the sheet the clerk typed


def test_cells_in_messages_are_turned_back_too():
    assert swap_a1("表头“营收”（B3）按“营业收入”读取（C3:C5）；代码 91140902MA0K1234X5") == \
        "表头“营收”（C2）按“营业收入”读取（C3:E3）；代码 91140902MA0K1234X5"


@pytest.mark.parametrize("title", ["长治市潞州区智谷双创基地基本情况", "省级双创基地申报信息表（单位：万元）", "潞州区智谷双创基地"])
@pytest.mark.parametrize("extra", [False, True])
def test_a_line_of_a_vertical_a10_is_no_column(tmp_path, title, extra):
    """The title of a vertical 附件10 (a base's name, a units note) stands in the label column: on the transpose
    it is a "column" with nothing under it, and got "表头“…”（A1）不是本表栏目，该列没有内容，已忽略" — it is no
    column, so nothing is said of it. A label line the clerk filled that names no field (联系人 | 王丽) is said as
    the line it is (该行): an info, since the form model lists 联系人 as no field of the form (nothing to sum)."""
    import strangers

    rng = random.Random(1)
    grid = strangers.Grid()
    base = strangers.base_values(rng, "长治市潞州区智谷双创基地", "智谷运营有限公司")
    strangers._vertical(rng, grid, base, strangers.MONEY_UNITS[0], strangers.AREA_UNITS[0])
    col = min(c for (r, c) in grid.cells if r == 3)
    grid.cells[(1, 1)] = title
    if extra:
        grid.put(grid.last_row + 1, col, "联系人")
        grid.put(grid.last_row, col + 1, "王丽")
    path = strangers.save(tmp_path / "v.xlsx", {"Sheet1": grid})
    wr = read_workbook(path)
    (t,) = [t for t in wr.tables if t.form_id == "附件10"]
    assert t.transposed and t.data.iloc[0]["base_name"] == base["base_name"]
    unknown = [p for p in wr.problems if p.rule in ("unknown-column", "extra-column")]
    assert [(p.severity, p.value) for p in unknown] == ([("info", "联系人")] if extra else [])   # not_fields: decided
    assert all("该行" in p.message and "该列" not in p.message for p in unknown)


@pytest.mark.parametrize("heading", [("项目", "内容"), ("指标", "数值"), ("栏目", "填报内容"), ("名称", "情况"),
                                     ("指标名称", "本年度"), ("填报事项", "填报数据")])
@pytest.mark.parametrize("seed", [1, 2])
def test_the_heading_line_of_a_vertical_a10_is_no_unread_column(tmp_path, heading, seed):
    """A vertical 附件10 whose clerk headed its two columns (项目 | 内容, 指标 | 数值) on the line above the first
    label: that line is the record's heading — two words that name no field over no value shaped like data —
    not a column of the transpose left unread ("表头“项目”（A1）不是本表栏目，该列 1 个有内容的单元格未读取")."""
    import strangers

    rng = random.Random(seed)
    grid = strangers.Grid()
    base = strangers.base_values(rng, "长治市潞州区智谷双创基地", "智谷运营有限公司")
    strangers._vertical(rng, grid, base, strangers.MONEY_UNITS[0], strangers.AREA_UNITS[0])
    col = min(c for (r, c) in grid.cells if r == 3)
    grid.cells.pop((2, 1), None)
    grid.put(2, col, heading[0])
    grid.put(2, col + 1, heading[1])
    path = strangers.save(tmp_path / "v.xlsx", {"Sheet1": grid})
    wr = read_workbook(path)
    (t,) = [t for t in wr.tables if t.form_id == "附件10"]
    assert t.transposed and t.data.iloc[0]["base_name"] == base["base_name"]
    assert not [p for p in wr.problems if p.severity == "error" or p.rule == "unknown-column" and p.severity != "info"], \
        [p.message for p in wr.problems]
    (said,) = [p for p in wr.problems if p.value == heading[0]]       # one info, at the clerk's own cell
    assert said.severity == "info" and said.cell == ("A2" if col == 1 else "B2")
    assert "第 2 行" in said.message and "标题" in said.message, said.message


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("n_bases", [2, 3])
def test_a_county_list_typed_one_vertical_a10_per_sheet_names_each_base(tmp_path, seed, n_bases):
    """A county that types each of its bases as a vertical 附件10 on a sheet of its own sends a list, not one
    applicant's forms: each sheet is a base of its own (before, every sheet was read as the first sheet's base,
    and the others were merged into it as "the same base reported twice")."""
    rng = random.Random(seed)
    bases = [retyped.base_values(rng, f"晋中市榆次区竖表{i}号双创基地", f"榆次竖表{i}号运营管理有限公司")
             for i in range(n_bases)]
    tables = [retyped.a10_vertical(rng, [b], groups=rng.random() < 0.5) for b in bases]
    path = retyped.save(tmp_path / "各基地竖表.xlsx", {f"基地{i + 1}": t.rows for i, t in enumerate(tables)})
    wr = read_workbook(path)
    read = [t for t in wr.tables if t.form_id in ("附件10", "附件11")]
    assert [t.form_id for t in read] == ["附件11"] * n_bases      # rows of the county's list, each its own base
    assert [t.data.iloc[0]["base_name"] for t in read] == [b["base_name"] for b in bases]
    for t, b in zip(read, bases):
        assert t.transposed and t.data.iloc[0]["resident_firms"] == b["resident_firms"]
        assert t.data.iloc[0]["operator"] == b["operator"]


def test_one_base_typed_vertically_beside_its_firm_list_stays_one_applicants_forms(tmp_path):
    rng = random.Random(7)
    base = retyped.base_values(rng, "晋中市榆次区竖表双创基地", "榆次竖表运营管理有限公司")
    t10 = retyped.a10_vertical(rng, [base])
    t3 = retyped.a3_table(rng, [retyped.firm_values(rng, i, "榆次区") for i in range(3)], layout="one-row")
    wr = read_workbook(retyped.save(tmp_path / "竖表.xlsx", {"附件10": t10.rows, "附件3": t3.rows}))
    assert [t.form_id for t in wr.tables if t.transposed] == ["附件10"]


@pytest.mark.parametrize("line", [["填报单位（盖章）：榆次区工信局", "", "2024年8月"], ["填表人：王丽", "审核人：张强"],
                                  ["注：金额单位为万元", "", "以上数据截至6月底"]])
def test_a_filled_page_line_of_a_vertical_a10_is_no_unread_column(tmp_path, line):
    """The 填报单位 line of a vertical 附件10 with the date beside it, a 填表人/审核人 line, a note with a remark:
    lines of the page typed in the label column, not a field left unread — an info, never the warning of a
    column whose content was not read (it was \"栏目“填报单位：…”不是本表栏目，该行 1 个有内容的单元格未读取\")."""
    rng = random.Random(3)
    bases = [retyped.base_values(rng, f"晋中市榆次区竖表{i}号双创基地", f"榆次竖表{i}号运营管理有限公司") for i in (1, 2)]
    t10 = retyped.a10_vertical(rng, bases)          # two bases: the line's cells stand in their value columns
    rows = [t10.rows[0], line, *t10.rows[2:]]
    wr = read_workbook(retyped.save(tmp_path / "竖表.xlsx", {"附件10": rows}))
    (t,) = [t for t in wr.tables if t.transposed]
    assert t.data["base_name"].tolist() == [b["base_name"] for b in bases]
    said = [p for p in wr.problems if p.cell and p.cell.lstrip("ABCDEFGH") == "2"]      # of the line, wherever
    assert all(p.severity == "info" for p in said), said
    assert not [p for p in wr.problems if p.severity == "warning" and p.rule == "unknown-column"]


@pytest.mark.parametrize("fmt", ["xlsx", pytest.param("xls", marks=pytest.mark.libreoffice)])
def test_a_hidden_base_column_of_a_vertical_a10_is_not_counted_and_a_hidden_line_is_read(tmp_path, fmt):
    """Turned, a vertical 附件10's base columns are its data rows: the one the clerk hid is not counted (one warning
    at its name cell, naming the column), as a hidden row of a table typed the usual way; a hidden line is a
    hidden column of the record, read as a hidden column is."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter
    rng = random.Random(4)
    bases = [retyped.base_values(rng, f"晋中市榆次区竖表{i}号双创基地", f"榆次竖表{i}号运营有限公司") for i in range(3)]
    t10 = retyped.a10_vertical(rng, bases, groups=False)
    path = retyped.save(tmp_path / "竖表.xlsx", {"附件10": t10.rows})
    name_row = next(r for r, row in enumerate(t10.rows, 1) if bases[0]["base_name"] in row)
    wb = load_workbook(path)
    ws = wb["附件10"]
    hidden_col = next(c for c in range(1, ws.max_column + 1) if ws.cell(name_row, c).value == bases[1]["base_name"])
    ws.column_dimensions[get_column_letter(hidden_col)].hidden = True
    staff_row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, hidden_col).value == bases[1]["service_staff"]
                     and ws.cell(r, hidden_col - 1).value == bases[0]["service_staff"])
    ws.row_dimensions[staff_row].hidden = True
    wb.save(path)
    if fmt == "xls":
        from conftest import soffice_convert
        path = soffice_convert(path, "xls", tmp_path / "xls")
    wr = read_workbook(path)
    (a10,) = [t for t in wr.tables if t.transposed]        # three bases side by side: read as a 附件11
    assert list(a10.data["base_name"]) == [bases[0]["base_name"], bases[2]["base_name"]]
    assert list(a10.data["service_staff"]) == [bases[0]["service_staff"], bases[2]["service_staff"]]
    (said,) = [p for p in wr.problems if p.rule == "hidden-row"]
    letter = get_column_letter(hidden_col)
    assert said.severity == "warning" and said.cell == f"{letter}{name_row}" and said.value == bases[1]["base_name"]
    assert f"第 {letter} 列" in said.message and "隐藏的列" in said.message


@pytest.mark.parametrize("title", ["双创基地基本情况", "胡兰双创基地有关情况", None])
def test_a_title_over_a_vertical_a10_does_not_take_the_name_from_its_short_label(tmp_path, title):
    """A lone title on the first line ("双创基地基本情况", not worded as a title) over 项目 | 内容 and a name line
    labelled only 名称 (probe /tmp/lead/s13/p8): turned, the title was a label that took 基地名称 from 名称 —
    the base had no name and 名称's value was 'not read'. Every line of the record is read."""
    rows = ([[title]] if title else []) + [
        ["项目", "内容"], ["名称", "吕梁市文水县胡兰双创基地"], ["运营单位", "文水县胡兰产业园管理有限公司"], ["注册", "2017.8.8"],
        ["独立法人", "是"], ["服务人员", "13"], ["入驻企业", "41"], ["就业", "650"], ["面积", "3.2万平方米"], ["营收", "5200"],
        ["纳税", "310"], ["投资", "600"], ["合作机构", "7"], ["服务次数", "88"], ["服务企业", "120"], ["活动", "16"],
        ["孵化", "5"], ["参赛", "3"], ["小升规", "2"], ["专精特新", "1"], ["高新", "2"], ["政府资金", "85"]]
    path = retyped.save(tmp_path / "文水县" / "基本情况.xlsx", {"Sheet1": rows})
    wr = read_workbook(str(path))
    (t,) = [t for t in wr.tables if t.form_id == "附件10"]
    row = t.data.iloc[0]
    assert (row["base_name"], row["operator"], row["floor_area"], row["gov_funding"]) == (
        "吕梁市文水县胡兰双创基地", "文水县胡兰产业园管理有限公司", 32000.0, 85.0)
    assert not [p for p in wr.problems if p.severity != "info"], [p.message for p in wr.problems if p.severity != "info"]
