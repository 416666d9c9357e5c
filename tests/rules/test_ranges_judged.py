"""A figure typed as a bound or an estimate ("30户以上", "不足20", "约300": read.estimates) is a range wherever a rule
compares figures: firm-count-match (附件10 已入驻企业数 against 附件3's rows), employee-sum-match (附件3 职工人数
total, some rows typed as ranges, against 附件10), forms-agree (附件2 against 附件10) and share-min. Consistent for
some value of the range: nothing; proven inconsistent for the whole range: the rule's severity (a warning when
only an estimate's margin proves it); a share between: a warning saying what decides.

The property: a range is never judged more severely than a plain value inside it — never an error where that
value is not one, and for the rules comparing two figures nothing where that value agrees."""

from __future__ import annotations

import dataclasses
import math

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from rules_kit import a3_rows, a10_row, record, table
from xlbase.forms import estimate_words, get_form
from xlbase.read.normalise import estimate_of
from xlbase.rules import load_pack, parse_pack, validate

SHANXI = load_pack("shanxi-2024-base")
PACKS = {r.id: dataclasses.replace(SHANXI, rules=[r]) for r in SHANXI.rules}     # one rule: quick examples
A10 = get_form("附件10")
RANK = {None: 0, "info": 1, "warning": 2, "error": 3}
WORDS = estimate_words()
#: (text shape, whether the clerk's words bound it, not an estimate's margin)
SHAPES = [("{n}户以上", True), ("不少于{n}", True), ("≥{n}", True), ("不足{n}", True), ("{n}以下", True),
          ("不超过{n}户", True), ("{n}余", True), ("约{n}", False), ("{n}左右", False), ("近{n}", False)]


def _verdict(problems, rule: str) -> str | None:
    found = [p.severity for p in problems if p.rule == rule]
    return max(found, key=RANK.get) if found else None


def _inside(text: str, field, pick: float) -> tuple[float, object] | None:
    """A whole number inside the range `text` says, chosen by `pick` in [0, 1]; None when there is none."""
    e = estimate_of(text, field)
    assert e is not None, text
    low = math.ceil(e.lowest) if e.low is not None else 0
    high = math.floor(e.highest) if e.high is not None else low + 200
    xs = [x for x in range(max(low, 0), high + 1) if e.contains(x)]
    return (xs[min(int(pick * len(xs)), len(xs) - 1)], e) if xs else None


def _typed_staff(rows: list[dict], which: set[int], shape: tuple[str, bool], pick: float) -> list[dict]:
    """附件3 rows whose 职工人数 in the rows `which` is typed as `shape` around its figure (changed in place),
    and the same rows with a plain figure inside each range instead."""
    field = get_form("附件3").field("employees")
    plain = []
    for i, r in enumerate(rows):
        p = dict(r)
        if i in which:
            text = shape[0].format(n=r["employees"])
            got = _inside(text, field, pick)
            assume(got is not None)
            r["employees"], r["_raw"] = None, {"employees": text}
            p["employees"] = got[0]
        plain.append(p)
    return plain


def _a10(field: str, value, raw: str | None = None, **over):
    row = a10_row(**{field: value}, **over)
    if raw is not None:
        row["_raw"] = {field: raw}
    return table("附件10", [row])


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(SHAPES), st.integers(1, 60), st.integers(1, 60), st.floats(0, 1))
def test_a_stated_firm_count_typed_as_a_range(shape, n, rows, pick):
    text = shape[0].format(n=n)
    got = _inside(text, A10.field("resident_firms"), pick)
    assume(got is not None)
    x, e = got
    firms = table("附件3", a3_rows(rows))
    pack = PACKS["firm-count-match"]
    ranged = _verdict(validate([_a10("resident_firms", None, text), firms], pack), "firm-count-match")
    plain = _verdict(validate([_a10("resident_firms", x), firms], pack), "firm-count-match")
    assert RANK[ranged] <= RANK[plain], (text, x, rows)
    # consistent for some value: nothing; for none: the rule's error, a warning when only a margin proves it
    assert (ranged is None) == e.contains(rows), (text, rows, ranged)
    if ranged is not None:
        assert ranged == ("error" if shape[1] else "warning")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 40), min_size=3, max_size=8), st.sets(st.integers(0, 7), max_size=3),
       st.sampled_from(SHAPES), st.integers(0, 400), st.floats(0, 1), st.booleans())
