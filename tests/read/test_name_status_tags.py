"""A base's name with the submission's status bracketed after it — "…双创基地（续报）", "…（2024年新申报）", "…【拟推荐】"
(data/names.yaml status_tags) — is read without it, with one info: the applicant's own 附件10 names the base
without the tag, and before, the county's 汇总表 row and the applicant's file were two bases in the 汇总表 (and no
warning said so). A bracket that is part of a name (…（晋中）双创基地, …（一期）) is kept."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from xlbase.forms import get_form, name_words
from xlbase.merge.core import merge_reads
from xlbase.read import read_files, read_workbook
from xlbase.read.labels import status_tag

TAGS = list(name_words()["status_tags"])
BRACKETS = [("（", "）"), ("(", ")"), ("【", "】"), ("[", "]"), (" (", ")")]
NAMES = ["侯马市紫金山科创双创基地", "榆次区智谷众创空间", "晋中（榆次）青创园双创基地", "太原市小店区汇智产业园"]


@given(st.sampled_from(NAMES), st.sampled_from(TAGS), st.sampled_from(BRACKETS), st.sampled_from(["", "2024年", "2024年度"]))
def test_a_status_after_a_name_is_no_part_of_it(name, tag, bracket, year):
    typed = f"{name}{bracket[0]}{year}{tag}{bracket[1]}"
    assert status_tag(typed) == (name, typed[len(name):].strip())


@given(st.sampled_from(NAMES), st.sampled_from(["一期", "晋中", "筹", "A座", "东区", "孵化器", "有限公司"]),
       st.sampled_from(BRACKETS))
def test_a_bracket_that_names_is_kept(name, words, bracket):
    assert status_tag(f"{name}{bracket[0]}{words}{bracket[1]}") is None
    assert status_tag(name) is None


def _a11(path, rows):
    heads = ["序号"] + [f.label for f in get_form("附件11").official_table_fields]
    wb = Workbook()
    ws = wb.active
    ws.append(["侯马市双创基地汇总表"])
    ws.append(heads)
    for i, r in enumerate(rows, 1):
        ws.append([i, *r])
    wb.save(path)


def _row(name):
    return [name, "侯马市紫金山科技服务有限公司", "2018-09-01", "是", 10, 30, 210, 5100, 620, 18, 70, 5, 12, 33, 6, 1, 0,
            0, 0, 0, 8]


def test_the_county_row_with_a_tag_and_the_applicants_file_are_one_base(tmp_path):
    folder = tmp_path / "侯马市"
    folder.mkdir()
    _a11(folder / "侯马市汇总表.xlsx", [_row("侯马市紫金山科创双创基地（续报）"), _row("侯马市乔山文创双创基地")])
    wb = Workbook()
    ws = wb.active
    ws.title = "附件10"
    ws.append(["附件10"])
    ws.append(["序号"] + [f.label for f in get_form("附件10").official_table_fields])
    ws.append([1, *_row("侯马市紫金山科创双创基地")])
    wb.save(folder / "紫金山附件10.xlsx")
    reads = read_files([str(p) for p in sorted(folder.iterdir())])
    (said,) = [p for wr in reads for p in wr.problems if p.rule == "name-status-tag"]
    assert said.cell == "B3" and said.severity == "info" and "（续报）" in said.message
    t = next(t for wr in reads for t in wr.tables if t.form_id == "附件11")
    assert t.data["base_name"].tolist() == ["侯马市紫金山科创双创基地", "侯马市乔山文创双创基地"]
    merged = merge_reads(reads)
    assert sorted(b.values["base_name"] for b in merged.bases) == ["侯马市乔山文创双创基地", "侯马市紫金山科创双创基地"]


def test_a_name_without_a_tag_is_read_as_typed(tmp_path):
    _a11(tmp_path / "t.xlsx", [_row("侯马市紫金山科创双创基地（一期）")])
    wr = read_workbook(str(tmp_path / "t.xlsx"))
    assert wr.tables[0].data["base_name"].tolist() == ["侯马市紫金山科创双创基地（一期）"]
    assert not [p for p in wr.problems if p.rule == "name-status-tag"]
