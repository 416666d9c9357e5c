"""A city's inbox of county tables retyped by strangers, merged by `xlbase merge` in a subprocess.

The corpus (tests/fixtures/retyped.py) holds every base and firm a correct reader must deliver,
in the forms' own units, under clerk wordings, layouts and units. The written 附件11 and 入驻企业
are opened and compared cell by cell: the share of cells under their right column (contract:
≥ 98 %, none under a wrong one), every base once, the 汇总 row equal to the sum of what the
counties sent, no base named 无 or after a section, and a county without a base counted with 0
bases and no error.
"""

from __future__ import annotations

import openpyxl
import pytest

import retyped
from output_cells import a11_rows as _a11_rows, firm_rows, merge as _merge, tally
from xlbase.forms import get_form

A11 = get_form("附件11")


@pytest.fixture(scope="module", params=["first clerk", "second clerk"])
def merged(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("retyped")
    words = retyped.CLERK_WORDS if request.param == "first clerk" else retyped.OTHER_WORDS
    before = retyped.use_words(words)
    try:
        corpus = retyped.county_inbox(tmp / "inbox", seed=12, counties=8, sections=True)
    finally:
        retyped.use_words(before)
    out, report = _merge(tmp / "inbox", tmp)
    wb = openpyxl.load_workbook(out, data_only=True)
    return corpus, wb, report


def test_cells_reach_their_columns(merged):
    corpus, wb, _ = merged
    bases, _ = _a11_rows(wb["附件11"])
    firms = firm_rows(wb["入驻企业"])
    keys = [f.key for f in A11.official_table_fields]
    r1, w1, m1 = tally((bases.get(want["base_name"], {}), {k: want[k] for k in keys}) for want in corpus.bases)
    r2, w2, m2 = tally((firms.get(want["firm_name"], {}), want) for _, want in corpus.firms)
    right, wrong, missed = r1 + r2, w1 + w2, m1 + m2
    share = right / (right + wrong + missed)
    print(f"cells under their right column: {right}/{right + wrong + missed} = {share:.4f}")
    assert share >= 0.98 and wrong == 0, (right, wrong, missed)


def test_every_base_once_and_totals_are_the_sum_of_what_was_sent(merged):
    corpus, wb, _ = merged
    bases, total = _a11_rows(wb["附件11"])
    assert sorted(bases) == sorted(b["base_name"] for b in corpus.bases)
    for f in A11.official_table_fields:
        if f.is_numeric:
            want = sum(b[f.key] for b in corpus.bases)
            assert abs(total[f.key] - want) <= 1e-6 * max(1.0, want), f.key


def test_each_base_is_placed_in_its_county_also_under_a_section_row(merged):
    corpus, wb, _ = merged
    bases, _ = _a11_rows(wb["附件11"])
    assert {n: b["county"] for n, b in bases.items()} == corpus.county_of
    units = {row[1]: row[3] for row in wb["各县情况"].iter_rows(min_row=5, values_only=True) if row[1]}
    for county in set(corpus.county_of.values()):
        assert units[county] == sum(1 for c in corpus.county_of.values() if c == county), county


def test_no_base_named_none_and_a_county_without_base_has_no_error(merged):
    corpus, wb, report = merged
    bases, _ = _a11_rows(wb["附件11"])
    assert not [n for n in bases if n in retyped.NO_BASE_ANSWERS or n.startswith(("一、", "二、"))]
    units = {row[1]: row for row in wb["各县情况"].iter_rows(min_row=5, values_only=True) if row[1]}
    assert corpus.no_base_counties
    for county in corpus.no_base_counties:
        row = units[county]
        assert row[3] == 0 and row[6] == 0 and row[8] == "可上报", row
    no_base = [p for p in report["problems"] if p["rule"] == "no-base"]
    assert len(no_base) == len(corpus.no_base_counties)
    assert not [p for p in report["problems"] if p["rule"] == "file-unusable"]


def test_every_converted_and_reworded_column_is_said(merged):
    corpus, _, report = merged
    rules = {p["rule"] for p in report["problems"]}
    assert {"column-read-as", "column-unit-converted"} <= rules
    converted = [p for p in report["problems"] if p["rule"] == "column-unit-converted"]
    assert all("元" in p["message"] or "亩" in p["message"] for p in converted)


def test_a_section_naming_a_development_zone_counts_its_bases_for_the_zone(tmp_path):
    """A city's own table in sections, one of them a development zone reporting through the city: its bases
    are counted for the zone in 各县情况, the county section's for the county."""
    import random
    rng = random.Random(7)
    b1 = retyped.base_values(rng, "云谷双创基地", "云谷运营管理有限公司")
    b2 = retyped.base_values(rng, "智造双创基地", "智造运营管理有限公司")
    t = retyped.a10_table(rng, [b1, b2], layout="one-row", sections=[("一、榆次区", 1), ("二、晋中开发区（代报）", 1)])
    t.rows[1] = ["填报单位（盖章）：晋中市工业和信息化局"]
    retyped.save(tmp_path / "inbox" / "晋中市代报.xlsx", {"Sheet1": t.rows})
    out, report = _merge(tmp_path / "inbox", tmp_path)
    wb = openpyxl.load_workbook(out, data_only=True)
    units = {row[1]: row[3] for row in wb["各县情况"].iter_rows(min_row=5, values_only=True) if row[1]}
    assert units.get("榆次区") == 1 and units.get("晋中开发区") == 1, units
    assert not [p for p in report["problems"] if p["severity"] == "error" and p["rule"] == "merge-unnamed-base"]
