"""Rule packs: thresholds as data an officer can read and edit, loaded with line-aware errors.

A pack is a YAML file (see packs/*.yaml). Loading checks its shape, so a mistake
made by hand gets a Chinese message naming the line, not a traceback.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
import yaml

from ..forms import FORM_IDS, get_form, value_list, value_lists
from ..problems import SEVERITIES
from ..text import fold

DEFAULT_PACK = "shanxi-2024-base"
DEFAULT_KEY = "default"   # a per-type threshold map's fallback for types it does not name

KINDS = (
    "required", "type", "range", "choice",            # bounds read from the form model
    "min", "max", "equals", "age-in-years",            # one field against a threshold
    "ratio", "counts-match", "sum-matches",            # per base, across forms
    "sums-equal", "comparison",                        # within one record/row
    "checksum", "unique", "date-range",                # 附件3 firm rows
    "comparables", "rent-discount",                    # 附件4
    "forms-present", "forms-agree",                    # which forms a submission holds; facts they share
)


# Kinds whose threshold is a number (one, or one per 基地类型); of them, the ones whose threshold is a
# share of 1 (0.8 = 80%). A share may be written "80%" in a pack: it is read as 0.8.
NUMERIC_KINDS = ("min", "max", "age-in-years", "ratio", "comparables", "rent-discount")
SHARE_KINDS = ("ratio", "rent-discount")

# The variables the engine gives every message template, and each kind's own (rules/engine.py passes
# them); a message naming any other is refused at load, it would render blank.
MESSAGE_VARIABLES = frozenset({"value", "raw_value", "threshold", "label", "unit", "base", "base_type", "form",
                               "as_of", "rule"})
KIND_VARIABLES: dict[str, frozenset[str]] = {k: frozenset(v) for k, v in {
    "type": {"type_name"}, "range": {"bound"}, "choice": {"choices"}, "age-in-years": {"years"},
    "ratio": {"share", "percent", "firms", "small", "unknown", "strictest", "declared", "not_small", "undecided",
              "share_max", "firm_list", "cell"},
    "counts-match": {"counted", "difference"}, "sum-matches": {"counted", "difference"},
    "sums-equal": {"parts_sum", "parts"}, "comparison": {"other", "op"}, "checksum": {"length"},
    "unique": {"first_cell"}, "date-range": {"bound"}, "comparables": {"max_km", "unread"},
    "rent-discount": {"mean", "percent", "share"}, "forms-present": {"title"},
    "forms-agree": {"cell", "other_form", "other_label", "other_value", "other_cell"},
}.items()}


class PackError(ValueError):
    """A pack that cannot be used; the message is Chinese and names file and line."""


_ENV = jinja2.Environment(undefined=jinja2.ChainableUndefined, autoescape=False)


@lru_cache(maxsize=256)
def _template(message: str) -> jinja2.Template:
    """A rule's message compiled once, not once per problem (compiling is ~1 ms, rendering ~20 µs)."""
    return _ENV.from_string(message)


@dataclass(frozen=True)
class Rule:
    """One check: what it reads, the threshold(s), how bad a failure is, and where it comes from."""

    id: str
    kind: str
    form: str | None = None
    fields: tuple[str, ...] = ()
    threshold: Any = None
    tolerance: Any = None
    severity: str = "error"
    message: str = ""
    source: str = ""
    title: str = ""
    params: dict = field(default_factory=dict)
    forms: tuple[str, ...] = ()
    line: int = 0
    fallback: str | None = None   # a form whose rows are checked for submissions that have none of `forms`

    @property
    def field(self) -> str | None:
        return self.fields[0] if self.fields else None

    @property
    def per_type(self) -> bool:
        return isinstance(self.threshold, dict)

    def threshold_for(self, base_type: str | None) -> Any:
        """The threshold for a 基地类型; None when the map names neither it nor a default."""
        if not isinstance(self.threshold, dict):
            return self.threshold
        bt = normalise_base_type(base_type)
        if bt is not None and bt in self.threshold:
            return self.threshold[bt]
        return self.threshold.get(DEFAULT_KEY)

    def render(self, **ctx: Any) -> str:
        return _template(self.message).render(rule=self, **ctx).strip()


