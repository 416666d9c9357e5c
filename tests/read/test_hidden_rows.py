"""A data row the clerk hid is not counted: the stamped paper copy, the official one, lacks it (霍州's withdrawn
base, hidden rather than deleted, entered the 汇总表 with its 4 errors). Each such row is one warning naming its
base and saying what decides it (取消隐藏后重新报送), so every typed row is in the 汇总表 or in the problem list,
and no 错误 comes from a row not counted. A row an autofilter hides is counted (a filter is a view of the list,
cleared with one click), with one info. Hidden rows and columns are read from .xlsx (<row hidden>, <col
hidden>; also when openpyxl reads it, calamine having failed), .xls (ROW / COLINFO records; FILTERMODE), .xlsb
(BrtRowHdr fDyZero, BrtColInfo fHidden) and .ods (table:visibility collapse / filter) alike."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path
from xml.sax.saxutils import quoteattr

import ods
import pytest
import retyped
from biff5_writer import write_biff5
from xlsb_writer import write_xlsb
from conftest import soffice_convert
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from xlbase.check import check, pack_for
from xlbase.forms import get_form
from xlbase.read import read_workbook

A11 = get_form("附件11")
FIELDS = list(A11.official_table_fields)
TOP = 3                     # title, units line, header: the first base is on row 4 (0-based 3)


def _rows(rng: random.Random, n: int) -> tuple[list[list], list[str]]:
    """A one-row-header 附件11 of `n` bases typed with the official labels, each base a valid one; their names."""
    rows: list[list] = [["2024年双创基地基本情况汇总表"], ["单位：万元、平方米、人、户"], ["序号", *(f.label for f in FIELDS)]]
    names = [f"临汾市霍州市隐藏行{i + 1}号双创基地" for i in range(n)]
    rows += [[i + 1, *retyped.valid_row(rng, name, f"霍州隐藏行{i + 1}号运营有限公司")] for i, name in enumerate(names)]
    return rows, names


def _short(rows: list[list], at) -> None:
    """Rows `at` short of service staff and no independent legal person: two errors each, when counted."""
    for r in at:
        rows[r][1 + [f.key for f in FIELDS].index("service_staff")] = 2
        rows[r][1 + [f.key for f in FIELDS].index("independent_legal_person")] = "否"


def _xlsx(path: Path, rows: list[list], hidden: set[int], *, filtered: bool = False, autofilter: bool = False) -> Path:
    """`hidden` (0-based rows) hidden by the clerk, or by an autofilter with a criterion set (`filtered`); an
    autofilter over the list without a criterion (`autofilter`, as 霍州 sent it) hides nothing itself."""
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for r in hidden:
        ws.row_dimensions[r + 1].hidden = True
    if filtered or autofilter:
        ws.auto_filter.ref = f"A{TOP}:{get_column_letter(len(rows[TOP - 1]))}{len(rows)}"
        if filtered:
            ws.auto_filter.add_filter_column(1, [str(rows[r][1]) for r in range(TOP, len(rows)) if r not in hidden])
    wb.save(path)
    return path


def _ods(path: Path, rows: list[list], hidden: set[int], *, filtered: bool = False, hidden_col: int | None = None
         ) -> Path:
    cols = "".join(f'<table:table-column{" table:visibility=" + quoteattr("collapse") if c == hidden_col else ""}/>'
                   for c in range(len(rows[TOP - 1])))
    body = []
    for r, row in enumerate(rows):
        seen = f' table:visibility="{"filter" if filtered else "collapse"}"' if r in hidden else ""
        body.append(f"<table:table-row{seen}>" + "".join(ods.cell(v) for v in row) + "</table:table-row>")
    ranges = ('<table:database-ranges><table:database-range table:name="__Anonymous_Sheet_DB__0" '
              f'table:target-range-address="霍州.A{TOP}:霍州.V{len(rows)}" table:display-filter-buttons="true">'
              '<table:filter><table:filter-condition table:field-number="1" table:value="x" table:operator="="/>'
              '</table:filter></table:database-range></table:database-ranges>') if filtered else ""
    return ods.write_raw(path, f'<table:table table:name="霍州">{cols}{"".join(body)}</table:table>{ranges}')


def _read(path: Path):
    wr = read_workbook(str(path))
    (t,) = [t for t in wr.tables if t.form_id == "附件11"]
    return wr, t


def _hidden_said(wr, severity: str) -> list:
    return [p for p in wr.problems if p.rule == "hidden-row" and p.severity == severity]


def _assert_not_counted(wr, t, names: list[str], hidden: set[int]) -> None:
    kept = [n for i, n in enumerate(names) if TOP + i not in hidden]
    assert list(t.data["base_name"]) == kept
    said = _hidden_said(wr, "warning")
    assert sorted(p.value for p in said) == sorted(names[r - TOP] for r in hidden)      # each row, by its base
    for p in said:
        assert p.cell == f"B{names.index(p.value) + TOP + 1}" and "取消隐藏后重新报送" in p.message


def _assert_no_error_from(wr, hidden: set[int]) -> None:
    rows = {r + 1 for r in hidden}
    problems = check([wr], pack_for(None, None, None)).problems
    assert [p for p in problems if p.rule in ("service-staff-min", "independent-legal-person")]   # others are judged
    wrong = [p for p in problems if p.severity == "error" and p.cell
             and int("".join(filter(str.isdigit, p.cell.split(":")[0].split(",")[0])) or 0) in rows]
    assert not wrong, [p.message for p in wrong]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**16), n=st.integers(2, 6), data=st.data(),
       fmt=st.sampled_from(["xlsx", "ods", "xls", "xlsb"]))
def test_a_hidden_data_row_is_not_counted_and_is_said_by_its_base(tmp_path_factory, seed, n, data, fmt):
    rng = random.Random(seed)
    rows, names = _rows(rng, n)
    hidden = data.draw(st.sets(st.integers(TOP, TOP + n - 1), min_size=1, max_size=n - 1))
    _short(rows, hidden)                   # the withdrawn bases: errors, if they counted
    folder = tmp_path_factory.mktemp("h")
    if fmt == "xlsx":
        path = _xlsx(folder / "霍州.xlsx", rows, hidden, autofilter=rng.random() < 0.5)
    elif fmt == "ods":
        path = _ods(folder / "霍州.ods", rows, hidden)
    elif fmt == "xlsb":
        path = write_xlsb(folder / "霍州.xlsb", rows, "霍州", hidden_rows=tuple(sorted(hidden)))
    else:
        path = write_biff5(folder / "霍州.xls", rows, "霍州", hidden_rows=tuple(sorted(hidden)))
    wr, t = _read(path)
    _assert_not_counted(wr, t, names, hidden)


@pytest.mark.parametrize("filtered", [False, True])
def test_an_xlsx_read_by_openpyxl_keeps_its_hidden_rows(tmp_path, monkeypatch, filtered):
    """calamine failing (a damaged part) hands the .xlsx to openpyxl, whose read-only mode reports no hidden row:
    the rows the clerk hid are still set aside, the filter's still counted."""
    from xlbase.read import formats
    monkeypatch.setitem(formats.CHAINS, "xlsx", formats.OOXML_FALLBACKS)
    rng = random.Random(9)
    rows, names = _rows(rng, 5)
    hidden = {TOP + 1, TOP + 3}
    path = _xlsx(tmp_path / "霍州.xlsx", rows, hidden, filtered=filtered)
    assert formats.load_book(str(path), "xlsx").reader == "openpyxl"
    wr, t = _read(path)
    if filtered:
        assert list(t.data["base_name"]) == names and len(_hidden_said(wr, "info")) == 1
    else:
        _assert_not_counted(wr, t, names, hidden)


