"""Kinds about a submission's forms as a whole: forms-present (an applicant's workbook holds the forms
the rules need), forms-agree (one fact stated on two forms is the same)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from ...forms.roles import BASE_NAME, CITY, COUNTY
from ...forms import APPLICANT_FORMS, SUMMARY_FORM, get_form, list_aliases, value_list
from ...identity import locate, split_place
from ...problems import WARNING, Problem
from ...table import Table
from ...text import fold
from ..columns import as_date, fold_key, num, tolerance_ok, within_formula
from ..context import Context, home_file, names_bases_per_row
from ..emit import display_label, emit, fmt, sheet_cells
from .. import ranges
from ..ranges import estimates_of
from ..rule import Rule
from ..submission import Submission, SubmissionContext, is_blank, raw_text_of, shown
from .base import Kind, Outcomes, Site, param, register
from .params import form_list, row_choice, tolerance


@dataclass(frozen=True)
class Applicant:
    applicant: tuple[str, ...] = param(form_list, "含其中任一表的文件视为一份基地申报材料", default=APPLICANT_FORMS)


@register
class FormsPresent(Kind):
    """An applicant's workbook that lacks one of the rule's forms: the rules on that form were not made
    for it, which should not pass in silence. A 汇总表 is no applicant's workbook (see _applicant_files)."""

    name = "forms-present"
    title = "缺少附表"
    Params = Applicant
    per_submission = True
    variables = frozenset({"title"})
    outcomes = Outcomes(error="申报材料缺少规则所列的表，相关核对未能进行（规则包可设为 warning）")

    @classmethod
    def found_again(cls, rule: Rule, held: set[str]) -> set[str]:
        return set()     # it judges an applicant's workbook, never a 汇总表: a lower level's finding is kept

    def check(self, ctx: Context, rule: Rule) -> list[Problem]:
        out = []
        for file, held in _applicant_files(ctx, set(rule.args.applicant or APPLICANT_FORMS)).items():
            base = next((str(t.base["name"]) for t in held.values() if t.base.get("name")), "")
            for form_id in rule.forms:
                if form_id in held:
                    continue
                title = get_form(form_id).title_for(ctx.pack.year)
                out.append(Problem(
                    rule=rule.id, severity=rule.severity, file=file, form=form_id, base=base,
                    message=rule.render(form=form_id, title=title, base=base, value="", threshold="", label="",
                                        unit="", base_type="", as_of=ctx.as_of.isoformat())))
        return out

    def check_submission(self, ctx: SubmissionContext, rule: Rule, sub: Submission) -> list[Problem]:
        """A programme's application (a file holding one of the pack's `applicant` forms when it names its own,
        else one of its record forms) without one of the rule's forms: one problem per form it lacks, for the
        file (no cell: nothing was typed)."""
        held = {t.form_id for t in sub.tables}
        own = set(rule.args.applicant or ()) - set(APPLICANT_FORMS)
        if not (held & own if own else sub.applicant):
            return []
        out = []
        for form_id in rule.forms:
            if form_id in held:
                continue
            title = get_form(form_id).title_for(ctx.pack.year)
            out.append(Problem(rule=rule.id, severity=rule.severity, file=sub.file, form=form_id, base=sub.base,
                               message=rule.render(form=form_id, title=title, base=sub.base, value="", threshold="",
                                                   label="", unit="", base_type="", as_of=ctx.as_of.isoformat())))
        return out


def _applicant_files(ctx: Context, applicant: set[str]) -> dict[str, dict[str, Table]]:
    """file -> {form id: its first table} for each file that is one base's application: it holds one of
    the `applicant` forms for one base, and no 附件11.

    A firm list merge.attach tied to a base read from another file belongs to that file's submission; a
    base named only by its firm list, and a list tied to no base, are left to the merge's own warnings.
    A 汇总表 lists many bases: it holds 附件11, and its 入驻企业 sheet reads as an 附件3 whose rows each
    name their own base (`_base` from our record, `_base_name` from its 所属基地 column); such a firm
    list is no applicant's 附件3 either, with or without 附件11 beside it.
    """
    by_file: dict[str, dict[str, Table]] = {}
    # a base named only by its list, or a list no base could be found for: the merge says so (base-without-row,
    # firms-base-unclear); a 附件10 missing beside a list that is not an application is no second finding
    tables = [t for t in ctx.tables if not (t.base.get("firm_only") or t.base.get("unattached"))]
    for t in tables:    # a firm list sent apart from its base is held by the base's file (home_file)
        by_file.setdefault(home_file(t), {}).setdefault(t.form_id, t)
    own = {home_file(t) for t in tables if t.form_id in applicant and not names_bases_per_row(t)}
    return {file: held for file, held in by_file.items() if file in own and SUMMARY_FORM not in held}



