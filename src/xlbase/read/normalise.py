"""Cell values to field types: numbers, dates, yes/no, credit codes, text.

Hand-typed submissions carry "1,200", "25户", "12.5万元", full-width digits,
"2019年3月15日", "√". Each normaliser returns a `Parsed` (value, note): value is
the typed value or None; note says why the value is None although the cell was
not blank ("unparseable" and friends), or that the value was converted ("info").
Nothing here raises on any input, and nothing turns text into a silent zero.

Decisions (documented for the rules and the user):
- "无", "—", "/", "-" and similar mean blank (None) in numeric/date/text fields;
  in a yes/no field "无" means 否 (False), "有" means 是 (True).
- A 万元 field given in 元 ("125000元") is divided by 10 000, with an info note;
  "亿元" is multiplied by 10 000. A 千米 field given in 米 is divided by 1 000.
- "2019-03" / "2019年3月" become the first of the month, with an info note; a year
  alone ("2018年", 2018) is no date but a range of dates (note ESTIMATE): the rules judge by the year
  where it decides them (read.estimates.year_range). A number in a
  date field is YYYYMMDD, a typed year.month (2019.5: Excel stores what the clerk typed as
  a number), or an Excel serial from 1950 on; anything else is reported, never 1905.
- A figure typed as a bound or an estimate ("30户以上", "≥18", "约300", "300余人") is no value either (note
  ESTIMATE, read.estimates): the cell's text is kept and the rules decide what its range proves.
- A credit code that arrives as a number ≥ 1e15 has lost digits in Excel: it is
  reported (precision-lost) and kept only as raw text.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any, Callable, Iterable

import numpy as np

from ..forms import Field
from ..forms.roles import CITY, COUNTY
from ..text import INVISIBLE, place_key
from .date_numerals import arabic, styled_numeral
from .estimates import Estimate, parse_estimate, year_range
from .figure_notes import split_note
from .share_words import as_percent
from .periods import period_start
from ..problem_codes import PRECISION_LOST, UNPARSEABLE

# Notes a parse can carry; severity is decided by the caller's Problem builder.
NOT_WHOLE = "not-whole"
CONVERTED = "converted"          # info: value changed unit or was completed (month -> 1st)
NONE_ZERO = "none-zero"          # info: "/", "—", "无" in a number cell: none, read as 0 (said once per table)
ESTIMATE = "estimate"            # info: a bound or an estimate ("30户以上", "约300"), or a year alone in a date field
NOTED = "noted"                  # info: a figure read without the note beside it ("15（其中创业辅导员4人）", "全年48次")

BLANK_TOKENS = frozenset({
    "", "无", "没有", "暂无", "—", "——", "–", "-", "--", "－", "/", "／", "\\", "空", "n/a", "na",
    "none", "null", "nan", "…", "...", "、",
})

# what clerks type in a number cell for "none" (no events, no funding): 0, not a blank left unfilled
NONE_WORDS = frozenset({"无", "没有", "暂无", "/", "／", "—", "——", "－", "-", "--", "–", "\\"})

TYPE_NAMES = {
    "integer": "整数", "decimal": "数字", "money": "金额（万元）", "area": "面积（平方米）",
    "date": "日期", "yesno": "是/否", "credit_code": "统一社会信用代码", "phone": "电话号码",
    "text": "文字", "choice": "文字",
}

EXCEL_EPOCH = dt.date(1899, 12, 30)
MIN_SERIAL = (dt.date(1950, 1, 1) - EXCEL_EPOCH).days    # earlier serials are no date these forms ask for
MAX_SERIAL = (dt.date(2100, 1, 1) - EXCEL_EPOCH).days
# Beyond 15 significant digits Excel itself cannot hold a whole number exactly; no form
# value comes near (1e308 typed or computed is garbage that would poison every total).
MAX_MAGNITUDE = 1e15
TOO_LARGE = "数值过大（绝对值应小于 10 的 15 次方），请核对"


@dataclass(frozen=True)
class Parsed:
    value: Any
    note: str | None = None        # UNPARSEABLE, NOT_WHOLE, PRECISION_LOST or CONVERTED
    detail: str = ""                # Chinese detail for the message


def _nfkc(s: str) -> str:
    s = unicodedata.normalize("NFKC", s)
    return s.replace("\u2212", "-").replace("\u00a0", " ").strip()


#: signs holding a digit that are a unit, not a figure (㎡ is m2): NFKC folds them, and so do the templates'
#: in-sheet reads (templates.numbers)
UNIT_SIGN_FOLDS = (("㎡", "m2"), ("²", "2"), ("㎞", "km"))
_UNIT_SIGNS = frozenset(sign for sign, _ in UNIT_SIGN_FOLDS)
ORDINAL_DIGITS = "①、⑴、⒈、¹ 等编号或上标字符不作数字读，请用阿拉伯数字 0–9"


def ordinal_digits(text: str) -> bool:
    """True when `text` holds a digit that is not typed as one: ①, ⑴, ⒈, ㉑, ¹, 𝟏, ٣ — NFKC (or a \\d)
    would make a figure of it. A circled or bracketed numeral is an ordinal, not a figure, and the
    templates' in-sheet reads take only ASCII and full-width digits, so validate reads no other either
    (the sheet and validate agree; the clerk is asked for digits)."""
    if text.isascii():
        return False
    for c in text:
        if c.isascii() or "\uff10" <= c <= "\uff19" or c in _UNIT_SIGNS:
            continue
        if c.isdigit() or any("0" <= d <= "9" for d in unicodedata.normalize("NFKC", c)):
            return True
    return False


def is_blank_text(s: str) -> bool:
    return _nfkc(s).lower().replace(" ", "") in BLANK_TOKENS


def raw_text(v: Any) -> str:
    """The cell as text for provenance: '1200' not '1200.0', dates in ISO."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        if math.isnan(v) or math.isinf(v):
            return ""
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    if isinstance(v, (dt.datetime, dt.date)):
        n = typed_number(v)
        return v.isoformat() if n is v else raw_text(n)
    if isinstance(v, dt.timedelta):
        return str(v)
    return str(v)


