"""Generate the sample inbox samples/counties/: one city's (忻州市) county submissions.

    python samples/generate.py            # rewrites samples/counties/ deterministically

It shows every feature of `xlbase merge samples/counties -o out/汇总表.xlsx`:
  忻府区/  two applicant workbooks from our template, and one corrupt (truncated) file
  原平市/  an applicant workbook; a hand-retyped county 附件11 (.xlsx) with messy headers
           and values ("25户", "1,200", the sample row left in place) that repeats that
           base (duplicate-base) and adds one base only it reports
  定襄县/  an applicant workbook saved as .xls with LibreOffice (skipped if soffice is missing)
  五台县/  a base that fails the thresholds (too few firms and staff), and a padded
           application whose 附件3 reuses firms of 忻府区's 云中 base (duplicate-enterprise)
Everything is derived from fixed data and a fixed random seed: same script, same files
(xlsxwriter output is pinned with a fixed creation date).
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl
from stdnum.cn import uscc

HERE = Path(__file__).resolve().parent
INBOX = HERE / "counties"
YEAR = 2024
CITY = "忻州市"

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
WORDS = ["晋新", "云中", "五台", "汾源", "雁门", "芦芽", "滹沱", "忻禾", "秀容", "定襄", "原平", "崞阳", "牧马", "宏达",
         "鑫源", "瑞丰", "华晋", "天和", "恒信", "博远"]
TRADES = ["科技", "商贸", "食品", "信息技术", "文化传媒", "机械制造", "农业开发", "电子商务", "建材", "物流"]


def credit_code(rng: random.Random) -> str:
    """A valid 18-character 统一社会信用代码 (GB 32100-2015 check character)."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "91" + "140900" + "".join(rng.choice(alphabet) for _ in range(9))
    return body + uscc.calc_check_digit(body)


def firms_for(rng: random.Random, n: int, county: str) -> list[dict]:
    out = []
    for i in range(n):
        name = f"{county[:-1]}{rng.choice(WORDS)}{rng.choice(TRADES)}有限公司"
        if any(f["firm_name"] == name for f in out):
            name = name.replace("有限公司", f"{i + 1}号有限公司")
        out.append({
            "firm_name": name,
            "credit_code": credit_code(rng),
            "entered_on": dt.date(2020 + rng.randint(0, 3), rng.randint(1, 12), rng.randint(1, 28)),
            "area": float(rng.choice([50, 80, 120, 200, 300, 500])),
            "employees": rng.randint(3, 25),
            "revenue": round(rng.uniform(20, 600), 2),
            "profit": round(rng.uniform(-10, 60), 2),
            "taxes": round(rng.uniform(0, 30), 2),
            "industry": "软件和信息技术服务业" if "信息" in name or "科技" in name else "零售业",
            "size_class": rng.choice(["小型", "微型", "微型"]),
        })
    return out


def base_record(rng: random.Random, *, county: str, short: str, operator: str, base_type: str, firms: list[dict],
                staff: int = 14, tutors: int = 4, partners: int = 6, registered: dt.date = dt.date(2018, 5, 10), city: str = CITY) -> dict:
    """The values one base puts on 附件2 and 附件10."""
    employees = sum(f["employees"] for f in firms)
    return {
        "base_name": f"{city}{county}{short}双创基地", "city": city, "county": county, "base_type": base_type,
        "operator": operator, "registered_on": registered, "independent_legal_person": True,
        "operator_code": credit_code(rng), "legal_rep": rng.choice(SURNAMES) + "建国",
        "operator_phone": f"0350-{rng.randint(2000000, 8999999)}", "address": f"{city}{county}{short}路{rng.randint(1, 99)}号",
        "industry": "信息技术服务", "authority": f"{county}工业和信息化局",
        "service_org": f"{short}创业服务中心", "service_org_founded": dt.date(2019, 3, 1),
        "invested": 1500.0, "built_on": dt.date(2017, 6, 1),
        "service_staff": staff, "tutors": tutors, "staff_bachelor": staff // 2, "staff_technical": 3,
        "resident_firms": len(firms), "employees": employees,
        "floor_area": float(rng.choice([6000, 8000, 12000, 15000])), "built_area": 12000.0, "land_area": 20000.0,
        "revenue": round(rng.uniform(300, 2000), 2), "taxes": round(rng.uniform(10, 120), 2),
        "investment_completed": round(rng.uniform(100, 800), 2), "partner_orgs": partners,
        "service_sessions": rng.randint(20, 80), "smes_served": rng.randint(40, 150), "service_events": rng.randint(6, 30),
        "incubated_firms": rng.randint(1, 8), "contest_firms": rng.randint(0, 5), "upgraded_firms": rng.randint(0, 3),
        "specialised_firms": rng.randint(0, 2), "hightech_firms": rng.randint(0, 3),
        "gov_funding": round(rng.uniform(0, 200), 2), "graduated_firms": rng.randint(0, 5),
        "total_investment": 1200.0, "fixed_investment": 900.0, "fixed_completed": 800.0,
        "fund_self": 600.0, "fund_loan": 300.0, "fund_gov": 200.0, "fund_other": 100.0,
        "base_rent": 180.0,
    }


