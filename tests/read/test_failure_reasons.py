"""A file no reader opens is told in Chinese: what is wrong with it and what to do, never the readers'
English exception text (CalamineError: …, XMLSyntaxError: …, a Rust panic). Damaged files are made here
from a workbook of our own, the way mailboxes and fuzzers damage them."""

from __future__ import annotations

import io
import json
import random
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import retyped
from hypothesis import example, given, settings, strategies as st
from openpyxl import load_workbook

from xlbase.read.formats import CHAINS
from xlbase.read.formats.reasons import GENERAL, REASONS, failure_reason

READERS = {step.name for chain in CHAINS.values() for step in chain}
#: the ASCII words a Chinese message may hold: the products and parts a clerk knows by these names
KNOWN = {"Excel", "WPS", "XML", "OLE", "xlsx", "xls", "sharedStrings", "LibreOffice"}


def _foreign_words(message: str, name: str) -> list[str]:
    """ASCII words of a message that are neither the file's name, a reader's name nor a known product."""
    text = message.replace(name, "")
    for reader in READERS:
        text = text.replace(reader, "")
    return [w for w in re.findall(r"[A-Za-z_][A-Za-z_]{2,}", text) if w not in KNOWN]


def _rezip(src: bytes, change) -> bytes:
    """The package with each part passed through `change(name, data)` (None drops the part)."""
    zin, out = zipfile.ZipFile(io.BytesIO(src)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zo:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info.filename))
            if data is not None:
                zo.writestr(info.filename, data)
    return out.getvalue()


def _damaged(root: Path) -> dict[str, bytes]:
    rng = random.Random(5)
    base = retyped.base_values(rng, "忻州市静乐县创客双创基地", "静乐创客运营有限公司")
    good = retyped.save(root / "good" / "静乐县.xlsx", {"汇总表": retyped.a10_table(rng, [base], layout="groups").rows})
    src = good.read_bytes()

    def cut_xml(name, data):
        return data[: len(data) // 2] + b"<<" if name.endswith("sheet1.xml") else data

    return {
        "截断.xlsx": src[: len(src) // 2],
        "表内XML损坏.xlsx": _rezip(src, cut_xml),
        "工作簿XML损坏.xlsx": _rezip(src, lambda n, d: b"<workbook><sheets" if n == "xl/workbook.xml" else d),
        "样式损坏.xlsx": _rezip(src, lambda n, d: b"\x00\x01garbage" if n == "xl/styles.xml" else d),
        "缺少关系.xlsx": _rezip(src, lambda n, d: None if n == "xl/_rels/workbook.xml.rels" else d),
        "数值损坏.xlsx": _rezip(src, lambda n, d: re.sub(rb"<v>(\d+)</v>", rb"<v>\1x</v>", d)
                            if n.endswith("sheet1.xml") else d),
        "旧版乱码.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(rng.randrange(256) for _ in range(8192)),
        "旧版截断.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + bytes(rng.randrange(256) for _ in range(700)),
    }


def test_damaged_files_are_told_in_chinese_and_the_batch_goes_on(tmp_path):
    files = _damaged(tmp_path)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name, data in files.items():
        (inbox / name).write_bytes(data)
    (tmp_path / "good" / "静乐县.xlsx").rename(inbox / "静乐县.xlsx")
    rep = tmp_path / "rep.json"
    proc = subprocess.run([sys.executable, "-m", "xlbase", "merge", str(inbox), "-o", str(tmp_path / "汇总表.xlsx"),
                           "--json", str(rep), "-q"], capture_output=True, text=True, timeout=600)
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr
    problems = json.loads(rep.read_text(encoding="utf-8"))["problems"]
    for name in files:
        mine = [p for p in problems if Path(p["file"] or "").name == name]
        assert [p["severity"] for p in mine if p["rule"] == "file-unusable"] == ["error"], (name, mine)
        for p in mine:
            assert re.search(r"[\u4e00-\u9fff]", p["message"]) and not _foreign_words(p["message"], name), p
    assert any(p["rule"] == "file-unusable" and "读取时发现" in p["message"] for p in problems)   # says what was wrong
    assert not [p for p in problems if Path(p["file"] or "").name == "静乐县.xlsx" and p["rule"] == "file-unusable"]
    sheet = load_workbook(tmp_path / "汇总表.xlsx", read_only=True).worksheets[0]     # the batch's good file merged
    assert any("静乐县创客双创基地" in str(v) for row in sheet.iter_rows(values_only=True) for v in row)


LIBRARY_TYPES = ["CalamineError", "XmlError", "ZipError", "PasswordError", "XMLSyntaxError", "ParseError",
                 "BadZipFile", "KeyError", "ValueError", "IndexError", "TypeError", "AttributeError", "error",
                 "CompDocError", "XLRDError", "UnicodeDecodeError", "PanicException", "TimeoutError", "OSError"]
LIBRARY_WORDS = ["Relationship not found", "Cell string index not found in shared strings table",
                 "Unrecognized sheet:type: xl/macrosheets/sheet1.xml", "Cfb error: Codepage 8001 not found",
                 "syntax error: tag not closed", "Document is empty, line 1, column 1", "unpack requires a buffer",
                 "There is no item named 'xl/sharedStrings.xml' in the archive", "Parse float error",
                 "range end index 64 out of range for slice of length 1", "Cannot detect file format"]


@given(st.sampled_from(LIBRARY_TYPES),
       st.one_of(st.sampled_from(LIBRARY_WORDS), st.text(max_size=60),
                 st.text(alphabet="abcdefghijklmnopqrstuvwxyz :'/._0123456789", max_size=80)))
@example("CalamineError", "文件内部")   # drawn in a full suite: a piece of our own sentence
@settings(max_examples=300, deadline=None)
def test_every_failure_reason_is_a_chinese_sentence_without_the_library_text(kind, text):
    exc = type(kind, (Exception,), {})(text)
    reason = failure_reason(exc, "calamine")
    assert reason in {r for _, _, r in REASONS} | {GENERAL}
    assert re.search(r"[\u4e00-\u9fff]", reason) and not _foreign_words(reason, "")
    assert kind not in reason
    # Hypothesis also draws string literals from our own modules: a library text that is itself a
    # piece of one of our sentences ('文件内部') proves nothing about echoing the library.
    ours = {r for _, _, r in REASONS} | {GENERAL}
    if len(text.strip()) >= 4 and not any(text.strip() in r for r in ours):
        assert text.strip() not in reason
