"""The default pack's rules judged inside the applicant's workbook, as `xlbase validate` judges them.

For every rule a single workbook can decide, `count_formula` gives an Excel formula counting the
problems validate would report for it at the rule's severity (the notes it adds beside them, such as
基地类型 unknown, are not counted), built
from the rule's kind, fields, thresholds and tolerances as the pack states them. The 表内检查 sheet
shows these counts (template_check_sheet). Rules whose kind needs more than one workbook (a base's
material spread over several files) or that the sheet does not compute get None: the 填表说明 names
them as checked when the city merges.

Only functions Excel 2010, WPS and LibreOffice evaluate alike (tests/templates/test_template_formulas.py):
SUMPRODUCT over whole columns instead of array formulas, no IF/IFERROR inside array arguments.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable

from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from ..forms import Form, get_form, value_list
from ..forms.programmes import choices_of
from ..forms.roles import BASE_TYPE, OWN_RENT, RECORD_FORM, SITE_DISTANCE, SITE_NAME, SITE_RENT
from ..read.normalise import parse_value
from ..rules.kinds.forms import fact_pairs
from ..rules.live import untyped_threshold
from ..rules.kinds.model_bounds import SPELLED_LISTS
from ..rules.rule import Rule
from ..rules.uscc import USCC_ALPHABET as _USCC_ALPHABET, USCC_WEIGHTS as _USCC_WEIGHTS
from .checks import UNTYPED, key_formula, sheet_key, spellings, type_threshold, unfolded
from .dates import DATE_SHEET, UNREADABLE
from .numbers import NUMBER_SHEET
from .lists import ListSheet, hidden_sheet
from .table import TableLayout
from .thresholds import pack

#: the hidden sheet ordering a by-year list's rows by their year (Places.at_row: `row: last`)
ORDER_SHEET = "xl_order"

#: kinds decided by the files a base sends, not by one workbook
MERGE_ONLY_KINDS = frozenset({"forms-present"})


@dataclass
class Places:
    """Where each form's values sit in the applicant's workbook (sheet-qualified absolute references)."""

    cells: dict[str, dict[str, str]] = field(default_factory=dict)        # record / one-row forms: key -> ref
    tables: dict[str, tuple[str, TableLayout]] = field(default_factory=dict)  # list forms: (sheet, layout)
    lists: ListSheet = None  # type: ignore[assignment]   # every writer gives it
    type_form: str = RECORD_FORM           # the form whose 基地类型 cell the others take theirs from
    computed: set[str] = field(default_factory=set)   # refs holding a formula (a value flowing from 附件2)
    dates: dict[str, str] = field(default_factory=dict)   # a date cell's ref -> the date validate reads there
    numbers: dict[str, str] = field(default_factory=dict)  # a number cell's ref -> the number validate reads
    date_columns: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)  # (form, key) -> (range,
    #                                                      its column letter on the template_dates sheet)
    number_columns: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)  # the same, numbers
    sizes: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)   # template_sizes' columns
    place_reads: dict[tuple[str, str], str] = field(default_factory=dict)      # template_choices' place tests
    as_of: dt.date | None = None           # the pack's reference date (None: the default pack's)
    rows: Any = None          # a list form judged row by row (templates.row_counts.RowCounts), else None
    prefilled: set[tuple[str, str]] = field(default_factory=set)   # (form, key): list columns the template fills
    orders: dict[str, str] = field(default_factory=dict)   # "form.key" -> its rows' latest-year order (at_row)
    #: a list the clerk left empty is still counted against the figure stated for it (a programme's
    #: counts-match judges the list its workbook holds; Shanxi's leaves a submission without firm rows alone)
    count_empty_lists: bool = False
    #: a table form written as one row and judged by its cells (Shanxi's 附件10): the reader reads a row typed
    #: below it as another (templates.below)
    one_row: dict[str, tuple[str, TableLayout]] = field(default_factory=dict)

    def cell(self, form_id: str, key: str) -> str | None:
        return self.cells.get(form_id, {}).get(key)

    def read(self, form_id: str, key: str) -> str | None:
        """The value as validate reads it: a date cell's read date (templates.dates), a number cell's read
        number (templates.numbers), else the cell."""
        ref = self.cell(form_id, key)
        return self.dates.get(ref, self.numbers.get(ref, ref)) if ref else None

    def read_column(self, form_id: str, key: str) -> str | None:
        """A list column as validate reads it: a date or number column's reads, else the column."""
        for reads in (self.date_columns, self.number_columns):
            if (form_id, key) in reads:
                return reads[(form_id, key)][0]
        return self.column(form_id, key)

    def at_row(self, form_id: str, key: str, row: str | None) -> str | None:
        """A list form's value in the row a rule reads (`row: last`: of the rows where `key` is filled, the one
        whose first column names the latest year — rules.submission.year_of, as validate picks it), as validate
        reads what was typed there; None for other rules."""
        if row != "last" or form_id not in self.tables or key not in self.tables[form_id][1].cols:
            return None
        sheet, layout = self.tables[form_id]
        column = f"'{sheet}'!{layout.column_range(key)}"
        for reads in (self.date_columns, self.number_columns):
            if (form_id, key) in reads:     # the rows' reads, as validate reads what was typed there
                column = reads[(form_id, key)][0]
        order = self._latest_order(form_id, key)
        return f"INDEX({column},MATCH(MAX({order}),{order},0))"

    def is_latest(self, form_id: str, key: str) -> str:
        """Excel, relative to a by-year list's first row: true on the row `at_row` reads (the latest year's, `key`
        filled) — a red mark's condition over the list's column."""
        order = self._latest_order(form_id, key)
        sheet, cells = order.split("!")
        first = cells.split(":")[0]
        row_relative = sheet + "!" + first[:first.rindex("$")] + first[first.rindex("$") + 1:]
        return f"AND({row_relative}>0,{row_relative}=MAX({order}))"

    def _read_at(self, form_id: str, key: str, row: int) -> str:
        """Excel: the read of a list cell (0-based sheet row) as validate reads it: its date or number read
        on the hidden sheets, else the cell."""
        for read_sheet, reads in ((DATE_SHEET, self.date_columns), (NUMBER_SHEET, self.number_columns)):
            if (form_id, key) in reads:
                return f"'{read_sheet}'!${reads[(form_id, key)][1]}${row + 1}"
        sheet, layout = self.tables[form_id]
        return f"'{sheet}'!{xl_rowcol_to_cell(row, layout.cols[key], True, True)}"

    def _latest_order(self, form_id: str, key: str) -> str:
        """A hidden column beside each row of a by-year list, on the list's own rows: 0 where `key` is blank, else
        the row's year × 100 + its place (the latest year wins, the lower row among equals); its absolute range."""
        name = f"{form_id}.{key}"
        if name not in self.orders:
            sheet, layout = self.tables[form_id]
            ws, _ = hidden_sheet(self.lists.workbook, ORDER_SHEET)
            col = len(self.orders)
            ws.write_string(0, col, name)
            years = layout.form.table_fields[0].key
            for i in range(layout.n_rows):
                y = f"TRIM('{sheet}'!{layout.cell(years, i, True, True)})"
                head = f'LEFT({y}&"xxxx",4)'
                digits = ",".join(f'ISNUMBER(FIND(MID({head},{k},1),"0123456789"))' for k in range(1, 5))
                read = self._read_at(form_id, key, layout.first_row + i)
                # validate's value: a number or date it read, or nothing; a text column's typed text
                blank = f"NOT(ISNUMBER({read}))" if read.startswith((f"'{NUMBER_SHEET}'", f"'{DATE_SHEET}'")) \
                    else f'TRIM({read})=""'
                # on the list's own row (as the date and number reads): a mark's condition refers to it relatively
                ws.write_formula(layout.first_row + i, col,
                                 f"=IF({blank},0,IF(AND({digits}),--{head},0)*100+{i + 1})", None, 0)
            letter = xl_col_to_name(col)
            self.orders[name] = f"'{ORDER_SHEET}'!${letter}${layout.first_row + 1}:${letter}${layout.last_row + 1}"
        return self.orders[name]

    def column(self, form_id: str, key: str) -> str | None:
        if form_id not in self.tables or key not in self.tables[form_id][1].cols:
            return None
        sheet, layout = self.tables[form_id]
        return f"'{sheet}'!{layout.column_range(key)}"

    def used(self, form_id: str) -> str:
        """Excel array: 1 for each row of a list form holding anything the clerk typed, else 0."""
        sheet, layout = self.tables[form_id]
        return rows_in_use(layout, sheet)

    def type_key(self) -> str:
        """Excel: the folded 基地类型 (template_checks.sheet_key), （未填） when blank."""
        ref = self.cell(self.type_form, BASE_TYPE) or '""'
        return f'IF({ref}="","{UNTYPED}",{key_formula(ref)})'


