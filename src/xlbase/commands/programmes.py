"""`--programme NAME` on templates, read, validate, merge and mark, and `xlbase programmes`.

A Shanxi-engine programme runs the original commands with its pack (unless --rules names another);
a generic one runs xlbase.programmes.pipeline. Without --programme the default (Shanxi 2024 base) is
used, unless every recognised file of a batch belongs to one other programme: then that one is used
and the output says so.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from ..forms.programmes import (DEFAULT_PROGRAMME, Programme, ProgrammeError, ProgrammeMismatch, active,
                               list_programmes, load_programme, same_call, using)
from ..problems import ERROR, INFO, WARNING, Problem, count_by_severity, sort_problems
from ..result import EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE, CommandResult, NOTHING_READ
from ..startup import imports_done

if TYPE_CHECKING:    # the CLI builds its parser from this module: pandas and jinja2 load only when used
    from ..merge.programme import Checked
    from ..table import WorkbookRead

COMMANDS = ("templates", "read", "validate", "merge", "mark")
CHECKED = ("validate", "merge", "mark")      # commands that refuse a batch of several programmes
def programmes_command(name: str | None = None) -> CommandResult:
    """Every shipped programme: name, title, issuer, forms, pack, source documents; with `name` (or a
    programme.yaml path) that one only, with each rule of its pack, threshold and source."""
    lines = []
    try:
        chosen = [load_programme(name)] if name else [load_programme(n) for n in list_programmes()]
    except ProgrammeError as exc:
        return CommandResult(EXIT_UNUSABLE, errors=[str(exc)])
    for p in chosen:
        name = p.name
        default = "（默认）" if name == DEFAULT_PROGRAMME else ""
        lines.append(f"{p.name}{default}：{p.title}")
        lines.append(f"    发文：{p.issuer} {p.document}")
        forms = "、".join(f"{f.id}（{p.worded(f).title_for(p.year)}）" for f in p.forms.values())
        lines.append(f"    表单（{p.form_set}）：{forms}")
        lines.append(f"    规则包：{p.pack}；汇总表：{_summary_of(p)}")
        for s in p.sources:
            lines.append(f"    依据：{s.get('file', '')} {s.get('what', '')}".rstrip())
        for gap in p.not_held:
            lines.append(f"    缺少依据：{gap['document']}——{gap['conditions']}"
                         + (f"；{gap['decide']}" if gap.get("decide") else ""))
        if p.note:
            lines.append(f"    说明：{p.note}")
        if p.generic:
            lines.append(_round_options(p))
        if len(chosen) == 1 and p.generic:
            lines += _rule_lines(p)
        lines.append("")
    lines.append("用法：xlbase 命令 --programme 项目名称（或项目清单 programme.yaml 的路径），如 "
                 "xlbase merge 收件/ --programme hengyang-2023 -o 汇总表.xlsx")
    return CommandResult(EXIT_OK, lines)


def _round_options(p: Programme) -> str:
    """The merge options of a round under `p`: its levels (data: summary.yaml) and what each option does."""
    from ..merge.programme_levels import levels_text
    try:
        levels = levels_text(p)
    except ProgrammeError as exc:
        levels = f"无法使用（{exc}）"
    return (f"    汇总选项：--level 汇总层级 {levels}（不写时按各行的{_unit_label(p)}推断）；--previous 上次的汇总表"
            "（各县情况列出每个单位上次的错误已改正、仍有、新增几条；不写时与 -o 已有的汇总表比较）；--return-dir"
            "（按报送单位退回标注副本和问题清单）；--expect（应报单位名单）")


def _rule_lines(p: Programme) -> list[str]:
    """The pack's rules as `xlbase rules show` lists Shanxi's: severity, id, title, what, threshold, source."""
    from ..check import PackUnusable, pack_for
    from ..problems import SEVERITY_LABELS
    from ..rules.kinds import kind_of
    try:
        pack = pack_for(programme=p)
    except PackUnusable as exc:
        return [f"    {exc}"]
    out = ["", f"    规则包 {pack.title}（{pack.id}），基准日期 {pack.as_of.isoformat()}："]
    for s in pack.sources:
        held = s.get("held", True) is not False
        out.append(f"    {'依据' if held else '未收到文本的依据'}：{s.get('document', '')} {s.get('clause', '')}".rstrip()
                   + ("" if held else f"——{s.get('missing', '')}"))
    out += _condition_sources(pack)
    for r in pack.rules:
        what = "、".join(_label(p, r.forms, f) for f in r.fields)
        threshold = "取自表单模型" if r.threshold is None and r.kind in ("required", "range", "choice") else (
            "" if r.threshold is None else str(r.threshold))
        out.append(f"    [{SEVERITY_LABELS[r.severity]}] {r.id}  {r.title}".rstrip())
        said = kind_of(r).describe_fields(r) or f"{'、'.join(r.forms)}{('：' + what) if what else ''}"
        out.append(f"        检查：{r.kind} {said}"
                   + (f"    门槛：{threshold}" if threshold else "") + (f"    依据：{r.source}" if r.source else ""))
    return out


def _condition_sources(pack) -> list[str]:
    """Where the pack's conditions come from, said plainly: the rules the files judge (the notice's and its
    forms' own numbers), the form model's bounds, the conditions only documents decide, and the documents the
    notice relies on whose text was not received — whose conditions are in no rule, with no number made up."""
    from ..rules.kinds import kind_of
    groups: dict[str, list[str]] = {"notice": [], "model": [], "documents": []}
    for r in pack.rules:
        kind = kind_of(r)
        groups["model" if kind.model_bounds else "documents" if not kind.returned else "notice"].append(r.id)
    said = {"notice": "通知和表样写明、由表格核对", "model": "表单模型的必填、取值范围、下拉值",
            "documents": "通知写明、表格无法判断、须核对证明材料（每份申报材料合为一条警告）"}
    out = ["    条件来源："]
    out += [f"      {said[k]}（{len(ids)} 条）：{'、'.join(ids)}" for k, ids in groups.items() if ids]
    for s in pack.sources:
        if s.get("held", True) is False:
            out.append(f"      未收到文本、未能核对（没有写入规则，也没有自拟门槛）：{s.get('document', '')} "
                       f"{s.get('clause', '')}".rstrip())
    return out


def _label(p: Programme, forms: tuple[str, ...], key: str) -> str:
    """A field key as its form labels it (a comparison like `a + b <= c` is kept as written)."""
    for fid in forms:
        if p.forms[fid].has_field(key):
            return p.forms[fid].field(key).label
    return key


def _unit_label(p: Programme) -> str:
    """The summary layout's reporting-unit column, as its form labels it (“所在县市区”)."""
    layout = p.layout("summary.yaml")
    form = p.form(layout["form"])
    return form.field(layout["unit"]).label if layout.get("unit") and form.has_field(layout["unit"]) else "报送单位"


