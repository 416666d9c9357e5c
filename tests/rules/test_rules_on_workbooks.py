"""Rules over real workbooks written by tests/fixtures/submissions.py, read by the reader."""

from __future__ import annotations

import pytest

from submissions import applicant
from xlbase.read import read_files
from xlbase.rules import load_pack
from xlbase.commands.validate import validate_reads

PACK = load_pack("shanxi-2024-base")


def check(*paths):
    problems, _ = validate_reads(read_files([str(p) for p in paths], jobs=1), PACK)
    return problems


def rules_at(problems, where):
    sheet, cell = where.split("!")
    return sorted(p.rule for p in problems if (p.sheet, p.cell) == (sheet, cell))


# "无" / "—" in a number cell mean none: 0 (one info), so 0 employees against the firms' sum is what is left
# an estimate ("约450", "450余") is read as a range (read.estimates): one info saying so, and the total it leaves out
# marked incomplete — never also "required"
@pytest.mark.parametrize("typed,expected", [("约450", ["incomplete-total", "value-estimate"]),
                                            ("450余", ["incomplete-total", "value-estimate"]),
                                            ("4五0", ["unparseable"]),
                                            ("无", ["employee-sum-match", "none-as-zero"]),
                                            ("—", ["employee-sum-match", "none-as-zero"]), (None, ["required"])])
def test_a_filled_but_unparseable_value_is_one_problem_not_also_required(tmp_path, typed, expected):
    path = applicant(tmp_path / "a.xlsx", a10={"employees": typed})
    assert rules_at(check(path), "附件10!H3") == expected


def of(problems, rule):
    return [p for p in problems if p.rule == rule]


def test_a_resubmitted_copy_is_judged_on_its_own_rows_not_added_to_the_first(tmp_path):
    from xlbase.merge.core import merge_reads
    first = applicant(tmp_path / "晨光_申报表.xlsx")
    again = applicant(tmp_path / "晨光_申报表_修改版.xlsx", a10={"revenue": 900})
    problems = check(first, again)
    for rule in ("firm-duplicate", "firm-count-match", "employee-sum-match", "small-micro-share", "comparables-min",
                 "rent-discount"):
        assert of(problems, rule) == [], rule
    merged = merge_reads(read_files([str(first), str(again)], jobs=1))
    assert len([p for p in merged.problems if p.rule == "duplicate-base"]) == 1


def test_a_duplicate_firm_inside_one_copy_is_still_found_once(tmp_path):
    from submissions import firm_rows
    rows = firm_rows(30)
    rows[7][1:3] = rows[2][1:3]          # the 8th firm repeats the 3rd's name and code
    first = applicant(tmp_path / "a.xlsx")
    again = applicant(tmp_path / "b.xlsx", firms=rows)
    dups = of(check(first, again), "firm-duplicate")
    # one repeated row is one mistake: reported once, at the first field that repeats (name, then code)
    assert sorted((p.file.rsplit("/", 1)[-1], p.cell) for p in dups) == [("b.xlsx", "B11")]
    assert all("B6" in p.message for p in dups)


def test_without_a10_the_counts_and_type_thresholds_use_a2(tmp_path):
    # 附件2 says 30 firms, 附件3 lists 12: the mismatch is reported at 附件2's cell, and 附件10 named as missing
    few = applicant(tmp_path / "few.xlsx", forms=("附件2", "附件3", "附件4"), n_firms=12, a2_firms=30)
    problems = check(few)
    (count,) = of(problems, "firm-count-match")
    assert (count.form, count.sheet, count.value, count.threshold) == ("附件2", "附件2", 30, 12)
    assert count.message.startswith("附件2 已入驻企业数填 30 户")
    (missing,) = of(problems, "forms-missing")
    assert (missing.severity, missing.form, missing.base) == ("warning", "附件10", "忻州市忻府区晨光楼宇双创基地")
    assert "附件10" in missing.message
    # 18 firms on a 楼宇型 base: below 25, judged on 附件2 when 附件10 is missing
    (low,) = of(check(applicant(tmp_path / "low.xlsx", forms=("附件2", "附件3", "附件4"), n_firms=18)),
                "resident-firms-min")
    assert (low.form, low.value, low.threshold) == ("附件2", 18, 25)


def test_with_a10_the_a2_fallback_is_not_checked_twice(tmp_path):
    problems = check(applicant(tmp_path / "low.xlsx", n_firms=18))
    assert [(p.form, p.value) for p in of(problems, "resident-firms-min")] == [("附件10", 18)]
    assert [p.form for p in of(problems, "forms-missing")] == []


# a workbook holding only a 附件3 that names no base is a firm list sent apart from its base (merge.attach):
# which base it belongs to is the finding, not a missing 附件10
@pytest.mark.parametrize("forms,missing", [(("附件3",), []), (("附件2", "附件4"), ["附件10", "附件3"]),
                                           (("附件10",), [])])
def test_a_missing_form_is_named_only_in_an_applicant_workbook(tmp_path, forms, missing):
    problems = check(applicant(tmp_path / "x.xlsx", forms=forms))
    assert sorted(p.form for p in of(problems, "forms-missing")) == missing
    assert len(of(problems, "firms-base-unclear")) == (1 if forms == ("附件3",) else 0)
    # a base known by name carries it; one without a name (附件3 alone) carries none, never a key or "nan"
    # (the merge's incomplete-total is about a 汇总 column, no base's: validate reports what merge does)
    assert {p.base for p in problems if p.rule != "incomplete-total"} == \
        ({""} if forms == ("附件3",) else {"忻州市忻府区晨光楼宇双创基地"})


def test_the_unknown_type_notice_says_where_to_give_the_type(tmp_path):
    # a hand-made 附件10 without a 基地类型 column, no 附件2: no dropdown to point at
    (hand,) = of(check(applicant(tmp_path / "h.xlsx", forms=("附件3", "附件10"), base_type=None)), "resident-firms-min")
    assert "没有“基地类型”栏" in hand.message and "附件2或附件10" in hand.message and "下拉" not in hand.message
    # the column is there but empty: choose from it
    (ours,) = of(check(applicant(tmp_path / "o.xlsx", forms=("附件3", "附件10"), base_type=None,
                                 a10_type_column=True)), "resident-firms-min")
    assert "下拉列表" in ours.message and "没有“基地类型”栏" not in ours.message


def test_a_comparable_without_a_readable_rent_does_not_count(tmp_path):
    sites = [("和平大厦", 1.0, 100), ("长征写字楼", 2.0, "面议"), ("开元广场", 2.5, 100)]
    (p,) = of(check(applicant(tmp_path / "r.xlsx", sites=sites)), "comparables-min")
    assert (p.value, p.threshold) == (2, 3) and "另有 1 家租金未填或无法识别，未计入" in p.message
    assert of(check(applicant(tmp_path / "ok.xlsx")), "comparables-min") == []


def test_problems_on_a_summary_row_carry_that_base_name(tmp_path):
    from openpyxl import load_workbook

    from messy import summary_workbook
    path = tmp_path / "附件11.xlsx"
    exp = summary_workbook(path)
    first = exp["rows"][0]
    wb = load_workbook(path)
    wb.active[first["resident_firms"][1]] = "约25"      # an estimate: a reader problem on that row
    wb.save(path)
    (p,) = [p for p in check(path) if p.rule == "value-estimate"]
    assert p.base == first["base_name"][0]
