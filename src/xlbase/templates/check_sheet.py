"""The 表内检查 sheet: each rule of the default pack the workbook can judge, with what it requires (quoted
from the pack) and how many places break it, computed by formulas as the clerk types, in Excel, WPS and
LibreOffice alike. The counts are validate's own (template_rules), so the sheet and the city's merge
give the same verdicts. Rules it cannot judge are named below the table, and in the 填表说明.
"""

from __future__ import annotations

import datetime as dt

from xlsxwriter.worksheet import Worksheet

from .. import sheet_names
from ..forms import get_form
from ..forms.programmes import DEFAULT_NOUN, choices_of
from ..rules.kinds.within_record import pair
from ..rules.rule import DEFAULT_KEY, Rule, RulePack
from .below import below_total
from .unnumbered import UNNUMBERED_TEXT, unnumbered_formula
from .marks import unreadable_count
from .places import Places
from .printing import DEFAULT_ROW_PT
from .rule_counts import count_formula, doubt_formula
from .styles import Styles, lines_needed, row_height

CHECK_SHEET = sheet_names.CHECK
COLUMNS = (("序号", 5), ("检查项目", 30), ("要求（取自规则包）", 52), ("表格", 12), ("不符合处", 8), ("结果", 9),
           ("规则编号", 22))
PASS, FAIL, CHECK, NOTE = "通过", "不符合", "请核实", "请留意"
VERDICTS = {"error": FAIL, "warning": CHECK, "info": NOTE}
#: what a rule without a title checks, by kind (the form model holds the bounds)
KIND_TITLES = {"required": "必填栏目已填写", "range": "数值不超出表格规定的范围", "choice": "选项为下拉列表中的值",
               "type": "数字、日期、是/否按格式填写"}


def _n(x) -> str:
    x = float(x)
    return str(int(x)) if x.is_integer() else f"{x:g}"


def _unit(rule: Rule) -> str:
    for form_id in (*rule.forms, rule.form):
        if form_id and rule.field and get_form(form_id).has_field(rule.field):
            return get_form(form_id).field(rule.field).unit or ""
    return ""


def per_type_text(values: dict, unit: str = "") -> str:
    """{type: n} as '工业园区型 10；其他园区型、楼宇型 25；其他类型 2' (types sharing a value together)."""
    groups: dict[object, list[str]] = {}
    for bt, v in values.items():
        groups.setdefault(v, []).append("其他类型" if bt == DEFAULT_KEY else bt)
    return "；".join(f"{'、'.join(types)} {_n(v)}{unit}" for v, types in groups.items())


def _tolerance_text(tol) -> str:
    if tol is None or tol == 0:
        return "须一致"
    if isinstance(tol, dict):
        parts = ([f"{_n(tol['rel'] * 100)}%"] if tol.get("rel") else []) + \
                ([f"{_n(tol['abs'])}"] if tol.get("abs") else [])
        return f"相差{'或'.join(parts)}以内视为一致" if parts else "须一致"
    return f"相差 {_n(tol)} 以内视为一致"


def title(rule: Rule) -> str:
    return rule.title or KIND_TITLES.get(rule.kind, rule.id)


