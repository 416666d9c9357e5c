"""A file of another call's forms sent by a unit of this call's batch: one file refused, not the batch.

A Shanxi county that found 衡阳's 推荐汇总表 or 太原's 申请表 online and typed its base into it sends a file
the reader recognises as that programme's. The batch check (forms.programmes.check_batch) used to take the
batch for that programme (every other county's 附件11 then "has no 衡阳 form": 错误 each) or refuse it
whole (a mixed batch, exit 2) — one county's mistake stopping the city's merge.

A recognised file whose sender — its folders, its name, the 填报单位 line of a table read from it — is a
place of the active programme's division list, and none of the units the other programme's 汇总表 expects,
was sent by this batch's unit by mistake: it is refused alone (its own 错误, naming the form it is and the
form the unit owes), and the batch check runs on the rest. A file of another call that names none of our
places (a 聊城 inbox beside a Shanxi one, a 太原 district's file: 太原's units) is left to the batch check.
"""

from __future__ import annotations

from pathlib import Path

from ..forms import value_list
from ..forms.programmes import Programme, active, batch_checking, load_programme, same_call
from ..identity import locate_sender
from ..table import WorkbookRead
from .failed import unusable


def refuse_strays(reads: list[WorkbookRead]) -> list[WorkbookRead]:
    """`reads` with each file of another call sent by one of this batch's units replaced by its refusal."""
    if not batch_checking():
        return reads
    chosen = active()
    out = []
    for r in reads:
        found = _stray(r, chosen)
        out.append(r if found is None else _refused(r, chosen, *found))
    return out


def _sender_texts(r: WorkbookRead) -> list[str]:
    """Where a file says who sent it, in the order a person looks: the 填报单位 lines of what was read, its name,
    its folders (nearest first)."""
    p = Path(r.path)
    return [*(t.org_line for t in r.tables if t.org_line), p.stem, *reversed(p.parent.parts[-3:])]


def _stray(r: WorkbookRead, chosen: Programme) -> tuple[Programme, str] | None:
    """(the call the file is of, the place of ours that sent it) when it is a stray; else None."""
    if not r.ok or not r.programme or r.programme == chosen.name:
        return None
    other = load_programme(r.programme)
    if same_call(other, chosen):
        return None
    texts = _sender_texts(r)
    place = next((county for county in (locate_sender(t)[1] for t in texts) if county), None)
    if place is None:
        return None
    units_key = other.layout("summary.yaml").get("units")
    _ = other.forms                     # registers its value lists (its units)
    units = value_list(units_key) if units_key else ()
    if any(u in t for u in units for t in texts):
        return None                     # a unit of that call (太原's 小店区 is a Shanxi place too)
    return other, place


def _refused(r: WorkbookRead, chosen: Programme, other: Programme, place: str) -> WorkbookRead:
    name = Path(r.path).name
    msg = (f"文件“{name}”（{place}）是“{other.title}”（{other.name}）的表格，不是本次汇总的“{chosen.title}”的材料，"
           f"未读取；请{place}按本通知的表格重新报送。如本批材料确属该项目，请用 --programme {other.name} 单独汇总。")
    return unusable(r.path, "no-form", msg, r.sha256)
