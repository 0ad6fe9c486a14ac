"""What a check in the same process reuses (macros/data/memo.py): a file's document, model and
problems while its text, and vocabularies.yml, are unchanged; never a stale result. And what the
footer says in a build and under ``mkdocs serve`` (macros/site/build.py)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jinja2
import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from pydantic import ValidationError

from macros.checks import check as check_module
from macros.checks.check import check
from macros.checks.problems import format_text
from macros.data import memo, plan
from macros.review import diff as diff_module
from macros.review import history
from macros.review.history import plans_changes
from macros.site import theme_cache
from macros.site.build import data_version, load_plan
from macros.site.macros_api import macros
from macros.site.page_macros import MacroError, compile_once
from macros.site.pages import PAGE_SOURCE, record_pages
from macros.site.theme_cache import CompiledTemplates

from .conftest import ROOT
from .site_support import edit, edited_plans, git, make_project

USES_PATIENTS = {"target-groups": [("type: customers", "type: patients")]}


def _report(plans: Path) -> str:
    result = check(plans)
    return format_text(result.problems, result.summary()).replace(str(plans.parent) + "/", "")


def _fresh_report(plans: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The report of a process that has checked nothing before."""
    with monkeypatch.context() as m:
        m.setattr(check_module, "_loaded", memo.ByIdentity())
        m.setattr(check_module, "_shaped", memo.ByIdentity())
        m.setattr(plan, "_walked", memo.ByIdentity())
        m.setattr(plan, "_shown", memo.ByIdentity())
        return _report(plans)


def test_an_unchanged_file_is_checked_again_when_vocabularies_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plans = edited_plans(tmp_path / "plans", USES_PATIENTS)
    assert check(plans).errors == 0
    edit(plans / "vocabularies.yml", "  - id: patients\n", "  - id: residents\n")
    report = _report(plans)
    assert "plans/target-groups.yml:" in report and "'patients'" in report, report
    assert report == _fresh_report(plans, monkeypatch)
    edit(plans / "vocabularies.yml", "  - id: residents\n", "  - id: patients\n")
    assert _report(plans) == _fresh_report(plans, monkeypatch) == "ok: 18 files, 24 records, no problems\n"


def test_a_second_check_keeps_the_records_of_unchanged_files(tmp_path: Path) -> None:
    plans = edited_plans(tmp_path / "plans", {})
    first = check(plans).plan
    channels = plans / "channels.yml"
    channels.write_text(channels.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # same data
    edit(plans / "goals.yml", "title: Mehr Reichweite", "title: Mehr Reichweite im Netz")
    second = check(plans).plan
    assert first is not None and second is not None
    for kind, records in first.records.items():
        for rid, record in records.items():
            stem = first.origins[(kind, rid)].stem
            if stem in ("goals", "channels"):
                assert second.records[kind][rid] is not record, (kind, rid)
            else:
                assert second.records[kind][rid] is record, (kind, rid)
    assert second.goals[0].title == "Mehr Reichweite im Netz"
    roles = first.for_audience("internal").records["role"]
    again = second.for_audience("internal").records["role"]
    assert roles and all(again[rid] is record for rid, record in roles.items())


def test_validated_records_cannot_be_changed(tmp_path: Path) -> None:
    result = check(edited_plans(tmp_path / "plans", {}))
    assert result.plan is not None
    goal = result.plan.goals[0]
    with pytest.raises(ValidationError, match="Instance is frozen"):
        goal.title = "Anders"


def test_the_footer_marks_local_changes_in_a_build_and_a_preview_under_serve(tmp_path: Path) -> None:
    project = tmp_path / "project"
    edited_plans(project / "plans", {})
    assert data_version(project) == "ohne Git-Historie"
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "Pläne angelegt")
    commit = git(project, "log", "-1", "--format=%h %cs").strip()
    assert data_version(project) == commit
    assert data_version(project, serving=True) == f"Vorschau des Arbeitsstands (letzter Commit {commit})"
    edit(project / "plans" / "goals.yml", "title: Mehr Reichweite", "title: Mehr Reichweite im Netz")
    assert data_version(project) == f"{commit} (mit lokalen Änderungen)"
    assert data_version(project, serving=True) == f"Vorschau des Arbeitsstands (letzter Commit {commit})"


