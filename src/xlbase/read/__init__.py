"""Read submissions: find every known form in a workbook, normalise its values, keep provenance.

    >>> from xlbase.read import read_workbook, read_files, expand_inputs
"""

from __future__ import annotations

from .files import expand_inputs, read_files
from .grid import Sheet
from .workbook import read_grids, read_workbook

__all__ = ["read_workbook", "read_grids", "read_files", "expand_inputs", "Sheet"]
