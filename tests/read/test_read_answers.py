"""What clerks write that is an answer, not a value: none in a number cell, no base at all, an unfilled
template; units that do not fit their numbers; names with invisible characters."""

from __future__ import annotations

import random
import shutil

import retyped
from xlbase.merge.core import merge_reads
from xlbase.read import read_files, read_workbook

REPO_TEMPLATES = retyped.Path(__file__).resolve().parents[2] / "workbook_templates"


def _rules(wr, rule):
    return [p for p in wr.problems if p.rule == rule]


def test_none_words_in_number_cells_are_zero_with_one_info_per_table(tmp_path):
    rng = random.Random(1)
    bases = [retyped.base_values(rng, f"晋中市榆次区无{i}号双创基地", f"无{i}号运营有限公司") for i in range(3)]
    t = retyped.a10_table(rng, bases, layout="one-row")
    marks = ["/", "—", "－", "无"]
    at = 1 + retyped.A10_KEYS.index("hightech_firms")
    for row, mark in zip(t.rows[3:], marks):
        row[at] = mark
    wr = read_workbook(retyped.save(tmp_path / "a.xlsx", {"Sheet1": t.rows}))
    assert list(wr.tables[0].data["hightech_firms"]) == [0, 0, 0]
    (p,) = _rules(wr, "none-as-zero")
    assert p.severity == "info" and "3 个" in p.message
    assert not _rules(wr, "unparseable") and not [q for q in wr.problems if q.severity == "error"]


def test_a_column_of_yuan_under_a_wan_header_is_a_warning_not_a_silent_sum(tmp_path):
    rng = random.Random(2)
    bases = [retyped.base_values(rng, f"晋中市榆次区大{i}号双创基地", f"大{i}号运营有限公司") for i in range(3)]
    t = retyped.a10_table(rng, bases, layout="one-row")
    at = 1 + retyped.A10_KEYS.index("revenue")
    t.rows[2][at] = "营业收入（万元）"
    for row in t.rows[3:]:
        row[at] = row[at] * 10000                 # typed in 元 under a 万元 header
    wr = read_workbook(retyped.save(tmp_path / "a.xlsx", {"Sheet1": t.rows}))
    (p,) = _rules(wr, "column-implausible")
    assert p.severity == "warning" and p.field == "revenue" and "“营业收入（万元）”" in p.message


def test_a_header_that_states_yuan_is_converted_and_no_doubt_about_its_unit(tmp_path):
    """A county's 附件11 retyped with "总营收（元）": the column is converted ÷10000, and when every base's
    revenue is large the "可能是按更小的单位（如元）填写的；已按万元读取" warning contradicted the conversion the
    same report announced. The header said the unit: converted, no doubt. Bare, the same 元 figures are suspect."""
    rng = random.Random(916)
    bases = [retyped.base_values(rng, f"晋中市太谷区大{i}号双创基地", f"大{i}号运营有限公司") for i in range(3)]
    t = retyped.a10_table(rng, bases, layout="one-row")
    at = 1 + retyped.A10_KEYS.index("revenue")
    wan = [rng.randint(20_000, 90_000) for _ in t.rows[3:]]     # each base over 2亿元: large, not implausible
    for head in ("总营收（元）", "营业收入(元)", "营业收入"):
        t.rows[2][at] = head
        for row, v in zip(t.rows[3:], wan):
            row[at] = v * 10_000
        wr = read_workbook(retyped.save(tmp_path / f"{len(head)}.xlsx", {"Sheet1": t.rows}))
        stated = head != "营业收入"
        assert list(wr.tables[0].data["revenue"]) == (wan if stated else [v * 10_000 for v in wan])
        assert bool(_rules(wr, "column-unit-converted")) is stated
        assert bool(_rules(wr, "column-implausible")) is not stated, head


def test_a_figure_that_states_its_unit_is_no_sign_of_a_unit_typed_wrong(tmp_path):
    """A vertical 附件10 typed with the unit in each value ("46481.9万元"): the clerk said 万元, so the
    "按万元计不合常理，可能是按更小的单位（如元）填写的" warning was untrue. The same figures typed bare are still
    suspect, in a table (all rows) and in a record (its one value)."""
    rng = random.Random(4)
    bases = [retyped.base_values(rng, f"晋中市榆次区大{i}号双创基地", f"大{i}号运营有限公司") for i in range(3)]
    t = retyped.a10_table(rng, bases, layout="one-row")
    at = 1 + retyped.A10_KEYS.index("revenue")
    big = [rng.randint(20_000, 900_000) + 0.5 for _ in t.rows[3:]]
    for row, v in zip(t.rows[3:], big):
        row[at] = f"{v}万元"
    wr = read_workbook(retyped.save(tmp_path / "stated.xlsx", {"Sheet1": t.rows}))
    assert list(wr.tables[0].data["revenue"]) == big and not _rules(wr, "column-implausible")
    for row, v in zip(t.rows[3:], big):
        row[at] = v
    wr = read_workbook(retyped.save(tmp_path / "bare.xlsx", {"Sheet1": t.rows}))
    assert [p.field for p in _rules(wr, "column-implausible")] == ["revenue"]
    for value, suspect in ((f"{big[0]}万元", False), (big[0], True)):
        record = [["小微企业双创基地基本情况表"], ["基地名称", bases[0]["base_name"]], ["运营单位", "大0号运营有限公司"],
                  ["注册时间", "2018年6月"], ["是否独立法人", "是"], ["服务人员", "14人"], ["入驻企业", "31户"],
                  ["吸纳就业", "420人"], ["建筑面积", "1.8万平方米"], ["营业收入", value], ["上缴税金", "12万元"],
                  ["当年完成投资", "420万元"], ["合作服务机构", "7家"], ["服务次数", "66次"], ["服务活动", "15场"]]
        wr = read_workbook(retyped.save(tmp_path / f"record{suspect}.xlsx", {"基地情况": record}))
        assert wr.tables and wr.tables[0].data["revenue"].iloc[0] == big[0]
        assert bool(_rules(wr, "column-implausible")) is suspect, value


