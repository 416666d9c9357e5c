"""Programmes: one issuer's yearly call, as data — a form set, a rule pack and a summary layout.

A programme is a manifest (`data/programmes/<name>.yaml`, or any `programme.yaml` given as a path) naming
its form set (`forms/specs/<set>/`), its rule pack (`rules/packs/<pack>.yaml`) and, for a programme
that is not Shanxi's, the summary layout and applicant workbook in its form folder. The Shanxi 2024
programmes (base, demonstration, and 聊城's pack on Shanxi's forms) run the original reader, merge and
附件11 writer (`engine: shanxi`); every other programme runs the generic path (`engine: generic`:
read.programme_sheets, rules.programme, merge.programme, templates.programme), driven only by its files.
This module is the model of a programme (below the reader); docs/programmes.md is the contract.

    >>> from xlbase.forms.programmes import load_programme
    >>> load_programme("hengyang-2023").forms["衡阳申请表"].title
    '衡阳市中小微企业创业创新基地申请表'
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterator

from . import PLACE_LISTS, Field, Form, build_forms, register_forms, register_lists
from . import _parse_yaml as parse_yaml

DEFAULT_PROGRAMME = "shanxi-2024-base"
DEFAULT_NOUN = "基地"                # what one application is about when a manifest does not say (Programme.noun)
ENV = "XLBASE_PROGRAMME"            # the programme a command chose: reader processes inherit it
ENGINES = ("shanxi", "generic")
LAYOUT_FILES = ("lists.yaml", "summary.yaml", "workbook.yaml")
RECOGNISE_ROWS = 8                  # a form's title sits in the first lines of its sheet


class ProgrammeError(ValueError):
    """A programme that cannot be used; the message is Chinese."""


class ProgrammeMismatch(ValueError):
    """A batch whose files belong to another programme than the one chosen, or to several."""

    def __init__(self, message: str, only: "Programme | None" = None) -> None:
        super().__init__(message)
        self.only = only      # the one programme every recognised file belongs to (None: several)


@dataclass(frozen=True)
class Programme:
    name: str
    title: str
    year: int
    issuer: str
    document: str
    kind: str
    form_set: str                    # folder name under forms/specs, or an absolute folder path
    pack: str                        # pack name, or a YAML path
    engine: str
    sources: tuple[dict, ...] = ()
    recognise: tuple[str, ...] = ()
    note: str = ""
    #: documents the notice relies on whose text we do not hold: {document, conditions} (what is missing)
    not_held: tuple[dict, ...] = ()
    noun: str = DEFAULT_NOUN          # what one application is about, in a clerk's words (太原: 平台)
    #: whose divisions the place lists (所在市, 所在县) offer: data/divisions_<places>.yaml ('shanxi'); '' when the
    #: notice names none (聊城 on Shanxi's forms): its places are typed, never chosen from another province's list
    places: str = ""
    #: a borrowed form as this programme prints it: form id -> {title, notes} (聊城 on Shanxi's forms prints its own
    #: notice's names, never 山西省 or 省级); manifest `wording:`
    wording: tuple[tuple[str, dict], ...] = ()
    manifest: str = ""               # where the manifest was read from
    folder: Any = field(default=None, compare=False)   # the form set's folder (Traversable or Path)

    @property
    def generic(self) -> bool:
        return self.engine == "generic"

    @property
    def forms(self) -> dict[str, Form]:
        return _form_set(self.folder_key)[0]

    @property
    def folder_key(self) -> str:
        return str(self.folder)

    def layout(self, name: str) -> dict:
        """A layout file of the form folder (summary.yaml, workbook.yaml); {} when absent."""
        return _form_set(self.folder_key)[1].get(name) or {}

    def worded(self, form: Form) -> Form:
        """`form` with this programme's title and notes for it (`wording:`), else as its spec says."""
        said = dict(self.wording).get(form.id)
        if not said:
            return form
        return replace(form, title=str(said.get("title") or form.title),
                       notes=tuple(str(n) for n in said["notes"] or ()) if "notes" in said else form.notes)

    def form(self, form_id: str) -> Form:
        try:
            return self.forms[form_id]
        except KeyError:
            raise ProgrammeError(f"申报项目“{self.name}”没有表单“{form_id}”；有：{'、'.join(self.forms)}") from None


def _builtin_dir():
    return resources.files("xlbase.data").joinpath("programmes")


