"""`xlbase read` output and exit codes."""

from __future__ import annotations

import messy
from xlbase.cli import main
from xlbase.commands.read import inspect_command


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


def test_read_lists_columns_it_did_not_use_and_how_it_read_the_others(tmp_path):
    """A clerk's table with an extra 联系人 column and everyday wordings: `xlbase read` names the unused column
    and its range, lists the columns read under other words or units, and never says all values were read."""
    import random

    import retyped
    rng = random.Random(5)
    bases = [retyped.base_values(rng, f"晋中市榆次区测{i}号双创基地", f"榆次测{i}运营有限公司") for i in range(2)]
    t = retyped.a10_table(rng, bases, layout="one-row", money_in_yuan=True, extras=["联系人"])
    path = retyped.save(tmp_path / "榆次区.xlsx", {"Sheet1": t.rows})
    lines = inspect_command([str(path)]).lines
    text = "\n".join(lines)
    assert "未使用的列（1 列" in text and "“联系人”" in text
    assert "按其他名称、位置或单位读取的列" in text and "÷10000" in text
    assert "所有值均已识别。" not in lines and "  所有值均已识别。" not in lines
