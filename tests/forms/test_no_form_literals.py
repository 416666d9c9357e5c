"""Form knowledge lives in forms/ (the specs and forms.roles) and the rule packs: no module of src/ outside
forms/ writes a form id ("附件3") or a field key ("base_name") as a string literal; it names the role
(forms.roles) and the spec says which form or field plays it.

MUST_STAY says what is still written, and why: words that are spelled like a field key but name something
else (a 汇总层级, a value list of data/lists.yaml, a field type, a kind of cell value, a message variable);
each with its reason. A module's entry may only shrink: a word it no longer writes must be taken off (the test
says which). Per-form behaviour is read from the spec (a form's `kind: mixed` is a record head above a
table), never from `form_id == "附件4"`.
"""

from __future__ import annotations

import ast
from pathlib import Path

from xlbase.forms import FORM_IDS, get_form

SRC = Path(__file__).resolve().parents[2] / "src" / "xlbase"

LEVEL_NAMES = "汇总层级 county/city/province (merge.rows.LEVELS), not the 所在市/县 fields"
VALUE_LIST = "the value list of that name in data/lists.yaml (Field.choices), not the field"
FIELD_TYPE = "field type names (forms.FIELD_TYPES), not fields"
CELL_KIND = "a kind of cell value read.profile tells apart (a phone number), not the field"

MUST_STAY: dict[str, dict[str, str]] = {
    "merge/rows.py": dict.fromkeys(("city", "county"), LEVEL_NAMES),
    "merge/level.py": dict.fromkeys(("city", "county"), LEVEL_NAMES),
    "cli.py": dict.fromkeys(("city", "county"), LEVEL_NAMES + ": the --level choices"),
    "mark/return_pack.py": {"county": LEVEL_NAMES},
    "rules/emit.py": {"base_type": VALUE_LIST},
    "rules/rule.py": {"base_type": VALUE_LIST},
    "rules/kinds/params.py": {"base_type": VALUE_LIST},
    "templates/checks.py": dict.fromkeys(("base_type", "city", "county"), VALUE_LIST),
    "rules/kinds/base.py": {"base_type": "a message-template variable packs write as {{ base_type }}"},
    "rules/kinds/model_bounds.py": {**dict.fromkeys(("area", "credit_code", "phone"), FIELD_TYPE),
                                    **dict.fromkeys(("city", "county", "industry", "size_class"), VALUE_LIST)},
    "rules/sizing.py": {"industry": "the basis a firm was sized by (industry / declared / strictest)"},
    "read/cover.py": {"base_type": VALUE_LIST},
    "read/matcher.py": {"credit_code": FIELD_TYPE},
    "read/pair_scores.py": {"credit_code": FIELD_TYPE},
    "read/normalise.py": dict.fromkeys(("area", "credit_code", "phone"), FIELD_TYPE),
    "read/profile.py": {**dict.fromkeys(("area", "credit_code"), FIELD_TYPE), "phone": FIELD_TYPE + "; " + CELL_KIND,
                        **dict.fromkeys(("base_type", "city", "county", "industry", "size_class"), VALUE_LIST)},
    "read/tables.py": {"phone": CELL_KIND},
    "read/units.py": dict.fromkeys(("credit_code", "phone"), FIELD_TYPE),
    "read/line_kinds.py": dict.fromkeys(("credit_code", "phone"), FIELD_TYPE + ": a line's kind when it has no unit"),
    "read/record_evidence.py": {"phone": FIELD_TYPE + ": a line's kind when it has no unit (read.line_kinds)"},
    "summary/sheets.py": {"credit_code": FIELD_TYPE},
    "templates/guide.py": {"county": VALUE_LIST, "credit_code": FIELD_TYPE},
    "templates/record.py": {"city": VALUE_LIST},
    "templates/count_thresholds.py": {"base_type": VALUE_LIST},
    "templates/styles.py": dict.fromkeys(("area", "credit_code", "phone"), FIELD_TYPE),
    "templates/table.py": {"city": VALUE_LIST, **dict.fromkeys(("credit_code", "phone"), FIELD_TYPE)},
    "templates/validation.py": {**dict.fromkeys(("area", "credit_code", "phone"), FIELD_TYPE), "county": VALUE_LIST},
    "templates/values.py": dict.fromkeys(("credit_code", "phone"), FIELD_TYPE),
}

def literals() -> dict[str, set[str]]:
    """module (relative to src/xlbase) -> the form ids and field keys it writes as string constants."""
    words = set(FORM_IDS) | {f.key for form_id in FORM_IDS for f in get_form(form_id).fields}
    out: dict[str, set[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if rel.startswith("forms/"):
            continue
        found = {n.value for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                 if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value in words}
        if found:
            out[rel] = found
    return out


def test_no_form_id_or_field_key_is_written_outside_the_form_model():
    found = literals()
    assert len(found) > 5        # the scan sees the code (an empty result would prove nothing)
    stray = {m: sorted(words - set(MUST_STAY.get(m, {})))
             for m, words in found.items()}
    stray = {m: w for m, w in stray.items() if w}
    assert not stray, f"use xlbase.forms.roles (or declare a role in the spec) instead of: {stray}"


def test_the_lists_hold_only_what_is_still_there():
    found = literals()
    for module, words in MUST_STAY.items():
        assert set(words) <= found.get(module, set()), f"{module} no longer writes {set(words) - found.get(module, set())}"
        assert all(reason.strip() for reason in words.values())
