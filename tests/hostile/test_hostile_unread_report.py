"""`merge --json` writes its report even when no file holds a form (no 汇总表 is written then)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import hostile_files as H  # noqa: E402


def test_merge_writes_json_when_nothing_is_readable(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    H.zero_byte(inbox / "空.xlsx")
    H.renamed_pdf(inbox / "表.xls")
    (inbox / "说明.txt").write_text("请于8月20日前报送。", "utf-8")
    out, js = tmp_path / "汇总表.xlsx", tmp_path / "报告.json"
    proc, _ = H.run_xlbase("merge", inbox, "-o", out, "--json", js)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert not out.exists()
    rep = json.loads(js.read_text("utf-8"))
    assert rep["command"] == "merge" and rep["summary"]["files"] == 3 and rep["summary"]["bases"] == 0
    status = {Path(i["file"]).name: i["status"] for i in rep["inputs"]}
    assert status == {"空.xlsx": "empty", "表.xls": "pdf-file", "说明.txt": "not-spreadsheet"}
    assert all(i["rows_read"] == 0 and i["sha256"] for i in rep["inputs"])
    assert {Path(p["file"]).name for p in rep["problems"]} == set(status)
