"""A generic programme's rule pack and the kinds it may use, judged per submission (one file).

The pack has the shape of Shanxi's (rules/packs/*.yaml: id, title, year, as_of, sources, rules with id,
kind, form(s), field(s), threshold, severity, message, source) and names its programme's forms. Its
kinds are declared in data/programme_kinds.yaml (title, message variables, keys); each is one function
here (the Shanxi engine's kinds work on its forms' stacked frames; these on one submission's tables).
Every problem points at the cell the clerk typed: a record value's cell, a table row's cell, or a 合计
row's cell.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Callable

import jinja2
import jinja2.meta

from ..forms import _parse_yaml as parse_yaml
from ..forms import get_form, value_list
from ..problems import ERROR, SEVERITIES, WARNING, Problem
from ..table import Table
from ..text import fold
from ..forms.programmes import ProgrammeError

_ENV = jinja2.Environment(undefined=jinja2.ChainableUndefined, autoescape=False)
COMMON_VARIABLES = frozenset({"value", "threshold", "label", "unit", "base", "form", "as_of", "cell", "row_label",
                              "rule"})


@lru_cache(maxsize=None)
def kind_specs() -> dict[str, dict]:
    """The kinds a generic pack may name, from data/programme_kinds.yaml."""
    text = resources.files("xlbase.data").joinpath("programme_kinds.yaml").read_text(encoding="utf-8")
    return parse_yaml(text)["kinds"]


@dataclass(frozen=True)
class GenericRule:
    id: str
    kind: str
    forms: tuple[str, ...]
    fields: tuple[str, ...] = ()
    threshold: Any = None
    tolerance: Any = None
    severity: str = ERROR
    message: str = ""
    source: str = ""
    title: str = ""
    row: str | None = None              # "last": a table form's last row (the latest year)
    target: dict = field(default_factory=dict)
    blank: str | None = None            # severity when the value is blank (min/max), else blank is skipped
    blank_message: str = ""

    @property
    def form(self) -> str:
        return self.forms[0]

    @property
    def field(self) -> str:
        return self.fields[0] if self.fields else ""

    def render(self, message: str | None = None, **ctx: Any) -> str:
        return _ENV.from_string(message or self.message).render(rule=self, **ctx).strip()


@dataclass(frozen=True)
class GenericPack:
    id: str
    title: str
    jurisdiction: str
    year: int
    as_of: dt.date
    rules: tuple[GenericRule, ...]
    sources: tuple[dict, ...] = ()
    programme: str = ""

    def rule(self, rule_id: str) -> GenericRule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    def has_rule(self, rule_id: str) -> bool:
        return any(r.id == rule_id for r in self.rules)

    def title_of(self, code: str) -> str:
        """问题类别 of a problem code (problem_codes.title_of): the rule's title, else its kind's."""
        for r in self.rules:
            if r.id == code:
                return r.title or str(kind_specs()[r.kind].get("title", ""))
        return ""


def load_generic_pack(programme, name_or_path: str | None = None, as_of: dt.date | None = None) -> GenericPack:
    """The programme's pack (or `name_or_path`: a shipped pack name or a YAML file), checked against its forms."""
    name = name_or_path or programme.pack
    path = Path(name)
    if path.is_file():
        text, where = path.read_text(encoding="utf-8"), str(path)
    else:
        shipped = resources.files("xlbase.rules").joinpath("packs").joinpath(f"{name}.yaml")
        if not shipped.is_file():
            raise ProgrammeError(f"找不到规则包“{name}”")
        text, where = shipped.read_text(encoding="utf-8"), f"{name}.yaml"
    pack = parse_generic_pack(text, programme, where)
    return pack if as_of is None else GenericPack(**{**pack.__dict__, "as_of": as_of})


