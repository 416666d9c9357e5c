"""The templates quote and apply the pack they are written from, never a number of their own: 衡阳's
programme copied into a temporary folder with one threshold changed (入驻企业 20 → 37 家) writes a
workbook whose 表内检查 quotes 37 where the shipped one quotes 20, whose red mark and count apply 37, and
whose recalculated sheet then judges the same typed workbook as `xlbase validate` with that copy — 25 firms
fail there and pass with the shipped pack.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import openpyxl
import pytest
import yaml

from conftest import soffice_convert_all
from programme_inbox import fill, load_case, make_templates, xlbase
from template_clerk import RULE_COL, sheet_counts
from xlbase.forms.programmes import load_programme
from xlbase.templates.check_sheet import CHECK_SHEET, COLUMNS
from xlbase.templates.guide import GUIDE_SHEET

pytestmark = pytest.mark.filterwarnings("ignore:Print area cannot be set")

CASE = load_case("hengyang-2023")
RULE, SHIPPED, CHANGED = "resident-firms-min", 20, 37
NEED_COL = [name for name, _ in COLUMNS].index("要求（取自规则包）")


def _copy(tmp: Path) -> Path:
    """衡阳's manifest and pack in `tmp`, the pack's RULE threshold CHANGED; the manifest's path."""
    shipped = load_programme(CASE.name)
    manifest = yaml.safe_load(Path(shipped.manifest).read_text(encoding="utf-8"))
    pack = yaml.safe_load(resources.files("xlbase.rules").joinpath("packs", f"{shipped.pack}.yaml")
                          .read_text(encoding="utf-8"))
    rule = next(r for r in pack["rules"] if r["id"] == RULE)
    assert rule["threshold"] == SHIPPED
    rule["threshold"] = CHANGED
    (tmp / "规则.yaml").write_text(yaml.safe_dump(pack, allow_unicode=True), encoding="utf-8")
    manifest["pack"] = "规则.yaml"
    (tmp / "programme.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    return tmp / "programme.yaml"


def _requirement(path: Path) -> str:
    ws = openpyxl.load_workbook(path, read_only=True)[CHECK_SHEET]
    return next(row[NEED_COL] for row in ws.iter_rows(values_only=True) if len(row) >= RULE_COL and row[RULE_COL - 1] == RULE)


def _numbers(text: str) -> set[int]:
    return {int(n) for n in re.findall(r"\d+", text)}


def _texts(path: Path) -> str:
    wb = openpyxl.load_workbook(path, read_only=True)
    return "\n".join(str(v) for name in (GUIDE_SHEET, CHECK_SHEET) for row in wb[name].iter_rows(values_only=True)
                     for v in row if isinstance(v, str) and not v.startswith("="))


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    d = tmp_path_factory.mktemp("pack_copy")
    (d / "copy").mkdir()
    manifest = _copy(d / "copy")
    shipped = make_templates(CASE.name, d / "shipped") / CASE.applicant_file
    res = xlbase("templates", "--programme", str(manifest), "-o", str(d / "changed"))
    assert res.returncode == 0, res.stderr
    return d, manifest, shipped, d / "changed" / CASE.applicant_file


def test_the_requirement_quoted_is_the_packs(written):
    _, _, shipped, changed = written
    assert _numbers(_requirement(shipped)) == {SHIPPED}
    assert _numbers(_requirement(changed)) == {CHANGED}
    # nothing else of the notes changes: the number is the pack's, written in one place
    assert _texts(shipped).replace(_requirement(shipped), "") == _texts(changed).replace(_requirement(changed), "")


@pytest.mark.libreoffice
def test_the_sheet_applies_the_packs_threshold_as_validate_does(written):
    d, manifest, shipped, changed = written
    answers = CASE.answers()            # 25 入驻企业 in the latest year
    books, found = {}, {}
    for name, template, programme in (("shipped", shipped, CASE.name), ("changed", changed, str(manifest))):
        (d / f"src-{name}").mkdir()
        path = d / f"src-{name}" / "a.xlsx"
        fill(template, path, CASE.programme, answers, "甲单位")
        res = xlbase("validate", str(path), "--programme", programme, "--json", str(d / f"{name}.json"))
        assert res.returncode in (0, 1), res.stderr
        found[name] = sum(p["rule"] == RULE for p in json.loads((d / f"{name}.json").read_text(encoding="utf-8"))["problems"])
        books[name] = soffice_convert_all([path], "xlsx", d / f"lo-{name}")[0]
    assert found == {"shipped": 0, "changed": 1}, found
    assert {name: sheet_counts(book)[RULE] for name, book in books.items()} == found