def _summary_of(p: Programme) -> str:
    if not p.generic:
        return "附件11 基本情况汇总表（含问题清单、各县情况、入驻企业）"
    layout = p.layout("summary.yaml")
    form = p.form(layout["form"])
    return f"{form.title}（含问题清单、各县情况{'、入驻企业' if layout.get('firms') else ''}）"


def add_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--programme", default=None, metavar="申报项目",
                        help=f"申报项目名称或项目清单 programme.yaml 的路径（默认 {DEFAULT_PROGRAMME}；"
                             "xlbase programmes 列出全部）；不指定时按表格识别")




def run_generic(ns: argparse.Namespace, programme: Programme) -> CommandResult | None:
    """The command under a generic programme; None for a Shanxi-engine one (its pack goes into ns.rules)."""
    if not programme.generic:
        if getattr(ns, "rules", None) is None and "rules" in ns and programme.name != DEFAULT_PROGRAMME:
            ns.rules = programme.pack
        return None
    if ns.command == "templates":
        from ..check import PackUnusable, pack_for
        from ..templates.programme import templates_for
        imports_done()
        try:
            pack = pack_for(programme=programme)
        except PackUnusable as exc:
            return CommandResult(EXIT_UNUSABLE, errors=[str(exc)])
        made, errors = templates_for(programme, Path(ns.out), pack=pack,
                                     python=getattr(ns, "python", None))
        return CommandResult(EXIT_OK, [f"已生成 {p}" for p in made], errors)
    if ns.command == "read":
        return None           # the reader is the same; it reads by the active programme's forms
    if ns.command == "validate":
        return validate_command(programme, ns.inputs, rules=ns.rules, as_of=ns.as_of, json_out=ns.json_out,
                                xlsx_out=ns.xlsx_out, return_dir=ns.return_dir)
    if ns.command == "merge":
        return merge_command(programme, ns.inputs, out=ns.out, rules=ns.rules, as_of=ns.as_of,
                             json_out=ns.json_out, unit=ns.unit, jobs=ns.jobs, return_dir=ns.return_dir,
                             expect=ns.expect, level=ns.level, previous=ns.previous)
    if ns.command == "mark":
        return mark_command(programme, ns.file, out=ns.out, rules=ns.rules, as_of=ns.as_of,
                                     in_place=ns.in_place)
    return None


