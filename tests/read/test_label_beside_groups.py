"""A two-row header where the clerk keeps one label out of the groups, merged down both rows beside them:

    序号 | 平台名称 | 基本情况 (merged over 9 columns)        | 上年度运营情况 (merged over 5)
         |          | 注册日期 | 单位性质 | … | 服务中小企业数

晋源区's 太原 汇总表 was read from its label row alone: the group row holds a field's label (平台名称), so it was no
group row, and the table began at the first label under a group — the platform's name was a "missing column"
错误 and its row reached the 汇总表 without a name. For every table form of every programme whose columns are
grouped, the first column pulled out of its group this way is read with all the others.
"""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from xlbase.forms.programmes import list_programmes, load_programme
from xlbase.read import read_workbook

VALUES = {"text": "甲乙丙", "integer": 12, "decimal": 3.5, "money": 86.5, "area": 1200, "date": dt.date(2016, 5, 3),
          "yesno": "是", "phone": "0351-6123456"}


def _grouped_forms():
    seen = set()
    for name in list_programmes():
        for form in load_programme(name).forms.values():
            fields = [f for f in form.table_fields if f.official and not f.merge_only]
            if form.kind != "table" or form.id in seen or sum(1 for f in fields if f.group and not f.tick) < 3:
                continue
            seen.add(form.id)
            yield pytest.param(name, form.id, id=form.id)


def _value(f, i: int):
    if f.type == "credit_code":
        from retyped import code
        return code(i)
    if f.type == "choice":
        return None
    return VALUES[f.type]


@pytest.mark.parametrize("programme, form_id", list(_grouped_forms()))
def test_a_label_merged_down_beside_the_groups_is_read(tmp_path, programme, form_id):
    form = load_programme(programme).form(form_id)
    fields = [f for f in form.table_fields if f.official and not f.merge_only]
    alone = next(f for f in fields if f.group and not f.tick)    # the first grouped column, out of its group
    rest = [f for f in fields if f is not alone]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([form.title])
    ws.append(["填报单位：某某县工信局"])
    top = ["序号", alone.label]
    under: list = [None, None]
    spans = []
    for f in rest:
        if f.group and (not spans or spans[-1][0] != f.group):
            spans.append([f.group, len(top) + 1, len(top) + 1])
            top.append(f.group)
        elif f.group:
            spans[-1][2] = len(top) + 1
            top.append(None)
        else:
            top.append(f.header_text)
        under.append(f.header_text if f.group else None)
    ws.append(top)
    ws.append(under)
    for i in (1, 2):
        ws.append([i, _value(alone, i), *[_value(f, i) for f in rest]])
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:B4")
    for _, a, b in spans:
        if b > a:
            ws.merge_cells(f"{get_column_letter(a)}3:{get_column_letter(b)}3")
    for j, f in enumerate(rest, 3):
        if not f.group:
            ws.merge_cells(f"{get_column_letter(j)}3:{get_column_letter(j)}4")
    path = tmp_path / f"{form_id}.xlsx"
    wb.save(path)
    got = [t for t in read_workbook(str(path)).tables if t.form_id == form_id]
    assert got, form_id
    t = got[0]
    assert t.columns.get(alone.key) == 2, (alone.key, t.columns)
    assert {f.key for f in fields} <= set(t.columns), set(f.key for f in fields) - set(t.columns)
    assert len(t.data) == 2
