"""firm-count-match and employee-sum-match on a 汇总表: its 附件11 rows against its 入驻企业 rows (read as
附件3 rows that each name their base), never against firm rows that do not name the 附件11 row's base."""

from __future__ import annotations

from rules_kit import BASE, a3_rows, a10_row, col, table
from xlbase.rules import load_pack, validate

PACK = load_pack("shanxi-2024-base")
RULES = ("firm-count-match", "employee-sum-match")
SUMMARY = "汇总表.xlsx"


def _summary_a11(*rows: dict) -> object:
    """附件11 as the reader gives a 汇总表's: `_base` per row."""
    t = table("附件11", [a10_row(base_name=f"基地{k}", **r) for k, r in rows], file=SUMMARY)
    t.data["_base"] = [k for k, _ in rows]
    return t


def _firm_list(per_base: dict[str, int]) -> object:
    """The 汇总表's 入驻企业 sheet as the reader gives it: 附件3 rows with `_base` and `_base_name`."""
    keys = [k for k, n in per_base.items() for _ in range(n)]
    t = table("附件3", a3_rows(len(keys)), file=SUMMARY)
    t.data["_base"], t.data["_base_name"] = keys, [f"基地{k}" for k in keys]
    return t


def found(tables):
    return sorted((p.rule, p.form, p.cell, p.value, p.threshold) for p in validate(tables, PACK) if p.rule in RULES)


def test_a_summary_row_is_checked_against_its_own_firm_rows():
    # b1: 3 firms, 30 employees as stated; b2: 2 firms of 10 employees, stated 5 and 200
    tables = [_summary_a11(("b1", {}), ("b2", dict(resident_firms=5, employees=200))),
              _firm_list({"b1": 3, "b2": 2})]
    assert found(tables) == [("employee-sum-match", "附件11", f"{col('附件11', 'employees')}6", 200, 20),
                             ("firm-count-match", "附件11", f"{col('附件11', 'resident_firms')}6", 5, 2)]


def test_a_hand_typed_summary_is_not_compared_with_firm_rows_that_do_not_name_its_bases():
    # an applicant's 附件3 in the same workbook as a hand-typed 附件11 row of its base: not that row's firm list
    a11 = _summary_a11((BASE["key"], dict(resident_firms=99, employees=999)))
    assert found([a11, table("附件3", a3_rows(3), file=SUMMARY)]) == []
    assert found([a11]) == []
    # firm rows whose base the 汇总表 could not name (blank key) count for no row, not for a blank-named one
    blank = _summary_a11(("", dict(resident_firms=7)))
    assert found([blank, _firm_list({"": 2})]) == []
