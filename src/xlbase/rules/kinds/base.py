"""What a rule kind declares about itself: the loader, `xlbase rules show`, the docs, the merge and the
templates read these declarations instead of knowing the kinds.

A new kind is one class in the family module it belongs to (or a new module imported by
kinds/__init__.py), registered with `@register`:

    @register
    class AtLeast(Kind):                              # one field against a minimum
        name = "min"                                  # what a pack writes as `kind:`
        title = "低于门槛"                             # the 问题类别 of a rule without a title
        Params = Minimum                              # its typed parameters (a frozen dataclass of param()s)
        variables = frozenset({"years"})              # message variables beyond COMMON_VARIABLES
        per_submission = False                        # judged over a submission's rows together?
        whole_list = False                            # over all its firm rows (unread rows leave it open)?
        outcomes = Outcomes(error="…", info="…")      # when it reports 错误/警告/提示
        def check(self, ctx, rule): ...               # Shanxi's forms: vectorised over ctx.frame(form)
        def check_submission(self, ctx, rule, sub): ...   # a programme's own forms: one file (rules.submission)

A kind implements either check or both; `engines()` says which, and the loader refuses a kind in a pack
it cannot judge (a programme's pack is parsed with its own forms: rules.programme).

The pack's `severity` is the severity of a proven failure (the `error` outcome); what a kind cannot
prove it reports as a warning whatever the pack says, and how it read something as an info.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any, Callable, ClassVar, Iterable, Mapping

from ...problems import Problem
from ..rule import Rule

#: the variables every message template gets (rules.emit); a kind adds its own in `variables`
COMMON_VARIABLES = frozenset({"value", "raw_value", "threshold", "label", "unit", "base", "base_type", "form",
                              "as_of", "rule", "cell", "row_label"})


@dataclass(frozen=True)
class Outcomes:
    """When a kind reports each severity (Chinese, as docs/problems.md and `xlbase rules show` print it).
    `error` is a proven failure, reported at the rule's own `severity`; empty: never."""

    error: str = ""
    warning: str = ""
    info: str = ""


class Site:
    """Where a parameter is in its pack, to name its file and line in a Chinese message."""

    def __init__(self, rule_id: str, kind: type[Kind], mapping: Any, key: Any,
                 fail: Callable[[Any, str], Exception], line_of: Callable[[Any, Any], Any],
                 strip: Callable[[Any], Any], forms: Mapping[str, Any]):
        self.rule_id, self.kind, self.mapping, self.key = rule_id, kind, mapping, key
        self._fail, self._line_of, self.strip = fail, line_of, strip
        self.forms = forms          # the forms the pack's rules may name (its programme's): id -> Form

    def at(self, mapping: Any, key: Any) -> Site:
        """The same rule, another value: `mapping[key]` (a per-type entry, a target's field)."""
        return Site(self.rule_id, self.kind, mapping, key, self._fail, self._line_of, self.strip, self.forms)

    def line(self, key: Any = None) -> Any:
        return self._line_of(self.mapping, self.key if key is None else key) \
            if isinstance(self.mapping, dict) else "?"

    def error(self, message: str, key: Any = None) -> Exception:
        """A PackError at this value's line (or at `key` of the same mapping)."""
        return self._fail(self.line(key), message)


@dataclass(frozen=True)
class ParamSpec:
    """One typed parameter: how to read what the pack wrote, and what it means."""

    read: Callable[[Any, Site], Any]   # the pack's value -> the typed value; raises site.error(…) on a mistake
    label: str                         # Chinese: what it is, for `xlbase rules show`, docs/problems.md, messages
    top: bool = False                  # written as a key of the rule (threshold, tolerance), else under params:
                                       # (or as a key of the rule: a programme's pack writes `target:` there)
    required: bool = False


def param(read: Callable[[Any, Site], Any], label: str, *, top: bool = False, required: bool = False,
          default: Any = None) -> Any:
    """A field of a kind's Params dataclass: `threshold: float = param(number(), "门槛", top=True, required=True)`.
    The reader's `shown` says what may be written (数字, 比例…)."""
    return field(default=default, metadata={"param": ParamSpec(read, label, top, required)})


