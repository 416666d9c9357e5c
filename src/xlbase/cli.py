"""The `xlbase` command: parse arguments, call one function, print, exit.

Every command's work lives in its own module; this file only wires arguments.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
import unicodedata
from pathlib import Path
from typing import Callable, NoReturn

from . import __version__
from .progress import Progress
from .result import EXIT_UNUSABLE, CommandResult
from .startup import imports_done, pause_for_imports


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
    (re.compile(r"^argument (\S+): expected at least one argument$"), "参数 {0} 后面至少需要给出一个值"),
    (re.compile(r"^argument (\S+): expected at most one argument$"), "参数 {0} 后面最多只能给出一个值"),
    (re.compile(r"^argument (\S+): not allowed with argument (\S+)$"), "参数 {0} 不能与 {1} 同时使用"),
    (re.compile(r"^argument (\S+): ignored explicit argument (.+)$"), "参数 {0} 不接受值 {1}"),
    (re.compile(r"^argument (\S+): (.+)$"), "参数 {0}：{1}"),
    (re.compile(r"^ambiguous option: (\S+) could match (.+)$"), "选项 {0} 不明确，可能是：{1}"),
    (re.compile(r"^one of the arguments (.+) is required$"), "需要以下参数之一：{0}"),
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


def _cells(text: str) -> int:
    """Terminal columns of `text`: Chinese characters take two (argparse counts one)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


