"""Live checks that need no Python (they work in Excel, WPS and LibreOffice).

* Thresholds: a value below the default rule pack's minimum for the row's
  基地类型 turns red (conditional formatting with VLOOKUP into a table on the
  hidden lists sheet). Which fields: the pack's rules whose kind checks a
  minimum in the sheet (rules.live.minimum_rules). A rule with one threshold for
  every type applies with the type blank, as validate does.
* Cross-form totals: a form's row count or column sum (附件3) shown beside the
  figure a rule compares it with (附件10, or its fallback 附件2), judged as
  `xlbase validate` judges it: the pack's rules whose kind totals rows
  (rules.live.firm_totals), with their tolerance; the fallback form against the
  stated form (forms-agree) when that states the figure, else against the rows.
  So a clerk's sheet and validate agree, and no rule id is named here.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from typing import Any, Callable

from xlsxwriter.worksheet import Worksheet

from ..forms import Form, list_aliases, value_list
from ..forms.roles import BASE_TYPE, FIRM_FORM
from ..rules.columns import within_tolerance
from ..rules.live import FirmTotal, fails, firm_totals, minimum_rules, untyped_threshold
from ..text import FILLER, INVISIBLE, fold
from .lists import ListSheet
from .conditions import formula_format
from .styles import Styles
from .thresholds import default_pack

BAD = {"bg_color": "#FFC7CE", "font_color": "#9C0006"}
MISMATCH = {"bg_color": "#FFEB9C", "font_color": "#9C5700"}
CHECK_LABELS = ("核对项", FIRM_FORM, "结果")
SAME, DIFFERENT = "一致", "不一致"


def threshold_name(key: str) -> str:
    return f"xl_thr_{key}"


#: the 基地类型 key of each threshold table's row for a blank type: the pack's threshold without a type
#: (a rule with one threshold for every type applies; a per-type one without a default does not)
UNTYPED = "（未填）"


def mark_notes(forms: list[Form], cell_rules: list[str] | tuple[str, ...] = ()) -> list[str]:
    """What the red and yellow fills on `forms` mean, for the 填表说明: the rules behind them, by the
    pack's titles; `cell_rules`: titles of the rules marked on the cell typed (template_rules.cell_marks)."""
    pack = default_pack()
    reds = [rule for key, rule in threshold_rules().items() if any(f.has_field(key) for f in forms)]
    red = [pack.title_of(rule.id) for rule in reds]
    by_type = "，按所选基地类型判断" if any(isinstance(rule.threshold, dict) for rule in reds) else ""
    out = [f"红色底纹：低于规则包的门槛（{'；'.join(red)}）{by_type}，输入时就会变色"
           + (f"；不符合“{'”“'.join(cell_rules)}”的单元格也标红。" if cell_rules else "。")] if red else []
    source = next((f for f in forms if f.id == FIRM_FORM), None)
    yellow = [pack.title_of(t.rule.id) for t in totals() if source is not None and t.rule.form == source.id]
    if source is not None and yellow:
        out.append(f"黄色底纹：与{source.sheet} 的合计不一致（{'；'.join(yellow)}）；{source.sheet} 右侧的“核对项”"
                   "列出两边的数字。")
    return out


def spellings(list_name: str) -> dict[str, str]:
    """Every spelling a value list accepts (its values and their aliases: data/lists.yaml, or a programme's own
    lists.yaml) -> the value."""
    out = {v: v for v in value_list(list_name)}
    for value, aliases in list_aliases(list_name).items():
        out.update({a: value for a in aliases})
    return out


#: the zero-width and format characters a copy from a web page or Word leaves in a cell, which `text.fold` drops
#: (text.INVISIBLE) and the sheet drops too; the rest of INVISIBLE (direction marks, U+2060…) would pass Excel's 64
#: nesting levels: `unfolded` makes them 请核实
ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\ufeff")
#: Excel's ASC (full-width ASCII -> ASCII, as NFKC does: ｙｅｓ, Ａ类, （ -> ( ) also makes 。、 half-width ｡､ in LibreOffice
#: and a Japanese Excel, so the sheet drops those as it drops 。、; ‘ becomes ` (no filler: dropped before ASC, as
#: fold drops it); its other conversions (「」・ー ￥ ’ ”) touch no accepted spelling. Emulated by `asc` for the
#: sheet's keys in Python (measured in LibreOffice: test_template_choice_folding).
ASC_MAP = {**{chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}, "。": "｡", "、": "､", "「": "｢", "」": "｣",
           "・": "･", "ー": "ｰ", "’": "'", "”": '"', "‘": "`", "￥": "\\"}
