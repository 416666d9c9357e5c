"""A choice typed by hand is accepted by the sheet's live checks exactly when `xlbase validate` accepts it:
any spelling of the list (楼宇 = 楼宇型, 龙头企业(平台)带动型) with what `text.fold` takes away typed around
or inside it — spaces of every kind (full-width, no-break, a line break typed with Alt+Enter), filler
punctuation (楼宇型。, 楼宇-型), another bracket style. The sheet's key (templates.checks.key_formula; its
Python twin sheet_key, proven equal to it in test_template_checks_agree) is looked up in the accepted
spellings keyed the same way, case-insensitively as MATCH and VLOOKUP compare; validate folds
(rules.kinds.model_bounds.accepted_keys). Checked for the 基地类型 list (its thresholds too) and every list
of every generic programme; the places, industries and sizes validate reads by matcher have their own
tests (templates.choices, templates.sizes). In LibreOffice: test_the_sheet_counts_typed_spellings_as_validate.

Before, the key dropped only spaces and made brackets full width: 楼宇型。, 小型\n or a no-break space pasted
from a web page were a 基地类型 validate read and the sheet did not (no threshold applied, a choice error).
"""

from __future__ import annotations

import random
import unicodedata

import pytest
from hypothesis import given, settings, strategies as st

from every_template import generic_programmes
from xlbase.forms import get_form, value_list
from xlbase.forms.programmes import load_programme, using
from xlbase.rules import load_pack, normalise_base_type
from xlbase.rules.kinds.model_bounds import SPELLED_LISTS, accepted_keys
from xlbase.read.normalise import parse_yesno
from xlbase.templates.checks import sheet_key, spellings
from xlbase.templates.count_answers import _answer_candidates
from xlbase.text import FILLER, fold

#: what a clerk's typing adds that fold takes away
NOISE = [" ", "\u3000", "\u00a0", "\n", "\r\n", "\t", *FILLER]
BRACKETS = {"（": "(【〔[{", "）": ")】〕]}", "(": "（【〔[{", ")": "）】〕]}"}


def noisy(draw_or_rng, text: str) -> str:
    """`text` as a clerk may type it: noise inserted anywhere, brackets of another style, Latin in any case."""
    pick = draw_or_rng
    out = []
    for ch in text:
        if pick(range(4)) == 0:
            out.append(pick(NOISE))
        out.append(pick(BRACKETS[ch]) if ch in BRACKETS and pick(range(2)) else
                   (ch.swapcase() if ch.isascii() and pick(range(2)) else ch))
    if pick(range(2)):
        out.append(pick(NOISE))
    return "".join(out)


def _sheet_accepts(typed: str, choices: str) -> bool:
    return sheet_key(typed).lower() in {sheet_key(w).lower() for w in spellings(choices)}


def _lists() -> list[tuple[str | None, str]]:
    """(programme or None for the shared lists, list name) of every list the sheet judges by its spellings."""
    out: list[tuple[str | None, str]] = [(None, "base_type")]
    for name in generic_programmes():
        p = load_programme(name)
        with using(p):
            for form in p.forms.values():
                for f in form.fields:
                    if f.type == "choice" and f.choices and f.choices not in SPELLED_LISTS and value_list(f.choices):
                        out.append((name, f.choices))
    return sorted(set(out), key=str)


LISTS = _lists()


@st.composite
def typed_choice(draw, choices: str) -> str:
    word = draw(st.sampled_from(sorted(spellings(choices))))
    return noisy(lambda xs: draw(st.sampled_from(list(xs))), word)


