"""Shared test helpers: LibreOffice availability and the repo's paths."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import sys

import pytest

REPO = Path(__file__).resolve().parents[1]
# Fixture generators (code that writes test workbooks) live in tests/fixtures/.
sys.path.insert(0, str(REPO / "tests" / "fixtures"))

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
INSTALL_HINT = "LibreOffice 未安装：sudo apt-get install libreoffice-calc (Debian/Ubuntu) 或从 libreoffice.org 安装"


def require_soffice() -> str:
    """Return the soffice path; skip (or fail in CI, where it must be present) without it."""
    if SOFFICE:
        return SOFFICE
    if os.environ.get("XLBASE_REQUIRE_LIBREOFFICE"):
        pytest.fail("LibreOffice is required in CI but soffice was not found")
    pytest.skip(INSTALL_HINT)


def soffice_convert(src: Path, fmt: str, outdir: Path, timeout: int = 180) -> Path:
    """Convert a file with LibreOffice headless, in a private profile (parallel-safe)."""
    exe = require_soffice()
    profile = Path("/tmp") / f"xlbase_lo_{uuid.uuid4().hex}"
    cmd = [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
           "--convert-to", fmt, "--outdir", str(outdir), str(src)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    target = outdir / (src.stem + "." + fmt.split(":")[0])
    assert proc.returncode == 0 and target.exists(), f"soffice failed: {proc.stdout}\n{proc.stderr}"
    return target


@pytest.fixture
def soffice() -> str:
    return require_soffice()
