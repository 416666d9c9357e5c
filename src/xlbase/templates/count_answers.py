"""In-sheet counts of the 是/否 rules (equals): the answer read as the reader reads it, and an answer
the sheet cannot read (请核实) (templates.rule_counts).
"""

from __future__ import annotations

from ..forms import Form, get_form
from ..read.normalise import parse_value
from ..rules.rule import Rule
from .checks import key_formula, sheet_key
from .places import Places, blank, rule_forms


def answers_table(places: Places, field_key: str, form: Form) -> str:
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
    forms = [f for f in (*rule_forms(rule), rule.fallback) if f and places.cell(f, rule.field)]
    if not forms or any(get_form(f).field(rule.field).type != "yesno" for f in forms):
        return None
    wrong = "否" if rule.threshold else "是"
    out = "0"
    for form_id in reversed(forms):         # the first form that states it is judged
        ref = places.cell(form_id, rule.field) or '""'
        answer = answer_formula(ref, answers_table(places, rule.field, get_form(form_id)))
        out = f'IF({blank(ref)},{out},IF({answer}="{wrong}",1,0))'
    return out


def _equals_doubt(rule: Rule, places: Places) -> str | None:
    """An answer typed that the sheet cannot read (“否。”, a zero-width space pasted in, ｎｏ in full width: NFKC
    and such characters are past what the sheet folds): 请核实, never 通过 — validate reads it (ｎｏ = 否, an
    error) or reports it unreadable (an error at the same cell)."""
    if not isinstance(rule.threshold, bool):
        return None
    forms = [f for f in (*rule_forms(rule), rule.fallback) if f and places.cell(f, rule.field)]
    if not forms or any(get_form(f).field(rule.field).type != "yesno" for f in forms):
        return None
    out = "0"
    for form_id in reversed(forms):         # the first form that states it, as _equals judges
        ref = places.cell(form_id, rule.field) or '""'
        answer = answer_formula(ref, answers_table(places, rule.field, get_form(form_id)))
        out = f'IF({blank(ref)},{out},IF({answer}="",1,0))'
    return out


COUNTS = {"equals": _equals}
DOUBTS = {"equals": _equals_doubt}
