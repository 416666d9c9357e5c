"""A choice or a 是/否 answer typed with characters a copy from a web page, Word or an IME in full-width mode leaves
in it — zero-width spaces (U+200B/200C/200D/FEFF), the no-break and ideographic spaces, full-width letters and
brackets (ｙｅｓ, ｎｏ, （楼宇型）) — gets the sheet's verdict that `xlbase validate` gives: the sheet folds them
(templates.checks.key_formula: SUBSTITUTE and ASC). What it cannot fold (a Kangxi radical ⼯ for 工, U+2060, an em
space: NFKC's other forms, templates.checks.unfolded) is 请核实 — never 不符合 where validate accepts, never 通过
where validate rejects.

The spellings are drawn by hypothesis (derandomized, a fixed number per list) for every choice list of every
programme and for the 是/否 answers, written into ONE workbook through the templates' own formula builders
(count_choices.choice_cell_terms, count_answers.answer_formula), recalculated in ONE LibreOffice run and compared cell by cell with
validate's reading and with the formulas' Python twin (sheet_key, unfolded).

Before: 楼\u200b宇型, （楼宇型） typed in full width with ｙｅｓ were 不符合 in the sheet and accepted by validate;
是\u200b was unreadable to validate (an error) for a 是 any clerk sees.
"""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import strategies as st

from every_template import generic_programmes
from typed_choices import drawn, typed, wide
from xlbase.forms import get_form, value_list
from xlbase.forms.programmes import load_programme, using
from xlbase.read.normalise import parse_yesno
from xlbase.rules.kinds.model_bounds import SPELLED_LISTS, accepted_keys
from xlbase.templates.checks import ZERO_WIDTH, sheet_key, spellings, unfolded
from xlbase.templates.count_answers import _answer_candidates
from xlbase.text import fold

PASS, FAIL, CHECK = "通过", "不符合", "请核实"
EXAMPLES = 150      # per list


def _lists() -> list[tuple[str | None, str]]:
    """(programme or None for Shanxi, list name) of every list a choice field is judged by as listed."""
    out: list[tuple[str | None, str]] = [(None, "base_type")]
    for name in generic_programmes():
        p = load_programme(name)
        with using(p):
            out += [(name, f.choices) for form in p.forms.values() for f in form.fields
                    if f.type == "choice" and f.choices and f.choices not in SPELLED_LISTS and value_list(f.choices)]
    return sorted(set(out), key=str)


LISTS = _lists()
ANSWER_FIELD = get_form("附件10").field("independent_legal_person")


def _programme(name: str | None):
    return using(load_programme(name)) if name else contextlib.nullcontext()


def _twin(text: str, words: list[str], odd: list[str]) -> str:
    """The verdict the sheet's formulas give (count_choices.choice_cell_terms), in Python."""
    key = sheet_key(text)
    if key.lower() in {sheet_key(w).lower() for w in words}:
        return PASS
    return CHECK if any(c in key for c in odd) else FAIL


def _answer_twin(text: str) -> str:
    table = {}
    for word in _answer_candidates(ANSWER_FIELD.label):
        read = parse_yesno(word, ANSWER_FIELD)
        if isinstance(read.value, bool) and not read.note:
            table.setdefault(sheet_key(word, answer=True).lower(), "是" if read.value else "否")
    k = sheet_key(text, answer=True).lower()
    return table.get(k) or table.get(k.split("（")[0]) or ""


def _answer_spellings() -> list[str]:
    words = [w for w in _answer_candidates(ANSWER_FIELD.label) if len(w) <= 4]
    noise = st.sampled_from([*ZERO_WIDTH, "\u00a0", "\u3000", " ", "\n"])

    @st.composite
    def answer(draw):
        w = draw(st.sampled_from(words))
        w = wide(w) if draw(st.booleans()) else w
        at = draw(st.integers(0, len(w)))
        return w[:at] + draw(noise) + w[at:] + draw(st.sampled_from(["", "（企业法人）", "（个体"]))
    return drawn(answer(), EXAMPLES)


