"""The generated templates, re-opened with openpyxl, match the form model."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from xlbase.forms import APPLICANT_FORMS, divisions, get_form, zones
from xlbase.identity import locate
from xlbase.read.sheet_tables import TEMPLATE_SHEETS
from xlbase.templates.check_sheet import CHECK_SHEET
from xlbase.templates.guide import GUIDE_SHEET
from xlbase.templates.dates import date_validation
from xlbase.templates.table import column_plan
from xlbase.templates.validation import number_rule, number_validation
from xlbase.commands.templates import templates_command
from xlbase.templates.workbooks import (write_applicant_workbook, write_summary_workbook)


# openpyxl cannot keep the whole-column print area of 附件3 (it warns and drops it; the tests do not need it)
pytestmark = pytest.mark.filterwarnings("ignore:Print area cannot be set")

@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("tpl")
    result = templates_command(d, year=2024)
    assert result.exit_code == 0
    return d


@pytest.fixture(scope="module")
def applicant(out):
    return openpyxl.load_workbook(out / "双创基地申报表.xlsx")


@pytest.fixture(scope="module")
def summary(out):
    return openpyxl.load_workbook(out / "附件11_基本情况汇总表.xlsx")


def _find(ws, text):
    for row in ws.iter_rows():
        for c in row:
            if c.value == text:
                return c
    return None


def _validations(ws):
    """cell coordinate -> DataValidation"""
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            out[rng.coord.split(":")[0]] = dv
    return out


def test_sheet_order_and_hidden_lists(applicant):
    assert applicant.sheetnames[:4] == list(APPLICANT_FORMS)
    assert applicant.sheetnames[4:6] == [GUIDE_SHEET, CHECK_SHEET]
    lists = applicant.sheetnames[6]
    assert applicant[lists].sheet_state == "hidden"
    for name in ("xl_yesno", "xl_base_type", "xl_city", "xl_county_all"):
        ref = applicant.defined_names[name].attr_text
        sheet, cells = ref.split("!")
        assert sheet == lists and "!" not in cells and ":" in cells   # no sheet name after the colon


def test_the_reader_passes_over_our_own_sheets():
    """填表说明 and 表内检查 hold text and counts, no form: the reader skips them without a warning."""
    assert set(TEMPLATE_SHEETS) == {GUIDE_SHEET, CHECK_SHEET}


def _named_values(wb, name: str) -> list:
    ref = wb.defined_names[name].attr_text.split("!")[1].replace("$", "")
    return [c.value for row in wb["lists"][ref] for c in row]


def test_city_county_lists_cover_every_division(applicant):
    """Each city's dropdown: its counties, then the development zones that report to it as units of their
    own — the units identity.locate finds in a base's name (a base in 忻州经济开发区 picks its zone)."""
    cities = divisions()["cities"]
    everyone = _named_values(applicant, "xl_county_all")
    for n, (city, counties) in enumerate(cities.items(), start=1):
        vals = _named_values(applicant, f"xl_county_{n}")
        zone_names = [z["name"] for z in zones(city)]
        assert vals == list(counties) + zone_names
        for unit in vals:
            assert unit in everyone
            assert locate(f"{city}{unit}某某双创基地") == (city, unit)
    assert sum(len(v) for v in cities.values()) == 117
    assert "忻州经济开发区" in _named_values(applicant, f"xl_county_{list(cities).index('忻州市') + 1}")


