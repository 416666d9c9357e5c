"""One base arriving twice with different values: a base-conflict warning per differing field, at both cells."""

from __future__ import annotations

from merge_helpers import applicant_read, base_row, summary_read

from xlbase.forms import get_form
from xlbase.merge.conflicts import same_value
from xlbase.merge.core import merge_reads

NAME, OPERATOR = "忻州市忻府区云中双创基地", "忻州云中科技发展有限公司"
COLUMNS = {"base_name": 2, "service_staff": 6, "employees": 8, "revenue": 10}


def _with_columns(read):
    for t in read.tables:
        if t.form_id in ("附件10", "附件11"):
            t.columns = dict(COLUMNS)
    return read


def conflicts(reads):
    return [p for p in merge_reads(reads).problems if p.rule == "base-conflict"]


def test_a_county_list_row_and_the_application_disagreeing_is_a_warning_at_both_cells(tmp_path):
    app = _with_columns(applicant_read(tmp_path / "云中_申报表.xlsx", base_row(NAME, OPERATOR, employees=2064)))
    county = _with_columns(summary_read(tmp_path / "忻府区汇总表.xlsx", [base_row(NAME, OPERATOR, employees=2046)]))
    ps = conflicts([app, county])
    assert {(p.file, p.sheet, p.cell, p.value, p.threshold) for p in ps} == {
        (str(tmp_path / "云中_申报表.xlsx"), "附件10", "H5", 2064, 2046),
        (str(tmp_path / "忻府区汇总表.xlsx"), "附件11", "H5", 2046, 2064)}
    for p in ps:
        assert p.severity == "warning" and p.field == get_form("附件11").field("employees").label
        assert "2064" in p.message and "2046" in p.message and "汇总表采用了 2064" in p.message
        assert "申报表优先于汇总表中的行" in p.message
    assert {p.form for p in ps} == {"附件10", "附件11"}


def test_equal_or_one_sided_values_are_no_conflict(tmp_path):
    app = _with_columns(applicant_read(tmp_path / "a.xlsx", base_row(NAME, OPERATOR, revenue=None)))
    county = _with_columns(summary_read(tmp_path / "s.xlsx", [base_row(NAME, OPERATOR, revenue=80.0)]))
    assert conflicts([app, county]) == []         # revenue stated once only; the rest equal


def test_a_resubmission_wins_and_both_values_are_named(tmp_path):
    old = _with_columns(applicant_read(tmp_path / "云中_申报表.xlsx", base_row(NAME, OPERATOR, service_staff=12)))
    new = _with_columns(applicant_read(tmp_path / "云中_申报表（修改）.xlsx", base_row(NAME, OPERATOR, service_staff=15)))
    ps = conflicts([old, new])
    assert len(ps) == 2 and all("汇总表采用了 15" in p.message and "重新报送" in p.message for p in ps)
    assert {p.cell for p in ps} == {"F5"}


def test_values_compare_as_the_same_fact():
    assert same_value(2064, 2064.0, True) and not same_value(2064, 2046, True)
    assert same_value(0.1 + 0.2, 0.3, True)            # a 15-digit round trip is the same number
    assert same_value("是", "是", False) and same_value(True, True, False) and not same_value(True, False, False)
    assert same_value(" 忻府区工信局 ", "忻府区工信局", False)
