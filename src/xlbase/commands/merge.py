"""`xlbase merge`: expand inputs → read → validate → merge → write 汇总表 (+ JSON) → summary lines.

Nothing here parses cells or checks thresholds: reading is xlbase.read, rules are
xlbase.rules, the 问题清单 and JSON report are xlbase.reports.problems.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from pathlib import Path
from typing import Any, Iterator

from ..problems import ERROR, Problem, count_by_severity, sort_problems
from ..progress import Progress
from ..result import EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE, CommandResult, NOTHING_READ
from ..safe_output import OutputPathError, check_output_path
from ..merge.level import (LEVEL_NAMES, SHEET_NAME, ExpectError, default_unit_name, expected_units, infer_level,
                    level_mismatch, read_expect_file, units_not_reported)
from ..merge.lower import NOT_SOURCES, build_record
from ..merge.rounds import (ROUND_KEY, PreviousError, change_text, compare, not_compared_text, read_previous,
                           round_record)
from ..problem_codes import INPUT_MISSING


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """No automatic cycle collection from reading to the written 汇总表; the previous state after.

    The run builds millions of long-lived objects (cells, rows, frames) and almost no cycles;
    each automatic collection rescans the growing heap: 0.25-0.3 s of a ~3.8 s province merge,
    with the same peak memory (scale 1: 180 MB either way; national: bench/README.md).
    Reference counting still frees everything that is dropped. Used as merge_command's decorator, so
    collection resumes after the body's locals (reads, result, problems) are gone: resumed inside the
    body, the first collection walked all of them (a 72 ms gen-1 collection at the end of a province merge).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@_gc_paused()   # as a decorator: the run's data is freed when the body returns, before collection resumes

def round_setup(rules, as_of, programme, expect: Path | None, previous: Path | None, out: Path):
    """A merge round's givens — its rule pack, the officer's list of units that should report and the
    previous 汇总表 (`previous`, else `out` as it was) — or the CommandResult that refuses them."""
    from ..check import PackUnusable, pack_for
    try:
        pack = pack_for(rules, as_of, programme)
    except PackUnusable as exc:
        return CommandResult(EXIT_UNUSABLE, errors=[str(exc)])
    try:
        expected = read_expect_file(expect) if expect is not None else None
        before = read_previous(Path(previous), required=True) if previous is not None else \
            read_previous(Path(out), required=False)
    except (ExpectError, PreviousError) as exc:
        return CommandResult(EXIT_UNUSABLE, errors=[f"xlbase merge：{exc}"])
    return pack, expected, before

