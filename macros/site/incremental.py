"""Incremental rebuilds under ``mkdocs serve --dirty``: after an edit, rebuild only the pages whose
output can change, and leave the site exactly as a full build would.

While a page renders, every read of the plan (an attribute or a method call, with its result, and
each field read of the records it returns) is recorded for that page (``tracked``); so is what it
shows beyond the plan (the git history, through ``derived``). On the next rebuild a page is
rebuilt when one of its reads gives another result on the new plan; every other page keeps its
output file and MkDocs gets the page's state from the previous build (title, content, table of
contents, anchors, metadata), so navigation, anchor checks and the search index see every page.
Anything every page shows (the navigation, glossary, footer, site identity, the date) or any
change outside ``plans/`` (a written page, mkdocs.yml, the engine, the theme) rebuilds
everything, as does the first build and any build after a failed one. ``mkdocs build`` and
``mkdocs serve`` without ``--dirty`` are not affected: every page is built.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from ..data.plan import Plan, today
from .build import current_plan

if TYPE_CHECKING:  # MkDocs is imported only by the plugin's events: the export renders without it
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files

log = logging.getLogger("mkdocs.plugins.handbook")

_SNAPSHOT = ("markdown", "content", "toc", "meta", "_title_from_render", "present_anchor_ids")


class Reads(list):
    """One page's reads of the plan: (name or function, arguments, result) in order, and in
    ``fields`` the fields it read of each record: (kind, id) -> (the record, the field names)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[tuple[str, str], tuple[Any, set[str]]] = {}
        self.keys: list[tuple] = []  # each read's key in a rebuild's memo (made once)


class TrackedPlan:
    """The plan as one page reads it: every attribute read and method call is recorded with its
    result. Records come back as ``TrackedRecord``: a page depends on the fields it reads of them,
    and on which records a call returned (their ids), not on every field of every record."""

    __slots__ = ("_plan", "_reads")

    def __init__(self, plan: Plan, reads: Reads) -> None:
        self._plan = plan
        self._reads = reads

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._plan, name)
        if not callable(value) or not hasattr(value, "__self__"):
            return self._result(name, None, value)

        def call(*args: Any, **kwargs: Any) -> Any:
            args = tuple(_plain(a) for a in args)
            kwargs = {k: _plain(v) for k, v in kwargs.items()}
            return self._result(name, (args, tuple(kwargs.items())), value(*args, **kwargs))

        return call

    def _result(self, name: str, call: tuple | None, value: Any) -> Any:
        ids = _ids(self._plan, value)
        if ids is None:
            self._reads.append((name, call, value))
            return value
        self._reads.append((_ids_of, (name, call), ids))
        if isinstance(value, list):
            return [TrackedRecord(r, self._reads) for r in value]
        return TrackedRecord(value, self._reads)


def _is_record(plan: Plan, value: Any) -> bool:
    kind, id_ = getattr(value, "kind", None), getattr(value, "id", None)
    return isinstance(kind, str) and isinstance(id_, str) and plan.records.get(kind, {}).get(id_) is value


def _ids(plan: Plan, value: Any) -> Any:
    """(kind, id) of a record, a list of them for a list of records; None for anything else."""
    if isinstance(value, list) and value and all(_is_record(plan, v) for v in value):
        return [(v.kind, v.id) for v in value]
    if _is_record(plan, value):
        return (value.kind, value.id)
    return None


def _ids_of(plan: Plan, name: str, call: tuple | None) -> Any:
    value = getattr(plan, name)
    if call is not None:
        value = value(*call[0], **dict(call[1]))
    found = _ids(plan, value)
    return found if found is not None else value


def _whole(plan: Plan, kind: str, id_: str) -> Any:
    return plan.records[kind][id_]


def _plain(value: Any) -> Any:
    if isinstance(value, TrackedRecord):
        return value._record
    if isinstance(value, list) and any(isinstance(v, TrackedRecord) for v in value):
        return [_plain(v) for v in value]
    return value


class TrackedRecord:
    """A record as one page reads it: each field read is recorded; anything else (a method, its
    text, comparing it) counts as reading all of it."""

    __slots__ = ("_reads", "_record")

    def __init__(self, record: Any, reads: Reads) -> None:
        self._record = record
        self._reads = reads

    def _all(self) -> Any:
        record = self._record
        self._reads.append((_whole, (record.kind, record.id), record))
        return record

    def __getattr__(self, name: str) -> Any:
        record = self._record
        value = getattr(record, name)
        if callable(value) and hasattr(value, "__self__"):
            self._all()
            return value
        self._reads.fields.setdefault((record.kind, record.id), (record, set()))[1].add(name)
        return value

    def __eq__(self, other: object) -> bool:
        return self._all() == _plain(other)

    __hash__ = None  # type: ignore[assignment]  # as the records themselves

    def __iter__(self) -> Any:
        return iter(self._all())

    def __str__(self) -> str:
        return str(self._all())

    def __repr__(self) -> str:
        return repr(self._all())


