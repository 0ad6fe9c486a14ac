"""MkDocs event handlers, called by the ``handbook`` plugin (plugin.py): the thin glue between the core
and MkDocs.
Loads plans once per build and hands MkDocs what ``pages`` computes: a generated page per record,
its nav entries, page metadata for the theme, the glossary for the abbr extension."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from macros.data.kinds import kind
from macros.data.plan import SettingError
from macros.site.build import PlanError, current_plan, data_version, load_plan, preview_setting
from macros.site.incremental import tracked
from macros.site.pages import (
    PAGE_SOURCE,
    audience_note,
    extend_nav,
    from_docs,
    glossary,
    record_pages,
    repository_url,
    review_meta,
)


def _plans_dir(config: MkDocsConfig) -> Path:
    root = Path(config.config_file_path).parent
    return root / config.extra.get("plans_dir", "plans")


@event_priority(100)  # before mkdocs-macros calls define_env
def on_config(config: MkDocsConfig, serving: bool = False) -> MkDocsConfig:
    """Load and check the plans once for this build's audience; nav entries, glossary, footer
    (``serving``: a build of ``mkdocs serve``, a preview of the working copy)."""
    audience = config.extra.get("audience", "internal")
    try:
        preview = preview_setting(config.extra.get("preview"))
        plan = load_plan(_plans_dir(config), audience, Path(config.docs_dir), preview)
    except (PlanError, SettingError) as exc:
        raise PluginError(str(exc)) from None
    config.extra["data_version"] = data_version(Path(config.config_file_path).parent, serving)
    config.extra["audience_note"] = audience_note(audience, plan.hidden, preview)
    if config.nav:
        extend_nav(config.nav, plan)
    if "abbr" not in config.markdown_extensions:
        config.markdown_extensions.append("abbr")
    config.mdx_configs.setdefault("abbr", {})["glossary"] = glossary(plan)
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    docs = Path(config.docs_dir).name
    for p in record_pages(current_plan()):  # loaded and checked in on_config
        if files.get_file_from_path(p.path) is not None:
            raise PluginError(
                f"{docs}/{p.path} clashes with the page generated for {kind(p.kind).label} '{p.id}'; "
                f"choose another id in {p.source}"
            )
        file = File.generated(config, p.path, content=PAGE_SOURCE)
        file.edit_uri = from_docs(docs, p.source)  # "Edit this page" opens the YAML the page comes from
        files.append(file)
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Review status for the theme (runs after macros)."""
    review = review_meta(
        tracked(current_plan(), page.file.src_uri),
        page.file.src_uri,
        page.meta.get("plans"),
        lambda p: _edit_url(config, p),
    )
    if review is not None:
        page.meta["review"] = review
    return markdown


def _edit_url(config: MkDocsConfig, path: str) -> str | None:
    return repository_url(config.repo_url, config.edit_uri, Path(config.docs_dir).name, path)
