"""Files for other programs, written into the site at build time (without MkDocs):

- ``feed.xml``: an Atom feed (RFC 4287) of the strategy's changes, the entries of the history page
  ("Was sich geändert hat", ``aenderungen/``) for the build's audience and no others: the same
  ``plans_changes`` call, so a record the audience may not see is never named and the commit
  message of a commit that touched one is withheld. Atom needs absolute addresses, so the feed is
  written only when the build knows its published address (``site_url``, ``HANDBOOK_SITE_URL``);
  without it the build says so and writes none, and pages carry no feed link.
- ``seiten.json``: every page with a responsible role: its path, title, owner, last review, due
  date and whether it is overdue, in ISO dates, for dashboards and reminder tools.
"""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from ..data.kinds import kind_of_page, title
from ..data.plan import Plan, today

ATOM = "http://www.w3.org/2005/Atom"
FEED_FILE = "feed.xml"
INDEX_FILE = "seiten.json"
HISTORY_PAGE = "aenderungen/"
NO_SITE_URL = (
    "No Atom feed of the changes: the site's address is not set (site_url in mkdocs.yml, or "
    "HANDBOOK_SITE_URL=https://intranet.example/handbuch/ for the build); a feed needs absolute links"
)


@dataclass(frozen=True)
class PageInfo:
    """What the feeds need of one built page."""

    src_uri: str  # 'zielgruppen/makers.md'
    url: str  # site-relative: 'zielgruppen/makers/'
    title: str
    plans: str | None = None  # a written page's plans file (front matter 'plans:')


def history_of(plan: Plan) -> Any:
    """The history page's entries for this build: the same call, the same audience filter."""
    from ..review.history import plans_changes

    if plan.plans_dir is None:
        return None
    preview = {"preview": True} if getattr(plan, "preview", False) else {}
    return plans_changes(plan.plans_dir, plan.audience, **preview)


def atom_feed(history: Any, site_url: str, site_name: str, as_of: dt.date) -> str:
    """The Atom document: one entry per commit of the history, newest first. ``updated`` is the
    newest commit's time (``as_of`` without one), so the same commit gives the same feed."""
    base = site_url.rstrip("/") + "/"
    page = base + HISTORY_PAGE
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "de"})
    entries = list(history.entries) if history is not None else []
    _text(feed, "id", page)
    _text(feed, "title", f"{site_name}: Änderungen der Strategie")
    _text(feed, "subtitle", "Was sich an der Strategie geändert hat, neueste zuerst.")
    newest = entries[0].time or entries[0].date if entries else as_of.isoformat()
    _text(feed, "updated", _rfc3339(newest, as_of))
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", site_name)
    ET.SubElement(
        feed, f"{{{ATOM}}}link", {"rel": "self", "type": "application/atom+xml", "href": base + FEED_FILE}
    )
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": page})
    for e in entries:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "id", f"{page}#commit-{e.sha}")
        _text(entry, "title", e.subject)
        _text(entry, "updated", _rfc3339(e.time or e.date, as_of))
        who = ET.SubElement(entry, f"{{{ATOM}}}author")
        _text(who, "name", e.author)
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": page})
        _text(entry, "summary", e.summary)
    return ET.tostring(feed, encoding="unicode", xml_declaration=True) + "\n"


def _text(parent: ET.Element, name: str, text: str) -> None:
    # Text that XML cannot hold (control characters from a commit message) is left out.
    clean = "".join(c for c in str(text) if c in "\t\n\r" or (c >= " " and c not in "\ufffe\uffff"))
    ET.SubElement(parent, f"{{{ATOM}}}{name}").text = clean


def _rfc3339(when: str, as_of: dt.date) -> str:
    """A commit's time as git gave it ('2026-10-01T12:03:12Z'); a day alone (no commit, or a
    history without times) as its midnight in UTC ('2026-10-01T00:00:00Z'), ``as_of``'s when git
    gave no day a calendar has."""
    if len(when) != 10:
        return when
    try:
        return dt.date.fromisoformat(when).isoformat() + "T00:00:00Z"
    except ValueError:
        return as_of.isoformat() + "T00:00:00Z"


def page_index(plan: Plan, pages: list[PageInfo], site_url: str = "") -> str:
    """JSON: ``{"as_of": day, "pages": [{path, url, title, owner, owner_role, reviewed, due,
    overdue, source}]}`` for every page with a responsible role, in navigation order."""
    base = site_url.rstrip("/") + "/" if site_url else ""
    rows = []
    for info in pages:
        found = kind_of_page(info.src_uri)
        record = plan.get(found[0].name, found[1]) if found else None
        if record is not None:
            source, name = plan.origin(record).stem, title(record)
        else:
            record = plan.file(info.plans) if info.plans else None
            source, name = info.plans, info.title
        if record is None or not getattr(record, "owner", None):
            continue
        owner = plan.get("role", record.owner)  # None: a role the audience may not see
        due = plan.review_due(record)
        rows.append(
            {
                "path": info.url,
                "url": base + info.url if base else None,
                "title": name,
                "owner": owner.name if owner else None,
                "owner_role": owner.id if owner else None,
                "reviewed": record.reviewed.isoformat(),
                "due": due.isoformat() if due else None,
                "overdue": plan.is_overdue(record),
                "source": f"plans/{source}.yml",
            }
        )
    doc = {"as_of": today().isoformat(), "audience": plan.audience, "pages": rows}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
