"""Deterministic province-scale inbox for the merge benchmark (issue 7).

    python bench/corpus.py --out bench/corpus/scale-1            # Shanxi: 448 bases, ~57 000 firms
    python bench/corpus.py --out /tmp/national --scale 16         # national size
    python bench/corpus.py --out /tmp/tiny --scale 0.02           # CI smoke

Layout: OUT/<市>/<县（市、区）>/<nn>_<基地名称>.xlsx, one applicant workbook per base with the
附件3 (one row per resident firm) and 附件10 (one row) sheets in the official layout: form
number, title, 填报单位/单位 line, group row, label row, data. Every label, group, unit line
and column order comes from the form model (xlbase.forms), never restated here.

Same seed and scale give the same inbox. A small share of cells is typed the way clerks type
them ("1,200", "25人", "2022.5.1", full-width digits) so normalisation is exercised, and a
few firms appear in two bases so dedupe is too. Written with xlsxwriter constant_memory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from pathlib import Path

import xlsxwriter
from stdnum.cn import uscc

from xlbase.forms import divisions, get_form, value_list

GENERATOR_VERSION = 1
PROVINCE_BASES = 448          # Shanxi, one call (issue 7)
HEADER_ROWS = 5               # form number, title, org/unit line, group row, label row

# Size spread of resident firms per base: (share, low, high). Most bases are small;
# ~10 % are big parks, ~6 % business-secretary style giants (≈57 000 firms at scale 1).
SIZE_BANDS = ((0.10, 250, 350), (0.06, 500, 1200))
SMALL_BAND = (25, 80)

_SYLLABLES = ("华 瑞 晋 泰 鑫 恒 盛 源 丰 达 宏 昌 安 康 宁 远 航 信 诚 德 和 兴 博 创 智 汇 联 通 "
              "科 新 星 辰 润 泽 海 川 峰 岳 龙 凤 金 银 绿 蓝 天 云 霞 光 明 阳 春 秋 嘉 佳 富 贵 "
              "福 祥 顺 利 伟 豪 杰 英 卓 越 腾 飞 跃 凯 旋 鼎 成 立 业 峻 岭 汾 河 太 行 吕 梁").split()
_TRADES = ("科技", "商贸", "电子", "机械", "食品", "农业", "物流", "文化传媒", "信息技术", "建材",
           "餐饮管理", "新能源", "生物科技", "包装", "服装", "软件", "环保", "教育咨询", "电子商务", "设计")
_FORMS_SUFFIX = ("有限公司", "有限责任公司", "股份有限公司", "合作社", "工作室", "经营部")
_BASE_WORDS = ("创业园", "产业园", "科创园", "众创空间", "孵化园", "创新园", "双创中心", "电商产业园")
_ORG_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"   # USCC alphabet (no I O Z S V)


def org_code(rng: random.Random) -> str:
    """A 9-character organisation code with its GB 11714 check character."""
    body = "".join(rng.choice("0123456789") if i < 2 else rng.choice(_ORG_ALPHABET[:10] * 3 + _ORG_ALPHABET)
                   for i in range(8))
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body, weights))
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def credit_code(rng: random.Random, region: str, individual: bool = False) -> str:
    """A valid 18-character 统一社会信用代码 (check character from python-stdnum)."""
    head = ("92" if individual else rng.choice(("91", "91", "91", "93", "52"))) + region + org_code(rng)
    return head + uscc.calc_check_digit(head)


def region_codes() -> dict[tuple[str, str], str]:
    """(city, county) -> a 6-digit division code: 14 (Shanxi) + city in list order + county index.

    Plausible, not the official 民政部 codes: only the shape and check character matter here.
    """
    out = {}
    for ci, (city, counties) in enumerate(divisions()["cities"].items(), start=1):
        for ki, county in enumerate(counties, start=1):
            out[(city, county)] = f"14{ci:02d}{ki:02d}"
    return out


def firm_counts(rng: random.Random, n_bases: int) -> list[int]:
    """Resident-firm count per base: fixed shares per size band, shuffled."""
    counts = []
    for share, lo, hi in SIZE_BANDS:
        counts += [rng.randint(lo, hi) for _ in range(round(share * n_bases))]
    counts += [rng.randint(*SMALL_BAND) for _ in range(n_bases - len(counts))]
    counts = counts[:n_bases]
    rng.shuffle(counts)
    return counts


def place_bases(rng: random.Random, n_bases: int) -> list[tuple[str, str]]:
    """(city, county) per base: every county once when there are enough bases, the rest at random."""
    pairs = [(city, county) for city, cs in divisions()["cities"].items() for county in cs]
    if n_bases <= len(pairs):
        return sorted(rng.sample(pairs, n_bases), key=pairs.index)
    placed = list(pairs) + [rng.choice(pairs) for _ in range(n_bases - len(pairs))]
    return sorted(placed, key=pairs.index)


def _name(rng: random.Random, n: int = 2) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(n))


def _messy_number(rng: random.Random, value: float, unit: str | None) -> str:
    """How clerks retype a number: thousands separators, a unit, full-width digits, spaces."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"
    style = rng.randrange(4)
    if style == 0 and unit:
        return text.replace(",", "") + unit
    if style == 1:
        return text.replace(",", "").translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))
    if style == 2:
        return f" {text.replace(',', '')} "
    return text


