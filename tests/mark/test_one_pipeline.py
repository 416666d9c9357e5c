"""validate, merge, mark and the 校验 button give identical problems on the same workbooks (xlbase.check),
Shanxi's forms and a programme's own alike, and one message for a rule pack that cannot be used.

The workbooks: a stranger's applicant file whose 附件10 pulls its identity from 附件2 by formulas, a
county's hand-typed 附件11 汇总表, our own county 汇总表 with one number retyped after it was written
(validate found 3 problems there and mark 1, when they ran different checks), and a workbook filled in
our template (附件10 identity through defined names). The button runs on a stand-in for xlwings' open
book holding the file's values, formulas and defined names (test_excel_wiring.FakeBook).
"""

from __future__ import annotations

import json
import re
import shutil
import types
from pathlib import Path

import openpyxl
import pytest
from city_inboxes import build_inbox_a, build_inbox_b
from test_excel_wiring import FakeBook, fake_xlwings  # noqa: F401 - the fixture

from xlbase.commands import excel
from xlbase.commands.merge import merge_command
from xlbase.commands.validate import validate_command
from xlbase.commands import mark as mark_command_module
from xlbase.mark import copy as mark_module

REPO = Path(__file__).resolve().parents[2]


def _key(p: dict, path: Path) -> tuple:
    """A problem as all four routes must agree on it; the file reduced to what follows the workbook itself
    (a 汇总表's carried problems name “汇总表 ← 原来源文件”)."""
    tail = p["file"].split(" ← ", 1)[1] if " ← " in p["file"] else ""
    return (p["rule"], p["severity"], p["sheet"], p["cell"], p["message"].replace(str(path), path.name), tail)


def _of(problems: list[dict], path: Path) -> set[tuple]:
    mine = [p for p in problems if p["file"].split(" ← ")[0] in (str(path), path.name)]
    return {_key(p, path) for p in mine}


def _workbooks(root: Path) -> list[Path]:
    a, b = root / "a", root / "b"
    build_inbox_a(a)
    build_inbox_b(b)
    ours = root / "县汇总表.xlsx"
    res = merge_command([str(b / "平遥县")], out=ours, jobs=1, quiet=True)
    assert res.exit_code in (0, 1)
    wb = openpyxl.load_workbook(ours)          # a clerk retypes one number in the 汇总表, and saves
    ws = wb["附件11"]
    cell = next(c for row in ws.iter_rows() for c in row if isinstance(c.value, int) and c.value == 32)
    cell.value = 30
    wb.save(ours)
    template = root / "模板填报.xlsx"
    shutil.copy(next((REPO / "samples" / "counties").rglob("*台怀*申报表.xlsx")), template)   # errors planted there
    return [a / "离石区" / "凤山众创双创基地申报材料.xlsx", a / "汾阳市" / "汾阳市汇总表.xlsx", ours, template]


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory) -> list[Path]:
    return _workbooks(tmp_path_factory.mktemp("pipeline"))


@pytest.mark.parametrize("index", range(4), ids=["申报表（公式）", "手工汇总表", "改过的县汇总表", "模板填报"])
def test_four_routes_report_identical_problems(workbooks, index, tmp_path, monkeypatch, fake_xlwings):  # noqa: F811
    path = workbooks[index]
    as_json = lambda problems: [p.to_dict() for p in problems]   # noqa: E731

    validate_command([str(path)], json_out=tmp_path / "v.json")
    by_validate = _of(json.loads((tmp_path / "v.json").read_text(encoding="utf-8"))["problems"], path)

    merge_command([str(path)], out=tmp_path / "m.xlsx", json_out=tmp_path / "m.json", jobs=1, quiet=True)
    by_merge = _of(json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))["problems"], path)

    marked = {}
    real = mark_module.mark_workbook

    def spy(src, problems, *args, **kwargs):
        marked["problems"] = [*problems, *kwargs.get("elsewhere", ())]   # marked, and listed only (carried)
        return real(src, problems, *args, **kwargs)
    monkeypatch.setattr(mark_command_module, "mark_workbook", spy)
    mark_command_module.mark_command(path, out=tmp_path / "k.xlsx")
    by_mark = _of(as_json(marked["problems"]), path)

    book = FakeBook(path)
    fake_xlwings["book"] = book
    by_button = _of(as_json(excel.validate_book(book)), path)

    assert by_validate, "the workbook has problems to compare"
    assert by_merge == by_validate, (sorted(by_merge - by_validate)[:3], sorted(by_validate - by_merge)[:3])
    assert by_mark == by_validate, (sorted(by_mark - by_validate)[:3], sorted(by_validate - by_mark)[:3])
    assert by_button == by_validate, (sorted(by_button - by_validate)[:3], sorted(by_validate - by_button)[:3])
    rows = book.sheets[mark_module.RESULT_SHEET].rows
    assert len(rows) - 3 >= len(by_validate)     # 校验结果 lists every problem


