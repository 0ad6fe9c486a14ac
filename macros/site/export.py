"""``handbook export``: the handbook as a plain MkDocs project that needs neither hooks nor plugins
of ours, for renderers that read ``mkdocs.yml`` but run no MkDocs hooks (Zensical) or to archive
exactly what was published.

Every page is rendered to finished Markdown (macros evaluated), one page per record is written,
the nav lists them, each page's review box is in its front matter, the glossary is in the abbr
extension's configuration and the footer notes are in ``extra``. Only Python-Markdown extensions
(``macros.site.page_fixes`` included) and the theme override stay: both are standard MkDocs.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import yaml

from ..data.bundle import engine_pages, engine_theme, missing_site_file
from ..data.plan import Plan
from .build import data_version, load_plan, preview_setting
from .defaults import block, features
from .defaults import nav as default_nav
from .escape import theme_url
from .macros_api import macros, variables
from .overlay import FRONT_MATTER, written_pages
from .page_macros import failure_line, macro_error, shown_path
from .pages import (
    PAGE_SOURCE,
    audience_note,
    extend_nav,
    glossary,
    record_pages,
    repository_url,
    review_meta,
)
from .progress import CHANGES, SCRIPT, STYLE, site_changes
from .render import built_url
from .settings import read_settings


class ExportError(Exception):
    """The project cannot be exported (the message says why and what to do)."""


@dataclass
class Exported:
    pages: int
    generated: int


def export(config_file: Path, out: Path) -> Exported:
    """Write the exported project to ``out`` (created; it must not exist or be empty)."""
    text = config_file.read_text(encoding="utf-8")
    config = read_settings(text)
    root = config_file.parent
    docs = root / config.get("docs_dir", "docs")
    extra = config.get("extra") or {}
    audience = extra.get("audience") or "internal"
    plans_dir = root / extra.get("plans_dir", "plans")
    preview = preview_setting(extra.get("preview"))
    plan = load_plan(plans_dir, audience, docs, preview)
    site = plan.organisation.site if plan.organisation else None
    for key in ("logo", "favicon"):
        value = getattr(site, key) if site else None
        problem = missing_site_file(docs, plans_dir, key, value) if value else None
        if problem:
            raise ExportError(f"{problem}; nothing was exported")
    if os.path.lexists(out):
        raise ExportError(f"{out} exists; give a new folder (the export never overwrites)")
    # Written next to its place and renamed at the end: never a half-written export.
    final, out = out, out.parent / f".{out.name}.export-{os.getpid()}"
    shutil.rmtree(out, ignore_errors=True)
    try:
        result = _write(config, text, root, docs, plan, audience, out)
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)
        raise
    out.rename(final)
    return result


def _write(config: dict, text: str, root: Path, docs: Path, plan: Plan, audience: str, out: Path) -> Exported:
    directory_urls = bool(config.get("use_directory_urls", True))
    out_docs = out / "docs"
    out_docs.mkdir(parents=True)

    site = plan.organisation.site if plan.organisation else None
    # Material prints edit links unescaped: the address percent-encoded, as the plugin sets it
    repo = theme_url(site.repository) if site and site.repository else config.get("repo_url")
    edit_uri = _edit_uri(site, docs.name) if site and site.repository else config.get("edit_uri")

    def edit_url(path: str) -> str | None:
        return repository_url(repo, edit_uri, docs.name, path)

    count = 0
    shown: list[tuple[str, str, str | None]] = []  # (page, address, its Markdown) for changes.js
    for rel, src, merged in written_pages(docs, engine_pages()):
        dest = out_docs / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        if src.suffix != ".md":
            shutil.copy2(src, dest)
            continue
        source = merged if merged is not None else src.read_text(encoding="utf-8")
        shown.append((rel, built_url(rel, directory_urls), source))
        meta, body = _split(source)
        if not src.is_relative_to(docs):  # the engine's page: no file of this repository to edit
            meta = {**meta, EDIT_URL: None}
        where = (shown_path(src, root), source[: len(source) - len(body)].count("\n"))
        dest.write_text(_page(plan, rel, meta, body, edit_url, directory_urls, where), encoding="utf-8")
        count += 1
    generated = 0
    for p in record_pages(plan):
        dest = out_docs / p.path
        dest.parent.mkdir(parents=True, exist_ok=True)
        body = PAGE_SOURCE
        meta = {EDIT_URL: edit_url(p.source)}  # "edit this page" opens the YAML the page comes from
        dest.write_text(
            _page(plan, p.path, meta, body, edit_url, directory_urls, (p.path, 0)), encoding="utf-8"
        )
        shown.append((p.path, built_url(p.path, directory_urls), None))
        generated += 1
    # The reading progress of the plugin's build: its stylesheet, scripts and the pages' change times
    (out_docs / CHANGES).parent.mkdir(parents=True, exist_ok=True)
    (out_docs / CHANGES).write_text(site_changes(plan.plans_dir, audience, shown), encoding="utf-8")
    # One theme folder: the engine's overrides, the handbook's own on top of them.
    theme = dict(config.get("theme") or {})
    overrides = theme.get("custom_dir") or "site_overrides"
    shutil.copytree(engine_theme(), out / overrides, dirs_exist_ok=True)
    (out / overrides / ACTIONS).parent.mkdir(parents=True, exist_ok=True)
    (out / overrides / ACTIONS).write_text(_actions(), encoding="utf-8")
    if (root / overrides).is_dir():
        shutil.copytree(root / overrides, out / overrides, dirs_exist_ok=True)
    theme["custom_dir"] = overrides
    nav = config.get("nav") or default_nav()
    extend_nav(nav, plan)
    settings = {
        "data_version": data_version(root),
        "audience_note": audience_note(audience, plan.hidden, plan.preview),
        "audience": audience,
    }
    identity = _identity(plan, theme, docs.name)
    css = list(config.get("extra_css") or [])
    identity["extra_css"] = css if "assets/handbook.css" in css else ["assets/handbook.css", *css]
    if STYLE not in identity["extra_css"]:
        identity["extra_css"].insert(1, STYLE)
    scripts = [str(s) for s in config.get("extra_javascript") or []]
    identity["extra_javascript"] = [*(s for s in (CHANGES, SCRIPT) if s not in scripts), *scripts]
    (out / "mkdocs.yml").write_text(_config(text, nav, glossary(plan), settings, identity), encoding="utf-8")
    return Exported(count + generated, generated)


EDIT_URL = "edit_url"
"""Front matter of an exported page whose "edit this page" is not its own Markdown file: a generated
page's plans file, nothing for an engine page (the plugin sets these on the files it adds)."""