def merge_command(inputs: list[str], *, out: Path, level: str | None = None, rules: str | None = None,
                  as_of: dt.date | None = None, json_out: Path | None = None, unit: str | None = None,
                  jobs: int | None = None, quiet: bool = False, expect: Path | None = None,
                  return_dir: Path | None = None, previous: Path | None = None,
                  progress: Progress | None = None) -> CommandResult:
    """Merge `inputs` into the 汇总表 `out`.

    `expect`: the officer's list of units that should report (merge.level.read_expect_file); without
    it the division data's (a city's counties and zones, a province's cities). `return_dir`: where
    the return pack goes (mark.return_pack), one folder per unit with something to fix. `previous`:
    the last round's 汇总表 to compare each unit's errors with (merge.rounds); by default `out` as it
    was before this run replaces it. `progress`: the terminal's progress bar (xlbase.progress), told
    each stage and each file read.
    """
    progress = progress or Progress(False)
    from ..read import expand_inputs, read_files
    from ..check import check
    from ..reports.problems import write_json_report
    from ..summary.workbook import write_summary_workbook
    from ..summary.sheets import FirmRowsAhead
    from ..mark.return_pack import check_return_dir, return_pack_lines, write_return_pack

    paths, arg_problems = expand_inputs(inputs)
    if not paths:
        msgs = [p.message for p in arg_problems] or ["没有找到可读取的输入文件。"]
        return CommandResult(EXIT_UNUSABLE, errors=[f"xlbase merge：{m}" for m in msgs])
    try:
        check_output_path(Path(out), [Path(p) for p in paths])
        if json_out is not None:
            check_output_path(Path(json_out), [Path(p) for p in paths] + [Path(out)])
        if Path(out).suffix.lower() not in (".xlsx",):
            raise OutputPathError(f"输出文件 {out} 应以 .xlsx 结尾")
        if return_dir is not None:
            check_return_dir(Path(return_dir), [Path(p) for p in paths] + [Path(a) for a in inputs])
    except OutputPathError as exc:
        return CommandResult(EXIT_UNUSABLE, errors=[f"xlbase merge：{exc}"])
    setup = round_setup(rules, as_of, None, expect, previous, out)
    if isinstance(setup, CommandResult):
        return setup
    pack, expect_list, before = setup

    progress.stage("读取文件", total=len(paths))
    reads = read_files(paths, jobs, on_read=progress.on_read)
    progress.stage("校验")
    if not any(wr.ok for wr in reads):
        lines = [p.message for wr in reads for p in wr.problems] + [p.message for p in arg_problems]
        if json_out is not None:   # what was wrong with each file is the report the officer asked for
            _write_unread_report(json_out, pack, reads, arg_problems)
            lines.append(f"JSON 报告已写入：{json_out}")
        return CommandResult(EXIT_UNUSABLE, errors=[f"xlbase merge：{NOTHING_READ}，未生成汇总表。", *lines])
    ahead: list[FirmRowsAhead | None] = []    # the 入驻企业 rows, rendered by a helper while the rules run
    checked = check(reads, pack, missing=[p.file for p in arg_problems if p.rule == INPUT_MISSING],
                    stage=progress.stage, on_merged=lambda merged: ahead.append(FirmRowsAhead.start(merged)))
    firm_rows = ahead[0] if ahead else None
    result = checked.merged
    problems: list[Problem] = list(arg_problems) + checked.problems
    n_files = len(checked.reads)
    del reads, checked       # the merge result holds its own rows: free every read frame before the write
    lvl = level or infer_level(result)
    mismatch = level_mismatch(level, result)
    unit_name = unit if unit is not None else default_unit_name(result, lvl)
    missing = units_not_reported(result, lvl, expected_units(result, lvl, unit_name, expect_list))
    problems = sort_problems(problems + ([mismatch] if mismatch else []) + missing)
    record = build_record(result, problems, level=lvl, unit=unit_name, pack=pack)
    record[ROUND_KEY] = round_record(result, problems, lvl)
    changes = compare(before, record[ROUND_KEY]) if before and before.get("level") == lvl else None
    progress.stage("写出汇总表")
    write_summary_workbook(Path(out), result, problems, level=lvl, year=pack.year, unit=unit_name,
                           as_of=pack.as_of, pack=pack, record=record, changes=changes, firm_rows=firm_rows)
    if firm_rows is not None:
        firm_rows.close()
    if return_dir is not None:
        progress.stage("写出退回材料")
    packs = write_return_pack(Path(return_dir), result, problems, level=lvl, pack=pack) \
        if return_dir is not None else None
    progress.close()
    inputs_json = [{"file": a.file, "status": a.status, "sha256": a.sha256, "rows_read": a.rows_read,
                    "rows_merged": a.rows_merged, "rows_rejected": a.rows_rejected} for a in result.accounts]
    summary: dict[str, Any] = {"files": n_files, "bases": len(result.bases), "firms": len(result.firms),
                               "level": lvl, "rows_read": sum(a.rows_read for a in result.accounts),
                               "rows_merged": sum(a.rows_merged for a in result.accounts),
                               "rows_rejected": sum(a.rows_rejected for a in result.accounts)}
    if json_out is not None:
        write_json_report(Path(json_out), command="merge", pack=pack, inputs=inputs_json, problems=problems,
                          summary=summary)

    counts = count_by_severity(problems)
    code = EXIT_PROBLEMS if counts[ERROR] else EXIT_OK
    if quiet:
        return CommandResult(code)
    lines = _summary_lines(result, problems, lvl, unit_name, out, json_out, pack, counts, changes)
    if previous is not None and changes is None:
        lines.append(not_compared_text(previous))
    elif changes is not None:
        lines.insert(3, f"与上次汇总表（{previous or out}）比较：各单位“已改正 / 仍有 / 新增”的错误见{SHEET_NAME[lvl]}。")
    if packs is not None and return_dir is not None:
        lines += return_pack_lines(Path(return_dir), packs)
    return CommandResult(code, lines)


