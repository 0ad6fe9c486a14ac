"""The ``handbook`` MkDocs plugin (``plugins: [handbook]``): the engine as an installed package.

It adds what a handbook repository does not have to carry itself: the engine's written pages (a
page of the handbook's own ``content/`` replaces one, or only some of its sections), the engine's
theme overrides, Markdown extensions and default navigation, and the site's identity from
``plans/organisation.yml`` (``site:``). The work is done by ``hooks`` (plans, generated pages)
and ``publish`` (atomic site swap); this class wires them to MkDocs' events.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils.yaml import get_yaml_loader
from mkdocs_macros.plugin import MacrosPlugin

from ..data.bundle import engine_pages, engine_theme, missing_site_file
from ..data.gc_thresholds import collect_less
from ..data.kinds import kind_of_page
from ..data.plan import Plan, today
from . import defaults, hooks, incremental, pdf, progress, publish, theme_cache, watch
from .build import current_plan
from .escape import theme_url
from .macros_api import variables
from .overlay import OverlayError, written_pages
from .page_macros import MacroError, compile_once

log = logging.getLogger("mkdocs.plugins.handbook")


class HandbookPlugin(BasePlugin):
    def on_startup(self, *, command: str, dirty: bool) -> None:
        publish.on_startup(command, dirty)
        # PDFs only when the site is published (mkdocs build), not under serve; HANDBOOK_PDF=0 skips them
        self._pdf = command == "build" and os.environ.get("HANDBOOK_PDF", "1") != "0"
        self._sections: list[pdf.Section] = []
        self._serving = command == "serve"
        incremental.on_startup(command, dirty)
        collect_less()

    @event_priority(100)  # before mkdocs-macros (define_env) and search (language)
    def _load(self, config: MkDocsConfig) -> MkDocsConfig:
        theme_cache.fast_theme(config)
        if config.nav is None:
            config.nav = defaults.nav()
        _engine_defaults(config)
        # loads the plans; the glossary goes to abbr's options
        config = hooks.on_config(config, getattr(self, "_serving", False))
        _identity(config)
        return config

    @event_priority(-100)
    def _publish(self, config: MkDocsConfig) -> MkDocsConfig:
        return publish.on_config(config)

    on_config = CombinedEvent(_load, _publish)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        _linear_search_index(config)  # the search index exists once every on_config has run
        _engine_pages(files, config)
        files = hooks.on_files(files, config)
        _changes(files, config)
        self._macro_failures: list[MacroError] = []
        if isinstance(config.plugins.get("macros"), MacrosPlugin):  # its environment exists now
            _page_macros(config.plugins["macros"], config, self._macro_failures)
        return files

    @event_priority(-100)  # after every other plugin's files: decides which pages to render
    def on_nav(self, nav: Any, *, config: MkDocsConfig, files: Files) -> Any:
        incremental.on_nav(config, files, hooks._plans_dir(config))
        self._pages = list(nav.pages)  # for the page index and the feed
        self._nav = nav
        self._sections = pdf.sections(nav.items)
        return nav

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if not getattr(self, "_pdf", False):
            return html  # no PDFs in this build (serve, HANDBOOK_PDF=0): no links to them
        return html + pdf.links(self._sections, page.file.dest_uri)  # links to the PDFs

    @event_priority(100)
    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        incremental.on_env(env, config, files)
        return env

    def _page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        return hooks.on_page_markdown(markdown, page, config, files)

    @event_priority(-100)  # after mkdocs-macros has rendered the page
    def _macro_failure(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        failures = getattr(self, "_macro_failures", [])
        if failures:
            error = failures[0]
            failures.clear()
            raise PluginError(str(error))
        return markdown

    on_page_markdown = CombinedEvent(_page_markdown, _macro_failure)

    @event_priority(50)  # before search writes its index
    def _search_index(self, *, config: MkDocsConfig) -> None:
        incremental.on_post_build(config)

    @event_priority(-50)  # after every writer of pages, before the site is published
    def _pdfs(self, *, config: MkDocsConfig) -> None:
        if getattr(self, "_pdf", False):
            _write_pdfs(config, pdf.sections(self._nav.items))

    @event_priority(-40)  # after the pages are written, before the site is published
    def _feeds(self, *, config: MkDocsConfig) -> None:
        _write_feeds(config, getattr(self, "_pages", []))

    @event_priority(-100)
    def _publish_site(self, *, config: MkDocsConfig) -> None:
        publish.on_post_build(config)

    on_post_build = CombinedEvent(_search_index, _feeds, _pdfs, _publish_site)

    def on_build_error(self, *, error: Exception) -> None:
        incremental.on_build_error()
        publish.on_build_error(error)

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Callable[..., Any]) -> Any:
        watch.notify_changes(server)
        return server

    def on_shutdown(self) -> None:
        publish.on_shutdown()


def _page_macros(macros: MacrosPlugin, config: MkDocsConfig, failures: list[MacroError]) -> None:
    """Page texts compiled once; a failing macro names its page, line and column (page_macros)."""
    root = Path(config.config_file_path).parent

    def known() -> list[str]:
        return [*macros.macros, *variables(current_plan())]

    def page() -> Any:
        return getattr(macros, "page", None)

    compile_once(macros.env, page, root, known, failures, theme_cache.compiled)


def _identity(config: MkDocsConfig) -> None:
    """Name, language, colours, logo and repository links from plans/organisation.yml's ``site:``."""
    plan = current_plan()
    organisation = plan.organisation
    if organisation is None:
        return
    site = organisation.site
    config.site_name = site.name
    config.theme["language"] = site.language
    config.theme["palette"] = [
        {"scheme": "default", "primary": site.colours.primary, "accent": site.colours.accent}
    ]
    for key, value in (("logo", site.logo), ("favicon", site.favicon)):
        if value is not None:
            problem = missing_site_file(Path(config.docs_dir), _plans(config, plan), key, value)
            if problem:
                raise PluginError(problem)
            config.theme[key] = value
    if site.repository is not None:
        config.repo_url = theme_url(site.repository)  # Material prints repo_url and repo_name unescaped
        config.repo_name = config.repo_url.rstrip("/").rpartition("/")[2]
        config.edit_uri = site.edit_path.rstrip("/") + "/" + Path(config.docs_dir).name + "/"


