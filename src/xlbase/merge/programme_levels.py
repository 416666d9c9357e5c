"""A programme's levels and rounds, from its summary layout: who merges what, and this merge against the last.

Shanxi's three levels follow its divisions (merge.level). A programme states its own in summary.yaml
(`levels:`, in order from the lowest): the name `--level` takes, its title, the column a merge at that level
holds one value of (`one:` — a county merging its own bases' 申报书), the units expected to report there
(`expect:`, a value list) and the 填报单位 line (`org:`). Without `--level` the merge is at the lowest level
whose `one` column its rows agree on, else at the top. A layout without `levels` has two: its reporting
unit's level (`unit`) and the level above it, which expects the layout's `units`.

A round is compared as Shanxi's is (merge.rounds): the 汇总表 keeps, in its very hidden record sheet, each
unit's errors (rule, base, form, field); the next merge reads them from `--previous` (or from `-o` as it
was) and says per unit how many were fixed, are still there, or are new.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..forms import value_list
from ..forms.programmes import ProgrammeError
from ..problem_codes import UNIT_NOT_REPORTED
from ..problems import ERROR, Problem
from ..text import fold
from ..identity import name_key
from .rows import LEVELS, cell_row
from .lower import ORIGIN_SEP
from .level import LEVEL_NAMES, level_mismatch_problem, not_reported_problems
from .rounds import ROUND_KEY


@dataclass(frozen=True)
class Level:
    name: str                 # as --level takes it (merge.rows.LEVELS)
    title: str                # 县级
    one: str | None           # a merge at this level holds one value of this column (None: the top)
    expect: str | None        # value list of the units expected to report at this level
    org: str = ""             # the 填报单位 line when --unit is not given ("": the one unit's name)


def levels(programme) -> list[Level]:
    """The programme's levels, lowest first (its layout's `levels`, else its unit's level and the one above)."""
    layout = programme.layout("summary.yaml")
    spec = layout.get("levels")
    if not spec:
        low, high = LEVELS[:2]          # a county's merge, and its city's
        return [Level(low, LEVEL_NAMES[low], layout.get("unit"), None),
                Level(high, LEVEL_NAMES[high], None, layout.get("units"))]
    out = []
    for i, lv in enumerate(spec):
        name = str(lv.get("name") or "") if isinstance(lv, dict) else ""
        if name not in LEVEL_NAMES:
            raise ProgrammeError(f"申报项目“{programme.name}”的 summary.yaml 中 levels 第{i + 1}项的 name 应为 "
                                 f"{'、'.join(LEVEL_NAMES)} 之一（merge --level 的写法）")
        top = i == len(spec) - 1
        out.append(Level(name, str(lv.get("title") or LEVEL_NAMES[name]),
                         None if top else str(lv.get("one") or layout.get("unit") or ""),
                         lv.get("expect"), str(lv.get("org") or "")))
    return out


def levels_text(programme) -> str:
    """'county（县级：一个所在县市区的材料）、city（市级）' for messages and `xlbase programmes`."""
    form = programme.form(programme.layout("summary.yaml")["form"])
    return "、".join(f"{lv.name}（{lv.title}" + (f"：合并一个{_label(form, lv.one)}的材料" if lv.one else "") + "）"
                    for lv in levels(programme))


def _label(form, key: str | None) -> str:
    return form.field(key).label if key and form.has_field(key) else "报送单位"


def choose(programme, declared: str | None, rows: list[dict]) -> tuple[Level, list[Problem]]:
    """The level of this merge: `declared` (--level) or the rows'; a warning when declared narrower than the rows
    are spread. Raises ProgrammeError for a level the programme does not have."""
    lvs = levels(programme)
    inferred = next((lv for lv in lvs[:-1] if len(_values(rows, lv.one)) <= 1), lvs[-1])
    if declared is None:
        return inferred, []
    chosen = next((lv for lv in lvs if lv.name == declared), None)
    if chosen is None:
        raise ProgrammeError(f"申报项目“{programme.name}”没有汇总层级 {declared}；它的层级：{levels_text(programme)}")
    if chosen.one is None or len(_values(rows, chosen.one)) <= 1:
        return chosen, []
    form = programme.form(programme.layout("summary.yaml")["form"])
    spread = _values(rows, chosen.one)
    return chosen, [level_mismatch_problem(chosen.name, chosen.title, programme.noun,
                                           f"{len(spread)} 个{_label(form, chosen.one)}（{'、'.join(sorted(spread))}）",
                                           inferred.name, inferred.title, "各县情况按实际的报送单位分组")]


def _values(rows: list[dict], key: str | None) -> set[str]:
    return {str(r[key]).strip() for r in rows if key and r.get(key) not in (None, "") and str(r[key]).strip()}


