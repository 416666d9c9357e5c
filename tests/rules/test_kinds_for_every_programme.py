"""One declaration per rule kind (rules/kinds/), read by one loader, for the packs of every programme:
Shanxi's forms (judged over stacked frames) and a programme's own forms (judged per submission)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import openpyxl
import pytest

from rules_kit import a10_row, table
from xlbase.forms.programmes import ProgrammeError, load_programme
from xlbase.rules import PackError, parse_pack, validate
from xlbase.rules.kinds import KINDS
from xlbase.rules.pack import SUBMISSIONS
from xlbase.rules.programme import load_generic_pack


def _pack(rules: str, programme: str = "") -> str:
    head = f"programme: {programme}\n" if programme else ""
    return head + "id: t\ntitle: 测试\nyear: 2024\nas_of: 2024-08-25\nrules:\n" + textwrap.indent(
        textwrap.dedent(rules), "  ")


def test_every_kind_judges_somewhere_and_the_programme_kinds_file_is_gone():
    from importlib import resources
    assert not resources.files("xlbase.data").joinpath("programme_kinds.yaml").is_file()
    for name, kind in KINDS.items():
        assert kind.engines(), name
    # the kinds 衡阳 and 太原 use are the very classes Shanxi's packs use
    used = {r.kind for n in ("hengyang-2023", "taiyuan-2023") for r in load_generic_pack(load_programme(n)).rules}
    assert {"min", "comparison", "unique", "counts-match", "required"} <= used
    assert all("frames" in KINDS[k].engines() for k in ("min", "comparison", "unique", "counts-match", "required"))


def test_a_programme_pack_gets_the_loaders_line_aware_messages(tmp_path):
    hengyang = load_programme("hengyang-2023")
    bad = tmp_path / "p.yaml"
    bad.write_text(_pack("""
        - id: floor
          kind: min
          form: 衡阳申请表
          field: floor_area
          threshold: 2万
          severity: error
          message: x
    """, "hengyang-2023"), encoding="utf-8")
    with pytest.raises(ProgrammeError, match=r"第 \d+ 行.*floor 的门槛应为数字，现为“2万”"):
        load_generic_pack(hengyang, str(bad))


def test_a_kind_is_refused_where_it_cannot_judge(tmp_path):
    hengyang = load_programme("hengyang-2023")
    shanxi_only = tmp_path / "p.yaml"
    shanxi_only.write_text(_pack("""
        - {id: quotes, kind: comparables, form: 衡阳申请表, threshold: 3, severity: error, message: x}
    """, "hengyang-2023"), encoding="utf-8")
    with pytest.raises(ProgrammeError, match="只用于山西表单的规则包"):
        load_generic_pack(hengyang, str(shanxi_only))
    # rows-min, first written for a programme's lists, now loads in a Shanxi pack (test_rows_min_and_total_matches_on_shanxi_forms)
    assert parse_pack(_pack("""
        - {id: rows, kind: rows-min, form: 附件3, threshold: 3, severity: error, message: x}
    """)).rule("rows").kind == "rows-min"
    with pytest.raises(PackError, match="表单“附件3”不认识"):
        parse_pack(_pack("""
            - {id: r, kind: required, forms: [附件3], severity: error, message: x}
        """), forms=hengyang.forms, engine=SUBMISSIONS)


def test_share_min_works_on_shanxi_forms_too():
    pack = parse_pack(_pack("""
        - id: staff-share
          kind: share-min
          form: 附件10
          fields: [service_staff, employees]
          threshold: 50%
          severity: warning
          message: "{{ label }} {{ value }} 占 {{ whole }} 的 {{ percent }}%，低于 {{ threshold_percent }}%"
    """))
    low, high = a10_row(service_staff=12, employees=30), a10_row(base_name="另一个基地", service_staff=20, employees=30)
    problems = validate([table("附件10", [low, high])], pack)
    assert [(p.rule, p.cell, p.severity) for p in problems] == [("staff-share", "E5", "warning")]
    assert problems[0].message.endswith("12 占 30 的 40%，低于 50%")


def test_target_may_be_written_on_the_rule_or_under_params():
    hengyang = load_programme("hengyang-2023")
    rule = """
        - id: c
          kind: counts-match
          form: 衡阳企业名单
          {where}
          severity: error
          message: x
    """
    on_rule = rule.replace("{where}", "target: {form: 衡阳运营情况, field: firms, row: last}")
    under = rule.replace("{where}", "params: {target: {form: 衡阳运营情况, field: firms, row: last}}")
    got = [parse_pack(_pack(r), forms=hengyang.forms, engine=SUBMISSIONS).rules[0].args.target
           for r in (on_rule, under)]
    assert got[0] == got[1] and got[0].row == "last" and got[0].forms == ("衡阳运营情况",)


# --- kinds first written for one engine, on the other's forms: rows-min and total-matches (written for a
# programme's lists) on Shanxi's 附件3, as an officer adding them to a copy of the Shanxi pack would use them;
# checksum, date-range, sum-matches, sums-equal, forms-present, forms-agree, ratio and attest on a programme's own
# forms: tests/programmes (the 衡阳/太原 case files, the toy programme).

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "samples" / "counties" / "忻府区" / "忻府区_云中双创基地_申报表.xlsx"

EXTRA_RULES = """
  - id: firm-rows-min
    title: 入驻企业名单行数
    kind: rows-min
    form: 附件3
    threshold: {threshold}
    severity: error
    message: "附件3 只列出 {{{{ counted }}}} 家，少于 {{{{ threshold }}}} 家"
    source: 测试
  - id: firm-total-row
    title: 附件3 合计行等于各行之和
    kind: total-matches
    form: 附件3
    fields: [employees, revenue]
    tolerance: 0.01
    severity: error
    message: "合计行“{{{{ label }}}}”填 {{{{ value }}}}，各行之和为 {{{{ counted }}}}"
    source: 测试