@pytest.mark.parametrize("where", LISTS, ids=[f"{p or 'shanxi'}-{c}" for p, c in LISTS])
@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_a_spelling_validate_accepts_the_sheet_accepts(where, data):
    programme, choices = where
    with using(load_programme(programme)) if programme else _nothing():
        typed = data.draw(typed_choice(choices))
        assert fold(typed) in accepted_keys(choices), typed          # validate accepts it …
        assert _sheet_accepts(typed, choices), repr(typed)           # … and so does the sheet


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_a_typed_type_gets_the_threshold_validate_applies(data):
    """The per-type threshold tables are keyed by sheet_key: a noisy 基地类型 finds the pack's threshold for
    the type validate reads (rules.normalise_base_type)."""
    typed = data.draw(typed_choice("base_type"))
    canonical = normalise_base_type(typed)
    assert canonical is not None, typed
    table = {sheet_key(s).lower(): v for s, v in spellings("base_type").items()}
    assert table.get(sheet_key(typed).lower()) == canonical, repr(typed)
    for rule in load_pack().rules:
        if rule.per_type:
            assert rule.threshold_for(table[sheet_key(typed).lower()]) == rule.threshold_for(canonical)


ANSWER_FIELD = get_form("附件10").field("independent_legal_person")


def _sheet_answer(typed: str) -> str:
    """templates.count_answers.answer_formula in Python: the answers table (each candidate as the reader reads
    it, keyed as the sheet folds an answer) looked up with the typed key, then with its part before a remark."""
    table = {sheet_key(text, answer=True).lower(): ("是" if parse_yesno(text, ANSWER_FIELD).value else "否")
             for text in _answer_candidates(ANSWER_FIELD.label)
             if isinstance(parse_yesno(text, ANSWER_FIELD).value, bool) and not parse_yesno(text, ANSWER_FIELD).note}
    k = sheet_key(typed, answer=True).lower()
    return table.get(k) or table.get(k.split("（")[0]) or ""


#: what a clerk types into and around a 是/否 answer that both the sheet and the reader fold
ANSWER_SPACES = [" ", "\u3000", "\u00a0", "\n", "\r\n", "\t"]
#: remarks after the answer: closed in any bracket style, left open, followed by punctuation
REMARKS = ["", "（企业法人）", "(独立核算)", "【是】", "[无]", "（企业法人", "(个体", "（企业法人）。", "（个体）；"]


@settings(max_examples=400, deadline=None)
@given(word=st.sampled_from(_answer_candidates(ANSWER_FIELD.label)),
       spaces=st.lists(st.tuples(st.integers(0, 20), st.sampled_from([*ANSWER_SPACES, "。", "、"])), max_size=3),
       remark=st.sampled_from(REMARKS), before=st.sampled_from(["", *ANSWER_SPACES]),
       ends=st.tuples(*[st.sampled_from(["", *ANSWER_SPACES])] * 2), case=st.booleans())
def test_an_answer_reads_in_the_sheet_as_the_reader_reads_it(word, spaces, remark, before, ends, case):
    """是（企业法人）, √, 非独立法人, YES … with spaces, line breaks and tabs anywhere (否⏎（个体） typed with Alt+Enter),
    a remark (its bracket left open: 是（企业法人; punctuation after it): the sheet's 是/否 is the reader's
    (read.normalise.parse_yesno), "" where the reader cannot read it (a 。 inside the answer). Before, 否⏎（个体） and
    是（企业法人 were 否 and 是 to the sheet and unreadable to the reader (validate's unparseable error)."""
    typed = word.upper() if case else word
    for at, ch in spaces:
        typed = typed[:at] + ch + typed[at:]
    typed = ends[0] + typed + before + remark + ends[1]
    read = parse_yesno(typed, ANSWER_FIELD)
    want = {True: "是", False: "否"}.get(read.value, "") if not read.note else ""
    assert _sheet_answer(typed) == want, repr(typed)


#: what a clerk's typing may hold besides the answer: zero-width characters (the sheet and the reader drop them),
#: others the sheet cannot fold within Excel's nesting limit (U+2060, an en space, U+3164)
UNFOLDED = ["\u200b", "\u200c", "\u200d", "\ufeff", "\u2060", "\u2002", "\u3164"]