# --------------------------------------------------------------------------- numbers

_NUM = re.compile(r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(.*)$")
# a bound or a round figure the estimate words do not read (不少于300以下, 20多以上): the message says why
_BOUND = re.compile(r"(≥|≤|>=|<=|>|<|不少于|不低于|不超过|不多于|超过|多于|少于|不足|不到|至少|最少|以上|以下|以内|左右|开外)"
                    r"|\d(余|多)")
_GROUPED = re.compile(r"^([+-]?\d{1,3}(?:,\d{3})+)((?:\.\d+)?(?:\D.*)?)$")   # unit may hold digits: ㎡ -> m2



def _unit_key(text: str) -> str:
    from .units import unit_key
    return unit_key(text)


@lru_cache(maxsize=None)
def _suffixes(unit: str | None) -> dict[str, Fraction]:
    """Accepted unit suffixes (folded, lower case) of a number in a cell of a field in `unit`: the unit
    families of forms/specs/units.yaml (read.units.cell_suffixes)."""
    from .units import cell_suffixes
    return cell_suffixes(unit)


@lru_cache(maxsize=None)
def _is_share(unit: str | None) -> bool:
    from .units import unit_family
    return bool(unit) and unit_family(unit or "") == SHARE_FAMILY


SHARE_FAMILY = "ratio"      # forms/specs/units.yaml: a field in % reads a share said in words (六成, 过半)


@lru_cache(maxsize=65536)
def _number_from_text(text: str, unit: str | None) -> tuple[float | None, str | None, str]:
    if ordinal_digits(text):
        return None, UNPARSEABLE, ORDINAL_DIGITS
    s = _nfkc(text)
    squeezed = s.replace(" ", "")
    if squeezed in NONE_WORDS or text.strip() in NONE_WORDS:
        return 0.0, NONE_ZERO, ""
    if squeezed.lower() in BLANK_TOKENS:
        return None, None, ""
    if _is_share(unit) and (percent := as_percent(squeezed)) is not None:    # 六成, 八成以上, 过半, 三分之二
        value, note, detail = _number_from_text(percent, unit)
        if value is not None and note is None:
            return value, CONVERTED, f"“{text.strip()}”按 {_fmt(value)}{unit} 读入"
        if note in (ESTIMATE, NOTED):
            return value, note, detail
    estimate = parse_estimate(squeezed, _suffixes(unit))
    if estimate is not None:
        return None, ESTIMATE, estimate.describe(unit or "")
    noted = split_note(squeezed)
    if noted is not None and not noted.changes_amount:     # 15（其中创业辅导员4人）, 全年48次: the figure stands
        value, note, detail = _number_from_text(noted.figure, unit)
        if value is not None and note in (None, CONVERTED):
            how = f"（{detail}）" if note == CONVERTED else ""
            return value, NOTED, f"“{text.strip()}”按“{noted.figure}”读入{how}：{noted.said()}。"
    if squeezed.startswith(("约", "≈", "~", "大约")):
        return None, UNPARSEABLE, "带有“约”等近似字样，请填写确切数字"
    bound = _BOUND.search(squeezed)
    if bound and any(ch.isdigit() for ch in squeezed):
        return None, UNPARSEABLE, f"带有“{bound.group(1) or bound.group(2)}”等表示范围的字样，请填写确切数字"
    s = squeezed.replace("，", ",").replace("'", ",")
    if "," in s:
        m = _GROUPED.match(s)
        if not m:
            return None, UNPARSEABLE, ""
        s = m.group(1).replace(",", "") + m.group(2)
    m = _NUM.match(s)
    if not m:
        return None, UNPARSEABLE, ""
    number, rest = m.group(1), m.group(2).strip().lower()
    rest = _unit_key(rest)      # 元/㎡·天, 台（套）, (人): separators and brackets dropped (read.units.unit_key)
    table = _suffixes(unit)
    if rest not in table:
        return None, UNPARSEABLE, ""
    factor = table[rest]
    try:
        value = float(number) if factor == 1 else float(Decimal(number) * factor.numerator / factor.denominator)
    except (ValueError, ArithmeticError):   # decimal: 256.59万 is 2565900, not 2565900.0000000005
        return None, UNPARSEABLE, ""
    if math.isnan(value) or math.isinf(value):
        return None, UNPARSEABLE, ""
    if factor != 1:
        return value, CONVERTED, f"已按单位换算：“{text.strip()}”→{_fmt(value)}{unit or ''}"
    return value, None, ""


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:.10g}"


