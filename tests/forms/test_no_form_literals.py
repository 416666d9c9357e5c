"""Form knowledge lives in forms/ (the specs and forms.roles) and the rule packs: no module of src/ outside
forms/ writes a form id ("附件3") or a field key ("base_name") as a string literal; it names the role
(forms.roles) and the spec says which form or field plays it.

Two lists say what is still written, and why:
- MUST_STAY: words that are spelled like a field key but name something else (a 汇总层级, a value list of
  data/lists.yaml, a field type, a message variable); each with its reason.
- PENDING: areas not converted yet, by the literals they still hold. An area's list may only shrink: a
  literal it no longer holds must be taken off (the test says which), a new one fails.
"""

from __future__ import annotations

import ast
from pathlib import Path

from xlbase.forms import FORM_IDS, get_form

SRC = Path(__file__).resolve().parents[2] / "src" / "xlbase"

LEVEL_NAMES = "汇总层级 county/city/province (merge.core.LEVELS), not the 所在市/县 fields"
VALUE_LIST = "the value list of that name in data/lists.yaml (Field.choices), not the field"
FIELD_TYPE = "field type names (forms.FIELD_TYPES), not fields"

MUST_STAY: dict[str, dict[str, str]] = {
    "merge/core.py": dict.fromkeys(("city", "county"), LEVEL_NAMES),
    "merge/level.py": dict.fromkeys(("city", "county"), LEVEL_NAMES),
    "cli.py": dict.fromkeys(("city", "county"), LEVEL_NAMES + ": the --level choices"),
    "mark/return_pack.py": {"county": LEVEL_NAMES},
    "rules/emit.py": {"base_type": VALUE_LIST},
    "rules/rule.py": {"base_type": VALUE_LIST},
    "rules/kinds/params.py": {"base_type": VALUE_LIST},
    "templates/checks.py": {"base_type": VALUE_LIST},
    "rules/kinds/base.py": {"base_type": "a message-template variable packs write as {{ base_type }}"},
    "rules/kinds/model_bounds.py": {**dict.fromkeys(("area", "credit_code", "phone"), FIELD_TYPE),
                                    **dict.fromkeys(("city", "county", "industry", "size_class"), VALUE_LIST)},
    "rules/sizing.py": {"industry": "the basis a firm was sized by (industry / declared / strictest)"},
}

#: not converted yet (read/ is the reader's area): area prefixes -> the literals they still hold
PENDING: dict[tuple[str, ...], set[str]] = {
    ("read/",): {"base_name", "base_type", "city", "county", "operator", "area", "credit_code", "phone", "industry",
                 "size_class", "base_rent", "附件2", "附件3", "附件4", "附件10", "附件11"},
    ("templates/", "summary/", "mark/", "reports/", "commands/", "ooxml/", "validate.py", "excel.py"): {
        "base_type", "city", "county", "area", "credit_code", "phone", "附件2", "附件3", "附件4", "附件10", "附件11"},
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


def _area(module: str) -> tuple[str, ...] | None:
    return next((area for area in PENDING if module.startswith(area)), None)


def test_no_form_id_or_field_key_is_written_outside_the_form_model():
    found = literals()
    assert len(found) > 5        # the scan sees the code (an empty result would prove nothing)
    stray = {m: sorted(words - set(MUST_STAY.get(m, {})) - PENDING.get(_area(m) or (), set()))
             for m, words in found.items()}
    stray = {m: w for m, w in stray.items() if w}
    assert not stray, f"use xlbase.forms.roles (or declare a role in the spec) instead of: {stray}"


def test_the_lists_hold_only_what_is_still_there():
    found = literals()
    for module, words in MUST_STAY.items():
        if not (SRC / module).is_file():      # moved: its words are checked where it went (PENDING's areas)
            continue
        assert set(words) <= found.get(module, set()), f"{module} no longer writes {set(words) - found.get(module, set())}"
        assert all(reason.strip() for reason in words.values())
    for area, words in PENDING.items():
        held = set().union(*(w for m, w in found.items() if _area(m) == area))
        assert words <= held, f"{area} no longer writes {sorted(words - held)}: take them off PENDING"
