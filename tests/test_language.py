"""The language of the built pages: one form of address, labels capitalised as written.

One form of address per handbook: ``site.address`` (sie or du) in plans/organisation.yml. The mini
plans are built twice, once with each form, and no page may carry a word of the other form. The
mini plans' own free texts avoid both forms (one task is made neutral here), so what is found is
the engine's text: written pages, templates, labels, theme. The same two sites are read for the
text slips a reader noticed ('In arbeit (4)', '30 Stunden pro Wocheje Person').
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from macros.checks.check import check
from macros.data import labels

from .conftest import ROOT
from .site_support import build, edited_plans, make_project

NEUTRAL_TASK = ("task: Prüfen Sie Ihr eigenes Profil.", "task: Das eigene Profil prüfen.")

# Words only the informal form uses (never 'they' or 'her' as with 'Sie' and 'Ihr').
DU_WORDS = re.compile(r"\b(du|Du|dir|Dir|dich|Dich|dein|Dein|deine|Deine|deinen|deinem|deiner|deines)\b")
# The formal form's pronouns where they cannot mean 'they' or 'their': not at a sentence's start.
SIE_WORDS = re.compile(r"(?<![.!?:…„]\s)(?<!^)\b(Sie|Ihnen|Ihr|Ihre|Ihren|Ihrem|Ihrer|Ihres)\b", re.MULTILINE)
# Texts that name the forms rather than use them: a channel's tone ('Ansprache: Du') and the
# listening checklist's question 'Du oder Sie'.
NAMED_FORMS = ["Du oder Sie", *sorted(labels.LABELS["address"].values(), key=len, reverse=True)]
BLOCKS = re.compile(r"</?(p|li|td|th|h[1-6]|div|summary|details|dt|dd|br|tr|table|ul|ol|figcaption)\b[^>]*>")


def page_lines(html: str) -> list[str]:
    """The article's text, one line per block (paragraph, list item, cell, heading)."""
    body = html.split('<article class="md-content__inner md-typeset">', 1)[-1].split("</article>", 1)[0]
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.DOTALL)
    text = re.sub(r"<[^>]+>", "", BLOCKS.sub("\n", body))
    text = re.sub(r"&#(\d+);", lambda m: chr(int(m.group(1))), text)
    for entity, char in (("&amp;", "&"), ("&quot;", '"'), ("&lt;", "<"), ("&gt;", ">"), ("&nbsp;", " ")):
        text = text.replace(entity, char)
    lines = []
    for line in text.splitlines():
        line = " ".join(line.split())
        for named in NAMED_FORMS:
            line = re.sub(rf"(^|Ansprache: |Status: \w+ )?{re.escape(named)}(?=$|,|\?)", r"\1", line)
        if line:
            lines.append(line)
    return lines


def other_form(site: Path, address: str) -> list[str]:
    """'page: word: …context…' for every word of the other form on any page of the site."""
    pattern = SIE_WORDS if address == "du" else DU_WORDS
    found = []
    for path in sorted(site.rglob("*.html")):
        for line in page_lines(path.read_text(encoding="utf-8")):
            for match in pattern.finditer(line):
                start = max(0, match.start() - 40)
                found.append(
                    f"{path.relative_to(site)}: {match.group(0)}: …{line[start : match.end() + 30]}…"
                )
    return found


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    built = {}
    for address in ("sie", "du"):
        root = tmp_path_factory.mktemp(address)
        plans = edited_plans(root / "plans", {"training": [NEUTRAL_TASK]})
        organisation = plans / "organisation.yml"
        organisation.write_text(
            organisation.read_text(encoding="utf-8") + f"site:\n  address: {address}\n", encoding="utf-8"
        )
        project = make_project(root / "project", plans)
        result = build(project, "-d", str(root / "site"))
        assert result.returncode == 0, result.stderr[-3000:]
        built[address] = root / "site"
    return built