def test_a_column_total_with_cells_typed_as_ranges(employees, ranged_rows, shape, stated, pick, stated_typed):
    """附件3 职工人数 with some rows "约20", "不足10", and the 附件10 total plain or itself a range."""
    rows = a3_rows(len(employees))
    for r, n in zip(rows, employees):
        r["employees"] = n
    plain_rows = _typed_staff(rows, ranged_rows, shape, pick)
    stated_row = ("employees", stated, None)
    if stated_typed:
        text = shape[0].format(n=max(stated, 1))
        got = _inside(text, A10.field("employees"), pick)
        assume(got is not None)
        stated_row = ("employees", None, text)
        plain_stated = got[0]
    else:
        plain_stated = stated
    pack = PACKS["employee-sum-match"]
    ranged = _verdict(validate([_a10(*stated_row), table("附件3", rows)], pack), "employee-sum-match")
    plain = _verdict(validate([_a10("employees", plain_stated), table("附件3", plain_rows)], pack),
                     "employee-sum-match")
    if plain is None:
        assert ranged is None, (employees, ranged_rows, shape, stated_row)
    assert RANK[ranged] <= max(RANK[plain], RANK["warning"])


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(SHAPES), st.integers(1, 400), st.integers(0, 400), st.floats(0, 1))
def test_a_fact_typed_as_a_range_on_one_form_and_plain_on_the_other(shape, n, other, pick):
    text = shape[0].format(n=n)
    a2 = get_form("附件2")
    got = _inside(text, a2.field("resident_firms"), pick)
    assume(got is not None)
    x, e = got

    def run(value, raw):
        t2 = record("附件2", {"resident_firms": value})
        t2.record_raw["resident_firms"] = raw if raw is not None else str(value)
        return _verdict(validate([t2, _a10("resident_firms", other)], PACKS["forms-agree"]), "forms-agree")
    ranged, plain = run(None, text), run(x, None)
    if plain is None:
        assert ranged is None
    assert (ranged is None) == e.contains(other), (text, other, ranged)


SHARE_PACK = parse_pack("""id: t
title: 测试
year: 2024
as_of: 2024-08-25
rules:
  - id: staff-share
    kind: share-min
    form: 附件10
    fields: [service_staff, employees]
    threshold: 50%
    severity: error
    message: "{{ label }} {{ value }} 占 {{ whole }} 的 {{ percent }}%，低于 {{ threshold_percent }}%"
""")


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(SHAPES), st.integers(1, 200), st.integers(1, 200), st.floats(0, 1), st.booleans())
def test_a_share_whose_part_or_whole_is_typed_as_a_range(shape, n, other, pick, part_typed):
    text = shape[0].format(n=n)
    key, other_key = ("service_staff", "employees") if part_typed else ("employees", "service_staff")
    got = _inside(text, A10.field(key), pick)
    assume(got is not None)
    x, e = got
    assume(x > 0 or part_typed)

    def run(value, raw):
        row = a10_row(**{key: value, other_key: other})
        if raw is not None:
            row["_raw"] = {key: raw}
        return _verdict(validate([table("附件10", [row])], SHARE_PACK), "staff-share")
    ranged, plain = run(None, text), run(x, None)
    if ranged == "error":       # proven for the whole range, by the clerk's own words
        assert plain == "error" and shape[1], (text, other)
    if plain == "error":
        assert ranged in ("error", "warning"), (text, other)


def test_an_estimate_under_a_header_unit_is_judged_in_the_fields_unit():
    """"约3000000" in a column whose header says 元 is about 300 万元 (not 3 000 000 万元): against a 附件10 stated in
    万元 the two agree."""
    from fractions import Fraction
    t10 = _a10("revenue", None, "约3000000")
    t10.scales["revenue"] = Fraction(1, 10000)
    e = estimate_of("约3000000", A10.field("revenue"), t10.scales["revenue"])
    assert e is not None and e.figure == 300 and e.low == 150 and e.high == 450
    assert estimate_of("约300万元", A10.field("revenue"), Fraction(1, 10000)).figure == 300   # its own unit
    t2 = record("附件2", {})
    pack = parse_pack("""id: t
title: 测试
year: 2024
as_of: 2024-08-25
rules:
  - id: revenue-min
    kind: min
    form: 附件10
    field: revenue
    threshold: 100
    severity: error
    message: "{{ value }}"
""")
    assert not [p for p in validate([t10, t2], pack) if p.rule == "revenue-min"]       # 150..450 >= 100
    t10.scales["revenue"] = Fraction(1, 100000000)
    assert [p.severity for p in validate([t10, t2], pack) if p.rule == "revenue-min"] == ["warning"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 600), st.integers(10, 90000)), min_size=2, max_size=8),
       st.sets(st.integers(0, 7), min_size=1, max_size=4), st.sampled_from(SHAPES), st.floats(0, 1),
       st.sampled_from(["", "零售业", "制造业", "软件和信息技术服务业"]))