#: dropped before ASC: what it would turn into a character fold keeps
_BEFORE_ASC = (("‘", ""),)
_ASC = str.maketrans(ASC_MAP)

#: what the sheet's key formula folds after ASC, as `text.fold` folds a typed choice (rules.kinds.model_bounds:
#: validate's choice rule and 基地类型): every space (half and full width, no-break, a line break or tab typed with
#: Alt+Enter or pasted), the zero-width characters, the filler punctuation fold drops (楼宇型。, 楼宇-型; ASC's ｡､),
#: every bracket style as full width. Not folded: NFKC's other compatibility forms (⼯ for 工, ︵) and the rest of
#: INVISIBLE — what `unfolded` lists, 请核实 where they are typed.
_SHEET_FOLDS = ((" ", ""), ("\u3000", ""), ("\u00a0", ""), ("\n", ""), ("\r", ""), ("\t", ""),
                *((ch, "") for ch in ZERO_WIDTH), *((ch, "") for ch in FILLER + "｡､"),
                *((ch, "（") for ch in "(【〔[{"), *((ch, "）") for ch in ")】〕]}"))
#: what the reader's 是/否 parser (read.normalise.parse_yesno) folds: every space, line break and tab (the sheet's
#: TRIM, then no space at all), the spaces NFKC makes a space, the zero-width characters, full-width ASCII (ASC:
#: ｎｏ = no), the brackets of a remark (是（企业法人）); punctuation it does not read, so neither does the sheet. What
#: it folds past these (NFKC's other compatibility forms) the sheet reads as no answer: 请核实
#: (count_answers._equals_doubt)
_ANSWER_SPACES = (("\n", " "), ("\r", " "), ("\t", " "), ("\u3000", " "), ("\u00a0", " "),
                  *((ch, "") for ch in ZERO_WIDTH))
_ANSWER_FOLDS = ((" ", ""), *((ch, "（") for ch in "(【["), *((ch, "）") for ch in ")】]"))


def asc(text: str) -> str:
    """Excel's ASC as LibreOffice computes it, for the characters a key can hold (ASC_MAP)."""
    return text.translate(_ASC)


def sheet_key(text: str, *, answer: bool = False, with_asc: bool = True) -> str:
    """The lookup key `key_formula` computes in the sheet, in Python (`with_asc=False`: in an office suite whose
    ASC changes nothing, as Microsoft documents it outside double-byte languages)."""
    if not answer:
        for a, b in _BEFORE_ASC:
            text = text.replace(a, b)
    if with_asc:
        text = asc(text)
    if answer:
        for a, b in _ANSWER_SPACES:
            text = text.replace(a, b)
        text = " ".join(part for part in text.split(" ") if part)     # TRIM
    for a, b in _ANSWER_FOLDS if answer else _SHEET_FOLDS:
        text = text.replace(a, b)
    return text


def key_formula(cell: str, *, answer: bool = False) -> str:
    """Excel: the typed text folded as `sheet_key` folds it (`answer`: a 是/否 answer, as the reader reads one)."""
    def chain(out: str, folds) -> str:
        for a, b in folds:
            typed = f"CHAR({ord(a)})" if ord(a) < 32 else '"' + a.replace('"', '""') + '"'
            out = f'SUBSTITUTE({out},{typed},"{b}")'
        return out
    if answer:
        return chain(chain(f"TRIM({chain(f'ASC({cell})', _ANSWER_SPACES)})", _ANSWER_FOLDS), _LITERAL)
    return chain(chain(f"ASC({chain(cell, _BEFORE_ASC)})", _SHEET_FOLDS), _LITERAL)


#: MATCH and VLOOKUP read ? as any one character (* and ~ are folded away): 楼宇？ (ASC: 楼宇?) must not find 楼宇型.
#: Escaped in the formula only; sheet_key keeps the text (no accepted spelling holds a ?)
_LITERAL = (("?", "~?"),)


@cache
def _compatibility_chars() -> tuple[tuple[str, str], ...]:
    """(character, what `text.fold` makes of it) for every character fold changes beyond lower case: NFKC's
    compatibility forms and the invisible ones."""
    out = []
    for cp in range(0x20, 0x110000):
        if 0xD800 <= cp < 0xE000:
            continue
        c = chr(cp)
        if c in INVISIBLE or unicodedata.normalize("NFKC", c) != c:
            out.append((c, fold(c)))
    return tuple(out)


