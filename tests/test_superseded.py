"""Superseded texts: a record whose approval status is superseded names the text that applies
instead (``approval.replaced_by``). The check warns where that chain leads nowhere useful; the pages
mark the old text and keep its rules out of what readers take as applying."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from macros.checks.check import check
from macros.review.due import due
from macros.site.build import load_plan

from .site_support import build, edit, edited_plans, make_project, page, visible_text

CODES = {
    "replacement-not-superseded",
    "replacement-itself",
    "replacement-superseded",
    "replacement-draft",
    "replacement-hidden",
    "module-superseded-guideline",
    "unknown-reference",
}
STEP = "step 6 of 8 (processes, experts, guidelines and training): "
NOWHERE = "name a text that applies now, or remove 'replaced_by:' if none does"


def topic(
    id: str,
    status: str,
    replaced_by: str | None = None,
    reviewed: str = "2026-06-01",
    visibility: str = "internal",
    audience: str = "all_employees",
    channels: str = "",
) -> str:
    """A guideline topic with one rule (for everyone unless ``audience`` says otherwise, on every
    channel unless ``channels`` names some), in the mini plans' words."""
    replacement = f"      replaced_by: {replaced_by}\n" if replaced_by else ""
    only = f"        channels: [{channels}]\n" if channels else ""
    return (
        f"  - id: {id}\n"
        f"    title: Thema {id.upper()}\n"
        f"    summary: Worum es in {id} geht.\n"
        f"    visibility: {visibility}\n"
        "    owner: lead\n"
        f"    reviewed: {reviewed}\n"
        f"    approval:\n      status: {status}\n{replacement}"
        "    rules:\n"
        f"      - id: regel-{id}\n"
        f"        title: Regel {id.upper()}\n"
        f"        question: Was gilt bei {id}?\n"
        f"        rule: Antwort {id.upper()}.\n"
        "        rationale: Damit alle gleich handeln.\n"
        "        obligation: must\n"
        f"        audience: {audience}\n{only}"
    )


def superseded_plans(dest: Path, basics: str, *topics: str) -> Path:
    """The mini plans whose topic 'basics' gets ``basics`` (YAML of its approval), with ``topics``
    appended to guidelines.yml."""
    plans = edited_plans(
        dest, {"guidelines": [("    reviewed: 2026-06-01\n", f"    reviewed: 2026-06-01\n{basics}")]}
    )
    path = plans / "guidelines.yml"
    path.write_text(path.read_text(encoding="utf-8") + "".join(topics), encoding="utf-8")
    return plans


def test_each_replacement_that_leads_nowhere_is_a_warning(tmp_path: Path) -> None:
    plans = superseded_plans(
        tmp_path / "plans",
        "    approval:\n      status: superseded\n      replaced_by: zwischen\n",
        topic("zwischen", "superseded", "aktuell"),
        topic("aktuell", "approved"),
        topic("selbst", "superseded", "selbst"),
        topic("gilt-noch", "in_review", "aktuell"),
        topic("alt", "superseded", "entwurf"),
        topic("entwurf", "draft"),
        topic("kreis-a", "superseded", "kreis-b"),
        topic("kreis-b", "superseded", "kreis-a"),
    )
    found = [
        (p.line, p.column, p.path, p.message, p.hint, p.code, p.related and p.related.path)
        for p in check(plans).problems
        if p.code in CODES
    ]
    assert (
        found
        == [
            (
                10,
                20,
                "guidelines[0].approval.replaced_by",
                STEP + "guideline 'basics' is replaced by 'zwischen', which is superseded too",
                "name the text that applies now: 'replaced_by: aktuell'",  # the end of the chain
                "replacement-superseded",
                "guidelines[1].approval.status",
            ),
            (
                63,
                20,
                "guidelines[3].approval.replaced_by",
                STEP + "guideline 'selbst' names itself as its replacement",
                "name the record whose text applies instead, or remove 'replaced_by:' if none does",
                "replacement-itself",
                None,
            ),
            (
                80,
                20,
                "guidelines[4].approval.replaced_by",
                STEP + "guideline 'gilt-noch' names 'aktuell' as its replacement, but its status is "
                "in_review, not superseded",
                "set 'status: superseded' if 'aktuell' applies instead, or remove 'replaced_by:'",
                "replacement-not-superseded",
                "guidelines[4].approval.status",
            ),
            (
                97,
                20,
                "guidelines[5].approval.replaced_by",
                STEP + "guideline 'alt' is replaced by 'entwurf', a draft that the published handbook "
                "leaves out, so readers find no rule that applies",
                "approve 'entwurf' first, or keep the status of 'alt' until then",
                "replacement-draft",
                "guidelines[6].approval.status",
            ),
            (
                130,
                20,
                "guidelines[7].approval.replaced_by",
                STEP + "guideline 'kreis-a' is replaced by 'kreis-b', which is superseded too",
                NOWHERE,  # a circle has no end
                "replacement-superseded",
                "guidelines[8].approval.status",
            ),
            (
                147,
                20,
                "guidelines[8].approval.replaced_by",
                STEP + "guideline 'kreis-b' is replaced by 'kreis-a', which is superseded too",
                NOWHERE,
                "replacement-superseded",
                "guidelines[7].approval.status",
            ),
            (
                18,
                18,
                "modules[0].guidelines[0]",
                STEP + "module 'intro' teaches the superseded guideline 'basics'",
                "teach the guideline that applies now: replace 'basics' with 'aktuell'",
                "module-superseded-guideline",
                "guidelines[0].approval.status",
            ),
        ]
    )


