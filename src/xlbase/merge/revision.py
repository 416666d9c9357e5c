"""Which of two files of the same base is the resubmission: read from the file names clerks give.

A county that sends a corrected application names it “…申报表(修改).xlsx”, “…-修改版”,
“…0820”, “Re_…”, “…v2” or “…第二版”; a plain re-save is “…（1）” or “… - 副本”. The
merge keeps the revision, not whichever name happens to sort last (“(” and “-” sort
before “.”, ASCII before Chinese, so the sort order picked the original).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import PurePath

REVISION_WORDS = ("修改", "修订", "更正", "更新", "补正", "订正", "调整", "最终", "终稿", "终版", "定稿",
                  "正式版", "新版", "最新", "重报", "重新报送", "补报")
REPLY_PREFIXES = ("re_", "re-", "re：", "re:", "re ", "回复", "答复", "转发")
COPY_MARKS = re.compile(r"(?:[（(]\d{1,2}[)）]|副本|copy(?:\s*\(\d+\))?|\s-\s?副本)\s*$", re.I)
_CN_NUMBERS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_VERSION = re.compile(r"(?:v|ver|版本)\s*(\d{1,2})(?!\d)|第\s*([0-9一二两三四五六七八九十])\s*[版稿次]", re.I)
_MONTH_DAY = re.compile(r"(?<!\d)(?:(20\d\d)[.\-_年]?)?(0?[1-9]|1[0-2])[.\-_月]?([0-2]\d|3[01])日?(?!\d)")


@lru_cache(maxsize=4096)
def revision_rank(path: str) -> tuple[int, int, int, int]:
    """(marked as a revision, version number, month-day in the name, not a plain copy): larger is later.

    Compared only between files of one base: the marks say which of those came later.
    """
    stem = unicodedata.normalize("NFKC", PurePath(path).stem).strip().lower()
    revised = any(w in stem for w in REVISION_WORDS) or stem.startswith(REPLY_PREFIXES)
    version = 0
    for m in _VERSION.finditer(stem):
        n = m.group(1) or m.group(2)
        version = max(version, int(n) if n.isdigit() else _CN_NUMBERS.get(n, 0))
    day = 0
    for m in _MONTH_DAY.finditer(stem):
        year = int(m.group(1) or 0)
        day = max(day, year * 10_000 + int(m.group(2)) * 100 + int(m.group(3)))
    copy = bool(COPY_MARKS.search(stem))
    return (int(revised or version > 1), version, day, int(not copy))
