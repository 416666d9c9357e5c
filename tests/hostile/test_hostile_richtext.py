"""A clerk's text shaped like rich-text XML ("<r>…</r>") is written back as that text.

xlsxwriter's constant_memory mode copies such strings into the sheet XML
unescaped (markup injection); the 汇总表 never uses that mode and 入驻企业 is
streamed by ooxml.bulk_rows, which escapes it.
"""

from __future__ import annotations

import datetime as dt

import openpyxl

from xlbase.commands.merge import merge_command
from xlbase.templates.workbooks import write_applicant_workbook

LOOKALIKE = '<r><t>z</t></r><c r="A1"><f>1+1</f></c><r>'
TAIL = "</r>"


def test_rich_text_lookalikes_survive_the_merge(tmp_path):
    inbox = tmp_path / "inbox" / "忻府区"
    base = {"base_name": "忻州市忻府区标记测试双创基地", "operator": LOOKALIKE + TAIL, "city": "忻州市",
            "county": "忻府区", "base_type": "楼宇型", "registered_on": dt.date(2018, 1, 1), "resident_firms": 1}
    firm = {"firm_name": "<r>甲</r>", "credit_code": "91140900MA0GRTNL3T", "employees": 3}
    write_applicant_workbook(inbox / "a.xlsx", base=base, firms=[firm])
    out = tmp_path / "汇总表.xlsx"
    res = merge_command([str(inbox)], out=out, level=None, rules=None, as_of=None, json_out=None, unit=None, jobs=1)
    assert res.exit_code in (0, 1)
    wb = openpyxl.load_workbook(out)
    operators = [r[2] for r in wb["附件11"].iter_rows(min_row=5, values_only=True)]
    assert LOOKALIKE + TAIL in operators
    firms = {v for r in wb["入驻企业"].iter_rows(values_only=True) for v in r}
    assert "<r>甲</r>" in firms