def _sheet_verdict(typed: str) -> str | None:
    """The 表内检查's 结果 of 具有独立法人资格 (must be 是) for one typed answer, in Python: 不符合 for 否, 通过 for 是,
    请核实 for an answer it cannot read (count_answers._equals_doubt), None for a blank cell."""
    if not typed.strip():
        return None
    return {"否": "不符合", "是": "通过"}.get(_sheet_answer(typed), "请核实")


def _validate_verdict(typed: str) -> str | None:
    """validate's verdict at the same cell: the rule's error for 否, the reader's unparseable error for an answer it
    cannot read, nothing for 是 or a blank."""
    read = parse_yesno(typed, ANSWER_FIELD)
    if read.note:
        return "错误"
    return "错误" if read.value is False else None


@settings(max_examples=400, deadline=None)
@given(word=st.sampled_from(_answer_candidates(ANSWER_FIELD.label)),
       noise=st.lists(st.tuples(st.integers(0, 20), st.sampled_from([*UNFOLDED, *ANSWER_SPACES, "。"])), max_size=3),
       remark=st.sampled_from(REMARKS), wide=st.booleans())
def test_an_answer_the_sheet_cannot_fold_is_never_passed_where_validate_errs(word, noise, remark, wide):
    """Whatever is typed, the sheet never says 通过 where validate reports an error at that cell, nor 不符合 where
    validate reports nothing: it says 请核实 when it cannot read the answer."""
    typed = unicodedata.normalize("NFKC", word)
    if wide:        # full-width forms, as an IME in full-width mode types Latin letters and digits
        typed = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in typed)
    for at, ch in noise:
        typed = typed[:at] + ch + typed[at:]
    typed += remark
    sheet, validate = _sheet_verdict(typed), _validate_verdict(typed)
    assert not (sheet == "通过" and validate == "错误"), repr(typed)
    assert not (sheet == "不符合" and validate is None), repr(typed)


def test_a_word_outside_the_list_stays_outside():
    """Folding more does not accept more than validate: a near miss is refused by both."""
    rng = random.Random(14)
    for programme, choices in LISTS:
        with using(load_programme(programme)) if programme else _nothing():
            for word in spellings(choices):
                wrong = noisy(rng.choice, word + "类别")
                assert fold(wrong) not in accepted_keys(choices) and not _sheet_accepts(wrong, choices), wrong


class _nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


#: 是否独立法人 answers typed in a real workbook -> the 表内检查's verdict after LibreOffice recalculates it: read as
#: validate reads them (line breaks inside, a remark left open, full width: ｎｏ, a zero-width space: 是\u200b),
#: 请核实 where the sheet cannot read what validate finds unreadable (否。) or reads (ｎ\u2060ｏ: NFKC's U+2060 is past
#: what the sheet folds)
ANSWERS = {" 否（个体）\n": "不符合", "\t非独立法人 ": "不符合", "是\u3000(企业法人)\r\n": "通过", "否\n（个体）": "不符合",
           "是（企业法人": "通过", "否。": "请核实", "ｎｏ": "不符合", "是\u200b": "通过", "Ｙｅｓ\ufeff": "通过",
           "否\u2060": "请核实"}


