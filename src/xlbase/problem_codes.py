"""Every problem code xlbase emits, registered once: its Chinese title, category and usual severity.

Rule problems take their code from the rule pack (the rule's `id`, its `title` from the pack, else its
kind's: rules/kinds/); the codes here are the reader's, the merge's and the commands' own. docs/problems.md
is generated from both (xlbase.rules.reference). The 问题清单, 校验结果 and `xlbase rules show` show the title beside the code; the
JSON report keeps the code. Code writes a code by its constant here (`from ..problem_codes import NO_BASE`),
never as a string: a misspelt name fails ruff, mypy and the import (tests/rules/test_problem_codes.py
holds it). A new code: its constant below, its line in its category's _declare, then regenerate
docs/problems.md.

The severity policy (README, docs/rules.md) is what `severity` follows:
  错误 error   — the submission is wrong or lacks what the notice requires, provable from the files;
  警告 warning — likely wrong, or cannot be decided from the files (the message says what would decide it);
  提示 info    — how something was read or converted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .forms.programmes import DEFAULT_NOUN

#: severities (Problem.severity); xlbase.problems re-exports them
ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)

FILE, READ, RULE, MERGE = "文件", "读取", "规则", "汇总"
CATEGORIES = (FILE, READ, RULE, MERGE)


@dataclass(frozen=True)
class ProblemCode:
    code: str
    template: str       # what the 问题清单 shows beside the code; {noun}: what one application is about
    category: str       # 文件 / 读取 / 规则 / 汇总
    severity: str       # the usual severity; `varies` says when another is used
    varies: str = ""

    def title_for(self, noun: str) -> str:
        """The title said of a programme's applications (Programme.noun: 基地, 平台 for 太原)."""
        return self.template.format(noun=noun)

    @property
    def title(self) -> str:
        return self.title_for(DEFAULT_NOUN)


REGISTRY: dict[str, ProblemCode] = {}


def _declare(category: str, codes: dict[str, tuple[str, ...]]) -> None:
    """Register a category's codes: code -> (usual severity, title[, when another severity is used])."""
    if category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r}")
    for code, (severity, title, *varies) in codes.items():
        if code in REGISTRY:
            raise ValueError(f"problem code {code!r} declared twice")
        if severity not in SEVERITIES:
            raise ValueError(f"{code}: unknown severity {severity!r}")
        REGISTRY[code] = ProblemCode(code, title, category, severity, *varies)


# --- the codes: each constant is named after its code (INPUT_MISSING is "input-missing") ----------------
# files and arguments
INPUT_MISSING = "input-missing"
FILE_UNUSABLE = "file-unusable"
FILE_ARCHIVE = "file-archive"
FILE_NOT_SPREADSHEET = "file-not-spreadsheet"
FILE_DECRYPTED = "file-decrypted"
FILE_FORMAT = "file-format"
FILE_READER = "file-reader"
PREVIOUS_OUTPUT = "previous-output"
MARKED_COPY = "marked-copy"
SHEET_LOCKED = "sheet-locked"
# reading
UNPARSEABLE = "unparseable"
PRECISION_LOST = "precision-lost"
FORMULA_NO_VALUE = "formula-no-value"
ERROR_VALUE = "error-value"
VALUE_CONVERTED = "value-converted"
VALUE_ESTIMATE = "value-estimate"
NAME_STATUS_TAG = "name-status-tag"
TABLE_PARTS = "table-parts"
MISSING_COLUMN = "missing-column"
OWN_ROW = "own-row"
UNKNOWN_COLUMN = "unknown-column"
EXTRA_COLUMN = "extra-column"
COLUMN_READ_AS = "column-read-as"
COLUMN_BY_POSITION = "column-by-position"
COLUMN_READ_UNSURE = "column-read-unsure"
COLUMN_UNIT_CONVERTED = "column-unit-converted"
COLUMN_IMPLAUSIBLE = "column-implausible"
NONE_AS_ZERO = "none-as-zero"
FIGURES_FROM_TEXT = "figures-from-text"
NO_BASE = "no-base"
SECTION_ROW = "section-row"
PLACE_FROM_ABOVE = "place-from-above"
DUPLICATE_COLUMN = "duplicate-column"
TOTAL_ROW = "total-row"
HIDDEN_ROW = "hidden-row"
HIDDEN_SHEET = "hidden-sheet"
SKIPPED_LINE = "skipped-line"
UNPLACED_ROWS = "unplaced-rows"
SAMPLE_ROW = "sample-row"
UNREAD_SHEET = "unread-sheet"
PROGRAMME_RECOGNISED = "programme-recognised"
COVER_BASE_TYPE = "cover-base-type"
COVER_BASE_TYPE_UNCLEAR = "cover-base-type-unclear"
# merging
DUPLICATE_BASE = "duplicate-base"
BASE_CONFLICT = "base-conflict"
DUPLICATE_ENTERPRISE = "duplicate-enterprise"
MERGE_UNNAMED_BASE = "merge-unnamed-base"
MERGE_SAMPLE_ROW = "merge-sample-row"
MERGE_FIRMS_UNATTACHED = "merge-firms-unattached"
PLACE_FOLDER_DIFFERS = "place-folder-differs"
FIRMS_ATTACHED = "firms-attached"
PART_ATTACHED = "part-attached"
PART_BASE_UNCLEAR = "part-base-unclear"
UNIT_FROM_PLACE = "unit-from-place"
FIRMS_BASE_UNCLEAR = "firms-base-unclear"
COVER_UNATTACHED = "cover-unattached"
FIRMS_LIST_REPEATED = "firms-list-repeated"
BASE_WITHOUT_ROW = "base-without-row"
SUMMARY_EDITED = "summary-edited"
SUMMARY_SOURCES_PARTLY_HERE = "summary-sources-partly-here"
LOWER_PACK_DIFFERS = "lower-pack-differs"
LEVEL_MISMATCH = "level-mismatch"
UNIT_NOT_REPORTED = "unit-not-reported"
INCOMPLETE_TOTAL = "incomplete-total"
# rules (beside the pack's own rule ids)
DOCUMENTS_TO_CHECK = "documents-to-check"


