"""The command process's start (xlbase.startup): the cycle collector is off while the command's modules are
imported and on again, with what was imported frozen, when the command runs — on Shanxi's commands and a
programme's alike. `main()` (tests, callers in their own process) leaves the collector as it finds it."""

from __future__ import annotations

import gc
import sys

import pytest

from xlbase import cli
from xlbase.result import CommandResult


@pytest.fixture
def collector():
    """The collector as the test found it, restored after console_main paused and froze it."""
    was = gc.isenabled()
    yield
    gc.unfreeze()
    (gc.enable if was else gc.disable)()


def _recording(seen: dict, result: CommandResult | Exception):
    def command(*args, **kwargs):
        seen["enabled"], seen["frozen"] = gc.isenabled(), gc.get_freeze_count()
        if isinstance(result, Exception):
            raise result
        return result
    return command


def test_a_command_runs_with_the_collector_on_and_its_imports_frozen(monkeypatch, collector):
    import xlbase.commands.rules as rules
    seen: dict = {}
    monkeypatch.setattr(rules, "rules_command", _recording(seen, CommandResult(0, ["ok"])))
    monkeypatch.setattr(sys, "argv", ["xlbase", "rules", "list"])
    gc.unfreeze()
    assert cli.console_main() == 0
    assert seen["enabled"] and seen["frozen"] > 0


def test_a_programmes_command_runs_with_the_collector_on(monkeypatch, collector, tmp_path):
    import xlbase.check as check
    seen: dict = {}
    monkeypatch.setattr(check, "pack_for", _recording(seen, check.PackUnusable("规则包无法使用")))
    src = tmp_path / "a.xlsx"
    src.write_bytes(b"")
    monkeypatch.setattr(sys, "argv", ["xlbase", "validate", str(src), "--programme", "hengyang-2023"])
    gc.unfreeze()
    assert cli.console_main() == 2
    assert seen["enabled"] and seen["frozen"] > 0


def test_main_leaves_the_collector_as_it_finds_it(monkeypatch, collector):
    import xlbase.commands.rules as rules
    seen: dict = {}
    monkeypatch.setattr(rules, "rules_command", _recording(seen, CommandResult(0, [])))
    gc.disable()
    assert cli.main(["rules", "list"]) == 0
    assert seen["enabled"] is False and not gc.isenabled()
    gc.enable()
    assert cli.main(["rules", "list"]) == 0
    assert seen["enabled"] is True and gc.isenabled()
