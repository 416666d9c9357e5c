"""A programme's rule pack: the same loader and the same kinds as Shanxi's (rules/pack.py, rules/kinds/),
with the programme's own forms as what its rules may name, judged per submission (one file:
rules.submission, each kind's `check_submission`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from importlib import resources
from pathlib import Path

from ..forms.programmes import ProgrammeError
from ..problems import Problem
from ..table import Table
from .engine import validate_submissions
from .pack import SUBMISSIONS, parse_pack
from .rule import PackError, RulePack


def load_generic_pack(programme, name_or_path: str | None = None, as_of: dt.date | None = None) -> RulePack:
    """The programme's pack (or `name_or_path`: a shipped pack name or a YAML file), checked against its forms."""
    name = name_or_path or programme.pack
    path = Path(name)
    if path.is_file():
        text, where = path.read_text(encoding="utf-8-sig"), str(path)
    else:
        shipped = resources.files("xlbase.rules").joinpath("packs").joinpath(f"{name}.yaml")
        if not shipped.is_file():
            raise ProgrammeError(f"找不到规则包“{name}”。申报项目 {programme.name} 的规则包是 {programme.pack}；"
                                 "或给出 YAML 文件路径")
        text, where = shipped.read_text(encoding="utf-8"), f"{name}.yaml"
    try:
        pack = parse_pack(text, where, forms=programme.forms, engine=SUBMISSIONS)
    except PackError as exc:
        raise ProgrammeError(str(exc)) from None
    pack = replace(pack, programme=pack.programme or programme.name)
    return pack if as_of is None else replace(pack, as_of=as_of)


def validate_programme(tables: list[Table], pack: RulePack, homes: dict[str, str] | None = None) -> list[Problem]:
    """Every rule of `pack` over every submission of `tables` (grouped by file, a part sent apart with its home)."""
    return validate_submissions(tables, pack, homes)