def rows_in_use(layout: TableLayout, sheet: str | None = None) -> str:
    """Excel array over a list form's rows: true where anything is typed (what the reader reads as a row;
    a 序号 alone is none)."""
    prefix = f"'{sheet}'!" if sheet else ""
    parts = "&".join(prefix + layout.column_range(f.key) for f in layout.form.table_fields if not f.merge_only)
    return f'(({parts})<>"")'


def _blank(ref: str) -> str:
    return f'TRIM({ref})=""'


def _n(x: float) -> str:
    return f"{float(x):G}"


def _date(d: dt.date) -> str:
    return f"DATE({d.year},{d.month},{d.day})"


def _forms(rule: Rule) -> tuple[str, ...]:
    return rule.forms or ((rule.form,) if rule.form else ())


def _row(rule: Rule) -> str | None:
    """The table row a rule reads (`row: last`), for the kinds that take one."""
    return getattr(rule.args, "row", None)


def _as_of(places: Places) -> dt.date:
    return places.as_of or pack().as_of


def _stated(rule: Rule, places: Places, key: str) -> str | None:
    """Excel: the value a one-field rule judges, as rules.context.with_fallback picks it: the first of the
    rule's forms that states it (a number or date), else the fallback form's; a list form's row the rule
    names (`row: last`)."""
    refs = [places.read(f, key) or places.at_row(f, key, _row(rule)) for f in (*_forms(rule), rule.fallback) if f]
    refs = [r for r in refs if r]
    if not refs:
        return None
    out = refs[-1]
    for ref in reversed(refs[:-1]):
        out = f"IF(ISNUMBER({ref}),{ref},{out})"
    return out


# ------------------------------------------------------------------ per kind


def _required(rule: Rule, places: Places) -> str | None:
    """Blank required official fields: validate's errors of the rule. Blanks it doubts (our own columns, a
    blank that may be a 0 left out, the parts of a breakdown) are its warnings, not counted here."""
    terms = []
    for form_id in _forms(rule):
        form = get_form(form_id)
        for f in form.fields:
            if not f.required or f.merge_only or not f.official or f.blank_may_be_zero or f.part_of:
                continue
            ref = places.cell(form_id, f.key)
            if ref in places.computed:
                continue        # the reader takes a formula's empty result for an unsaved one: not blank
            if ref:
                terms.append(f"({_blank(ref)})")
            elif (col := places.column(form_id, f.key)):
                terms.append(f"SUMPRODUCT({places.used(form_id)}*({_blank(col)}))")
    return "+".join(terms) if terms else None