def estimate_of(v: Any, field: Field, scale: Fraction | None = None) -> Estimate | None:
    """The range a cell's text typed as a bound or an estimate says (in the field's unit), for a numeric field;
    None when it is no such text (read.estimates). `scale`: the factor of the unit its column's header (or the
    table's unit line) states, applied to a bare figure as to a plain number (Table.scales). The range carries the
    field's own bounds (the form model's min / max) as `floor` / `ceiling`: Estimate.least / most stop an open end
    there (a rent "不多于 300" is 0 to 300), while low / high stay what the clerk typed."""
    if not isinstance(v, str) or not field.is_numeric or ordinal_digits(v):
        return None
    if _is_share(field.unit):
        v = as_percent(_nfkc(v).replace(" ", "")) or v
    found = parse_estimate(_nfkc(v), _suffixes(field.unit))
    if found is None:
        return None
    if scale is not None:
        found = found.scaled(scale)
    return replace(found, floor=-math.inf if field.min is None else float(field.min),
                   ceiling=math.inf if field.max is None else float(field.max))


def estimate_in(table: Any, key: str, text: Any) -> Estimate | None:
    """The range `text`, typed in `key`'s cell of `table` (a Table), says in the field's unit: the column's header
    unit applied (Table.scales). The one way the rules read a typed range."""
    form = table.form
    if not isinstance(text, str) or not form.has_field(key):
        return None
    return estimate_of(text, form.field(key), table.scales.get(key))


def year_of(v: Any, field: Field) -> tuple[dt.date, dt.date] | None:
    """The first and last day of the year a date field's cell gives alone ("2018年", "2018", 2018); else None."""
    if field.type != "date" or field.period:
        return None
    return year_range(raw_text(typed_number(v)) if not isinstance(v, str) else _nfkc(v))


