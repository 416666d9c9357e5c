"""Which base a firm list belongs to when its own workbook does not say (附件3 sent apart from its base).

Clerks send a base's 附件3 as a file of its own ("寿阳县/鑫源双创基地入驻企业名单.xlsx", "附件3-XX基地.xlsx"
beside "附件10-XX基地.xlsx"), or a county sends one workbook with its 附件11 and a sheet per base's firm
list. Such a table's workbook names no base, or holds no base row of its own. It is tied to a base of the
batch by the evidence a person reads, in this order: its 所属基地 column (read.workbook splits a list
naming several bases into one table per base), the sheet's name, the lines above its header (title,
填报单位), the base its workbook names elsewhere (附件4's head), the file's name, its folders. Each is
compared with the names and operators of the bases read from the other files and sheets, by what is left
of a name without its place and without the words that say what kind of thing it is (data/names.yaml):
"鑫源" of "寿阳县鑫源双创基地" and of "寿阳县鑫源科技发展有限公司".

A name found whole beats a part of it (at least half of it); among equals a base in the same file, then
the same folder, then the same county beats one further away; each later piece of evidence only narrows
the choice the earlier ones left, and a base that has no firm list of its own beats one that has. Two
bases still equal: a warning naming both, and the rows are not merged. No base fits but the evidence
names one ("介休市绵山众创空间入驻企业基本情况表"): the firms are kept under that name (the merge says its
附件10 is missing). No evidence at all: the one base of the same file, of the same folder, or of the
same county; else a warning. Every decision is one problem at the table (an info when attached).

Runs once per batch, over tables, before the rules (check.check_reads): the rules and the merge then see
the firms under their base (Table.base, with `attached`, and `firm_only` for a base named only there).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import PurePath
from typing import Any

from ..forms import APPLICANT_FORMS, SUMMARY_FORM, divisions, name_words, zones
from ..forms.roles import BASE_NAME, BASE_TYPE, CITY, COUNTY, FIRM_FORM, FIRM_NAME, OPERATOR
from ..identity import base_key, locate, split_place
from ..problems import INFO, WARNING, Problem
from ..table import Table, WorkbookRead
from ..text import fold, some_of
from .rows import display_names
from .table_rows import BASE_RECORD, BASE_ROWS, FIRM_ROWS, is_sample_name, is_text, row_tables, tidy_name
from ..problem_codes import COVER_UNATTACHED, FIRMS_ATTACHED, FIRMS_BASE_UNCLEAR
from ..read.sheet_tables import ROW_BASE_COLUMN, ROW_BASE_SECTION


SAME_FILE, SAME_FOLDER, SAME_COUNTY, ELSEWHERE = range(4)
WHOLE, PART = 2, 1
SHOWN_MAX = 6        # candidates named in a message


@dataclass
class Candidate:
    """A base read from a base row (附件10, an applicant's 附件2, a 附件11 row): what a firm list may belong to."""

    key: str
    name: str
    operator: str
    city: str | None
    county: str | None
    base_type: Any
    file: str
    cores: tuple[str, ...]       # the name's core, the operator's core (see core())
    applicant: bool = True       # from an application (附件10 / 附件2), not a 汇总表's row
    listed: bool = False         # it has a firm list of its own


@dataclass
class Evidence:
    how: str                     # 工作表名 / 标题行 / 填报单位行 / 基地名称 / 文件名 / 文件夹名
    text: str                    # as typed
    cell: str = ""
    folded: str = field(init=False)

    def __post_init__(self) -> None:
        self.folded = fold(self.text)


# --- names --------------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _place_prefixes() -> tuple[str, ...]:
    """Place words a name may start with: the province, cities, counties, zones, and their stems
    (寿阳县 -> 寿阳, 晋中市 -> 晋中: "寿阳鑫源科技有限公司"), longest first."""
    d = divisions()
    words = {d["province"]} if d.get("province") else set()
    for city, counties in d["cities"].items():
        words.add(city)
        for county in counties:
            words.add(county)
        for z in zones(city):
            words |= {z["name"], *(z.get("aliases") or ())}
    words |= {w[:-1] for w in list(words) if w[-1] in "省市县区" and len(w) >= 3}
    return tuple(sorted({fold(w) for w in words if len(w) >= 2}, key=len, reverse=True))


@lru_cache(maxsize=None)
def _kind_words() -> re.Pattern:
    """The words of data/names.yaml (what a name is, not which one), longest first."""
    spec = name_words()
    words = {fold(w) for w in (*spec.get("base_words", ()), *spec.get("unit_words", ())) if w}
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))