@dataclass(frozen=True)
class Agreement:
    tolerance: Any = param(tolerance, "数字相差多少仍视为一致", top=True)
    row: str | None = param(row_choice, "表格中读哪一行（申报项目的表单：两张表中按年度的那张）", top=True)


def fact_pairs(fields_: tuple[str, ...]) -> list[tuple[str, str]]:
    """The facts a forms-agree rule compares, as (key on the first form, key on the second): `key` names the
    same field on both, `key_a = key_b` a fact each form keys its own way (上年末总资产 = 资产总额)."""
    out = []
    for spec in fields_:
        a, _, b = str(spec).partition("=")
        out.append((a.strip(), (b or a).strip()))
    return out


@register
class FormsAgree(Kind):
    """The same fact stated on two forms of one submission (附件2 and 附件10: 已入驻企业数, 注册时间, …;
    太原's 申请表 上年末总资产 and its 运营情况's latest 资产总额) agrees: numbers equal (within the rule's
    tolerance), dates equal, yes/no equal, choices and names equal after `fold`. One problem per differing
    fact, at the first form's cell; the message names both forms, values and cells. A fact only one form
    states is not compared."""

    name = "forms-agree"
    title = "两表填报不一致"
    Params = Agreement
    per_submission = True
    variables = frozenset({"cell", "other_form", "other_label", "other_value", "other_cell"})
    outcomes = Outcomes(error="两张表所填同一事项不一致（哪张表对无法从文件判定，规则包可设为 warning）")

    @classmethod
    def check_shape(cls, forms: tuple[str, ...], fields_: tuple[str, ...], site: Site) -> None:
        if len(forms) != 2 or not fields_:
            raise site.error(f"规则 {site.rule_id}（forms-agree）应写两张表 forms: [表一, 表二]，"
                             "并在 fields 中列出两表都有的栏目（两表栏目名不同的写“表一栏目 = 表二栏目”）", key="forms")

    @classmethod
    def field_keys(cls, fields_: tuple[str, ...]) -> list[str]:
        return [k for pair in fact_pairs(fields_) for k in dict.fromkeys(pair)]

    @classmethod
    def keys_on(cls, index: int, fields_: tuple[str, ...]) -> list[str]:
        return [pair[min(index, 1)] for pair in fact_pairs(fields_)]

    sheet_check = "agree"

    @classmethod
    def sheet_fails(cls, rule: Rule, stated: str, other: str) -> str:
        return f"NOT({within_formula(stated, other, rule.tolerance)})"

    @classmethod
    def describe_fields(cls, rule: Rule) -> str:
        """Each fact as both forms label it: 企业职工人数／吸纳就业人员数."""
        a, b = (get_form(f) for f in rule.forms[:2])
        pairs = [(display_label(a, a.field(ka)), display_label(b, b.field(kb))) for ka, kb in fact_pairs(rule.fields)]
        return f"{a.id}与{b.id}：" + "、".join(x if x == y else f"{x}／{y}" for x, y in pairs)

    def check(self, ctx: Context, rule: Rule) -> list[Problem]:
        (a_form, b_form), out = rule.forms[:2], []
        for key, b_key in fact_pairs(rule.fields):
            a, b = ctx.frame(a_form, key), ctx.frame(b_form, b_key)
            if not len(a) or not len(b):
                continue
            if get_form(a_form).field(key).is_numeric:
                out += self._ranged(ctx, rule, (a_form, key, a), (b_form, b_key, b))
            # one row per submission stating the fact on both forms: each form's first row with a value
            b_first = first_stated(ctx.column(b_form, b_key, "blank"), ctx.column(b_form, b_key, "sub"))
            pairs = [(i, b_first[s]) for s, i in first_stated(ctx.column(a_form, key, "blank"),
                                                              ctx.column(a_form, key, "sub")).items() if s in b_first]
            if not pairs:
                continue
            at, bt = (np.array(x, dtype=np.int64) for x in zip(*pairs))
            fa, fb = get_form(a_form).field(key), get_form(b_form).field(b_key)
            differ = ~agree(fa, pd.Series(ctx.column(a_form, key)[at], dtype=object),
                            pd.Series(ctx.column(b_form, b_key)[bt], dtype=object), rule.tolerance).to_numpy()
            if differ.any():
                da = a.iloc[at[differ]]
                db = b.iloc[bt[differ]].set_axis(da.index)
                out += emit(ctx, rule, da, a_form, key, threshold=db[b_key], cell=sheet_cells(ctx, da, key),
                            other_form=b_form, other_label=display_label(get_form(b_form), fb),
                            other_value=db[b_key].map(fmt), other_cell=sheet_cells(ctx, db, b_key))
        return out

    def _ranged(self, ctx: Context, rule: Rule, first: tuple[str, str, pd.DataFrame],
                second: tuple[str, str, pd.DataFrame]) -> list[Problem]:
        """A fact one form (or both) states as a bound or an estimate ("约30", "30户以上": read.estimates): the
        two agree when some value of each range is one figure within the tolerance (rules.ranges.agree) —
        nothing said; else the rule's problem (a warning when an estimate's margin proves it), saying how each
        range was read."""
        (a_form, key, a), (b_form, b_key, b) = first, second
        typed = estimates_of(ctx, a, a_form, key), estimates_of(ctx, b, b_form, b_key)
        if not typed[0] and not typed[1]:
            return []
        firsts = []
        for (form_id, k, df), est in zip((first, second), typed):
            blank = ctx.column(form_id, k, "blank").copy()
            blank[df.index.get_indexer(list(est))] = False          # a typed range states the fact
            firsts.append(first_stated(blank, ctx.column(form_id, k, "sub")))
        fa, fb = get_form(a_form).field(key), get_form(b_form).field(b_key)
        out = []
        for sub, i in firsts[0].items():
            j = firsts[1].get(sub)
            if j is None:
                continue
            ia, ib = a.index[i], b.index[j]
            if ia not in typed[0] and ib not in typed[1]:
                continue                # both plain: compared above
            ra = ranges.as_range(num(a.loc[[ia], key]).iloc[0], typed[0].get(ia, (None, None))[1])
            rb = ranges.as_range(num(b.loc[[ib], b_key]).iloc[0], typed[1].get(ib, (None, None))[1])
            if ra is None or rb is None or ranges.agree(ra, rb, rule.tolerance):
                continue
            ra_rows, rb_rows = a.loc[[ia]], b.loc[[ib]]
            notes = [f"{form_id}所填{ranges.read_as(t[r][0], t[r][1], fa.unit or '')}"
                     for form_id, t, r in ((a_form, typed[0], ia), (b_form, typed[1], ib)) if r in t]
            (p,) = emit(ctx, rule, ra_rows, a_form, key, value=pd.Series([ra.figure], index=[ia]),
                        threshold=pd.Series([rb.figure], index=[ia]), cell=sheet_cells(ctx, ra_rows, key),
                        other_form=b_form, other_label=display_label(get_form(b_form), fb),
                        other_value=fmt(rb.figure), other_cell=sheet_cells(ctx, rb_rows, b_key).set_axis([ia]),
                        severity=WARNING if ranges.by_margin(ra, rb) else None)
            out.append(replace(p, message=f"{p.message}（{'；'.join(notes)}：按此范围也不一致）"))
        return out

    def check_submission(self, ctx: SubmissionContext, rule: Rule, sub: Submission) -> list[Problem]:
        """A programme's submission: each fact as its two forms state it (a table form's row: the rule's `row`,
        else its first filled row), compared as the first form's field; at the first form's cell."""
        (a_form, b_form), out = rule.forms[:2], []
        for key, b_key in fact_pairs(rule.fields):
            a = next((v for v in sub.values(a_form, key, rule.args.row) if not is_blank(v) or ranges.typed_value(v, key)), None)
            b = next((v for v in sub.values(b_form, b_key, rule.args.row) if not is_blank(v) or ranges.typed_value(v, b_key)),
                     None)
            if a is None or b is None:
                continue
            fa = get_form(a_form).field(key)
            fb = get_form(b_form).field(b_key)
            ea, eb = ranges.typed_value(a, key), ranges.typed_value(b, b_key)
            if ea is not None or eb is not None:
                ra, rb = ranges.as_range(a.value, ea), ranges.as_range(b.value, eb)
                if ra is None or rb is None or ranges.agree(ra, rb, rule.tolerance):
                    continue
                notes = [f"{form_id}所填{ranges.read_as(raw_text_of(v, k) or '', e, fa.unit or '')}"
                         for form_id, v, k, e in ((a_form, a, key, ea), (b_form, b, b_key, eb)) if e is not None]
                p = ctx.problem(rule, sub, replace(a, value=ra.figure), key, threshold=rb.figure,
                                label=display_label(a.table.form, fa), other_form=b_form,
                                other_label=display_label(b.table.form, fb), other_value=shown(rb.figure),
                                other_cell=b.cell, severity=WARNING if ranges.by_margin(ra, rb) else None)
                out.append(replace(p, message=f"{p.message}（{'；'.join(notes)}：按此范围也不一致）"))
                continue
            if agree(fa, pd.Series([a.value]), pd.Series([b.value]), rule.tolerance).iloc[0]:
                continue
            out.append(ctx.problem(rule, sub, a, key, threshold=b.value, label=display_label(a.table.form, fa),
                                   other_form=b_form, other_label=display_label(b.table.form, fb),
                                   other_value=shown(b.value), other_cell=b.cell))
        return out


