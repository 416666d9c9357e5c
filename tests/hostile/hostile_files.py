"""Generators for hostile and broken inputs, and the good inbox they are mixed into.

Every file is built by code in a caller's folder (tmp_path); nothing binary is
committed. Good workbooks come from the real template writer
(`write_applicant_workbook`) with data from samples/generate.py, so the test
inbox looks like a real county's mail.
"""

from __future__ import annotations

import atexit
import copy
import functools
import hashlib
import io
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from sample_generator import GEN

REPO = Path(__file__).resolve().parents[2]


# ---------------------------------------------------------------- good inbox

GOOD = (("忻府区", "晋新双创基地", "忻州晋新科技有限公司", 9),
        ("原平市", "崞阳创客双创基地", "原平崞阳创业服务有限公司", 7))


def good_base(county: str, short: str, operator: str, n_firms: int, seed: int = 7, **over) -> tuple[dict, list[dict]]:
    """The base dict and firm list of one applicant (samples data, deterministic)."""
    rng = random.Random(seed + n_firms)
    firms = GEN.firms_for(rng, n_firms, county)
    base = GEN.base_record(rng, county=county, short=short.replace("双创基地", ""), operator=operator,
                           base_type="楼宇型", firms=firms)
    base.update(over)
    return base, firms


def write_good(path: Path, county: str, short: str, operator: str, n_firms: int, **over) -> dict:
    """One applicant workbook via the real template writer; returns what a test needs to find it."""
    from xlbase.templates.workbooks import write_applicant_workbook
    base, firms = good_base(county, short, operator, n_firms, **over)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_applicant_workbook(path, base=base, firms=firms, year=2024)
    return {"path": path, "base": base, "firms": firms}


def good_inbox(folder: Path) -> list[dict]:
    """Two good applicant workbooks in `folder`: written once a process (~2 s; seven modules ask for them),
    then copied."""
    out = []
    for c, s, op, n in GOOD:
        path = folder / f"{c}_{s}_申报表.xlsx"
        if (c, s) not in _GOOD_WRITTEN:
            _GOOD_WRITTEN[(c, s)] = write_good(_good_cache() / path.name, c, s, op, n)
        written = _GOOD_WRITTEN[(c, s)]
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(written["path"], path)
        out.append({**copy.deepcopy(written), "path": path})   # the caller may change its dicts
    return out


_GOOD_WRITTEN: dict[tuple[str, str], dict] = {}


@functools.lru_cache(maxsize=None)
def _good_cache() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="xlbase-good-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


# ---------------------------------------------------------------- running xlbase


@dataclass
class Run:
    proc: subprocess.CompletedProcess
    peak_rss_mb: float
    report: dict | None
    out: Path


_WRAP = ("import atexit, os, resource, runpy, sys\n"
         "rss, me = os.environ['XLBASE_RSS_FILE'], os.getpid()\n"
         "def own_peak():\n"
         "    try:\n"
         "        status = open('/proc/self/status').read()\n"
         "        return int(status.split('VmHWM:')[1].split()[0])\n"
         "    except (OSError, IndexError, ValueError):\n"
         "        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
         "atexit.register(lambda: os.getpid() == me and open(rss, 'w').write(str(max(\n"
         "    own_peak(), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))))\n"
         "sys.argv = ['xlbase', *sys.argv[1:]]\n"
         "runpy.run_module('xlbase', run_name='__main__')\n")


