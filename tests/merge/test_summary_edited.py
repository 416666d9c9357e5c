"""A county 汇总表 edited after xlbase wrote it is checked again; one merely re-saved is trusted as before.

The 忻州 sample inbox (samples/generate.py) merged per county, then the county 汇总表s edited the way
clerks do it — a number retyped in 附件11, a firm row added to 入驻企业 — with openpyxl (which re-saves
the whole workbook, as Excel does), or only re-saved by LibreOffice.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from conftest import soffice_convert_all
from submissions import applicant

from xlbase.commands.merge import merge_command
from xlbase.merge.lower import edited, read_digest
from xlbase.read import read_workbook
from xlbase.commands.validate import validate_command

EDITED = "summary-edited"
MESSAGE = ("该汇总表在生成后被修改过（附件11/入驻企业与生成时记录不一致），已按本次规则包重新校验其各行；"
           "请确认修改已在原申报材料中同步。")


def merge(inputs, out: Path) -> dict:
    out.parent.mkdir(parents=True, exist_ok=True)
    rep = out.parent / f"{out.stem}.report.json.txt"
    res = merge_command([str(i) for i in inputs], out=out, json_out=rep, jobs=1, quiet=True)
    assert res.exit_code in (0, 1), res.errors
    return json.loads(rep.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def counties(tmp_path_factory, generated_counties):
    root = tmp_path_factory.mktemp("edited")
    inbox = root / "收件" / "忻州市"
    shutil.copytree(generated_counties, inbox)
    up = root / "县"
    for county in sorted(p for p in inbox.iterdir() if p.is_dir()):
        merge([county], up / f"{county.name}_汇总表.xlsx")
    for p in up.glob("*.txt"):
        p.unlink()
    return root, up, merge([up], root / "市" / "原样.xlsx")


def _copy(up: Path, to: Path) -> Path:
    shutil.copytree(up, to)
    return to


def _short(v):
    """File references reduced to file names (the folders differ between runs)."""
    return re.sub(r"[^\s“”←]*/", "", v) if isinstance(v, str) else v


def _problems(rep: dict, *, only: str = "") -> Counter:
    return Counter(json.dumps({k: _short(v) for k, v in p.items()}, ensure_ascii=False, sort_keys=True)
                   for p in rep["problems"] if only in p["file"])


def _column(ws, label: str) -> int:
    for row in ws.iter_rows(max_row=6):
        for c in row:
            if isinstance(c.value, str) and c.value.replace("\n", "").startswith(label):
                return c.column
    raise AssertionError(label)


def _set_a11(path: Path, base: str, **by_label) -> None:
    """Retype values of the 附件11 row of the base named with `base`, as a clerk does in Excel."""
    wb = openpyxl.load_workbook(path)
    ws = wb["附件11"]
    row = next(r[0].row for r in ws.iter_rows() if any(isinstance(c.value, str) and base in c.value for c in r))
    for label, value in by_label.items():
        ws.cell(row, _column(ws, label)).value = value
    wb.save(path)


@pytest.mark.libreoffice
def test_written_summaries_match_their_record_and_resaving_keeps_the_trust(counties, tmp_path):
    root, up, unedited = counties
    for path in sorted(up.glob("*.xlsx")):
        wr = read_workbook(path)
        assert wr.record["digest"] == read_digest(wr.tables) and not edited(wr)
    resaved = tmp_path / "县"
    soffice_convert_all(sorted(up.glob("*.xlsx")), "xlsx", resaved)   # one LibreOffice run resaves them all
    for path in sorted(resaved.glob("*.xlsx")):
        assert not edited(read_workbook(path)), path.name
    rep = merge([resaved], tmp_path / "市.xlsx")
    assert _problems(rep) == _problems(unedited) and rep["summary"] == unedited["summary"]
    assert not [p for p in rep["problems"] if p["rule"] == EDITED]


def test_a_value_retyped_in_the_summary_is_checked_again(counties, tmp_path):
    root, up, unedited = counties
    ed = _copy(up, tmp_path / "县")
    # 五台县 corrects its base in the 汇总表 only; 忻府区 lowers a count below the threshold
    _set_a11(ed / "五台县_汇总表.xlsx", "台怀", 已入驻企业数=30, 合作服务机构数量=6)
    _set_a11(ed / "忻府区_汇总表.xlsx", "云中", 已入驻企业数=12)
    rep = merge([ed], tmp_path / "市.xlsx")
    notes = [p for p in rep["problems"] if p["rule"] == EDITED]
    assert sorted(Path(p["file"]).name for p in notes) == ["五台县_汇总表.xlsx", "忻府区_汇总表.xlsx"]
    assert {(p["severity"], p["message"]) for p in notes} == {("warning", MESSAGE)}

    new = [p for p in rep["problems"] if p["rule"] == "resident-firms-min" and "云中" in p["base"]]
    assert len(new) == 1 and new[0]["severity"] == "error" and new[0]["value"] == 12
    assert new[0]["file"] == str(ed / "忻府区_汇总表.xlsx") and new[0]["sheet"] == "附件11"

    def of_taihuai(r: dict, form: str, carried: bool) -> Counter:
        return Counter(p["rule"] for p in r["problems"]
                       if "台怀" in p["base"] and p["form"] == form and (" ← " in p["file"]) == carried)

    before = of_taihuai(unedited, "附件10", True)
    assert before["resident-firms-min"] == before["partners-min"] == 1 and len(before) > 2
    # the corrected values' stale problems are gone, the rules on its row found again what still
    # fails, on the 汇总表's own cells, and no 附件10 finding is carried any more; the 30 firms typed
    # in the 汇总表 disagree with the 8 rows of its 入驻企业 sheet, which is said too …
    assert before["firm-count-match"] == 0
    assert of_taihuai(rep, "附件11", False) == \
        before - Counter({"resident-firms-min": 1, "partners-min": 1}) + Counter({"firm-count-match": 1})
    assert not of_taihuai(rep, "附件10", True)
    # … while what this level cannot check again (附件2) is carried as before
    assert of_taihuai(unedited, "附件2", True) and of_taihuai(rep, "附件2", True) == of_taihuai(unedited, "附件2", True)
    # the untouched county gives exactly what it gave before; 忻府区 keeps what it carried
    assert _problems(rep, only="原平市") == _problems(unedited, only="原平市")
    assert _problems(unedited, only="忻府区") - _problems(rep, only="忻府区") == Counter()


def test_a_firm_row_added_to_the_summary_is_checked(counties, tmp_path):
    root, up, unedited = counties
    ed = _copy(up, tmp_path / "县")
    path = ed / "忻府区_汇总表.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb["入驻企业"]
    last = ws.max_row
    ws.append([c.value for c in ws[last]])
    code = _column(ws, "营业执照注册号")
    ws.cell(last + 1, code).value = "91140900MA0K1234X5"          # a typo'd code: wrong check character
    ws.cell(last + 1, _column(ws, "企业名称")).value = "忻府区补录商贸有限公司"
    wb.save(path)
    rep = merge([ed], tmp_path / "市.xlsx")
    assert rep["summary"]["firms"] == unedited["summary"]["firms"] + 1
    assert [Path(p["file"]).name for p in rep["problems"] if p["rule"] == EDITED] == ["忻府区_汇总表.xlsx"]
    bad = [p for p in rep["problems"] if p["rule"] == "firm-code-checksum" and p["file"] == str(path)]
    assert [(p["sheet"], p["cell"]) for p in bad] == [("入驻企业", f"{openpyxl.utils.get_column_letter(code)}{last + 1}")]


def test_validate_checks_an_edited_summary_again(counties, tmp_path):
    root, up, _ = counties
    path = tmp_path / "忻府区_汇总表.xlsx"
    shutil.copy(up / "忻府区_汇总表.xlsx", path)
    validate_command([str(path)], json_out=tmp_path / "before.json.txt")
    _set_a11(path, "云中", 已入驻企业数=12)
    validate_command([str(path)], json_out=tmp_path / "after.json.txt")
    before, after = (json.loads((tmp_path / f"{n}.json.txt").read_text(encoding="utf-8"))["problems"]
                     for n in ("before", "after"))
    assert not [p for p in before if p["rule"] in (EDITED, "resident-firms-min")]
    got = Counter(p["rule"] for p in after if p["rule"] in (EDITED, "resident-firms-min"))
    assert got == Counter({EDITED: 1, "resident-firms-min": 1})


def test_a_count_edited_in_the_summary_is_checked_against_its_firm_rows(tmp_path):
    """A base whose 附件10 says 30 firms and 999 employees where its 附件3 lists 26 firms and 390 employees:
    the county 汇总表 carries both mismatches. The county then retypes 已入驻企业数 as 20 (still not 26)
    and 吸纳就业人数 as 390 in the 汇总表 only: the city is told 20 ≠ 26 on the 汇总表's cell, and neither
    stale finding about 附件10 is carried."""
    inbox = tmp_path / "收件" / "忻府区"
    inbox.mkdir(parents=True)
    applicant(inbox / "晨光_申报表.xlsx", n_firms=26, a10={"resident_firms": 30, "employees": 999})
    county = tmp_path / "县" / "忻府区_汇总表.xlsx"
    merge([inbox], county)
    rules = ("firm-count-match", "employee-sum-match")

    def found(rep: dict) -> list:
        return sorted((p["rule"], Path(p["file"].split(" ← ")[0]).name, " ← " in p["file"], p["sheet"], p["form"],
                       p["value"], p["threshold"]) for p in rep["problems"] if p["rule"] in rules)

    assert found(merge([county], tmp_path / "市" / "原样.xlsx")) == [
        ("employee-sum-match", county.name, True, "附件10", "附件10", 999, 390),
        ("firm-count-match", county.name, True, "附件10", "附件10", 30, 26)]
    _set_a11(county, "晨光", 已入驻企业数=20, 吸纳就业=390)
    rep = merge([county], tmp_path / "市" / "改后.xlsx")
    assert [Path(p["file"]).name for p in rep["problems"] if p["rule"] == EDITED] == [county.name]
    assert found(rep) == [("firm-count-match", county.name, False, "附件11", "附件11", 20, 26)]
    (new,) = [p for p in rep["problems"] if p["rule"] == "firm-count-match"]
    ws = openpyxl.load_workbook(county)["附件11"]
    assert ws[new["cell"]].value == 20
