"""LibreOffice is started once per conversion, not twice.

The bug (issue 18): every conversion ran in a fresh private profile, and LibreOffice's first start in a
profile whose user/extensions/buildid is not the installation's rebuilds its extension cache, writes the
id and exits 81 (restart) — so each file cost two starts, ~2 s. A stand-in `soffice` on PATH behaves as
LibreOffice does there (a profile without the installation's build id: write it, exit 81; else convert)
and logs every start; the test counts them.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest
from formats import write_xlsx

from xlbase.read.formats import libreoffice as lo

BUILD = "77(Build:3)"

FAKE_SOFFICE = r'''#!{python}
"""A stand-in soffice: logs each start; a profile without the build id gets it and exit 81, as LibreOffice."""
import shutil, sys
from pathlib import Path
from urllib.parse import unquote, urlparse
args = sys.argv[1:]
with open({log!r}, "a", encoding="utf-8") as fh:
    fh.write("start\n")
profile = Path(unquote(urlparse(next(a for a in args if a.startswith("-env:UserInstallation=")).split("=", 1)[1]).path))
build_id = profile / "user" / "extensions" / "buildid"
seen = build_id.read_text(encoding="utf-8").splitlines()[0] if build_id.exists() else None
if seen != {build!r}:
    build_id.parent.mkdir(parents=True, exist_ok=True)
    build_id.write_text({build!r}, encoding="utf-8")
    sys.exit(81)
out = Path(args[args.index("--outdir") + 1])
out.mkdir(parents=True, exist_ok=True)
source = Path(args[-1])
shutil.copyfile(source, out / (source.stem + ".xlsx"))
'''


def _fake_soffice(folder: Path, log: Path, version_file: bool) -> Path:
    folder.mkdir()
    exe = folder / "soffice"
    exe.write_text(FAKE_SOFFICE.format(python=sys.executable, log=str(log), build=BUILD), encoding="utf-8")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    if version_file:   # as LibreOffice's program/versionrc holds it
        (folder / "versionrc").write_text(f"[Version]\nAllLanguages=en-US\nbuildid={BUILD}\n", encoding="utf-8")
    return exe


@pytest.fixture
def starts(monkeypatch, tmp_path):
    """Install the stand-in on PATH; returns a function giving how many times it was started so far."""
    def install(version_file: bool):
        log = tmp_path / "starts.log"
        _fake_soffice(tmp_path / "bin", log, version_file)
        monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}")
        monkeypatch.setattr(lo, "_learned_build_ids", {})
        return lambda: len(log.read_text().splitlines()) if log.exists() else 0
    return install


def _books(folder: Path, n: int) -> list[Path]:
    folder.mkdir()
    return [write_xlsx(folder / f"表{i}.xlsx", [["名称", "数量"], [f"甲{i}", i]], []) for i in range(n)]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a shebang script stands in for soffice.bin")
def test_each_conversion_starts_libreoffice_once(starts, tmp_path):
    count = starts(version_file=True)
    assert lo.soffice_binary() == str(tmp_path / "bin" / "soffice")
    for i, book in enumerate(_books(tmp_path / "in", 3), start=1):
        sheets = lo.read_libreoffice(str(book), "xlsx")
        assert sheets[0].get(1, 0) == f"甲{i - 1}"   # the stand-in's output was read
        assert count() == i


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a shebang script stands in for soffice.bin")
def test_without_a_version_file_only_the_first_conversion_restarts(starts, tmp_path):
    """No version file beside the binary: the first start restarts, and its build id seeds the later ones."""
    count = starts(version_file=False)
    books = _books(tmp_path / "in", 3)
    lo.read_libreoffice(str(books[0]), "xlsx")
    assert count() == 2
    for book in books[1:]:
        lo.read_libreoffice(str(book), "xlsx")
    assert count() == 4


def test_the_build_id_is_read_from_the_installation(tmp_path):
    """LibreOffice's program/versionrc (Linux), version.ini (Windows); none found: None."""
    program = tmp_path / "program"
    program.mkdir()
    exe = program / "soffice.bin"
    assert lo.installed_build_id(str(exe)) is None
    (program / "version.ini").write_text("[Version]\r\nbuildidx=1\r\nbuildid=24.2(Build:5)\r\n", encoding="utf-8")
    assert lo.installed_build_id(str(exe)) == "24.2(Build:5)"
