"""Problems marked on the cells a clerk typed, in a copy of their own workbook.

marks.py        what a mark is, for the copy and the 校验 button alike: the cells a problem marks, the fills by
                severity, 校验结果's rows, the record of marked cells (no package opened: the button needs no XML)
copy.py         the marked copy (`xlbase mark`): the package patched — cells filled, 校验结果, marks recorded and undone
return_pack.py  the return pack: per unit with something to fix, its marked files and its own 问题清单
"""