def unfolded(words) -> list[str]:
    """The characters validate may read as part of one of `words` (what text.fold makes of them lies within the
    words' folded letters) that the sheet's key does not fold alike, even where ASC changes nothing: ⼯ (a Kangxi
    radical) for 工, U+2060, ｙ. A key outside the list holding one of them is 请核实, not 不符合 (count_choices)."""
    letters = set("".join(fold(w) for w in words))
    out = []
    for c, folded in _compatibility_chars():
        if not all(ch in letters for ch in folded):
            continue
        sheet = sheet_key(c, with_asc=False)
        if sheet and sheet.lower() != sheet_key(folded, with_asc=False).lower():
            out.append(c)
    return out


def add_threshold_tables(lists: ListSheet) -> dict[str, str]:
    """One (基地类型, minimum) table per field the default pack sets a minimum for; field key -> defined name.

    Every spelling validate accepts for a type (楼宇 = 楼宇型: the value list's aliases) has a row, keyed
    as the sheet folds what was typed."""
    out = {}
    types = spellings("base_type")
    for key, rule in minimum_rules(default_pack()).items():
        rows = [(bt, rule.threshold_for(bt)) for bt in (*value_list("base_type"), None)]
        if all(v is None for _, v in rows):
            continue
        # a type without a threshold has no row: VLOOKUP fails to IFERROR's 0 (a blank cell could compare as text);
        # a blank or unknown type takes the （未填） row, the threshold validate holds it to (Kind.untyped_threshold)
        table = {UNTYPED: untyped_threshold(rule)}
        for spelling, value in types.items():
            table.setdefault(sheet_key(spelling), rule.threshold_for(value))
        out[key] = lists.add_table(threshold_name(key), ("基地类型", rule.id),
                                   [(k, float(v)) for k, v in table.items() if v is not None])
    return out


def accepted_list(lists: ListSheet, choices: str) -> str:
    """A named list of every spelling validate accepts for a value list, keyed as the sheet folds."""
    name = f"xl_accept_{choices}"
    if name not in lists.names:
        words = spellings(choices) if choices not in ("city", "county") else {v: v for v in value_list(choices)}
        lists.add(name, f"{choices}（可接受的写法）", list(dict.fromkeys(sheet_key(w) for w in words)))
    return name


def type_key(cell: str) -> str:
    """Excel: the 基地类型 typed in `cell` folded as `sheet_key` folds it, （未填） when blank."""
    return f'IF({cell}="","{UNTYPED}",{key_formula(cell)})'


def type_unread(key: str, lists: ListSheet) -> str:
    """Excel: true where a 基地类型 is typed that the sheet cannot read (`key`: `type_key`; not blank and no spelling
    validate accepts: a Kangxi radical ⼯ for 工, U+2060 — `unfolded` — or a word outside the list). validate may read
    it as any type (NFKC), so the sheet knows only that the base's threshold lies between the types' loosest and
    strictest (`threshold_range`)."""
    return f'AND({key}<>"{UNTYPED}",ISNA(MATCH({key},{accepted_list(lists, "base_type")},0)))'


def type_threshold(key: str, table: str, missing: str, *, unread_if: str, unread: object = None) -> str:
    """Excel: the threshold of a per-type table (add_threshold_tables, count_thresholds.per_type_table) for the folded
    基地类型 `key` (`type_key`): a blank type takes the （未填） row (the threshold validate holds it to); where
    `unread_if` holds (`type_unread`: the sheet cannot read the type) `unread` (one end of `threshold_range`; None:
    `missing`); a type without a row (none for it in the pack) `missing`."""
    other = missing if unread is None else _number(unread)
    return f'IF({unread_if},{other},IFERROR(VLOOKUP({key},{table},2,FALSE),{missing}))'


