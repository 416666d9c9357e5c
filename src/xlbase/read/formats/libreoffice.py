"""The last-resort reader: LibreOffice headless converts what no Python reader opens, when it is installed.

LibreOffice imports formats no maintained Python library reads (OpenOffice.org 1.x .sxc, SYLK,
DIF, Lotus 1-2-3, Quattro Pro, Apple Numbers) and opens some workbooks the Python readers
refuse (a damaged .xls it can recover). The file is copied into a
private temporary folder with its own LibreOffice profile (runs in parallel never share one),
converted to .xlsx there and read by calamine like any workbook, so the input is never touched.

soffice.bin itself is run (not the `soffice` script, whose launcher would leave it behind when
killed): in its own process group, killed with the worker that started it (PR_SET_PDEATHSIG),
with an address-space cap of its own and a time limit. A start in a fresh profile ends with code 81
("restart", as LibreOffice's launcher knows) when the profile's user/extensions/buildid is not the
installation's: LibreOffice then rebuilds its extension cache, writes the id and asks to be started
again — ~1 s and a second start for every conversion. So the fresh profile gets the id first: read from
the installation's version file (versionrc, version.ini) or, where none is found, the one LibreOffice
wrote on its first restart in this process (`profile_seed`). A restart all the same starts it once more.

soffice.bin is ~210 MB resident: started beside the other reader processes it took a batch's
process tree past its 500 MB budget (two conversions at once, in two workers, with the command
and a third worker: 682 MB on the 24 external reproducers). So the isolated pool asks for it
later (`Limits.libreoffice_later`: `LibreOfficeLater` is raised instead), and converts those files
after every other file was read, in one reader process, one file at a time.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..grid import NotApplicable, Sheet, load_sheets
from ..limits import DEFAULT_LIMITS, Limits

#: the suffix LibreOffice's type detection expects for each kind the sniffer names
SUFFIX = {"xlsx": ".xlsx", "xlsm": ".xlsm", "xlsb": ".xlsb", "xls": ".xls", "biff": ".xls", "ods": ".ods",
          "fods": ".fods", "sxc": ".sxc", "slk": ".slk", "dif": ".dif", "wk1": ".wk1", "wk3": ".wk3",
          "qpw": ".qpw", "numbers": ".numbers"}
RESTART = 81   # LibreOffice's E_RESTART: the profile was just made, start again
#: where LibreOffice keeps, in a profile, the build id its extension cache was made for
BUILD_ID_FILE = ("user", "extensions", "buildid")
#: the installation's version file, relative to soffice.bin's folder: Linux, Windows, macOS (Contents/MacOS)
VERSION_FILES = ("versionrc", "version.ini", "../Resources/versionrc")
_learned_build_ids: dict[str, str] = {}   # soffice.bin -> the build id it wrote into a fresh profile


class LibreOfficeLater(Exception):
    """The file needs LibreOffice, and the caller runs it only once no other reader is at work."""


def soffice_binary() -> str | None:
    """soffice.bin beside the `soffice` found on PATH (or that program itself where there is no .bin)."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        return None
    real = Path(found).resolve()
    binary = real.with_name("soffice.bin")
    return str(binary if binary.exists() else real)


def read_libreoffice(path: str, kind: str, limits: Limits = DEFAULT_LIMITS) -> list[Sheet]:
    """The sheets of `path` as LibreOffice converts them to .xlsx; NotApplicable when it is not installed."""
    if limits.libreoffice_later and soffice_binary() is not None and limits.libreoffice_seconds:
        raise LibreOfficeLater(path)
    with as_xlsx(path, kind, limits) as target:
        return load_sheets(str(target), "xlsx", limits)


@contextlib.contextmanager
def as_xlsx(path: str | os.PathLike, kind: str, limits: Limits = DEFAULT_LIMITS) -> Iterator[Path]:
    """`path` converted by LibreOffice to an .xlsx in a private temporary folder, gone on exit (the input is
    only copied); NotApplicable when LibreOffice is not installed (or turned off), ValueError when it could not
    convert the file, TimeoutError past `Limits.libreoffice_seconds`."""
    exe = soffice_binary()
    if exe is None or not limits.libreoffice_seconds:
        raise NotApplicable("LibreOffice is not installed")
    with tempfile.TemporaryDirectory(prefix="xlbase-lo-") as tmp:
        work = Path(tmp)
        source = work / f"input{SUFFIX.get(kind, '')}"
        shutil.copyfile(path, source)
        out = work / "out"
        target = out / "input.xlsx"
        profile = work / "profile"
        seed_profile(profile, exe)
        for _ in range(2):
            code = _convert(exe, work, source, out, limits)
            if target.exists() or code != RESTART:
                break
            _learn(profile, exe)
        if not target.exists():
            raise ValueError(f"LibreOffice could not convert it (exit {code})")
        yield target


def installed_build_id(exe: str) -> str | None:
    """The build id in the installation's version file beside `exe` (`buildid=`), None when none is found."""
    for name in VERSION_FILES:
        try:
            text = (Path(exe).parent / name).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for line in text.splitlines():
            key, sep, value = line.partition("=")
            if sep and key.strip() == "buildid" and value.strip():
                return value.strip()
    return None


def profile_seed(exe: str) -> str | None:
    """The build id a fresh profile for `exe` gets, so that LibreOffice starts once: the one it wrote itself
    in this process, else its installation's."""
    return _learned_build_ids.get(exe) or installed_build_id(exe)


def seed_profile(profile: Path, exe: str) -> None:
    """Give a fresh LibreOffice profile folder the build id, so that its first start converts (no restart)."""
    build = profile_seed(exe)
    if build:
        target = profile.joinpath(*BUILD_ID_FILE)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(build, encoding="utf-8")


def _learn(profile: Path, exe: str) -> None:
    """After a restart: keep the build id LibreOffice wrote into the profile, for the next conversions."""
    try:
        build = profile.joinpath(*BUILD_ID_FILE).read_text(encoding="utf-8").splitlines()[0].strip()
    except (OSError, IndexError, UnicodeDecodeError):
        return
    if build:
        _learned_build_ids[exe] = build


def _convert(exe: str, work: Path, source: Path, out: Path, limits: Limits) -> int:
    cmd = [exe, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--invisible", "--norestore",
           "--nolockcheck", "--nodefault", "--nologo", "--convert-to", "xlsx:Calc MS Excel 2007 XML",
           "--outdir", str(out), str(source)]
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(work), "LANG": "C.UTF-8",
           "SAL_USE_VCLPLUGIN": "svp", "TMPDIR": str(work)}
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=env, cwd=work, preexec_fn=lambda: _child_limits(limits.libreoffice_memory_bytes))
    try:
        return proc.wait(timeout=limits.libreoffice_seconds)
    except subprocess.TimeoutExpired:
        raise TimeoutError(f"LibreOffice took more than {limits.libreoffice_seconds:g} s") from None
    finally:
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except OSError:
                pass
            proc.wait()


def _child_limits(memory: int) -> None:
    """In the child before exec: its own process group, its own memory cap, and death with its parent."""
    os.setpgid(0, 0)
    try:
        import resource
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = memory if hard == resource.RLIM_INFINITY else min(memory, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ImportError, OSError, ValueError):
        pass
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            ctypes.CDLL(None).prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