def run_xlbase(*args: str | Path, timeout: float = 120) -> tuple[subprocess.CompletedProcess, float]:
    """`python -m xlbase ARGS` as a child; returns the process and the peak RSS in MB of it or of any
    of its reader processes, whichever is larger; NaN when the command died before it could say.

    The child records, at exit (the command's own process only: a forked child inherits the handler), its own
    high-water mark and getrusage(RUSAGE_CHILDREN): its reaped reader workers and LibreOffice. Its own mark is
    /proc/self/status VmHWM, not getrusage(RUSAGE_SELF): Linux hands a process started by vfork+exec (Python's
    subprocess) the peak of the process that started it as its own ru_maxrss, so an xdist worker that once
    held 681 MB made every command it ran "681 MB" (CI, b8f5345). For the same reason this process's
    RUSAGE_CHILDREN cannot stand in for a command that died: it would be this process's own peak.
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO / "src") + os.pathsep + env.get("PYTHONPATH", "")
    fd, rss_file = tempfile.mkstemp(prefix="xlbase_rss_")
    os.close(fd)
    env["XLBASE_RSS_FILE"] = rss_file
    try:
        proc = subprocess.run([sys.executable, "-c", _WRAP, *map(str, args)], capture_output=True, text=True,
                              env=env, timeout=timeout)
        text = Path(rss_file).read_text().strip()
    finally:
        os.unlink(rss_file)
    return proc, int(text) / 1024 if text else math.nan


def merge(inbox: Path, out_dir: Path, timeout: float = 120, *extra: str) -> Run:
    out = out_dir / "汇总表.xlsx"
    js = out_dir / "报告.json"
    proc, rss = run_xlbase("merge", inbox, "-o", out, "--json", js, *extra, timeout=timeout)
    report = json.loads(js.read_text("utf-8")) if js.exists() else None
    return Run(proc, rss, report, out)


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def tree_hashes(folder: Path) -> dict[str, str]:
    return {str(p): sha(p) for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


# ---------------------------------------------------------------- raw OOXML parts

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      '<Default Extension="xml" ContentType="application/xml"/>'
      '<Override PartName="/xl/workbook.xml" '
      'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
      '<Override PartName="/xl/worksheets/sheet1.xml" '
      'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
      '<Override PartName="/xl/sharedStrings.xml" '
      'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
      '</Types>')
ROOT_RELS = ('<?xml version="1.0" encoding="UTF-8"?>'
             '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
             'officeDocument" Target="xl/workbook.xml"/></Relationships>')
WB = (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}" xmlns:r="{RNS}">'
      '<sheets><sheet name="附件11" sheetId="1" r:id="rId1"/></sheets></workbook>')
WB_RELS = ('<?xml version="1.0" encoding="UTF-8"?>'
           '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
           '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
           'worksheet" Target="worksheets/sheet1.xml"/>'
           '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
           'sharedStrings" Target="sharedStrings.xml"/></Relationships>')
SST = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{NS}" count="1" uniqueCount="1"><si><t>基地名称</t></si></sst>'


def sheet_xml(rows_xml: str, dimension: str = "A1:B2", cols_xml: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}">'
            f'<dimension ref="{dimension}"/>{cols_xml}<sheetData>{rows_xml}</sheetData></worksheet>')


def write_ooxml(path: Path, sheet: str | bytes, sst: str | bytes = SST, *, level: int = 6) -> Path:
    """A minimal .xlsx from raw parts (lets a test put anything into the sheet XML)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        zf.writestr("[Content_Types].xml", CT)
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("xl/workbook.xml", WB)
        zf.writestr("xl/_rels/workbook.xml.rels", WB_RELS)
        zf.writestr("xl/sharedStrings.xml", sst)
        zf.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


# ---------------------------------------------------------------- bombs


def zip_bomb(path: Path, inflated_mb: int = 1024, zip64: bool = True) -> Path:
    """A sheet part that inflates to `inflated_mb` MB of spaces (deflate ~1000:1)."""
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}"><sheetData>'.encode()
    tail = b"</sheetData></worksheet>"
    block = b" " * (1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", CT)
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("xl/workbook.xml", WB)
        zf.writestr("xl/_rels/workbook.xml.rels", WB_RELS)
        zf.writestr("xl/sharedStrings.xml", SST)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=zip64) as fh:
            fh.write(head)
            for _ in range(inflated_mb):
                fh.write(block)
            fh.write(tail)
    return path


def zip_bomb_lying(path: Path, inflated_mb: int = 400) -> Path:
    """A bomb whose headers *lie* about the inflated size (declare 1 KB, inflate to 400 MB).

    The sniffer's central-directory caps cannot see it; only readers that count
    the bytes they actually inflate (or stream) stop it.
    """
    zip_bomb(path, inflated_mb=inflated_mb, zip64=False)
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    for sig, size_at, name_len_at, name_at in ((b"PK\x01\x02", 24, 28, 46), (b"PK\x03\x04", 22, 26, 30)):
        i = data.find(sig)
        while i >= 0:
            n = int.from_bytes(data[i + name_len_at:i + name_len_at + 2], "little")
            if data[i + name_at:i + name_at + n] == name:
                data[i + size_at:i + size_at + 4] = (1024).to_bytes(4, "little")
            i = data.find(sig, i + 4)
    # the data descriptor written after a streamed entry carries the size too (sig PK\x07\x08)
    i = data.find(b"PK\x07\x08")
    if i >= 0:
        data[i + 12:i + 16] = (1024).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    return path


LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
          + "".join(f' <!ENTITY lol{i} "{("&lol%s;" % ("" if i == 1 else i - 1)) * 10}">\n' for i in range(1, 10))
          + ']>\n')


