"""Numbers typed the way clerks type them ("25人", "1,200", "１２", "3.5万", "无") are read in the sheet as
`xlbase validate` reads them (templates.numbers), so the 表内检查 and the red marks agree with validate.

The spellings are generated from the field's own unit words (read.units.cell_suffixes, the table validate
uses), not listed by hand: every number input of a generated workbook is retyped in a stranger's
spelling of the same value, and values validate cannot read are drawn from the same generator broken
(wrong grouping, words around the number, an unknown unit). After one LibreOffice recalculation:
- each read on the hidden numbers sheet is the number validate reads, blank where it reads none, and
  UNREADABLE exactly where validate reports the value (unparseable);
- the 表内检查 counts of a workbook typed entirely in such spellings equal validate's counts, and a
  rule broken by a figure typed with its unit is counted.
"""

from __future__ import annotations

import math
import random
import re
from pathlib import Path

import openpyxl
from openpyxl.utils import column_index_from_string, get_column_letter
import pytest

from conftest import soffice_convert_all
from saved_values import defined_names, sheet_formulas, sheet_values
from template_clerk import Clerk, base_for, rules_own, sheet_counts, validate_counts, validate_problems
from typed_numbers import estimate_spelling, ordinal, spelling, strange
from xlbase.forms import Field, get_form
from xlbase.read.normalise import ESTIMATE, NOT_WHOLE, UNPARSEABLE, estimate_of, parse_number
from xlbase.rules.ranges import total_of
from xlbase.problem_codes import VALUE_ESTIMATE
from xlbase.templates.dates import UNREADABLE
from xlbase.templates.estimates import RANGE
from xlbase.templates.numbers import NUMBER_SHEET, range_reads
from xlbase.templates.workbooks import write_applicant_workbook

pytestmark = [pytest.mark.libreoffice, pytest.mark.filterwarnings("ignore:Print area cannot be set")]

NUMBER_FORMS = ("附件2", "附件3", "附件4", "附件10")


def _number_cells(c: Clerk):
    """(form, i or None, field, typed value) of every number input holding a number."""
    for form_id in NUMBER_FORMS:
        form, t = get_form(form_id), c.tables[form_id]
        ws = c.wb[form_id]
        for key, ref in t.record_cells.items():
            f = form.field(key)
            if f.is_numeric and not f.merge_only and isinstance(ws[ref].value, (int, float)):
                yield form_id, None, f, ws[ref].value
        if form.table_fields and len(t.data):
            for i in range(len(t.data)):
                for f in form.table_fields:
                    if not f.is_numeric or f.merge_only or f.key not in t.columns:
                        continue
                    v = ws[t.cell(f.key, int(t.data["_row"].iloc[i]))].value
                    if isinstance(v, (int, float)) and not isinstance(v, bool):
                        yield form_id, i, f, v


def _type(c: Clerk, form_id: str, i, key: str, value) -> None:
    if i is None:
        c.record(form_id, key, value)
    else:
        c.row(form_id, i, key, value)


def retyped(c: Clerk, seed: int) -> None:
    """Every number input of a clean workbook typed in a stranger's spelling of its own value."""
    rng = random.Random(seed)
    for form_id, i, f, v in list(_number_cells(c)):
        _type(c, form_id, i, f.key, spelling(v, f, rng))


def mixed(c: Clerk, seed: int) -> None:
    """The firm list's numbers typed in every way: spellings validate reads and ones it refuses."""
    rng = random.Random(seed)
    for form_id, i, f, v in list(_number_cells(c)):
        if form_id == "附件3":
            _type(c, form_id, i, f.key, strange(f, rng) if rng.random() < 0.5 else spelling(v, f, rng))


def estimates(c: Clerk, seed: int, keys: set[str] | None = None, around: tuple[float, ...] = (1,)) -> None:
    """Every number input (of `keys`, when given) typed as a bound or an estimate of its own value times one of
    `around` (data/estimates.yaml's words), where one such spelling is read as a range in the field — a list's
    column too (附件3's columns work their ranges out in slots: templates.numbers.NumberSheet.column; drawn apart, so
    the other forms' spellings are those drawn before 附件3's were typed)."""
    rng, list_rng = random.Random(seed), random.Random(seed + 1000)
    for form_id, i, f, v in list(_number_cells(c)):
        if keys is not None and f.key not in keys:
            continue
        if i is not None and form_id == "附件3":
            _type_estimate(c, form_id, i, f, v * list_rng.choice(around), list_rng)
            continue
        _type_estimate(c, form_id, i, f, v * rng.choice(around), rng)


