"""County → city → province with xlbase's own 汇总表s gives what one merge of the original submissions gives.

Generated inboxes (samples/generate.py): 忻州 (four counties: a cross-county duplicate firm set, a
retyped 附件11 with a duplicate base, a sample row and a blank 基地类型, a corrupt file) and 太原
(two counties, one applicant also filed in the other county's folder: a cross-county duplicate base).
Compared field by field (JSON) and cell by cell (附件11, 入驻企业, 各县/各市情况), with file names
reduced to the original file's name: the one allowed difference is the provenance “汇总表 ← 原来源文件”.
"""

from __future__ import annotations

import json
import random
import re
import shutil
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from sample_generator import GEN

from xlbase.commands.merge import merge_command

CHAIN = re.compile(r"[^\s（）“”()]+ ← ")
FOLDERS = re.compile(r"[^\s（）“”()]+/([^/\s（）“”()]+)")


def norm(v):
    """A file reference reduced to the original file's name, in any text."""
    if not isinstance(v, str):
        return v
    while CHAIN.search(v):
        v = CHAIN.sub("", v)
    return FOLDERS.sub(r"\1", v)


def merge(inputs, out: Path, **kw) -> dict:
    out.parent.mkdir(parents=True, exist_ok=True)
    rep = out.with_suffix(".json")
    res = merge_command([str(i) for i in inputs], out=out, json_out=rep, jobs=1, quiet=True, **kw)
    assert res.exit_code in (0, 1), res.errors
    return json.loads(rep.read_text(encoding="utf-8"))


def _taiyuan(root: Path) -> Path:
    rng = random.Random(11)
    made = {}
    for county, short, n in (("小店区", "龙城创客", 30), ("迎泽区", "柳巷文创", 32)):
        firms = GEN.firms_for(rng, n, county)
        base = GEN.base_record(rng, county=county, short=short, operator=f"太原{short}运营有限公司",
                               base_type="文创型", firms=firms, city="太原市")
        made[county] = root / county / f"{county}_{short}_申报表.xlsx"
        GEN.applicant(made[county], rng, base, firms)
    # the 小店区 applicant also sent to 迎泽区: one base, two counties' inboxes
    shutil.copy(made["小店区"], root / "迎泽区" / "迎泽区_转报_龙城创客_申报表.xlsx")
    return root


@pytest.fixture(scope="module")
def world(tmp_path_factory, generated_counties):
    root = tmp_path_factory.mktemp("levels")
    xz = root / "收件" / "忻州市"
    shutil.copytree(generated_counties, xz)
    ty = _taiyuan(root / "收件" / "太原市")
    up = root / "上报"
    reports = {}
    for city in (xz, ty):
        for county in sorted(p for p in city.iterdir() if p.is_dir()):
            merge([county], up / "县" / city.name / f"{county.name}_汇总表.xlsx")
        reports[city.name] = merge([up / "县" / city.name], up / "市" / f"{city.name}_汇总表.xlsx")
        reports[f"{city.name}_direct"] = merge([city], root / "一次" / f"{city.name}.xlsx")
    reports["province"] = merge([up / "市"], up / "省" / "山西省_汇总表.xlsx")
    reports["province_direct"] = merge([xz, ty], root / "一次" / "山西省.xlsx")
    return root, reports


def _problems(rep: dict) -> Counter:
    return Counter(json.dumps({k: norm(v) for k, v in p.items()}, ensure_ascii=False, sort_keys=True)
                   for p in rep["problems"])


def _sheet(path: Path, name: str, skip_rows: int = 0) -> list[list]:
    ws = openpyxl.load_workbook(path)[name]
    return [[norm(c.value) for c in r] for r in ws.iter_rows(min_row=skip_rows + 1)]


CASES = [("忻州市", "上报/市/忻州市_汇总表.xlsx", "一次/忻州市.xlsx", "各县情况"),
         ("太原市", "上报/市/太原市_汇总表.xlsx", "一次/太原市.xlsx", "各县情况"),
         ("province", "上报/省/山西省_汇总表.xlsx", "一次/山西省.xlsx", "各市情况")]


