"""Which level a merge is for, and which unit (county or city) each row and file belongs to.

Inferred from where the merged bases are, not from the kind of file: bases in one
county → county level; in several counties of one city → city; in several cities
→ province. That matches "applicant workbooks → county, counties' 附件11s → city,
cities' 附件11s → province" and still works for a mixed inbox.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from .. import sheet_names
from ..identity import zone_name
from ..problems import WARNING, Problem
from ..text import fold
from .places import UNKNOWN_UNIT
from .rows import LEVELS, BaseRow, MergeResult
from .places import DIVISIONS, Places
from .lower import ORIGIN_SEP, SKIPPED
from ..problem_codes import LEVEL_MISMATCH, UNIT_NOT_REPORTED

UNIT_LABEL = {"county": "县（市、区）", "city": "县（市、区）", "province": "市"}
SHEET_NAME = {"county": sheet_names.UNITS_COUNTY, "city": sheet_names.UNITS_COUNTY, "province": sheet_names.UNITS_CITY}


def infer_level(result: MergeResult) -> str:
    cities = {b.city for b in result.bases if b.city != UNKNOWN_UNIT}
    counties = {(b.city, b.county) for b in result.bases if b.county != UNKNOWN_UNIT}
    if len(cities) > 1:
        return "province"
    if len(counties) > 1:
        return "city"
    return "county"


LEVEL_NAMES = {"county": "县级", "city": "市级", "province": "省级"}


def level_mismatch(declared: str | None, result: MergeResult) -> Problem | None:
    """A warning when `--level` is narrower than where the bases are (county level over four counties).

    A wider level than the inputs show is normal (a city whose other counties have not reported yet).
    """
    inferred = infer_level(result)
    if not declared or LEVELS.index(declared) >= LEVELS.index(inferred):
        return None
    cities = sorted({b.city for b in result.bases if b.city != UNKNOWN_UNIT})
    counties = sorted({b.county for b in result.bases if b.county != UNKNOWN_UNIT})
    spread = f"{len(cities)} 个市" if inferred == "province" else f"{len(counties)} 个县（市、区）"
    return level_mismatch_problem(declared, LEVEL_NAMES[declared], "基地", spread, inferred, LEVEL_NAMES[inferred],
                                  f"{SHEET_NAME[declared]}按指定层级分组，填报单位可能不对")


def level_mismatch_problem(declared: str, declared_title: str, noun: str, spread: str, inferred: str,
                           inferred_title: str, grouped: str) -> Problem:
    """The level-mismatch warning, for Shanxi's levels and a programme's alike: the level named (--level), how
    the merged rows are `spread` ("4 个县（市、区）"), the level they show, and how the 汇总表 groups them."""
    return Problem(LEVEL_MISMATCH, WARNING,
                   f"指定的汇总层级为{declared_title}（--level {declared}），但汇总的{noun}分布在 {spread}，"
                   f"按{noun}所在地应为{inferred_title}；{grouped}，请确认层级或输入文件。",
                   value=declared, threshold=inferred)


def unit_of(base: BaseRow, level: str) -> str:
    """The unit a base counts for: its city (province level), else its county, or the zone/office
    that sent it when its county is not known (BaseRow.unit)."""
    if level == "province":
        return base.city
    return base.unit if base.county == UNKNOWN_UNIT and base.unit else base.county


def default_unit_name(result: MergeResult, level: str) -> str:
    """The 填报单位 when --unit is not given: the one county/city all bases share, or the province (its name in
    the division data)."""
    if level == "province":
        return result.places.province()
    if level == "city":
        cities = sorted({b.city for b in result.bases if b.city != UNKNOWN_UNIT})
        return cities[0] if len(cities) == 1 else ""
    places = sorted({f"{b.city}{b.county}" for b in result.bases if b.county != UNKNOWN_UNIT})
    return places[0] if len(places) == 1 else ""


def file_units(result: MergeResult, level: str, path: str) -> set[str]:
    """Units a file belongs to: from its rows, else from its folder/file name (e.g. counties/忻府区/…).

    For “汇总表 ← 原来源文件” (a problem carried from a lower level): the original's name, else the 汇总表's units.
    None for a skipped earlier output of this same merge.
    """
    if ORIGIN_SEP in path and not any(a.file == path for a in result.accounts):
        head, tail = path.split(ORIGIN_SEP, 1)
        city, county = _located(result, tail)
        u = city if level == "province" else county
        return {u} if u else file_units(result, level, head)
    acc = next((a for a in result.accounts if a.file == path), None)
    if acc is not None and acc.status == SKIPPED:   # an earlier output of this merge: no unit sent it
        return set()
    units: set[str] = set()
    rows = [b for b in result.bases if b.file == path]
    if rows:
        units = {unit_of(b, level) for b in rows}
    elif acc is not None and acc.units:
        if level == "province":
            units = set()
        else:
            units = set(acc.units)
    if not units or units == {UNKNOWN_UNIT}:
        shown = result.display.get(path, path)
        city, county = _located(result, shown)
        u = city if level == "province" else (county or zone_name(re.sub(r"[/\\_]", " ", shown)))
        if not u and acc is not None:
            # a list naming no place, beside its base's form in one county's folder (which the shown names
            # leave out): it was sent by the unit of the bases its firms went to
            owned = {unit_of(b, level) for b in acc.owners} - {UNKNOWN_UNIT}
            if owned:
                return owned
        units = {u or UNKNOWN_UNIT}
    return units


def _located(result: MergeResult, shown: str) -> tuple[str | None, str | None]:
    """The place a file's shown path names (its folders and name), by the merge's places."""
    city, county = result.places.locate(shown.replace("/", " "))
    if result.places.typed and not (city or county):
        city, county = result.places.path_place(shown)
    return city, county


# --- who should have reported --------------------------------------------------------------------


class ExpectError(ValueError):
    """An --expect list that cannot be used (missing, unreadable, empty)."""


def level_city(result: MergeResult, unit: str | None) -> str | None:
    """The city a city-level merge is for: named in --unit (忻州市工业和信息化局), else the one city of its bases."""
    city = result.places.locate(unit)[0] if unit else None
    if city:
        return city
    cities = Counter(b.city for b in result.bases if b.city != UNKNOWN_UNIT)
    return cities.most_common(1)[0][0] if len(cities) == 1 else None


def expected_units(result: MergeResult, level: str, unit: str | None, expect: list[str] | None = None) -> list[str]:
    """Who should report at this level: the officer's list (--expect), else the data's — a province's
    cities, a city's counties and development zones (forms.reporting_units). None known: []."""
    if expect is not None:
        return [canonical_unit(e, level, level_city(result, unit), result.places) for e in expect]
    if result.places.typed:     # no division list: who should report is only what the officer lists
        return []
    if level == "province":
        return result.places.cities()
    if level == "city":
        return list(result.places.units(level_city(result, unit)))
    return []