@dataclass(frozen=True)
class RulePack:
    id: str
    title: str
    jurisdiction: str
    year: int
    as_of: dt.date
    rules: tuple[Rule, ...]
    sources: tuple[dict, ...] = ()
    params: dict = field(default_factory=dict)
    path: str = ""

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(f"规则包 {self.id} 中没有规则 {rule_id}")

    def has_rule(self, rule_id: str) -> bool:
        return any(r.id == rule_id for r in self.rules)


# --- base types ---------------------------------------------------------------------

def _base_type_index() -> dict[str, str]:
    index = {fold(v): v for v in value_list("base_type")}
    for canon, spellings in (value_lists()["base_type"].get("aliases") or {}).items():
        for s in spellings:
            index[fold(s)] = canon
    return index


_BT_INDEX: dict[str, str] | None = None


def normalise_base_type(text: object) -> str | None:
    """The canonical 基地类型 for a clerk's spelling, or None when it is not recognised."""
    global _BT_INDEX
    if text is None or (isinstance(text, float) and text != text):
        return None
    if _BT_INDEX is None:
        _BT_INDEX = _base_type_index()
    return _BT_INDEX.get(fold(text))


# --- loading ------------------------------------------------------------------------

class _LineLoader(yaml.SafeLoader):
    """SafeLoader that remembers the line of every mapping (as key `__line__`)."""


