"""LibreOffice converts every template to PDF, and each form prints one A4 page wide."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conftest import require_soffice, soffice_convert
from xlbase.commands.templates import templates_command

pytestmark = pytest.mark.libreoffice
A4_LANDSCAPE = (841.89, 595.3)


def _page_sizes(pdf: Path) -> list[tuple[float, float]]:
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True,
                         check=True).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", out)]


def _page_texts(pdf: Path, n: int) -> list[str]:
    return [subprocess.run(["pdftotext", "-f", str(i), "-l", str(i), "-layout", str(pdf), "-"],
                           capture_output=True, text=True, check=True).stdout for i in range(1, n + 1)]


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    require_soffice()
    d = tmp_path_factory.mktemp("lo")
    templates_command(d, year=2024)
    out = {}
    for p in sorted(d.glob("*.xls*")):
        target = d / p.suffix.lstrip(".")
        target.mkdir(exist_ok=True)
        out[p.stem if p.suffix == ".xlsx" else p.name] = soffice_convert(p, "pdf", target)
    return out


def test_every_template_converts_to_a4_landscape(pdfs):
    assert {"双创基地申报表", "附件11_基本情况汇总表", "双创基地申报表.xlsm", "附件11_基本情况汇总表.xlsm"} <= set(pdfs)
    for name, pdf in pdfs.items():
        sizes = _page_sizes(pdf)
        assert sizes, name
        for w, h in sizes:
            assert abs(w - A4_LANDSCAPE[0]) < 2 and abs(h - A4_LANDSCAPE[1]) < 2, (name, w, h)


def test_each_form_prints_one_page_wide(pdfs):
    """One page wide: every page holds a form's first column (序号 or its first label) —
    a form split across pages sideways would leave pages without it, and the
    title and header appear once per form on its first page."""
    from xlbase.forms import get_form
    pdf = pdfs["双创基地申报表"]
    texts = _page_texts(pdf, len(_page_sizes(pdf)))
    a2 = get_form("附件2")
    assert a2.title in texts[0].replace(" ", "")
    # 附件2 fits one page (a record form is one sheet of paper)
    assert a2.title not in "".join(texts[1:]).replace(" ", "")
    joined = [t.replace(" ", "") for t in texts]
    for fid in ("附件3", "附件4", "附件10"):
        form = get_form(fid)
        pages = [i for i, t in enumerate(joined) if form.title_for(2024).replace(" ", "") in t]
        assert len(pages) == 1, (fid, pages)
        page = joined[pages[0]]
        # the last column's header is on the same page as the first: nothing cut off sideways
        last = form.table_fields[-1].label
        assert last[:4] in page, (fid, last)
    summary = [t.replace(" ", "") for t in _page_texts(pdfs["附件11_基本情况汇总表"], 1)][0]
    a11 = get_form("附件11")
    assert a11.title_for(2024).replace(" ", "") in summary
    assert a11.table_fields[-1].label[:4] in summary
