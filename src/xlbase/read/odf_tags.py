"""The tags and attributes of an OpenDocument spreadsheet's content.xml, as the streamed scans read them.

The sniffer (read.sniff: the size a sheet asks for, before any reader opens it) and the merged ranges calamine
does not report (read.ods_merges) scan the same bytes with the same regular expressions: they live here, once.
"""

from __future__ import annotations

import re

#: a start tag's attributes: values may hold '>', never '<'
ATTRS = rb"""((?:[^>"']|"[^"]*"|'[^']*')*)"""
ROWS_REPEATED = re.compile(rb"""number-rows-repeated\s*=\s*["']\s*(\d+)""")
COLS_REPEATED = re.compile(rb"""number-columns-repeated\s*=\s*["']\s*(\d+)""")


def tag_pattern(*names: str) -> re.Pattern[bytes]:
    """A start or end tag of any of `names` in any namespace prefix: groups (the '/' of an end tag, the name,
    the attributes)."""
    alternatives = "|".join(names).encode()       # plain tag names: letters and hyphens
    return re.compile(rb"<(/?)(?:[\w.-]+:)?(" + alternatives + rb")(?=[\s/>])" + ATTRS + rb">")
