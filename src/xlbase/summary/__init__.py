"""The 汇总表 a merge writes: 附件11, 问题清单, 各县情况 / 各市情况, 入驻企业 and the hidden record.

workbook.py  the workbook and its 附件11 sheet (the filled summary form)
sheets.py    各县情况 / 各市情况 (one row per unit) and 入驻企业 (every firm row, streamed by ooxml.bulk_rows)
firm_xml.py  the 入驻企业 cells and their row XML (also built in the row helper, ooxml.row_render)
"""
