"""Open a file as the format the sniffer found in it, trying the next well-kept reader before calling it damaged.

Each kind has a chain of readers, fastest first. calamine reads what it can (several times
faster than the others); when it raises, panics, or would hold a sheet too large as a dense
grid, the next reader of that format tries: openpyxl (and a Strict-to-transitional rename) for
OOXML, xlrd for BIFF (also Excel 2.x-4.0, which calamine does not read), pyxlsb for .xlsb,
odfpy for OpenDocument. LibreOffice headless, when installed, reads the formats only it reads
(.sxc, SYLK, DIF, Lotus, Quattro Pro, Numbers) and comes after xlrd for Excel 2.x-4.0; it is not
the fallback of a damaged .xlsx/.xls/.xlsb/.ods: on a fuzzed batch that made the process tree of a
100-file merge peak at ~700 MB (against the 500 MB budget) and ten times slower, to recover sheets
that came out empty. Text formats have one reader
each. Only a file no reader opens is damaged. `fast=False` leaves calamine out: the isolated pool asks for that after calamine
killed its worker process (an abort no `except` catches).

    >>> book = load_book(path, "xls")
    >>> book.reader, book.failed      # ('xlrd', [('calamine', '文字编码无法识别')])
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..grid import NotApplicable, Sheet, SheetTooLarge, load_sheets
from ..limits import DEFAULT_LIMITS, Limits
from ..sniff import SniffError
from .html import read_html
from .legacy import read_xlrd
from .libreoffice import LibreOfficeLater, read_libreoffice
from .ods import read_fods, read_fods_odfpy, read_odfpy
from .ooxml import read_beta, read_openpyxl, read_strict
from .reasons import failure_reason
from .text import read_text
from .xlsb import read_beta_xlsb, read_pyxlsb
from .xml2003 import read_xml2003

Reader = Callable[[str, str, Limits], list[Sheet]]


@dataclass(frozen=True)
class Step:
    name: str          # as an info names it
    read: Reader
    fast: bool = False  # left out when the caller asks for the fallback readers only


CALAMINE = Step("calamine", load_sheets, fast=True)
LIBREOFFICE = Step("LibreOffice", read_libreoffice)
OOXML_FALLBACKS = (Step("Strict OOXML 转换", read_strict), Step("Excel 2007 测试版转换", read_beta),
                   Step("openpyxl", read_openpyxl))
CHAINS: dict[str, tuple[Step, ...]] = {
    "xlsx": (CALAMINE, *OOXML_FALLBACKS),
    "xlsm": (CALAMINE, *OOXML_FALLBACKS),
    "xlsb": (CALAMINE, Step("Excel 2007 测试版转换", read_beta_xlsb), Step("pyxlsb", read_pyxlsb)),
    "xls": (CALAMINE, Step("xlrd", read_xlrd)),
    "biff": (Step("xlrd", read_xlrd), LIBREOFFICE),
    "ods": (CALAMINE, Step("odfpy", read_odfpy)),
    "fods": (Step("calamine", read_fods, fast=True), Step("odfpy", read_fods_odfpy)),
    "html": (Step("lxml", read_html),),
    "mhtml": (Step("lxml", read_html),),
    "csv": (Step("csv", read_text),),
    "xml2003": (Step("lxml", read_xml2003),),
    # formats only LibreOffice reads (sniff.FOREIGN_KINDS): named and refused where it is not installed
    **{kind: (LIBREOFFICE,) for kind in ("sxc", "slk", "dif", "wk1", "wk3", "qpw", "numbers")},
}


@dataclass
class Book:
    sheets: list[Sheet]
    reader: str                                                  # the reader that opened it
    failed: list[tuple[str, str]] = field(default_factory=list)  # (reader, why) of those tried before


class Unreadable(Exception):
    """No reader of the file's format could open it; `too_large` when one refused only for the grid's size."""

    def __init__(self, failed: list[tuple[str, str]], too_large: SheetTooLarge | None) -> None:
        super().__init__("; ".join(f"{name}: {why}" for name, why in failed))
        self.failed, self.too_large = failed, too_large


def load_book(path: str, kind: str, *, fast: bool = True, limits: Limits = DEFAULT_LIMITS) -> Book:
    """The sheets of `path` read as `kind`; raises Unreadable when every reader failed, SniffError
    when a capped read found a bomb, MemoryError when one ran out of memory, LibreOfficeLater when
    LibreOffice is next and `limits.libreoffice_later` (the isolated pool converts the file later)."""
    failed: list[tuple[str, str]] = []
    too_large: SheetTooLarge | None = None
    for step in CHAINS[kind]:
        if step.fast and not fast:
            failed.append((step.name, "此前读取时异常终止"))
            continue
        try:
            return Book(step.read(path, kind, limits), step.name, failed)
        except (SniffError, MemoryError, LibreOfficeLater):
            raise
        except NotApplicable:
            continue
        except SheetTooLarge as exc:
            too_large = too_large or exc
            failed.append((step.name, f"工作表已用区域过大（约 {exc.cells:,} 个单元格）"))
        except BaseException as exc:   # pyo3's PanicException is a BaseException
            if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit)):
                raise
            failed.append((step.name, failure_reason(exc, step.name)))   # Chinese: the library's text is no reason
    raise Unreadable(failed, too_large)