def _range(rule: Rule, places: Places) -> str | None:
    terms = []
    for form_id in _forms(rule):
        for f in get_form(form_id).fields:
            if not f.is_numeric or f.merge_only:
                continue
            for bound, op in ((f.min, "<"), (f.max, ">")):
                if bound is None:
                    continue
                if (ref := places.read(form_id, f.key)):
                    terms.append(f"AND(ISNUMBER({ref}),{ref}{op}{_n(bound)})*1")
                elif (col := places.read_column(form_id, f.key)):
                    terms.append(f'COUNTIF({col},"{op}{_n(bound)}")')
    return "+".join(terms) if terms else None


def _choice(rule: Rule, places: Places) -> str | None:
    """Choices outside their list on the official fields: validate's errors. Accepted as validate accepts
    them: the list and its aliases, and the spellings only its matchers know (places, industries, sizes:
    templates.choices); one the sheet cannot fold is left to _choice_doubt."""
    # a form whose choice fields are all ours: validate finds no error there, only its warnings (请核实)
    return _choices(rule, places, official=True) or ("0" if _choices(rule, places, official=False) else None)


def _choices(rule: Rule, places: Places, *, official: bool) -> str | None:
    """Excel: the values outside their list on the official choice fields (`official`; but those holding a character
    the sheet cannot fold, see _choice_doubt), or on ours (every one)."""
    terms = [fail for _, fail, _ in _choice_terms(rule, places, official=official)]
    return "+".join(terms) if terms else None


def _choice_doubt(rule: Rule, places: Places) -> str | None:
    """Values validate may read although the sheet cannot (a character the sheet does not fold: `unfolded`) on the
    official choice fields, and every value of our own choice columns (基地类型, 所属行业, 企业规模) validate cannot use:
    its warnings, or its errors the sheet cannot prove: 请核实."""
    terms = [doubt for _, _, doubt in _choice_terms(rule, places) if doubt]
    if (ours := _choices(rule, places, official=False)):
        terms.append(ours)
    return "+".join(terms) if terms else None


def _choice_terms(rule: Rule, places: Places, *, official: bool = True) -> list[tuple[str, str, str | None]]:
    """(field key, count of values outside the list, count of those holding a character the sheet cannot fold — left
    out of the first — or None) for each choice field of the rule's forms, official or ours (no doubt: all are)."""
    from .choices import accepted_beyond_list
    out = []
    for form_id in _forms(rule):
        for f in get_form(form_id).fields:
            choices = choices_of(f)     # none for a place the programme lists none for: typed, not judged
            if f.type != "choice" or not choices or f.merge_only or f.official != official:
                continue
            listed = _spelling_list(places, choices)
            odd = _unfolded_row(places, choices) if official and f.choices not in SPELLED_LISTS else None
            role = (f.identity or f.role) if f.choices in SPELLED_LISTS else None   # a programme's own list: as listed
            if (ref := places.cell(form_id, f.key)):
                also = accepted_beyond_list(role, places.lists, ref=ref, known=places.place_reads)
                out.append((f.key, *choice_cell_terms(ref, listed, odd, also)))
            elif (col := places.column(form_id, f.key)):
                also = accepted_beyond_list(role, places.lists, sizes=_sizes(places, form_id))
                k = key_formula(col)
                outside = f'(TRIM({col})<>"")*ISNA(MATCH({k},{listed},0))' + (f"*(1-{also})" if also else "")
                if odd is None:
                    out.append((f.key, f"SUMPRODUCT({outside})", None))
                    continue
                held = f"SIGN(MMULT(--ISNUMBER(FIND({odd},{k})),{odd}_ones))"
                out.append((f.key, f"SUMPRODUCT({outside}*(1-{held}))", f"SUMPRODUCT({outside}*{held})"))
    return out


def choice_cell_terms(ref: str, listed: str, odd: str | None, also: str | None = None) -> tuple[str, str | None]:
    """Excel (1/0) for one typed choice in `ref`: (outside the list `listed` and holding none of the characters `odd`
    names — 不符合, outside and holding one — 请核实); `also`: what validate accepts besides the list (places)."""
    outside = f"NOT({_blank(ref)}),ISNA(MATCH({key_formula(ref)},{listed},0))" + (f",NOT({also})" if also else "")
    if odd is None:
        return f"AND({outside})*1", None
    held = f"SUMPRODUCT(--ISNUMBER(FIND({odd},{key_formula(ref)})))>0"
    return f"AND({outside},NOT({held}))*1", f"AND({outside},{held})*1"


def _unfolded_row(places: Places, choices: str) -> str | None:
    """A named row of the characters validate may read in a value of the list that the sheet cannot fold
    (templates.checks.unfolded), and a column of as many 1s (`name`_ones, MMULT's right factor); None when none."""
    name = f"xl_unfolded_{choices}"
    if name not in places.lists.names:
        chars = unfolded(spellings(choices))
        if not chars:
            return None
        places.lists.add_row(name, f"{choices}（表内无法归一的字符）", chars)
        places.lists.add(f"{name}_ones", f"{choices}（1）", [1] * len(chars))
    return name


def _mode(rule: Rule | None = None) -> str:
    """How a firm without 所属行业 is sized (the rule's `unknown_industry`, else the pack's)."""
    from ..rules.sizing import UNKNOWN_INDUSTRY
    own = rule.args.unknown_industry if rule is not None and rule.kind == "ratio" else None
    return own or pack().params.get("unknown_industry") or UNKNOWN_INDUSTRY[0]


def _sizes(places: Places, form_id: str, rule: Rule | None = None) -> dict[str, str]:
    """The size sheet's columns for a list form's rows (templates.sizes)."""
    from .sizes import size_columns
    sheet, layout = places.tables[form_id]
    reads = {key: f"'{NUMBER_SHEET}'!${letter}1" for (fid, key), (_, letter) in places.number_columns.items()
             if fid == form_id}
    return size_columns(places.lists, sheet, layout, _mode(rule), places.sizes, reads)


