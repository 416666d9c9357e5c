"""Read a workbook by another programme's form set (衡阳, 太原, a city's own call): no Shanxi literal here.

Which programme a file belongs to is told by the titles its sheets show (xlbase.programmes.recognise),
else it is the one the command runs under. Its table forms are found by the same header matcher as
Shanxi's (read.tables, given the programme's families), its record forms by the same label reader
(read.records); a file is one submission, so every table gets the identity its record forms state.
A programme's 汇总表 form lists one base per row: each row names its own.
"""

from __future__ import annotations

from dataclasses import replace

from pathlib import Path

from .. import sheet_names
from ..identity import name_key
from ..forms.roles import BASE_NAME, BASE_TYPE, CITY, COUNTY, OPERATOR
from ..problems import ERROR, INFO, Problem
from ..table import Table, WorkbookRead
from ..text import fold
from .grid import Sheet
from .records import find_record
from .record_evidence import MIN_LINES, RECOGNISE_EVIDENCE, evidence, named_or_titled, rivals, states_something
from .tables import find_tables
from .failed import read_failed, unusable
from .sheet_tables import fill_record, firm_provenance, is_guide, table_from, unread_sheet_problem
from ..problem_codes import NO_BASE, PROGRAMME_RECOGNISED, UNREAD_SHEET
from .no_base import no_base_table

RECORD_MIN_LINES = 3        # lines its values are on before a file counts as an application (no 汇总表)


def reading_programme(path: str, sheets: list[Sheet]):
    """(programme to read by, programme recognised or None, info problems saying so)."""
    from ..forms.programmes import active, recognise
    chosen = active()
    found, title = recognise(sheets)
    if found is None:
        return chosen, None, []
    said = []
    if found.generic:
        said.append(Problem(PROGRAMME_RECOGNISED, INFO,
                            f"文件“{Path(path).name}”中有“{title}”，按“{found.title}”（{found.name}）的表格读取。",
                            file=path))
    return found, found, said


def read_programme_book(programme, recognised, path: str, sheets: list[Sheet], check, notes: list[Problem]
                        ) -> WorkbookRead:
    """Every form of `programme` in `sheets`, as read_workbook returns them (never raises for bad input)."""
    name = Path(path).name
    summary = (programme.layout("summary.yaml") or {}).get("form")     # what a unit's "none this year" answers
    try:
        tables, problems = read_programme_sheets(programme, path, sheets, check.kind or "")
    except MemoryError:
        return read_failed(path, "read-memory", sha=check.sha256)
    except Exception:   # a reader bug must not stop the batch
        return unusable(path, "read-failed", f"文件“{name}”读取时出错，未能读取；请另存为 .xlsx 后重新报送。",
                         check.sha256)
    if tables and _unfilled(tables):     # the template sent back as it came: nothing to report, no 40 blanks
        forms = "、".join(dict.fromkeys(t.form.title for t in tables))
        p = Problem(NO_BASE, INFO, f"表格（{forms}）都没有填写内容：按“本年度没有申报”读取，{programme.noun}数为 0。",
                    path, tables[0].sheet, "", tables[0].form_id)
        # its empty 汇总表 stays (no row, no blank to report): its 填报单位 line names the unit that answered
        return WorkbookRead(path=path, status="ok", problems=notes + [p], sha256=check.sha256,
                            tables=[t for t in tables if t.form_id == summary],
                            programme=recognised.name if recognised is not None else programme.name)
    answer = no_base_table(path, sheets, summary, programme.noun) if not tables and summary else None
    if answer is not None:      # "我区今年无推荐平台" under the 汇总表's title: the unit's answer, not an unreadable file
        return WorkbookRead(path=path, status="ok", problems=notes + [answer[1]], sha256=check.sha256,
                            tables=[answer[0]], programme=recognised.name if recognised is not None else programme.name)
    if not tables:
        forms = "、".join(f.title for f in programme.forms.values())
        wr = unusable(path, "no-form", f"文件“{name}”中没有找到“{programme.title}”的表格（{forms}）；"
                       "请确认报送的是本项目的申报材料，且表头栏目名称与通知中的表格一致。", check.sha256)
        wr.problems += [p for p in problems if p.rule == UNREAD_SHEET]
        wr.programme = recognised.name if recognised is not None else None
        return wr
    problems = notes + problems
    status = "partial" if any(p.severity == ERROR for p in problems) else "ok"
    return WorkbookRead(path=path, status=status, tables=tables, problems=problems, sha256=check.sha256,
                        programme=recognised.name if recognised is not None else programme.name,
                        record=_record(sheets), marked=sheet_names.holds_marks(sheets))


def _record(sheets: list[Sheet]) -> dict | None:
    """The machine record of a 汇总表 xlbase wrote (its very hidden sheet): the problems a county found in
    the applications behind its rows, which its city's merge carries (merge.programme)."""
    from .. import sheet_names, summary_record
    return next((summary_record.from_cells(s.rows) for s in sheets if s.name == sheet_names.SUMMARY_RECORD), None)