def xml_bomb(path: Path, part: str = "sheet") -> Path:
    """"Billion laughs" in the sheet or in sharedStrings."""
    if part == "sheet":
        sheet = LAUGHS + f'<worksheet xmlns="{NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t>' \
                         '</is></c></row></sheetData></worksheet>'
        return write_ooxml(path, sheet)
    sst = LAUGHS + f'<sst xmlns="{NS}" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>'
    return write_ooxml(path, sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'), sst)


def xml_bomb_behind_comment(path: Path) -> Path:
    """The DTD hidden behind a 100 KB comment (past the sniffer's head window)."""
    sheet = ('<?xml version="1.0"?>\n<!--' + "x" * 100_000 + '-->\n' + LAUGHS.split("\n", 1)[1]
             + f'<worksheet xmlns="{NS}"><sheetData/></worksheet>')
    return write_ooxml(path, sheet)


# ---------------------------------------------------------------- huge dimensions


BIG_BASE = "忻州市代县巨表双创基地"


def _a11_rows() -> str:
    """The header and one real base row: what a huge-looking sheet really holds."""
    return (_cells(1, A11_HEAD)
            + _cells(2, [1, BIG_BASE, "代县巨表运营有限公司", "2019-01-01", "是", 12, 25, 260, 6000, 300, 20]))


def huge_dimension(path: Path, far_cell: bool = False) -> Path:
    """A sheet that claims A1:XFD1048576 but holds two rows (optionally a stray value at XFD1048576)."""
    rows = _a11_rows()
    if far_cell:
        rows += '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>尾</t></is></c></row>'
    return write_ooxml(path, sheet_xml(rows, "A1:XFD1048576"))


def blank_styled_rows(path: Path, n: int = 1_000_000) -> Path:
    """A million empty rows that only carry a style (Excel leaves these after formatting a column)."""
    styles = (f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{NS}"><fonts count="1"><font/></fonts>'
              '<fills count="1"><fill/></fills><borders count="1"><border/></borders>'
              '<cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf/><xf fillId="0"/></cellXfs>'
              '</styleSheet>')
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}"><dimension ref="A1:K{n}"/><sheetData>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        zf.writestr("[Content_Types].xml", CT.replace("</Types>", '<Override PartName="/xl/styles.xml" '
                    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'))
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("xl/workbook.xml", WB)
        zf.writestr("xl/_rels/workbook.xml.rels", WB_RELS.replace(
            "</Relationships>", '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/styles" Target="styles.xml"/></Relationships>'))
        zf.writestr("xl/sharedStrings.xml", SST)
        zf.writestr("xl/styles.xml", styles)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(head.encode())
            fh.write(_a11_rows().encode())
            for start in range(3, n + 1, 10000):
                fh.write("".join(f'<row r="{r}" s="1" customFormat="1"/>'
                                 for r in range(start, min(start + 10000, n + 1))).encode())
            fh.write(b"</sheetData></worksheet>")
    return path


def ten_thousand_columns(path: Path, ncols: int = 10_000) -> Path:
    """The header and base row, then a row 5 below holding 10 000 filled columns."""
    from openpyxl.utils import get_column_letter
    wide = "".join(f'<c r="{get_column_letter(c)}8"><v>{c}</v></c>' for c in range(1, ncols + 1))
    return write_ooxml(path, sheet_xml(_a11_rows() + f'<row r="8">{wide}</row>',
                                       f"A1:{get_column_letter(ncols)}8"))


# ---------------------------------------------------------------- broken / disguised


def encrypted(path: Path) -> Path:
    """A password-protected .xlsx (OLE2 with EncryptionInfo/EncryptedPackage), via msoffcrypto-tool."""
    from msoffcrypto.format.ooxml import OOXMLFile
    plain = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.active.append(["基地名称", "运营单位名称"])
    wb.save(plain)
    plain.seek(0)
    out = io.BytesIO()
    OOXMLFile(plain).encrypt("secret", out)
    path.write_bytes(out.getvalue())
    return path


def truncated(path: Path, good: Path) -> Path:
    data = good.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def zero_byte(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def renamed_csv(path: Path) -> Path:
    path.write_text("基地名称,运营单位名称,入驻企业数\n某基地,某公司,12\n", "utf-8")
    return path


def renamed_word(path: Path) -> Path:
    ct = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
          'content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
          'officedocument.wordprocessingml.document.main+xml"/></Types>')
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", ct)
        zf.writestr("word/document.xml", '<?xml version="1.0"?><w:document xmlns:w="urn:w"/>')
    return path


def renamed_pdf(path: Path) -> Path:
    path.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    return path


def directory_named_xlsx(path: Path) -> Path:
    path.mkdir()
    (path / "inside.txt").write_text("x")
    return path


def symlink_loop(path: Path) -> Path:
    other = path.with_name("loop_b.xlsx")
    os.symlink(other.name, path)
    os.symlink(path.name, other)
    return path


