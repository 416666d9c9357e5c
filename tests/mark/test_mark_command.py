"""mark_command end to end: the real reader and rule pack, exit codes, refusal to overwrite."""

from __future__ import annotations

from pathlib import Path

from mark_fixtures import applicant_workbook, cell_styles, fill_of_xf, values
from xlbase.cli import main
from xlbase.result import EXIT_PROBLEMS, EXIT_UNUSABLE
from xlbase.problems import ERROR, INFO, SEVERITY_RANK, WARNING
from xlbase.commands.mark import mark_command
from xlbase.mark.marks import MARK_FILLS, RESULT_SHEET, first_cell


def test_mark_command_marks_what_validation_found(tmp_path: Path) -> None:
    book = applicant_workbook(tmp_path / "申报表.xlsx", n_firms=12)
    res = mark_command(book)
    assert res.exit_code == EXIT_PROBLEMS
    out = tmp_path / "申报表.校验.xlsx"
    assert out.exists() and any(str(out) in line for line in res.lines)
    rows = values(out)[RESULT_SHEET]
    assert "shanxi-2024-base" in rows[1][0]
    worst: dict = {}
    for r in rows[3:]:
        # a merged range is listed whole and marked on its top-left cell; a problem naming several cells
        # (the firms a share rule counts) lists and marks each
        for ref in str(r[3] or "").split(","):
            if ref:
                key = (r[2], first_cell(ref))
                worst[key] = min(worst.get(key, 9), SEVERITY_RANK[{"错误": ERROR, "警告": WARNING, "提示": INFO}[r[1]]])
    marked = set(worst)
    assert marked, "validation found no cell-level problem in a sheet with invalid credit codes"
    styles = cell_styles(out, "附件3")
    by_rank = {SEVERITY_RANK[s]: rgb for s, rgb in MARK_FILLS.items()}
    for sheet, ref in marked:
        if sheet == "附件3":
            assert fill_of_xf(out, styles[ref]) == by_rank[worst[(sheet, ref)]]
    orig = cell_styles(book, "附件3")
    unmarked = {r for r, s in styles.items() if s != orig.get(r)} - {ref for sh, ref in marked if sh == "附件3"}
    assert not unmarked
    assert all(values(out)[k] == v for k, v in values(book).items())


def test_mark_command_refuses_bad_inputs(tmp_path: Path) -> None:
    book = applicant_workbook(tmp_path / "a.xlsx", n_firms=3)
    assert mark_command(book, out=book).exit_code == EXIT_UNUSABLE
    csv = tmp_path / "b.xlsx"
    csv.write_text("企业名称,注册号\n甲,1\n", encoding="utf-8")
    res = mark_command(csv)
    assert res.exit_code == EXIT_UNUSABLE and "CSV" in res.errors[0]
    assert not (tmp_path / "b.校验.xlsx").exists()


def test_cli_mark_in_place(tmp_path: Path) -> None:
    book = applicant_workbook(tmp_path / "a.xlsx", n_firms=3)
    assert main(["mark", str(book), "--in-place"]) == EXIT_PROBLEMS
    assert RESULT_SHEET in values(book)
    assert not (tmp_path / "a.校验.xlsx").exists()


def test_cli_mark_reads_the_file_once_and_marks_as_the_command_alone(tmp_path: Path, monkeypatch) -> None:
    """`xlbase mark` reads the file to know its programme (commands.programmes.recognised_in); the command then
    checks that read instead of reading the file again — and marks what mark_command marks on its own read."""
    import xlbase.commands.mark as mark_module
    import xlbase.read as read_package
    book = applicant_workbook(tmp_path / "申报表.xlsx", n_firms=12)
    alone = mark_command(book, out=tmp_path / "alone.xlsx")
    reads = []
    real = read_package.read_workbook

    def counted(*args, **kwargs):
        reads.append(args[0])
        return real(*args, **kwargs)
    monkeypatch.setattr(read_package, "read_workbook", counted)
    monkeypatch.setattr(mark_module, "read_workbook", counted)
    assert main(["mark", str(book), "-o", str(tmp_path / "cli.xlsx")]) == alone.exit_code
    assert len(reads) == 1
    cli, own = values(tmp_path / "cli.xlsx"), values(tmp_path / "alone.xlsx")
    for got in (cli, own):
        del got[RESULT_SHEET][1]       # 规则包 and 校验时间: the time of each run
    assert cli == own
