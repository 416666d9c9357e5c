"""A record form typed like a Word document into one column of a sheet: each line "标签：值", and several of them
on one line apart by spaces ("名称：代县雁门创业服务有限公司    注册时间：2018年4月12日", "从业人员数量：12人    其中：
本科以上学历7人    专业创业辅导员3人"). Before: each cell was read as its first label with all the rest as its value —
the other lines "missing" (错误 缺少栏目), the glued values unparseable (错误), the 汇总表's cells empty. Now each
"标签：值" of the line is read, pointing at that cell; a word naming no line stays with the value before it."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from retyped import save
from xlbase.forms.programmes import list_programmes, load_programme, using
from xlbase.read.records import record_keys
from xlbase.read.workbook import read_workbook

TEXT_CHARS = "晋创园科技服务有限公司众创空间孵化中心发展运营管理平台"


def _record_forms() -> list[tuple[str, str, str, list[tuple[str, str, str, str | None]]]]:
    """(programme, form id, title, [(key, label, type, unit)]) for every record form of every programme: the lines
    whose own label names that line alone, of a type typed with no space (text, counts, amounts, areas)."""
    out = []
    for name in list_programmes():
        p = load_programme(name)
        with using(p):
            for form in p.forms.values():
                if form.kind != "record" or not form.title:
                    continue
                lines = [(f.key, f.label, f.type, f.unit) for f in form.record_fields
                         if f.type in ("text", "integer", "money", "area") and not f.combined and not f.choices
                         and record_keys(f.label, form.id) == (f.key,)]
                if len(lines) >= 6:
                    out.append((name, form.id, form.title, lines))
    return out


FORMS = _record_forms()


def test_every_programme_has_a_record_form_to_type():
    assert {f[0] for f in FORMS} >= {"shanxi-2024-base", "taiyuan-2023", "hengyang-2023"}


@st.composite
def _typed(draw):
    programme, form_id, title, lines = draw(st.sampled_from(FORMS))
    chosen = sorted(draw(st.lists(st.sampled_from(range(len(lines))), min_size=6, max_size=min(12, len(lines)),
                                  unique=True)))
    expected, texts = {}, []
    for i in chosen:
        key, label, kind, unit = lines[i]
        if kind == "text":
            value = draw(st.text(TEXT_CHARS, min_size=3, max_size=12))
            expected[key] = value
        else:
            n = draw(st.integers(0, 99999))
            value, expected[key] = f"{n}{unit or ''}", n
        colon = draw(st.sampled_from(["：", ":", "： "]))
        texts.append(f"{label}{colon}{value}")
    gaps = st.sampled_from(["    ", "  ", "\u3000\u3000", "\t", " "])
    cells, at = [], 0
    while at < len(texts):      # the lines in paper order, 1 to 4 to a typed line
        n = draw(st.integers(1, 4))
        cells.append(draw(gaps).join(texts[at:at + n]) if n > 1 else texts[at])
        at += n
    return programme, form_id, title, cells, expected


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(typed=_typed())
def test_every_label_and_value_of_a_line_is_read(tmp_path_factory, typed):
    programme, form_id, title, cells, expected = typed
    path = save(tmp_path_factory.mktemp("word") / "申请表.xlsx", {"Sheet1": [[title], *([c] for c in cells)]})
    with using(load_programme(programme)):
        read = read_workbook(path)
    [t] = [t for t in read.tables if t.form_id == form_id]
    got = {k: t.record.get(k) for k in expected}
    assert got == expected, cells
    assert not [p for p in read.problems if p.rule == "unparseable"], cells


def test_a_shanxi_application_typed_as_a_document(tmp_path):
    """The 附件2 of a county typed line by line (probe r2, session 15): every line read, the 资金来源 sentence too
    with its own label before it; no 错误 but the code's check character."""
    lines = ["山西省小微企业创业创新基地认定申请表", "填报单位（盖章）：代县工业和信息化局", "单位：万元、平方米、人、户",
             "一、基地基本信息", "小微企业双创基地名称：忻州市代县雁门关创业孵化园", "所在市县：忻州市代县",
             "二、运营主体", "名称：代县雁门创业服务有限公司    注册时间：2018年4月12日",
             "营业执照注册号：91140923MA0K3T5X2Q    法人代表：张建国    联系电话：13934561278",
             "基地地址：代县上馆镇 雁门大街88号",
             "三、创业服务机构", "名称：代县雁门创业服务中心    成立时间：2018年6月",
             "从业人员数量：12人    其中：本科以上学历7人    中等以上专业技术人员5人    专业创业辅导员3人",
             "已入驻企业数：28户    企业职工人数：356人    孵化成功离开企业数：4户",
             "建设项目总投资：1200万元    其中：固定资产投资：900万元    已完成固定资产投资：650万元",
             "资金来源：其中：自筹 500 万元； 贷款 300 万元； 地方政府投资 400 万元； 其他 0 万元。"]
    path = save(tmp_path / "代县" / "认定申请表.xlsx", {"申请表": [[s] for s in lines]})
    read = read_workbook(path)
    [t] = [t for t in read.tables if t.form_id == "附件2"]
    assert {k: t.record.get(k) for k in ("operator", "legal_rep", "operator_phone", "address", "service_org",
                                         "service_staff", "staff_bachelor", "staff_technical", "tutors", "employees",
                                         "graduated_firms", "fixed_investment", "fixed_completed", "fund_self")} == {
        "operator": "代县雁门创业服务有限公司", "legal_rep": "张建国", "operator_phone": "13934561278",
        "address": "代县上馆镇 雁门大街88号", "service_org": "代县雁门创业服务中心", "service_staff": 12,
        "staff_bachelor": 7, "staff_technical": 5, "tutors": 3, "employees": 356, "graduated_firms": 4,
        "fixed_investment": 900, "fixed_completed": 650, "fund_self": 500}
    assert t.record_cells["legal_rep"] == t.record_cells["operator_code"] == "A9"
    assert t.record_cells["fund_self"] == "A16"
