"""A row of a form's list that is the record's own subject, not an item of the list.

附件4 asks for the base's own rent in its head and the comparable sites in its list; an operator who retypes it
may put the base itself as the list's first row ("上马物流（本基地）| 0 | 16"). Read as a comparable, the base was
compared with itself and its blank 联系人 and 联系电话 were 必填项未填写 errors, while its own rent was missing. A
row whose name or 序号 cell says it is the subject itself (data/names.yaml self_words: 本基地, 本项目…; "本基地 |
祁县晋商众创园 | — | 96元/㎡/年") or whose name is the record's own gives the record's value (when the head has none) and leaves the list, with one info.
"""

from __future__ import annotations

from ..forms import get_form, name_words
from ..forms.roles import BASE_NAME, OWN_RENT, SITE_NAME, SITE_RENT
from ..problem_codes import OWN_ROW
from ..problems import INFO, Problem
from ..table import Table
from ..text import fold


def own_row(path: str, t: Table, problems: list[Problem], numbers: dict[int, object] | None = None) -> None:
    """Take the subject's own row out of `t`'s list (附件4: the base's own rent among the comparables).
    `numbers`: sheet row -> what its 序号 cell holds, where a clerk may have typed 本基地 instead of a number."""
    form = get_form(t.form_id)
    keys = {f.key for f in form.fields}
    if not {OWN_RENT, SITE_NAME, SITE_RENT} <= keys or SITE_NAME not in t.data.columns or t.data.empty:
        return
    words = tuple(fold(w) for w in name_words().get("self_words") or ())
    name_key = next((f.key for f in form.record_fields if f.identity == BASE_NAME), None)
    own = fold(str(t.record.get(name_key) or "")) if name_key else ""
    def says_self(v: object) -> bool:
        return isinstance(v, str) and any(w in fold(v) for w in words)

    mine = [i for i, v in enumerate(t.data[SITE_NAME])
            if says_self(v) or (isinstance(v, str) and own and fold(v) == own)
            or says_self((numbers or {}).get(int(t.data.at[i, "_row"])))]
    for i in mine:
        row = int(t.data.at[i, "_row"])
        rent = t.data.at[i, SITE_RENT] if SITE_RENT in t.data.columns else None
        took = t.record.get(OWN_RENT) is None and rent is not None
        if took:
            t.record[OWN_RENT] = rent
            t.record_cells[OWN_RENT] = t.cell(SITE_RENT, row)
            t.record_raw[OWN_RENT] = str(rent)
            if OWN_RENT in t.missing_fields:
                t.missing_fields.remove(OWN_RENT)
        said = f"按“{form.field(OWN_RENT).label}”读取" if took else "不作为周边场地"
        problems.append(Problem(OWN_ROW, INFO, f"{t.form_id}第{row}行（“{t.data.at[i, SITE_NAME]}”）是本基地自己的一行，"
                                               f"不是周边类似场地，其租金{said}，不参与比较。",
                                path, t.sheet, t.cell(SITE_NAME, row), t.form_id, SITE_NAME,
                                value=t.data.at[i, SITE_NAME]))
    if mine:
        t.data = t.data.drop(index=mine).reset_index(drop=True)
        if t.raw is not None and len(t.raw):
            t.raw = t.raw.drop(index=mine).reset_index(drop=True)
