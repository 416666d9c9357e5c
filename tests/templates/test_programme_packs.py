"""Every programme's templates quote and apply the thresholds of that programme's own pack (issue 14).

聊城 and the demonstration programme run on Shanxi's forms with packs of their own; the generic
programmes have forms and packs of their own. `xlbase templates --programme NAME` is run for every shipped
programme and each workbook it writes is compared with NAME's pack: the pack named on 填表说明 and
表内检查, no rule title of another pack that this pack does not share, every rule the 表内检查 lists a rule
of this pack under this pack's title, the numbers its 要求 quotes this pack's thresholds (and no other
pack's), the reference date this pack's, and the hidden threshold tables behind the red marks this pack's
minimums. Then, in LibreOffice, a workbook of a Shanxi-forms programme typed at and just below each of its
minimums is judged by the sheet as `xlbase validate --programme NAME` judges it.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from conftest import soffice_convert_all
from programme_inbox import make_templates
from template_clerk import Clerk, base_for, sheet_counts
from xlbase.check import pack_for
from xlbase.commands.validate import validate_reads
from xlbase.forms import value_list
from xlbase.forms.programmes import list_programmes, load_programme, using
from xlbase.read import read_files
from xlbase.rules.live import minimum_rules, untyped_threshold
from xlbase.templates.check_sheet import CHECK_SHEET, title
from xlbase.templates.checks import UNTYPED
from xlbase.templates.guide import GUIDE_SHEET

pytestmark = pytest.mark.filterwarnings("ignore:Print area cannot be set")

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
NUMBER = re.compile(r"(\d+(?:\.\d+)?)(%?)")


def _pack(name: str):
    """NAME's pack as its commands load it (validate --programme NAME)."""
    p = load_programme(name)
    return pack_for(None if p.generic else p.pack, programme=p)


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, list[Path]]:
    """programme -> the .xlsx files `xlbase templates --programme NAME` writes."""
    root = tmp_path_factory.mktemp("programme_packs")
    out = {}
    for name in list_programmes():
        out[name] = sorted(make_templates(name, root / name).glob("*.xlsx"))
        assert len(out[name]) == 2, out[name]
    return out


def _texts(ws) -> list[str]:
    return [v for row in ws.iter_rows(values_only=True) for v in row
            if isinstance(v, str) and not v.startswith("=")]


def _thresholds(rule) -> set[float]:
    t = rule.threshold
    values = t.values() if isinstance(t, dict) else [t]
    return {float(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)}


@pytest.mark.parametrize("name", list_programmes())
def test_the_templates_quote_their_own_packs_thresholds(written, name):
    own = _pack(name)
    others = [_pack(n) for n in list_programmes() if _pack(n).id != own.id]
    own_titles = {title(r) for r in own.rules}
    foreign_titles = {title(r) for o in others for r in o.rules} - own_titles
    foreign_dates = {o.as_of.isoformat() for o in others} - {own.as_of.isoformat()}
    for path in written[name]:
        wb = openpyxl.load_workbook(path)
        guide, check = " ".join(_texts(wb[GUIDE_SHEET])), wb[CHECK_SHEET]
        assert own.title in guide and own.title in check["A1"].value, (path.name, check["A1"].value)
        text = guide + " ".join(_texts(check))
        assert not {t for t in foreign_titles if t in text}, (path.name, {t for t in foreign_titles if t in text})
        assert not foreign_dates & set(DATE.findall(text)), (path.name, foreign_dates & set(DATE.findall(text)))
        rows = [r for r in check.iter_rows(min_row=4, values_only=True) if len(r) > 6 and r[6]]
        assert rows, path.name
        for _, what, required, _, _, _, rule_id in rows:
            assert own.has_rule(rule_id), (path.name, rule_id)
            rule = own.rule(rule_id)
            assert what == title(rule), (path.name, rule_id, what)
            mine = _thresholds(rule)
            if not mine:
                continue
            quoted = {float(n) / (100 if pct else 1) for n, pct in NUMBER.findall(DATE.sub("", required))}
            theirs = set().union(*(_thresholds(o.rule(rule_id)) for o in others if o.has_rule(rule_id)))
            assert mine <= quoted, (path.name, rule_id, required, mine)
            assert not (theirs - mine) & quoted, (path.name, rule_id, required, theirs - mine)