def requirement(rule: Rule, pack: RulePack, present: set[str] | None = None,
                names: dict[str, str] | None = None) -> str:
    """What the rule asks, with its numbers as the pack states them (`names`: forms_of's)."""
    unit = _unit(rule)
    th = rule.threshold
    if rule.kind in ("min", "max"):
        word = "不少于" if rule.kind == "min" else "不多于"
        return f"{word}：{per_type_text(th, unit)}" if rule.per_type else f"{word} {_n(th)}{unit}"
    if rule.kind == "age-in-years":
        return f"至基准日期 {pack.as_of:%Y-%m-%d} 满 {_n(th)} 年"
    if rule.kind == "equals":
        return f"须为“{'是' if th else '否'}”（“是（企业法人）”等写法按“是”读）" if isinstance(th, bool) else f"须为 {th}"
    if rule.kind in ("counts-match", "sum-matches", "sums-equal", "forms-agree", "total-matches"):
        return _tolerance_text(rule.tolerance)
    if rule.kind == "ratio":
        from ..rules.sizing import standard
        share = per_type_text({k: v * 100 for k, v in th.items()}, "%") if rule.per_type else f"{_n(th * 100)}%"
        return (f"不低于 {share}（小型、微型企业按{standard()['id']}，依所属行业、职工人数、营业收入判定；"
                f"未填所属行业的按企业规模或各行业标准判定，判定不了的企业会使结果为“{CHECK}”）")
    if rule.kind == "share-min":
        return f"不低于 {_n(th * 100)}%"
    if rule.kind == "rows-min":
        return f"不少于 {_n(th)} 行"
    if rule.kind == "rent-discount":
        return f"不高于周边租金均价的 {_n(th * 100)}%"
    if rule.kind == "comparables":
        km = rule.params.get("max_km") or {}
        far = "；".join(f"{bt} {_n(v)} 千米以内" for bt, v in km.items()) if isinstance(km, dict) else ""
        return f"至少：{per_type_text(th) if rule.per_type else _n(th)} 家" + (f"（{far}）" if far else "")
    if rule.kind == "date-range":
        earliest = rule.params.get("earliest")
        since = f"{earliest:%Y-%m-%d}" if isinstance(earliest, dt.date) else str(earliest or "")
        return f"{since} 至基准日期 {pack.as_of:%Y-%m-%d} 之间" if since else f"不晚于基准日期 {pack.as_of:%Y-%m-%d}"
    if rule.kind == "checksum":
        return "18位，末位校验码正确（15位旧注册号只作提示）"
    if rule.kind == "unique":
        labels = "、".join(get_form(rule.form).field(k).label for k in rule.fields)
        return f"{labels}不重复"
    if rule.kind == "comparison":
        form = get_form(rule.form)
        pairs = []
        for spec in rule.fields:
            left, op, right = pair(spec)
            a = "+".join(form.field(k).label for k in left)
            pairs.append(f"{a}{'≤' if op == '<=' else '≥'}{form.field(right).label}")
        return "；".join(pairs)
    if rule.kind == "required":
        return f"{forms_of(rule, present, names)}中标明必填的栏目不为空"
    if rule.kind == "range":
        return "按表格模型：数量、金额、面积不为负数"
    if rule.kind == "choice":
        return _choice_text(rule, present)
    return ""


def _choice_text(rule: Rule, present: set[str] | None = None) -> str:
    """The choice fields the rule reads on the forms the workbook holds (`present`; all when not given):
    official ones (不符合 outside the list), ours (请核实); a place the programme gives no list for (聊城's
    所在市) is typed, so it is named in neither."""
    fields = [f for form_id in rule.forms if present is None or form_id in present for f in get_form(form_id).fields
              if f.type == "choice" and choices_of(f) and not f.merge_only]
    official = list(dict.fromkeys(f.label for f in fields if f.official))
    ours = [label for label in dict.fromkeys(f.label for f in fields if not f.official) if label not in official]
    out = f"{'、'.join(official)}从下拉列表选择（常见的其他写法同样认可）" if official else ""
    if ours:
        out += f"；{'、'.join(ours)}填写列表外、xlbase 不能识别的值时为“{CHECK}”"
    return out.lstrip("；")


def forms_of(rule: Rule, present: set[str] | None = None, names: dict[str, str] | None = None) -> str:
    """The rule's forms that the workbook holds (`present`; all of them when not given); `names`: each form as the
    clerk sees it (the sheet it is on), once."""
    found = [f for f in (*rule.forms, *((rule.form,) if rule.form and not rule.forms else ()))
             if present is None or f in present]
    return "、".join(dict.fromkeys((names or {}).get(f, f) for f in found))


def sheets_of(places: Places) -> dict[str, str]:
    """form id -> the sheet it is on in the workbook: what the 表内检查 names (太原's 运营情况 is on 申请表; a
    form id such as 太原运营情况 names no sheet the clerk can find)."""
    out = {fid: sheet for fid, (sheet, _) in places.tables.items()}
    for fid, cells in places.cells.items():
        ref = next(iter(cells.values()), "")
        if ref.startswith("'") and fid not in out:
            out[fid] = ref[1:].split("'!")[0].replace("''", "'")
    return out


def judged_rules(pack: RulePack, places: Places) -> list[tuple[Rule, str]]:
    """(rule, its count formula) for every rule of the pack the workbook judges, in pack order."""
    return [(r, f) for r in pack.rules if (f := count_formula(r, places))]


def unjudged_rules(pack: RulePack, places: Places) -> list[Rule]:
    """The pack's rules the sheet does not judge: checked by xlbase when the city merges."""
    judged = {r.id for r, _ in judged_rules(pack, places)}
    return [r for r in pack.rules if r.id not in judged]


TITLE_PT = 32

