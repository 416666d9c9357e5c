"""Readers of the parameter types kinds declare: each turns what a pack wrote into a typed value, or
refuses it with a Chinese message at its line (a mistake made by hand never silently disables a rule).

A reader is `read(raw, site) -> value`; `raw` is the YAML value as loaded (mappings still carry their
line marks), `site` says where it is (kinds.base.Site).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable

import jinja2
import jinja2.meta

from ...forms import value_list
from ...problems import SEVERITIES
from ..rule import DEFAULT_KEY, TEMPLATES, normalise_base_type
from ..sizing import NameWords, industries, name_words, names_of
from .base import COMMON_VARIABLES, Site

Reader = Callable[[Any, Site], Any]


def shown(text: str) -> Callable[[Reader], Reader]:
    """What may be written, in Chinese, for `xlbase rules show`, docs/problems.md and messages."""
    def deco(read: Reader) -> Reader:
        read.shown = text   # type: ignore[attr-defined]
        return read
    return deco


def number(share: bool = False, what: str = "门槛") -> Reader:
    """A number ≥ 0 written without a unit; a share (0.8 = 80 %) may be written "80%"."""
    def read(v: Any, site: Site) -> float | int:
        text = v.strip() if isinstance(v, str) else None
        if share and text and text.endswith(("%", "％")):
            try:
                v = float(text[:-1]) / 100
            except ValueError:
                pass
        rid = site.rule_id
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v != v:
            hint = "比例写小数，如 0.8（即 80%）" if share else "只写数字，不带单位，如 10"
            raise site.error(f"规则 {rid} 的{what}应为数字，现为“{v}”；{hint}")
        if share and not 0 <= v <= 1:
            example = v / 100 if 1 < v <= 100 and float(v).is_integer() else 0.8   # 80 meant 80%
            raise site.error(f"规则 {rid} 的{what}是比例，应在 0 到 1 之间（0% 到 100%），现为 {v:g}；"
                             f"请写小数，如 {example:g}，或写成百分数“{example * 100:g}%”")
        if not share and v < 0:
            raise site.error(f"规则 {rid} 的{what}不应为负数，现为 {v:g}")
        return v
    return shown("比例（0 到 1 的小数，或“80%”）" if share else "数字")(read)


def per_type(inner: Reader) -> Reader:
    """One value, or one per 基地类型 ({楼宇型: 3, default: 2}); type spellings read as the canonical type."""
    def read(v: Any, site: Site) -> Any:
        if not isinstance(v, dict):
            return inner(v, site)
        known = set(value_list("base_type")) | {DEFAULT_KEY}
        out = {}
        for k in site.strip(v):
            if k not in known and normalise_base_type(k) is None:
                raise site.at(v, k).error(f"规则 {site.rule_id} 的门槛按基地类型设置，但“{k}”不是基地类型；"
                                          f"可用：{'、'.join(value_list('base_type'))}、{DEFAULT_KEY}")
            out[normalise_base_type(k) or k] = inner(v[k], site.at(v, k))
        return out
    return shown(f"{inner.shown}，或按基地类型分别设置（default 为其他类型）")(read)   # type: ignore[attr-defined]


@shown("一个值（如 true、10）")
def scalar(v: Any, site: Site) -> Any:
    """One value (是/否, a number, a text)."""
    if isinstance(v, (dict, list)):
        raise site.error(f"规则 {site.rule_id} 的门槛应为一个值（如 true、10），现为“{site.strip(v)}”")
    return v


@shown("数字，或 {abs: 数字, rel: 比例}")
def tolerance(v: Any, site: Site) -> Any:
    """A difference still counted as equal: a number, or {abs: 数字, rel: 比例} (either suffices)."""
    if isinstance(v, dict):
        out = site.strip(v)
        unknown = [k for k in out if k not in ("abs", "rel")]
        if unknown or not out:
            raise site.error(f"规则 {site.rule_id} 的容差 tolerance 应为数字，或 {{abs: 数字, rel: 比例}}，"
                             f"现有不认识的项“{'、'.join(map(str, unknown))}”")
        for k in out:
            number(share=k == "rel", what="容差")(v[k], site.at(v, k))
        return out
    return number(what="容差")(v, site)


@lru_cache(maxsize=1024)
def _variables(text: str) -> frozenset[str] | str:
    """The variables a message template names, or jinja2's message of its syntax error: parsed once a process,
    not at every load of the pack (~0.4 ms a template, 25 in Shanxi's pack, a load per check in the tests)."""
    try:
        return frozenset(jinja2.meta.find_undeclared_variables(TEMPLATES.parse(text)))
    except jinja2.TemplateSyntaxError as exc:
        return str(exc.message)


@shown("消息模板（jinja2）")
def template(v: Any, site: Site) -> str:
    """A message template (jinja2) naming only variables the kind gives."""
    text = str(v)
    named = _variables(text)
    if isinstance(named, str):
        raise site.error(f"规则 {site.rule_id} 的 {site.key} 模板有误：{named}") from None
    known = COMMON_VARIABLES | site.kind.variables
    unknown = sorted(named - known)
    if unknown:
        raise site.error(f"规则 {site.rule_id} 的 {site.key} 用了不认识的变量 "
                         f"{'、'.join('{{ ' + u + ' }}' for u in unknown)}；可用：{'、'.join(sorted(known))}")
    return text


@shown("error、warning 或 info")
def severity(v: Any, site: Site) -> str:
    """error（错误）、warning（警告）或 info（提示）."""
    if v not in SEVERITIES:
        raise site.error(f"规则 {site.rule_id} 的 {site.key} 应为 error（错误）、warning（警告）或 info（提示），现为“{v}”")
    return str(v)


@shown("日期 YYYY-MM-DD")
def date(v: Any, site: Site) -> dt.date:
    """A date YYYY-MM-DD."""
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    try:
        return dt.date.fromisoformat(str(v))
    except ValueError:
        raise site.error(f"规则 {site.rule_id} 的 {site.key} 应为日期 YYYY-MM-DD，现为“{v}”") from None


@shown("表单列表，如 [附件2, 附件3]")
def form_list(v: Any, site: Site) -> tuple[str, ...]:
    """A list of the pack's forms (附件2、附件3…; a programme's own forms for its pack)."""
    forms = v if isinstance(v, list) else [v]
    for f in forms:
        if f not in site.forms:
            raise site.error(f"规则 {site.rule_id} 的 {site.key} 中的表单“{f}”不认识；可用：{'、'.join(site.forms)}")
    return tuple(forms)


@shown("按行业写企业名称中的用字，如 {工业: [机械, 加工厂], 交通运输业: [货运]}（行业用300号标准的行业或其所列名称）；"
       "写 {} 则不按名称推断")
def industry_words(v: Any, site: Site) -> NameWords:
    """Words of firms' names per industry of the small/micro standard (rules/sizing.name_words)."""
    if not isinstance(v, dict):
        raise site.error(f"规则 {site.rule_id} 的 {site.key} 应为“行业: [用字, …]”的键值表，现为“{v}”")
    plain = site.strip(v)
    for k, words in plain.items():
        if not isinstance(k, str) or not names_of(k):
            raise site.at(v, k).error(f"规则 {site.rule_id} 的 {site.key} 中“{k}”不是300号标准的行业或其所列名称；"
                                      f"可用：{'、'.join(industries())}，或国民经济行业门类名称（如 批发和零售业）")
        if isinstance(words, str):
            plain[k] = [words]
        elif not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise site.at(v, k).error(f"规则 {site.rule_id} 的 {site.key} 中“{k}”的用字应为文字列表，如 [机械, 加工厂]，"
                                      f"现为“{words}”")
    return name_words(plain)


def one_of(*values: str) -> Reader:
    def read(v: Any, site: Site) -> str:
        if v not in values:
            raise site.error(f"规则 {site.rule_id} 的 {site.key} 应为 {'、'.join(values)} 之一，现为“{v}”")
        return str(v)
    return shown("、".join(values) + " 之一")(read)


ROW_CHOICES = ("last",)


def row_choice(v: Any, site: Site) -> str:
    """Which of a table's rows a rule reads: `last` (the latest year of a by-year table)."""
    return one_of(*ROW_CHOICES)(v, site)


row_choice.shown = "last（表格的最后一行，如最近一年）"   # type: ignore[attr-defined]


@dataclass(frozen=True)
class Target:
    """The figure firm rows are compared with: `field` as stated on the first of `forms` that has it
    (`row`: which row of a table form, as a rule's own `row`)."""

    forms: tuple[str, ...]
    field: str
    row: str | None = None


@shown("{forms: [表…], field: 栏目, row: last（可选）}")
def target(v: Any, site: Site) -> Target:
    """{forms: [附件10, 附件11], field: 栏目}: where the figure to compare with is stated."""
    if not isinstance(v, dict) or not v.get("field"):
        raise site.error(f"规则 {site.rule_id} 的 target 应写明核对的表和栏目，如 {{forms: [附件10, 附件11], field: resident_firms}}")
    key = "forms" if "forms" in v else "form"
    forms = form_list(v.get(key) or [], site.at(v, key)) if v.get(key) else ()
    if not forms:
        raise site.at(v, "field").error(f"规则 {site.rule_id} 的 target 缺少表 forms（如 [附件10, 附件11]）")
    for f in forms:
        if not site.forms[f].has_field(v["field"]):
            raise site.at(v, "field").error(f"规则 {site.rule_id} 的 target：{f} 没有字段“{v['field']}”；"
                                            f"可用：{'、'.join(site.forms[f].keys)}")
    row = row_choice(v["row"], site.at(v, "row")) if v.get("row") is not None else None
    return Target(forms, str(v["field"]), row)
