"""Problems as reports: the 问题清单 sheet and workbook (printable, linked to each file), the JSON report.

problems.py  问题清单 (a sheet of any workbook, or a workbook of its own), the JSON report, file statuses in Chinese
"""