def parse_generic_pack(text: str, programme, where: str) -> GenericPack:
    try:
        spec = parse_yaml(text)
    except Exception as exc:
        raise ProgrammeError(f"规则包 {where} 不是有效的 YAML：{exc}") from None
    if not isinstance(spec, dict) or not isinstance(spec.get("rules"), list):
        raise ProgrammeError(f"规则包 {where} 应有 rules 列表")
    forms = programme.forms
    kinds = kind_specs()
    rules = []
    for n, r in enumerate(spec["rules"], start=1):
        rid = str(r.get("id") or f"第{n}条")

        def fail(msg: str, rid: str = rid) -> ProgrammeError:
            return ProgrammeError(f"规则包 {where} 规则 {rid}：{msg}")
        kind = r.get("kind")
        if kind not in kinds:
            raise fail(f"检查类型“{kind}”不认识；可用：{'、'.join(kinds)}")
        rforms = tuple(r.get("forms") or ([r["form"]] if r.get("form") else ()))
        if not rforms:
            raise fail("缺少 form（表单）")
        for f in rforms:
            if f not in forms:
                raise fail(f"表单“{f}”不是本项目的表单；有：{'、'.join(forms)}")
        fields = r.get("fields") or ([r["field"]] if r.get("field") else [])
        fields = tuple(str(x) for x in fields)
        for key in _field_keys(fields):
            if not any(forms[f].has_field(key) for f in rforms):
                raise fail(f"栏目“{key}”不在表单 {'、'.join(rforms)} 中")
        severity = r.get("severity", ERROR)
        if severity not in SEVERITIES:
            raise fail(f"severity 应为 {'、'.join(SEVERITIES)} 之一")
        threshold = _share(r.get("threshold"))
        if kinds[kind].get("threshold") and not isinstance(threshold, (int, float)):
            raise fail("threshold（门槛）应为数字")
        allowed = COMMON_VARIABLES | set(kinds[kind].get("variables") or ())
        for key in ("message", "blank_message"):
            if r.get(key):
                try:
                    used = jinja2.meta.find_undeclared_variables(_ENV.parse(r[key]))
                except jinja2.TemplateSyntaxError as exc:
                    raise fail(f"{key} 模板有误：{exc}") from None
                if used - allowed:
                    raise fail(f"{key} 中的变量 {'、'.join(sorted(used - allowed))} 不存在；可用：{'、'.join(sorted(allowed))}")
        target = dict(r.get("target") or {})
        if target and (target.get("form") not in forms or not forms[target["form"]].has_field(target.get("field", ""))):
            raise fail("target 应写明本项目的表单和栏目（form、field）")
        rules.append(GenericRule(id=rid, kind=kind, forms=rforms, fields=fields, threshold=threshold,
                                 tolerance=r.get("tolerance"), severity=severity, message=str(r.get("message", "")),
                                 source=str(r.get("source", "")), title=str(r.get("title", "")), row=r.get("row"),
                                 target=target, blank=r.get("blank"), blank_message=str(r.get("blank_message", ""))))
    as_of = spec.get("as_of")
    if isinstance(as_of, str):
        as_of = dt.date.fromisoformat(as_of)
    return GenericPack(id=str(spec.get("id", "")), title=str(spec.get("title", "")),
                       jurisdiction=str(spec.get("jurisdiction", "")), year=int(spec.get("year") or 0),
                       as_of=as_of or dt.date.today(), rules=tuple(rules), sources=tuple(spec.get("sources") or ()),
                       programme=str(spec.get("programme", programme.name)))


def _share(v: Any) -> Any:
    if isinstance(v, str) and v.strip().endswith("%"):
        return float(v.strip()[:-1]) / 100
    return v


_TERM = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _field_keys(fields: tuple[str, ...]) -> list[str]:
    """Field keys named by `fields`, including those inside comparisons (a + b <= c)."""
    return [k for f in fields for k in _TERM.findall(f)]


# --- what one submission holds -----------------------------------------------------------------------

@dataclass
class Value:
    value: Any
    cell: str
    table: Table
    row: int = 0              # sheet row (0: a record value)
    row_label: str = ""