def test_what_older_versions_of_a_file_gave_is_dropped_after_a_build(tmp_path: Path) -> None:
    """Under ``mkdocs serve`` every edit is a new version; each build keeps only the current one."""
    plans = edited_plans(tmp_path / "plans", {})
    files = len(list(plans.glob("*.yml")))
    title = "Mehr Reichweite"
    for word in ("im Netz", "vor Ort", "überall"):
        edit(plans / "goals.yml", f"title: {title}", f"title: {title} {word}")
        title = f"{title} {word}"
        result = check(plans)
        assert result.plan is not None
        result.plan.for_audience("internal")
        memo.forget_unused()  # as each build does
    assert len(check_module._loaded._results) == files
    assert len(check_module._shaped._results) == files
    assert files <= len(plan._walked._results) <= 2 * files  # the plan as checked, as an audience sees it


def test_the_change_history_parses_each_version_of_a_file_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The change page compares up to 50 commits: a file that a commit did not change is not read
    again, and the records of an unchanged file are not compared. The build's check of the working
    tree (here the same as the last commit) and ``handbook diff`` parse nothing again."""
    project = tmp_path / "project"
    plans = edited_plans(project / "plans", {})
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "Pläne angelegt")
    title = "Mehr Reichweite"
    for word in ("im Netz", "vor Ort", "überall"):
        edit(plans / "goals.yml", f"title: {title}", f"title: {title} {word}")
        title = f"{title} {word}"
        git(project, "commit", "-qam", f"Ziel: {word}")
    parsed: list[str] = []

    def load_bytes(raw: bytes, path: Path) -> Any:
        parsed.append(path.name)
        return real(raw, path)

    real = check_module.load_bytes
    monkeypatch.setattr(check_module, "load_bytes", load_bytes)
    monkeypatch.setattr(check_module, "_loaded", memo.ByIdentity())
    monkeypatch.setattr(history, "_snapshots", {})
    monkeypatch.setattr(history, "_changes", {})
    found = plans_changes(plans, "internal")
    assert [e.subject for e in found.entries] == [
        "Ziel: überall",
        "Ziel: vor Ort",
        "Ziel: im Netz",
        "Pläne angelegt",
    ]
    assert found.entries[0].summary == "Ziel „Mehr Reichweite im Netz vor Ort überall“ geändert: Titel"
    assert sorted(parsed) == sorted([p.name for p in plans.glob("*.yml")] + ["goals.yml"] * 3)
    parsed.clear()
    assert not check(plans).errors
    work_tree = diff_module.Snapshot.load(
        {p.name: p.read_text(encoding="utf-8") for p in plans.glob("*.yml")}
    )
    assert parsed == []
    assert (
        work_tree.records["goal"]
        == history._snapshots[git(project, "rev-parse", "HEAD").strip()].records["goal"]
    )


def test_a_build_compiles_the_generated_pages_source_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """mkdocs-macros compiles each page's Markdown as a Jinja template: every generated page has the
    same source, compiled once per build (at 10x the sample that was 0.3 s of 340 compilations), and
    the next build compiles no page again (the written pages' 20 compilations were 0.15 s)."""
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setenv("HANDBOOK_PDF", "0")
    project = make_project(tmp_path / "project", ROOT / "plans")
    compiled: list[str] = []
    real = jinja2.Environment.compile

    def compile_source(self: jinja2.Environment, source: Any, *args: Any, **kwargs: Any) -> Any:
        compiled.append(source if isinstance(source, str) else "")
        return real(self, source, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", compile_source)
    monkeypatch.setattr(theme_cache, "compiled", CompiledTemplates(str(tmp_path / "templates")))
    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
    generated = [p.path for p in record_pages(load_plan(project / "plans"))]
    assert len(generated) > 20
    assert compiled.count(PAGE_SOURCE) == 1
    index = (project / "content" / "index.md").read_text(encoding="utf-8")
    assert compiled.count(index) == 1
    compiled.clear()  # the next build compiles no page: the template cache holds them
    build(load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site")))
    assert compiled == []
    channel = next(p for p in generated if p.startswith("kanaele/"))
    built = (tmp_path / "site" / channel.removesuffix(".md") / "index.html").read_text(encoding="utf-8")
    assert "record_page" not in built and '<article class="md-content__inner' in built


def test_record_page_without_arguments_outside_a_generated_page_names_the_page() -> None:
    found = check(ROOT / "plans").plan
    assert found is not None
    calls = macros(lambda: found, lambda: "grundlagen/index.md")
    with pytest.raises(LookupError) as raised:
        calls["record_page"]()
    assert str(raised.value) == "record_page: grundlagen/index.md is not a generated page; name kind and id"


def test_compile_once_reuses_compiled_pages_across_builds_until_the_text_changes(tmp_path: Path) -> None:
    """A written page is compiled once until its text changes, also across builds and processes
    (the theme's template cache); a changed or failing page behaves as if compiled anew."""
    folder = str(tmp_path / "cache")
    page = SimpleNamespace(file=SimpleNamespace(src_uri="ziele.md"))
    compiled: list[str] = []

    def build(source: str, cache: CompiledTemplates) -> str:
        jinja = jinja2.Environment(undefined=jinja2.StrictUndefined)
        compile_text = jinja.compile

        def counted(text: str, *args: Any, **kwargs: Any) -> Any:
            compiled.append(text)
            return compile_text(text, *args, **kwargs)

        jinja.compile = counted  # type: ignore[method-assign]
        failures: list[MacroError] = []
        compile_once(jinja, lambda: page, tmp_path, lambda: ["show"], failures, cache)
        return jinja.from_string(source).render(x=2) + "".join(str(f) for f in failures)

    cache = CompiledTemplates(folder)
    assert build("{{ x * 2 }}", cache) == "4" and compiled == ["{{ x * 2 }}"]
    assert build("{{ x * 2 }}", cache) == "4" and len(compiled) == 1
    assert build("{{ x * 2 }}", CompiledTemplates(folder)) == "4" and len(compiled) == 1  # another process
    assert build("{{ x * 3 }}", cache) == "6" and compiled[1:] == ["{{ x * 3 }}"]
    assert build("{{ x * 3 }}\n{{ zeige() }}", CompiledTemplates(folder)) == (  # renders nothing
        "ziele.md:2:4: 'zeige' is not a macro or variable of the handbook\n"
        "  hint: check the spelling; pages may use: show"
    )
    assert len(compiled) == 3


def test_compile_once_keeps_templates_by_source_only_without_globals(tmp_path: Path) -> None:
    jinja = jinja2.Environment(undefined=jinja2.StrictUndefined)
    failures: list[MacroError] = []
    compile_once(jinja, lambda: None, tmp_path, lambda: ["show"], failures)
    first = jinja.from_string("{{ 1 + 1 }}")
    assert jinja.from_string("{{ 1 + 1 }}").template is first.template and first.render() == "2"
    assert jinja.from_string("{{ 2 + 2 }}").template is not first.template
    with_globals = jinja.from_string("{{ x }}", {"x": "a"})
    assert jinja.from_string("{{ x }}", {"x": "b"}).render() == "b" and with_globals.render() == "a"
    assert failures == []
    assert jinja.from_string("a\n{{ zeige() }}").render() == ""  # the plugin stops the build on it
    assert [str(f) for f in failures] == [
        "page:2:4: 'zeige' is not a macro or variable of the handbook\n"
        "  hint: check the spelling; pages may use: show"
    ]
