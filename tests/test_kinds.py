"""The registry of record kinds: a new kind is one declaration (plus a page template), and it
appears in check, schema, site and diff without another edit anywhere."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
import yaml
from pydantic import Field

from macros.checks.check import check
from macros.data import kinds, labels
from macros.data import models as m
from macros.data.fields import Date, Text, many, ref
from macros.data.kinds import KINDS, Kind, PlansFile
from macros.data.plan import Plan
from macros.data.schema import schema_text
from macros.review.diff import Snapshot, diff, to_markdown
from macros.site import defaults

from .conftest import ROOT
from .site_support import make_project

MINI = ROOT / "tests" / "fixtures" / "mini" / "plans"


class Event(m.Owned):
    """A toy kind: a recurring event the social media team covers."""

    kind: ClassVar[str] = "event"
    name: Text = Field(description="Name of the event.")
    date: Date = Field(description="When it takes place (YYYY-MM-DD).")
    channel: ref("channel") = Field(description="Channel that covers it.")


class EventsFile(m.Model):
    events: many(Event) = Field(description="Events the team covers.")


EVENTS_YML = """\
events:
  - id: open-day
    name: Tag der offenen Tür
    date: 2027-05-08
    channel: {channel}
    owner: {owner}
    reviewed: 2026-11-01
"""

PAGE_TEMPLATE = """\
# {{ record.name }}