@pytest.mark.libreoffice
@pytest.mark.filterwarnings("ignore:Print area cannot be set")
def test_the_sheet_counts_typed_spellings_as_validate(tmp_path):
    """The twins above against the formulas: Shanxi workbooks whose 基地类型 is typed with noise (20 firms: too
    few for a 楼宇型, a count validate makes only when it reads the type) or whose 是否独立法人 is answered with
    spaces, line breaks and a remark (ANSWERS: its verdict, 请核实 where the sheet cannot read what validate reads
    or reports unreadable), and 衡阳's 人员名单 with each
    性别 typed with noise, recalculated by LibreOffice — every rule's count equals validate's."""
    import json
    from collections import Counter

    from conftest import soffice_convert_all
    from programme_inbox import fill, load_case, make_templates, sheet_of, xlbase
    from template_clerk import Clerk, base_for, sheet_counts, sheet_results, validate_counts, validate_problems
    from xlbase.rules.programme import load_generic_pack
    from xlbase.templates.workbooks import write_applicant_workbook
    import openpyxl

    rng = random.Random(6)
    base, firms, comparables = base_for(20)
    written = write_applicant_workbook(tmp_path / "written.xlsx", base=base, firms=firms, comparables=comparables)
    (tmp_path / "src").mkdir()
    shanxi = {}
    clerk = Clerk(written)      # each case typed on the written workbook alone (save_case takes it back)
    types = ["楼宇型", "楼宇", "城市楼宇型", "楼宇型", "楼宇"]
    # each workbook one noisy 基地类型 and one 独立法人 answer: two rules apart, judged on one recalculation (a
    # workbook each, 15 instead of 10, took 1/3 more of this test's ~140 s: LibreOffice, openpyxl's save, validate)
    for i, answer in enumerate(ANSWERS):
        typed = noisy(rng.choice, types[i % len(types)])
        clerk.record("附件2", "base_type", typed)
        clerk.row("附件10", 0, "independent_legal_person", answer)
        shanxi[(typed, answer)] = clerk.save_case(tmp_path / "src" / f"case{i}.xlsx")
    case = load_case("hengyang-2023")
    templates = make_templates(case.name, tmp_path / "templates")
    hy = tmp_path / "src" / "hengyang.xlsx"
    where = fill(templates / case.applicant_file, hy, case.programme, case.answers(), "甲单位")
    wb = openpyxl.load_workbook(hy)
    ws = wb[sheet_of(case.programme, "衡阳人员名单")]
    genders = [k for k in where if k.startswith("衡阳人员名单.gender@") and not k.endswith("last")]
    for k in genders:
        ws[where[k]] = noisy(rng.choice, str(ws[where[k]].value))
    wb.save(hy)
    res = xlbase("validate", str(hy), "--programme", case.name, "--json", str(tmp_path / "r.json"))
    assert res.returncode in (0, 1), res.stderr
    pack = load_generic_pack(case.programme)
    hy_found = Counter(p["rule"] for p in json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["problems"]
                       if pack.has_rule(p["rule"]) and p["severity"] == pack.rule(p["rule"]).severity)
    books = soffice_convert_all([*shanxi.values(), hy], "xlsx", tmp_path / "lo")
    for (typed, answer), book in zip(shanxi, books):
        path = shanxi[(typed, answer)]
        validate, sheet = validate_counts(path), sheet_counts(book)
        assert validate["resident-firms-min"] == 1, (typed, validate)     # the type is read: 楼宇型 asks 25
        verdict = sheet_results(book)["independent-legal-person"]
        assert verdict == ANSWERS[answer], (answer, verdict)
        unreadable = any(p.rule == "unparseable" and p.severity == "error" and p.field == "independent_legal_person"
                         for p in validate_problems(path))
        unsure = set()
        if verdict == "请核实":     # validate errs at the cell: the rule's error (ｎｏ = 否) or unreadable
            assert validate["independent-legal-person"] == 1 or unreadable, (answer, validate)
            unsure = {"independent-legal-person"}
        else:
            assert validate["independent-legal-person"] == (verdict == "不符合") and not unreadable, (answer, validate)
        differ = {r: (n, validate.get(r, 0)) for r, n in sheet.items() if n != validate.get(r, 0) and r not in unsure}
        assert not differ, f"基地类型 {typed!r}, 独立法人 {answer!r}: rule -> (sheet, validate): {differ}"
    sheet = sheet_counts(books[-1])
    differ = {r: (n, hy_found.get(r, 0)) for r, n in sheet.items() if n != hy_found.get(r, 0)}
    assert not differ and len(genders) >= 3, f"性别 typed {len(genders)}x with noise: rule -> (sheet, validate): {differ}"
