"""Each firm row of a list form sized small/micro in the sheet as `xlbase validate` sizes it
(rules/sizing.py, 工信部联企业〔2011〕300号), so the 表内检查 can count the small/micro share rule.

Per row, on the hidden sheet `xl_sizes` (same row numbers as the form's rows): the stated 所属行业 folded
as `text.fold` folds it, how it is read (rules/industry_text.py, step by step: its stem is a standard
name's stem — the row of that stem; only standard names stand inside it — -1; else 0), what stands inside
it (`found`: a name weighs 1, a word WORD_WEIGHT), the firm's name folded, and the verdict — 1 small/micro,
0 not, "" undecided — decided as `sizing.classify` decides it: under the industries the standard's names
allow, else by the declared 企业规模, else (none) under every industry, then under the industries the words
of its 所属行业, else of its NAME allow (small only), an individual business always small. The standard's
floors, its stems, names and the two word tables (a 所属行业's, a name's) are tables on the lists sheet,
generated from the standard's YAML and data/industry_words.yaml: nothing here names an industry or a number.

Like the date reads (templates.dates), the stages are defined names whose references are relative to the
row they are used in; only the stages others use are kept in cells. Only functions of the allow-list
(tests/templates/test_template_formulas.py): SUMPRODUCT over one row of the standard's tables (16 cells)
or over a table's found entries (a column) times its flags (entries x 16), INDEX(…, n, 0) for a stem's row,
MATCH for the stem, FIND/SUBSTITUTE/LEN for the entries standing in a text (and the longer ones that hide them).
"""

from __future__ import annotations

from xlsxwriter.utility import xl_col_to_name

from ..forms.roles import FIRM_NAME, INDUSTRY, SIZE_CLASS
from ..rules import industry_text, sizing
from ..text import FILLER
from .estimates import RANGE
from .lists import ListSheet, hidden_sheet
from .table import TableLayout

SIZE_SHEET = "xl_sizes"
SMALL, NOT_SMALL = 1, 0          # a row's verdict; "" when the material does not decide it

STEMS = "xl_sme_stems"          # the stems of the standard's names and their industries (industry_text step 1)
ENTRIES = "xl_sme_found"        # the names and words found inside a text (step 2) and their industries
IS_NAME = "xl_sme_is_name"      # beside them: 1 for a standard name (proves), 0 for a word
HIDER, TIMES = "_hider", "_times"   # + 1..: a longer entry that can hide it, how often it holds it
NAME_WORDS = "xl_sme_name_words"    # the words a firm's name is read by (industry_text.name_entries), as ENTRIES
#: a text no folded cell holds (fold drops it): fills the unused hiders
NEVER = "、"
#: the found-stage's weight of a word (a name weighs 1): below it only names were found
WORD_WEIGHT = 1000
#: the bracket characters `text.fold` makes one style of, and the joiners: what the stem formula looks at
_OPENING = ("(", "（", "[", "【", "〔", "{")
_BRACKETS = (*_OPENING, ")", "）", "]", "】", "〕", "}")
_JOINERS = (*industry_text.JOINERS, "／")
FLOOR = "xl_sme_floor_"         # + measure: one row, the medium floor per industry (0 where not used)
USES = "xl_sme_uses_"           # + measure: one row, 1 where the industry uses the measure

#: what `text.fold` takes away from a typed 所属行业 that a sheet can take away too (NFKC and lower case
#: are left: industry names are Chinese words)
_SHEET_DROPS = (" ", "\u3000", "\u00a0", "\n", "\t", *FILLER)
_CELLS = ("key", "step1", "found", "name", "nkey", "declared", "value")
#: (step1 is a cell: LibreOffice gives #N/A for a formula naming twice a defined name that holds a SUMPRODUCT
#: inside an IF, measured; a cell is read as its value)       # stages kept in cells; the rest are names only
#: what each of them computes on a row with nothing typed (the result cached in the file, for a viewer
#: that shows cached results without recalculating)
_BLANK_ROW: dict[str, object] = {"key": "", "step1": 0, "found": 0, "name": 0, "nkey": "", "declared": "", "value": ""}