def parse_number(v: Any, field: Field) -> Parsed:
    """A number for an integer/decimal/money/area field; integers must be whole."""
    note, detail = None, ""
    if v is None or (isinstance(v, str) and not v.strip()):
        return Parsed(None)
    if isinstance(v, bool):
        return Parsed(None, UNPARSEABLE)
    if isinstance(v, (int, float)):
        value = float(v)
        if math.isnan(value) or math.isinf(value):
            return Parsed(None, UNPARSEABLE)
    elif isinstance(v, str):
        found, note, detail = _number_from_text(v, field.unit)
        if found is None:
            return Parsed(None, note, detail)
        value = found
    else:  # dates, times in a numeric field
        return Parsed(None, UNPARSEABLE)
    if abs(value) >= MAX_MAGNITUDE:
        return Parsed(None, UNPARSEABLE, TOO_LARGE)
    if field.type == "integer":
        if not float(value).is_integer():
            return Parsed(None, NOT_WHOLE, "应为整数")
        return Parsed(int(value), note, detail)
    return Parsed(value, note, detail)


# --------------------------------------------------------------------------- dates

# a full date, its day closed by 日 or 号, perhaps the event it dates after it (2019年5月6日成立) and a full stop;
# the sheet's date read strips the same words (templates.dates)
DAY_WORDS = ("日", "号")
DATE_EVENTS = ("成立", "注册", "登记", "设立", "入驻", "开业", "建成", "起")
DATE_STOPS = (".", "。")
_YMD = re.compile(r"^(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*"
                  rf"[{''.join(DAY_WORDS)}]?\s*(?:{'|'.join(DATE_EVENTS)})?\s*[{re.escape(''.join(DATE_STOPS))}]?$")
