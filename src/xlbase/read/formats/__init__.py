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
each. Only a file no reader opens is damaged. `start=n` begins at the chain's n-th reader: the isolated pool
asks for the one after a reader that killed its worker process (an abort no `except` catches), so a
native crash of any reader, not only calamine's, still leaves the others theirs.

    >>> book = load_book(path, "xls")
    >>> book.reader, book.failed      # ('xlrd', [('calamine', '文字编码无法识别')])
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..grid import NotApplicable, Sheet, load_sheets
from ..sheet_xml import SheetTooLarge
from ..limits import DEFAULT_LIMITS, Limits
from ..sniff import SniffError
from .html import read_html
from .legacy import read_xlrd
from .libreoffice import LibreOfficeLater, read_libreoffice
from .ods import read_fods, read_fods_odfpy, read_odfpy
from .ooxml import read_beta, read_openpyxl, read_strict
from .reasons import failure_reason
from .text import read_text
from .xlsb import read_beta_xlsb, read_calamine_xlsb, read_pyxlsb
from .xml2003 import read_xml2003

Reader = Callable[[str, str, Limits], list[Sheet]]
#: the reader's crash killed the process on an earlier attempt (the isolated pool read the file again)
CRASHED_BEFORE = "此前读取时异常终止"


@dataclass(frozen=True)
class Step:
    name: str          # as an info names it
    read: Reader


CALAMINE = Step("calamine", load_sheets)
LIBREOFFICE = Step("LibreOffice", read_libreoffice)
OOXML_FALLBACKS = (Step("Strict OOXML 转换", read_strict), Step("Excel 2007 测试版转换", read_beta),
                   Step("openpyxl", read_openpyxl))
CHAINS: dict[str, tuple[Step, ...]] = {
    "xlsx": (CALAMINE, *OOXML_FALLBACKS),
    "xlsm": (CALAMINE, *OOXML_FALLBACKS),
    "xlsb": (Step("calamine", read_calamine_xlsb), Step("Excel 2007 测试版转换", read_beta_xlsb),
             Step("pyxlsb", read_pyxlsb)),
    "xls": (CALAMINE, Step("xlrd", read_xlrd)),
    "biff": (Step("xlrd", read_xlrd), LIBREOFFICE),
    "ods": (CALAMINE, Step("odfpy", read_odfpy)),
    "fods": (Step("calamine", read_fods), Step("odfpy", read_fods_odfpy)),
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


def load_book(path: str, kind: str, *, start: int = 0, limits: Limits = DEFAULT_LIMITS,
              on_step: Callable[[int], None] | None = None) -> Book:
    """The sheets of `path` read as `kind`, from the chain's `start`-th reader on (those before it crashed on
    an earlier attempt); raises Unreadable when every reader failed, SniffError when a capped read found a
    bomb, MemoryError when one ran out of memory, LibreOfficeLater when LibreOffice is next and
    `limits.libreoffice_later` (the isolated pool converts the file later). `on_step(i)` before the i-th
    reader runs and `on_step(-1)` after the last: a process that dies in between says which one killed it."""
    failed: list[tuple[str, str]] = []
    too_large: SheetTooLarge | None = None
    say = on_step or (lambda i: None)
    try:
        for i, step in enumerate(CHAINS[kind]):
            if i < start:
                failed.append((step.name, CRASHED_BEFORE))
                continue
            say(i)
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
    finally:
        say(-1)
    raise Unreadable(failed, too_large)
