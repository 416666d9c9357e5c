"""One column of a header band as the column matcher sees it (read.header_band builds them)."""

from __future__ import annotations

from dataclasses import dataclass, field as dc_field

@dataclass(frozen=True)
class ColumnHead:
    """One column of a header band as the matcher sees it."""

    col: int
    label: str = ""                    # the clerk's label text (lowest label cell of the band)
    group: str = ""                    # group text over it (a group row, or glued on "基本情况-基地名称")
    unit: str | None = None            # folded unit stated for it (header, units line or group)
    profile: tuple = ()                # read.profile.profile of the cells below
    row: int = dc_field(default=0, compare=False, hash=False)   # 0-based row of the label (for messages)
    repeated: bool = False             # three or more values below, all the same (a 所属基地 column of a list)
    table_units: tuple = ()            # (family, unit) named by a 单位 line over the whole table ("单位：元",
                                       # "单位：元、平方米、人"): converts the columns of those families that
                                       # state none; not a matching signal (a count column under 元 is fine)