def threshold_range(rule: Any, per_type: Any = None) -> tuple[Any, Any]:
    """(loosest, strictest) of the values a per-type map gives the 基地类型s and its default (`per_type`, else the
    rule's threshold): all the sheet knows of a type it cannot read. Loosest is the value fewest bases fail (the
    lowest minimum: a kind's `loosest`, else min); None where some type has none (then nothing is proven), and
    strictest None when no type has one."""
    from ..rules.kinds import kind_of
    from ..rules.rule import lookup_per_type
    loosest = getattr(kind_of(rule), "loosest", min)
    strictest = getattr(kind_of(rule), "strictest", max)
    given = rule.threshold if per_type is None else per_type
    values = [lookup_per_type(given, bt) for bt in value_list("base_type")]
    if isinstance(given, dict) and lookup_per_type(given, None) is not None:
        values.append(lookup_per_type(given, None))
    known = [float(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if not known:
        return None, None
    return (loosest(known) if len(known) == len(values) else None), strictest(known)


def _number(x: Any) -> str:
    return f"{float(x):G}"


def threshold_rules() -> dict[str, Any]:
    """field key -> the default pack's rule whose minimum the sheet marks (rules.live.minimum_rules)."""
    return minimum_rules(default_pack())


def mark_below_threshold(ws: Worksheet, styles: Styles, area: tuple[int, int, int, int],
                         value_cell: str, type_reads: Callable[[], tuple[str, str]], table: str, key: str,
                         read: str | None = None, ranges: dict[str, str] | None = None) -> None:
    """Red when the value of field `key` (relative ref to the area's first cell) is below the type's minimum; under a
    type the sheet cannot read, below the loosest type's (below every type's: validate's error whatever it reads).
    `type_reads`: gives the type's folded key and cannot-read flag (templates.type_reads), relative to the area's first
    cell where the type is a list's column; not asked for a threshold the same for every type.

    `read`: the cell's number read (templates.numbers, absolute or relative as `value_cell`), the value validate
    reads ("25人" is 25); `ranges`: the range outputs beside it (Places.range_of). Where the clerk typed a bound or
    an estimate ("约30", "20户以上") its range is judged as validate judges it (rules.kinds.thresholds): red where
    the clerk's own bound proves the threshold broken, yellow where validate warns (only an estimate's margin
    proves it, or the range cannot decide it; under a type the sheet cannot read, a range meeting the loosest
    threshold but not the strictest)."""
    from .estimates import range_verdicts
    rule = threshold_rules()[key]
    strict = None
    if rule.per_type:
        typed, unread = type_reads()
        loose, strict_end = threshold_range(rule)
        minimum = type_threshold(typed, table, "0", unread_if=unread, unread=loose)
        # a blank type without the pack's default: validate's info asks for the type above the loosest threshold
        # (count_thresholds.threshold_formula, strictest)
        blank = f'OR({unread},{typed}="{UNTYPED}")' if rule.threshold_for(None) is None else unread
        strict = type_threshold(typed, table, "0", unread_if=blank, unread=strict_end)
    else:
        minimum = _number(rule.threshold)
    value = read or value_cell
    fail = f"AND(ISNUMBER({value}),{fails(rule, value, minimum)})"
    if ranges is None or read is None:
        formula_format(styles.workbook, ws, area, fail, styles.cf(**BAD))
        return
    from .estimates import RANGE, by_margin
    typed_range = f'{read}="{RANGE}"'
    met, broken = range_verdicts(rule.kind, ranges, minimum)
    about = f"{ranges['about']}=1"
    formula_format(styles.workbook, ws, area, f"OR({fail},AND({typed_range},{broken},{by_margin(rule, about, doubt=False)}))",
                   styles.cf(**BAD))
    doubt = [f"AND({broken},{by_margin(rule, about, doubt=True)})", f"AND(NOT({broken}),NOT({met}))"]
    if strict is not None:
        doubt.append(f"AND({met},NOT({range_verdicts(rule.kind, ranges, strict)[0]}))")
    formula_format(styles.workbook, ws, area, f"AND({typed_range},OR({','.join(doubt)}))", styles.cf(**MISMATCH))


def mark_mismatch(ws: Worksheet, styles: Styles, row: int, col: int, fails: str) -> None:
    """Yellow where `fails` (a condition from `mismatch_conditions`) holds: validate reports the figure."""
    formula_format(styles.workbook, ws, (row, col, row, col), fails, styles.cf(**MISMATCH))


def totals() -> list[FirmTotal]:
    """The default pack's rules that total a form's rows against a stated figure (rules.live.firm_totals)."""
    return firm_totals(default_pack())


def _within_value(stated: Any, other: Any, tol: Any) -> bool:
    """The in-sheet comparison on Python values, for the cached results a reader without recalculation sees."""
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (stated, other)):
        return True
    return within_tolerance(stated - other, stated, tol)


def mismatch_conditions(total: FirmTotal, agg: str, stated: str | None, fallback: str | None,
                        ranged: tuple[dict[str, str] | None, tuple[str, dict[str, str]] | None] = (None, None)
                        ) -> dict[str, str]:
    """Excel conditions, true where `xlbase validate` with the default pack reports the figure `total.target`
    of the stated form (cell `stated`: 附件10) or of the rule's fallback form (cell `fallback`: 附件2) against
    the rows' `agg`: {form id: condition}. Cells are sheet-qualified absolute references: one condition
    serves the check block and the marks. `ranged`: the stated figure typed as a bound or an estimate
    (places.chain_range over the stated and fallback forms) and the rows' total where some are
    (count_totals.column_total): judged as validate judges ranges — reported where no value agrees, unless only 约's
    margin proves it (validate's warning, not the rule's error)."""
    from .estimates import by_margin, exact_range, range_agrees
    rule, agree = total.rule, total.agreement
    out = {}
    stated_form = rule.args.target.forms[0]
    r, rows = ranged
    some, whole = rows if rows else ("FALSE", exact_range(agg))

    def proven(said: dict[str, str]) -> str:
        about = f"OR({said['about']}=1,{whole['about']}=1)"
        return f"AND(NOT({range_agrees(said, whole, rule.tolerance)}),{by_margin(rule, about, doubt=False)})"
    # IF, not AND: a read left blank is "" (templates.numbers), and arithmetic on it is an error AND would keep
    if stated:
        exact = f"IF({some},{proven(exact_range(stated))},{fails(rule, stated, agg)})" if rows else fails(rule, stated, agg)
        typed = f"AND({r['in']},{proven(r)})" if r is not None else "FALSE"
        out[stated_form] = f"IF(ISNUMBER({stated}),{exact},{typed})"
    if fallback and rule.fallback:
        own = fails(rule, fallback, agg)
        judged = (f"IF(ISNUMBER({stated}),{fails(agree, fallback, stated)},{own})"
                  if stated and agree is not None else own)
        out[rule.fallback] = f"IF(ISNUMBER({fallback}),{judged},FALSE)"
    return out


def mismatch_values(total: FirmTotal, have: Any, stated: Any, fallback: Any) -> dict[str, bool]:
    """`mismatch_conditions` on Python values (None: blank), for cached results."""
    rule, agree = total.rule, total.agreement
    out = {rule.args.target.forms[0]: not _within_value(stated, have, rule.tolerance)}
    if rule.fallback:
        stated_given = isinstance(stated, (int, float)) and agree is not None
        out[rule.fallback] = not (_within_value(fallback, stated, agree.tolerance) if stated_given and agree else
                                  _within_value(fallback, have, rule.tolerance))
    return out


def write_check_block(ws: Worksheet, styles: Styles, *, top: int, col: int,
                      items: list[tuple[str, str, object, list[tuple[str, str, object, str, bool]]]]) -> None:
    """A small table: item | 附件3's figure | each other form's figure | 一致/不一致.

    `items`: (label, 附件3 formula, its cached value, [(form id, formula, cached value, condition under
    which validate reports that figure, its cached truth)…]).
    """
    others = [ref[0] for ref in items[0][3]] if items else []
    heads = [CHECK_LABELS[0], CHECK_LABELS[1], *others, CHECK_LABELS[2]]
    hfmt = styles.get(bold=True, border=1, align="center", bg_color="#D9D9D9", locked=True)
    for j, h in enumerate(heads):
        ws.write_string(top, col + j, h, hfmt)
    cell_fmt = styles.get(border=1, locked=True, align="center")
    for i, (label, formula, value, refs) in enumerate(items, start=1):
        r = top + i
        ws.write_string(r, col, label, styles.get(border=1, locked=True, text_wrap=True))
        ws.write_formula(r, col + 1, "=" + formula, cell_fmt, value)
        for j, (_, ref, ref_value, _, _) in enumerate(refs, start=2):
            ws.write_formula(r, col + j, f'=IF({ref}="","",{ref})', cell_fmt, "" if ref_value is None else ref_value)
        res_col = col + 2 + len(refs)
        fails = [cond for *_, cond, _ in refs] or ["FALSE"]
        ws.write_formula(r, res_col, f'=IF(OR({",".join(fails)}),"{DIFFERENT}","{SAME}")', cell_fmt,
                         DIFFERENT if any(bad for *_, bad in refs) else SAME)
        ws.conditional_format(r, res_col, r, res_col, {
            "type": "cell", "criteria": "==", "value": f'"{DIFFERENT}"', "format": styles.cf(**BAD)})
    ws.set_column(col, col, 16)
    ws.set_column(col + 1, col + 2 + len(others), 9)


def _a1(r: int, c: int) -> str:
    from xlsxwriter.utility import xl_rowcol_to_cell
    return xl_rowcol_to_cell(r, c)


def table_type_cell(form: Form) -> str | None:
    """The key of the form's 基地类型 column, if it has one."""
    return next((f.key for f in form.table_fields if f.identity == BASE_TYPE), None)
