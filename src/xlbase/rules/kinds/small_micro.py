"""The small/micro share (ratio): the share of a base's firms that are small or micro by 工信部联企业
〔2011〕300号, decided only as far as 附件3 and the standard decide it (rules/sizing.py).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from ...forms.roles import EMPLOYEES, FIRM_NAME, REVENUE
from ...problems import INFO, WARNING, Problem
from ...text import some_of
from ..columns import num
from ..context import Context, thresholds
from ..emit import emit, fmt
from ..ranges import estimates_of
from ...read.normalise import estimate_in
from ..rule import Rule
from ..sizing import UNKNOWN_INDUSTRY, NameWords, classify
from ..submission import Submission, SubmissionContext, number as number_of
from .base import Kind, Outcomes, param, register
from .params import industry_words, number, one_of, per_type, template

#: the share rule's warning when a pack gives no `params.undecided_message` of its own
UNDECIDED_MESSAGE = (
    "小微企业占比能否达到 {{ percent }}% 无法从材料判定：已确认小微企业 {{ small }}/{{ firms }} 户（{{ share }}%），"
    "另有 {{ undecided }} 户无法判定（{{ firm_list }}），全部计为小微时为 {{ share_max }}%。"
    "按300号标准这些企业在有的行业属小微、有的不属；请补充这些企业的“所属行业”（或按标准的行业名称改写，或补充"
    "“企业规模”）后再核对")
#: the info when the share reaches the threshold (or comes nearer) only by firms whose industry was read from
#: words — of a 所属行业 the standard's names do not place, or of the name of a firm without one (rules/sizing.py,
#: rules/industry_text.py, data/industry_words.yaml)
BY_NAME_MESSAGE = (
    "{{ by_name }} 户企业的行业由所填所属行业或企业名称中的用字推断，在推断的每个行业下都属小微，已计为小微企业："
    "{{ firm_list }}；计入后小微企业占 {{ share }}%（不计为 {{ share_without }}%，门槛 {{ percent }}%）。"
    "推断的行业如与实际不符，请按300号标准的行业名称填写其“所属行业”")
#: classify's bases that rest on words, not on the standard's names (an info says how each firm was read)
INFERRED = ("words", "name")
FIRM_LIST_MAX = 8      # firms named in a message; the problem's cells list them all (up to FIRM_CELLS_MAX)
FIRM_CELLS_MAX = 200



@dataclass(frozen=True)
class Share:
    threshold: Any = param(per_type(number(share=True)), "门槛（比例）", top=True, required=True)
    undecided_message: str = param(template, "只在把无法判定的企业计为非小微时才低于门槛时的警告", default=UNDECIDED_MESSAGE)
    unknown_industry: str | None = param(one_of(*UNKNOWN_INDUSTRY), "没有所属行业的企业怎样判定（默认取规则包的 params）")
    industry_words: NameWords | None = param(industry_words, "没有所属行业的企业按名称中的哪些用字推断行业"
                                                             "（默认 data/industry_words.yaml）")
    by_name_message: str = param(template, "靠按名称推断行业的企业才达到（或接近）门槛时的提示", default=BY_NAME_MESSAGE)


@register
class SmallMicroShare(Kind):
    """Share of small/micro firms per base (附件3), by 300号 as far as the data decides it (sizing.py).

    error: below the threshold even when every undecided firm counts as small/micro — the firms proven
    not small/micro (medium under every industry they may be in, or declared 大型/中型) alone sink it;
    the message names them with their cells, and the problem points at them.
    warning: below the threshold only when the undecided firms count as not small/micro; it names them
    and asks for their 所属行业 (or 企业规模) — what would decide it.
    """

    name = "ratio"
    title = "占比不足"
    Params = Share
    per_submission = True
    whole_list = True
    variables = frozenset({"share", "percent", "firms", "small", "unknown", "strictest", "declared", "not_small",
                           "undecided", "share_max", "firm_list", "cell", "by_name", "share_without"})
    outcomes = Outcomes(
        error="把无法判定的企业都算作小微，占比仍低于门槛（列出按300号已证明不属于小微的企业及其单元格）",
        warning="只有把无法判定的企业算作非小微时才低于门槛（列出这些企业，请补充所属行业或企业规模）；"
                "文件中另有读不出的企业行（`unread-sheet`）时，错误改为警告",
        info="所属行业写的是日常说法（软件开发、咨询服务）或没有所属行业的企业，按其用字推断行业（"
             "data/industry_words.yaml：…物流、…机械加工厂），在推断的每个行业下都属小微的计为小微；不计它们时占比"
             "会低于门槛，就记一条提示，列出这些企业和推断的行业。用字推断只会把企业计为小微，不会单独证明企业不属于"
             "小微（推断行业下达到中型的仍为无法判定）")

    def check(self, ctx: Context, rule: Rule) -> list[Problem]:
        src = ctx.frame(rule.form)
        if not len(src):
            return []
        basis_param = rule.args.unknown_industry or ctx.pack.params.get("unknown_industry") or UNKNOWN_INDUSTRY[0]
        # a firm's 职工人数 or 营业收入 typed as a bound ("不足50人") decides its size where the bound does
        typed = {k: {i: e for i, (_, e) in estimates_of(ctx, src, rule.form, k).items()} for k in (EMPLOYEES, REVENUE)}
        cls = classify(src, basis_param, typed, rule.args.industry_words)
        small = cls["small"]
        g = pd.DataFrame({"_sub": src["_sub"], "small": small.fillna(False).astype(bool),
                          "not_small": (~small).fillna(False).astype(bool), "open": small.isna(),
                          "unknown": _numbers_missing(src), "strict": cls["basis"] == "strictest",
                          "declared": cls["basis"] == "declared", "named": cls["basis"].isin(INFERRED)})
        # per submission (in sorted order, as a groupby gives them): its row count and each mask's count, by
        # bincount over factorized keys — a groupby().agg of seven columns costs ~5 ms however few the rows
        codes, keys = pd.factorize(src["_sub"].to_numpy(dtype=object), sort=True)
        if not len(keys):   # no firm row tied to a submission: nothing to judge
            return []
        tied = codes >= 0

        def count(mask: Any = None) -> np.ndarray:
            weights = None if mask is None else np.asarray(mask, dtype=float)[tied]
            return np.bincount(codes[tied], weights=weights, minlength=len(keys)).astype(np.int64)

        agg = pd.DataFrame({"n": count(), **{c: count(g[c]) for c in
                                             ("small", "not_small", "open", "unknown", "strict", "declared",
                                              "named")}},
                           index=pd.Index(keys, name="_sub"))
        _, first = np.unique(codes[tied], return_index=True)     # each submission's first row
        rows = src.iloc[np.flatnonzero(tied)[first]].reset_index(drop=True)
        th = num(thresholds(rule, rows))

        def col(c: str) -> pd.Series:
            return pd.Series(agg[c].to_numpy(), index=rows.index)

        worst = col("small") / col("n")                       # the undecided counted as not small/micro
        best = (col("n") - col("not_small")) / col("n")       # the undecided counted as small/micro
        proven = (best < th).fillna(False)
        doubtful = (worst < th).fillna(False) & ~proven
        not_small, undecided = g[g["not_small"]], g[g["open"]]
        common = dict(threshold=th, percent=(th * 100).round(1), firms=col("n"), small=col("small"),
                      not_small=col("not_small"), undecided=col("open"), unknown=col("unknown"),
                      strictest=col("strict"), declared=col("declared"), share_max=(best * 100).round(1))
        out = []
        if proven.any():
            listed = _firm_lists(ctx, src, not_small, rows["_sub"])
            out += emit(ctx, rule, rows[proven], rule.form, FIRM_NAME, value=best.round(4),
                        share=(best * 100).round(1), firm_list=listed["text"], cell=listed["cells"],
                        **{k: v for k, v in common.items() if k != "share_max"})
            _point_at(out, rows[proven], listed["cells"])
        if doubtful.any():    # a firm whose name was read: said, as what would decide it is its 所属行业 there
            listed = _firm_lists(ctx, src, undecided, rows["_sub"], cls.loc[undecided.index, "by_name"])
            warn = replace(rule, message=rule.args.undecided_message or UNDECIDED_MESSAGE)
            found = emit(ctx, warn, rows[doubtful], rule.form, FIRM_NAME, value=worst.round(4), severity=WARNING,
                         share=(worst * 100).round(1), firm_list=listed["text"], cell=listed["cells"],
                         **{k: v for k, v in common.items()})
            _point_at(found, rows[doubtful], listed["cells"])
            out += found
        # the firms read as small by their names lifted the share (to the threshold, or only nearer): say so
        without = (col("small") - col("named")) / col("n")
        lifted = ((without < th) & (col("named") > 0)).fillna(False) & ~proven
        if lifted.any():
            named = g[g["named"]]
            listed = _firm_lists(ctx, src, named, rows["_sub"], cls.loc[named.index, "by_name"])
            note = replace(rule, message=rule.args.by_name_message or BY_NAME_MESSAGE)
            found = emit(ctx, note, rows[lifted], rule.form, FIRM_NAME, value=worst.round(4), severity=INFO,
                         share=(worst * 100).round(1), share_without=(without * 100).round(1), by_name=col("named"),
                         firm_list=listed["text"], cell=listed["cells"], **common)
            _point_at(found, rows[lifted], listed["cells"])
            out += found
        return out


    def check_submission(self, ctx: SubmissionContext, rule: Rule, sub: Submission) -> list[Problem]:
        """A programme's firm list (its fields keyed as Shanxi's 附件3 is: firm_name, employees, revenue, and
        industry / size_class where it has them): the same decision over one application's rows, the problem
        at the name cells of the firms it names."""
        tables = [t for t in sub.of(rule.form) if len(t.data)]
        if not sub.applicant or not tables:
            return []
        src = pd.concat([t.data.assign(_t=i) for i, t in enumerate(tables)], ignore_index=True)
        basis_param = rule.args.unknown_industry or ctx.pack.params.get("unknown_industry") or UNKNOWN_INDUSTRY[0]
        cls = classify(src, basis_param, _typed_in(tables), rule.args.industry_words)
        small = cls["small"]
        yes, no, open_ = small.fillna(False).astype(bool), (~small).fillna(False).astype(bool), small.isna()
        by_name = cls["basis"].isin(INFERRED).to_numpy()
        th = number_of(rule.threshold_for(None))
        n = len(src)
        if th is None or not n:
            return []
        worst, best = yes.sum() / n, (n - no.sum()) / n
        common = dict(threshold=th, percent=round(th * 100, 1), firms=n, small=int(yes.sum()), not_small=int(no.sum()),
                      undecided=int(open_.sum()), unknown=int(_numbers_missing(src).sum()),
                      strictest=int((cls["basis"] == "strictest").sum()),
                      declared=int((cls["basis"] == "declared").sum()), share_max=round(best * 100, 1))

        def named(mask: Any) -> tuple[str, str]:
            rows = src[mask]
            cells = [tables[int(i)].cell(FIRM_NAME, int(r)) for i, r in zip(rows["_t"], rows["_row"])]
            names = [fmt(v) for v in (rows[FIRM_NAME] if FIRM_NAME in rows else [""] * len(rows))]
            said = [_said(x, c, how) for x, c, how in zip(names, cells, cls.loc[rows.index, "by_name"])]
            text = some_of(said, "户", FIRM_LIST_MAX)
            return text, ",".join(c for c in cells[:FIRM_CELLS_MAX] if c)

        if best < th:
            text, cells = named(no)
            return [ctx.problem(rule, sub, None, FIRM_NAME, table=tables[0], cell=cells, value=round(best, 4),
                                share=round(best * 100, 1), firm_list=text,
                                **{k: v for k, v in common.items() if k != "share_max"})]
        out = []
        if worst < th:
            text, cells = named(open_)
            out.append(ctx.problem(rule, sub, None, FIRM_NAME, table=tables[0], cell=cells, severity=WARNING,
                                   message=rule.args.undecided_message or UNDECIDED_MESSAGE, value=round(worst, 4),
                                   share=round(worst * 100, 1), firm_list=text, **common))
        without = (yes.sum() - by_name.sum()) / n
        if by_name.any() and without < th:
            text, cells = named(by_name)
            out.append(ctx.problem(rule, sub, None, FIRM_NAME, table=tables[0], cell=cells, severity=INFO,
                                   message=rule.args.by_name_message or BY_NAME_MESSAGE, value=round(worst, 4),
                                   share=round(worst * 100, 1), share_without=round(without * 100, 1),
                                   by_name=int(by_name.sum()), firm_list=text, **common))
        return out


def _typed_in(tables: list) -> dict[str, dict[int, Any]]:
    """Measure -> row of the tables' rows concatenated -> the bound or estimate its cell holds (read.estimates),
    for the cells that hold no figure."""
    out: dict[str, dict[int, Any]] = {EMPLOYEES: {}, REVENUE: {}}
    start = 0
    for t in tables:
        for key in out:
            if key in t.data.columns and key in t.raw.columns:
                for i, raw in enumerate(t.raw[key]):       # raw text is kept only where no value was read
                    e = estimate_in(t, key, raw) if isinstance(raw, str) else None
                    if e is not None:
                        out[key][start + i] = e
        start += len(t.data)
    return out


def _numbers_missing(src: pd.DataFrame) -> pd.Series:
    """Firm rows with neither 职工人数 nor 营业收入: nothing to classify by."""
    missing = pd.Series(True, index=src.index)
    for key in (EMPLOYEES, REVENUE):        # a programme's list may key only one of them
        if key in src:
            missing &= num(src[key]).isna()
    return missing


def _said(name: str, cell: str, how: Any = "") -> str:
    """A firm as a message names it: '名称（B7）', with how its name was read when it was ('名称（B7，物流→…）')."""
    inside = "，".join(x for x in (cell, how if isinstance(how, str) else "") if x)
    return f"{name}（{inside}）" if inside else name


def _firm_lists(ctx: Context, src: pd.DataFrame, picked: pd.DataFrame, subs: pd.Series,
                how: pd.Series | None = None) -> dict[str, pd.Series]:
    """Per submission in `subs`: 'name（B7）、…' of the firm rows `picked` (rows of `g`, indexed as `src`)
    and their name cells joined by commas (a problem's cell list, marked one by one); `how` (indexed as `src`):
    how each name was read, said after its cell."""
    texts, cells = {}, {}
    rows = src.loc[picked.index]
    for sub, part in rows.groupby("_sub", sort=False):
        where = [ctx.cell(t, FIRM_NAME, r) for t, r in zip(part["_table"], part["_row"])]
        names = [fmt(v) for v in part[FIRM_NAME]]
        hows = how.loc[part.index] if how is not None else [""] * len(part)
        shown = [_said(n, c, h) for n, c, h in zip(names, where, hows)]
        texts[sub] = some_of(shown, "户", FIRM_LIST_MAX)
        cells[sub] = ",".join(c for c in where[:FIRM_CELLS_MAX] if c)
    return {"text": subs.map(texts).fillna(""), "cells": subs.map(cells).fillna("")}


def _point_at(problems: list[Problem], rows: pd.DataFrame, cells: pd.Series) -> None:
    """The share problems point at the firms they name (their name cells), not at a header."""
    for i, (p, c) in enumerate(zip(problems, cells.loc[rows.index])):
        if c:
            problems[i] = replace(p, cell=c)