def _specs_dir():
    return resources.files("xlbase.forms.specs")


def list_programmes() -> list[str]:
    """Names of the programmes shipped with xlbase, the default first."""
    names = sorted(p.name[:-5] for p in _builtin_dir().iterdir() if p.name.endswith(".yaml"))
    return sorted(names, key=lambda n: n != DEFAULT_PROGRAMME)


def load_programme(name_or_path: str | os.PathLike | None = None) -> Programme:
    """A shipped programme by name, or a manifest file (or a folder holding programme.yaml) by path."""
    name = os.fspath(name_or_path) if name_or_path else DEFAULT_PROGRAMME
    return _load(name)


@lru_cache(maxsize=None)
def _load(name: str) -> Programme:
    shipped = _builtin_dir().joinpath(f"{name}.yaml")
    if shipped.is_file():
        return _parse(shipped.read_text(encoding="utf-8"), str(shipped), None)
    path = Path(name)
    if path.is_dir():
        path = path / "programme.yaml"
    if path.is_file():
        return _parse(path.read_text(encoding="utf-8"), str(path), path.parent)
    raise ProgrammeError(f"找不到申报项目“{name}”。可用的项目：{'、'.join(list_programmes())}；"
                         "或给出项目清单文件 programme.yaml 的路径")


def _parse(text: str, where: str, home: Path | None) -> Programme:
    try:
        spec = parse_yaml(text)
    except Exception as exc:   # yaml's own error names the line
        raise ProgrammeError(f"项目清单 {where} 不是有效的 YAML：{exc}") from None
    if not isinstance(spec, dict):
        raise ProgrammeError(f"项目清单 {where} 应为“键: 值”格式")
    missing = [k for k in ("name", "title", "year", "forms", "pack") if not spec.get(k)]
    if missing:
        raise ProgrammeError(f"项目清单 {where} 缺少：{'、'.join(missing)}")
    engine = spec.get("engine", "generic")
    if engine not in ENGINES:
        raise ProgrammeError(f"项目清单 {where} 的 engine “{engine}”不认识；可用：{'、'.join(ENGINES)}")
    forms = str(spec["forms"])
    folder: Any
    if home is not None and (home / forms).is_dir():
        folder = (home / forms).resolve()
    elif _specs_dir().joinpath(forms).is_dir():
        folder = _specs_dir().joinpath(forms)
    else:
        raise ProgrammeError(f"项目清单 {where} 的表单文件夹“{forms}”不存在")
    pack = str(spec["pack"])
    if home is not None and (home / pack).is_file():
        pack = str((home / pack).resolve())
    return Programme(name=str(spec["name"]), title=str(spec["title"]), year=int(spec["year"]),
                     issuer=str(spec.get("issuer", "")), document=str(spec.get("document", "")),
                     kind=str(spec.get("kind", "")), form_set=str(folder) if home is not None else forms,
                     pack=pack, engine=engine, sources=tuple(spec.get("sources") or ()),
                     recognise=tuple(str(t) for t in spec.get("recognise") or ()), note=str(spec.get("note", "")),
                     not_held=_not_held(spec.get("not_held"), where), noun=str(spec.get("noun") or DEFAULT_NOUN),
                     places=_places(spec.get("places"), where), wording=_wording(spec.get("wording"), where),
                     manifest=where, folder=folder)


def _places(name: Any, where: str) -> str:
    """`places:` of a manifest: the division data its place lists come from (data/divisions_<name>.yaml)."""
    if not name:
        return ""
    if not resources.files("xlbase.data").joinpath(f"divisions_{name}.yaml").is_file():
        raise ProgrammeError(f"项目清单 {where} 的 places “{name}”没有对应的行政区划数据（data/divisions_{name}.yaml）")
    return str(name)


def _wording(entries: Any, where: str) -> tuple[tuple[str, dict], ...]:
    """`wording:` of a manifest: form id -> {title, notes} the programme prints a borrowed form with."""
    if not entries:
        return ()
    if not isinstance(entries, dict) or not all(isinstance(v, dict) and set(v) <= {"title", "notes"}
                                                for v in entries.values()):
        raise ProgrammeError(f"项目清单 {where} 的 wording 应为“表单: {{title: 表名, notes: [表下注释]}}”")
    return tuple((str(k), dict(v)) for k, v in entries.items())