def _word_tables() -> dict[str, tuple[tuple[industry_text.Entry, ...], dict[str, tuple[tuple[str, int], ...]]]]:
    """The grids found inside a text, with the longer entries that can hide each: a 所属行业's, a firm name's."""
    return {ENTRIES: (industry_text.entries(), industry_text.hiders()),
            NAME_WORDS: (industry_text.name_entries(), industry_text.name_hiders())}


def _tables(lists: ListSheet) -> None:
    """The standard on the lists sheet: names -> industries, and per measure its floors and users."""
    if STEMS in lists.names:
        return
    industries = sizing.industries()

    def flags(allowed: frozenset[int]) -> tuple[int, ...]:
        return tuple(1 if i in allowed else 0 for i in range(len(industries)))

    lists.add_grid(STEMS, ("所属行业词干", *industries), [(w, *flags(a)) for w, a in industry_text.stem_table()])
    table = industry_text.entries()
    hiders = industry_text.hiders()
    lists.add_grid(ENTRIES, ("所属行业中的名称或用字", *industries), [(e.text, *flags(e.positions)) for e in table])
    lists.add(IS_NAME, "标准名称", [1 if e.name else 0 for e in table])
    for grid, (table, hiders) in _word_tables().items():
        if grid != ENTRIES:
            lists.add_grid(grid, ("企业名称中的用字", *industries), [(e.text, *flags(e.positions)) for e in table])
        for j in range(_most(hiders)):
            held = [hiders[e.text][j] if j < len(hiders[e.text]) else (NEVER, 0) for e in table]
            lists.add(f"{grid}{HIDER}{j + 1}", f"可遮盖它的较长写法{j + 1}", [h for h, _ in held])
            if _repeated(hiders):
                lists.add(f"{grid}{TIMES}{j + 1}", f"其中出现次数{j + 1}", [n for _, n in held])
    medium = sizing.standard()["medium"]
    for measure in sizing.BOUND_COLUMNS:
        lists.add_grid(FLOOR + measure, ("中型下限", *industries),
                       [(measure, *(float(medium[i].get(measure, 0)) for i in industries))])
        lists.add_grid(USES + measure, ("使用该指标", *industries),
                       [(measure, *(1 if measure in medium[i] else 0 for i in industries))])


def fold_formula(cell: str) -> str:
    """Excel: the typed text without what `text.fold` drops (spaces, filler punctuation)."""
    out = cell
    for ch in _SHEET_DROPS:
        quoted = ch.replace('"', '""')
        out = f'SUBSTITUTE({out},"{quoted}","")' if ch not in ("\n", "\t") else \
            f'SUBSTITUTE({out},CHAR({ord(ch)}),"")'
    return out


def stem_formula(key: str) -> str:
    """Excel: `industry_text.text_stem` of a folded text before its suffix goes — without brackets and joiners."""
    head = key
    for ch in (*_BRACKETS, *_JOINERS):
        head = f'SUBSTITUTE({head},"{ch}","")'
    return head


def suffix_formula(head: str) -> str:
    """Excel: `head` without a final 行业/业/类 (industry_text.SUFFIXES, the longest first)."""
    long_, *short = industry_text.SUFFIXES
    ends = ",".join(f'RIGHT({head},{len(w)})="{w}"' for w in short)
    return (f'IF(RIGHT({head},{len(long_)})="{long_}",LEFT({head},LEN({head})-{len(long_)}),'
            f'IF(OR({ends}),LEFT({head},LEN({head})-1),{head}))')


def _most(hiders: dict[str, tuple[tuple[str, int], ...]]) -> int:
    return max((len(h) for h in hiders.values()), default=0)


def _repeated(hiders: dict[str, tuple[tuple[str, int], ...]]) -> bool:
    """Whether an entry stands more than once in a longer one that can hide it (else no TIMES columns)."""
    return any(n != 1 for held in hiders.values() for _, n in held)