def recognised_in(ns: argparse.Namespace) -> Programme | None:
    """mark reads one file itself (no batch): the programme its forms show, when it is another call than the
    default's — a programme of its own forms, or 聊城's titles on Shanxi's forms (forms.programmes.same_call).
    When it is the default's, the read is kept as `ns.mark_read` (read under the programme mark runs with): the
    command does not read the file a second time."""
    ns.mark_read = None
    if ns.command != "mark" or getattr(ns, "programme", None) is not None:
        return None
    from ..read import read_workbook
    wr = read_workbook(ns.file)
    if wr.programme and not same_call(load_programme(wr.programme), active()):
        return load_programme(wr.programme)
    ns.mark_read = wr
    return None


def run(ns: argparse.Namespace, dispatch) -> CommandResult:
    """`dispatch(ns)` (the original commands) under the chosen programme, switching to the recognised one
    when every file belongs to it and none was named; a mixed batch is refused (exit 2)."""
    explicit = getattr(ns, "programme", None) is not None
    try:
        chosen = load_programme(ns.programme if explicit else DEFAULT_PROGRAMME)
        with using(chosen, check_batch=ns.command in CHECKED, explicit=explicit):
            other = recognised_in(ns)
        with using(other or chosen, check_batch=ns.command in CHECKED, explicit=explicit) as programme:
            result = run_generic(ns, programme)
            if result is None:
                result = dispatch(ns)
    except ProgrammeMismatch as exc:
        if exc.only is None:
            return CommandResult(EXIT_UNUSABLE, errors=[f"xlbase {ns.command}：{exc}"])
        ns.programme = exc.only.name if Path(exc.only.manifest).name != "programme.yaml" else exc.only.manifest
        said = f"按报送表格识别为“{exc.only.title}”（{exc.only.name}），按该项目处理（可用 --programme 指定）。"
        result = run(ns, dispatch)
        result.lines.insert(0, said)
        return result
    except ProgrammeError as exc:
        return CommandResult(EXIT_UNUSABLE, errors=[f"xlbase {ns.command}：{exc}"])
    if other is not None:
        result.lines.insert(0, f"按报送表格识别为“{other.title}”（{other.name}），按该项目处理。")
    return result


# --- the generic programmes' commands ------------------------------------------------------------

def _read(inputs, jobs: int | None = None) -> tuple[list[Path], list[Problem], list[WorkbookRead]]:
    from ..read import expand_inputs, read_files
    paths, input_problems = expand_inputs([str(i) for i in inputs])
    return paths, input_problems, read_files(paths, jobs) if paths else []


def _lines(problems: list[Problem], limit: int = 200) -> list[str]:
    from ..problems import SEVERITY_LABELS
    out = [f"[{SEVERITY_LABELS[p.severity]}] {Path(p.file).name} {p.sheet}!{p.cell} {p.message}".replace("! ", " ")
           for p in problems[:limit]]
    if len(problems) > limit:
        out.append(f"……另有 {len(problems) - limit} 个问题")
    return out


