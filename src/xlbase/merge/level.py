"""Which level a merge is for, and which unit (county or city) each row and file belongs to.

Inferred from where the merged bases are, not from the kind of file: bases in one
county → county level; in several counties of one city → city; in several cities
→ province. That matches "applicant workbooks → county, counties' 附件11s → city,
cities' 附件11s → province" and still works for a mixed inbox.
"""

from __future__ import annotations

from .. import sheet_names
from ..identity import locate
from ..problems import WARNING, Problem
from .core import LEVELS, UNKNOWN_UNIT, BaseRow, MergeResult
from .lower import ORIGIN_SEP, SKIPPED

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
    return Problem("level-mismatch", WARNING,
                   f"指定的汇总层级为{LEVEL_NAMES[declared]}（--level {declared}），但汇总的基地分布在{spread}"
                   f"（按基地所在地应为{LEVEL_NAMES[inferred]}）；{SHEET_NAME[declared]}按指定层级分组，"
                   "填报单位可能不对，请确认层级或输入文件。", value=declared, threshold=inferred)


def unit_of(base: BaseRow, level: str) -> str:
    return base.city if level == "province" else base.county


def default_unit_name(result: MergeResult, level: str) -> str:
    """The 填报单位 when --unit is not given: the one county/city all bases share, or 山西省."""
    if level == "province":
        return "山西省"
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
        city, county = locate(tail.replace("/", " "))
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
        city, county = locate(result.display.get(path, path).replace("/", " "))
        u = city if level == "province" else county
        units = {u or UNKNOWN_UNIT}
    return units