def _count(key: str, text: str) -> str:
    """Excel: how many times `text` stands in `key` (without overlap, as str.count)."""
    return f'(LEN({key})-LEN(SUBSTITUTE({key},{text},"")))/LEN({text})'


def kept_entries(key: str, grid: str = "") -> str:
    """Excel: a column over `grid` (ENTRIES, or NAME_WORDS for a firm's name), 1 where the entry stands in
    `key` more times than inside the longer entries found that can hide it (industry_text._found)."""
    grid = grid or ENTRIES
    hiders = _word_tables()[grid][1]
    times = [f"*{grid}{TIMES}{j + 1}" if _repeated(hiders) else "" for j in range(_most(hiders))]
    hidden = "+".join(f"{_count(key, f'{grid}{HIDER}{j + 1}')}{t}" for j, t in enumerate(times))
    return f"({_count(key, f'{grid}_key')}-({hidden or 0})>0)"


def ends_formulas(v: str, r: dict[str, str]) -> dict[str, str]:
    """Excel, per row: the least and the most a measure may be and whether the most is excluded ("lo", "hi", "ho"),
    as rules.sizing._typed_ends takes them: the figure read `v`; for a cell typed as a bound in the clerk's words
    (`r`: its range, templates.estimates.OUTPUTS) the bound's ends ("" where unbounded); an estimate ("约30": its
    ends are a margin, not the clerk's) and anything else nothing ("")."""
    typed = f'AND({v}="{RANGE}",{r["about"]}<>1)'
    return {"lo": f'IF(ISNUMBER({v}),{v},IF({typed},{r["lo"]},""))',
            "hi": f'IF(ISNUMBER({v}),{v},IF({typed},{r["hi"]},""))',
            "ho": f'IF(ISNUMBER({v}),0,IF({typed},IF({r["hi_open"]}=1,1,0),0))'}


def _measures(layout: TableLayout, x, ends: dict[str, dict[str, str]]) -> tuple[str, str]:
    """Excel arrays over the standard's industries (one row): (small under it, not medium under it) for
    the row's 职工人数, 营业收入 …: below a floor when its most is (or equals it, excluded: "不足300人"), medium when
    its least meets every floor (`ends`: a measure's lo/hi/ho cells where it may be typed as a range, else its read
    `x`); a measure the form has no column for is never known."""
    below, unmet = [], []
    for m in sizing.BOUND_COLUMNS:
        uses, floor = f"{USES}{m}", f"{FLOOR}{m}"
        if m in ends:
            lo, hi, ho = ends[m]["lo"], ends[m]["hi"], ends[m]["ho"]
            below.append(f"ISNUMBER({hi})*{uses}*((({hi}<{floor})+({hi}={floor})*{ho})>0)")
            unmet.append(f"{uses}*(1-ISNUMBER({lo})*({lo}>={floor}))")
        elif m in layout.cols:
            v = x(m)
            below.append(f"ISNUMBER({v})*{uses}*({v}<{floor})")
            unmet.append(f"{uses}*(1-ISNUMBER({v})*({v}>={floor}))")
        else:
            unmet.append(uses)
    small = f"SIGN({'+'.join(below)})" if below else "0"
    return small, f"SIGN({'+'.join(unmet)})"