def _write_unread_report(json_out: Path, pack, reads, arg_problems: list[Problem]) -> None:
    """The --json report of a merge that read no form: every input with its status, every problem, no rows."""
    from ..reports.problems import write_json_report

    inputs = [{"file": wr.path, "status": wr.status, "sha256": wr.sha256, "rows_read": 0, "rows_merged": 0,
               "rows_rejected": 0} for wr in reads]
    problems = sort_problems(list(arg_problems) + [p for wr in reads for p in wr.problems])
    write_json_report(json_out, command="merge", pack=pack, inputs=inputs, problems=problems,
                      summary={"files": len(reads), "bases": 0, "firms": 0, "rows_read": 0, "rows_merged": 0,
                               "rows_rejected": 0})


def _summary_lines(result, problems, level, unit_name, out, json_out, pack, counts, changes=None) -> list[str]:
    from ..summary.sheets import STATUS_MISSING, unit_rows
    from ..table import NOT_READ
    unusable = [a for a in result.accounts if a.status not in ("ok", "partial", *NOT_SOURCES, *NOT_READ)]
    skipped = sum(1 for a in result.accounts if a.status == "skipped")
    set_aside = sum(1 for a in result.accounts if a.status in NOT_READ)
    lines = [
        f"{LEVEL_NAMES[level]}汇总（{unit_name or '未注明填报单位'}，规则包 {getattr(pack, 'id', '')}，"
        f"基准日期 {pack.as_of}）",
        f"读取文件 {len(result.accounts)} 个（无法读取 {len(unusable)} 个"
        f"{f'，此前生成的汇总表已跳过 {skipped} 个' if skipped else ''}"
        f"{f'，不是表格或是压缩包、未读取 {set_aside} 个' if set_aside else ''}）；汇总基地 {len(result.bases)} 个，"
        f"入驻企业 {len(result.firms)} 行；数据行 读取 {sum(a.rows_read for a in result.accounts)} ="
        f" 汇总 {sum(a.rows_merged for a in result.accounts)} + 未计入 {sum(a.rows_rejected for a in result.accounts)}。",
        f"问题：错误 {counts['error']} 条，警告 {counts['warning']} 条，提示 {counts['info']} 条。",
        f"{SHEET_NAME[level]}：",
    ]
    rows = unit_rows(result, problems, level)
    for r in rows:
        if r["status"] == STATUS_MISSING:
            lines.append(f"  {r['unit']}：—— {STATUS_MISSING}")
            continue
        change = (changes or {}).get(r["unit"])
        lines.append(f"  {r['unit']}：文件 {r['files']}，基地 {r['bases']}，入驻企业 {r['firms']} 户，"
                     f"错误 {r['errors']}，警告 {r['warnings']} —— {r['status']}"
                     + (f"（{change_text(change)}）" if change else ""))
    missing = [r["unit"] for r in rows if r["status"] == STATUS_MISSING]
    if missing:
        lines.append(f"未报送 {len(missing)} 个：{'、'.join(missing)}（请催报）")
    lines.append(f"汇总表已写入：{out}（工作表：附件11、问题清单、{SHEET_NAME[level]}、入驻企业）")
    if json_out is not None:
        lines.append(f"JSON 报告已写入：{json_out}")
    if counts["error"]:
        lines.append("有错误：请把“问题清单”中标为“错误”的内容退回报送单位修改后重新汇总。")
    return lines