def _type_estimate(c: Clerk, form_id: str, i, f: Field, v: float, rng: random.Random) -> None:
    texts = [estimate_spelling(v, f, rng) for _ in range(20)]
    ranged = [t for t in texts if parse_number(t, f).note == ESTIMATE]
    if ranged:
        _type(c, form_id, i, f.key, ranged[0])


def _minimums_alone() -> set[str]:
    """The fields only minimum and maximum rules read (their verdicts compared one by one: the estimates case types
    a range in every number input, totals and the other forms' figures included)."""
    from xlbase.rules import load_pack
    pack = load_pack()
    bounds = {r.field for r in pack.rules if r.kind in ("min", "max")}
    others = {k for r in pack.rules if r.kind not in ("min", "max")
              for k in (*r.fields, r.field, getattr(getattr(r.args, "target", None), "field", None)) if k}
    return bounds - others


def ordinals(c: Clerk, seed: int) -> None:
    """Every number input typed with one of its digits as an ordinal (⑤, ⒉, ¹, 𝟑, ٣), the rest as digits:
    neither the sheet nor validate reads a figure there."""
    rng = random.Random(seed)
    for form_id, i, f, v in list(_number_cells(c)):
        _type(c, form_id, i, f.key, ordinal(v, f, rng))


#: a figure typed with its unit where it breaks its rule -> (form, field, typed): the rules are apart (no field in
#: two), so one workbook holds them all and the sheet counts each once, as validate reports each
UNIT_BREAKS = {
    "tutors-min": ("附件2", "tutors", "２名"),                      # 3 asked
    "service-staff-min": ("附件10", "service_staff", "8 人"),        # on 附件10
    "funding-sum": ("附件2", "fund_other", "1,500,000元"),           # 150 万元
}


def _units_typed(c: Clerk) -> None:
    for form_id, key, value in UNIT_BREAKS.values():
        _type(c, form_id, None if form_id != "附件10" else 0, key, value)


def _unreadable(c: Clerk) -> None:
    """Words where figures belong: a record's cell and a firm's row (validate: unparseable, an error each)."""
    _type(c, "附件2", None, "tutors", "见附表")
    _type(c, "附件3", 0, "revenue", "详见报表")


CASES = {
    "unreadable": _unreadable,
    "retyped": lambda c: retyped(c, 1),
    "retyped-2": lambda c: retyped(c, 2),
    "mixed": lambda c: mixed(c, 3),
    "mixed-2": lambda c: mixed(c, 4),
    "ordinals": lambda c: ordinals(c, 5),
    "estimates": lambda c: estimates(c, 6),
    "minimums-ranged": lambda c: estimates(c, 7, _minimums_alone(), (0.2, 0.5, 1, 2)),
    "minimums-ranged-2": lambda c: estimates(c, 8, _minimums_alone(), (0.2, 0.5, 1, 2)),
    "units-typed": _units_typed,
}


@pytest.fixture(scope="module")
def typed_cases(tmp_path_factory) -> tuple[dict[str, Path], dict]:
    """name -> the case's workbook as LibreOffice saved it after recalculating (typed: in src/ beside its folder),
    and the reader's tables of the written workbook (every case types over its cells: one layout)."""
    d = tmp_path_factory.mktemp("numbers")
    (d / "src").mkdir()
    base, firms, comps = base_for(28)
    written = write_applicant_workbook(d / "written.xlsx", base=base, firms=firms, comparables=comps)
    c = Clerk(written)
    sources = {}
    for name, make in CASES.items():    # each case typed on the written workbook alone (save_case takes it back)
        make(c)
        sources[name] = c.save_case(d / "src" / f"{name}.xlsx")
    done = soffice_convert_all(list(sources.values()), "xlsx", d / "lo", timeout=600)
    return dict(zip(sources, done)), c.tables


@pytest.fixture(scope="module")
def recalculated(typed_cases) -> dict[str, Path]:
    return typed_cases[0]


