"""What the handbook adds to the written pages, without MkDocs: one generated page per record, the
nav entries for them, each page's review metadata, the glossary for tooltips and the footer notes.

The MkDocs hooks (``hooks.py``) and the renderer-neutral export (``export.py``) both call these, so
a renderer without MkDocs' hooks gets the same pages. Where pages live is declared in
``macros.data.kinds``.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from ..data import labels
from ..data.kinds import kind_of_page, page_kinds, page_path
from ..data.plan import Plan, today
from ..data.positions import one_line
from .escape import md, tooltip
from .incremental import derived
from .render import shown_title


@dataclass(frozen=True)
class RecordPage:
    """A page generated for one record."""

    path: str  # docs-relative: '<folder>/<id>.md'
    kind: str
    id: str
    title: str  # nav title, escaped: the theme prints it unescaped
    source: str  # the plans file it comes from, e.g. 'plans/target-groups.yml'


PAGE_SOURCE = "{{ record_page() }}\n"
"""The Markdown source of every generated page: one macro call that renders the page's record (found
by its path), so no YAML text ever reaches Jinja as template source, and the text is compiled once."""


def record_pages(plan: Plan) -> Iterator[RecordPage]:
    for k in page_kinds():
        for record in plan.all(k.name):
            # The theme prints nav titles unescaped, and mkdocs-macros renders any page title
            # holding '{{' or '{%' as Jinja: markup and template characters become entities.
            yield RecordPage(
                page_path(k.name, record.id),
                k.name,
                record.id,
                str(md(shown_title(plan, record))),
                f"plans/{k.file}.yml",
            )


def extend_nav(nav: list, plan: Plan) -> None:
    """Add each generated page under the nav section whose index is its folder (in place)."""
    by_kind: dict[str, list[dict[str, str]]] = {}
    for p in record_pages(plan):
        by_kind.setdefault(p.kind, []).append({p.title: p.path})

    def visit(items: list) -> None:
        for item in items:
            if not isinstance(item, dict):
                continue
            for value in item.values():
                if isinstance(value, list):
                    listed = {str(v) for v in value}  # an entry already there stays once
                    for k in page_kinds():
                        index = f"{k.folder}/index.md"
                        if index in value or any(isinstance(v, dict) and index in v.values() for v in value):
                            value.extend(e for e in by_kind.get(k.name, []) if str(e) not in listed)
                    visit(value)

    visit(nav)


def glossary(plan: Plan) -> dict[str, str]:
    """Term -> tooltip for the abbr extension's ``glossary`` option: data, never Markdown lines,
    so no term or definition can become markup."""
    out = {}
    for term in plan.terms:
        definition = tooltip(term.definition)
        for word in [term.term, *term.aliases]:
            if one_line(word) == word:  # a term with a line break can never match text anyway
                out[word] = definition
    return out


def audience_note(audience: str, hidden: int, preview: bool = False) -> str:
    label = labels.label("visibility", audience)
    if preview:
        label += ", Vorschau mit Entwürfen"
    if not hidden:
        return f"Ausgabe: {label}"
    entries = "1 Eintrag" if hidden == 1 else f"{hidden} Einträge"
    return f"Ausgabe: {label}, {entries} mit engerem Leserkreis ausgeblendet"


def review_meta(
    plan: Plan, src_uri: str, plans_stem: str | None, edit_url: Callable[[str], str | None]
) -> dict[str, Any] | None:
    """The review box of a page: owner, last review, due date, the YAML it comes from.

    A generated page shows its record's; a written page names its plans file in its front matter
    (``plans: crisis``) and shows that file's owner and review date.
    """
    found = kind_of_page(src_uri)
    record = plan.get(found[0].name, found[1]) if found else None
    stem = derived(plan, _origin_stem, record) if record is not None else plans_stem
    if record is None and stem:
        record = plan.file(stem)
    if record is None or not getattr(record, "owner", None):
        return None
    owner = plan.get("role", record.owner)
    review = {
        # A hidden owner (narrower audience than this build) is not named, not even by id.
        "owner": owner.name if owner else "–",
        "reviewed": labels.date_de(record.reviewed),
        "due": labels.date_de(plan.review_due(record)),
        "overdue": plan.is_overdue(record),
        "today": labels.date_de(today()),
        "source": f"plans/{stem}.yml",
        "source_url": edit_url(f"plans/{stem}.yml"),
    }
    approval = getattr(record, "approval", None)
    if approval is not None:
        review["approval"] = approval_meta(plan, approval)
    return review


def approval_meta(plan: Plan, approval: Any) -> dict[str, Any]:
    """The approval part of a review box: status (value and German label) and one line per
    approval, oldest first: 'Freigegeben von Betriebsrat am 12.03.2026'."""
    given = []
    for entry in sorted(approval.approvals, key=lambda e: e.on):
        body = plan.find(entry.by, "role", "expert")  # hidden from this build: not named
        given.append(f"Freigegeben von {body.name if body else '–'} am {labels.date_short(entry.on)}")
    return {
        "status": approval.status,
        "label": labels.capital(labels.label("approval", approval.status)),
        "approvals": given,
    }


def _origin_stem(plan: Plan, record: Any) -> str:
    """The plans file a record comes from (a page depends on that, not on the record's line)."""
    return plan.origin(record).stem


def repository_url(repo_url: str | None, edit_uri: str | None, docs_dir_name: str, path: str) -> str | None:
    """Where to edit a repository file, next to the pages' own edit links."""
    if not repo_url or not edit_uri:
        return None
    return urljoin(repo_url.rstrip("/") + "/" + edit_uri.lstrip("/"), from_docs(docs_dir_name, path))


def from_docs(docs_dir_name: str, path: str) -> str:
    """A repository path as seen from the docs folder (edit links are relative to it)."""
    return posixpath.relpath(path, docs_dir_name)