class Submission:
    """The tables read from one file."""

    def __init__(self, file: str, tables: list[Table]) -> None:
        self.file = file
        self.tables = tables
        self.base = next((str(t.base.get("name")) for t in tables if t.base.get("name")), "")

    def of(self, form_id: str) -> list[Table]:
        return [t for t in self.tables if t.form_id == form_id]

    def values(self, form_id: str, key: str, row: str | None = None) -> list[Value]:
        """`key`'s values: the record's, or each data row's (only the last one with `row: last`)."""
        out = []
        for t in self.of(form_id):
            if t.form.kind == "record" or key in t.record:
                out.append(Value(t.record.get(key), t.cell(key), t))
                continue
            if key not in t.data.columns:
                continue
            label_key = t.form.table_fields[0].key
            rows = list(t.data.index)
            if row == "last":
                filled = [i for i in rows if t.data.at[i, key] is not None]
                rows = filled[-1:] if filled else rows[-1:]
            for i in rows:
                r = int(t.data.at[i, "_row"])
                lab = t.data.at[i, label_key] if label_key in t.data.columns else None
                out.append(Value(t.data.at[i, key], t.cell(key, r), t, r, f"{lab}" if lab not in (None, "") else ""))
        return out


def _num(v: Any) -> float | None:
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float)) and not (isinstance(v, float) and math.isnan(v)):
        return float(v)
    return None


def _fmt(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, float):
        return f"{v:.2f}".rstrip("0").rstrip(".")
    if isinstance(v, dt.date):
        return v.isoformat()
    return "" if v is None else str(v)


@dataclass
class Ctx:
    pack: GenericPack

    def problem(self, rule: GenericRule, sub: Submission, v: Value | None, key: str, *, severity: str | None = None,
                message: str | None = None, table: Table | None = None, cell: str = "", **extra: Any) -> Problem:
        t = v.table if v is not None else table
        form = t.form if t is not None else get_form(rule.form)
        fld = form.field(key) if key and form.has_field(key) else None
        value = v.value if v is not None else extra.pop("value", None)
        threshold = extra.pop("threshold", rule.threshold)
        text = rule.render(message, value=_fmt(value), threshold=_fmt(threshold), label=extra.pop("label", None)
                           or (fld.label if fld else ""), unit=(fld.unit or "") if fld else "", base=sub.base,
                           form=form.title, as_of=self.pack.as_of.isoformat(), cell=v.cell if v else cell,
                           row_label=v.row_label if v else "", **{k: _fmt(x) for k, x in extra.items()})
        return Problem(rule.id, severity or rule.severity, text, sub.file, t.sheet if t is not None else "",
                       v.cell if v is not None else cell, form.id, key, sub.base, value, threshold)


KindFn = Callable[[Ctx, GenericRule, Submission], list[Problem]]
KIND_FUNCTIONS: dict[str, KindFn] = {}


def kind(name: str):
    def deco(fn: KindFn) -> KindFn:
        KIND_FUNCTIONS[name] = fn
        return fn
    return deco


def _blank(v: Value) -> bool:
    return v.value is None or (isinstance(v.value, str) and not v.value.strip())


def _raw_typed(v: Value, key: str) -> bool:
    """The clerk typed something the reader could not take (the reader reported it)."""
    t = v.table
    if v.row == 0:
        return bool((t.record_raw.get(key) or "").strip())
    if key in t.raw.columns:
        i = t.data.index[t.data["_row"] == v.row]
        return len(i) > 0 and t.raw.at[i[0], key] not in (None, "")
    return False


@kind("required")
def check_required(ctx: Ctx, rule: GenericRule, sub: Submission) -> list[Problem]:
    out = []
    for form_id in rule.forms:
        for t in sub.of(form_id):
            form = t.form
            fields = form.record_fields if form.kind == "record" else form.table_fields
            for f in fields:
                if not f.required or f.merge_only:
                    continue
                if f.key in t.missing_fields:
                    if form.kind == "record":
                        out.append(ctx.problem(rule, sub, None, f.key, table=t, severity=WARNING if not f.official
                                               else rule.severity, message=f"{form.title}中没有找到“{{{{ label }}}}”一栏，"
                                               "请按表样补上并填写"))
                    continue
                for v in sub.values(form_id, f.key):
                    if v.table is t and _blank(v) and not _raw_typed(v, f.key):
                        sev = WARNING if f.blank_may_be_zero else rule.severity
                        out.append(ctx.problem(rule, sub, v, f.key, severity=sev))
    return out


