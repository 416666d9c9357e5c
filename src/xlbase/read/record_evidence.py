"""Whether a record form found on a sheet is that form, by the evidence a reviewer weighs.

The sheet named for the form, or the form's title in its first lines, says so: then one line of it is enough.
Without either, the lines found speak, each by how much it tells this form from the forms of other calls: a
line no other call's forms have (衡阳's 自持, 公共服务场所) weighs 1; one two calls' forms share (基地名称, 成立时间)
weighs 1/2, one three share (联系电话) 1/3. The lines' weight must reach RECOGNISE_EVIDENCE — a cover sheet's
联系人 | 联系电话 | 地址 does not, eight of the form's core lines typed in a base's own words do —, one of them must
state something (a figure, a date: no contact block of names and phones is an application), and no other
record form may explain the sheet better, of its programme or another call (a Shanxi 附件2 shows 衡阳's 基地名称,
法人代表 and 成立时间 too, but far more of its own). A fraction of all the form's lines is no measure: a base types
the lines it has.
"""

from __future__ import annotations

from functools import lru_cache

from ..forms import Form, all_forms, get_form
from ..text import fold
from .grid import Sheet
from .line_kinds import TEXT, field_kind

RECOGNISE_EVIDENCE = 2.0    # the weight of lines that makes a record this form without its title or sheet name
MIN_LINES = 3               # … and the fewest lines
TITLE_ROWS = 8              # a form's title is in the first lines of its sheet


@lru_cache(maxsize=None)
def _form_sets() -> tuple[tuple[str, tuple[Form, ...]], ...]:
    """Every call's form set (Shanxi's, each shipped or active programme's), by its folder: (folder, forms)."""
    from ..forms.programmes import known_programmes, load_programme
    sets: dict[str, dict[str, Form]] = {load_programme().folder_key: {f.id: f for f in all_forms()}}
    for p in known_programmes():
        sets.setdefault(p.folder_key, {}).update(p.forms)
    return tuple((k, tuple(v.values())) for k, v in sets.items())


@lru_cache(maxsize=None)
def _sets_of_label() -> dict[str, frozenset[str]]:
    """Folded label or alias -> the form sets one of whose fields is labelled so."""
    out: dict[str, set[str]] = {}
    for key, forms in _form_sets():
        for form in forms:
            for f in form.fields:
                for t in f.labels:
                    out.setdefault(fold(t), set()).add(key)
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=None)
def line_weight(form_id: str, key: str) -> float:
    """1 / the number of calls whose forms have a field labelled as line `key` of form `form_id` is (its own call
    counted)."""
    labels = _sets_of_label()
    sets = set().union(*(labels.get(fold(t), frozenset()) for t in get_form(form_id).field(key).labels))
    return 1 / max(1, len(sets))


def evidence(form: Form, keys) -> float:
    """The weight of the lines `keys` of `form` found on a sheet."""
    return sum(line_weight(form.id, k) for k in keys)


def states_something(form: Form, keys) -> bool:
    """One of the lines `keys` holds a figure, a date or an answer (a quantity, a date, a code, a yes/no — not a
    name, a phone or other text): a sheet of names, phones and addresses is a contact list, whatever form shares
    those lines."""
    return any(field_kind(form.field(k)) not in (TEXT, "phone") for k in keys)


def rivals(form: Form, own: dict[str, Form]) -> tuple[Form, ...]:
    """The record forms (or record heads) a sheet showing some of `form`'s lines may be instead: the other record
    forms of its programme (`own`: its forms) and those of every other call."""
    others = {f.id: f for key, forms in _form_sets() for f in forms if f.id not in own}
    return tuple(f for f in (*own.values(), *others.values()) if f.id != form.id and f.kind in ("record", "mixed"))


def named_or_titled(sheet: Sheet, form: Form) -> bool:
    """The sheet is named for the form, or shows its title in its first lines."""
    if fold(sheet.name) == fold(form.sheet):
        return True
    title = fold(form.title.replace("{year}", ""))
    return any(type(v) is str and title in fold(v) for row in sheet.rows[:TITLE_ROWS] for v in row)
