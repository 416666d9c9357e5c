"""The public-corpus files the issue names (Apache POI, SheetJS, calamine, xlrd, openpyxl, LibreOffice
test suites), read for their true reason; skipped where ../shared/external_repro is absent (CI).

None of these files is in the repository: each is looked up by name. Readable workbooks hold
no 双创基地 form, so "no-form" is their right verdict: what matters is that none is called
damaged, encrypted or malicious when it is not, and that none costs more than its own file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from xlbase.read import read_files
from xlbase.read.formats.libreoffice import soffice_binary

REPO = Path(__file__).resolve().parents[2]
FOLDER = next((p / "shared" / "external_repro" for p in REPO.parents
               if (p / "shared" / "external_repro").is_dir()), None)

pytestmark = [pytest.mark.external,
              pytest.mark.skipif(FOLDER is None, reason="../shared/external_repro is not here (CI has no copy)")]

#: file -> (status, words of its message, the info rule the read must carry or "")
EXPECTED = {
    "0016_protect.xlsx": ("no-form", "没有找到可识别的表格", "file-decrypted"),   # Excel's default password
    "0221_51535.xls": ("no-form", "没有找到可识别的表格", "file-reader"),   # cells at A1..IV65536: xlrd, not 16.7 M cells
    "0369_60284.xls": ("no-form", "没有找到可识别的表格", "file-decrypted"),   # Excel 95, XOR with the default password
    "0377_60825.xlsx": ("no-form", "工作表都是空的", "file-reader"),   # calamine: relationship not found; openpyxl
    "0539_Simple.xlsb": ("no-form", "没有找到可识别的表格", "file-reader"),   # Excel 2007 beta .xlsb: a sentence in A1
    "0541_SimpleEMF_mac.emf": ("not-spreadsheet", "图片", ""),
    "0661_clusterfuzz-testcase-minimized-POIHSSFFuzzer-5816431116615680.xls": ("corrupt-ole", "已损坏", ""),
    "0768_sample-beta.xlsx": ("no-form", "没有找到可识别的表格", "file-reader"),   # Excel 2007 beta namespace renamed
    "0818_xlmmacro.xlsm": ("no-form", "工作表都是空的", "file-reader"),      # Excel 4.0 macro sheet: openpyxl
    "0967_biff4_no_format_no_window2.xls": ("no-form", "没有找到可识别的表格", ""),   # a bare BIFF4 stream: xlrd
    "1015_chart-range-import.sxc": ("no-form", "没有找到可识别的表格", "file-reader"),   # LibreOffice
    "1140_search-skip-filtered-cells.ods": ("no-form", "没有找到可识别的表格", ""),   # DOCTYPE in Basic macros
    "1147_tab-color-ns-table.ods": ("no-form", "工作表都是空的", "file-reader"),     # pretty-printed: odfpy
    "1184_081_fdo#54638.ods": ("no-form", "没有找到可识别的表格", ""),               # 17 MB content.xml at 213:1
    "1200_inputcells.xlsx": ("no-form", "没有找到可识别的表格", "file-reader"),
    "1221_1900.slk": ("no-form", "没有找到可识别的表格", "file-reader"),               # LibreOffice
    "1238_BlankSheetTypes.xlsm": ("no-form", "工作表都是空的", "file-reader"),
    "1257_write_57.xls": ("no-form", "没有找到可识别的表格", "file-reader"),  # BIFF5, code page calamine lacks: xlrd
    "1264_write_L2.wk1": ("no-form", "没有找到可识别的表格", "file-reader"),           # LibreOffice
    "1296_password_2002_40_xor.xls": ("encrypted", "已加密", ""),       # XOR obfuscation, not the default password
    "1325_crlf.fods": ("no-form", "没有找到可识别的表格", "file-reader"),              # odfpy
    "1405_minimal_112.numbers": ("no-form", "没有找到可识别的表格", "file-reader"),    # LibreOffice
    "1490_RkNumber.xlsb": ("no-form", "没有找到可识别的表格", ""),
    "1586_花名册.xls": ("no-form", "实际是Excel 工作簿", ""),            # an .xlsx named .xls, empty
}
#: read by LibreOffice, so they need it; without it they are named as what they are
NEEDS_LIBREOFFICE = {"1015_chart-range-import.sxc": "OpenOffice.org 1.x", "1221_1900.slk": "SYLK",
                     "1264_write_L2.wk1": "Lotus 1-2-3", "1405_minimal_112.numbers": "Apple Numbers"}


def test_each_file_for_its_true_reason():
    names = [n for n in EXPECTED if (FOLDER / n).exists()]
    if not names:
        pytest.skip("none of the named files is in the folder")
    reads = read_files([FOLDER / n for n in names], jobs=2)
    wrong = []
    english = [(name, p.message) for name, wr in zip(names, reads) for p in wr.problems
               if re.search(r"[A-Za-z]*(Error|Exception|Panic)\b|[A-Za-z]{4,} [a-z]{3,} [a-z]{3,}", p.message)]
    assert not english, english           # a reader's failure is said in Chinese, not in its library's words
    for name, wr in zip(names, reads):
        status, words, info = EXPECTED[name]
        if name in NEEDS_LIBREOFFICE and soffice_binary() is None:
            status, words, info = wr.status, NEEDS_LIBREOFFICE[name], ""
        first = wr.problems[0].message if wr.problems else ""
        if wr.status != status or words not in first or (info and not any(p.rule == info for p in wr.problems)):
            wrong.append((name, wr.status, first[:120], [p.rule for p in wr.problems]))
        if "已加密" not in words:
            assert "已加密" not in first, name
    assert not wrong, wrong
