"""Check plans: every problem of every layer, collected.

``check(path)`` reads the plans folder (``macros.data.files``) and checks what it read.
``check_documents(reading)`` is the check itself: a function of the documents alone, so that
``handbook diff`` checks a git revision in memory. Only the clash check reads files, the
hand-written pages in the ``content`` folder it is given.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from pydantic import BaseModel

from ..data.files import Reading, Source, find_plans_dir, read_folder
from ..data.kinds import MODELS
from ..data.loader import Document, LoadError, line_at, load_bytes, source_lines
from ..data.memo import ByIdentity
from ..data.plan import Plan
from ..data.positions import Position, format_loc, one_line
from ..data.vocabularies import FILE as VOCABULARIES_FILE
from ..data.vocabularies import custom_values, using
from .address import address_findings
from .clashes import default_content_dir, find_clashes
from .consistency import consistency_findings
from .method import Finding, method_findings
from .problems import Problem, Related, count, plural
from .references import check_references
from .shape import check_shape
from .stored import Store
from .vocabularies import check_vocabularies


@dataclass
class Result:
    plans_dir: Path | None
    problems: list[Problem] = field(default_factory=list)
    plan: Plan | None = None
    files: int = 0
    records: int = 0
    method_checked: bool = False
    unchecked: list[str] = field(default_factory=list)  # files whose ids are unknown
    documents: dict[str, Document] = field(default_factory=dict, repr=False)  # loaded, by stem

    @property
    def errors(self) -> int:
        return count(self.problems)[0]

    @property
    def warnings(self) -> int:
        return count(self.problems)[1]

    def summary(self) -> str:
        errors, warnings = count(self.problems)
        where = f"{plural(self.files, 'file')}, {plural(self.records, 'record')}"
        if not errors and not warnings:
            return f"ok: {where}, no problems"
        text = f"{plural(errors, 'error')}, {plural(warnings, 'warning')} ({where})"
        if self.unchecked:
            it = "it" if len(self.unchecked) == 1 else "they"
            text += f"; references into {', '.join(self.unchecked)} are checked once {it} can be read"
        if errors and not self.method_checked:
            text += "; method checks run once the errors are fixed"
        return text


def check(path: Path, content_dir: Path | None = None, stored: bool = True) -> Result:
    """Read the plans folder at PATH (or in the project at PATH) and check it.

    ``content_dir`` is the folder of hand-written pages whose ids must not clash with records
    (default: ``content/`` beside ``plans/``, when it exists). ``stored``: a file unchanged since the
    last run is neither parsed nor validated again (``checks.stored``).
    """
    plans_dir = find_plans_dir(path)
    store = Store.beside(plans_dir) if stored else None
    return check_documents(read_folder(plans_dir), default_content_dir(plans_dir, content_dir), store)


def check_documents(reading: Reading, content: Path | None = None, store: Store | None = None) -> Result:
    """Check plans files as read: load, shape, references, clashes with the pages in ``content``
    (none when None), and, once all that is clean, the method. ``store`` keeps the files' shapes
    between runs."""
    result = Result(reading.plans_dir, files=len(reading.sources))
    problems = result.problems
    problems.extend(Problem.in_file(u.file, u.message, u.hint, u.code) for u in reading.problems)
    displays = reading.displays
    docs: dict[str, Document] = {}
    for stem, source in reading.sources.items():
        loaded = _load(source, store)
        if isinstance(loaded, Problem):
            problems.append(loaded)
        elif loaded is not None:
            docs[stem] = loaded

    result.documents = docs
    models: dict[str, BaseModel] = {}
    vocabularies = docs.get(VOCABULARIES_FILE)
    vocabulary_raw = reading.sources[VOCABULARIES_FILE].raw if vocabularies else None
    with using(custom_values(vocabularies.data if vocabularies else None)):
        for stem, doc in docs.items():
            shape = (doc, MODELS[stem], displays[stem])
            stored = (store, reading.sources[stem], vocabulary_raw)
            model, shape_problems = _shaped.get((doc, vocabularies), shape[1:], _shape, *shape, *stored)
            problems.extend(shape_problems)
            if model is not None:
                models[stem] = model
    if vocabularies is not None:
        problems.extend(check_vocabularies(vocabularies, displays[VOCABULARIES_FILE]))

    valid_docs = {s: d for s, d in docs.items() if isinstance(d.data, dict)}
    unreadable = frozenset(displays) - frozenset(valid_docs)
    skipped: set[str] = set()
    ids, ref_problems = check_references(valid_docs, displays, reading.folder, unreadable, skipped)
    result.unchecked = sorted(displays[s] for s in skipped)
    problems.extend(ref_problems)
    problems.extend(find_clashes(ids, docs, displays, content))  # pages and anchors
    result.records = sum(len(v) for v in ids.values())

    if not result.errors and len(models) == len(docs):
        plan = Plan.build(models, ids)

        def locate(record):
            d = ids[record.kind][record.id]
            return plan.origins[(record.kind, record.id)].stem, d.loc[:-1]

        def where(stem: str) -> str:
            return displays.get(stem, f"{reading.folder}/{stem}.yml")

        findings: list[Finding] = [
            *method_findings(plan, locate),
            *consistency_findings(plan, locate),
            *address_findings(plan, locate),
        ]
        for finding in findings:
            display = where(finding.stem)
            found = Problem.at(
                docs.get(finding.stem),
                display,
                finding.loc,
                finding.message,
                finding.hint,
                finding.code,
                finding.severity,
            )
            related = None
            if finding.related is not None:
                stem, loc = finding.related
                doc = docs.get(stem)
                position = doc.position(loc) if doc is not None else Position(1, 1)
                related = Related(where(stem), position.line, position.column, format_loc(loc))
            problems.append(replace(found, step=finding.step, related=related))
        result.method_checked = True
        if not any(p.severity == "error" for p in problems):
            result.plan = plan
    problems[:] = [replace(p, message=one_line(p.message), hint=one_line(p.hint)) for p in problems]
    problems.sort(key=Problem.sort_key)
    return result


def _shape(
    doc: Document,
    model: type[BaseModel],
    display: str,
    store: Store | None,
    source: Source,
    vocabulary_raw: bytes | None,
) -> tuple[BaseModel | None, list[Problem]]:
    """``check_shape``, or what ``store`` kept of the same bytes from an earlier run."""
    if store is None or source.raw is None:
        return check_shape(doc, model, display)

    def fits(found: object) -> bool:
        return (
            isinstance(found, tuple)
            and len(found) == 2
            and (found[0] is None or type(found[0]) is model)
            and isinstance(found[1], list)
            and (found[0] is not None or bool(found[1]))  # a file without a model has problems
            and all(type(p) is Problem for p in found[1])
        )

    inputs = (model.__qualname__, display, source.raw, vocabulary_raw)
    return store.reuse(f"shape-{source.stem}", inputs, lambda: check_shape(doc, model, display), fits)


def _stored_document(store: Store, stem: str, raw: bytes, path: Path) -> Document:
    """``load_bytes``, or the document ``store`` kept of the same bytes. The check and the build
    name the file differently (a relative or an absolute path): both use the entry, and the
    document names the file as it was given."""
    found = store.reuse(
        f"document-{stem}",
        (os.path.abspath(path), raw),
        lambda: load_bytes(raw, path),
        lambda found: type(found) is Document,
    )
    return found if found.path == path else replace(found, path=path)


# A file's model and problems as long as it and vocabularies.yml are the documents loaded last
_shaped: ByIdentity[tuple[BaseModel | None, list[Problem]]] = ByIdentity()

# The documents loaded last, by the bytes of their file (documents never change once loaded)
_loaded: ByIdentity[Document] = ByIdentity()


def load_document(raw: bytes, path: Path) -> Document:
    """The document of a plans file's bytes (raises LoadError). The same bytes give the same
    document while it is in use: a rebuild under ``mkdocs serve``, the working tree and the commits
    of the change history, and both sides of ``handbook diff`` parse a file's text once."""
    return _loaded.get((), raw, load_bytes, raw, path)


def _load(source: Source, store: Store | None = None) -> Document | Problem | None:
    """The loaded document, the problem that keeps it from loading, or None when it was not read.

    A build under ``mkdocs serve`` checks the plans again after every edit: a file whose text is
    the same as at the last check is not parsed again, nor one that ``store`` kept from an earlier
    run.
    """
    if source.raw is None:
        return None  # the Reading says why
    raw, path = source.raw, source.path
    try:
        if store is None:
            return load_document(raw, path)
        return _loaded.get((), raw, _stored_document, store, source.stem, raw, path)
    except LoadError as exc:
        return Problem(
            source.display,
            exc.position.line,
            exc.position.column,
            format_loc(exc.loc),
            exc.message,
            exc.hint,
            code=exc.code,
            source_line=line_at(source_lines(source.raw), exc.position.line),
        )
