"""The layout tells the architecture: few modules directly under qabot/,
no import circles (bench/ and evals/ included), and the project's own
imports at the top of each module, where a reader sees what depends on what."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MOST_TOP_LEVEL_MODULES = 12
# Folders of scripts, each run with its own folder on the import path.
SCRIPT_FOLDERS = ("bench.", "evals.")
# Project imports that stay inside a function, each because it brings in
# something heavy that only some runs need (see CONTRIBUTING.md).
LAZY_ON_PURPOSE = {
    # The command line imports only the command it runs: `qabot --help` and
    # usage errors load the parser alone.
    *(("qabot.cli.main", f"qabot.cli.{command}")
      for command in ("add", "ask", "chat", "check", "evaluate", "index", "listing", "remove")),
    ("qabot.stores", "qabot.stores.milvus"),  # pymilvus, only for a Milvus store
    # The chat window is drawn before numpy and the model are loaded.
    ("qabot.tui.app", "qabot.answering.answer"),
    ("qabot.tui.app", "qabot.bot"),
    ("qabot.tui.app", "qabot.embedding.embedder"),
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files() -> list[Path]:
    files = []
    for folder in ("qabot", "bench", "evals"):
        files += [p for p in sorted((REPO / folder).rglob("*.py")) if "__pycache__" not in p.parts]
    return files


def imported_names(node: ast.AST, module: str, is_package: bool) -> list[str]:
    """The modules an import statement names (relative imports resolved)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        base = module.split(".")
        base = base[: len(base) - node.level + (1 if is_package else 0)]
        prefix = ".".join(base + ([node.module] if node.module else []))
    else:
        prefix = node.module or ""
    # `from package import module` names the module itself.
    return [prefix] + [f"{prefix}.{alias.name}" for alias in node.names]


def project_imports(known: set[str]):
    """(importer, imported, at_top) for every import of a project module."""
    for path in source_files():
        module = module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = {id(node) for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))}
        not_run = {id(inner) for node in tree.body if _is_type_checking(node) for inner in ast.walk(node)}
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Import, ast.ImportFrom)) or id(node) in not_run:
                continue
            names = imported_names(node, module, path.name == "__init__.py")
            if module.startswith(SCRIPT_FOLDERS):  # scripts import their neighbours by bare name
                folder = module.split(".")[0]
                names += [f"{folder}.{name}" for name in names]
            targets = {name for name in names if name in known} - {module}
            # `from qabot.x import y` where y is a module counts as y, not as x too.
            modules = {name for name in targets if not any(other.startswith(name + ".") for other in targets)}
            for target in modules:
                yield module, target, id(node) in top


def _is_type_checking(node: ast.AST) -> bool:
    """An `if TYPE_CHECKING:` block: its imports are for type checkers only."""
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def known_modules() -> set[str]:
    return {module_name(path) for path in source_files()}


def test_at_most_twelve_modules_sit_directly_under_qabot():
    modules = sorted(p.name for p in (REPO / "qabot").glob("*.py"))
    assert len(modules) <= MOST_TOP_LEVEL_MODULES, modules


def test_the_project_imports_its_own_modules_at_the_top():
    known = known_modules()
    inside = sorted({(importer, imported) for importer, imported, at_top in project_imports(known)
                     if not at_top} - LAZY_ON_PURPOSE)
    assert inside == []


def test_there_are_no_import_circles():
    known = known_modules()
    graph: dict[str, set[str]] = {name: set() for name in known}
    for importer, imported, _ in project_imports(known):
        graph[importer].add(imported)
    circles = strongly_connected(graph)
    assert circles == []


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Groups of modules that import each other, directly or around a loop."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(groups)
