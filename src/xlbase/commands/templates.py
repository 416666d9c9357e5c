"""`xlbase templates -o DIR`: the blank templates (templates/workbooks.py), .xlsx and, when VBA can be built, .xlsm."""

from __future__ import annotations

from pathlib import Path

from ..result import EXIT_OK, EXIT_UNUSABLE, CommandResult
from ..templates.workbooks import template_paths, write_applicant_workbook, write_summary_workbook


def templates_command(out_dir: Path, year: int | None = None, python: str | None = None) -> CommandResult:
    """`xlbase templates -o DIR`: the blank templates, .xlsx (and .xlsm when VBA can be built)."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        return CommandResult(EXIT_UNUSABLE, errors=[f"输出路径 {out_dir} 不是文件夹"])
    lines: list[str] = []
    errors: list[str] = []
    for macros in (False, True):
        applicant, summary = template_paths(out_dir, macros=macros)
        try:
            write_applicant_workbook(applicant, year=year, macros=macros, python=python if macros else None)
            write_summary_workbook(summary, year=year, macros=macros, python=python if macros else None)
        except (ImportError, FileNotFoundError) as exc:
            if not macros:
                raise
            # the .xlsm needs pyOpenVBA and xlwings' VBA sources; the .xlsx are complete without them
            errors.append(f"未能生成含宏的 .xlsm 模板（{exc}）；.xlsx 模板已生成，可用 xlbase mark 校验")
            continue
        lines += [f"已生成 {applicant}", f"已生成 {summary}"]
    return CommandResult(EXIT_OK, lines, errors)