ACTIONS = "partials/actions.html"


def _actions() -> str:
    """Material's edit and view buttons, taking a page's ``edit_url`` from its front matter when it
    has one (Material's own partial, its ``page.edit_url`` replaced)."""
    import material

    text = (Path(material.__file__).parent / "templates" / ACTIONS).read_text(encoding="utf-8")
    given = f'page.meta and "{EDIT_URL}" in page.meta'
    choose = f"{{%- set edit_url = page.meta.{EDIT_URL} if {given} else page.edit_url -%}}\n"
    return choose + text.replace("page.edit_url", "edit_url")


def _split(text: str) -> tuple[dict, str]:
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text
    return (yaml.safe_load(match.group(1) or "") or {}), text[match.end() :]


def _page(
    plan: Plan, rel: str, meta: dict, body: str, edit_url, directory_urls: bool, where: tuple[str, int]
) -> str:
    """A page with its macros rendered, the way mkdocs-macros renders it (strict undefined);
    ``where``: its file as reports show it and the lines of front matter before ``body``."""
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    calls, names = macros(lambda: plan, lambda: rel, directory_urls), variables(plan)
    env.globals.update(calls, **names)
    try:
        rendered = env.from_string(body).render()  # the page's own text: written Markdown, not data
    except Exception as exc:
        error = macro_error(exc, body, where[0], failure_line(exc), where[1], [*calls, *names])
        raise ExportError(
            f"{error.where}: {error.message}; nothing was exported\n  hint: {error.hint}"
        ) from None
    review = review_meta(plan, rel, meta.get("plans"), edit_url)
    if review is not None:
        meta = {**meta, "review": review}
    if not meta:
        return rendered
    head = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    return f"---\n{head}---\n{rendered}"


def _edit_uri(site: Any, docs_name: str) -> str:
    return site.edit_path.rstrip("/") + "/" + docs_name + "/"


