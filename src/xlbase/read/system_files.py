"""Files no clerk sends, skipped without a word wherever they are found: in an inbox folder (read.files) and
inside a county's .zip (read.archive)."""

from __future__ import annotations

#: files no clerk sends: Windows thumbnails and folder settings (Thumbs.db, desktop.ini), macOS
#: folder metadata; Office/WPS lock files (~$x.xlsx) and every hidden file (.DS_Store, ._x AppleDouble
#: twins, LibreOffice's .~lock.x#, a killed run's .x.xlsx.tmp) are matched by their first characters
SYSTEM_FILES = frozenset({"thumbs.db", "ehthumbs.db", "desktop.ini", "icon\r"})


def is_system_file(name: str) -> bool:
    """A lock, thumbnail, folder-settings or hidden file: skipped silently wherever it is found."""
    return name.startswith(("~$", ".")) or name.lower() in SYSTEM_FILES