@lru_cache(maxsize=None)
def _base_ending() -> re.Pattern:
    words = sorted({w for w in name_words().get("base_words", ()) if w}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


@lru_cache(maxsize=65536)
def core(name: object) -> str:
    """What a person reads as *the* name: folded, without the place it starts with and without the words
    of what it is. '寿阳县鑫源双创基地' -> '鑫源'; '山西晋商企业服务有限公司' -> '晋商'. A name that would be
    left with less than two characters keeps its place stems ('太原市晋源区晋源双创基地' -> '晋源'); a name of
    place and kind words only (many a county's one base: '寿阳县双创基地', '晋中市寿阳县创新创业服务中心') is
    itself after its province and city ('寿阳县双创基地', '寿阳县创新创业服务中心')."""
    k = fold(name)
    rest = k
    while True:
        w = next((w for w in _place_prefixes() if rest.startswith(w) and len(rest) > len(w)), None)
        if w is None:
            break
        rest = rest[len(w):]
    out = _kind_words().sub("", rest)
    if len(out) < 2:
        out = _kind_words().sub("", split_place(k)[1])
    if len(out) < 2 and _kind_words().search(k):
        out = _after_city(k)
        if not split_place(out)[0]:
            return ""           # no county of its own: the notice's words ('小微企业双创基地'), no one base's name
    return out if len(out) >= 2 else ""


def _after_city(k: str) -> str:
    """A folded name without the province and city it starts with (its county kept)."""
    while True:
        w = next((w for w in _upper_places() if k.startswith(w) and len(k) > len(w) + 1), None)
        if w is None:
            return k
        k = k[len(w):]


@lru_cache(maxsize=None)
def _upper_places() -> tuple[str, ...]:
    """The province's and its cities' names, folded, longest first (a county's name is kept by _after_city)."""
    d = divisions()
    words = ({d["province"]} if d.get("province") else set()) | set(d["cities"])
    return tuple(sorted({fold(w) for w in words if len(w) >= 2}, key=len, reverse=True))


_NAME_RUN = re.compile(r"[\u4e00-\u9fff（）()A-Za-z0-9·]+")
_LABEL = re.compile(r"^.*?(?:单位|名称|基地)[^：:]{0,6}[：:]")


def named_base(text: object) -> str | None:
    """The base a text names: a run of name characters ending with what a base's name ends with
    ('介休市绵山众创空间入驻企业基本情况表' -> '介休市绵山众创空间'), whose core is a name of its own
    (not the notice's '小微企业创业创新基地入驻企业基本情况表'). None when it names none."""
    s = _LABEL.sub("", str(text or "").strip())
    for run in _NAME_RUN.findall(s):
        ends = list(_base_ending().finditer(run))
        if not ends:
            continue
        name = re.sub(r"^(?:附件|附表)[0-9一二三四五六七八九十]*", "", run[:ends[-1].end()])
        if core(name):
            return name
    return None


def _common(a: str, b: str) -> int:
    """Length of the longest common substring (names are short: the plain table is cheap)."""
    best = 0
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0] * (len(b) + 1)
        for j, cb in enumerate(b, 1):
            if ca == cb:
                cur[j] = prev[j - 1] + 1
                best = max(best, cur[j])
        prev = cur
    return best


def fit(evidence: str, c: Candidate) -> int:
    """How one folded piece of evidence names a base: WHOLE (a core in it), PART (at least two
    characters and half of a core), else 0."""
    level = 0
    for k in c.cores:
        if k in evidence:
            return WHOLE
        n = _common(k, evidence)
        if n >= 2 and 2 * n >= len(k):
            level = PART
    return level


def _held(evidence: str, c: Candidate) -> int:
    """Length of the longest of a base's cores that a piece of evidence holds whole."""
    return max((len(k) for k in c.cores if k in evidence), default=0)