def _identity(plan: Plan, theme: dict, docs_name: str) -> dict[str, Any]:
    """Top-level settings from plans/organisation.yml's ``site:``, as the plugin applies them."""
    theme = {**theme, "font": False}
    theme.setdefault("features", features())
    site = plan.organisation.site if plan.organisation else None
    if site is None:
        return {"theme": theme}
    theme["language"] = site.language
    theme["palette"] = [{"scheme": "default", "primary": site.colours.primary, "accent": site.colours.accent}]
    for key in ("logo", "favicon"):
        if getattr(site, key):
            theme[key] = getattr(site, key)
    out: dict[str, Any] = {"site_name": site.name}
    if site.repository:
        out["repo_url"] = theme_url(site.repository)  # Material prints repo_url and repo_name unescaped
        out["repo_name"] = out["repo_url"].rstrip("/").rpartition("/")[2]
        out["edit_uri"] = _edit_uri(site, docs_name)
    return {**out, "theme": theme}


def _config(
    text: str, nav: Any, terms: dict[str, str], settings: dict[str, str], identity: dict[str, Any]
) -> str:
    """mkdocs.yml for the export: no hooks, no plugin of ours, no watch list; docs in docs/; the
    site's identity; the nav with the generated pages; the engine's extensions with the glossary
    for abbr; the footer settings in extra."""
    blocks = _top_level(text)
    keys = {key for key, _ in blocks}
    if "markdown_extensions" not in keys:
        blocks.append(("markdown_extensions", "\n" + block("markdown_extensions")))
    if "nav" not in keys:
        blocks.append(("nav", ""))
    out = []
    for key, text_block in blocks:
        if key in ("hooks", "watch", "INHERIT", *identity):
            continue
        if key == "docs_dir":
            text_block = "docs_dir: docs\n"
        elif key == "nav":
            text_block = "nav:\n" + _indent(yaml.safe_dump(nav, allow_unicode=True, sort_keys=False))
        elif key == "plugins":
            text_block = _drop_item(_drop_item(text_block, "macros"), "handbook")
        elif key == "markdown_extensions":
            text_block = _with_glossary(text_block, terms)
        elif key == "extra":
            text_block = _append(
                _drop_keys(text_block, settings),
                "".join(f"  {k}: {json.dumps(v)}\n" for k, v in settings.items()),
            )
        out.append(text_block)
    head = yaml.safe_dump(identity, allow_unicode=True, sort_keys=False)
    return (
        "# Exported by 'handbook export': the site's identity comes from plans/organisation.yml.\n"
        + head
        + "".join(out)
    )


def _top_level(text: str) -> list[tuple[str | None, str]]:
    """The file cut into top-level blocks: (key, text up to the next top-level key)."""
    blocks: list[tuple[str | None, str]] = []
    for line in text.splitlines(keepends=True):
        match = re.match(r"([A-Za-z_][\w-]*):", line)
        if match or not blocks:
            blocks.append((match.group(1) if match else None, line))
        else:
            key, block = blocks[-1]
            blocks[-1] = (key, block + line)
    return blocks


def _indent(text: str) -> str:
    return "".join(f"  {line}" if line.strip() else line for line in text.splitlines(keepends=True))


def _items(block: str) -> list[str]:
    """The list items of a top-level block (first line kept as its own item)."""
    lines = block.splitlines(keepends=True)
    items = [lines[0]]
    for line in lines[1:]:
        if re.match(r"\s*- ", line) and len(line) - len(line.lstrip()) <= 2:
            items.append(line)
        else:
            items[-1] += line
    return items


def _drop_item(block: str, name: str) -> str:
    return "".join(i for i in _items(block) if not re.match(rf"\s*- {re.escape(name)}\s*(:|#|$)", i))


def _drop_keys(block: str, keys: dict) -> str:
    lines = block.splitlines(keepends=True)
    return "".join(line for line in lines if not any(re.match(rf"\s+{re.escape(k)}\s*:", line) for k in keys))


def _with_glossary(block: str, terms: dict[str, str]) -> str:
    option = f"      glossary: {json.dumps(terms)}\n"
    entry = "  - abbr:\n" + option
    items = _items(block)
    for n, item in enumerate(items):
        if re.match(r"\s*- abbr\s*(:|$)", item):  # in its place: extension order is kept
            items[n] = entry
            return "".join(items)
    return _append(block, entry)


def _append(block: str, text: str) -> str:
    """``text`` at the end of a block's content, before its trailing blank and comment lines."""
    lines = block.splitlines(keepends=True)
    end = len(lines)
    while end > 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return "".join(lines[:end]) + text + "".join(lines[end:])
