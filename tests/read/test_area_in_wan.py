"""An area typed in 万 (建筑面积 "12万", "1.2万") is 万平方米, as "12.5万" in a money cell is 万元 and "1.2万人" in a count
cell is 12 000 people (forms/specs/units.yaml: the area family's cell-only 万). Before, a stranger's 建筑面积 of
"12万" was an unreadable value and an error."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from xlbase.forms import get_form
from xlbase.read.normalise import CONVERTED, parse_number
from xlbase.read.units import cell_suffixes

AREAS = [f for form in ("附件10", "附件3") for f in get_form(form).table_fields if f.type == "area"]


@given(st.sampled_from(AREAS), st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999"), places=2),
       st.sampled_from(["万", "万平方米", "万㎡"]))
def test_an_area_in_wan_is_ten_thousand_square_metres(field, x, unit):
    p = parse_number(f"{x}{unit}", field)
    assert p.value == float(x * 10000) and p.note == CONVERTED


def test_wan_is_a_cell_spelling_of_area_and_not_a_header_unit():
    """In a cell 万 follows a figure; a header "建筑面积（万）" says nothing sure, and is read by no factor."""
    from xlbase.read.units import factor_for
    assert cell_suffixes("平方米")["万"] == 10000
    assert all(factor_for("万", f) is None for f in AREAS)
    assert all(factor_for("万平方米", f) == 10000 for f in AREAS)
