"""Resource limits for opening untrusted submissions, kept in one place.

Every input file comes from e-mail, so a file may be broken, disguised or
hostile.  These caps bound what one file can cost us (disk reads, memory,
decompression) *before* any reader touches it.  SECURITY.md quotes them; tests
build smaller ``Limits`` to exercise the checks cheaply.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    #: ... enforced only for entries whose uncompressed size exceeds this,
    #: because tiny, highly repetitive XML legitimately compresses very well.
    ratio_min_bytes: int = 10 * MB
    #: Most entries allowed in one ZIP container. -> "zip-bomb"
    max_entries: int = 10_000
    #: Largest single ZIP member a reader may decompress via
    #: ``read_zip_member_capped`` when it does not pass its own cap.
    max_member_bytes: int = 200 * MB
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


#: The limits used when the caller passes none.
DEFAULT_LIMITS = Limits()
