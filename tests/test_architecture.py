"""Issue 14: the shape rules of briefgen/, checked on the source (an AST walk).

- No module-level mutable state: no `global`/`nonlocal`, and no module-level binding of a
  mutable container (dict, list, set, ...) that a function mutates. State a later build
  may reuse lives in the explicit build state (briefgen/state.py), passed and returned.
- No module imports another module's `_private` names: subpackages talk through public
  interfaces.
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


def test_the_checks_catch_what_they_are_meant_to():
    """The checker itself, on small sources: a memo dict it must flag, and ones it must not."""
    bad = ast.parse(
        "_MEMO: dict = {}\ndef f(k):\n    _MEMO[k] = 1\n_L = []\ndef g():\n    _L.append(1)\n"
    )
    assert mutated_in_functions(bad, module_containers(bad)) == {"_MEMO", "_L"}
    fine = ast.parse("NAMES = {'a': 1}\ndef f(k):\n    out = {}\n    out[k] = NAMES[k]\n")
    assert mutated_in_functions(fine, module_containers(fine)) == set()
