"""A county that forwards our marked copy (`xlbase mark` → NAME.校验.xlsx) beside the original sent one
application, not two: the copy is recognised by its content (the marks record), whatever it is called, and set
aside with one info; the merge is the original's alone. Sent alone, it is read (it holds the clerk's values);
changed after marking, it is a second version and merged as one (duplicate-base, as before)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl

REPO = Path(__file__).resolve().parents[2]
#: two applications with the samples' deliberate mistakes: their marked copies colour cells
SAMPLES = [REPO / "samples" / "counties" / "五台县" / "五台县_台怀文旅创客_申报表.xlsx",
           REPO / "samples" / "counties" / "忻府区" / "忻府区_经开区创业园_申报表.xlsx"]


def _run(*args: str) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "xlbase", *args], capture_output=True, text=True, timeout=300)
    assert proc.returncode in (0, 1), proc.stderr
    return proc


def _merge(inbox: Path, tmp: Path) -> dict:
    report = tmp / f"{inbox.name}.json"
    _run("merge", str(inbox), "-o", str(tmp / f"{inbox.name}.xlsx"), "--json", str(report), "--as-of", "2024-08-25",
         "--quiet")
    return json.loads(report.read_text(encoding="utf-8"))


def _marked(src: Path, out: Path) -> Path:
    _run("mark", str(src), "-o", str(out), "--as-of", "2024-08-25")
    assert "_xlbase_marks" in openpyxl.load_workbook(out).sheetnames
    return out


def _problems(report: dict, drop: str = "marked-copy") -> list[tuple]:
    return sorted((p["rule"], p["severity"], Path(p["file"]).name, p["cell"]) for p in report["problems"]
                  if p["rule"] != drop)


def test_a_marked_copy_beside_its_original_is_set_aside(tmp_path):
    alone, both = tmp_path / "alone" / "五台县", tmp_path / "both" / "五台县"
    for d in (alone, both):
        d.mkdir(parents=True)
        for s in SAMPLES:
            shutil.copy(s, d / s.name)
    # one copy under our name, the other renamed by the clerk: told apart by content, not by name
    _marked(SAMPLES[0], both / SAMPLES[0].name.replace(".xlsx", ".校验.xlsx"))
    _marked(SAMPLES[1], both / "经开区创业园（修改后）.xlsx")
    first, second = _merge(alone.parent, tmp_path), _merge(both.parent, tmp_path)
    skipped = [p for p in second["problems"] if p["rule"] == "marked-copy"]
    assert sorted(Path(p["file"]).name for p in skipped) == sorted([SAMPLES[0].name.replace(".xlsx", ".校验.xlsx"),
                                                                    "经开区创业园（修改后）.xlsx"])
    assert all(p["severity"] == "info" and p["value"] in {s.name for s in SAMPLES} for p in skipped)
    assert not [p for p in second["problems"] if p["rule"] == "duplicate-base"]
    assert _problems(second) == _problems(first)
    for key in ("bases", "firms", "errors", "warnings"):
        assert second["summary"][key] == first["summary"][key], key
    status = {Path(i["file"]).name: i["status"] for i in second["inputs"]}
    assert status["经开区创业园（修改后）.xlsx"] == "skipped" and status[SAMPLES[1].name] in ("ok", "partial")


def test_a_marked_copy_sent_alone_is_read_and_an_edited_one_is_a_second_version(tmp_path):
    original, copy_only, edited = (tmp_path / d / "五台县" for d in ("original", "copy_only", "edited"))
    for d in (original, copy_only, edited):
        d.mkdir(parents=True)
    shutil.copy(SAMPLES[0], original / SAMPLES[0].name)
    _marked(SAMPLES[0], copy_only / "台怀文旅创客.校验.xlsx")
    a, b = _merge(original.parent, tmp_path), _merge(copy_only.parent, tmp_path)
    assert not [p for p in b["problems"] if p["rule"] == "marked-copy"]
    assert [(r, s, c) for r, s, _, c in _problems(b)] == [(r, s, c) for r, s, _, c in _problems(a)]
    assert b["summary"]["bases"] == a["summary"]["bases"] == 1 and b["summary"]["firms"] == a["summary"]["firms"]
    # the clerk corrected a figure in the marked copy and sent both: two versions, merged as before
    shutil.copy(SAMPLES[0], edited / SAMPLES[0].name)
    changed = _marked(SAMPLES[0], edited / "台怀文旅创客.校验.xlsx")
    wb = openpyxl.load_workbook(changed)
    ws = wb[next(n for n in wb.sheetnames if "附件3" in n)]
    cell = next(c for row in ws.iter_rows(min_row=4) for c in row if isinstance(c.value, (int, float))
                and not isinstance(c.value, bool) and c.column > 2)
    cell.value = cell.value + 7
    wb.save(changed)
    c = _merge(edited.parent, tmp_path)
    assert not [p for p in c["problems"] if p["rule"] == "marked-copy"]
    assert [p for p in c["problems"] if p["rule"] == "duplicate-base"]
