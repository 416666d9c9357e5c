"""What xlbase writes from hostile input: payloads stay text, links stay local, odd values never crash.

Covers every workbook xlbase writes: 汇总表 (附件11, 问题清单, 各县情况, 入驻企业), the
validate --xlsx report, marked copies and templates pre-filled by write_applicant_workbook.
"""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path
from urllib.parse import unquote

import openpyxl
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import hostile_files as H  # noqa: E402
from conftest import soffice_convert  # noqa: E402

MARKERS = ("evil.example", "cmd|", "SUM(1)", "+1+1", "-2+3", "=1+1")
_F = re.compile(rb"<(?:\w+:)?f\b[^>]*>(.*?)</(?:\w+:)?f>", re.S)
_REL = re.compile(rb"<Relationship\b([^>]*)/?>")


def assert_no_injection(path: Path, inputs: set[str] = frozenset(), expect_payload: bool = True,
                        quote_prefix: bool = True) -> None:
    """No formula carries a payload; payload cells are text; every link is local or internal.

    quote_prefix: cells xlbase writes itself also carry quotePrefix; a marked copy keeps the
    clerk's own cells (and styles) as they were, so it is only checked for text type there.
    """
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                for m in _F.finditer(zf.read(name)):
                    f = m.group(1).decode("utf-8")
                    assert not any(k in f for k in MARKERS), (path.name, name, f)
                    for target in re.findall(r'HYPERLINK\(\s*"([^"]*)"', f, re.I):
                        assert target.startswith("#"), (path.name, f)
            if name.endswith(".rels") and "worksheets/_rels" in name:
                for m in _REL.finditer(zf.read(name)):
                    attrs = m.group(1).decode("utf-8")
                    if "hyperlink" not in attrs:
                        continue
                    target = re.search(r'Target="([^"]*)"', attrs).group(1)
                    assert not re.match(r"(?i)(https?|ftp|mailto|smb|\\\\)", target), (path.name, target)
                    if 'TargetMode="External"' in attrs and inputs:
                        local = unquote(target.removeprefix("file://").split("#")[0])
                        assert any(local.rstrip("/").endswith(Path(i).name) or Path(local) == Path(i)
                                   for i in inputs) or Path("/" + local.lstrip("/")).exists(), target
    wb = openpyxl.load_workbook(path)
    found = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and any(k in c.value for k in MARKERS):
                    assert c.data_type == "s", (path.name, ws.title, c.coordinate, c.value)
                    if quote_prefix and c.value.startswith(("=", "+", "-", "@", "\t", "\r")):
                        # quotePrefix: stays text even when a clerk re-edits the cell in Excel/WPS
                        assert c.quotePrefix, (path.name, ws.title, c.coordinate, c.value)
                    found += 1
    if expect_payload:
        assert found, f"{path.name}: payload text was dropped instead of kept as text"


@pytest.fixture(scope="module")
def injected(tmp_path_factory):
    d = tmp_path_factory.mktemp("inj")
    inbox = d / "inbox"
    goods = H.good_inbox(inbox)
    app = H.injected_applicant(inbox / "五台县_注入_申报表.xlsx")
    H.injected_summary(inbox / "代县附件11（手工）.xlsx")
    run = H.merge(inbox, d, 120)
    return d, inbox, goods, app, run


def test_prefilled_template_keeps_payloads_as_text(injected):
    _, _, _, app, _ = injected
    assert_no_injection(app["path"])


def test_merge_outputs_store_payloads_as_text(injected):
    d, inbox, goods, app, run = injected
    assert run.proc.returncode in (0, 1) and "Traceback" not in run.proc.stderr, run.proc.stderr
    inputs = {str(p) for p in inbox.iterdir()}
    assert_no_injection(run.out, inputs)
    wb = openpyxl.load_workbook(run.out)
    assert {"附件11", "问题清单", "入驻企业"} <= set(wb.sheetnames)
    ops = [r[2] for r in wb["附件11"].iter_rows(min_row=5, values_only=True)]
    assert app["base"]["operator"] in ops                       # kept exactly as typed, as text
    firms = {v for r in wb["入驻企业"].iter_rows(values_only=True) for v in r if isinstance(v, str)}
    assert any(f["firm_name"] in firms for f in app["firms"] if f["firm_name"].startswith("="))