def test_small_micro_share_with_firm_figures_typed_as_ranges(figures, typed_rows, shape, pick, industry):
    """附件3 职工人数 typed "不足50人", "300人以上", "约80" for some firms: a bound in the clerk's words decides a
    firm's size where it lies wholly on one side of the standard's floor; an estimate's margin never does."""
    rows = a3_rows(len(figures), industry=industry or None)
    for r, (staff, revenue) in zip(rows, figures):
        r.update(employees=staff, revenue=float(revenue))
    plain_rows = _typed_staff(rows, typed_rows, shape, pick)
    pack = PACKS["small-micro-share"]
    ranged = _verdict(validate([table("附件3", rows)], pack), "small-micro-share")
    plain = _verdict(validate([table("附件3", plain_rows)], pack), "small-micro-share")
    if ranged == "error":
        assert plain == "error", (figures, typed_rows, shape)


def test_a_bound_decides_a_firms_size_and_an_estimate_does_not():
    rows = a3_rows(5)
    for r, text in zip(rows[:2], ("300人以上", "≥120")):       # 零售业: medium from 50 staff and 500 万元
        r.update(employees=None, revenue=3000.0, industry="零售业", _raw={"employees": text})
    (p,) = [p for p in validate([table("附件3", rows)], PACKS["small-micro-share"])]
    assert p.severity == "error" and "测试企业1有限公司" in p.message and "测试企业2有限公司" in p.message
    for r in rows[:2]:
        r["_raw"] = {"employees": "约300人"}          # ±50 %: still medium, but only the margin says so
    (p,) = [p for p in validate([table("附件3", rows)], PACKS["small-micro-share"])]
    assert p.severity == "warning"


def test_a_bound_decides_a_firms_size_in_a_programmes_submission_too():
    from xlbase.rules.engine import validate_submissions
    from xlbase.rules.pack import SUBMISSIONS
    pack = parse_pack("""id: t
title: 测试
year: 2024
as_of: 2024-08-25
rules:
  - id: share
    kind: ratio
    form: 附件3
    threshold: 0.8
    severity: error
    message: "{{ share }}"
""", engine=SUBMISSIONS)
    rows = a3_rows(5)
    for r in rows[:2]:
        r.update(employees=None, revenue=3000.0, industry="零售业", _raw={"employees": "300人以上"})
    found = [p.severity for p in validate_submissions([record("附件2", {}), table("附件3", rows)], pack)]
    assert found == ["error"]


SUBMISSION_PACK = """id: t
title: 测试
year: 2024
as_of: 2024-08-25
rules:
  - id: count
    kind: counts-match
    form: 附件3
    target: {forms: [附件10], field: resident_firms}
    severity: error
    message: "{{ value }} / {{ counted }}"
  - id: staff
    kind: sum-matches
    form: 附件3
    field: employees
    target: {forms: [附件10], field: employees}
    tolerance: {rel: 0.05}
    severity: error
    message: "{{ value }} / {{ counted }}"
"""


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(SHAPES), st.integers(1, 40), st.integers(1, 12), st.floats(0, 1), st.booleans())
def test_a_programmes_stated_count_and_total_typed_as_ranges(shape, n, firms, pick, on_total):
    """The same on a programme's submission (check_submission): 已入驻企业数 typed as a range against the list's rows,
    and the list's 职工人数 with one cell typed as a range against a plain total."""
    from xlbase.rules.engine import validate_submissions
    from xlbase.rules.pack import SUBMISSIONS
    pack = parse_pack(SUBMISSION_PACK, engine=SUBMISSIONS)
    text = shape[0].format(n=n)
    rows = a3_rows(firms)
    if on_total:        # one firm's staff typed as a range, the stated total plain
        rows[0]["employees"] = n
        plain_rows = _typed_staff(rows, {0}, shape, pick)
        stated = 10 * (firms - 1) + n
        ranged = validate_submissions([record("附件2", {}), _a10("employees", stated), table("附件3", rows)], pack)
        plain = validate_submissions([record("附件2", {}), _a10("employees", stated), table("附件3", plain_rows)], pack)
        rule = "staff"
    else:
        got = _inside(text, A10.field("resident_firms"), pick)
        assume(got is not None)
        ranged = validate_submissions([record("附件2", {}), _a10("resident_firms", None, text), table("附件3", rows)], pack)
        plain = validate_submissions([record("附件2", {}), _a10("resident_firms", got[0]), table("附件3", rows)], pack)
        rule = "count"
        assert (_verdict(ranged, rule) is None) == got[1].contains(firms), (text, firms)
    r, p = _verdict(ranged, rule), _verdict(plain, rule)
    if p is None:
        assert r is None, (text, firms, [x.message for x in ranged])
    assert RANK[r] <= max(RANK[p], RANK["warning"])
