"""The top layer: one module per `xlbase` command, and the Excel buttons' entry points.

Each command takes its arguments, runs the layers below (read → rules → merge → check → outputs)
and returns a CommandResult (lines to print, an exit code); cli.py only wires argparse to them.

merge.py     `xlbase merge`
validate.py  `xlbase validate`
read.py      `xlbase read`
rules.py     `xlbase rules list|show`
templates.py `xlbase templates`
mark.py      `xlbase mark`
excel.py     the 校验 / 清除标注 buttons of the .xlsm templates (xlwings), through xlbase/excel.py
"""
