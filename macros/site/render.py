"""Render plan data into Markdown fragments, escaped by default.

Fragments are Jinja templates in ``macros/site/templates/``. Every ``{{ … }}`` in
a fragment is escaped for Markdown and HTML unless the value is ``MD`` (already
rendered markup from a helper here). YAML text is only ever a *value* in these
templates, never template source. The escaping functions live in ``escape``.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import jinja2

from ..data import kinds, labels
from ..data.kinds import TEMPLATES, page_path, template_dirs
from ..data.kinds import title as record_title
from ..data.memo import ByIdentity
from ..data.models import superseded
from ..data.plan import Plan, owned_records, today
from .escape import MD, admonition_title, attr, href, internal_href, md, paras
from .incremental import derived
from .theme_cache import compiled


def anchor(record: Any) -> str:
    """The HTML id of a record shown on a page with others: ``<prefix>-<id>``."""
    return f"{kinds.kind(record.kind).anchor}-{record.id}"


def shown_title(plan: Plan, record: Any) -> str:
    """What a record is called on a page: its title, except that a channel whose name another
    channel shares ("Klinik" on two platforms) gets its platform added: "Klinik (LinkedIn)"."""
    name = record_title(record)
    if getattr(record, "kind", None) != "channel":
        return name
    if derived(plan, _name_count, name.strip().casefold()) > 1:
        return f"{name} ({str(record.platform).strip()})"
    return name


def _name_count(plan: Plan, name: str) -> int:
    """How many channels bear ``name`` (case and outer spaces aside): a page depends on the
    names it shows, not on every channel's."""
    return _channel_names.get((plan,), None, _shared_names, plan)[name]


def _shared_names(plan: Plan) -> Counter[str]:
    return Counter(record_title(c).strip().casefold() for c in plan.all("channel"))


_channel_names: ByIdentity[Counter[str]] = ByIdentity(keep=2)  # of the plans of the last build


@lru_cache(maxsize=16384)  # a page links to the same records again and again
def relative_path(path: str, start: str) -> str:
    """``posixpath.relpath(path, start)`` for two docs-relative paths (no ``..``), without asking the
    operating system for the working directory as relpath does on every call (10,000 links at 10x)."""
    to = [part for part in path.split("/") if part not in ("", ".")]
    base = [part for part in start.split("/") if part not in ("", ".")]
    common = 0
    for a, b in zip(to, base, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(base) - common) + to[common:]) or "."


_folder = lru_cache(maxsize=4096)(posixpath.dirname)


