"""Fixtures the programme tests share."""

from __future__ import annotations

from pathlib import Path

import pytest

from typed_places_inbox import write_inbox


@pytest.fixture(scope="session")
def liaocheng_inbox(tmp_path_factory) -> Path:
    """A 聊城 inbox of filled templates, a folder per county (typed_places_inbox.LIAOCHENG); copy it before
    changing it."""
    root = tmp_path_factory.mktemp("liaocheng") / "收件"
    write_inbox(root, "liaocheng-2021")
    return root