class _Typed:
    """A typed case's workbook as openpyxl would show it with its formulas (a formula cell: its '='-led text, else
    the value), one sheet read at a time from the file (saved_values), for the cells the reader's tables name."""

    def __init__(self, path: Path, tables: dict):
        self.path, self.tables = path, tables
        self.sheets: dict[str, _TypedSheet] = {}

    def __getitem__(self, sheet: str) -> "_TypedSheet":
        if sheet not in self.sheets:
            self.sheets[sheet] = _TypedSheet(sheet_values(self.path, sheet), sheet_formulas(self.path, sheet))
        return self.sheets[sheet]


class _TypedSheet:
    def __init__(self, values, formulas):
        self.values, self.formulas = values, formulas

    def __getitem__(self, ref: str) -> object:
        col, row = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", ref).groups()
        at = (int(row), column_index_from_string(col))
        return self.formulas.get(at, self.values.cell(*at))


def _reads(path: Path, src: Path) -> dict[tuple[str, str], object]:
    """(sheet, typed cell) -> its read on the numbers sheet (LibreOffice's result), found by the formulas
    that name the typed cell: a list column's value stage names the column's defined names, a single
    cell's value stage begins with the typed cell. `src`: the workbook typed (its formulas)."""
    got = sheet_values(path, NUMBER_SHEET)
    names = defined_names(src)
    out = {}
    for (r, c), formula in sorted(sheet_formulas(src, NUMBER_SHEET).items()):
        column = re.fullmatch(r"=xl_num(\d+)_value", formula)
        single = re.match(r"=IF\(ISNUMBER\('([^']+)'!\$([A-Z]+)\$(\d+)\),IF\(", formula)
        letter = get_column_letter(c)
        if column:
            sheet, col = re.search(r"'([^']+)'!\$([A-Z]+)1", names[f"xl_num{column.group(1)}_text"]).groups()
            out[(sheet, f"{col}{r}")] = got.cell(r, c)
            out[("@", sheet, f"{col}{r}")] = f"'{NUMBER_SHEET}'!${letter}${r}"
        elif single:
            out[(single.group(1), single.group(2) + single.group(3))] = got.cell(r, c)
            out[("@", single.group(1), single.group(2) + single.group(3))] = f"'{NUMBER_SHEET}'!${letter}${r}"
    return out


def _ranged(src: Path) -> set[str]:
    """The numbers sheet's value columns that carry a range beside them (templates.numbers.NumberSheet.ranged): a
    single cell's, and a list column's whose next cell computes its `est`."""
    out = set()
    formulas = sheet_formulas(src, NUMBER_SHEET)
    for (r, c), formula in formulas.items():
        column = re.fullmatch(r"=xl_num(\d+)_value", formula)
        after = formulas.get((r, c + 1))
        if column and after == f"=xl_num{column.group(1)}_est" or (
                re.match(r"=IF\(ISNUMBER\('", formula) and after and str(after).startswith("=xl_nums_")):
            out.add(get_column_letter(c))
    return out


def _slots(src: Path) -> dict[str, dict[str, str]]:
    """A list column read with slots (templates.numbers.NumberSheet.column): its value column's letter -> each slot
    stage's column letter (`at`: the sheet row a slot reads, 0 for none), found by the formulas naming them."""
    by_n: dict[str, dict[str, str]] = {}
    values: dict[str, str] = {}
    top: dict[int, tuple[int, re.Match]] = {}       # column -> the first cell down it that names a stage
    for (r, c), formula in sheet_formulas(src, NUMBER_SHEET).items():
        m = re.fullmatch(r"=xl_num(\d+)_(s_)?(\w+)", formula)
        if m and (c not in top or r < top[c][0]):
            top[c] = (r, m)
    for c, (_, m) in sorted(top.items()):
        letter = get_column_letter(c)
        if m.group(2):
            by_n.setdefault(m.group(1), {})[m.group(3)] = letter
        elif m.group(3) == "value":
            values[m.group(1)] = letter
    out = {}
    for n, stages in by_n.items():
        est = column_index_from_string(stages["est"])
        out[values[n]] = {**stages, "at": get_column_letter(est - 2)}
    return out


def _slot_ends(got_ws, slots: dict[str, str], row: int) -> dict[str, object] | None:
    """The range outputs of the slot that read sheet row `row` (LibreOffice's results), None where no slot did."""
    for r in range(1, got_ws.max_row + 1):
        if got_ws[f"{slots['at']}{r}"] == row:
            return {k: got_ws[f"{slots[k]}{r}"] for k in ("est", "lo", "hi", "lo_open", "hi_open", "about")}
    return None


