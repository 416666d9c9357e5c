"""A line a record form requires that is absent is an error — unless a word the reader could not place stands where
it would and could be it: then a warning naming that word. A word could be the line only if it is of the line's kind
(money, area, a count of persons or firms, a date, text…), as its unit, the value beside it and its head noun tell.

Before: any unknown word in the line's place made it a warning — in a hand-typed 附件2 "已毕业企业 | 5" (a count of
firms) turned the missing 投入资金 and the 资金来源 lines into warnings; and a programme's 申请表 said a missing line as
an error even with its clerk's own word for it typed where it stands ("重点服务活动 | 参加2022年中小企业服务月活动").
"""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stranger_records import FOREIGN, foreign_word, line_rows, record_forms, save_record, typed
from xlbase.check import check, pack_for
from xlbase.forms import Field, Form
from xlbase.forms.programmes import load_programme, using
from xlbase.read import read_workbook
from xlbase.read.line_kinds import could_hold, field_kind, word_kinds

FORMS = record_forms()


def _line_problems(path: Path, programme: str, form: Form, line: Field) -> list:
    """Every problem saying `line` of `form` is absent: Shanxi's missing-column (one per severity, naming several
    lines) and a programme's required rule (one per line)."""
    p = load_programme(programme)
    with using(p):
        wr = read_workbook(str(path))
        assert any(t.form_id == form.id for t in wr.tables), ([t.form_id for t in wr.tables], wr.problems)
        problems = check([wr], pack_for(None, None, p), programme=p if p.generic else None).problems
    return [x for x in problems if x.rule in ("missing-column", "required") and x.form == form.id
            and (line.key in (x.value or []) if x.rule == "missing-column" else x.field == line.key)]


def _case(draw_seed: int, forms=FORMS):
    rng = random.Random(draw_seed)
    programme, form = rng.choice(forms)
    lines = [f for f in form.record_fields if f.official and f.required]
    return rng, programme, form, lines


def _typed_without(form: Form, line: Field, word: str, value: str, rng: random.Random) -> list[list]:
    """The form's lines in its order, `line` replaced by the clerk's `word` | `value`."""
    rows = []
    for f in form.record_fields:
        rows += [[word, value]] if f.key == line.key else line_rows(form, [f], rng)
    return rows


def test_the_foreign_characters_are_in_no_label():
    labels = "".join(t for _, form in FORMS for f in form.fields for t in (*f.labels, *f.terms))
    assert not set(FOREIGN) & set(labels)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**6))
def test_a_word_of_the_lines_kind_in_its_place_is_a_warning_naming_it(tmp_path_factory, seed):
    rng, programme, form, lines = _case(seed)
    line = rng.choice(lines)
    kind = field_kind(line)
    word, value = foreign_word(rng, kind), typed(kind, rng)
    path = save_record(tmp_path_factory.mktemp("k") / "a.xlsx", _typed_without(form, line, word, value, rng),
                       title=form.title.replace("{year}", ""))
    said = _line_problems(path, programme, form, line)
    assert said, (form.id, line.key, word, value)
    assert all(p.severity != "error" for p in said), [(p.severity, p.message) for p in said]
    assert any(p.severity == "warning" and f"“{word}”" in p.message for p in said), [p.message for p in said]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**6))
def test_only_words_of_other_kinds_in_its_place_leave_it_an_error(tmp_path_factory, seed):
    rng, programme, form, lines = _case(seed)
    line = rng.choice([f for f in lines if not f.part_of and not f.blank_may_be_zero])
    word, value = foreign_word(rng), typed(field_kind(line), rng, other=True)
    path = save_record(tmp_path_factory.mktemp("k") / "a.xlsx", _typed_without(form, line, word, value, rng),
                       title=form.title.replace("{year}", ""))
    said = _line_problems(path, programme, form, line)
    assert [p.severity for p in said] == ["error"], (line.key, word, value, [(p.severity, p.message) for p in said])
    assert f"“{word}”" not in said[0].message


