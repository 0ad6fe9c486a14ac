"""The folders of macros/ are the pipeline's layers, and imports flow one way:
data <- checks <- review <- site <- cli. MkDocs is imported only by the MkDocs glue."""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import ROOT

MACROS = ROOT / "macros"
LAYERS = ["data", "checks", "review", "site"]
MKDOCS_GLUE = {
    "macros/site/hooks.py",
    "macros/site/publish.py",
    "macros/site/plugin.py",
    "macros/site/incremental.py",  # serve's incremental rebuilds; imports MkDocs only inside events
    "macros/site/page_fixes.py",  # only to stop a MkDocs build with its error type; optional there
    "macros/site/theme_cache.py",  # the theme's Jinja environments of a MkDocs configuration (types only)
}


def _imports(path: Path) -> set[str]:
    """Absolute names of the modules a file imports (relative imports resolved)."""
    package = path.relative_to(ROOT).with_suffix("").parts[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = list(package[: len(package) - node.level + 1]) if node.level else []
            module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def _layer(module: str) -> int | None:
    parts = module.split(".")
    if parts[0] != "macros" or len(parts) < 2:
        return None
    return LAYERS.index(parts[1]) if parts[1] in LAYERS else len(LAYERS)  # cli, __init__: the top


def test_every_module_sits_in_a_layer() -> None:
    loose = sorted(p.name for p in MACROS.glob("*.py"))
    assert loose == ["__init__.py", "cli.py"]
    assert sorted(p.name for p in MACROS.iterdir() if p.is_dir() and p.name != "__pycache__") == sorted(
        LAYERS
    )


def test_imports_flow_one_way() -> None:
    upward = []
    for path in sorted(MACROS.rglob("*.py")):
        own = _layer(".".join(path.relative_to(ROOT).with_suffix("").parts))
        for module in _imports(path):
            target = _layer(module)
            if own is not None and target is not None and target > own:
                upward.append(f"{path.relative_to(ROOT)} imports {module}")
    assert upward == []


def test_only_the_glue_imports_mkdocs() -> None:
    users = sorted(
        path.relative_to(ROOT).as_posix()
        for path in MACROS.rglob("*.py")
        if any(m == "mkdocs" or m.startswith("mkdocs.") for m in _imports(path))
    )
    assert set(users) <= MKDOCS_GLUE, users
    assert users  # the scan does see imports


def test_the_scan_resolves_relative_imports() -> None:
    """The checker itself: an upward import written relatively is caught."""
    found = _imports(MACROS / "site" / "render.py")
    assert "macros.data.plan" in found and _layer("macros.data.plan") == 0
    assert _layer("macros.site.render") == 3 and _layer("macros.cli") == 4 and _layer("jinja2") is None
