"""A command process's start: the cycle collector paused while the command's modules are imported.

Importing pandas, numpy and xlbase makes a few hundred thousand long-lived objects and no garbage; the
collector's passes over them while they are made are time every small validate or merge waits for and
collect nothing. `cli.console_main` pauses it (`pause_for_imports`); `imports_done()`, called where a
command's modules are imported and its work begins, moves what was imported out of the collector's
reach (gc.freeze: never scanned again) and resumes it. A process that did not pause — tests calling
`cli.main()`, a caller that runs with the collector off — is left as it is.
"""

from __future__ import annotations

import gc

_paused = False


def pause_for_imports() -> None:
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def imports_done() -> None:
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