def test_the_twin_never_contradicts_validate():
    """Python alone, every list: the verdict the formulas are built to give is 通过 only for what validate accepts,
    不符合 only for what it rejects; and a word with only what the sheet folds (zero-width, NBSP, full width) is
    通过, not 请核实."""
    for programme, choices in LISTS:
        with _programme(programme):
            words = sorted(spellings(choices))
            odd = unfolded(words)
            for text, how in drawn(typed(words, odd), EXAMPLES * 3):
                verdict, accepted = _twin(text, words, odd), fold(text) in accepted_keys(choices)
                assert not (verdict == PASS and not accepted), (choices, text)
                assert not (verdict == FAIL and accepted), (choices, text)
                if how in ("folded", "wide"):
                    assert accepted and verdict == PASS, (choices, text)


@pytest.mark.libreoffice
def test_libreoffice_computes_the_verdicts_validate_gives(tmp_path):
    """One workbook, one LibreOffice run: every drawn spelling of every list, and 是/否 answers, each in its cell
    with the templates' formulas beside it; LibreOffice's results equal the twin's, and never contradict validate."""
    import openpyxl
    import xlsxwriter

    from conftest import soffice_convert_all
    from xlbase.templates.lists import ListSheet
    from xlbase.templates.count_answers import answer_formula, answers_table
    from xlbase.templates.checks import accepted_list
    from xlbase.templates.count_choices import _unfolded_row, choice_cell_terms
    from xlbase.templates.places import Places
    from xlbase.templates.styles import Styles

    path = tmp_path / "spellings.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("probe")
    places = Places(lists=ListSheet(wb, Styles(wb)))
    cases: list[tuple[str, str, str, str]] = []        # (list, typed, the twin's verdict, validate's)
    row = 0
    for programme, choices in LISTS:
        with _programme(programme):
            words = sorted(spellings(choices))
            odd = unfolded(words)
            listed, odd_row = accepted_list(places.lists, choices), _unfolded_row(places, choices)
            assert bool(odd) == bool(odd_row)
            for text, how in drawn(typed(words, odd), EXAMPLES):
                ws.write_string(row, 0, text)
                fail, doubt = choice_cell_terms(f"probe!$A${row + 1}", listed, odd_row)
                ws.write_formula(row, 1, f'=IF({fail}=1,"{FAIL}",IF({doubt or 0}=1,"{CHECK}","{PASS}"))')
                accepted = fold(text) in accepted_keys(choices)
                cases.append((choices, text, _twin(text, words, odd), PASS if accepted else FAIL))
                assert how not in ("folded", "wide") or cases[-1][2:] == (PASS, PASS), cases[-1]
                row += 1
    table = answers_table(places, ANSWER_FIELD.key, get_form("附件10"))
    for text in _answer_spellings():
        ws.write_string(row, 0, text)
        ws.write_formula(row, 1, f"={answer_formula(f'probe!$A${row + 1}', table)}")
        read = parse_yesno(text, ANSWER_FIELD)
        cases.append(("是否", text, _answer_twin(text), "" if read.note else {True: "是", False: "否"}[read.value]))
        row += 1
    wb.close()
    book = soffice_convert_all([path], "xlsx", tmp_path / "lo", recalc=True)[0]
    got = [r[1] for r in openpyxl.load_workbook(book, data_only=True)["probe"].iter_rows(max_col=2, values_only=True)]
    assert len(got) == len(cases) > 100
    differ = [(c[0], c[1], g, c[2]) for c, g in zip(cases, got) if (g or "") != c[2]]
    assert not differ, f"(list, typed, LibreOffice, twin): {differ[:20]}"
    wrong = [(c[0], c[1], g, c[3]) for c, g in zip(cases, got)
             if (c[0] != "是否" and ((g == PASS and c[3] == FAIL) or (g == FAIL and c[3] == PASS)))
             or (c[0] == "是否" and g and g != c[3])]
    assert not wrong, f"(list, typed, sheet, validate): {wrong[:20]}"
    verdicts = {g for c, g in zip(cases, got) if c[0] != "是否"}
    assert verdicts == {PASS, FAIL, CHECK}, verdicts       # the drawing reached all three
    answers = {g for c, g in zip(cases, got) if c[0] == "是否"}
    assert {"是", "否"} <= answers, answers
