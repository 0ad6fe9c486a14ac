"""Helpers for the browser tests: build the site, serve it under a sub-path, record what pages do.

The browser is Debian's Chromium (Playwright's own download does not work offline); set
HANDBOOK_CHROMIUM to use another binary.
"""

from __future__ import annotations

import functools
import html
import http.server
import io
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("HANDBOOK_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PREFIX = "/handbuch/"
"""The site is served below this path, as on an intranet server that hosts several sites."""

AXE_JS = Path(__import__("axe_playwright_python").__file__).with_name("axe.min.js")


def chromium_or_fail() -> str:
    """The Chromium binary, or a clear error telling how to get it (never a skip)."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        raise RuntimeError(
            f"Chromium not found at {CHROMIUM}: the browser tests need Debian's 'chromium' package "
            "('./run.sh test' installs it, or run 'apt-get install chromium'), "
            "or set HANDBOOK_CHROMIUM to a Chromium binary."
        )
    return CHROMIUM


# --- build and serve ------------------------------------------------------------------------------


def build_site(dest: Path) -> Path:
    """Build the handbook strictly into dest; raise with MkDocs' output if the build fails."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.setdefault("HANDBOOK_TODAY", "2026-11-22")
    env["HANDBOOK_SITE_URL"] = f"http://127.0.0.1{PREFIX}"  # the path part is what matters (404.html)
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-d", str(dest)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0 or not (dest / "index.html").is_file():
        output = "\n".join(line for line in (done.stdout + done.stderr).splitlines() if "INFO" not in line)
        raise RuntimeError(f"mkdocs build --strict failed (exit {done.returncode}):\n{output[-6000:]}")
    return dest


class _SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the build directory at PREFIX; everything outside PREFIX is 404, like a shared host."""

    def send_head(self):  # the file to send, or None after an error response
        if not urlsplit(self.path).path.startswith(PREFIX):
            self.send_error(404, "outside the site's sub-path")
            return None
        return super().send_head()

    def translate_path(self, path: str) -> str:
        return super().translate_path("/" + urlsplit(path).path[len(PREFIX) :])

    def log_message(self, format: str, *args: object) -> None:  # quiet: failures are recorded by the browser
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve directory on 127.0.0.1 on a free port under PREFIX; yield the base URL (ends with '/')."""
    handler = functools.partial(_SubPathHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="handbook-http", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{PREFIX}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def html_file(site: Path, path: str) -> Path:
    """The HTML file behind a URL path from page_paths ('' , 'kanaele/youtube/', '404.html')."""
    return site / path if path.endswith(".html") else site / path / "index.html"


def page_paths(site: Path) -> list[str]:
    """URL paths (relative to the site root) of every built page, e.g. '' and 'kanaele/youtube/'.

    404.html is included: it uses root-absolute links, which work under the sub-path because the
    build sets site_url (HANDBOOK_SITE_URL) to it.
    """
    paths = []
    for file in sorted(site.rglob("*.html")):
        rel = file.relative_to(site).as_posix()
        paths.append(rel.removesuffix("index.html"))
    return paths


# --- page recording ----------------------------------------------------------------------------------


@dataclass
class Recorder:
    """Everything a browser context did that a clean page must not do, plus every request URL."""

    base_url: str
    problems: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)

    def attach(self, context) -> None:
        context.on("page", self._watch_page)
        context.on("request", lambda request: self.urls.append(request.url))
        context.on("requestfailed", self._request_failed)
        context.on("response", self._response)
        for page in context.pages:
            self._watch_page(page)

    def _watch_page(self, page) -> None:
        page.on("console", lambda msg: self._console(page, msg))
        page.on("pageerror", lambda error: self.problems.append(f"page error on {page.url}: {error}"))

    def _console(self, page, msg) -> None:
        if msg.type in ("error", "assert"):
            self.problems.append(f"console {msg.type} on {page.url}: {msg.text} ({msg.location})")

    def _request_failed(self, request) -> None:
        self.problems.append(f"request failed: {request.url} ({request.failure})")

    def _response(self, response) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def foreign_hosts(self) -> set[str]:
        """Hosts other than the test server that were asked for anything (data: and blob: are local)."""
        own = urlsplit(self.base_url).netloc
        hosts = set()
        for url in self.urls:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about"):
                continue
            if parts.netloc != own:
                hosts.add(f"{parts.scheme}://{parts.netloc} (e.g. {url[:120]})")
        return hosts


def wait_for_search_ready(page, timeout: float = 30_000) -> None:
    """Wait until Material's search worker has loaded the index and the language scripts."""
    page.wait_for_function(
        """() => {
            const meta = document.querySelector('.md-search-result__meta');
            const text = meta === null ? '' : meta.textContent.trim();
            return text !== '' && !/initialisiert/i.test(text);
        }""",
        timeout=timeout,
    )


# --- reading the built HTML ------------------------------------------------------------------------


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style", "template"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_text(markup: str) -> str:
    """The visible text of an HTML document (no scripts or styles), whitespace collapsed."""
    parser = _TextExtractor()
    parser.feed(markup)
    return " ".join(" ".join(parser.parts).split())


_TOKEN = re.compile(r"[^\W\d_]+")


def words(text: str) -> set[str]:
    """Lower-case letter runs, as the search index splits text into terms (at spaces and hyphens)."""
    return {w.lower() for w in _TOKEN.findall(text)}


def site_words(site: Path) -> dict[str, set[str]]:
    """URL path -> the words on that page (whole document: content, navigation, footer)."""
    return {
        path: words(html_text(html_file(site, path).read_text(encoding="utf-8"))) for path in page_paths(site)
    }


def abbreviations(site: Path) -> dict[str, str]:
    """Glossary abbreviations found in the built HTML: shown word -> title (the definition)."""
    found: dict[str, str] = {}
    pattern = re.compile(r'<abbr title="([^"]*)">([^<]+)</abbr>')
    for path in page_paths(site):
        for title, word in pattern.findall(html_file(site, path).read_text(encoding="utf-8")):
            # The title holds HTML-escaped text (Material shows it as HTML): unescape twice.
            found.setdefault(html.unescape(word), html.unescape(html.unescape(title)))
    return found


def url_path(url: str) -> str:
    """The decoded path of a URL, without query and fragment."""
    return unquote(urlsplit(url).path)


def pdf_text(pdf: bytes) -> str:
    """Text of a PDF, extracted with the pinned pypdf (the same everywhere, unlike poppler's versions)."""
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
