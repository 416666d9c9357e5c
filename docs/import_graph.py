"""The import graph of xlbase by package, as ARCHITECTURE.md shows it: `python docs/import_graph.py`.

Each line: a package (or top-level module) of src/xlbase and the ones it imports directly, at module top or
inside a function, read by grimp (import-linter's graph, so the same imports `lint-imports` judges). The
layers contract says none of these arrows runs upwards; the acyclic contract that no two modules of one
package import each other round a loop.
"""

from __future__ import annotations

import grimp

#: the order of ARCHITECTURE.md's layers, top first; a part of the model is listed by its own name
ORDER = ("__main__", "cli", "excel", "commands", "summary", "mark", "reports", "report_text", "templates", "check",
         "merge", "rules", "read", "ooxml")


def part(module: str) -> str:
    """xlbase.read.tables -> read; xlbase.text -> text."""
    bits = module.split(".")
    return bits[1] if len(bits) > 1 else bits[0]


def main() -> None:
    graph = grimp.build_graph("xlbase", cache_dir=None)
    edges: dict[str, set[str]] = {}
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            a, b = part(module), part(imported)
            if a != b and a != "xlbase" and b != "xlbase":
                edges.setdefault(a, set()).add(b)
    rank = {name: i for i, name in enumerate(ORDER)}
    model = sorted(({p for ps in edges.values() for p in ps} | set(edges)) - set(ORDER))
    for name in [*ORDER, *model]:
        below = sorted(edges.get(name, ()), key=lambda p: (rank.get(p, len(ORDER)), p))
        if below or name in ORDER:
            print(f"{name:<14} → {' '.join(below) or '—'}")


if __name__ == "__main__":
    main()
