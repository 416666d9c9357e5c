"""The roles code names forms and fields by (xlbase.forms.roles) are the ones the specs declare: each
form role is the `role:` of the form with that id, each field role the `identity:` or `role:` of a field
whose key it is. So code that writes BASE_NAME or FIRM_FORM reads what the spec says plays that part,
and a spec that moved a role to another field would fail here instead of silently in the merge."""

from __future__ import annotations

from xlbase.forms import FORM_IDS, get_form, roles


def test_every_form_role_is_the_role_its_spec_declares():
    declared = {get_form(f).role: f for f in FORM_IDS}
    assert declared == roles.FORM_ROLES


def test_every_field_role_is_declared_by_a_field_of_that_key():
    seen: dict[str, set[str]] = {}
    for form_id in FORM_IDS:
        for f in get_form(form_id).fields:
            for role in filter(None, (f.identity, f.role)):
                assert f.key == role, (form_id, f.key, role)       # a role names its field's key one to one
                seen.setdefault(role, set()).add(form_id)
    assert set(roles.IDENTITY_ROLES) <= set(seen) and set(roles.FIELD_ROLES) <= set(seen)
    assert set(seen) <= set(roles.IDENTITY_ROLES) | set(roles.FIELD_ROLES), "a spec role no code names"
    assert roles.FIRM_FORM in seen[roles.FIRM_NAME] and roles.RENT_FORM in seen[roles.SITE_RENT]
