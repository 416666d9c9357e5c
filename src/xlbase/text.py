"""Text folding shared by the form model and the readers.

Clerks retype labels with spaces inside ("基 地 名 称"), line breaks, full-width
brackets and stray punctuation. `fold` maps all of those to one comparable key,
so a label is recognised however it was typed.
"""

from __future__ import annotations

import re
import unicodedata

# zero-width and format characters a name picks up when copied from a web page or Word: invisible, so
# "云中\u200b双创基地" is the same name to a person and must be to us
INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u180e\u202a\u202b\u202c\u202d\u202e"
#: punctuation a label or a typed value may carry that is no part of it (dropped by `fold`)
FILLER = ":：,，、;；.。·•*＊_-—–~～\"'“”‘’"
_DROP = re.compile("[\\s\u3000\u00a0" + INVISIBLE + re.escape(FILLER) + "]+")
# text that fold only lower-cases: unified ideographs (no NFKC mapping) and ASCII letters/digits
PLAIN = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]*")   # text fold only lower-cases
_BRACKETS = str.maketrans({"【": "(", "】": ")", "〔": "(", "〕": ")", "[": "(", "]": ")", "{": "(", "}": ")"})


def fold(text: object) -> str:
    """A comparison key for a label: NFKC, no whitespace or filler punctuation, one bracket style."""
    if text is None:
        return ""
    s = str(text)
    if PLAIN.fullmatch(s):  # most names and labels: NFKC, translate and the filler regex change nothing
        return s.lower()
    s = unicodedata.normalize("NFKC", s).translate(_BRACKETS)
    return _DROP.sub("", s).lower()


def fold_unbracketed(text: object) -> str:
    """`fold` with every bracketed part removed: '建筑面积(平方米)' -> '建筑面积'."""
    s = fold(text)
    prev = None
    while prev != s:
        prev = s
        s = re.sub(r"\([^()]*\)", "", s)
    return s


_NO_INVISIBLE = str.maketrans("", "", INVISIBLE)
_ANY_SPACE = re.compile(r"\s+")       # after NFKC: the full-width space and NBSP are spaces too


def place_key(text: object) -> str:
    """A place as typed — a 所在县 cell, a 填报单位 line, a folder's name — as the one text every reader of places
    compares: NFKC (full-width letters and digits, compatibility ideographs), no zero-width or format character
    (a copy from a web page or Word), no whitespace of any kind (spaces, the full-width space, NBSP, line breaks:
    "忻州市 忻府区", "忻\u200b府区" and "忻府区\n" are 忻州市忻府区 and 忻府区). Brackets and other punctuation are
    kept (a place's words, 县（市、区）, are the callers' to read)."""
    if text is None:
        return ""
    s = str(text)
    if PLAIN.fullmatch(s):
        return s
    squeezed = _ANY_SPACE.sub("", unicodedata.normalize("NFKC", s).translate(_NO_INVISIBLE))
    return unicodedata.normalize("NFC", squeezed)    # a mark a dropped space stood before joins its letter (C¸)


def some_of(items: list[str], count_word: str, most: int = 6) -> str:
    """Names as a message lists them: the first `most` joined by 、, then how many in all ("甲、乙…等 8 户")."""
    return "、".join(items[:most]) + (f"等 {len(items)} {count_word}" if len(items) > most else "")