def _share_parts(rule: Rule, places: Places) -> tuple[str, str, str, str] | None:
    """Excel: (firms, firms proven not small/micro, firms proven small/micro, threshold) of the list."""
    from .sizes import NOT_SMALL, SMALL
    if rule.form not in places.tables:
        return None
    verdict = _sizes(places, rule.form, rule)["value"]
    used = places.used(rule.form)
    n = f"SUMPRODUCT(1*{used})"
    said = f'({verdict}&"")'         # "" (undecided) equals neither verdict, in every office suite
    return (n, f'SUMPRODUCT({used}*({said}="{NOT_SMALL}"))', f'SUMPRODUCT({used}*({said}="{SMALL}"))',
            _threshold(rule, places))


def _share(rule: Rule, places: Places) -> str | None:
    """The small/micro share below the threshold even with every undecided firm counted small: validate's
    error (rules.kinds.small_micro)."""
    if not (parts := _share_parts(rule, places)):
        return None
    n, no, _, th = parts
    return f"IF({n}=0,0,IF(ISNUMBER({th}),IF(({n}-{no})/{n}<{th},1,0),0))"


def _share_doubt(rule: Rule, places: Places) -> str | None:
    """Below the threshold only with the undecided firms counted not small: validate's warning."""
    if not (parts := _share_parts(rule, places)):
        return None
    n, no, yes, th = parts
    return f"IF({n}=0,0,IF(ISNUMBER({th}),IF(AND(({n}-{no})/{n}>={th},{yes}/{n}<{th}),1,0),0))"


def _spelling_list(places: Places, choices: str) -> str:
    """A named list of every spelling validate accepts for a value list, keyed as the sheet folds."""
    name = f"xl_accept_{choices}"
    if name not in places.lists.names:
        words = spellings(choices) if choices not in ("city", "county") else {v: v for v in value_list(choices)}
        places.lists.add(name, f"{choices}（可接受的写法）", list(dict.fromkeys(sheet_key(w) for w in words)))
    return name


def per_type_table(places: Places, name: str, heading: str, value_for: Callable[[str | None], object]) -> str:
    """A (folded 基地类型 -> value) table with a row per accepted spelling and （未填） for a blank type."""
    if name not in places.lists.names:
        rows = {UNTYPED: value_for(None)}
        for spelling, canonical in spellings("base_type").items():
            rows.setdefault(sheet_key(spelling), value_for(canonical))
        places.lists.add_table(name, ("基地类型", heading), [(k, v) for k, v in rows.items() if v is not None])
    return name


def _threshold(rule: Rule, places: Places) -> str:
    """Excel: the rule's threshold for the base's type, "" when the pack gives none for it."""
    if not rule.per_type:
        return _n(rule.threshold)
    untyped = untyped_threshold(rule)     # a blank or unknown type: what validate holds it to
    table = per_type_table(places, f"xl_thr_{rule.id.replace('-', '_')}", rule.id,
                           lambda bt: rule.threshold_for(bt) if bt is not None else untyped)
    return type_threshold(places.type_key(), table, '""')


def _min(rule: Rule, places: Places) -> str | None:
    value = _stated(rule, places, rule.field)
    if value is None:
        return None
    th = _threshold(rule, places)
    op = "<" if rule.kind == "min" else ">"
    return f"IF(AND(ISNUMBER({value}),ISNUMBER({th})),IF({value}{op}{th},1,0),0)"


def _answers(places: Places, field_key: str, form: Form) -> str:
    """A named (typed answer -> 是/否) table: the ways clerks answer the field's 是否 question, each read
    by the reader's own parser (read.normalise.parse_value), so the sheet reads them as validate does."""
    name = f"xl_answers_{field_key}"
    if name not in places.lists.names:
        f = form.field(field_key)
        rows: dict[str, str] = {}
        for text in _answer_candidates(f.label):
            parsed = parse_value(text, f)
            if isinstance(parsed.value, bool) and not parsed.note:
                rows.setdefault(sheet_key(text, answer=True), "是" if parsed.value else "否")
        places.lists.add_table(name, (f.label, "读作"), list(rows.items()), text_values=True)
    return name


#: how clerks answer a 是否X question besides 是/否 (the parser decides which of these it reads, and how)
_MARKS = ("是", "否", "√", "×", "✓", "✗", "✔", "Y", "N", "yes", "no", "有", "无", "对", "错", "是的", "不是", "没有",
          "1", "0", "true", "false")
_PREFIXES = ("", "是", "为", "属于", "具有", "具备", "非", "不是", "不属于", "不具有", "无", "没有", "否")
_TAILS = ("", "资格", "单位")


def _answer_candidates(label: str) -> list[str]:
    subject = label[2:] if label.startswith("是否") else label
    return [*_MARKS, *(p + subject + t for p in _PREFIXES for t in _TAILS)]


def answer_formula(ref: str, table: str) -> str:
    """Excel: 是/否 as the reader reads the typed answer ('是（企业法人）' = 是), "" when it cannot."""
    k = key_formula(ref, answer=True)
    stripped = f'LEFT({k},FIND("（",{k}&"（")-1)'
    return f'IFERROR(VLOOKUP({k},{table},2,FALSE),IFERROR(VLOOKUP({stripped},{table},2,FALSE),""))'


def _equals(rule: Rule, places: Places) -> str | None:
    """A 是/否 that must be 是 (独立法人): counted when the answer the reader reads is the other one."""
    if not isinstance(rule.threshold, bool):
        return None
    forms = [f for f in (*_forms(rule), rule.fallback) if f and places.cell(f, rule.field)]
    if not forms or any(get_form(f).field(rule.field).type != "yesno" for f in forms):
        return None
    wrong = "否" if rule.threshold else "是"
    out = "0"
    for form_id in reversed(forms):         # the first form that states it is judged
        ref = places.cell(form_id, rule.field) or '""'
        answer = answer_formula(ref, _answers(places, rule.field, get_form(form_id)))
        out = f'IF({_blank(ref)},{out},IF({answer}="{wrong}",1,0))'
    return out