@dataclass(frozen=True)
class NoParams:
    """A kind that reads nothing beyond the rule's own keys."""


def param_specs(params: type) -> dict[str, ParamSpec]:
    """name -> spec of each parameter of a Params dataclass, in declaration order."""
    return {f.name: f.metadata["param"] for f in fields(params)}


class Kind:
    """A rule kind; subclasses declare the class attributes below and implement `check`."""

    name: ClassVar[str]
    title: ClassVar[str]
    Params: ClassVar[type] = NoParams
    variables: ClassVar[frozenset[str]] = frozenset()
    per_submission: ClassVar[bool] = False
    #: judges a submission's firm rows as a whole: in a file with rows the reader could not take
    #: (unread-sheet) its errors are not proven (check.unproven_where_rows_unread)
    whole_list: ClassVar[bool] = False
    outcomes: ClassVar[Outcomes] = Outcomes()
    #: codes it reports under beside the rule's own id: suffix -> Chinese title (checksum: "-legacy")
    notes: ClassVar[dict[str, str]] = {}
    #: the fields and bounds come from the form model (required, type, range, choice): `fields` only narrows
    model_bounds: ClassVar[bool] = False
    #: its findings are the submitter's to fix, so a unit with one gets its return pack (attest: the officer's)
    returned: ClassVar[bool] = True
    #: the code under which the findings of all its rules on one submission are reported as one problem
    #: (`combine`; attest: one note per application listing every condition to check on paper); "" each alone
    combined: ClassVar[str] = ""

    #: the check a template can make in the sheet (rules.live): "minimum", "count", "sum", "agree"; "" none
    sheet_check: ClassVar[str] = ""

    # --- the check ---------------------------------------------------------------------
    def check(self, ctx: Any, rule: Rule) -> Iterable[Problem]:
        """Shanxi's forms: vectorised over every file's rows stacked per form (rules.context.Context)."""
        raise NotImplementedError

    def check_submission(self, ctx: Any, rule: Rule, sub: Any) -> list[Problem]:
        """A programme's own forms: one submission (rules.submission.Submission, one file's tables)."""
        raise NotImplementedError

    #: the engines a kind judges in, by what it implements: "frames" (check), "submissions" (check_submission)
    @classmethod
    def engines(cls) -> frozenset[str]:
        return frozenset(name for name, method in (("frames", "check"), ("submissions", "check_submission"))
                         if getattr(cls, method) is not getattr(Kind, method))

    @classmethod
    def combine(cls, found: list[tuple[Rule, Problem]]) -> Problem:
        """One problem (code `combined`) for the findings of this kind's rules on one submission, in pack order."""
        raise NotImplementedError(f"rule kind {cls.name} reports each finding alone")

    # --- the in-sheet check (sheet_check) --------------------------------------------------
    @classmethod
    def untyped_threshold(cls, rule: Rule) -> Any:
        """The threshold a base whose 基地类型 is unknown is held to (the sheet's （未填） row): the pack's
        `default`; a kind that can do better (a bound failed under every type) says so."""
        return rule.threshold_for(None)

    @classmethod
    def sheet_fails(cls, rule: Rule, stated: str, other: str) -> str:
        """Excel: true where the rule reports `stated` against `other` (a threshold, a total, a second form)."""
        raise NotImplementedError(f"rule kind {cls.name} has no in-sheet check")

    @classmethod
    def sheet_aggregate(cls, rng: str) -> str:
        """Excel: the rows' figure over range `rng` (their count or sum)."""
        raise NotImplementedError(f"rule kind {cls.name} aggregates nothing")

    # --- what the loader asks ------------------------------------------------------------
    @classmethod
    def read_params(cls, spec: dict, params: dict, site: Site) -> Any:
        """The typed parameters of a rule: `spec` is the rule's mapping, `params` its `params:` mapping."""
        specs = param_specs(cls.Params)
        under = [k for k, s in specs.items() if not s.top]
        for key in params:
            if isinstance(key, str) and key.startswith("__"):
                continue
            if key not in under:
                known = f"可用：{'、'.join(under)}" if under else "该类规则没有 params 参数"
                raise site.at(params, key).error(f"规则 {site.rule_id}（{cls.name}）的 params 有不认识的项“{key}”（{known}）")
        values = {}
        for name, p in specs.items():
            where = spec if p.top or (name in spec and name not in params) else params
            raw = where.get(name) if isinstance(where, dict) else None
            if raw is None:
                if p.required:
                    raise site.at(spec, "id").error(f"规则 {site.rule_id} 缺少{p.label} {name}（应为{getattr(p.read, 'shown', '')}）")
                continue
            values[name] = p.read(raw, site.at(where, name))
        return cls.Params(**values)

    @classmethod
    def field_keys(cls, fields_: tuple[str, ...]) -> list[str]:
        """The field keys the rule's `fields` name (checked against its forms when the pack loads)."""
        return list(fields_)

    @classmethod
    def keys_on(cls, index: int, fields_: tuple[str, ...]) -> list[str]:
        """The field keys the rule's `index`-th form must have (every form: all of field_keys)."""
        return cls.field_keys(fields_)

    @classmethod
    def check_shape(cls, forms: tuple[str, ...], fields_: tuple[str, ...], site: Site) -> None:
        """Refuse a rule whose forms or fields this kind cannot work with."""

    @classmethod
    def stated_keys(cls, args: Any, fields_: tuple[str, ...]) -> list[str]:
        """The fields read on the rule's forms, which its fallback form must have too."""
        return cls.field_keys(fields_)

    @classmethod
    def outcomes_for(cls, rule: Rule) -> Outcomes:
        """The outcomes of one rule of this kind (a kind may leave out what the rule cannot report)."""
        return cls.outcomes

    @classmethod
    def describe_fields(cls, rule: Rule) -> str:
        """What `xlbase rules show` prints as the rule's fields; "" for the usual 表：栏目、栏目."""
        return ""

    # --- what the merge asks ---------------------------------------------------------------
    @classmethod
    def found_again(cls, rule: Rule, held: set[str]) -> set[str]:
        """The forms whose problems of `rule` validating tables of the forms `held` finds again (a 汇总表's
        rows re-validated a level up: the lower level's problems on those forms are not carried)."""
        return {f for f in (*rule.forms, rule.fallback) if f in held}


