"""Shared test helpers: LibreOffice availability and the repo's paths."""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import sys

import pytest
from hypothesis import settings
from openpyxl.utils import get_column_letter

from xlbase.read.formats.libreoffice import seed_profile, soffice_binary

# Hypothesis's default 200 ms deadline per example is a timing assertion: on a shared, loaded machine it
# fails property tests whose code is right (seen: test_column_matches_cell_by_cell failed once, then passed
# on replay). Timings belong in bench/; examples may take what they take.
settings.register_profile("xlbase", deadline=None)
settings.load_profile("xlbase")

REPO = Path(__file__).resolve().parents[1]


def pytest_configure(config: pytest.Config) -> None:
    """Byte-compile xlbase before the tests start, as `pip install` leaves it: the tests start `python -m
    xlbase` hundreds of times, and where nothing writes __pycache__ (a fresh clone run with
    PYTHONDONTWRITEBYTECODE=1, PYTHONPATH=src) each of them compiled every module from source again
    (~0.3 s of CPU a start). Only what is older than its source is compiled; a folder we may not write keeps
    what it has."""
    import compileall

    import xlbase
    for folder in xlbase.__path__:
        compileall.compile_dir(folder, quiet=2)
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


#: LibreOffice's setting that recalculates every formula of an .xlsx/.xls on load (0: always), instead of
#: trusting the results the writer cached (xlsxwriter caches the value we give, not one computed)
_RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""


def soffice_convert(src: Path, fmt: str, outdir: Path, timeout: int = 180, *, recalc: bool = False) -> Path:
    """Convert a file with LibreOffice headless, in a private profile (parallel-safe).

    recalc: recalculate every formula on load (else LibreOffice keeps the results cached in the file and
    computes only the formulas saved without one, as openpyxl saves them)."""
    return soffice_convert_all([src], fmt, outdir, timeout, recalc=recalc)[0]


def soffice_convert_all(srcs: list[Path], fmt: str, outdir: Path, timeout: int = 180, *,
                        recalc: bool = False) -> list[Path]:
    """`soffice_convert` of several files in one LibreOffice run (one start-up instead of one a file).

    What LibreOffice made of a file is kept for the test session in the folder the xdist workers share
    (made_once.ROOT), by the file's name and bytes, the format and `recalc`: a workbook another test (of any
    file, on any worker) already converted the same way is copied from there, not converted again — several
    test files print or recalculate the same generated template."""
    targets = _distinct_targets(srcs, outdir, fmt.split(":")[0])
    cache = _converted_cache()
    keys = [hashlib.sha256(b"\0".join([src.name.encode("utf-8"), fmt.encode(), b"%d" % recalc, src.read_bytes()]))
            .hexdigest()[:32] for src in srcs]
    todo = [i for i, key in enumerate(keys) if cache is None or not (cache / key).is_file()]
    if todo:
        for folder in dict.fromkeys(targets[i].parent for i in todo):
            _soffice_run([srcs[i] for i in todo if targets[i].parent == folder], fmt, folder, timeout, recalc=recalc)
        for i in todo:
            assert targets[i].exists(), f"soffice wrote no {targets[i].name}"
            if cache is not None:       # atomic: another worker may store the same key at once
                part = cache / f".{keys[i]}.{uuid.uuid4().hex}"
                shutil.copyfile(targets[i], part)
                os.replace(part, cache / keys[i])
    for i, key in enumerate(keys):
        if i not in todo and cache is not None:
            targets[i].parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(cache / key, targets[i])
    return targets


def _distinct_targets(srcs: list[Path], outdir: Path, ext: str) -> list[Path]:
    """Where LibreOffice writes each file's conversion: `outdir`/NAME.ext, or a subfolder of it for a file named
    as an earlier one of the batch. Two sources of one name (双创基地申报表.xlsx of two programmes) in one run
    wrote one file: the second overwrote the first, and the conversion cache then kept the second under the
    first's key — a blank form printed with another rule pack's 填表说明."""
    out, taken = [], set()
    for src in srcs:
        n, folder = 0, outdir
        while (folder / (src.stem + "." + ext)) in taken:
            n += 1
            folder = outdir / f"same-name-{n}"
        taken.add(folder / (src.stem + "." + ext))
        out.append(folder / (src.stem + "." + ext))
    return out


#: recalc -> a profile folder LibreOffice set up on its first start in this process (the user settings of
#: _RECALC_ALWAYS kept where recalc), copied for each later run: each run still has a profile of its own
_STARTED_PROFILES: dict[bool, Path] = {}