# --- the batch ---------------------------------------------------------------------------------

def _candidates(reads: list[WorkbookRead]) -> list[Candidate]:
    """Every base read from a base row of the batch; one per base (a 汇总表 row of a base whose own
    application is here too gives way to the application)."""
    out: list[Candidate] = []
    listed: set[tuple[str, str]] = set()    # (file, key) with a firm list of its own
    for wr in reads:
        for t, role in row_tables(wr):
            if t.form_id == FIRM_FORM:
                if "_base" in t.data.columns:
                    listed |= {(wr.path, str(k)) for k in set(t.data["_base"]) if k}
                elif t.base.get("key"):
                    listed.add((wr.path, str(t.base["key"])))
                continue
            if role == BASE_RECORD:
                rows = [(t.base.get("key"), t.base.get("name"), t.base.get(OPERATOR), t.base.get(CITY),
                         t.base.get(COUNTY), t.base.get(BASE_TYPE))]
            elif t.form_id == SUMMARY_FORM:
                rows = _summary_rows(t)
            elif role == BASE_ROWS:
                rows = _applicant_rows(t)
            else:
                continue
            for key, name, op, city, county, btype in rows:
                name, op = tidy_name(name), tidy_name(op)
                if not is_text(name) or is_sample_name(str(name)):
                    continue
                key = str(key) if key and str(key) != "|" else base_key(name, op)
                # a base without a core still counts when the folder's or county's one base is sought
                cores = tuple(dict.fromkeys(k for k in (core(name), core(op)) if k))
                out.append(Candidate(key, str(name), str(op or ""), city, county, btype, wr.path, cores,
                                     t.form_id != SUMMARY_FORM))
    for c in out:
        c.listed = (c.file, c.key) in listed
    return _one_per_base(out)


def _column(t: Table, key: str) -> list:
    return t.data[key].tolist() if key in t.data.columns else [None] * len(t.data)


def _summary_rows(t: Table) -> list[tuple]:
    return list(zip(_column(t, "_base"), _column(t, BASE_NAME), _column(t, OPERATOR), _column(t, "_city"),
                    _column(t, "_county"), _column(t, BASE_TYPE)))


def _applicant_rows(t: Table) -> list[tuple]:
    b = t.base
    if len(t.data) == 1:    # the workbook's identity (附件2 fills what 附件10's formulas lost)
        return [(b.get("key"), b.get("name"), b.get(OPERATOR), b.get(CITY), b.get(COUNTY), b.get(BASE_TYPE))]
    return [(None, n, o, b.get(CITY), b.get(COUNTY), b.get(BASE_TYPE))
            for n, o in zip(_column(t, BASE_NAME), _column(t, OPERATOR))]


def _one_per_base(cands: list[Candidate]) -> list[Candidate]:
    """Candidates of one base (the same name after its place, places that agree) kept once: the first
    application, else the first row."""
    seen: dict[str, list[Candidate]] = {}
    out = []
    for c in sorted(cands, key=lambda c: not c.applicant):
        same = seen.setdefault(split_place(c.name)[1], [])
        twin = next((o for o in same if _places_agree(o, c)), None)
        if twin is not None:
            twin.listed = twin.listed or c.listed
            continue
        same.append(c)
        out.append(c)
    return out


def _places_agree(a: Candidate, b: Candidate) -> bool:
    return all(x is None or y is None or x == y for x, y in ((a.city, b.city), (a.county, b.county)))


ROW_BASE_HOWS = (ROW_BASE_COLUMN, ROW_BASE_SECTION)


def row_base(t: Table) -> str | None:
    """The one base a firm list's 所属基地 column or section rows name for its rows (read.sheet_tables
    `_row_base`; a list naming several is read as one table per base)."""
    if "_row_base" not in t.data.columns:
        return None
    names = {v for v in t.data["_row_base"] if is_text(v)}
    return str(names.pop()) if len(names) == 1 else None


def _row_base_evidence(t: Table) -> Evidence | None:
    """What names the base of a firm list's rows, as the clerk typed it: its 所属基地 column or the section row
    over them (一、xx双创基地（6户）), at the cell where the name stands."""
    name = row_base(t)
    if name is None:
        return None
    how = next((h for h in t.data.get("_row_base_how", ()) if is_text(h)), ROW_BASE_COLUMN)
    cell = next((c for c in t.data.get("_row_base_at", ()) if is_text(c)), "")
    return Evidence(str(how), name, str(cell))