# ---------------------------------------------------------------- odd cell values


LONG = "长" * 40_000
CONTROL = "基地\x00\x01\x07\x1b名称\x7f"
SURROGATE = "坏\ud800字"


def _cells(r: int, values: list) -> str:
    """Raw <c> elements: str -> inlineStr, ("f", formula, cached, type) -> formula, other -> number text."""
    out = []
    for i, v in enumerate(values):
        ref = f"{chr(65 + i)}{r}"
        if v is None:
            continue
        if isinstance(v, tuple):
            _, formula, cached, typ = v
            t = f' t="{typ}"' if typ else ""
            out.append(f'<c r="{ref}"{t}><f>{formula}</f><v>{cached}</v></c>')
        elif isinstance(v, str):
            out.append(f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{v}</t></is></c>')
        else:
            out.append(f'<c r="{ref}"><v>{v}</v></c>')
    return f'<row r="{r}">{"".join(out)}</row>'


A11_HEAD = ["序号", "基地名称", "运营单位名称", "注册时间", "是否独立法人", "服务人员数", "入驻企业数",
            "吸纳就业人数", "建筑面积", "营业收入", "上缴税金"]


def odd_values_a11(path: Path) -> Path:
    """A hand-made 附件11 (raw XML) with everything a cell can hold that a form should not.

    Text over 32 767 chars, control characters (as Excel's _xHHHH_ escapes), a
    lone-surrogate escape, cached NaN/inf and error values from formulas, error
    literals, dates before 1900 and in 9999 (as serials and text), 1e308.
    """
    rows = [_cells(1, A11_HEAD),
            _cells(2, [1, "忻州市定襄县长文本双创基地", LONG, -5, "是", ("f", "1/0", "#DIV/0!", "e"), 1e308,
                       ("f", "A1", "#REF!", "e"), ("f", "SQRT(-1)", "#NUM!", "e"), "#DIV/0!", "1e308"]),
            _cells(3, [2, "忻州市定襄县控制字符双创基地", "某_x0001_公司_x001B__x0000_", 2958465, "是", 12,
                       ("f", "1E308*10", "inf", ""), 30, ("f", "0/0", "NaN", ""), "nan", "-1e308"]),
            _cells(4, [3, "忻州市定襄县怪日期双创基地", "坏_xD800_字公司", "1899-12-31", "否", 10, 20, 200,
                       "9999-12-31", "0001-01-01", 10])]
    return write_ooxml(path, sheet_xml("".join(rows), "A1:K4"))


def bad_utf8_name(folder: Path, good: Path) -> Path:
    """A good workbook whose *file name* is not valid UTF-8 (Python sees lone surrogates)."""
    raw = os.fsencode(folder) + b"/\xff\xfe\xb0\xe5_broken_name.xlsx"
    with open(raw, "wb") as fh:
        fh.write(good.read_bytes())
    return Path(os.fsdecode(raw))


# ---------------------------------------------------------------- formula injection

PAYLOADS = ('=HYPERLINK("http://evil.example/x","点我")', "=cmd|' /C calc'!A0", "@SUM(1)", "+1+1",
            "-2+3", "\t=1+1", "\r=1+1")


def injected_applicant(path: Path) -> dict:
    """A real applicant workbook whose name/operator/firm/contact fields carry formula payloads."""
    from xlbase.templates.workbooks import write_applicant_workbook
    base, firms = good_base("五台县", "台怀双创基地", PAYLOADS[1], 6)
    base["base_name"] = "忻州市五台县" + "台怀双创基地"  # identity stays locatable
    base["operator"] = PAYLOADS[1]
    base["legal_rep"] = PAYLOADS[0]
    base["operator_phone"] = PAYLOADS[2]
    base["address"] = PAYLOADS[5]
    base["authority"] = PAYLOADS[6]
    for i, f in enumerate(firms):
        f["firm_name"] = PAYLOADS[i % len(PAYLOADS)] + f"公司{i}"
    write_applicant_workbook(path, base=base, firms=firms, year=2024)
    return {"path": path, "base": base, "firms": firms}


def injected_summary(path: Path) -> Path:
    """A hand-typed 附件11 (raw XML, inline strings) whose base names and operators are payloads."""
    rows = [_cells(1, A11_HEAD)]
    for i, p in enumerate(PAYLOADS, 1):
        esc = p.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;").replace("\r", "_x000D_")
        name = f"忻州市代县{i}号双创基地" if i % 2 else esc
        rows.append(_cells(i + 1, [i, name, esc, "2019-01-01", "是", 10, 20, 200, 5000, 100, 10]))
    return write_ooxml(path, sheet_xml("".join(rows), f"A1:K{len(PAYLOADS) + 1}"))
