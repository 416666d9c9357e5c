"""In-sheet counts of the choice rule: values outside their list, and those holding a character the
sheet cannot fold (请核实), accepted as validate accepts them (templates.rule_counts).
"""

from __future__ import annotations

from ..forms import get_form
from ..forms.programmes import choices_of
from ..rules.kinds.model_bounds import SPELLED_LISTS
from ..rules.rule import Rule
from .checks import accepted_list, key_formula, spellings, unfolded
from .places import Places, blank, rule_forms, size_columns_of


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
    for form_id in rule_forms(rule):
        for f in get_form(form_id).fields:
            choices = choices_of(f)     # none for a place the programme lists none for: typed, not judged
            if f.type != "choice" or not choices or f.merge_only or f.official != official:
                continue
            listed = accepted_list(places.lists, choices)
            odd = _unfolded_row(places, choices) if official and f.choices not in SPELLED_LISTS else None
            role = (f.identity or f.role) if f.choices in SPELLED_LISTS else None   # a programme's own list: as listed
            if (ref := places.cell(form_id, f.key)):
                also = accepted_beyond_list(role, places.lists, ref=ref, known=places.place_reads)
                out.append((f.key, *choice_cell_terms(ref, listed, odd, also)))
            elif (col := places.column(form_id, f.key)):
                also = accepted_beyond_list(role, places.lists, sizes=size_columns_of(places, form_id))
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
    outside = f"NOT({blank(ref)}),ISNA(MATCH({key_formula(ref)},{listed},0))" + (f",NOT({also})" if also else "")
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


COUNTS = {"choice": _choice}
DOUBTS = {"choice": _choice_doubt}