_YM = re.compile(r"^(\d{4})\s*[年./\-]\s*(\d{1,2})\s*月?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def _mkdate(y: int, m: int, d: int) -> dt.date | None:
    if not 1900 <= y <= 2100:
        return None
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


@lru_cache(maxsize=65536)
def _date_from_text(text: str) -> Parsed:
    if ordinal_digits(text) or styled_numeral(text):
        return Parsed(None, UNPARSEABLE, ORDINAL_DIGITS)
    s = _nfkc(text)
    if s.replace(" ", "").lower() in BLANK_TOKENS:
        return Parsed(None)
    s = re.sub(r"[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$", "", s).strip()   # drop a time part
    s = arabic(s)                   # 二〇一九年五月六日 -> 2019年5月6日 (read.date_numerals)
    for rx in (_YMD, _COMPACT):
        m = rx.match(s)
        if m:
            d = _mkdate(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            return Parsed(d) if d else Parsed(None, UNPARSEABLE)
    year = year_range(s)
    if year is not None:
        return Parsed(None, ESTIMATE, f"只有年份 {year[0].year} 年")
    m = _YM.match(s)
    if m:
        d = _mkdate(int(m.group(1)), int(m.group(2)), 1)
        if d:
            return Parsed(d, CONVERTED, f"“{text.strip()}”只有年月，按当月1日计")
        return Parsed(None, UNPARSEABLE)
    try:  # an Excel serial typed or stored as text
        serial = float(s)
    except ValueError:
        return Parsed(None, UNPARSEABLE)
    return _date_from_serial(serial)


def _date_from_serial(serial: float) -> Parsed:
    """A number in a date field: YYYYMMDD, a typed year(.month), or an Excel serial of a plausible date.

    A clerk who types 2019.5 into a General cell stores the number 2019.5, not a date; read
    as a serial it would be 1905-07-11 and pass every age rule. So numbers that look like a
    year are years: with a month they are taken as that month (2019.5, 2019.05, 2019.12),
    a bare year or 2019.1 (Excel keeps "2019.10" as 2019.1: January or October?) is
    reported. Serials below MIN_SERIAL (1950) are no date a form asks for.
    """
    if serial.is_integer() and 19000101 <= serial <= 21001231:
        return _date_from_text(str(int(serial)))
    if 1900 <= serial < 2101:
        return _year_month_number(serial)
    if MIN_SERIAL <= serial < MAX_SERIAL:
        return Parsed(EXCEL_EPOCH + dt.timedelta(days=int(serial)))
    return Parsed(None, UNPARSEABLE, "不是有效日期")


def _year_month_number(value: float) -> Parsed:
    year, _, digits = repr(value).partition(".")
    shown = _fmt(value)
    if value.is_integer():
        return Parsed(None, ESTIMATE, f"只有年份 {year} 年")
    if digits == "1":
        return Parsed(None, UNPARSEABLE, f"数字 {shown} 可能是 {year} 年 1 月，也可能是输入的 {year}.10"
                                        f"（Excel 会去掉末尾的 0），请写成 {year}-01-01 或 {year}-10-01")
    month = int(digits) if len(digits) <= 2 else 0
    d = _mkdate(int(year), month, 1) if 1 <= month <= 12 else None
    if d is None:
        return Parsed(None, UNPARSEABLE, f"数字 {shown} 不是有效的年月")
    return Parsed(d, CONVERTED, f"“{shown}”只有年月，按当月1日计")


FIRST_DATE = EXCEL_EPOCH + dt.timedelta(days=MIN_SERIAL)    # 1950-01-01


def typed_number(v: Any) -> Any:
    """The number a clerk typed into a date-formatted cell, where the file says a date before 1950.

    A date cell formats whatever is typed as a date: 2019.03 or 2019 become 1905-07-11 on screen
    and in the file. No date these forms ask for is that early, so the cell holds the number, read
    as _date_from_serial reads any number (2019.03 is March 2019, a bare 2019 a year)."""
    if isinstance(v, dt.datetime) and v < dt.datetime.combine(FIRST_DATE, dt.time()):
        return round((v - dt.datetime.combine(EXCEL_EPOCH, dt.time())).total_seconds() / 86400, 6)
    if type(v) is dt.date and v < FIRST_DATE:
        return float((v - EXCEL_EPOCH).days)
    return v


def parse_date(v: Any, field: Field | None = None) -> Parsed:
    v = typed_number(v)
    p = _parse_date(v)
    if p.note in (UNPARSEABLE, ESTIMATE) and p.detail != ORDINAL_DIGITS and field is not None and field.period:   # 建设时间 “2012年—2016年”
        start = period_start(v)
        if start is not None:
            return Parsed(start, CONVERTED, f"“{raw_text(v).strip()}”是年份或起止时间，按开始时间 {start.isoformat()} 计")
    return p


def _parse_date(v: Any) -> Parsed:
    if v is None or (isinstance(v, str) and not v.strip()):
        return Parsed(None)
    if isinstance(v, dt.datetime):
        return Parsed(v.date())
    if isinstance(v, dt.date):
        return Parsed(v)
    if isinstance(v, bool):
        return Parsed(None, UNPARSEABLE)
    if isinstance(v, (int, float)):
        if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
            return Parsed(None, UNPARSEABLE)
        return _date_from_serial(float(v))
    if isinstance(v, str):
        return _date_from_text(v)
    return Parsed(None, UNPARSEABLE)


# --------------------------------------------------------------------------- yes/no

_YES = frozenset({"是", "√", "✓", "✔", "y", "yes", "有", "对", "true", "1", "是的"})
_NO = frozenset({"否", "×", "✗", "✘", "x", "n", "no", "无", "不是", "false", "0", "错", "没有"})


_BRACKETED = re.compile(r"[(（\[【].*?[)）\]】]")
_REMARK = re.compile(r"[(（\[【].*$", re.S)     # from the first opening bracket on
_NEGATIONS = ("非", "不是", "不属于", "不具有", "无", "没有", "否")
_AFFIRMATIONS = ("是", "属于", "具有", "具备", "为")


def _answer_to(question: str, s: str) -> bool | None:
    """'独立法人' / '非独立法人' answering 是否独立法人: the subject itself, affirmed or negated."""
    subject = question[2:] if question.startswith("是否") else ""
    if not subject or subject not in s:
        return None
    head, _, tail = s.partition(subject)
    if tail not in ("", "资格", "单位"):
        return None
    if head in _NEGATIONS:
        return False
    return True if head in ("", *_AFFIRMATIONS) else None


def parse_yesno(v: Any, field: Field | None = None) -> Parsed:
    """是/否 and the ways clerks answer a 是否X question: √, Y, 有/无, 'X', '非X', '是（企业法人）'."""
    if v is None:
        return Parsed(None)
    if isinstance(v, bool):
        return Parsed(v)
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if v in (0, 1):
            return Parsed(bool(v))
        return Parsed(None, UNPARSEABLE)
    # every space (否⏎（个体） typed with Alt+Enter is 否（个体）) and every invisible character (是 copied with a
    # zero-width space from a web page is 是), as text.fold takes them out of a choice
    s = "".join(_nfkc(str(v)).translate(_NO_INVISIBLE).split()).lower()
    # '是（企业法人）': the answer without the remark, or before it — its bracket left open (是（企业法人) or
    # punctuation after it (是（企业法人）。), as the templates' sheets read it (templates.count_answers.answer_formula)
    for text in dict.fromkeys((s, _BRACKETED.sub("", s), _REMARK.sub("", s))):
        if text in _YES:
            return Parsed(True)
        if text in _NO:
            return Parsed(False)
        if text in BLANK_TOKENS:
            return Parsed(None)
        answer = _answer_to(field.label, text) if field is not None else None
        if answer is not None:
            return Parsed(answer)
    return Parsed(None, UNPARSEABLE)


# --------------------------------------------------------------------------- codes, phones, text

_CODE_DROP = re.compile(r"[\s\-_.·/'‘’`]+")   # separators, and the apostrophe typed to force text
_SCIENTIFIC = re.compile(r"\d(\.\d+)?E\+?\d+")


def parse_credit_code(v: Any, field: Field | None = None) -> Parsed:
    """Trimmed, upper-cased, full-width folded text; never a number."""
    if v is None:
        return Parsed(None)
    if isinstance(v, bool) or isinstance(v, (dt.date, dt.timedelta)):
        return Parsed(None, UNPARSEABLE)
    if isinstance(v, (int, float)):
        if isinstance(v, float) and (math.isnan(v) or math.isinf(v) or not v.is_integer()):
            return Parsed(None, UNPARSEABLE)
        if abs(v) >= 1e15:
            return Parsed(None, PRECISION_LOST, "以数字形式存储，超过15位的数字已被Excel截断，请改为文本格式重新录入")
        return Parsed(str(int(v)))
    folded = _nfkc(str(v)).replace(" ", "").upper()
    s = _CODE_DROP.sub("", folded)
    if folded.lower() in BLANK_TOKENS or not s:
        return Parsed(None)
    if _SCIENTIFIC.fullmatch(folded):
        return Parsed(None, PRECISION_LOST, "是科学计数法形式，代码已丢失位数，请改为文本格式重新录入")
    return Parsed(s)


def _plain_codes(values: list[str]) -> bool:
    """Every str already canonical (upper-case ASCII letters/digits, not a blank word or 1E17):
    parse_credit_code would return each unchanged. One join checks the whole column in C."""
    joined = "".join(values)
    return (all(values) and joined.isascii() and joined.isalnum() and joined == joined.upper()
            and BLANK_TOKENS.isdisjoint(map(str.lower, values)) and not any(map(_SCIENTIFIC.fullmatch, values)))


def _plain_code(v: str) -> bool:
    """One str that parse_credit_code returns unchanged with no note (_plain_codes for a single value)."""
    return (v.isascii() and v.isalnum() and v == v.upper() and v.lower() not in BLANK_TOKENS
            and not _SCIENTIFIC.fullmatch(v))


def parse_phone(v: Any, field: Field | None = None) -> Parsed:
    if v is None:
        return Parsed(None)
    if isinstance(v, bool):
        return Parsed(None, UNPARSEABLE)
    if isinstance(v, (int, float)):
        if isinstance(v, float) and (math.isnan(v) or math.isinf(v) or not v.is_integer()):
            return Parsed(None, UNPARSEABLE)
        return Parsed(str(int(v)))
    s = _nfkc(str(v))
    if s.replace(" ", "").lower() in BLANK_TOKENS:
        return Parsed(None)
    return Parsed(s)


_TEXT_BLANKS = BLANK_TOKENS - {"无"}   # in a text field "无" is an answer, not a blank


_NO_INVISIBLE = str.maketrans("", "", INVISIBLE)


# whitespace inside a Chinese text that is no word break: a wrapped line, a full-width or padding space
# (商贸 有限公司, 王  丽); kept (as one space) only between two Latin letters ("ABC Technology")
_INNER_SPACE = re.compile(r"(?<![A-Za-z])[\s\u3000]+|[\s\u3000]+(?![A-Za-z])")
_CJK = re.compile(r"[\u3400-\u9fff]")


def _text_value(v: str, name: bool = False) -> str | None:
    """A text cell trimmed (ASCII, full-width and no-break spaces, zero-width characters a copy from a web
    page or Word leaves inside a name; in a `name`, the spaces and line breaks inside its Chinese, as a person
    reads it); None for a blank word."""
    s = v.strip().replace("\u00a0", " ")
    if not s.isprintable():          # cheap test: zero-width and format characters are not printable
        s = s.translate(_NO_INVISIBLE).strip()
    if s.replace(" ", "").replace("\u3000", "") in _TEXT_BLANKS or not s.strip("\u3000 "):
        return None
    s = s.strip("\u3000 ")
    if name and (" " in s or not s.isprintable()) and _CJK.search(s):
        s = _INNER_SPACE.sub("", s)
    return s


_TEXT_WORDS = _TEXT_BLANKS - {""}


def is_place(field: Field | None) -> bool:
    """A field naming a place (所在市, 所在县): read as every place is (text.place_key), so the cell, the 填报单位
    line and the folder that name one place give one text."""
    return field is not None and field.identity in (CITY, COUNTY)


def _place_value(v: str) -> str | None:
    s = place_key(v)
    return None if not s or s in _TEXT_BLANKS else s


def is_name(field: Field | None) -> bool:
    """A field naming a base, an operator, a place or a firm (identity or role), not free text."""
    return field is not None and bool(field.identity or field.role)


def _text_column(values: list[str], name: bool = False) -> list[str | None]:
    """_text_value of every text of a column. When the column holds no whitespace at all (ASCII space
    excluded, every other kind is unprintable) and no zero-width character (unprintable too), nothing is
    trimmed: each text is itself, "" None, and a blank word None — decided for the whole column in C."""
    joined = "".join(values)
    if " " not in joined and joined.isprintable() and _TEXT_WORDS.isdisjoint(values):
        return [v or None for v in values]
    return [_text_value(v, name) for v in values]


def parse_text(v: Any, field: Field | None = None) -> Parsed:
    if v is None:
        return Parsed(None)
    if isinstance(v, str):
        return Parsed(_place_value(v) if is_place(field) else _text_value(v, is_name(field)))
    return Parsed(raw_text(v) or None)


PARSERS: dict[str, Callable[[Any, Field], Parsed]] = {
    "integer": parse_number, "decimal": parse_number, "money": parse_number, "area": parse_number,
    "date": parse_date, "yesno": parse_yesno, "credit_code": parse_credit_code,
    "phone": parse_phone, "text": parse_text, "choice": parse_text,
}


def parse_value(v: Any, field: Field) -> Parsed:
    """Normalise one cell for `field`; never raises."""
    try:
        return PARSERS.get(field.type, parse_text)(v, field)
    except Exception:  # defensive: a parser bug must not lose the file
        return Parsed(None, UNPARSEABLE)


def normalise_column(values: Iterable[Any], field: Field) -> tuple[list[Any], list[Parsed | None]]:
    """A whole column: whole-column fast paths when calamine typed every cell alike, else cell by cell.

    Returns (normalised values, per-row Parsed when it carries a note else None).
    """
    values = list(values)
    fast = _column_fast(values, field)
    if fast is not None:
        return fast, [None] * len(values)
    return _column_by_cell(values, field)


def _column_fast(values: list[Any], field: Field) -> list[Any] | None:
    """The column's values when one type check covers it (floats in range, dates, clean text/codes); else None.

    Each branch returns exactly what parse_value gives cell by cell, with no note (property-tested).
    """
    types = set(map(type, values))
    if len(types) != 1:
        return None
    tv = types.pop()
    if tv is float and field.is_numeric:
        arr = np.asarray(values, dtype=float)
        if not (np.abs(arr) < MAX_MAGNITUDE).all():       # NaN and inf fail this too
            return None
        if field.type != "integer":
            return values
        return arr.astype(np.int64).tolist() if (arr == np.trunc(arr)).all() else None
    if tv is dt.date and field.type == "date" and min(values) >= FIRST_DATE:   # calamine's date cells
        return values
    if tv is str and field.type in ("text", "choice"):
        return [_place_value(v) for v in values] if is_place(field) else _text_column(values, is_name(field))
    if tv is str and field.type == "credit_code" and _plain_codes(values):
        return values
    return None


def _column_by_cell(values: list[Any], field: Field) -> tuple[list[Any], list[Parsed | None]]:
    """Mixed columns: typed numbers and dates still skip the parser, the odd cells go through it."""
    out: list[Any] = []
    notes: list[Parsed | None] = []
    numeric = field.is_numeric
    whole = field.type == "integer"
    dates = field.type == "date"
    # a str in a text field or a credit code: the parser directly (it cannot raise on a str)
    direct = {"text": parse_text, "choice": parse_text, "credit_code": parse_credit_code}.get(field.type) \
        if field.type in PARSERS else None
    codes = field.type == "credit_code"
    for v in values:
        tv = type(v)
        if codes and tv is str and _plain_code(v):    # most codes of a column with one messy cell
            out.append(v)
            notes.append(None)
            continue
        if numeric and tv is float and -MAX_MAGNITUDE < v < MAX_MAGNITUDE:
            if whole:
                if v.is_integer():
                    out.append(int(v))
                    notes.append(None)
                    continue
            else:
                out.append(v)
                notes.append(None)
                continue
        if dates and tv is dt.date and v >= FIRST_DATE:   # calamine's date cells
            out.append(v)
            notes.append(None)
            continue
        if v is None or v == "":
            out.append(None)
            notes.append(None)
            continue
        p = direct(v, field) if direct is not None and tv is str else parse_value(v, field)
        out.append(p.value)
        notes.append(p if p.note else None)
    return out, notes


_BARE_NUMBER = re.compile(r"^[\s+\-]*[\d,，.\s]+$")


def is_bare_number(text: str) -> bool:
    """A text that is a number and nothing else (no unit, no word): "30000000", "1,200", " 80 "."""
    return bool(_BARE_NUMBER.match(_nfkc(text)))


def scale_column(values: list[Any], normed: list[Any], notes: list[Parsed | None], factor: Fraction) -> list[Any]:
    """A column whose header states another unit of the field's family ("营收（元）", "面积（亩）"), in the
    field's unit: numbers typed bare are multiplied by `factor` (exactly, in decimal); a cell that
    states its own unit ("12.5万元") was converted by its parser already and is left as it is."""
    if factor == 1:
        return normed
    out = []
    for v, d, n in zip(values, normed, notes):
        tv = type(d)
        if (tv is float or tv is int) and d and (n is None or n.note is None or n.note == NOTED) and (
                type(v) is not str or _BARE_NUMBER.match(_nfkc(_figure_of(v)))):
            d = float(Decimal(repr(float(d))) * factor.numerator / factor.denominator)
        out.append(d)
    return out


def _figure_of(text: str) -> str:
    """A typed figure without its lead word or note ("15（其中4人）" -> "15"): what says whether it was typed bare."""
    noted = split_note(text)
    return text if noted is None else noted.figure


def describe_expected(field: Field) -> str:
    """'整数（户）' etc. for messages."""
    name = TYPE_NAMES.get(field.type, "文字")
    if field.unit and field.type in ("integer", "decimal"):
        return f"{name}（{field.unit}）"
    return name
