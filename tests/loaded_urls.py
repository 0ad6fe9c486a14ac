"""What a built site makes a browser load by itself, read from the files (HTML, CSS, JS, SVG, XML).

A *loaded* URL is fetched without anyone clicking: script src, stylesheets and other <link>s that
fetch (preload, icon, manifest, preconnect …), img/source src and srcset, iframe, media, object,
SVG <image>/<use>, CSS url() and @import, an XML stylesheet. A *reference* is only followed when a
person clicks it (<a href>, <link rel="canonical">, <form action>): it may point anywhere.

``foreign`` tells the URLs that leave the site: absolute ones (http:, https:, protocol-relative
//host) to another origin than ``site_url``. Relative URLs, data: and blob: stay on the site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

# tag -> attributes whose URL the browser fetches as soon as the element is there
LOADING_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "input": ("src",),
    "image": ("href", "xlink:href"),  # SVG
    "use": ("href", "xlink:href"),  # SVG
    "feimage": ("href", "xlink:href"),  # SVG
}

# <link rel=…> values that make the browser fetch (or connect to) the href
LOADING_RELS = {
    "stylesheet",
    "preload",
    "modulepreload",
    "prefetch",
    "prerender",
    "preconnect",
    "dns-prefetch",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "apple-touch-icon-precomposed",
    "mask-icon",
    "manifest",
}

_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"""@import\s+(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
# A string literal in JavaScript that starts with an absolute URL (http(s)://…, or //host.tld…).
_JS_URL = re.compile(r"""["'`](https?://[^"'`\s]+|//[A-Za-z0-9-]+\.[A-Za-z0-9.-]+[^"'`\s]*)""")
_REFRESH = re.compile(r"url\s*=\s*['\"]?([^'\";]+)", re.IGNORECASE)


@dataclass
class Found:
    """URLs one file makes the browser load, and the references it only links to."""

    loaded: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    script_urls: list[str] = field(default_factory=list)  # absolute URLs written in JavaScript code


def css_urls(css: str) -> list[str]:
    """url(…) and @import targets of a style sheet (comments left out)."""
    css = _CSS_COMMENT.sub("", css)
    found = [next(g for g in m.groups() if g is not None) for m in _CSS_URL.finditer(css)]
    found += [next(g for g in m.groups() if g is not None) for m in _CSS_IMPORT.finditer(css)]
    return [url.strip() for url in found if url.strip()]


def js_urls(js: str) -> list[str]:
    """String literals in JavaScript that begin with an absolute URL."""
    return _JS_URL.findall(js)


def srcset_urls(srcset: str) -> list[str]:
    """The URLs of a srcset ("a.png 1x, b.png 2x"); data: URLs may hold commas, so split on ', '."""
    return [part.split()[0] for part in re.split(r",\s+", srcset.strip()) if part.split()]


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found = Found()
        self._in: str | None = None  # "style" or "script" while inside one

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name in LOADING_ATTRIBUTES.get(tag, ()):
            if name in values:
                urls = srcset_urls(values[name]) if name == "srcset" else [values[name]]
                self.found.loaded += urls
        if tag == "link" and "href" in values:
            rels = set(values.get("rel", "").lower().split())
            (self.found.loaded if rels & LOADING_RELS else self.found.references).append(values["href"])
        if tag in ("a", "area") and "href" in values:
            self.found.references.append(values["href"])
        if tag == "form" and "action" in values:
            self.found.references.append(values["action"])
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.found.loaded += _REFRESH.findall(values.get("content", ""))
        if "style" in values:
            self.found.loaded += css_urls(values["style"])
        if tag == "style" or (tag == "script" and "src" not in values):
            self._in = tag

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._in = None

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "style":
            self.found.loaded += css_urls(data)
        elif self._in == "script":
            self.found.script_urls += js_urls(data)

    def handle_pi(self, data: str) -> None:  # <?xml-stylesheet href="…"?> is fetched
        if data.startswith("xml-stylesheet"):
            self.found.loaded += re.findall(r"""href=["']([^"']+)""", data)


def scan_text(suffix: str, text: str) -> Found:
    """What one file of the given type (".html", ".css", ".js", ".svg", ".xml") loads and links."""
    if suffix in (".html", ".htm", ".svg", ".xml"):
        parser = _Markup()
        parser.feed(text)
        parser.close()
        return parser.found
    if suffix == ".css":
        return Found(loaded=css_urls(text))
    if suffix in (".js", ".mjs"):
        return Found(script_urls=js_urls(text))
    return Found()


SCANNED = (".html", ".htm", ".svg", ".xml", ".css", ".js", ".mjs")


def scan_site(site: Path) -> dict[str, Found]:
    """Every scanned file of a built site (relative path -> what it loads and links)."""
    return {
        path.relative_to(site).as_posix(): scan_text(path.suffix, path.read_text(encoding="utf-8"))
        for path in sorted(site.rglob("*"))
        if path.is_file() and path.suffix in SCANNED
    }


def foreign(url: str, site_url: str = "") -> bool:
    """Whether fetching ``url`` would leave the site (another scheme+host than ``site_url``)."""
    parts = urlsplit(url.strip())
    if parts.scheme in ("data", "blob", "about", "javascript", "mailto", "tel"):
        return False
    if not parts.scheme and not parts.netloc:
        return False  # relative to the page
    own = urlsplit(site_url)
    return not (own.netloc and parts.netloc == own.netloc and parts.scheme in ("", own.scheme))
