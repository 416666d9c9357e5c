"""Small/micro per 工信部联企业〔2011〕300号《中小企业划型标准规定》, decided only as far as the data decides it.

The standard's numbers are data (standards/sme-2011-300.yaml). A firm is medium (or larger) in an
industry when it meets every bound of that industry ("且"), small or micro when one bound is below.
附件3 shows 职工人数 and 营业收入, not 资产总额, so under an industry that uses assets a firm can be
shown small but never medium.

What we know of a firm's industry is a set of the standard's industries: its 所属行业 (one, or several
for a name such as 批发和零售业), or every industry when it gives none. A firm is

  - small/micro when it is small under every industry of its set,
  - not small/micro when it is medium under every industry of its set, or it declares 大型/中型,
  - undecided otherwise (it is small under some reading and not under another, or numbers are missing).

So a judgement that a firm is not small/micro is a proof, and the share rule (kinds/small_micro.py) is an
error only when even the undecided firms cannot lift the share; otherwise it is a warning naming them.
The pack parameter `unknown_industry` says how a firm without 所属行业 may be decided: "declared" (its
企业规模 only), "strictest" (small when small under every industry), or "declared-then-strictest".

Where numbers decide (strictest, declared-then-strictest), a firm without 所属行业 still undecided is read
once more under the industries the words of its NAME allow (data/industry_words.yaml, or a pack's own
`industry_words`: …物流 -> 交通运输业/仓储业/邮政业, …机械加工厂 -> 工业): small under every one of them, it
counts as small/micro with basis "name" (the share rule says so in an info). A name only ever narrows the
candidates towards small: a firm medium under its name's industries stays undecided, never "not small".
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Mapping

import numpy as np
import pandas as pd

from ..forms.roles import EMPLOYEES, FIRM_NAME, INDUSTRY, REVENUE, SIZE_CLASS
from ..text import fold
from .columns import fold_text
from .industry_text import read_industry, read_name
from .sme_names import MIN_CONTAINED, NameWords, industries, name_words, names_of, standard

__all__ = ["MIN_CONTAINED", "NameWords", "industries", "name_words", "names_of", "standard",   # sme_names's, as before
           "classify", "industries_of", "industries_by_name", "industry_names", "declared_size"]

BOUND_COLUMNS = (EMPLOYEES, REVENUE, "assets")     # the standard's measures, as 附件3 keys (assets: none yet)
#: how a firm without 所属行业 may be decided (a pack's `unknown_industry`); the first is the default
UNKNOWN_INDUSTRY = ("declared-then-strictest", "declared", "strictest")
#: words of a declared 企业规模 (folded) that say small/micro, and that say medium or large
SMALL_WORDS = ("小", "微", "个体")
LARGE_WORDS = ("中", "大")
#: a declared 企业规模 naming an individual business (个体工商户): small/micro whatever its numbers
INDIVIDUAL = "个体"
#: how a name was read, in `classify`'s "by_name" column: "机械、加工厂→工业"
NAME_READ = "{words}→{industries}"
#: a firm's name saying it is an individual business (folded: brackets are ASCII): 个体工商户, 个体户, （个体）
_INDIVIDUAL_NAME = r"个体(?:工商)?户|\(个体\)"


@lru_cache(maxsize=None)
def _floors() -> np.ndarray:
    """industry x measure: the medium floor, NaN where the industry does not use that measure."""
    med = standard()["medium"]
    return np.array([[float(med[i][m]) if m in med[i] else np.nan for m in BOUND_COLUMNS] for i in med])


def industries_of(text: Any) -> frozenset[int]:
    """Positions (in `industries()`) a stated 所属行业 is proven to be in; empty when the standard's names do
    not place it (rules/industry_text.py steps 1-2): the standard's own name, a 国民经济行业 门类/大类 it lists,
    either abbreviated the standard's way (餐饮, 批发零售, 交通运输行业), or a text containing one ("主营制造业")."""
    r = read_industry(text)
    return r.positions if r.proven else frozenset()


