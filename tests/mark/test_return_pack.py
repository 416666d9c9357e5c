"""The return pack: one folder per unit with something to fix, holding a marked copy of each of its
files (the problem cells are exactly that unit's problems) and its own printable 问题清单; originals
untouched; nothing for clean units; a re-run replaces the pack as a whole."""

from __future__ import annotations

import functools
import hashlib
import json
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import range_boundaries

from round_inbox import base, county_summary

REPO = Path(__file__).resolve().parents[2]
SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}


def xlbase(*args) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xlbase", *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", cwd=REPO, timeout=600)


def digests(folder: Path) -> dict[Path, str]:
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def inbox(tmp_path_factory, generated_counties) -> Path:
    root = tmp_path_factory.mktemp("pack") / "收件"
    shutil.copytree(generated_counties, root)       # 忻府区 (a broken file), 原平市, 五台县 (errors)
    county_summary(root / "定襄县" / "定襄县附件11汇总表.xlsx", "定襄县工业和信息化局",
                   [base("定襄县法兰双创基地", "定襄法兰运营有限公司")])     # nothing to fix
    return root


@pytest.fixture(scope="module")
def packed(inbox, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    before = digests(inbox)
    proc = xlbase("merge", inbox, "-o", out / "汇总表.xlsx", "--json", out / "报告.json", "--return-dir", out / "退回")
    assert proc.returncode in (0, 1), proc.stderr
    rep = json.loads((out / "报告.json").read_text(encoding="utf-8"))
    return proc, out / "退回", rep, before


def by_unit(rep: dict, inbox: Path) -> dict[str, list[dict]]:
    """The report's problems by the county folder their file is in (this inbox files every unit's
    material under its own folder), errors and warnings making a unit's pack."""
    out = defaultdict(list)
    for p in rep["problems"]:
        if p["file"]:
            out[Path(p["file"]).relative_to(inbox).parts[0]].append(p)
    return out


def test_one_folder_per_unit_with_something_to_fix(packed, inbox):
    proc, pack, rep, _ = packed
    units = {u for u, ps in by_unit(rep, inbox).items() if any(p["severity"] != "info" for p in ps)}
    assert {"五台县", "忻府区", "原平市"} <= units and "定襄县" not in units
    assert {d.name for d in pack.iterdir() if d.is_dir()} == units
    for u in units:
        assert f"  {u}/：" in proc.stdout


def test_originals_are_untouched(packed, inbox):
    _, _, _, before = packed
    assert digests(inbox) == before


def _merged_top_left(src: Path, sheet: str, cell: str) -> str:
    """Where a mark on `cell` shows: the top-left cell of the merged range holding it."""
    for rng, top_left in _merged_ranges(src, sheet):
        if cell in rng:
            return top_left
    return cell


@functools.lru_cache(maxsize=None)
def _merged_ranges(src: Path, sheet: str) -> tuple:
    """The merged ranges of a sent sheet with their top-left cells, read once per sheet (not once per problem)."""
    ws = openpyxl.load_workbook(src)[sheet]
    out = []
    for rng in ws.merged_cells.ranges:
        c1, r1, _, _ = range_boundaries(str(rng))
        out.append((rng, ws.cell(r1, c1).coordinate))
    return tuple(out)


def _marks(copy: Path) -> set[tuple[str, str]]:
    ws = openpyxl.load_workbook(copy)["_xlbase_marks"]
    return {(r[0], r[1]) for r in ws.iter_rows(min_row=2, values_only=True) if r[0]}


def test_marked_copies_carry_exactly_the_units_problems(packed, inbox):
    _, pack, rep, _ = packed
    for unit, problems in by_unit(rep, inbox).items():
        folder = pack / unit
        if not folder.is_dir():
            continue
        sent = sorted(p for p in (inbox / unit).iterdir() if p.suffix == ".xlsx")
        copies = {c.name for c in folder.glob("*.xlsx") if not c.name.startswith("问题清单_")}
        for src in sent:
            mine = [p for p in problems if Path(p["file"]) == src and p["cell"]]
            name = f"{src.stem}.校验.xlsx"
            if name not in copies:      # a file mark cannot open goes back as it came
                assert (folder / src.name).read_bytes() == src.read_bytes()
                assert any(p["rule"] == "file-unusable" for p in problems if Path(p["file"]) == src)
                continue
            want = {(p["sheet"], _merged_top_left(src, p["sheet"], p["cell"].split(":")[0])) for p in mine}
            assert _marks(folder / name) == want, (unit, src.name)
            results = openpyxl.load_workbook(folder / name)["校验结果"]
            assert results.max_row - 3 == len(mine) + sum(1 for p in problems if Path(p["file"]) == src
                                                            and not p["cell"])


def test_each_units_problem_list_holds_its_problems_only(packed, inbox):
    _, pack, rep, _ = packed
    for unit, problems in by_unit(rep, inbox).items():
        book = pack / unit / f"问题清单_{unit}.xlsx"
        if not book.parent.is_dir():
            continue
        ws = openpyxl.load_workbook(book).worksheets[0]
        assert unit in ws["A1"].value and "重新报送" in ws["A2"].value and "改正" in ws["A2"].value
        rows = [r for r in ws.iter_rows(min_row=4, values_only=True) if r[0]]
        assert sorted((r[0], r[8]) for r in rows) == sorted((SEVERITY[p["severity"]], p["message"]) for p in problems)
        assert all(str(r[1]).startswith(f"{unit}/") for r in rows)
        # printable: landscape, one page wide, header repeated, the heading's lines shown in full
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth in (None, 1)
        assert ws.print_title_rows and ws.row_dimensions[2].height > 15


def test_rerun_replaces_the_pack_and_clean_units_lose_their_folder(packed, inbox, tmp_path):
    _, pack, _, _ = packed
    fixed = tmp_path / "收件"
    shutil.copytree(inbox, fixed)
    shutil.rmtree(fixed / "五台县")                         # 五台县 withdrew both bases
    (fixed / "忻府区" / "忻府区_补充材料（损坏）.xlsx").unlink()
    again = tmp_path / "退回"
    shutil.copytree(pack, again)
    (again / "五台县" / "旧文件.txt").write_text("old")
    proc = xlbase("merge", fixed, "-o", tmp_path / "汇总表.xlsx", "--return-dir", again)
    assert proc.returncode in (0, 1), proc.stderr
    assert not (again / "五台县").exists() and not (again / "忻府区").exists()
    assert (again / "原平市" / "问题清单_原平市.xlsx").is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]     # no temporary folder left