def _row_base_owner(ev: Evidence) -> str:
    """The words of a list's own part when its rows name their base: “所属基地为…的” or “分段行…下的”."""
    return f"{ev.how}“{ev.text}”下的" if ev.how == ROW_BASE_SECTION else f"所属基地为“{ev.text}”的"


def orphan_lists(reads: list[WorkbookRead]) -> list[tuple[WorkbookRead, Table]]:
    """附件3 tables whose workbook gives them no base: no base named, or no base row in the workbook
    (a firm list sent alone, or beside a county's 附件11). A 汇总表's own 入驻企业 names each row's base."""
    out = []
    for wr in reads:
        roles = row_tables(wr)
        has_rows = any(role != FIRM_ROWS for _, role in roles)
        summary_only = all(t.form_id == SUMMARY_FORM for t, role in roles if role != FIRM_ROWS)
        for t, _role in roles:
            if t.form_id != FIRM_FORM or t.data.empty or {"_base", "_base_name", "_src"} & set(t.data.columns):
                continue
            if t.base.get("attached") or t.base.get("unattached"):
                continue
            if not is_text(t.base.get("name")) or not has_rows or summary_only:
                out.append((wr, t))
    return out


def _evidence(t: Table, path: str, named: str | None) -> list[Evidence]:
    """What a person reads to tell a firm list's base, in the order they read it."""
    from ..read.labels import line_kind
    out = [own] if (own := _row_base_evidence(t)) else []
    out.append(Evidence("工作表名", t.sheet))
    for cell, text in t.heading:
        out.append(Evidence("填报单位行" if line_kind(text) == "org" else "标题行", text, cell))
    if named:
        out.append(Evidence("基地名称", named))
    p = PurePath(path)
    out.append(Evidence("文件名", p.stem))
    out += [Evidence("文件夹名", part) for part in reversed(p.parent.parts[-3:])]
    return out


def _where(t: Table, path: str) -> tuple[str | None, str | None]:
    from ..read.base import path_location
    for text in (*(x for _, x in t.heading), t.org_line):
        city, county = locate(text)
        if county:
            return city, county
    return path_location(path)


def _proximity(c: Candidate, path: str, place: tuple[str | None, str | None]) -> int:
    if c.file == path:
        return SAME_FILE
    if PurePath(c.file).parent == PurePath(path).parent:
        return SAME_FOLDER
    if place[1] and c.county == place[1] and (not place[0] or not c.city or c.city == place[0]):
        return SAME_COUNTY
    return ELSEWHERE


@dataclass
class Decision:
    chosen: list[Candidate]
    how: Evidence | None = None
    level: int = 0


def decide(t: Table, path: str, cands: list[Candidate]) -> Decision:
    """The base(s) the evidence fits best (module docstring); `how` is the evidence that decided.

    Whole names first, over all the evidence; only when no piece of evidence holds a whole name do
    parts of names count (a sheet called 鑫源 must not outweigh a title naming another base whole)."""
    place = _where(t, path)
    named = str(t.base["name"]) if is_text(t.base.get("name")) else None
    return _choose(_evidence(t, path, named), {id(c): _proximity(c, path, place) for c in cands}, cands)


def _choose(evidence: list[Evidence], prox: dict[int, int], cands: list[Candidate]) -> Decision:
    """decide() over any evidence: `prox` is each candidate's distance (SAME_FILE … ELSEWHERE)."""
    result = Decision([])
    for least in (WHOLE, PART):
        left = cands
        for ev in evidence:
            # a longer name held whole is the more specific one: a title naming 科创园83双创基地 holds the core
            # of 科创园双创基地 too, and names the first
            scored = [(lvl, _held(ev.folded, c) if lvl == WHOLE else 0, -prox[id(c)], c) for c in left
                      if (lvl := fit(ev.folded, c)) >= least]
            if not scored:
                continue
            best = max(s[:3] for s in scored)
            left = [c for lvl, n, p, c in scored if (lvl, n, p) == best]
            if not result.chosen or len(left) < len(result.chosen):
                result = Decision(left, ev, best[0])
            if len(left) == 1:
                break
        if result.chosen:
            break
    if len(result.chosen) > 1:
        unlisted = [c for c in result.chosen if not c.listed]
        if len(unlisted) == 1:
            result.chosen = unlisted
    return result


