"""Problems marked on the cells a clerk typed, in a copy of their own workbook.

copy.py         the marked copy (`xlbase mark`): cells filled by severity, 校验结果, marks recorded and undone
return_pack.py  the return pack: per unit with something to fix, its marked files and its own 问题清单
"""