def test_a_chain_ending_in_a_draft_and_a_hidden_replacement_are_no_advice(tmp_path: Path) -> None:
    plans = superseded_plans(
        tmp_path / "plans",
        "    visibility: public\n    approval:\n      status: superseded\n      replaced_by: zwischen\n",
        topic("zwischen", "superseded", "entwurf", visibility="public"),
        topic("entwurf", "draft", visibility="public"),
        topic("offen", "superseded", "intern", visibility="public"),
        topic("intern", "approved"),
        topic("frueh", "draft", "intern"),
    )
    found = [(p.path, p.message, p.hint, p.code) for p in check(plans).problems if p.code in CODES]
    assert (
        found
        == [
            (  # the end of the chain is a draft: not named as what applies
                "guidelines[0].approval.replaced_by",
                STEP + "guideline 'basics' is replaced by 'zwischen', which is superseded too",
                NOWHERE,
                "replacement-superseded",
            ),
            (
                "guidelines[1].approval.replaced_by",
                STEP + "guideline 'zwischen' is replaced by 'entwurf', a draft that the published handbook "
                "leaves out, so readers find no rule that applies",
                "approve 'entwurf' first, or keep the status of 'zwischen' until then",
                "replacement-draft",
            ),
            (
                "guidelines[3].approval.replaced_by",
                STEP + "guideline 'offen' is public, but its replacement 'intern' is internal, so the public "
                "handbook names no replacement",
                "give 'intern' 'visibility: public', or 'offen' 'visibility: internal'",
                "replacement-hidden",
            ),
            (
                "guidelines[5].approval.replaced_by",
                STEP + "guideline 'frueh' names 'intern' as its replacement, but its status is draft, "
                "not superseded",
                "set 'status: superseded' if 'intern' applies instead, or remove 'replaced_by:'",
                "replacement-not-superseded",
            ),
            (
                "modules[0].guidelines[0]",
                STEP + "module 'intro' teaches the superseded guideline 'basics'",
                "remove 'basics' from the module's 'guidelines:'",
                "module-superseded-guideline",
            ),
        ]
    )


def test_a_module_teaching_the_replacement_already_is_told_to_drop_the_old_topic(tmp_path: Path) -> None:
    plans = superseded_plans(
        tmp_path / "plans",
        "    approval:\n      status: superseded\n      replaced_by: aktuell\n",
        topic("aktuell", "approved"),
    )
    edit(plans / "training.yml", "guidelines: [basics]", "guidelines: [basics, aktuell]")
    found = [(p.path, p.hint) for p in check(plans).problems if p.code in CODES]
    assert found == [("modules[0].guidelines[0]", "remove 'basics' from the module's 'guidelines:'")]


def test_rules_of_a_superseded_topic_are_not_checked_against_retired_channels(tmp_path: Path) -> None:
    plans = superseded_plans(
        tmp_path / "plans",
        "    approval:\n      status: superseded\n",
        topic("aktuell", "approved", channels="blog"),
        topic("alt", "superseded", channels="blog"),
    )
    edit(plans / "channels.yml", "    status: active\n", "    status: retired\n")
    edit(plans / "training.yml", "    guidelines: [basics]\n", "")
    found = [p.path for p in check(plans).problems if p.code == "rule-retired-channel"]
    assert found == ["guidelines[1].rules[0].channels[0]"]  # 'aktuell' only