@pytest.mark.parametrize("form_id", ["附件3", "附件10", "附件11"])
def test_table_header_labels_merges_and_order(form_id, applicant, summary):
    wb = summary if form_id == "附件11" else applicant
    form = get_form(form_id)
    ws = wb[form.sheet]
    assert ws["A1"].value == form.title_for(2024)
    number_col, cols, last = column_plan(form)
    head = _find(ws, form.table_fields[0].header_text)
    assert head is not None
    top = head.row - (1 if form.table_fields[0].group else 0)
    merges = {str(m) for m in ws.merged_cells.ranges}
    for group, fields in form.header_groups():
        for f in fields:
            letter = get_column_letter(cols[f.key] + 1)
            if group is None:
                assert f"{letter}{top}:{letter}{top + 1}" in merges or not form.has_group_row
                assert ws[f"{letter}{top}"].value.replace("\n", "") == f.header_text   # units on a line of their own
            else:
                assert ws[f"{letter}{top + 1}"].value.replace("\n", "") == f.header_text
        if group is not None:
            a, b = get_column_letter(cols[fields[0].key] + 1), get_column_letter(cols[fields[-1].key] + 1)
            assert ws[f"{a}{top}"].value == group
            if a != b:
                assert f"{a}{top}:{b}{top}" in merges
    # official columns first, ours after, visibly grey
    for f in form.table_fields:
        c = ws.cell(top + (1 if f.group else 0), cols[f.key] + 1)
        assert (c.fill.fgColor.rgb not in (None, "00000000")) == (not f.official), f.key
        assert c.protection.locked


@pytest.mark.parametrize("form_id", ["附件3", "附件10", "附件11", "附件4"])
def test_every_input_column_has_validation_and_prompt(form_id, applicant, summary):
    wb = summary if form_id == "附件11" else applicant
    form = get_form(form_id)
    ws = wb[form.sheet]
    dvs = _validations(ws)
    _, cols, _ = column_plan(form)
    first = _first_data_row(ws, form)
    for f in form.table_fields:
        coord = f"{get_column_letter(cols[f.key] + 1)}{first}"
        cell = ws[coord]
        if f.merge_only:
            continue
        if isinstance(cell.value, str) and cell.value.startswith("="):
            assert cell.protection.locked, f"{form_id}.{f.key} formula must be locked"
            continue
        dv = dvs.get(coord)
        assert dv is not None, f"{form_id}.{f.key} has no validation at {coord}"
        assert dv.prompt and dv.promptTitle and len(dv.promptTitle) <= 32 and len(dv.prompt) <= 255
        expected = {"integer": "custom", "money": "custom", "area": "custom", "decimal": "custom",
                    "date": "custom", "yesno": "list", "choice": "list", "credit_code": "custom",
                    "phone": "textLength"}.get(f.type)
        if expected:
            assert dv.type == expected, (f.key, dv.type)
            assert dv.error and dv.errorTitle and len(dv.error) <= 255
        if f.is_numeric:        # a number within the bounds, or text templates.numbers reads ("25人")
            assert dv.formula1 == number_validation(coord, number_rule(f, "integer" if f.type == "integer" else
                                                                        "decimal")[0], whole=f.type == "integer")[1:]
            assert (f.min is None) == (f"{coord}>=" not in dv.formula1)
        if f.type in ("yesno", "choice") and f.choices not in ("county",):
            assert dv.formula1 == f"xl_{f.choices}"
        if f.type in ("yesno", "choice"):     # validate reads spellings a list lacks: warn, do not refuse
            assert dv.errorStyle == "warning"
        elif expected:
            assert dv.errorStyle in (None, "stop")
        if f.choices == "county":
            assert "INDIRECT" in dv.formula1 and "xl_city" in dv.formula1
        if not f.official:
            assert "非官方表格列" in dv.prompt


def _first_data_row(ws, form) -> int:
    head = _find(ws, form.table_fields[0].header_text)   # top of the header
    top = head.row - (1 if form.table_fields[0].group else 0)
    r = top + (2 if form.has_group_row else 1)
    if ws.cell(r, 1).value == form.total_label:
        r += 1
    return r


def test_profit_may_be_negative_and_dates_are_sane(applicant):
    form = get_form("附件3")
    ws = applicant[form.sheet]
    _, cols, _ = column_plan(form)
    first = _first_data_row(ws, form)
    dvs = _validations(ws)
    profit_cell = f"{get_column_letter(cols['profit'] + 1)}{first}"
    assert f"{profit_cell}>=" not in dvs[profit_cell].formula1 and f"{profit_cell}<=" not in dvs[profit_cell].formula1
    date = dvs[f"{get_column_letter(cols['entered_on'] + 1)}{first}"]
    assert date.type == "custom" and date.formula1 == date_validation(f"{get_column_letter(cols['entered_on'] + 1)}{first}")[1:]