@pytest.mark.parametrize("fmt", ["xlsx", "ods", "xls"])
def test_no_error_comes_from_a_row_not_counted(tmp_path, fmt):
    rng = random.Random(11)
    rows, names = _rows(rng, 4)
    hidden = {TOP + 1}
    _short(rows, (TOP + 1, TOP + 2))       # the hidden base and a shown one
    path = (_xlsx(tmp_path / "t.xlsx", rows, hidden) if fmt == "xlsx" else _ods(tmp_path / "t.ods", rows, hidden)
            if fmt == "ods" else write_biff5(tmp_path / "t.xls", rows, "霍州", hidden_rows=tuple(hidden)))
    wr, t = _read(path)
    _assert_not_counted(wr, t, names, hidden)
    _assert_no_error_from(wr, hidden)


@pytest.mark.parametrize("fmt", ["xlsx", "ods", "xls"])
def test_rows_an_autofilter_hides_are_counted_with_one_info(tmp_path, fmt):
    rng = random.Random(5)
    rows, names = _rows(rng, 5)
    hidden = {TOP + 1, TOP + 3}
    if fmt == "xlsx":
        path = _xlsx(tmp_path / "t.xlsx", rows, hidden, filtered=True)
    elif fmt == "ods":
        path = _ods(tmp_path / "t.ods", rows, hidden, filtered=True)
    else:
        path = write_biff5(tmp_path / "t.xls", rows, "霍州", hidden_rows=tuple(sorted(hidden)), filter_mode=True)
    wr, t = _read(path)
    assert list(t.data["base_name"]) == names
    assert not _hidden_said(wr, "warning")
    (info,) = _hidden_said(wr, "info")
    assert info.value == 2 and "筛选" in info.message and info.cell == f"B{TOP + 2}"