def test_an_unknown_replacement_is_an_error_with_did_you_mean(tmp_path: Path) -> None:
    plans = superseded_plans(
        tmp_path / "plans",
        "    approval:\n      status: superseded\n      replaced_by: aktuel\n",
        topic("aktuell", "approved"),
    )
    found = [(p.line, p.column, p.path, p.message, p.hint, p.code) for p in check(plans).problems]
    assert found == [
        (
            10,
            20,
            "guidelines[0].approval.replaced_by",
            "unknown guideline topic 'aktuel'",
            f"did you mean 'aktuell'? (defined in {plans}/guidelines.yml:22:9)",
            "unknown-reference",
        )
    ]


def test_superseded_without_a_replacement_is_fine(tmp_path: Path) -> None:
    plans = edited_plans(
        tmp_path / "plans",
        {
            "guidelines": [
                (
                    "    reviewed: 2026-06-01\n",
                    "    reviewed: 2026-06-01\n    approval:\n      status: superseded\n",
                )
            ],
            "training": [("    guidelines: [basics]\n", "")],
        },
    )
    assert [p.code for p in check(plans).problems if p.code in CODES] == []


def test_a_module_teaching_a_superseded_topic_is_told_what_applies(tmp_path: Path) -> None:
    plans = superseded_plans(
        tmp_path / "plans",
        "    approval:\n      status: superseded\n      replaced_by: aktuell\n",
        topic("aktuell", "approved"),
    )
    found = [(p.file, p.line, p.column, p.message, p.hint) for p in check(plans).problems if p.code in CODES]
    assert found == [
        (
            f"{plans}/training.yml",
            18,
            18,
            "step 6 of 8 (processes, experts, guidelines and training): module 'intro' teaches the "
            "superseded guideline 'basics'",
            "teach the guideline that applies now: replace 'basics' with 'aktuell'",
        )
    ]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Published build: 'basics' replaced by the approved 'aktuell', 'alt' without a replacement
    (the only rule for leadership), 'verdraengt' replaced by a draft the published build leaves
    out; 'aktuell' and 'alt' each have a rule for the blog."""
    root = tmp_path_factory.mktemp("superseded")
    plans = superseded_plans(
        root / "plans",
        "    approval:\n      status: superseded\n      replaced_by: aktuell\n",
        topic("aktuell", "approved", channels="blog"),
        topic("alt", "superseded", audience="leadership", channels="blog"),
        topic("verdraengt", "superseded", "entwurf"),
        topic("entwurf", "draft"),
    )
    project = make_project(root / "project", plans)
    done = build(project, "-d", str(root / "site"), env={"HANDBOOK_PREVIEW": "0"})
    assert done.returncode == 0, done.stderr
    return root / "site"


def _banner(html: str) -> str:
    return html.split('<div class="admonition warning">', 1)[1].split("</div>", 1)[0].strip()


def test_a_superseded_page_says_so_and_links_what_applies(site: Path) -> None:
    assert _banner(page(site, "richtlinien/basics")) == (
        '<p class="admonition-title">Abgelöst</p>\n'
        '<p>Dieses Thema gilt nicht mehr. An seine Stelle tritt <a href="../aktuell/">Thema AKTUELL</a>. '
        "Die Regeln unten stehen hier nur noch zum Nachlesen, etwa um ältere Beiträge einzuordnen.</p>"
    )
    plain = (
        '<p class="admonition-title">Abgelöst</p>\n'
        "<p>Dieses Thema gilt nicht mehr. "
        "Die Regeln unten stehen hier nur noch zum Nachlesen, etwa um ältere Beiträge einzuordnen.</p>"
    )
    assert _banner(page(site, "richtlinien/alt")) == plain
    assert _banner(page(site, "richtlinien/verdraengt")) == plain  # its replacement is a draft
    assert 'class="admonition warning"' not in page(site, "richtlinien/aktuell")


def _rule(html: str, topic: str) -> tuple[str, str]:
    """The visible text of the table row of the topic's one rule and the HTML of its box."""
    title = f"Regel {topic.upper()}"
    row = visible_text(html.split("<tbody>", 1)[1].split("</tbody>", 1)[0])
    section = html.split(f'id="regel-regel-{topic}"', 1)[1]
    box = section.split('<div class="admonition ', 1)[1].split("</div>", 1)[0]
    return row.removeprefix(title + " "), box