def canonical_unit(name: str, level: str, city: str | None, places: Places = DIVISIONS) -> str:
    """An expected-list entry as the merge names units: '忻州市岢岚县' / '岢岚' / '岢岚县工信局' -> 岢岚县."""
    name = name.strip()
    c, k = places.locate(name if level == "province" or not city or city[:-1] in name else f"{city}{name}")
    if level == "province" and c:
        return c
    if k and (not city or c in (None, city)):
        return k
    for u in places.units(city):
        if fold(u).startswith(fold(name)) and len(fold(name)) >= 2:   # 岢岚 -> 岢岚县
            return u
    return zone_name(name) or name


def received_units(result: MergeResult, level: str) -> set[str]:
    """Units that sent something readable as a submission or a spreadsheet (not only a notice .docx)."""
    from ..table import NOT_READ
    units = {unit_of(b, level) for b in result.bases}
    for a in result.accounts:
        if a.status not in NOT_READ:
            units |= file_units(result, level, a.file)
    return units - {UNKNOWN_UNIT}


def units_not_reported(result: MergeResult, level: str, expected: list[str]) -> list[Problem]:
    """One warning per expected unit that sent nothing: the officer's list of whom to chase."""
    got = {fold(u) for u in received_units(result, level)}
    return not_reported_problems(expected, got, "市" if level == "province" else "县（市、区）",
                                 "说明或 0 个基地的汇总表")


