"""The 附件1 cover gives a base its 基地类型, the only place the notice asks for it, and the per-type
thresholds use it; our own 基地类型 column is never a required-field problem where a form has no place for it.

Covers are typed as strangers type them: label and value side by side, value below the label,
"基地类型：…" in one cell, the printed options ticked with whatever mark the clerk's font offers, or the
options in cells of their own. `xlbase validate` runs as a subprocess on workbooks built here.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from city_inboxes import Base, a2_list, a10_table, a10_values, make_firms
from firm_lists import a3_sheet
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from xlbase.forms import value_list, value_lists
from xlbase.read import read_workbook
from xlbase.read.cover import ticked_type

TYPES = value_list("base_type")
CHECKED = ["☑", "☒", "■", "√", "✓", "✔", "●", "R"]
UNCHECKED = ["□", "☐", "○", "口", "£"]


def _spellings(t: str) -> list[str]:
    return [t, *((value_lists()["base_type"].get("aliases") or {}).get(t) or ())]


@st.composite
def ticked_lists(draw, n_ticked: int | None = 1):
    """A printed option list with marks before or after each option, and which type is ticked."""
    options = draw(st.lists(st.sampled_from(TYPES), min_size=2, max_size=6, unique=True))
    ticked = n_ticked if n_ticked is not None else draw(st.sampled_from([0, 2]))
    on = set(draw(st.permutations(range(len(options))))[:ticked])
    after = draw(st.booleans())
    sep = draw(st.sampled_from([" ", "  ", "　", "、", "\n", "；", ""]))     # "": options typed without a space
    parts = []
    for i, t in enumerate(options):
        wrapped = draw(st.sampled_from(["{}", "（{}）", "{} "]))
        blank = ["（ ）", "（）"] if after and on and wrapped == "（{}）" else []    # an option left unticked: ( )
        mark = draw(st.sampled_from(CHECKED if i in on else UNCHECKED + blank))
        if mark in blank:
            mark, wrapped = "", mark
        spelled = draw(st.sampled_from(_spellings(t)))
        parts.append(f"{spelled}{wrapped.format(mark)}" if after else f"{mark}{spelled}")
    chosen = [options[i] for i in sorted(on)]
    return sep.join(parts), chosen


@settings(max_examples=200, deadline=None)
@given(ticked_lists())
def test_the_one_ticked_option_is_the_type(case):
    text, chosen = case
    base_type, why, by_tick = ticked_type(text)
    assert (base_type, why, by_tick) == (chosen[0], "", True), text


@settings(max_examples=100, deadline=None)
@given(ticked_lists(n_ticked=None))
def test_none_or_several_ticked_decide_nothing_and_say_why(case):
    text, _ = case
    base_type, why, _ = ticked_type(text)
    assert base_type is None and why, text


@pytest.mark.parametrize("text, expected", [
    ("楼宇型", "楼宇型"), (" 城市楼宇型 ", "楼宇型"), ("☑楼宇型 □园区型", "楼宇型"), ("□楼宇型 ☑园区型", None),
    ("楼宇型（√）  工业园区型（ ）", "楼宇型"), ("√工业园区型", "工业园区型"), ("R楼宇型 £工业园区型", "楼宇型"),
    ("□楼宇型 □工业园区型", None), ("综合型", None), ("", None), (None, None),
    # typed without a space, the unticked option's brackets left empty: the mark closes onto the option before
    ("楼宇型（√）工业园区型（ ）", "楼宇型"), ("楼宇型(√)工业园区型()其他园区型( )", "楼宇型"),
    ("工业园区型（ ）楼宇型（√）", "楼宇型"), ("楼宇型【√】工业园区型【 】", "楼宇型"),
])
def test_cover_type_texts(text, expected):
    assert ticked_type(text)[0] == expected


# --- whole workbooks through the CLI ------------------------------------------------------------

def cover(ws, base: Base, style: str, type_text: str) -> str:
    """附件1 as a clerk lays it out; returns the cell that holds the type (or its first option)."""
    ws["A1"], ws["A2"] = "附件1", "山西省小微企业创业创新基地申请报告"
    lines = [("申请单位名称（盖章）", base.operator), ("运营主体", base.operator), ("基地类型", type_text),
             ("主管部门", f"{base.county}工业和信息化局")]
    if style == "inline":          # "基地类型：☑楼宇型 □园区型" in one cell
        for r, (label, value) in enumerate(lines, start=4):
            ws.cell(r, 1, f"{label}：{value}")
        return "A6"
    if style == "below":           # each label with its value on the line below
        for i, (label, value) in enumerate(lines):
            ws.cell(4 + 2 * i, 2, label)
            ws.cell(5 + 2 * i, 2, value)
        return "B9"
    if style == "cells":           # options ticked in cells of their own after the label
        for r, (label, value) in enumerate(lines, start=4):
            ws.cell(r, 2, label)
            for c, part in enumerate(value.split(" ") if label == "基地类型" else [value], start=3):
                ws.cell(r, c, part)
        return "C6"
    for r, (label, value) in enumerate(lines, start=4):       # label | value
        ws.cell(r, 2, label)
        ws.cell(r, 4, value)
    return "D6"


WORDS = iter("鑫源 锦纶 东阳 凤鸣 农谷 金庄 晋商 汇源 绵山 古城 通达 科创 文创 星火 远航 启明 华耀 宏达".split())


def application(path: Path, n_firms: int, *, cover_style: str | None, type_text: str = "",
                a2_type: str | None = None, cover_file: Path | None = None) -> str | None:
    """A base's workbook: optional 附件1 cover, 附件2 without a 基地类型 line unless `a2_type`, 附件3, 附件10."""
    rng = random.Random(n_firms)
    word = next(WORDS)      # each workbook its own base: one batch, no resubmissions
    b = Base(f"寿阳县{word}双创基地", f"寿阳县{word}科技发展有限公司", "晋中市", "寿阳县",
             firms=make_firms(rng, n_firms, 7, region="140700"), base_type=a2_type)
    wb = Workbook()
    ws = wb.active
    cell = None
    if cover_file is not None:      # the cover sent as a file of its own
        alone = Workbook()
        alone.active.title = "附件1"
        cell = cover(alone.active, b, cover_style or "beside", type_text)
        alone.save(cover_file)
        ws.title = "附件2"
    elif cover_style is not None:
        ws.title = "封面"
        cell = cover(ws, b, cover_style, type_text)
        ws = wb.create_sheet("附件2")
    else:
        ws.title = "附件2"
    a2_list(ws, b)
    if a2_type is None:
        for r in range(1, ws.max_row + 1):
            if ws.cell(r, 1).value == "基地类型":
                ws.delete_rows(r)
                break
    a3_sheet(wb.create_sheet("附件3"), b.firms)
    a10_table(wb.create_sheet("附件10"), [a10_values(b)], title="2024年省级小微企业双创基地基本情况表", org=b.operator)
    wb.save(path)
    return cell


