"""Problems about a table's columns point at the header the clerk typed: a column read by its place in the
official order at its own header cell (or, with no header, the header cells above its values), and a
missing column at the table's header band — in the file's rows, whatever rows the official layout uses."""

from __future__ import annotations

import random

import pytest
import retyped

from xlbase.cell_refs import expand_cells
from xlbase.read import read_workbook
from xlbase.read.grid import a1

LAYOUTS = ("one-row", "groups", "glued", "units-line", "numbers")


def _table(seed: int, layout: str, *, title_lines: int):
    rng = random.Random(seed)
    bases = [retyped.base_values(rng, f"忻州市静乐县{w}双创基地", f"静乐{w}运营有限公司") for w in ("创客", "众创")]
    t = retyped.a10_table(rng, bases, layout=layout)
    t.rows[1:2] = [["填报单位：静乐县工信局"]] * title_lines      # the header starts on another row than the template's
    return t


def _first_base(t) -> int:
    return next(r for r, row in enumerate(t.rows) if len(row) > 1 and row[0] == 1 and "双创基地" in str(row[1]))


def _header_rows(t) -> list[int]:
    """0-based rows of the labels: from the row holding 序号 down to a units line, a column-number line or
    the first base."""
    top = next(r for r, row in enumerate(t.rows) if row and isinstance(row[0], str) and row[0].replace(" ", "") in
               ("序号", "编号"))
    out = []
    for r in range(top, _first_base(t)):
        texts = [v for v in t.rows[r] if isinstance(v, str) and v.strip()]
        if not texts or all(v.startswith(("（", "(")) for v in texts):
            break
        out.append(r)
    return out


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("typed", ["XYZ甲乙人员", ""])   # an odd word whose head noun (人员) is the field's
@pytest.mark.parametrize("title_lines", [0, 1, 3])
def test_a_column_read_by_position_points_at_its_typed_header(tmp_path, layout, typed, title_lines):
    t = _table(len(layout) + title_lines, layout, title_lines=title_lines)
    c = 1 + retyped.A10_KEYS.index("employees")
    rows = _header_rows(t)
    typed_at = None
    for r in rows:
        if c < len(t.rows[r]) and isinstance(t.rows[r][c], str) and t.rows[r][c].strip() and \
                not t.rows[r][c].startswith(("（", "(")):
            t.rows[r][c] = typed                            # the clerk's own word for 吸纳就业人数, or nothing
            typed_at = typed_at if typed_at is not None else r
    if layout == "glued":
        assert typed_at is not None
    path = retyped.save(tmp_path / "静乐县.xlsx", {"Sheet1": t.rows})
    wr = read_workbook(path)
    # by its place alone, or (a unit such as （人） under it adding to its words) as a column read under a wording
    [p] = [p for p in wr.problems if p.rule in ("column-by-position", "column-read-as") and p.field == "employees"]
    assert p.severity == ("warning" if p.rule == "column-by-position" else "info")
    cells = expand_cells(p.cell)
    if typed:
        assert cells == [a1(typed_at, c)]
    else:       # no header typed: the header cells over its values, never a row outside the file's header
        assert cells and {x for x in cells} <= {a1(r, c) for r in rows}
    head, _, tail = p.message.partition("其数值" if p.rule == "column-by-position" else "按")
    assert f"（{p.cell}）" in head and "吸纳就业人数" in tail
    if p.rule == "column-by-position":
        first, last = _first_base(t), len(t.rows) - 1
        assert f"{a1(first, c)}:{a1(last, c)}" in tail      # the values it took, said as such


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("title_lines", [0, 2])
def test_a_missing_column_points_at_the_header_band(tmp_path, layout, title_lines):
    t = _table(7 + title_lines, layout, title_lines=title_lines)
    c = 1 + retyped.A10_KEYS.index("gov_funding")       # the last official column, dropped by the clerk
    for row in t.rows:
        if len(row) > c:
            del row[c]
    rows = _header_rows(t)
    wr = read_workbook(retyped.save(tmp_path / "静乐县.xlsx", {"Sheet1": t.rows}))
    [p] = [p for p in wr.problems if p.rule == "missing-column" and p.field == "gov_funding"]
    cells = expand_cells(p.cell)
    assert cells and {int("".join(ch for ch in x if ch.isdigit())) - 1 for x in cells} <= set(rows)
    assert a1(rows[-1], 1) in cells and a1(rows[-1], c - 1) in cells      # across the table's labels
    assert f"（{p.cell}）" in p.message