@pytest.mark.parametrize("where", ["inside the inbox", "a folder of other files", "under /proc"])
def test_a_pack_that_could_destroy_or_be_read_is_refused(where, inbox, tmp_path):
    target = {"inside the inbox": inbox / "退回", "a folder of other files": tmp_path / "我的文件",
              "under /proc": Path("/proc/退回")}[where]
    if where == "a folder of other files":
        target.mkdir()
        (target / "重要.docx").write_text("keep")
    proc = xlbase("merge", inbox, "-o", tmp_path / "汇总表.xlsx", "--return-dir", target)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stderr.strip().startswith("xlbase merge：")
    assert not (tmp_path / "汇总表.xlsx").exists()
    if where == "a folder of other files":
        assert (target / "重要.docx").read_text() == "keep"


def test_validate_writes_the_same_kind_of_pack(inbox, tmp_path):
    proc = xlbase("validate", inbox / "五台县", "--return-dir", tmp_path / "退回")
    assert proc.returncode == 1, proc.stderr
    folders = [d for d in (tmp_path / "退回").iterdir() if d.is_dir()]
    # a county officer returns to each applicant: one folder per base; 清凉谷's only finding (firms shared
    # with another county's base) takes a merge, so validating 五台县 alone leaves it nothing to fix
    assert [d.name for d in folders] == ["忻州市五台县台怀文旅创客双创基地"]
    for d in folders:
        assert len(list(d.glob("*.校验.xlsx"))) == 1 and len(list(d.glob("问题清单_*.xlsx"))) == 1