def test_a_formula_copy_points_at_the_input_cell_in_every_route(workbooks, tmp_path, fake_xlwings):  # noqa: F811
    path = workbooks[0]     # 附件10!D5 is =附件2!$C$7: the young operator is reported where it was typed
    book = FakeBook(path)
    fake_xlwings["book"] = book
    (p,) = [p for p in excel.validate_book(book) if p.rule == "operator-age"]
    assert (p.sheet, p.cell) == ("附件2", "C7") and "附件10!D5 是公式" in p.message
    assert book.sheets["附件2"].colors.get("C7") == excel.MARK_COLORS["error"]
    assert "D5" not in book.sheets["附件10"].colors


@pytest.fixture(scope="module")
def programme_workbook(tmp_path_factory) -> tuple[object, Path]:
    """A 衡阳 application filled in its own template, breaking two of its pack's rules."""
    from programme_inbox import fill, load_case, make_templates
    root = tmp_path_factory.mktemp("programme")
    case = load_case("hengyang-2023")
    change: dict = {}
    for v in case.violations[:2]:
        for form_id, what in v["change"].items():
            change.setdefault(form_id, {}).update(what)
    src = root / "衡阳申报.xlsx"
    fill(make_templates(case.name, root / "t") / case.applicant_file, src, case.programme, case.answers(change),
         "某某众创空间")
    return case.programme, src


def test_a_programmes_four_routes_report_identical_problems(programme_workbook, tmp_path, monkeypatch,
                                                            fake_xlwings):  # noqa: F811
    """A programme with its own forms goes through the same entry (check.pack_for, check.check) in every route."""
    from xlbase.commands import programmes
    programme, path = programme_workbook
    as_json = lambda problems: [p.to_dict() for p in problems]   # noqa: E731

    programmes.validate_command(programme, [str(path)], json_out=tmp_path / "v.json")
    by_validate = _of(json.loads((tmp_path / "v.json").read_text(encoding="utf-8"))["problems"], path)
    programmes.merge_command(programme, [str(path)], out=tmp_path / "m.xlsx", json_out=tmp_path / "m.json", jobs=1)
    by_merge = _of(json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))["problems"], path)

    marked = {}
    real = mark_module.mark_workbook

    def spy(src, problems, *args, **kwargs):
        marked["problems"] = list(problems)
        return real(src, problems, *args, **kwargs)
    monkeypatch.setattr(mark_module, "mark_workbook", spy)
    programmes.mark_command(programme, path, out=tmp_path / "k.xlsx")
    by_mark = _of(as_json(marked["problems"]), path)

    book = FakeBook(path)
    fake_xlwings["book"] = book
    by_button = _of(as_json(excel.validate_book(book)), path)

    assert {k[1] for k in by_validate} & {"error", "warning"}, "the workbook breaks rules of its pack"
    assert by_merge == by_validate, (sorted(by_merge - by_validate)[:3], sorted(by_validate - by_merge)[:3])
    assert by_mark == by_validate, (sorted(by_mark - by_validate)[:3], sorted(by_validate - by_mark)[:3])
    assert by_button == by_validate, (sorted(by_button - by_validate)[:3], sorted(by_validate - by_button)[:3])


@pytest.mark.parametrize("pack", ["no-such-pack", "broken.yaml"])
@pytest.mark.parametrize("forms", ["山西", "衡阳"])
def test_a_pack_that_cannot_be_used_is_one_message_in_every_route(workbooks, programme_workbook, forms, pack,
                                                                  tmp_path, fake_xlwings):  # noqa: F811
    """validate, merge and mark print the same Chinese message (exit 2, nothing written); the button shows it."""
    from xlbase.commands import programmes
    if pack.endswith(".yaml"):      # a pack file of the officer's with a typo in it
        (tmp_path / pack).write_text("id: x\ntitle: 规则\nyear: 2024\nas_of: 2024-06-30\nrules:\n  - id: a\n"
                                     "    kind: no-such-kind\n    severity: error\n    message: m\n", encoding="utf-8")
        pack = str(tmp_path / pack)
    if forms == "山西":
        path = workbooks[3]
        results = [validate_command([str(path)], rules=pack),
                   merge_command([str(path)], out=tmp_path / "m.xlsx", rules=pack, jobs=1),
                   mark_command_module.mark_command(path, out=tmp_path / "k.xlsx", rules=pack)]
    else:
        programme, path = programme_workbook
        results = [programmes.validate_command(programme, [str(path)], rules=pack),
                   programmes.merge_command(programme, [str(path)], out=tmp_path / "m.xlsx", rules=pack, jobs=1),
                   programmes.mark_command(programme, path, out=tmp_path / "k.xlsx", rules=pack)]
    alerts: list = []
    book = FakeBook(path)
    book.app = types.SimpleNamespace(alert=lambda text, title=None: alerts.append(text))
    fake_xlwings["book"] = book
    excel.validate_caller(rules=pack)

    messages = {tuple(r.errors) for r in results}
    assert len(messages) == 1 and all(r.exit_code == 2 for r in results), messages
    (message,) = messages.pop()
    assert message.startswith("规则包无法使用：") and re.search(r"[\u4e00-\u9fff]", message[8:])
    assert alerts == [f"校验未完成：{message}"]
    assert not list(tmp_path.glob("[mk].xlsx")) and excel.RESULT_SHEET not in {s.name for s in book.sheets}