class Renderer:
    """Renders fragments for one page of one build."""

    def __init__(self, plan: Plan, page_src: str = "index.md", directory_urls: bool = True):
        self.plan = plan
        self.page_src = page_src
        self.directory_urls = directory_urls  # MkDocs' use_directory_urls
        self.env = _environment()
        # Per-page helpers go into the render context, not into the shared environment.
        self.context: dict[str, Any] = dict(
            plan=plan,
            link=self.link,
            links=self.links,
            url=self.url,
            you=self.you,
            anchor=anchor,
            today=today(),
            title=lambda record: shown_title(plan, record),
            label=lambda group, value: labels.label(group, value, plan.custom_labels),
            duration=lambda value, unit, dative=False: labels.duration(
                value, unit, dative, plan.custom_labels
            ),
            by_slot=by_slot,
            by_priority=by_priority,
            shared_channels=self.shared_channels,
            goal_group_ids=self.goal_group_ids,
            history=self.history,
            total_hours=self.total_hours,
            review_rows=self.review_rows,
        )

    def target(self, record: Any) -> str:
        """Docs-relative target (path#anchor) of a record."""
        k = kinds.kind(record.kind)
        if k.folder:
            return page_path(k.name, record.id)
        if k.parent:
            return f"{self.target(self.plan.parent(record, k.parent))}#{anchor(record)}"
        if k.page is None:
            raise LookupError(f"records of kind '{k.name}' are not shown on any page")
        return f"{k.page}#{anchor(record)}"

    def url(self, record: Any) -> str:
        target = self.target(record)
        path, _, frag = target.partition("#")
        rel = relative_path(path, _folder(self.page_src))
        if path == self.page_src:
            rel = ""
        return rel + (f"#{frag}" if frag else "")

    def you(self, sie: str, du: str) -> MD:
        """The phrase in the handbook's form of address (``site.address``): you('Prüfen Sie', 'Prüf')."""
        organisation = self.plan.organisation
        return MD(du if organisation and organisation.site.address == "du" else sie)

    def link(self, record: Any, text: Any = None) -> MD:
        if record is None:
            return MD("–")  # unknown here, or hidden from this build's audience
        shown = md(text if text is not None else shown_title(self.plan, record))
        return MD(f"[{shown}]({internal_href(self.url(record))})")

    def links(self, records: Iterable[Any], sep: str = ", ") -> MD:
        out = [self.link(r) for r in records]
        return MD(sep.join(out) if out else "–")

    def shared_channels(self, goal: Any, group: Any) -> list[Any]:
        """The goal's active or planned channels that also serve the target group."""
        return [
            c
            for c in self.plan.resolve(goal.channels, "channel")
            if group.id in c.target_groups and c.status in ("active", "planned")
        ]

    def goal_group_ids(self) -> set[str]:
        return {g for goal in self.plan.goals for g in goal.target_groups}

    def total_hours(self) -> float:
        """Weekly hours of all people together (hours per person x holders, at least one)."""
        return sum((r.hours_per_week or 0) * max(1, len(r.holders)) for r in self.plan.roles)

    def history(self) -> Any:
        # One read for incremental rebuilds: the page is rebuilt when the history differs (a commit).
        return derived(self.plan, _history)

    def review_rows(self) -> list[dict[str, Any]]:
        """Every owned record or file: overdue first, then by due date."""
        rows = []
        # One read of what the table needs (owners and dates): an edit of a record's other fields
        # does not rebuild the page under serve, only its title (read through the link) does.
        for stem, kind, rid, owner, reviewed, due, overdue, retired in derived(self.plan, _review_view):
            if kind is not None:
                link = self.link(self.plan.get(kind, rid))
            else:
                target = self.url_to(kinds.FILES[stem].page or "index.md")
                link = MD(f"[{md(kinds.FILES[stem].title)}]({target})")
            rows.append(
                {
                    "link": link,
                    "what": kinds.german(kind) if kind is not None else "Abschnitt",
                    "owner": self.plan.get("role", owner),
                    "reviewed": reviewed,
                    "due": due,
                    "overdue": overdue,
                    "superseded": retired,
                    "source": f"plans/{stem}.yml",
                }
            )
        return sorted(
            rows, key=lambda r: (not r["overdue"], r["superseded"], r["due"] or r["reviewed"], r["source"])
        )

    def site_url(self, record: Any) -> str:
        """The record's address relative to this page as the built site has it: for links in raw
        HTML (charts), which MkDocs does not rewrite from ``.md`` paths as it does Markdown links."""
        path, _, frag = self.target(record).partition("#")
        rel = ""
        if path != self.page_src:
            here, there = built_url(self.page_src, self.directory_urls), built_url(path, self.directory_urls)
            folder = here if here.endswith("/") else posixpath.dirname(here)
            rel = relative_path(there, folder)
            if there.endswith("/"):
                rel += "/"
        return rel + (f"#{frag}" if frag else "")

    def url_to(self, path: str) -> str:
        return "" if path == self.page_src else relative_path(path, _folder(self.page_src))

    def render(self, template: str, **context: Any) -> str:
        try:
            tpl = self.env.get_template(template)
        except jinja2.TemplateNotFound:
            name = template.removesuffix(".md")
            raise LookupError(f"unknown fragment '{name}'; known: {', '.join(fragments())}") from None
        return tpl.render({**self.context, **context}).strip() + "\n"


def fragments() -> tuple[str, ...]:
    """The names ``show()`` takes: the templates that are not a page kind's or a chart's."""
    return tuple(
        sorted(p.stem for p in TEMPLATES.glob("*.md") if not p.stem.startswith(("page_", "visual_")))
    )