def _write_pdfs(config: MkDocsConfig, sections: list[pdf.Section]) -> None:
    """The whole handbook and each main section as PDF, into the site being built."""
    organisation = current_plan().organisation
    cover = pdf.Cover(
        site_name=config.site_name,
        organisation=organisation.company.name if organisation else None,
        data_version=config.extra.get("data_version", ""),
        audience_note=config.extra.get("audience_note", ""),
    )
    started = time.perf_counter()
    try:
        result = pdf.write_pdfs(Path(config.site_dir), sections, cover)
    except pdf.MissingLibraries as exc:
        raise PluginError(str(exc)) from None
    log.info(
        f"Wrote {len(result.pages)} PDFs ({sum(result.pages.values())} pages) "
        f"in {time.perf_counter() - started:.1f} s"
    )


def _write_feeds(config: MkDocsConfig, pages: list[Page]) -> None:
    """The page index (JSON) and, with a site address, the Atom feed of the changes (macros/site/feeds.py)."""
    from . import feeds

    plan = current_plan()
    site = Path(config.site_dir)
    infos = [feeds.PageInfo(p.file.src_uri, p.url, p.title or "", (p.meta or {}).get("plans")) for p in pages]
    index = feeds.page_index(plan, infos, config.site_url or "")
    (site / feeds.INDEX_FILE).write_text(index, encoding="utf-8")
    if not config.site_url:
        # Not a warning: --strict would fail every local build, which has no address to give.
        log.info(feeds.NO_SITE_URL)
        return
    feed = feeds.atom_feed(feeds.history_of(plan), config.site_url, config.site_name, today())
    (site / feeds.FEED_FILE).write_text(feed, encoding="utf-8")


def _plans(config: MkDocsConfig, plan: Plan) -> Path:
    return plan.plans_dir or Path(config.config_file_path).parent / config.extra.get("plans_dir", "plans")