def unit_name(level: Level, rows: list[dict], given: str | None) -> str:
    """The 填报单位 line: --unit, else the level's `org`, else the one unit all rows name."""
    if given is not None:
        return given
    if level.org:
        return level.org
    one = _values(rows, level.one)
    return next(iter(one)) if len(one) == 1 else ""


def expected(level: Level, expect: list[str] | None) -> list[str]:
    """Who should report at this level: the officer's list (--expect), else the level's list; none known: []."""
    if expect is not None:
        return list(expect)
    return list(value_list(level.expect)) if level.expect else []


def not_reported(unit_key: str | None, rows: list[dict], expected_units: list[str], kind: str,
                 sent: dict[str, str] | None = None) -> list[Problem]:
    """One warning per expected unit that sent nothing (by the layout's unit column; `sent`: the unit of each
    file that gave no row, such as a 汇总表 saying the unit has no base this year)."""
    got = {fold(str(r.get(unit_key) or "")) for r in rows} if unit_key else set()
    got |= {fold(u) for u in (sent or {}).values()}
    return not_reported_problems(expected_units, got, kind, "说明或空白的汇总表")


# --- rounds -----------------------------------------------------------------------------------------------

def problem_units(unit_key: str | None, rows: list[dict], problems: list[Problem],
                  homes: dict[str, str] | None = None, sent: dict[str, str] | None = None) -> list[set[str]]:
    """The unit(s) each problem counts for: a row's own unit when the problem is on a 汇总表 row, else the units
    of the rows its file gave (a part sent apart: its application's file), else the unit that sent a file
    giving no row (`sent`), else its file's name; a unit-not-reported warning, the unit it names. The one
    attribution for 各县情况 and the round record."""
    homes, sent = homes or {}, sent or {}
    of_file: dict[str, set[str]] = {}
    of_row: dict[tuple[str, int], str] = {}
    of_base: dict[str, str] = {}
    for r in rows:
        u = str(r.get(unit_key) or "") if unit_key else ""
        of_file.setdefault(r["_file"], set()).add(u)
        if r.get("_base"):
            of_base[name_key(str(r["_base"]))] = u
        if r.get("_row"):
            of_row[(r["_file"], int(r["_row"]))] = u
    out = []
    for p in problems:
        if p.rule == UNIT_NOT_REPORTED:
            out.append({str(p.value)})
            continue
        row = cell_row(p.cell)
        if (p.file, row) in of_row:
            out.append({of_row[(p.file, row)]})
            continue
        if p.base and name_key(p.base) in of_base:      # carried from a lower 汇总表: its base's unit
            out.append({of_base[name_key(p.base)]})
            continue
        head = p.file.split(ORIGIN_SEP)[0] if p.file else ""
        units = of_file.get(homes.get(head, head)) or ({sent[head]} if head in sent else None)
        out.append(units if units else {Path(p.file).stem if p.file else ""})
    return out


def round_record(level: Level, unit_key: str | None, rows: list[dict], problems: list[Problem],
                 homes: dict[str, str] | None = None, sent: dict[str, str] | None = None) -> dict:
    """What the next round compares with: the level and, per unit, one key per error (rule, base, form, field)."""
    errors: dict[str, list[list[str]]] = {}
    for p, units in zip(problems, problem_units(unit_key, rows, problems, homes, sent)):
        if p.severity == ERROR:
            for u in units:
                errors.setdefault(u, []).append([p.rule, fold(p.base or ""), p.form or "", p.field or ""])
    return {"level": level.name, "errors": errors}


def comparable(programme, before: dict | None, round_: dict) -> bool:
    """The previous round is this programme's, at this level (a Shanxi 汇总表's round is not)."""
    return before is not None and before.get("level") == round_.get("level") and before.get("programme") == programme.name


def summary_record(programme, round_: dict, problems: list[Problem], inputs: list[dict]) -> dict:
    # the round names its programme, so that --previous never compares with another programme's 汇总表
    """The 汇总表's machine record (xlbase.summary_record): the programme, its round, every problem (file as its
    name, or “汇总表 ← original” for one carried from below) for the level above to carry, and its sources."""
    return {"sources": [{"file": Path(i["file"]).name, "sha256": i.get("sha256"), "status": i.get("status")}
                        for i in inputs],
            "bases": [], "firm_columns": [], "problems": [{**p.to_dict(), "file": _shown(p.file)} for p in problems],
            "programme": programme.name, ROUND_KEY: {**round_, "programme": programme.name}}


def _shown(file: str) -> str:
    head, sep, tail = (file or "").partition(ORIGIN_SEP)
    return f"{Path(head).name}{sep}{tail}" if head else ""