def _stages(layout: TableLayout, x, at: dict[str, str], mode: str,
            ends: dict[str, dict[str, str]] | None = None) -> dict[str, str]:
    """Each stage's formula; x(key): the row's cell of a field, at[stage]: where a stage is read; `ends`: the cells
    of a measure's ends (ends_formulas) where it may be typed as a range."""
    small_in, not_medium = _measures(layout, x, ends or {})

    def under(allowed: str) -> str:
        """small/not small under the industries `allowed` (a row of flags followed by '*', or a column of
        found entries times their table's flags): small under each, medium under each, else ""."""
        return (f'IF(SUMPRODUCT({allowed}(1-{small_in}))=0,{SMALL},'
                f'IF(SUMPRODUCT({allowed}{not_medium})=0,{NOT_SMALL},""))')

    out: dict[str, str] = {}
    has_industry = INDUSTRY in layout.cols
    if has_industry:
        out["key"] = fold_formula(x(INDUSTRY))
        k = at["key"]
        # step 1: the part before a bracket (its row of STEMS when its detail's words allow one of its
        # industries or none), else the whole text's stem; 0 when neither is a stem
        one_style = k
        for b in _OPENING[1:]:
            one_style = f'SUBSTITUTE({one_style},"{b}","{_OPENING[0]}")'
        out["cut"] = f'FIND("{_OPENING[0]}",{one_style}&"{_OPENING[0]}")'      # the first bracket (none: LEN+1)
        out["head"] = f'IF({at["cut"]}>1,LEFT({k},{at["cut"]}-1),{k})'
        out["detail"] = f'IF({at["cut"]}>1,MID({k},{at["cut"]}+1,LEN({k})),"")'
        out["bare_head"] = stem_formula(at["head"])
        out["bare"] = stem_formula(k)
        out["row"] = f'IFERROR(MATCH({suffix_formula(at["bare_head"])},{STEMS}_key,0),0)'
        r, d = at["row"], at["detail"]
        said = kept_entries(d)
        out["step1"] = (f'IF({r}=0,0,IF({d}="",{r},IF(OR(SUMPRODUCT({said})=0,'
                        f'SUMPRODUCT({said}*{ENTRIES}*INDEX({STEMS},{r},0))>0),{r},'
                        f'IFERROR(MATCH({suffix_formula(at["bare"])},{STEMS}_key,0),0))))')
        one = at["step1"]
        # step 2: the names and words found (found: a name weighs 1, a word WORD_WEIGHT): only names,
        # proven (name -1); a word among them, a word reading (name 0, found >= WORD_WEIGHT)
        kept = kept_entries(k)
        out["found"] = (f'IF(OR({k}="",{one}>0),0,'
                        f'SUMPRODUCT({kept}*(1+{WORD_WEIGHT - 1}*(1-{IS_NAME}))))')
        f = at["found"]
        out["name"] = f'IF({k}="",0,IF({one}>0,{one},IF(AND({f}>0,{f}<{WORD_WEIGHT}),-1,0)))'
        g = at["name"]
        out["stated"] = (f'IF({g}=0,"",IF({g}>0,{under(f"INDEX({STEMS},{g},0)*")},'
                         f'{under(f"{kept}*{ENTRIES}*")}))')
        # a word reading is small (1) when small under every industry it allows — never 0 (not small)
        out["worded"] = (f'IF({f}<{WORD_WEIGHT},"",IF(SUMPRODUCT({kept}*{ENTRIES}*(1-{small_in}))=0,'
                         f'{SMALL},""))')
    else:
        out["key"] = '""'
        out["name"] = "0"
        out["stated"] = '""'
        out["found"] = "0"
        out["step1"] = "0"
        out["worded"] = '""'
    out["every"] = under("")
    if FIRM_NAME in layout.cols:      # a firm's name, read when nothing else decides (small only, as a word)
        out["nkey"] = fold_formula(x(FIRM_NAME))
        n = at["nkey"]
        said = kept_entries(n, NAME_WORDS)
        out["named"] = (f'IF({n}="","",IF(SUMPRODUCT({said})=0,"",'
                        f'IF(SUMPRODUCT({said}*{NAME_WORDS}*(1-{small_in}))=0,{SMALL},"")))')
    else:
        out["nkey"] = '""'
        out["named"] = '""'
    if SIZE_CLASS in layout.cols:
        s = x(SIZE_CLASS)
        said_small = "OR(" + ",".join(f'ISNUMBER(FIND("{w}",{s}))' for w in sizing.SMALL_WORDS) + ")"
        said_large = "OR(" + ",".join(f'ISNUMBER(FIND("{w}",{s}))' for w in sizing.LARGE_WORDS) + ")"
        out["declared"] = f'IF({said_small}={said_large},"",IF({said_small},{SMALL},{NOT_SMALL}))'
        individual = f'ISNUMBER(FIND("{sizing.INDIVIDUAL}",{s}))'
    else:
        out["declared"] = '""'
        individual = "FALSE"
    stated, declared, every = at["stated"], at["declared"], at["every"]
    # no 所属行业 the standard's names place: under every industry, else (undecided) its words' reading
    strictest = (f'IF({at["name"]}=0,IF({every}<>"",{every},'
                 f'IF({at["found"]}>={WORD_WEIGHT},{at["worded"]},{at["named"]})),"")')
    rest = {"declared": declared,
            "strictest": strictest,
            "declared-then-strictest": f'IF({declared}<>"",{declared},{strictest})'}[mode]
    out["value"] = f'IF({individual},{SMALL},IF({stated}<>"",{stated},{rest}))'
    return out


