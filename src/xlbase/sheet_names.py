"""Names of the sheets xlbase writes next to the forms: reports, marks and the templates' own.

One place, because the reader must know them too: a city's 汇总表 is the
province's input, and its 问题清单 or 入驻企业 must never be read as a form,
nor a template's 填表说明 (which lists every label).
"""

PROBLEMS = "问题清单"
UNITS_COUNTY = "各县情况"
UNITS_CITY = "各市情况"
FIRMS = "入驻企业"
MARK_RESULTS = "校验结果"
MARK_RECORD = "_xlbase_marks"
#: the first row of MARK_RECORD (mark.copy writes it, the 校验 button too): what tells our marked copy by content
MARK_RECORD_HEADER = ("工作表", "单元格", "原样式", "新建", "标记样式", "原填充", "结果工作表")
FILES = "文件"
SUMMARY_RECORD = "_xlbase_summary"   # very hidden: the 汇总表's machine record (xlbase.summary_record)

# 入驻企业 columns around the 附件3 fields: the reader of a lower level's 汇总表 finds them by these heads
FIRMS_BASE = "所属基地"
FIRMS_FILE = "来源文件"
FIRMS_SHEET = "工作表"
FIRMS_ROW = "行号"

# the sheets our templates add beside the forms (templates.guide, templates.check_sheet): never read as forms
GUIDE = "填表说明"
CHECK = "表内检查"
TEMPLATE_SHEETS = (GUIDE, CHECK)

# the hidden helper sheets our templates write beside them (templates.lists.hidden_sheet: value lists, the
# sheet's own readings of numbers, dates, sizes, row counts): never a form
TEMPLATE_LISTS = "lists"
TEMPLATE_HELPER_PREFIX = "xl_"

REPORT_SHEETS = frozenset({PROBLEMS, UNITS_COUNTY, UNITS_CITY, FIRMS, MARK_RESULTS, MARK_RECORD, FILES,
                           SUMMARY_RECORD})


def is_xlbase_output(names: list[str]) -> bool:
    """A workbook xlbase wrote (a lower level's 汇总表, a marked copy, a report).

    Its report sheets quote labels and base names and must not be read as forms;
    a clerk's own sheet that happens to be called 入驻企业 still is read. Which of them
    is a 汇总表 whose rows a higher level merges is told by its record, not by these names.
    """
    return PROBLEMS in names or MARK_RESULTS in names or MARK_RECORD in names or SUMMARY_RECORD in names


def holds_marks(sheets) -> bool:
    """Whether a workbook's sheets (objects with `name` and `rows`) hold our marks record — a copy `xlbase mark`
    wrote, or a file the 校验 button marked: the hidden MARK_RECORD sheet opening with MARK_RECORD_HEADER."""
    for s in sheets:
        if s.name == MARK_RECORD and s.rows:
            first = [str(v).strip() for v in s.rows[0] if v is not None and str(v).strip()]
            return tuple(first[:len(MARK_RECORD_HEADER)]) == MARK_RECORD_HEADER
    return False


def is_template_helper(name: str, names: list[str]) -> bool:
    """A hidden helper sheet of one of our templates: named as the templates name them (TEMPLATE_LISTS, xl_…),
    in a workbook with our guide or check sheet. The reader does not look for forms in it: a template's list
    sheet (185 columns of value lists) took 0.2 s a process to find none."""
    return (name == TEMPLATE_LISTS or name.startswith(TEMPLATE_HELPER_PREFIX)) and \
        any(n in TEMPLATE_SHEETS for n in names)
