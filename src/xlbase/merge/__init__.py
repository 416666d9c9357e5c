"""`xlbase merge`: many submissions in, one deduplicated 附件11 汇总表 out, nothing lost.

core.py   rows, dedupe rule, row accounting (pure, tested on hand-built tables)
level.py  county / city / province inference and units
"""

from __future__ import annotations

from .core import merge_reads

from .rows import MergeResult

__all__ = ["merge_reads", "MergeResult"]