# --- attaching -----------------------------------------------------------------------------------

def attach_firm_lists(reads: list[WorkbookRead], problems: list[Problem]) -> list[Problem]:
    """Give every 附件3 table whose workbook names no base the base the evidence names (module docstring).

    Sets Table.base of each such table: the chosen base's identity with `attached` (how, in words) and
    `home` (the file of its base row); a base named only there with `firm_only`; `unattached` when it
    cannot be decided (the warning says why, the merge does not merge its rows). Returns `problems`, those
    of an attached table's rows now naming its base, plus one problem per table. Idempotent: a table
    once decided is left alone."""
    orphans = orphan_lists(reads)
    if not orphans:
        return problems + attach_covers(reads)
    cands = _candidates(reads)
    display = display_names([wr.path for wr in reads])
    out: list[Problem] = []
    for wr, t in orphans:
        shown = display.get(wr.path, wr.path)
        own = _row_base_evidence(t)
        what = f"附件3（文件“{shown}”工作表“{t.sheet}”{_row_base_owner(own) if own else ''}，{len(t.data)} 行）"
        d = decide(t, wr.path, cands)
        if len(d.chosen) == 1:
            c = d.chosen[0]
            titled = _titled(t, c)
            if titled is not None and (d.how is None or d.how.how not in ROW_BASE_HOWS):
                d.how = titled      # its title names the base too: the list says whose it is, whatever decided first
            t.base = {"key": c.key, "name": c.name, OPERATOR: c.operator or None, CITY: c.city,
                      COUNTY: c.county, BASE_TYPE: c.base_type, "home": c.file,
                      "attached": _how(d.how, c)}
            c.listed = True
            if d.how is not None and (d.how.how in ROW_BASE_HOWS or d.how is titled):   # the list names its base
                above = "其上方的" if d.how.how == ROW_BASE_SECTION else "其"
                msg = (f"附件3（文件“{shown}”工作表“{t.sheet}”，{len(t.data)} 行）按{above}{_how(d.how, c)[1:]}"
                       f"（{d.how.cell}）归入基地“{c.name}”（{display.get(c.file, c.file)}）。")
            else:
                msg = (f"{what}本身没有写明所属基地，{_how(d.how, c)}归入基地“{c.name}”"
                       f"（{display.get(c.file, c.file)}）；如有误，请在该表标题行写明基地全称。")
            out.append(Problem(FIRMS_ATTACHED, INFO, msg, wr.path, t.sheet, _cell(t, d.how), FIRM_FORM, base=c.name,
                               value=c.name))
        elif d.chosen:
            out.append(_unclear(t, wr.path, what, d, display))
        else:
            out.append(_fallback(t, wr.path, what, cands, display))
    return _name_problems(problems, [t for _, t in orphans]) + out + attach_covers(reads, cands)


def _titled(t: Table, c: Candidate) -> Evidence | None:
    """A title line above the list that holds base `c`'s name whole ("大同市浑源县凉粉小镇众创空间入驻企业名单"): the
    list names its base, though a piece of evidence read before it (the sheet's name) decided the same."""
    from ..read.labels import line_kind
    for cell, text in t.heading:
        ev = Evidence("标题行", text, cell)
        if line_kind(text) != "org" and fit(ev.folded, c) >= WHOLE:
            return ev
    return None


def _how(ev: Evidence | None, c: Candidate) -> str:
    if ev is None:
        return "按所在位置"
    whose = "（运营单位名称）" if len(c.cores) > 1 and any(k in ev.folded for k in c.cores[1:]) \
        and c.cores[0] not in ev.folded else ""
    return f"按{ev.how}“{ev.text}”{whose}"


def _cell(t: Table, ev: Evidence | None) -> str:
    """The cell of the evidence (a title or 填报单位 line), else the list's first header cell."""
    if ev is not None and ev.cell:
        return ev.cell
    return t.cell(FIRM_NAME, t.header_row) if t.header_row else ""