STYLES = [("beside", "楼宇型"), ("inline", "☑楼宇型 □工业园区型"), ("below", "□工业园区型 √楼宇型"),
          ("cells", "☑楼宇型 □工业园区型 □其他园区型")]
UNDECIDED = ["□楼宇型 □工业园区型", "☑楼宇型 ☑工业园区型", "☑园区型 □楼宇型"]


def _swap(text: str) -> str:
    return text.replace("楼宇型", "X").replace("工业园区型", "楼宇型").replace("X", "工业园区型")


@pytest.fixture(scope="module")
def inbox(tmp_path_factory):
    """Every case's workbook in one folder, validated by one `xlbase validate` subprocess; the problems
    per file name, and the cell each case put its type in."""
    root = tmp_path_factory.mktemp("covers")
    cells = {}
    for style, text in STYLES:
        cells[f"{style}.xlsx"] = application(root / f"{style}.xlsx", 20, cover_style=style, type_text=text)
        application(root / f"{style}-park.xlsx", 20, cover_style=style, type_text=_swap(text))
    for i, text in enumerate(UNDECIDED):
        cells[f"undecided{i}.xlsx"] = application(root / f"undecided{i}.xlsx", 20, cover_style="beside",
                                                   type_text=text)
    application(root / "both.xlsx", 20, cover_style="beside", type_text="楼宇型", a2_type="工业园区型")
    application(root / "bare.xlsx", 20, cover_style=None)
    cells["封面.xlsx"] = application(root / "alone.xlsx", 20, cover_style=None, type_text="☑楼宇型 □工业园区型",
                                     cover_file=root / "封面.xlsx")
    stray = Workbook()
    stray.active.title = "附件1"
    cells["stray.xlsx"] = cover(stray.active, Base("平遥县远山双创基地", "平遥县远山物流有限公司", "晋中市", "平遥县"),
                                "beside", "楼宇型")
    stray.save(root / "stray.xlsx")
    rep = root.parent / "covers.json"
    proc = subprocess.run([sys.executable, "-m", "xlbase", "validate", str(root), "--json", str(rep), "-q"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode in (0, 1), proc.stderr
    problems: dict[str, list[dict]] = {}
    for p in json.loads(rep.read_text(encoding="utf-8"))["problems"]:
        problems.setdefault(Path(p["file"]).name, []).append(p)
    return problems, cells


@pytest.mark.parametrize("style", [s for s, _ in STYLES])
def test_the_cover_type_decides_the_threshold(inbox, style):
    found, cells = inbox
    # 20 firms: too few for a 楼宇型 base (25), enough for a 工业园区型 one (10)
    problems = found[f"{style}.xlsx"]
    low = [p for p in problems if p["rule"] == "resident-firms-min"]
    assert [(p["severity"], p["sheet"]) for p in low] == [("error", "附件10")], low
    assert "楼宇型" in low[0]["message"] and "25" in low[0]["message"]
    read = [p for p in problems if p["rule"] == "cover-base-type"]
    assert [(p["severity"], p["sheet"], p["cell"], p["value"]) for p in read] == \
        [("info", "封面", cells[f"{style}.xlsx"], "楼宇型")]
    assert not [p for p in problems if p["rule"] == "required" and p.get("field") == "基地类型"]
    park = found.get(f"{style}-park.xlsx", [])
    assert not [p for p in park if p["rule"] == "resident-firms-min" and p["severity"] != "info"]
    assert [p["value"] for p in park if p["rule"] == "cover-base-type"] == ["工业园区型"]


@pytest.mark.parametrize("i", range(len(UNDECIDED)))
def test_an_undecided_cover_is_one_warning_naming_the_cell(inbox, i):
    found, cells = inbox
    problems = found[f"undecided{i}.xlsx"]
    unclear = [p for p in problems if p["rule"] == "cover-base-type-unclear"]
    assert [(p["severity"], p["cell"]) for p in unclear] == [("warning", cells[f"undecided{i}.xlsx"])]
    assert "工业园区型" in unclear[0]["message"]          # says which types would decide it
    assert not [p for p in problems if p["rule"] == "resident-firms-min" and p["severity"] == "error"]


def test_a2_type_wins_over_the_cover_and_no_cover_is_no_required_problem(inbox):
    found, _ = inbox
    problems = found["both.xlsx"]
    assert not [p for p in problems if p["rule"] in ("cover-base-type", "cover-base-type-unclear")]
    assert not [p for p in problems if p["rule"] == "resident-firms-min" and p["severity"] == "error"]

    problems = found["bare.xlsx"]     # no cover, no 基地类型 line: the per-type check says it was not made
    assert not [p for p in problems if p["rule"] == "required" and p.get("field") == "基地类型"], problems
    unknown = [p for p in problems if p["rule"] == "resident-firms-min"]
    assert unknown and all(p["severity"] == "info" and "附件1" in p["message"] for p in unknown)


def test_a_cover_sent_alone_gives_its_type_to_the_application_it_names(inbox):
    found, cells = inbox
    # the cover's 申请单位名称 names the operator of alone.xlsx: its 20 firms are judged as 楼宇型
    low = [p for p in found["alone.xlsx"] if p["rule"] == "resident-firms-min"]
    assert [(p["severity"], p["sheet"]) for p in low] == [("error", "附件10")], low
    read = [p for p in found["封面.xlsx"] if p["rule"] == "cover-base-type"]
    assert [(p["severity"], p["sheet"], p["cell"], p["value"]) for p in read] == [("info", "附件1", cells["封面.xlsx"], "楼宇型")]
    assert "alone.xlsx" in read[0]["message"]
    assert not [p for p in found["封面.xlsx"] if p["severity"] == "error"]
    # a cover of a base with no application here: its type is used for nothing, and it says so
    stray = found["stray.xlsx"]
    assert [(p["rule"], p["severity"], p["cell"]) for p in stray if p["severity"] != "info"] == \
        [("cover-unattached", "warning", cells["stray.xlsx"])]


@pytest.mark.parametrize(("style", "text", "said"), [*[(s, t, "基地类型“楼宇型”") for s, t in STYLES],
                                                     ("beside", UNDECIDED[1], "基地类型未能确定")])
def test_read_shows_a_cover_sent_alone_as_a_cover(tmp_path, style, text, said):
    """`xlbase read` on a workbook holding only a 附件1 cover names it a cover with its 基地类型 (and cell),
    not a file that is no spreadsheet."""
    wb = Workbook()
    wb.active.title = "封面"
    cell = cover(wb.active, Base("平遥县远山双创基地", "平遥县远山物流有限公司", "晋中市", "平遥县"), style, text)
    wb.save(tmp_path / "封面.xlsx")
    proc = subprocess.run([sys.executable, "-m", "xlbase", "read", str(tmp_path / "封面.xlsx")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    body, _, summary = proc.stdout.partition("共 1 个文件")
    assert "附件1 申请书封面" in body and f"{cell} {said}" in body and "平遥县远山物流有限公司" in body
    assert "不是表格文件" not in proc.stdout and "封面 1 个" in summary


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def cover_docx(path: Path, base: Base, style: str, type_text: str) -> str:
    """附件1 filled in Word, as a minimal .docx package (what Word saves, less styles and settings): the lines
    as paragraphs ("label：value") or as a label | value table; returns where Word shows the type."""
    def para(text: str) -> str:
        runs = "".join(f"<w:r><w:t xml:space=\"preserve\">{part}</w:t></w:r>"    # a run per word, as Word splits them
                       for part in re.findall(r"\S+\s*", text))
        return f"<w:p>{runs}</w:p>"

    lines = [("申请单位名称（盖章）", base.operator), ("运营主体", base.operator), ("基地类型", type_text),
             ("主管部门", f"{base.county}工业和信息化局")]
    body = [para("附件1"), para("山西省小微企业创业创新基地申请报告"), "<w:p/>"]
    if style == "table":
        rows = "".join(f"<w:tr><w:tc>{para(label)}</w:tc><w:tc>{para(value)}</w:tc></w:tr>" for label, value in lines)
        body.append(f"<w:tbl>{rows}</w:tbl>")
        where = "表格1第3行第2格"
    else:
        body += [para(f"{label}：{value}") for label, value in lines]
        where = "第6段"
    doc = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}">'
           f'<w:body>{"".join(body)}<w:sectPr/></w:body></w:document>')
    types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
             'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
             'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
             '"/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
             'document.main+xml"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", types)
        zf.writestr("_rels/.rels", rels)
        zf.writestr("word/document.xml", doc)
    return where


@pytest.mark.parametrize(("style", "text"), [("paragraphs", "☑楼宇型 □工业园区型"), ("table", "楼宇型（√） 工业园区型（ ）"),
                                             ("table", "楼宇型")])
def test_a_cover_written_in_word_gives_its_type_to_the_application_beside_it(tmp_path, style, text):
    """附件1 sent as a .docx beside the base's workbook: read as a cover (read shows its type and where Word
    shows it), and merge judges the base by that type."""
    root = tmp_path / "寿阳县"
    root.mkdir()
    rng = random.Random(3)
    b = Base("寿阳县远帆双创基地", "寿阳县远帆科技发展有限公司", "晋中市", "寿阳县",
             firms=make_firms(rng, 20, 7, region="140700"))
    wb = Workbook()
    wb.active.title = "附件2"
    a2_list(wb.active, b)
    for r in range(1, wb.active.max_row + 1):
        if wb.active.cell(r, 1).value == "基地类型":
            wb.active.delete_rows(r)
            break
    a3_sheet(wb.create_sheet("附件3"), b.firms)
    a10_table(wb.create_sheet("附件10"), [a10_values(b)], title="2024年省级小微企业双创基地基本情况表", org=b.operator)
    wb.save(root / "申报表.xlsx")
    where = cover_docx(root / "附件1 申请报告封面.docx", b, style, text)

    shown = subprocess.run([sys.executable, "-m", "xlbase", "read", str(root / "附件1 申请报告封面.docx")],
                           capture_output=True, text=True, timeout=120)
    assert shown.returncode == 0 and f"{where} 基地类型“楼宇型”" in shown.stdout, shown.stdout + shown.stderr
    rep = tmp_path / "rep.json"
    proc = subprocess.run([sys.executable, "-m", "xlbase", "validate", str(root), "--json", str(rep), "-q"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode in (0, 1), proc.stderr
    problems = json.loads(rep.read_text(encoding="utf-8"))["problems"]
    low = [p for p in problems if p["rule"] == "resident-firms-min"]
    assert [(p["severity"], p["sheet"]) for p in low] == [("error", "附件10")], low     # 20 firms < 25 (楼宇型)
    read = [p for p in problems if p["rule"] == "cover-base-type"]
    assert [(Path(p["file"]).suffix, p["cell"], p["value"]) for p in read] == [(".docx", where, "楼宇型")]
    assert not [p for p in problems if Path(p["file"] or "").suffix == ".docx" and p["severity"] != "info"]


def test_a_word_file_that_is_no_cover_is_set_aside_as_before(tmp_path):
    made = tmp_path / "made.docx"
    cover_docx(made, Base("寿阳县远帆双创基地", "某公司", "晋中市", "寿阳县"), "paragraphs", "楼宇型")
    with zipfile.ZipFile(made) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    parts["word/document.xml"] = parts["word/document.xml"].replace("基地类型".encode(), "联系电话".encode())
    with zipfile.ZipFile(tmp_path / "说明.docx", "w") as zf:
        for n, d in parts.items():
            zf.writestr(n, d)
    wr = read_workbook(tmp_path / "说明.docx")
    assert wr.cover is None and [p.rule for p in wr.problems] == ["file-not-spreadsheet"]