def test_a_column_added_to_a_complete_table_is_how_it_was_read_not_a_doubt(tmp_path):
    """A web system's firm export carries ID and 填报时间 columns beside every official one: each was a warning
    "不是本表栏目…如果其中是需要汇总的数据，请改用官方栏目名称" though no field was left to be in it. With every
    required column read, an added column is an info; with one missing, the column might be it: a warning."""
    rng = random.Random(6)
    firms = [retyped.firm_values(rng, i, "榆次区") for i in range(4)]
    added = {"ID": lambda i: str(100230 + i), "填报时间": lambda i: "2024-07-01 10:12:33", "所在楼层": lambda i: f"{i + 2}层"}
    for drop in (None, "profit"):
        t = retyped.a3_table(rng, firms, layout="one-row")
        at = 1 + ["firm_name", "credit_code", "entered_on", "area", "employees", "revenue", "profit",
                  "taxes"].index(drop) if drop else None
        rows = [list(r) for r in t.rows]
        for j, r in enumerate(rows[1:]):
            if at is not None:
                del r[at]
            r += [h for h in added] if j == 0 else [make(j) for make in added.values()]
        wr = read_workbook(retyped.save(tmp_path / f"{drop}.xlsx", {"Sheet1": rows}))
        assert wr.tables and len(wr.tables[0].data) == len(firms)
        said = {p.value: p.severity for p in wr.problems if p.rule in ("extra-column", "unknown-column")}
        assert set(said) == set(added), said
        assert set(said.values()) == ({"info"} if drop is None else {"warning"}), (drop, said)


def test_a_table_answering_no_base_and_a_line_saying_so_are_no_base(tmp_path):
    rng = random.Random(3)
    t = retyped.a10_table(rng, [], layout="groups")
    t.rows.append([1, "本县无申报", "/", "—", 0, 0.0])
    a = retyped.save(tmp_path / "平遥县" / "汇总表.xlsx", {"Sheet1": t.rows})
    b = retyped.save(tmp_path / "祁县" / "汇总表.xlsx",
                     {"Sheet1": [["2024年省级小微企业双创基地基本情况汇总表"], ["填报单位：祁县工信局"], ["暂无"]]})
    reads = read_files([str(a), str(b)], jobs=1)
    for wr in reads:
        assert wr.ok and [t.n_rows for t in wr.tables] == [0]
        assert [p.rule for p in wr.problems] == ["no-base"]
    result = merge_reads(reads)
    assert result.bases == [] and not [p for p in result.problems if p.severity == "error"]
    assert {u for acc in result.accounts for u in acc.units} == {"平遥县", "祁县"}


def test_an_unfilled_template_is_no_base(tmp_path):
    (tmp_path / "忻府区").mkdir()
    path = shutil.copy(REPO_TEMPLATES / "双创基地申报表.xlsx", tmp_path / "忻府区" / "申报表.xlsx")
    wr = read_workbook(path)
    assert [p.rule for p in wr.problems] == ["no-base"] and [t.n_rows for t in wr.tables] == [0]


def test_names_with_invisible_characters_are_one_base(tmp_path):
    rng = random.Random(4)
    name = "晋中市榆次区云谷双创基地"
    base = retyped.base_values(rng, name, "榆次云谷运营管理有限公司")
    one = retyped.a10_table(rng, [base], layout="one-row")
    other = dict(base, base_name="晋中市榆次区\u200b云谷\u00a0双创\n基地", operator="榆次云谷\u3000运营管理有限公司\ufeff")
    two = retyped.a10_table(rng, [other], layout="one-row")
    a = retyped.save(tmp_path / "榆次区" / "汇总表.xlsx", {"Sheet1": one.rows})
    b = retyped.save(tmp_path / "榆次区" / "汇总表(修改).xlsx", {"Sheet1": two.rows})
    result = merge_reads(read_files([str(a), str(b)], jobs=1))
    assert len(result.bases) == 1 and "\u200b" not in result.bases[0].name
    assert [p.rule for p in result.problems if p.rule == "duplicate-base"] == ["duplicate-base"]
