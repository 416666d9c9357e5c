"""`xlbase validate`: read submissions, run a rule pack, report in Chinese (terminal, JSON, Excel).

Exit codes: 0 no errors, 1 errors found, 2 unusable arguments or no readable input.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from ..forms.roles import FIRM_FORM, SUMMARY_FORM
from ..check import PackUnusable, check, pack_for
from ..problems import ERROR, Problem, sort_problems
from ..progress import Progress
from ..report_text import problems_table, summary_line
from ..result import EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE, CommandResult, NOTHING_READ
from ..table import Table, WorkbookRead


def validate_reads(reads: list[WorkbookRead], pack) -> tuple[list[Problem], list[Table]]:
    """Every problem of the reads (check.check: what merge, mark and the 校验 button report too)
    and every readable table."""
    checked = check(reads, pack)
    return checked.problems, checked.tables


def _inputs_info(reads: list[WorkbookRead]) -> list[dict]:
    """rows_read as merge counts it (merge.table_rows.data_rows): base rows and firm rows, not 附件4 comparables."""
    from ..merge.table_rows import data_rows
    return [{"file": r.path, "status": r.status, "sha256": r.sha256, "rows_read": data_rows(r),
             "rows_merged": None, "rows_rejected": None} for r in reads]


def _counts(tables: list[Table]) -> tuple[int, int]:
    bases = {t.base.get("key") for t in tables if t.base.get("key")}
    for t in tables:
        if t.form_id == SUMMARY_FORM and "_base" in t.data:
            bases |= set(t.data["_base"].dropna())
    firms = sum(t.n_rows for t in tables if t.form_id == FIRM_FORM)
    return len(bases), firms


def validate_command(inputs, rules=None, as_of: dt.date | None = None, json_out: Path | None = None,
                     xlsx_out: Path | None = None, return_dir: Path | None = None,
                     progress: Progress | None = None) -> CommandResult:
    progress = progress or Progress(False)   # the terminal's bar (xlbase.progress): stages and files read
    try:
        pack = pack_for(rules, as_of)
    except PackUnusable as exc:
        return CommandResult(EXIT_UNUSABLE, errors=[str(exc)])
    try:
        from ..read import expand_inputs, read_files
    except ImportError:  # pragma: no cover - reader not installed
        return CommandResult(EXIT_UNUSABLE, errors=["读取模块不可用（xlbase.read）"])
    paths, input_problems = expand_inputs([str(i) for i in inputs])
    if not paths:
        return CommandResult(EXIT_UNUSABLE, [p.message for p in input_problems],
                             errors=[f"没有找到可读取的文件：{'、'.join(map(str, inputs))}"])
    from ..safe_output import OutputPathError, check_output_path
    for out in (json_out, xlsx_out):
        if out:
            try:
                check_output_path(Path(out), [Path(p) for p in paths])
            except OutputPathError as exc:
                return CommandResult(EXIT_UNUSABLE, errors=[str(exc)])
    if return_dir is not None:
        from ..mark.return_pack import check_return_dir
        try:
            check_return_dir(Path(return_dir), [Path(p) for p in paths] + [Path(str(i)) for i in inputs])
        except OutputPathError as exc:
            return CommandResult(EXIT_UNUSABLE, errors=[str(exc)])
    progress.stage("读取文件", total=len(paths))
    reads = read_files(paths, on_read=progress.on_read)
    progress.stage("校验")
    checked = check(reads, pack, stage=progress.stage)
    reads, tables = checked.reads, checked.tables
    progress.stage("写出")
    problems = sort_problems([*input_problems, *checked.problems])
    info = _inputs_info(reads)
    bases, firms = _counts(tables)
    readable = sum(1 for r in reads if r.ok)
    summary = {"files": len(reads), "bases": bases, "firms": firms}

    lines = [f"规则包：{pack.title}（{pack.id}），基准日期 {pack.as_of.isoformat()}", ""]
    lines += problems_table(problems, total_width=shutil.get_terminal_size((120, 20)).columns)
    lines += ["", summary_line(problems, len(reads), bases, firms)]
    if json_out:
        from ..reports.problems import write_json_report
        write_json_report(json_out, command="validate", pack=pack, inputs=info, problems=problems, summary=summary)
        lines.append(f"JSON 报告：{json_out}")
    if xlsx_out:
        from ..reports.problems import write_problems_workbook
        write_problems_workbook(xlsx_out, problems, info, pack=pack)
        lines.append(f"Excel 问题清单：{xlsx_out}")
    if readable == 0:
        return CommandResult(EXIT_UNUSABLE, lines, errors=[NOTHING_READ])
    if return_dir is not None:
        lines += _return_pack(Path(return_dir), checked.merged, problems, pack)
    progress.close()
    code = EXIT_PROBLEMS if any(p.severity == ERROR for p in problems) else EXIT_OK
    return CommandResult(code, lines)


def _return_pack(out_dir: Path, result, problems: list[Problem], pack) -> list[str]:
    """The return pack (mark.return_pack) of a validate run: units as the merge of these files (check.check) found them."""
    from ..merge.level import infer_level
    from ..mark.return_pack import return_pack_lines, write_return_pack
    packs = write_return_pack(out_dir, result, problems, level=infer_level(result), pack=pack)
    return ["", *return_pack_lines(out_dir, packs)]
