"""What a command hands back to the CLI: an exit code and the lines to print.

Exit codes (a contract for scripts): 0 no error-severity problem, 1 errors found,
2 unusable arguments or no readable input.
"""

from __future__ import annotations

from dataclasses import dataclass, field

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_UNUSABLE = 2


@dataclass
class CommandResult:
    exit_code: int
    lines: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)   # printed to stderr
