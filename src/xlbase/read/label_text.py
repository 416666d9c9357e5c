"""What a header label's text says before any form is asked: its comparable part (`label_key`: folded, no
unit, no leading column number, no 其中), its head noun (Chinese compounds are head-final), whether it marks a
part (其中…), and a group glued on before a separator ("基础信息-基地")."""

from __future__ import annotations

import re
from functools import lru_cache

from ..text import fold
from .units import strip_unit

COUNT_WORDS = ("场次", "次数", "人次", "户数", "人数", "个数", "家数", "数量", "总数", "总额", "金额", "数", "额")


def without_count_word(k: str) -> str:
    """A label without its trailing counting words (活动场次 -> 活动, 活动场次人次 -> 活动), for where its head
    noun ends."""
    cut = True
    while cut:
        cut = False
        for w in COUNT_WORDS:
            if k.endswith(w) and len(k) > len(w):
                k, cut = k[: -len(w)], True
                break
    return k


# a column number typed before a label: "1.基地名称", "（2）运营单位", "三、营业收入"
_LEAD_ORDINAL = re.compile(r"^\s*(?:[(（]\s*[0-9一二三四五六七八九十]{1,3}\s*[)）]|[0-9一二三四五六七八九十]{1,3}\s*[.、．:：)）])\s*(?=\S)")


@lru_cache(maxsize=8192)
def label_key(text: str) -> str:
    """The comparable part of a header label: folded, its unit, a leading column number and 其中 removed."""
    text = _LEAD_ORDINAL.sub("", text) if text else text
    k = strip_unit(text) if text else ""
    return k[2:] if k.startswith("其中") and len(k) > 2 else k


def head_noun(bare: str) -> str:
    """The head noun of a label (Chinese compounds are head-final): its last two characters once its
    counting words are set aside (惠及企业数 -> 企业, 占用土地 -> 土地, 专利数 -> 专利); "" for a label
    of counting words only (金额, 数量), which names no thing, and for one without Chinese (USCC)."""
    if any(bare == w or (bare.endswith(w) and bare[: -len(w)] in COUNT_WORDS) for w in COUNT_WORDS):
        return ""
    if not HAN.search(bare):
        return ""       # an abbreviation (USCC, Rev, QYMC): no Chinese head noun to read, known by place and values
    return without_count_word(bare)[-2:]


HAN = re.compile(r"[\u4e00-\u9fff]")


def marks_part(text: str) -> bool:
    """The text opens with 其中 (a leading ordinal aside): what follows is a part of what stands before it."""
    return bool(text) and fold(_LEAD_ORDINAL.sub("", text)).startswith("其中")


SEPARATORS = re.compile(r"\s*[-—–_:：|/·]+\s*")


def glued_parts(text: str) -> tuple[str, str]:
    """("基础信息", "基地") for "基础信息-基地": the text before its first separator and the rest, each
    stripped; ("", text) when there is no separator between two non-empty parts."""
    parts = SEPARATORS.split(text.strip(), maxsplit=1)
    if len(parts) == 2 and parts[0].strip() and parts[1].strip():
        return parts[0].strip(), parts[1].strip()
    return "", text