def _linear_search_index(config: MkDocsConfig) -> None:
    """Material's search plugin looks up each section of a page in the page's table of contents
    by walking it from the start: quadratic in the headings of a page (a glossary of 5,000 terms
    took minutes). Give it a lookup by id, built once per page, with the same result (the first
    entry with that id, depth first)."""
    search = config.plugins.get("material/search") or config.plugins.get("search")
    index_of_search = getattr(search, "search_index", None)
    if not hasattr(index_of_search, "_find_toc_by_id"):
        return
    index_of_search._find_toc_by_id = toc_finder()


def toc_finder() -> Callable[[Any, str | None], Any]:
    """``find(toc, id)``: the first entry of ``toc`` with that id, depth first, or None; one pass
    over a table of contents indexes it for every later lookup in it."""
    current: list = [None, {}]  # the table of contents indexed last, and its index

    def find(toc: Any, id_: str | None) -> Any:
        if current[0] is not toc:
            index: dict = {}
            stack = list(reversed(list(toc)))
            while stack:
                item = stack.pop()
                index.setdefault(item.id, item)
                stack.extend(reversed(list(item.children)))
            current[:] = [toc, index]
        return current[1].get(id_)

    return find


def _engine_defaults(config: MkDocsConfig) -> None:
    """What every handbook needs from the theme and Markdown, unless mkdocs.yml says otherwise."""
    theme_dir = str(engine_theme())
    if theme_dir not in config.theme.dirs:
        custom = 1 if config.theme.custom_dir else 0
        config.theme.dirs.insert(custom, theme_dir)
    config.theme["font"] = False  # no Google Fonts: the intranet makes no third-party request
    if not config.theme.get("features"):
        config.theme["features"] = defaults.features()
    if "assets/handbook.css" not in config.extra_css:
        config.extra_css.insert(0, "assets/handbook.css")
    if progress.STYLE not in config.extra_css:
        config.extra_css.insert(1, progress.STYLE)
    scripts = [str(s) for s in config.extra_javascript]
    for position, script in enumerate((progress.CHANGES, progress.SCRIPT)):
        if script not in scripts:
            config.extra_javascript.insert(position, script)
    loaded = yaml.load(defaults.text(), Loader=get_yaml_loader())
    wanted = defaults.extensions(loaded)
    if not any("markdown_extensions" in c for c in config.user_configs):
        config.markdown_extensions = list(wanted)  # instead of MkDocs' own default list
        config.mdx_configs = {name: options for name, options in wanted.items() if options}
        return
    for name, options in wanted.items():
        if name not in config.markdown_extensions:
            config.markdown_extensions.append(name)
        if options and name not in config.mdx_configs:
            config.mdx_configs[name] = options


def _changes(files: Files, config: MkDocsConfig) -> None:
    """``assets/changes.js``: when each page's data last changed, for "changed since your last visit"."""
    plan = current_plan()
    pages = (
        (f.src_uri, f.url, None if kind_of_page(f.src_uri) else f.content_string)
        for f in files.documentation_pages()
    )
    text = progress.site_changes(plan.plans_dir, plan.audience, pages)
    old = files.get_file_from_path(progress.CHANGES)
    if old is not None:
        files.remove(old)
    files.append(File.generated(config, progress.CHANGES, content=text))


def _engine_pages(files: Files, config: MkDocsConfig) -> None:
    """Add each engine page the handbook has no page of its own for; merge section overrides."""
    docs = Path(config.docs_dir)
    try:
        for uri, path, merged in written_pages(docs, engine_pages()):
            own = files.get_file_from_path(uri)
            if merged is not None and own is not None:
                file = File.generated(config, uri, content=merged)
                file.edit_uri = own.edit_uri  # the handbook's own page
                files.remove(own)
                files.append(file)
            elif own is None and not path.is_relative_to(docs):
                file = File(uri, str(engine_pages()), config.site_dir, config.use_directory_urls)
                file.edit_uri = None  # the engine's page: not a file of this repository
                files.append(file)
    except OverlayError as exc:
        raise PluginError(f"{docs.name}/{exc.path}:{exc.line}:1: {exc}") from None