@kind("range")
def check_range(ctx: Ctx, rule: GenericRule, sub: Submission) -> list[Problem]:
    out = []
    for form_id in rule.forms:
        form = get_form(form_id)
        for f in form.fields:
            if not f.is_numeric or (f.min is None and f.max is None):
                continue
            for v in sub.values(form_id, f.key):
                x = _num(v.value)
                if x is None:
                    continue
                if f.min is not None and x < f.min:
                    out.append(ctx.problem(rule, sub, v, f.key, threshold=f.min, bound="下限"))
                elif f.max is not None and x > f.max:
                    out.append(ctx.problem(rule, sub, v, f.key, threshold=f.max, bound="上限"))
    return out


@kind("choice")
def check_choice(ctx: Ctx, rule: GenericRule, sub: Submission) -> list[Problem]:
    out = []
    for form_id in rule.forms:
        for f in get_form(form_id).fields:
            if f.type != "choice" or not f.choices:
                continue
            allowed = value_list(f.choices)
            keys = {fold(a) for a in allowed}
            for v in sub.values(form_id, f.key):
                if isinstance(v.value, str) and v.value.strip() and fold(v.value) not in keys:
                    out.append(ctx.problem(rule, sub, v, f.key, choices="、".join(allowed)))
    return out


def _threshold_check(op: Callable[[float, float], bool]) -> KindFn:
    def check(ctx: Ctx, rule: GenericRule, sub: Submission) -> list[Problem]:
        out = []
        for v in sub.values(rule.form, rule.field, rule.row):
            x = _num(v.value)
            if x is None:
                if rule.blank and _blank(v) and not _raw_typed(v, rule.field):
                    out.append(ctx.problem(rule, sub, v, rule.field, severity=rule.blank,
                                           message=rule.blank_message or None))
                continue
            if op(x, float(rule.threshold)):
                out.append(ctx.problem(rule, sub, v, rule.field))
        return out
    return check


KIND_FUNCTIONS["min"] = _threshold_check(lambda x, t: x < t)
KIND_FUNCTIONS["max"] = _threshold_check(lambda x, t: x > t)


@kind("age-in-years")
def check_age(ctx: Ctx, rule: GenericRule, sub: Submission) -> list[Problem]:
    out = []
    for v in sub.values(rule.form, rule.field, rule.row):
        d = v.value
        if not isinstance(d, dt.date):
            continue
        end = ctx.pack.as_of
        years = end.year - d.year - ((end.month, end.day) < (d.month, d.day))
        if years < float(rule.threshold):
            out.append(ctx.problem(rule, sub, v, rule.field, years=years))
    return out


@kind("share-min")
def check_share(ctx: Ctx, rule: GenericRule, sub: Submission) -> list[Problem]:
    part_key, whole_key = rule.fields[:2]
    out = []
    parts = sub.values(rule.form, part_key, rule.row)
    wholes = sub.values(rule.form, whole_key, rule.row)
    for p, w in zip(parts, wholes):
        x, total = _num(p.value), _num(w.value)
        if x is None or not total:
            continue
        share = x / total
        if share < float(rule.threshold) - 1e-12:
            out.append(ctx.problem(rule, sub, p, part_key, whole=total, percent=round(100 * share, 1),
                                   threshold_percent=_fmt(round(100 * float(rule.threshold), 1)), share=share))
    return out


def _applicant(sub: Submission, pack: GenericPack, forms) -> bool:
    """A base's own submission: it holds a record form of the programme (not a county's 汇总表 alone)."""
    return any(t.form.kind == "record" for t in sub.tables)


@kind("rows-min")
def check_rows_min(ctx: Ctx, rule: GenericRule, sub: Submission) -> list[Problem]:
    if not _applicant(sub, ctx.pack, None):
        return []
    tables = sub.of(rule.form)
    if not tables and rule.blank:   # the list is not in this file (it may come in another): undecided, not short
        return [ctx.problem(rule, sub, None, "", table=None, severity=rule.blank, message=rule.blank_message or None,
                            value=0, counted=0)]
    n = sum(t.n_rows for t in tables)
    if n >= float(rule.threshold):
        return []
    t = tables[0] if tables else None
    cell = ""
    if t is not None and t.columns:
        first = min(t.columns.values())
        from xlsxwriter.utility import xl_col_to_name
        cell = f"{xl_col_to_name(first - 1)}{t.header_row}"
    return [ctx.problem(rule, sub, None, "", table=t, cell=cell, value=n, counted=n)]