def _equals_doubt(rule: Rule, places: Places) -> str | None:
    """An answer typed that the sheet cannot read (“否。”, a zero-width space pasted in, ｎｏ in full width: NFKC
    and such characters are past what the sheet folds): 请核实, never 通过 — validate reads it (ｎｏ = 否, an
    error) or reports it unreadable (an error at the same cell)."""
    if not isinstance(rule.threshold, bool):
        return None
    forms = [f for f in (*_forms(rule), rule.fallback) if f and places.cell(f, rule.field)]
    if not forms or any(get_form(f).field(rule.field).type != "yesno" for f in forms):
        return None
    out = "0"
    for form_id in reversed(forms):         # the first form that states it, as _equals judges
        ref = places.cell(form_id, rule.field) or '""'
        answer = answer_formula(ref, _answers(places, rule.field, get_form(form_id)))
        out = f'IF({_blank(ref)},{out},IF({answer}="",1,0))'
    return out


def _age(rule: Rule, places: Places) -> str | None:
    value = _stated(rule, places, rule.field)
    if value is None or rule.per_type:
        return None
    years = int(rule.threshold)
    as_of = _date(_as_of(places))
    d = value
    return (f"IF(ISNUMBER({d}),IF(DATE(YEAR({d})+{years},MONTH({d}),DAY({d}))>{as_of},1,0),0)")


def _within(stated: str, other: str, tol) -> str:
    from ..rules.columns import within_formula
    return within_formula(stated, other, tol)


def _aggregate(rule: Rule, places: Places) -> str | None:
    """counts-match / sum-matches: 附件3's rows (or a column's sum) against the figure the first target form
    states (附件10), else the fallback form's (附件2), within the rule's tolerance; nothing without rows,
    except a count where places.count_empty_lists."""
    from ..rules.kinds import kind_of
    how = kind_of(rule).sheet_check      # "count" | "sum" (rules.live)
    target = rule.args.target
    key = target.field
    if not key or rule.form not in places.tables:
        return None
    rows = f"SUMPRODUCT(1*{places.used(rule.form)})"
    refs = [r for r in (places.read(f, key) or places.at_row(f, key, target.row)
                        for f in (*target.forms, rule.fallback) if f) if r]
    if not refs:
        return None
    if how == "count":
        have, missing = rows, None
    else:
        col = places.read_column(rule.form, rule.field)
        if not col:
            return None
        have, missing = f"SUM({col})", f"COUNT({col})=0"     # no figure at all: validate finds the sum missing

    def judged(ref: str) -> str:
        differs = f"IF({_within(ref, have, rule.tolerance)},0,1)"
        return f"IF({missing},1,{differs})" if missing else differs

    out = "0"
    for ref in reversed(refs):
        out = f"IF(ISNUMBER({ref}),{judged(ref)},{out})"
    return out if how == "count" and places.count_empty_lists else f"IF({rows}=0,0,{out})"


def _forms_agree(rule: Rule, places: Places) -> str | None:
    a_form, b_form = rule.forms[:2]
    terms = []
    for key, b_key in fact_pairs(rule.fields):
        # as validate reads them: a record's cell, or a list's row the rule names (row: last)
        a = places.read(a_form, key) or places.at_row(a_form, key, _row(rule))
        b = places.read(b_form, b_key) or places.at_row(b_form, b_key, _row(rule))
        if not a or not b:
            continue
        f = get_form(a_form).field(key)
        if f.is_numeric:
            terms.append(f"IF(AND(ISNUMBER({a}),ISNUMBER({b})),IF({_within(a, b, rule.tolerance)},0,1),0)")
        elif f.type == "date":
            terms.append(f"IF(AND(ISNUMBER({a}),ISNUMBER({b})),IF({a}={b},0,1),0)")
        # names, places and the type: 附件10 takes them from 附件2 by formula, so they cannot differ
    return "+".join(terms) if terms else "0"


def _sums_equal(rule: Rule, places: Places) -> str | None:
    *parts, total = rule.fields
    refs = [r for k in rule.fields if (r := places.read(rule.form, k))]
    if len(refs) < len(rule.fields):
        return None
    *prefs, tref = refs
    s = f"SUM({','.join(prefs)})"
    n = f"COUNT({','.join(prefs)})"
    return f"IF(AND({n}>0,ISNUMBER({tref})),IF({_within(tref, s, rule.tolerance)},0,1),0)"


def _comparison(rule: Rule, places: Places) -> str | None:
    """`a <= b` (or `a + b <= c`) in one record or row; on a list form, in every row (or the rule's `row`)."""
    from ..rules.kinds.within_record import pair
    terms = []
    for spec in rule.fields:
        left, op, right = pair(spec)
        bad = ">" if op == "<=" else "<"
        refs = [places.read(rule.form, k) or places.at_row(rule.form, k, _row(rule)) for k in [*left, right]]
        if all(refs):
            *parts, b = [r for r in refs if r]
            if len(parts) == 1:
                terms.append(f"IF(AND(ISNUMBER({parts[0]}),ISNUMBER({b})),IF({parts[0]}{bad}{b},1,0),0)")
            else:       # blank parts count as none of it; nothing to judge when every part is blank
                slack = "+1E-9" if op == "<=" else "-1E-9"
                terms.append(f"IF(AND(COUNT({','.join(parts)})>0,ISNUMBER({b})),"
                             f"IF(SUM({','.join(parts)}){bad}{b}{slack},1,0),0)")
            continue
        ca, cb = places.read_column(rule.form, left[0]), places.read_column(rule.form, right)
        if len(left) != 1 or not ca or not cb:
            return None
        terms.append(f"SUMPRODUCT(ISNUMBER({ca})*ISNUMBER({cb})*({ca}{bad}{cb}))")
    return "+".join(terms) if terms else None


