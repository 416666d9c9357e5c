"""Every file in an inbox folder is read or named in the report, and every sheet with rows is read or named.

A city's inbox holds more than .xlsx: a WPS .et, an .ods, a county's folder as .zip (its workbooks read,
tests/read/test_zip_inbox.py), the notice as .docx/.pdf, photos of stamped pages, Thumbs.db. They used to be
skipped without a word, as was a 附件3 continued on a second sheet without its header.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import messy
import ods
import openpyxl
import pytest

from xlbase.commands.merge import merge_command
from xlbase.read import expand_inputs, read_workbook
from xlbase.commands.read import inspect_command
from xlbase.read.sheet_tables import UNREAD_MIN_CELLS, UNREAD_MIN_ROWS


def _docx(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/'
                   'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("word/document.xml", '<?xml version="1.0"?><w:document xmlns:w="urn:w"/>')
    return path


@pytest.fixture()
def inbox(tmp_path):
    """A county folder as a clerk leaves it: one .xlsx, the same kind of workbook as .et and .ods, and clutter."""
    d = tmp_path / "收件" / "忻州市" / "忻府区"
    d.mkdir(parents=True)
    messy.applicant_workbook(d / "甲_申报表.xlsx")
    messy.summary_workbook(d / "县汇总.et")                      # WPS's own name; the content decides
    ods.from_workbook(d / "甲_申报表.xlsx", d / "乙_申报表.ods")
    _docx(d.parent / "通知.docx")
    (d.parent / "通知.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n")
    (d / "盖章页.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(300))
    with zipfile.ZipFile(d / "材料.zip", "w") as z:
        z.write(d / "甲_申报表.xlsx", "材料/甲_申报表.xlsx")
    (d / "说明.csv").write_text("企业名称,职工人数\n甲,3\n", encoding="utf-8")
    for junk in ("Thumbs.db", "desktop.ini", ".DS_Store", "~$甲_申报表.xlsx"):
        (d / junk).write_bytes(b"\x00junk")
    return tmp_path / "收件"


def test_every_file_is_read_or_reported(inbox, tmp_path):
    files, problems = expand_inputs([str(inbox)])
    names = sorted(f.name for f in files)
    assert not problems
    assert names == sorted(["甲_申报表.xlsx", "县汇总.et", "乙_申报表.ods", "通知.docx", "通知.pdf", "盖章页.jpg",
                            "甲_申报表.xlsx", "说明.csv"])     # system and lock files only are skipped; the zip's
    assert any(str(f).endswith("材料.zip!/材料/甲_申报表.xlsx") for f in files)   # workbook is an input of its own
    out, js = tmp_path / "out" / "汇总表.xlsx", tmp_path / "out" / "r.json"
    res = merge_command([str(inbox)], out=out, json_out=js, quiet=True)
    assert res.exit_code in (0, 1)
    doc = json.loads(js.read_text("utf-8"))
    status = {re.split(r"忻州市/(?:忻府区/)?", i["file"])[-1]: i["status"] for i in doc["inputs"]}
    assert status["甲_申报表.xlsx"] in ("ok", "partial") and status["乙_申报表.ods"] in ("ok", "partial")
    assert status["县汇总.et"] in ("ok", "partial")
    for name in ("通知.docx", "通知.pdf", "盖章页.jpg", "说明.csv"):
        assert status[name] == "not-spreadsheet", (name, status)
    assert status["材料.zip!/材料/甲_申报表.xlsx"] in ("ok", "partial")
    assert len(status) == 8
    for i in doc["inputs"]:
        assert i["rows_read"] == i["rows_merged"] + i["rows_rejected"], i
        if i["status"] in ("not-spreadsheet", "archive"):
            assert i["rows_read"] == 0
    by_file = {}
    for p in doc["problems"]:
        by_file.setdefault(Path(p["file"] or "").name, []).append(p)
    for name, what in (("通知.docx", "Word 文档"), ("通知.pdf", "PDF"), ("盖章页.jpg", "图片")):
        [p] = by_file[name]
        assert p["severity"] == "info" and "不是表格文件" in p["message"] and what in p["message"] and name in p["message"]
    [p] = by_file["说明.csv"]   # read as a text table: no form in it, so set aside with a warning (it may hold one)
    assert p["severity"] == "warning" and "没有找到可识别的表格" in p["message"] and status["说明.csv"] == "not-spreadsheet"
    # the .ods, the .xlsx and the one in the zip hold the same base: the duplicate rule keeps one, its firms once
    wb = openpyxl.load_workbook(out, read_only=True)
    a11 = [r[1] for r in wb["附件11"].iter_rows(min_row=5, values_only=True) if r[1]]
    assert sum(messy.BASE_NAME in str(n) for n in a11) == 1


def test_disguised_spreadsheet_names_stay_errors(tmp_path):
    """Named as a spreadsheet, a Word file or a zip is a broken submission (error), not clutter."""
    for name in ("表.xlsx", "表.et", "表.ods"):
        _docx(tmp_path / name)
        wr = read_workbook(tmp_path / name)
        assert wr.status == "word-file" and wr.problems[0].severity == "error", name


def test_ods_reads_like_the_same_xlsx(tmp_path):
    src = tmp_path / "a.xlsx"
    messy.applicant_workbook(src)
    a, b = read_workbook(src), read_workbook(ods.from_workbook(src, tmp_path / "a.ods"))
    assert b.ok and [t.form_id for t in a.tables] == [t.form_id for t in b.tables]
    for ta, tb in zip(a.tables, b.tables):
        assert ta.data.equals(tb.data), ta.form_id
        assert ta.record == tb.record
    assert sorted((p.rule, p.sheet, p.cell) for p in a.problems) == sorted((p.rule, p.sheet, p.cell) for p in b.problems)


def _with_continuation(path: Path, rows: int, cells: int = 9) -> Path:
    messy.applicant_workbook(path)
    wb = openpyxl.load_workbook(path)
    ws = wb.create_sheet("Sheet2")
    for r in range(rows):
        ws.append([20 + r, f"续表企业{r}有限公司", "91140900MA0K000000", "2023年09月", 80, 15, 60.8, 2.1, 8.7][:cells])
    notes = wb.create_sheet("封面")
    for line in (("申报单位：", "忻州云中科技"), ("基地类型：", "楼宇型"), ("日期：", "2024年8月"), ("说明",)):
        notes.append(line)
    wb.save(path)
    return path


def test_rows_on_a_sheet_without_header_are_named(tmp_path):
    wr = read_workbook(_with_continuation(tmp_path / "a.xlsx", 10))
    assert wr.ok
    [p] = [p for p in wr.problems if p.rule == "unread-sheet"]
    assert p.severity == "warning" and p.sheet == "Sheet2" and p.cell == "A1"
    assert p.message.startswith("工作表“Sheet2”有 10 行内容（A1:I10），但没有找到官方表格的表头，未读取；")
    assert "附件3的续表" in p.message
    lines = "\n".join(inspect_command([str(tmp_path / "a.xlsx")]).lines)
    assert "未读取的工作表：工作表“Sheet2”有 10 行内容（A1:I10）" in lines


@pytest.mark.parametrize("rows, cells", [(UNREAD_MIN_ROWS - 1, 9), (10, UNREAD_MIN_CELLS - 1)])
def test_few_rows_or_label_value_sheets_stay_quiet(tmp_path, rows, cells):
    wr = read_workbook(_with_continuation(tmp_path / "a.xlsx", rows, cells))
    assert not [p for p in wr.problems if p.rule == "unread-sheet"]


def test_no_form_file_says_which_sheet_had_rows(tmp_path):
    path = tmp_path / "续表.xlsx"
    wb = openpyxl.Workbook()
    for r in range(5):
        wb.active.append([r + 1, f"企业{r}", "91140900MA0K000000", 80, 15])
    wb.save(path)
    wr = read_workbook(path)
    assert wr.status == "no-form"
    assert [p.rule for p in wr.problems] == ["file-unusable", "unread-sheet"]


def test_read_lists_files_not_read_without_failing(inbox):
    d = inbox / "忻州市"
    shutil.rmtree(d / "忻府区")
    res = inspect_command([str(inbox)])
    text = "\n".join(res.lines)
    assert res.exit_code == 2            # nothing readable: the notice only
    (d / "a.xlsx").write_bytes(b"")
    messy.summary_workbook(d / "b.xlsx")
    res = inspect_command([str(inbox)])
    text = "\n".join(res.lines)
    assert "未读取：文件“通知.docx”不是表格文件（Word 文档），未读取。" in text
    assert "无法读取：文件“a.xlsx”是空文件" in text
    assert "可读取 1 个，无法读取 1 个，不是表格文件或压缩包（未读取）2 个" in text
    assert res.exit_code == 1            # the empty .xlsx, not the notice
    (d / "a.xlsx").unlink()
    assert inspect_command([str(inbox)]).exit_code == 0


def test_own_json_reports_beside_outputs_are_not_inputs(tmp_path):
    """A city merges a folder of county 汇总表s kept with their --json reports: the reports are ours, not input."""
    county = tmp_path / "县"
    county.mkdir()
    messy.summary_workbook(tmp_path / "src.xlsx")
    merge_command([str(tmp_path / "src.xlsx")], out=county / "汇总表.xlsx", json_out=county / "汇总表.json", quiet=True)
    (county / "别人的.json").write_text('{"version": 1, "data": []}', encoding="utf-8")
    files, _ = expand_inputs([str(county)])
    assert sorted(f.name for f in files) == ["别人的.json", "汇总表.xlsx"]