def size_columns(lists: ListSheet, sheet: str, layout: TableLayout, mode: str,
                 known: dict[tuple[str, str], dict[str, str]], reads: dict[str, str] | None = None,
                 ranges: dict[str, dict[str, str]] | None = None) -> dict[str, str]:
    """Absolute ranges (on SIZE_SHEET, the form's rows) of each row's stages kept in cells: "value" the
    verdict (SMALL, NOT_SMALL or ""), "name" how the standard's names read the 所属行业 (0: they do not),
    "found" what step 2 found in it (0: nothing), "declared" the declared size read ("" when it says neither).

    `known` caches them per (form sheet, mode), so a rule's formula can be asked for again; `mode` is the
    pack's `unknown_industry`; `reads` the row-relative read of a number column (templates.numbers),
    which the measures take instead of the typed cell, and `ranges` the row-relative range (templates.estimates
    .OUTPUTS, Places.row_range) of a measure's cell typed as a bound: its ends, kept in cells beside the stages
    (`lo_<measure>`, `hi_<measure>`, `ho_<measure>`: ends_formulas), size the firm as validate sizes it."""
    if (sheet, mode) in known:
        return known[(sheet, mode)]
    _tables(lists)
    wb = lists.workbook
    ws, _ = hidden_sheet(wb, SIZE_SHEET)
    block = 0 if ws.dim_colmax is None else ws.dim_colmax + 2      # after the columns of a list sized before
    n = len(known) + 1
    ranged = [m for m in sizing.BOUND_COLUMNS if m in layout.cols and m in (ranges or {}) and m in (reads or {})]
    end_cells = tuple(f"{e}_{m}" for m in ranged for e in ("lo", "hi", "ho"))
    cells = (*_CELLS, *end_cells)
    blank_row = {**_BLANK_ROW, **{c: 0 if c.startswith("ho_") else "" for c in end_cells}}
    names = {s: f"xl_size{n}_{s}" for s in ("key", "cut", "head", "detail", "bare_head", "bare", "row", "step1", "found", "name", "stated",
                                            "worded", "nkey", "named", "every", "declared", "value", *end_cells)}
    at = {s: f"'{SIZE_SHEET}'!${xl_col_to_name(block + cells.index(s))}1" if s in cells else names[s]
          for s in names}

    def x(key: str) -> str:
        return (reads or {}).get(key) or f"'{sheet}'!${xl_col_to_name(layout.cols[key])}1"

    ends = {m: {e: at[f"{e}_{m}"] for e in ("lo", "hi", "ho")} for m in ranged}
    formulas = _stages(layout, x, at, mode, ends)
    for m in ranged:
        formulas.update({f"{e}_{m}": f for e, f in ends_formulas(x(m), (ranges or {})[m]).items()})
    for stage, formula in formulas.items():
        wb.define_name(names[stage], "=" + formula)
    out = {}
    for j, stage in enumerate(cells):
        ws.write_string(0, block + j, stage)
        for row in range(layout.first_row, layout.last_row + 1):
            ws.write_formula(row, block + j, "=" + names[stage], None, blank_row[stage])
        letter = xl_col_to_name(block + j)
        out[stage] = f"'{SIZE_SHEET}'!${letter}${layout.first_row + 1}:${letter}${layout.last_row + 1}"
    known[(sheet, mode)] = out
    return out