def comparables(rng: random.Random, county: str) -> list[dict]:
    return [{"site_name": f"{county}{w}写字楼", "distance_km": round(rng.uniform(0.5, 2.8), 1),
             "rent": float(rng.choice([260, 280, 300])), "contact": rng.choice(SURNAMES) + "经理",
             "phone": f"139{rng.randint(10000000, 99999999)}"} for w in ("新华", "长征", "和平")]


def applicant(path: Path, rng: random.Random, base: dict, firms: list[dict]) -> None:
    from xlbase.templates.workbooks import write_applicant_workbook
    path.parent.mkdir(parents=True, exist_ok=True)
    write_applicant_workbook(path, base=base, firms=firms, comparables=comparables(rng, base["county"]), year=YEAR)
    _pin_zip(path)


def retyped_a11(path: Path, rows: list[dict]) -> None:
    """A county clerk's own 附件11: one header row typed by hand, units in labels, text numbers."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append([f"{YEAR}年省级小微企业双创基地基本情况汇总表"])
    ws.append(["填报单位：原平市工信局", None, None, None, None, "单位：万元、平方米、人、户"])
    ws.append(["序 号", "基地名称", "运营单位名称", "注册时间", "是否独立法人", "服务人员数", "入驻企业数(户)",
               "吸纳就业人数", "建筑面积(平方米)", "营业收入(万元)", "上缴税金", "当年完成投资额",
               "合作服务机构数量", "服务场次", "年服务中小企业户数", "组织开展服务活动", "孵化成功企业数",
               "参加创客大赛企业数", "培育小升规企业数", "培育专精特新企业数", "培育高新技术企业数", "获得政府资金支持金额"])
    ws.append([1, "x 市 x 县（区）xx 双创基地"] + [None] * 20)
    for i, r in enumerate(rows, start=2):
        ws.append([i, r["base_name"].replace(CITY, CITY + " "), r["operator"], r["registered_on"].strftime("%Y.%m.%d"), "是",
                   f"{r['service_staff']}人", f"{r['resident_firms']}户", f"{r['employees']:,}",
                   f"{r['floor_area']:,.0f}", r["revenue"], r["taxes"], r["investment_completed"], r["partner_orgs"],
                   r["service_sessions"], r["smes_served"], r["service_events"], r["incubated_firms"],
                   r["contest_firms"], r["upgraded_firms"], r["specialised_firms"], r["hightech_firms"], r["gov_funding"]])
    ws.append(["合计", None, None, None, None, None, sum(r["resident_firms"] for r in rows)])
    wb.properties.created = wb.properties.modified = dt.datetime(YEAR, 8, 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    _pin_zip(path)


def _pin_zip(path: Path) -> None:
    """openpyxl stamps save time in the zip entries and core.xml: pin both so reruns are byte-identical."""
    import re
    import zipfile
    with zipfile.ZipFile(path) as z:
        members = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:modified|created)[^>]*>)[^<]*", rb"\g<1>2024-08-01T00:00:00Z", data)
            z.writestr(zipfile.ZipInfo(name, date_time=(YEAR, 8, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)


def to_xls(src: Path, dest: Path) -> bool:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        print("未找到 LibreOffice，跳过 .xls 样例", file=sys.stderr)
        return False
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [exe, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--norestore",
               "--convert-to", "xls", "--outdir", tmp, str(src)]
        subprocess.run(cmd, capture_output=True, timeout=180, check=False)
        out = Path(tmp) / (src.stem + ".xls")
        if not out.exists():
            return False
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(out, dest)
    return True


def generate(inbox: Path = INBOX, *, with_xls: bool = True) -> list[Path]:
    rng = random.Random(20240820)
    if inbox.exists():
        shutil.rmtree(inbox)
    written: list[Path] = []

    def add(p: Path) -> Path:
        written.append(p)
        return p

    # 忻府区: two good applications and a corrupt file
    yz_firms = firms_for(rng, 28, "忻府区")
    yz = base_record(rng, county="忻府区", short="云中", operator="忻州云中创业服务有限公司", base_type="楼宇型", firms=yz_firms)
    applicant(add(inbox / "忻府区" / "忻府区_云中双创基地_申报表.xlsx"), rng, yz, yz_firms)
    kf_firms = firms_for(rng, 12, "忻府区")
    kf = base_record(rng, county="忻府区", short="经开区创业园", operator="忻州经开创业园运营有限公司",
                     base_type="工业园区型", firms=kf_firms)
    applicant(add(inbox / "忻府区" / "忻府区_经开区创业园_申报表.xlsx"), rng, kf, kf_firms)
    good = inbox / "忻府区" / "忻府区_云中双创基地_申报表.xlsx"
    bad = add(inbox / "忻府区" / "忻府区_补充材料（损坏）.xlsx")
    bad.write_bytes(good.read_bytes()[:3000])          # a half-downloaded e-mail attachment

    # 原平市: an application, and the county's own retyped 附件11 repeating it
    yp_firms = firms_for(rng, 26, "原平市")
    yp = base_record(rng, county="原平市", short="崞阳创新创业园", operator="原平市崞阳园区管理有限公司",
                     base_type="其他园区型", firms=yp_firms)
    applicant(add(inbox / "原平市" / "原平市_崞阳创新创业园_申报表.xlsx"), rng, yp, yp_firms)
    sy = base_record(rng, county="原平市", short="同川电商产业园", operator="原平同川电商服务有限公司",
                     base_type="其他园区型", firms=firms_for(rng, 31, "原平市"))
    retyped_a11(add(inbox / "原平市" / "原平市附件11汇总表（手工录入）.xlsx"), [yp, sy])

    # 定襄县: an application saved as .xls
    dx_firms = firms_for(rng, 27, "定襄县")
    dx = base_record(rng, county="定襄县", short="法兰产业创客", operator="定襄县法兰创客空间有限公司",
                     base_type="其他园区型", firms=dx_firms)
    with tempfile.TemporaryDirectory() as tmp:      # written either way: the files after it draw the same numbers
        src = Path(tmp) / "定襄县_法兰产业创客_申报表.xlsx"
        applicant(src, rng, dx, dx_firms)
        if with_xls and to_xls(src, inbox / "定襄县" / "定襄县_法兰产业创客_申报表.xls"):
            written.append(inbox / "定襄县" / "定襄县_法兰产业创客_申报表.xls")

    # 五台县: a base below the thresholds, and a padded application
    wt_firms = firms_for(rng, 8, "五台县")
    wt = base_record(rng, county="五台县", short="台怀文旅创客", operator="五台县台怀文旅发展有限公司",
                     base_type="楼宇型", firms=wt_firms, staff=5, tutors=1, partners=2, registered=dt.date(YEAR, 3, 1))
    applicant(add(inbox / "五台县" / "五台县_台怀文旅创客_申报表.xlsx"), rng, wt, wt_firms)
    padded_firms = firms_for(rng, 18, "五台县") + [dict(f) for f in yz_firms[:9]]
    pd_ = base_record(rng, county="五台县", short="清凉谷创业街区", operator="五台县清凉谷商业管理有限公司",
                      base_type="其他园区型", firms=padded_firms)
    applicant(add(inbox / "五台县" / "五台县_清凉谷创业街区_申报表.xlsx"), rng, pd_, padded_firms)
    return written


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent / "src"))
    files = generate()
    total = sum(p.stat().st_size for p in files if p.exists())
    print(f"已生成 {len(files)} 个样例文件（{total // 1024} KB）于 {INBOX}")