def _messy_date(rng: random.Random, d: dt.date) -> str:
    return rng.choice((f"{d.year}.{d.month}.{d.day}", f"{d.year}年{d.month}月{d.day}日",
                       f"{d.year}/{d.month:02d}/{d.day:02d}", f"{d.year}{d.month:02d}{d.day:02d}"))


class _Sheet:
    """One form's sheet in the official layout, written row by row (constant_memory)."""

    def __init__(self, wb, form, year: int, with_number: bool, with_ours: bool, fmts: dict):
        self.form, self.fmts = form, fmts
        fields = form.official_table_fields if not with_ours else form.table_fields
        self.fields = list(fields)
        self.with_number = with_number and bool(form.number_label)
        self.ws = ws = wb.add_worksheet(form.sheet)
        ncols = len(self.fields) + self.with_number
        off = int(self.with_number)
        ws.write_string(0, 0, form.id, fmts["plain"])
        ws.write_string(1, 0, form.title_for(year), fmts["title"])
        ws.merge.append([1, 0, 1, ncols - 1])           # see note in write_header
        if form.org_line:
            ws.write_string(2, 0, form.org_line, fmts["plain"])
        if form.unit_line:
            ws.write_string(2, ncols - 1, form.unit_line, fmts["plain"])
        self.write_header(off, ncols)
        for i, f in enumerate(self.fields):
            ws.set_column(i + off, i + off, f.width or 10)
        self.row = HEADER_ROWS

    def write_header(self, off: int, ncols: int) -> None:
        """Two header rows: group cells merged across their columns, lone labels merged down.

        constant_memory cannot go back to row 4 once row 5 is written, so cells are written
        row by row and the merge ranges registered directly (what merge_range records).
        """
        ws, h = self.ws, self.fmts["head"]
        g, l = HEADER_ROWS - 2, HEADER_ROWS - 1
        if self.with_number:
            ws.write_string(g, 0, self.form.number_label, h)
            ws.merge.append([g, 0, l, 0])
        col = off
        spans = []
        for group, fs in self.form.header_groups():
            fs = [f for f in fs if f in self.fields]
            if not fs:
                continue
            if group:
                ws.write_string(g, col, group, h)
                if len(fs) > 1:
                    ws.merge.append([g, col, g, col + len(fs) - 1])
            else:
                for j, f in enumerate(fs):
                    ws.write_string(g, col + j, f.header_text, h)
                    ws.merge.append([g, col + j, l, col + j])
            spans.append((group, col, fs))
            col += len(fs)
        if self.with_number:
            ws.write_blank(l, 0, None, h)
        for group, start, fs in spans:
            for j, f in enumerate(fs):
                if group:
                    ws.write_string(l, start + j, f.header_text, h)
                else:
                    ws.write_blank(l, start + j, None, h)

    def write_record(self, number: int, values: dict) -> None:
        ws, r = self.ws, self.row
        col = 0
        if self.with_number:
            ws.write_number(r, 0, number)
            col = 1
        for f in self.fields:
            v = values.get(f.key)
            if v is None:
                pass
            elif isinstance(v, str):
                ws.write_string(r, col, v)
            elif isinstance(v, dt.date):
                ws.write_datetime(r, col, v, self.fmts["date"])
            else:
                ws.write_number(r, col, v)
            col += 1
        self.row += 1


