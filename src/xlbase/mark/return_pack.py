"""The return pack: for every unit with something to fix, a folder ready to e-mail back.

`DIR/<unit>/` holds a marked copy of each file the unit sent (as `xlbase mark` writes it:
problem cells filled by severity, a 校验结果 sheet; the originals are never touched) and
`问题清单_<unit>.xlsx`, the unit's own problems, printable, headed by what to correct and how to
resubmit. Units with no error or warning get no folder. The whole pack is built in a temporary
folder beside DIR and swapped in, so a re-run after corrections replaces it at once (a unit that
has fixed everything loses its folder) and a failure leaves the old pack as it was.

A folder that is not a pack xlbase wrote is never replaced, and the pack may not sit inside an
inbox (the next merge would read the marked copies as submissions).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any, Iterable

import xlsxwriter

from ..forms.programmes import DEFAULT_NOUN
from ..merge.places import UNKNOWN_UNIT
from ..merge.rows import MergeResult, place_order
from ..merge.level import UNIT_NOT_REPORTED, file_units, level_city
from ..problems import ERROR, WARNING, Problem, count_by_severity, sort_problems
from ..read import archive
from ..read.sniff import SniffError
from .converted import CONVERTIBLE, NotMarkable, kind_of, mark_converted
from .copy import MARK_SUFFIX, mark_workbook
from ..ooxml.package import PackageError
from ..reports.problems import add_problems_sheet, pack_label, report_line
from ..safe_output import OutputPathError

MARKER = ".xlbase-return-pack"          # in every pack: what may be replaced
MARKABLE = (".xlsx", ".xlsm")
NOT_SENT = ("missing", "skipped", "not-spreadsheet", "archive")   # no file of the unit's to send back
LIST_PREFIX = "问题清单_"


@dataclass
class UnitPack:
    unit: str
    folder: str
    problems: list[Problem]
    marked: list[str] = field(default_factory=list)     # file names written marked
    copied: list[str] = field(default_factory=list)     # sent back as they came (.xls, unreadable)


def check_return_dir(out_dir: Path, inputs: Iterable[Path]) -> None:
    """Refuse a pack folder inside an input folder or holding an input, or a folder that is not ours."""
    out = Path(out_dir).resolve()
    for p in inputs:
        q = Path(p).resolve()
        if q == out or out in q.parents:
            raise OutputPathError(f"退回材料文件夹 {out_dir} 中有输入文件（{p}）；重新生成会替换整个文件夹，"
                                  "请换一个文件夹")
        folder = q if q.is_dir() else q.parent
        if folder == out or folder in out.parents:
            raise OutputPathError(f"退回材料文件夹 {out_dir} 在收件文件夹 {folder} 中；下次汇总会把标注副本当作"
                                  "报送材料读入，请放到收件文件夹之外")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise OutputPathError(f"文件夹 {out_dir} 已有其他内容，不是 xlbase 生成的退回材料；为免误删，"
                              "请指定一个新文件夹或空文件夹")


def folder_name(unit: str) -> str:
    """A unit's name as a folder name on Windows and Linux alike."""
    name = re.sub(r'[\x00-\x1f<>:"/\\|?*]', "_", unit).strip(" .")
    return name[:80] or "未注明单位"


def pack_units(result: MergeResult, problems: list[Problem], level: str) -> dict[str, list[Problem]]:
    """unit -> its problems, for the units that sent something: by the units of 各县情况 (a county-level
    merge returns to each base's operator, so there the unit is the base)."""
    from ..merge.level import problem_units
    out: dict[str, list[Problem]] = {}
    if level == "county":
        name_of = {b.key: b.name for b in result.bases}
        names = {b.name for b in result.bases}
        by_file: dict[str, set[str]] = {}
        for b in result.bases:
            by_file.setdefault(b.file, set()).add(b.name)
        for p in problems:
            us = {p.base} if p.base in names else {name_of[p.base]} if p.base in name_of else \
                by_file.get(p.file) or ({PurePath(p.file).stem} if p.file else set())
            for u in us:
                out.setdefault(u, []).append(p)
        return out
    for p, us in zip(problems, problem_units(result, problems, level)):
        if p.rule == UNIT_NOT_REPORTED:
            continue
        for u in us:
            out.setdefault(u, []).append(p)
    return out


