"""The CLI speaks Chinese: help, usage and section titles; every command that writes refuses an
output it cannot write with exit 2 and a Chinese message, never a traceback; a missing output
folder is made and said."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import example, given, strategies as st

from xlbase.cli import _cells, _wrap

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "samples" / "counties"
APPLICANT = next(SAMPLE.glob("五台县/*.xlsx"))
ENGLISH = ("usage:", "options:", "positional arguments", "show this help", "show program's version")


def _run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xlbase", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd, timeout=300)


@pytest.mark.parametrize("args", [("--help",), ("merge", "-h"), ("validate", "--help"), ("mark", "-h"),
                                  ("templates", "-h"), ("read", "-h"), ("rules", "-h")])
def test_help_is_chinese(args):
    proc = _run(*args)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.startswith("用法：xlbase"), out[:80]
    for word in ENGLISH:
        assert word not in out.lower(), (word, out)
    assert "选项：" in out and "显示本帮助并退出" in out


def test_top_help_lists_every_command():
    out = _run("--help").stdout
    for cmd in ("templates", "read", "validate", "rules", "merge", "mark"):
        assert f"    {cmd} " in out, out


def test_usage_on_an_argument_error_is_chinese():
    proc = _run("merge")
    assert proc.returncode == 2
    assert "用法：xlbase merge" in proc.stderr and "usage:" not in proc.stderr
    assert "缺少必需的参数" in proc.stderr


# every option that names something to write, pointed under /proc (which no one can create files in, root included)
UNWRITABLE = [
    ("merge", str(SAMPLE), "-o", "/proc/xlbase/汇总表.xlsx"),
    ("merge", str(SAMPLE), "-o", "/proc/汇总表.xlsx"),
    ("merge", str(SAMPLE), "-o", "{tmp}/汇总表.xlsx", "--json", "/proc/报告.json"),
    ("validate", str(SAMPLE), "--xlsx", "/proc/问题.xlsx"),
    ("validate", str(SAMPLE), "--json", "/proc/xlbase/报告.json"),
    ("mark", str(APPLICANT), "-o", "/proc/标注.xlsx"),
    ("templates", "-o", "/proc/模板"),
    ("templates", "-o", "/proc/xlbase/模板"),
    ("merge", str(SAMPLE), "-o", "{tmp}/汇总表.xlsx", "--return-dir", "/proc/退回"),
    ("validate", str(SAMPLE), "--return-dir", "/proc/xlbase/退回"),
]


@pytest.mark.parametrize("args", UNWRITABLE, ids=lambda a: " ".join(a[:1] + a[2:]))
def test_unwritable_output_exits_2_in_chinese(args, tmp_path):
    proc = _run(*(a.format(tmp=tmp_path) for a in args))
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr + proc.stdout
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith(f"xlbase {args[0]}：") and "无法写入" in last and "/proc" in last, last
    assert not list(tmp_path.iterdir())                       # nothing written before the refusal


def test_output_under_a_file_exits_2(tmp_path):
    blocker = tmp_path / "汇总表"
    blocker.write_text("x")
    proc = _run("merge", str(SAMPLE), "-o", str(blocker / "汇总表.xlsx"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "是一个文件而不是文件夹" in proc.stderr


def test_missing_output_folder_is_made_and_said_once(tmp_path):
    new = tmp_path / "新建"
    out = new / "市级" / "汇总表.xlsx"
    proc = _run("merge", str(SAMPLE), "-o", str(out), "--json", str(new / "r.json"),
                "--return-dir", str(new / "退回"))
    assert proc.returncode in (0, 1), proc.stderr
    assert out.is_file() and (new / "r.json").is_file()
    assert proc.stdout.count("已新建输出文件夹") == 1             # three outputs, one new folder
    assert f"已新建输出文件夹：{new}" in proc.stdout


@given(st.text(alphabet="汇总表规则包（）、，abc 12-", max_size=60), st.integers(8, 40))
@example("则、、、 、", 8)          # punctuation that may not start a line stays on the one before
def test_wrap_keeps_text_and_fits(text, width):
    lines = _wrap(text, width)
    assert "".join(lines).replace(" ", "") == " ".join(text.split()).replace(" ", "")
    for line in lines:
        # a line only overflows by punctuation that may not start the next one, or by one long ASCII word
        body = line.rstrip("）)，,。；;：:、 ")
        assert _cells(body) <= width or re.fullmatch(r"[\x21-\x7e]+", body), (line, width)


def test_rules_show_prints_what_is_an_error_a_warning_and_a_notice():
    """`xlbase rules show <rule id>`: one rule of the default pack, with its outcomes at the pack's severity
    (forms-agree is a warning in the Shanxi pack: its “two forms differ” outcome prints as 警告)."""
    one = _run("rules", "show", "forms-agree")
    assert one.returncode == 0, one.stderr
    assert "forms-agree" in one.stdout and "\n    警告：两张表所填同一事项不一致" in one.stdout
    assert "resident-firms-min" not in one.stdout
    whole = _run("rules", "show")
    assert whole.returncode == 0 and whole.stdout.count("\n    错误：") >= 10 and "提示：基地类型未知" in whole.stdout
    assert _run("rules", "show", "no-such-rule").returncode == 2


@pytest.mark.parametrize("command", ["merge", "validate"])
def test_files_read_but_holding_no_form_are_not_said_to_be_unreadable(tmp_path, command):
    """A batch whose files all opened but hold no form (a price list, an empty workbook) exits 2 saying no form
    was read in them — not "no readable input file", which was untrue of every file in it."""
    from openpyxl import Workbook

    inbox = tmp_path / "收件"
    inbox.mkdir()
    wb = Workbook()
    wb.active.append(["品名", "单价", "数量"])
    wb.active.append(["打印纸", 25, 4])
    wb.save(inbox / "采购清单.xlsx")
    Workbook().save(inbox / "空白.xlsx")
    args = [command, str(inbox)] + (["-o", str(tmp_path / "汇总表.xlsx")] if command == "merge" else [])
    run = _run(*args)
    assert run.returncode == 2
    said = run.stdout + run.stderr
    assert "没有读到任何申报表或汇总表" in said and "没有可读取的输入文件" not in said
    assert "采购清单.xlsx" in said and "空白.xlsx" in said        # each file's own reason is still given