def _firm(rng: random.Random, region: str, used: set[str], names: set[str], messy: float) -> dict:
    individual = rng.random() < 0.08
    while True:
        code = credit_code(rng, region, individual)
        if code not in used:
            used.add(code)
            break
    while True:
        if individual:
            name = f"{_name(rng, 2)}{rng.choice(_TRADES)}{rng.choice(('店', '经营部', '工作室'))}"
        else:
            name = f"山西{_name(rng, rng.choice((2, 2, 3)))}{rng.choice(_TRADES)}{rng.choice(_FORMS_SUFFIX)}"
        if name not in names:
            names.add(name)
            break
    employees = max(1, int(rng.lognormvariate(2.0, 0.9)))
    revenue = round(rng.lognormvariate(4.0, 1.3), 2)
    profit = round(revenue * rng.uniform(-0.15, 0.25), 2)
    taxes = round(max(0.0, revenue * rng.uniform(0.0, 0.08)), 2)
    area = round(rng.choice((20, 40, 60, 80, 120, 200, 300, 500, 800, 1500, 3000)) * rng.uniform(0.8, 1.2), 1)
    entered = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(0, 3450))
    size = "个体工商户" if individual else rng.choices(("微型", "小型", "中型"), (60, 35, 5))[0]
    rec = {"firm_name": name, "credit_code": code, "entered_on": entered, "area": area,
           "employees": employees, "revenue": revenue, "profit": profit, "taxes": taxes,
           "industry": rng.choice(value_list("industry")), "size_class": size}
    if rng.random() < messy:
        key = rng.choice(("area", "employees", "revenue", "entered_on", "credit_code", "firm_name"))
        if key == "entered_on":
            rec[key] = _messy_date(rng, entered)
        elif key == "credit_code":
            rec[key] = rng.choice((code.lower(), f" {code} ", f"{code[:6]} {code[6:]}"))
        elif key == "firm_name":
            rec[key] = name.replace("有限公司", "有限公司 ").replace("山西", "山西 ", 1)
        else:
            rec[key] = _messy_number(rng, rec[key], get_form("附件3").field(key).unit)
    return rec