@pytest.mark.parametrize("fmt", ["ods", "xls"])
def test_the_visible_one_of_two_columns_of_a_field_is_read_in_ods_and_xls(tmp_path, fmt):
    """营业收入 typed twice, the first (last year's) hidden: the visible one is read, as in an .xlsx."""
    rng = random.Random(2)
    rows, _ = _rows(rng, 3)
    at = 1 + [f.key for f in FIELDS].index("revenue")
    for r, row in enumerate(rows[TOP - 1:], TOP - 1):
        row.insert(at, "营业收入（2022年）" if r == TOP - 1 else 999)
    path = (_ods(tmp_path / "t.ods", rows, set(), hidden_col=at) if fmt == "ods"
            else write_biff5(tmp_path / "t.xls", rows, "霍州", hidden_cols=(at,)))
    wr, t = _read(path)
    assert 999 not in list(t.data["revenue"])
    (dup,) = [p for p in wr.problems if p.rule == "duplicate-column"]
    assert "隐藏的列" in dup.message


@pytest.mark.libreoffice
def test_libreoffice_saved_xls_and_ods_keep_the_hidden_row_out(tmp_path):
    """The .xlsx with a hidden withdrawn row saved by LibreOffice as .xls (BIFF8) and .ods: the same reading."""
    rows, names = _rows(random.Random(9), 4)
    hidden = {TOP + 2}
    _short(rows, (TOP + 2, TOP + 3))
    src = _xlsx(tmp_path / "霍州.xlsx", rows, hidden, autofilter=True)
    for fmt in ("xls", "ods"):
        wr, t = _read(soffice_convert(src, fmt, tmp_path / fmt))
        _assert_not_counted(wr, t, names, hidden)
        _assert_no_error_from(wr, hidden)


def test_the_merge_leaves_a_hidden_row_out_of_the_summary(tmp_path):
    """The CLI as a clerk runs it: the withdrawn base is not in the 汇总表 and the JSON's rows add up."""
    import json

    from openpyxl import load_workbook

    rows, names = _rows(random.Random(4), 3)
    inbox = tmp_path / "inbox" / "霍州市"
    inbox.mkdir(parents=True)
    _xlsx(inbox / "霍州市汇总.xlsx", rows, {TOP + 1}, autofilter=True)
    out = tmp_path / "汇总表.xlsx"
    subprocess.run([sys.executable, "-m", "xlbase", "merge", str(tmp_path / "inbox"), "-o", str(out), "--json",
                    str(tmp_path / "r.json")], capture_output=True, timeout=300)
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["summary"]["bases"] == 2
    (i,) = report["inputs"]
    assert i["rows_read"] == 2 == i["rows_merged"]
    texts = {str(c.value) for row in load_workbook(out)["附件11"].iter_rows() for c in row if c.value is not None}
    assert names[0] in texts and names[2] in texts and names[1] not in texts
    (p,) = [p for p in report["problems"] if p["rule"] == "hidden-row"]
    assert p["severity"] == "warning" and p["value"] == names[1]


def _filtered_list(path: Path, seed: int, shows: tuple[str, ...] = ("榆次区", "太谷区"),
                   counties: tuple[str, ...] = ("榆次区", "太谷区", "介休市", "太谷区", "介休市", "榆次区")
                   ) -> tuple[list[str], int, set[int]]:
    """A 晋中 list whose autofilter shows the counties `shows` (a value list on the 县区 column): the other counties'
    rows hidden by it, and one row of a shown county hidden by the clerk. The names, the clerk's row and the
    filter's rows (0-based)."""
    rng = random.Random(seed)
    rows: list[list] = [["晋中市汇总表"], ["县区", "序号", *(f.label for f in FIELDS)]]
    names = [f"晋中市{c}筛选{i}号双创基地" for i, c in enumerate(counties)]
    rows += [[c, i + 1, *retyped.valid_row(rng, n, f"筛选{i}号运营有限公司")] for i, (c, n) in enumerate(zip(counties, names))]
    clerk = 2 + rng.choice([i for i, c in enumerate(counties) if c == "太谷区"])
    by_filter = {2 + i for i, c in enumerate(counties) if c not in shows}
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for r in {clerk} | by_filter:
        ws.row_dimensions[r + 1].hidden = True
    ws.auto_filter.ref = f"A2:{get_column_letter(len(rows[1]))}{len(rows)}"
    ws.auto_filter.add_filter_column(0, list(shows))
    wb.save(path)
    return names, clerk, by_filter