def test_credit_code_columns_are_text(applicant):
    form = get_form("附件3")
    ws = applicant[form.sheet]
    _, cols, _ = column_plan(form)
    letter = get_column_letter(cols["credit_code"] + 1)
    first = _first_data_row(ws, form)
    # every row of the list, ruled or not, down to the template's last: typed codes stay text
    assert {ws[f"{letter}{r}"].number_format for r in (first, first + 100, first + form.template_rows - 1)} == {"@"}
    dv = _validations(ws)[f"{letter}{first}"]
    assert "LEN" in dv.formula1 and "18" in dv.formula1 and "15" in dv.formula1
    a2 = applicant["附件2"]
    code = next(c for row in a2.iter_rows() for c in row if c.number_format == "@" and not c.protection.locked)
    assert code is not None


def test_record_form_a2_labels_and_identity_names(applicant):
    form = get_form("附件2")
    ws = applicant[form.sheet]
    texts = {c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for section, fields in form.record_rows():
        if section:
            assert section in texts
        for f in fields:
            assert f.label in texts
    for f in form.fields:
        if f.identity:
            ref = applicant.defined_names[f"xl_id_{f.identity}"].attr_text
            sheet, cell = ref.split("!")
            cell_obj = ws[cell.replace("$", "")]
            assert sheet.strip("'") == form.sheet and not cell_obj.protection.locked


def test_identity_flows_by_formula_and_is_locked(applicant):
    a10 = get_form("附件10")
    ws = applicant[a10.sheet]
    _, cols, _ = column_plan(a10)
    first = _first_data_row(ws, a10)
    for f in a10.table_fields:
        if f.identity:
            c = ws.cell(first, cols[f.key] + 1)
            assert c.value == f'=IF(xl_id_{f.identity}="","",xl_id_{f.identity})'
            assert c.protection.locked


def _print_areas(path: Path) -> dict[str, str]:
    """Sheet name -> its print area as stored (openpyxl cannot read a whole-column area)."""
    import re
    import zipfile
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/workbook.xml").decode()
    sheets = re.findall(r'<sheet name="([^"]+)"', xml)
    return {sheets[int(i)]: ref.split("!")[-1] for i, ref in
            re.findall(r'<definedName name="_xlnm.Print_Area" localSheetId="(\d+)">([^<]+)</definedName>', xml)}


def test_protection_print_and_panes(out, applicant, summary):
    areas = {**_print_areas(out / "双创基地申报表.xlsx"), **_print_areas(out / "附件11_基本情况汇总表.xlsx")}
    for wb in (applicant, summary):
        for name in wb.sheetnames:
            ws = wb[name]
            if ws.sheet_state != "visible":
                continue
            assert ws.protection.sheet and not ws.protection.password
            assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
            if ws.row_breaks.brk:       # Excel ignores manual breaks under fit to page: a scale instead
                assert not ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.scale, name
            else:
                assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1)
            assert areas.get(name), name
    for ws in (applicant["附件3"], applicant["附件10"], applicant["附件4"], summary["附件11"]):
        assert ws.print_title_rows
    assert applicant["附件3"].freeze_panes and summary["附件11"].freeze_panes


@pytest.mark.parametrize("form_id", ["附件3", "附件4", "附件10", "附件11"])
def test_print_area_is_the_official_columns(form_id, out, applicant, summary):
    """序号 and the official columns print; our grey columns are beside them, off the page. 附件3's
    area is whole columns: the rows a clerk adds print, the unused ones do not."""
    name = "附件11_基本情况汇总表.xlsx" if form_id == "附件11" else "双创基地申报表.xlsx"
    form = get_form(form_id)
    _, cols, _ = column_plan(form)
    last = get_column_letter(max(cols[f.key] for f in form.official_table_fields) + 1)
    area = _print_areas(out / name)[form.sheet].replace("$", "")
    if form_id == "附件3":
        assert area == f"A:{last}"
    else:
        assert area.startswith("A1:") and area.split(":")[1].rstrip("0123456789") == last


