"""The `xlbase` command: parse arguments, call one function, print, exit.

Every command's work lives in its own module; this file only wires arguments.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
from pathlib import Path

from . import __version__
from .result import EXIT_UNUSABLE, CommandResult


def _date(text: str) -> dt.date:
    """A full date as a clerk writes it (2024-08-25, 2024/8/25, 2024年8月25日): the reader's date parser."""
    from .read.normalise import parse_date
    p = parse_date(text)
    if p.value is None or p.note:      # a month alone is too coarse for a reference date
        raise argparse.ArgumentTypeError(f"日期应写成 YYYY-MM-DD，如 2024-08-25（date must be YYYY-MM-DD）：{text}")
    return p.value


def _jobs(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"进程数应为 1 或更大的整数（must be a whole number ≥ 1）：{text}")
    return n


# argparse's own English errors, said in Chinese first (the English follows in brackets)
_ARGPARSE_ZH = (
    (re.compile(r"^the following arguments are required: (.+)$"), "缺少必需的参数：{0}"),
    (re.compile(r"^argument (\S+): invalid choice: (.+?) \(choose from (.+)\)$"), "参数 {0} 的值 {1} 不可用，可选：{2}"),
    (re.compile(r"^argument (\S+): invalid (\w+) value: (.+)$"), "参数 {0} 的值 {2} 格式不对"),
    (re.compile(r"^argument (\S+): expected one argument$"), "参数 {0} 后面需要给出一个值"),
    (re.compile(r"^argument (\S+): (.+)$"), "参数 {0}：{1}"),
    (re.compile(r"^unrecognized arguments: (.+)$"), "无法识别的参数：{0}"),
)


def chinese_error(message: str) -> str:
    """argparse's message in Chinese, with the original English kept for searching."""
    for rx, zh in _ARGPARSE_ZH:
        m = rx.match(message)
        if m:
            text = zh.format(*m.groups())
            return text if not message.isascii() else f"{text}（{message}）"   # ours are Chinese already
    return message


