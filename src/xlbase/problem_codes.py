"""Every problem code xlbase emits, registered once: its Chinese title, category and usual severity.

Rule problems take their code from the rule pack (the rule's `id`, its `title` from the pack, else its
kind's: rules/kinds/); the codes here are the reader's, the merge's and the commands' own. docs/problems.md
is generated from both (xlbase.rules.reference). The 问题清单, 校验结果 and `xlbase rules show` show the title beside the code; the
JSON report keeps the code. Code writes a code by its constant here (`from ..problem_codes import NO_BASE`),
never as a string: a misspelt name fails ruff, mypy and the import (tests/rules/test_problem_codes.py
holds it). A new code: one `NAME = register(...)` line below, then regenerate docs/problems.md.

The severity policy (README, docs/rules.md) is what `severity` follows:
  错误 error   — the submission is wrong or lacks what the notice requires, provable from the files;
  警告 warning — likely wrong, or cannot be decided from the files (the message says what would decide it);
  提示 info    — how something was read or converted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
    title: str          # what the 问题清单 shows beside the code
    category: str       # 文件 / 读取 / 规则 / 汇总
    severity: str       # the usual severity; `varies` says when another is used
    varies: str = ""


REGISTRY: dict[str, ProblemCode] = {}


def register(code: str, title: str, category: str, severity: str, varies: str = "") -> str:
    """Declare a code once; returns the code so a module can keep it as a constant."""
    if category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r}")
    known = REGISTRY.get(code)
    entry = ProblemCode(code, title, category, severity, varies)
    if known is not None and known != entry:
        raise ValueError(f"problem code {code!r} registered twice, differently")
    REGISTRY[code] = entry
    return code


# --- files and arguments ---------------------------------------------------------------------------
INPUT_MISSING = register("input-missing", "找不到输入文件", FILE, ERROR)
FILE_UNUSABLE = register("file-unusable", "文件无法读取", FILE, ERROR)
FILE_ARCHIVE = register("file-archive", "压缩包未解压", FILE, WARNING)
FILE_NOT_SPREADSHEET = register("file-not-spreadsheet", "不是表格文件", FILE, INFO, "CSV 文本文件为警告（可能是另存的表格）")
FILE_DECRYPTED = register("file-decrypted", "默认密码的文件，已读取", FILE, INFO)
FILE_FORMAT = register("file-format", "文件实际格式与扩展名不同，已按实际格式读取", FILE, INFO)
FILE_READER = register("file-reader", "文件由备用读取器读取", FILE, INFO)
PREVIOUS_OUTPUT = register("previous-output", "此前生成的汇总表，已跳过", FILE, INFO)
SHEET_LOCKED = register("sheet-locked", "工作表有密码保护，未能标色", FILE, INFO)

# --- reading ----------------------------------------------------------------------------------------
UNPARSEABLE = register("unparseable", "无法识别的值", READ, ERROR, "合并的“所在市县”只认出市时为警告")
PRECISION_LOST = register("precision-lost", "代码被存成数字、位数已丢失", READ, ERROR)
FORMULA_NO_VALUE = register("formula-no-value", "公式没有计算结果", READ, ERROR)
ERROR_VALUE = register("error-value", "单元格是错误值（如 #REF!）", READ, ERROR)
VALUE_CONVERTED = register("value-converted", "值已换算或补全", READ, INFO)
MISSING_COLUMN = register("missing-column", "缺少官方栏目", READ, ERROR,
         "表中另有认不出的栏目（可能就是该列）时为警告；非必填栏目为提示；本工具增加的栏目缺少时不报")
UNKNOWN_COLUMN = register("unknown-column", "不认识的栏目，已忽略", READ, INFO, "该列有内容时为警告")
COLUMN_READ_AS = register("column-read-as", "栏目按另一种写法读取", READ, INFO)
COLUMN_BY_POSITION = register("column-by-position", "栏目按位置推断", READ, WARNING)
COLUMN_UNIT_CONVERTED = register("column-unit-converted", "整列按表头单位换算", READ, INFO)
COLUMN_IMPLAUSIBLE = register("column-implausible", "整列数值按该单位不合常理", READ, WARNING)
NONE_AS_ZERO = register("none-as-zero", "“/”“无”等按 0 读取", READ, INFO)
NO_BASE = register("no-base", "本年度没有申报基地", READ, INFO)
SECTION_ROW = register("section-row", "表中的分段行（设定其下各行的所在地）", READ, INFO)
DUPLICATE_COLUMN = register("duplicate-column", "重复的栏目", READ, WARNING)
TOTAL_ROW = register("total-row", "合计行，未计入", READ, INFO)
HIDDEN_ROW = register("hidden-row", "隐藏的行", READ, INFO)
HIDDEN_SHEET = register("hidden-sheet", "隐藏的工作表", READ, INFO)
SKIPPED_LINE = register("skipped-line", "表中跳过的行", READ, INFO)
SAMPLE_ROW = register("sample-row", "表格示例行，已忽略", READ, INFO)
UNREAD_SHEET = register("unread-sheet", "有内容但没有表头的工作表", READ, WARNING)
PROGRAMME_RECOGNISED = register("programme-recognised", "按表格识别申报项目", READ, INFO)
COVER_BASE_TYPE = register("cover-base-type", "基地类型取自附件1封面", READ, INFO)
COVER_BASE_TYPE_UNCLEAR = register("cover-base-type-unclear", "附件1封面的基地类型无法确定", READ, WARNING)

# --- merging ----------------------------------------------------------------------------------------
DUPLICATE_BASE = register("duplicate-base", "同一基地重复报送", MERGE, WARNING, "汇总表中的行就是本次也收到的原文件时为提示")
BASE_CONFLICT = register("base-conflict", "同一基地两份材料填报不一致", MERGE, WARNING)
DUPLICATE_ENTERPRISE = register("duplicate-enterprise", "同一企业出现在两个基地", MERGE, WARNING)
MERGE_UNNAMED_BASE = register("merge-unnamed-base", "基地行没有基地名称", MERGE, ERROR)
MERGE_SAMPLE_ROW = register("merge-sample-row", "示例基地行，未计入", MERGE, WARNING)
MERGE_FIRMS_UNATTACHED = register("merge-firms-unattached", "入驻企业找不到所属基地", MERGE, ERROR)
FIRMS_ATTACHED = register("firms-attached", "入驻企业名单按名称归入基地", MERGE, INFO)
FIRMS_BASE_UNCLEAR = register("firms-base-unclear", "入驻企业名单无法确定所属基地", MERGE, WARNING)
COVER_UNATTACHED = register("cover-unattached", "单独报送的附件1封面无法确定所属基地", MERGE, WARNING)
FIRMS_LIST_REPEATED = register("firms-list-repeated", "同一基地有两份入驻企业名单", MERGE, WARNING)
BASE_WITHOUT_ROW = register("base-without-row", "有入驻企业名单但没有附件10", MERGE, WARNING)
SUMMARY_EDITED = register("summary-edited", "汇总表生成后被修改过", MERGE, WARNING)
SUMMARY_SOURCES_PARTLY_HERE = register("summary-sources-partly-here", "汇总表的来源文件部分在本次输入中", MERGE, WARNING)
LOWER_PACK_DIFFERS = register("lower-pack-differs", "下级汇总表所用规则包不同", MERGE, INFO)
LEVEL_MISMATCH = register("level-mismatch", "汇总层级与基地分布不符", MERGE, WARNING)
UNIT_NOT_REPORTED = register("unit-not-reported", "应报单位未报送", MERGE, WARNING)
INCOMPLETE_TOTAL = register("incomplete-total", "有的表缺少该列，汇总数不完整", MERGE, WARNING)


def title_of(code: str, pack: Any = None) -> str:
    """The Chinese title of a problem code: the pack's (its rule's title, or its kind's: RulePack.title_of),
    else the registry's; "" for a code neither knows."""
    titled = getattr(pack, "title_of", None)
    title = titled(code) if titled is not None else ""
    if title:
        return title
    entry = REGISTRY.get(code)
    return entry.title if entry else ""