def read_programme_sheets(programme, path: str, sheets: list[Sheet], kind: str) -> tuple[list[Table], list[Problem]]:
    from .. import sheet_names
    forms = programme.forms
    records = [fid for fid, f in forms.items() if f.kind == "record"]
    ours = sheet_names.is_xlbase_output([s.name for s in sheets])
    readable = [s for s in sheets if s.visible and not is_guide(s.name)
                and not (ours and s.name in sheet_names.REPORT_SHEETS)]
    summary = (programme.layout("summary.yaml") or {}).get("form")
    families = tuple(fid for fid, f in forms.items() if f.kind == "table"
                     and not (fid == summary and _is_application(readable, forms, records)))
    titles = {fold(f.title.replace("{year}", "")) for f in forms.values()}
    tables: list[Table] = []
    problems: list[Problem] = []
    for sheet in readable:
        n_tables = len(tables)
        used: set[int] = set()
        top = 0
        for ft in _tables(sheet, families, records, titles):
            used.update(range(ft.header_rows[0], ft.end_row))
            tables.append(table_from(path, sheet, ft, ft.family, kind, problems, top))
            top = ft.end_row
        for fid in records:
            rec = find_record(sheet, fid, skip=used)
            if rec is not None and _belongs(sheet, programme, forms[fid], rec, used):
                t = Table(form_id=fid, file=path, sheet=sheet.name)
                fill_record(path, sheet, t, rec, problems)
                tables.append(t)
                used.update(rec.rows)
        if len(tables) == n_tables:
            problems.extend(p for p in [unread_sheet_problem(path, sheet)] if p)
    if ours:
        tables += _lower_firms(programme, path, sheets, kind, problems)
    _assign_base(tables)
    return tables, problems


def _lower_firms(programme, path: str, sheets: list[Sheet], kind: str, problems: list[Problem]) -> list[Table]:
    """The 入驻企业 sheet of a 汇总表 xlbase wrote (a county's, merged again by its city): the programme's firm
    list, each row naming its base (所属基地) and where it was first read (来源文件, 工作表, 行号), as
    `_base_name`, `_src`, `_src_sheet`, `_src_row` (merge.programme gives each row back to its base)."""
    from .. import sheet_names
    firms = (programme.layout("summary.yaml") or {}).get("firms")
    out: list[Table] = []
    for sheet in sheets:
        if not firms or sheet.name != sheet_names.FIRMS or not sheet.visible:
            continue
        for ft in find_tables(sheet, (firms,)):
            ours_extra, ft.extra = dict(ft.extra), {}       # our own columns are not unknown ones
            t = table_from(path, sheet, ft, firms, kind, problems)
            firm_provenance(t, sheet, ft, ours_extra)
            out.append(t)
    return out


def _unfilled(tables: list[Table]) -> bool:
    """No record value and no table row with more than the one value a template writes in it (its year or
    service item): a template nobody filled in."""
    for t in tables:
        if any(v not in (None, "") for v in t.record.values()):
            return False
        keys = [c for c in t.data.columns if not str(c).startswith("_")]
        for _, row in t.data.iterrows():
            if sum(1 for k in keys if row[k] not in (None, "")) > 1:
                return False
    return True


def _belongs(sheet: Sheet, programme, form, rec, used: set[int]) -> bool:
    """A record form found on a sheet is that form when the sheet is named for it or shows its title (one line of it
    is enough then), or when its lines weigh enough as evidence (read.record_evidence: lines other calls' forms do
    not have weigh most) and no other record form, of the programme or another call, explains the sheet better
    (more of its lines, weighing more): a few shared labels (联系人, 联系电话) on another form's sheet, or a contact
    block with nothing but names and phones, do not make one; a base's eight core lines in its own words do."""
    if named_or_titled(sheet, form):
        return True
    need = min(MIN_LINES, len(form.record_fields))
    own = evidence(form, rec.values)
    if len(rec.values) < need or own < min(RECOGNISE_EVIDENCE, evidence(form, [f.key for f in form.record_fields])) \
            or not states_something(form, rec.values):
        return False
    for other in rivals(form, programme.forms):    # another form it is more of: more lines, more weight
        got = find_record(sheet, other.id, skip=used, min_fields=len(rec.values) + 1)
        if got is not None and evidence(other, got.values) > own:
            return False
    return True