def _mapping_with_line(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict:
    loader.flatten_mapping(node)
    out, lines = {}, {}
    for k_node, v_node in node.value:
        key = loader.construct_object(k_node, deep=True)
        out[key] = loader.construct_object(v_node, deep=True)
        lines[key] = k_node.start_mark.line + 1
    out["__line__"] = node.start_mark.line + 1
    out[_KEY_LINES] = lines
    return out


_KEY_LINES = "__key_lines__"     # key -> line of that key, so a mistake is shown where it was typed


def _line_of(mapping: dict, key: Any) -> Any:
    """The line of `key` in a loaded mapping, else the mapping's first line."""
    return (mapping.get(_KEY_LINES) or {}).get(key, mapping.get("__line__", "?"))


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def _strip_lines(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _strip_lines(x) for k, x in v.items() if k not in ("__line__", _KEY_LINES)}
    if isinstance(v, list):
        return [_strip_lines(x) for x in v]
    return v


def packs_dir():
    return resources.files("xlbase.rules").joinpath("packs")


def list_packs() -> list[str]:
    """Ids of the packs shipped with xlbase."""
    return sorted(p.name[:-5] for p in packs_dir().iterdir() if p.name.endswith(".yaml"))


def load_pack(name_or_path: str | Path | None = None, as_of: dt.date | None = None) -> RulePack:
    """A shipped pack by id, or a YAML file by path; `as_of` overrides the pack's reference date."""
    name = str(name_or_path) if name_or_path else DEFAULT_PACK
    shipped = packs_dir().joinpath(f"{name}.yaml")
    if shipped.is_file() and not Path(name).suffix:
        text, where = shipped.read_text(encoding="utf-8"), f"{name}.yaml"
    else:
        path = Path(name)
        if not path.is_file():
            raise PackError(f"找不到规则包“{name}”。可用的规则包：{'、'.join(list_packs())}；或给出 YAML 文件路径")
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise PackError(f"规则包文件 {path} 无法读取（应为 UTF-8 文本）：{exc}") from exc
        where = str(path)
    pack = parse_pack(text, where)
    return replace(pack, as_of=as_of) if as_of else pack


def parse_pack(text: str, where: str = "<规则包>") -> RulePack:
    try:
        doc = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else "?"
        raise PackError(f"{where} 第 {line} 行：YAML 格式错误（{exc.problem}）。请检查缩进、冒号和引号") from None
    except yaml.YAMLError as exc:
        raise PackError(f"{where}：YAML 格式错误（{exc}）") from None
    if not isinstance(doc, dict):
        raise PackError(f"{where}：规则包应是一个键值表（id、title、rules…）")

    def fail(line: Any, msg: str) -> PackError:
        return PackError(f"{where} 第 {line} 行：{msg}")

    top = doc.get("__line__", 1)
    for key in ("id", "title", "year", "as_of", "rules"):
        if key not in doc:
            raise fail(top, f"缺少必填项“{key}”")
    as_of = doc["as_of"]
    if isinstance(as_of, str):
        try:
            as_of = dt.date.fromisoformat(as_of)
        except ValueError:
            raise fail(top, f"as_of 应为日期 YYYY-MM-DD，现为“{as_of}”") from None
    if not isinstance(as_of, dt.date):
        raise fail(top, f"as_of 应为日期 YYYY-MM-DD，现为“{as_of}”")
    if not isinstance(doc["rules"], list) or not doc["rules"]:
        raise fail(top, "rules 应为规则列表，且至少有一条规则")
    rules, seen = [], set()
    for spec in doc["rules"]:
        if not isinstance(spec, dict):
            raise fail(top, f"rules 中的每一项应为键值表，现为“{spec}”")
        rule = _parse_rule(spec, fail)
        if rule.id in seen:
            raise fail(rule.line, f"规则编号 {rule.id} 重复")
        seen.add(rule.id)
        rules.append(rule)
    return RulePack(
        id=str(doc["id"]), title=str(doc["title"]), jurisdiction=str(doc.get("jurisdiction", "")),
        year=int(doc["year"]), as_of=as_of, rules=tuple(rules),
        sources=tuple(_strip_lines(doc.get("sources") or [])), params=_strip_lines(doc.get("params") or {}),
        path=where,
    )


_RULE_KEYS = {"id", "kind", "form", "forms", "field", "fields", "threshold", "tolerance", "severity",
              "message", "source", "title", "params", "fallback", "__line__", _KEY_LINES}


def _parse_rule(spec: dict, fail) -> Rule:
    line = spec.get("__line__", "?")
    unknown = sorted(set(spec) - _RULE_KEYS, key=lambda k: _line_of(spec, k))
    if unknown:
        raise fail(_line_of(spec, unknown[0]), f"规则 {spec.get('id', '')} 有不认识的项：{'、'.join(map(str, unknown))}"
                   f"（可用：{'、'.join(sorted(k for k in _RULE_KEYS if not k.startswith('__')))}）")
    for key in ("id", "kind", "severity", "message"):
        if not spec.get(key):
            raise fail(line, f"规则 {spec.get('id', '')} 缺少必填项“{key}”")
    rid, kind = str(spec["id"]), str(spec["kind"])
    if kind not in KINDS:
        raise fail(_line_of(spec, "kind"), f"规则 {rid} 的 kind“{kind}”不认识；可用：{'、'.join(KINDS)}")
    if spec["severity"] not in SEVERITIES:
        raise fail(_line_of(spec, "severity"), f"规则 {rid} 的 severity 应为 error（错误）、warning（警告）或 info（提示），现为“{spec['severity']}”")
    forms = tuple(spec.get("forms") or ([spec["form"]] if spec.get("form") else ()))
    for f in forms:
        if f not in FORM_IDS:
            raise fail(_line_of(spec, "forms" if "forms" in spec else "form"), f"规则 {rid} 的表单“{f}”不认识；可用：{'、'.join(FORM_IDS)}")
    fields = spec.get("fields") or ([spec["field"]] if spec.get("field") else [])
    fields = tuple(fields if isinstance(fields, list) else [fields])
    if kind == "forms-agree" and (len(forms) != 2 or not fields):
        raise fail(_line_of(spec, "forms" if "forms" in spec else "id"),
                   f"规则 {rid}（forms-agree）应写两张表 forms: [表一, 表二]，并在 fields 中列出两表都有的栏目")
    if forms and fields and kind not in ("required", "type", "range", "choice"):
        for form in map(get_form, forms):
            for key in _field_keys(fields):
                if not form.has_field(key):
                    raise fail(_line_of(spec, "fields" if "fields" in spec else "field"),
                               f"规则 {rid}：{form.id} 没有字段“{key}”；可用：{'、'.join(form.keys)}")
    raw_threshold = spec.get("threshold")
    threshold = _strip_lines(raw_threshold)
    if isinstance(threshold, dict):
        known = set(value_list("base_type")) | {DEFAULT_KEY}
        for k in threshold:
            if k not in known and normalise_base_type(k) is None:
                raise fail(_line_of(raw_threshold, k), f"规则 {rid} 的门槛按基地类型设置，但“{k}”不是基地类型；"
                           f"可用：{'、'.join(value_list('base_type'))}、{DEFAULT_KEY}")
        threshold = {(normalise_base_type(k) or k): v for k, v in threshold.items()}
    if kind in NUMERIC_KINDS:
        threshold = _numeric_threshold(spec, raw_threshold, threshold, kind, rid, fail)
    params = _strip_lines(spec.get("params") or {})
    fallback = spec.get("fallback")
    if fallback is not None:
        _check_fallback(fallback, params, fields, rid, _line_of(spec, "fallback"), fail)
    _check_message(str(spec["message"]), kind, rid, _line_of(spec, "message"), fail)
    for k, template in params.items():   # further messages a kind renders (checksum: legacy_message)
        if k.endswith("_message"):
            _check_message(str(template), kind, rid, _line_of(spec["params"], k), fail, k)
    return Rule(
        id=rid, kind=kind, form=forms[0] if forms else None, forms=forms, fields=fields,
        threshold=threshold, tolerance=_strip_lines(spec.get("tolerance")), severity=spec["severity"],
        message=str(spec["message"]), source=str(spec.get("source", "")), title=str(spec.get("title", "")),
        params=params, line=line if isinstance(line, int) else 0, fallback=fallback,
    )


def _check_fallback(fallback: Any, params: dict, fields: tuple, rid: str, line: Any, fail) -> None:
    """The fallback form exists and has the field it would be read for (the rule's, or its target's)."""
    if fallback not in FORM_IDS:
        raise fail(line, f"规则 {rid} 的 fallback（缺少上述表时改用的表）“{fallback}”不认识；可用：{'、'.join(FORM_IDS)}")
    target = (params.get("target") or {}).get("field")
    for key in ([target] if target else _field_keys(fields)):
        if not get_form(fallback).has_field(key):
            raise fail(line, f"规则 {rid} 的 fallback 表 {fallback} 没有字段“{key}”")


def _numeric_threshold(spec: dict, raw: Any, threshold: Any, kind: str, rid: str, fail) -> Any:
    """The threshold of a numeric kind as numbers; a share written "80%" as 0.8. Anything else fails at its line."""
    if threshold is None:
        raise fail(_line_of(spec, "id"), f"规则 {rid} 缺少门槛 threshold（应为数字）")
    if isinstance(threshold, dict):
        return {k: _number(v, kind, rid, _line_of(raw, k), fail) for k, v in threshold.items()}
    return _number(threshold, kind, rid, _line_of(spec, "threshold"), fail)


def _number(v: Any, kind: str, rid: str, line: Any, fail) -> float | int:
    share = kind in SHARE_KINDS
    text = v.strip() if isinstance(v, str) else None
    if share and text and text.endswith(("%", "％")):
        try:
            v = float(text[:-1]) / 100
        except ValueError:
            pass
    if isinstance(v, bool) or not isinstance(v, (int, float)) or v != v:
        hint = "比例写小数，如 0.8（即 80%）" if share else "只写数字，不带单位，如 10"
        raise fail(line, f"规则 {rid} 的门槛应为数字，现为“{v}”；{hint}")
    if share and not 0 <= v <= 1:
        example = v / 100 if 1 < v <= 100 and float(v).is_integer() else 0.8   # 80 meant 80%
        raise fail(line, f"规则 {rid} 的门槛是比例，应在 0 到 1 之间（0% 到 100%），现为 {v:g}；"
                   f"请写小数，如 {example:g}，或写成百分数“{example * 100:g}%”")
    if not share and v < 0:
        raise fail(line, f"规则 {rid} 的门槛不应为负数，现为 {v:g}")
    return v


def _check_message(message: str, kind: str, rid: str, line: Any, fail, name: str = "message") -> None:
    """A message template that parses and names only variables the engine gives this kind."""
    try:
        ast = _ENV.parse(message)
    except jinja2.TemplateSyntaxError as exc:
        raise fail(line, f"规则 {rid} 的 {name} 模板有误：{exc.message}") from None
    known = MESSAGE_VARIABLES | KIND_VARIABLES.get(kind, frozenset())
    unknown = sorted(jinja2.meta.find_undeclared_variables(ast) - known)
    if unknown:
        raise fail(line, f"规则 {rid} 的 {name} 用了不认识的变量 {'、'.join('{{ ' + u + ' }}' for u in unknown)}；"
                   f"可用：{'、'.join(sorted(known))}")


def _field_keys(fields: tuple) -> list[str]:
    """Plain field keys named by a rule (comparison pairs are written 'a<=b')."""
    out = []
    for f in fields:
        for op in ("<=", ">="):
            if op in str(f):
                out += [x.strip() for x in str(f).split(op)]
                break
        else:
            out.append(str(f))
    return out