def unit_files(result: MergeResult, level: str, unit: str, problems: list[Problem]) -> list[str]:
    """The files a unit sent (by 各县情况's attribution), and any other input its problems point at."""
    sent = [a.file for a in result.accounts if a.status not in NOT_SENT]
    if level == "county":
        mine = {b.file for b in result.bases if b.name == unit}
    else:
        mine = {f for f in sent if unit in file_units(result, level, f)}
    mine |= {p.file for p in problems if p.file in set(sent)}
    return sorted(mine)


def instructions(unit: str, deadline: Any = None) -> str:
    when = f"于 {deadline} 前" if deadline else ""
    return (f"致{unit}：请按本清单逐条改正标为“错误”的内容；“警告”请逐条核实，确有其事的改正，无误的请附书面说明。"
            f"本文件夹中“{MARK_SUFFIX}”结尾的文件是你单位报来文件的标注副本（红色：错误，黄色：警告，蓝色：提示），"
            f"请对照修改原文件（不要在标注副本上修改），改好后{when}把修改后的全部文件重新报送，"
            "文件名可加“（修改）”，以便区分。")


def write_return_pack(out_dir: Path, result: MergeResult, problems: list[Problem], *, level: str,
                      pack: Any = None, when: dt.datetime | None = None) -> list[UnitPack]:
    """Write the pack for every unit with errors or warnings, replacing `out_dir` as a whole."""
    units = {u: ps for u, ps in pack_units(result, problems, level).items()
             if any(p.severity in (ERROR, WARNING) for p in ps)}
    city = level_city(result, None) or ""
    order = sorted(units, key=lambda u: (u == UNKNOWN_UNIT, place_order(u, "") if level == "province"
                                         else place_order(city, u)))
    return write_units_pack(out_dir, {u: (unit_files(result, level, u, units[u]), units[u]) for u in order},
                            pack=pack, display=result.display, when=when)