class PerType(Kind):
    """A kind whose threshold may be one per 基地类型: a base of unknown type is an info only then."""

    @classmethod
    def outcomes_for(cls, rule: Rule) -> Outcomes:
        return cls.outcomes if rule.per_type else replace(cls.outcomes, info="")


KINDS: dict[str, type[Kind]] = {}


def register(kind: type[Kind]) -> type[Kind]:
    """Add a kind to the registry a pack's `kind:` is looked up in."""
    if kind.name in KINDS:
        raise ValueError(f"rule kind {kind.name!r} registered twice")
    for name in ("title", "outcomes"):
        if name not in vars(kind):
            raise ValueError(f"rule kind {kind.name!r} declares no {name}")
    KINDS[kind.name] = kind
    return kind


class PerSubmission(Kind):
    """A kind judged one submission at a time (a list's rows, its 合计 row): on Shanxi's forms as on a
    programme's, its `check` groups the stacked tables by submission (each table's home file, as
    rules.context) and runs `check_submission` on each; only `check_submission` is written."""

    def check(self, ctx: Any, rule: Rule) -> list[Problem]:
        from ..submission import Submission, SubmissionContext
        by_file: dict[str, list] = {}
        for t, home in zip(ctx.tables, ctx.homes):
            by_file.setdefault(home, []).append(t)
        sctx = SubmissionContext(ctx.pack)
        return [p for file, tables in by_file.items() for p in self.check_submission(sctx, rule, Submission(file, tables))]


def kind_of(rule: Rule) -> type[Kind]:
    return KINDS[rule.kind]


def officer_notes(rules: Iterable[Rule]) -> set[str]:
    """The codes of what `rules` say for the officer rather than the submitter (kinds not `returned`: their
    rules' ids and the code they combine under): no return pack on their own, not in a unit's warning count."""
    kinds = {r.id: kind_of(r) for r in rules if not kind_of(r).returned}
    return set(kinds) | {k.combined for k in kinds.values() if k.combined}