# --- what each code is, by category: code -> (usual severity, title[, when another severity is used]) -----
_declare(FILE, {
    INPUT_MISSING: (ERROR, "找不到输入文件"),
    FILE_UNUSABLE: (ERROR, "文件无法读取"),
    FILE_ARCHIVE: (WARNING, "压缩包未打开（RAR/7z、无法列出的 zip、压缩包里的压缩包）"),
    FILE_NOT_SPREADSHEET: (INFO, "不是表格文件", "CSV 文本文件为警告（可能是另存的表格）"),
    FILE_DECRYPTED: (INFO, "默认密码的文件，已读取"),
    FILE_FORMAT: (INFO, "文件实际格式与扩展名不同，已按实际格式读取"),
    FILE_READER: (INFO, "文件由备用读取器读取"),
    PREVIOUS_OUTPUT: (INFO, "此前生成的汇总表，已跳过"),
    MARKED_COPY: (INFO, "xlbase 生成的标注副本，原文件也在本次输入中，已跳过"),
    SHEET_LOCKED: (INFO, "工作表有密码保护，未能标色"),
})
_declare(READ, {
    UNPARSEABLE: (ERROR, "无法识别的值", "合并的“所在市县”只认出市时为警告"),
    PRECISION_LOST: (ERROR, "代码被存成数字、位数已丢失"),
    FORMULA_NO_VALUE: (ERROR, "公式没有计算结果"),
    ERROR_VALUE: (ERROR, "单元格是错误值（如 #REF!）"),
    VALUE_CONVERTED: (INFO, "值已换算或补全"),
    VALUE_ESTIMATE: (INFO, "数字写成范围或估计值（如“30户以上”“约300”）、日期只写了年份：按所写的范围判断，不是确切的值"),
    NAME_STATUS_TAG: (INFO, "{noun}名称后括注的申报状态（续报、新申报），不作为名称的一部分"),
    TABLE_PARTS: (INFO, "一张表的栏目分在两个工作表（如“基本情况”和“运营情况”），按{noun}名称对应读作一张表"),
    MISSING_COLUMN: (ERROR, "缺少官方栏目",
                     "每张表按严重程度各一条，列出所缺的全部栏目，指向表头；表中另有认不出的栏目（可能就是所缺的栏目：申请表中"
                     "须站在该栏的位置上或用了该栏的字样，且与该栏同类——金额、面积、人数、户数、日期、文字等）"
                     "或该栏常为空（如孵化成果）时为警告；非必填栏目为提示；本工具增加的栏目缺少时不报"),
    UNKNOWN_COLUMN: (INFO, "不认识的栏目，已忽略", "该列有内容时为警告"),
    OWN_ROW: (INFO, "列表中本{noun}自己的一行（如附件4的周边场地中写了“本{noun}”），不作为列表数据"),
    EXTRA_COLUMN: (INFO, "表样以外的栏目（备注、联系人等），内容不需汇总，未读取"),
    COLUMN_READ_AS: (INFO, "栏目按另一种写法读取"),
    COLUMN_BY_POSITION: (WARNING, "栏目按位置推断"),
    COLUMN_READ_UNSURE: (WARNING, "栏目名称多了限定词，可能是相近的另一概念，已按该栏目读取"),
    COLUMN_UNIT_CONVERTED: (INFO, "整列按表头单位换算"),
    COLUMN_IMPLAUSIBLE: (WARNING, "整列数值按该单位不合常理"),
    NONE_AS_ZERO: (INFO, "“/”“无”等按 0 读取"),
    FIGURES_FROM_TEXT: (INFO, "文字栏中写明的数字（如推荐汇总表“{noun}基本情况（简要）”中的服务人员数、入驻企业数）按栏目读取，只供汇总参考"),
    NO_BASE: (INFO, "本年度没有申报{noun}"),
    SECTION_ROW: (INFO, "表中的分段行（设定其下各行的所在地或基地类型）"),
    PLACE_FROM_ABOVE: (INFO, "所在地栏的空白格按其上方所填读取（合并单元格或只在首行填写）"),
    DUPLICATE_COLUMN: (WARNING, "重复的栏目"),
    TOTAL_ROW: (INFO, "合计行，未计入"),
    HIDDEN_ROW: (WARNING, "隐藏的行（纸质材料中没有），未计入汇总", "被自动筛选隐藏的行仍计入汇总，为提示"),
    HIDDEN_SHEET: (INFO, "隐藏的工作表"),
    SKIPPED_LINE: (INFO, "表中跳过的行"),
    UNPLACED_ROWS: (WARNING, "只在认不出的栏目下有内容的行，未读取"),
    SAMPLE_ROW: (INFO, "表格示例行，已忽略"),
    UNREAD_SHEET: (WARNING, "有内容但没有表头的工作表"),
    PROGRAMME_RECOGNISED: (INFO, "按表格识别申报项目"),
    COVER_BASE_TYPE: (INFO, "基地类型取自附件1封面"),
    COVER_BASE_TYPE_UNCLEAR: (WARNING, "附件1封面的基地类型无法确定"),
})
_declare(MERGE, {
    DUPLICATE_BASE: (WARNING, "同一{noun}重复报送", "汇总表中的行就是本次也收到的原文件时为提示"),
    BASE_CONFLICT: (WARNING, "同一{noun}两份材料填报不一致"),
    DUPLICATE_ENTERPRISE: (WARNING, "同一企业出现在两个{noun}"),
    MERGE_UNNAMED_BASE: (ERROR, "{noun}行没有{noun}名称"),
    MERGE_SAMPLE_ROW: (WARNING, "示例{noun}行，未计入"),
    MERGE_FIRMS_UNATTACHED: (ERROR, "入驻企业找不到所属{noun}"),
    FIRMS_ATTACHED: (INFO, "入驻企业名单按名称归入{noun}"),
    FIRMS_BASE_UNCLEAR: (WARNING, "入驻企业名单无法确定所属{noun}"),
    COVER_UNATTACHED: (WARNING, "单独报送的附件1封面无法确定所属{noun}"),
    FIRMS_LIST_REPEATED: (WARNING, "同一{noun}有两份入驻企业名单"),
    PLACE_FOLDER_DIFFERS: (WARNING, "所在县与所在文件夹不一致"),
    PART_ATTACHED: (INFO, "单独报送的表格按名称归入申报材料"),
    PART_BASE_UNCLEAR: (WARNING, "单独报送的表格无法确定属于哪份申报材料"),
    UNIT_FROM_PLACE: (INFO, "表中没有填写报送单位（所在县区），按文件名、文件夹或{noun}名称确定",
                      "都不能确定时为警告（汇总表中该栏空白）"),
    BASE_WITHOUT_ROW: (WARNING, "有入驻企业名单但没有附件10"),
    SUMMARY_EDITED: (WARNING, "汇总表生成后被修改过"),
    SUMMARY_SOURCES_PARTLY_HERE: (WARNING, "汇总表的来源文件部分在本次输入中"),
    LOWER_PACK_DIFFERS: (INFO, "下级汇总表所用规则包不同"),
    LEVEL_MISMATCH: (WARNING, "汇总层级与{noun}分布不符"),
    UNIT_NOT_REPORTED: (WARNING, "应报单位未报送"),
    INCOMPLETE_TOTAL: (WARNING, "有的表缺少该列，汇总数不完整",
                       "申报项目的汇总表中缺少的只是本工具增加的数字栏目（通知表样没有）时为提示"),
})
_declare(RULE, {
    DOCUMENTS_TO_CHECK: (WARNING, "须核对证明材料的申报条件"),
})


def title_of(code: str, pack: Any = None, noun: str = DEFAULT_NOUN) -> str:
    """The Chinese title of a problem code: the pack's (its rule's title, or its kind's: RulePack.title_of),
    else the registry's, said of the programme's `noun` (平台 for 太原: Programme.noun);
    "" for a code neither knows."""
    titled = getattr(pack, "title_of", None)
    title = titled(code) if titled is not None else ""
    if title:
        return title
    entry = REGISTRY.get(code)
    return entry.title_for(noun) if entry else ""
