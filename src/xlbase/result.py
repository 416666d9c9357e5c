"""What a command hands back to the CLI: an exit code and the lines to print.

Exit codes (a contract for scripts): 0 no error-severity problem, 1 errors found,
2 unusable arguments or no readable input.
"""

from __future__ import annotations

from dataclasses import dataclass, field

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_UNUSABLE = 2
#: a merge or validate whose inputs gave no form at all: none opened, or every one opened holds no form (a
#: spreadsheet of something else, an empty workbook) — not "no readable file" when files were read
NOTHING_READ = "输入文件中没有读到任何申报表或汇总表（每个文件未读到的原因已逐一列出）"


@dataclass
class CommandResult:
    exit_code: int
    lines: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)   # printed to stderr