@pytest.mark.parametrize("name", [n for n in list_programmes() if not load_programme(n).generic])
def test_the_red_marks_compare_with_their_own_packs_minimums(written, name):
    """The hidden (基地类型, threshold) tables the red marks and the 表内检查 look up, headed by their rule's
    id, hold this pack's thresholds of that rule, per type; the （未填） row the one validate holds a blank
    type to (rules.live.untyped_threshold: the pack's default, else the loosest type's)."""
    own = _pack(name)
    for path in written[name]:
        wb = openpyxl.load_workbook(path)
        tables = [d.attr_text for n, d in wb.defined_names.items() if n.startswith("xl_thr_")]
        assert tables, path.name
        for ref in tables:
            sheet, cells = ref.split("!")
            ws = wb[sheet.strip("'")]
            rows = list(ws[cells.replace("$", "")])
            rule_id = ws.cell(rows[0][1].row - 1, rows[0][1].column).value
            assert own.has_rule(rule_id), (path.name, ref, rule_id)
            rule = own.rule(rule_id)
            for kind, value in ((a.value, b.value) for a, b in rows):
                if kind == UNTYPED or kind in value_list("base_type"):
                    want = untyped_threshold(rule) if kind == UNTYPED else rule.threshold_for(kind)
                    assert value == want, (path.name, rule_id, kind, value, want)


# --- in LibreOffice: a Shanxi-forms programme's sheet judges by its pack, as validate does -----------------

SHANXI_OTHERS = [n for n in list_programmes()[1:] if not load_programme(n).generic]
N_FIRMS = 28


def _typed(path: Path, pack, below: bool) -> Path:
    """Every minimum of `pack` on 附件2/附件10 typed at its threshold for 楼宇型 (or one below), and the
    operator registered a month after (or before) the age the pack asks."""
    c = Clerk(path)
    for key, rule in minimum_rules(pack).items():
        t = rule.threshold_for("楼宇型")
        if t is None:
            continue
        value = t - 1 if below else t
        if key in c.tables["附件2"].record_cells:
            c.record("附件2", key, value)
        if key in c.tables["附件10"].data.columns:
            c.row("附件10", 0, key, value)
    for rule in pack.rules:
        if rule.kind == "age-in-years" and rule.field == "registered_on":
            years = int(rule.threshold)
            born = dt.datetime(pack.as_of.year - years, pack.as_of.month, 1) + dt.timedelta(days=40 if below else -40)
            c.record("附件2", "registered_on", born)
    return c.save()


@pytest.mark.libreoffice
def test_a_shanxi_forms_programmes_sheet_counts_as_validate_with_its_pack(tmp_path):
    from xlbase.templates.workbooks import write_applicant_workbook
    sources: dict[tuple[str, bool], Path] = {}
    base, firms, comps = base_for(N_FIRMS)
    for name in SHANXI_OTHERS:
        with using(load_programme(name)):
            written = write_applicant_workbook(tmp_path / f"{name}.xlsx", base=base, firms=firms, comparables=comps)
        for below in (False, True):
            path = tmp_path / "src" / f"{name}-{'below' if below else 'at'}.xlsx"
            path.parent.mkdir(exist_ok=True)
            shutil.copyfile(written, path)
            sources[(name, below)] = _typed(path, _pack(name), below)
    done = dict(zip(sources, soffice_convert_all(list(sources.values()), "xlsx", tmp_path / "lo", timeout=600)))
    for (name, below), path in done.items():
        own = _pack(name)
        problems, _ = validate_reads(read_files([str(path)], jobs=1), own)
        found = Counter(p.rule for p in problems if own.has_rule(p.rule) and p.severity == own.rule(p.rule).severity)
        sheet = sheet_counts(path)
        assert set(sheet) <= {r.id for r in own.rules}, (name, set(sheet) - {r.id for r in own.rules})
        differ = {rule: (n, found.get(rule, 0)) for rule, n in sheet.items() if n != found.get(rule, 0)}
        assert not differ, f"{name} {'below' if below else 'at'}: rule -> (sheet, validate): {differ}"
        failing = {r for r, n in sheet.items() if n}
        minimums = {r.id for r in minimum_rules(own).values()}
        # at the threshold every minimum passes; one below, each one typed fails
        assert not (failing & minimums) if not below else minimums <= failing, \
            (name, below, failing)
