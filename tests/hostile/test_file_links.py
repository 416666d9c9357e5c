"""问题清单's 文件完整路径 links open the source file: an absolute file URI, not a Windows-style relative path.

xlsxwriter turns every "file://"/"external:" link into a Windows path, so on Linux the
link to /tmp/收件/a.xlsx was written as "\\tmp\\收件\\a.xlsx" and opened nothing.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlparse

import openpyxl
import pytest

from xlbase.problems import ERROR, Problem
from xlbase.reports.problems import _link, write_problems_workbook


def _targets(book: Path) -> list[str]:
    with zipfile.ZipFile(book) as zf:
        rels = [n for n in zf.namelist() if n.startswith("xl/worksheets/_rels/")]
        text = "".join(zf.read(n).decode("utf-8") for n in rels)
    return re.findall(r'<Relationship [^>]*?Type="[^"]*/hyperlink"[^>]*?Target="([^"]*)"[^>]*?/>', text)


@pytest.mark.skipif(Path.cwd().drive != "", reason="POSIX paths")
def test_problem_links_are_absolute_file_uris(tmp_path):
    src = tmp_path / "收件 箱" / "五台县#1_申报表.xlsx"
    src.parent.mkdir()
    src.write_bytes(b"x")
    out = tmp_path / "r.xlsx"
    problems = [Problem("unparseable", ERROR, "值无法识别", str(src), "附件3", "F7", "附件3", "employees"),
                Problem("file-unusable", ERROR, "文件无法读取", str(src))]
    write_problems_workbook(out, problems, [{"file": str(src), "status": "ok"}])
    targets = _targets(out)
    assert len(targets) == 2
    for t in targets:
        assert t == src.resolve().as_uri(), t          # absolute, percent-encoded, '#' in the name escaped
        u = urlparse(t)
        assert u.scheme == "file" and Path(unquote(u.path)) == src.resolve()
    assert "\\" not in "".join(targets)
    ws = openpyxl.load_workbook(out)["问题清单"]
    locations = sorted(str(ws.cell(r, 13).hyperlink.location) for r in (4, 5))
    assert locations == ["'附件3'!F7", "None"]
    assert {ws.cell(r, 13).value for r in (4, 5)} == {str(src)}   # the cell still shows the plain path


def test_no_link_for_missing_or_remote_files(tmp_path):
    assert _link(str(tmp_path / "nope.xlsx"), "附件3", "A1") is None
    assert _link("https://example.com/a.xlsx", "附件3", "A1") is None
    assert _link("", "", "") is None