def _share_min(rule: Rule, places: Places) -> str | None:
    """share-min: the part's share of its whole below the threshold (a blank or 0 whole judges nothing)."""
    part, whole = (_stated(rule, places, k) for k in rule.fields[:2])
    if part is None or whole is None:
        return None
    return (f"IF(AND(ISNUMBER({part}),ISNUMBER({whole})),IF({whole}=0,0,IF({part}/{whole}<{_n(rule.threshold)}-1E-12,"
            f"1,0)),0)")


def _rows_min(rule: Rule, places: Places) -> str | None:
    """rows-min: fewer rows typed in the list than the threshold (the template always holds the list)."""
    if rule.form not in places.tables:
        return None
    return f"IF(SUMPRODUCT(1*{places.used(rule.form)})<{_n(rule.threshold)},1,0)"


def _rows_within(rule: Rule, places: Places) -> str | None:
    """rows-within: more rows typed in the list than the figure the application states (a number there)."""
    target = rule.args.target
    refs = [r for r in (places.read(f, target.field) or places.at_row(f, target.field, target.row)
                        for f in target.forms) if r]
    if rule.form not in places.tables or not refs:
        return None
    return f"IF(ISNUMBER({refs[0]}),IF(SUMPRODUCT(1*{places.used(rule.form)})>{refs[0]},1,0),0)"


def _share_stated(rule: Rule, places: Places) -> str | None:
    """share-stated: the stated percentage against part / whole × 100, within the rule's tolerance in points;
    not judged with a figure missing, a zero whole or a part above its whole (as validate)."""
    refs = [r for k in rule.fields if (r := places.read(rule.form, k) or places.at_row(rule.form, k, _row(rule)))]
    if len(refs) < len(rule.fields):
        return None
    part, whole, stated = refs
    return (f"IF(AND(ISNUMBER({part}),ISNUMBER({whole}),ISNUMBER({stated})),IF(AND({whole}<>0,{part}<={whole}),"
            f"IF({_within(f'100*{part}/{whole}', stated, rule.tolerance)},0,1),0),0)")


def _total_matches(rule: Rule, places: Places) -> str | None:
    """total-matches: each column's 合计 cell (typed over the template's SUM) against the rows' sum."""
    if rule.form not in places.tables:
        return None
    sheet, layout = places.tables[rule.form]
    if layout.total_row is None:
        return None
    terms = []
    for key in rule.fields:
        if key not in layout.cols:
            continue
        total = f"'{sheet}'!{xl_rowcol_to_cell(layout.total_row, layout.cols[key], True, True)}"
        terms.append(f"IF(ISNUMBER({total}),IF({_within(total, f'SUM({places.read_column(rule.form, key)})', rule.tolerance)},"
                     f"0,1),0)")
    return "+".join(terms) if terms else None


def _code(expr: str) -> str:
    """Excel: credit codes as validate reads them: no spaces or hyphens, upper case."""
    return f'UPPER(SUBSTITUTE(SUBSTITUTE(SUBSTITUTE({expr}," ",""),"\u3000",""),"-",""))'


def _positions(n: int, column: bool = False) -> str:
    return "{" + (";" if column else ",").join(str(i) for i in range(1, n + 1)) + "}"


def _ones(n: int) -> str:
    return "{" + ";".join("1" * n) + "}"


def codes_invalid(cells: str) -> str:
    """Excel: how many of `cells` (a column range, or one cell) hold a code that is neither a valid
    统一社会信用代码 (GB 32100-2015, check character) nor a 15-digit 注册号 (validate's notice, not
    counted); blanks count 0. One array expression, no IF: SUMPRODUCT and MMULT evaluate it per row
    alike in Excel 2010, WPS and LibreOffice. Each code is padded with "~" (in no alphabet) so MID never
    yields "" and FIND finds every character in alphabet & itself: a position past the alphabet is a
    character the code may not hold."""
    c = _code(cells)
    pad = f'({c}&"{"~" * 18}")'
    alphabet = f'"{_USCC_ALPHABET}"'

    def index(positions: str, within: str) -> str:
        return f"FIND(MID({pad},{positions},1),{within}&MID({pad},{positions},1))"

    weights = "{" + ";".join(str(w) for w in _USCC_WEIGHTS) + ";0}"
    strange = f"MMULT(--({index(_positions(18), alphabet)}>{len(_USCC_ALPHABET)}),{_ones(18)})"
    lead = f'MMULT(--({index(_positions(8), chr(34) + "0123456789" + chr(34))}>10),{_ones(8)})'
    weighted = f"MMULT({index(_positions(18), alphabet)}-1,{weights})"
    check = f"{index('18', alphabet)}-1"
    n = len(_USCC_ALPHABET)
    valid = f"(LEN({c})=18)*({strange}=0)*({lead}=0)*(MOD({n}-MOD({weighted},{n}),{n})={check})"
    legacy = f'(LEN({c})=15)*(MMULT(--({index(_positions(15), chr(34) + "0123456789" + chr(34))}>10),{_ones(15)})=0)'
    return f'SUMPRODUCT(({c}<>"")*(1-{valid}-{legacy}))'


def _checksum(rule: Rule, places: Places) -> str | None:
    cells = places.cell(rule.form, rule.field) or places.column(rule.form, rule.field)
    return codes_invalid(cells) if cells else None


def _date_range(rule: Rule, places: Places) -> str | None:
    col = places.read_column(rule.form, rule.field)
    if not col:
        return None
    out = f'COUNTIF({col},">"&{_date(_as_of(places))})'
    earliest = rule.params.get("earliest")
    if earliest:
        d = earliest if isinstance(earliest, dt.date) else dt.date.fromisoformat(str(earliest))
        out += f'+COUNTIF({col},"<"&{_date(d)})'
    return out


