"""The package's shape: no import cycle among its modules (imports under TYPE_CHECKING included), the pure
core imports no I/O layer, and the command line reaches the library only through `callfirst.api`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "callfirst"
PURE_CORE = ("ical", "detection", "facts", "notice", "slots", "phones", "drafts", "model", "config", "calls")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def module_level_imports(path: Path) -> set[str]:
    """Modules imported at module level (under `if TYPE_CHECKING:` too), never inside a function."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.If):
                visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join([*anchor, base] if base else anchor)
                found.update(f"{base}.{alias.name}" for alias in node.names)
                found.add(IMPORTED_FROM + base)

    visit(ast.parse(path.read_text(encoding="utf-8")).body)
    return {module for module in found if module.lstrip(IMPORTED_FROM).startswith("callfirst")}


IMPORTED_FROM = "<"  # marks the module a `from M import a, b` names; a, b may be its submodules or its names


def graph() -> dict[str, set[str]]:
    """Module → the modules it loads: `from P import sub` loads P.sub (and P's __init__, which Python runs
    first but which is no import of P.sub's own); `from M import name` loads M."""
    modules = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    edges = {}
    for name, path in modules.items():
        imported = module_level_imports(path)
        submodules = {m for m in imported if m in modules and not m.startswith(IMPORTED_FROM)}
        targets = set(submodules)
        for marked in (m for m in imported if m.startswith(IMPORTED_FROM)):
            base = marked[len(IMPORTED_FROM) :]
            named_submodule = any(m.startswith(base + ".") and m.count(".") == base.count(".") + 1 for m in submodules)
            if base in modules and not named_submodule:
                targets.add(base)
        edges[name] = {target for target in targets if target != name}
    return edges


def cycle_in(edges: dict[str, set[str]]) -> list[str] | None:
    """One cycle, as the modules along it, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def walk(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(edges[node]):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state and (found := walk(target)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (found := walk(node)):
            return found
    return None


def test_no_module_imports_itself_through_others():
    assert cycle_in(graph()) is None, " → ".join(cycle_in(graph()) or [])


def test_the_walk_finds_a_cycle_when_there_is_one():
    assert cycle_in({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle_in({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize("core", PURE_CORE)
def test_the_pure_core_imports_no_io_layer(core):
    edges = graph()
    mine = {
        name: targets
        for name, targets in edges.items()
        if name == f"callfirst.{core}" or name.startswith(f"callfirst.{core}.")
    }
    assert mine, core
    for name, targets in mine.items():
        bad = {
            t
            for t in targets
            if t.startswith(("callfirst.integrations", "callfirst.cli", "callfirst.api", "callfirst.web"))
        }
        assert not bad, f"{name} imports {sorted(bad)}"


def test_commands_reach_the_library_through_the_api_only():
    """No command module imports a provider or the state store at module level: the api does."""
    for name, targets in graph().items():
        if name.startswith("callfirst.cli"):
            providers = {t for t in targets if t.startswith("callfirst.integrations")} - {"callfirst.integrations.home"}
            assert not providers, f"{name} imports {sorted(providers)}"


def test_the_web_page_reaches_the_library_through_the_api_only():
    """No module of the web page imports a provider or the state store at module level: the api does."""
    for name, targets in graph().items():
        if name.startswith("callfirst.web"):
            providers = {t for t in targets if t.startswith("callfirst.integrations")} - {"callfirst.integrations.home"}
            assert not providers, f"{name} imports {sorted(providers)}"
