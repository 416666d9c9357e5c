"""The committed workbook_templates/ are exactly what the code generates (regenerate with
`xlbase templates -o workbook_templates`), and generation is deterministic."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from xlbase.commands.templates import templates_command

REPO = Path(__file__).resolve().parents[2]
COMMITTED = REPO / "workbook_templates"


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("regen")
    assert templates_command(d).exit_code == 0
    return d


def test_two_runs_give_identical_bytes(fresh, tmp_path):
    assert templates_command(tmp_path).exit_code == 0
    names = sorted(p.name for p in fresh.iterdir())
    assert names == sorted(p.name for p in tmp_path.iterdir())
    for name in names:
        assert (fresh / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_committed_templates_match_the_code(fresh):
    generated = sorted(p.name for p in fresh.iterdir())
    committed = sorted(p.name for p in COMMITTED.iterdir() if p.suffix in (".xlsx", ".xlsm"))
    assert committed == generated, "run: xlbase templates -o workbook_templates"
    for name in generated:
        a, b = _parts(fresh / name), _parts(COMMITTED / name)
        assert a.keys() == b.keys(), name
        drift = [part for part in a if a[part] != b[part]]
        assert not drift, f"{name} drifted in {drift}; run: xlbase templates -o workbook_templates"