def test_validate_report_stores_payloads_as_text(injected, tmp_path):
    d, inbox, *_ = injected
    out = tmp_path / "问题清单.xlsx"
    proc, _ = H.run_xlbase("validate", inbox, "--xlsx", out)
    assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr, proc.stderr
    assert_no_injection(out, {str(p) for p in inbox.iterdir()}, expect_payload=False)


def test_marked_copy_stores_payloads_as_text(injected, tmp_path):
    _, inbox, _, app, _ = injected
    typed = tmp_path / "代县附件11（Excel 另存）.xlsx"   # our raw-XML file has no styles part; Excel's always has
    openpyxl.load_workbook(inbox / "代县附件11（手工）.xlsx").save(typed)
    for src in (app["path"], typed):
        out = tmp_path / (src.stem + ".校验.xlsx")
        before = H.sha(src)
        proc, _ = H.run_xlbase("mark", src, "-o", out)
        assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr, proc.stderr
        assert H.sha(src) == before
        assert_no_injection(out, {str(src)}, quote_prefix=False)


# ---------------------------------------------------------------- odd values


@pytest.fixture(scope="module")
def odd(tmp_path_factory):
    d = tmp_path_factory.mktemp("odd")
    inbox = d / "inbox"
    goods = H.good_inbox(inbox)
    H.odd_values_a11(inbox / "定襄县附件11.xlsx")
    return d, goods, H.merge(inbox, d, 120)


def test_odd_values_named_problems(odd):
    _, goods, run = odd
    assert run.proc.returncode == 1 and "Traceback" not in run.proc.stderr, run.proc.stderr
    probs = {(p["cell"], p["rule"]) for p in run.report["problems"] if p["file"].endswith("定襄县附件11.xlsx")}
    expected = {("G2", "unparseable"),   # 1e308 typed as a number
                ("K2", "unparseable"),   # "1e308" as text
                ("K3", "unparseable"),   # "-1e308"
                ("G3", "unparseable"),   # formula with cached inf
                ("I3", "unparseable"),   # formula with cached NaN
                ("J2", "unparseable"),   # "#DIV/0!" typed as text
                ("D2", "unparseable"),   # a negative date serial
                ("D3", "unparseable"),   # serial beyond 9999-12-31
                ("D4", "unparseable"),   # 1899-12-31 (before Excel's calendar)
                ("F2", "error-value"),   # an error value (#DIV/0!) calamine reads as empty: named as such,
                ("H2", "error-value")}   # #REF!                 not a second time as unfilled (required)
    assert expected <= probs, expected - probs
    assert not {("F2", "required"), ("H2", "required")} & probs
    acc = next(a for a in run.report["inputs"] if a["file"].endswith("定襄县附件11.xlsx"))
    assert acc["rows_read"] == 3 == acc["rows_merged"] + acc["rows_rejected"]


@pytest.mark.libreoffice
def test_odd_values_outputs_open_and_hold_clean_text(odd, tmp_path):
    d, goods, run = odd
    wb = openpyxl.load_workbook(run.out)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str):
                    assert len(c.value) <= 32767
                    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", c.value), (ws.title, c.coordinate)
    ops = [r[2] for r in wb["附件11"].iter_rows(min_row=5, values_only=True)]
    # cut by cell_text (visible "…"), not silently by the writer library
    assert any(isinstance(o, str) and o.startswith("长") and len(o) == 32767 and o.endswith("…") for o in ops)
    with zipfile.ZipFile(run.out) as zf:  # a control character would be stored as an _x0001_-style escape
        for name in zf.namelist():
            if name.endswith(".xml"):
                assert not re.search(rb"_x00(0[0-8BCEF]|1[0-9A-F])_", zf.read(name)), name
    totals = [r for r in wb["附件11"].iter_rows(min_row=5, values_only=True) if r[0] == "汇总"]
    assert totals, "total row missing"
    converted = soffice_convert(run.out, "csv:Text - txt - csv (StarCalc):44,34,76", tmp_path)
    text = converted.read_text("utf-8")
    assert "忻州市定襄县控制字符双创基地" in text and "Err:" not in text and "#VALUE" not in text
