"""The 太原 2023 programme's form set (forms/specs/taiyuan-2023/) and pack match the notice.

Source: seeds/004_8553de26f5d5b2c3.txt (并工信字〔2023〕26号, 附件1-3). The 汇总表 (附件3) prints no
columns in the notice; ours are derived from the 申请表 (summary.yaml), which these tests hold to: every
column is a 申请表 value (or the last row of its 运营管理情况) of the same key, type and unit.
"""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from xlbase.forms import FIELD_TYPES, _build
from xlbase.forms.programmes import load_programme
from xlbase.rules.programme import load_generic_pack
from xlbase.text import fold

FOLDER = resources.files("xlbase.forms.specs").joinpath("taiyuan-2023")


def _yaml(name: str):
    return yaml.safe_load(FOLDER.joinpath(name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def forms():
    return load_programme("taiyuan-2023").forms


def test_the_spec_loader_builds_the_same_forms(forms):
    """Each spec file is a plain Form spec: the spec loader alone builds what the programme loads."""
    loaded = {}
    for p in sorted(FOLDER.iterdir(), key=lambda p: p.name):
        spec = _yaml(p.name) if p.name.endswith(".yaml") else None
        if isinstance(spec, dict) and "id" in spec:
            loaded[spec["id"]] = _build(spec, loaded)
    assert loaded == forms


def test_every_rule_cites_the_notice_or_its_forms():
    pack = load_generic_pack(load_programme("taiyuan-2023"))
    assert pack.as_of.isoformat() == "2023-03-23"                # 通知 一5、二5 deadline
    assert {r.id for r in pack.rules} >= {"evaluation-sample-min", "staff-list-min"}
    assert {r.id: r.threshold for r in pack.rules if r.kind == "rows-min"} == {
        "evaluation-sample-min": 10, "staff-list-min": 12}
    for r in pack.rules:
        assert r.source, r.id


@pytest.fixture(scope="module")
def lists():
    return _yaml("lists.yaml")


def _labels(form):
    return [f.label for f in form.official_table_fields]


def test_the_forms_of_the_notice(forms):
    assert set(forms) == {"太原申请表", "太原运营情况", "太原服务内容", "太原设备清单", "太原人员名单",
                          "太原服务企业名单", "太原服务企业总数", "太原推荐表", "太原测评企业", "太原汇总表"}


def test_application_tables_are_the_paper_ones(forms):
    assert _labels(forms["太原运营情况"]) == ["年度", "营业收入", "其中：服务收入", "资产总额", "利润总额", "上缴税金",
                                          "服务中小企业户数"]
    assert forms["太原运营情况"].field("profit").min is None          # a loss is negative
    assert _labels(forms["太原服务内容"]) == ["主要服务内容", "服务规模（家、人/次）", "服务收入占年营业收入%"]
    assert {forms[f].sheet for f in ("太原申请表", "太原运营情况", "太原服务内容")} == {"申请表"}


def test_application_record_grid_names_every_field_once_in_paper_order(forms):
    app = forms["太原申请表"]
    in_rows = [f.key for _, fs in app.record_rows() for f in fs]
    assert sorted(in_rows) == sorted(f.key for f in app.record_fields)
    assert len(in_rows) == len(set(in_rows))
    keys = ("registered_on", "registered_capital", "staff", "qualifications", "partners_signed", "gov_support")
    positions = [in_rows.index(k) for k in keys]
    assert positions == sorted(positions)
    assert {f.key: f.part_of for f in app.fields if f.part_of} == {
        "site_owned": "site_area", "site_rented": "site_area", "staff_professional": "staff"}


def test_lists_are_the_paper_ones(forms):
    assert _labels(forms["太原设备清单"]) == ["名称", "数量", "购买时间", "购买价格", "是否处于行业领先水平"]
    assert forms["太原设备清单"].number_label == "序号"
    assert _labels(forms["太原人员名单"]) == ["姓名", "年龄", "学历", "毕业学校", "职称", "主管工作"]
    assert "备注：不少于12人" in forms["太原人员名单"].notes
    served = forms["太原服务企业名单"]
    assert _labels(served) == ["服务企业名称", "联系人", "联系电话", "服务内容简述", "满意", "不满意"]
    assert served.header_groups()[-1][0] == "企业满意度"
    assert forms["太原服务企业总数"].sheet == served.sheet


def test_recommendation_and_its_sample_are_the_paper_ones(forms):
    rec, sample = forms["太原推荐表"], forms["太原测评企业"]
    assert sample.sheet == rec.sheet
    assert _labels(sample) == ["抽样企业名称", "被访人员姓名", "职务", "联系电话", "接受服务内容", "很满意", "基本满意", "不满意"]
    assert sample.header_groups()[-1][0] == "对所受服务的总体评价"
    assert sample.template_rows >= 10                    # room for the sample of at least 10
    assert rec.field("opinion").required and rec.field("method").required   # 明确推荐意见; 对其服务进行测评


def test_summary_columns_are_derived_from_the_application(forms):
    """Each 汇总表 column comes from the 申请表 (summary.yaml) with the key, type and unit it has there."""
    layout, summary = _yaml("summary.yaml"), forms["太原汇总表"]
    assert layout["form"] == summary.id and layout["row_per"] == "太原申请表"
    assert summary.total_label == "合计" and summary.number_label == "序号"
    assert set(layout["columns"]) == set(summary.keys)
    from_application = 0
    for key, source in layout["columns"].items():
        f = summary.field(key)
        if "field" not in source:
            # counts and the file: ours, written by merge; the counts are read back a level up, the file is not
            assert not f.official and f.merge_only == ("source" in source), key
            continue
        form_id, src_key = source["field"].split(".")
        src = forms[form_id].field(src_key)
        assert form_id in ("太原申请表", "太原运营情况") and src_key == key
        assert (f.type, f.unit, f.official) == (src.type, src.unit, src.official), key
        assert f.prompt.startswith("取自申请表"), key
        assert (source.get("row") == "last") == (forms[form_id].kind == "table"), key
        from_application += 1
    assert from_application == len([f for f in summary.fields if "field" in layout["columns"][f.key]])
    assert {source["count"] for source in layout["columns"].values() if "count" in source} == {"太原人员名单", "太原测评企业"}


def test_county_list_is_taiyuans(forms, lists):
    units = lists["taiyuan_unit"]["values"]
    assert units[:10] == ["小店区", "迎泽区", "杏花岭区", "尖草坪区", "万柏林区", "晋源区", "清徐县", "阳曲县", "娄烦县", "古交市"]
    for fid in ("太原申请表", "太原汇总表"):
        assert forms[fid].field("county").choices == "taiyuan_unit"


def test_workbook_places_every_applicant_form(forms):
    wb = _yaml("workbook.yaml")
    blocks = [(s, b) for s in wb["sheets"] for b in s.get("blocks", ()) if "heading" not in b]   # a section line
    placed = {s["form"] for s in wb["sheets"]} | {b.get("record") or b.get("table") for _, b in blocks}
    assert placed == set(forms) - {"太原汇总表"}
    for s in wb["sheets"]:
        for b in (b for t, b in blocks if t is s):
            assert forms[b.get("record") or b.get("table")].sheet == s["sheet"]
            if "upto" in b:
                assert forms[b["record"]].has_field(b["upto"])


def test_fields_are_well_formed(forms, lists):
    for form in forms.values():
        for part in ("record", "table"):
            seen: dict[str, str] = {}
            for f in (f for f in form.fields if f.part == part):
                assert f.type in FIELD_TYPES
                assert f.prompt and len(f.prompt) <= 255, (form.id, f.key)
                if f.type == "choice":
                    assert f.choices in lists, f.key
                k = (fold(f.section) + "/" if f.section else "") + fold(f.label)
                assert k not in seen, f"{form.id}: {f.key} and {seen[k]} share label {f.label}"
                seen[k] = f.key
        flags = [f.official for f in form.table_fields]
        assert flags == sorted(flags, reverse=True), form.id