def derived(plan: Any, function: Any, *args: Any) -> Any:
    """``function(plan, *args)``, recorded as one read when ``plan`` is tracked: a page that needs
    only a narrow view of many records (the titles of all channels) depends on that view only.
    ``function`` gets the plain plan and must compute its result from it alone."""
    if not isinstance(plan, TrackedPlan):
        return function(plan, *args)
    args = tuple(_plain(a) for a in args)
    value = function(plan._plan, *args)
    plan._reads.append((function, args, value))
    return value


@dataclass
class _State:
    enabled: bool = False  # `mkdocs serve --dirty`
    key: Any = None  # what every page depends on, as of the last successful build
    reads: dict[str, Reads] = field(default_factory=dict)  # page -> its reads of the plan
    snapshots: dict[str, dict[str, Any]] = field(default_factory=dict)  # page -> its state
    pending_key: Any = None
    full: bool = True
    rebuilt: set[str] = field(default_factory=set)
    files: Files | None = None  # this build's files (on_post_build does not get them)
    entries: dict[str, list] = field(default_factory=dict)  # page -> its search index entries


_state = _State()


class _DirtyWarning(logging.Filter):
    """MkDocs warns on every dirty build, which aborts a strict build; the handbook's dirty builds
    are exact."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


_filter = _DirtyWarning()


def on_startup(command: str, dirty: bool) -> None:
    reset()
    _state.enabled = command == "serve" and dirty
    if _state.enabled:
        logging.getLogger("mkdocs.commands.build").addFilter(_filter)


def reset() -> None:
    """Forget everything (the next build is a full one)."""
    global _state
    enabled = _state.enabled
    _state = _State(enabled=enabled)


def tracked(plan: Plan, page: str) -> Any:
    """The plan for rendering ``page``: recording its reads when rebuilds are incremental."""
    if not _state.enabled:
        return plan
    return TrackedPlan(plan, _state.reads.setdefault(page, Reads()))


_FAILED = object()


def _changed(reads: Reads, plan: Plan, memo: dict[tuple, Any]) -> bool:
    """Whether one of ``reads`` gives another result on ``plan`` (``memo``: results by read)."""
    for (kind, id_), (old, names) in reads.fields.items():
        new = plan.records.get(kind, {}).get(id_)
        if new is old:  # a record of an unchanged file: the same object (models are frozen)
            continue
        if new is None or any(getattr(new, name, _FAILED) != getattr(old, name) for name in names):
            return True
    if len(reads.keys) != len(reads):
        reads.keys = [(name, _token(call)) for name, call, _ in reads]
    for (name, call, value), key in zip(reads, reads.keys, strict=True):
        found = memo.get(key, memo)
        if found is memo:
            try:
                if callable(name):
                    found = name(plan, *call)
                else:
                    found = getattr(plan, name)
                    if call is not None:
                        found = found(*call[0], **dict(call[1]))
            except Exception:
                found = _FAILED
            memo[key] = found
        # an unchanged file's records are the same objects: no comparison of their fields
        if found is _FAILED or (found is not value and found != value):
            return True
    return False


def _token(value: Any) -> Any:
    """A key for a read's arguments within one rebuild: records and other objects by identity
    (the reads keep them alive), texts and numbers by value."""
    if isinstance(value, str | int | float | bool | None):
        return value
    if isinstance(value, BaseModel):  # not by its fields: hashing a record walks all of them
        return (id, id(value))
    if isinstance(value, tuple | list):
        return (type(value), *map(_token, value))
    if isinstance(value, dict):
        return (dict, *((k, _token(v)) for k, v in value.items()))
    try:
        hash(value)
    except TypeError:
        return (id, id(value))
    return value


def _tree(path: Path) -> list[tuple]:
    stamps = []
    for root, dirs, names in os.walk(path):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            try:
                info = os.stat(os.path.join(root, name))
            except OSError:
                continue
            stamps.append((root, name, info.st_mtime_ns, info.st_size))
    return stamps


def _key(config: MkDocsConfig, files: Files, plans_dir: Path) -> Any:
    """What every page depends on besides its own reads of the plan."""
    from .macros_api import variables

    doc_files = []
    for file in files:
        if file.generated_by:
            doc_files.append((file.src_uri, file.content_string))
        else:
            info = os.stat(file.abs_src_path) if file.abs_src_path else None
            doc_files.append((file.src_uri, info and (info.st_mtime_ns, info.st_size)))
    # what serve watches besides plans/, and the theme folders outside installed packages
    own_theme = [d for d in config.theme.dirs if "site-packages" not in Path(d).parts]
    trees = [
        _tree(Path(path))
        for path in [*config.watch, *own_theme]
        if os.path.realpath(path) != os.path.realpath(plans_dir)
    ]
    config_file = config.config_file_path
    text = repr(
        (
            config.nav,
            dict(config.mdx_configs),
            dict(config.extra),
            config.site_name,
            config.site_url,
            dict(config.theme),
            config.repo_url,
            config.repo_name,
            config.edit_uri,
            variables(current_plan()),
            today(),
            doc_files,
            trees,
            config_file and os.stat(config_file).st_mtime_ns,
        )
    )
    # Functions in the options (a slugify) are new objects per build: compare them by name, not address
    return re.sub(r" at 0x[0-9a-f]+", "", text)


def on_nav(config: MkDocsConfig, files: Files, plans_dir: Path) -> None:
    """Decide which pages this build renders (before MkDocs reads any page)."""
    if not _state.enabled:
        return
    key = _key(config, files, plans_dir)
    pages = [f for f in files.documentation_pages()]
    _state.pending_key = key
    searched = config.plugins.get("material/search") or config.plugins.get("search")
    _state.full = (
        key != _state.key
        or any(f.src_uri not in _state.snapshots for f in pages)
        or (searched is not None and _search(config)[1] is None)  # a search index we cannot complete
    )
    if _state.full:
        from mkdocs import utils

        log.debug("handbook: full rebuild")
        utils.clean_directory(config.site_dir)
        _state.reads.clear()
        _state.snapshots.clear()
        _state.entries.clear()
        rebuilt = {f.src_uri for f in pages}
    else:
        plan = current_plan()
        memo: dict[tuple, Any] = {}
        rebuilt = {f.src_uri for f in pages if _changed(_state.reads.get(f.src_uri, Reads()), plan, memo)}
        log.info(f"handbook: rebuilding {len(rebuilt)} of {len(pages)} pages")
        log.debug(f"handbook: rebuilding {sorted(rebuilt)}")
    for uri in rebuilt:
        _state.reads.pop(uri, None)
    _state.rebuilt = rebuilt
    for f in pages:
        f.is_modified = (lambda modified: lambda: modified)(f.src_uri in rebuilt)  # type: ignore[method-assign]


def on_env(env: Any, config: MkDocsConfig, files: Files) -> None:
    """Give unchanged pages their state from the last build; if a rebuilt page changed what other
    pages show of it (its title or metadata), render every page."""
    if not _state.enabled:
        return
    _state.files = files
    _capture_search_entries(config)
    pages = [f.page for f in files.documentation_pages() if f.page is not None]
    if not _state.full:
        for page in pages:
            if page.file.src_uri not in _state.rebuilt:
                _restore(page, files)
        if any(_shown(page) != _shown_before(page) for page in pages if page.file.src_uri in _state.rebuilt):
            from mkdocs.commands.build import _populate_page

            log.info("handbook: a page's title or metadata changed, rendering every page")
            for page in pages:
                if page.file.src_uri not in _state.rebuilt:
                    _state.reads.pop(page.file.src_uri, None)
                    _populate_page(page, config, files)
                    page.file.is_modified = lambda: True  # type: ignore[method-assign]
                    _state.rebuilt.add(page.file.src_uri)
    if len(_state.rebuilt) < len(pages):
        # 404.html and sitemap.xml show the navigation and the pages' addresses, unchanged here
        config.theme.static_templates.clear()
    for page in pages:
        if page.file.src_uri in _state.rebuilt:
            snapshot = {name: getattr(page, name) for name in _SNAPSHOT}
            snapshot["links_to_anchors"] = {
                f.src_uri: links for f, links in (page.links_to_anchors or {}).items()
            }
            _state.snapshots[page.file.src_uri] = snapshot


def _shown(page: Any) -> tuple:
    return (page.title, repr(page.meta))


def _shown_before(page: Any) -> tuple:
    snapshot = _state.snapshots.get(page.file.src_uri)
    if snapshot is None:
        return ()
    return (snapshot["_title_from_render"] or page.title, repr(snapshot["meta"]))


def _restore(page: Any, files: Files) -> None:
    snapshot = _state.snapshots[page.file.src_uri]
    for name in _SNAPSHOT:
        setattr(page, name, snapshot[name])
    page.links_to_anchors = {
        files.get_file_from_path(uri): links for uri, links in snapshot["links_to_anchors"].items()
    }


def _search(config: MkDocsConfig) -> Any:
    search = config.plugins.get("material/search") or config.plugins.get("search")
    index = getattr(search, "search_index", None)
    return (search, index) if hasattr(index, "entries") else (None, None)


def _capture_search_entries(config: MkDocsConfig) -> None:
    """Keep the search index entries of each page this build renders."""
    _, index = _search(config)
    if index is None:
        return
    add = index.add_entry_from_context

    def add_entry(page: Any) -> None:
        before = len(index.entries)
        add(page)
        _state.entries[page.file.src_uri] = index.entries[before:]

    index.add_entry_from_context = add_entry


def on_post_build(config: MkDocsConfig) -> None:
    """The search index of every page, in the order a full build adds them (before search writes it)."""
    if not _state.enabled:
        return
    search, index = _search(config)
    if index is not None and _state.files is not None:
        index.entries = [
            entry
            for file in _state.files.documentation_pages()
            for entry in _state.entries.get(file.src_uri, [])
        ]
        search.search_index_prev = None  # its merge of dirty builds reorders the entries
    _state.key = _state.pending_key


def on_build_error() -> None:
    reset()
