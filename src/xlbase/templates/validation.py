"""Data validation for one input cell or column, derived from its Field.

Every input cell gets a Chinese input prompt and a Chinese alert; the rule follows the field's type
and bounds (counts whole ≥ min, money/areas decimal, 利润总额 unbounded below because
`Field.min is None`, text a number may be typed as — "25人", "3.5万" — let through to
templates.numbers, credit codes 15 or 18 characters once spaces and hyphens are left out, phones
7..20 characters). It refuses only what validate calls an error: dates are gated by
template_dates.date_validation (text dates, year.month numbers and periods pass; the red mark
judges them exactly), and a choice outside its dropdown list only warns, since validate reads
spellings no list holds (楼宇 for 楼宇型).
"""

from __future__ import annotations

from ..forms import Field
from ..forms.programmes import choices_of
from .dates import date_forms, date_validation
from .lists import county_source, list_name
from .styles import clip

NUMBER_FLOOR = -1e12     # "no lower bound" for Excel, which needs a number
NUMBER_CEIL = 1e12
PHONE_LEN = (7, 20)
CREDIT_CODE_LENGTHS = (15, 18)
OURS_NOTE = "（非官方表格列，供校验使用）"
TITLE_MAX, MESSAGE_MAX = 32, 255


def number_rule(field: Field, kind: str) -> tuple[dict, str]:
    lo, hi = field.min, field.max
    unit = f"（{field.unit}）" if field.unit else ""
    what = "整数" if kind == "integer" else "数字"
    if lo is not None and hi is not None:
        return {"criteria": "between", "minimum": lo, "maximum": hi}, f"请输入{number_text(lo)}到{number_text(hi)}之间的{what}{unit}。"
    if lo is not None:
        return {"criteria": ">=", "value": lo}, f"请输入不小于{number_text(lo)}的{what}{unit}。"
    if hi is not None:
        return {"criteria": "<=", "value": hi}, f"请输入不大于{number_text(hi)}的{what}{unit}。"
    return ({"criteria": "between", "minimum": NUMBER_FLOOR, "maximum": NUMBER_CEIL},
            f"请输入{what}{unit}，亏损等负值可填负数。")


#: what a number cell accepts besides a number, in the clerk's words (templates.numbers reads it)
NUMBER_FORMS = "可带单位，如25人、3.5万元、1,200；没有的填0或“无”；不知道确切数字时可写“约300”“30户以上”“20-30”，按范围检查。"


def _figure_chars() -> str:
    """Excel array of what a figure validate reads holds at least one of: a digit (ASCII or full width) or a magnitude
    word of data/estimates.yaml ("近百人左右", "上千", "百余人": a range without digits, read.estimates)."""
    from ..read.estimates import word_lists
    return "{" + ",".join([*"0123456789", *(f'"{chr(0xFF10 + i)}"' for i in range(10)),
                           *(f'"{w}"' for w in word_lists()["magnitudes"])]) + "}"


def number_validation(top_left: str, rule: dict, *, whole: bool) -> str:
    """Excel data-validation formula (at most 255 characters) for a number cell: a number within the
    field's bounds (whole for a count), or text that holds a digit or a magnitude (十百千万) or is a short word (无,
    n/a): validate reads "25人", "3.5万", "１２", and "约300", "近百人左右" as ranges (templates.numbers reads them in
    the sheet, judges a range as validate does, and marks red what it cannot read: "二十五人" passes here and is red
    there). It stays a stop: a word where a figure belongs ("见附表") is refused as the clerk types it, and every
    spelling validate reads passes."""
    x = top_left
    lo, hi = (rule["minimum"], rule["maximum"]) if rule["criteria"] == "between" else \
        ((rule["value"], None) if rule["criteria"] == ">=" else (None, rule["value"]))
    lo = None if lo == NUMBER_FLOOR else lo
    hi = None if hi == NUMBER_CEIL else hi
    tests = [f"{x}>={number_text(lo)}" if lo is not None else "", f"{x}<={number_text(hi)}" if hi is not None else "",
             f"{x}=INT({x})" if whole else "", f"ABS({x})<1E15" if lo is None or hi is None else ""]
    number = f"AND({','.join(t for t in tests if t)})"
    text = f"OR(LEN(TRIM({x}))<=4,SUMPRODUCT(--ISNUMBER(FIND({_figure_chars()},{x})))>0)"
    return f"=IF(ISNUMBER({x}),{number},{text})"