def _unique(rule: Rule, places: Places) -> str | None:
    """Rows repeating an earlier row's value in any of the rule's fields, folded as validate folds them
    (key_formula: spaces, filler punctuation, bracket styles; letters in any case), each row once as validate
    reports it (a row repeating both name and code is one mistake): per field the rows holding a value less
    the first of each, found with MATCH on the values as text."""
    terms = []
    sheet, layout = places.tables.get(rule.form, (None, None))
    if layout is None:
        return None
    for key in rule.fields:
        col = places.column(rule.form, key)
        if not col:
            return None
        k = key_formula(f'{col}&""')
        first = f"MATCH({k},{k},0)=ROW({col})-{layout.first_row}"
        terms.append(f'({k}<>"")*(1-({first}))')
    return f"SUMPRODUCT(--(({'+'.join(terms)})>0))"


def _comparables(rule: Rule, places: Places) -> str | None:
    name = places.column(rule.form, SITE_NAME)
    rent, dist = (places.read_column(rule.form, k) for k in (SITE_RENT, SITE_DISTANCE))
    base_rent = places.read(rule.form, OWN_RENT)
    if not (name and rent and dist and base_rent):
        return None
    th = _threshold(rule, places)
    km_rule = rule.params.get("max_km") or {}
    km_table = per_type_table(places, f"xl_km_{rule.id.replace('-', '_')}", "max_km",
                              lambda bt: _per_type_value(km_rule, bt))
    km = f'IFERROR(VLOOKUP({places.type_key()},{km_table},2,FALSE),"")'
    priced = f'SUMPRODUCT((TRIM({name})<>"")*ISNUMBER({rent})'
    # a site whose distance is not stated may be within it: too few is validate's error only without them
    could = f"(1-ISNUMBER({dist})+ISNUMBER({dist})*({dist}<={km}))"
    have = f'IF(ISNUMBER({km}),{priced}*{could}),{priced}))'
    return f"IF(ISNUMBER({th}),IF({have}<{th},1,0),0)"


def _per_type_value(per_type, bt):
    from ..rules.rule import DEFAULT_KEY
    if not isinstance(per_type, dict):
        return per_type
    return per_type.get(bt) if bt in per_type else per_type.get(DEFAULT_KEY)


def _rent_discount(rule: Rule, places: Places) -> str | None:
    rent = places.read_column(rule.form, SITE_RENT)
    base_rent = places.read(rule.form, OWN_RENT)
    if not (rent and base_rent) or rule.per_type:
        return None
    used = f"SUMPRODUCT(1*{places.used(rule.form)})"
    mean = f"SUM({rent})/COUNT({rent})"
    return (f"IF(AND({used}>0,COUNT({rent})>0,ISNUMBER({base_rent})),"
            f"IF({base_rent}>{mean}*{_n(rule.threshold)}+1E-9,1,0),0)")


KIND_COUNTS: dict[str, Callable[[Rule, Places], str | None]] = {
    "required": _required, "range": _range, "choice": _choice,
    "min": _min, "max": _min, "equals": _equals, "age-in-years": _age,
    "counts-match": _aggregate, "sum-matches": _aggregate, "forms-agree": _forms_agree,
    "sums-equal": _sums_equal, "comparison": _comparison,
    "checksum": _checksum, "unique": _unique, "date-range": _date_range,
    "comparables": _comparables, "rent-discount": _rent_discount, "ratio": _share,
    "share-min": _share_min, "rows-min": _rows_min, "total-matches": _total_matches,
    "rows-within": _rows_within, "share-stated": _share_stated,
}

#: kinds whose rule, at the rule's severity, also reports a milder problem the sheet can count: the
#: verdict 请核实 where validate warns (the 表内检查 result column)
KIND_DOUBTS: dict[str, Callable[[Rule, Places], str | None]] = {"ratio": _share_doubt, "choice": _choice_doubt,
                                                                 "equals": _equals_doubt}


def count_formula(rule: Rule, places: Places) -> str | None:
    """Excel formula (no "=") counting `rule`'s problems in the workbook, or None when the sheet does
    not judge it (its kind needs several files, or the workbook lacks its forms)."""
    if rule.kind in MERGE_ONLY_KINDS or rule.kind not in KIND_COUNTS:
        return None
    if places.rows is not None:
        return places.rows.count(rule)
    return KIND_COUNTS[rule.kind](rule, places)


def doubt_formula(rule: Rule, places: Places) -> str | None:
    """Excel formula (no "=") counting the warnings `rule` gives below its own severity, or None."""
    how = KIND_DOUBTS.get(rule.kind)
    if not how or rule.kind in MERGE_ONLY_KINDS:
        return None
    return places.rows.doubt(rule) if places.rows is not None else how(rule, places)


# ------------------------------------------------------------------ marks on the cells


@dataclass(frozen=True)
class Mark:
    """A cell (or a list column) to fill red while `condition` holds; the condition refers to the area's
    first cell relatively, without its sheet (conditional formats live on the cell's own sheet)."""

    form_id: str
    area: tuple[int, int, int, int]
    condition: str


def judged_area(rule: Rule, places: Places) -> tuple[tuple[int, int, int, int], str | None] | None:
    """Where a one-field rule's failing value shows: (the cell's area, None) for a record's cell; for a list's
    `row: last` (the latest year's row, Places.at_row) the column's rows with the condition, relative to its
    first row, that holds on the judged row only. None when the rule reads no cell of its form."""
    key = rule.field or (rule.fields[0] if rule.fields else None)
    if key is None:
        return None
    if _row(rule) == "last" and places.at_row(rule.form, key, "last"):
        layout = places.tables[rule.form][1]
        c = layout.cols[key]
        return (layout.first_row, c, layout.last_row, c), places.is_latest(rule.form, key)
    if (at := _area(places, rule.form, key)) is None or at[2] is not None:
        return None
    return at[0], None