def _counts_line(programme, checked: "Checked") -> str:
    c = count_by_severity(checked.problems)
    firms = f"，{len(checked.firms)} 家入驻企业" if programme.layout("summary.yaml").get("firms") else ""
    return (f"“{programme.title}”：{len(checked.reads)} 个文件，{len(checked.rows)} 个{programme.noun}{firms}；"
            f"错误 {c[ERROR]}，警告 {c[WARNING]}，提示 {c[INFO]}")


def validate_command(programme, inputs, *, rules=None, as_of=None, json_out: Path | None = None,
                     xlsx_out: Path | None = None, return_dir: Path | None = None) -> CommandResult:
    from ..check import PackUnusable, check, pack_for
    imports_done()
    try:
        pack = pack_for(rules, as_of, programme)
    except PackUnusable as exc:
        return CommandResult(EXIT_UNUSABLE, errors=[str(exc)])
    paths, input_problems, reads = _read(inputs)
    if not paths:
        return CommandResult(EXIT_UNUSABLE, errors=[f"没有找到可读取的文件：{'、'.join(map(str, inputs))}"])
    from ..safe_output import check_output_path
    for out in (json_out, xlsx_out):
        if out:
            check_output_path(Path(out), [Path(p) for p in paths])
    checked = check(reads, pack, programme=programme)
    problems = sort_problems([*input_problems, *checked.problems])
    lines = [f"申报项目：{programme.title}（{programme.name}）；规则包：{pack.title}（{pack.id}），基准日期 "
             f"{pack.as_of.isoformat()}", "", *_lines(problems), "", _counts_line(programme, checked)]
    if json_out:
        from ..reports.problems import write_json_report
        write_json_report(json_out, command="validate", pack=pack, inputs=checked.inputs, problems=problems,
                          summary={"files": len(reads), "bases": len(checked.rows), "firms": len(checked.firms)})
        lines.append(f"JSON 报告：{json_out}")
    if xlsx_out:
        from ..reports.problems import write_problems_workbook
        write_problems_workbook(xlsx_out, problems, checked.inputs, pack=pack, noun=programme.noun)
        lines.append(f"Excel 问题清单：{xlsx_out}")
    if return_dir:
        checked.problems = problems
        lines += _return_pack(programme, checked, pack, Path(return_dir), paths)
    if not any(r.ok for r in reads):
        return CommandResult(EXIT_UNUSABLE, lines, errors=[NOTHING_READ])
    return CommandResult(EXIT_PROBLEMS if any(p.severity == ERROR for p in problems) else EXIT_OK, lines)


