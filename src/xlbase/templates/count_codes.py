"""In-sheet counts of the rules on codes, repeats and dates: credit codes (GB 32100-2015 check
character), values repeated down a list, dates outside their range (templates.rule_counts).
"""

from __future__ import annotations

import datetime as dt

from ..rules.rule import Rule
from ..rules.uscc import USCC_ALPHABET as _USCC_ALPHABET
from ..rules.uscc import USCC_WEIGHTS as _USCC_WEIGHTS
from .checks import key_formula
from .places import Places, excel_date, reference_date


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
    out = f'COUNTIF({col},">"&{excel_date(reference_date(places))})'
    earliest = rule.params.get("earliest")
    if earliest:
        d = earliest if isinstance(earliest, dt.date) else dt.date.fromisoformat(str(earliest))
        out += f'+COUNTIF({col},"<"&{excel_date(d)})'
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


COUNTS = {"checksum": _checksum, "unique": _unique, "date-range": _date_range}