def _names(cands: list[Candidate], display: dict[str, str]) -> str:
    shown = [f"“{c.name}”（{display.get(c.file, c.file)}）" for c in cands[:SHOWN_MAX]]
    return "、".join(shown) + (f"等 {len(cands)} 个" if len(cands) > SHOWN_MAX else "")


def firm_names(t: Table) -> str:
    """A list's firms as a message names them: the first few, then how many."""
    names = [str(v) for v in (t.data[FIRM_NAME].tolist() if FIRM_NAME in t.data.columns else []) if is_text(v)]
    return some_of(names, "户", SHOWN_MAX)


def _unclear(t: Table, path: str, what: str, d: Decision, display: dict[str, str]) -> Problem:
    t.base = {**t.base, "unattached": True}
    assert d.how is not None
    return Problem(FIRMS_BASE_UNCLEAR, WARNING,
                   f"{what}本身没有写明所属基地，{d.how.how}“{d.how.text}”同样符合{len(d.chosen)}个基地："
                   f"{_names(d.chosen, display)}，无法确定，其中的入驻企业（{firm_names(t)}）未计入汇总；"
                   "请在该表标题行或填报单位行写明基地全称后重新报送。",
                   path, t.sheet, _cell(t, d.how), FIRM_FORM, value=len(t.data))


def _fallback(t: Table, path: str, what: str, cands: list[Candidate], display: dict[str, str]) -> Problem:
    """No base of the batch fits: the base the list names (kept under that name), the one base of its
    file or folder, else a warning naming the bases near it."""
    for ev in _evidence(t, path, str(t.base["name"]) if is_text(t.base.get("name")) else None):
        if ev.how == "文件夹名":
            break
        name = ev.text if ev.how in ("基地名称", *ROW_BASE_HOWS) else named_base(ev.text)
        if name:
            city, county = locate(name)
            if not county:
                city, county = _where(t, path)
            name = tidy_name(name)
            t.base = {"key": base_key(name, None), "name": name, OPERATOR: None, CITY: city, COUNTY: county,
                      BASE_TYPE: None, "home": path, "attached": f"按{ev.how}“{ev.text}”", "firm_only": True}
            return Problem(FIRMS_ATTACHED, INFO, f"{what}按{ev.how}“{ev.text}”归入基地“{name}”；本批材料中没有该基地的"
                           "附件10 或汇总表中的行（见该基地的提示）。", path, t.sheet, _cell(t, ev), FIRM_FORM,
                           base=name, value=name)
    place = _where(t, path)
    for scope, how in ((SAME_FILE, "本文件中唯一的基地"), (SAME_FOLDER, "所在文件夹中唯一的基地"),
                       (SAME_COUNTY, "本县（市、区）唯一的基地")):
        near = [c for c in cands if _proximity(c, path, place) <= scope]
        if len(near) == 1 and not near[0].listed:
            c = near[0]
            t.base = {"key": c.key, "name": c.name, OPERATOR: c.operator or None, CITY: c.city,
                      COUNTY: c.county, BASE_TYPE: c.base_type, "home": c.file, "attached": f"按{how}"}
            c.listed = True
            return Problem(FIRMS_ATTACHED, INFO, f"{what}本身没有写明所属基地，也没有写基地名称的标题，按{how}归入基地"
                           f"“{c.name}”（{display.get(c.file, c.file)}）；如有误，请在该表标题行写明基地全称。",
                           path, t.sheet, _cell(t, None), FIRM_FORM, base=c.name, value=c.name)
    t.base = {**t.base, "unattached": True}
    near = [c for c in cands if _proximity(c, path, place) <= SAME_COUNTY and not c.listed]
    hint = f"同一县（市、区）或文件夹中尚无入驻企业名单的基地有：{_names(near, display)}；" if near else ""
    return Problem(FIRMS_BASE_UNCLEAR, WARNING,
                   f"{what}本身没有写明所属基地，工作表名、标题行、填报单位行、文件名和文件夹名都不能确定它属于哪个基地，"
                   f"其中的入驻企业（{firm_names(t)}）未计入汇总；{hint}请在该表标题行写明基地全称后重新报送。",
                   path, t.sheet, _cell(t, None), FIRM_FORM, value=len(t.data))


