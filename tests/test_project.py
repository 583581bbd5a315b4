"""The project's own site and code: strict build of the real content, and the core/adapter boundary."""

from __future__ import annotations

import ast
import graphlib
import json
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup

from conftest import PROJECT_ROOT

BIN = Path(sys.executable).parent
CORE = PROJECT_ROOT / "generator"
ADAPTERS = {"plugin.py", "cli.py"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_only_the_adapters_import_mkdocs():
    offenders = sorted(
        path.name for path in CORE.rglob("*.py")
        if path.name not in ADAPTERS
        and any(name == "mkdocs" or name.startswith("mkdocs.") for name in imported_modules(path))
    )
    assert offenders == []
    assert any(n.startswith("mkdocs") for n in imported_modules(CORE / "plugin.py"))


def sibling_imports(path: Path) -> set[str]:
    """The generator modules one module imports (`from . import x`, `from .x import y`), type-only ones too."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            names.update([node.module.split(".")[0]] if node.module else (alias.name for alias in node.names))
    return names


def test_the_core_modules_depend_one_way():
    """No import cycles between stages (e.g. the graph renders and links without importing pages)."""
    deps = {path.stem: sibling_imports(path) for path in CORE.glob("*.py")}
    try:
        graphlib.TopologicalSorter(deps).prepare()
    except graphlib.CycleError as exc:
        raise AssertionError(f"import cycle: {' -> '.join(exc.args[1])}") from None
    assert "pages" not in deps["graph"] and "pages" not in deps["dedup"]


def test_the_project_site_builds_strict(project_site):
    """`mkdocs build --strict` of the real content, as `make site` runs it (the fixture asserts success)."""
    site = project_site
    for page in ("", "join/", "statement/", "start/", "projects/", "notes/", "tags/",
                 "notes/what-caucuses-should-work-for/"):
        assert (site / page / "index.html").is_file(), page
    notes = json.loads((site / "notes.json").read_text(encoding="utf-8"))["notes"]
    assert [n["url"] for n in notes] == ["notes/what-caucuses-should-work-for/"]
    assert notes[0]["source"] == "notes/what-caucuses-should-work-for.md"
    join = BeautifulSoup((site / "join/index.html").read_text(encoding="utf-8"), "html.parser")
    assert any(a["href"].lower().startswith("mailto:") for a in join.select("article a[href]"))


def test_check_reports_the_project_clean():
    result = subprocess.run([str(BIN / "caucus-site"), "check"], cwd=PROJECT_ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " error:" not in result.stdout