def worded(form: Form) -> Form:
    """`form` as the active programme prints it (Programme.worded)."""
    return active().worded(form)


def choices_of(field: Field, programme: "Programme | None" = None) -> str | None:
    """The value list a field's input is chosen from: its `choices`, but none for a place field (所在市, 所在县:
    choices city or county) of a programme whose manifest names no places — typed as text there."""
    if field.choices in PLACE_LISTS and not (programme or active()).places:
        return None
    return field.choices or None


def _not_held(entries: Any, where: str) -> tuple[dict, ...]:
    """`not_held:` of a manifest: each a document (with the clauses citing it) and the conditions it holds
    that no rule can state, because its text is not among the sources."""
    out = []
    for e in entries or ():
        if not isinstance(e, dict) or not e.get("document") or not e.get("conditions"):
            raise ProgrammeError(f"项目清单 {where} 的 not_held 每项应写 document（文件）和 conditions（缺少的条件）")
        out.append({k: str(v) for k, v in e.items()})
    return tuple(out)


@lru_cache(maxsize=None)
def _form_set(key: str) -> tuple[dict[str, Form], dict[str, dict]]:
    """The forms and layout files of a form folder (keyed by its path), registered with xlbase.forms."""
    folder = _folder_of(key)
    if folder is None:      # the Shanxi set: xlbase.forms holds it
        from . import FORM_IDS, get_form
        return {fid: get_form(fid) for fid in FORM_IDS}, {}
    specs, layouts = [], {}
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".yaml"):
            continue
        data = parse_yaml(entry.read_text(encoding="utf-8"))
        if entry.name in LAYOUT_FILES:
            layouts[entry.name] = data or {}
        elif isinstance(data, dict) and data.get("id"):
            specs.append(data)
    try:
        forms = build_forms(specs)
        register_forms(forms)
    except (TypeError, KeyError, ValueError) as exc:
        raise ProgrammeError(f"表单文件夹 {key} 中的表单定义有误：{exc}") from None
    if layouts.get("lists.yaml"):
        register_lists(layouts["lists.yaml"])
    return forms, layouts


def _folder_of(key: str):
    from . import SHANXI_FOLDER
    if key == str(_specs_dir().joinpath(SHANXI_FOLDER)):
        return None
    path = Path(key)
    if path.is_dir():
        return path
    return _specs_dir().joinpath(Path(key).name)


# --- the programme a command runs under ----------------------------------------------------------------

_ACTIVE: Programme | None = None
_BATCH: dict[str, bool] = {"check": False, "explicit": False}


def activate(programme: Programme, *, check_batch: bool = False, explicit: bool = False) -> Programme:
    """Run under `programme` in this process and in the reader processes it starts (through ENV).
    `check_batch`: read_files refuses a batch of another or of several programmes (validate, merge, mark);
    `explicit`: the officer named the programme (else a batch wholly of another one switches to it)."""
    global _ACTIVE
    _ACTIVE = programme
    _BATCH.update(check=check_batch, explicit=explicit)
    _ = programme.forms        # load and register its forms before any reader asks
    os.environ[ENV] = programme.manifest if Path(programme.manifest).is_file() and not _is_builtin(programme) \
        else programme.name
    return programme


@contextmanager
def using(programme: Programme, **how: bool) -> Iterator[Programme]:
    """activate(programme) for the duration of a command; the previous programme (and ENV) after it."""
    global _ACTIVE
    before, env, batch = _ACTIVE, os.environ.get(ENV), dict(_BATCH)
    try:
        yield activate(programme, **how)
    finally:
        _ACTIVE = before
        _BATCH.update(batch)
        if env is None:
            os.environ.pop(ENV, None)
        else:
            os.environ[ENV] = env


def _is_builtin(p: Programme) -> bool:
    return _builtin_dir().joinpath(f"{p.name}.yaml").is_file() and p.manifest == str(_builtin_dir().joinpath(
        f"{p.name}.yaml"))


def active() -> Programme:
    """The programme in use: the one activated, else the one ENV names (a reader process), else the default."""
    global _ACTIVE
    if _ACTIVE is None:
        _ACTIVE = load_programme(os.environ.get(ENV) or DEFAULT_PROGRAMME)
        _ = _ACTIVE.forms
    return _ACTIVE


# --- recognising a submission's programme by its forms -------------------------------------------------

