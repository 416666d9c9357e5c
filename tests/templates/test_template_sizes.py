"""The template sizes each firm row small/micro in the sheet exactly as validate's 300号 classification
(rules.sizing.classify) does, row by row, for industries, sizes and figures typed as strangers type them:
the standard's own industries, 国民经济行业 门类 (批发和零售业, one name for two industries), a name
inside a longer text (制造业（食品）), punctuation and spaces, everyday words (餐饮, 软件开发, I65 咨询服务类,
批发、快递: rules/industry_text.py), words no standard knows; sizes said in
many ways (小微企业, 中小型, 个体户) or not at all; figures on both sides of every floor, or missing.
Recalculated by LibreOffice."""

from __future__ import annotations

import random
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import industry_spellings
import stranger_firms
from conftest import soffice_convert
from xlbase.read import read_workbook
from xlbase.rules import load_pack, sizing
from xlbase.templates.sizes import NOT_SMALL, SIZE_SHEET, SMALL
from xlbase.templates.workbooks import write_applicant_workbook

pytestmark = [pytest.mark.libreoffice, pytest.mark.filterwarnings("ignore:Print area cannot be set")]

N_FIRMS = 150


def _industries(rng: random.Random) -> list[str | None]:
    names = [*sizing.industries(), *(sizing.standard().get("names") or {})]
    decorated = [f"{n}（其他）" for n in names] + [f"主营{n}" for n in names] + [f" {n} " for n in names]
    strange = ["不详", "服务", "批发、零售业", "农、林、牧、渔业", "高新技术", "软件", "制造", "其他"]
    # everyday words as strangers type them (tests/fixtures/industry_spellings.py), one or two in a cell
    spelled = list(industry_spellings.EVERYDAY) + list(industry_spellings.STANDARD)
    everyday = [industry_spellings.decorate(rng, rng.choice(spelled)) for _ in range(40)]
    everyday += [industry_spellings.joined(rng, *rng.sample(spelled, 2)) for _ in range(15)]
    everyday += [f"{rng.choice(names)}（{rng.choice(spelled)}）" for _ in range(10)]     # a detail, or another one
    return [*rng.sample(names, 20), *rng.sample(decorated, 15), *strange, *everyday, None, None, None]


SIZES = [None, None, "大型", "中型", "小型", "微型", "个体工商户", "个体户", "小微企业", "中小型", "中型企业",
         "微型企业", "不清楚", "规上"]


def _figures() -> dict[str, list]:
    """Values on both sides of every floor of the standard, and blanks."""
    medium = sizing.standard()["medium"]
    out: dict[str, list] = {}
    for m in sizing.BOUND_COLUMNS:
        floors = sorted({float(b[m]) for b in medium.values() if m in b})
        out[m] = [None, 0, *(f - 1 for f in floors), *floors, *(f + 1 for f in floors)]
    return out


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> Path:
    rng = random.Random(300)
    figures = _figures()
    industries = _industries(rng)
    names = [f.name for f in stranger_firms.firms(random.Random(301), N_FIRMS)]     # names of every trade
    firms = []
    for i in range(N_FIRMS):
        firm = {"firm_name": names[i] if i % 2 else f"忻州第{i + 1}号有限公司", "industry": rng.choice(industries),
                "size_class": rng.choice(SIZES)}
        for m in sizing.BOUND_COLUMNS:
            firm[m] = rng.choice(figures[m])
        firms.append({k: v for k, v in firm.items() if v is not None})
    d = tmp_path_factory.mktemp("sizes")
    src = write_applicant_workbook(d / "src" / "sizes.xlsx", firms=firms, base={"base_type": "楼宇型"})
    wb = openpyxl.load_workbook(src)          # saved again without cached results, as a clerk's copy
    wb.save(src)
    return soffice_convert(src, "xlsx", d / "lo")


def test_each_row_is_sized_as_validate_sizes_it(filled):
    table = next(t for t in read_workbook(filled).tables if t.form_id == "附件3")
    assert len(table.data) == N_FIRMS
    mode = load_pack().params.get("unknown_industry") or sizing.UNKNOWN_INDUSTRY[0]
    sized = sizing.classify(table.data, mode)
    expected = sized["small"]
    # the sample reaches every step of rules/industry_text: a word reading deciding a firm small, and not
    assert {"words", "name"} <= set(sized["basis"])
    assert (sized["by_name"] != "").sum() > sum(sized["basis"].isin(["words", "name"]))
    ws = openpyxl.load_workbook(filled, data_only=True)[SIZE_SHEET]
    col = next(c.column for c in ws[1] if c.value == "value")
    differ = []
    for (_, row), want in zip(table.data.iterrows(), expected):
        got = ws.cell(int(row["_row"]), col).value
        said = "" if pd.isna(want) else SMALL if want else NOT_SMALL
        if got != said and not (said == "" and got is None):
            differ.append((int(row["_row"]), row.get("industry"), row.get("size_class"), row.get("employees"),
                           row.get("revenue"), got, want))
    assert not differ, differ[:10]
    verdicts = {"" if pd.isna(v) else bool(v) for v in expected}
    assert verdicts == {True, False, ""}, "the sample must hold every verdict"