@given(line=st.sampled_from([(p, f, x) for p, f in FORMS for x in f.record_fields]), seed=st.integers(0, 10**6))
def test_a_value_of_the_lines_kind_beside_any_word_never_rules_the_line_out(line, seed):
    """Hypothesis over every record line of every programme: a word of no known kind, with the line's unit or
    none, and a value typed as the line's kind is typed, could always be it."""
    _, _, f = line
    rng = random.Random(seed)
    kind = field_kind(f)
    word, value = foreign_word(rng, kind), typed(kind, rng)
    assert could_hold(word, value, f), (f.key, kind, word, value, word_kinds(word, value))


def test_a_count_of_firms_is_no_amount_of_money(tmp_path):
    """The hand-typed 附件2 of the brief: "已毕业企业 | 5" stands after the last line found, where 投入资金 and the
    project's money lines would; it counts firms (…企业), so they are provably absent (错误); "总投入 | 2300" may be
    投入资金 (a warning naming it); "中级以上职称 | 3" may be 中等以上专业技术人员."""
    rows = [["小微企业创业创新基地申请表"],
            ["申报单位：孝义市金鼎物业管理有限公司        金额：万元  面积：平方米"],
            ["基地名称", "孝义市金鼎双创大厦", "所在市县", "吕梁市孝义市"],
            ["主导产业", "电子商务、现代物流", "主管部门", "孝义市工信局"],
            ["运营单位", "孝义市金鼎物业管理有限公司", "成立日期", "2019.5.6"],
            ["统一社会信用代码", "91141181MA0K8XQ2XL", "法人", "王建国"], ["联系电话", "0358-7221234"],
            ["基地地址", "孝义市府前街88号", "服务机构", "金鼎创业服务中心"],
            ["服务机构成立时间", "2019年8月", "服务人员", "12人"],
            ["其中本科及以上", "8", "中级以上职称", "3"],
            ["创业导师", "4人", "占地面积", "12000"],
            ["总投入", "2300", "建设时间", "2019年"],
            ["建成面积", "26000", "在建面积", "无"],
            ["入驻企业", "28户", "职工人数", "560"],
            ["已毕业企业", "5"]]
    path = save_record(tmp_path / "孝义市" / "申请表.xlsx", rows, sheet="申请表")
    with using(load_programme("shanxi-2024-base")):
        wr = read_workbook(str(path))
    # four columns of label | value pairs under a title of its own: the 附件2, not two bases' 附件11 turned (it was)
    assert [t.form_id for t in wr.tables] == ["附件2"]
    said = {p.severity: p for p in wr.problems if p.rule == "missing-column" and p.form == "附件2"}
    assert set(said["error"].value) >= {"total_investment", "fixed_investment", "fixed_completed"}
    assert "已毕业企业" not in said["error"].message + said["warning"].message
    assert set(said["warning"].value) == {"invested", "staff_technical"}
    assert "如果“总投入”就是“投入资金”" in said["warning"].message
    assert "如果“中级以上职称”就是“中等以上专业技术人员”" in said["warning"].message


def test_a_programmes_missing_line_with_its_clerks_word_is_a_warning(tmp_path):
    """A short 衡阳 申请表 in a base's own words: each line not found is its own problem — a warning where a word of
    its kind stands for it (自持部分 | 9000平方米 for 自持; 员工总数 | 45人 for the staff), an error where none does."""
    rows = [["耒阳市众创产业园基地申报情况"],
            ["基地名称", "耒阳市众创产业园"], ["运营单位地址", "耒阳市蔡子池街道五一路66号"], ["负责人", "周海涛"],
            ["成立日期", "2018年4月"], ["房屋总面积", "32000平方米"], ["自持部分", "9000平方米"], ["员工总数", "45人"],
            ["专职服务人员", "8人"]]
    path = save_record(tmp_path / "耒阳市" / "申请表.xlsx", rows)
    p = load_programme("hengyang-2023")
    with using(p):
        wr = read_workbook(str(path))
        problems = check([wr], pack_for(None, None, p), programme=p).problems
    said = {x.field: x for x in problems if x.rule == "required" and "没有找到" in x.message}
    assert said["self_held_area"].severity == "warning" and "“自持部分”" in said["self_held_area"].message
    assert said["staff_total"].severity == "warning" and "“员工总数”" in said["staff_total"].message
    assert said["contact"].severity == "error" and said["land_area"].severity == "error"
    assert "自持部分" not in said["land_area"].message       # an area, but it stands far from where 占地面积 would
