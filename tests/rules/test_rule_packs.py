"""The packs load, the engine truly reads their numbers, and hand-edit mistakes name the line."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from rules_kit import a3_rows, a10_row, table
from xlbase.rules import PackError, list_packs, load_pack, validate
from xlbase.rules.pack import packs_dir

PACKS = ("shanxi-2024-base", "shanxi-2024-demo", "liaocheng-2021")   # hengyang-2023 has its own forms:
                                                                       # tests/programmes


def test_four_packs_ship_and_load():
    assert set(PACKS) <= set(list_packs())
    for name in PACKS:
        pack = load_pack(name)
        assert pack.id == name and pack.title and pack.year and isinstance(pack.as_of, dt.date)
        assert all(r.source for r in pack.rules if r.kind not in ("required", "type", "range", "choice"))
        ts = [table("附件3", a3_rows(3)), table("附件10", [a10_row()])]
        assert isinstance(validate(ts, pack), list)


def test_default_pack_and_contract_rule_ids():
    pack = load_pack(None)
    assert pack.id == "shanxi-2024-base" and pack.as_of == dt.date(2024, 8, 25)
    assert pack.rule("resident-firms-min").threshold_for("工业园区型") == 10
    assert pack.rule("resident-firms-min").threshold_for("商务秘书型") == 500
    assert pack.rule("resident-firms-min").threshold_for("城市楼宇型") == 25   # alias
    assert pack.rule("resident-firms-min").threshold_for(None) is None
    assert pack.rule("service-staff-min").threshold_for(None) == 10
    assert pack.rule("tutors-min").threshold_for("楼宇型") == 3
    assert pack.rule("partners-min").threshold_for("楼宇型") == 5
    assert load_pack(None, as_of=dt.date(2024, 1, 1)).as_of == dt.date(2024, 1, 1)


def test_demo_and_other_jurisdictions_differ():
    assert load_pack("shanxi-2024-demo").rule("resident-firms-min").threshold_for("楼宇型") == 60
    assert load_pack("shanxi-2024-demo").rule("operator-age").threshold == 3
    assert load_pack("liaocheng-2021").rule("partners-min").threshold == 4


def test_changing_one_threshold_in_a_copy_changes_the_outcome(tmp_path):
    text = packs_dir().joinpath("shanxi-2024-base.yaml").read_text(encoding="utf-8")
    ts = [table("附件10", [a10_row(service_staff=9)])]
    assert [p.rule for p in validate(ts, load_pack("shanxi-2024-base")) if p.rule == "service-staff-min"]
    edited = text.replace("field: service_staff\n    threshold: 10", "field: service_staff\n    threshold: 8")
    assert edited != text
    copy = tmp_path / "我的规则.yaml"
    copy.write_text(edited, encoding="utf-8")
    assert not [p for p in validate(ts, load_pack(str(copy))) if p.rule == "service-staff-min"]


@pytest.mark.parametrize("bad,needle", [
    ("    threshold: 10\n", "    threshold: 10\n   oops: [\n"),
    ("kind: min\n", "kind: minimum\n"),
    ("      楼宇型: 25\n", "      写字楼型: 25\n"),
    ("    severity: error\n", "    severity: fatal\n"),
])
def test_edit_mistakes_name_the_line(tmp_path, bad, needle):
    text = packs_dir().joinpath("shanxi-2024-base.yaml").read_text(encoding="utf-8")
    assert bad in text
    copy = tmp_path / "p.yaml"
    copy.write_text(text.replace(bad, needle, 1), encoding="utf-8")
    with pytest.raises(PackError, match=r"第 \d+ 行"):
        load_pack(str(copy))


def test_unknown_pack_name_lists_the_shipped_ones():
    with pytest.raises(PackError, match="shanxi-2024-base"):
        load_pack("no-such-pack")


def test_rules_list_and_show_in_chinese():
    from xlbase.commands.rules import rules_command
    res = rules_command("list")
    assert res.exit_code == 0 and any(l.startswith("shanxi-2024-base（默认）") for l in res.lines)
    shown = "\n".join(rules_command("show", "shanxi-2024-base").lines)
    assert "resident-firms-min" in shown and "楼宇型 25" in shown and "附件5 基本条件第4条" in shown
    assert "缺少该表或该栏未填时改查：附件2" in shown and "forms-missing" in shown
    assert rules_command("show", "nope").exit_code == 2


def _edited(tmp_path, old, new):
    """A copy of the default pack with one hand edit, and the 1-based line the edit is on."""
    text = packs_dir().joinpath("shanxi-2024-base.yaml").read_text(encoding="utf-8")
    assert old in text
    edited = text.replace(old, new, 1)
    copy = tmp_path / "我的规则.yaml"
    copy.write_text(edited, encoding="utf-8")
    return copy, text[:text.index(old)].count("\n") + 1 + old.rstrip("\n").count("\n")


TUTORS = "field: tutors\n    threshold: 3\n"
SHARE = "form: 附件3\n    threshold: 0.8\n"


@pytest.mark.parametrize("old,new,needle", [
    (TUTORS, "field: tutors\n    threshold: 三\n", "tutors-min 的门槛应为数字，现为“三”"),
    (TUTORS, "field: tutors\n    threshold: 3人\n", "tutors-min 的门槛应为数字，现为“3人”"),
    (TUTORS, "field: tutors\n    threshold: true\n", "tutors-min 的门槛应为数字"),
    (SHARE, "form: 附件3\n    threshold: 80\n", "small-micro-share 的门槛是比例.*如 0.8"),
    (SHARE, "form: 附件3\n    threshold: 1.01\n", "small-micro-share 的门槛是比例"),
    (SHARE, "form: 附件3\n    threshold: \"120%\"\n", "small-micro-share 的门槛是比例"),
    (TUTORS, "field: tutors\n    threshhold: 3\n", "tutors-min 有不认识的项：threshhold"),
])
def test_a_threshold_that_would_silently_misbehave_is_refused_at_its_line(tmp_path, old, new, needle):
    copy, line = _edited(tmp_path, old, new)
    with pytest.raises(PackError, match=needle) as err:
        load_pack(str(copy))
    assert str(copy) in str(err.value) and f"第 {line} 行" in str(err.value)


@pytest.mark.parametrize("typed", ['"2024-13-01"', '"2024年8月25日"', "20240825", "[2024, 8, 25]"])
def test_an_as_of_that_is_no_date_is_refused_saying_what_was_typed(tmp_path, typed):
    """as_of quoted (a text that is no ISO date) or of another type: one message, the value as typed."""
    copy, _ = _edited(tmp_path, "as_of: 2024-08-25", f"as_of: {typed}")
    with pytest.raises(PackError, match="as_of 应为日期 YYYY-MM-DD，现为“") as err:
        load_pack(str(copy))
    assert str(copy) in str(err.value) and typed.strip('"')[:4] in str(err.value)


def test_a_per_type_threshold_in_words_names_the_type_line(tmp_path):
    copy, line = _edited(tmp_path, "      物流型: 25\n", "      物流型: 二十五\n")
    with pytest.raises(PackError, match=f"第 {line} 行.*resident-firms-min 的门槛应为数字") as err:
        load_pack(str(copy))
    assert "二十五" in str(err.value)


def test_a_share_written_as_a_percentage_is_read_as_a_fraction(tmp_path):
    copy, _ = _edited(tmp_path, SHARE, "form: 附件3\n    threshold: \"75%\"\n")
    assert load_pack(str(copy)).rule("small-micro-share").threshold == 0.75


@pytest.mark.parametrize("old,new,rule,name", [
    ("专业创业辅导员 {{ value }} 人", "专业创业辅导员 {{ valeu }} 人", "tutors-min", "message"),
    ("已接受；请尽量改填18位", "已接受{{ codee }}；请尽量改填18位", "firm-code-checksum", "legacy_message"),
])
def test_a_message_naming_an_unknown_variable_is_refused(tmp_path, old, new, rule, name):
    copy, line = _edited(tmp_path, old, new)
    with pytest.raises(PackError, match=f"第 {line} 行：规则 {rule} 的 {name} 用了不认识的变量") as err:
        load_pack(str(copy))
    assert "valeu" in str(err.value) or "codee" in str(err.value)


def test_a_message_that_is_no_template_is_refused_at_every_load(tmp_path):
    """A template's syntax is checked once a process (params._variables is cached): the second load of the same
    broken pack is refused with the same message as the first."""
    copy, line = _edited(tmp_path, "专业创业辅导员 {{ value }} 人", "专业创业辅导员 {{ value 人")
    said = []
    for _ in range(2):
        with pytest.raises(PackError, match=f"第 {line} 行：规则 tutors-min 的 message 模板有误") as err:
            load_pack(str(copy))
        said.append(str(err.value))
    assert said[0] == said[1]


def test_every_kind_variable_a_shipped_message_uses_is_declared():
    # the packs load (each message checked against MESSAGE_VARIABLES and its kind's own)
    for name in PACKS:
        assert load_pack(name).rules


@pytest.mark.parametrize("name", sorted(list_packs()))
def test_a_message_names_the_base_type_only_when_the_threshold_depends_on_it(name):
    # "楼宇型基地吸纳就业人员 260 人，少于 400 人" tells the clerk a type matters where the notice sets one number
    # for every base (聊城: 从业人员400人以上); a reworded message must not bring that back
    for rule in load_pack(name).rules:
        if rule.threshold is not None and not rule.per_type:
            assert not re.search(r"{{\s*base_type\s*}}", rule.message), (name, rule.id, rule.message)


@pytest.mark.parametrize("path", sorted((p for p in packs_dir().iterdir() if p.name.endswith(".yaml")), key=str),
                         ids=lambda p: p.name)
def test_packs_load_the_same_on_libyaml_as_on_the_python_parser(path):
    """Packs are parsed by libyaml for speed; every value and every remembered line is the pure parser's."""
    import yaml

    from xlbase.rules.pack import _FastLineLoader, _LineLoader

    text = path.read_text(encoding="utf-8-sig")
    assert yaml.load(text, Loader=_FastLineLoader) == yaml.load(text, Loader=_LineLoader)  # noqa: S506


def test_a_broken_pack_is_told_by_the_python_parser_line_and_words():
    """libyaml words its errors differently: a text it refuses is reported as the pure parser reports it."""
    import yaml

    from xlbase.rules.pack import _LineLoader, parse_pack

    text = "id: x\ntitle: t\nrules:\n  - id: a\n    kind: required\n   bad: [1, 2\n"
    with pytest.raises(yaml.YAMLError) as pure:
        yaml.load(text, Loader=_LineLoader)  # noqa: S506
    with pytest.raises(PackError) as err:
        parse_pack(text)
    assert str(pure.value.problem) in str(err.value)
    assert f"第 {pure.value.problem_mark.line + 1} 行" in str(err.value)