def _converted_cache() -> Path | None:
    """Where soffice_convert_all keeps what it converted this session (None outside a session)."""
    import made_once
    if made_once.ROOT is None:
        return None
    folder = made_once.ROOT / "converted"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _soffice_run(srcs: list[Path], fmt: str, outdir: Path, timeout: int, *, recalc: bool) -> None:
    exe = require_soffice()
    profile = Path("/tmp") / f"xlbase_lo_{uuid.uuid4().hex}"
    started = _STARTED_PROFILES.get(recalc)
    if started is not None:     # a copy of a profile LibreOffice has set up: ~1 s less a start than a new one
        shutil.copytree(started, profile, symlinks=True)
    else:
        binary = soffice_binary()
        if binary:   # no restart (the launcher starts soffice.bin again when a fresh profile lacks the build id)
            seed_profile(profile, binary)
        if recalc:
            (profile / "user").mkdir(parents=True, exist_ok=True)
            (profile / "user" / "registrymodifications.xcu").write_text(_RECALC_ALWAYS, encoding="utf-8")
    cmd = [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
           "--convert-to", fmt, "--outdir", str(outdir), *map(str, srcs)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        if proc.returncode == 0 and started is None:    # kept (as it was after this first start) for the next runs
            keep = Path("/tmp") / f"xlbase_lo_started_{uuid.uuid4().hex}"
            shutil.copytree(profile, keep, symlinks=True)
            _STARTED_PROFILES[recalc] = keep
            atexit.register(shutil.rmtree, keep, ignore_errors=True)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    targets = [outdir / (src.stem + "." + fmt.split(":")[0]) for src in srcs]
    assert proc.returncode == 0 and all(t.exists() for t in targets), f"soffice failed: {proc.stdout}\n{proc.stderr}"


@pytest.fixture
def soffice() -> str:
    return require_soffice()


@pytest.fixture(scope="session", autouse=True)
def shared_folder(tmp_path_factory) -> Path:
    """A folder all xdist workers of this session see (the parent of their own popen-gwN folders; the
    session's own folder without xdist), where made_once keeps what a slow command made once."""
    import made_once
    base = tmp_path_factory.getbasetemp()
    made_once.ROOT = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "made_once"
    return made_once.ROOT


@pytest.fixture(scope="session")
def generated_counties(tmp_path_factory, shared_folder) -> Path:
    """samples/generate.py's county inbox without its .xls (GEN.generate(with_xls=False)), written once a
    session, shared by the xdist workers (made_once): it takes 10-16 s (36-45 s a worker at load 3) and nine
    modules wrote it each. Never changed in place: a module copies it (shutil.copytree) into its own folder,
    then adds, edits or merges there."""
    from made_once import made_once
    from sample_generator import GEN
    return made_once("generated_counties", lambda folder: GEN.generate(folder, with_xls=False),
                     tmp_path_factory.mktemp("generated") / "counties")


@pytest.fixture(scope="session")
def liaocheng_inbox(tmp_path_factory, shared_folder) -> Path:
    """A 聊城 inbox of filled templates, a folder per county (tests/fixtures/typed_places_inbox.py), written
    once a session for all xdist workers (made_once); copy it before changing it."""
    from made_once import made_once
    from typed_places_inbox import write_inbox
    return made_once("liaocheng_inbox", lambda folder: write_inbox(folder, "liaocheng-2021"),
                     tmp_path_factory.mktemp("liaocheng") / "收件")


@pytest.fixture(scope="session")
def programme_templates(tmp_path_factory) -> Path:
    """Every generic programme's templates, written once a session (tests/fixtures/every_template.py)."""
    from every_template import write_programme_templates
    return write_programme_templates(tmp_path_factory.mktemp("programme_templates"))


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


#: what an error result looks like once saved (LibreOffice saves its Err:5xx as one of Excel's)
FORMULA_ERRORS = ("#NAME?", "#VALUE!", "#REF!", "#DIV/0!", "#N/A", "#NUM!", "#NULL!", "Err:")


def formula_errors(recalculated: Path, source: Path) -> list[str]:
    """'sheet!cell: value' for every formula cell of `source` whose result in `recalculated` is an error."""
    from saved_values import sheet_formulas, sheet_names, texts_starting
    out = []
    for sheet in sheet_names(source):
        found = texts_starting(recalculated, sheet, FORMULA_ERRORS)
        if found:       # which of them are formulas (a clerk may type "#N/A")
            formulas = sheet_formulas(source, sheet, keep=False)
            out += [f"{sheet}!{get_column_letter(c)}{r}: {v}" for (r, c), v in sorted(found.items())
                    if (r, c) in formulas]
    return out


@pytest.fixture(scope="session")
def box_per_pt(tmp_path_factory) -> float:
    """Word-box height per point of type, in the font LibreOffice prints our Chinese with: a sheet of
    10 pt text printed at 100 % (the CJK fallback font's ascent and descent, about 1.1)."""
    import xlsxwriter
    from pdf_pages import words
    from xlbase.templates.styles import FONT
    d = tmp_path_factory.mktemp("calibrate")
    wb = xlsxwriter.Workbook(str(d / "pt.xlsx"))
    ws = wb.add_worksheet()
    ws.set_paper(9)
    ws.write_string(0, 0, "校准文字2024", wb.add_format({"font_name": FONT, "font_size": CALIBRATION_PT}))
    wb.close()
    found = words(soffice_convert(d / "pt.xlsx", "pdf", d), 1)
    assert len(found) == 1, found
    return (found[0][3] - found[0][1]) / CALIBRATION_PT


CALIBRATION_PT = 10