@pytest.mark.parametrize("name,via,direct,units", CASES, ids=[c[0] for c in CASES])
def test_own_outputs_merge_like_their_sources(world, name, via, direct, units):
    root, reports = world
    a, b = reports[name], reports[f"{name}_direct"]
    for key in ("bases", "firms", "errors", "warnings", "infos", "level"):
        assert a["summary"][key] == b["summary"][key], key
    pa, pb = _problems(a), _problems(b)
    assert pa == pb, ("only via 汇总表", list(pa - pb)[:3], "only direct", list(pb - pa)[:3])
    for i in a["inputs"]:
        assert i["rows_read"] == i["rows_merged"] + i["rows_rejected"] and i["status"] == "ok"
    assert sum(i["rows_merged"] for i in a["inputs"]) == a["summary"]["bases"] + a["summary"]["firms"]
    for sheet in ("附件11", "入驻企业"):
        assert _sheet(root / via, sheet) == _sheet(root / direct, sheet), sheet
    # per unit: all but 收到文件数 (a city receives one 汇总表 per county) and the timestamp
    ua, ub = _sheet(root / via, units, 3), _sheet(root / direct, units, 3)
    assert [r[:2] + r[3:] for r in ua] == [r[:2] + r[3:] for r in ub]


def test_the_shared_checks_really_happen(world):
    """Not a vacuous equality: the sample's cross-county findings are there, carried or found again."""
    _, reports = world
    rules = Counter(p["rule"] for p in reports["province"]["problems"])
    assert rules["duplicate-enterprise"] >= 9 and rules["duplicate-base"] == 2 and rules["file-unusable"] == 1
    xz = reports["忻州市"]
    assert xz["summary"]["firms"] > 100
    required = [p for p in xz["problems"] if p["rule"] == "required" and p["field"] == "基地类型"]
    assert not required     # a blank 基地类型 stays the lower level's info, not a new error
    dup = next(p for p in reports["太原市"]["problems"] if p["rule"] == "duplicate-base")
    assert "小店区_汇总表.xlsx ← 小店区_龙城创客_申报表.xlsx" in dup["message"] + dup["value"]
    assert not [p for p in xz["problems"] if p["rule"] == "unknown-column"]


def test_provenance_names_the_summary_and_the_original(world):
    root, _ = world
    ws = openpyxl.load_workbook(root / "上报/省/山西省_汇总表.xlsx")["附件11"]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str) and " ← " in c.value]
    assert "忻州市_汇总表.xlsx ← 五台县_汇总表.xlsx ← 五台县_台怀文旅创客_申报表.xlsx" in texts


def test_previous_output_in_the_inbox_is_skipped(world, tmp_path):
    root, _ = world
    inbox = tmp_path / "inbox"
    shutil.copytree(root / "收件" / "忻州市", inbox)
    first = merge([inbox], inbox / "汇总表2.xlsx")
    second = merge([inbox], inbox / "汇总表3.xlsx")
    skipped = [i for i in second["inputs"] if i["status"] == "skipped"]
    assert [Path(i["file"]).name for i in skipped] == ["汇总表2.xlsx"] and skipped[0]["rows_read"] == 0
    info = [p for p in second["problems"] if p["rule"] == "previous-output"]
    assert len(info) == 1 and "其来源文件也在本次输入中，已跳过" in info[0]["message"]
    assert [p for p in second["problems"] if p["rule"] != "previous-output"] == first["problems"]
    assert {k: v for k, v in second["summary"].items() if k not in ("files", "infos")} == \
        {k: v for k, v in first["summary"].items() if k not in ("files", "infos")}


def test_summary_with_only_some_sources_here_is_read(world, tmp_path):
    """A county 汇总表 plus one of its applicants sent again: nothing is skipped, the applicant's row wins."""
    root, _ = world
    county = root / "上报/县/忻州市/忻府区_汇总表.xlsx"
    stray = next((root / "收件/忻州市/忻府区").glob("*云中*"))
    rep = merge([county, stray], tmp_path / "out.xlsx")
    assert {i["status"] for i in rep["inputs"]} == {"ok"}
    dup = [p for p in rep["problems"] if p["rule"] == "duplicate-base"]
    assert len(dup) == 1 and "忻府区_汇总表.xlsx ← " in dup[0]["file"] and rep["summary"]["bases"] == 2