def _number_fields(c: Clerk | _Typed) -> dict[tuple[str, str], Field]:
    """(sheet, cell) -> the number field the reader reads there, for every record cell and list row typed."""
    out = {}
    for form_id in NUMBER_FORMS:
        form, t = get_form(form_id), c.tables[form_id]
        for key, ref in t.record_cells.items():
            out[(form.sheet, ref)] = form.field(key)
        for i in range(len(t.data)):
            for f in form.table_fields:
                if f.is_numeric and f.key in t.columns:
                    out[(form.sheet, t.cell(f.key, int(t.data["_row"].iloc[i])))] = f
    return out


@pytest.mark.parametrize("name", ["retyped", "mixed", "mixed-2", "ordinals", "estimates"])
def test_each_number_is_read_as_validate_reads_it(typed_cases, name):
    recalculated, tables = typed_cases
    path = recalculated[name]
    src = path.parents[1] / "src" / path.name
    typed = _Typed(src, tables)     # its cells and formulas, at the cells of the written layout
    reads, fields = _reads(path, src), _number_fields(typed)
    got_ws = sheet_values(path, NUMBER_SHEET)
    ranged, slots = _ranged(src), _slots(src)
    checked = n_ranged = n_slots = 0
    for (sheet, ref), f in fields.items():
        value = typed[sheet][ref]
        if not f.is_numeric or f.merge_only or value is None or str(value).startswith("="):
            continue
        got = reads[(sheet, ref)]
        want = parse_number(value, f)
        read_at = reads[("@", sheet, ref)].split("!$")[1].rstrip("0123456789$")
        if want.note == ESTIMATE and read_at in ranged:     # a bound or an estimate: its range (read.estimates)
            e = estimate_of(value, f)
            assert got == RANGE and e is not None, (sheet, ref, value, got)
            ends = {k: got_ws[r.split("!")[1].replace("$", "")] for k, r in range_reads(reads[("@", sheet, ref)], ranged).items()}
            for end, want_end in (("lo", e.low), ("hi", e.high)):
                assert (ends[end] in (None, "") if want_end is None else
                        math.isclose(ends[end], want_end, rel_tol=1e-12, abs_tol=1e-12)), (value, end, ends, e)
            assert (ends["lo_open"], ends["hi_open"], ends["about"]) == (e.low_open, e.high_open, e.about), (value, ends, e)
            n_ranged += 1
        elif want.note == ESTIMATE and read_at in slots:     # a long list's column: the range in the row's slot
            e = estimate_of(value, f)
            at_row = int(reads[("@", sheet, ref)].rsplit("$", 1)[1])
            ends = _slot_ends(got_ws, slots[read_at], at_row)
            assert got == RANGE and e is not None and ends is not None and ends["est"] == 1, (sheet, ref, value, got)
            for end, want_end in (("lo", e.low), ("hi", e.high)):
                assert (ends[end] in (None, "") if want_end is None else
                        math.isclose(ends[end], want_end, rel_tol=1e-12, abs_tol=1e-12)), (value, end, ends, e)
            assert (ends["lo_open"], ends["hi_open"], ends["about"]) == (e.low_open, e.high_open, e.about), (value, ends, e)
            n_slots += 1
        elif want.note in (UNPARSEABLE, NOT_WHOLE):
            assert got == UNREADABLE, (sheet, ref, value, got)
        elif want.value is None:
            assert got in (None, ""), (sheet, ref, value, got)
        else:
            assert isinstance(got, (int, float)) and math.isclose(got, want.value, rel_tol=1e-12), \
                (sheet, ref, value, got, want.value)
        checked += 1
    assert checked > 100
    assert n_ranged > 30 or name != "estimates"
    assert n_slots > 30 or name != "estimates"


COUNTED = list(CASES)


@pytest.mark.parametrize("name", COUNTED)
def test_the_sheet_counts_what_validate_reports(recalculated, name):
    path = recalculated[name]
    sheet, found = sheet_counts(path), validate_counts(path)
    differ = {rule: (n, found.get(rule, 0)) for rule, n in sheet.items() if n != found.get(rule, 0)}
    assert not differ, f"{name}: rule -> (sheet, validate): {differ}"


@pytest.mark.parametrize("rule", list(UNIT_BREAKS))
def test_a_figure_typed_with_its_unit_breaks_its_rule(recalculated, rule):
    path = recalculated["units-typed"]
    assert sheet_counts(path)[rule] == 1
    assert {p.rule for p in rules_own(validate_problems(path))} >= {rule}


