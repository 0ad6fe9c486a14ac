"""Benchmark of issue 10: how the build, the check and live reload grow with the data.

Run: .venv/bin/python -m tests.benchmark [--factors 1,10,20] [--runs 3] [--timeout 1800]

In one run it

1. scales the sample plans by each factor: every record of every kind (and every entry of every
   list a plans file holds, onboarding weeks and crisis checklists included) is copied with new ids
   (``<id>-<n>``), and copy n refers to copy n's records; titles, glossary terms and aliases get
   `` <n>`` so they stay unique. The kinds and references come from the models (``macros.data.kinds``
   and ``macros.data.walk``), so a new kind is scaled too. Every scaled plan must check without errors;
2. per factor: the pages built, the CPU seconds (user + sys of the ``mkdocs build --strict`` child
   process) of our build and of a plain MkDocs + Material build of the same final pages (``handbook
   export`` of the scaled project, built with ``mkdocs build``; the export is reported apart), as
   medians of interleaved runs, and their ratios; both without the PDFs (``HANDBOOK_PDF=0``), which
   plain MkDocs does not make: one more build of the first factor measures what they add. Our
   build keeps compiled templates (``HANDBOOK_TEMPLATE_CACHE``) and validated plans files
   (``.cache/handbook/stored/``) between runs, as on a workstation; a second series compiles and
   validates anew each time, as a fresh CI container does;
3. builds the sample plans plus a glossary of 5,000 generated terms, and the second factor's
   project in a git repository with 20 more commits of plans/ (its change page summarises each);
4. times ``handbook check plans`` as a whole process (interpreter start included), median of 10,
   at the first two factors: checking afresh (``--no-cache``), after an edit of one plans file
   (what the other files' validation left in ``.cache/handbook/stored/`` is used) and with nothing
   changed since the last check (its stored result replayed);
5. measures edit -> reload under ``mkdocs serve --dirty`` (as ``./run.sh serve``) at the first two
   factors, in a git repository as a handbook lives in (its change page reads the history): a
   channel's purpose is changed five times, and after each edit its page is polled every 20 ms
   until it is served with the new text; median and maximum (``--reload-only`` measures just this);

and prints the results as Markdown tables. It is a script, not a test: nothing is asserted about
time (shared machines are noisy). ``tests/test_benchmark_plans.py`` pins the scaled plans.
"""

from __future__ import annotations

import argparse
import copy
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from macros.data import kinds
from macros.data.walk import fields_of, walk

