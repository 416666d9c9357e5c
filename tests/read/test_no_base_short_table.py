"""A county with no base that says so under a short table of its own (基地名称 | 运营主体 | 入驻企业数, then
one row: 无) — a header no known form has, so the table finder passes it by. That is the county's answer
"no base this year" (one info, no error); a short table holding anything else is still reported."""

from __future__ import annotations

import subprocess
import sys

import random

import pytest
import retyped
from hypothesis import HealthCheck, example, given, settings, strategies as st

from xlbase.merge.core import merge_reads
from xlbase.read import read_files, read_workbook
from xlbase.read.grid import Sheet
from xlbase.read.no_base import no_base_table

# how clerks head the base's own columns, and the others they add (words of the retyped corpus, two clerks);
# not 依托单位 (the sponsor) nor 管理机构 (read as 合作服务机构 first): with no values below, a short header
# has only its words, and these name no base by them
NAME_WORDS = [w for w in retyped.CLERK_WORDS["base_name"] + retyped.OTHER_WORDS["base_name"]
              + retyped.CLERK_WORDS["operator"] + retyped.OTHER_WORDS["operator"] if w not in ("依托单位", "管理机构")]
OTHER_WORDS = [w for key in ("resident_firms", "employees", "revenue", "floor_area", "service_staff")
               for w in retyped.CLERK_WORDS[key] + retyped.OTHER_WORDS[key]]
ANSWERS = (*retyped.NO_BASE_ANSWERS, "本县暂无申报", "今年没有符合条件的基地", "暂无申报项目", "/", "—", "－")
BLANKS = ("", "/", "／", "—", "－", 0)
MARKS = frozenset(b for b in BLANKS if b)


@st.composite
def short_answers(draw):
    """A sheet: maybe a title and a 填报单位 line, a short header naming the base one way or another among
    others, maybe a 序号 column, and one row whose only content is the answer (none-marks beside it)."""
    heads = [draw(st.sampled_from(NAME_WORDS))]
    heads += draw(st.lists(st.sampled_from(OTHER_WORDS), min_size=1, max_size=5, unique=True))
    heads = draw(st.permutations(heads))
    numbered = draw(st.booleans())
    answer = draw(st.sampled_from(ANSWERS))
    at = draw(st.integers(0, len(heads) - 1))
    row = [answer if i == at else draw(st.sampled_from(BLANKS)) for i in range(len(heads))]
    rows = []
    if draw(st.booleans()):
        rows.append(["2024年省级小微企业双创基地情况"])
    if draw(st.booleans()):
        rows.append(["填报单位：神池县工业和信息化局", "", "日期：2024年8月"])
    rows.append((["序号"] if numbered else []) + list(heads))
    rows.append(([1] if numbered else []) + row)
    return rows, answer


@given(short_answers())
@example(([["申报单位名称", "入驻企业"], ["/", ""]], "/"))   # 申报单位名称 was taken for a 填报单位 line (CI draw)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_short_table_saying_none_is_the_answer_no_base(case):
    rows, answer = case
    got = no_base_table("神池县.xlsx", [Sheet("Sheet1", rows)])
    assert got is not None, rows
    table, info = got
    assert table.data.empty and info.rule == "no-base" and info.severity == "info"
    r = len(rows) - 1        # the answer's own cell, or with marks alone the first of them
    c = next(c for c, v in enumerate(rows[r]) if v == answer or (answer in MARKS and v in MARKS))
    assert info.cell == f"{'ABCDEFGH'[c]}{r + 1}" and f"“{rows[r][c]}”" in info.message


@given(short_answers(), st.sampled_from([("忻州市神池县创客双创基地", "神池创客运营有限公司", 30),
                                         ("某某基地", 12), (30, 450), ("无", "某某运营有限公司")]))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_short_table_holding_values_is_no_answer(case, values):
    """A row of values under the header (a base typed into a table no form has, or 无 beside a name) is no
    answer: the sheet must still be reported, never read as "no base"."""
    rows, _ = case
    header = rows[-2]
    rows[-1] = list(values) + [""] * (len(header) - len(values))
    assert no_base_table("神池县.xlsx", [Sheet("Sheet1", rows)]) is None


def test_a_header_that_names_no_base_is_no_answer():
    rows = [["科目", "金额", "备注"], ["无", "/", ""]]           # a page of accounts, not a base list
    assert no_base_table("a.xlsx", [Sheet("Sheet1", rows)]) is None
    assert no_base_table("a.xlsx", [Sheet("Sheet1", [["2024年情况"], ["/"]])]) is None   # a mark with no header


