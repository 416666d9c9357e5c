"""A generic programme's check and merge: files in, every problem and the 汇总表's rows out.

`check_files` goes from what was read and the pack to problems and rows; validate, merge, mark and the 校验
button reach it through check.check, the one entry they share with Shanxi's forms. The 汇总表's rows come
from the programme's summary layout (summary.yaml: each column's source), one per submission holding its
`row_per` form; a unit's own 汇总表 rows (a county's 推荐汇总表, or its
xlbase output) are taken too, unless the base's own submission is in the batch. Every input row is in
the rows or in the problem list (`inputs`: rows read = merged + rejected per file).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..forms import value_list
from ..forms.roles import BASE_NAME, FIRM_NAME
from ..identity import name_key
from ..text import fold, some_of
from ..problems import ERROR, INFO, SEVERITIES, WARNING, Problem, sort_problems
from ..rules.programme import validate_programme
from ..rules.kinds import officer_notes
from ..rules.rule import RulePack
from ..rules.submission import Submission
from ..table import Table, WorkbookRead
from ..problem_codes import (DUPLICATE_BASE, FIRMS_BASE_UNCLEAR, INCOMPLETE_TOTAL, LEVEL_MISMATCH, PART_ATTACHED, PART_BASE_UNCLEAR,
                             PROGRAMME_RECOGNISED, UNIT_FROM_PLACE, UNIT_NOT_REPORTED)
from .dedupe import superseded_note
from .lower import ORIGIN_SEP, carried_problem
from .marked import skip_marked_copies
from .revision import revision_rank


@dataclass
class Checked:
    reads: list[WorkbookRead]
    problems: list[Problem]
    rows: list[dict] = field(default_factory=list)          # 汇总表 rows, by field key (+ _file, _base)
    firms: list[dict] = field(default_factory=list)         # 入驻企业 rows (+ _base, _file, _sheet, _row)
    inputs: list[dict] = field(default_factory=list)        # per file: file, status, sha256, rows_*
    homes: dict[str, str] = field(default_factory=dict)     # a part sent apart -> its application's file
    sent: dict[str, str] = field(default_factory=dict)      # a file that gave no row -> the unit that sent it
    incomplete: dict[str, int] = field(default_factory=dict)  # a total some rows lack -> how many rows lack it


def check_files(programme, reads: list[WorkbookRead], pack: RulePack) -> Checked:
    """Every problem of `reads` under `pack`, and the 汇总表 rows the summary layout makes of them."""
    reads = skip_marked_copies(reads)      # a marked copy sent beside its original is not a second application
    problems = [p for r in reads for p in r.problems]
    tables = [t for r in reads if r.ok for t in r.tables]
    layout = programme.layout("summary.yaml")
    homes, joined = join_parts(programme, reads)
    problems += joined
    problems += validate_programme(tables, pack, homes)
    unclear = {p.file for p in joined if p.rule == PART_BASE_UNCLEAR}
    rows, firms, merge_problems, counts, superseded = _summary_rows(programme, layout, reads, homes, unclear)
    problems = _superseded(problems, superseded, homes, programme.noun) + merge_problems + _carried(programme, reads, rows)
    inputs = []
    for r in reads:
        read_n, merged_n = counts.get(r.path, (0, 0))
        inputs.append({"file": r.path, "status": r.status, "sha256": r.sha256, "rows_read": read_n,
                       "rows_merged": merged_n, "rows_rejected": read_n - merged_n})
    incomplete, lacking = _incomplete_totals(programme, layout, rows)
    return Checked(reads, sort_problems(problems + lacking), rows, firms, inputs, homes,
                   _senders(programme, layout, reads, rows), incomplete)


def _incomplete_totals(programme, layout: dict, rows: list[dict]) -> tuple[dict[str, int], list[Problem]]:
    """Number columns of the 汇总表 some rows give and others lack (a county's own 汇总表 has the notice's columns,
    not the figures an application gives): each such column's rows lacking it, and one problem per file
    naming its rows' missing figures — a warning when the notice's form asks for them, else an info (the
    total is marked *, never a quietly lower sum)."""
    form = programme.form(layout["form"])
    fields = [f for f in form.table_fields if f.is_numeric and not f.merge_only]
    has = {f.key: [isinstance(r.get(f.key), (int, float)) and not isinstance(r.get(f.key), bool) for r in rows]
           for f in fields}
    partial = [f for f in fields if any(has[f.key]) and not all(has[f.key])]
    by_file: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        if any(not has[f.key][i] for f in partial):
            by_file.setdefault(r["_file"], []).append(i)
    out = []
    for file, idx in by_file.items():
        lack = [f for f in partial if any(not has[f.key][i] for i in idx)]
        labels = some_of([f"“{f.label}”" for f in lack], "项")
        official = any(f.official for f in lack)
        why = "" if official else f"（{form.title}的表样没有这些栏目）"
        out.append(Problem(INCOMPLETE_TOTAL, WARNING if official else INFO,
                           f"“{Path(file).name}”的 {len(idx)} 个{programme.noun}没有{labels}的数字{why}，合计中这些数未计入"
                           f"（以 * 标出）；需要完整的合计时，请该单位补报。", file, form=form.id,
                           field=lack[0].key, value=len(idx)))
    return {f.key: sum(not x for x in has[f.key]) for f in partial}, out


def _senders(programme, layout: dict, reads: list[WorkbookRead], rows: list[dict]) -> dict[str, str]:
    """The unit that sent each file giving no 汇总表 row (a county's 汇总表 saying it has no base this year, a list
    sent alone, a file that could not be read), by its 填报单位 line, name or folders: it did report."""
    gave = {r["_file"] for r in rows}
    out = {}
    for r in reads:
        if r.path in gave:
            continue
        line = next((t.org_line for t in r.tables if t.org_line), "")
        unit, _ = _unit_named(layout, _unit_texts(programme, r.path, None, line))
        if unit:
            out[r.path] = unit
    return out


#: a lower level's findings its higher level makes again itself (of its own merge, not of the applications)
_NOT_CARRIED = frozenset({UNIT_NOT_REPORTED, LEVEL_MISMATCH, DUPLICATE_BASE, PART_ATTACHED, PART_BASE_UNCLEAR,
                          PROGRAMME_RECOGNISED, INCOMPLETE_TOTAL})


def _carried(programme, reads: list[WorkbookRead], rows: list[dict]) -> list[Problem]:
    """The problems a lower level's 汇总表 found in the applications behind its rows (its record), pointing at
    “汇总表 ← 原来源文件”: as a Shanxi city carries its counties' (merge.lower). Not those of a row not taken
    here (the base's own application is in this batch and is checked itself), nor those on the lower 汇总表's
    own summary rows (this merge checks those rows again), nor those of its own merging."""
    summary = programme.layout("summary.yaml")["form"]
    batch = {r.sha256 for r in reads if r.sha256}
    out = []
    for r in reads:
        rec = r.record or {}
        if not r.ok or rec.get("programme") != programme.name:
            continue
        here = {str(s.get("file")) for s in rec.get("sources") or () if s.get("sha256") in batch}
        taken = {name_key(str(x.get("_base") or "")) for x in rows if x.get("_file") == r.path}
        for d in rec.get("problems") or ():
            if d.get("rule") in _NOT_CARRIED or d.get("severity") not in SEVERITIES or d.get("form") == summary:
                continue
            if str(d.get("file") or "").split(ORIGIN_SEP)[0] in here:
                continue
            if d.get("base") and name_key(str(d["base"])) not in taken:
                continue
            out.append(carried_problem(r.path, d))
    return out


def _superseded(problems: list[Problem], files: set[str], homes: dict[str, str], noun: str) -> list[Problem]:
    """Problems of an application the merge did not adopt (a resubmission replaced it), as notes: they do not
    count against its unit, and the record of the round holds the adopted file's only."""
    if not files:
        return problems
    return [replace(p, severity=INFO, message=superseded_note(noun) + p.message)
            if homes.get(p.file, p.file) in files and p.severity != INFO else p for p in problems]


def _source(spec: dict, sub: Submission, row: dict, helpers: dict) -> Any:
    if "field" in spec:
        form_id, key = spec["field"].split(".", 1)
        vals = sub.values(form_id, key, spec.get("row"))
        got = [v.value for v in vals if v.value is not None]
        return got[-1] if got else None
    if "count" in spec:
        return sum(t.n_rows for t in sub.of(spec["count"]))
    if "sum" in spec:
        form_id, key = spec["sum"].split(".", 1)
        total = 0.0
        for t in sub.of(form_id):
            if key in t.data.columns:
                total += sum(float(v) for v in t.data[key] if isinstance(v, (int, float)) and not isinstance(v, bool))
        return int(total) if total.is_integer() else round(total, 6)
    if "join" in spec:
        form_id, key = spec["join"].split(".", 1)
        where = spec.get("where")
        out = []
        for t in sub.of(form_id):
            for _, r in t.data.iterrows():
                if r.get(key) not in (None, "") and (not where or str(r.get(where) or "").strip()):
                    out.append(str(r[key]))
        return "、".join(dict.fromkeys(out))
    if "source" in spec:
        return Path(sub.file).name
    if "text" in spec:
        def sub_value(m: re.Match) -> str:
            v = row.get(m.group(1), helpers.get(m.group(1)))
            if isinstance(v, float) and v.is_integer():
                v = int(v)
            return "—" if v in (None, "") else str(v)
        return re.sub(r"\{(\w+)\}", sub_value, spec["text"])
    raise ValueError(f"summary.yaml: unknown column source {spec}")


def join_parts(programme, reads: list[WorkbookRead]) -> tuple[dict[str, str], list[Problem]]:
    """Parts of an application sent as files of their own (太原's 推荐表, filled by the recommending office): a
    file holding neither the form the 汇总表 takes a row from (`row_per`) nor the summary form, whose record
    forms name a base (identity base_name), joins the application in the batch naming the same base — by
    the name a person reads (merge.attach.core: the name without its place and kind words; a name found
    whole beats a part of it). Returns (file -> the application's file, one problem per such file: an info
    when joined, a warning when two applications fit equally; none when no application of the batch fits,
    the part then stands alone and its rules say what it lacks)."""
    from .attach import PART, WHOLE, Candidate, core, fit
    layout = programme.layout("summary.yaml")
    row_per, summary = layout["row_per"], layout["form"]
    applications: list[Candidate] = []
    parts: list[tuple[WorkbookRead, str]] = []
    for r in reads:
        if not r.ok or not r.tables:
            continue
        forms = {t.form_id for t in r.tables}
        name = _named(r)
        if row_per in forms:
            applications.append(Candidate(key=name_key(name), name=name, operator="", city=None, county=None,
                                          base_type=None, file=r.path, cores=(core(name) or fold(name),)))
        elif summary not in forms and name:
            parts.append((r, name))
    homes: dict[str, str] = {}
    problems: list[Problem] = []
    for r, name in parts:
        said = fold(name)
        level = {c.file: fit(said, c) for c in applications}
        best = max(level.values(), default=0)
        fits = [c for c in applications if best in (WHOLE, PART) and level[c.file] == best]
        titles = "、".join(dict.fromkeys(t.form.title for t in r.tables))
        if len(fits) == 1:
            homes[r.path] = fits[0].file
            problems.append(Problem(PART_ATTACHED, INFO,
                                    f"“{Path(r.path).name}”中的{titles}填写的是“{name}”，与“{Path(fits[0].file).name}”"
                                    f"的申报材料（{fits[0].name}）合在一起核对和汇总。", r.path, base=name))
        elif len(fits) > 1:
            problems.append(Problem(PART_BASE_UNCLEAR, WARNING,
                                    f"“{Path(r.path).name}”中的{titles}填写的是“{name}”，与"
                                    f"{'、'.join(f'“{c.name}”' for c in fits)}的申报材料都对得上，无法确定属于哪一份，"
                                    "未合并核对；请在表中写明完整的单位名称。", r.path, base=name))
    return homes, problems


def _named(r: WorkbookRead) -> str:
    """The base a workbook names: a table's own base name, else one its title lines name
    ('耒阳市蔡伦科技创业园入驻中小微企业名单' -> '耒阳市蔡伦科技创业园'; merge.attach.named_base)."""
    from .attach import named_base
    own = next((str(t.base.get("name")) for t in r.tables if t.base.get("name")), "")
    return own or next((n for t in r.tables for _, text in t.heading if (n := named_base(text))), "")


def _summary_rows(programme, layout: dict, reads: list[WorkbookRead], homes: dict[str, str] | None = None,
                  unclear: frozenset[str] | set[str] = frozenset()):
    """Rows of the 汇总表 and of 入驻企业, problems of the merging, per file (rows read, rows merged), and the
    files not adopted (a base sent twice: the resubmission by its file name, else the later one, is taken).
    A part sent apart (`homes`) is read with its application's file; a firm list no application takes
    is read and not merged, with a warning (none more where `unclear` already says the part fits two)."""
    form = programme.form(layout["form"])
    firms_form = layout.get("firms")
    name_key_field = _name_field(programme)
    problems: list[Problem] = []
    counts: dict[str, tuple[int, int]] = {}
    listed: list[tuple[WorkbookRead, Table, int]] = []
    lower_firms: list[tuple[WorkbookRead, Table]] = []
    homes = homes or {}
    unit_said: set[str] = set()
    joined: dict[str, list[Table]] = {}
    for r in reads:
        if r.ok and r.path in homes:
            joined.setdefault(homes[r.path], []).extend(r.tables)
    applications: dict[str, list[tuple[Submission, dict]]] = {}
    for r in reads:
        if not r.ok:
            continue
        if r.path in homes:
            counts[r.path] = (0, 0)
            continue
        sub = Submission(r.path, r.tables + joined.get(r.path, []))
        counts[r.path] = (0, 0)
        if sub.of(layout["row_per"]):
            row = _application_row(layout, sub)
            unit_key = layout.get("unit")
            if unit_key in row and not row[unit_key]:       # a retyped application lacks our grey 所在县 line
                row[unit_key], how = _unit_named(layout, _unit_texts(programme, r.path, row.get(name_key_field)))
                unit_said.add(r.path)
                problems.append(_unit_note(programme, layout, r.path, row[unit_key], how, ""))
            row["_file"] = r.path
            row["_base"] = row.get(name_key_field)
            applications.setdefault(name_key(row.get(name_key_field) or Path(r.path).stem), []).append((sub, row))
        else:
            for t in sub.of(firms_form or ""):
                if "_base_name" in t.data.columns:
                    lower_firms.append((r, t))
                elif t.n_rows:
                    counts[r.path] = (counts[r.path][0] + t.n_rows, counts[r.path][1])
                    if r.path not in unclear:
                        problems.append(_list_alone(programme, layout, r, t))
        for t in sub.of(form.id):
            listed += [(r, t, i) for i in t.data.index]
    own: dict[str, dict] = {}
    adopted: set[str] = set()
    superseded: set[str] = set()
    for k, subs in applications.items():
        ranked = sorted(enumerate(subs), key=lambda e: (revision_rank(Path(e[1][0].file).name), e[0]))
        win_sub, win = ranked[-1][1]
        own[k] = win
        adopted.add(win_sub.file)
        for _, (lose_sub, _lost) in ranked[:-1]:
            superseded.add(lose_sub.file)
            why = ("重新报送的一份（按文件名）优先于原件" if revision_rank(Path(lose_sub.file).name)
                   != revision_rank(Path(win_sub.file).name) else "取后读到的一份")
            problems.append(Problem(DUPLICATE_BASE, WARNING,
                                    f"{programme.noun}“{win.get(name_key_field)}”在“{Path(lose_sub.file).name}”和"
                                    f"“{Path(win_sub.file).name}”中各报送一次；汇总表采用后者（{why}），前者的问题仅作提示。"
                                    "请核实哪一份为准。", lose_sub.file, base=str(win.get(name_key_field) or "")))
    rows: list[dict] = []
    firms: list[dict] = []
    for subs in applications.values():
        for sub, row in subs:
            taken = sub.file in adopted
            n_read, n_merged = counts[sub.file]
            if taken:
                rows.append(row)
            n_read, n_merged = n_read + 1, n_merged + taken
            for t in sub.of(firms_form) if firms_form else ():
                home = t.file or sub.file       # a list sent in a file of its own is that file's rows
                if home == sub.file:
                    n_read, n_merged = n_read + t.n_rows, n_merged + t.n_rows * taken
                else:
                    was_read, was_merged = counts.get(home, (0, 0))
                    counts[home] = (was_read + t.n_rows, was_merged + t.n_rows * taken)
                if taken:
                    firms += [{**{c: fr[c] for c in t.data.columns if not c.startswith("_")},
                               "_base": row.get(name_key_field), "_file": home, "_sheet": t.sheet,
                               "_row": int(fr["_row"])} for _, fr in t.data.iterrows()]
            counts[sub.file] = (n_read, n_merged)
    rows.sort(key=lambda x: [r.path for r in reads].index(x["_file"]))
    for r, t, i in listed:          # a unit's own 汇总表: its rows, unless the base's own submission is here
        values = {k: t.data.at[i, k] for k in t.data.columns if not k.startswith("_")}
        k = name_key(values.get(name_key_field) or "")
        n_read, n_merged = counts[r.path]
        row_no = int(t.data.at[i, "_row"])
        if k and k in own:
            problems.append(Problem(DUPLICATE_BASE, INFO,
                                    f"{form.title}第{row_no}行“{values.get(name_key_field)}”的申报材料"
                                    f"（{Path(own[k]['_file']).name}）也在本次输入中，汇总表{'和入驻企业' if firms_form else ''}按申报材料填写。",
                                    r.path, t.sheet, t.cell(name_key_field, row_no), form.id, name_key_field,
                                    str(values.get(name_key_field))))
            counts[r.path] = (n_read + 1, n_merged)
            continue
        unit_key = layout.get("unit")     # who reports, when the row does not say: the 填报单位 line, the file
        if unit_key in form.keys and not values.get(unit_key):
            values[unit_key], how = _unit_named(layout, _unit_texts(programme, r.path, values.get(name_key_field),
                                                                     t.org_line))
            if (how or not values[unit_key]) and r.path not in unit_said:      # the 填报单位 line is what it is for
                unit_said.add(r.path)
                problems.append(_unit_note(programme, layout, r.path, values[unit_key], how, t.sheet))
        values["_file"] = r.path
        values["_row"] = row_no
        values["_base"] = values.get(name_key_field)
        for key, spec in (layout.get("columns") or {}).items():   # 来源文件: the 汇总表 it came in
            if "source" in spec:
                values[key] = values.get(key) or Path(r.path).name
        rows.append(values)
        own[k or f"{r.path}:{row_no}"] = values
        counts[r.path] = (n_read + 1, n_merged + 1)
    for r, t in lower_firms:
        firms += _lower_firms(r, t, set(applications), counts)
    return rows, firms, problems, counts, superseded


def _application_row(layout: dict, sub: Submission) -> dict[str, Any]:
    """The 汇总表 row the summary layout makes of one application: its columns, the text ones last."""
    columns: dict = layout.get("columns") or {}
    row: dict[str, Any] = {}
    helpers: dict[str, Any] = {}
    for key, spec in (layout.get("values") or {}).items():
        helpers[key] = _source(spec, sub, row, helpers)
    for key, spec in columns.items():
        if "text" not in spec:
            row[key] = _source(spec, sub, row, helpers)
    for key, spec in columns.items():
        if "text" in spec:
            row[key] = _source(spec, sub, row, helpers)
    return row


def _name_field(programme) -> str:
    """The summary form's column naming the base (identity base_name), else its first column."""
    form = programme.form(programme.layout("summary.yaml")["form"])
    return next((f.key for f in form.table_fields if f.identity == BASE_NAME), form.table_fields[0].key)


def _list_alone(programme, layout: dict, r: WorkbookRead, t: Table) -> Problem:
    """A firm list sent without the application it belongs to (a file of its own naming a base the batch
    has no application of, or naming none): its rows are read, not merged, and said so, with what decides."""
    from .attach import firm_names
    app = programme.form(layout["row_per"]).title
    noun = programme.noun
    name = _named(r)
    said = f"写明的{noun}是“{name}”，" if name else f"没有写明所属{noun}，"
    key = FIRM_NAME if FIRM_NAME in t.data.columns else t.form.table_fields[0].key
    return Problem(FIRMS_BASE_UNCLEAR, WARNING,
                   f"{t.form.title}（文件“{Path(r.path).name}”工作表“{t.sheet}”，{t.n_rows} 行）{said}本批材料中没有与之"
                   f"对应的{app}，其中的企业（{firm_names(t)}）未计入汇总；请与该{noun}的{app}一并报送，"
                   f"或在名单标题中写明与{app}一致的{noun}名称后重新汇总。",
                   r.path, t.sheet, t.cell(key, t.header_row) if t.header_row else "", t.form_id,
                   base=name, value=t.n_rows)


def _lower_firms(r: WorkbookRead, t: Table, applicants: set[str], counts: dict[str, tuple[int, int]]) -> list[dict]:
    """The 入驻企业 rows of a lower level's 汇总表, each with its base (所属基地) and the place it was first read
    (来源文件, 工作表, 行号). A base whose own submission is in the batch takes its list from there (that base's
    duplicate-base note says so): its rows here are read, not merged."""
    out = []
    n_read, n_merged = counts[r.path]
    for i in t.data.index:
        base = t.data.at[i, "_base_name"]
        n_read += 1
        if name_key(base or "") in applicants:
            continue
        fr = t.data.loc[i]
        src, sheet, row = fr.get("_src"), fr.get("_src_sheet"), fr.get("_src_row")
        out.append({**{c: fr[c] for c in t.data.columns if not c.startswith("_")}, "_base": base,
                    "_file": src or r.path, "_sheet": sheet or t.sheet, "_row": _whole(row) or int(fr["_row"])})
        n_merged += 1
    counts[r.path] = (n_read, n_merged)
    return out


def _whole(v: Any) -> int | None:
    """A row number as read (an int, a numpy int, a float), None for a blank (NaN)."""
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


def _unit_texts(programme, path: str, name: object, org_line: str = "") -> list[tuple[str, object]]:
    """Where a row's reporting unit may be named, in the order a person looks: its 填报单位 line, the file's
    name, its folders (nearest first), the row's own name."""
    p = Path(path)
    return [("", org_line), ("文件名", p.stem), *(("文件夹", part) for part in reversed(p.parent.parts[-3:])),
            (f"{programme.noun}名称", name)]


def _unit_named(layout: dict, texts: list[tuple[str, object]]) -> tuple[str | None, str]:
    """The first unit of the layout's list a text names (填报单位：衡南县工信局, a folder 衡南县, a file
    衡南县推荐汇总表, a base 衡南县云集众创空间 -> 衡南县), and how it was found ("" for the 填报单位 line,
    which is what that line is for; 文件夹“衡南县” otherwise)."""
    units = value_list(layout["units"]) if layout.get("units") else ()
    for how, text in texts:
        if isinstance(text, str) and (hit := next((u for u in units if u in text), None)):
            return hit, f"{how}“{text}”" if how else ""
    return None, ""


def _unit_note(programme, layout: dict, path: str, unit: str | None, how: str, sheet: str) -> Problem:
    """One problem per file whose rows' unit the form does not give: an info when it was taken from where the
    file came (`how`), a warning when nothing names it (the 汇总表's cell stays blank, 各县情况 （未填写）)."""
    label = programme.form(layout["form"]).field(layout["unit"]).label
    name = Path(path).name
    if unit is None:
        return Problem(UNIT_FROM_PLACE, WARNING, f"“{name}”中没有填写{label}，文件名和所在文件夹也没有写明，汇总表中该栏空白，"
                       f"“各县情况”计入“（未填写）”；请在表中填写{label}，或把文件放进以该单位命名的文件夹后重新汇总。",
                       path, sheet)
    return Problem(UNIT_FROM_PLACE, INFO, f"“{name}”中没有填写{label}，按{how}归入{unit}；如有误，请在表中填写。",
                   path, sheet, value=unit)


def return_units(programme, checked: Checked, by_base: bool | None = None, pack: RulePack | None = None
                 ) -> dict[str, tuple[list[str], list[Problem]]]:
    """Who gets what back (mark.return_pack.write_units_pack): unit -> (the files it sent, their problems),
    for every unit with an error or a warning (not counting the pack's notes for the officer: kind attest).
    The unit is the summary layout's reporting unit (`unit`: 县市区) of
    the rows a file gave; at a level merging one unit's material (`by_base`; None: when all rows name one unit,
    as a county merging its own bases) each base is a unit.
    A file that gave no row (unreadable, no form) goes back under its own name."""
    layout = programme.layout("summary.yaml")
    name_key_field = _name_field(programme)
    unit_key = layout.get("unit")
    if by_base is None:
        by_base = len({str(r.get(unit_key) or "") for r in checked.rows}) <= 1
    of_file: dict[str, list[str]] = {}
    for r in checked.rows:
        who = r.get(name_key_field) if by_base else r.get(unit_key)
        of_file.setdefault(r["_file"], []).append(str(who or Path(r["_file"]).stem))
    out: dict[str, tuple[list[str], list[Problem]]] = {}
    for p in checked.problems:
        if not p.file:
            continue
        sent = p.file.split(ORIGIN_SEP)[0]        # a problem carried from a 汇总表: the 汇总表 is what was sent
        for who in dict.fromkeys(of_file.get(sent) or [Path(sent).stem]):
            files, problems = out.setdefault(who, ([], []))
            if sent not in files:
                files.append(sent)
            problems.append(p)
    officer = officer_notes(pack.rules) if pack is not None else set()
    return {u: out[u] for u in sorted(out)
            if any(p.severity in (ERROR, WARNING) and p.rule not in officer for p in out[u][1])}
