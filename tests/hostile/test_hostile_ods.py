"""An .ods is read only after the safe-open layer vetted it: ODS compresses repetition into attributes.

One cell "repeated" across 16 384 columns of a row "repeated" a million times, or one
<text:s text:c="1000000000"/>, is a file of a few hundred bytes that calamine expands in full:
it aborted the process at 4 GB before the check.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import ods
import pytest
from hypothesis import given, settings, strategies as st

from xlbase.read.limits import DEFAULT_LIMITS
from xlbase.read.sniff import _ods_extent, inspect_file

sys.path.insert(0, str(Path(__file__).parent))
import hostile_files as H  # noqa: E402

X = '<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'


def _table(rows: str) -> str:
    return f'<table:table table:name="S">{rows}</table:table>'


BOMBS = {
    # a filled cell repeated 16 384 columns, its row a million times: 17 G cells
    "repeated-cells": (_table('<table:table-row table:number-rows-repeated="1048576"><table:table-cell '
                              'table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p>'
                              "</table:table-cell></table:table-row>"), "sheet-too-large"),
    # a million empty rows, then one value far right: the grid from A1 to it
    "far-value": (_table('<table:table-row table:number-rows-repeated="1000000"><table:table-cell/></table:table-row>'
                         '<table:table-row><table:table-cell table:number-columns-repeated="5000"/>' + X
                         + "</table:table-row>"), "sheet-too-large"),
    # a repeat hidden after an attribute value holding '>'
    "gt-in-attribute": (_table('<table:table-row table:number-rows-repeated="1048576"><table:table-cell a="b>c" '
                               'table:number-columns-repeated="16384" office:value-type="float" office:value="1"/>'
                               "</table:table-row>"), "sheet-too-large"),
    "billion-spaces": (_table('<table:table-row><table:table-cell office:value-type="string"><text:p>a'
                              '<text:s text:c="1000000000"/>b</text:p></table:table-cell></table:table-row>'),
                       "zip-bomb"),
}


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_ods_bombs_refused_by_sniff(tmp_path, name):
    body, code = BOMBS[name]
    path = ods.write_raw(tmp_path / f"{name}.ods", body)
    assert path.stat().st_size < 2000
    check = inspect_file(path)
    assert (check.ok, check.code) == (False, code)
    assert check.message.startswith(f"文件“{name}.ods”")


def test_encrypted_and_incomplete_ods(tmp_path):
    enc = ods.write_raw(tmp_path / "密.ods", _table("<table:table-row>" + X + "</table:table-row>"),
                        manifest_extra='<manifest:encryption-data manifest:checksum-type="SHA1/1K"/>')
    assert inspect_file(enc).code == "encrypted"
    bare = tmp_path / "缺.ods"
    with zipfile.ZipFile(bare, "w") as z:
        z.writestr("mimetype", ods.MIME)
    assert inspect_file(bare).code == "missing-workbook"


def test_libreoffice_style_trailing_repeats_are_fine(tmp_path):
    path = ods.write_sheets(tmp_path / "ok.ods", {"附件3": [["序号", "企业名称"], [1, "甲"]], "空": []})
    check = inspect_file(path)
    assert (check.ok, check.kind) == (True, "ods")


def test_ods_bomb_in_an_inbox_batch_completes(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    goods = H.good_inbox(inbox)
    ods.write_raw(inbox / "炸弹.ods", BOMBS["repeated-cells"][0])
    ods.write_raw(inbox / "空格.ods", BOMBS["billion-spaces"][0])
    run = H.merge(inbox, tmp_path, 60)
    assert run.proc.returncode in (0, 1), run.proc.stderr[-2000:]
    assert run.peak_rss_mb < 500, run.peak_rss_mb
    codes = {Path(p["file"]).name: p["value"] for p in run.report["problems"] if p["rule"] == "file-unusable"}
    assert codes == {"炸弹.ods": "sheet-too-large", "空格.ods": "zip-bomb"}
    ok = {Path(i["file"]).name: i for i in run.report["inputs"] if i["status"] == "ok"}
    assert sorted(ok) == sorted(g["path"].name for g in goods)
    for g in goods:
        assert ok[g["path"].name]["rows_merged"] == 1 + len(g["firms"])


# ---- property: the estimate is never below what calamine builds

cells = st.tuples(st.booleans(), st.integers(1, 6), st.booleans())            # (filled, repeat, self-closed)
rows = st.tuples(st.lists(cells, max_size=5), st.integers(1, 5))               # (cells, row repeat)


def _xml(sheet: list) -> str:
    out = []
    for row_cells, rrep in sheet:
        rr = f' table:number-rows-repeated="{rrep}"' if rrep > 1 else ""
        parts = []
        for filled, rep, closed in row_cells:
            cr = f' table:number-columns-repeated="{rep}"' if rep > 1 else ""
            if filled:
                parts.append(f'<table:table-cell{cr} office:value-type="float" office:value="1"><text:p>1</text:p>'
                             "</table:table-cell>")
            else:
                parts.append(f"<table:table-cell{cr}/>" if closed else f"<table:table-cell{cr}></table:table-cell>")
        out.append(f"<table:table-row{rr}>{''.join(parts)}</table:table-row>")
    return _table("".join(out))


@settings(max_examples=60, deadline=None)
@given(st.lists(rows, max_size=8))
def test_extent_covers_calamine_grid(tmp_path_factory, sheet):
    from python_calamine import CalamineWorkbook
    path = ods.write_raw(tmp_path_factory.mktemp("p") / "p.ods", _xml(sheet))
    with zipfile.ZipFile(path) as zf:
        est, spaces = _ods_extent(io.BytesIO(zf.read("content.xml")), DEFAULT_LIMITS.max_member_bytes)
    grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("S").to_python(skip_empty_area=False)
    filled = [(r, c) for r, row in enumerate(grid) for c, v in enumerate(row) if v != ""]
    real = (max(r for r, _ in filled) + 1) * (max(c for _, c in filled) + 1) if filled else 0
    assert est >= real and spaces == 0
    # and exact for what it models: from A1 to the last filled row and the last filled column
    hi_r = hi_c = r0 = 0
    for row_cells, rrep in sheet:
        c0, any_filled = 0, False
        for filled_, rep, closed in row_cells:
            if filled_ or not closed:          # a cell with an element body counts as filled (over-estimate)
                hi_c, any_filled = max(hi_c, c0 + rep), True
            c0 += rep
        if any_filled:
            hi_r = r0 + rrep
        r0 += rrep
    assert est == hi_r * hi_c