@pytest.mark.parametrize("layout", retyped.LAYOUTS_A10)
@pytest.mark.parametrize("marks", [["/"], ["—", "/"], ["－", "", "—"]])
def test_a_full_table_whose_row_is_struck_through_is_no_base(tmp_path, layout, marks):
    """The county's 附件11 retyped in full, its one row "/" in every cell it filled: no base (one info at the
    row), never a base named "/" (a 汇总表 row without a name is an error)."""
    t = retyped.a10_table(random.Random(len(layout)), [], layout=layout, county_of=["祁县"])
    width = len(retyped.A10_KEYS) + 1
    t.rows.append([1] + [marks[i % len(marks)] for i in range(width - 1)])
    path = retyped.save(tmp_path / "祁县" / "汇总表.xlsx", {"Sheet1": t.rows})
    reads = read_files([str(path)], jobs=1)
    [wr] = reads
    assert wr.ok and [t.n_rows for t in wr.tables] == [0]
    [info] = wr.problems
    assert (info.rule, info.severity) == ("no-base", "info") and info.cell.endswith(str(len(t.rows)))
    result = merge_reads(reads)
    assert result.bases == [] and not [p for p in result.problems if p.severity != "info"]


def test_lines_after_a_table_of_values_do_not_make_it_an_answer():
    rows = [["基地名称", "运营主体", "入驻企业数"], ["某某双创基地", "某某公司", 30], ["无"]]
    assert no_base_table("a.xlsx", [Sheet("Sheet1", rows)]) is None


def _county(tmp, county: str, heads: list[str], answer: str):
    return retyped.save(tmp / county / f"{county}.xlsx", {"Sheet1": [
        [f"{county}小微企业双创基地情况"], [f"填报单位：{county}工信局"], heads, [answer] + ["/"] * (len(heads) - 2)]})


def test_counties_answering_under_short_tables_merge_to_no_base_and_no_error(tmp_path):
    files = [_county(tmp_path, "神池县", ["基地名称", "运营主体", "入驻企业数"], "无"),
             _county(tmp_path, "五寨县", ["双创基地", "运营单位", "企业户数", "就业人数"], "本县无申报"),
             _county(tmp_path, "岢岚县", ["名称", "入驻企业"], "暂无")]
    reads = read_files([str(f) for f in files], jobs=1)
    for wr in reads:
        assert wr.ok and [t.n_rows for t in wr.tables] == [0], wr.problems
        assert [(p.rule, p.severity) for p in wr.problems] == [("no-base", "info")]
    result = merge_reads(reads)
    assert result.bases == [] and not [p for p in result.problems if p.severity == "error"]
    assert {u for acc in result.accounts for u in acc.units} == {"神池县", "五寨县", "岢岚县"}


def test_a_short_table_of_a_base_is_still_reported(tmp_path):
    path = retyped.save(tmp_path / "a.xlsx", {"Sheet1": [
        ["基地名称", "运营主体", "入驻企业数"], ["某某双创基地", "某某运营有限公司", 30],
        ["另一双创基地", "另一运营有限公司", 25], ["第三双创基地", "第三运营有限公司", 12]]})
    wr = read_workbook(path)
    assert not wr.ok and [p.severity for p in wr.problems if p.rule == "file-unusable"] == ["error"]


def test_read_command_says_no_base(tmp_path):
    path = _county(tmp_path, "神池县", ["基地名称", "运营主体", "入驻企业数"], "无")
    out = subprocess.run([sys.executable, "-m", "xlbase", "read", str(path)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "没有基地" in out.stdout and "本年度没有申报基地" in out.stdout and "无法读取" not in out.stdout.split("共")[0]


@pytest.mark.parametrize("said", ["本县今年无符合条件的申报主体", "本年度未申报", "未申报", "无拟推荐基地", "无（本县今年没有申报）",
                                  "无此项", "本县（区）无申报", "2024年度无申报", "我县无小微企业双创基地", "无申报项目。"])
def test_other_ways_of_saying_no_base(said):
    rows = [["2024年省级小微企业双创基地基本情况汇总表"], ["填报单位：祁县工信局"], ["基地名称", "运营单位", "入驻企业数"],
            [said, "", ""]]
    got = no_base_table("祁县.xlsx", [Sheet("Sheet1", rows)])
    assert got is not None and got[1].cell == "A4"


@given(st.sampled_from(["无锡", "未来", "无界", "未名", "无人机", "无限", "未央"]),
       st.sampled_from(["创客", "科创", "电商", "", "产业"]), st.sampled_from(["双创基地", "产业园", "科技有限公司", "孵化器"]))
def test_a_name_holding_a_none_word_is_a_base(head, word, tail):
    """无锡创客双创基地, 未来城产业园: a name, so a row holding it is a base's, whatever else the row says."""
    name = f"{head}{word}{tail}"
    rows = [["基地名称", "运营单位", "入驻企业数"], [name, "/", "/"]]
    assert no_base_table("祁县.xlsx", [Sheet("Sheet1", rows)]) is None