_RED = {"bg_color": "#FFC7CE", "font_color": "#9C0006"}
_YELLOW = {"bg_color": "#FFEB9C", "font_color": "#9C5700"}

NOTHING_TYPED_LEAD = "表格尚未填写："


def nothing_typed_text(noun: str = DEFAULT_NOUN) -> str:
    """The check sheet's line while nothing is typed, in the programme's word for what is applied for."""
    return (f"{NOTHING_TYPED_LEAD}xlbase 按“本年度没有申报{noun}”读取。填写后，下表随填写逐项计算"
            "（与 xlbase 校验、汇总时使用同一规则包）。")


NOTHING_TYPED = nothing_typed_text()


#: a defined name, true while nothing is typed in the workbook's inputs (what validate reads as no base)
NOTHING_TYPED_NAME = "xl_nothing_typed"


def nothing_typed(wb, places: Places) -> str:
    """Defines NOTHING_TYPED_NAME for the workbook (the inputs of `places`, without the computed cells and the
    columns the template fills itself, such as a by-year table's years); returns the name."""
    if not any(n == NOTHING_TYPED_NAME for n, *_ in wb.defined_names):
        inputs = [ref for cells in places.cells.values() for ref in cells.values() if ref not in places.computed]
        inputs += [places.column(form_id, f.key) or "" for form_id, (_, layout) in places.tables.items()
                   for f in layout.form.table_fields if not f.merge_only and (form_id, f.key) not in places.prefilled]
        typed = "+".join(f"COUNTA({','.join(inputs[i:i + 200])})" for i in range(0, len(inputs), 200))
        outside = below_total(wb, places, [*places.tables, *places.one_row])     # rows typed under a list
        wb.define_name(NOTHING_TYPED_NAME, f"=({typed}{'+' + outside if outside else ''})=0")
    return NOTHING_TYPED_NAME


#: the verdict line's sentence when something stands under a list, outside the rows the checks read
OUTSIDE_TEXT = "表格行下方另有填写内容（表内检查不计算，xlbase 校验和汇总时会读取），请移入表格行内；"


#: the verdict line's sentence after the count of typed dates and numbers validate cannot read
UNREADABLE_TEXT = " 个日期或数字无法识别（红色底纹），xlbase 校验时为错误，请按格式填写；"


def verdict_formula(places: Places, first: int, last: int, empty: str = NOTHING_TYPED_NAME,
                    noun: str = DEFAULT_NOUN, outside: str | None = None, unreadable: str | None = None,
                    unnumbered: str | None = None) -> str:
    """Excel: the sheet's conclusion in one line, above the table (rows first..last, 1-based): nothing typed
    yet (validate reads an empty workbook as no base, and says nothing else), else how many rules fail;
    `outside` (templates.below): what stands under the lists, said first; `unreadable`: how many typed dates and
    numbers validate cannot read (marks.unreadable_count); `unnumbered`: how many rows typed past a list's
    numbered block have no 序号 (templates.unnumbered)."""
    verdicts = f"$F${first}:$F${last}"
    fail, check = f'COUNTIF({verdicts},"{FAIL}")', f'COUNTIF({verdicts},"{CHECK}")'
    said = f'IF({outside}>0,"{OUTSIDE_TEXT}","")&' if outside else ""
    if unreadable:
        said += f'IF({unreadable}>0,"有 "&({unreadable})&"{UNREADABLE_TEXT}","")&'
    if unnumbered:
        said += f'IF({unnumbered}>0,"有 "&({unnumbered})&"{UNNUMBERED_TEXT}","")&'
    return (f'IF({empty},"{nothing_typed_text(noun)}",{said}IF({fail}>0,"有 "&{fail}&" 项{FAIL}（红色），请按“要求”修改；",'
            f'"表内计算的各项没有{FAIL}；")&IF({check}>0,{check}&" 项{CHECK}（黄色）；","")'
            f'&"“不符合处”为 0 即通过，与 xlbase 校验、汇总时使用同一规则包。")')


