"""A programme's merged 汇总表 prints as its officer hands it up (LibreOffice's PDF, read back as text).

Seen in the PDFs of a city's merge of three applications: 衡阳's 推荐汇总表 printed its five paper columns at the
template's default widths — the 基地基本情况（简要） text wrapped a dozen lines in a narrow column, two bases a
page, and the 填报单位 line cut to “衡阳市工业和信息化”. 太原's 汇总表, eighteen columns narrowed to one page by
templates.table.printed_sizes, broke its 联系电话 over three lines (tests/summary/test_summary_unbroken_values.py).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conftest import soffice_convert
from programme_inbox import fill, load_case, make_templates, xlbase

NAMES = ("甲单位服务中心", "乙单位服务中心", "丙单位服务中心")


def _summary_pdf_pages(name: str, tmp_path: Path) -> list[str]:
    case = load_case(name)
    templates = make_templates(name, tmp_path / "templates")
    inbox = tmp_path / "收件"
    inbox.mkdir()
    for n in NAMES:
        fill(templates / case.applicant_file, inbox / f"{n}.xlsx", case.programme, case.answers(), n)
    out = tmp_path / "汇总表.xlsx"
    res = xlbase("merge", str(inbox), "--programme", name, "-o", str(out), "--level", "city")
    assert res.returncode in (0, 1), res.stdout + res.stderr
    pdf = soffice_convert(out, "pdf", tmp_path / "pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


@pytest.mark.libreoffice
@pytest.mark.parametrize("name, org, phone", [("hengyang-2023", "填报单位：衡阳市工业和信息化局", "0734-8857006"),
                                              ("taiyuan-2023", "推荐单位（盖章）：太原市工业和信息化局", "0351-2020238")])
def test_the_merged_summary_prints_its_rows_whole_on_one_page(name, org, phone, tmp_path):
    pages = _summary_pdf_pages(name, tmp_path)
    first = pages[0]
    assert org in re.sub(r"[ \t]+", "", first), first[:400]
    assert all(n[:4] in first for n in NAMES), first      # every row on the first page (a name may wrap)
    assert phone is None or first.count(phone) == len(NAMES), first
