"""Rule packs: thresholds as data an officer can read and edit, loaded with line-aware errors.

A pack is a YAML file (see packs/*.yaml). Loading checks its shape, so a mistake made by hand gets a
Chinese message naming the file and line, not a traceback. The loader knows no kind: each rule's own
keys are read here, its parameters by the kind it names (rules/kinds/, `Kind.read_params`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

import yaml

from ..forms import FORM_IDS, Form, get_form
from .kinds import KINDS, Kind, param_specs
from .kinds.base import Site
from .kinds.params import form_list, severity, template
from .rule import PackError, Rule, RulePack, normalise_base_type

DEFAULT_PACK = "shanxi-2024-base"

#: where a kind judges, by the forms its pack is for (Kind.engines)
FRAMES, SUBMISSIONS = "frames", "submissions"
_ENGINE_FORMS = {FRAMES: "山西表单的规则包", SUBMISSIONS: "有自己表单的申报项目（--programme）的规则包"}


# --- loading ------------------------------------------------------------------------

class _LineLoader(yaml.SafeLoader):
    """SafeLoader that remembers the line of every mapping (as key `__line__`)."""


class _FastLineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The same on libyaml's parser (when PyYAML has it): the default pack parses in ~2-10 ms instead of
    ~30 ms, at every merge's start. A text it refuses is parsed again by _LineLoader, whose messages we show."""


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
_FastLineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def _load_with_lines(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_FastLineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass; raises with its own message


def _strip_lines(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _strip_lines(x) for k, x in v.items() if k not in ("__line__", _KEY_LINES)}
    if isinstance(v, list):
        return [_strip_lines(x) for x in v]
    return v


def packs_dir():
    return resources.files("xlbase.rules").joinpath("packs")


def list_packs() -> list[str]:
    """Ids of the packs shipped with xlbase for the Shanxi forms (another programme's pack names its
    `programme:` and is loaded by xlbase.programmes.rules)."""
    return sorted(p.name[:-5] for p in packs_dir().iterdir() if p.name.endswith(".yaml")
                  and not _programme_of(p.read_text(encoding="utf-8")))


def _programme_of(text: str) -> str | None:
    """The generic programme a pack belongs to (its top-level `programme:` line), if any."""
    for line in text.splitlines():
        if line.startswith("programme:"):
            return line.split(":", 1)[1].split("#")[0].strip() or None
    return None


def load_pack(name_or_path: str | Path | None = None, as_of: dt.date | None = None) -> RulePack:
    """A shipped pack by id, or a YAML file by path; `as_of` overrides the pack's reference date."""
    name = str(name_or_path) if name_or_path else DEFAULT_PACK
    shipped = packs_dir().joinpath(f"{name}.yaml")
    if shipped.is_file() and not Path(name).suffix:
        text, where = shipped.read_text(encoding="utf-8"), f"{name}.yaml"
        if _programme_of(text):
            raise PackError(f"规则包“{name}”属于申报项目 {_programme_of(text)}，它有自己的表单："
                            f"在命令后加 --programme {_programme_of(text)}；它的规则：xlbase programmes {_programme_of(text)}")
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


def shanxi_forms() -> dict[str, Form]:
    """The forms a Shanxi pack's rules name."""
    return {fid: get_form(fid) for fid in FORM_IDS}


def parse_pack(text: str, where: str = "<规则包>", forms: Mapping[str, Form] | None = None,
               engine: str = FRAMES) -> RulePack:
    """A pack from its YAML text. `forms`: the forms its rules may name (Shanxi's by default; a programme's
    own for its pack, judged per submission: `engine="submissions"`); each rule's kind must judge there."""
    try:
        doc = _load_with_lines(text)
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
            pass            # said below, as any other value that is no date
    if not isinstance(as_of, dt.date):
        raise fail(top, f"as_of 应为日期 YYYY-MM-DD，现为“{doc['as_of']}”")
    if not isinstance(doc["rules"], list) or not doc["rules"]:
        raise fail(top, "rules 应为规则列表，且至少有一条规则")
    rules, seen = [], set()
    catalogue = shanxi_forms() if forms is None else forms
    for spec in doc["rules"]:
        if not isinstance(spec, dict):
            raise fail(top, f"rules 中的每一项应为键值表，现为“{spec}”")
        rule = _parse_rule(spec, fail, catalogue, engine)
        if rule.id in seen:
            raise fail(rule.line, f"规则编号 {rule.id} 重复")
        seen.add(rule.id)
        rules.append(rule)
    return RulePack(
        id=str(doc["id"]), title=str(doc["title"]), jurisdiction=str(doc.get("jurisdiction", "")),
        year=int(doc["year"]), as_of=as_of, rules=tuple(rules),
        sources=tuple(_strip_lines(doc.get("sources") or [])), params=_strip_lines(doc.get("params") or {}),
        path=where, programme=str(doc.get("programme") or ""), titles=code_titles(rules),
    )


def code_titles(rules: list[Rule]) -> dict[str, str]:
    """Each problem code the rules report, with its Chinese title: a rule's own (its kind's when the pack
    gives none), then the notes its kind reports beside it (checksum: "<id>-legacy")."""
    titles = {r.id: r.title or KINDS[r.kind].title for r in rules}
    for r in rules:
        for suffix, title in KINDS[r.kind].notes.items():
            titles.setdefault(f"{r.id}{suffix}", title)
    return titles


_RULE_KEYS = {"id", "kind", "form", "forms", "field", "fields", "threshold", "tolerance", "severity",
              "message", "source", "title", "params", "fallback", "__line__", _KEY_LINES}


def _parse_rule(spec: dict, fail, forms: Mapping[str, Form], engine: str) -> Rule:
    """One rule: its own keys here, its parameters by its kind; any mistake a PackError at its line."""
    line = spec.get("__line__", "?")
    for key in ("id", "kind", "severity", "message"):
        if not spec.get(key):
            raise fail(line, f"规则 {spec.get('id', '')} 缺少必填项“{key}”")
    rid, name = str(spec["id"]), str(spec["kind"])
    usable = [k for k, c in KINDS.items() if engine in c.engines()]
    if name not in KINDS:
        raise fail(_line_of(spec, "kind"), f"规则 {rid} 的 kind“{name}”不认识；可用：{'、'.join(usable)}")
    kind = KINDS[name]
    if engine not in kind.engines():
        where_used = "、".join(_ENGINE_FORMS[e] for e in sorted(kind.engines()))
        raise fail(_line_of(spec, "kind"), f"规则 {rid} 的 kind“{name}”只用于{where_used}，{_ENGINE_FORMS[engine]}"
                   f"不能用；可用：{'、'.join(usable)}")
    keys = _RULE_KEYS | set(param_specs(kind.Params))
    unknown = sorted(set(spec) - keys, key=lambda k: _line_of(spec, k))
    if unknown:
        raise fail(_line_of(spec, unknown[0]), f"规则 {rid} 有不认识的项：{'、'.join(map(str, unknown))}"
                   f"（可用：{'、'.join(sorted(k for k in keys if not k.startswith('__')))}）")
    site = Site(rid, kind, spec, "id", fail, _line_of, _strip_lines, forms)
    sev = severity(spec["severity"], site.at(spec, "severity"))
    forms_key = "forms" if "forms" in spec else "form"
    rule_forms = form_list(spec[forms_key], site.at(spec, forms_key)) if spec.get(forms_key) else ()
    fields = spec.get("fields") or ([spec["field"]] if spec.get("field") else [])
    fields = tuple(fields if isinstance(fields, list) else [fields])
    kind.check_shape(rule_forms, fields, site)
    if rule_forms and fields and not kind.model_bounds:
        for i, form in enumerate(forms[f] for f in rule_forms):
            for key in kind.keys_on(i, fields):
                if not form.has_field(key):
                    raise fail(_line_of(spec, "fields" if "fields" in spec else "field"),
                               f"规则 {rid}：{form.id} 没有字段“{key}”；可用：{'、'.join(form.keys)}")
    raw_params = spec.get("params") or {}
    if not isinstance(raw_params, dict):
        raise fail(_line_of(spec, "params"), f"规则 {rid} 的 params 应为键值表，现为“{raw_params}”")
    args = kind.read_params(spec, raw_params, site)
    fallback = spec.get("fallback")
    if fallback is not None:
        _check_fallback(fallback, kind, args, fields, rid, _line_of(spec, "fallback"), fail, forms)
    message = template(spec["message"], site.at(spec, "message"))
    return Rule(
        id=rid, kind=name, forms=rule_forms, fields=fields,
        threshold=_declared(kind, args, "threshold", spec), tolerance=_declared(kind, args, "tolerance", spec),
        severity=sev, message=message, source=str(spec.get("source", "")), title=str(spec.get("title", "")),
        params=_strip_lines(raw_params), line=line if isinstance(line, int) else 0, fallback=fallback, args=args,
    )


def _declared(kind: type[Kind], args: Any, key: str, spec: dict) -> Any:
    """A rule's `threshold` or `tolerance` as its kind read it (a share "80%" as 0.8, 基地类型 spellings as
    the canonical type); as written when the kind does not use it (kept for the pack's digest)."""
    if hasattr(args, key):
        return getattr(args, key)
    value = _strip_lines(spec.get(key))
    if isinstance(value, dict) and key == "threshold":
        value = {(normalise_base_type(k) or k): v for k, v in value.items()}
    return value


def _check_fallback(fallback: Any, kind: type[Kind], args: Any, fields: tuple, rid: str, line: Any, fail,
                    forms: Mapping[str, Form]) -> None:
    """The fallback form exists and has the fields it would be read for (the rule's, or its target's)."""
    if fallback not in forms:
        raise fail(line, f"规则 {rid} 的 fallback（缺少上述表时改用的表）“{fallback}”不认识；可用：{'、'.join(forms)}")
    for key in kind.stated_keys(args, fields):
        if not forms[fallback].has_field(key):
            raise fail(line, f"规则 {rid} 的 fallback 表 {fallback} 没有字段“{key}”")
