"""Each firm row of a list form sized small/micro in the sheet as `xlbase validate` sizes it
(rules/sizing.py, 工信部联企业〔2011〕300号), so the 表内检查 can count the small/micro share rule.

Per row, on the hidden sheet `xl_sizes` (same row numbers as the form's rows): the stated 所属行业 folded
as `text.fold` folds it, the name of the standard it is read as (exact, else the first name found inside
it, longest first: `sizing.industries_of`), and the verdict — 1 small/micro, 0 not, "" undecided —
decided as `sizing.classify` decides it: under the industries the name allows, else by the declared
企业规模, else (no 所属行业) under every industry, an individual business always small. The standard's
floors and the names are tables on the lists sheet, generated from the standard's YAML: a changed
standard regenerates the templates, nothing here names an industry or a number.

Like the date reads (templates.dates), the stages are defined names whose references are relative to the
row they are used in; only the stages others use are kept in cells. Only functions of the allow-list
(tests/templates/test_template_formulas.py): SUMPRODUCT over one row of the standard's tables (16 cells),
INDEX(…, n, 0) for a name's row of industries, and LOOKUP(1,0/(…)) for the last name found in the text,
the idiom Excel, WPS and LibreOffice all evaluate without array entry.
"""

from __future__ import annotations

from xlsxwriter.utility import xl_col_to_name

from ..forms.roles import INDUSTRY, SIZE_CLASS
from ..rules import sizing
from ..text import FILLER
from .lists import ListSheet, hidden_sheet
from .table import TableLayout

SIZE_SHEET = "xl_sizes"
SMALL, NOT_SMALL = 1, 0          # a row's verdict; "" when the material does not decide it

NAMES = "xl_sme_names"          # the standard's names (folded), in reverse of the order they are tried
POSITIONS = "xl_sme_pos"        # 1..n beside them (what LOOKUP returns)
FLOOR = "xl_sme_floor_"         # + measure: one row, the medium floor per industry (0 where not used)
USES = "xl_sme_uses_"           # + measure: one row, 1 where the industry uses the measure

#: what `text.fold` takes away from a typed 所属行业 that a sheet can take away too (NFKC and lower case
#: are left: industry names are Chinese words)
_SHEET_DROPS = (" ", "\u3000", "\u00a0", "\n", "\t", *FILLER)
_CELLS = ("key", "name", "declared", "value")       # stages kept in cells; the rest are names only
#: what each of them computes on a row with nothing typed (the result cached in the file, for a viewer
#: that shows cached results without recalculating)
_BLANK_ROW: dict[str, object] = {"key": "", "name": 0, "declared": "", "value": ""}


def _tables(lists: ListSheet) -> None:
    """The standard on the lists sheet: names -> industries, and per measure its floors and users."""
    if NAMES in lists.names:
        return
    industries = sizing.industries()
    table = list(reversed(sizing.name_table()))      # LOOKUP finds the last match: the first tried
    lists.add_grid(NAMES, ("所属行业写法", *industries),
                   [(name, *(1 if i in allowed else 0 for i in range(len(industries)))) for name, allowed in table])
    lists.add(POSITIONS, "序位", list(range(1, len(table) + 1)))
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


def _measures(layout: TableLayout, x) -> tuple[str, str]:
    """Excel arrays over the standard's industries (one row): (small under it, not medium under it) for
    the row's 职工人数, 营业收入 …; a measure the form has no column for is never known."""
    below, unmet = [], []
    for m in sizing.BOUND_COLUMNS:
        uses, floor = f"{USES}{m}", f"{FLOOR}{m}"
        if m in layout.cols:
            v = x(m)
            below.append(f"ISNUMBER({v})*{uses}*({v}<{floor})")
            unmet.append(f"{uses}*(1-ISNUMBER({v})*({v}>={floor}))")
        else:
            unmet.append(uses)
    small = f"SIGN({'+'.join(below)})" if below else "0"
    return small, f"SIGN({'+'.join(unmet)})"


def _stages(layout: TableLayout, x, at: dict[str, str], mode: str) -> dict[str, str]:
    """Each stage's formula; x(key): the row's cell of a field, at[stage]: where a stage is read."""
    small_in, not_medium = _measures(layout, x)

    def under(allowed: str) -> str:
        return (f'IF(SUMPRODUCT({allowed}(1-{small_in}))=0,{SMALL},'
                f'IF(SUMPRODUCT({allowed}{not_medium})=0,{NOT_SMALL},""))')

    out: dict[str, str] = {}
    has_industry = INDUSTRY in layout.cols
    if has_industry:
        out["key"] = fold_formula(x(INDUSTRY))
        k = at["key"]
        contained = f"ISNUMBER(FIND({NAMES}_key,{k}))*(LEN({NAMES}_key)>={sizing.MIN_CONTAINED})"
        out["name"] = (f'IF({k}="",0,IFERROR(MATCH({k},{NAMES}_key,0),'
                       f'IFERROR(LOOKUP(1,0/({contained}),{POSITIONS}),0)))')
        g = at["name"]
        out["stated"] = f'IF({g}=0,"",{under(f"INDEX({NAMES},{g},0)*")})'
    else:
        out["key"] = '""'
        out["name"] = "0"
        out["stated"] = '""'
    out["every"] = under("")
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
    strictest = f'IF({at["name"]}=0,{every},"")'
    rest = {"declared": declared,
            "strictest": strictest,
            "declared-then-strictest": f'IF({declared}<>"",{declared},{strictest})'}[mode]
    out["value"] = f'IF({individual},{SMALL},IF({stated}<>"",{stated},{rest}))'
    return out


def size_columns(lists: ListSheet, sheet: str, layout: TableLayout, mode: str,
                 known: dict[tuple[str, str], dict[str, str]], reads: dict[str, str] | None = None) -> dict[str, str]:
    """Absolute ranges (on SIZE_SHEET, the form's rows) of each row's stages kept in cells: "value" the
    verdict (SMALL, NOT_SMALL or ""), "name" the standard's name read (0: none), "declared" the declared
    size read ("" when it says neither).

    `known` caches them per (form sheet, mode), so a rule's formula can be asked for again; `mode` is the
    pack's `unknown_industry`; `reads` the row-relative read of a number column (templates.numbers),
    which the measures take instead of the typed cell."""
    if (sheet, mode) in known:
        return known[(sheet, mode)]
    _tables(lists)
    wb = lists.workbook
    ws, _ = hidden_sheet(wb, SIZE_SHEET)
    block = len(known) * (len(_CELLS) + 1)
    n = len(known) + 1
    names = {s: f"xl_size{n}_{s}" for s in ("key", "name", "stated", "every", "declared", "value")}
    at = {s: f"'{SIZE_SHEET}'!${xl_col_to_name(block + _CELLS.index(s))}1" if s in _CELLS else names[s]
          for s in names}

    def x(key: str) -> str:
        return (reads or {}).get(key) or f"'{sheet}'!${xl_col_to_name(layout.cols[key])}1"

    for stage, formula in _stages(layout, x, at, mode).items():
        wb.define_name(names[stage], "=" + formula)
    out = {}
    for j, stage in enumerate(_CELLS):
        ws.write_string(0, block + j, stage)
        for row in range(layout.first_row, layout.last_row + 1):
            ws.write_formula(row, block + j, "=" + names[stage], None, _BLANK_ROW[stage])
        letter = xl_col_to_name(block + j)
        out[stage] = f"'{SIZE_SHEET}'!${letter}${layout.first_row + 1}:${letter}${layout.last_row + 1}"
    known[(sheet, mode)] = out
    return out
