"""Resubmissions: the revised file wins by its name, and what was not adopted stops counting as errors."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from merge_helpers import applicant_read, base_row, summary_read

from xlbase.merge.core import merge_reads
from xlbase.merge.dedupe import SUPERSEDED_NOTE, superseded_problems
from xlbase.merge.revision import revision_rank
from xlbase.problems import ERROR, INFO, Problem

NAME, OP = "忻州市五台县台怀文旅创客双创基地", "五台县台怀文旅有限公司"
ORIGINAL = "五台县_台怀_申报表"


@pytest.mark.parametrize("revised", [
    f"{ORIGINAL}(修改).xlsx", f"{ORIGINAL}-修改.xlsx", f"{ORIGINAL}_修改版.xlsx", f"{ORIGINAL} 0820.xlsx",
    f"Re_{ORIGINAL}.xlsx", f"{ORIGINAL}v2.xlsx", f"{ORIGINAL}_第二版.xlsx", f"{ORIGINAL}（更正）.xlsx",
])
def test_the_revised_file_is_adopted_whatever_its_name_sorts_like(tmp_path, revised):
    old = applicant_read(tmp_path / f"{ORIGINAL}.xlsx", base_row(NAME, OP, service_staff=5))
    new = applicant_read(tmp_path / revised, base_row(NAME, OP, service_staff=12, revenue=None))  # even less complete
    for reads in ([old, new], [new, old]):
        res = merge_reads(reads)
        (b,) = res.bases
        assert b.file == str(tmp_path / revised) and b.values["service_staff"] == 12


def test_a_plain_copy_loses_to_its_original(tmp_path):
    original = applicant_read(tmp_path / f"{ORIGINAL}.xlsx", base_row(NAME, OP))
    copy = applicant_read(tmp_path / f"{ORIGINAL}（1）.xlsx", base_row(NAME, OP))
    (b,) = merge_reads([copy, original]).bases
    assert b.file == str(tmp_path / f"{ORIGINAL}.xlsx")


@given(st.sampled_from(["", "(修改)", "_修改版", " 0820", "v2", "_第三版"]), st.sampled_from(["", "（1）", " - 副本"]))
def test_a_revision_outranks_the_original_and_a_copy_never_does(mark, copy):
    assert revision_rank(f"{ORIGINAL}{mark}.xlsx") >= revision_rank(f"{ORIGINAL}.xlsx")
    if mark:
        assert revision_rank(f"{ORIGINAL}{mark}.xlsx") > revision_rank(f"{ORIGINAL}.xlsx")
    if copy:
        assert revision_rank(f"{ORIGINAL}{copy}.xlsx") < revision_rank(f"{ORIGINAL}.xlsx")


def test_a_county_list_for_its_own_base_beats_a_neighbours(tmp_path):
    row = base_row("忻州市偏关县老牛湾双创基地", "偏关县老牛湾文旅有限公司")
    own = summary_read(tmp_path / "偏关县" / "偏关县附件11.xlsx", [row])
    own.tables[0].base = {"city": "忻州市", "county": "偏关县"}
    other = summary_read(tmp_path / "五寨县" / "五寨县附件11.xlsx", [dict(row, service_staff=3)])
    other.tables[0].base = {"city": "忻州市", "county": "五寨县"}
    (b,) = merge_reads([own, other]).bases
    assert "偏关县附件11" in b.file


def test_problems_of_the_file_not_adopted_become_notes(tmp_path):
    old_path, new_path = tmp_path / f"{ORIGINAL}.xlsx", tmp_path / f"{ORIGINAL}(修改).xlsx"
    res = merge_reads([applicant_read(old_path, base_row(NAME, OP)), applicant_read(new_path, base_row(NAME, OP))])
    found = [Problem("tutors-min", ERROR, "专业创业辅导员 2 人，少于 3 人", str(old_path), "附件2", "D10"),
             Problem("tutors-min", ERROR, "专业创业辅导员 2 人，少于 3 人", str(new_path), "附件2", "D10")]
    stale, kept = superseded_problems(found, res)
    assert stale.severity == INFO and stale.message.startswith(SUPERSEDED_NOTE)
    assert kept == found[1]
    assert [p for p in res.problems if p.rule == "duplicate-base"]   # the warning itself stays


def test_a_corrected_resubmission_clears_the_county(tmp_path):
    """End to end: the original has too few tutors, the '(修改)' file fixes it; the county can report."""
    import json

    from submissions import applicant

    from xlbase.commands.merge import merge_command

    inbox = tmp_path / "忻府区"
    inbox.mkdir()
    applicant(inbox / "晨光_申报表.xlsx", a2={"tutors": 1})
    applicant(inbox / "晨光_申报表(修改).xlsx", a2={"tutors": 4})
    out = tmp_path / "汇总表.xlsx"
    res = merge_command([str(inbox)], out=out, json_out=out.with_suffix(".json"), jobs=1, quiet=True)
    rep = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    tutors = [p for p in rep["problems"] if p["rule"] == "tutors-min"]
    assert len(tutors) == 1 and tutors[0]["severity"] == "info" and tutors[0]["message"].startswith(SUPERSEDED_NOTE)
    assert tutors[0]["file"].endswith("晨光_申报表.xlsx")
    assert res.exit_code == 0, [p for p in rep["problems"] if p["severity"] == "error"]
