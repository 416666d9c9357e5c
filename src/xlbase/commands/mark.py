"""`xlbase mark FILE`: read, check (check.check, as validate and merge do) and mark one workbook.

The marking itself is mark/copy.py (mark/converted.py for a .xls, .ods or .xlsb: marked on LibreOffice's .xlsx of
it); this is the command around it: what it refuses (a text format, an output it cannot write), the problems it
lists and its exit code.
"""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

from ..check import PackUnusable, check, pack_for
from ..merge.lower import ORIGIN_SEP    # a 汇总表's problems about its sources: “汇总表 ← 原来源文件”
from ..problems import ERROR, SEVERITY_LABELS, count_by_severity, sort_problems
from ..read import read_workbook
from ..read.sniff import KINDS, SniffError, inspect_file
from ..result import EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE, CommandResult
from ..mark.marks import RESULT_SHEET, where
from ..mark.copy import MAX_LINES, mark_target, mark_workbook
from ..mark.converted import CONVERTIBLE, NotMarkable, mark_converted
from ..ooxml.package import PackageError
from ..reports.problems import pack_label
from ..safe_output import OutputPathError
from ..table import WorkbookRead


def _same_file(label: str, path: Path) -> bool:
    if not label:
        return True
    if label == str(path) or Path(label).name == path.name:
        return True
    try:
        return Path(label).resolve() == path.resolve()
    except OSError:
        return False


def mark_command(file: Path, *, out: Path | None = None, rules: str | None = None, as_of: date | None = None,
                 in_place: bool = False, read: WorkbookRead | None = None) -> CommandResult:
    """Read, validate and mark one workbook; exit 1 when it has error-severity problems. `read`: the file as
    already read under the programme this runs with (commands.programmes.recognised_in), not read again."""
    file = Path(file)
    sniffed = inspect_file(file)
    if not sniffed.ok:
        return CommandResult(EXIT_UNUSABLE, errors=[sniffed.message])
    kind = sniffed.kind or ""
    converted = kind not in ("xlsx", "xlsm")
    if converted and (in_place or kind not in CONVERTIBLE):
        why = "只能另存标注副本，不能直接修改原文件" if in_place and kind in CONVERTIBLE else "无法直接标注"
        return CommandResult(EXIT_UNUSABLE, errors=[
            f"“{file.name}”是{KINDS.get(kind, '旧版 .xls 文件')}，{why}；"
            "请用 Excel 或 WPS 另存为 .xlsx 后再运行 xlbase mark。"])
    try:
        target = mark_target(file, out, in_place)
    except OutputPathError as exc:
        return CommandResult(EXIT_UNUSABLE, errors=[str(exc)])
    try:
        pack = pack_for(rules, as_of)
    except PackUnusable as exc:
        return CommandResult(EXIT_UNUSABLE, errors=[str(exc)])
    problems = check([read if read is not None else read_workbook(file)], pack).problems   # what validate and merge report
    here = [p for p in problems if _same_file(p.file, file)]
    carried = [p for p in problems if ORIGIN_SEP in p.file and _same_file(p.file.split(ORIGIN_SEP)[0], file)]
    mine = here + carried
    try:
        if converted:
            result = mark_converted(file, kind, here, target, rule_pack=pack_label(pack, rules), elsewhere=carried)
        else:
            result = mark_workbook(file, here, target, rule_pack=pack_label(pack, rules), in_place=in_place,
                                   elsewhere=carried)
    except NotMarkable as exc:
        return CommandResult(EXIT_UNUSABLE, errors=[str(exc)])
    except (PackageError, SniffError, zipfile.BadZipFile, ValueError) as exc:
        return CommandResult(EXIT_UNUSABLE, errors=[f"无法在“{file.name}”上标注：{exc}"])
    counts = count_by_severity(mine)
    lines = [f"[{SEVERITY_LABELS[p.severity]}] {where(p)} {p.message}".replace("]  ", "] ")
             for p in sort_problems(mine)[:MAX_LINES]]
    if len(mine) > MAX_LINES:
        lines.append(f"……另有 {len(mine) - MAX_LINES} 个问题，见“{RESULT_SHEET}”工作表。")
    lines.append(f"共 {len(mine)} 个问题（错误 {counts['error']}，警告 {counts['warning']}，提示 {counts['info']}），"
                 f"标注 {len(result.marked)} 个单元格；结果见“{RESULT_SHEET}”工作表：{result.out}")
    if converted:
        lines.append(f"“{file.name}”是{KINDS.get(kind, kind)}：标注副本由 LibreOffice 转换为 .xlsx 后写出，原文件未改动。")
    if result.unplaced:
        lines.append(f"另有 {len(result.unplaced)} 个问题找不到对应的工作表或单元格，仅列在“{RESULT_SHEET}”中。")
    return CommandResult(EXIT_PROBLEMS if counts[ERROR] else EXIT_OK, lines)