def _area(places: Places, form_id: str, key: str) -> tuple[tuple[int, int, int, int], str, str | None] | None:
    """(area, its first cell, the column's absolute top cell or None for a single cell)."""
    from xlsxwriter.utility import xl_rowcol_to_cell
    if form_id in places.tables and key in places.tables[form_id][1].cols:
        layout = places.tables[form_id][1]
        c = layout.cols[key]
        return ((layout.first_row, c, layout.last_row, c), xl_rowcol_to_cell(layout.first_row, c),
                xl_rowcol_to_cell(layout.first_row, c, True, True))
    ref = places.cell(form_id, key)
    if ref is None or ref in places.computed:
        return None
    cell = ref.split("!")[-1].replace("$", "")
    from xlsxwriter.utility import xl_cell_to_rowcol
    r, c = xl_cell_to_rowcol(cell)
    return (r, c, r, c), cell, None


def cell_marks(rule: Rule, places: Places) -> list[Mark]:
    """Where a failing value of `rule` can be shown on the cell the clerk typed (codes, repeats, dates,
    a 是/否 that must be 是): the same tests the 表内检查 counts make, one cell at a time."""
    out = []
    if rule.kind == "checksum":
        for form_id in _forms(rule):
            if (at := _area(places, form_id, rule.field)):
                out.append(Mark(form_id, at[0], f"{codes_invalid(at[1])}>0"))
    elif rule.kind == "unique":
        for key in rule.fields:
            if (at := _area(places, rule.form, key)) and at[2]:
                k = key_formula(f'{at[1]}&""')
                earlier = f'SUMPRODUCT(--({key_formula(f"{at[2]}:{at[1]}&{chr(34) * 2}")}={k}))'
                out.append(Mark(rule.form, at[0], f'AND({k}<>"",{earlier}>1)'))
    elif rule.kind == "date-range":
        if (at := _area(places, rule.form, rule.field)):
            earliest = rule.params.get("earliest")
            early = ""
            if earliest:
                d = earliest if isinstance(earliest, dt.date) else dt.date.fromisoformat(str(earliest))
                early = f",{_read_at(places, rule.form, rule.field, at)}<{_date(d)}"
            v = _read_at(places, rule.form, rule.field, at)
            out.append(Mark(rule.form, at[0], f"AND(ISNUMBER({v}),OR({v}>{_date(_as_of(places))}{early}))"))
    elif rule.kind == "equals" and isinstance(rule.threshold, bool):
        for form_id in [f for f in (*_forms(rule), rule.fallback) if f]:
            if (at := _area(places, form_id, rule.field)) and \
                    get_form(form_id).field(rule.field).type == "yesno":
                wrong = "否" if rule.threshold else "是"
                answer = answer_formula(at[1], _answers(places, rule.field, get_form(form_id)))
                out.append(Mark(form_id, at[0], f'{answer}="{wrong}"'))
    return out


def _read_at(places: Places, form_id: str, key: str, at) -> str:
    """The value validate reads at the area's first cell, for a mark's condition: a date's or a number's
    read on its hidden sheet (its row relative, like the area's cell), else the typed cell itself."""
    for sheet, reads in ((DATE_SHEET, places.date_columns), (NUMBER_SHEET, places.number_columns)):
        if (form_id, key) in reads:
            layout = places.tables[form_id][1]
            return f"'{sheet}'!${reads[(form_id, key)][1]}{layout.first_row + 1}"
    ref = places.cell(form_id, key)
    return places.dates.get(ref, places.numbers.get(ref, at[1])) if ref else at[1]


#: what the red mark on a date the reader cannot read says, in the 填表说明
UNREADABLE_TITLE = "日期能够识别"


def date_marks(places: Places) -> list[Mark]:
    """Red on every typed date validate cannot read (its unparseable error): the template_dates read is
    UNREADABLE. Cells whose value flows from another sheet by formula are marked where it is typed."""
    return _unreadable_marks(places, places.dates, places.date_columns)


def number_marks(places: Places) -> list[Mark]:
    """Red on every typed number validate cannot read (its unparseable error: 请填写数字), as date_marks."""
    return _unreadable_marks(places, places.numbers, places.number_columns)


def unreadable_count(places: Places) -> str | None:
    """Excel (no "="): how many typed dates and numbers validate cannot read (each its unparseable 错误) — the
    cells date_marks and number_marks fill red, counted where typed (not where a formula carries the value on);
    None when the workbook reads none."""
    terms = [f'({read}="{UNREADABLE}")*1' for ref, read in {**places.dates, **places.numbers}.items()
             if ref not in places.computed]
    for sheet, columns in ((DATE_SHEET, places.date_columns), (NUMBER_SHEET, places.number_columns)):
        for (form_id, _key), (_, letter) in columns.items():
            layout = places.tables[form_id][1]
            rows = f"'{sheet}'!${letter}${layout.first_row + 1}:${letter}${layout.last_row + 1}"
            terms.append(f'SUMPRODUCT(({rows}="{UNREADABLE}")*1)')
    return "+".join(terms) if terms else None


def _unreadable_marks(places: Places, cells_read: dict, columns_read: dict) -> list[Mark]:
    out = []
    keys = [(form_id, key) for form_id, cells in places.cells.items() for key, ref in cells.items()
            if ref in cells_read] + list(columns_read)
    for form_id, key in keys:
        if (at := _area(places, form_id, key)):
            out.append(Mark(form_id, at[0], f'{_read_at(places, form_id, key, at)}="{UNREADABLE}"'))
    return out