from .site_support import fetch, free_port, make_project

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ENV = {
    **{name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"},
    "NO_MKDOCS_2_WARNING": "1",
    "HANDBOOK_PDF": "0",
}
"""Builds compared with plain MkDocs make the same pages, so no PDFs; those are measured apart.
Python keeps compiled modules (``__pycache__``) as it does on a workstation: a sandbox or CI that sets
PYTHONDONTWRITEBYTECODE would compile the engine (``macros/``, installed editable) in every one of our
builds, 0.2 s of CPU, while plain MkDocs' modules were compiled when pip installed them."""
NOT_SCALED = {"vocabularies"}
"""Plans files whose lists are not records: vocabulary values are referenced by their value."""
GLOSSARY_TERMS = 5000


# --- scaled plans ------------------------------------------------------------------------------


class _Dumper(yaml.CSafeDumper):
    def ignore_aliases(self, data: object) -> bool:
        return True


class _Loader(yaml.CSafeLoader):
    """YAML 1.2 booleans, as the handbook's own loader reads them: a key ``on:`` stays text."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _read(plans: Path) -> dict[str, tuple[Any, Any]]:
    """Plans file stem -> (its model, its data as loaded), for the declared files present."""
    found = {}
    for stem, declared in kinds.FILES.items():
        path = plans / f"{stem}.yml"
        if path.exists():
            found[stem] = (
                declared.model,
                yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader),
            )
    return found


def _write(plans: Path, stem: str, data: Any) -> None:
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    (plans / f"{stem}.yml").write_text(text, encoding="utf-8")


def record_counts(plans: Path) -> Counter[str]:
    """Kind -> number of records in the plans folder (nested records included)."""
    counts: Counter[str] = Counter()
    for model, data in _read(plans).values():
        for what, found in walk(model, data):
            if what == "record":
                counts[found.kinds[0]] += 1
    return counts


def _copy(model: Any, item: Any, n: int, ids: set[tuple[str, str]]) -> Any:
    """Copy ``n`` of one list entry: new ids, references to copy n's records, titles with `` n``."""
    item = copy.deepcopy(item)
    for what, found in list(walk(model, item)):
        if what == "record":
            record = found.value
            record["id"] = f"{record['id']}-{n}"
            declared = kinds.KINDS.get(found.kinds[0])
            title = declared.title if declared else "name"
            if isinstance(record.get(title), str):
                record[title] = f"{record[title]} {n}"
            if isinstance(record.get("aliases"), list):
                record["aliases"] = [f"{alias} {n}" for alias in record["aliases"]]
        elif any((k, found.value) in ids for k in found.kinds):
            parent = item
            for key in found.loc[:-1]:
                parent = parent[key]
            parent[found.loc[-1]] = f"{found.value}-{n}"
    return item


def scale_plans(source: Path, dest: Path, factor: int) -> Path:
    """``source`` copied to ``dest`` with every list of every plans file ``factor`` times as long."""
    shutil.copytree(source, dest)
    if factor == 1:
        return dest
    files = _read(dest)
    ids = {
        (found.kinds[0], found.value["id"])
        for model, data in files.values()
        for what, found in walk(model, data)
        if what == "record"
    }
    for stem, (model, data) in files.items():
        if stem in NOT_SCALED or not isinstance(data, dict):
            continue
        for _, key, shape in fields_of(model):
            entries = data.get(key)
            if shape.what != "list" or shape.item.what != "model" or not isinstance(entries, list):
                continue
            originals = list(entries)
            for n in range(2, factor + 1):
                entries.extend(_copy(shape.item.model, item, n, ids) for item in originals)
        _write(dest, stem, data)
    return dest


def glossary_plans(source: Path, dest: Path, terms: int = GLOSSARY_TERMS) -> Path:
    """The sample plans with ``terms`` generated glossary terms added, each with a definition and two
    aliases."""
    shutil.copytree(source, dest)
    data = yaml.load((dest / "glossary.yml").read_text(encoding="utf-8"), Loader=_Loader)
    for i in range(1, terms + 1):
        data["terms"].append(
            {
                "id": f"fachbegriff-{i}",
                "term": f"Fachbegriff {i}",
                "definition": f"Erklärung zu Fachbegriff {i}: was er bei uns bedeutet und wo er vorkommt.",
                "aliases": [f"Begriff Nr. {i}", f"FB-{i}"],
            }
        )
    _write(dest, "glossary", data)
    return dest


def check_errors(plans: Path) -> tuple[int, str]:
    """Errors of ``handbook check`` on ``plans`` and its summary line."""
    from macros.checks.check import check

    result = check(plans)
    return result.errors, result.summary()


# --- measuring ---------------------------------------------------------------------------------


@dataclass
class Timed:
    cpu: float  # user + sys seconds of the child process
    wall: float
    ok: bool  # finished in time with exit code 0
    note: str = ""


def run_child(cmd: list[str], cwd: Path, timeout: float, env: dict[str, str] = ENV) -> Timed:
    """Run ``cmd`` to its end (or stop it after ``timeout``); its CPU seconds from the rusage delta."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with tempfile.TemporaryFile() as log:
        child = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            code = child.wait(timeout=timeout)
            note = ""
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
            code, note = -1, f"stopped after {timeout:.0f} s"
        wall = time.perf_counter() - start
        if code > 0:
            log.seek(0)
            note = log.read().decode("utf-8", "replace")[-2000:]
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timed(cpu, wall, code == 0, note)


def mkdocs(*args: str) -> list[str]:
    return [sys.executable, "-m", "mkdocs", *args]


def pages_in(site: Path) -> int:
    return sum(1 for _ in site.rglob("index.html"))


@dataclass
class Series:
    """Repeated measurements of one thing; stops repeating once a run failed."""

    runs: list[Timed] = field(default_factory=list)
    pages: int = 0

    @property
    def failed(self) -> Timed | None:
        return next((r for r in self.runs if not r.ok), None)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)


def build_ours(
    project: Path, series: Series, timeout: float, pdf: bool = False, templates: str = "off"
) -> None:
    """``templates``: the folder of compiled templates kept between builds (as on a workstation),
    or ``off`` (every template compiled anew and every plans file validated anew, as in a fresh CI
    container: what ``.cache/handbook/stored/`` kept is removed first)."""
    if series.failed:
        return
    if templates == "off":
        shutil.rmtree(project / ".cache" / "handbook" / "stored", ignore_errors=True)
    site = project / "site-ours"
    shutil.rmtree(site, ignore_errors=True)
    env = {**ENV, "HANDBOOK_PDF": "1" if pdf else "0", "HANDBOOK_TEMPLATE_CACHE": templates}
    series.runs.append(run_child(mkdocs("build", "--strict", "-q", "-d", str(site)), project, timeout, env))
    series.pages = pages_in(site)


def build_plain(exported: Path, series: Series, timeout: float) -> None:
    if series.failed:
        return
    site = exported / "site"
    shutil.rmtree(site, ignore_errors=True)
    series.runs.append(run_child(mkdocs("build", "-q", "-d", str(site)), exported, timeout))
    series.pages = pages_in(site)


CHECK_MODES = {
    "afresh": "afresh (`--no-cache`: nothing stored is used)",
    "edited": "after an edit of `channels.yml` (the other files' stored shapes are used)",
    "replayed": "nothing changed (the stored result)",
}


def check_startup(project: Path, mode: str, runs: int = 10) -> list[float]:
    """Wall times of ``handbook check plans`` in ``project`` (``CHECK_MODES``): checking afresh,
    after a comment was added to one plans file, or replaying the stored result of an unchanged
    project."""
    cmd = [str(BIN / "handbook"), "check", "plans", *(["--no-cache"] if mode == "afresh" else [])]
    edited = project / "plans" / "channels.yml"
    original = edited.read_bytes()
    subprocess.run(cmd, cwd=project, env=ENV, capture_output=True)  # stores the result and shapes
    times = []
    try:
        for run in range(runs):
            if mode == "edited":
                edited.write_bytes(original + f"# edit {run}\n".encode())
            start = time.perf_counter()
            subprocess.run(cmd, cwd=project, env=ENV, capture_output=True)
            times.append(time.perf_counter() - start)
    finally:
        edited.write_bytes(original)
    return times


@dataclass
class Reload:
    first_page: float | None = None  # seconds from start to the first page served
    latencies: list[float] = field(default_factory=list)  # seconds from each edit to its page served
    note: str = ""

    def text(self) -> str:
        if not self.latencies:
            return self.note
        return (
            f"{statistics.median(self.latencies):.2f} s (median of {len(self.latencies)} edits, "
            f"max {max(self.latencies):.2f} s)"
        )

    def first(self) -> str:
        return f"{self.first_page:.1f} s" if self.first_page is not None else self.note

    def row(self, factor: int) -> str:
        measured = f"edit → reload under `mkdocs serve`, {factor}×"
        return f"| {measured} | {self.text()} | first page after {self.first()} |"


RELOAD_EDITS = 5
HISTORY_COMMITS = 20


def _commit_all(project: Path, message: str) -> None:
    """A handbook lives in git: its history page reads it on every build."""
    env = {**ENV, "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.org"}
    env |= {"GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.org"}
    for cmd in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-qm", message]):
        subprocess.run(cmd, cwd=project, env=env, check=True, capture_output=True)


def with_history(project: Path, dest: Path, commits: int = HISTORY_COMMITS) -> Path:
    """A copy of ``project`` in a git repository whose plans have ``commits`` more commits, each
    changing one channel's purpose: the change page summarises every one of them."""
    shutil.copytree(project, dest, symlinks=True, ignore=shutil.ignore_patterns("site", "site-ours"))
    _commit_all(dest, "plans")
    channels = dest / "plans" / "channels.yml"
    data = yaml.load(channels.read_text(encoding="utf-8"), Loader=_Loader)
    for n in range(commits):
        channel = data["channels"][n % len(data["channels"])]
        channel["purpose"] = f"{channel['purpose']} (Fassung {n + 1})"
        _write(dest / "plans", "channels", data)
        _commit_all(dest, f"channel purpose, version {n + 1}")
    return dest


def edit_reload(project: Path, timeout: float, edits: int = RELOAD_EDITS) -> Reload:
    """Serve ``project`` (a git repository with two commits of its plans), change the first
    channel's purpose ``edits`` times, and time each edit until the channel's page shows it."""
    channels = project / "plans" / "channels.yml"
    data = yaml.load(channels.read_text(encoding="utf-8"), Loader=_Loader)
    channel = data["channels"][0]
    if not (project / ".git").exists():
        _commit_all(project, "plans")
        channel["purpose"] = f"{channel['purpose']} (überarbeitet)"
        _write(project / "plans", "channels", data)
        _commit_all(project, "channel purpose revised")
    port = free_port()
    url = f"http://127.0.0.1:{port}/{kinds.page_path('channel', channel['id']).removesuffix('.md')}/"
    result = Reload()
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(
            mkdocs("serve", "--dirty", "-a", f"127.0.0.1:{port}", "--livereload"),  # as ./run.sh serve
            cwd=project,
            env=ENV,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            start = time.perf_counter()
            while fetch(url) is None:
                if server.poll() is not None or time.perf_counter() - start > timeout:
                    result.note = f"no first page within {timeout:.0f} s"
                    return result
                time.sleep(0.1)
            result.first_page = time.perf_counter() - start
            purpose = channel["purpose"]
            for edit in range(edits):
                time.sleep(1.5)  # let the watcher settle after the last build
                token = f"Messpunkt{port}x{edit}"
                channel["purpose"] = f"{purpose} {token}"
                _write(project / "plans", "channels", data)
                edited = time.perf_counter()
                while True:
                    page = fetch(url)
                    if page is not None and token in page:
                        result.latencies.append(time.perf_counter() - edited)
                        break
                    if server.poll() is not None or time.perf_counter() - edited > timeout:
                        result.note = f"edit not served within {timeout:.0f} s"
                        return result
                    time.sleep(0.02)
            return result
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


# --- the run -----------------------------------------------------------------------------------


def _progress(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def _seconds(series: Series) -> str:
    if not series.runs:
        return "–"
    failed = series.failed
    if failed:
        return f"> {failed.cpu:.1f} s ({failed.note.splitlines()[-1] if failed.note else 'failed'})"
    return f"{series.cpu:.1f} s"


def _ratio(a: Series, b: Series) -> str:
    if not a.runs or not b.runs or b.failed:
        return "–"
    ratio = a.cpu / b.cpu
    return f"≥ {ratio:.1f}" if a.failed else f"{ratio:.2f}"


def reload_only(factors: list[int], timeout: float) -> None:
    """Edit -> reload at each factor, without the builds."""
    with tempfile.TemporaryDirectory(prefix="handbook-bench-") as tmp:
        work = Path(tmp)
        print("\n| measurement | result | ratio |")
        print("|---|---|---|")
        for factor in factors:
            plans = scale_plans(ROOT / "plans", work / f"plans-{factor}", factor)
            project = make_project(work / f"project-{factor}", plans)
            _progress(f"edit -> reload {factor}x")
            reload = edit_reload(project, timeout)
            print(reload.row(factor))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmark", description=__doc__.split("\n")[0])
    parser.add_argument("--factors", default="1,10,20", help="scale factors, comma-separated (first = base)")
    parser.add_argument("--runs", type=int, default=3, help="interleaved runs per build (median)")
    parser.add_argument(
        "--timeout", type=float, default=1800, help="seconds before a build or reload is given up"
    )
    parser.add_argument("--reload-only", action="store_true", help="measure only edit -> reload")
    args = parser.parse_args(argv)
    factors = [int(f) for f in args.factors.split(",")]
    if args.reload_only:
        reload_only(factors, args.timeout)
        return

    with tempfile.TemporaryDirectory(prefix="handbook-bench-") as tmp:
        work = Path(tmp)
        projects: dict[int, Path] = {}
        exported: dict[int, Path] = {}
        exports: dict[int, Timed] = {}
        for factor in factors:
            plans = scale_plans(ROOT / "plans", work / f"plans-{factor}", factor)
            project = make_project(work / f"project-{factor}", plans)
            errors, summary = check_errors(project / "plans")
            _progress(f"{factor}x plans: {summary}")
            assert errors == 0, f"the {factor}x scaled plans have errors: {summary}"
            projects[factor] = project
            exported[factor] = work / f"export-{factor}"
            export = [
                str(BIN / "handbook"),
                "export",
                str(exported[factor]),
                "-f",
                str(project / "mkdocs.yml"),
            ]
            exports[factor] = run_child(export, ROOT, args.timeout)
            assert exports[factor].ok, (
                f"handbook export of the {factor}x project failed: {exports[factor].note}"
            )
        glossary = make_project(
            work / "project-glossary", glossary_plans(ROOT / "plans", work / "plans-glossary")
        )
        errors, summary = check_errors(glossary / "plans")
        _progress(f"glossary plans: {summary}")
        assert errors == 0, f"the glossary plans have errors: {summary}"

        ours = {f: Series() for f in factors}
        cold = {f: Series() for f in factors}
        plain = {f: Series() for f in factors}
        templates = str(work / "templates")  # compiled templates kept between our builds
        big_glossary = Series()
        history_factor = factors[min(1, len(factors) - 1)]
        history = with_history(projects[history_factor], work / "project-history")
        with_commits = Series()
        with_pdf = {f: Series() for f in factors[:1]}
        for run in range(1, args.runs + 1):
            for factor in factors:
                _progress(f"run {run}: our build {factor}x")
                build_ours(projects[factor], ours[factor], args.timeout, templates=templates)
                _progress(f"run {run}: our build {factor}x afresh")
                build_ours(projects[factor], cold[factor], args.timeout)
                _progress(f"run {run}: plain build {factor}x")
                build_plain(exported[factor], plain[factor], args.timeout)
            _progress(f"run {run}: {history_factor}x with {HISTORY_COMMITS} commits of plans/")
            build_ours(history, with_commits, args.timeout, templates=templates)
            _progress(f"run {run}: glossary of {GLOSSARY_TERMS} terms")
            build_ours(glossary, big_glossary, args.timeout, templates=templates)
        for factor in factors[:1]:  # WeasyPrint lays out every page: minutes at 10x
            _progress(f"our build with PDFs {factor}x")
            build_ours(projects[factor], with_pdf[factor], args.timeout, pdf=True, templates=templates)

        startup = {}
        for factor in factors[:2]:
            _progress(f"handbook check start-up {factor}x")
            for mode in CHECK_MODES:
                startup[factor, mode] = check_startup(projects[factor], mode)
        reloads = {}
        for factor in factors[:2]:
            _progress(f"edit -> reload {factor}x")
            reloads[factor] = edit_reload(projects[factor], args.timeout)

    base = factors[0]
    print(f"\npython {sys.version.split()[0]}, {os.cpu_count()} cores, {args.runs} runs, CPU = user + sys\n")
    print(
        "| plans | pages | our build CPU | × of 1× | plain MkDocs CPU | export CPU | ours / plain "
        "| ours afresh (templates compiled, files validated) | that / plain |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for factor in factors:
        pages = f"{ours[factor].pages}" + (
            f" (plain {plain[factor].pages})" if plain[factor].pages != ours[factor].pages else ""
        )
        print(
            f"| {factor}× | {pages} | {_seconds(ours[factor])} | {_ratio(ours[factor], ours[base])} "
            f"| {_seconds(plain[factor])} | {exports[factor].cpu:.1f} s "
            f"| {_ratio(ours[factor], plain[factor])} | {_seconds(cold[factor])} "
            f"| {_ratio(cold[factor], plain[factor])} |"
        )
    print("\n| measurement | result | ratio |")
    print("|---|---|---|")
    print(
        f"| glossary of {GLOSSARY_TERMS:,} terms: build CPU ({big_glossary.pages} pages) "
        f"| {_seconds(big_glossary)} | {_ratio(big_glossary, ours[base])} × of the {base}× build |"
    )
    print(
        f"| {history_factor}× in a git repository with {HISTORY_COMMITS + 1} commits of plans/ (the "
        f"change page summarises each): build CPU | {_seconds(with_commits)} "
        f"| {_ratio(with_commits, ours[history_factor])} × of the {history_factor}× build without git |"
    )
    for factor in factors[:1]:
        print(
            f"| {factor}×: build CPU with the PDFs (one run) | {_seconds(with_pdf[factor])} "
            f"| {_ratio(with_pdf[factor], ours[factor])} × of the build without |"
        )
    for (factor, mode), times in startup.items():
        print(
            f"| {factor}×: `handbook check plans` {CHECK_MODES[mode]}, wall with interpreter start, "
            f"median of {len(times)} | {statistics.median(times):.3f} s "
            f"| min {min(times):.3f} s, max {max(times):.3f} s |"
        )
    for factor, reload in reloads.items():
        print(reload.row(factor))


if __name__ == "__main__":
    main()
