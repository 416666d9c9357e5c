"""Shared test helpers: LibreOffice availability and the repo's paths."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import sys

import pytest
from hypothesis import settings

# Hypothesis's default 200 ms deadline per example is a timing assertion: on a shared, loaded machine it
# fails property tests whose code is right (seen: test_column_matches_cell_by_cell failed once, then passed
# on replay). Timings belong in bench/; examples may take what they take.
settings.register_profile("xlbase", deadline=None)
settings.load_profile("xlbase")

REPO = Path(__file__).resolve().parents[1]
# Fixture generators (code that writes test workbooks) live in tests/fixtures/.
sys.path.insert(0, str(REPO / "tests" / "fixtures"))

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
INSTALL_HINT = "LibreOffice 未安装：sudo apt-get install libreoffice-calc (Debian/Ubuntu) 或从 libreoffice.org 安装"


_RUNNING: pytest.Item | None = None      # the test being set up, run or torn down


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    global _RUNNING
    _RUNNING = item


def require_soffice() -> str:
    """Return the soffice path; skip (or fail in CI, where it must be present) without it.

    Every way a test reaches LibreOffice comes here, so a test that does and is not marked
    `libreoffice` (`-m "not libreoffice"` would run it and then need soffice) fails.
    """
    if _RUNNING is not None and _RUNNING.get_closest_marker("libreoffice") is None:
        pytest.fail(f"{_RUNNING.nodeid} runs LibreOffice: mark it @pytest.mark.libreoffice")
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


def require_cjk_font() -> None:
    """Skip (fail in CI) without a Chinese font: LibreOffice would print boxes, and sizes mean nothing."""
    try:
        out = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        out = ""
    if out.strip():
        return
    if os.environ.get("XLBASE_REQUIRE_LIBREOFFICE"):
        pytest.fail("CI needs a CJK font to print Chinese: apt-get install fonts-wqy-microhei")
    pytest.skip("没有中文字体，LibreOffice 打印中文为方框：apt-get install fonts-wqy-microhei")


def number_heights(pdf: Path, page: int) -> list[float]:
    """Heights (pt) of the boxes of the numbers printed on a PDF page (pdftotext -bbox): the type size."""
    import re
    box = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    return [float(y1) - float(y0) for y0, y1 in
            re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">[0-9.\-]+</word>', box)]
