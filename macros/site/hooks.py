"""MkDocs hook (listed under ``hooks:`` in mkdocs.yml): the thin glue between
the core and MkDocs. Loads plans once per build, adds a generated page per
record, fills page metadata for the theme and passes the glossary to the abbr extension."""

from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path
from urllib.parse import urljoin

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from macros.data import labels
from macros.data.kinds import kind_of_page, page_kinds, page_path, title
from macros.data.labels import date_de
from macros.data.plan import Plan, SettingError, today
from macros.site.build import PlanError, current_plan, data_version, load_plan
from macros.site.escape import md, one_line, tooltip
from macros.site.pages import page_source


def _plans_dir(config: MkDocsConfig) -> Path:
    root = Path(config.config_file_path).parent
    return root / config.extra.get("plans_dir", "plans")


def _plan(config: MkDocsConfig) -> Plan:
    """The plan for this build's audience (loaded and checked once per build)."""
    docs = Path(config.docs_dir)
    return load_plan(_plans_dir(config), config.extra.get("audience", "internal"), docs)


@event_priority(100)  # before mkdocs-macros calls define_env
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    try:
        plan = _plan(config)
    except (PlanError, SettingError) as exc:
        raise PluginError(str(exc)) from None
    config.extra["data_version"] = data_version(Path(config.config_file_path).parent)
    config.extra["audience_note"] = _audience_note(config.extra.get("audience", "internal"), plan.hidden)
    _extend_nav(config, plan)
    _glossary(config, plan)
    return config


def _glossary(config: MkDocsConfig, plan: Plan) -> None:
    """Glossary tooltips on every page: terms go to the abbr extension as data (its ``glossary``
    option), never as Markdown definition lines, so no term or definition can become markup."""
    glossary = {}
    for term in plan.terms:
        definition = tooltip(term.definition)
        for word in [term.term, *term.aliases]:
            if one_line(word) == word:  # a term with a line break can never match text anyway
                glossary[word] = definition
    if "abbr" not in config.markdown_extensions:
        config.markdown_extensions.append("abbr")
    config.mdx_configs.setdefault("abbr", {})["glossary"] = glossary


def _audience_note(audience: str, hidden: int) -> str:
    label = labels.label("visibility", audience)
    if not hidden:
        return f"Ausgabe: {label}"
    entries = "1 Eintrag" if hidden == 1 else f"{hidden} Einträge"
    return f"Ausgabe: {label}, {entries} mit engerem Leserkreis ausgeblendet"


def _extend_nav(config: MkDocsConfig, plan: Plan) -> None:
    """Add each generated page under the nav section whose index is its folder."""

    def visit(items: list) -> None:
        for item in items:
            if not isinstance(item, dict):
                continue
            for value in item.values():
                if isinstance(value, list):
                    for section in page_kinds():
                        index = f"{section.folder}/index.md"
                        if index in value or any(isinstance(v, dict) and index in v.values() for v in value):
                            for record in plan.all(section.name):
                                # The theme prints nav titles unescaped, and mkdocs-macros renders
                                # any page title holding '{{' or '{%' as Jinja: markup and template
                                # characters become entities, so data stays inert text.
                                entry = {md(title(record)): page_path(section.name, record.id)}
                                if entry not in value:
                                    value.append(entry)
                    visit(value)

    if config.nav:
        visit(config.nav)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    plan = current_plan()  # loaded and checked in on_config
    for section in page_kinds():
        for record in plan.all(section.name):
            path = page_path(section.name, record.id)
            if files.get_file_from_path(path) is not None:
                raise PluginError(
                    f"{Path(config.docs_dir).name}/{path} clashes with the page generated for "
                    f"{section.label} '{record.id}'; choose another id in plans/{section.file}.yml"
                )
            file = File.generated(config, path, content=page_source(section.name, record.id))
            # "Edit this page" opens the YAML the page comes from.
            file.edit_uri = _from_docs(config, f"plans/{section.file}.yml")
            files.append(file)
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Review status for the theme, and glossary tooltips (runs after macros)."""
    plan = current_plan()
    record = _record_of(page, plan)
    stem = plan.origin(record).stem if record is not None else page.meta.get("plans")
    if record is None and stem:
        record = plan.file(stem)
    if record is not None and getattr(record, "owner", None):
        owner = plan.get("role", record.owner)
        due = plan.review_due(record)
        page.meta["review"] = {
            # A hidden owner (narrower audience than this build) is not named, not even by id.
            "owner": owner.name if owner else "–",
            "reviewed": date_de(record.reviewed),
            "due": date_de(due),
            "overdue": plan.is_overdue(record),
            "today": date_de(today()),
            "source": f"plans/{stem}.yml",
            "source_url": _edit_url(config, f"plans/{stem}.yml"),
        }
    return markdown


def _edit_url(config: MkDocsConfig, path: str) -> str | None:
    """Where to edit a repository file, next to the pages' own edit links."""
    if not config.repo_url or not config.edit_uri:
        return None
    base = config.repo_url.rstrip("/") + "/" + config.edit_uri.lstrip("/")
    return urljoin(base, _from_docs(config, path))


def _from_docs(config: MkDocsConfig, path: str) -> str:
    """A repository path as seen from the docs folder (edit links are relative to it)."""
    return posixpath.relpath(path, Path(config.docs_dir).name)


def _record_of(page: Page, plan: Plan):
    found = kind_of_page(page.file.src_uri)
    return plan.get(found[0].name, found[1]) if found else None


_TASK = re.compile(
    r'(<label class="task-list-control">)<input type="checkbox"([^>]*)/>'
    r'(<span class="task-list-indicator"></span></label>)(.*?)(?=</li>|<ul|<ol|<p>|$)',
    re.DOTALL,
)
_TAGS = re.compile(r"<[^>]+>")


def _label_task(match: re.Match) -> str:
    text = " ".join(html.unescape(_TAGS.sub("", match.group(4))).split())
    label = html.escape(text or "Aufgabe", quote=True)
    return (
        f'{match.group(1)}<input type="checkbox"{match.group(2)} aria-label="{label}"/>'
        f"{match.group(3)}{match.group(4)}"
    )


_HEADING_OR_LINK = re.compile(r"<(h[1-6]|a)\b[^>]*>.*?</\1>", re.DOTALL)
_ABBR = re.compile(r"<abbr title=\"[^\"]*\">(.*?)</abbr>", re.DOTALL)


def on_page_content(html_text: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Task-list checkboxes are named by their task; glossary tooltips stay out of headings
    and links (a term there would be underlined twice and its tooltip fight the link)."""
    html_text = _TASK.sub(_label_task, html_text)
    _unique_ids(html_text, page)
    return _HEADING_OR_LINK.sub(lambda m: _ABBR.sub(r"\1", m.group(0)), html_text)


_ID = re.compile(r"""<[a-zA-Z][^>]*?\sid=["']([^"']+)["']""")


def _unique_ids(html_text: str, page: Page) -> None:
    """A link to an anchor that exists twice lands on the wrong one: stop the build instead.
    ``handbook check`` reports the clashes it can foresee (ids against hand-written anchors)."""
    seen: set[str] = set()
    for anchor in _ID.findall(html_text):
        if anchor in seen:
            raise PluginError(
                f"{page.file.src_uri}: the anchor '#{anchor}' exists twice on this page; "
                "rename the heading or the record id that produces it"
            )
        seen.add(anchor)


_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Accessibility: Material's search dialog gets a name."""
    return output.replace(_SEARCH_DIALOG, _SEARCH_DIALOG[:-1] + ' aria-label="Suche">')