def _assert_clerk_and_filter(path: Path, names: list[str], clerk: int, by_filter: set[int]) -> None:
    wr, t = _read(path)
    assert list(t.data["base_name"]) == [n for i, n in enumerate(names) if 2 + i != clerk]
    (said,) = _hidden_said(wr, "warning")
    assert said.value == names[clerk - 2]
    (info,) = _hidden_said(wr, "info")
    assert info.value == len(by_filter)


@pytest.mark.parametrize("seed", range(3))
def test_a_row_the_filter_would_show_was_hidden_by_the_clerk(tmp_path, seed):
    """The hidden 介休市 rows are the filter's (counted, one info); a hidden 太谷区 row is one the filter would show,
    so the clerk hid it (not counted, one warning)."""
    names, clerk, by_filter = _filtered_list(tmp_path / "晋中.xlsx", seed)
    _assert_clerk_and_filter(tmp_path / "晋中.xlsx", names, clerk, by_filter)


@pytest.mark.libreoffice
def test_the_filter_and_the_clerk_are_told_apart_in_a_libreoffice_ods(tmp_path):
    """LibreOffice writes every hidden row of a filtered range as table:visibility="filter", the clerk's too: the
    filter's condition (its filter-set-items) tells them apart, as in the .xlsx."""
    names, clerk, by_filter = _filtered_list(tmp_path / "晋中.xlsx", 1)
    _assert_clerk_and_filter(soffice_convert(tmp_path / "晋中.xlsx", "ods", tmp_path / "ods"), names, clerk, by_filter)


@pytest.mark.libreoffice
def test_the_filter_and_the_clerk_are_told_apart_in_an_xls(tmp_path):
    """An .xls keeps its autofilter's range (the _FilterDatabase name) and criteria (AUTOFILTER: one or two equals
    conditions joined by OR are a list of values): a hidden row the filter would show was hidden by the clerk.
    Before, every hidden row of a filtered .xls was taken as the filter's and counted."""
    names, clerk, by_filter = _filtered_list(tmp_path / "晋中.xlsx", 2, shows=("太谷区",),
                                             counties=("榆次区", "太谷区", "介休市", "太谷区", "太谷区", "榆次区"))
    _assert_clerk_and_filter(soffice_convert(tmp_path / "晋中.xlsx", "xls", tmp_path / "xls"), names, clerk, by_filter)


def test_an_xls_autofilter_condition_is_read_as_the_values_it_shows():
    """AUTOFILTER records ([MS-XLS] 2.4.8) as Excel writes them: two equals conditions on strings joined by OR
    show those two values; joined by AND, or a comparison, or top 10, show what a value list cannot say."""
    import struct

    from xlbase.read.biff import _criterion

    def record(entry: int, join: int, *conditions: tuple[int, str]) -> bytes:
        opers, texts = b"", b""
        for sign, text in conditions:
            opers += bytes([6, sign]) + b"\0" * 4 + bytes([len(text), 0, 0, 0])
            texts += b"\x01" + text.encode("utf-16-le")
        opers += b"\0" * (20 - len(opers))
        return struct.pack("<HH", entry, join) + opers + texts

    assert _criterion(record(3, 1, (2, "榆次区"), (2, "太谷区"))) == (3, frozenset({"榆次区", "太谷区"}))
    assert _criterion(record(0, 0, (2, "榆次区"))) == (0, frozenset({"榆次区"}))
    assert _criterion(record(1, 0, (2, "榆次区"), (2, "太谷区"))) == (1, None)        # AND
    assert _criterion(record(1, 1, (2, "榆次区"), (5, "太谷区"))) == (1, None)        # <>
    assert _criterion(record(2, 0x10, (2, "榆次区"))) == (2, None)                    # top 10