@pytest.mark.parametrize("address", ["sie", "du"])
def test_no_page_uses_the_other_form_of_address(sites: dict[str, Path], address: str) -> None:
    assert other_form(sites[address], address) == []


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("sie", "Beantworten Sie die Fragen zuerst selbst und klappen Sie dann die Antwort auf."),
        ("du", "Beantworte die Fragen zuerst selbst und klapp dann die Antwort auf."),
    ],
)
def test_a_generated_page_speaks_in_the_form_of_the_setting(sites, address, expected) -> None:
    text = "\n".join(page_lines((sites[address] / "schulungen" / "intro" / "index.html").read_text()))
    assert expected in text


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("sie", "Sie müssen nicht das ganze Handbuch lesen. Für Sie sind drei Stellen wichtig:"),
        ("du", "Du musst nicht das ganze Handbuch lesen. Für dich sind drei Stellen wichtig:"),
    ],
)
def test_a_written_page_speaks_in_the_form_of_the_setting(sites, address, expected) -> None:
    assert expected in page_lines((sites[address] / "index.html").read_text())


def test_the_check_finds_each_form_in_a_built_site_of_the_other() -> None:
    """The patterns themselves: what counts as the other form, and what does not."""
    html = (
        '<article class="md-content__inner md-typeset"><p>Prüfen Sie das. Sie stehen unter „Auch“.</p>'
        "<li>Ihre Bilder zeigen wir nicht.</li><p>Lies das, bevor du postest.</p>"
        "<td>Du</td><p>Ansprache: Du und Sie je nach Kontext</p><li>Du oder Sie, Fachsprache?</li></article>"
    )
    lines = page_lines(html)
    assert [m.group(0) for line in lines for m in SIE_WORDS.finditer(line)] == ["Sie"]
    assert [m.group(0) for line in lines for m in DU_WORDS.finditer(line)] == ["du"]


def test_an_unknown_form_of_address_is_an_error_with_its_place(tmp_path) -> None:
    plans = edited_plans(tmp_path / "plans", {})
    organisation = plans / "organisation.yml"
    organisation.write_text(
        organisation.read_text(encoding="utf-8") + "site:\n  address: ihr\n", encoding="utf-8"
    )
    problems = [p for p in check(plans).problems if p.severity == "error"]
    assert len(problems) == 1
    assert str(problems[0].file).endswith("organisation.yml")
    found = problems[0]
    assert (found.line, found.column, found.path, found.code) == (18, 12, "site.address", "invalid-choice")
    assert (found.message, found.hint) == ("'ihr' is not a valid address", "use one of: sie, du")


def test_both_samples_pick_one_form() -> None:
    for plans, address in ((ROOT / "plans", "sie"), (ROOT / "samples" / "sportverein" / "plans", "du")):
        organisation = check(plans).plan.organisation
        assert organisation is not None and organisation.site.address == address


# --- text slips on the built pages ------------------------------------------------------------

CELLS = re.compile(r"<(h[1-6]|td|th|summary)\b[^>]*>(.*?)</\1>", re.DOTALL)


def _site_text(site: Path) -> dict[str, str]:
    return {
        str(path.relative_to(site)): "\n".join(page_lines(path.read_text(encoding="utf-8")))
        for path in sorted(site.rglob("*.html"))
    }


def _strings(value: object) -> list[str]:
    """A label's texts (some labels are pairs, e.g. singular and plural)."""
    return [value] if isinstance(value, str) else [v for item in value for v in _strings(item)]


def capitalize_slips(site: Path) -> dict[str, list[str]]:
    """Page -> labels on it as str.capitalize writes them ('In arbeit' for 'in Arbeit')."""
    values = [v for group in labels.LABELS.values() for value in group.values() for v in _strings(value)]
    wrong = {value.capitalize() for value in values if value.capitalize() != labels.capital(value)}
    assert "In arbeit" in wrong
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(wrong))) + r")\b")
    found = {name: pattern.findall(text) for name, text in _site_text(site).items()}
    return {name: words for name, words in found.items() if words}


GLUED = re.compile(r"\b(Woche|Monat|Jahr|Tag|Stunde|Stunden)(je|pro|und|oder)\b|[a-zäöüß](je Person)")


def glued_words(site: Path) -> dict[str, list[str]]:
    """Page -> a fact and its qualifier written without a space ('pro Wocheje Person')."""
    found = {name: GLUED.findall(text) for name, text in _site_text(site).items()}
    return {name: hits for name, hits in found.items() if hits}