@lru_cache(maxsize=None)
def _shipped() -> tuple[Programme, ...]:
    return tuple(load_programme(n) for n in list_programmes())


def known_programmes() -> list[Programme]:
    """The shipped programmes and the active one (a programme given by path)."""
    out = list(_shipped())
    if _ACTIVE is not None and all(p.manifest != _ACTIVE.manifest for p in out):
        out.append(_ACTIVE)
    return out


@lru_cache(maxsize=16)
def _phrases(manifests: tuple[str, ...]) -> tuple[re.Pattern | None, dict[str, str]]:
    """One regex over every recognising title (spaces allowed between characters) -> programme name."""
    owner: dict[str, str] = {}
    for p in known_programmes():
        if p.manifest in manifests:
            for t in p.recognise:
                owner.setdefault(re.sub(r"\s+", "", t), p.name)
    if not owner:
        return None, owner
    alts = sorted(owner, key=len, reverse=True)
    rx = re.compile("|".join(r"\s*".join(map(re.escape, t)) for t in alts))
    return rx, owner


def recognise(sheets: list) -> tuple[Programme | None, str]:
    """The programme whose form title one of `sheets` shows in its first lines, and that title."""
    progs = known_programmes()
    rx, owner = _phrases(tuple(p.manifest for p in progs))
    if rx is None:
        return None, ""
    for sheet in sheets:
        for row in sheet.rows[:RECOGNISE_ROWS]:
            for v in row:
                if type(v) is str and len(v) >= 6:
                    m = rx.search(v)
                    if m:
                        name = owner[re.sub(r"\s+", "", m.group(0))]
                        return next(p for p in progs if p.name == name), re.sub(r"\s+", "", m.group(0))
    return None, ""


def same_forms(a: Programme, b: Programme) -> bool:
    return a.folder_key == b.folder_key


def same_call(file_of: Programme, chosen: Programme) -> bool:
    """A file recognised as `file_of`'s belongs to `chosen`'s batch: the same programme, or the same forms under
    the same titles (Shanxi's base and demonstration calls share their forms and titles) or under titles
    `chosen` does not claim (a programme given by path on Shanxi's forms). 聊城's own titles on Shanxi's
    forms are another call's."""
    if file_of.name == chosen.name:
        return True
    return same_forms(file_of, chosen) and (not chosen.recognise or bool(set(file_of.recognise) & set(chosen.recognise)))


def check_batch(reads: list, chosen: Programme, explicit: bool) -> None:
    """Refuse a batch whose recognised files belong to several calls, or (when the programme was chosen
    explicitly) to another one than `chosen`; raise ProgrammeMismatch with a Chinese message.
    Files no programme recognised are taken as `chosen`'s."""
    groups: dict[str, list[str]] = {}
    names: dict[str, Programme] = {}
    for r in reads:
        name = getattr(r, "programme", None)
        if not name:
            continue
        p = load_programme(name) if name != chosen.name else chosen
        key = chosen.name if same_call(p, chosen) else p.name
        groups.setdefault(key, []).append(Path(r.path).name)
        names.setdefault(key, chosen if key == chosen.name else p)
    if not groups or set(groups) == {chosen.name}:
        return
    if len(groups) == 1:
        p = next(iter(names.values()))
        if not explicit:
            raise ProgrammeMismatch("", only=p)
        files = "、".join(next(iter(groups.values()))[:5])
        raise ProgrammeMismatch(f"这些文件是“{p.title}”（{p.name}）的申报材料：{files}；而本次按“{chosen.title}”"
                                f"（{chosen.name}）处理。请改用 --programme {p.name}，或只放入本项目的材料。")
    parts = [f"“{names[k].title}”（{names[k].name}）：{'、'.join(v[:5])}{'等' if len(v) > 5 else ''}"
             for k, v in groups.items()]
    raise ProgrammeMismatch("本批材料混有不同申报项目的表格，不能一起汇总：" + "；".join(parts)
                            + "。请按项目分开放入不同文件夹，分别用 --programme 汇总。")


def batch_checking() -> bool:
    """Whether the running command checks its batch (validate, merge, mark: activate's `check_batch`)."""
    return _BATCH["check"]


def check_command_batch(reads: list) -> None:
    """read.files.read_files calls this: the batch check of the command that activated a programme."""
    if _BATCH["check"]:
        check_batch(reads, active(), _BATCH["explicit"])
