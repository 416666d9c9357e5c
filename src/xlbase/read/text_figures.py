"""Figures a clerk writes into a column of prose: 衡阳's 推荐汇总表 asks each county to say, in 基地基本情况（简要）,
"服务人员数、入驻企业数、孵化面积、服务功能等", and a county that prints only the notice's five columns puts the
figures there ("现有专职服务人员12人，入驻企业56家（其中小微企业51家），孵化面积2.3万平方米…").

A text field whose model lists `holds` is read for the figures of those fields, where the table has no column of
its own for them or leaves a row's cell blank. Each figure with a unit of a held field's family ("12人", "2.3万平方米",
"6000㎡") names the field whose words (label, aliases, terms) stand longest in the words before it, within its
clause; words naming two fields alike, or none, name neither, and a field named twice with two figures is left
unread. The figure is then read as if typed in that field's cell (units converted by the field's parser); an
estimate ("1200余人") is left to the applications, which state it. One info per row says what was read and where.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from ..forms import Field, Form, unit_families
from ..problem_codes import FIGURES_FROM_TEXT
from ..problems import INFO, Problem
from ..text import fold, fold_unbracketed
from .grid import a1
from .normalise import CONVERTED, parse_value
from .units import field_family

_CLAUSE = re.compile(r"[，,；;。：:、（）()\[\]【】\s]+")
_NONE = ("暂无", "尚无", "没有", "无")


@lru_cache(maxsize=None)
def _figure(units: tuple[str, ...]) -> re.Pattern[str]:
    """A number, its 万/千, an estimate's 余/多 and one of `units` (longest first)."""
    alts = "|".join(re.escape(u) for u in units)
    return re.compile(rf"(?P<fig>\d+(?:\.\d+)?(?:万|千)?(?P<est>余|多)?(?:{alts}))")


@lru_cache(maxsize=None)
def _family_units(family: str) -> tuple[str, ...]:
    """The units of a family as typed after a figure (persons: 人 名 位; area: 平方米 ㎡ 亩 …), longest first."""
    units = unit_families()[family]["units"]
    return tuple(sorted({unicodedata.normalize("NFKC", u) for u in units} | set(units), key=len, reverse=True))


def _words(f: Field) -> tuple[str, ...]:
    """The words that name `f` in prose: its labels without brackets or a final 数, and its terms."""
    out = set()
    for t in (*f.labels, *f.terms):
        k = fold_unbracketed(t) or fold(t)
        out.add(k)
        if k.endswith("数") and len(k) > 2:
            out.add(k[:-1])
    return tuple(out)


def _named(words: str, fields: list[Field]) -> Field | None:
    """The one field whose longest word stands in `words`; None for none or a tie. A field's `unlike` words
    make the words another concept ("入驻中小微企业52户" counts SMEs, medium ones too: no 小微企业数), read
    without the 其中 that opens a part ("其中小微企业51家" is no 中小微)."""
    best: list[tuple[int, Field]] = []
    bare = words.replace("其中", "")
    for f in fields:
        if any(fold(w) in bare for w in f.unlike if fold(w)):
            continue
        n = max((len(w) for w in _words(f) if w and w in words), default=0)
        if n:
            best.append((n, f))
    if not best:
        return None
    top = max(n for n, _ in best)
    named = [f for n, f in best if n == top]
    return named[0] if len(named) == 1 else None


def figures_in(text: Any, held: list[Field]) -> dict[str, tuple[Any, str]]:
    """key -> (value, the words read) for each held field the text states one figure of."""
    if not isinstance(text, str) or not text.strip():
        return {}
    by_family: dict[str, list[Field]] = {}
    for h in held:
        fam = field_family(h)
        if fam:
            by_family.setdefault(fam, []).append(h)
    found: dict[str, list[tuple[Any, str]]] = {}
    for clause in _CLAUSE.split(unicodedata.normalize("NFKC", text)):     # fold would drop the points and commas
        for fam, fields in by_family.items():
            for m in _figure(_family_units(fam)).finditer(clause):
                words = fold(clause[:m.start()])
                f = _named(words, fields)
                if f is None:
                    continue
                p = parse_value(m.group("fig"), f)
                sure = not m.group("est") and p.value is not None and p.note in (None, CONVERTED)
                found.setdefault(f.key, []).append((p.value if sure else None, clause[:m.end()]))
            if not any(ch.isdigit() for ch in clause) and clause.startswith(_NONE):
                f = _named(fold(clause), [x for x in fields if x.type == "integer"])
                if f is not None:
                    found.setdefault(f.key, []).append((0, clause))
    # one figure, or the same twice; an estimate or a second figure leaves the field to the applications
    return {k: v[0] for k, v in found.items() if len({x for x, _ in v}) == 1 and v[0][0] is not None}


def fill_from_text(path: str, sheet: str, form: Form, t, cells: dict[str, int], rows: list[int],
                   problems: list[Problem]) -> None:
    """Fill `t.data`'s held columns from each row's text in a `holds` field (cells: key -> 0-based column of
    the sheet); one info per row that gave figures."""
    for f in form.table_fields:
        holds = f.holds
        if not holds or f.key not in t.data.columns or f.key not in cells:
            continue
        held = [form.field(k) for k in holds]
        for k in holds:
            if k not in t.data.columns:
                t.data[k] = None
                t.raw[k] = None
        for i, text in enumerate(t.data[f.key]):
            got = {k: v for k, v in figures_in(text, held).items() if _blank(t.data.at[i, k])}
            if not got:
                continue
            for k, (value, _) in got.items():
                t.data.at[i, k] = value
            said = "、".join(f"{form.field(k).label} {_shown(v)}{form.field(k).unit or ''}（“{w}”）"
                            for k, (v, w) in got.items())
            problems.append(Problem(
                FIGURES_FROM_TEXT, INFO,
                f"{form.id}“{f.label}”（{a1(rows[i], cells[f.key])}）中写明的数字按栏目读入汇总表：{said}；"
                "以申报材料为准，汇总表的这些栏目只供参考。",
                path, sheet, a1(rows[i], cells[f.key]), form.id, f.key, value=len(got)))


def _blank(v: Any) -> bool:
    return v is None or v == "" or (isinstance(v, float) and v != v)


def _shown(v: Any) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)