def industries_by_name(name: Any, words: NameWords | None = None) -> tuple[tuple[str, ...], frozenset[int]]:
    """(the words found, the industry positions they allow together) in a firm's name; ((), ∅) when it holds
    none (rules/industry_text.read_name). "寿阳县金河机械加工厂" -> (("机械", "加工", "厂"), {工业})."""
    return read_name(name, name_words() if words is None else words)


def industry_names(positions: frozenset[int]) -> str:
    names = industries()
    return "、".join(names[i] for i in sorted(positions))


def _under_each(low: np.ndarray, high: np.ndarray, high_open: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(small, medium) per firm and industry (firms x industries) from the firms' measures (firms x measures):
    the least and the most each measure may be (equal for a figure, a typed bound's ends for "不足50人"), and
    where the most is excluded (`high_open`: "不足300人" is below a floor of 300, "300人以下" is not).

    small: some bound of the industry is known and below its floor; medium: every bound is known and met.
    """
    floors = _floors()                                    # industries x measures
    used = ~np.isnan(floors)
    below = np.zeros((len(low), len(floors)), dtype=bool)
    met = np.ones((len(low), len(floors)), dtype=bool)
    # one measure at a time into firms x industries (no firms x industries x measures temporaries), and none
    # for a measure no industry uses (assets): 68 -> 7 ms for 58 000 firms
    with np.errstate(invalid="ignore"):
        for m in range(floors.shape[1]):
            u = used[:, m]
            if not u.any():
                continue
            top = high[:, m:m + 1]
            under = top < floors[:, m]                          # firms x industries; NaN compares False
            if high_open is not None:
                under |= high_open[:, m:m + 1] & (top <= floors[:, m])
            below |= under & u
            met &= (low[:, m:m + 1] >= floors[:, m]) | ~u
    return below, met


def classify(firms: pd.DataFrame, unknown_industry: str = "declared-then-strictest",
             typed: Mapping[str, Mapping[Any, Any]] | None = None, by_name: NameWords | None = None) -> pd.DataFrame:
    """Per firm row: `small` (True, False, NA when undecided), `basis`, `industries` and `by_name`.

    basis: "industry" (decided under its stated 所属行业), "declared" (企业规模 as reported),
    "strictest" (no 所属行业: decided under every industry), "words" (a 所属行业 the standard's names do not
    place: small under every industry its words allow, rules/industry_text.py), "name" (no 所属行业: small
    under every industry the words of its name allow), "unknown" (undecided).
    industries: how many of the standard's industries the firm may be in (all of them when unknown).
    by_name: how a 所属行业 in everyday words, else the name of a firm without 所属行业, left open by its numbers
    was read ("物流→交通运输业、仓储业、邮政业"): small under those industries (basis "words" or "name") or still
    undecided under them; else "".
    `by_name`: the words of names (`name_words`); None: data/industry_words.yaml's, () reads no name.
    Whole columns with numpy: a province's 58 000 firms are a few array operations.
    """
    idx = firms.index
    n = len(idx)
    values = np.column_stack([_numbers(firms, k) for k in BOUND_COLUMNS]) if n else np.zeros((0, len(BOUND_COLUMNS)))
    low, high, high_open = _typed_ends(values, idx, typed or {})
    small_in, medium_in = _under_each(low, high, high_open)
    n_ind = len(industries())
    stated = np.zeros((n, n_ind), dtype=bool)             # firm x industry: the industries its 所属行业 allows
    folded = _folded(firms, INDUSTRY)
    codes, uniques = pd.factorize(folded)
    masks = np.zeros((len(uniques) + 1, n_ind), dtype=bool)     # the last row: missing text, no industry
    worded_masks = np.zeros((len(uniques) + 1, n_ind), dtype=bool)  # a text read by words only (industry_text)
    worded_said = np.full(len(uniques) + 1, "", dtype=object)
    words = name_words() if by_name is None else by_name
    for u, text in enumerate(uniques):
        r = read_industry(text, words)
        if r.proven:
            masks[u, sorted(r.positions)] = True
        elif r.positions:
            worded_masks[u, sorted(r.positions)] = True
            worded_said[u] = NAME_READ.format(words="、".join(r.words), industries=industry_names(r.positions))
    stated[:] = masks[codes]
    worded = worded_masks[codes]
    has_words = np.asarray(worded.any(axis=1))
    has_industry = np.asarray(stated.any(axis=1))   # an array (numpy types any() as maybe a scalar)
    everything = np.ones(n_ind, dtype=bool)

    def decide(allowed: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(small, not small) for `rows` under the industries `allowed` (rows x industries)."""
        a = allowed[rows]
        return ((small_in[rows] | ~a).all(axis=1), (medium_in[rows] | ~a).all(axis=1))

    yes = np.zeros(n, dtype=bool)
    no = np.zeros(n, dtype=bool)
    basis = np.full(n, "unknown", dtype=object)
    if has_industry.any():
        yes[has_industry], no[has_industry] = decide(stated, has_industry)
        basis[has_industry & (yes | no)] = "industry"
    size = _folded(firms, SIZE_CLASS).fillna("").to_numpy(dtype=object)
    says = np.array([declared_size(t) for t in size], dtype=object) if n else np.zeros(0, dtype=object)
    declared_small = says == "small"
    declared_large = says == "large"
    open_ = ~(yes | no)
    if unknown_industry in ("declared", "declared-then-strictest"):
        use = open_ & (declared_small | declared_large)   # what the numbers left open: the size it declares
        yes[use], no[use] = declared_small[use], declared_large[use]
        basis[use] = "declared"
    if unknown_industry in ("strictest", "declared-then-strictest"):
        todo = ~(yes | no) & ~has_industry
        if todo.any():
            all_rows = np.broadcast_to(everything, (n, n_ind))
            yes[todo], no[todo] = decide(all_rows, todo)
            basis[todo & (yes | no)] = "strictest"
    read_as = np.full(n, "", dtype=object)
    if unknown_industry in ("strictest", "declared-then-strictest"):
        todo = ~(yes | no) & ~has_industry
        # a 所属行业 in everyday words (餐饮服务, 软件开发) first, else the firm's name: only ever small, never
        # "not small" by words (rules/industry_text.py)
        typed_words = todo & has_words
        if typed_words.any():
            small_by_words = typed_words.copy()
            small_by_words[typed_words] = decide(worded, typed_words)[0]
            yes[small_by_words] = True
            basis[small_by_words] = "words"
            read_as[typed_words] = worded_said[codes][typed_words]
        todo &= ~has_words
        named = _by_name(_folded(firms, FIRM_NAME), np.flatnonzero(todo), n_ind, words) \
            if todo.any() and FIRM_NAME in firms.columns else None
        if named is not None:
            allowed, said = named
            rows = np.asarray(allowed.any(axis=1))
            small_by_name = rows.copy()
            small_by_name[rows] = decide(allowed, rows)[0]     # only ever small: never "not small" by a name
            yes[small_by_name] = True
            basis[small_by_name] = "name"
            read_as[rows] = said[rows]      # undecided ones too: the share's warning says how they were read
    indiv = np.array([fold(INDIVIDUAL) in t for t in size], dtype=bool) if n else np.zeros(0, dtype=bool)
    if n and FIRM_NAME in firms.columns:        # or its name says so: 小吃店（个体）, …个体工商户
        indiv |= _folded(firms, FIRM_NAME).fillna("").str.contains(_INDIVIDUAL_NAME).to_numpy(dtype=bool)
    # 个体工商户 are small/micro whatever the numbers (300号 第五条 参照)
    yes[indiv], no[indiv] = True, False
    basis[indiv] = "declared"
    read_as[indiv] = ""
    small = pd.arrays.BooleanArray(yes, ~(yes | no))
    may_be = np.where(has_industry, stated.sum(axis=1), n_ind)
    return pd.DataFrame({"small": small, "basis": pd.Series(basis, index=idx, dtype=object),
                         "industries": pd.Series(may_be, index=idx),
                         "by_name": pd.Series(read_as, index=idx, dtype=object)}, index=idx)


def _by_name(names: pd.Series, rows: np.ndarray, n_ind: int, words: NameWords) -> tuple[np.ndarray, np.ndarray] | None:
    """(firms x industries: what the name of each of `rows` allows, the words read as text) — None when no
    word list is in use. Only the rows asked about are read: a province's firms are mostly decided before."""
    if not words:
        return None
    values = names.to_numpy(dtype=object)
    seen: dict[tuple[str, ...], int] = {}       # the words found -> their number in `kinds`
    kinds: list[tuple[frozenset[int], str]] = []     # (industries allowed, as said)
    ids = np.full(len(values), -1, dtype=np.int64)
    for r in rows:
        v = values[r]
        found, pos = read_name(v, words) if isinstance(v, str) and v else ((), frozenset())
        if not pos:
            continue
        k = seen.get(found)
        if k is None:
            k = seen[found] = len(kinds)
            kinds.append((pos, NAME_READ.format(words="、".join(found), industries=industry_names(pos))))
        ids[r] = k
    masks = np.zeros((len(kinds) + 1, n_ind), dtype=bool)        # the last row: no word found
    for k, (pos, _) in enumerate(kinds):
        masks[k, sorted(pos)] = True
    texts = np.array([*(t for _, t in kinds), ""], dtype=object)
    return masks[ids], texts[ids]


def _typed_ends(values: np.ndarray, idx: pd.Index, typed: Mapping[str, Mapping[Any, Any]]
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """(least, most, most excluded) of each measure: the figure where one was read; for a cell typed as a bound in
    the clerk's own words ("不足50人", "300人以上", "20-30人": `typed`, measure -> row index ->
    read.estimates.Estimate) its ends (NaN for an unbounded one) and whether its upper end is excluded ("不足50人":
    below 50). An estimate ("约50人") decides no size: its ends are the margin of data/estimates.yaml, not the
    clerk's, so it stays undecided (the share's warning names it)."""
    if not any(typed.values()):
        return values, values, None
    low, high = values.copy(), values.copy()
    high_open = np.zeros(values.shape, dtype=bool)
    for m, key in enumerate(BOUND_COLUMNS):
        for i, e in (typed.get(key) or {}).items():
            if e is None or e.about:
                continue
            at = idx.get_loc(i)
            low[at, m] = e.low if e.low is not None else np.nan
            high[at, m] = e.high if e.high is not None else np.nan
            high_open[at, m] = bool(e.high_open)
    return low, high, high_open


@lru_cache(maxsize=1024)
def declared_size(text: str) -> str | None:
    """A declared 企业规模 as "small", "large" (中型 or 大型: not small/micro) or None, however it is spelled
    (小型, 微型企业, 小微, 个体工商户; 中型企业, 大型): a spelling that says both (中小型) decides nothing."""
    if not text:
        return None
    small = any(fold(w) in text for w in SMALL_WORDS)
    large = any(fold(w) in text for w in LARGE_WORDS)
    if small == large:
        return None
    return "small" if small else "large"


def _numbers(firms: pd.DataFrame, key: str) -> np.ndarray:
    """A column as floats, NaN where missing or not a number (all NaN when the column is absent)."""
    if key not in firms:
        return np.full(len(firms), np.nan)
    return pd.to_numeric(firms[key], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _folded(firms: pd.DataFrame, key: str) -> pd.Series:
    """The folded text of a column (None for non-text and when the column is absent)."""
    if key not in firms:
        return pd.Series(None, index=firms.index, dtype=object)
    return fold_text(firms[key])
