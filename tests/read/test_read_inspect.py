"""`xlbase read` output and exit codes."""

from __future__ import annotations

import messy
from xlbase.cli import main
from xlbase.read.inspect import inspect_command


def test_inspect_lists_forms_and_bad_cells(tmp_path):
    path = tmp_path / "app.xlsx"
    messy.applicant_workbook(path)
    res = inspect_command([str(path)])
    text = "\n".join(res.lines)
    assert res.exit_code == 1
    for form_id in ("附件2", "附件3", "附件4", "附件10"):
        assert form_id in text
    assert "工作表“入驻企业”" in text and "4 行数据" in text
    assert "[入驻企业!F9]" in text and "待定" in text
    assert "[入驻企业!C9]" in text
    assert "未识别的列：备注" in text
    assert messy.BASE_NAME in text


def test_inspect_clean_file_exits_zero(tmp_path):
    path = tmp_path / "sum.xlsx"
    messy.summary_workbook(path)
    res = inspect_command([str(path)])
    assert res.exit_code == 0, res.lines
    assert "附件11" in "\n".join(res.lines)


def test_inspect_no_readable_input(tmp_path, capsys):
    (tmp_path / "x.xlsx").write_bytes(b"")
    assert inspect_command([str(tmp_path / "x.xlsx")]).exit_code == 2
    assert inspect_command([str(tmp_path / "nothing-here.xlsx")]).exit_code == 2
    assert main(["read", str(tmp_path / "x.xlsx")]) == 2
    assert "空文件" in capsys.readouterr().out
