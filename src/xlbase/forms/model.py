"""The Form and Field types: one official form, described once.

Templates, readers, rules, merge and the Excel button all take labels, units,
types, bounds and column order from here, never from a restated constant.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from ..text import fold, fold_unbracketed

# Field types. "money" is 万元, "area" 平方米; both are decimals with a unit.
FIELD_TYPES = (
    "text", "integer", "decimal", "money", "area", "date",
    "yesno", "choice", "credit_code", "phone",
)
NUMERIC_TYPES = ("integer", "decimal", "money", "area")


@dataclass(frozen=True)
class Field:
    """One value on a form: a column of a table form, or a labelled cell of a record form."""

    key: str
    label: str
    type: str = "text"
    group: str | None = None        # two-row header: the group cell above this column
    section: str | None = None      # record forms: the section label this field sits under
    unit: str | None = None
    required: bool = False
    min: float | None = None
    max: float | None = None
    choices: str | None = None      # name of a list in data/lists.yaml, or "city"/"county"
    prompt: str = ""
    aliases: tuple[str, ...] = ()
    official: bool = True           # False: our column, placed after the official ones
    identity: str | None = None     # which base-identity item this field carries (forms.roles)
    role: str | None = None         # what code reads this field as, beside identity (forms.roles)
    part: str = "table"             # "record" (key/value) or "table" (a row per record)
    width: float | None = None
    combined: str | None = None     # a paper label that holds this and a sibling in one cell
    merge_only: bool = False        # written by merge, never filled by a clerk
    terms: tuple[str, ...] = ()     # distinctive words a clerk's own header for this field contains (营收, 税)
    # words that make a header another concept than this field, however much else of it matches: 占地 and
    # 土地 are land, not 建筑面积; 总投资 is a project's whole cost, not 当年完成投资额. Never weighed
    # against the field's own labels and aliases (the clerk's exact statement).
    unlike: tuple[str, ...] = ()
    plausible_max: float | None = None  # in `unit`: a column whose every value exceeds it was likely typed in
                                        # a smaller unit (元 for 万元): a warning, never a silent sum
    # Blank is not always missing. `part_of`: this value is one part of the total in field `part_of`
    # (附件2 资金来源 自筹/贷款/… of 建设项目总投资; 其中… of 从业人员数): a blank part is none of it, not a
    # missing answer; only a group whose parts are all blank while its total is stated is in doubt.
    part_of: str | None = None
    # `period`: the notice words this 时间 as something that may span years (建设时间 “2012年—2016年”):
    # a period or a bare year is an accepted value, read as its first day.
    period: bool = False
    # `blank_may_be_zero`: a count or amount that is often none (孵化成果, 获得政府支持资金金额, a small firm's
    # 利润总额/上缴税金): a blank cell cannot be told from a 0 left out, so it is asked about, not called missing.
    blank_may_be_zero: bool = False
    # `example`: a value as the notice's own region writes it, for the template's input message (a phone
    # number with the local area code): programme data, so that no template shows another region's.
    example: str = ""
    # `tick`: one of a group's columns the paper ticks (太原 测评: 很满意 | 基本满意 | 不满意, a "√" in one). A clerk
    # may tick with ✓, 1 or 是, or type the answer in one column of the group instead (评价: 基本满意): `answers`
    # are the other words that mean this tick there (非常满意 for 很满意; 一般 for 基本满意), read.answer_columns.
    tick: bool = False
    answers: tuple[str, ...] = ()
    # `holds`: fields of the same form whose figures a clerk writes into this text (衡阳 推荐汇总表's 简要:
    # "服务人员数、入驻企业数、孵化面积"), read from it where their own cells are absent or blank (read.text_figures).
    holds: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.type not in FIELD_TYPES:
            raise ValueError(f"field {self.key}: unknown type {self.type!r}")

    @property
    def is_numeric(self) -> bool:
        return self.type in NUMERIC_TYPES

    @property
    def labels(self) -> tuple[str, ...]:
        """Every spelling that names this field: the official label first."""
        return (self.label, *self.aliases)

    @property
    def label_keys(self) -> frozenset[str]:
        """Folded forms of every spelling, with and without bracketed units."""
        keys = set()
        for text in self.labels:
            keys.add(fold(text))
            stripped = fold_unbracketed(text)
            if stripped:
                keys.add(stripped)
        return frozenset(keys)

    @property
    def header_text(self) -> str:
        """The label as a header cell shows it: unit in brackets unless the label has one."""
        if self.unit and "（" not in self.label and "(" not in self.label and self.part == "table":
            return f"{self.label}（{self.unit}）"
        return self.label


_FIELD_INDEX: dict[int, tuple["Form", dict[str, Field]]] = {}


@dataclass(frozen=True)
class Form:
    """One official form: identity, printed lines, fields in official order, layout."""

    id: str
    sheet: str
    kind: str                       # "table", "record" or "mixed" (record head + table)
    title: str
    fields: tuple[Field, ...]
    org_line: str | None = None
    unit_line: str | None = None
    number_label: str | None = None  # the 序号 column, when the table has one
    number_official: bool = True
    total_label: str | None = None   # the label of the total row (汇总 / 合计)
    sample_row: str | None = None    # the printed example row clerks leave in place
    notes: tuple[str, ...] = ()
    template_rows: int = 1
    rows: tuple[Any, ...] = ()       # record layout (附件2): see specs/a2.yaml
    signatures: tuple[dict, ...] = ()
    columns_from: str | None = None
    not_fields: tuple[str, ...] = ()  # headers clerks add that are no field of this form (备注, 联系人)
    title_words: tuple[str, ...] = ()  # words of a title line that name this form (附件11's 汇总表)
    sheet_words: tuple[str, ...] = ()  # words of a sheet name that name it, beside its own sheet name
    role: str = ""                   # what code names this form by (forms.roles.FORM_ROLES)
    # False when the notice names the form but prints no columns for it (太原's 汇总表: ours, derived from the
    # 申请表): a column it lacks is no breach of the notice, so never an error (read.sheet_tables.missing_columns)
    printed: bool = True

    def __iter__(self) -> Iterator[Field]:
        return iter(self.fields)

    def _index(self) -> dict[str, Field]:
        """key -> Field, built once per Form (the reader asks for fields per column of every table)."""
        entry = _FIELD_INDEX.get(id(self))
        if entry is None or entry[0] is not self:
            entry = _FIELD_INDEX[id(self)] = (self, {f.key: f for f in self.fields})
        return entry[1]

    def field(self, key: str) -> Field:
        f = self._index().get(key)
        if f is None:
            raise KeyError(f"{self.id} has no field {key!r}")
        return f

    def has_field(self, key: str) -> bool:
        return key in self._index()

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields)

    @property
    def record_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.part == "record")

    @property
    def table_fields(self) -> tuple[Field, ...]:
        """Columns in sheet order: official ones first, then ours."""
        cols = [f for f in self.fields if f.part == "table"]
        return tuple([f for f in cols if f.official] + [f for f in cols if not f.official])

    @property
    def official_table_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.table_fields if f.official)

    @property
    def identity_fields(self) -> dict[str, Field]:
        return {f.identity: f for f in self.fields if f.identity}

    def title_for(self, year: int | str | None) -> str:
        return self.title.replace("{year}", str(year) if year else "").strip()

    def header_groups(self) -> list[tuple[str | None, list[Field]]]:
        """Adjacent table columns sharing a group, in order: drives the two-row header merges."""
        out: list[tuple[str | None, list[Field]]] = []
        for f in self.table_fields:
            if out and f.group is not None and out[-1][0] == f.group:
                out[-1][1].append(f)
            else:
                out.append((f.group, [f]))
        return out

    @property
    def has_group_row(self) -> bool:
        return any(f.group for f in self.table_fields)

    def record_rows(self) -> list[tuple[str | None, list[Field]]]:
        """Record layout as (section label or None, fields) per paper row."""
        out = []
        for row in self.rows:
            if isinstance(row, dict):
                out.append((row.get("section"), [self.field(k) for k in row["fields"]]))
            else:
                out.append((None, [self.field(k) for k in row]))
        return out
