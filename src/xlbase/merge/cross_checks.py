"""Checks that need every merged row at once: a firm under two bases, a 汇总 column some bases lack."""

from __future__ import annotations

from collections import Counter
from typing import Any


from ..forms.roles import (BASE_FORM, FIRM_CODE, FIRM_FORM, FIRM_NAME, RECORD_FORM)
from ..forms import SUMMARY_FORM, get_form
from ..problems import WARNING, Problem
from ..text import fold, some_of
from ..problem_codes import (DUPLICATE_ENTERPRISE, INCOMPLETE_TOTAL)
from .rows import BaseRow, FirmRow, firm_index


def code_key(v: Any) -> str:
    """Credit codes compared folded and upper-case; a plain ASCII code folds to itself."""
    if type(v) is str and v.isascii() and v.isalnum():
        return v.upper()
    return fold(v).upper() if v is not None else ""


def incomplete_totals(bases: list[BaseRow], display: dict[str, str]) -> list[Problem]:
    """One warning per table whose rows miss official columns of the 汇总: which columns, and why (the
    table has no such column, or a 附件2 stood in for a missing 附件10) — not one warning per column."""
    form = get_form(SUMMARY_FORM)
    order = {f.key: i for i, f in enumerate(form.official_table_fields)}
    by_table: dict[tuple[str, str], list[BaseRow]] = {}
    for b in bases:
        if b.lacking:
            by_table.setdefault((b.origin, b.sheet), []).append(b)
    out = [p for b in bases if b.typed for p in typed_totals(b, form, display)]
    for (where, sheet), rows in by_table.items():
        keys = sorted({k for b in rows for k in b.lacking}, key=lambda k: order.get(k, len(order)))
        labels = [f"“{form.field(k).label}”" for k in keys]
        cols = some_of(labels, "项")
        # the columns named once: "没有“甲”、“乙”这 2 列", or past six "没有“甲”…等 10 列" (not "等 10 项这 10 列")
        col_list = "、".join(labels[:6]) + (f"等 {len(labels)} 列" if len(labels) > 6 else
                                            "这一列" if len(labels) == 1 else f"这 {len(labels)} 列")
        shown = f"{display.get(where, where)}（{sheet}）"
        if all(b.record_cells is not None for b in rows):     # a 附件2 record stood in for the 附件10
            why = f"{shown}没有{BASE_FORM}，基地按{RECORD_FORM}读取，{RECORD_FORM}没有{cols}"
            ask = f"请该单位补报{BASE_FORM}后重新汇总"
        else:
            why = f"{shown}没有{col_list}"
            ask = "请该单位补报" + ("该列" if len(keys) == 1 else "这些列") + "后重新汇总"
        out.append(Problem(
            INCOMPLETE_TOTAL, WARNING,
            (f"{SUMMARY_FORM}{cols}的汇总数不完整：{why}，其中 {len(rows)} 个基地的该项未计入汇总（汇总行中该数以 * 标出）"
             if len(keys) == 1 else
             f"{SUMMARY_FORM}有 {len(keys)} 项的汇总数不完整：{why}，其中 {len(rows)} 个基地的这些项未计入汇总（汇总行中这些数以 * 标出）")
            + f"；{ask}。",
            file=rows[0].origin, sheet=rows[0].sheet, form=SUMMARY_FORM, field=keys[0], value=len(rows)))
    return out


def typed_totals(b: BaseRow, form: Any, display: dict[str, str]) -> list[Problem]:
    """One warning per base row whose figures are typed as a bound or an estimate ("30户以上", "约300"): the 汇总
    of those columns leaves them out (marked *), at the first such cell the clerk typed, saying what decides it."""
    keys = [f.key for f in form.official_table_fields if f.is_numeric and f.key in (b.typed or {})]
    if not keys:
        return []
    texts = "、".join(f"“{form.field(k).label}”填“{b.typed[k]}”" for k in keys)   # type: ignore[index]
    sheet, cell = b.cell_of(keys[0])
    return [Problem(
        INCOMPLETE_TOTAL, WARNING,
        f"{SUMMARY_FORM}的汇总数不完整：“{b.name}”的{texts}，是范围或估计值，不是确切数字：附件11中照录原文，"
        f"未计入汇总（汇总行中该数以 * 标出）；请该单位填写确切数字后重新汇总。",
        file=b.origin, sheet=sheet or b.sheet, cell=cell, form=b.form_id, field=keys[0],
        base=b.name, value=b.typed[keys[0]])]   # type: ignore[index]


def duplicate_enterprises(firms: list[FirmRow], display: dict[str, str]) -> list[Problem]:
    """Same 统一社会信用代码 under two different bases: one warning per extra occurrence."""
    at = firm_index()[FIRM_CODE]
    codes = [code_key(f.values[at]) for f in firms]
    repeated = {code for code, n in Counter(codes).items() if n > 1 and len(code) >= 15}
    by_code: dict[str, list[FirmRow]] = {}
    for f, code in zip(firms, codes):
        if code in repeated:
            by_code.setdefault(code, []).append(f)
    out = []
    shared = [(code, rows) for code, rows in by_code.items() if len({r.base_key for r in rows}) > 1]
    for code, rows in sorted(shared):
        first = rows[0]
        for r in rows[1:]:
            if r.base_key == first.base_key:
                continue
            out.append(Problem(
                DUPLICATE_ENTERPRISE, WARNING,
                f"统一社会信用代码 {code}（{r.get(FIRM_NAME) or ''}）同时出现在基地“{first.base_name}”"
                f"（{display[first.file]} {first.sheet}第{first.row}行）和基地“{r.base_name}”"
                f"（{display[r.file]} {r.sheet}第{r.row}行）的入驻企业名单中；同一企业不应重复计入两个基地，请核实。",
                file=r.file, sheet=r.sheet, cell=r.cell, form=FIRM_FORM, field=FIRM_CODE,
                base=r.base_name, value=code))
    return out
