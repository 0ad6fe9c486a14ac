"""The page fixes as a plain Python-Markdown extension: no MkDocs, no hooks."""

from __future__ import annotations

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown.extensions.abbr import AbbrExtension
from mkdocs.exceptions import BuildError

from macros.site.page_fixes import DuplicateAnchor, trie_pattern

from .fuzz_support import fuzzer


def _convert(text: str) -> str:
    converter = markdown.Markdown(
        extensions=["abbr", "attr_list", "toc", "pymdownx.tasklist", "macros.site.page_fixes"],
        extension_configs={
            "abbr": {"glossary": {"CTA": "Call to Action"}},
            "pymdownx.tasklist": {"custom_checkbox": True},
        },
    )
    return converter.convert(text)


def test_task_checkboxes_are_named_by_their_task() -> None:
    html = _convert("- [ ] Profil **prüfen** & &lt;freigeben&gt;\n- [x] \n    - [ ] Unteraufgabe\n")
    assert 'aria-label="Profil prüfen &amp; &lt;freigeben&gt;"' in html
    assert 'checked aria-label="Aufgabe"/>' in html  # no text of its own: a generic name
    assert 'aria-label="Unteraufgabe"' in html
    assert html.count("aria-label=") == 3


def test_glossary_tooltips_stay_out_of_headings_and_links() -> None:
    html = _convert("## Die CTA\n\nEine CTA im Text und [eine CTA im Link](https://example.invalid/).\n")
    assert '<h2 id="die-cta">Die CTA</h2>' in html
    assert '<a href="https://example.invalid/">eine CTA im Link</a>' in html
    assert 'Eine <abbr title="Call to Action">CTA</abbr> im Text' in html


def test_an_anchor_twice_stops_the_conversion_with_a_message_mkdocs_shows() -> None:
    with pytest.raises(DuplicateAnchor) as raised:
        _convert("## Eins {: #doppelt }\n\n## Zwei {: #doppelt }\n")
    # Outside MkDocs the page is unknown; MkDocs and ProperDocs name it (tests/test_site.py).
    assert str(raised.value) == (
        "the anchor '#doppelt' exists twice on this page; "
        "rename the heading or the record id that produces it"
    )
    assert isinstance(raised.value, BuildError)  # printed as a message, not a traceback
    # Headings of the same text get distinct ids from toc: no error.
    assert 'id="eins_1"' in _convert("## Eins\n\n## Eins\n")


# --- glossary terms: the trie regex finds what abbr's alternation finds --------------------------

_WORDS = st.text(alphabet="aAbäÄ- .-/+()1", min_size=1, max_size=6)


def _abbr(text: str, glossary: dict[str, str], fast: bool) -> str:
    extensions: list = [AbbrExtension(glossary=glossary)]
    if fast:
        extensions.append("macros.site.page_fixes")
    return markdown.markdown(text, extensions=extensions)


# Inline markup around some words: the terms then sit in element texts and tails, nested.
_MARKUP = st.sampled_from(
    ["{}", "*{}*", "**{}**", "`{}`", "*a {} b*", "**x *{}* y**", "<span>{}</span>", "{}\n\n"]
)


@fuzzer(200)
@given(
    terms=st.lists(_WORDS, min_size=1, max_size=12),
    words=st.lists(st.tuples(_WORDS, _MARKUP), max_size=30),
)
def test_trie_regex_finds_the_same_terms_as_abbr(terms: list[str], words: list[tuple[str, str]]) -> None:
    glossary = {term: f"Erklärung {n}" for n, term in enumerate(terms) if term.strip() == term}
    text = " ".join([*(markup.format(word) for word, markup in words), *terms])
    assert _abbr(text, glossary, fast=True) == _abbr(text, glossary, fast=False)


def test_trie_pattern_prefers_the_longest_term_at_a_word_boundary() -> None:
    assert trie_pattern(frozenset(["KPI", "KPIs", "Community", "Community Management", "a.b"])) == (
        r"(?:Community(?:\ Management)?|KPI(?:s)?|a\.b)"
    )
    glossary = {"Community": "C", "Community Management": "CM", "KPI": "K"}
    assert _abbr("Community Managements und KPI-Ziele", glossary, fast=True) == (
        '<p><abbr title="C">Community</abbr> Managements und <abbr title="K">KPI</abbr>-Ziele</p>'
    )


def test_search_index_finds_toc_entries_as_material_does() -> None:
    """The plugin's lookup by id returns what Material's walk from the start returns."""
    from material.plugins.search.plugin import SearchIndex
    from mkdocs.structure.toc import get_toc

    from macros.site.plugin import toc_finder

    converter = markdown.Markdown(extensions=["toc", "attr_list"])
    converter.convert(
        "# A\n\n## B\n\n### C {: #b }\n\n## D\n\n### E\n\n#### F {: #a }\n\n"
        "## G {: #e }\n\n# H\n\n## B {: #h }\n"
    )
    toc = get_toc(converter.toc_tokens)
    material = SearchIndex.__new__(SearchIndex)
    find = toc_finder()
    for id_ in ["a", "b", "c", "d", "e", "f", "g", "h", "missing", None, ""]:
        assert find(toc, id_) is material._find_toc_by_id(toc, id_), id_
    assert find(toc, "missing") is None and find(toc, "a").title == "F"
