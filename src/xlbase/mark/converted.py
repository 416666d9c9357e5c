"""A workbook mark cannot patch in place of its own format (.xls from WPS or Excel 97-2003, .ods, .xlsb, an
Excel 2003 XML sheet) is marked on the .xlsx LibreOffice converts it to: the marked copy is NAME.校验.xlsx, the
input is only copied. The cells keep their sheets and addresses in the conversion, so each problem lands
where the reader found it. Text formats (CSV, an HTML table saved as .xls) are not converted: their cells are
placed by our reader, not by LibreOffice's, and a copy could put a mark on the wrong cell.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Iterable

from ..problems import Problem
from ..read.formats.libreoffice import as_xlsx
from ..read.grid import NotApplicable
from ..read.sniff import KINDS, inspect_file
from .copy import MarkResult, default_output, mark_workbook

#: kinds whose cells LibreOffice converts where our reader reads them
CONVERTIBLE = frozenset({"xls", "biff", "xlsb", "ods", "fods", "xml2003"})


class NotMarkable(Exception):
    """The file cannot be marked here; the message (Chinese) says why and what the clerk can do."""


def kind_of(src: Path) -> str | None:
    """The workbook format the file's bytes say (read.sniff), None when it is none."""
    sniffed = inspect_file(src)
    return sniffed.kind if sniffed.ok else None


def mark_converted(src: Path, kind: str, problems: list[Problem], out: Path | None = None, *, rule_pack: str = "",
                   when: datetime | None = None, elsewhere: Iterable[Problem] = ()) -> MarkResult:
    """mark_workbook on LibreOffice's .xlsx of `src` (a CONVERTIBLE kind), written to `out` (default
    NAME.校验.xlsx beside `src`). NotMarkable when the kind is not convertible or LibreOffice cannot do it."""
    name = KINDS.get(kind, kind)
    if kind not in CONVERTIBLE:
        raise NotMarkable(f"“{src.name}”是{name}，无法标注；请用 Excel 或 WPS 另存为 .xlsx 后再运行 xlbase mark。")
    target = Path(out) if out is not None else default_output(src)
    try:
        with as_xlsx(src, kind) as xlsx:
            return mark_workbook(xlsx, problems, target, rule_pack=rule_pack, when=when, elsewhere=elsewhere)
    except NotApplicable:
        raise NotMarkable(f"“{src.name}”是{name}，需要 LibreOffice 转换为 .xlsx 后才能标注，本机没有安装 LibreOffice；"
                          "请用 Excel 或 WPS 另存为 .xlsx 后再运行 xlbase mark。") from None
    except (ValueError, TimeoutError, OSError) as exc:
        raise NotMarkable(f"“{src.name}”是{name}，LibreOffice 未能把它转换为 .xlsx（{exc}），无法标注；"
                          "请用 Excel 或 WPS 另存为 .xlsx 后再运行 xlbase mark。") from None