def by_priority(records: Iterable[Any]) -> list[Any]:
    order = {"high": 0, "medium": 1, "low": 2}
    return sorted(records, key=lambda r: (order.get(getattr(r, "priority", "medium"), 1), record_title(r)))


def by_slot(slots: Iterable[Any]) -> list[Any]:
    """Editorial slots by weekday (Monday first, none last), then time of day, then title."""
    return sorted(slots, key=lambda s: (*labels.slot_order(s.day, s.time), s.title))


def _custom(context: Any) -> Any:
    """The organisation's custom labels (plans/vocabularies.yml) of the plan being rendered."""
    plan = context.get("plan")
    return plan.custom_labels if plan is not None else None


@jinja2.pass_context
def _label(context: Any, value: Any, group: str) -> MD:
    return md(labels.label(group, value, _custom(context)))


@jinja2.pass_context
def _dur(context: Any, d: Any, dative: bool = False) -> MD:
    return md(labels.duration(d.value, d.unit, dative, _custom(context))) if d else MD("–")


def _finalize(value: Any) -> Any:
    if isinstance(value, MD):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, int | float):
        return labels.number_de(value)
    return md(value)


def _capital(value: Any) -> MD:
    """A label at the start of a sentence or table cell: first letter upper case, the rest kept."""
    return MD(labels.capital(value if isinstance(value, MD) else md(value)))


_ENVS: dict[tuple, jinja2.Environment] = {}


def _environment() -> jinja2.Environment:
    """One environment per set of template folders (a declared kind may bring its own)."""
    dirs = tuple(template_dirs())
    if dirs not in _ENVS:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(dirs),
            undefined=jinja2.StrictUndefined,
            finalize=_finalize,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            bytecode_cache=compiled,
        )
        env.filters.update(
            md=md,
            paras=paras,
            attr=attr,
            title=admonition_title,
            href=href,
            raw_md=MD,
            date=lambda d: MD(labels.date_de(d)),
            dshort=lambda d: MD(labels.date_short(d)),
            num=lambda n: MD(labels.number_de(n)),
            eur=lambda n: MD(labels.euro_de(n)),
            label=_label,
            capital=_capital,
            dur=_dur,
            when=lambda slot: MD(md(labels.day_time(slot.day, slot.time)) or "–"),
            indent4=lambda text: MD(re.sub(r"(?m)^(?=.)", "    ", str(text))),
        )
        env.tests["superseded"] = superseded
        env.globals.update(
            plural=lambda count, one, many: MD(labels.plural(count, md(one), md(many))),
            responsibility=lambda kind, form: MD(labels.responsibility(kind, form)),
        )
        _ENVS[dirs] = env
    return _ENVS[dirs]


def _history(plan: Plan) -> Any:
    """The git history of the plans as the plan's audience may see it."""
    from ..review.history import History, plans_changes

    if plan.plans_dir is None:
        return History(note="Für diese Ausgabe ist keine Git-Historie verfügbar.")
    return plans_changes(plan.plans_dir, plan.audience, preview=plan.preview)


def built_url(src: str, directory_urls: bool = True) -> str:
    """The address MkDocs gives the page built from ``src`` (a docs path), relative to the site
    root (``File.url``): 'a/b.md' -> 'a/b/' (or 'a/b.html'), 'a/index.md' -> 'a/', 'index.md' -> './'."""
    stem = src.removesuffix(".md")
    if posixpath.basename(stem) in ("index", "README"):
        folder = posixpath.dirname(stem)
        if not directory_urls:
            return f"{folder}/index.html" if folder else "index.html"
        return f"{folder}/" if folder else "./"
    return f"{stem}/" if directory_urls else f"{stem}.html"


def _review_view(plan: Plan) -> list[tuple]:
    """(plans file, kind, id, owner, reviewed, due, overdue, superseded) of every owned record or
    file (kind and id None for a file; due None for a superseded text)."""
    return [
        (
            stem,
            getattr(record, "kind", None),
            getattr(record, "id", None) if hasattr(record, "kind") else None,
            record.owner,
            record.reviewed,
            plan.review_due(record),
            plan.is_overdue(record),
            superseded(record),
        )
        for stem, record in owned_records(plan)
    ]
