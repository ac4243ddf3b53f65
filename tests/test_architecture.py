"""Issue 14: the shape rules of briefgen/, checked on the source (an AST walk).

- No module-level mutable state: no `global`/`nonlocal`, and no module-level binding of a
  mutable container (dict, list, set, ...) that a function mutates. State a later build
  may reuse lives in the explicit build state (briefgen/state.py), passed and returned.
- No module imports another module's `_private` names: subpackages talk through public
  interfaces.
- No import cycle between briefgen modules, function-level imports included (a cycle
  "hidden" by importing inside a function is still a cycle). Imports under
  `if TYPE_CHECKING:` are left out: they never run, they only name a type.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "briefgen"
MUTABLE_CALLS = {"dict", "list", "set", "bytearray", "defaultdict", "Counter", "OrderedDict"}
MUTABLE_CALLS |= {"deque", "WeakValueDictionary", "WeakKeyDictionary", "WeakSet"}
MUTATORS = {"append", "extend", "insert", "update", "clear", "pop", "popitem", "setdefault"}
MUTATORS |= {"add", "discard", "remove", "sort", "reverse", "appendleft", "popleft"}
# The one per-process exception: a forked pool worker's context, set once by the pool's
# initializer in the worker process only (see briefgen/parallel.py).
ALLOWED = {("briefgen/parallel.py", "_IN_WORKER")}


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def rel(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


def is_mutable(value: ast.expr | None) -> bool:
    if isinstance(value, ast.Dict | ast.List | ast.Set | ast.DictComp | ast.ListComp):
        return True
    if isinstance(value, ast.SetComp):
        return True
    if isinstance(value, ast.Call):
        func = value.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        return name in MUTABLE_CALLS
    return False


def module_containers(tree: ast.Module) -> set[str]:
    names = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and is_mutable(node.value):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif (
            isinstance(node, ast.AnnAssign)
            and is_mutable(node.value)
            and isinstance(node.target, ast.Name)
        ):
            names.add(node.target.id)
    return names


def mutated_in_functions(tree: ast.Module, names: set[str]) -> set[str]:
    """Names of `names` that some function body mutates (method call, item or slice
    assignment, augmented assignment, del)."""
    found = set()
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            continue
        local = {a.arg for a in ast.walk(fn.args) if isinstance(a, ast.arg)}
        for node in ast.walk(fn):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                target = node.func.value
                if isinstance(target, ast.Name) and node.func.attr in MUTATORS:
                    found.add(target.id)
            for target in _assigned(node):
                base = target.value if isinstance(target, ast.Subscript) else target
                if isinstance(base, ast.Name) and base is not target:
                    found.add(base.id)
                elif isinstance(node, ast.AugAssign) and isinstance(target, ast.Name):
                    found.add(target.id)
        found -= local
    return found & names


def _assigned(node: ast.AST) -> list[ast.expr]:
    if isinstance(node, ast.Assign):
        return list(node.targets)
    if isinstance(node, ast.AugAssign | ast.AnnAssign):
        return [node.target]
    if isinstance(node, ast.Delete):
        return list(node.targets)
    return []


def test_issue_14_no_module_level_mutable_state():
    problems = []
    for path in modules():
        tree = ast.parse(path.read_text(encoding="utf-8"), rel(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Global | ast.Nonlocal):
                kind = type(node).__name__.lower()
                problems.append(f"{rel(path)}:{node.lineno}: `{kind} {', '.join(node.names)}`")
        for name in sorted(mutated_in_functions(tree, module_containers(tree))):
            if (rel(path), name) not in ALLOWED:
                problems.append(f"{rel(path)}: module-level `{name}` is mutated by a function")
    assert problems == []


def test_issue_14_no_module_imports_another_module_s_private_names():
    problems = []
    for path in modules():
        tree = ast.parse(path.read_text(encoding="utf-8"), rel(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("briefgen"):
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        problems.append(f"{rel(path)}:{node.lineno}: {node.module}.{alias.name}")
    assert problems == []


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def type_checking_only(tree: ast.Module) -> set[ast.AST]:
    """The import statements under `if TYPE_CHECKING:` (never run)."""
    found: set[ast.AST] = set()
    for node in ast.walk(tree):
        test = node.test if isinstance(node, ast.If) else None
        name = getattr(test, "id", None) or getattr(test, "attr", None)
        if name == "TYPE_CHECKING":
            found |= {n for stmt in node.body for n in ast.walk(stmt)}  # type: ignore[attr-defined]
    return found


def imported_modules(tree: ast.Module, known: set[str]) -> set[str]:
    """The briefgen modules `tree` imports anywhere (module level or in a function):
    `from briefgen.x import y` is briefgen.x.y when that is a module, else briefgen.x."""
    skip = type_checking_only(tree)
    out: set[str] = set()
    for node in ast.walk(tree):
        if node in skip:
            continue
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                out.add(full if full in known else node.module)
    return out & known


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of two or more modules (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while not group or group[-1] != v:
                group.append(stack.pop())
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def import_graph() -> dict[str, set[str]]:
    paths = {module_name(p): p for p in modules()}
    known = set(paths)
    graph = {}
    for name, path in paths.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), rel(path))
        graph[name] = imported_modules(tree, known) - {name}
    return graph


def test_issue_14_no_import_cycles_between_briefgen_modules():
    assert cycles(import_graph()) == []


def test_the_cycle_check_sees_function_level_imports():
    known = {"briefgen.cli", "briefgen.serve.command", "briefgen.pipeline"}
    cli = ast.parse("def f():\n    from briefgen.serve.command import run\n")
    serve = ast.parse(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from briefgen import pipeline\n"
        "def run():\n    from briefgen.cli import site_config\n"
    )
    graph = {
        "briefgen.cli": imported_modules(cli, known),
        "briefgen.serve.command": imported_modules(serve, known),
        "briefgen.pipeline": set(),
    }
    assert graph["briefgen.serve.command"] == {"briefgen.cli"}  # the TYPE_CHECKING one: no
    assert cycles(graph) == [["briefgen.cli", "briefgen.serve.command"]]


def test_the_checks_catch_what_they_are_meant_to():
    """The checker itself, on small sources: a memo dict it must flag, and ones it must not."""
    bad = ast.parse(
        "_MEMO: dict = {}\ndef f(k):\n    _MEMO[k] = 1\n_L = []\ndef g():\n    _L.append(1)\n"
    )
    assert mutated_in_functions(bad, module_containers(bad)) == {"_MEMO", "_L"}
    fine = ast.parse("NAMES = {'a': 1}\ndef f(k):\n    out = {}\n    out[k] = NAMES[k]\n")
    assert mutated_in_functions(fine, module_containers(fine)) == set()