def write_units_pack(out_dir: Path, units: dict[str, tuple[list[str], list[Problem]]], *, pack: Any = None,
                     display: Any = None, when: dt.datetime | None = None, noun: str = DEFAULT_NOUN) -> list[UnitPack]:
    """The pack of `units` (unit -> (the files it sent, its problems)), in their order, replacing `out_dir` as a
    whole: any merge's pack (Shanxi's by 各县情况, a programme's by its summary layout's reporting unit);
    `noun`: the programme's word for what one application is about (Programme.noun)."""
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".tmp", dir=out_dir.parent))
    packs = []
    try:
        used: set[str] = set()
        for unit, (files, problems) in units.items():
            name = _unique(folder_name(unit), used)
            packs.append(_write_unit(tmp / name, unit, name, problems, files, pack, display, when, noun))
        (tmp / MARKER).write_text(json.dumps({"units": [p.unit for p in packs]}, ensure_ascii=False),
                                  encoding="utf-8")
        _swap(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return packs


def _write_unit(folder: Path, unit: str, name: str, problems: list[Problem], files: list[str], pack: Any,
                display: Any, when: dt.datetime | None, noun: str = DEFAULT_NOUN) -> UnitPack:
    folder.mkdir()
    up = UnitPack(unit, name, sort_problems(problems))
    taken: set[str] = set()
    for src in files:
        with archive.local_copy(src) as path:     # a workbook of a county's .zip: from a private copy
            if path is not None:
                _send_back(folder, up, taken, Path(src), path, [p for p in problems if p.file == src], pack, when)
    counts = count_by_severity(up.problems)
    book = folder / f"{LIST_PREFIX}{name}.xlsx"
    wb = xlsxwriter.Workbook(str(book), {"strings_to_formulas": False, "strings_to_urls": False})
    line = f"{instructions(unit)}\n{report_line(pack, up.problems)}" if pack is not None else \
        f"{instructions(unit)}\n错误 {counts[ERROR]} 条，警告 {counts[WARNING]} 条"
    add_problems_sheet(wb, up.problems, display=display, title=f"{unit} 退回修改问题清单", line=line,
                       noun=noun)
    wb.close()
    return up


def _send_back(folder: Path, up: UnitPack, taken: set[str], src: Path, path: Path, mine: list[Problem], pack: Any,
               when: dt.datetime | None) -> None:
    """The marked copy of one file the unit sent (`src`, read at `path`) into its folder (a .xls or .ods marked
    on LibreOffice's .xlsx of it, mark.converted), or the file as it came when it cannot be marked."""
    suffix = src.suffix.lower()
    if suffix in MARKABLE:
        dest = _unique(f"{src.stem}{MARK_SUFFIX}{suffix}", taken)
        try:
            mark_workbook(path, mine, folder / dest, rule_pack=pack_label(pack), when=when)
            up.marked.append(dest)
            return
        except (PackageError, SniffError, zipfile.BadZipFile, ValueError, KeyError):
            # not a package mark can patch (a broken file): it goes back as it came
            (folder / dest).unlink(missing_ok=True)
            taken.discard(dest)
    elif path.is_file() and (kind := kind_of(path) or "") in CONVERTIBLE:     # a .xls: marked on LibreOffice's .xlsx
        dest = _unique(f"{src.stem}{MARK_SUFFIX}.xlsx", taken)
        try:
            mark_converted(path, kind, mine, folder / dest, rule_pack=pack_label(pack), when=when)
            up.marked.append(dest)
            return
        except (NotMarkable, PackageError, SniffError, zipfile.BadZipFile, ValueError, KeyError):
            (folder / dest).unlink(missing_ok=True)
            taken.discard(dest)
    if path.is_file():
        dest = _unique(src.name, taken)
        shutil.copy2(path, folder / dest)
        up.copied.append(dest)


def _unique(name: str, used: set[str]) -> str:
    """`name`, or 'name (2)' … when a folder or file of that name is already in the pack."""
    stem, dot, ext = name.rpartition(".") if "." in name else (name, "", "")
    out, n = name, 1
    while out.casefold() in used:
        n += 1
        out = f"{stem} ({n}){dot}{ext}" if dot else f"{name} ({n})"
    used.add(out.casefold())
    return out


def _swap(tmp: Path, out_dir: Path) -> None:
    """Put the finished pack in place of the old one: two renames, the old pack removed after."""
    old = None
    if out_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".old", dir=out_dir.parent))
        os.rmdir(old)
        os.replace(out_dir, old)
    try:
        os.replace(tmp, out_dir)
    except BaseException:
        if old is not None:
            os.replace(old, out_dir)
        raise
    if old is not None:
        with contextlib.suppress(OSError):
            shutil.rmtree(old)


def return_pack_lines(out_dir: Path, packs: list[UnitPack]) -> list[str]:
    """The terminal lines about a written pack."""
    if not packs:
        return [f"退回材料：没有需要退回修改的单位（{out_dir} 已清空）。"]
    lines = [f"退回材料已写入 {out_dir}：{len(packs)} 个单位，每个文件夹可直接发回该单位："]
    for up in packs:
        c = count_by_severity(up.problems)
        files = f"标注副本 {len(up.marked)} 个" + (f"，原样退回 {len(up.copied)} 个" if up.copied else "")
        lines.append(f"  {up.folder}/：{files}，{LIST_PREFIX}{up.folder}.xlsx（错误 {c[ERROR]}，警告 {c[WARNING]}）")
    return lines