def test_a3_total_stays_in_sight_over_numbered_rows(applicant):
    """The 合计 line sits under the header, frozen with it, above rows numbered 1, 2, 3 … that have
    borders before anything is typed."""
    form = get_form("附件3")
    ws = applicant[form.sheet]
    total = _find(ws, form.total_label)
    first = total.row + 1
    assert ws.freeze_panes == f"A{first}"
    numbers = []
    r = first
    while isinstance(ws.cell(r, 1).value, int):
        numbers.append(ws.cell(r, 1).value)
        r += 1
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 15
    _, cols, _ = column_plan(form)
    for f in form.table_fields:
        cell = ws.cell(first + len(numbers) - 1, cols[f.key] + 1)
        assert cell.border.bottom.style and not cell.protection.locked, f.key


def test_summary_rows_numbered_and_total_sums(summary):
    form = get_form("附件11")
    ws = summary[form.sheet]
    total = _find(ws, form.total_label)
    first = _first_data_row(ws, form)
    assert [ws.cell(first + i, 1).value for i in range(3)] == [1, 2, 3]
    assert total.row == first + form.template_rows
    _, cols, _ = column_plan(form)
    c = ws.cell(total.row, cols["resident_firms"] + 1).value
    assert "SUM(" in c and f"{first}" in c and "COUNT(" in c     # blank until a figure is typed


def test_threshold_conditional_formatting_reads_rule_tables(applicant, summary):
    for ws in (applicant["附件10"], summary["附件11"], applicant["附件2"]):
        rules = [r for cf in ws.conditional_formatting for r in cf.rules]
        assert any("xl_thr_resident_firms" in (r.formula or [""])[0] for r in rules), ws.title
    assert "xl_thr_resident_firms" in applicant.defined_names


def test_a3_check_block_compares_with_a10(applicant):
    ws = applicant["附件3"]
    formulas = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert any(f.startswith("=SUMPRODUCT(") for f in formulas)        # the firm rows in use
    assert any(f.startswith("=SUM(") for f in formulas)               # the employees
    # 附件10's figure and the rows' figures as validate reads them (templates.numbers: "25人" is 25)
    assert any(f.startswith("=SUM('xl_numbers'!") for f in formulas)
    assert any(f.startswith("=IF('xl_numbers'!") for f in formulas)


def test_prefilled_workbook_uses_same_path(tmp_path):
    base = {"base_name": "太原市小店区测试双创基地", "operator": "=cmd|'/C calc'!A0", "city": "太原市",
            "county": "小店区", "base_type": "楼宇型", "registered_on": dt.date(2019, 3, 15),
            "resident_firms": 2, "employees": 30, "operator_code": "91140100MA0K000000"}
    firms = [{"firm_name": "甲公司", "credit_code": "91140100MA0K000001", "employees": 10},
             {"firm_name": "乙公司", "credit_code": "140100000000001", "employees": 20}]
    p = write_applicant_workbook(tmp_path / "a.xlsx", base=base, firms=firms, year=2024)
    wb = openpyxl.load_workbook(p)
    ws = wb["附件2"]
    cells = {c.value: c for row in ws.iter_rows() for c in row if c.value is not None}
    assert "太原市小店区测试双创基地" in cells
    evil = cells["=cmd|'/C calc'!A0"]
    assert evil.data_type == "s" and evil.quotePrefix
    a3 = wb["附件3"]
    codes = [c for row in a3.iter_rows() for c in row if c.value in ("91140100MA0K000001", "140100000000001")]
    assert len(codes) == 2 and all(c.data_type == "s" for c in codes)
    # cached values: a reader without recalculation sees the identity on 附件10
    wbv = openpyxl.load_workbook(p, data_only=True)
    vals = [c.value for row in wbv["附件10"].iter_rows() for c in row]
    assert "太原市小店区测试双创基地" in vals and "楼宇型" in vals


