"""聊城 2021 on Shanxi's forms, as a 聊城 officer sees it (issue 16).

Its notice prints no forms, so the columns are Shanxi's 附件2/3/4/10/11 — but its clerks filled a workbook titled
“山西省小微企业创业创新基地认定申请表”, a 附件10 noting who applies for a 省级 base, and the city got back a
“2021 年省级小微企业双创基地基本情况汇总表”; and a 聊城 batch merged without --programme was judged by Shanxi's
pack, its files being Shanxi's by their titles. The manifest now words the borrowed forms as 聊城's 管理办法 names
them (`wording:`), and those titles tell a 聊城 batch from a Shanxi one (`recognise:`).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl

REPO = Path(__file__).resolve().parents[2]
SHANXI = re.compile("山西|省级")


def xlbase(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "xlbase", *args], capture_output=True, text=True, timeout=600)


def _texts(path: Path) -> list[tuple[str, str]]:
    wb = openpyxl.load_workbook(path)
    return [(ws.title, c.value) for ws in wb if ws.sheet_state == "visible" for row in ws.iter_rows() for c in row
            if isinstance(c.value, str)]


def test_templates_and_the_merged_summary_say_liaochengs_names_never_shanxis(liaocheng_inbox, tmp_path):
    done = xlbase("templates", "--programme", "liaocheng-2021", "-o", str(tmp_path / "templates"))
    assert done.returncode == 0, done.stderr
    books = sorted((tmp_path / "templates").glob("*.xlsx"))
    out = tmp_path / "聊城市汇总表.xlsx"
    done = xlbase("merge", str(liaocheng_inbox), "--programme", "liaocheng-2021", "-o", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    texts = [t for book in [*books, out] for t in _texts(book)]
    assert not [t for t in texts if SHANXI.search(t[1])], [t for t in texts if SHANXI.search(t[1])][:5]
    said = {sheet: v for sheet, v in texts if "聊城市小型微型企业创业创新示范基地" in v and len(v) < 40}
    assert said["附件2"] == "聊城市小型微型企业创业创新示范基地认定申请表", said
    assert said["附件10"] == "2021 年聊城市小型微型企业创业创新示范基地基本情况表", said
    assert said["附件11"] == "2021 年聊城市小型微型企业创业创新示范基地情况汇总表", said
    shanxi = xlbase("templates", "-o", str(tmp_path / "shanxi"))
    assert shanxi.returncode == 0, shanxi.stderr
    applicant = next(b for b in (tmp_path / "shanxi").glob("*.xlsx") if "申报表" in b.name)
    assert ("附件2", "山西省小微企业创业创新基地认定申请表") in _texts(applicant)


def test_a_liaocheng_batch_is_recognised_and_a_mixed_one_refused(liaocheng_inbox, tmp_path):
    out = tmp_path / "汇总表.xlsx"
    done = xlbase("merge", str(liaocheng_inbox), "-o", str(out), "--json", str(tmp_path / "r.json"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "识别为" in done.stdout.splitlines()[0] and "liaocheng-2021" in done.stdout.splitlines()[0], done.stdout
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["rule_pack"] == "liaocheng-2021"
    shanxi = REPO / "samples" / "counties" / "忻府区"
    mixed = tmp_path / "混合"
    shutil.copytree(liaocheng_inbox, mixed / "聊城")
    shutil.copytree(shanxi, mixed / "忻府区")
    done = xlbase("merge", str(mixed), "-o", str(tmp_path / "混合.xlsx"))
    assert done.returncode == 2 and "混有不同申报项目" in done.stderr, done.stderr
    assert "liaocheng-2021" in done.stderr and "shanxi-2024-base" in done.stderr
    done = xlbase("merge", str(shanxi), "--programme", "liaocheng-2021", "-o", str(tmp_path / "山西.xlsx"))
    assert done.returncode == 2 and "--programme shanxi-2024-base" in done.stderr, done.stderr


def test_a_base_meeting_the_notice_gets_no_share_it_does_not_state(tmp_path):
    """聊城's 第五条（二） asks 入驻小型微型企业25家以上 and states no share; the pack judged Shanxi's 80 % (“比例沿用省级
    口径”), so a base with 26 small firms among 40 got a warning citing a number 聊城 never wrote."""
    import datetime as dt
    import random
    from sample_generator import GEN
    from xlbase.forms.programmes import load_programme, using
    from xlbase.templates.workbooks import write_applicant_workbook
    rng = random.Random(7)
    firms = GEN.firms_for(rng, 40, "临清市")
    for i, f in enumerate(firms):      # 14 medium retailers by 300号 (≥ 50 employees, ≥ 500 万元 revenue)
        f.update(entered_on=dt.date(2019, 5, 1), industry="零售业", employees=12 if i < 26 else 60,
                 revenue=200.0 if i < 26 else 800.0, size_class="小型" if i < 26 else "中型")
    base = GEN.base_record(rng, county="临清市", short="运河", operator="聊城运河企业管理有限公司", base_type="楼宇型",
                           firms=firms, city="聊城市")
    path = tmp_path / "临清市" / "运河.xlsx"
    path.parent.mkdir()
    with using(load_programme("liaocheng-2021")):
        write_applicant_workbook(path, base=base, firms=firms, comparables=GEN.comparables(rng, "临清市"), year=2021)
    done = xlbase("validate", str(path), "--programme", "liaocheng-2021", "--json", str(tmp_path / "r.json"))
    problems = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["problems"]
    assert done.returncode == 0 and not problems, [p["message"] for p in problems]


def test_the_city_merging_its_counties_summaries_is_recognised_as_liaocheng(liaocheng_inbox, tmp_path):
    """Walked from a fresh clone: the counties merged their applications (recognised by the 认定申请表), but the
    city merging the counties' 汇总表s without --programme got Shanxi's pack and divisions — its units were
    “临清市工业和信息化局” and “聊城市东昌府区”. 聊城's 情况汇总表 title is recognised too."""
    city_inbox = tmp_path / "市收件"
    city_inbox.mkdir()
    for county, unit in (("临清市", "临清市工业和信息化局"), ("东昌府区", "东昌府区工业和信息化局")):
        done = xlbase("merge", str(liaocheng_inbox / county), "-o", str(city_inbox / f"{county}汇总表.xlsx"),
                      "--unit", unit)
        assert done.returncode == 0 and "liaocheng-2021" in done.stdout.splitlines()[0], done.stdout + done.stderr
    done = xlbase("merge", str(city_inbox), "-o", str(tmp_path / "聊城市汇总表.xlsx"),
                  "--json", str(tmp_path / "r.json"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "liaocheng-2021" in done.stdout.splitlines()[0], done.stdout
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["rule_pack"] == "liaocheng-2021" and report["summary"]["level"] == "city", report["summary"]
    assert not report["problems"], [p["message"] for p in report["problems"]]
    assert "临清市：文件 1，基地 2" in done.stdout and "东昌府区：文件 1，基地 1" in done.stdout, done.stdout


def test_mark_recognises_a_liaocheng_workbook(liaocheng_inbox, tmp_path):
    """Walked from a fresh clone: `xlbase mark` of a 聊城 workbook without --programme stayed on Shanxi's programme
    (it switched only to a programme with forms of its own) and warned that 阳谷县/东昌府区 “不在下拉列表中（可选：
    小店区、迎泽区…）”. It switches to the programme the workbook's titles name, as validate and merge do."""
    src = liaocheng_inbox / "东昌府区" / "水城双创基地申报表.xlsx"
    out = tmp_path / "水城.校验.xlsx"
    done = xlbase("mark", str(src), "-o", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "liaocheng-2021" in done.stdout.splitlines()[0], done.stdout
    shown = [t for t in _texts(out) if t[0] == "校验结果"]
    assert not [t for t in shown if SHANXI.search(t[1]) or "小店区" in t[1] or "下拉列表" in t[1]], shown
