"""Zip members and XML parts of untrusted files, opened safely: inflated under a cap (declared sizes can
lie), XML refused when its prolog declares a DTD or entities (billion laughs, external entities).

The lowest piece of the OOXML layer: the reader's sniffer (read.sniff) and format readers, and the
package the marked copy patches (ooxml.package), all open members through these. The caps
themselves are the reader's Limits (read.limits), passed in.
"""

from __future__ import annotations

import zipfile
import zlib

MEMBER_CAP = 200 * 1024 * 1024     # bytes one member may inflate to, unless the caller says (read.limits' default)


class SniffError(Exception):
    """Base for safe-open errors; ``code`` is a key of read.sniff.MESSAGES (the Chinese message)."""

    code = "check-failed"


class ZipMemberTooLarge(SniffError):
    """A ZIP member decompressed (or declares) more than the allowed cap."""

    code = "zip-bomb"


class ZipMemberCorrupt(SniffError):
    """A ZIP member could not be decompressed (bad data, CRC, method)."""

    code = "corrupt-zip"


class XmlBombError(SniffError):
    """An XML part carries a DTD / entity declarations (never legitimate in OOXML)."""

    code = "xml-bomb"


ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
    RuntimeError,  # encrypted ZIP entries, closed file
    OverflowError,
    IndexError,
    KeyError,
)


def read_zip_member_capped(
    zf: zipfile.ZipFile, name: str | zipfile.ZipInfo, cap: int = MEMBER_CAP,
    *, chunk: int = 64 * 1024,
) -> bytes:
    """Decompress one member but never more than ``cap`` bytes.

    The declared size is checked first (cheap refusal), then the stream is read
    in chunks and counted, because a crafted ZIP can declare a small size and
    inflate to much more.  Raises :class:`ZipMemberTooLarge` past the cap and
    :class:`ZipMemberCorrupt` when the data cannot be decompressed.
    """
    try:
        info = name if isinstance(name, zipfile.ZipInfo) else zf.getinfo(name)
    except KeyError as exc:
        raise ZipMemberCorrupt(f"no member {name!r}") from exc
    if info.file_size > cap:
        raise ZipMemberTooLarge(f"{info.filename}: declares {info.file_size} bytes > cap {cap}")
    parts: list[bytes] = []
    total = 0
    try:
        with zf.open(info) as fh:
            while True:
                block = fh.read(chunk)
                if not block:
                    break
                total += len(block)
                if total > cap:
                    raise ZipMemberTooLarge(f"{info.filename}: more than cap {cap} bytes")
                parts.append(block)
    except SniffError:
        raise
    except ZIP_ERRORS as exc:
        raise ZipMemberCorrupt(f"{info.filename}: {exc}") from exc
    return b"".join(parts)


def check_xml_safe(data: bytes, *, truncated: bool = False) -> None:
    """Raise :class:`XmlBombError` if the XML prolog declares a DTD or entities.

    OOXML never legitimately contains ``<!DOCTYPE``/``<!ENTITY``; refusing them
    removes "billion laughs" and external-entity attacks at the root.  Only the
    prolog (before the root element) is examined, so passing the first
    ``Limits.xml_head_bytes`` of a part is enough.  With ``truncated=True``
    (``data`` is only the head of a longer part) a prolog that does not end
    within ``data`` is also refused: nothing legitimate needs 64 KB of prolog,
    and it could hide a DTD beyond the scanned head.
    """
    state = scan_prolog(ascii_view(data))
    if state == "dtd":
        raise XmlBombError("XML declares a DTD or entities")
    if state == "incomplete" and truncated:
        raise XmlBombError("XML prolog longer than the scanned head")


def ascii_view(data: bytes) -> str:
    """Markup characters are ASCII in UTF-8, GBK, UTF-16 and UTF-32 alike.

    Dropping NUL bytes turns UTF-16/32 markup into ASCII, and latin-1 decoding
    never fails, so one scan covers every encoding an XML part may use.
    """
    return data.replace(b"\x00", b"").decode("latin-1")


def scan_prolog(text: str) -> str:
    """Walk the prolog: 'root' (safe), 'dtd' (declaration seen) or 'incomplete'."""
    i = 0
    while True:
        j = text.find("<", i)
        if j < 0:
            return "incomplete"
        if j + 4 > len(text) and "<!--".startswith(text[j:]):
            return "incomplete"  # the text ends at '<', '<!' or '<!-': a comment or a DTD may follow
        if text.startswith("<?", j):
            end = text.find("?>", j + 2)
            if end < 0:
                return "incomplete"
            i = end + 2
        elif text.startswith("<!--", j):
            end = text.find("-->", j + 4)
            if end < 0:
                return "incomplete"
            i = end + 3
        elif len(text) - j < 9 and "<!DOCTYPE".startswith(text[j:]):
            return "incomplete"  # cut inside the keyword: a DOCTYPE or some other declaration
        elif text.startswith("<!DOCTYPE", j):
            doctype_end = _doctype_end(text, j + 9)
            if doctype_end is None:
                return "dtd"  # an internal subset ([...]) may declare entities: the only way to a bomb
            if doctype_end < 0:
                return "incomplete"
            i = doctype_end
        elif text.startswith("<!", j):
            return "dtd"  # <!ENTITY, <![CDATA[ -- none belongs in a prolog
        else:
            return "root"


def _doctype_end(text: str, i: int) -> int | None:
    """Where a DOCTYPE that only names an external DTD ends; None if it has an internal subset; -1 if cut off.

    LibreOffice writes `<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN"
    "module.dtd">` into the Basic macros of an .ods: harmless, since no parser here fetches
    an external DTD or expands an entity. Quoted identifiers may hold '>' and '['.
    """
    quote = ""
    for k in range(i, len(text)):
        ch = text[k]
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "[":
            return None
        elif ch == ">":
            return k + 1
    return -1
