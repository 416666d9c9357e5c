"""The validate command's outputs: exit codes, JSON contract, 问题清单 workbook, CJK terminal table."""

from __future__ import annotations

import json
import re
from urllib.parse import unquote

import openpyxl
from hypothesis import given, strategies as st

import xlbase.read as read_pkg
from rules_kit import a3_rows, a10_row, table
from xlbase.problems import Problem
from xlbase.report_text import fit, problems_table, width
from xlbase.table import WorkbookRead
from xlbase.problem_codes import title_of
from xlbase.commands.validate import validate_command
from xlbase.reports.problems import PROBLEM_COLUMNS, write_json_report, write_problems_workbook
from xlbase.rules import load_pack


def _fake_reader(monkeypatch, reads):
    monkeypatch.setattr(read_pkg, "expand_inputs", lambda inputs: ([r.path for r in reads], []), raising=False)
    monkeypatch.setattr(read_pkg, "read_files", lambda paths, **kw: reads, raising=False)


def _read(path, **a10):
    ts = [table("附件3", a3_rows(3), file=str(path)), table("附件10", [a10_row(**a10)], file=str(path))]
    return WorkbookRead(path=str(path), status="ok", tables=ts, sha256="0" * 64)


def test_exit_codes_and_reports(tmp_path, monkeypatch):
    src = tmp_path / "申报.xlsx"
    src.write_bytes(b"x")
    _fake_reader(monkeypatch, [_read(src)])
    res = validate_command([str(src)], json_out=tmp_path / "r.json", xlsx_out=tmp_path / "r.xlsx")
    assert res.exit_code == 1   # 3 firms < 25 for 楼宇型
    text = "\n".join(res.lines)
    assert "resident-firms-min" in text and "错误" in text and "shanxi-2024-base" in text
    doc = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert doc["version"] == 1 and doc["command"] == "validate" and doc["rule_pack"] == "shanxi-2024-base"
    assert doc["as_of"] == "2024-08-25"
    assert set(doc["inputs"][0]) == {"file", "status", "sha256", "rows_read", "rows_merged", "rows_rejected"}
    assert doc["summary"]["firms"] == 3 and doc["summary"]["bases"] == 1 and doc["summary"]["errors"] >= 1
    assert set(doc["summary"]) >= {"files", "bases", "firms", "errors", "warnings", "infos"}
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    ws = wb["问题清单"]
    assert tuple(c.value for c in ws[3]) == PROBLEM_COLUMNS   # under the title and the rule pack / 基准日期 line
    assert "shanxi-2024-base" in ws["A2"].value and "2024-08-25" in ws["A2"].value
    assert ws.freeze_panes == "A4" and ws.auto_filter.ref
    assert ws["B4"].value == "申报.xlsx"                        # the name, relative to the inputs' folder
    # 问题类别: the Chinese title of the code in 规则编号 (not printed), as the JSON keeps it
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=4)]
    assert [r[11] for r in rows] == [p["rule"] for p in doc["problems"]]
    assert all(r[7] == title_of(r[11], load_pack()) and re.search(r"[\u4e00-\u9fff]", r[7]) for r in rows)
    assert [r[0] for r in rows] == sorted((r[0] for r in rows), key=["错误", "警告", "提示"].index)
    link = ws["M4"].hyperlink                                   # the full path links to the cell
    assert link is not None and unquote(link.target).endswith("/申报.xlsx") and link.location == "'附件10'!F5"


def test_clean_input_exits_zero_and_bad_pack_exits_two(tmp_path, monkeypatch):
    src = tmp_path / "a.xlsx"
    ts = [table("附件3", a3_rows(25), file=str(src)), table("附件10", [a10_row(resident_firms=25, employees=250)], file=str(src))]
    _fake_reader(monkeypatch, [WorkbookRead(path=str(src), status="ok", tables=ts)])
    assert validate_command([str(src)]).exit_code == 0
    assert validate_command([str(src)], rules="no-such-pack").exit_code == 2


def test_no_readable_input_exits_two(tmp_path, monkeypatch):
    bad = WorkbookRead(path=str(tmp_path / "x.xlsx"), status="encrypted",
                       problems=[Problem(rule="file-unusable", severity="error", message="文件已加密")])
    _fake_reader(monkeypatch, [bad])
    res = validate_command([bad.path])
    assert res.exit_code == 2 and any("加密" in line for line in res.lines)


def test_problem_text_is_never_a_formula(tmp_path):
    p = Problem(rule="required", severity="warning", message="=HYPERLINK(\"http://x\")", file="http://evil/x.xlsx",
                sheet="附件3", cell="A5", value="=1+1")
    out = tmp_path / "p.xlsx"
    write_problems_workbook(out, [p], [])
    ws = openpyxl.load_workbook(out)["问题清单"]
    assert ws["I4"].value == "=HYPERLINK(\"http://x\")" and ws["I4"].data_type == "s" and ws["I4"].quotePrefix
    assert ws["M4"].hyperlink is None   # only local files are linked


def test_json_report_is_atomic_and_sorted(tmp_path):
    ps = [Problem(rule="b", severity="info", message="m", file="f", cell="A2"),
          Problem(rule="a", severity="error", message="m", file="f", cell="A9")]
    out = tmp_path / "sub" / "r.json"
    write_json_report(out, command="merge", pack=load_pack(), inputs=[{"file": "f", "status": "ok"}], problems=ps,
                      summary={"files": 1, "bases": 2, "firms": 3, "bases_merged": 2})
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert [p["rule"] for p in doc["problems"]] == ["a", "b"]
    assert doc["summary"]["errors"] == 1 and doc["summary"]["bases_merged"] == 2
    assert [x.name for x in out.parent.iterdir()] == ["r.json"]


def test_terminal_table_aligns_cjk():
    ps = [Problem(rule="resident-firms-min", severity="error", message="楼宇型基地已入驻企业 3 户，少于 25 户" * 5,
                  file="/a/忻州市忻府区申报材料很长的文件名.xlsx", sheet="附件10", cell="F5")]
    lines = problems_table(ps, total_width=100)
    assert all(width(l) <= 100 for l in lines)
    assert lines[2] == "【/a/忻州市忻府区申报材料很长的文件名.xlsx】"
    assert width(lines[3].split("resident")[0]) == width(lines[0].split("规则")[0])
    assert lines[3].split()[1] == "附件10!F5"


@given(st.text(max_size=40), st.integers(min_value=2, max_value=30))
def test_fit_pads_to_exact_width(text, cols):
    out = fit(text, cols)
    assert width(out) == cols or (width(out) == cols + 1 and width(text) > cols)
