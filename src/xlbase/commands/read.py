"""`xlbase read`: show, in Chinese, what the reader found in each file.

Per file: forms found (sheet, range, rows), base identity, unknown/missing columns,
sheets with rows that were not read, and every value that could not be parsed, with its
cell; a file holding only a 附件1 cover is shown with its 基地类型, and a county's answer "no base" as
such; files that are no spreadsheet (a .docx, a .zip) are listed as not read. Exit 0
(clean), 1 (values not parsed or unusable files), 2 (no readable input at all).
"""

from __future__ import annotations

from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, get_column_letter

from ..forms.programmes import Programme, active, load_programme
from ..forms.roles import CITY, COUNTY, OPERATOR, SUMMARY_FORM
from ..problems import ERROR, sort_problems
from ..result import EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE, CommandResult
from ..table import Table, WorkbookRead
from ..read.files import expand_inputs, read_files
from ..problem_codes import (COLUMN_BY_POSITION, COLUMN_READ_AS, COLUMN_UNIT_CONVERTED, DUPLICATE_COLUMN,
                             ERROR_VALUE, FILE_DECRYPTED, FILE_FORMAT, FILE_READER, FORMULA_NO_VALUE,
                             EXTRA_COLUMN, HIDDEN_SHEET, NO_BASE, PRECISION_LOST, UNKNOWN_COLUMN, UNPARSEABLE, UNREAD_SHEET)

VALUE_RULES = (UNPARSEABLE, PRECISION_LOST, FORMULA_NO_VALUE, ERROR_VALUE)
IGNORED_RULES = (UNKNOWN_COLUMN, DUPLICATE_COLUMN, EXTRA_COLUMN)      # columns whose values were not read
READ_AS_RULES = (COLUMN_READ_AS, COLUMN_BY_POSITION, COLUMN_UNIT_CONVERTED)   # how columns were read
SHEET_RULES = (UNREAD_SHEET, HIDDEN_SHEET)   # sheets whose rows were not read
FILE_RULES = (FILE_FORMAT, FILE_READER, FILE_DECRYPTED)   # how the file was opened (real format, reader)
ANSWER_RULES = (NO_BASE,)      # the county's answer "no base this year"


def _range(t: Table) -> str:
    if t.columns and not t.data.empty and t.transposed:     # labels down a column, values beside them
        rows = sorted(t.columns.values())
        return f"{get_column_letter(t.header_row)}{rows[0]}:{get_column_letter(int(t.data['_row'].max()))}{rows[-1]}"
    if t.columns and not t.data.empty:
        cols = sorted(t.columns.values())
        last = int(t.data["_row"].max())
        return f"{get_column_letter(cols[0])}{t.header_row}:{get_column_letter(cols[-1])}{last}"
    if t.record_cells:
        cells = [coordinate_from_string(c) for c in t.record_cells.values() if c]
        cols = [column_index_from_string(c) for c, _ in cells]
        rows = [r for _, r in cells]
        return f"{get_column_letter(min(cols))}{min(rows)}:{get_column_letter(max(cols))}{max(rows)}"
    return f"第{t.header_row}行表头" if t.header_row else ""


def _describe(t: Table, programme: Programme) -> list[str]:
    form = t.form
    kind = f"{t.n_rows} 行数据" if form.kind != "record" else f"{sum(v is not None for v in t.record.values())} 项已填"
    if form.kind == "mixed":
        kind += f"，表头信息 {sum(v is not None for v in t.record.values())} 项"
    title = programme.worded(form).title.replace("{year}", "").lstrip(" 年")
    where = _range(t)
    lines = [f"  {t.form_id} {title}：工作表“{t.sheet}”，{f'范围 {where}，' if where else ''}{kind}"]
    if t.totals:
        lines.append(f"    合计/汇总行：第 {'、'.join(str(x['_row']) for x in t.totals)} 行（不计入数据）")
    b = t.base
    if b.get("name"):
        lines.append(f"    {_identity(b, programme)}")
    elif t.form_id == SUMMARY_FORM and "_base" in t.data.columns:
        lines.append(f"    基地 {t.data['_base'].astype(bool).sum()} 个（每行一个基地）")
    if t.extra_columns:
        lines.append(f"    未识别的列：{'、'.join(t.extra_columns)}")
    missing = [form.field(k).label for k in t.missing_fields]
    if missing:
        lines.append(f"    缺少的栏目：{'、'.join(missing)}")
    return lines


def _identity(b: dict, programme: Programme) -> str:
    """Who the application is, in its programme's words: its noun (太原: 平台), its operator and its city only
    where the programme's forms have them (太原's have neither: no “运营单位：（未识别）”, no “？小店区”)."""
    said = {f.identity for form in programme.forms.values() for f in form.fields if f.identity}
    parts = [f"{programme.noun}：{b['name']}"]
    if OPERATOR in said:
        parts.append(f"运营单位：{b.get(OPERATOR) or '（未识别）'}")
    city = b.get(CITY) or ("？" if CITY in said else "")
    if city or b.get(COUNTY):
        parts.append(f"所在：{city}{b.get(COUNTY) or ''}")
    return "；".join(parts)


