"""One escaping function per output context of the site; data reaches a page only through these.

| context                                   | function            |
|-------------------------------------------|---------------------|
| Markdown text, one line (the default)     | ``md``              |
| Markdown text with paragraphs             | ``paras``           |
| HTML attribute or SVG text inside a page  | ``attr``            |
| admonition title (``!!! type "…"``)       | ``admonition_title``|
| external link target (validated URL)      | ``href``            |
| glossary tooltip (abbr ``title``)         | ``tooltip``         |
| link target inside the site (from ids)    | ``internal_href``   |
| attribute in finished HTML (postprocessor)| ``html_attr``       |

Every character with a meaning to Markdown or one of our extensions becomes a
numeric entity, so data is literal text whatever extensions are enabled and
wherever Python-Markdown looks (it runs link and image patterns *before* it
protects inline HTML, so even attribute values need this). Entities decode back to
the original text in the browser. Templates get ``md`` by default (Jinja ``finalize``);
glossary tooltips are passed to the abbr extension as data, never as Markdown.
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import quote

# Markdown, attr_list, tables, emoji (':'), abbr ('*['), tasklist, admonitions, Jinja braces.
_MD_SPECIAL = re.compile(r"""[\\`*_\[\]()#+!|{}~^=$:"'<>&]""")
# Block starts that need the first character escaped: list markers, def lists, ordered lists.
_LEADING = re.compile(r"^([-:.]|\d+(?=[.)]))")
# Control characters (C0 but tab and line breaks, DEL, C1). Python-Markdown strips STX/ETX from
# page source because it uses them for its placeholders; data that reaches it another way
# (the glossary option) must not carry them either.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")


class MD(str):
    """Text that is already safe Markdown/HTML (produced by a helper here)."""


def _entities(text: str) -> str:
    return _MD_SPECIAL.sub(lambda m: f"&#{ord(m.group())};", text)


def one_line(value: Any) -> str:
    """All whitespace runs (line breaks, tabs, Unicode separators) become one space;
    control characters are dropped."""
    text = str(value)
    if _CONTROLS.search(text):
        text = _CONTROLS.sub("", text)
    return " ".join(text.split())  # str.split() splits on exactly what \s matches, runs at once


def md(value: Any) -> MD:
    """Inline Markdown text: no markup, no HTML, no emoji, one line."""
    if isinstance(value, MD):
        return value
    if value is None:
        return MD("")
    text = _entities(one_line(value))
    text = _LEADING.sub(lambda m: "".join(f"&#{ord(c)};" for c in m.group()), text)
    return MD(text)


def paras(value: Any) -> MD:
    """A longer text as Markdown paragraphs (blank-line separated), each escaped like ``md``."""
    if value is None:
        return MD("")
    blocks = re.split(r"\n\s*\n", str(value).strip())
    return MD("\n\n".join(md(block) for block in blocks if block.strip()))


def attr(value: Any) -> MD:
    """An HTML attribute value (in double quotes) or SVG text: entities only, one line."""
    return MD(_entities(one_line(value)))


_INTERNAL = re.compile(r"[A-Za-z0-9._/#-]*")


def internal_href(url: str) -> MD:
    """A link target inside the site, built from validated ids: checked, not escaped
    (MkDocs must still see the ``.md`` path to rewrite and validate it)."""
    if not _INTERNAL.fullmatch(url):
        raise ValueError(f"not a site-internal link target: {url!r}")
    return MD(url)


def html_attr(value: Any) -> str:
    """An attribute value (in double quotes) written into a page's finished HTML, after Markdown
    has run (a postprocessor): HTML-escaped, one line. Text taken from that HTML is unescaped first."""
    return html.escape(one_line(value), quote=True)


def tooltip(value: Any) -> str:
    """A glossary definition for the abbr extension's ``title`` attribute.

    Material's tooltips (``content.tooltips``) show that attribute *as HTML*, and
    Python-Markdown's serializer keeps entities it finds in attribute values. So the text is
    escaped twice: the attribute then holds HTML-escaped text, which the tooltip shows as written.
    """
    return html.escape(html.escape(one_line(value), quote=False), quote=False)


def admonition_title(value: Any) -> MD:
    """The quoted title of ``!!! type "title"``: inline Markdown text, no quote."""
    return md(value)


_SAFE_SCHEMES = ("https://", "http://", "mailto:", "tel:")


def href(value: Any) -> MD:
    """An external link target. URL fields accept only these schemes (checked by the model);
    anything else gives an empty target here too, so a template can never link elsewhere."""
    url = one_line(value)
    if not url.lower().startswith(_SAFE_SCHEMES):
        return MD("")
    return attr(url)


def theme_url(url: str) -> str:
    """An address for theme settings the theme prints unescaped (repo_url): every character that
    could end an attribute or start markup is percent-encoded; the address stays the same."""
    return quote(url, safe=":/?#[]@!$&()*+,;=%~-._")
