"""Firm lists (附件3) sent apart from their base, the way strangers send them (tests/fixtures/firm_lists.py):
as files named after the base, its operator or something vague with the base in the title line, as sheets of a
county workbook beside its 附件11, for a base that is nowhere else, and for two bases that fit equally.

`xlbase merge` as a subprocess: every firm of the truth is in 入驻企业 under its base, or its list is named in
a warning; the firms per base are exactly the truth; every row read is merged or rejected; the rules count an
attached list with its base (a planted 已入驻企业数 that disagrees with it is the only error). Then the same
inbox merged county by county and the counties' 汇总表s merged again: the same firms under the same bases.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import openpyxl
import pytest
from firm_lists import build_inbox

from xlbase.commands.merge import merge_command
from xlbase.merge.attach import core, named_base


@pytest.fixture(scope="module")
def inbox(tmp_path_factory):
    root = tmp_path_factory.mktemp("firm_lists") / "晋中市"
    return root, build_inbox(root)


def firms_by_base(path: Path) -> dict[str, list[str]]:
    """所属基地 -> 企业名称 of every row of the 入驻企业 sheet of a 汇总表 we wrote."""
    ws = openpyxl.load_workbook(path, read_only=True)["入驻企业"]
    rows = list(ws.iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r and "所属基地" in r and "企业名称" in r)
    b, f = rows[head].index("所属基地"), rows[head].index("企业名称")
    out: dict[str, list[str]] = defaultdict(list)
    for r in rows[head + 1:]:
        if r and r[f]:
            out[r[b]].append(r[f])
    return dict(out)


def rel(file: str, root: Path) -> str:
    head = file.split(" ← ")[0]
    try:
        return Path(head).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return head


def test_every_firm_reaches_its_base_or_a_warning(inbox, tmp_path):
    root, truth = inbox
    out, rep = tmp_path / "市汇总.xlsx", tmp_path / "市汇总.json"
    proc = subprocess.run([sys.executable, "-m", "xlbase", "merge", str(root), "-o", str(out), "--json", str(rep)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 1, proc.stderr       # one error was planted
    report = json.loads(rep.read_text(encoding="utf-8"))
    problems = report["problems"]

    got = firms_by_base(out)
    assert {b: sorted(v) for b, v in got.items()} == {b: sorted(v) for b, v in truth.firms.items()}
    assert report["summary"]["firms"] == sum(len(v) for v in truth.firms.values())

    for (file, sheet), base in truth.attached.items():
        hits = [p for p in problems if p["rule"] == "firms-attached" and rel(p["file"], root) == file
                and p["sheet"] == sheet]
        assert len(hits) == 1 and hits[0]["base"] == base and hits[0]["severity"] == "info", (file, sheet, hits)
    for file, sheet, names in truth.unattached:
        hits = [p for p in problems if p["rule"] == "firms-base-unclear" and rel(p["file"], root) == file
                and p["sheet"] == sheet]
        assert len(hits) == 1 and hits[0]["severity"] == "warning", hits
        assert hits[0]["value"] == len(names) and all(n in hits[0]["message"] for n in names[:6])
        assert "汇源科创" in hits[0]["message"] and "汇源文创" in hits[0]["message"]   # the candidates named
        account = next(a for a in report["inputs"] if rel(a["file"], root) == file)
        assert account["rows_rejected"] == len(names) and account["rows_merged"] == 0
    for name in truth.firm_only:
        hits = [p for p in problems if p["rule"] == "base-without-row" and p["base"] == name]
        assert len(hits) == 1 and hits[0]["severity"] == "warning"
        assert not [p for p in problems if p["base"] == name and p["severity"] == "error"]

    for a in report["inputs"]:
        assert a["rows_read"] == a["rows_merged"] + a["rows_rejected"], a
    errors = [(rel(p["file"], root), p["sheet"], p["cell"], p["rule"]) for p in problems if p["severity"] == "error"]
    assert errors == truth.planted
    assert "merge-firms-unattached" not in {p["rule"] for p in problems}
    # an attached list is the application's 附件3: no “申报材料中没有附件3/附件10” for either file
    attached_files = {f for f, _ in truth.attached} | {f for f, _, _ in truth.unattached}
    missing = [rel(p["file"], root) for p in problems if p["rule"] == "forms-missing"]
    assert not set(missing) & attached_files
    assert all(f.startswith("灵石县/") for f in missing), missing     # only the bases whose list was not placed


def test_county_summaries_merged_again_give_the_same_firms(inbox, tmp_path):
    root, truth = inbox
    summaries = []
    for county in sorted(p for p in root.iterdir() if p.is_dir()):
        out = tmp_path / "县" / f"{county.name}汇总表.xlsx"
        out.parent.mkdir(exist_ok=True)
        res = merge_command([str(county)], out=out, jobs=1, quiet=True)
        assert res.exit_code in (0, 1), res.errors
        summaries.append(out)
    city = tmp_path / "市汇总（由县汇总表）.xlsx"
    rep = city.with_suffix(".json")
    res = merge_command([str(s) for s in summaries], out=city, json_out=rep, jobs=1, quiet=True)
    assert res.exit_code == 1, res.errors
    got = firms_by_base(city)
    assert {b: sorted(v) for b, v in got.items()} == {b: sorted(v) for b, v in truth.firms.items()}
    report = json.loads(rep.read_text(encoding="utf-8"))
    rules = Counter(p["rule"] for p in report["problems"] if p["severity"] != "info")
    assert rules["base-without-row"] == 1 and rules["firms-base-unclear"] == 1
    assert "merge-firms-unattached" not in rules


@pytest.mark.parametrize("name, expected", [
    ("寿阳县鑫源双创基地", "鑫源"), ("晋中市寿阳县鑫源双创基地", "鑫源"), ("寿阳县鑫源科技发展有限公司", "鑫源"),
    ("山西晋商企业服务有限公司", "晋商"), ("平遥金庄电子商务有限公司", "金庄电子商务"),
    ("太原市晋源区晋源双创基地", "晋源"), ("小微企业创业创新基地", ""),
    # a county's one base named by place and kind only: its name after province and city, never the notice's words
    ("晋中市寿阳县创新创业服务中心", "寿阳县创新创业服务中心"), ("寿阳县双创基地", "寿阳县双创基地"),
    ("山西省晋中市介休市众创空间", "介休市众创空间"), ("山西省小微企业双创基地", ""), ("晋中市小微企业双创基地", ""),
])
def test_the_core_of_a_name_is_what_a_person_reads_as_the_name(name, expected):
    assert core(name) == expected


@pytest.mark.parametrize("text, expected", [
    ("介休市绵山众创空间入驻企业基本情况表", "介休市绵山众创空间"), ("附件3-农谷科创基地", "农谷科创基地"),
    ("小微企业创新创业基地入驻企业基本情况表", None), ("入驻企业名单", None), ("Sheet1", None),
    ("填报单位（盖章）：平遥县工业和信息化局", None),
])
def test_a_text_names_a_base_only_when_it_ends_like_one_and_is_more_than_its_kind(text, expected):
    assert named_base(text) == expected


def test_a_base_column_and_the_only_base_of_a_county_attach_lists(tmp_path):
    from firm_lists import build_row_base_inbox
    root = tmp_path / "晋中市"
    truth = build_row_base_inbox(root)
    out, rep = tmp_path / "市汇总.xlsx", tmp_path / "市汇总.json"
    proc = subprocess.run([sys.executable, "-m", "xlbase", "merge", str(root), "-o", str(out), "--json", str(rep)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode in (0, 1), proc.stderr
    report = json.loads(rep.read_text(encoding="utf-8"))
    problems = report["problems"]
    got = firms_by_base(out)
    assert {b: sorted(v) for b, v in got.items()} == {b: sorted(v) for b, v in truth.firms.items()}
    for a in report["inputs"]:
        assert a["rows_read"] == a["rows_merged"] + a["rows_rejected"] and a["rows_rejected"] == 0, a
    attached = [p for p in problems if p["rule"] == "firms-attached"]
    by_column = [p for p in attached if rel(p["file"], root) == "祁县/祁县入驻企业汇总.xlsx"]
    assert sorted(p["base"] for p in by_column) == sorted(b for b in truth.firms if b.startswith("晋中市祁县"))
    assert all("所属基地" in p["message"] for p in by_column)
    (county,) = [p for p in attached if rel(p["file"], root) == "补报/昔阳县入驻企业情况.xlsx"]
    assert county["base"] == truth.attached[("补报/昔阳县入驻企业情况.xlsx", "Sheet1")] and "唯一" in county["message"]
    assert not [p for p in problems if p["rule"] in ("unknown-column", "firms-base-unclear", "merge-firms-unattached",
                                                     "forms-missing")]
    # the rules count each base's part of the county list with the base: no firm-count or employee-sum error
    assert not [p for p in problems if p["severity"] == "error"], [p for p in problems if p["severity"] == "error"]


def test_a_title_naming_the_longer_of_two_like_names_ties_the_list_to_it(tmp_path):
    """科创园双创基地 and 科创园83双创基地 in one county: a list titled 长治市潞城区科创园83双创基地入驻企业基本情况表
    holds both cores whole, and names the longer one (it was 'unclear', the firms unattached)."""
    import random

    import strangers
    from output_cells import merge

    rng = random.Random(3)
    bases = [strangers.base_values(rng, f"长治市潞城区科创园{n}双创基地", f"长治科创园{n}运营管理有限公司") for n in ("", "83")]
    firms = [strangers.firm_values(rng, i, "潞城区") for i in range(4)]
    style = strangers.Style()
    grid, list_grid = strangers.Grid(), strangers.Grid()
    strangers.write_table(rng, grid, 1, bases, strangers.columns(rng, strangers.A10_WORDS, strangers.A10_GROUPS, style),
                          style, title="潞城区2024年省级小微企业双创基地基本情况汇总表")
    strangers.write_table(rng, list_grid, 1, firms, strangers.columns(rng, strangers.A3_WORDS, strangers.A3_GROUPS, style),
                          style, title="长治市潞城区科创园83双创基地入驻企业基本情况表")
    strangers.save(tmp_path / "inbox" / "潞城区" / "潞城区汇总表.xlsx", {"Sheet1": grid})
    strangers.save(tmp_path / "inbox" / "潞城区" / "入驻企业名单.xlsx", {"Sheet1": list_grid})
    out, report = merge(tmp_path / "inbox", tmp_path)
    assert sorted(firms_by_base(out)["长治市潞城区科创园83双创基地"]) == sorted(f["firm_name"] for f in firms)
    assert not [p for p in report["problems"] if p["rule"] == "firms-base-unclear"]


def test_a_base_named_by_place_and_kind_only_gets_its_own_list(tmp_path):
    """A county 汇总表 with 银杏双创产业园 and 创新创业服务中心 (a name of place and kind words only, which had no core
    and was no candidate), each base's list titled with its name: the second list went to the first base as
    "所在文件夹中唯一的基地" and its firms were lost behind a 'second list' warning."""
    import random

    import strangers
    from output_cells import merge

    rng = random.Random(5)
    names = ["晋中市寿阳县银杏双创产业园", "晋中市寿阳县创新创业服务中心"]
    bases = [strangers.base_values(rng, n, f"寿阳{i}园区运营有限公司") for i, n in enumerate(names)]
    style = strangers.Style()
    grid = strangers.Grid()
    strangers.write_table(rng, grid, 1, bases, strangers.columns(rng, strangers.A10_WORDS, strangers.A10_GROUPS, style),
                          style, title="寿阳县2024年省级小微企业双创基地基本情况汇总表")
    strangers.save(tmp_path / "inbox" / "寿阳县" / "寿阳县汇总表.xlsx", {"Sheet1": grid})
    firms = {}
    for k, name in enumerate(names):
        firms[name] = [strangers.firm_values(rng, 10 * k + i, "寿阳县") for i in range(3)]
        list_grid = strangers.Grid()
        strangers.write_table(rng, list_grid, 1, firms[name],
                              strangers.columns(rng, strangers.A3_WORDS, strangers.A3_GROUPS, style),
                              style, title=f"{name}入驻企业基本情况表")
        strangers.save(tmp_path / "inbox" / "寿阳县" / f"{name}入驻企业名单.xlsx", {"Sheet1": list_grid})
    out, report = merge(tmp_path / "inbox", tmp_path)
    got = firms_by_base(out)
    for name in names:
        assert sorted(got[name]) == sorted(f["firm_name"] for f in firms[name]), name
    assert not [p for p in report["problems"] if p["rule"] in ("firms-base-unclear", "firms-second-list")]


def test_a_list_that_names_no_place_counts_for_its_bases_county(tmp_path):
    """A county sends its base's 汇总表 row and, beside it, a web system's export of the firms (no title, no
    填报单位, a file name of its own): both files sit in the county's folder, so the shown names lose it. The
    export counted for （未注明） in 各县情况 — a unit that sent nothing. It counts for the county of the base
    its firms went to."""
    import random

    import strangers
    from output_cells import merge

    rng = random.Random(14)
    name = "晋中市榆次区智创空间双创基地"
    style = strangers.Style()
    grid = strangers.Grid()
    strangers.write_table(rng, grid, 1, [strangers.base_values(rng, name, "晋中智创空间企业管理有限公司")],
                          strangers.columns(rng, strangers.A10_WORDS, strangers.A10_GROUPS, style), style,
                          title="榆次区2024年省级小微企业双创基地基本情况汇总表")
    strangers.save(tmp_path / "inbox" / "榆次区" / "榆次区汇总表.xlsx", {"Sheet1": grid})
    firms = [strangers.firm_values(rng, i, "榆次区") for i in range(4)]
    list_grid = strangers.Grid()
    strangers.write_table(rng, list_grid, 1, firms, strangers.columns(rng, strangers.A3_WORDS, strangers.A3_GROUPS, style),
                          style, title="入驻企业名单")
    strangers.save(tmp_path / "inbox" / "榆次区" / "入驻企业信息导出_20240701.xlsx", {"Sheet1": list_grid})
    out, _ = merge(tmp_path / "inbox", tmp_path)
    assert sorted(firms_by_base(out)[name]) == sorted(f["firm_name"] for f in firms)
    ws = openpyxl.load_workbook(out)["各县情况"]
    units = {r[1]: r[2] for r in ws.iter_rows(min_row=5, values_only=True) if r[0] is not None}
    assert units == {"榆次区": 2}


@pytest.mark.parametrize("layout", ["sections", "column", "column-merged"])
def test_a_stacked_list_says_what_named_each_bases_firms(tmp_path, layout):
    """One 附件3 with the firms of three bases one after another, under section rows (一、xx双创基地（6户）) or a
    所属基地 column: each base's firms are attached by what the clerk typed, and the message says that — the
    section row or the column, at the cell holding the base's name — never “本身没有写明所属基地” (the rows do
    name it) nor “所属基地栏” for a list that has no such column (it said so under section rows)."""
    import random

    import strangers

    from xlbase.merge.attach import attach_firm_lists
    from xlbase.read import read_workbook

    corpus = strangers.Corpus(tmp_path)
    paths = strangers._firms_stacked(random.Random(5), corpus, tmp_path / "潞州区", "潞州区", "firms-stacked", layout)
    reads = [read_workbook(p) for p in paths]
    said = [p for p in attach_firm_lists(reads, []) if p.rule == "firms-attached"]
    bases = list(dict.fromkeys(b for b, _ in corpus.firms))
    assert sorted(p.base for p in said) == sorted(bases)
    for p in said:
        assert "本身没有写明所属基地" not in p.message, p.message
        assert ("分段行" in p.message) == (layout == "sections") and ("所属基地栏" in p.message) == (layout != "sections")
        ws = __import__("openpyxl").load_workbook(paths[1])[p.sheet]
        assert p.base in str(ws[p.cell].value), (p.cell, ws[p.cell].value)      # the cell holding its name


@pytest.mark.parametrize("header", ["载体名称", "园区名称", "双创基地", "归口", ""])
def test_a_base_column_is_known_by_the_form_models_words_or_by_its_values(tmp_path, header):
    """The county's one firm list with each row's base in a column headed by a word of 附件10's 基地名称 (载体名称,
    园区名称, 双创基地 — the form model's words for a base's name, not only data/names.yaml's base_column list), or
    by a word saying nothing (归口, no header at all) over values that are names of bases: that column names each
    row's base, and the firms are attached by it (they were "本身没有写明所属基地" and unattached)."""
    import random

    import openpyxl
    import strangers

    from xlbase.merge.attach import attach_firm_lists
    from xlbase.read import read_workbook

    corpus = strangers.Corpus(tmp_path)
    paths = strangers._firms_stacked(random.Random(5), corpus, tmp_path / "潞州区", "潞州区", "firms-stacked", "column")
    wb = openpyxl.load_workbook(paths[1])
    ws = wb.active
    (cell,) = [c for row in ws.iter_rows() for c in row if c.value in ("所属基地", "基地名称", "入驻基地")]
    cell.value = header or None
    wb.save(paths[1])
    reads = [read_workbook(p) for p in paths]
    said = [p for p in attach_firm_lists(reads, []) if p.rule == "firms-attached"]
    assert sorted(p.base for p in said) == sorted(dict.fromkeys(b for b, _ in corpus.firms))
    assert all("本身没有写明所属基地" not in p.message for p in said), [p.message for p in said]