Am {{ record.date | date }} berichtet {{ link(plan.get('channel', record.channel)) }}.
"""


@pytest.fixture
def toy_kind(tmp_path: Path) -> Iterator[Kind]:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page_event.md").write_text(PAGE_TEMPLATE, encoding="utf-8")
    with kinds.scoped():
        kinds.declare_file(PlansFile("events", EventsFile, "Veranstaltungen", "Events"))
        yield kinds.declare(
            Kind(
                Event,
                "event",
                "Veranstaltung",
                "Veranstaltungen",
                folder="veranstaltungen",
                templates=templates,
            )
        )
    assert "event" not in KINDS and "events" not in kinds.FILES  # scoped() undid the declarations


def _plans(dest: Path, channel: str) -> Path:
    shutil.copytree(MINI, dest)
    plan = check(dest).plan
    assert plan is not None
    owner = plan.all("role")[0].id
    (dest / "events.yml").write_text(EVENTS_YML.format(channel=channel, owner=owner), encoding="utf-8")
    return dest


def _a_channel() -> str:
    plan = check(MINI).plan
    assert plan is not None
    return plan.all("channel")[0].id


def test_declaration_gives_file_labels_and_page(toy_kind: Kind) -> None:
    assert toy_kind.name == "event"
    assert toy_kind.file == "events"
    assert kinds.label_en("event") == "event"
    assert kinds.german("event", plural=True) == "Veranstaltungen"
    assert kinds.page_path("event", "open-day") == "veranstaltungen/open-day.md"
    assert kinds.kind_of_page("veranstaltungen/open-day.md") == (toy_kind, "open-day")


def test_check_reads_validates_and_resolves_the_new_kind(toy_kind: Kind, tmp_path: Path) -> None:
    channel = _a_channel()
    good = check(_plans(tmp_path / "good", channel))
    assert good.errors == 0, [p.message for p in good.problems]
    assert isinstance(good.plan, Plan)
    event = good.plan.get("event", "open-day")
    assert event.name == "Tag der offenen Tür"
    assert good.plan.referrers(good.plan.get("channel", channel), kind="event") == [event]

    bad = check(_plans(tmp_path / "bad", channel + "x"))
    assert [(Path(p.file).name, p.line, p.message) for p in bad.problems if p.severity == "error"] == [
        ("events.yml", 5, f"unknown channel '{channel}x'")
    ]


def test_schema_has_the_new_file(toy_kind: Kind) -> None:
    schema = json.loads(schema_text("events"))
    assert schema["$id"] == "events.schema.json"
    assert list(schema["properties"]) == ["events"]
    assert schema["$defs"]["Event"]["properties"]["channel"]["description"] == "Channel that covers it."


def test_diff_names_the_new_kind(toy_kind: Kind) -> None:
    channel = _a_channel()
    base_texts = {p.name: p.read_text(encoding="utf-8") for p in MINI.glob("*.yml")}
    owner = check(MINI).plan.all("role")[0].id  # type: ignore[union-attr]
    head_texts = {**base_texts, "events.yml": EVENTS_YML.format(channel=channel, owner=owner)}
    d = diff(Snapshot.load(base_texts), Snapshot.load(head_texts), "main", "HEAD")
    [section] = [s for s in d.sections if s.file == "events.yml"]
    assert section.label == "Events"
    assert [(c.change, c.kind, c.id, c.title) for c in section.changes] == [
        ("added", "event", "open-day", "Tag der offenen Tür")
    ]
    assert "**Added** event *Tag der offenen Tür*" in to_markdown(d, "en")
    markdown = to_markdown(d)
    assert "- **Neu:** Veranstaltung *Tag der offenen Tür* (`open-day`)" in markdown
    assert "- `veranstaltungen/open-day/`\n- `veranstaltungen/`\n" in markdown


def test_site_builds_a_page_per_record_of_the_new_kind(toy_kind: Kind, tmp_path: Path) -> None:
    """In-process build (the declaration lives in this process): page, nav entry and edit link."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    channel = _a_channel()
    project = make_project(tmp_path / "project", _plans(tmp_path / "plans", channel))
    (project / "content" / "veranstaltungen").mkdir()
    (project / "content" / "veranstaltungen" / "index.md").write_text("# Veranstaltungen\n", encoding="utf-8")
    # The engine's navigation and one section for the new kind.
    nav = [*defaults.nav(), {"Veranstaltungen": ["veranstaltungen/index.md"]}]
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as f:
        f.write(yaml.safe_dump({"nav": nav}, allow_unicode=True, sort_keys=False))
    with (project / "plans" / "organisation.yml").open("a", encoding="utf-8") as f:
        f.write("site:\n  repository: https://git.example.invalid/handbuch\n")  # for edit links
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"))
    build(config)
    html = (project / "site" / "veranstaltungen" / "open-day" / "index.html").read_text(encoding="utf-8")
    assert '<h1 id="tag-der-offenen-tür">Tag der offenen Tür' in html
    assert f'Am 8. Mai 2027 berichtet <a href="../../kanaele/{channel}/">' in html
    index = (project / "site" / "veranstaltungen" / "index.html").read_text(encoding="utf-8")
    assert 'href="open-day/"' in index  # the nav entry under its section
    assert "plans/events.yml" in html  # "edit this page" and review box point to the YAML


def test_unknown_kind_is_an_error_not_an_empty_page() -> None:
    with pytest.raises(LookupError, match="unknown kind of record 'chanel'; did you mean 'channel'\\?"):
        kinds.kind("chanel")
    with pytest.raises(LookupError, match="have no page of their own"):
        kinds.page_path("goal", "x")


def test_every_german_label_suggests_its_value() -> None:
    """shape's did-you-mean for German words is derived from the labels, not a second table."""
    for group, values in labels.LABELS.items():
        for value, shown in values.items():
            for text in shown if isinstance(shown, tuple) else (shown,):
                assert value in labels.values_for(text.upper()), (group, value, text)


def test_every_kind_is_declared_and_held_by_a_file() -> None:
    """A record model with a kind but no declaration would have no label, page or section."""
    from macros.data.walk import record_kinds

    held = {k for f in kinds.FILES.values() for k in record_kinds(f.model)}
    assert held == set(KINDS)
    for k in KINDS.values():
        assert (k.folder is not None) + (k.page is not None) + (k.parent is not None) <= 1, k.name
        assert k.title in k.model.model_fields, k.name