def write_check_sheet(ws: Worksheet, styles: Styles, places: Places, pack: RulePack,
                      rules: list[Rule] | None = None, who: str = "市级", noun: str = DEFAULT_NOUN) -> None:
    """The sheet for the pack's rules the workbook judges (of `rules`, when given: the ones about its forms)."""
    wanted = None if rules is None else {r.id for r in rules}
    present = set(places.cells) | set(places.tables)
    for c, (_, w) in enumerate(COLUMNS):
        ws.set_column(c, c, w)
    last = len(COLUMNS) - 1
    ws.merge_range(0, 0, 0, last, f"{CHECK_SHEET}（规则包：{pack.title}）", styles.title())
    ws.set_row(0, TITLE_PT)
    judged = [(r, f) for r, f in judged_rules(pack, places) if wanted is None or r.id in wanted]
    ws.merge_range(1, 0, 1, last, "", styles.note())
    wb = places.lists.workbook
    empty = nothing_typed(wb, places)
    outside = below_total(wb, places, [*places.tables, *places.one_row])
    ws.write_formula(1, 0, "=" + verdict_formula(places, 4, 3 + len(judged), empty, noun, outside,
                                                 unreadable_count(places), unnumbered_formula(places)), styles.note(),
                     nothing_typed_text(noun))
    head = styles.header()
    for c, (name, _) in enumerate(COLUMNS):
        ws.write_string(2, c, name, head)
    cell = styles.get(border=1, text_wrap=True, locked=True)
    centre = styles.get(border=1, align="center", locked=True)
    r = 3
    heights: list[float] = []       # of the rows under the header, in points (printing.balanced_breaks)
    names = sheets_of(places)
    for i, (rule, formula) in enumerate(judged, start=1):
        texts = (title(rule), requirement(rule, pack, present, names), forms_of(rule, present, names))
        ws.write_number(r, 0, i, centre)
        for c, text in enumerate(texts, start=1):
            ws.write_string(r, c, text, cell)
        # a blank form judges nothing yet: the count and the verdict stay empty (and so does the cached result
        # a suite shows before it recalculates), as the line above says
        ws.write_formula(r, 4, f'=IF({empty},"",{formula})', centre, "")
        bad = VERDICTS.get(rule.severity, CHECK)
        count = f"E{r + 1}"
        doubt = doubt_formula(rule, places)     # validate's milder verdict of the same rule (请核实)
        # rows typed under a list its checks do not reach (the protection removed): validate reads them
        below = below_total(wb, places, forms_of(rule, present).split("、"))
        doubt = "+".join(f"({d})" for d in (doubt, below) if d) or None
        otherwise = f'IF({doubt}>0,"{CHECK}","{PASS}")' if doubt and bad != CHECK else f'"{PASS}"'
        ws.write_formula(r, 5, f'=IF({count}="","",IF({count}=0,{otherwise},"{bad}"))', centre, "")
        ws.write_string(r, 6, rule.id, cell)
        fill = _RED if rule.severity == "error" else _YELLOW
        at = count.replace("E", "$E$")
        ws.conditional_format(r, 4, r, 5, {"type": "formula", "criteria": f"=AND(ISNUMBER({at}),{at}>0)",
                                           "format": styles.cf(**fill)})
        if doubt:
            ws.conditional_format(r, 5, r, 5, {"type": "cell", "criteria": "==", "value": f'"{CHECK}"',
                                               "format": styles.cf(**_YELLOW)})
        heights.append(row_height(max(lines_needed(t, COLUMNS[c + 1][1]) for c, t in enumerate(texts))))
        ws.set_row(r, heights[-1])
        r += 1
    rest = [r for r in unjudged_rules(pack, places) if wanted is None or r.id in wanted]
    if rest:
        r += 1
        text = f"以下检查表内不计算，由 xlbase 校验（校验按钮、xlbase validate）和{who}汇总时进行：" + \
               "；".join(f"{title(x)}（{x.id}）" for x in rest) + "。"
        ws.merge_range(r, 0, r, last, text, styles.note())
        heights += [DEFAULT_ROW_PT, row_height(lines_needed(text, sum(w for _, w in COLUMNS)))]
        ws.set_row(r, heights[-1])
    from .printing import balanced_breaks, print_scale, setup_sheet
    setup_sheet(ws, last_row=r, last_col=last, repeat=(2, 2), one_page=False)
    # a page holding only the last rule (and the note) — Shanxi's 21st printed alone on a page: the rules share the
    # pages evenly. Excel ignores manual breaks on a sheet set to fit to page: an explicit scale instead, one at which
    # every tool prints the columns one page wide
    widths: list[float] = [w for _, w in COLUMNS]
    breaks = balanced_breaks(heights, above=TITLE_PT + 2 * DEFAULT_ROW_PT, repeat=DEFAULT_ROW_PT, widths=widths,
                             scale=print_scale(widths))
    if breaks:
        ws.set_print_scale(print_scale(widths))
        ws.set_h_pagebreaks([3 + i for i in breaks])
