"""Merge core: base rows and firm rows from many reads into one deduplicated set.

Pure data in, data out (no files written, nothing printed), so it is tested on
hand-built Tables. Every data row read ends either merged or rejected with a
Problem that names it; `MergeResult.check_accounting()` asserts that.

Which rows count (`row_tables`, the one definition; `xlbase validate` reports the same
rows_read): base rows are 附件10 rows of applicant workbooks (or, when an applicant
workbook has no 附件10, its 附件2 record) and 附件11 rows of summary tables; firm rows
are 附件3 rows (of a lower level's 汇总表 of ours: its 入驻企业 rows). 附件4 comparables,
and a 附件2 next to a 附件10, are supporting evidence for validation: not merged, not counted.

Rows of a lower level's 汇总表 of ours keep their original file, sheet and row
(`BaseRow.origin`, `FirmRow.file` = “汇总表 ← 原来源文件”, see merge.lower), so that
merging counties' 汇总表s gives the problems merging their sources would give.

Duplicate rule (the same `identity.base_key(name, operator)` from two rows, a base spelled
with and without its place counting as one, see `same_base_aliases`):
  1. a row from an applicant workbook beats a row of a 附件11 汇总表;
  2. then the resubmission, by its file name (“…(修改)”, “…0820”, “Re_…”, “…v2”; a “（1）”
     or “副本” copy loses to its original; see merge.revision);
  3. then the row in the list of the base's own county (a base a neighbour listed by mistake);
  4. then the more complete row (more official columns filled);
  5. then the file whose path sorts last, then the later row in that file.
The losers are rejected with a `duplicate-base` warning naming both sources; the problems
found in what was not adopted become notes (`superseded_problems`).
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterable


from ..forms.roles import (BASE_FORM, BASE_NAME, BASE_TYPE, CITY, COUNTY, FIRM_FORM, OPERATOR,
                           RECORD_FORM, SOURCE_FILE)
from ..forms import SUMMARY_FORM, get_form
from ..identity import base_key
from ..problems import ERROR, INFO, WARNING, Problem
from ..table import Table, WorkbookRead
from ..text import fold
from .places import DIVISIONS, Places, places_for
from .lower import MISSING, ORIGIN_SEP, origin
from ..problem_codes import (DUPLICATE_BASE, MERGE_FIRMS_UNATTACHED, MERGE_SAMPLE_ROW, MERGE_UNNAMED_BASE)
from .conflicts import base_conflicts
from .cross_checks import duplicate_enterprises, incomplete_totals
from .dedupe import copied_from, same_base_aliases, why_adopted, winner_sort_key
from .firm_owners import FirmTable, attach_firms, firm_columns, firm_owners, firm_table
from .row_places import base_place, folder_places, reporter_of, section_place, typed_places, unit_of
from .rows import APPLICANT, SUMMARY, BaseRow, FileAccount, FirmRow, MergeResult, display_names, place_order
from .table_rows import (BASE_RECORD, BASE_ROWS, clean, data_rows, is_sample_name, is_text, record_estimates,
                         row_numbers, row_tables, row_values, table_records, tidy_name, typed_estimates)


def _lacking(t: Table, carried: Any = None) -> tuple[str, ...]:
    """The official numeric 附件11 columns a base row's table lacks: a missing column of a 附件10/11, or the
    columns 附件2 has no line for when it stands in for a missing 附件10. Their 汇总 is incomplete. A row of
    a lower level's 汇总表 also lacks what its source lacked (`carried`, from that 汇总表's record)."""
    form = get_form(SUMMARY_FORM)
    if t.form_id == RECORD_FORM:
        have = set(t.form.keys)
        return tuple(f.key for f in form.official_table_fields if f.is_numeric and f.key not in have)
    missing = set(t.missing_fields) | set(carried if isinstance(carried, (tuple, list)) else ())
    return tuple(f.key for f in form.official_table_fields if f.is_numeric and f.key in missing)


def _candidate_rows(reads: list[WorkbookRead], places: Places = DIVISIONS
                    ) -> tuple[list[BaseRow], list[FirmTable], list[Problem]]:
    """Every base row and firm table read, and where a row's typed county and its folder disagree;
    `BaseRow.file_order` is set by the caller."""
    bases: list[BaseRow] = []
    problems: list[Problem] = []
    firms: list[FirmTable] = []
    a11 = get_form(SUMMARY_FORM)
    a11_keys = set(a11.keys)
    a11_figures = {f.key for f in a11.official_table_fields if f.is_numeric or f.type == "date"}
    for wr in reads:
        # identity from 附件2 of this workbook, for 附件10 cells that are formulas read as 0
        a2 = next((t.record for t in wr.tables if t.form_id == RECORD_FORM and is_text(t.record.get(BASE_NAME))), {})
        a2_ident = {"name": tidy_name(a2.get(BASE_NAME)), OPERATOR: tidy_name(a2.get(OPERATOR)),
                    CITY: a2.get(CITY), COUNTY: a2.get(COUNTY), BASE_TYPE: a2.get(BASE_TYPE)}
        rekey: dict[str, str] = {}
        first_row = len(bases)
        for t, role in row_tables(wr):  # base rows first (rekey)
            if role == BASE_ROWS:
                kind = APPLICANT if t.form_id == BASE_FORM else SUMMARY
                records = table_records(t)
                sheet_rows = row_numbers(t, [rec.get("_row") for rec in records], len(records))
                estimates = typed_estimates(t, a11_figures)
                for rec, row, typed in zip(records, sheet_rows, estimates):
                    vals = {k: v for k, v in row_values(rec).items() if k in a11_keys}
                    if kind == APPLICANT:  # the workbook's identity fills what 附件10 lacks
                        for k in (CITY, COUNTY, BASE_TYPE):
                            vals.setdefault(k, clean(t.base.get(k)))
                            if vals[k] is None:
                                vals[k] = clean(t.base.get(k))
                    for k in (BASE_NAME, OPERATOR):
                        vals[k] = tidy_name(vals.get(k))
                        if kind == APPLICANT and not is_text(vals[k]):
                            # 附件10 names often are formulas on 附件2; a lost cache reads as 0
                            ident = "name" if k == BASE_NAME else k
                            for alt in (tidy_name(clean(t.base.get(ident))), a2_ident[ident]):
                                if is_text(alt):
                                    vals[k] = alt
                                    break
                    if kind == APPLICANT:
                        for k in (CITY, COUNTY, BASE_TYPE):
                            if not is_text(vals.get(k)) and is_text(a2_ident[k]):
                                vals[k] = a2_ident[k]
                    vals.pop(SOURCE_FILE, None)
                    src = rec.get("_src")
                    carried = src if isinstance(src, str) else ""
                    key = rec.get("_base")
                    if not key or str(key) == "|":
                        key = t.base.get("key") if kind == APPLICANT and len(t.data) == 1 else None
                    if not key or str(key) == "|":
                        key = base_key(vals.get(BASE_NAME), vals.get(OPERATOR))
                    proper = base_key(vals.get(BASE_NAME), vals.get(OPERATOR))
                    if kind == APPLICANT and str(key) != proper and not is_text(t.base.get("name")):
                        rekey[str(key)] = proper
                        key = proper
                    section_place(vals, rec.get("_section"), places)
                    city, county = base_place(vals, t, wr.path, places)
                    vals[CITY], vals[COUNTY] = city, county
                    where = (t.sheet, row, t.cell(BASE_NAME, row))
                    if carried:   # the place of the row the lower level took
                        where = (str(rec.get("_src_sheet") or ""), int(rec.get("_src_row") or 0),
                                 str(rec.get("_src_cell") or ""))
                    bases.append(BaseRow(str(key), vals, city, county, wr.path, where[0], where[1], kind,
                                         0, carried, where[2], reporter_of(t, wr.path, kind, places), (t.sheet, row),
                                         unit_of(county, t, wr.path, rec.get("_section")),
                                         lacking=_lacking(t, rec.get("_lacking")),
                                         typed=typed or None, columns=t.columns))
            elif role == BASE_RECORD:
                vals = {k: clean(v) for k, v in t.record.items() if k in a11_keys}
                for k in (BASE_NAME, OPERATOR, CITY, COUNTY, BASE_TYPE):
                    if vals.get(k) is None and clean(t.base.get(k)) is not None:
                        vals[k] = clean(t.base.get(k))
                for k in (BASE_NAME, OPERATOR):
                    vals[k] = tidy_name(vals.get(k))
                key = t.base.get("key") or base_key(vals.get(BASE_NAME), vals.get(OPERATOR))
                city, county = base_place(vals, t, wr.path, places)
                vals[CITY], vals[COUNTY] = city, county
                bases.append(BaseRow(str(key), vals, city, county, wr.path, t.sheet, 0, APPLICANT,
                                     0, "", t.record_cells.get(BASE_NAME, ""), reporter_of(t, wr.path, APPLICANT, places),
                                     unit=unit_of(county, t, wr.path), lacking=_lacking(t),
                                     typed=record_estimates(t, a11_figures) or None, record_cells=t.record_cells))
            else:
                firms.append(firm_table(t, wr.path, rekey))
        parted = {t.sheet for t in wr.tables if t.parts}
        if parted:      # one table's columns on two sheets (read.table_parts): each base's rows are one
            bases[first_row:] = join_part_rows(bases[first_row:], parted)
        if places.typed:
            problems += folder_places(wr, bases, places)
    return bases, firms, problems


def join_part_rows(rows: list[BaseRow], sheets: set[str]) -> list[BaseRow]:
    """`rows` (of one file) with the rows of one base from the parts of one table (on `sheets`) joined into the
    first: a value it lacks taken from the others (their sheets' cells are theirs), its typed estimates too."""
    out: list[BaseRow] = []
    first: dict[str, BaseRow] = {}
    for b in rows:
        k = fold(b.name)
        if b.sheet not in sheets or not k:
            out.append(b)
        elif k not in first:
            first[k] = b
            out.append(b)
        else:
            into = first[k]
            for key, v in b.values.items():
                if into.values.get(key) is None and v is not None:
                    into.values[key] = v
            if b.typed:
                into.typed = {**b.typed, **(into.typed or {})}
    return out


def merge_reads(reads: list[WorkbookRead], missing: Iterable[str] = ()) -> MergeResult:
    """Merge what was read into distinct bases and their firms; never raises for bad input.

    `missing`: arguments that named no file; each gets an account (status "missing", no rows),
    so the accounting covers every argument.
    """
    paths = sorted({wr.path for wr in reads})
    missing = [m for m in dict.fromkeys(missing) if m not in paths]
    display = display_names(paths + missing)
    accounts = {wr.path: FileAccount(wr.path, wr.status, wr.sha256) for wr in reads}
    places = places_for(lambda: typed_places(reads))
    cands, firm_tables, problems = _candidate_rows(reads, places)
    alias = same_base_aliases(cands)
    if alias:   # one base, spelled with and without its place: one key, so the duplicate rule applies
        for b in cands:
            b.key = alias.get(b.key, b.key)
        for ft in firm_tables:
            ft.keys = [alias.get(k, k) for k in ft.keys]
    order = {o: i for i, o in enumerate(sorted({b.origin for b in cands}))}
    for b in cands:
        b.file_order = order[b.origin]
        accounts[b.file].kinds.add(b.kind)
        if b.carried_source:
            display[b.origin] = f"{display[b.file]}{ORIGIN_SEP}{b.carried_source}"
    for ft in firm_tables:
        for s in set(ft.columns.get("_src", ())):
            display.setdefault(origin(ft.path, s), f"{display[ft.path]}{ORIGIN_SEP}{s}")

    for wr in reads:     # a county that answered "no base" (an empty table) is still a county that reported
        for t in wr.tables:
            if t.form_id == SUMMARY_FORM and t.data.empty and t.base.get(COUNTY) and wr.path in accounts:
                accounts[wr.path].units.add(str(t.base[COUNTY]))
    groups: dict[str, list[BaseRow]] = {}
    for b in cands:
        acc = accounts[b.file]
        acc.rows_read += 1
        acc.units.add(b.county)
        if not b.name:
            acc.rows_rejected += 1
            problems.append(Problem(
                MERGE_UNNAMED_BASE, ERROR,
                f"{b.where(display[b.origin])}没有填写基地名称，该行未计入汇总表；请补填基地名称后重新报送。",
                file=b.origin, sheet=b.sheet, cell=b.cell, form=SUMMARY_FORM, field=BASE_NAME))
            continue
        if is_sample_name(b.name):
            acc.rows_rejected += 1
            problems.append(Problem(
                MERGE_SAMPLE_ROW, WARNING,
                f"{b.where(display[b.origin])}是表格自带的示例行“{b.name}”，未计入汇总表；请删除该行。",
                file=b.origin, sheet=b.sheet, cell=b.cell, form=SUMMARY_FORM, field=BASE_NAME, value=b.name))
            continue
        groups.setdefault(b.key, []).append(b)

    winners: list[BaseRow] = []
    superseded: list[BaseRow] = []
    firms_per_base: dict[tuple[str, str], int] | None = None
    for key, rows in groups.items():
        ranked = sorted(rows, key=winner_sort_key, reverse=True)
        win = ranked[0]
        winners.append(win)
        accounts[win.file].rows_merged += 1
        for lose in ranked[1:]:
            accounts[lose.file].rows_rejected += 1
            superseded.append(lose)
            if firms_per_base is None:   # counted once, and only when some base was submitted twice
                firms_per_base = Counter((ft.path, k) for ft in firm_tables for k in ft.keys)
            lost_firms = firms_per_base[(lose.file, key)]
            extra = f"；该文件中该基地的 {lost_firms} 行入驻企业也未重复计入" if lost_firms and lose.file != win.file else ""
            problems.append(Problem(
                DUPLICATE_BASE, INFO if copied_from(lose, win) else WARNING,
                f"基地“{win.name}”重复报送：汇总表采用 {win.where(display[win.origin])}，"
                f"未采用 {lose.where(display[lose.origin])}{extra}。"
                "取舍规则：申报表优先于汇总表中的行，其次取填写更完整的一份，再次取文件名排序靠后的一份；请核实两份材料是否一致。",
                file=lose.origin, sheet=lose.sheet, cell=lose.cell, form=SUMMARY_FORM, field=BASE_NAME,
                base=win.name, value=display[win.origin]))
            problems += base_conflicts(win, lose, display, why_adopted(win, lose))

    winner_of = {b.key: b for b in winners}
    rejected = {b.key for b in cands if not b.name or is_sample_name(b.name)}
    owners, firm_only, found = firm_owners(firm_tables, winner_of, rejected, display, places)
    problems += found
    kept_firms: list[FirmRow] = []
    orphans: dict[tuple[str, str], int] = {}
    owner_rows = {**{b.key: b for b in firm_only}, **winner_of}     # a firm row's base, by its key
    for ft, names in zip(firm_tables, owners):
        kept = attach_firms(ft, names)
        acc = accounts[ft.path]
        acc.owners += [owner_rows[k] for k in dict.fromkeys(f.base_key for f in kept) if k in owner_rows]
        acc.rows_read += len(ft.keys)
        acc.rows_merged += len(kept)
        acc.rows_rejected += len(ft.keys) - len(kept)
        kept_firms += kept
        n_orphans = 0 if ft.table.base.get("unattached") or ft.table.base.get("attached") else \
            sum(1 for k in ft.keys if names.get(k) is None and k not in winner_of)
        if n_orphans:
            where = (ft.path, ft.table.sheet)
            orphans[where] = orphans.get(where, 0) + n_orphans
    for (file, sheet), n in sorted(orphans.items()):
        problems.append(Problem(
            MERGE_FIRMS_UNATTACHED, ERROR,
            f"{display[file]}（{sheet}）的 {n} 行入驻企业找不到所属基地（附件10/附件2 的基地名称缺失或无效），未计入汇总；"
            "请补全基地名称后重新报送。", file=file, sheet=sheet, form=FIRM_FORM))

    winners.sort(key=lambda b: (place_order(b.city, b.county), fold(b.name), b.key))
    base_order = {b.key: (place_order(b.city, b.county), fold(b.name)) for b in (*winners, *firm_only)}
    kept_firms.sort(key=lambda f: (base_order[f.base_key], f.file, f.sheet, f.row))
    # on the sorted rows: which occurrence comes first must not depend on how the files were grouped
    # (four counties' workbooks, or one city 汇总表 holding them all)
    problems += duplicate_enterprises(kept_firms, display)
    problems += incomplete_totals(winners, display)
    result = MergeResult(winners, kept_firms, problems,
                         [accounts[p] for p in paths] + [FileAccount(m, MISSING, None) for m in missing], display,
                         firm_columns(reads, firm_tables), superseded, firm_only, places)
    result.check_accounting()
    for wr in reads:
        assert accounts[wr.path].rows_read == data_rows(wr), f"rows_read of {wr.path} is not data_rows()"
    return result
