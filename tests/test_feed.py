"""The Atom feed of the strategy's changes and the JSON page index that a build writes into the site.

The feed is valid Atom (RFC 4287: the required elements, RFC 3339 dates), holds exactly the rows of
the history page of its build, and never a record, id or commit message its audience may not see
(the project of tests/test_audiences.py, with confidential and internal records added, renamed
and deleted in git history). Without a site address there is no feed and no feed link.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from macros.review.history import WITHHELD, Entry, History
from macros.site.feeds import atom_feed

from .site_support import build, edit, git, make_project, page, visible_text
from .test_audiences import CONFIDENTIAL, INTERNAL, MINI, _add_hidden_things, _found

A = "{http://www.w3.org/2005/Atom}"
SITE_URL = "https://intranet.example/handbuch/"
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("feeds")
    project = make_project(root / "p", MINI)
    plans = project / "plans"
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "plans")
    git(project, "commit", "-qm", "Strategie angelegt")
    _add_hidden_things(plans)
    git(project, "commit", "-qam", "BETREFF-MARKE hinzugefügt")
    edit(plans / "goals.yml", "  - id: geheimziel-xq1\n", "  - id: geheimziel-xq9\n")
    git(project, "commit", "-qam", "Umbenannt")
    edit(plans / "goals.yml", "target: 300", "target: 450")
    git(project, "commit", "-qam", "Ziel angehoben & <b>geschärft</b>")
    out = {}
    for audience in ("public", "internal", "confidential"):
        env = {"HANDBOOK_AUDIENCE": audience, "HANDBOOK_SITE_URL": SITE_URL}
        result = build(project, "-d", str(root / audience), env=env)
        assert result.returncode == 0, result.stderr
        out[audience] = root / audience
    result = build(project, "-d", str(root / "no-address"), env={"HANDBOOK_SITE_URL": ""})
    assert result.returncode == 0, result.stderr
    assert "No Atom feed of the changes: the site's address is not set" in result.stderr
    out["no-address"] = root / "no-address"
    return out


def _feed(site: Path) -> ET.Element:
    return ET.parse(site / "feed.xml").getroot()


def _assert_atom(feed: ET.Element) -> None:
    """The elements RFC 4287 requires of a feed and of each entry, with RFC 3339 dates."""
    assert feed.tag == f"{A}feed"
    for element in (feed, *feed.findall(f"{A}entry")):
        for name in ("id", "title", "updated"):
            assert len(element.findall(f"{A}{name}")) == 1, name
            assert (element.findtext(f"{A}{name}") or "").strip(), name
        assert RFC3339.fullmatch(element.findtext(f"{A}updated") or "")
        dt.datetime.fromisoformat(element.findtext(f"{A}updated").replace("Z", "+00:00"))  # type: ignore[union-attr]
        assert element.findtext(f"{A}id").startswith(SITE_URL)  # type: ignore[union-attr]
        links = element.findall(f"{A}link")
        assert any(
            link.get("rel") == "alternate" and link.get("href", "").startswith(SITE_URL) for link in links
        )
    # Every entry has an author (its own here, the feed's would do too).
    assert feed.find(f"{A}author/{A}name") is not None
    for entry in feed.findall(f"{A}entry"):
        assert (entry.findtext(f"{A}author/{A}name") or "").strip()
    ids = [e.findtext(f"{A}id") for e in feed.findall(f"{A}entry")]
    assert len(ids) == len(set(ids))
    self_links = [link.get("href") for link in feed.findall(f"{A}link") if link.get("rel") == "self"]
    assert self_links == [SITE_URL + "feed.xml"]


@pytest.mark.parametrize("audience", ["public", "internal", "confidential"])
def test_the_feed_is_atom_and_holds_the_history_page_of_its_build(
    sites: dict[str, Path], audience: str
) -> None:
    feed = _feed(sites[audience])
    _assert_atom(feed)
    entries = feed.findall(f"{A}entry")
    history = "".join(visible_text(page(sites[audience], "aenderungen")).split())  # cells without spaces
    assert len(entries) == 4
    for entry in entries:
        assert "".join((entry.findtext(f"{A}title") or "").split()) in history
        assert "".join((entry.findtext(f"{A}summary") or "").split()) in history
    if audience == "public":  # the goal is internal: changed, counted, the message withheld
        assert entries[0].findtext(f"{A}title") == WITHHELD
        assert entries[0].findtext(f"{A}summary") == "1 Eintrag mit engerem Leserkreis geändert"
    else:
        assert entries[0].findtext(f"{A}title") == "Ziel angehoben & <b>geschärft</b>"  # text, parsed back
        assert entries[0].findtext(f"{A}summary") == "Ziel „Mehr Reichweite“ geändert: Zielwert"
    assert entries[-1].findtext(f"{A}title") == "Strategie angelegt"
    # the commits' times (tests.site_support.git commits at one fixed moment), not their midnight
    updated = [e.findtext(f"{A}updated") for e in (feed, *entries)]
    assert updated == ["2026-10-01T08:00:00Z"] * 5  # 10:00 at +02:00


@pytest.mark.parametrize("audience", ["public", "internal"])
def test_nothing_hidden_from_the_audience_is_in_its_feed_or_index(
    sites: dict[str, Path], audience: str
) -> None:
    site = sites[audience]
    text = (site / "feed.xml").read_text(encoding="utf-8") + (site / "seiten.json").read_text(
        encoding="utf-8"
    )
    hidden = CONFIDENTIAL + (INTERNAL if audience == "public" else [])
    assert [m for m in hidden if m.lower() in text.lower()] == []
    assert _found(site, hidden) == {}  # nor in any other file of the build
    titles = [e.findtext(f"{A}title") for e in _feed(site).findall(f"{A}entry")]
    assert (
        titles[2] == "(Commit-Nachricht ausgeblendet: die Änderung betrifft Einträge mit engerem Leserkreis)"
    )


def test_the_confidential_feed_names_what_the_others_hide(sites: dict[str, Path]) -> None:
    """The markers are real: the build that may see them has them in its feed."""
    text = (sites["confidential"] / "feed.xml").read_text(encoding="utf-8")
    assert "BETREFF-MARKE hinzugefügt" in text
    assert "geheimziel-xq1" in text or "GEHEIMZIEL-MARKE" in text


def test_pages_link_the_feed_only_when_there_is_one(sites: dict[str, Path]) -> None:
    link = (
        '<link rel="alternate" type="application/atom+xml" '
        'title="Social-Media-Handbuch: Änderungen der Strategie" href="../../feed.xml">'
    )
    assert link in page(sites["internal"], "zielgruppen/makers")
    assert not (sites["no-address"] / "feed.xml").exists()
    assert "application/atom+xml" not in page(sites["no-address"], "zielgruppen/makers")
    assert (sites["no-address"] / "seiten.json").is_file()  # the index needs no address


def test_the_page_index_names_owner_review_and_due_date(sites: dict[str, Path]) -> None:
    internal = json.loads((sites["internal"] / "seiten.json").read_text(encoding="utf-8"))
    rows = {row["path"]: row for row in internal["pages"]}
    assert internal["audience"] == "internal"
    assert rows["strategie/"] == {
        "path": "strategie/",
        "url": SITE_URL + "strategie/",
        "title": "Strategie",
        "owner": "Social-Media-Leitung",
        "owner_role": "lead",
        "reviewed": "2026-06-01",
        "due": "2027-06-01",
        "overdue": False,
        "source": "plans/strategy.yml",
    }
    assert rows["zielgruppen/interngruppe-xq5/"]["title"] == "INTERN-MARKE"
    assert rows["zielgruppen/makers/"]["owner"] is None  # a confidential role: not named, not even by id
    assert rows["zielgruppen/makers/"]["owner_role"] is None
    for row in internal["pages"]:
        dt.date.fromisoformat(row["reviewed"])
        dt.date.fromisoformat(row["due"])
    public = json.loads((sites["public"] / "seiten.json").read_text(encoding="utf-8"))
    assert "zielgruppen/interngruppe-xq5/" not in {row["path"] for row in public["pages"]}
    no_address = json.loads((sites["no-address"] / "seiten.json").read_text(encoding="utf-8"))
    assert {row["url"] for row in no_address["pages"]} == {None}


def test_feed_text_is_escaped_and_control_characters_left_out() -> None:
    history = History(
        [Entry("abc1234", "2026-10-01", "A & B <x>", "]]><entry>\x1b[31m\x00", "Ziel „X“ geändert & mehr")]
    )
    text = atom_feed(history, SITE_URL, 'Handbuch "<&>"', dt.date(2026, 11, 1))
    feed = ET.fromstring(text)
    _assert_atom(feed)
    (entry,) = feed.findall(f"{A}entry")
    assert entry.findtext(f"{A}title") == "]]><entry>[31m"
    assert entry.findtext(f"{A}author/{A}name") == "A & B <x>"
    assert feed.findtext(f"{A}title") == 'Handbuch "<&>": Änderungen der Strategie'
    assert entry.findtext(f"{A}updated") == "2026-10-01T00:00:00Z"
    timed = History([Entry("abc1234", "2026-10-01", "A", "B", "C", "2026-10-02T04:30:05Z")])
    feed = ET.fromstring(atom_feed(timed, SITE_URL, "H", dt.date(2026, 11, 1)))
    _assert_atom(feed)
    assert [u.text for u in feed.iter(f"{A}updated")] == ["2026-10-02T04:30:05Z"] * 2
    odd = History([Entry("abc1234", "2026-13-45", "A", "B", "C")])  # no time, a day no calendar has
    assert [
        u.text for u in ET.fromstring(atom_feed(odd, SITE_URL, "H", dt.date(2026, 11, 1))).iter(f"{A}updated")
    ] == ["2026-11-01T00:00:00Z"] * 2
    empty = ET.fromstring(atom_feed(History(), SITE_URL, "H", dt.date(2026, 11, 1)))
    _assert_atom(empty)
    assert empty.findtext(f"{A}updated") == "2026-11-01T00:00:00Z"
