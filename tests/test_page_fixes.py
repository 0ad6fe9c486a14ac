"""The page fixes as a plain Python-Markdown extension: no MkDocs, no hooks."""

from __future__ import annotations

import markdown
import pytest
from mkdocs.exceptions import BuildError

from macros.site.page_fixes import DuplicateAnchor


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