@pytest.mark.parametrize("address", ["sie", "du"])
def test_no_label_is_capitalised_with_str_capitalize(sites: dict[str, Path], address: str) -> None:
    assert capitalize_slips(sites[address]) == {}


@pytest.mark.parametrize("address", ["sie", "du"])
def test_no_word_is_glued_to_the_next(sites: dict[str, Path], address: str) -> None:
    assert glued_words(sites[address]) == {}
    assert GLUED.findall("30 Stunden pro Wocheje Person") == [("Woche", "je", "")]


@pytest.mark.parametrize("address", ["sie", "du"])
def test_headings_and_table_cells_start_with_a_capital(sites: dict[str, Path], address: str) -> None:
    """A heading, a table cell or a collapsible title starts like a sentence: 'Aktiv', 'Davon
    Pflicht', 'Führt aus'. Code (file names, YAML keys), handles and numbers stay as written."""
    found = []
    for path in sorted(sites[address].rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        body = html.split('<article class="md-content__inner md-typeset">', 1)[-1].split("</article>", 1)[0]
        for match in CELLS.finditer(body):
            inner = match.group(2).strip()
            text = re.sub(r"<[^>]+>", "", inner).strip()
            if text and text[0].islower() and not inner.startswith("<code"):
                found.append(f"{path.relative_to(sites[address])}: <{match.group(1)}> {text[:50]}")
    assert found == []


# --- plans texts in the other form: a warning at their place (handbook check) -----------------


@pytest.mark.parametrize(
    ("address", "edits", "expected"),
    [
        (
            "du",
            {},
            (
                "training.yml",
                14,
                15,
                "modules[0].exercises[0].task",
                "'Sie' addresses the reader with Sie, but the handbook says du "
                "(site.address: du in organisation.yml)",
                "write it with du like the handbook's pages („Du kennst …“, „Prüf …“), "
                "or set site.address: sie if the whole handbook should say Sie",
            ),
        ),
        (
            "sie",
            {
                "training": [NEUTRAL_TASK],
                "onboarding": [("goal: Kanäle kennen.", "goal: Du kennst die Kanäle.")],
            },
            (
                "onboarding.yml",
                8,
                11,
                "weeks[0].goal",
                "'Du' addresses the reader with du, but the handbook says Sie "
                "(site.address: sie in organisation.yml)",
                "write it with Sie like the handbook's pages („Sie kennen …“, „Prüfen Sie …“), "
                "or set site.address: du if the whole handbook should say du",
            ),
        ),
    ],
)
def test_a_plans_text_in_the_other_form_is_a_warning(tmp_path, address, edits, expected) -> None:
    plans = edited_plans(tmp_path / "plans", edits)
    organisation = plans / "organisation.yml"
    organisation.write_text(
        organisation.read_text(encoding="utf-8") + f"site:\n  address: {address}\n", encoding="utf-8"
    )
    found = [p for p in check(plans).problems if p.code == "address-form"]
    assert [(Path(p.file).name, p.line, p.column, p.path, p.message, p.hint) for p in found] == [expected]
    assert found[0].severity == "warning"


def test_a_form_named_or_a_they_is_no_warning() -> None:
    from macros.checks.address import OTHER_FORM

    named = "In Du- und Sie-Kanälen in der passenden Tonalität antworten."
    assert OTHER_FORM["sie"].search(named) is None
    assert OTHER_FORM["du"].search(named) is None
    assert OTHER_FORM["du"].search("Sie stehen unter „Auch“. Ihre Bilder zeigen wir nicht.") is None
    assert OTHER_FORM["du"].search("Bitte prüfen Sie das.").group(0) == "Sie"
    assert OTHER_FORM["sie"].search("Melde dich bei ihr.").group(0) == "dich"


def test_for_reviewers_links_the_change_history_and_the_review_status(sites: dict[str, Path]) -> None:
    html = (sites["sie"] / "index.html").read_text(encoding="utf-8")
    assert ">Für Reviewer</label>" in html
    tab = html.split("Änderungen an der Strategie kommen als Pull-Request", 1)[1].split(
        'id="alle-bereiche"', 1
    )[0]
    assert '<a href="aenderungen/">Was sich geändert hat</a>' in tab
    assert '<a href="pflegestatus/">Pflegestatus</a>' in tab