def _name_problems(problems: list[Problem], tables: list[Table]) -> list[Problem]:
    """The reader's problems about an attached table's rows name its base, now that it has one (a list
    split by its 所属基地 column: the base of the problem's row)."""
    named: dict[tuple[str, str], list[tuple[set[int], str]]] = {}
    for t in tables:
        if is_text(t.base.get("name")) and not t.base.get("unattached"):
            rows = {int(r) for r in t.data["_row"]} if "_row" in t.data.columns else set()
            named.setdefault((t.file, t.sheet), []).append((rows, str(t.base["name"])))
    out = []
    for p in problems:
        hits = named.get((p.file, p.sheet)) if not p.base and p.form == FIRM_FORM else None
        if hits:
            row = int(digits) if (digits := "".join(ch for ch in p.cell if ch.isdigit())) else None
            name = hits[0][1] if len(hits) == 1 else next((n for rows, n in hits if row in rows), None)
            p = replace(p, base=name) if name else p
        out.append(p)
    return out


# --- a 附件1 cover sent as a file of its own ---------------------------------------------------------

def attach_covers(reads: list[WorkbookRead], cands: list[Candidate] | None = None) -> list[Problem]:
    """Give the 基地类型 of each cover sent alone (WorkbookRead.cover, read.cover) to the application it
    names: by its 申请单位名称 and 运营主体, its file name and folders, as a firm list; with no evidence,
    the only application of its folder. The base takes it only when its 附件10 / 附件2 give no type (one
    info or warning, read.cover.cover_problems); a cover tied to no base is a warning."""
    covers = [wr for wr in reads if wr.cover is not None]
    if not covers:
        return []
    from ..read.base import path_location
    from ..read.cover import COVER_FORM, cover_problems
    apps = [c for c in (cands if cands is not None else _candidates(reads)) if c.applicant]
    display = display_names([wr.path for wr in reads])
    out: list[Problem] = []
    for wr in covers:
        cov, p = wr.cover, PurePath(wr.path)
        evidence = [Evidence("封面单位名称", n) for n in cov.names] + [Evidence("文件名", p.stem)]
        evidence += [Evidence("文件夹名", part) for part in reversed(p.parent.parts[-3:])]
        place = next(((c, k) for c, k in map(locate, cov.names) if k), None) or path_location(wr.path)
        prox = {id(c): _proximity(c, wr.path, place) for c in apps}
        d = _choose(evidence, prox, apps)
        how = _how(d.how, d.chosen[0]) if len(d.chosen) == 1 else ""
        if not d.chosen:
            near = [c for c in apps if prox[id(c)] <= SAME_FOLDER]
            d = Decision(near[:1]) if len(near) == 1 else d
            how = "按所在文件夹中唯一的申报表" if len(near) == 1 else ""
        shown = display.get(wr.path, wr.path)
        if len(d.chosen) != 1:
            why = f"同样符合{len(d.chosen)}个基地：{_names(d.chosen, display)}" if d.chosen else \
                "封面的单位名称、文件名和文件夹名都不能确定它属于本批材料中哪个基地的申报表"
            out.append(Problem(COVER_UNATTACHED, WARNING,
                               f"附件1封面（文件“{shown}”）单独报送，{why}，其基地类型“{cov.text}”未用于核对；"
                               "请把封面与该基地的申报表放在同一工作簿中，或在附件2中填写基地类型。",
                               wr.path, cov.sheet, cov.cell, COVER_FORM, "基地类型", value=cov.text))
            continue
        c = d.chosen[0]
        tables = [t for r in reads if r.path == c.file for t in r.tables
                  if t.form_id in APPLICANT_FORMS and str(t.base.get("key") or "") == c.key]
        if not tables or any(t.base.get(BASE_TYPE) for t in tables):
            continue        # the application gives its own type: the cover adds nothing
        for t in tables:
            t.base[BASE_TYPE] = cov.base_type
        c.base_type = cov.base_type
        out += cover_problems(wr.path, cov, c.name, f"（封面单独报送，{how}归入基地“{c.name}”，"
                                                     f"{display.get(c.file, c.file)}）")
    return out