def test_the_rules_of_a_superseded_page_read_as_what_applied(site: Path) -> None:
    html = page(site, "richtlinien/alt")
    assert "Regel Verbindlichkeit bis zur Ablösung Galt für" in visible_text(html)
    assert _rule(html, "alt") == (
        "Pflicht Führungskräfte (nur Testblog )",
        'quote">\n<p class="admonition-title">Galt bis zur Ablösung als Pflicht</p>\n<p>Antwort ALT.</p>\n',
    )
    html = page(site, "richtlinien/aktuell")
    assert "Regel Verbindlichkeit Gilt für" in visible_text(html)
    assert _rule(html, "aktuell") == (
        "Pflicht Alle Mitarbeitenden (nur Testblog )",
        'danger">\n<p class="admonition-title">Pflicht</p>\n<p>Antwort AKTUELL.</p>\n',
    )


def test_the_overview_lists_superseded_topics_apart(site: Path) -> None:
    text = visible_text(page(site, "richtlinien"))
    table = text.split("Thema Worum es geht Regeln Davon Pflicht ", 1)[1].split(" Pflicht und Empfehlung", 1)[
        0
    ]
    assert table == (
        "Thema AKTUELL Worum es in aktuell geht. 1 1 "
        "Nicht mehr gültig, nur zum Nachlesen: Abgelöstes Thema Es gilt jetzt "
        "Grundsätze Thema AKTUELL Thema ALT – Thema VERDRAENGT –"
    )


def test_quick_answers_leave_superseded_topics_out(site: Path) -> None:
    html = page(site, "das-wichtigste")
    assert "Antwort AKTUELL." in html
    for gone in ("Wir sagen, wer wir sind.", "Antwort ALT.", "Antwort VERDRAENGT.", "Antwort ENTWURF."):
        assert gone not in html


def test_nobody_is_asked_to_review_a_superseded_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HANDBOOK_TODAY", "2026-12-01")
    plans = superseded_plans(
        tmp_path / "plans",
        "    approval:\n      status: superseded\n",
        topic("alt", "superseded", reviewed="2020-01-01"),
        topic("aktuell", "approved", reviewed="2020-01-01"),
    )
    overdue = [p.path for p in check(plans).problems if p.code == "review-overdue"]
    assert overdue == ["guidelines[2].reviewed"]  # 'aktuell'; neither superseded topic
    plan = load_plan(plans, "internal")
    assert [plan.review_due(t) for t in plan.guidelines] == [None, None, dt.date(2020, 12, 31)]
    items = [(i.kind, i.id) for owner in due(plan).owners for i in owner.items]
    assert ("guideline", "alt") not in items and ("guideline", "basics") not in items
    assert ("guideline", "aktuell") in items


def test_the_review_box_and_review_status_show_no_due_date(site: Path) -> None:
    box = page(site, "richtlinien/alt").split('<aside class="hb-review"', 1)[1].split("</aside>", 1)[0]
    assert '<span class="hb-approval hb-approval--superseded">Abgelöst</span>' in box
    assert "Zuletzt geprüft: 1. Juni 2026" in box
    assert "Nächste Prüfung" not in box and "überfällig" not in box
    assert "Nächste Prüfung: 1. Juni 2027" in page(site, "richtlinien/aktuell")
    rows = visible_text(page(site, "pflegestatus"))
    assert "Abgelöst Thema ALT – Social-Media-Leitung 01.06.2026 Richtlinie" in rows
    assert "Aktuell Thema AKTUELL 01.06.2027 Social-Media-Leitung 01.06.2026 Richtlinie" in rows
    assert rows.index("Aktuell Thema AKTUELL") < rows.index("Abgelöst Thema ALT")  # superseded last


def test_channel_pages_and_audiences_count_only_rules_that_apply(site: Path) -> None:
    blog = visible_text(page(site, "kanaele/blog"))
    assert "Regel AKTUELL : Antwort AKTUELL." in blog
    assert "Regel ALT" not in blog and "Antwort ALT" not in blog
    guidelines = visible_text(page(site, "richtlinien"))
    assert "eigene Regeln für Führungskräfte gibt es bisher nicht" in guidelines