"""


def test_the_kinds_written_for_one_engine_judge_the_others_forms_too():
    assert {"frames", "submissions"} <= {e for k in KINDS.values() for e in k.engines()}
    for name in ("rows-min", "total-matches", "checksum", "date-range", "attest", "min", "share-min", "unique",
                 "sum-matches", "sums-equal", "forms-present", "forms-agree", "ratio", "rows-within"):
        assert KINDS[name].engines() == {"frames", "submissions"}, name


@pytest.mark.filterwarnings("ignore:Print area cannot be set")
def test_rows_min_and_total_matches_on_shanxi_forms(tmp_path):
    book = openpyxl.load_workbook(SAMPLE)
    ws = book["附件3"]
    total = next(r for r in ws.iter_rows() if r[0].value == "合计")
    employees = next(c for c in ws[3] + ws[4] if isinstance(c.value, str) and c.value.startswith("职工人数"))
    cell = total[employees.column - 1]
    cell.value = 999                                  # typed over the template's SUM
    book.save(tmp_path / "云中.xlsx")
    firms = sum(1 for r in ws.iter_rows(min_row=total[0].row + 1) if isinstance(r[0].value, int))
    text = (REPO / "src/xlbase/rules/packs/shanxi-2024-base.yaml").read_text(encoding="utf-8")
    for threshold, found in ((firms + 1, True), (firms, False)):
        pack = tmp_path / f"pack{threshold}.yaml"
        pack.write_text(text.replace("id: shanxi-2024-base", "id: shanxi-2024-test", 1)
                        + EXTRA_RULES.format(threshold=threshold), encoding="utf-8")
        res = subprocess.run([sys.executable, "-m", "xlbase", "validate", str(tmp_path / "云中.xlsx"), "--rules",
                              str(pack), "--json", str(tmp_path / "r.json")], capture_output=True, text=True, cwd=REPO)
        assert res.returncode == 1, res.stdout + res.stderr
        problems = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["problems"]
        mine = {p["rule"]: p for p in problems if p["rule"] in ("firm-rows-min", "firm-total-row")}
        assert ("firm-rows-min" in mine) == found
        if found:
            assert mine["firm-rows-min"]["sheet"] == "附件3" and f"只列出 {firms} 家" in mine["firm-rows-min"]["message"]
        assert (mine["firm-total-row"]["cell"], mine["firm-total-row"]["value"]) == (cell.coordinate, 999)