def merge_command(programme, inputs, *, out: Path, rules=None, as_of=None, json_out: Path | None = None,
                  unit: str | None = None, jobs: int | None = None, return_dir: Path | None = None,
                  expect: Path | None = None, level: str | None = None, previous: Path | None = None
                  ) -> CommandResult:
    """The programme's merge: its 汇总表 at `level` (its summary layout's levels; None: as the rows show),
    compared with the `previous` round (else with `out` as it was, when it is one of ours)."""
    from ..check import check
    from .merge import round_setup
    imports_done()
    setup = round_setup(rules, as_of, programme, expect, previous, out)
    if isinstance(setup, CommandResult):
        return setup
    pack, expected, before = setup
    paths, input_problems, reads = _read(inputs, jobs)
    if not paths:
        return CommandResult(EXIT_UNUSABLE, errors=[f"没有找到可读取的文件：{'、'.join(map(str, inputs))}"])
    from ..safe_output import check_output_path
    check_output_path(Path(out), [Path(p) for p in paths])
    if json_out:
        check_output_path(Path(json_out), [Path(p) for p in paths])
    if return_dir:
        from ..mark.return_pack import check_return_dir
        check_return_dir(Path(return_dir), [Path(p) for p in paths])
    checked = check(reads, pack, programme=programme)
    from ..merge import programme_levels as levels
    lvl, mismatch = levels.choose(programme, level, checked.rows)
    unit_key = programme.layout("summary.yaml").get("unit")
    units = levels.expected(lvl, expected)
    missing = levels.not_reported(unit_key, checked.rows, units, _unit_label(programme), checked.sent)
    checked.problems = sort_problems([*input_problems, *checked.problems, *mismatch, *missing])
    if not any(r.ok for r in reads):
        return CommandResult(EXIT_UNUSABLE, _lines(checked.problems), errors=[NOTHING_READ])
    round_ = levels.round_record(lvl, unit_key, checked.rows, checked.problems, checked.homes, checked.sent)
    changes = None
    if before is not None and levels.comparable(programme, before, round_):
        from ..merge.rounds import compare
        changes = compare(before, round_)
    from ..summary.programme import write_merged
    unit_name = levels.unit_name(lvl, checked.rows, unit)
    write_merged(programme, Path(out), checked, pack, unit=unit_name, expected=units,
                 record=levels.summary_record(programme, round_, checked.problems, checked.inputs), changes=changes)
    lines = [f"申报项目：{programme.title}（{programme.name}）；{lvl.title}汇总（{unit_name or '未注明填报单位'}）；"
             f"规则包：{pack.title}（{pack.id}）", *_lines(checked.problems), "", _counts_line(programme, checked)]
    lines += _change_lines(changes, previous or out, previous is not None)
    lines.append(f"已写出汇总表：{out}")
    if return_dir:
        lines += _return_pack(programme, checked, pack, Path(return_dir), paths, by_base=lvl.one is not None)
    if json_out:
        from ..reports.problems import write_json_report
        write_json_report(json_out, command="merge", pack=pack, inputs=checked.inputs, problems=checked.problems,
                          summary={"files": len(reads), "bases": len(checked.rows), "firms": len(checked.firms),
                                   "level": lvl.name})
        lines.append(f"JSON 报告：{json_out}")
    code = EXIT_PROBLEMS if any(p.severity == ERROR for p in checked.problems) else EXIT_OK
    return CommandResult(code, lines)


def _change_lines(changes, previous: Path, named: bool) -> list[str]:
    """Each unit's errors against the last round (merge.rounds), or why there was nothing to compare."""
    from ..merge.rounds import change_text, not_compared_text
    if changes is None:
        return ["", not_compared_text(previous)] if named else []
    return ["", f"与上次汇总表（{previous}）比较（各县情况中也列出）："] + [
        f"  {u or '（未填写）'}：{change_text(c)}" for u, c in sorted(changes.items())]


def _return_pack(programme, checked: "Checked", pack, out_dir: Path, paths, by_base: bool | None = None) -> list[str]:
    """--return-dir: a folder per reporting unit with errors or warnings (merge.programme.return_units)."""
    from ..mark.return_pack import check_return_dir, return_pack_lines, write_units_pack
    from ..merge.programme import return_units
    check_return_dir(out_dir, [Path(p) for p in paths])
    return return_pack_lines(out_dir, write_units_pack(out_dir, return_units(programme, checked, by_base, pack),
                                                       pack=pack, noun=programme.noun))


def mark_command(programme, file: Path, *, out: Path | None = None, rules=None, as_of=None,
                 in_place: bool = False) -> CommandResult:
    from ..read import read_workbook
    from ..mark.copy import mark_workbook
    from ..reports.problems import pack_label
    from ..check import PackUnusable, check, pack_for
    imports_done()
    try:
        pack = pack_for(rules, as_of, programme)
    except PackUnusable as exc:
        return CommandResult(EXIT_UNUSABLE, errors=[str(exc)])
    checked = check([read_workbook(file)], pack, programme=programme)
    result = mark_workbook(Path(file), checked.problems, out, rule_pack=pack_label(pack), in_place=in_place)
    c = count_by_severity(checked.problems)
    lines = [*_lines(checked.problems),
             f"共 {len(checked.problems)} 个问题（错误 {c[ERROR]}，警告 {c[WARNING]}，提示 {c[INFO]}），"
             f"标注 {len(result.marked)} 个单元格：{result.out}"]
    return CommandResult(EXIT_PROBLEMS if c[ERROR] else EXIT_OK, lines)
