"""Rules over real workbooks written by tests/fixtures/submissions.py, read by the reader."""

from __future__ import annotations

import pytest

from submissions import applicant
from xlbase.read import read_files
from xlbase.rules import load_pack
from xlbase.validate import validate_reads

PACK = load_pack("shanxi-2024-base")


def check(*paths):
    problems, _ = validate_reads(read_files([str(p) for p in paths], jobs=1), PACK)
    return problems


def rules_at(problems, where):
    sheet, cell = where.split("!")
    return sorted(p.rule for p in problems if (p.sheet, p.cell) == (sheet, cell))


@pytest.mark.parametrize("typed,expected", [("约450", ["unparseable"]), ("450余", ["unparseable"]),
                                            ("无", ["required"]), ("—", ["required"]), (None, ["required"])])
def test_a_filled_but_unparseable_value_is_one_problem_not_also_required(tmp_path, typed, expected):
    path = applicant(tmp_path / "a.xlsx", a10={"employees": typed})
    assert rules_at(check(path), "附件10!H3") == expected