def _is_application(sheets: list[Sheet], forms: dict, records: list[str]) -> bool:
    """A file holding one of the programme's record forms is one applicant's submission, never a unit's
    汇总表: the summary form is not looked for in it. (Its columns may be the application's own labels —
    太原's 附件3 is derived from the 申请表 — so a line of the 申请表 holding several labels would pass for its
    header.) A record is label–value pairs down the sheet, each value beside its label, on several lines;
    a line of labels over one line of values (a 汇总表's header and row) is no record, nor are several such pairs
    of lines (two counties' 推荐汇总表 pasted one under the other)."""
    for sheet in sheets:
        for fid in records:
            rec = find_record(sheet, fid, skip=set(), min_fields=min(MIN_LINES, len(forms[fid].record_fields)))
            if rec is not None and len(_lines_beside(rec)) >= RECORD_MIN_LINES:
                return True
    return False


def _lines_beside(rec) -> set[int]:
    """The rows on which a found record's value stands beside its label (or in its cell: "联系人：王芳"), not
    under it."""
    return {r for key, (r, _) in rec.cells.items() if rec.label_cells.get(key, (r, 0))[0] == r}


def _heading(row: list) -> bool:
    """A line holding one text only, a numbered heading: “三、平台服务能力及业绩”, “（二）运营情况”."""
    from .labels import _ORDINAL
    texts = [v for v in row if v != "" and v is not None]
    return len(texts) == 1 and type(texts[0]) is str and bool(_ORDINAL.match(texts[0].strip()))


def _caption(row: list, titles: frozenset[str] | set[str]) -> bool:
    """A line holding one text only, which is a form's title (folded)."""
    texts = [v for v in row if v != "" and v is not None]
    return len(texts) == 1 and type(texts[0]) is str and fold(texts[0]) in titles


def _tables(sheet: Sheet, families: tuple[str, ...], records: list[str], titles: set[str]) -> list:
    """find_tables, each table cut where the record or the next caption takes over (_end_at_record_label); the
    rows a cut table had taken are searched again, so the table under them is found (the partners' table under
    a clerk's own caption, once taken for more rows of 近两年运营情况)."""
    out = []
    pending = find_tables(sheet, families) if families else []
    while pending:
        ft = pending.pop(0)
        stop = ft.end_row
        _end_at_record_label(sheet, ft, records, titles)
        out.append(ft)
        if ft.end_row < stop:     # the same rows, numbered as in the sheet, with nothing above the cut
            view = replace(sheet, rows=[[] for _ in range(ft.end_row)] + sheet.rows[ft.end_row:stop])
            pending[:0] = find_tables(view, families)
    return out


def _lone_after_blank(sheet: Sheet, r: int) -> bool:
    """A line holding one text only under a blank line: a caption in the clerk's words ("合作服务机构" over the
    partners' table retyped under 近两年运营情况), never a row of the table above."""
    texts = [v for v in sheet.rows[r] if v != "" and v is not None]
    return r > 0 and len(texts) == 1 and type(texts[0]) is str and not any(
        v != "" and v is not None for v in sheet.rows[r - 1])


def _end_at_record_label(sheet: Sheet, ft, records: list[str], titles: frozenset[str] | set[str] = frozenset()
                         ) -> None:
    """A table inside a record form ends where a row starts with one of the record's labels (服务情况
    followed by 获得专业服务资质情况 on paper), at the paper's next numbered heading (“三、…”), at a line
    holding only the title of one of the programme's forms (`titles`, folded: the next table's caption,
    合作服务机构情况 under 近两年运营情况), or at a lone text under a blank line (a caption in the clerk's own
    words): that row and the rest are the record's or the next table's."""
    from .labels import match_label
    # its data rows, and the rows after them the table still spans (a list left blank holds none, and its
    # end may run over the record's line: 太原's 上一年度共服务企业 under an empty 服务企业名单)
    after = (ft.data_rows[-1] if ft.data_rows else max(ft.header_rows)) + 1
    for r in [*ft.data_rows, *range(after, min(ft.end_row, sheet.n_rows))]:
        first = next((v for v in sheet.rows[r] if type(v) is str and v.strip()), None)
        if first is not None and (_heading(sheet.rows[r]) or _caption(sheet.rows[r], titles)
                                  or _lone_after_blank(sheet, r)
                                  or any(match_label(first, fid, "record") for fid in records)):
            ft.data_rows[:] = [d for d in ft.data_rows if d < r]
            ft.total_rows = [t for t in ft.total_rows if t < r]
            ft.end_row = r
            return


def _assign_base(tables: list[Table]) -> None:
    """One file is one submission: the identity its record forms state (base name, county) goes on every
    table; a table form whose rows each name a base (a 汇总表) is left to name them itself."""
    ident: dict = {}
    for t in tables:
        for role, f in t.form.identity_fields.items():
            if f.part == "record" and t.record.get(f.key) not in (None, ""):
                ident.setdefault(role, t.record[f.key])
    name = ident.get(BASE_NAME)
    base = {"key": name_key(str(name)) if name else "", "name": name, OPERATOR: ident.get(OPERATOR),
            CITY: ident.get(CITY), COUNTY: ident.get(COUNTY), BASE_TYPE: ident.get(BASE_TYPE)}
    for t in tables:
        t.base = dict(base)