def not_reported_problems(expected: list[str], got: set[str], kind: str, instead: str) -> list[Problem]:
    """The unit-not-reported warning of each expected unit (in the list's order, once) whose folded name is not in
    `got`, for Shanxi's levels and a programme's alike: whom to chase, by which list (`kind` of unit), and what a
    unit with nothing to report this time sends `instead` ("说明或空白的汇总表")."""
    return [Problem(UNIT_NOT_REPORTED, WARNING,
                    f"{u}未报送：本次汇总的输入中没有{u}的材料（按应报{kind}名单）。请催报，收到后重新汇总；"
                    f"如该单位本次确无申报，请让其报送{instead}。", value=u)
            for u in dict.fromkeys(expected) if fold(u) not in got]


def _unreadable_list(path: Path, why: object) -> ExpectError:
    return ExpectError(f"应报单位名单 {path} 无法读取：{why}")


def read_expect_file(path: Path) -> list[str]:
    """The officer's list of units that should report: a text file (one a line, or separated by
    commas/、; # starts a comment) or the first sheet of a workbook (each row's first text cell)."""
    path = Path(path)
    if not path.is_file():
        raise ExpectError(f"找不到应报单位名单文件：{path}")
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods", ".et"):
            names = _names_in_workbook(path)
        else:
            data = path.read_bytes()
            text = next((data.decode(enc) for enc in ("utf-8-sig", "gb18030") if _decodes(data, enc)), "")
            names = [n for line in text.splitlines() for n in re.split(r"[,，、;；\t]", line.split("#")[0])]
    except (OSError, ValueError) as exc:
        raise _unreadable_list(path, exc) from exc
    names = [n.strip() for n in names if n and n.strip() and n.strip() not in _HEADER_WORDS]
    if not names:
        raise ExpectError(f"应报单位名单 {path} 中没有单位名称（每行写一个，如 岢岚县）")
    return list(dict.fromkeys(names))


_HEADER_WORDS = frozenset({"序号", "单位", "单位名称", "名称", "县（市、区）", "县(市、区)", "市", "应报单位", "报送单位"})


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
        return True
    except UnicodeDecodeError:
        return False


def _names_in_workbook(path: Path) -> list[str]:
    from ..read.sniff import inspect_file
    check = inspect_file(path)
    if not check.ok:
        raise _unreadable_list(path, check.message)
    from python_calamine import CalamineWorkbook
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    return [next((str(v) for v in row if isinstance(v, str) and v.strip()), "") for row in rows]


def problem_units(result: MergeResult, problems: list[Problem], level: str, base_unit: dict[str, str] | None = None,
                  by_file: dict[str, set[str]] | None = None) -> list[set[str]]:
    """The unit(s) each problem counts for: its base's unit, else its file's; a unit-not-reported
    problem, the unit it names. The one attribution for 各县情况 and the return pack."""
    if base_unit is None:
        base_unit = {}
        for b in (*result.firm_only, *result.bases):    # a base with firms but no 附件11 row too
            base_unit[b.key] = base_unit[fold(b.name)] = unit_of(b, level)
    if by_file is None:
        by_file = {a.file: file_units(result, level, a.file) for a in result.accounts}
    out = []
    for p in problems:
        if p.rule == UNIT_NOT_REPORTED:
            out.append({str(p.value)})
        elif p.base and fold(p.base) in base_unit:
            out.append({base_unit[fold(p.base)]})
        elif p.base in base_unit:
            out.append({base_unit[p.base]})
        else:
            out.append(by_file.get(p.file) or file_units(result, level, p.file))
    return out
