"""The templates clerks fill in (附件2/3/4/10, and the 附件11 汇总表), blank or pre-filled, .xlsx and .xlsm;
and the styles and print setup every other output (summary/, reports/, mark/) shares.

workbooks.py    the applicant and summary workbooks, assembled from the parts below
programme.py    a programme's templates (forms/specs/<programme>/), from the same parts
table.py        a form's table: header, columns, data rows;  record.py  a record form (one base per sheet)
values.py       pre-filled values as the form's types;  validation.py / lists.py  dropdowns and their lists
dates.py        dates read in the sheet as read.normalise reads them (the hidden xl_dates sheet)
numbers.py      numbers typed as clerks type them ("25人", "3.5万", "１２") read in the sheet (hidden xl_numbers)
estimates.py    a figure typed as a bound or an estimate ("约300", "30户以上", "20-30") read as its range there
reads.py        every typed date and number of a workbook read so (Shanxi's and a programme's)
checks.py / thresholds.py  live checks beside the tables, from the default rule pack
rule_counts.py / check_sheet.py  表内检查: per rule kind, the count of problems validate would report
count_*.py      those counts, one module per kind of check (fields, choices, answers, thresholds, shares,
                totals, codes); places.py where each form's values sit;  marks.py  red marks on typed cells
row_counts.py   the same counts row by row on a one-row-per-base list (附件11; hidden xl_rows)
sizes.py        each firm sized small/micro per 300号 in the sheet (hidden xl_sizes), for the share rule
choices.py      typed places, industries, sizes accepted as validate's matchers accept them
conditions.py   conditional formats that reach other sheets through defined names
guide.py / field_guide.py  填表说明 (Shanxi's by sections; a programme's notes and fields)
blocks.py       titles, notes, signatures;  printing.py  page setup and protection
styles.py       the one set of cell formats and widths;  vba.py  the .xlsm's 校验 button (xlwings)

What the templates keep to, so that Excel 2010, WPS and LibreOffice compute them alike (WPS cannot be run
here: these are the limits and habits it is documented to share with Excel, each one checked on the
committed files by tests/templates/test_template_formulas.py, and LibreOffice's results compared with
validate by the recalculation tests):
- functions of an allow-list only, none newer than Excel 2010, no array-entered (Ctrl+Shift+Enter) or
  spilled formulas: arrays only inside SUMPRODUCT/MMULT and the LOOKUP(1,0/(…)) idiom, which all three
  evaluate without array entry;
- formulas within Excel's 8192 characters and 64 nested calls (WPS keeps Excel's limits), data-validation
  formulas within 255 characters, dropdown lists from named ranges on the hidden lists sheet (an inline
  list stops at 255 characters in Excel and WPS);
- conditional formats and validations refer to other sheets only through defined names (Excel 2007 and
  WPS versions built like it refuse a direct reference to another sheet there);
- INDIRECT only for the county dropdown, on a defined name built with MATCH (the 二级下拉 way WPS users
  know); defined names with relative references (date reads, firm sizes), as Excel's name manager makes;
- xlsxwriter marks each file for a full calculation on load (fullCalcOnLoad); a viewer that does not
  calculate shows the results cached when the file was written (on a blank form: 表格尚未填写).
"""
