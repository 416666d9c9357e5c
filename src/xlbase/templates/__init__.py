"""The templates clerks fill in (附件2/3/4/10, and the 附件11 汇总表), blank or pre-filled, .xlsx and .xlsm;
and the styles and print setup every other output (summary/, reports/, mark/) shares.

workbooks.py    the applicant and summary workbooks, assembled from the parts below
programme.py    a programme's templates (forms/specs/<programme>/), from the same parts
table.py        a form's table: header, columns, data rows;  record.py  a record form (one base per sheet)
values.py       pre-filled values as the form's types;  validation.py / lists.py  dropdowns and their lists
dates.py        dates read in the sheet as read.normalise reads them (the hidden xl_dates sheet)
checks.py / thresholds.py  live checks beside the tables, from the default rule pack
rule_counts.py / check_sheet.py  表内检查: per rule kind, the count of problems validate would report
guide.py / field_guide.py  填表说明 (Shanxi's by sections; a programme's notes and fields)
blocks.py       titles, notes, signatures;  printing.py  page setup and protection
styles.py       the one set of cell formats and widths;  vba.py  the .xlsm's 校验 button (xlwings)
"""
