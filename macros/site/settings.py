"""``mkdocs.yml`` read for its settings without MkDocs: ``!ENV`` gives the first variable of its
list that is set (as text) or the default; Python tags (extension options) and MkDocs' other tags
(``!relative``) are read as None. For the export, the page check and defaults.yml."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

HANDBOOK_MACROS = "macros"
"""mkdocs-macros' ``module_name`` of the handbook: the engine's package."""


class SettingsLoader(yaml.SafeLoader):
    """A YAML loader for MkDocs configuration files."""


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        values = loader.construct_sequence(node)  # type: ignore[arg-type]
        names, default = values[:-1], values[-1]
    return next((os.environ[n] for n in names if n in os.environ), default)


SettingsLoader.add_constructor("!ENV", _env)
SettingsLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
SettingsLoader.add_multi_constructor("!", lambda loader, suffix, node: None)  # !relative and others


def read_settings(text: str) -> dict[str, Any]:
    """The settings of a configuration file's text ({} for an empty one)."""
    loaded = yaml.load(text, Loader=SettingsLoader)
    return loaded if isinstance(loaded, dict) else {}


def plugin_options(settings: dict[str, Any], name: str) -> dict[str, Any] | None:
    """The options of plugin ``name`` (``{}`` without any), None when it is not configured."""
    plugins = settings.get("plugins") or []
    items = (
        plugins.items()
        if isinstance(plugins, dict)
        else (next(iter(p.items())) if isinstance(p, dict) and len(p) == 1 else (p, None) for p in plugins)
    )
    for key, options in items:
        if key == name:
            return options if isinstance(options, dict) else {}
    return None


def adds_macros(project: Path) -> bool:
    """Whether mkdocs-macros loads macros besides the handbook's for the project at ``project``: a
    pluglet in ``modules`` other than the engine, or a local module (``module_name``, by default
    ``main.py`` or ``main/`` when there is one). No check can know their names without running them.
    False without a readable ``mkdocs.yml`` (the build says why)."""
    try:
        settings = read_settings((project / "mkdocs.yml").read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeError, yaml.YAMLError):
        return False
    options = plugin_options(settings, "macros") or {}
    pluglets = [(str(m).split(":") * 2)[1] for m in options.get("modules") or []]  # 'source:module'
    if any(m != HANDBOOK_MACROS for m in pluglets):
        return True
    local = str(options.get("module_name") or "main")
    if local == HANDBOOK_MACROS:
        return False
    return local != "main" or (project / "main.py").is_file() or (project / "main").is_dir()