def generate(out: Path, scale: float = 1.0, seed: int = 20240820, year: int = 2024,
             messy: float = 0.02, shared_dupes: float = 0.003) -> dict:
    """Write the inbox under `out` and return its manifest (counts, seed, files)."""
    rng = random.Random(f"{seed}:{scale}")
    n_bases = max(1, round(PROVINCE_BASES * scale))
    counts = firm_counts(rng, n_bases)
    places = place_bases(rng, n_bases)
    codes = region_codes()
    base_types = value_list("base_type")
    a3, a10 = get_form("附件3"), get_form("附件10")
    used_codes: set[str] = set()
    firm_names: set[str] = set()
    base_names: set[str] = set()
    recent: list[dict] = []       # firms a later base may list too (dedupe material)
    out.mkdir(parents=True, exist_ok=True)
    files, n_firms, per_county = [], 0, {}
    for (city, county), n in zip(places, counts):
        per_county[(city, county)] = per_county.get((city, county), 0) + 1
        region = codes[(city, county)]
        while True:
            word = _name(rng, 2)
            base_name = f"{city}{county}{word}{rng.choice(_BASE_WORDS)}双创基地"
            if base_name not in base_names:
                base_names.add(base_name)
                break
        operator = f"山西{word}{rng.choice(('园区运营', '企业管理', '科技服务', '实业'))}有限公司"
        folder = out / city / county
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{per_county[(city, county)]:02d}_{base_name}.xlsx"
        with_number = rng.random() < 0.7
        with_ours = rng.random() < 0.8
        wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        fmts = {"plain": wb.add_format(), "title": wb.add_format({"bold": True, "font_size": 16, "align": "center"}),
                "head": wb.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter",
                                       "text_wrap": True}),
                "date": wb.add_format({"num_format": "yyyy-mm-dd"})}
        firms = []
        for _ in range(n):
            if recent and rng.random() < shared_dupes:
                firms.append(dict(rng.choice(recent)))
            else:
                firms.append(_firm(rng, region, used_codes, firm_names, messy))
        recent = (recent + firms[:5])[-200:]
        sheet3 = _Sheet(wb, a3, year, with_number, with_ours, fmts)
        for k, firm in enumerate(firms, start=1):
            sheet3.write_record(k, firm)
        employees = sum(f["employees"] for f in firms if isinstance(f["employees"], int))
        registered = dt.date(2005, 1, 1) + dt.timedelta(days=rng.randrange(0, 6300))
        base = {
            "base_name": base_name, "operator": operator, "registered_on": registered,
            "independent_legal_person": "是" if rng.random() < 0.97 else "否",
            "service_staff": rng.randint(8, 40), "resident_firms": n if rng.random() < 0.95 else n + rng.randint(-3, 3),
            "employees": employees, "floor_area": round(rng.uniform(1500, 120000), 0),
            "revenue": round(rng.lognormvariate(6, 1), 2), "taxes": round(rng.lognormvariate(3, 1), 2),
            "investment_completed": round(rng.lognormvariate(5.5, 1), 2),
            "partner_orgs": rng.randint(3, 20), "service_sessions": rng.randint(10, 200),
            "smes_served": rng.randint(n, 3 * n + 50), "service_events": rng.randint(4, 60),
            "incubated_firms": rng.randint(0, 30), "contest_firms": rng.randint(0, 10),
            "upgraded_firms": rng.randint(0, 8), "specialised_firms": rng.randint(0, 5),
            "hightech_firms": rng.randint(0, 6), "gov_funding": round(rng.uniform(0, 300), 2),
            "city": city, "county": county,
            "base_type": rng.choices(base_types, (20, 25, 30, 5, 5, 5, 5, 3, 2))[0] if n < 500 else "商务秘书型",
        }
        if rng.random() < messy * 5:
            base["resident_firms"] = f"{base['resident_firms']}户"
        sheet10 = _Sheet(wb, a10, year, True, True, fmts)
        sheet10.write_record(1, base)
        for note in a10.notes:
            sheet10.ws.write_string(sheet10.row, 0, note)
            sheet10.row += 1
        wb.close()
        files.append(str(path.relative_to(out)))
        n_firms += n
    manifest = {"generator_version": GENERATOR_VERSION, "seed": seed, "scale": scale, "year": year,
                "bases": n_bases, "firms": n_firms, "counties": len(per_county),
                "cities": len({c for c, _ in per_county}), "files": files}
    (out / "corpus.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="生成省级规模的基准测试收件箱（附件3 + 附件10）/ benchmark inbox")
    p.add_argument("--out", type=Path, required=True, help="输出文件夹 / output folder")
    p.add_argument("--scale", type=float, default=1.0, help="基地数倍数（1 = 山西 448 个，16 ≈ 全国）")
    p.add_argument("--seed", type=int, default=20240820)
    p.add_argument("--messy", type=float, default=0.02, help="手工录入式单元格的比例 / share of messy cells")
    ns = p.parse_args(argv)
    t0 = time.perf_counter()
    m = generate(ns.out, scale=ns.scale, seed=ns.seed, messy=ns.messy)
    print(f"已生成 {m['bases']} 个基地、{m['firms']} 家入驻企业、{m['counties']} 个县（市、区）、"
          f"{m['cities']} 个市，用时 {time.perf_counter() - t0:.1f} 秒：{ns.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