def first_stated(blank: np.ndarray, subs: np.ndarray) -> dict[Any, int]:
    """Submission -> the position of its first row whose value is not blank, in the rows' order."""
    first: dict[Any, int] = {}
    for i in np.flatnonzero(~blank):
        first.setdefault(subs[i], int(i))
    return first


def agree(fld, a: pd.Series, b: pd.Series, tol: Any) -> pd.Series:
    """Whether two stated values of a field (same index) are the same fact, compared as the field's type."""
    if fld.is_numeric:
        va, vb = num(a), num(b)
        return tolerance_ok(va - vb, va, tol) | va.isna() | vb.isna()
    if fld.type == "date":
        da, db = as_date(a), as_date(b)
        return pd.Series([x is None or y is None or x == y for x, y in zip(da, db)], index=a.index)
    if fld.type == "yesno":
        return pd.Series([x == y for x, y in zip(a, b)], index=a.index)
    ka, kb = fold_key(a), fold_key(b)
    if fld.type == "choice" and fld.choices:
        canon = _choice_canon(fld.choices)
        ka, kb = ka.map(lambda k: canon.get(k, k)), kb.map(lambda k: canon.get(k, k))
    same = ka == kb
    if fld.identity == BASE_NAME and not same.all():     # "忻州市忻府区晨光…" on 附件10, "晨光…" on 附件2
        same |= pd.Series([same_base_name(x, y) for x, y in zip(ka, kb)], index=a.index)
    elif fld.identity in (CITY, COUNTY) and not same.all():     # "忻州" and "忻州市" are one city
        part = 0 if fld.identity == CITY else 1
        same |= pd.Series([locate(x)[part] is not None and locate(x)[part] == locate(y)[part]
                           for x, y in zip(ka, kb)], index=a.index)
    return same


@lru_cache(maxsize=None)
def _choice_canon(list_name: str) -> dict[str, str]:
    """Folded spelling -> folded canonical value of a value list (aliases such as 楼宇 -> 楼宇型)."""
    canon = {fold(v): fold(v) for v in value_list(list_name)}
    for value, spellings in list_aliases(list_name).items():
        canon.update({fold(s): fold(value) for s in spellings})
    return canon


def same_base_name(a: str, b: str) -> bool:
    """One base named with and without its place: the same name after the place prefix, in places that
    do not contradict each other (附件10 writes "x市x县（区）xx双创基地"; 附件2 has 所在市县 apart)."""
    (pa, ra), (pb, rb) = split_place(a), split_place(b)
    return ra == rb and all(x is None or y is None or x == y for x, y in zip(locate(pa), locate(pb)))


