"""The roles the form specs give forms and fields, as code names them.

Code outside forms/ never writes a form id ("附件3") or a field key ("base_name"): it names the role,
and the spec says which form or field plays it — a form's `role:`, a field's `identity:` (the items
that identify a base; also the keys of `Table.base`) or `role:` (a field a rule kind, the merge or the
small/micro standard reads by meaning). A role names its field's key one to one (a spec that gave
the role to a field of another key would be refused by tests/forms/test_roles.py), so a value dict
keyed by field keys is indexed by role.
"""

from __future__ import annotations

# --- forms (spec: `role:` at the top) ----------------------------------------------------------
COVER_FORM = "附件1"         # cover: the application's 封面 (基地类型 ticked), lines not a table
RECORD_FORM = "附件2"        # base_record: one base's record (申报书), cells under labels
FIRM_FORM = "附件3"          # firms: one row per resident firm
RENT_FORM = "附件4"          # rents: the base's rent, then one row per comparable site
BASE_FORM = "附件10"         # base_row: one row per base, as an applicant states it
SUMMARY_FORM = "附件11"      # summary: one row per base, as a 汇总表 lists them
FORM_ROLES = {"base_record": RECORD_FORM, "firms": FIRM_FORM, "rents": RENT_FORM, "base_row": BASE_FORM,
              "summary": SUMMARY_FORM}

# --- a base's identity (spec: `identity:`) ------------------------------------------------------
BASE_NAME = "base_name"
OPERATOR = "operator"
CITY = "city"
COUNTY = "county"
BASE_TYPE = "base_type"
REGISTERED_ON = "registered_on"
IDENTITY_ROLES = (BASE_NAME, OPERATOR, CITY, COUNTY, BASE_TYPE, REGISTERED_ON)

# --- fields read by meaning (spec: `role:`) -----------------------------------------------------
FIRM_NAME = "firm_name"          # 附件3 企业名称
FIRM_CODE = "credit_code"        # 附件3 统一社会信用代码 / 营业执照注册号
EMPLOYEES = "employees"          # a firm's 职工人数 (and the base's total on 附件10/附件2)
REVENUE = "revenue"              # a firm's 营业收入
INDUSTRY = "industry"            # a firm's 所属行业 (ours)
SIZE_CLASS = "size_class"        # a firm's 企业规模 as declared (ours)
RESIDENT_FIRMS = "resident_firms"   # the base's 已入驻企业数
OWN_RENT = "base_rent"           # 附件4: the base's own rent
SITE_NAME = "site_name"          # 附件4: a comparable site
SITE_DISTANCE = "distance_km"    # 附件4: its distance from the base
SITE_RENT = "rent"               # 附件4: its rent
SOURCE_FILE = "source_file"      # 附件11: the file a 汇总表 row came from (written by the merge)
FIELD_ROLES = (FIRM_NAME, FIRM_CODE, EMPLOYEES, REVENUE, INDUSTRY, SIZE_CLASS, RESIDENT_FIRMS, OWN_RENT, SITE_NAME,
               SITE_DISTANCE, SITE_RENT, SOURCE_FILE)