def test_a_workbook_typed_in_spellings_passes_as_in_numbers(recalculated):
    """Retyped in spellings of the same values, the clean workbook fails nothing, in the sheet and in validate."""
    for name in ("retyped", "retyped-2"):
        assert not any(sheet_counts(recalculated[name]).values()), name


@pytest.fixture(scope="module")
def validated(tmp_path_factory) -> tuple[Path, list[tuple[Field, object]]]:
    """Column A: typed values (generated spellings, refused spellings, numbers); B: the number cell's data
    validation for the field, as LibreOffice computes it."""
    import xlsxwriter
    from xlbase.templates.validation import validation_for
    d = tmp_path_factory.mktemp("number_validation")
    rng = random.Random(7)
    fields = [f for form_id in NUMBER_FORMS for f in get_form(form_id).fields if f.is_numeric and not f.merge_only]
    typed: list[tuple[Field, object]] = []
    for f in fields:
        for _ in range(6):
            typed.append((f, spelling(rng.choice([0, 3, 25, 1200, 12.5, 3456789]), f, rng)))
            typed.append((f, strange(f, rng)))
            typed.append((f, estimate_spelling(rng.choice([3, 25, 100, 1000, 12.5]), f, rng)))
        typed += [(f, 25), (f, -5), (f, 2.5), (f, "大约二五人"), (f, "二五人左右"), (f, "近百人左右"), (f, "不少于百余人")]
    path = d / "typed.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("typed")
    for i, (f, v) in enumerate(typed):
        (ws.write_string if isinstance(v, str) else ws.write_number)(i, 0, v)
        ws.write_formula(i, 1, validation_for(f, f"A{i + 1}")["value"])
    wb.close()
    book = openpyxl.load_workbook(path)      # no cached results: LibreOffice computes every formula
    book.save(path)
    return soffice_convert_all([path], "xlsx", d / "lo")[0], typed


def test_a_number_cell_refuses_only_what_validate_calls_an_error(validated):
    """The data validation lets through every spelling validate reads (the read in the sheet judges it), a bound or an
    estimate included ("约300", "近百人左右": validate reads it as a range), and refuses numbers out of the field's
    bounds and text with neither a digit nor a magnitude (十百千万)."""
    path, typed = validated
    ws = openpyxl.load_workbook(path, data_only=True)["typed"]
    refused = []
    for i, (f, v) in enumerate(typed, start=1):
        allowed = ws.cell(i, 2).value
        assert allowed in (True, False), (f.key, v, allowed)
        read = parse_number(v, f)
        in_bounds = read.value is None or ((f.min is None or read.value >= f.min) and
                                          (f.max is None or read.value <= f.max))
        if read.note not in (UNPARSEABLE, NOT_WHOLE) and in_bounds:     # ESTIMATE: a range validate reads
            assert allowed, f"{f.key}: {v!r} is read as {read.value}, the cell refuses it"
        if not allowed:
            refused.append(v)
    assert {"大约二五人", "二五人左右"} <= set(refused)      # no digit, no magnitude: no figure at all
    assert not {"近百人左右", "不少于百余人"} & set(refused)
    assert -5 in refused and 2.5 in refused        # below a count's 0, not whole


@pytest.mark.parametrize("name", ["retyped", "mixed", "mixed-2"])
def test_the_total_row_sums_what_validate_reads(typed_cases, name):
    """附件3's 合计 line adds up the figures as validate reads them ("25人" is 25), not only the cells that hold
    numbers; with a figure typed as a range ("约25") it is the range validate totals (rules.ranges.Total.describe:
    "120 至 150"; before, the range was left out of the sum)."""
    recalculated, tables = typed_cases
    path = recalculated[name]
    src = path.parents[1] / "src" / path.name
    t = tables["附件3"]
    form = get_form("附件3")
    got = sheet_values(path, "附件3")
    typed = _Typed(src, tables)["附件3"]
    total_row = next(r for r in range(1, 20) if got.cell(r, 1) == form.total_label)
    checked = 0
    for f in form.table_fields:
        if not f.is_numeric or f.key not in t.columns:
            continue
        col = "".join(ch for ch in t.cell(f.key, 1) if ch.isalpha())
        values = [parse_number(typed[f"{col}{int(r)}"], f).value for r in t.data["_row"]]
        ranges = [e for r in t.data["_row"] if (e := estimate_of(typed[f"{col}{int(r)}"], f)) is not None]
        want = sum(v for v in values if v is not None)
        shown = got[f"{col}{total_row}"]
        if ranges:
            assert shown == total_of([v for v in values if v is not None], ranges).describe(), (f.key, shown)
        else:
            assert isinstance(shown, (int, float)) and math.isclose(shown, want, rel_tol=1e-9, abs_tol=1e-9), \
                (f.key, shown, want)
        checked += 1
    assert checked >= 3


