"""Strangers' county tables (tests/fixtures/strangers.py, words written from the notice alone), merged by
`xlbase merge` in a subprocess and measured per layout family: every cell under its right column, none
under a wrong one, every base once, and no 错误 the county would not really have to fix."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, strategies as st

import strangers
import strangers_measure
from xlbase.read.profile import cell_kind
from xlbase.read.units import is_units_statement

# an error the county must really fix: a required official column left out of its table
DESERVED = {"missing": ("missing-column",)}


@pytest.fixture(scope="module", params=[2024, 7])
def measured(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("strangers")
    corpus = strangers.inbox(tmp / "inbox", request.param)
    out, report = strangers_measure.merge(tmp / "inbox", tmp)
    return corpus, strangers_measure.measure(corpus, out, report), report, strangers_measure.totals(corpus, out)


def test_every_family_delivers_every_cell_under_its_column(measured):
    _, fams, _, _ = measured
    print("\n" + strangers_measure.table(fams))
    assert set(fams) >= set(strangers.SUMMARY_FAMILIES) | set(strangers.SHEET_FAMILIES) | set(strangers.APPLICANT_FAMILIES)
    for name, f in fams.items():
        assert f.wrong == 0, (name, f.wrong_cells)
        assert f.missed == 0 and f.bases_found == f.bases and f.firms_found == f.firms, (name, f)


def test_the_total_row_is_the_sum_sent_or_says_it_is_incomplete(measured):
    corpus, _, _, (exact, marked, wrong) = measured
    missing = {k for b in corpus.bases for k in strangers.A10_ORDER if k not in corpus.present[b["base_name"]]}
    assert wrong == [] and marked == len(missing - {"registered_on", "independent_legal_person"}) and exact > 10


def test_errors_are_only_ones_the_county_must_fix(measured):
    _, fams, _, _ = measured
    for name, f in fams.items():
        rules = {e.split(":")[0] for e in f.errors}
        assert rules <= set(DESERVED.get(name, ())), (name, dict(f.errors))


def test_a_county_without_base_is_an_answer(measured):
    corpus, _, report, _ = measured
    (county,) = corpus.no_base_counties
    mine = [p for p in report["problems"] if f"/{county}/" in (p["file"] or "")]
    assert [p["rule"] for p in mine if p["severity"] != "info"] == []
    assert [p["rule"] for p in mine if p["rule"] == "no-base"] == ["no-base"]


@given(st.decimals(min_value=1000, max_value=10**8, places=2, allow_nan=False, allow_infinity=False),
       st.sampled_from(["{:.2f}", "{:,.2f}", "{:.1f}"]))
def test_an_amount_typed_as_text_is_an_amount_not_a_date(x, fmt):
    """'8983.56' is no date of the year 8983: a revenue column typed as text was left unread as dates.
    (2021.01 may be January 2021: a year of 1900..2099 with a month stays ambiguous and is left out.)"""
    text = fmt.format(x)
    assume(not (1900 <= int(x) <= 2099 and 1 <= int(text.split(".")[1]) <= 12))
    assert cell_kind(text) in ("dec", "int"), text


@given(st.integers(1950, 2030), st.integers(1, 12), st.sampled_from(["{y}.{m}", "{y}年{m}月", "{y}-{m:02d}"]))
def test_a_year_and_month_typed_as_text_is_a_date(y, m, fmt):
    assert cell_kind(fmt.format(y=y, m=m)) == "date"


@pytest.mark.parametrize("text, statement", [
    ("单位：元、平米、人、户", True), ("金额单位：元", True), ("金额：元 面积：亩", True), ("（单位：元）", True),
    ("营业收入（单位：万元）", False), ("收入（元）", False), ("填报单位（盖章）：", False)])
def test_a_units_statement_is_no_label(text, statement):
    """A 单位 line typed on the 填报单位 row names no field (it made that row a header row, and its units
    were lost: a 元 table summed as 万元)."""
    assert is_units_statement(text) is statement
