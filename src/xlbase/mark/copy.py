"""`xlbase mark`: the problems of a workbook, marked on their cells in a copy.

For WPS and LibreOffice users (no xlwings) and for officers returning a file
to a county. Each problem cell gets a clone of its own cell style filled in its
severity's light colour (a merged range: its top-left cell, the one that shows);
the original style index is recorded in a hidden sheet `_xlbase_marks` so
`clear_marks` (and a later re-mark) restores it exactly. A 校验结果 sheet
lists every problem with a link to its cell. Values are never touched, and
the package is patched at the XML level (see xlbase.ooxml) so validations,
VBA projects, buttons and merges survive.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Iterable

from xlbase.problems import Problem, sort_problems
from xlbase.ooxml.package import Package
from xlbase.cell_refs import expand_cells, parse_ref
from xlbase.ooxml.sheet import SheetDoc, read_cell_texts, sheet_xml
from xlbase.ooxml.styles import Styles
from xlbase.ooxml.workbook import Workbook, read_shared_strings
from xlbase.mark.marks import (MARK_FILLS, MARKS_HEADER, MARKS_SHEET, RESULT_SHEET, MarkRecord, first_cell,
                               problems_to_mark, result_rows, sheet_location)
from xlbase.safe_output import atomic_output, cell_text, check_output_path, is_formula_like
from xlbase.templates.printing import A4, MARGINS

TAB_RGB = "FFC00000"
MARK_SUFFIX = ".校验"
MAX_LINES = 50


@dataclass
class MarkResult:
    """What marking did: where it wrote, which cells it marked, what it could not place."""

    out: Path
    marked: list[tuple[str, str]] = field(default_factory=list)   # (sheet, A1)
    listed: int = 0                                               # rows in 校验结果
    unplaced: list[Problem] = field(default_factory=list)          # cell given, sheet/cell not found
    cleared: int = 0                                              # old marks removed first


def default_output(src: Path) -> Path:
    """NAME.校验.xlsx (or .xlsm) beside the input."""
    src = Path(src)
    suffix = src.suffix.lower() if src.suffix.lower() in (".xlsx", ".xlsm") else ".xlsx"
    return src.with_name(src.stem + MARK_SUFFIX + suffix)


# ---------------------------------------------------------------------------
# the package-level work
# ---------------------------------------------------------------------------


def _read_records(pkg: Package, wb: Workbook) -> tuple[list[MarkRecord], str]:
    ref = wb.find_sheet(MARKS_SHEET)
    if ref is None:
        return [], ""
    rows = read_cell_texts(pkg.read(ref.part), read_shared_strings(pkg, wb))
    records = [r for r in (MarkRecord.from_row(row) for row in rows[1:]) if r]
    result_name = next((row[6] for row in rows[1:2] if len(row) > 6 and row[6]), RESULT_SHEET)
    return records, result_name


def _open_sheet(pkg: Package, wb: Workbook, docs: dict[str, tuple[str, SheetDoc]], name: str) -> SheetDoc | None:
    if name in docs:
        return docs[name][1]
    ref = wb.find_sheet(name)
    if ref is None or ref.name in (MARKS_SHEET,) or not pkg.has(ref.part):
        return None
    doc = SheetDoc(pkg.read(ref.part))
    if doc.root.tag.rsplit("}", 1)[-1] != "worksheet":
        return None
    docs[name] = (ref.part, doc)
    return doc


def _clear(pkg: Package, wb: Workbook, styles: Styles, docs: dict) -> int:
    """Undo recorded marks and drop our two sheets; returns how many cells were restored."""
    if wb.find_sheet(MARKS_SHEET) is None:
        return 0  # never marked by us: a sheet the clerk named 校验结果 is theirs
    records, result_name = _read_records(pkg, wb)
    restored = 0
    for rec in reversed(records):
        doc = _open_sheet(pkg, wb, docs, rec.sheet)
        pos = parse_ref(rec.cell)
        if doc is None or pos is None:
            continue
        row, col = pos
        if rec.style is not None:
            restored += doc.restore(row, col, rec.style, rec.created)
        elif rec.fill:  # marked by Excel through xlwings: put the original fill back on the current xf
            cell = doc.find(row, col)
            if cell is not None:
                cur = int(cell.get("s") or 0)
                fill = "0" if rec.fill == "none" else str(styles.fill_id("FF" + rec.fill.lstrip("#").upper()))
                cell.set("s", str(styles.clone_xf(cur, fillId=fill)))
                restored += 1
    for name in (MARKS_SHEET, result_name):
        ref = wb.find_sheet(name) if name else None
        if ref is not None:
            wb.remove_sheet(ref)
            docs.pop(ref.name, None)
    return restored


def _unique_name(wb: Workbook, name: str) -> str:
    if wb.find_sheet(name) is None:
        return name
    n = 2
    while wb.find_sheet(f"{name}({n})") is not None:
        n += 1
    return f"{name}({n})"


def _result_sheet(problems: list[Problem], styles: Styles, rule_pack: str, when: datetime,
                  doc_sheets: dict[str, str], merged: dict[tuple[str, str], str] | None = None,
                  elsewhere: frozenset[int] = frozenset()) -> bytes:
    """校验结果; `elsewhere`: ids of problems about another file (a 汇总表's carried ones): listed, never linked."""
    header = styles.clone_xf(0, fontId=str(styles.font_id(0, bold=True)), applyFont="1")
    link = styles.clone_xf(0, fontId=str(styles.font_id(0, link=True)), applyFont="1")
    quoted = styles.clone_xf(0, quotePrefix="1")
    problems = sort_problems(problems)
    rows, header_row = result_rows(problems, rule_pack, when, merged)
    out_rows, links = [], []
    for r, row in enumerate(rows, 1):
        here = r <= header_row or id(problems[r - header_row - 1]) not in elsewhere
        cells = []
        for c, value in enumerate(row, 1):
            if isinstance(value, str):
                value = cell_text(value)
            style = header if r in (1, header_row) else 0
            if r > header_row and isinstance(value, str) and is_formula_like(value):
                style = quoted
            if r > header_row and c == 4 and value and row[2] in doc_sheets and here:
                style = link
                links.append((f"D{r}", sheet_location(doc_sheets[row[2]], first_cell(value)), value))
            cells.append((value, style))
        out_rows.append(cells)
    return sheet_xml(out_rows, widths=[6, 9, 22, 9, 80], links=links, freeze_row=header_row, tab_rgb=TAB_RGB,
                     print_fit=(A4, MARGINS))


def _position(ref: str) -> tuple[int, int]:
    """(row, column) of a reference that expand_cells gave, which is always a cell of the grid."""
    pos = parse_ref(ref)
    if pos is None:
        raise ValueError(f"not a cell reference: {ref!r}")
    return pos


def _marks_sheet(records: list[MarkRecord], result_name: str) -> bytes:
    rows = [[(h, 0) for h in MARKS_HEADER]]
    for i, rec in enumerate(records):
        rows.append([(v, 0) for v in rec.row()] + ([(result_name, 0)] if i == 0 else []))
    if not records:
        rows.append([("", 0)] * 6 + [(result_name, 0)])
    return sheet_xml(rows)


def patch_package(pkg: Package, problems: list[Problem] | None, *, rule_pack: str = "",
                  when: datetime | None = None, elsewhere: Iterable[Problem] = ()) -> MarkResult:
    """Clear old marks, then (unless problems is None) mark and list `problems`; list `elsewhere` too (problems
    of another file a 汇总表 carries: their cells are not in this workbook). Result.out is unset."""
    wb = Workbook(pkg)
    styles_part = wb.styles_part()
    styles = Styles(pkg.read(styles_part))
    docs: dict[str, tuple[str, SheetDoc]] = {}
    result = MarkResult(out=Path())
    result.cleared = _clear(pkg, wb, styles, docs)
    if problems is not None:
        records: list[MarkRecord] = []
        others = list(elsewhere)
        listed = [*problems, *others]
        placed_sheets: dict[str, str] = {}
        merged: dict[tuple[str, str], str] = {}     # (sheet as given, cell) -> its merged range
        sheet_docs: dict[str, SheetDoc] = {}
        placed = []
        for p in problems:
            if not (p.sheet and p.cell):
                continue
            doc = _open_sheet(pkg, wb, docs, p.sheet)
            found = wb.find_sheet(p.sheet)
            if doc is None or found is None or not expand_cells(p.cell):
                result.unplaced.append(p)
                continue
            placed_sheets[p.sheet] = found.name
            sheet_docs[p.sheet] = doc
            placed.append(p)
        targets = problems_to_mark(placed, lambda sheet, ref: sheet_docs[sheet].merged_range(*_position(ref)), merged)
        seen: set[tuple[str, str]] = set()
        for sheet, cells in targets.items():
            real = placed_sheets[sheet]
            for ref, severity in cells.items():
                if (real, ref) in seen:     # the same sheet named two ways: marked once
                    continue
                seen.add((real, ref))
                row, col = _position(ref)
                cell, style, created = sheet_docs[sheet].ensure(row, col)
                mark = styles.marked_xf(style, MARK_FILLS[severity])
                cell.set("s", str(mark))
                records.append(MarkRecord(real, ref, style, created, mark))
                result.marked.append((real, ref))
        result_name = _unique_name(wb, RESULT_SHEET)
        wb.add_sheet(result_name, _result_sheet(listed, styles, rule_pack, when or datetime.now(), placed_sheets,
                                                merged, frozenset(map(id, others))))
        wb.add_sheet(MARKS_SHEET, _marks_sheet(records, result_name), state="hidden")
        result.listed = len(listed)
    for part, doc in docs.values():
        if pkg.has(part):
            pkg.write(part, doc.tobytes())
    if styles.dirty or result.marked:
        pkg.write(styles_part, styles.tobytes())
    wb.save()
    return result


def _rewrite(src: Path, out: Path, problems: list[Problem] | None, rule_pack: str, when: datetime | None,
             elsewhere: Iterable[Problem] = ()) -> MarkResult:
    data = Path(src).read_bytes()  # read fully first: out may be src (in place)
    with zipfile.ZipFile(io.BytesIO(data)) as zin:
        pkg = Package(zin)
        result = patch_package(pkg, problems, rule_pack=rule_pack, when=when, elsewhere=elsewhere)
        with atomic_output(out) as tmp:
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
                pkg.save(zout)
    result.out = Path(out)
    return result


def mark_target(src: Path, out: Path | None, in_place: bool) -> Path:
    """Where the marked copy goes (src itself in place); OutputPathError for one that cannot be written."""
    if in_place:
        return Path(src)
    target = Path(out) if out is not None else default_output(src)
    check_output_path(target, [Path(src)])
    return target


def mark_workbook(src: Path, problems: list[Problem], out: Path | None = None, *, rule_pack: str = "",
                  when: datetime | None = None, in_place: bool = False,
                  elsewhere: Iterable[Problem] = ()) -> MarkResult:
    """Write a copy of `src` (.xlsx/.xlsm) with each problem cell filled by severity and a 校验结果 sheet.

    `elsewhere`: problems this workbook carries about other files (a 汇总表's, “汇总表 ← 原来源文件”):
    listed in 校验结果, not marked or linked. Old marks from an earlier run are cleared first. Raises
    OutputPathError for an output equal to the input (unless in_place), PackageError/SniffError for a
    package that cannot be patched.
    """
    return _rewrite(Path(src), mark_target(src, out, in_place), list(problems), rule_pack, when, elsewhere)


def clear_marks(src: Path, out: Path | None = None, *, in_place: bool = False) -> MarkResult:
    """Restore every marked cell's original style and remove 校验结果 and `_xlbase_marks`."""
    target = Path(src) if in_place else (Path(out) if out is not None else
                                          Path(src).with_name(Path(src).stem + ".已清除" + Path(src).suffix))
    if not in_place:
        check_output_path(target, [Path(src)])
    return _rewrite(Path(src), target, None, "", None)