class _Parser(argparse.ArgumentParser):
    """argparse with Chinese-first errors and exit code 2 (unusable arguments)."""

    def error(self, message: str) -> None:
        self.print_usage(sys.stderr)
        self.exit(EXIT_UNUSABLE, f"xlbase: 参数错误：{chinese_error(message)}\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="xlbase",
        description="双创基地申报表格工具：生成模板、读取、校验、合并汇总、标注问题。\n"
        "Spreadsheet toolkit for 双创基地 applications: templates, read, validate, merge, mark.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"xlbase {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    t = sub.add_parser("templates", help="生成可填写的申报表和汇总表模板 / write fillable templates")
    t.add_argument("-o", "--out", type=Path, required=True, help="输出文件夹 / output folder")
    t.add_argument("--year", type=int, default=None, help="表头年份（默认取规则包年份）/ year in titles")
    t.add_argument("--python", default=None, metavar="PYTHON_EXE",
                   help="“校验”按钮使用的 python.exe 完整路径，写入 .xlsm 的 xlwings.conf（默认用 PATH 中的 python）"
                        " / python.exe the 校验 button runs (xlwings Interpreter_Win)")

    r = sub.add_parser("read", help="列出文件中识别到的表格和无法解析的值 / show what was found in files")
    r.add_argument("inputs", nargs="+", help="文件、通配符或文件夹 / files, globs or folders")

    rules_help = "规则包名称或文件路径（默认 shanxi-2024-base）/ rule pack name or YAML file"
    asof_help = "判定基准日期 YYYY-MM-DD（默认取规则包）/ reference date"

    v = sub.add_parser("validate", help="按规则包校验申报材料 / validate submissions against a rule pack")
    v.add_argument("inputs", nargs="+", help="文件、通配符或文件夹 / files, globs or folders")
    v.add_argument("--rules", default=None, help=rules_help)
    v.add_argument("--as-of", type=_date, default=None, help=asof_help)
    v.add_argument("--json", type=Path, default=None, dest="json_out", help="JSON 报告路径 / JSON report")
    v.add_argument("--xlsx", type=Path, default=None, dest="xlsx_out", help="Excel 问题清单路径 / Excel report")

    rl = sub.add_parser("rules", help="列出规则包或显示规则包内容 / list or show rule packs")
    rl.add_argument("action", choices=("list", "show"), help="list 列出 / show 显示")
    rl.add_argument("pack", nargs="?", default=None, help="规则包名称或文件（show 用）/ pack for show")

    m = sub.add_parser("merge", help="合并各县（市）材料，生成附件11汇总表 / merge submissions into 附件11")
    m.add_argument("inputs", nargs="+", help="文件、通配符或文件夹 / files, globs or folders")
    m.add_argument("-o", "--out", type=Path, required=True, help="输出汇总表 .xlsx / output workbook")
    m.add_argument("--level", choices=("county", "city", "province"), default=None,
                   help="汇总层级：county 县 / city 市 / province 省（默认按输入推断）")
    m.add_argument("--rules", default=None, help=rules_help)
    m.add_argument("--as-of", type=_date, default=None, help=asof_help)
    m.add_argument("--json", type=Path, default=None, dest="json_out", help="JSON 报告路径 / JSON report")
    m.add_argument("--unit", default=None, help="填报单位名称，写入表头 / reporting unit's name")
    m.add_argument("--jobs", type=_jobs, default=None, help="并行读取的进程数（含本进程；默认为 CPU 核数，1 为不并行）/ reader processes, this one included")

    k = sub.add_parser("mark", help="在副本中把问题标注到单元格上（WPS/LibreOffice 用）/ mark problems in a copy")
    k.add_argument("file", type=Path, help="要标注的 .xlsx/.xlsm 文件 / workbook to mark")
    k.add_argument("-o", "--out", type=Path, default=None, help="输出文件（默认 NAME.校验.xlsx）/ output")
    k.add_argument("--rules", default=None, help=rules_help)
    k.add_argument("--as-of", type=_date, default=None, help=asof_help)
    k.add_argument("--in-place", action="store_true", help="直接修改原文件（慎用）/ overwrite the input")
    return p


def _dispatch(ns: argparse.Namespace) -> CommandResult:
    if ns.command == "templates":
        from .write.templates import templates_command
        return templates_command(ns.out, year=ns.year, python=ns.python)
    if ns.command == "read":
        from .read.inspect import inspect_command
        return inspect_command(ns.inputs)
    if ns.command == "validate":
        from .validate import validate_command
        return validate_command(ns.inputs, rules=ns.rules, as_of=ns.as_of, json_out=ns.json_out, xlsx_out=ns.xlsx_out)
    if ns.command == "rules":
        from .rules.show import rules_command
        return rules_command(ns.action, ns.pack)
    if ns.command == "merge":
        from .merge import merge_command
        return merge_command(ns.inputs, out=ns.out, level=ns.level, rules=ns.rules, as_of=ns.as_of,
                             json_out=ns.json_out, unit=ns.unit, jobs=ns.jobs)
    if ns.command == "mark":
        from .write.mark import mark_command
        return mark_command(ns.file, out=ns.out, rules=ns.rules, as_of=ns.as_of, in_place=ns.in_place)
    raise AssertionError(ns.command)


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8", errors="replace")  # Windows consoles (GBK)
        except (AttributeError, ValueError):
            pass
    parser = build_parser()
    ns = parser.parse_args(argv)
    if not ns.command:
        parser.print_help()
        return EXIT_UNUSABLE
    result = _dispatch(ns)
    try:
        for line in result.lines:
            print(line)
        for line in result.errors:
            print(line, file=sys.stderr)
        sys.stdout.flush()
    except BrokenPipeError:  # `xlbase read x | head`: the reader left; that is not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return result.exit_code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
