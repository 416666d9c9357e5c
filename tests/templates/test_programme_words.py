"""A programme's templates speak of what it is about in its own word (its manifest's `noun`: 太原's 平台),
never in another programme's (基地), unless its own forms, pack or manifest use that word too (issue 14).

Every text a clerk can see in the workbooks `xlbase templates --programme NAME` writes is searched: cell
texts, the cached texts and string literals of formulas (the 表内检查's “表格尚未填写” line), the prompts and
messages of data validations.
"""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

import pytest

from every_template import generic_programmes, programme_files
from xlbase.forms.programmes import list_programmes, load_programme
from xlbase.rules.programme import load_generic_pack


def _visible_text(path: Path) -> str:
    """Every part of the workbook a clerk sees text from, XML unescaped (the hidden helper sheets too:
    a defined name's text can surface in a formula's result)."""
    with zipfile.ZipFile(path) as z:
        parts = [n for n in z.namelist() if n.endswith(".xml") and ("sharedStrings" in n or "/worksheets/" in n)]
        return html.unescape(" ".join(z.read(n).decode("utf-8") for n in parts))


def _own_words(name: str) -> str:
    """What the programme's own sources say: its manifest, its forms' titles, labels and prompts, its pack."""
    p = load_programme(name)
    pack = load_generic_pack(p)
    texts = [p.title, p.kind, p.note, *(str(s) for s in p.sources)]
    for form in p.forms.values():
        texts += [form.title, *(f.label for f in form.fields), *(f.prompt or "" for f in form.fields)]
    texts += [pack.title, *(f"{r.title or ''}{r.message or ''}" for r in pack.rules)]
    return " ".join(texts)


@pytest.mark.parametrize("name", generic_programmes())
def test_the_templates_say_the_programmes_own_noun(programme_templates, name):
    own = load_programme(name).noun
    others = {load_programme(n).noun for n in list_programmes()} - {own}
    assert others, "every shipped programme uses one noun: nothing to tell apart"
    sources = _own_words(name)
    foreign = {w for w in others if w not in sources}
    for file in programme_files(name):
        text = _visible_text(programme_templates / name / file)
        assert f"本年度没有申报{own}" in text, file
        said = {w: re.findall(f".{{0,12}}{w}.{{0,12}}", text) for w in foreign}
        assert not any(said.values()), (file, said)
