"""Merge core on hand-built tables: dedupe rule, accounting, duplicate firms, level."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from merge_helpers import applicant_read, base_row, firm, summary_read
from xlbase.merge.core import merge_reads
from xlbase.merge.level import infer_level
from xlbase.table import WorkbookRead

A = "忻州市忻府区云中双创基地"
B = "忻州市原平市原平创业园双创基地"


def test_applicant_beats_summary_row_and_names_both():
    app = applicant_read("in/忻府区/a.xlsx", base_row(A, "云中公司", firms=2), [firm("甲", "91140900MA0K000001"), firm("乙", "91140900MA0K000002")])
    summ = summary_read("in/忻府区/汇总.xlsx", [base_row(A, "云中 公司", firms=99), base_row(B, "原平公司")])
    res = merge_reads([summ, app])
    names = [b.name for b in res.bases]
    assert names == [A, B] or sorted(names) == sorted([A, B])
    a = next(b for b in res.bases if b.name == A)
    assert a.values["resident_firms"] == 2 and a.file.endswith("a.xlsx")
    dups = [p for p in res.problems if p.rule == "duplicate-base"]
    assert len(dups) == 1 and "a.xlsx" in dups[0].message and "汇总.xlsx" in dups[0].message
    assert len(res.firms) == 2
    acc = {x.file: x for x in res.accounts}
    assert (acc["in/忻府区/a.xlsx"].rows_read, acc["in/忻府区/a.xlsx"].rows_merged) == (3, 3)
    assert (acc["in/忻府区/汇总.xlsx"].rows_read, acc["in/忻府区/汇总.xlsx"].rows_rejected) == (2, 1)


def test_two_applicants_more_complete_wins_then_later_file():
    full = base_row(A, "云中公司")
    partial = base_row(A, "云中公司", taxes=None, gov_funding=None)
    r1 = applicant_read("x/1.xlsx", full, [firm("甲", "91140900MA0K000001")])
    r2 = applicant_read("x/2.xlsx", partial, [firm("甲", "91140900MA0K000001")])
    res = merge_reads([r1, r2])
    assert len(res.bases) == 1 and res.bases[0].file == "x/1.xlsx"
    assert len(res.firms) == 1  # the loser's firms are not counted twice
    assert not [p for p in res.problems if p.rule == "duplicate-enterprise"]
    res2 = merge_reads([applicant_read("x/1.xlsx", full), applicant_read("x/2.xlsx", dict(full))])
    assert res2.bases[0].file == "x/2.xlsx"


def test_duplicate_enterprise_across_bases():
    r1 = applicant_read("x/1.xlsx", base_row(A, "云中公司"), [firm("甲", "91140900MA0K000001")])
    r2 = applicant_read("x/2.xlsx", base_row(B, "原平公司"), [firm("甲公司", "91140900ma0k000001 ")])
    res = merge_reads([r1, r2])
    d = [p for p in res.problems if p.rule == "duplicate-enterprise"]
    assert len(d) == 1 and A in d[0].message and B in d[0].message
    assert len(res.firms) == 2


def test_sample_and_unnamed_rows_rejected_with_problem():
    rows = [base_row("x 市 x 县（区）xx 双创基地", ""), base_row(None, "某公司"), base_row(B, "原平公司")]
    res = merge_reads([summary_read("c/汇总.xlsx", rows)])
    assert [b.name for b in res.bases] == [B]
    assert {p.rule for p in res.problems} == {"merge-sample-row", "merge-unnamed-base"}
    assert res.accounts[0].rows_rejected == 2


def test_unusable_file_counts_zero_rows():
    res = merge_reads([WorkbookRead("c/bad.xlsx", "corrupt-zip")])
    assert res.accounts[0].rows_read == 0 and res.bases == []


def test_totals_and_level():
    res = merge_reads([summary_read("c/s.xlsx", [base_row(A, "p", firms=30), base_row(B, "q", firms=12, revenue=0.1)])])
    t = res.totals()
    assert t["resident_firms"] == 42 and abs(t["revenue"] - 100.1) < 1e-9
    assert infer_level(res) == "city"
    tai = base_row("太原市小店区某双创基地", "r")
    assert infer_level(merge_reads([summary_read("c/s.xlsx", [base_row(A, "p"), tai])])) == "province"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([A, B, "忻州市代县代州双创基地", "", "x 市 x 县（区）xx 双创基地"]),
                          st.sampled_from(["甲公司", "乙公司"]), st.integers(0, 3), st.booleans()), max_size=8))
def test_accounting_identity_holds_for_any_mix(specs):
    reads = []
    for i, (name, op, nfirms, is_app) in enumerate(specs):
        row = base_row(name or None, op)
        firms = [firm(f"企业{j}", f"9114090000000{i:02d}{j:03d}") for j in range(nfirms)]
        reads.append(applicant_read(f"d/{i}.xlsx", row, firms) if is_app else summary_read(f"d/{i}.xlsx", [row]))
    res = merge_reads(reads)  # asserts the identity itself
    assert sum(a.rows_read for a in res.accounts) == sum(1 + (n if app else 0) for _, _, n, app in specs)
    assert len({b.key for b in res.bases}) == len(res.bases)
