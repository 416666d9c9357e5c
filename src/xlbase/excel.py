"""The name the 校验 and 清除标注 buttons of every .xlsm xlbase wrote call (macros/XlbaseButton.bas:
`RunPython "import xlbase.excel; xlbase.excel.validate_caller()"`): kept so that templates already
handed out keep working. The entry points themselves are in commands/excel.py.
"""

from __future__ import annotations

from .commands.excel import clear_marks_caller as clear_marks_caller, validate_caller as validate_caller
