"""The package's layers (issue 24): no import circle, and no import from a lower layer to
a higher one, read from the code itself.

Every `import tracker...` is followed, at module level and inside functions alike (a
lazy import is still a dependency); imports under `if TYPE_CHECKING:` are left out, as
they never run. The layers, lowest first:

    base      errors, locks, clock, files, i18n (the reader's language), the package's face
    domain    the rules: plain functions
    config    the settings file
    db        the log's tables, sessions, migrations, application state
    druginfo  tracker's own drug information text
    exports   files written from data they are handed (PDF, FHIR, calendar, tables)
    services  the use cases, every rule and sentence a front shows
    fronts    reminders (notifications and the service), web (the household page)
    cli       the command line, which starts the others

A module may import its own layer and those below; the two fronts of the same level
never import each other.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "tracker"
LAYERS: dict[str, int] = {
    "tracker": 0, "errors": 0, "locks": 0, "clock": 0, "files": 0, "places": 0, "i18n": 0,
    "domain": 1, "config": 2, "db": 3, "druginfo": 3, "exports": 4, "services": 5,
    "reminders": 6, "web": 6, "cli": 7, "__main__": 8,
}


def module_of(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_of(p): p for p in PACKAGE.rglob("*.py")}


def imports_of(path: Path) -> set[str]:
    """The tracker modules a module imports when it runs (TYPE_CHECKING left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {id(node) for branch in ast.walk(tree)
                   if isinstance(branch, ast.If) and "TYPE_CHECKING" in ast.unparse(branch.test)
                   for node in ast.walk(branch)}
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                and node.module.split(".")[0] == "tracker":
            for alias in node.names:
                whole = f"{node.module}.{alias.name}"
                found.add(whole if whole in MODULES else node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "tracker"}
    return {m for m in found if m in MODULES} - {module_of(path)}


GRAPH = {name: imports_of(path) for name, path in MODULES.items()}


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each a circle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_every_part_of_the_package_has_a_layer() -> None:
    assert {layer(m) for m in MODULES} <= set(LAYERS), {layer(m) for m in MODULES} - set(LAYERS)


def test_no_module_imports_a_higher_layer_or_the_other_front() -> None:
    wrong = [f"{a} -> {b}" for a, bs in sorted(GRAPH.items()) for b in sorted(bs)
             if LAYERS[layer(b)] > LAYERS[layer(a)]
             or (LAYERS[layer(b)] == LAYERS[layer(a)] and layer(a) != layer(b)
                 and layer(a) != "tracker" and layer(b) != "tracker"
                 and LAYERS[layer(a)] > 0)]
    assert not wrong, "\n".join(wrong)


def test_no_import_circle() -> None:
    assert circles(GRAPH) == []


def test_the_walk_sees_lazy_imports_and_finds_a_circle() -> None:
    """The checks above must be able to fail: a lazy import is seen, and a circle is."""
    assert "tracker.services.record.log" in GRAPH["tracker.services.record.corrections"]
    # inside a function
    assert "tracker.services.record.audit" in GRAPH["tracker.services.views.treatment"]
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_the_long_running_fronts_import_at_the_top() -> None:
    """The page and the reminder service run for days: an import inside a function is
    paid again and hides a dependency. Only the optional parts each loads when it is used
    stay lazy, each with the reason on the line above (issue 32)."""

    lazy = []
    for folder in ("web", "reminders"):
        for path in sorted((PACKAGE / folder).glob("*.py")):
            lines = path.read_text(encoding="utf-8").splitlines()
            for node in ast.walk(ast.parse("\n".join(lines))):
                if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Import | ast.ImportFrom):
                        module = (inner.module if isinstance(inner, ast.ImportFrom)
                                  else inner.names[0].name) or ""
                        why = lines[inner.lineno - 2].strip()
                        lazy.append((path.name, module.split(".")[0], why.startswith("#")))
    assert {m for _, m, _ in lazy} <= {"uvicorn", "desktop_notifier", "plyer", "apscheduler"}
    assert all(said for _, _, said in lazy), [x for x in lazy if not x[2]]
