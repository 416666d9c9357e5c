"""Resource limits for opening untrusted submissions, kept in one place.

Every input file comes from e-mail, so a file may be broken, disguised or
hostile.  These caps bound what one file can cost us (disk reads, memory,
decompression) *before* any reader touches it.  SECURITY.md quotes them; tests
build smaller ``Limits`` to exercise the checks cheaply.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..ooxml.zip import MEMBER_CAP

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Caps applied by :func:`xlbase.read.sniff.inspect_file`.

    Defaults are far above any genuine 双创基地 form (a county's workbook is
    typically well under 5 MB) yet low enough that a hostile file cannot
    exhaust memory or disk.
    """

    #: Largest file on disk we will open at all (bytes).  -> "too-large"
    max_file_bytes: int = 100 * MB
    #: Largest sum of *declared* uncompressed sizes of a ZIP's entries. -> "zip-bomb"
    max_total_uncompressed: int = 200 * MB
    #: Largest compression ratio (uncompressed / compressed) of one entry ...
    max_entry_ratio: float = 200.0
    #: ... enforced only for entries whose uncompressed size exceeds this: repetitive XML
    #: legitimately compresses very well (LibreOffice wrote a 17 MB content.xml at 213:1).
    #: Below it the absolute budgets bound a bomb: max_total_uncompressed declared, and
    #: max_member_bytes counted while inflating (declared sizes can lie).
    ratio_min_bytes: int = 64 * MB
    #: Most entries allowed in one ZIP container. -> "zip-bomb"
    max_entries: int = 10_000
    #: Largest single ZIP member a reader may decompress via
    #: ``read_zip_member_capped`` when it does not pass its own cap.
    max_member_bytes: int = MEMBER_CAP      # 200 MB (ooxml.zip's default cap)
    #: How much of the start of each XML part is scanned for a DTD.  A DTD
    #: must precede the root element, so the head is enough.  -> "xml-bomb"
    xml_head_bytes: int = 64 * 1024
    #: Largest ``[Content_Types].xml`` we parse (it is a few KB in practice).
    max_content_types_bytes: int = 1 * MB
    #: How much of the start of the file is used for text (CSV) detection.
    text_sniff_bytes: int = 64 * 1024
    #: Read size for hashing and streaming decompression.
    chunk_bytes: int = 1 * MB
    #: Largest used area (rows x columns, first to last filled cell) of one sheet that
    #: the reader will hold as a grid (~32 bytes a cell in calamine). -> "sheet-too-large"
    max_sheet_cells: int = 5_000_000
    #: Address space a reader process may take for one file, above what it held before it
    #: (Linux: RLIMIT_AS, set per file in each worker of read.isolation): `read_memory_per_byte`
    #: times the file's size, at least `read_memory_min_bytes`, at most `read_memory_bytes`.
    #: A file that needs more is refused -> "read-memory".  Reading a 100 KB county workbook
    #: of 1 200 firms takes ~5 MB; a 2 KB sheet with one stray value at XFD1048576 ~75 MB
    #: (openpyxl, then the table finder over a million rows); a 40 KB file asking for hundreds
    #: of MB is damaged or hostile, and costs the batch no more than the floor. A file read again
    #: by the fallback readers after its worker died gets twice as much.
    read_memory_bytes: int = 384 * MB
    read_memory_min_bytes: int = 96 * MB
    read_memory_per_byte: int = 256
    #: The reading process tree's memory: the command, its reader processes and LibreOffice, resident memory
    #: summed (a forked reader's pages shared with the command counted again: each starts at ~90 MB). Readers
    #: side by side share what is left of it, so a file's cap above is lowered to its reader's share (at least
    #: read_share_min_bytes); a file that needs more is read again alone at the end. On the 100-file fuzz
    #: batches two readers each reading a 1.4 MB mutant .xls at its 373 MB cap took the tree to 500 MB.
    read_tree_bytes: int = 480 * MB
    #: A reader side by side with others is given at least this much (honest county workbooks take ~5 MB,
    #: a sheet with one stray cell at XFD1048576 ~75 MB); by default no more readers are started than leave
    #: each this much: two beside a command of up to ~115 MB.
    read_share_min_bytes: int = 64 * MB
    #: Longest one file may take to read (wall clock, in its worker).  -> "read-timeout"
    read_seconds: float = 60.0
    #: LibreOffice headless, the last-resort reader (read.formats.libreoffice): its time limit and the
    #: address space of its process (it maps ~480 MB to convert a one-cell sheet; resident ~210 MB).
    #: 0 seconds turns it off.
    libreoffice_seconds: float = 30.0
    libreoffice_memory_bytes: int = 1024 * MB
    #: LibreOffice is not started now: the reader raises formats.LibreOfficeLater, and the isolated pool
    #: (read.isolation) converts such files after all others, alone (its ~210 MB beside the other readers
    #: took a batch's process tree past 500 MB).
    libreoffice_later: bool = False
    #: Count each OOXML sheet's filled area before calamine allocates it (sheet_xml.check_sheet_extents).
    #: A reader process whose memory is capped turns it off: an allocation that fails there
    #: kills only the worker, and the file is read again by openpyxl.
    scan_sheet_extents: bool = True


def _from_env(limits: Limits) -> Limits:
    """The per-file read limits, raised or lowered by the officer's environment.

    XLBASE_READ_MEMORY_MB and XLBASE_READ_SECONDS: an honest workbook too large for the
    defaults can still be read by raising them (SECURITY.md); tests lower them.
    XLBASE_LIBREOFFICE_SECONDS: LibreOffice's time limit, 0 to leave it out. The memory
    value is the cap for every file (floor and ceiling). A value that is no positive number
    is ignored.
    """
    import os
    from dataclasses import replace

    changes: dict[str, Any] = {}   # Limits fields of several types, by name
    for var, key, scale in (("XLBASE_READ_MEMORY_MB", "read_memory_bytes", MB), ("XLBASE_READ_SECONDS", "read_seconds", 1),
                            ("XLBASE_LIBREOFFICE_SECONDS", "libreoffice_seconds", 1)):
        try:
            value = float(os.environ.get(var, ""))
        except ValueError:
            continue
        if value > 0 or (value == 0 and key == "libreoffice_seconds"):   # 0 turns LibreOffice off
            changes[key] = int(value * scale) if scale != 1 else value
    if "read_memory_bytes" in changes:
        changes["read_memory_min_bytes"] = changes["read_memory_bytes"]
    return replace(limits, **changes) if changes else limits


def read_memory_for(limits: Limits, size: int, retry: bool = False) -> int:
    """The address space one file of `size` bytes may take in its reader process (twice that on a retry)."""
    budget = max(limits.read_memory_min_bytes, limits.read_memory_per_byte * size) * (2 if retry else 1)
    return min(limits.read_memory_bytes, budget)


#: The limits used when the caller passes none.
DEFAULT_LIMITS = _from_env(Limits())