@pytest.mark.parametrize("name", COUNTED)
def test_the_check_beside_the_list_agrees_with_validate(recalculated, name):
    """The 核对项 block beside 附件3 (its figure against 附件10's and 附件2's) says 不一致 exactly when validate
    reports the rule that totals the list (firm-count-match, employee-sum-match), figures typed as text
    included."""
    from xlbase.templates.checks import DIFFERENT, SAME, totals
    path = recalculated[name]
    verdicts = [v for v in sheet_values(path, "附件3").cells.values() if v in (SAME, DIFFERENT)]
    assert verdicts, "no check block"
    rules = {t.rule.id for t in totals()}
    reported = {p.rule for p in rules_own(validate_problems(path)) if p.rule in rules}
    assert (DIFFERENT in verdicts) == bool(reported), (name, verdicts, reported)


@pytest.mark.parametrize("name", list(CASES))
def test_the_check_line_counts_the_values_validate_cannot_read(recalculated, name):
    """The 表内检查's line above its table says how many typed dates and numbers cannot be read (红色底纹): as many
    as validate's unparseable errors on date and number fields and its years alone in a date field (value-estimate:
    the sheet asks for the full date). A number typed as a bound or an estimate is read as its range
    (templates.estimates), not counted — in a long list's column too (附件3: in slots, templates.numbers; before, it
    was counted there and the exact figure asked for). Before, the line said 表内计算的各项没有不符合 over a workbook
    validate rejected for them (太原 设备清单 数量 “2台”)."""
    from xlbase.templates.check_sheet import CHECK_SHEET, UNREADABLE_TEXT
    path = recalculated[name]
    src = path.parents[1] / "src" / path.name
    reads, ranged = _reads(path, src), _ranged(src) | set(_slots(src))

    def unranged(p) -> bool:        # a range in a column the sheet reads no ranges in would be read as unreadable
        read = reads.get(("@", p.sheet, p.cell))
        return read is not None and read.split("!$")[1].rstrip("0123456789$") not in ranged

    def counted(p) -> bool:
        f = get_form(p.form).field(p.field)
        if f.type == "date":
            return p.rule == UNPARSEABLE and p.severity == "error" or p.rule == VALUE_ESTIMATE
        return f.is_numeric and (p.rule == UNPARSEABLE and p.severity == "error" or p.rule == VALUE_ESTIMATE and unranged(p))
    want = sum(1 for p in validate_problems(src) if p.form and p.field and get_form(p.form).has_field(p.field)
               and counted(p))
    line = str(sheet_values(path, CHECK_SHEET)["A2"] or "")
    said = re.search(r"有 (\d+)" + re.escape(UNREADABLE_TEXT), line)
    assert (int(said.group(1)) if said else 0) == want, (name, want, line[:80])
    assert want or name != "unreadable", "the case types two values validate cannot read"


@pytest.mark.parametrize("name", ["minimums-ranged", "minimums-ranged-2"])
def test_a_minimum_typed_as_a_range_gets_validates_verdict(recalculated, name):
    """tutors-min, partners-min typed as bounds and estimates around their thresholds in the applicant's workbook: the
    表内检查's 结果 is validate's verdict — 不符合 for its error, 请核实 for its warning, else 通过."""
    from template_clerk import sheet_results
    from xlbase.rules import load_pack
    path = recalculated[name]
    results = sheet_results(path)
    pack = load_pack()
    said: dict[str, set[str]] = {}
    for p in validate_problems(path):
        said.setdefault(p.rule, set()).add(p.severity)
    for rule in [r for r in pack.rules if r.field in _minimums_alone()]:
        at = said.get(rule.id, set())
        want = "不符合" if rule.severity in at else "请核实" if "warning" in at else "通过"
        assert results[rule.id] == want, (name, rule.id, results[rule.id], at)