def _unread_label(p) -> str:
    """How a problem of a file not read is introduced: how it was opened is no reason it was not read."""
    if p.severity == ERROR:
        return "无法读取"
    return "读取方式" if p.rule in FILE_RULES else "未读取的工作表" if p.rule in SHEET_RULES else "未读取"


def _cover_lines(cover) -> list[str]:
    """A file holding only a 附件1 cover: what it says, and that merge ties it to its base's application."""
    kind = (f"基地类型“{cover.base_type}”" + ("（按勾选读取）" if cover.ticked else "") if cover.base_type
            else f"基地类型未能确定：“{cover.text}”{cover.why}")
    names = f"；申请单位/运营主体：{'、'.join(cover.names)}" if cover.names else ""
    return [f"  附件1 申请书封面：工作表“{cover.sheet}”，{cover.cell} {kind}{names}",
            "    没有表格；汇总时其基地类型用于同一基地的申报材料（按文件夹、文件名或申请单位名称对应）。"]


def _file_lines(wr: WorkbookRead) -> list[str]:
    lines = [f"文件：{wr.path}"]
    if wr.cover is not None:
        return lines + _cover_lines(wr.cover)
    if not wr.ok:
        lines += [f"  {_unread_label(p)}：{p.message}" for p in wr.problems]
        return lines
    lines += [f"  读取方式：{p.message}" for p in wr.problems if p.rule in FILE_RULES]
    programme = load_programme(wr.programme) if wr.programme else active()    # the forms the file was read by
    for t in wr.tables:
        lines += _describe(t, programme)
    lines += [f"  未读取的工作表：{p.message}" for p in wr.problems if p.rule in SHEET_RULES]
    lines += [f"  没有基地：{p.message}" for p in wr.problems if p.rule in ANSWER_RULES]
    read_as = [p for p in sort_problems(wr.problems) if p.rule in READ_AS_RULES]
    if read_as:
        lines.append(f"  按其他名称、位置或单位读取的列（{len(read_as)} 个）：")
        lines += [f"    [{p.sheet}!{p.cell}] {p.message}" for p in read_as]
    ignored = [p for p in sort_problems(wr.problems) if p.rule in IGNORED_RULES
               and (p.severity != "info" or p.rule == EXTRA_COLUMN)]       # an empty unknown column held nothing
    if ignored:
        lines.append(f"  未使用的列（{len(ignored)} 列，其中的内容没有读取）：")
        lines += [f"    [{p.sheet}!{p.cell}] {p.message}" for p in ignored]
    bad = [p for p in sort_problems(wr.problems) if p.rule in VALUE_RULES]
    if bad:
        lines.append(f"  无法解析的值（{len(bad)} 个）：")
        lines += [f"    [{p.sheet}!{p.cell}] {p.message}" for p in bad]
    elif ignored:
        lines.append("  已读取的列中所有值均已识别；但上面列出的列未使用。")
    else:
        lines.append("  所有值均已识别。")
    return lines


def inspect_command(inputs: list[str]) -> CommandResult:
    files, problems = expand_inputs(list(inputs))
    errors = [p.message for p in problems]
    if not files:
        return CommandResult(EXIT_UNUSABLE, [], errors or ["没有可读取的输入文件。"])
    reads = read_files(files)
    lines: list[str] = []
    for wr in reads:
        lines += _file_lines(wr)
        lines.append("")
    readable = [wr for wr in reads if wr.ok]
    covers = [wr for wr in reads if wr.cover is not None]
    unusable = [wr for wr in reads if not wr.ok and any(p.severity == ERROR for p in wr.problems)]
    set_aside = len(reads) - len(readable) - len(unusable) - len(covers)
    n_bad = sum(1 for wr in reads for p in wr.problems if p.rule in VALUE_RULES)
    lines.append(f"共 {len(reads)} 个文件：可读取 {len(readable)} 个"
                 f"{f'，附件1 封面 {len(covers)} 个' if covers else ''}，无法读取 {len(unusable)} 个"
                 f"{f'，不是表格文件或压缩包（未读取）{set_aside} 个' if set_aside else ''}；无法解析的值 {n_bad} 个。")
    if not readable and not covers:
        return CommandResult(EXIT_UNUSABLE, lines, errors)
    failed = n_bad or unusable or problems or any(p.severity == ERROR for wr in reads for p in wr.problems)
    return CommandResult(EXIT_PROBLEMS if failed else EXIT_OK, lines, errors)