@kind("counts-match")
def check_counts_match(ctx: Ctx, rule: GenericRule, sub: Submission) -> list[Problem]:
    if not _applicant(sub, ctx.pack, None):
        return []
    tg = rule.target
    stated = sub.values(tg["form"], tg["field"], tg.get("row"))
    tables = sub.of(rule.form)
    if not stated or not tables:
        return []
    n = sum(t.n_rows for t in tables)
    out = []
    for v in stated:
        x = _num(v.value)
        if x is not None and abs(x - n) > float(rule.tolerance or 0):
            out.append(ctx.problem(rule, sub, v, tg["field"], counted=n, difference=x - n))
    return out


@kind("total-matches")
def check_total(ctx: Ctx, rule: GenericRule, sub: Submission) -> list[Problem]:
    out = []
    tol = float(rule.tolerance or 0)
    for t in sub.of(rule.form):
        for total in t.totals:
            for key in rule.fields:
                stated = _num(total.get(key))
                if stated is None or key not in t.data.columns:
                    continue
                s = sum(x for x in (_num(v) for v in t.data[key]) if x is not None)
                if abs(stated - s) > tol:
                    v = Value(stated, t.cell(key, int(total["_row"])), t, int(total["_row"]), "合计")
                    out.append(ctx.problem(rule, sub, v, key, counted=round(s, 6), difference=stated - s))
    return out


_CMP = {"<=": lambda a, b: a <= b + 1e-9, ">=": lambda a, b: a >= b - 1e-9, "<": lambda a, b: a < b,
        ">": lambda a, b: a > b}


@kind("comparison")
def check_comparison(ctx: Ctx, rule: GenericRule, sub: Submission) -> list[Problem]:
    out = []
    for expr in rule.fields:
        m = re.match(r"^\s*(.+?)\s*(<=|>=|<|>)\s*([A-Za-z_]\w*)\s*$", expr)
        if not m:
            continue
        left = [k.strip() for k in m.group(1).split("+")]
        op, right = m.group(2), m.group(3)
        cols = [sub.values(rule.form, k, rule.row) for k in left]
        rights = sub.values(rule.form, right, rule.row)
        for i, rv in enumerate(rights):
            b = _num(rv.value)
            parts = [_num(c[i].value) if i < len(c) else None for c in cols]
            if b is None or all(p is None for p in parts):
                continue
            a = sum(p for p in parts if p is not None)
            if not _CMP[op](a, b):
                first = next(c[i] for c, p in zip(cols, parts) if p is not None)
                form = get_form(rule.form)
                label = "+".join(form.field(k).label for k in left)
                out.append(ctx.problem(rule, sub, Value(a, first.cell, first.table, first.row, first.row_label),
                                       left[0], threshold=b, label=label, other=form.field(right).label, op=op))
    return out


@kind("unique")
def check_unique(ctx: Ctx, rule: GenericRule, sub: Submission) -> list[Problem]:
    out = []
    seen: dict[str, str] = {}
    for v in sub.values(rule.form, rule.field):
        if not isinstance(v.value, str) or not v.value.strip():
            continue
        k = fold(v.value)
        if k in seen:
            out.append(ctx.problem(rule, sub, v, rule.field, first_cell=seen[k]))
        else:
            seen[k] = v.cell
    return out


def validate_programme(tables: list[Table], pack: GenericPack) -> list[Problem]:
    """Every rule of `pack` over every submission (tables grouped by file)."""
    by_file: dict[str, list[Table]] = {}
    for t in tables:
        by_file.setdefault(t.file, []).append(t)
    ctx = Ctx(pack)
    out: list[Problem] = []
    for file, ts in by_file.items():
        sub = Submission(file, ts)
        for rule in pack.rules:
            out += KIND_FUNCTIONS[rule.kind](ctx, rule, sub)
    return out