_NO_LINE_START = frozenset("）)，,。；;：:、」”’》")


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` columns: Chinese breaks between any two characters, other text at spaces."""
    lines: list[str] = []
    for para in text.splitlines() or [""]:
        line, used = "", 0
        for word in re.findall(r"[\x21-\x7e]+\s*|\s+|.", para):   # ASCII words with their spaces, or one character
            w = _cells(word.rstrip())
            if used and used + w > width and word not in _NO_LINE_START:
                lines.append(line.rstrip())
                line, used = "", 0
                word = word.lstrip()
            line += word
            used += _cells(word)
        lines.append(line.rstrip())
    return lines


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """argparse's help with a Chinese usage prefix, lined up and wrapped in terminal columns.

    argparse measures with len(), so a Chinese metavar pushed its help column right and Chinese
    help wrapped at twice the terminal width; the overrides measure in columns instead.
    """

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)

    def add_argument(self, action):
        super().add_argument(action)
        if action.help is not argparse.SUPPRESS:
            # subcommands are listed indented one step further than their group
            lengths = [_cells(self._format_action_invocation(action)) + self._current_indent]
            lengths += [_cells(self._format_action_invocation(a)) + self._current_indent + self._indent_increment
                        for a in self._iter_indented_subactions(action)]
            self._action_max_length = max(self._action_max_length, *lengths)

    def _format_action(self, action):
        text = super()._format_action(action)
        head = " " * self._current_indent + self._format_action_invocation(action)
        extra = _cells(head) - len(head)
        first, nl, rest = text.partition("\n")
        if extra and action.help and first.startswith(head) and first[len(head):].startswith(" " * (extra + 2)):
            text = head + first[len(head) + extra:] + nl + rest
        return text

    def format_help(self):
        # argparse ends a section heading with an ASCII colon
        return re.sub(r"^(位置参数|选项|命令):$", r"\1：", super().format_help(), flags=re.M)

    def _split_lines(self, text, width):
        return _wrap(" ".join(text.split()) if "\n" not in text else text, width)


class _Parser(argparse.ArgumentParser):
    """argparse in Chinese: usage line, section titles, -h/--help, and errors (exit code 2)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        # argparse has no public setter for its two default groups' titles
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_UNUSABLE, f"xlbase: 参数错误：{chinese_error(message)}\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="xlbase",
        description="双创基地申报表格工具：生成模板、读取、校验、合并汇总、标注问题。\n"
        "Spreadsheet toolkit for 双创基地 applications: templates, read, validate, merge, mark.",
        epilog="每个命令的用法：xlbase 命令 -h（如 xlbase merge -h）。\n"
        "退出码：0 未发现错误；1 发现错误级问题；2 参数不可用或没有可读取的输入。",
    )
    p.add_argument("--version", action="version", version=f"xlbase {__version__}", help="显示版本号并退出")
    sub = p.add_subparsers(dest="command", title="命令", metavar="命令", parser_class=_Parser)

    t = sub.add_parser("templates", help="生成可填写的申报表和汇总表模板（templates）",
                       description="生成官方附件 2、3、4、10、11 的可填写模板（.xlsx，以及带“校验”按钮的 .xlsm）。")
    t.add_argument("-o", "--out", type=Path, required=True, metavar="文件夹", help="输出文件夹（不存在时新建）")
    t.add_argument("--year", type=int, default=None, metavar="年份", help="表头年份（默认取规则包年份）")
    t.add_argument("--python", default=None, metavar="PYTHON_EXE",
                   help="“校验”按钮使用的 python.exe 完整路径，写入 .xlsm 的 xlwings.conf（默认用 PATH 中的 python）")

    r = sub.add_parser("read", help="列出文件中识别到的表格和无法解析的值（read）",
                       description="列出每个文件中识别到的表格、位置、行数，以及无法解析的值及其单元格。")
    r.add_argument("inputs", nargs="+", metavar="输入", help="文件、通配符或文件夹")

    rules_help = "规则包名称或 YAML 文件路径（默认 shanxi-2024-base；xlbase rules list 列出全部）"
    asof_help = "判定基准日期，如 2024-08-25（默认取规则包）"

    return_help = ("退回材料文件夹：每个有错误或警告的单位一个子文件夹，内有其文件的标注副本和只含本单位问题的"
                   "“问题清单_单位.xlsx”，可直接发回；重新运行时整个替换（须在收件文件夹之外）")

    quiet_help = "不显示进度条（在终端上运行超过两秒时显示读取、校验、写出的进度）"

    v = sub.add_parser("validate", help="按规则包校验申报材料（validate）",
                       description="读取申报材料，按规则包校验，在终端列出问题；可另存 JSON 报告和 Excel 问题清单。")
    v.add_argument("inputs", nargs="+", metavar="输入", help="文件、通配符或文件夹")
    v.add_argument("--rules", default=None, metavar="规则包", help=rules_help)
    v.add_argument("--as-of", type=_date, default=None, metavar="日期", help=asof_help)
    v.add_argument("--json", type=Path, default=None, dest="json_out", metavar="报告.json", help="JSON 报告路径")
    v.add_argument("--xlsx", type=Path, default=None, dest="xlsx_out", metavar="问题.xlsx",
                   help="Excel 问题清单路径（可打印）")
    v.add_argument("--return-dir", type=Path, default=None, metavar="文件夹", help=return_help)
    v.add_argument("--quiet", "-q", action="store_true", help=quiet_help)

    rl = sub.add_parser("rules", help="列出规则包或显示规则包内容（rules）",
                        description="xlbase rules list 列出自带的规则包；xlbase rules show [规则包] 显示其中每条规则、门槛及其错误/警告/提示；"
                        "xlbase rules show 规则编号 只显示默认规则包中的那一条。")
    rl.add_argument("action", choices=("list", "show"), metavar="操作", help="list 列出规则包；show 显示规则包内容")
    rl.add_argument("pack", nargs="?", default=None, metavar="规则包", help="规则包名称或文件，或默认规则包中的规则编号（show 用，默认 shanxi-2024-base）")

    m = sub.add_parser("merge", help="合并各县（市）材料，生成附件11汇总表（merge）",
                       description="读取各县（市）报来的全部材料，校验并合并为附件11汇总表"
                       "（工作表：附件11、问题清单、各县情况/各市情况、入驻企业）。")
    m.add_argument("inputs", nargs="+", metavar="输入", help="文件、通配符或文件夹")
    m.add_argument("-o", "--out", type=Path, required=True, metavar="汇总表.xlsx", help="输出汇总表（.xlsx）")
    m.add_argument("--level", choices=("county", "city", "province"), default=None, metavar="层级",
                   help="汇总层级：county 县级 / city 市级 / province 省级（默认按输入推断）")
    m.add_argument("--rules", default=None, metavar="规则包", help=rules_help)
    m.add_argument("--as-of", type=_date, default=None, metavar="日期", help=asof_help)
    m.add_argument("--json", type=Path, default=None, dest="json_out", metavar="报告.json", help="JSON 报告路径")
    m.add_argument("--unit", default=None, metavar="单位名称", help="填报单位名称，写入表头（默认按输入推断）")
    m.add_argument("--jobs", type=_jobs, default=None, metavar="进程数",
                   help="读取文件的进程数（每个文件都在单独的读取进程中读取；默认为 CPU 核数，1 为不并行）")
    m.add_argument("--return-dir", type=Path, default=None, metavar="文件夹", help=return_help)
    m.add_argument("--quiet", "-q", action="store_true", help=quiet_help)
    m.add_argument("--previous", type=Path, default=None, metavar="上次汇总表.xlsx",
                   help="与上次的汇总表比较，各县情况中列出每个单位上次的错误已改正、仍有和新增几条"
                        "（默认：-o 指定的文件已存在时与它比较）")
    m.add_argument("--expect", type=Path, default=None, metavar="名单文件",
                   help="应报单位名单（文本文件每行一个单位，或 Excel 第一列）；未报送的单位列在“各县情况”中。"
                        "默认：市级为本市各县（市、区）和开发区，省级为各市")

    k = sub.add_parser("mark", help="在副本中把问题标注到单元格上（mark，WPS/LibreOffice 用）",
                       description="校验一个 .xlsx/.xlsm 文件，生成把问题单元格按严重程度填色的副本，并附“校验结果”工作表。")
    k.add_argument("file", type=Path, metavar="文件", help="要标注的 .xlsx/.xlsm 文件")
    k.add_argument("-o", "--out", type=Path, default=None, metavar="输出", help="输出文件（默认 文件名.校验.xlsx）")
    k.add_argument("--rules", default=None, metavar="规则包", help=rules_help)
    k.add_argument("--as-of", type=_date, default=None, metavar="日期", help=asof_help)
    k.add_argument("--in-place", action="store_true", help="直接修改原文件（慎用）")

    pg = sub.add_parser("programmes", help="列出申报项目及其依据文件（programmes）",
                        description="列出自带的申报项目（表单、规则包、汇总表、依据的通知文件）；"
                        "给出项目名时另列其规则包的每条规则、门槛和依据。")
    pg.add_argument("name", nargs="?", default=None, metavar="项目", help="项目名称或项目清单 programme.yaml 的路径")
    from .commands.programmes import add_argument as add_programme
    for cmd in (t, r, v, m, k):
        add_programme(cmd)
    return p


def _dispatch(ns: argparse.Namespace) -> CommandResult:
    if ns.command == "programmes":
        from .commands.programmes import programmes_command
        imports_done()
        return programmes_command(ns.name)
    from .commands.programmes import COMMANDS, run
    if ns.command in COMMANDS and not getattr(ns, "_programme_chosen", False):
        ns._programme_chosen = True      # run() calls back here under the chosen programme
        return run(ns, _dispatch)
    command = _command(ns)
    imports_done()
    return command()


def _command(ns: argparse.Namespace) -> Callable[[], CommandResult]:
    """The command to run, its modules imported."""
    if ns.command == "templates":
        from .commands.templates import templates_command
        return lambda: templates_command(ns.out, year=ns.year, python=ns.python)
    if ns.command == "read":
        from .commands.read import inspect_command
        return lambda: inspect_command(ns.inputs)
    if ns.command == "validate":
        from .commands.validate import validate_command

        def validate() -> CommandResult:
            with Progress.for_terminal(ns.quiet) as progress:
                return validate_command(ns.inputs, rules=ns.rules, as_of=ns.as_of, json_out=ns.json_out,
                                        xlsx_out=ns.xlsx_out, return_dir=ns.return_dir, progress=progress)
        return validate
    if ns.command == "rules":
        from .commands.rules import rules_command
        return lambda: rules_command(ns.action, ns.pack)
    if ns.command == "merge":
        from .commands.merge import merge_command

        def merge() -> CommandResult:
            with Progress.for_terminal(ns.quiet) as progress:
                return merge_command(ns.inputs, out=ns.out, level=ns.level, rules=ns.rules, as_of=ns.as_of,
                                     json_out=ns.json_out, unit=ns.unit, jobs=ns.jobs, expect=ns.expect,
                                     return_dir=ns.return_dir, previous=ns.previous, progress=progress)
        return merge
    if ns.command == "mark":
        from .commands.mark import mark_command
        return lambda: mark_command(ns.file, out=ns.out, rules=ns.rules, as_of=ns.as_of, in_place=ns.in_place,
                                    read=getattr(ns, "mark_read", None))
    raise AssertionError(ns.command)


#: output options by command: (attribute, is a folder)
_OUTPUTS = {"templates": (("out", True),),
            "validate": (("json_out", False), ("xlsx_out", False), ("return_dir", True)),
            "merge": (("out", False), ("json_out", False), ("return_dir", True)), "mark": (("out", False),)}


def _check_outputs(ns: argparse.Namespace) -> list[Path]:
    """Refuse (OutputPathError) an output that cannot be written, before any work; the folders to be made.

    Each command checks its outputs against its inputs too; this is the one place every command
    that writes gets the same answer for /proc, a read-only share or a file where a folder should be.
    """
    from .safe_output import check_output_dir, check_output_path
    made = []
    for attr, folder in _OUTPUTS.get(ns.command, ()):
        path = getattr(ns, attr, None)
        if path is None:
            continue
        missing = check_output_dir(path) if folder else check_output_path(path)
        if missing is not None and missing not in made:     # -o, --json, --return-dir in one new folder
            made.append(missing)
    return made


def _run(ns: argparse.Namespace) -> CommandResult:
    """The command, with every output problem as a Chinese message and exit code 2, never a traceback."""
    from .safe_output import OutputPathError, os_error_text
    try:
        made = _check_outputs(ns)
        result = _dispatch(ns)
    except OutputPathError as exc:
        return CommandResult(EXIT_UNUSABLE, errors=[f"xlbase {ns.command}：{exc}"])
    except OSError as exc:   # reading never raises for bad input: this is a file being written
        where = f"“{exc.filename}”" if exc.filename else ""
        return CommandResult(EXIT_UNUSABLE, errors=[
            f"xlbase {ns.command}：无法写入{where}：{os_error_text(exc)}；请检查输出位置和磁盘空间后重试。"])
    result.lines += [f"已新建输出文件夹：{d}" for d in made if d.is_dir()]
    return result


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)    # none on a StringIO a caller swapped in
        if reconfigure is not None:
            try:
                reconfigure(encoding="utf-8", errors="replace")  # Windows consoles (GBK)
            except ValueError:
                pass
    parser = build_parser()
    ns = parser.parse_args(argv)
    if not ns.command:
        parser.print_help()
        return EXIT_UNUSABLE
    try:
        result = _run(ns)
    except KeyboardInterrupt:
        print("\nxlbase：已中断，输出文件未改动。", file=sys.stderr)
        return 130
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


def console_main() -> int:
    """`main()` for a process that ends right after it (the `xlbase` command, `python -m xlbase`).

    The cycle collector is paused while the command's modules are imported (startup.pause_for_imports:
    resumed by imports_done where the command starts). What the command built is moved out of the
    collector's reach (gc.freeze) before the interpreter exits: its last full collection otherwise walks
    every object still alive, 0.1 s of a province merge (58 000 firms). Exit handlers (atexit,
    weakref.finalize: temporary folders) still run; only cyclic garbage left at exit is not swept, and the
    process is ending. Not in `main()`: tests call that in their own long-lived process.
    """
    pause_for_imports()
    code = main()
    import gc
    gc.freeze()
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(console_main())