def test_validate_counts_the_rows_merge_counts(world, tmp_path):
    from xlbase.commands.validate import validate_command
    root, _ = world
    files = sorted((root / "收件/忻州市").rglob("*.xlsx")) + [root / "上报/县/忻州市/忻府区_汇总表.xlsx"]
    validate_command([str(f) for f in files], json_out=tmp_path / "v.json")
    merged = merge(files, tmp_path / "m.xlsx")
    valid = json.loads((tmp_path / "v.json").read_text(encoding="utf-8"))
    assert {i["file"]: i["rows_read"] for i in valid["inputs"]} == {i["file"]: i["rows_read"] for i in merged["inputs"]}


def test_missing_input_is_an_account(world, tmp_path):
    root, _ = world
    gone = root / "收件/忻州市/忻府区/忻府区_补报_申报表.xlsx"
    rep = merge([root / "收件/忻州市/五台县", gone], tmp_path / "out.xlsx")
    row = next(i for i in rep["inputs"] if i["file"] == str(gone))
    assert row["status"] == "missing" and row["rows_read"] == row["rows_merged"] == row["rows_rejected"] == 0
    ws = openpyxl.load_workbook(tmp_path / "out.xlsx")["各县情况"]
    assert "（未注明）" not in [ws.cell(r, 2).value for r in range(5, ws.max_row + 1)]


def test_declared_level_narrower_than_the_inputs_warns(world, tmp_path):
    root, _ = world
    rep = merge([root / "收件/忻州市"], tmp_path / "a.xlsx", level="county")
    warn = [p for p in rep["problems"] if p["rule"] == "level-mismatch"]
    assert len(warn) == 1 and warn[0]["severity"] == "warning" and "3 个县" in warn[0]["message"]
    for level in ("city", "province"):     # wider than the inputs: a partial round, not a contradiction
        rep = merge([root / "收件/忻州市"], tmp_path / f"{level}.xlsx", level=level)
        assert not [p for p in rep["problems"] if p["rule"] == "level-mismatch"]


def test_another_rule_pack_checks_the_rows_again(world, tmp_path):
    root, reports = world
    rep = merge([root / "上报/县/忻州市"], tmp_path / "demo.xlsx", rules="shanxi-2024-demo")
    notes = [p for p in rep["problems"] if p["rule"] == "lower-pack-differs"]
    assert len(notes) == 3 and notes[0]["threshold"] == "shanxi-2024-demo"
    own = [p for p in rep["problems"] if p["file"].endswith("_汇总表.xlsx") and p["form"] == "附件11"]
    assert own    # the demo pack's thresholds were applied to the 附件11 rows themselves


def test_an_old_output_missing_a_withdrawn_source_says_so_and_adds_no_duplicates(world, tmp_path):
    """The city saved its 汇总表 in the inbox, then a county withdrew one application: the old output
    still carries that base (counted, with a warning naming the file), and nothing else twice."""
    root, _ = world
    inbox = tmp_path / "inbox"
    shutil.copytree(root / "收件" / "忻州市", inbox)
    withdrawn = next((inbox / "忻府区").glob("*云中*"))
    merge([inbox], inbox / "汇总表_旧.xlsx")
    withdrawn.unlink()
    clean = merge([p for p in inbox.iterdir() if p.name != "汇总表_旧.xlsx"], tmp_path / "clean.xlsx")
    again = merge([inbox], tmp_path / "again.xlsx")
    notes = [p for p in again["problems"] if p["rule"] == "summary-sources-partly-here"]
    assert len(notes) == 1 and withdrawn.name in notes[0]["message"] and notes[0]["severity"] == "warning"
    assert again["summary"]["bases"] == clean["summary"]["bases"] + 1     # the withdrawn base, from the old output
    # every other base's problems come once, from its own file; the old output's copies are notes at most
    serious = Counter((p["rule"], p["message"]) for p in again["problems"] if p["severity"] != "info"
                      and withdrawn.name not in p["file"] and p["rule"] != "summary-sources-partly-here"
                      and "云中" not in p["message"])
    assert serious == Counter((p["rule"], p["message"]) for p in clean["problems"] if p["severity"] != "info")


def test_a_blank_own_column_of_a_summary_is_no_error_a_level_up(world, tmp_path):
    """基地类型 is our column: blank in a county 汇总表, the type rules say so as notes; re-checking the
    汇总表 with another pack must not turn it into a 'required' error."""
    root, _ = world
    rep = merge([root / "上报/县/忻州市"], tmp_path / "demo.xlsx", rules="shanxi-2024-demo")
    assert not [p for p in rep["problems"] if p["rule"] == "required" and p["field"] == "base_type"]