def test_summary_with_rows_and_unit(tmp_path):
    rows = [{"base_name": f"基地{i}", "resident_firms": i, "city": "忻州市"} for i in range(1, 4)]
    p = write_summary_workbook(tmp_path / "s.xlsx", rows, year=2024, unit="忻州市工信局")
    wbv = openpyxl.load_workbook(p, data_only=True)
    ws = wbv["附件11"]
    vals = [c.value for row in ws.iter_rows() for c in row]
    assert any(isinstance(v, str) and v.endswith("忻州市工信局") for v in vals)
    total = _find(ws, get_form("附件11").total_label)
    _, cols, _ = column_plan(get_form("附件11"))
    assert ws.cell(total.row, cols["resident_firms"] + 1).value == 6


def _guide_text(wb) -> str:
    ws = wb[GUIDE_SHEET]
    return "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)


def _check_rows(wb) -> list[dict]:
    from xlbase.templates.check_sheet import COLUMNS
    ws = wb[CHECK_SHEET]
    names = [n for n, _ in COLUMNS]
    head = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == names[0])
    return [dict(zip(names, (ws.cell(r, c + 1).value for c in range(len(names)))))
            for r in range(head + 1, ws.max_row + 1) if ws.cell(r, len(names)).value]


def test_the_guide_says_what_is_true(applicant):
    """附件3's numbered rows as many as the guide says; every rule of the pack either on the 表内检查 sheet
    or named in the guide as checked when the city merges — never both, never neither."""
    from xlbase.templates.check_sheet import title
    from xlbase.templates.thresholds import pack
    text = _guide_text(applicant)
    ws = applicant["附件3"]
    numbered = [c.value for c in ws["A"] if isinstance(c.value, int)]
    assert f"前 {len(numbered)} 行已编号" in text
    judged = [row["规则编号"] for row in _check_rows(applicant)]
    assert judged and len(set(judged)) == len(judged)
    merge_part = text.split("三、")[1]
    for rule in pack().rules:
        assert (rule.id in judged) != (title(rule) in merge_part), rule.id
    assert "由市级汇总时检查" in merge_part


def test_the_checks_quote_the_pack(tmp_path, monkeypatch):
    """Numbers come from the pack: a pack with other thresholds gives a sheet and guide that say them."""
    import yaml
    from xlbase.rules import load_pack
    from xlbase.rules.pack import DEFAULT_PACK
    from xlbase.templates import thresholds as template_thresholds
    from importlib import resources
    spec = yaml.safe_load((resources.files("xlbase.rules.packs") / f"{DEFAULT_PACK}.yaml").read_text("utf-8"))
    for rule in spec["rules"]:
        if rule["id"] == "service-staff-min":
            rule["threshold"], rule["title"] = 17, "专职服务人员不少于 17 人"
        if rule["id"] == "resident-firms-min":
            rule["threshold"]["楼宇型"] = 41
        if rule["id"] == "employee-sum-match":
            rule["tolerance"] = {"abs": 0, "rel": 0.03}
    path = tmp_path / "other.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), "utf-8")
    other = load_pack(str(path))
    monkeypatch.setattr(template_thresholds, "_pack", lambda programme: other)
    wb = openpyxl.load_workbook(write_applicant_workbook(tmp_path / "a.xlsx", year=2024))
    rows = {row["规则编号"]: row for row in _check_rows(wb)}
    assert rows["service-staff-min"]["要求（取自规则包）"] == "不少于 17人"
    assert "楼宇型 41户" in rows["resident-firms-min"]["要求（取自规则包）"]
    assert "3%" in rows["employee-sum-match"]["要求（取自规则包）"]
    assert "专职服务人员不少于 17 人" in _guide_text(wb)
