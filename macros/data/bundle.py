"""Where the engine's own written pages and theme overrides are: inside the installed package
(``macros/site/bundle/``, put there by the wheel build, see pyproject.toml) or, in a source
checkout, the repository's ``content/`` and ``site_overrides/``.

A handbook repository made by ``handbook init`` holds only its own pages; the engine's pages fill
every path it does not have, so a newer engine brings newer pages without touching the
organisation's.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGED = Path(__file__).resolve().parents[1] / "site" / "bundle"
_CHECKOUT = Path(__file__).resolve().parents[2]


def engine_pages() -> Path:
    """The folder of the engine's written pages (the docs_dir of the engine repository)."""
    packaged = _PACKAGED / "content"
    return packaged if packaged.is_dir() else _CHECKOUT / "content"


def engine_theme() -> Path:
    """The folder of the engine's theme overrides (Material's ``custom_dir``)."""
    packaged = _PACKAGED / "theme"
    return packaged if packaged.is_dir() else _CHECKOUT / "site_overrides"


def written_page(content: Path | None, page: str) -> Path | None:
    """The file a written page comes from: the handbook's own, else the engine's; None if neither."""
    for folder in (content, engine_pages()):
        if folder is not None and (folder / page).is_file():
            return folder / page
    return None


def missing_site_file(docs: Path, plans_dir: Path, key: str, value: str) -> str | None:
    """The error for ``site.<key>`` (logo, favicon) of plans/organisation.yml naming a file that
    is neither the handbook's (in ``docs``) nor the engine's; None when the file is there."""
    from .loader import LoadError, load_file  # YAML only here: check's result cache imports this module

    if written_page(docs, value) is not None:
        return None
    source = plans_dir / "organisation.yml"
    try:
        where = load_file(source).position(("site", key))
        at = f":{where.line}:{where.column}"
    except (OSError, LoadError):
        at = ""
    return (
        f"{plans_dir.name}/{source.name}{at}: site.{key} '{value}' is not a file in {docs.name}/; "
        "add the file there or correct the path"
    )