def number_text(x: float) -> str:
    """A bound as the formula and the message write it: 10, not 10.0."""
    return str(int(x)) if float(x).is_integer() else str(x)


def validation_for(field: Field, top_left: str, *, city_cell: str | None = None) -> dict | None:
    """xlsxwriter data_validation options for `field`'s input cells.

    `top_left` is the first cell of the range (custom formulas are relative to
    it); `city_cell` the cell holding the same record's 所在市 for a county field.
    Returns None for fields no clerk fills (merge_only).
    """
    if field.merge_only:
        return None
    label = field.label
    choices = choices_of(field)
    # a place the programme lists none for (聊城 on Shanxi's forms) is typed: no list, no 下拉列表 in the prompt
    typed_place = field.type == "choice" and bool(field.choices) and not choices
    prompt = f"请填写{label}的全称（通知没有给出地名清单）" if typed_place else field.prompt or f"请填写{label}"
    if not field.official:
        prompt += OURS_NOTE
    opts: dict = {"ignore_blank": True}
    t = field.type
    if t in ("integer", "decimal", "money", "area"):
        kind = "integer" if t == "integer" else "decimal"
        rule, error = number_rule(field, kind)
        opts.update(validate="custom", value=number_validation(top_left, rule, whole=kind == "integer"))
        prompt += "。" + NUMBER_FORMS
    elif t == "date":
        opts.update(validate="custom", value=date_validation(top_left, blank_words=not field.required))
        prompt += "。" + date_forms(field)
        error = "无法识别为日期。" + date_forms(field)
    elif t in ("yesno", "choice") and choices:
        if choices == "county":
            source = county_source(city_cell) if city_cell else "=xl_county_all"
        else:
            source = "=" + list_name(choices)
        opts.update(validate="list", source=source)
        # validate reads more spellings than a list holds (楼宇 for 楼宇型, 是（企业法人）, a zone's short name):
        # the alert asks, and the clerk may keep what was typed
        opts["error_type"] = "warning"
        error = f"所填内容不在下拉列表中。请尽量从下拉列表中选择{label}；常见的其他写法 xlbase 也能识别，确认无误可选“是”保留。"
    elif t == "credit_code":
        a, b = CREDIT_CODE_LENGTHS
        code = f'LEN(SUBSTITUTE(SUBSTITUTE(SUBSTITUTE({top_left}," ",""),"　",""),"-",""))'   # as validate reads it
        opts.update(validate="custom", value=f"=OR({code}={a},{code}={b})")
        error = f"统一社会信用代码应为{b}位（旧营业执照注册号为{a}位），请按文本录入，不要加空格。"
    elif t == "phone":
        lo, hi = PHONE_LEN
        opts.update(validate="length", criteria="between", minimum=lo, maximum=hi)
        error = f"{label}应为{lo}到{hi}个字符，" + (f"如{field.example}。" if field.example else
                                                    "固定电话写区号和号码，或写11位手机号。")
    else:
        opts.update(validate="any")
        error = ""
    opts["input_title"] = clip(label, TITLE_MAX)
    opts["input_message"] = clip(prompt, MESSAGE_MAX)
    if opts["validate"] != "any":
        opts["error_title"] = clip(f"{label}填写有误", TITLE_MAX)
        opts["error_message"] = clip(error, MESSAGE_MAX)
        opts.setdefault("error_type", "stop")
    return opts
